package server

import (
	"strconv"
	"strings"
)

// prefer holds the preferences the mock honours from Prefer headers
// (RFC 7240): scenario=NAME, and Prism's code=N, example=NAME, dynamic=true.
type prefer struct {
	scenario string
	code     int
	example  string
	dynamic  bool
}

// any reports whether a preference changes how the answer is chosen.
func (p prefer) any() bool { return p.code != 0 || p.example != "" || p.dynamic }

// parsePrefer reads every Prefer header. Unknown preferences are ignored,
// as RFC 7240 asks; "key=value; param" keeps only key=value.
func parsePrefer(headers []string) prefer {
	var p prefer
	for _, h := range headers {
		for _, tok := range strings.Split(h, ",") {
			tok, _, _ = strings.Cut(tok, ";")
			k, v, _ := strings.Cut(strings.TrimSpace(tok), "=")
			v = strings.Trim(strings.TrimSpace(v), `"`)
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "scenario":
				p.scenario = v
			case "code":
				p.code, _ = strconv.Atoi(v)
			case "example":
				p.example = v
			case "dynamic":
				p.dynamic = v == "" || strings.EqualFold(v, "true")
			}
		}
	}
	return p
}
