package apispec

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/go-json-experiment/json/jsontext"
)

// Request is what validation reads of an HTTP request: its headers, its
// query (parsed once, by the caller), its path parameters and its body,
// already read.
type Request struct {
	Header http.Header
	Query  url.Values
	Path   map[string]string
	Body   []byte
}

// cookie returns the value of the named cookie of h.
func (req *Request) cookie(name string) (string, bool) {
	c, err := (&http.Request{Header: req.Header}).Cookie(name) // net/http's lenient cookie reading
	if err != nil {
		return "", false
	}
	return c.Value, true
}

// Validate checks a request against the operation: security, parameters,
// content type, JSON syntax and the body schema, and returns the decoded
// body (JSON values with numbers as json.Number, form fields, or the raw
// text; nil when there is none). Security, media-type and syntax failures
// stop early with their own code (401, 415, 400) as a real API's
// middleware would; parameter and body schema problems are all reported
// together.
func (op *Operation) Validate(req Request) (body any, err *reqerr.Error) {
	if len(op.security) > 0 && !op.authorized(&req) {
		return nil, op.unauthorized()
	}
	var probs []reqerr.Problem
	if len(op.params) > 0 {
		probs = op.checkParams(probs, &req)
	}
	if op.body != nil {
		v, bodyProbs, early := op.checkBody(&req)
		if early != nil {
			return nil, early
		}
		body = v
		probs = append(probs, bodyProbs...)
	}
	if len(probs) > 0 {
		return body, &reqerr.Error{Code: reqerr.InvalidRequest, Problems: probs}
	}
	return body, nil
}

func (op *Operation) authorized(req *Request) bool {
	for _, alt := range op.security {
		ok := true
		for _, c := range alt {
			if !c.present(req) {
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

func (c credential) present(req *Request) bool {
	var v string
	switch c.in {
	case "header":
		v = req.Header.Get(c.name)
	case "query":
		v = req.Query.Get(c.name)
	case "cookie":
		v, _ = req.cookie(c.name)
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
func (op *Operation) unauthorized() *reqerr.Error {
	var probs []reqerr.Problem
	for _, c := range op.security[0] {
		p := reqerr.Problem{Location: c.in + "." + c.label, Message: "missing or empty API key"}
		if c.prefix != "" {
			p = reqerr.Problem{Location: "header.Authorization", Message: "missing " + strings.TrimSpace(c.prefix) + " credentials"}
		}
		probs = append(probs, p)
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
		probs = []reqerr.Problem{{Message: "missing credentials: send one of " + strings.Join(alts, "; or ")}}
	}
	return &reqerr.Error{Code: reqerr.Unauthorized, Problems: probs}
}

func (op *Operation) checkParams(probs []reqerr.Problem, req *Request) []reqerr.Problem {
	for _, p := range op.params {
		var raw []string
		switch p.in {
		case "path":
			if v, ok := req.Path[p.name]; ok {
				raw = []string{v}
			}
		case "query":
			raw = req.Query[p.name]
		case "header":
			raw = req.Header.Values(p.name)
		case "cookie":
			if v, ok := req.cookie(p.name); ok {
				raw = []string{v}
			}
		}
		loc := p.in + "." + p.name
		if len(raw) == 0 {
			if p.required {
				probs = append(probs, reqerr.Problem{Location: loc, Message: "is required"})
			}
			continue
		}
		if p.in == "query" && len(raw) > 1 && p.kind != kindArray && p.kind != kindObject {
			// ?limit=5&limit=6: which one would the API take? It refuses.
			probs = append(probs, reqerr.Problem{Location: loc, Message: fmt.Sprintf("given %d times; it takes one value", len(raw))})
			continue
		}
		if p.schema == nil {
			continue
		}
		v := p.coerce(raw)
		probs = p.schema.Problems(probs, loc, v)
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
func (op *Operation) checkBody(req *Request) (v any, probs []reqerr.Problem, early *reqerr.Error) {
	body := req.Body
	if len(body) == 0 {
		if op.body.required {
			return nil, []reqerr.Problem{{Location: "body", Message: "a request body is required"}}, nil
		}
		return nil, nil, nil
	}
	ct := req.Header.Get("Content-Type")
	mt := op.body.match(ct)
	if mt == nil {
		return nil, nil, op.unsupported(ct)
	}
	if err := identityEncoded(req.Header); err != nil {
		return nil, nil, err
	}
	switch {
	case mt.json:
		decoded, err := schema.DecodeJSON(body)
		if err != nil {
			loc := "body"
			var je *schema.JSONError
			if errors.As(err, &je) {
				loc = je.Location("body")
			}
			return nil, nil, &reqerr.Error{Code: reqerr.InvalidJSON, Problems: []reqerr.Problem{{Location: loc, Message: err.Error()}}}
		}
		v = decoded
	case mt.form:
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, reqerr.New(reqerr.InvalidRequest, "body", "malformed form data: %v", err)
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
		probs = mt.schema.Problems(nil, "body", v)
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

// identityEncoded refuses a body sent with a Content-Encoding (gzip, br,
// …): the API takes bodies as they are (RFC 9110 §15.5.16: 415), and
// reading compressed bytes as JSON would only say "invalid JSON".
func identityEncoded(h http.Header) *reqerr.Error {
	for _, v := range h["Content-Encoding"] {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
				return reqerr.New(reqerr.UnsupportedMediaType, "header.Content-Encoding", "%q bodies are not accepted; send the body uncompressed", c)
			}
		}
	}
	return nil
}

func (op *Operation) unsupported(ct string) *reqerr.Error {
	names := make([]string, len(op.body.media))
	for i, m := range op.body.media {
		names[i] = m.name
	}
	got := fmt.Sprintf("%q is not supported", ct)
	if ct == "" {
		got = "is missing"
	}
	return reqerr.New(reqerr.UnsupportedMediaType, "header.Content-Type", "%s; send %s", got, strings.Join(names, " or "))
}
