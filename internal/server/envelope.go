package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/arklow/arklow-mock/internal/apispec"

	"github.com/go-json-experiment/json/jsontext"
)

// Envelope codes the server produces itself (the rest come from apispec).
const (
	codeNotFound         = "not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codePayloadTooLarge  = "payload_too_large"
	codeHeadersTooLarge  = "headers_too_large"
	codeUnknownScenario  = "unknown_scenario"
	codeInternal         = "internal"
	codeUnknownResponse  = "unknown_response"
)

// apiError is one entry of the envelope's errors list.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type envelope struct {
	Data   any        `json:"data"`
	Errors []apiError `json:"errors"`
}

// writeErrors answers with the API's own error envelope: data null and one
// entry per problem.
func writeErrors(w http.ResponseWriter, status int, errs ...apiError) {
	info(w).problems = errs
	out := bodyPool.Get().(*[]byte)
	b := appendErrors((*out)[:0], errs)
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	w.Write(b)
	putBody(out, b)
}

// appendErrors appends the envelope {"data":null,"errors":[…]} and a
// newline: what json.Marshal of an envelope writes, without reflection on
// the path every rejected request takes.
func appendErrors(b []byte, errs []apiError) []byte {
	b = append(b, `{"data":null,"errors":[`...)
	for i, e := range errs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b, _ = jsontext.AppendQuote(b, e.Code) // invalid UTF-8 becomes U+FFFD, as with encoding/json
		b = append(b, `,"message":`...)
		b, _ = jsontext.AppendQuote(b, e.Message)
		b = append(b, '}')
	}
	return append(b, "]}\n"...)
}

func writeProblems(w http.ResponseWriter, status int, probs []apispec.Problem) {
	errs := make([]apiError, len(probs))
	for i, p := range probs {
		errs[i] = apiError{Code: p.Code, Message: p.Message}
	}
	writeErrors(w, status, errs...)
}

// writeData answers an admin request: {"data": v, "errors": null}.
func writeData(w http.ResponseWriter, status int, v any) {
	writeJSON(w, status, envelope{Data: v})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"data":null,"errors":[{"code":"internal","message":"the mock could not encode its answer"}]}`)
	}
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(b) + 1)}
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
