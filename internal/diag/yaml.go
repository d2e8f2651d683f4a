package diag

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// How gopkg.in/yaml.v3 (v3.0.1, the version go.mod pins) positions a
// syntax error, from its source: (*parser).fail in decode.go writes
// "yaml: line N: PROBLEM" where N is the context mark's line if that is not
// 0, else the problem mark's line if that is not 0, else no line at all.
// The marks are 0-based; fail adds 1 only when the error is a scanner error
// ("Scanner errors don't iterate line before returning error"). So:
//
//   - a scanner error (scannerc.go: an unclosed quote, a tab in the
//     indentation, "mapping values are not allowed in this context", ...)
//     names its line right;
//   - a parser error (parserc.go: an unclosed flow sequence or mapping, a
//     bad indentation ending a block mapping, ...) names the line before
//     its own: yaml.v3 forgets to add 1;
//   - either kind, when its marks are all on the first line (line 0), names
//     no line, and when only its context is on the first line (a quote or a
//     bracket opened on line 1), names its problem's line instead.
//
// yaml.v3 returns a plain error, so its kind can only be read from the
// problem text: yamlParserProblems is every problem parserc.go reports,
// and yamlReaderProblems every UTF-8 problem readerc.go reports (a reader
// error has no mark at all).
var (
	yamlParserProblems = map[string]bool{
		"did not find expected <stream-start>":   true,
		"did not find expected <document start>": true,
		"did not find expected node content":     true,
		"did not find expected '-' indicator":    true, // in a block sequence
		"did not find expected key":              true, // in a block mapping
		"did not find expected ',' or ']'":       true, // in a flow sequence
		"did not find expected ',' or '}'":       true, // in a flow mapping
		"found undefined tag handle":             true,
		"found duplicate %YAML directive":        true,
		"found incompatible YAML document":       true,
		"found duplicate %TAG directive":         true,
	}
	yamlReaderProblems = map[string]bool{
		"invalid leading UTF-8 octet":        true,
		"incomplete UTF-8 octet sequence":    true,
		"invalid trailing UTF-8 octet":       true,
		"invalid length of a UTF-8 sequence": true,
		"invalid Unicode character":          true,
		"control characters are not allowed": true,
	}
)

// yamlV3Error is YAMLError for an error of gopkg.in/yaml.v3, with a parser
// error's line made 1-based: no line at all was line 0, the first.
func yamlV3Error(err error) (line int, msg string) {
	line, msg = YAMLError(err)
	if strings.HasPrefix(err.Error(), "yaml: ") && yamlParserProblems[msg] {
		line++
	}
	return line, msg
}

// YAMLErrorIn is YAMLError for err, returned by gopkg.in/yaml.v3 parsing
// data into a yaml.Node, with the line it names made right (parser errors
// count from 0, see above) and exact where the message alone cannot be:
//
//   - A quote, bracket, key or block scalar opened on line 1 and left
//     open: yaml.v3 names its problem's line (often the end of the file)
//     instead, and a problem on line 1 has no line. Parsed again one line
//     down, every mark is past line 1, so yaml.v3 names the line where the
//     construct opens, plus one.
//   - A block mapping or sequence meeting a line it cannot hold (a key
//     indented one space too little, a list item among keys): yaml.v3
//     names the line where the collection starts, or, for the document's
//     own on line 1, the offending line. The offending line ends the
//     shortest run of first lines that fails the same way: a binary search
//     parses a few of them.
//   - A reader error (invalid UTF-8, a control character) has no mark: it
//     is on the line of the first character yaml.v3's reader rejects.
//   - The end of the data, after its last line break, is its last line.
//
// An error that yaml.v3 does not give for data is read as YAMLError does.
func YAMLErrorIn(data []byte, err error) (line int, msg string) {
	var doc yaml.Node
	if verr := yaml.Unmarshal(data, &doc); verr == nil || verr.Error() != err.Error() {
		return YAMLError(err) // not yaml.v3's for this data: a loader's own, or another library's
	}
	line, msg = yamlV3Error(err)
	if bytes.HasPrefix(data, utf16LEBOM) || bytes.HasPrefix(data, utf16BEBOM) {
		return line, msg // yaml.v3 counted lines in the decoded text
	}
	starts := lineStarts(data)
	switch {
	case yamlReaderProblems[msg]:
		line = rejectedCharLine(data)
	case msg == "did not find expected key" || msg == "did not find expected '-' indicator":
		if l := firstFailingLine(data, starts, msg, line); l > 0 {
			line = l
		}
	default:
		var shifted yaml.Node
		serr := yaml.Unmarshal(oneLineDown(data), &shifted)
		if serr == nil || !strings.HasPrefix(serr.Error(), "yaml: ") {
			break
		}
		if sline, smsg := yamlV3Error(serr); smsg == msg && sline >= 2 {
			line = sline - 1
		}
	}
	return min(line, len(starts)), msg
}

