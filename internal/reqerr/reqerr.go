// Package reqerr is the mock's one model of a refused request: a code,
// the HTTP status that code stands for, and one problem per thing wrong.
// The layer that finds a problem builds the error; the server writes it,
// in one place, in the error format of the API being mocked.
package reqerr

import (
	"fmt"
	"strings"
)

// Code names why a request was refused, as the Arklow envelope's
// errors[].code says it (DESIGN §4).
type Code string

// The codes the mock answers with.
const (
	InvalidRequest       Code = "invalid_request"        // a schema or parameter rule is broken
	InvalidJSON          Code = "invalid_json"           // the body is not JSON
	UnsupportedMediaType Code = "unsupported_media_type" // Content-Type or Content-Encoding not accepted
	Unauthorized         Code = "unauthorized"           // a credential is missing
	ForbiddenHost        Code = "forbidden_host"         // the Host is not local or listed (DNS rebinding)
	NotFound             Code = "not_found"              // no operation is documented for the path
	MethodNotAllowed     Code = "method_not_allowed"     // the path documents other methods
	PayloadTooLarge      Code = "payload_too_large"      // the body is over the limit
	HeadersTooLarge      Code = "headers_too_large"      // the header block is over the limit
	UnknownScenario      Code = "unknown_scenario"       // a scenario name names none
	UnknownResponse      Code = "unknown_response"       // Prefer asks for a response nothing documents
	Internal             Code = "internal"               // the mock failed; see its log
	UpstreamUnavailable  Code = "upstream_unavailable"   // the real API (--upstream) gave no usable answer
	UpstreamTimeout      Code = "upstream_timeout"       // the real API did not answer within --upstream-timeout
)

// statuses is the one table from code to HTTP status. (Numbers, not
// net/http's names: this package is a leaf that the journal uses too.)
var statuses = map[Code]int{
	InvalidRequest:       400,
	InvalidJSON:          400,
	UnsupportedMediaType: 415,
	Unauthorized:         401,
	ForbiddenHost:        403,
	NotFound:             404,
	MethodNotAllowed:     405,
	PayloadTooLarge:      413,
	HeadersTooLarge:      431,
	UnknownScenario:      400,
	UnknownResponse:      400,
	Internal:             500,
	UpstreamUnavailable:  502,
	UpstreamTimeout:      504,
}

// Status is the HTTP status the code answers with; 500 for a code the
// table does not know, which is a bug in the mock.
func (c Code) Status() int {
	if s, ok := statuses[c]; ok {
		return s
	}
	return 500
}

// Problem is one thing wrong with a request.
type Problem struct {
	// Location is where: body.device_id, query.limit, header.Content-Type,
	// path.id; "" when the problem concerns the request as a whole.
	Location string
	// Message says what is wrong, without the location.
	Message string
	// Pointer is the JSON pointer of the offending value within the body
	// or parameter the location names; "" for the whole value.
	Pointer string
}

// String is the problem as messages show it: "location: message".
func (p Problem) String() string {
	if p.Location == "" {
		return p.Message
	}
	return p.Location + ": " + p.Message
}

// Error is a refused request.
type Error struct {
	Code     Code
	Problems []Problem
	// Allow lists the methods the path documents (method_not_allowed).
	Allow []string
}

// New returns an error with one problem.
func New(code Code, location, format string, args ...any) *Error {
	return &Error{Code: code, Problems: []Problem{{Location: location, Message: fmt.Sprintf(format, args...)}}}
}

// Status is the HTTP status the error answers with.
func (e *Error) Status() int { return e.Code.Status() }

// Error joins the problems, for logs and tests.
func (e *Error) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.String()
	}
	return strings.Join(msgs, "; ")
}

// Item is one problem as the Arklow envelope and the journal show it.
type Item struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// Items lists the problems as envelope entries, each with the error's code.
func (e *Error) Items() []Item {
	items := make([]Item, len(e.Problems))
	for i, p := range e.Problems {
		items[i] = Item{Code: e.Code, Message: p.String()}
	}
	return items
}
