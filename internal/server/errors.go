package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/errformat"
	"github.com/arklow/arklow-mock/internal/reqerr"
)

// ErrItem is one entry of an envelope's errors.
type ErrItem = reqerr.Item

// writeError answers a refused request. It is the only writer of error
// bodies: the answer is rendered for the operation the request was routed
// to (nil before routing, and for the admin API).
func writeError(w http.ResponseWriter, op *apispec.Operation, err *reqerr.Error) {
	status, contentType, body := renderError(err, op)
	h := w.Header()
	if len(err.Allow) > 0 {
		h.Set("Allow", strings.Join(err.Allow, ", "))
	}
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// renderError renders err in the error format of the API being mocked:
// the operation's documented error response for the status (exact, else
// 4XX, else default; see package errformat), else the Arklow envelope,
// {"data": null, "errors": [{"code", "message"}]}, one entry per problem.
// The status of a validation failure follows the document too: 400 when
// it documents 400, else 422 when it documents 422.
func renderError(err *reqerr.Error, op *apispec.Operation) (status int, contentType string, body []byte) {
	var formats *errformat.Formats // none: the envelope
	if op != nil {
		formats = op.Errors()
	}
	status, contentType, body, ok := formats.Render(err)
	if ok {
		return status, contentType, body
	}
	return status, "application/json", encodeJSON(Envelope[any]{Errors: err.Items()})
}

// writeData answers an admin request: {"data": v, "errors": null}.
func writeData[T any](w http.ResponseWriter, v T) {
	writeJSON(w, http.StatusOK, Envelope[T]{Data: v})
}

// writeJSON writes v as one line of JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body := encodeJSON(v)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// encodeJSON encodes v and a newline. The values encoded here are the
// mock's own (envelopes, admin answers), which always encode.
func encodeJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("encoding the mock's own answer: " + err.Error())
	}
	return append(b, '\n')
}