// maxSearched bounds the data firstFailingLine parses again and again.
const maxSearched = 1 << 20

// firstFailingLine returns the smallest n >= from such that the first n
// lines of data fail to parse with msg, or 0. The lines before a block
// collection's offending line parse (a block collection may end anywhere),
// and the lines through it fail as the whole data does, so a binary search
// finds it in a few parses.
func firstFailingLine(data []byte, starts []int, msg string, from int) int {
	if len(data) > maxSearched || from < 1 || from > len(starts) {
		return 0
	}
	fails := func(n int) bool {
		end := len(data)
		if n < len(starts) {
			end = starts[n]
		}
		var doc yaml.Node
		err := yaml.Unmarshal(data[:end], &doc)
		if err == nil {
			return false
		}
		_, m := yamlV3Error(err)
		return m == msg
	}
	lo, hi := from-1, len(starts) // the first hi lines fail: all of them do
	for hi-lo > 1 {
		if mid := (lo + hi) / 2; fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// utf8BOM may start a YAML file; yaml.v3 reads UTF-16 when it starts with
// a UTF-16 one.
var (
	utf8BOM    = []byte("\xef\xbb\xbf")
	utf16LEBOM = []byte("\xff\xfe")
	utf16BEBOM = []byte("\xfe\xff")
)

// oneLineDown returns UTF-8 data after an empty first line (after the byte
// order mark, if any).
func oneLineDown(data []byte) []byte {
	bom := 0
	if bytes.HasPrefix(data, utf8BOM) {
		bom = len(utf8BOM)
	}
	shifted := make([]byte, 0, len(data)+1)
	shifted = append(shifted, data[:bom]...)
	shifted = append(shifted, '\n')
	return append(shifted, data[bom:]...)
}

// lineStarts returns the offset of each line of UTF-8 data, breaking lines
// where yaml.v3 does (LF, CR, CRLF, NEL, LS, PS). Data ending with a break
// has no line after it; empty data has one line.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		i += size
		switch {
		case r == '\r' && i < len(data) && data[i] == '\n': // CRLF: one break, at the LF
		case r == '\n', r == '\r', r == 0x85, r == 0x2028, r == 0x2029:
			if i < len(data) {
				starts = append(starts, i)
			}
		}
	}
	return starts
}

// rejectedCharLine returns the 1-based line of the first character of the
// UTF-8 data that yaml.v3's reader rejects (readerc.go: invalid UTF-8, or
// a character outside YAML's printable set); 0 when there is none.
func rejectedCharLine(data []byte) int {
	starts := lineStarts(data)
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 || !yamlPrintable(r) {
			line, _ := slices.BinarySearch(starts, i+1) // the lines starting at or before i
			return line
		}
		i += size
	}
	return 0
}

// yamlPrintable reports whether yaml.v3's reader accepts r.
func yamlPrintable(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0x7E || r == 0x85 ||
		r >= 0xA0 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// DuplicateKeys reports every mapping key under n written twice, at the
// second one's line. yaml.v3 refuses them when it decodes into Go values
// but not into a yaml.Node, which fixtures and scenarios are read as: a
// second "status:" would silently win, and a body's duplicate would be
// sent as JSON with the key twice.
func DuplicateKeys(file string, n *yaml.Node) List {
	var out List
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			seen := map[string]int{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind == yaml.ScalarNode && k.Tag != "!!merge" {
					if first, ok := seen[k.Value]; ok {
						out.Add(file, k.Line, "key %q is already defined at line %d", k.Value, first)
					} else {
						seen[k.Value] = k.Line
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}
