// Package errformat answers the mock's own refusals (a request that fails
// validation, a missing credential, a body too large…) in the error format
// of the API being mocked, so that a frontend's real error handling runs
// against them (issue 13, DESIGN §4).
//
// Build reads, once per operation at load, the error responses the
// operation documents: an exact status ("400"), the "4XX" range and
// "default". For each it picks a JSON media type (application/problem+json
// first), reads the schema's shape and its example, and checks that a
// probe error renders to a body the schema accepts. Render then answers a
// *reqerr.Error: it picks the status (a validation failure answers 400
// when the document documents 400, else 422 when it documents 422, else
// 400), the documented response for it (exact, else 4XX, else default),
// fills that response's shape from the error's problems, and validates the
// result. When nothing is documented, or nothing valid can be made, Render
// says so and the caller writes the Arklow envelope.
//
// How a body is filled:
//
//   - RFC 9457 problem details (application/problem+json, or a JSON schema
//     with title, detail and type or status): type is the example's URI,
//     else "about:blank"; title the status text; status the number; detail
//     the problems joined with "; "; and, where the schema declares no
//     array of problems and allows other members, the problems as the
//     extension member "errors": [{detail, pointer | parameter | header}].
//   - Any other object: properties are read by name and type (see names):
//     message-like ones get the message, code-like ones the code, status-like
//     integers the status, arrays of problems one item per problem (with
//     the problem's place in the form the schema takes: "body.x", ["body",
//     "x"], {pointer: "/x"}), a nested error object is filled the same way.
//     Other required properties come from the example, else are generated
//     (package sample); optional ones are kept from the example, else left
//     out. FastAPI's {detail: [{loc, msg, type}]} is one such shape.
//   - A top-level array has one item per problem; a string is the message.
//
// A value the schema refuses is replaced: an enum's closest value is
// chosen up front; after validation, the values at the problems' pointers
// fall back to the example's value, a generated one, or are left out.
//
// The package holds no mutable state: a Formats is immutable and safe for
// concurrent use. It does not import net/http; statuses are plain ints.
package errformat

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/getkin/kin-openapi/openapi3"
)

// Documented is one response an operation documents, as Build reads it.
type Documented struct {
	// Response is the response as kin-openapi loaded it, $refs resolved.
	Response *openapi3.Response
	// Validate checks a decoded body (JSON values, numbers as
	// json.Number) against the schema of Response.Content[mediaType],
	// and returns nil when it is valid. Each problem's Pointer locates
	// it in the body; for a missing or an unknown property, the
	// property's own pointer (as apispec reports them). A nil Validate
	// accepts every body.
	Validate func(mediaType string, body any) []reqerr.Problem
}

// Warning says why a documented error response cannot carry the mock's
// errors, so that the server answers with the Arklow envelope instead.
type Warning struct {
	Key       string // the response's key: "400", "4XX", "default"
	MediaType string // the media type tried
	Reason    string // why: the first problem of the probe's body, or what could not be built
}

// String reads "400 response (application/json): cannot carry the mock's errors: …".
func (w Warning) String() string {
	return fmt.Sprintf("%s response (%s): cannot carry the mock's errors: %s", w.Key, w.MediaType, w.Reason)
}

// Formats is one operation's error formats, built by Build. It is
// immutable and safe for concurrent use; a nil *Formats renders nothing.
type Formats struct {
	// documented holds the keys the operation documents that can answer
	// a refusal ("400", "4XX", "default"), usable or not: a documented
	// key that is not usable still decides (the answer is then the
	// envelope, not another response's format).
	documented map[string]bool
	// formats holds the usable ones.
	formats map[string]*format
}

// format is one documented error response, ready to fill.
type format struct {
	key         string
	mediaType   string              // the document's key in content
	contentType string              // the answer's Content-Type
	schema      *openapi3.SchemaRef // the body's schema (one made from the example when none is documented)
	branch      int                 // the root oneOf/anyOf branch filled; -1 for none
	problem     bool                // filled as RFC 9457 problem details
	text        textKind            // a text/plain or text/html body: the message, not JSON
	examples    []example
	validate    func(mediaType string, body any) []reqerr.Problem
}

// example is a documented example of the response, decoded.
type example struct {
	name  string
	value any
}

// Build prepares an operation's error formats from its documented
// responses, keyed as the document writes them ("200", "400", "4XX",
// "default"). Keys the mock never answers with (2xx, 409, 5XX…) are
// ignored. Each usable response is checked with a probe error of its
// status; a JSON response that cannot be made valid is left out with a
// Warning. Warnings come in key order.
func Build(responses map[string]Documented) (*Formats, []Warning) {
	f := &Formats{documented: map[string]bool{}, formats: map[string]*format{}}
	var warns []Warning
	for _, key := range slices.Sorted(maps.Keys(responses)) {
		k := strings.ToUpper(key)
		if k == "DEFAULT" {
			k = "default"
		}
		status := keyStatus(k)
		if probe(status) == nil {
			continue
		}
		f.documented[k] = true
		fm, w := prepare(k, status, responses[key])
		if w != nil {
			warns = append(warns, *w)
		}
		if fm != nil {
			f.formats[k] = fm
		}
	}
	return f, warns
}

