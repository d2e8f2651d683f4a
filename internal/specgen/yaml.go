package specgen

import (
	"fmt"
	"strconv"
	"strings"
)

// The realistic documents are built as values and written as block YAML,
// keys in the order they are built: what a person would write.

// m is a YAML mapping whose keys keep their order.
type m []kv

type kv struct {
	k string
	v any
}

// mp builds a mapping from key, value pairs.
func mp(pairs ...any) m {
	out := make(m, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, kv{pairs[i].(string), pairs[i+1]})
	}
	return out
}

// with returns a copy of the mapping with more pairs at its end.
func (x m) with(pairs ...any) m { return append(append(m{}, x...), mp(pairs...)...) }

// seq is a YAML sequence.
type seq []any

// block is a multi-line string, written as a literal block scalar.
type block string

// writeYAML writes v (a mapping) as block YAML.
func writeYAML(b *strings.Builder, v m) { writeMap(b, v, 0) }

func writeMap(b *strings.Builder, v m, indent int) {
	for _, e := range v {
		b.WriteString(strings.Repeat(" ", indent))
		b.WriteString(scalar(e.k))
		b.WriteByte(':')
		writeValue(b, e.v, indent)
	}
}

// writeValue writes the value of a key (after its colon) or of a
// sequence item (after its dash).
func writeValue(b *strings.Builder, v any, indent int) {
	switch x := v.(type) {
	case m:
		if len(x) == 0 {
			b.WriteString(" {}\n")
			return
		}
		b.WriteByte('\n')
		writeMap(b, x, indent+2)
	case seq:
		if len(x) == 0 {
			b.WriteString(" []\n")
			return
		}
		b.WriteByte('\n')
		writeSeq(b, x, indent+2)
	case block:
		b.WriteString(" |-\n")
		for line := range strings.SplitSeq(string(x), "\n") {
			if line != "" {
				b.WriteString(strings.Repeat(" ", indent+2))
				b.WriteString(line)
			}
			b.WriteByte('\n')
		}
	default:
		b.WriteByte(' ')
		b.WriteString(scalar(x))
		b.WriteByte('\n')
	}
}

func writeSeq(b *strings.Builder, v seq, indent int) {
	for _, item := range v {
		b.WriteString(strings.Repeat(" ", indent))
		b.WriteString("-")
		if x, ok := item.(m); ok && len(x) > 0 {
			// The first key on the dash's line, the others under it.
			var sb strings.Builder
			writeMap(&sb, x, indent+2)
			b.WriteString(" ")
			b.WriteString(sb.String()[indent+2:])
			continue
		}
		writeValue(b, item, indent)
	}
}

// scalar writes a scalar plainly when YAML reads it back as the same
// string, else quoted.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if plain(x) {
			return x
		}
		return strconv.Quote(x)
	}
	panic(fmt.Sprintf("specgen: no YAML for %T", v))
}

// plain reports whether s can be written without quotes: YAML reads it
// back as the same string.
func plain(s string) bool {
	if s == "" || s[len(s)-1] == ' ' || s[len(s)-1] == ':' || strings.Contains(s, ": ") || strings.Contains(s, " #") {
		return false
	}
	if c := s[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '$' || c == '/') {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "false", "null", "yes", "no", "on", "off", "y", "n":
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(" _.,/()-'$@:{}`", c)
		if !ok {
			return false
		}
	}
	return true
}
