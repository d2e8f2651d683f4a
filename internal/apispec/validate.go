package apispec

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Envelope error codes produced by request validation (DESIGN §4).
const (
	CodeInvalidRequest       = "invalid_request"
	CodeInvalidJSON          = "invalid_json"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeUnauthorized         = "unauthorized"
)

// Problem is one thing wrong with a request or a body.
type Problem struct {
	// Code is the envelope code, e.g. invalid_request.
	Code string
	// Message starts with the location: body.x, query.x, header.x, path.x.
	Message string
	// Pointer is the JSON pointer of the offending value within the body
	// (or parameter value), "" for the whole value.
	Pointer string
}

// RequestError rejects a request with an HTTP status and one problem per
// thing wrong with it.
type RequestError struct {
	Status   int
	Problems []Problem
}

func (e *RequestError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}

// Input is what validation learned about a request, in the plain values the
// scenario engine and fixture templates use.
type Input struct {
	// Body is the decoded body: JSON values (numbers as json.Number), or
	// form fields, or the raw text; nil when there is none.
	Body any
	// Query is the parsed query string.
	Query url.Values
}

// Validate checks r, whose body has already been read into body, against
// the operation: security, parameters, content type, JSON syntax and the
// body schema. Security, media-type and syntax failures stop early with
// their own status (401, 415, 400) as a real API's middleware would;
// parameter and body schema problems are all reported together.
func (op *Operation) Validate(r *http.Request, pathParams map[string]string, body []byte) (Input, error) {
	var in Input
	if len(op.security) > 0 && !op.authorized(r) {
		return in, op.unauthorized()
	}
	var probs []Problem
	if len(op.params) > 0 {
		in.Query = r.URL.Query()
		probs = op.checkParams(probs, r, pathParams, in.Query)
	}
	if op.body != nil {
		v, bodyProbs, early := op.checkBody(r, body)
		if early != nil {
			return in, early
		}
		in.Body = v
		probs = append(probs, bodyProbs...)
	}
	if len(probs) > 0 {
		return in, &RequestError{Status: http.StatusBadRequest, Problems: probs}
	}
	return in, nil
}

