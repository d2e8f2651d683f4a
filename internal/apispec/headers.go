package apispec

import (
	"fmt"
	"maps"
	"net/textproto"
	"slices"
	"strings"

	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/sample"
	"github.com/getkin/kin-openapi/openapi3"
)

// responseHeader is a header a response documents.
type responseHeader struct {
	param Parameter // name (canonical), required, kind and schema, as for a simple-style header parameter
	value string    // the spec's own value: its example, else one generated from the schema
}

// HeaderValue is a documented header with the value the spec gives it.
type HeaderValue struct {
	Name  string // canonical
	Value string
}

// HeaderProblem is a documented response header an answer breaks.
type HeaderProblem struct {
	Header  string // canonical name
	Message string // starts with header.Name
}

// Headers returns the documented headers with the spec's values for them,
// sorted by name: what the mock sends when the spec answers.
func (r *Response) Headers() []HeaderValue { return r.headerValues }

// ValidateHeaders checks an answer's headers against the documented ones:
// a required header must be present and a present one must match its
// schema. get returns a header's value by canonical name.
func (r *Response) ValidateHeaders(get func(name string) (string, bool)) []HeaderProblem {
	var out []HeaderProblem
	for _, h := range r.headers {
		p := &h.param
		loc := "header." + p.Name
		v, ok := get(p.Name)
		if !ok {
			if p.Required {
				out = append(out, HeaderProblem{p.Name, fmt.Sprintf("%s: is required by the %s response", loc, r.Code)})
			}
			continue
		}
		if p.Schema == nil {
			continue
		}
		val := p.Value([]string{v})
		for _, prob := range p.Schema.Problems(nil, loc, val) {
			out = append(out, HeaderProblem{p.Name, prob.String()})
		}
	}
	return out
}

// framing headers are the server's to set: OpenAPI says a documented
// Content-Type header is ignored, and a length or encoding taken from the
// spec would break the answer.
var framing = map[string]bool{"Content-Type": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true}

// prepareHeaders reads the response's documented headers, but not the
// framing ones.
func (b *builder) prepareHeaders(r *Response, resp *openapi3.Response, file, ptr string, op *Operation) {
	for _, name := range slices.Sorted(maps.Keys(resp.Headers)) {
		ref := resp.Headers[name]
		canonical := textproto.CanonicalMIMEHeaderKey(name)
		if ref == nil || ref.Value == nil || framing[canonical] {
			continue
		}
		h := &ref.Value.Parameter
		hf, hp := b.locate(file, ref.Ref, ptr+"/headers/"+jsonptr.Escape(name))
		rh := &responseHeader{param: Parameter{Name: canonical, In: "header", Required: h.Required, Style: "simple"}}
		var example any = h.Example
		if h.Schema != nil && h.Schema.Value != nil {
			rh.param.readAs(h.Schema.Value)
			sf, sp := hf, hp+"/schema" // where it is written: the compiler follows a $ref, with its siblings
			rh.param.Schema = b.compile(sf, sp)
			if example == nil {
				if v, err := sample.Value(h.Schema); err == nil {
					example = v
				}
			}
		}
		rh.value = paramValues(example, false)[0] // simple style: one value, an array's items joined by commas
		if rh.param.Schema != nil {
			val := rh.param.Value([]string{rh.value})
			if probs := rh.param.Schema.Problems(nil, "header."+rh.param.Name, val); len(probs) > 0 {
				line := r.Line
				if raw := b.rawOf(hf); raw != nil {
					line = raw.Line(hp)
				}
				b.diags.Warn(hf, line, "%s %s: the spec's value for header %s does not match its schema: %s", op.Key, r.Code, rh.param.Name, probs[0])
			}
		}
		r.headers = append(r.headers, rh)
	}
	slices.SortFunc(r.headers, func(a, b *responseHeader) int { return strings.Compare(a.param.Name, b.param.Name) })
	for _, rh := range r.headers {
		r.headerValues = append(r.headerValues, HeaderValue{Name: rh.param.Name, Value: rh.value})
	}
}