// keyStatus is the status a response key answers for at load: its number,
// 400 for the 4XX range and default, 0 for a key the mock never uses.
func keyStatus(k string) int {
	switch k {
	case "4XX", "default":
		return 400
	}
	n, err := strconv.Atoi(k)
	if err != nil {
		return 0
	}
	return n
}

// prepare reads one documented response; nil when it has no body to fill
// (no content, only other media types, or a text one whose schema is not
// a string: the envelope then answers, with no warning, since that is the
// document's choice).
func prepare(key string, status int, d Documented) (*format, *Warning) {
	if d.Response == nil {
		return nil, nil
	}
	name, contentType, mt, text := chooseMedia(d.Response.Content)
	if mt == nil {
		return nil, nil
	}
	fm := &format{key: key, mediaType: name, contentType: contentType, schema: mt.Schema, validate: d.Validate, branch: -1, text: text}
	if text != notText {
		if fm.schema == nil {
			fm.schema = &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}}
		}
		if !intends(fm.schema, openapi3.TypeString) {
			return nil, nil
		}
	}
	fm.examples = examplesOf(mt)
	problemMedia := strings.HasPrefix(strings.ToLower(name), "application/problem+json")
	if fm.schema == nil {
		switch {
		case len(fm.examples) > 0:
			fm.schema = schemaFromExample(fm.examples[0].value)
		case problemMedia:
			fm.schema = &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}}}
		default:
			return nil, nil // JSON of no documented shape
		}
	}
	branches := []int{-1}
	if s := deref(fm.schema); s != nil && len(alternatives(s)) > 0 {
		branches = branches[:0]
		for i := range alternatives(s) {
			branches = append(branches, i)
		}
	}
	var reason error
	for _, b := range branches {
		fm.branch = b
		fm.problem = problemMedia || problemShaped(objectOf(fm.schema, b))
		if _, reason = fm.render(probe(status), status); reason == nil {
			return fm, nil
		}
	}
	return nil, &Warning{Key: key, MediaType: name, Reason: reason.Error()}
}

// problemShaped reports whether an object declares the members of RFC
// 9457 problem details (title and detail, with type or status), as some
// documents do under application/json.
func problemShaped(o *object) bool {
	has := func(n string) bool { _, ok := o.props[n]; return ok }
	return has("title") && has("detail") && (has("type") || has("status"))
}

// chooseMedia picks the media type an error answers in: problem+json,
// then application/json, then another +json type, then a wildcard (the
// answer then says application/json), then text/plain, then text/html.
// Parameters (";charset=utf-8") are kept. Nil when the response has none
// of these; text says whether the one chosen is text, and which.
func chooseMedia(content openapi3.Content) (name, contentType string, mt *openapi3.MediaType, text textKind) {
	rank := func(n string) int {
		base, _, _ := strings.Cut(strings.ToLower(n), ";")
		base = strings.TrimSpace(base)
		switch {
		case base == "application/problem+json":
			return 0
		case base == "application/json":
			return 1
		case strings.HasSuffix(base, "+json"):
			return 2
		case base == "*/*" || base == "application/*":
			return 3
		case base == "text/plain":
			return 4
		case base == "text/html":
			return 5
		}
		return -1
	}
	best := -1
	for _, n := range slices.Sorted(maps.Keys(content)) {
		if r := rank(n); r >= 0 && content[n] != nil && (best < 0 || r < best) {
			best, name, mt = r, n, content[n]
		}
	}
	switch {
	case mt == nil:
		return "", "", nil, notText
	case best == 3:
		return name, "application/json", mt, notText
	case best == 4:
		return name, name, mt, plainText
	case best == 5:
		return name, name, mt, htmlText
	}
	return name, name, mt, notText
}

// examplesOf decodes a media type's examples: its example, its named
// examples (by name), then the schema's own example(s).
func examplesOf(mt *openapi3.MediaType) []example {
	var out []example
	add := func(name string, v any) {
		if v == nil {
			return
		}
		if _, dec, err := encode(v); err == nil {
			out = append(out, example{name: name, value: dec})
		}
	}
	add("", mt.Example)
	for _, n := range slices.Sorted(maps.Keys(mt.Examples)) {
		if ex := mt.Examples[n]; ex != nil && ex.Value != nil {
			add(n, ex.Value.Value)
		}
	}
	if s := deref(mt.Schema); s != nil {
		add("", s.Example)
		for _, v := range s.Examples {
			add("", v)
		}
	}
	return out
}