func (op *Operation) authorized(r *http.Request) bool {
	for _, alt := range op.security {
		ok := true
		for _, c := range alt {
			if !c.present(r) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func (c credential) present(r *http.Request) bool {
	var v string
	switch c.in {
	case "header":
		v = r.Header.Get(c.name)
	case "query":
		v = r.URL.Query().Get(c.name)
	case "cookie":
		if ck, err := r.Cookie(c.name); err == nil {
			v = ck.Value
		}
	}
	if c.prefix != "" {
		if len(v) <= len(c.prefix) || !strings.EqualFold(v[:len(c.prefix)], c.prefix) {
			return false
		}
		v = v[len(c.prefix):]
	}
	return strings.TrimSpace(v) != ""
}

// unauthorized names what is missing. The credential's value is never
// echoed: only where it was expected.
func (op *Operation) unauthorized() error {
	var probs []Problem
	for _, c := range op.security[0] {
		msg := c.in + "." + c.label + ": missing or empty API key"
		if c.prefix != "" {
			msg = "header.Authorization: missing " + strings.TrimSpace(c.prefix) + " credentials"
		}
		probs = append(probs, Problem{Code: CodeUnauthorized, Message: msg})
	}
	if len(op.security) > 1 {
		alts := make([]string, len(op.security))
		for i, alt := range op.security {
			parts := make([]string, len(alt))
			for j, c := range alt {
				parts[j] = c.String()
			}
			alts[i] = strings.Join(parts, " and ")
		}
		probs = []Problem{{Code: CodeUnauthorized, Message: "missing credentials: send one of " + strings.Join(alts, "; or ")}}
	}
	return &RequestError{Status: http.StatusUnauthorized, Problems: probs}
}

func (op *Operation) checkParams(probs []Problem, r *http.Request, pathParams map[string]string, query url.Values) []Problem {
	for _, p := range op.params {
		var raw []string
		switch p.in {
		case "path":
			if v, ok := pathParams[p.name]; ok {
				raw = []string{v}
			}
		case "query":
			raw = query[p.name]
		case "header":
			raw = r.Header.Values(p.name)
		case "cookie":
			if ck, err := r.Cookie(p.name); err == nil {
				raw = []string{ck.Value}
			}
		}
		loc := p.in + "." + p.name
		if len(raw) == 0 {
			if p.required {
				probs = append(probs, Problem{Code: CodeInvalidRequest, Message: loc + ": is required"})
			}
			continue
		}
		if p.in == "query" && len(raw) > 1 && p.kind != kindArray && p.kind != kindObject {
			// ?limit=5&limit=6: which one would the API take? It refuses.
			probs = append(probs, Problem{Code: CodeInvalidRequest, Message: fmt.Sprintf("%s: given %d times; it takes one value", loc, len(raw))})
			continue
		}
		if p.schema == nil {
			continue
		}
		v := p.coerce(raw)
		probs = schemaProblems(probs, loc, v, validate(p.schema, v))
	}
	return probs
}

// coerce turns a parameter's text into the JSON value its schema expects.
// Text that does not parse stays a string, so the schema reports the type.
func (p *parameter) coerce(raw []string) any {
	switch p.kind {
	case kindArray:
		var parts []string
		if p.explode || len(raw) > 1 {
			parts = raw
		} else {
			parts = strings.Split(raw[0], arraySep(p.style))
		}
		out := make([]any, len(parts))
		for i, s := range parts {
			out[i] = coerceScalar(p.item, s)
		}
		return out
	case kindObject:
		return raw[0] // objects in parameters are not decoded; the schema reports it
	}
	return coerceScalar(p.kind, raw[0])
}

func arraySep(style string) string {
	switch style {
	case "spaceDelimited":
		return " "
	case "pipeDelimited":
		return "|"
	}
	return ","
}

// coerceScalar reads a parameter's text as the JSON type k. A number must
// be written as JSON writes one: "+5", "007", "Inf" or "0x10" stay strings
// (and so fail a numeric schema), as a real API's parser would refuse them.
func coerceScalar(k valueKind, s string) any {
	switch k {
	case kindInteger, kindNumber:
		if v := jsontext.Value(s); v.Kind() == '0' && v.IsValid() {
			return json.Number(s)
		}
	case kindBoolean:
		if b, err := strconv.ParseBool(s); err == nil && (s == "true" || s == "false") {
			return b
		}
	}
	return s
}

// checkBody checks the content type, decodes and validates the body. early
// is set for failures that stop validation (415, malformed JSON).
func (op *Operation) checkBody(r *http.Request, body []byte) (v any, probs []Problem, early error) {
	if len(body) == 0 {
		if op.body.required {
			return nil, []Problem{{Code: CodeInvalidRequest, Message: "body: a request body is required"}}, nil
		}
		return nil, nil, nil
	}
	ct := r.Header.Get("Content-Type")
	mt := op.body.match(ct)
	if mt == nil {
		return nil, nil, op.unsupported(ct)
	}
	if err := identityEncoded(r.Header); err != nil {
		return nil, nil, err
	}
	switch {
	case mt.json:
		decoded, err := DecodeJSON(body)
		if err != nil {
			loc := "body"
			var je *JSONError
			if errors.As(err, &je) {
				toks := pointerTokens(je.pointer())
				if n := len(toks); n > maxLocationDepth { // a hostile nesting would make the message megabytes
					toks = append(toks[:maxLocationDepth:maxLocationDepth], fmt.Sprintf("…(%d levels deeper)", n-maxLocationDepth))
				}
				loc = location("body", nil, toks)
			}
			return nil, nil, &RequestError{Status: http.StatusBadRequest, Problems: []Problem{{Code: CodeInvalidJSON, Message: loc + ": " + err.Error()}}}
		}
		v = decoded
	case mt.form:
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, &RequestError{Status: http.StatusBadRequest, Problems: []Problem{{Code: CodeInvalidRequest, Message: "body: malformed form data: " + err.Error()}}}
		}
		obj := make(map[string]any, len(form))
		for k, vals := range form {
			obj[k] = coerceScalar(mt.props[k], vals[0])
		}
		v = obj
	default:
		return string(body), nil, nil // other media types are accepted as they are
	}
	if mt.schema != nil {
		probs = schemaProblems(nil, "body", v, validate(mt.schema, v))
	}
	return v, probs, nil
}

// match finds the documented media type for a Content-Type header: exact,
// then type/*, then */*.
func (rb *requestBody) match(contentType string) *mediaType {
	if contentType == "" {
		return nil
	}
	base := contentType
	if i := strings.IndexByte(base, ';'); i >= 0 {
		base = base[:i]
	}
	base = strings.ToLower(strings.TrimSpace(base))
	if !strings.Contains(base, "/") {
		return nil
	}
	typ, _, _ := strings.Cut(base, "/")
	var wild, any *mediaType
	for _, m := range rb.media {
		switch m.name {
		case base:
			return m
		case typ + "/*":
			wild = m
		case "*/*":
			any = m
		}
	}
	if wild != nil {
		return wild
	}
	return any
}

// maxLocationDepth bounds the levels an error's location spells out.
const maxLocationDepth = 16

// identityEncoded refuses a body sent with a Content-Encoding (gzip, br,
// …): the API takes bodies as they are (RFC 9110 §15.5.16: 415), and
// reading compressed bytes as JSON would only say "invalid JSON".
func identityEncoded(h http.Header) error {
	for _, v := range h["Content-Encoding"] {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
				return &RequestError{Status: http.StatusUnsupportedMediaType, Problems: []Problem{{
					Code:    CodeUnsupportedMediaType,
					Message: fmt.Sprintf("header.Content-Encoding: %q bodies are not accepted; send the body uncompressed", c),
				}}}
			}
		}
	}
	return nil
}

func (op *Operation) unsupported(ct string) error {
	names := make([]string, len(op.body.media))
	for i, m := range op.body.media {
		names[i] = m.name
	}
	got := fmt.Sprintf("%q is not supported", ct)
	if ct == "" {
		got = "is missing"
	}
	return &RequestError{Status: http.StatusUnsupportedMediaType, Problems: []Problem{{
		Code:    CodeUnsupportedMediaType,
		Message: "header.Content-Type: " + got + "; send " + strings.Join(names, " or "),
	}}}
}

// pointerTokens splits a JSON pointer into unescaped tokens.
func pointerTokens(ptr string) []string {
	if ptr == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, t := range toks {
		toks[i] = unescapePointer(t)
	}
	return toks
}
