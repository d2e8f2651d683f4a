package errformat

import (
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/reqerr"
)

// place is a problem's location taken apart, in every form an error
// format may want it.
type place struct {
	in       string // body, query, header, path or cookie; "" for the whole request
	name     string // "device_id", "items[0].name", "limit", "x-api-key"; "" for a whole body
	full     string // "body.device_id", as the location reads
	segments []any  // ["body", "items", 0, "name"]: indices as ints (FastAPI's loc)
	pointer  string // the JSON pointer in the body, "/items/0/name"; "" for other places
}

// placeOf takes a problem's location apart. Locations read in.name, with
// .key and [index] after it for a value within a body or parameter.
func placeOf(p reqerr.Problem) place {
	pl := place{full: p.Location}
	if p.Location == "" {
		return pl
	}
	in, rest, _ := strings.Cut(p.Location, ".")
	if i := strings.IndexByte(in, '['); i >= 0 { // "body[0]": a top-level array
		in, rest = in[:i], in[i:]
	}
	pl.in = in
	pl.name = rest
	pl.segments = []any{in}
	if in == "body" {
		pl.segments = append(pl.segments, splitPath(rest)...)
		pl.pointer = p.Pointer
		if pl.pointer == "" && rest != "" {
			pl.pointer = pointerOf(pl.segments[1:])
		}
		return pl
	}
	// A parameter's name may hold dots ("filter.name"): only [n] indices
	// follow it.
	name := rest
	var idx []any
	if i := strings.IndexByte(rest, '['); i > 0 {
		name = rest[:i]
		idx = splitPath(rest[i:])
	}
	pl.name = name
	if name != "" {
		pl.segments = append(pl.segments, name)
	}
	pl.segments = append(pl.segments, idx...)
	return pl
}

// splitPath splits "items[0].name" into "items", 0, "name".
func splitPath(s string) []any {
	var out []any
	for s != "" {
		switch s[0] {
		case '.':
			s = s[1:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return append(out, s)
			}
			if n, err := strconv.Atoi(s[1:end]); err == nil {
				out = append(out, n)
			} else {
				out = append(out, s[1:end])
			}
			s = s[end+1:]
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			out = append(out, s[:end])
			s = s[end:]
		}
	}
	return out
}

// pointerOf joins path segments into a JSON pointer.
func pointerOf(segs []any) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		switch s := s.(type) {
		case int:
			b.WriteString(strconv.Itoa(s))
		case string:
			b.WriteString(jsonptr.Escape(s))
		}
	}
	return b.String()
}

// kindOf is a problem's short kind: "missing" for a required value that
// is absent; for FastAPI-shaped items (pydantic), "json_invalid" and
// "value_error"; else the error's code.
func kindOf(p reqerr.Problem, code reqerr.Code, pydantic bool) string {
	switch {
	case p.Message == "is required" || strings.HasPrefix(p.Message, "missing "):
		return "missing"
	case pydantic && code == reqerr.InvalidJSON:
		return "json_invalid"
	case pydantic && code == reqerr.InvalidRequest:
		return "value_error"
	}
	return string(code)
}
