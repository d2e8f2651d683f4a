// Package jsonptr spells JSON pointers (RFC 6901): a token escaped into a
// pointer and back, a pointer split into its tokens or joined from them,
// and the value a pointer names in plain JSON values.
package jsonptr

import (
	"strconv"
	"strings"
)

// Escape escapes one token: "~" becomes "~0" and "/" becomes "~1".
func Escape(tok string) string {
	if !strings.ContainsAny(tok, "~/") {
		return tok
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

// Unescape undoes Escape.
func Unescape(tok string) string {
	if !strings.Contains(tok, "~") {
		return tok
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}

// Join returns the pointer of the tokens: "/a/b~1c" for a, b/c; "" (the
// whole value) for none.
func Join(toks []string) string {
	var b strings.Builder
	for _, tok := range toks {
		b.WriteString("/" + Escape(tok))
	}
	return b.String()
}

// Split returns the unescaped tokens of ptr; none for "".
func Split(ptr string) []string {
	if ptr == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, t := range toks {
		toks[i] = Unescape(t)
	}
	return toks
}

// Lookup returns the value at ptr in v, a tree of plain JSON values
// (map[string]any and []any); false when ptr names nothing there.
func Lookup(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = Unescape(tok)
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}
