package apispec

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/arklow/arklow-mock/internal/errformat"
	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/sample"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Response is one documented response of an operation, with everything the
// mock needs to answer from it prepared at load time.
type Response struct {
	// Status is the numeric status; 0 for "default", N00 for "NXX" ranges.
	Status int
	// Code is the documented key: "200", "2XX" or "default".
	Code string
	// ContentType is the documented media type answered (JSON preferred);
	// empty when the response has no body.
	ContentType string
	File        string
	Line        int

	schema    *schema.Schema      // nil when the response has no body schema
	example   []byte              // encoded media-type example, if any
	examples  map[string][]byte   // encoded named examples
	names     []string            // example names, sorted
	gen       *openapi3.SchemaRef // the schema, as kin loaded it, to generate values from
	generated []byte              // a value generated at load, checked: the fallback of Generate

	// lastGenerated is Generate's last answer, for its seed and day: the
	// same request repeated (a list, a page reloaded) is answered without
	// generating it again (tools/loadtest, spec scale: 3–6× the requests/s).
	lastGenerated atomic.Pointer[generatedBody]

	headers      []*responseHeader // documented headers, by name
	headerValues []HeaderValue     // the spec's values for them
	mediaTypes   []string          // every documented media type, sorted (media.go)
}

// HasSchema reports whether the response documents a body schema.
func (r *Response) HasSchema() bool { return r.schema != nil }

// OwnExample returns the response's own example (the media type's, else
// its first named one), nil when it has none that matches its schema.
func (r *Response) OwnExample() []byte {
	if r.example != nil {
		return r.example
	}
	if len(r.names) > 0 {
		return r.examples[r.names[0]]
	}
	return nil
}

// Generate returns a body generated from the response's schema: plausible
// values, the same for the same seed and day of now (package sample), a
// 2xx answer's nullable error members null and an error answer's nullable
// data null. A value the schema would refuse is never sent: the value
// generated and checked at load answers instead. A response without
// content has a nil body.
//
// The body returned may be shared with other callers: it must not be
// modified.
func (r *Response) Generate(seed uint64, now time.Time) []byte {
	if r.gen == nil {
		return r.generated
	}
	y, m, d := now.UTC().Date()
	day := y*10000 + int(m)*100 + d
	if g := r.lastGenerated.Load(); g != nil && g.seed == seed && g.day == day {
		return g.body
	}
	body := r.generate(seed, now)
	r.lastGenerated.Store(&generatedBody{seed: seed, day: day, body: body})
	return body
}

// generatedBody is a body Generate made, with the seed and the UTC day
// (yyyymmdd) it was made for: all that the value depends on.
type generatedBody struct {
	seed uint64
	day  int
	body []byte
}

func (r *Response) generate(seed uint64, now time.Time) []byte {
	v, err := sample.Generate(r.gen, sample.Options{Seed: seed, Now: now, Role: sample.RoleForStatus(r.Status)})
	if err != nil {
		return r.generated
	}
	enc, err := json.Marshal(v)
	if err != nil || len(r.Validate(decodeJSON(enc))) > 0 {
		return r.generated
	}
	if s, ok := v.(string); ok && !r.JSON() {
		return []byte(s)
	}
	return enc
}

// JSON reports whether the response's documented media type is JSON.
func (r *Response) JSON() bool { return isJSON(r.ContentType) }

// Example returns the named example's encoded value.
func (r *Response) Example(name string) ([]byte, bool) {
	b, ok := r.examples[name]
	return b, ok
}

// ExampleNames lists the response's named examples, sorted.
func (r *Response) ExampleNames() []string { return r.names }

// Validate checks a decoded body (JSON values as produced by encoding/json
// with UseNumber) against the documented schema. Locations start with
// "body"; Pointer locates each problem in the value.
func (r *Response) Validate(body any) []reqerr.Problem {
	if r.schema == nil {
		return nil
	}
	return r.schema.Problems(nil, "body", body)
}

