package diag

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Every kind of yaml.v3 syntax error names the line a person would point
// at: where the problem is, or where the unclosed construct starts.
func TestYAMLErrorInNamesTheTrueLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		line int
		msg  string
	}{
		// Parser errors, which yaml.v3 names one line early.
		{"an unterminated flow sequence", "status: 200\nbody:\n  data: [1, 2\n", 3, "did not find expected ',' or ']'"},
		{"an unterminated flow sequence, longer", "x: 1\ny: 2\nz: [\n  1,\n  2\n", 3, "did not find expected ',' or ']'"},
		{"an unterminated flow mapping", "status: 200\nbody: {a: 1\n", 2, "did not find expected ',' or '}'"},
		{"an unterminated flow mapping in a list", "- a\n- {b: 1\n- c\n", 2, "did not find expected ',' or '}'"},
		{"a flow sequence closed by }", "a: 1\nb: {c: [1, 2}\n", 2, "did not find expected ',' or ']'"},
		{"a key indented less than its siblings", "status: 200\nbody:\n  a: 1\n b: 2\n", 4, "did not find expected key"},
		{"a list item in a mapping", "a: b\n- c\n", 2, "did not find expected key"},
		{"a mapping line in a list", "a:\n  - 1\n  x: 2\n", 3, "did not find expected '-' indicator"},
		// Block collection errors inside the document, which yaml.v3 names
		// at the line before the start of the enclosing collection.
		{"a nested key indented one space too little", "status: 200\nbody:\n  data:\n    a: 1\n   b: 2\n", 5, "did not find expected key"},
		{"a nested key indented too little after blank lines", "status: 200\nbody:\n  data:\n    a: 1\n\n\n   b: 2\n  c: 3\n", 7, "did not find expected key"},
		{"a nested list item indented too little", "a:\n  b:\n    - 1\n    - 2\n   - 3\n", 5, "did not find expected key"},
		{"a nested key indented too little", "a:\n  b: 1\n c: 2\n", 3, "did not find expected key"},
		{"an undefined tag handle", "a: 1\nb: !x!y 2\n", 2, "found undefined tag handle"},
		{"a repeated %YAML directive", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", 2, "found duplicate %YAML directive"},
		{"a %YAML 2.0 document", "# v2\n%YAML 2.0\n---\na: 1\n", 2, "found incompatible YAML document"},
		// Parser errors on line 1, which yaml.v3 names without a line or
		// at the end of the file.
		{"a flow sequence in a flow mapping on line 1", "a: {b: [1, 2}\n", 1, "did not find expected ',' or ']'"},
		{"an unterminated flow sequence on line 1", "a: [1, 2\n\n\n", 1, "did not find expected ',' or ']'"},
		{"an unterminated flow mapping on line 1", "body: {a: 1\n", 1, "did not find expected ',' or '}'"},
		{"an incompatible version on line 1", "%YAML 2.0\n---\na: 1\n", 1, "found incompatible YAML document"},
		// Scanner errors, which yaml.v3 names right past line 1.
		{"a key on a line of its own", "a: 1\nb\nc: 2\n", 2, "could not find expected ':'"},
		{"a key without value in a list", "a:\n  - b\n  c\n", 3, "could not find expected ':'"},
		{"mapping values not allowed", "status: 200\nbody: a: b\n", 2, "mapping values are not allowed in this context"},
		{"an over-indented key", "a:\n  b: 1\n    c: 2\n", 3, "mapping values are not allowed in this context"},
		{"a tab-indented key", "status: 200\nbody:\n\ta: 1\n", 3, "found character that cannot start any token"},
		{"a tab in an indentation", "a:\n  b: 1\n\tc: 2\n", 2, "found a tab character that violates indentation"},
		{"an unclosed double quote", "status: 200\nbody: \"abc\nx: 1\n", 2, "found unexpected end of stream"},
		{"an unclosed single quote", "status: 200\nbody: 'abc\n", 2, "found unexpected end of stream"},
		{"a character that cannot start a token", "a: 1\nb: @x\n", 2, "found character that cannot start any token"},
		{"a block sequence after a value", "a:\tb\nc:\t\t- d\n", 2, "block sequence entries are not allowed in this context"},
		{"a CRLF file", "a: 1\r\nb: 2\r\nc: [x\r\n", 3, "did not find expected ',' or ']'"},
		// Errors at the end of the data, after its last line break.
		{"a flow sequence left open at the end", "a: 1\nc: [\n", 2, "did not find expected node content"},
		{"a flow sequence left open at the end of a CRLF file", "a: 1\r\nb: 2\r\nc: [\r\n", 3, "did not find expected node content"},
		// Scanner errors on line 1, which yaml.v3 names without a line or
		// at the end of the file.
		{"mapping values not allowed on line 1", "a: b: c\n", 1, "mapping values are not allowed in this context"},
		{"a character that cannot start a token on line 1", "@x: 1\n", 1, "found character that cannot start any token"},
		{"an unclosed quote on line 1", "a: 'abc\nb: 1\nc: 2\n", 1, "found unexpected end of stream"},
		{"a plain scalar on line 1 continued into a key", "b\nc: 2\n", 2, "mapping values are not allowed in this context"},
		{"after a byte order mark", "\ufeffa: 'abc\nb: 1\n", 1, "found unexpected end of stream"},
		// Reader errors, which yaml.v3 names without a line.
		{"a control character", "a: 1\nb: \x01\n", 2, "control characters are not allowed"},
		{"invalid UTF-8", "a: 1\nb: 2\r\nc: \xff\n", 3, "invalid leading UTF-8 octet"},
		{"a truncated UTF-8 sequence", "a: \xc3", 1, "incomplete UTF-8 octet sequence"},
		{"a control character after a byte order mark", "\ufeffa: 1\n\nb: \x7f\n", 3, "control characters are not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var doc yaml.Node
			err := yaml.Unmarshal([]byte(tt.src), &doc)
			if err == nil {
				t.Fatalf("yaml.v3 accepted %q", tt.src)
			}
			line, msg := YAMLErrorIn([]byte(tt.src), err)
			if line != tt.line || msg != tt.msg {
				t.Errorf("YAMLErrorIn(%q) = %d, %q; want %d, %q (yaml.v3 said %q)", tt.src, line, msg, tt.line, tt.msg, err)
			}
		})
	}
}

