package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/scenario"
)

// prefer holds the preferences the mock honours from Prefer headers
// (RFC 7240): scenario=NAME and delay=800 (its own), and Prism's code=N,
// example=NAME and dynamic=true.
type prefer struct {
	scenario string
	code     int
	example  string
	dynamic  bool
	delay    time.Duration
	hasDelay bool
}

// parsePrefer reads every Prefer header. Unknown preferences are ignored,
// as RFC 7240 asks; "key=value; param" keeps only key=value. A delay the
// mock cannot read is an error: the request asked for something it would
// not get.
func parsePrefer(headers []string) (prefer, *reqerr.Error) {
	var p prefer
	for _, h := range headers {
		for _, tok := range strings.Split(h, ",") {
			k, v := preferToken(tok)
			switch k {
			case "scenario":
				p.scenario = v
			case "code":
				p.code, _ = strconv.Atoi(v)
			case "example":
				p.example = v
			case "dynamic":
				p.dynamic = v == "" || strings.EqualFold(v, "true")
			case "delay":
				d, err := parseDelay(v)
				if err != nil {
					return p, err
				}
				p.delay, p.hasDelay = d, true
			}
		}
	}
	return p, nil
}

// mockPreferences are the preferences parsePrefer honours: meant for the
// mock, not for the real API it may forward to.
var mockPreferences = map[string]bool{"scenario": true, "delay": true, "code": true, "example": true, "dynamic": true}

// preferToken reads one preference of a Prefer header: its key, lower
// case, and its value unquoted; "key=value; param" keeps only key=value.
func preferToken(tok string) (key, value string) {
	tok, _, _ = strings.Cut(tok, ";")
	k, v, _ := strings.Cut(strings.TrimSpace(tok), "=")
	return strings.ToLower(strings.TrimSpace(k)), strings.Trim(strings.TrimSpace(v), `"`)
}

// parseDelay reads delay=800 (milliseconds) or delay=1.5s (a Go duration),
// up to the longest delay a scenario may ask for.
func parseDelay(v string) (time.Duration, *reqerr.Error) {
	d, err := time.ParseDuration(v)
	if ms, numErr := strconv.ParseUint(v, 10, 32); numErr == nil {
		d, err = time.Duration(ms)*time.Millisecond, nil
	}
	switch {
	case err != nil || d < 0:
		return 0, reqerr.New(reqerr.InvalidRequest, "header.Prefer", "delay=%q is not milliseconds (delay=800) or a duration (delay=1.5s)", v)
	case d > scenario.MaxDelay:
		return 0, reqerr.New(reqerr.InvalidRequest, "header.Prefer", "delay=%s is longer than the %s maximum", v, scenario.MaxDelay)
	}
	return d, nil
}
