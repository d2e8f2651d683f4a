// Package reqcheck checks a request against the operation the spec
// documents for it, as the real API's middleware would: credentials,
// parameters, content type and encoding, JSON syntax and the body's schema.
// Every refusal is a *reqerr.Error, built where the problem is found; the
// server writes it. It reads the operation from apispec's model and
// validates with the schemas package schema compiled at load.
package reqcheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/schema"
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

// Validate checks a request against op: security, parameters,
// content type, JSON syntax and the body schema, and returns the decoded
// body (JSON values with numbers as json.Number, form fields, or the raw
// text; nil when there is none). Security, media-type and syntax failures
// stop early with their own code (401, 415, 400) as a real API's
// middleware would; parameter and body schema problems are all reported
// together.
func Validate(op *apispec.Operation, req Request) (body any, err *reqerr.Error) {
	if security := op.Security(); len(security) > 0 && !authorized(security, &req) {
		return nil, unauthorized(security)
	}
	var probs []reqerr.Problem
	if params := op.Parameters(); len(params) > 0 {
		probs = checkParams(probs, params, &req)
	}
	if rb := op.RequestBody(); rb != nil {
		v, bodyProbs, early := checkBody(rb, &req)
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

func authorized(security []apispec.Requirement, req *Request) bool {
	for _, alt := range security {
		ok := true
		for _, c := range alt {
			if !present(c, req) {
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

func present(c apispec.Credential, req *Request) bool {
	var v string
	switch c.In {
	case "header":
		v = req.Header.Get(c.Name)
	case "query":
		v = req.Query.Get(c.Name)
	case "cookie":
		v, _ = req.cookie(c.Name)
	}
	if c.Prefix != "" {
		if len(v) <= len(c.Prefix) || !strings.EqualFold(v[:len(c.Prefix)], c.Prefix) {
			return false
		}
		v = v[len(c.Prefix):]
	}
	return strings.TrimSpace(v) != ""
}

// unauthorized names what is missing. The credential's value is never
// echoed: only where it was expected.
func unauthorized(security []apispec.Requirement) *reqerr.Error {
	var probs []reqerr.Problem
	for _, c := range security[0] {
		p := reqerr.Problem{Location: c.In + "." + c.Label, Message: "missing or empty API key"}
		if c.Prefix != "" {
			p = reqerr.Problem{Location: "header.Authorization", Message: "missing " + strings.TrimSpace(c.Prefix) + " credentials"}
		}
		probs = append(probs, p)
	}
	if len(security) > 1 {
		alts := make([]string, len(security))
		for i, alt := range security {
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

func checkParams(probs []reqerr.Problem, params []*apispec.Parameter, req *Request) []reqerr.Problem {
	for _, p := range params {
		var raw []string
		switch p.In {
		case "path":
			if v, ok := req.Path[p.Name]; ok {
				raw = []string{v}
			}
		case "query":
			raw = req.Query[p.Name]
		case "header":
			raw = req.Header.Values(p.Name)
		case "cookie":
			if v, ok := req.cookie(p.Name); ok {
				raw = []string{v}
			}
		}
		loc := p.In + "." + p.Name
		if len(raw) == 0 {
			if p.Required {
				probs = append(probs, reqerr.Problem{Location: loc, Message: "is required"})
			}
			continue
		}
		if p.In == "query" && len(raw) > 1 && p.SingleValued() {
			// ?limit=5&limit=6: which one would the API take? It refuses.
			probs = append(probs, reqerr.Problem{Location: loc, Message: fmt.Sprintf("given %d times; it takes one value", len(raw))})
			continue
		}
		if p.Schema == nil {
			continue
		}
		v := p.Value(raw)
		probs = p.Schema.Problems(probs, loc, v)
	}
	return probs
}

// checkBody checks the content type, decodes and validates the body. early
// is set for failures that stop validation (415, malformed JSON).
func checkBody(rb *apispec.RequestBody, req *Request) (v any, probs []reqerr.Problem, early *reqerr.Error) {
	body := req.Body
	if len(body) == 0 {
		if rb.Required {
			return nil, []reqerr.Problem{{Location: "body", Message: "a request body is required"}}, nil
		}
		return nil, nil, nil
	}
	ct := req.Header.Get("Content-Type")
	mt := match(rb, ct)
	if mt == nil {
		return nil, nil, unsupported(rb, ct)
	}
	if err := identityEncoded(req.Header); err != nil {
		return nil, nil, err
	}
	switch {
	case mt.JSON:
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
	case mt.Form:
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, reqerr.New(reqerr.InvalidRequest, "body", "malformed form data: %v", err)
		}
		obj := make(map[string]any, len(form))
		for k, vals := range form {
			obj[k] = mt.FieldValue(k, vals[0])
		}
		v = obj
	case mt.Multipart:
		obj, err := multipartFields(mt, ct, body)
		if err != nil {
			return nil, nil, err
		}
		v = obj
	default:
		return string(body), nil, nil // other media types are accepted as they are
	}
	if mt.Schema != nil {
		probs = mt.Schema.Problems(nil, "body", v)
	}
	return v, probs, nil
}

// match finds the documented media type for a Content-Type header: exact,
// then type/*, then */*.
func match(rb *apispec.RequestBody, contentType string) *apispec.MediaType {
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
	var wild, any *apispec.MediaType
	for _, m := range rb.Media {
		switch m.Name {
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

func unsupported(rb *apispec.RequestBody, ct string) *reqerr.Error {
	names := make([]string, len(rb.Media))
	for i, m := range rb.Media {
		names[i] = m.Name
	}
	got := fmt.Sprintf("%q is not supported", ct)
	if ct == "" {
		got = "is missing"
	}
	return reqerr.New(reqerr.UnsupportedMediaType, "header.Content-Type", "%s; send %s", got, strings.Join(names, " or "))
}

// multipartFields reads a multipart/form-data body as an object: each
// part by its name, a file part as its content (text), a text part read
// as its property's schema expects; a name given several times is a list.
func multipartFields(mt *apispec.MediaType, contentType string, body []byte) (map[string]any, *reqerr.Error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["boundary"] == "" {
		return nil, reqerr.New(reqerr.InvalidRequest, "header.Content-Type", "multipart/form-data needs a boundary parameter")
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	obj := map[string]any{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return obj, nil
		}
		if err != nil {
			return nil, reqerr.New(reqerr.InvalidRequest, "body", "malformed multipart data: %v", err)
		}
		name := part.FormName()
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, reqerr.New(reqerr.InvalidRequest, "body", "malformed multipart data: %v", err)
		}
		var value any = string(data)
		if part.FileName() == "" {
			value = mt.FieldValue(name, string(data))
		}
		switch prev, seen := obj[name]; {
		case mt.FieldIsList(name):
			list, _ := prev.([]any)
			obj[name] = append(list, value)
		case !seen:
			obj[name] = value
		default: // given again: which one would the API take? Both, and the schema says
			if list, ok := prev.([]any); ok {
				obj[name] = append(list, value)
			} else {
				obj[name] = []any{prev, value}
			}
		}
	}
}