// YAMLErrorIn reads an error that yaml.v3 does not give for the data as
// YAMLError does, and leaves one it cannot place at line 0 (the whole file).
func TestYAMLErrorInOtherErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		err  string
		line int
		msg  string
	}{
		{"a loader's own error", "a: [1]\n", "line 4: nesting deeper than 200 levels", 4, "nesting deeper than 200 levels"},
		{"an unknown anchor (yaml.v3 gives no position)", "a: 1\nb: *x\n", "yaml: unknown anchor 'x' referenced", 0, "unknown anchor 'x' referenced"},
		{"a reader error in UTF-16 data", "\xff\xfea\x00", "yaml: invalid Unicode character", 0, "invalid Unicode character"},
		{"an error the data no longer has", "a: 1\n", "yaml: found unexpected end of stream", 0, "found unexpected end of stream"},
		{"another library's error for the data", "status: 200\nbody:\n  data: [1, 2\n", "yaml: line 4: did not find expected ',' or ']'", 4, "did not find expected ',' or ']'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			line, msg := YAMLErrorIn([]byte(tt.src), errors.New(tt.err))
			if line != tt.line || msg != tt.msg {
				t.Errorf("YAMLErrorIn(%q) = %d, %q; want %d, %q", tt.err, line, msg, tt.line, tt.msg)
			}
		})
	}
}

// The parser problems whose lines YAMLErrorIn corrects are parserc.go's,
// and none of them is also a scanner problem (which yaml.v3 numbers right).
func TestYAMLParserProblemsAreParserErrors(t *testing.T) {
	t.Parallel()
	for p := range yamlParserProblems {
		if !strings.HasPrefix(p, "did not find expected") && !strings.HasPrefix(p, "found ") {
			t.Errorf("%q does not read like a yaml.v3 parser problem", p)
		}
	}
	// Scanner problems that look alike.
	for _, p := range []string{"did not find expected '!'", "did not find expected tag URI", "did not find expected comment or line break", "could not find expected ':'", "found unexpected end of stream"} {
		if yamlParserProblems[p] {
			t.Errorf("%q is a scanner problem", p)
		}
	}
}

func TestDuplicateKeys(t *testing.T) {
	for src, want := range map[string][]string{
		"a: 1\nb: 2\n":                                  nil,
		"a: 1\nb:\n  c: 1\n  c: 2\na: 3\n":              {`f.yaml:5: key "a" is already defined at line 1`, `f.yaml:4: key "c" is already defined at line 3`},
		"base: &b {x: 1}\nother:\n  <<: *b\n  <<: *b\n": nil, // merge keys may repeat
		"list:\n  - {a: 1}\n  - {a: 2}\n":               nil, // same key, different mappings
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range DuplicateKeys("f.yaml", &doc) {
			got = append(got, d.String())
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", src, got, want)
		}
	}
}