// example picks the documented example that best fits the answer: one
// whose status member is the status, else one whose name speaks of the
// code ("validationError", "notFound"), else the first; nil when there is
// none. The caller clones it before filling.
func (fm *format) example(status int, code reqerr.Code) any {
	if len(fm.examples) == 0 {
		return nil
	}
	for _, ex := range fm.examples {
		if m, ok := ex.value.(map[string]any); ok {
			for _, k := range []string{"status", "statusCode", "status_code", "code"} {
				if n, ok := asInt(m[k]); ok && n == status {
					return ex.value
				}
			}
		}
	}
	for _, w := range append([]string{string(code)}, synonyms[code]...) {
		if nw := normalize(w); len(nw) >= 4 {
			for _, ex := range fm.examples {
				if strings.Contains(normalize(ex.name), nw) {
					return ex.value
				}
			}
		}
	}
	return fm.examples[0].value
}

// probe is the error Build renders to check a response for status: a
// typical refusal with that status; nil for a status the mock never
// answers with.
func probe(status int) *reqerr.Error {
	e := func(code reqerr.Code, probs ...reqerr.Problem) *reqerr.Error {
		return &reqerr.Error{Code: code, Problems: probs}
	}
	switch status {
	case 400, 422:
		return e(reqerr.InvalidRequest,
			reqerr.Problem{Location: "body.device_id", Message: `string "abc" does not match pattern ^[0-9]+$`, Pointer: "/device_id"},
			reqerr.Problem{Location: "query.limit", Message: "must be <= 100, got 500"})
	case 401:
		return e(reqerr.Unauthorized, reqerr.Problem{Location: "header.Authorization", Message: "missing Bearer credentials"})
	case 403:
		return e(reqerr.ForbiddenHost, reqerr.Problem{Location: "header.Host", Message: "host evil.example is not allowed"})
	case 404:
		return e(reqerr.NotFound, reqerr.Problem{Message: "no operation documents GET /v1/item; did you mean /v1/items?"})
	case 405:
		return &reqerr.Error{Code: reqerr.MethodNotAllowed, Allow: []string{"GET"},
			Problems: []reqerr.Problem{{Message: "DELETE is not documented for /v1/items; allowed: GET"}}}
	case 413:
		return e(reqerr.PayloadTooLarge, reqerr.Problem{Location: "body", Message: "is larger than 1048576 bytes"})
	case 415:
		return e(reqerr.UnsupportedMediaType, reqerr.Problem{Location: "header.Content-Type", Message: `"text/plain" is not accepted; send application/json`})
	case 431:
		return e(reqerr.HeadersTooLarge, reqerr.Problem{Message: "the header block is larger than 65536 bytes"})
	}
	return nil
}

// Status is the status that answers err for this operation: a validation
// failure (invalid_request, invalid_json) answers 400 when the operation
// documents 400, else 422 when it documents 422, else 400; any other
// error answers its own status.
func (f *Formats) Status(err *reqerr.Error) int {
	if err == nil {
		return 500
	}
	if f != nil && (err.Code == reqerr.InvalidRequest || err.Code == reqerr.InvalidJSON) {
		switch {
		case f.documented["400"]:
			return 400
		case f.documented["422"]:
			return 422
		}
		return 400
	}
	return err.Status()
}

// Render answers err in the operation's documented format. status is the
// status to answer with (Status(err)), also when ok is false; ok is false
// when the operation documents nothing for that status (exact, 4XX or
// default), when what it documents is not JSON, or when no body valid
// against the documented schema can be made: the caller then writes the
// Arklow envelope with status. Only 4xx statuses are rendered; the same
// error always gives the same bytes.
func (f *Formats) Render(err *reqerr.Error) (status int, contentType string, body []byte, ok bool) {
	status = f.Status(err)
	if f == nil || err == nil || status < 400 || status > 499 {
		return status, "", nil, false
	}
	fm := f.formatFor(status)
	if fm == nil {
		return status, "", nil, false
	}
	b, e := fm.render(err, status)
	if e != nil {
		return status, "", nil, false
	}
	return status, fm.contentType, b, true
}

// formatFor finds the documented response for status: exact, else 4XX,
// else default. A documented response that is not usable is still the
// one that applies: nil then.
func (f *Formats) formatFor(status int) *format {
	for _, k := range []string{strconv.Itoa(status), strconv.Itoa(status/100) + "XX", "default"} {
		if f.documented[k] {
			return f.formats[k]
		}
	}
	return nil
}

// Keys lists the documented responses that carry the mock's errors, in
// key order, each with the media type it answers in: "400 application/problem+json".
func (f *Formats) Keys() []string {
	if f == nil {
		return nil
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(f.formats)) {
		out = append(out, k+" "+f.formats[k].contentType)
	}
	return out
}

// textKind says whether an error body is text, and which.
type textKind int

const (
	notText textKind = iota
	plainText
	htmlText // the message HTML-escaped
)
