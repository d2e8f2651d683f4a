package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/arklow/arklow-mock/internal/apispec"
)

// Envelope codes the server produces itself (the rest come from apispec).
const (
	codeNotFound         = "not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codePayloadTooLarge  = "payload_too_large"
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
	writeJSON(w, status, envelope{Errors: errs})
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
