package upstream

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/schema"
)

// Drift is one way an answer of the real API breaks the document.
type Drift struct {
	// Code is the kind of problem: one of the Drift* constants.
	Code string `json:"code"`
	// Message says what is wrong; body and header problems start with
	// their location (body.data.id, header.X-Total-Count).
	Message string `json:"message"`
}

// The kinds of drift.
const (
	DriftStatus         = "undocumented_status" // no response documents the status
	DriftMediaType      = "media_type"          // the Content-Type is not a documented media type
	DriftMissingBody    = "missing_body"        // the response documents a body; the answer has none
	DriftUnexpectedBody = "unexpected_body"     // the response documents no body; the answer has one
	DriftInvalidJSON    = "invalid_json"        // a JSON media type, but not JSON
	DriftSchema         = "schema"              // the body breaks the documented schema
	DriftHeader         = "header"              // a documented header is missing or breaks its schema
)

// Check lists the ways an answer to a method request for op breaks the
// document: a status no response documents (then nothing else is
// checked: no response says what to expect), and against the response
// that documents it (by code, range or "default"), the required and
// documented headers, the media type and the body's schema. An answer
// that keeps to the document has no drift.
func Check(op *apispec.Operation, method string, a *Answer) []Drift {
	resp := op.Response(a.Status)
	if resp == nil {
		return []Drift{{DriftStatus, fmt.Sprintf("status %d is not documented for %s (documented: %s)", a.Status, op.Key, documented(op))}}
	}
	var out []Drift
	for _, p := range resp.ValidateHeaders(func(name string) (string, bool) {
		v := a.Header.Values(name)
		if len(v) == 0 {
			return "", false
		}
		return v[0], true
	}) {
		out = append(out, Drift{DriftHeader, p.Message})
	}
	if method == http.MethodHead || a.Status < 200 || a.Status == http.StatusNoContent || a.Status == http.StatusNotModified {
		return out // no body, whatever the response documents
	}
	ct := a.Header.Get("Content-Type")
	documentedTypes := resp.MediaTypes()
	switch {
	case len(documentedTypes) == 0 && len(a.Body) > 0:
		return append(out, Drift{DriftUnexpectedBody, fmt.Sprintf("the %s response of %s documents no body; the answer has %d bytes (Content-Type %q)", resp.Code, op.Key, len(a.Body), ct)})
	case len(documentedTypes) == 0:
		return out
	case len(a.Body) == 0:
		return append(out, Drift{DriftMissingBody, fmt.Sprintf("the %s response of %s documents a body (%s); the answer has none", resp.Code, op.Key, strings.Join(documentedTypes, ", "))})
	}
	mt, ok := resp.AcceptsMediaType(ct)
	if !ok {
		what := fmt.Sprintf("Content-Type %q", ct)
		if ct == "" {
			what = "no Content-Type"
		}
		return append(out, Drift{DriftMediaType, fmt.Sprintf("the answer has %s; the %s response of %s documents %s", what, resp.Code, op.Key, strings.Join(documentedTypes, ", "))})
	}
	if !resp.HasSchema() || !strings.EqualFold(mt, resp.ContentType) && !strings.Contains(resp.ContentType, "*") {
		return out // the schema is the one of another documented media type
	}
	var body any = string(a.Body)
	if apispec.IsJSON(mt) {
		v, err := schema.DecodeJSON(a.Body)
		if err != nil {
			return append(out, Drift{DriftInvalidJSON, "body: " + err.Error()})
		}
		body = v
	}
	for _, p := range resp.Validate(body) {
		out = append(out, Drift{DriftSchema, p.String()})
	}
	return out
}

func documented(op *apispec.Operation) string {
	if codes := op.DocumentedCodes(); codes != "" {
		return codes
	}
	return "none"
}