// SuccessResponse is the response the mock gives by default: the lowest
// documented 2xx, else a 2XX range, else "default", else the first one.
func (op *Operation) SuccessResponse() *Response {
	op.ready()
	for _, r := range op.responses {
		if r.Status >= 200 && r.Status < 300 {
			return r
		}
	}
	for _, r := range op.responses {
		if r.Status == 0 {
			return r
		}
	}
	if len(op.responses) > 0 {
		return op.responses[0]
	}
	return nil
}

// Response returns the documented response for status: the exact code,
// else its NXX range, else "default". It is nil when none applies.
func (op *Operation) Response(status int) *Response {
	op.ready()
	var rng, def *Response
	for _, r := range op.responses {
		switch {
		case r.Code == strconv.Itoa(status):
			return r
		case len(r.Code) == 3 && strings.HasSuffix(strings.ToUpper(r.Code), "XX") && r.Status/100 == status/100:
			rng = r
		case r.Status == 0:
			def = r
		}
	}
	if rng != nil {
		return rng
	}
	return def
}

// Documented reports whether status is documented by code or range (not
// merely by "default").
func (op *Operation) Documented(status int) bool {
	r := op.Response(status)
	return r != nil && r.Status != 0
}

// Example finds a named example in any of the operation's responses.
func (op *Operation) Example(name string) (*Response, []byte, bool) {
	op.ready()
	for _, r := range op.responses {
		if b, ok := r.examples[name]; ok {
			return r, b, true
		}
	}
	return nil, nil, false
}

// ExampleNames lists the named examples of every response.
func (op *Operation) ExampleNames() []string {
	op.ready()
	var names []string
	for _, r := range op.responses {
		names = append(names, r.names...)
	}
	return names
}

func (b *builder) responses(op *Operation, kop *openapi3.Operation, opPtr string) []*Response {
	if kop.Responses == nil {
		return nil
	}
	var out []*Response
	documented := map[string]errformat.Documented{}
	for code, ref := range kop.Responses.Map() {
		if ref == nil || ref.Value == nil {
			continue
		}
		file, ptr := b.locate(b.file, ref.Ref, opPtr+"/responses/"+jsonptr.Escape(code))
		r := &Response{Code: code, File: file, Status: statusOf(code)}
		if raw := b.rawOf(file); raw != nil {
			r.Line = raw.Line(ptr)
		}
		b.prepare(r, ref.Value, file, ptr, op)
		b.prepareHeaders(r, ref.Value, file, ptr, op)
		out = append(out, r)
		if r.Status == 0 || r.Status >= 400 { // an error the mock's refusals may take the shape of
			documented[code] = errformat.Documented{Response: ref.Value, Validate: b.mediaValidator(file, ptr, ref.Value.Content)}
		}
	}
	sort.Slice(out, func(i, j int) bool { return responseOrder(out[i]) < responseOrder(out[j]) })
	var warns []errformat.Warning
	op.errors, warns = errformat.Build(documented)
	for _, w := range warns {
		file, line := b.file, op.Line
		for _, r := range out {
			if r.Code == w.Key {
				file, line = r.File, r.Line
			}
		}
		b.diags.Warn(file, line, "%s %s; the mock answers its refusals with the Arklow envelope instead", op.Key, w)
	}
	return out
}

// mediaValidator checks a body against the schema of a media type of the
// response at ptr of file. The schemas are compiled now: the validator
// runs for every refusal, concurrently, and only reads.
func (b *builder) mediaValidator(file, ptr string, content openapi3.Content) func(mediaType string, body any) []reqerr.Problem {
	compiled := map[string]*schema.Schema{}
	for name, mt := range content {
		if mt != nil && mt.Schema != nil && (isJSON(name) || isText(name)) {
			compiled[name], _ = b.comp.Compile(file, ptr+"/content/"+jsonptr.Escape(name)+"/schema")
		}
	}
	return func(mediaType string, body any) []reqerr.Problem {
		sch, ok := compiled[mediaType]
		if !ok {
			return nil // no schema: any body
		}
		if sch == nil {
			return []reqerr.Problem{{Location: "body", Message: "the schema does not compile"}}
		}
		return sch.Problems(nil, "body", body)
	}
}

