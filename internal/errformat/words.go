package errformat

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"

	"github.com/arklow/arklow-mock/internal/reqerr"
)

// statusTexts are the reason phrases of the statuses the mock answers
// with, as net/http spells them (this package does not import net/http).
var statusTexts = map[int]string{
	400: "Bad Request",
	401: "Unauthorized",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	406: "Not Acceptable",
	409: "Conflict",
	413: "Request Entity Too Large",
	415: "Unsupported Media Type",
	422: "Unprocessable Entity",
	429: "Too Many Requests",
	431: "Request Header Fields Too Large",
}

// statusText is the reason phrase of status; "Error" for one the table
// does not know.
func statusText(status int) string {
	if t, ok := statusTexts[status]; ok {
		return t
	}
	return "Error"
}

// synonyms are, for each code, the words an API's own error codes use for
// the same thing, most specific first. They choose among a documented
// enum ("VALIDATION_FAILED", "unauthenticated") and among named examples.
var synonyms = map[reqerr.Code][]string{
	reqerr.InvalidRequest:       {"validation_error", "validation", "invalid_request", "invalid_argument", "invalid_parameter", "invalid_input", "unprocessable", "bad_request", "invalid"},
	reqerr.InvalidJSON:          {"invalid_json", "malformed_json", "json_invalid", "malformed", "parse_error", "invalid_body", "validation", "bad_request", "invalid_request", "invalid"},
	reqerr.UnsupportedMediaType: {"unsupported_media_type", "media_type", "content_type", "unsupported"},
	reqerr.Unauthorized:         {"unauthorized", "unauthenticated", "not_authenticated", "authentication", "invalid_token", "missing_token", "invalid_credentials", "auth"},
	reqerr.ForbiddenHost:        {"forbidden", "permission_denied", "access_denied"},
	reqerr.NotFound:             {"not_found", "no_route", "unknown_path", "missing"},
	reqerr.MethodNotAllowed:     {"method_not_allowed", "not_allowed", "unsupported_method", "invalid_method"},
	reqerr.PayloadTooLarge:      {"payload_too_large", "request_too_large", "content_too_large", "entity_too_large", "too_large"},
	reqerr.HeadersTooLarge:      {"headers_too_large", "header_too_large", "too_large"},
	reqerr.UnknownScenario:      {"invalid_request", "bad_request", "invalid"},
	reqerr.UnknownResponse:      {"invalid_request", "bad_request", "invalid"},
}

// kindWords are the words for a missing value, the one problem kind the
// mock's messages tell apart.
var kindWords = []string{"missing", "required", "missing_field", "missing_parameter", "missing_value"}

// wordsFor lists what a value standing for code may say, most preferred
// first: value itself, the code's synonyms, the status text, the status.
func wordsFor(value string, code reqerr.Code, status int) []string {
	w := []string{value}
	if value == "missing" {
		w = append(w, kindWords...)
	}
	w = append(w, string(code))
	w = append(w, synonyms[code]...)
	return append(w, statusText(status), strconv.Itoa(status), "client_error", "error")
}

// pickWord chooses, among the string values of an enum, the one closest
// in meaning to words (most preferred first): one equal to a word
// (ignoring case and punctuation), else the shortest one containing a
// word or contained in it, else keep when the enum holds it (the example's
// value), else the first string of the enum.
func pickWord(enum []any, words []string, keep any) (any, bool) {
	var strs []string
	for _, v := range enum {
		if s, ok := v.(string); ok {
			strs = append(strs, s)
		}
	}
	if len(strs) == 0 {
		return nil, false
	}
	for _, w := range words {
		for _, s := range strs {
			if normalize(s) == normalize(w) {
				return s, true
			}
		}
	}
	for _, w := range words {
		nw := normalize(w)
		if len(nw) < 4 {
			continue // "auth" is the shortest word that says something
		}
		best := ""
		for _, s := range strs {
			ns := normalize(s)
			// The shortest match adds the fewest other words:
			// NOT_FOUND rather than AUTH_WORKSPACE_NOT_FOUND.
			if ns != "" && (strings.Contains(ns, nw) || strings.Contains(nw, ns)) && (best == "" || len(ns) < len(normalize(best))) {
				best = s
			}
		}
		if best != "" {
			return best, true
		}
	}
	if k, ok := keep.(string); ok {
		for _, s := range strs {
			if s == k {
				return s, true
			}
		}
	}
	return strs[0], true
}

// pickStatus chooses, among the numbers of an enum, status itself, else
// the nearest one of the same class (4xx), else keep when the enum holds
// it, else the first number.
func pickStatus(enum []any, status int, keep any) (any, bool) {
	var nums []int
	for _, v := range enum {
		if n, ok := asInt(v); ok {
			nums = append(nums, n)
		}
	}
	if len(nums) == 0 {
		return nil, false
	}
	best := -1
	for _, n := range nums {
		if n == status {
			return n, true
		}
		if n/100 == status/100 && (best < 0 || abs(n-status) < abs(best-status)) {
			best = n
		}
	}
	if best >= 0 {
		return best, true
	}
	if k, ok := asInt(keep); ok {
		for _, n := range nums {
			if n == k {
				return n, true
			}
		}
	}
	return nums[0], true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// asInt reads a decoded JSON number as an int.
func asInt(v any) (int, bool) {
	switch v := v.(type) {
	case json.Number:
		n, err := v.Int64()
		return int(n), err == nil
	case float64:
		return int(v), v == float64(int(v))
	case int:
		return v, true
	case int64:
		return int(v), true
	}
	return 0, false
}

// inStyle writes code the way the example writes its own codes:
// "INVALID_REQUEST" beside an example "NOT_FOUND", "invalid-request"
// beside "not-found", "invalidRequest" beside "notFound".
func inStyle(code string, example any) string {
	ex, ok := example.(string)
	if !ok || ex == "" || !strings.ContainsAny(code, "_") {
		return code
	}
	hasLower := strings.IndexFunc(ex, unicode.IsLower) >= 0
	hasUpper := strings.IndexFunc(ex, unicode.IsUpper) >= 0
	switch {
	case hasUpper && !hasLower:
		return strings.ToUpper(code)
	case strings.Contains(ex, "-") && !strings.Contains(ex, "_") && !hasUpper:
		return strings.ReplaceAll(code, "_", "-")
	case hasUpper && hasLower && !strings.ContainsAny(ex, "_- ") && unicode.IsLower(rune(ex[0])):
		parts := strings.Split(code, "_")
		for i := 1; i < len(parts); i++ {
			if parts[i] != "" {
				parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
			}
		}
		return strings.Join(parts, "")
	}
	return code
}

// truncate cuts s to at most max characters (code points, as JSON Schema
// counts them), ending with "…" when it cuts.
func truncate(s string, max int) string {
	if max < 0 {
		return s
	}
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	if max < 2 {
		return string(r[:max])
	}
	return string(r[:max-1]) + "…"
}