// responseOrder sorts numeric codes first, then ranges, then default.
func responseOrder(r *Response) int {
	switch {
	case r.Status == 0:
		return 10_000
	case strings.HasSuffix(strings.ToUpper(r.Code), "XX"):
		return 1_000 + r.Status
	}
	return r.Status
}

func statusOf(code string) int {
	if n, err := strconv.Atoi(code); err == nil {
		return n
	}
	if len(code) == 3 && strings.HasSuffix(strings.ToUpper(code), "XX") && code[0] >= '1' && code[0] <= '5' {
		return int(code[0]-'0') * 100
	}
	return 0
}

// prepare compiles the response schema and encodes its examples and a
// generated value, checking each against the schema.
func (b *builder) prepare(r *Response, resp *openapi3.Response, file, ptr string, op *Operation) {
	name, mt := pickMedia(resp.Content)
	if mt == nil {
		return
	}
	r.ContentType = name
	r.mediaTypes = slices.Sorted(maps.Keys(resp.Content))
	mtPtr := ptr + "/content/" + jsonptr.Escape(name)
	line := r.Line
	if raw := b.rawOf(file); raw != nil {
		line = raw.Line(mtPtr)
	}
	if mt.Schema != nil {
		sf, sp := file, mtPtr+"/schema" // where it is written: the compiler follows a $ref, with its siblings ($id, $defs)
		if r.schema = b.compile(sf, sp); r.schema == nil {
			return
		}
	}
	// check encodes v and keeps it only if it is valid against the schema.
	// A string for a media type that is not JSON (text/plain, text/csv…)
	// is sent as it is, not as a JSON string in quotes.
	check := func(what string, v any) []byte {
		enc, err := json.Marshal(v)
		if err != nil {
			b.diags.Warn(file, line, "%s %s %s: cannot encode: %v", op.Key, r.Code, what, err)
			return nil
		}
		if probs := r.Validate(decodeJSON(enc)); len(probs) > 0 {
			b.diags.Warn(file, line, "%s %s %s does not match its schema: %s", op.Key, r.Code, what, probs[0])
			return nil
		}
		if s, ok := v.(string); ok && !isJSON(name) {
			return []byte(s)
		}
		return enc
	}
	if mt.Example != nil {
		r.example = check("example", mt.Example)
	}
	for _, en := range slices.Sorted(maps.Keys(mt.Examples)) {
		ex := mt.Examples[en]
		if ex == nil || ex.Value == nil || ex.Value.Value == nil {
			continue
		}
		if enc := check("example "+en, ex.Value.Value); enc != nil {
			if r.examples == nil {
				r.examples = map[string][]byte{}
			}
			r.examples[en] = enc
			r.names = append(r.names, en)
		}
	}
	if mt.Schema == nil {
		r.generated = []byte("null")
		return
	}
	// The mock must be able to answer without an example: a schema it
	// cannot generate a valid value for is an error, never an empty answer.
	v, err := sample.Value(mt.Schema)
	if err != nil {
		b.diags.Add(file, line, "%s %s: cannot generate a body from the schema: %v\n    at %s", op.Key, r.Code, err, mtPtr+"/schema")
		return
	}
	enc, err := json.Marshal(v)
	if err == nil {
		if probs := r.Validate(decodeJSON(enc)); len(probs) > 0 {
			b.diags.Add(file, line, "%s %s: the value generated from the schema does not match it: %s\n    at %s", op.Key, r.Code, probs[0], mtPtr+"/schema")
			return
		}
	}
	if s, ok := v.(string); ok && !isJSON(name) {
		enc = []byte(s)
	}
	r.generated, r.gen = enc, mt.Schema
}

// pickMedia prefers a JSON media type, then the first one by name.
func pickMedia(content openapi3.Content) (string, *openapi3.MediaType) {
	names := slices.Sorted(maps.Keys(content))
	for _, n := range names {
		if isJSON(n) && n != "*/*" {
			return n, content[n]
		}
	}
	if len(names) > 0 {
		return names[0], content[names[0]]
	}
	return "", nil
}

// decodeJSON decodes valid JSON bytes into the values the validator expects.
func decodeJSON(b []byte) any {
	v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	return v
}
