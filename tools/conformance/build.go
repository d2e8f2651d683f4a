package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
	"github.com/pb33f/libopenapi/renderer"
)

// A valid request per operation: its parameters, its credentials and its
// body, from the document's examples where it has them, else generated from
// the schemas by libopenapi's renderer; then checked by libopenapi-validator.
// What the validator refuses is the tool's problem, never the mock's.

// credential says where a credential was put, so that a variant can take it
// away again.
type credential struct {
	in   string // header, query or cookie
	name string
}

// built is a valid request and what its variants need.
type built struct {
	req    *request
	params []*v3.Parameter // the operation's effective parameters
	creds  []credential
	// the body, decoded (JSON values: map[string]any, []any, string,
	// json.Number, bool, nil), and how to encode a changed copy of it
	media      string // the chosen media type ("" without a body)
	bodySchema *base.Schema
	bodyValue  any
	encodable  bool // the body can be changed and encoded again (JSON, form, multipart)
}

// skipError is an operation the tool cannot build a valid request for.
type skipError struct{ why string }

func (e *skipError) Error() string { return e.why }

func skipf(format string, args ...any) error { return &skipError{fmt.Sprintf(format, args...)} }

// attempt is one way of filling in values: the first uses the document's
// examples, the others only its schemas, with other seeds, rendering the
// required properties only or all of them (libopenapi's renderer leaves out
// a discriminator's property unless it is required), and last with
// pinValues over the renderer's output, and for a oneOf or anyOf body with
// a discriminator, one branch with its discriminator value (see
// discriminated); a twin tries first a request that states every const
// (attemptsFor). The first the validator accepts is sent.
type attempt struct {
	examples      bool
	all           bool // render every property, not only the required ones
	pin           bool // then pin properties to their const, enum or default (see pinValues)
	discriminated bool // render a discriminated union's branch, naming it
	consts        bool // then add every top-level property that has a const (see withConsts)
	seed          int64
}

var attempts = []attempt{
	{examples: true, seed: 1},
	{seed: 1},
	{seed: 1, all: true},
	{seed: 7},
	{seed: 7, all: true},
	{seed: 1, pin: true},
	{seed: 1, all: true, pin: true},
	{seed: 1, pin: true, discriminated: true},
}

// buildValid builds a request the independent validator accepts. It tries
// the document's examples first, then values generated from the schemas.
func buildValid(d *document, o *operation) (*built, error) {
	var problems []string
	for _, a := range attemptsFor(o) {
		b, err := buildRequest(d, o, a)
		if err != nil {
			if _, ok := err.(*skipError); ok {
				return nil, err
			}
			problems = append(problems, err.Error())
			continue
		}
		p := validateRequest(d, o, b.req)
		if p == "" {
			return b, nil
		}
		problems = append(problems, p)
	}
	// the first schema-only attempt's problem says the most: the examples
	// may be missing, and the later attempts are variations of it
	why := problems[0]
	if len(problems) > 1 {
		why = problems[1]
	}
	return nil, skipf("cannot build a valid request: %s", why)
}

// attemptsFor orders the attempts for o. A twin (a path key with a
// #fragment, `/v1/chat#stream`) differs from its siblings only in its
// request schemas, most often by a property's const (stream: true), so it
// tries first a request that states every const: one that reaches it
// rather than the first twin in document order, which the mock would
// rightly answer.
func attemptsFor(o *operation) []attempt {
	if !strings.Contains(o.path, "#") {
		return attempts
	}
	first := []attempt{{seed: 1, pin: true, consts: true}, {seed: 1, all: true, pin: true}}
	return append(first, attempts...)
}

// validateRequest runs libopenapi-validator on the request, for the
// operation's own path item (so that twins such as `/v1/chat` and
// `/v1/chat#stream`, one URL to a router, are each held to their own
// operation); "" when valid.
func validateRequest(d *document, o *operation, r *request) string {
	hr, err := r.httpRequest("http://127.0.0.1")
	if err != nil {
		return err.Error()
	}
	ok, errs := d.validator.ValidateHttpRequestSyncWithPathItem(hr, o.pathItem, o.urlPath())
	if ok {
		return ""
	}
	return describeErrors(errs)
}

func buildRequest(d *document, o *operation, a attempt) (*built, error) {
	b := &built{req: &request{method: o.method, header: http.Header{}}}
	b.params = effectiveParams(o)
	path := o.urlPath()
	for _, p := range b.params {
		if p == nil {
			continue
		}
		in := strings.ToLower(p.In)
		required := in == "path" || (p.Required != nil && *p.Required)
		if !required {
			continue
		}
		if in == "header" {
			switch strings.ToLower(p.Name) {
			case "accept", "content-type", "authorization":
				continue // described by other fields of the document, ignored here (OAS 3.1 §4.8.12.1)
			}
		}
		v, err := paramValue(p, a)
		if err != nil {
			return nil, fmt.Errorf("parameter %s (%s): %v", p.Name, p.In, err)
		}
		switch in {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.Name+"}", serializePath(p, v))
		case "query":
			b.req.query = append(b.req.query, serializeQuery(p, v)...)
		case "header":
			b.req.header.Set(p.Name, serializeSimple(v, explode(p, false)))
		case "cookie":
			b.req.cookies = append(b.req.cookies, kv{p.Name, serializeSimple(v, explode(p, true))})
		}
	}
	b.req.path = path
	for name, vs := range b.req.header {
		for _, v := range vs {
			if !validHeaderValue(v) {
				return nil, fmt.Errorf("header %s: %q cannot be sent in a header", name, v)
			}
		}
	}
	if err := addCredentials(d, o, b); err != nil {
		return nil, err
	}
	if err := addBody(o, b, a); err != nil {
		return nil, err
	}
	return b, nil
}

// validHeaderValue says whether net/http will send v as a header value
// (no control characters but tab).
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// effectiveParams are the path item's parameters, overridden by the
// operation's of the same name and location.
func effectiveParams(o *operation) []*v3.Parameter {
	var out []*v3.Parameter
	seen := map[string]bool{}
	for _, p := range o.op.Parameters {
		if p == nil {
			continue
		}
		seen[strings.ToLower(p.In)+"\x00"+p.Name] = true
		out = append(out, p)
	}
	for _, p := range o.pathItem.Parameters {
		if p == nil || seen[strings.ToLower(p.In)+"\x00"+p.Name] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// paramValue is a value for a parameter: its example, else one generated
// from its schema (or from its content's media type).
func paramValue(p *v3.Parameter, a attempt) (any, error) {
	if a.examples {
		if v, ok := exampleValue(p.Example, p.Examples); ok {
			return v, nil
		}
	}
	if p.Schema != nil {
		s := p.Schema.Schema()
		if s == nil {
			return nil, fmt.Errorf("its schema does not resolve")
		}
		return generate(s, a)
	}
	if p.Content != nil && p.Content.Len() > 0 {
		mt := p.Content.First().Value()
		if a.examples {
			if v, ok := exampleValue(mt.Example, mt.Examples); ok {
				return jsonText(v), nil
			}
		}
		if mt.Schema != nil && mt.Schema.Schema() != nil {
			v, err := generate(mt.Schema.Schema(), a)
			if err != nil {
				return nil, err
			}
			return jsonText(v), nil
		}
	}
	return "x", nil
}

// jsonText is a value serialized as JSON, for a parameter with `content`.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// exampleValue is the `example`, else the first of `examples` with a value.
func exampleValue(example *yaml.Node, examples *orderedmap.Map[string, *base.Example]) (any, bool) {
	if example != nil {
		if v, err := decodeNode(example); err == nil {
			return v, true
		}
	}
	if examples != nil {
		for pair := examples.First(); pair != nil; pair = pair.Next() {
			if ex := pair.Value(); ex != nil && ex.Value != nil {
				if v, err := decodeNode(ex.Value); err == nil {
					return v, true
				}
			}
		}
	}
	return nil, false
}

// generate renders a value from a schema with libopenapi's renderer,
// normalized to JSON values. With examples, the schema's own example comes
// first (libopenapi's mock generator); else the renderer, which still uses
// examples below the root.
func generate(s *base.Schema, a attempt) (any, error) {
	var out []byte
	var err error
	if a.discriminated {
		return discriminated(s, a)
	}
	if a.examples {
		mg := renderer.NewMockGenerator(renderer.JSON)
		mg.SetSeed(a.seed)
		out, err = mg.GenerateMock(s, "")
	} else {
		r := renderer.CreateRendererUsingDefaultDictionary()
		r.SetSeed(a.seed)
		if a.all {
			r.DisableRequiredCheck()
		}
		var v any
		v, err = r.RenderSchemaWithError(s)
		if err == nil {
			out, err = json.Marshal(v)
		}
		if err == nil && a.pin {
			if v, err = decodeJSON(out); err == nil {
				v = pinValues(s, v, 0)
				if a.consts {
					v = withConsts(s, v)
				}
				out, err = json.Marshal(v)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("libopenapi's renderer: %v", err)
	}
	return decodeJSON(out)
}

func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// decodeNode turns a YAML node (an example) into JSON values.
func decodeNode(n *yaml.Node) (any, error) {
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	b, err := json.Marshal(normalizeYAML(v))
	if err != nil {
		return nil, err
	}
	return decodeJSON(b)
}

// normalizeYAML turns map[any]any (which JSON cannot encode) into maps
// keyed by strings.
func normalizeYAML(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalizeYAML(e)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[fmt.Sprint(k)] = normalizeYAML(e)
		}
		return m
	case []any:
		for i, e := range t {
			t[i] = normalizeYAML(e)
		}
		return t
	}
	return v
}

// --- parameter serialization (OAS 3.1 §4.8.12.4, the common styles) ---

func explode(p *v3.Parameter, def bool) bool {
	if p.Explode != nil {
		return *p.Explode
	}
	return def
}

func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case map[string]any, []any:
		return jsonText(t)
	}
	return fmt.Sprint(v)
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// serializeSimple is style simple (path and header), also used for cookies.
func serializeSimple(v any, exploded bool) string {
	return serializeSimpleEsc(v, exploded, func(s string) string { return s })
}

// serializeSimpleEsc escapes each value, not the delimiters between them.
func serializeSimpleEsc(v any, exploded bool, esc func(string) string) string {
	switch t := v.(type) {
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = esc(scalar(e))
		}
		return strings.Join(parts, ",")
	case map[string]any:
		var parts []string
		for _, k := range sortedKeys(t) {
			if exploded {
				parts = append(parts, esc(k)+"="+esc(scalar(t[k])))
			} else {
				parts = append(parts, esc(k), esc(scalar(t[k])))
			}
		}
		return strings.Join(parts, ",")
	}
	return esc(scalar(v))
}

func serializePath(p *v3.Parameter, v any) string {
	esc := url.PathEscape
	value := serializeSimpleEsc(v, explode(p, false), esc)
	switch p.Style {
	case "label":
		return "." + value
	case "matrix":
		return ";" + esc(p.Name) + "=" + value
	}
	return value
}

func serializeQuery(p *v3.Parameter, v any) []kv {
	if p.Content != nil && p.Content.Len() > 0 {
		return []kv{{p.Name, scalar(v)}}
	}
	style := p.Style
	if style == "" {
		style = "form"
	}
	exploded := explode(p, style == "form")
	switch t := v.(type) {
	case []any:
		sep := ","
		switch style {
		case "spaceDelimited":
			sep = " "
		case "pipeDelimited":
			sep = "|"
		}
		if exploded {
			out := make([]kv, len(t))
			for i, e := range t {
				out[i] = kv{p.Name, scalar(e)}
			}
			return out
		}
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = scalar(e)
		}
		return []kv{{p.Name, strings.Join(parts, sep)}}
	case map[string]any:
		var out []kv
		if style == "deepObject" {
			for _, k := range sortedKeys(t) {
				out = append(out, kv{p.Name + "[" + k + "]", scalar(t[k])})
			}
			return out
		}
		if exploded {
			for _, k := range sortedKeys(t) {
				out = append(out, kv{k, scalar(t[k])})
			}
			return out
		}
		return []kv{{p.Name, serializeSimple(t, false)}}
	}
	return []kv{{p.Name, scalar(v)}}
}

// --- credentials ---

// effectiveSecurity is the operation's security, else the document's; nil
// or empty means none.
func effectiveSecurity(d *document, o *operation) []*base.SecurityRequirement {
	if o.op.Security != nil {
		return o.op.Security
	}
	return d.model.Security
}

// securityRequired says whether the operation can only be called with
// credentials: it has requirements and none of them is the empty one.
func securityRequired(d *document, o *operation) bool {
	sec := effectiveSecurity(d, o)
	if len(sec) == 0 {
		return false
	}
	for _, s := range sec {
		if s == nil || s.ContainsEmptyRequirement || s.Requirements == nil || s.Requirements.Len() == 0 {
			return false
		}
	}
	return true
}

// addCredentials satisfies the first requirement the tool can satisfy:
// apiKey in header, query or cookie (any non-empty value), http basic,
// bearer and others, oauth2 and openIdConnect (an Authorization header).
func addCredentials(d *document, o *operation, b *built) error {
	sec := effectiveSecurity(d, o)
	if len(sec) == 0 {
		return nil
	}
	var why []string
requirements:
	for _, s := range sec {
		if s == nil || s.Requirements == nil || s.Requirements.Len() == 0 {
			continue
		}
		var creds []func()
		var placed []credential
		for pair := s.Requirements.First(); pair != nil; pair = pair.Next() {
			var scheme *v3.SecurityScheme
			if d.model.Components != nil && d.model.Components.SecuritySchemes != nil {
				scheme = d.model.Components.SecuritySchemes.GetOrZero(pair.Key())
			}
			if scheme == nil {
				why = append(why, fmt.Sprintf("security scheme %q is not in components", pair.Key()))
				continue requirements
			}
			switch strings.ToLower(scheme.Type) {
			case "apikey":
				name := scheme.Name
				switch strings.ToLower(scheme.In) {
				case "header":
					creds = append(creds, func() { b.req.header.Set(name, "conformance-key") })
					placed = append(placed, credential{"header", name})
				case "query":
					creds = append(creds, func() { b.req.query = append(b.req.query, kv{name, "conformance-key"}) })
					placed = append(placed, credential{"query", name})
				case "cookie":
					creds = append(creds, func() { b.req.cookies = append(b.req.cookies, kv{name, "conformance-key"}) })
					placed = append(placed, credential{"cookie", name})
				default:
					why = append(why, fmt.Sprintf("apiKey %q in %q", pair.Key(), scheme.In))
					continue requirements
				}
			case "http":
				value := "Bearer x"
				switch strings.ToLower(scheme.Scheme) {
				case "basic":
					value = "Basic eDp5"
				case "bearer", "":
				default:
					value = scheme.Scheme + " x"
				}
				creds = append(creds, func() { b.req.header.Set("Authorization", value) })
				placed = append(placed, credential{"header", "Authorization"})
			case "oauth2", "openidconnect":
				creds = append(creds, func() { b.req.header.Set("Authorization", "Bearer x") })
				placed = append(placed, credential{"header", "Authorization"})
			default:
				why = append(why, fmt.Sprintf("security scheme %q of type %s", pair.Key(), scheme.Type))
				continue requirements
			}
		}
		for _, c := range creds {
			c()
		}
		b.creds = placed
		return nil
	}
	for _, s := range sec {
		if s != nil && s.ContainsEmptyRequirement {
			return nil // credentials are optional
		}
	}
	return skipf("no security requirement the tool can satisfy (%s)", strings.Join(why, "; "))
}

// --- bodies ---

// chooseMedia picks the request body's media type: JSON first, then forms,
// then raw bytes.
func chooseMedia(rb *v3.RequestBody) (string, *v3.MediaType) {
	if rb == nil || rb.Content == nil {
		return "", nil
	}
	rank := func(mt string) int {
		switch base := mediaBase(mt); {
		case base == "application/json":
			return 0
		case strings.HasSuffix(base, "+json"):
			return 1
		case strings.Contains(base, "json"):
			return 2
		case base == "application/x-www-form-urlencoded":
			return 3
		case base == "multipart/form-data":
			return 4
		case strings.HasPrefix(base, "text/plain"):
			return 5
		case base == "application/octet-stream":
			return 6
		}
		return 100
	}
	best, bestRank := "", 1000
	var bestMT *v3.MediaType
	for pair := rb.Content.First(); pair != nil; pair = pair.Next() {
		if r := rank(pair.Key()); r < bestRank {
			best, bestRank, bestMT = pair.Key(), r, pair.Value()
		}
	}
	if bestRank == 100 {
		return best, nil
	}
	return best, bestMT
}

func mediaBase(mt string) string {
	base, _, err := mime.ParseMediaType(mt)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.Split(mt, ";")[0]))
	}
	return base
}

func isJSONMedia(mt string) bool { return strings.Contains(mediaBase(mt), "json") }

func addBody(o *operation, b *built, a attempt) error {
	rb := o.op.RequestBody
	if rb == nil || rb.Content == nil || rb.Content.Len() == 0 {
		return nil
	}
	name, mt := chooseMedia(rb)
	if mt == nil {
		if rb.Required != nil && *rb.Required {
			var all []string
			for pair := rb.Content.First(); pair != nil; pair = pair.Next() {
				all = append(all, pair.Key())
			}
			return skipf("request body only in %s, which the tool does not build", strings.Join(all, ", "))
		}
		return nil // an optional body the tool cannot build: leave it out
	}
	b.media = name
	if mt.Schema != nil {
		b.bodySchema = mt.Schema.Schema()
	}
	var value any
	var err error
	if a.examples {
		if v, ok := exampleValue(mt.Example, mt.Examples); ok {
			value = v
		} else if b.bodySchema != nil {
			value, err = generate(b.bodySchema, a)
		}
	} else if b.bodySchema != nil {
		value, err = generate(b.bodySchema, a)
	}
	if err != nil {
		return fmt.Errorf("request body: %v", err)
	}
	if value == nil && b.bodySchema == nil {
		value = map[string]any{}
		if !isJSONMedia(name) {
			value = "conformance"
		}
	}
	b.bodyValue = value
	ct, body, encodable, err := encodeBody(name, b.bodySchema, value)
	if err != nil {
		return fmt.Errorf("request body: %v", err)
	}
	b.encodable = encodable
	b.req.hasBody = true
	b.req.contentType = ct
	b.req.body = body
	return nil
}

// encodeBody encodes a body value in the media type; encodable says the
// encoding follows the value (so changed values can be encoded too).
func encodeBody(media string, schema *base.Schema, v any) (ct string, body []byte, encodable bool, err error) {
	base := mediaBase(media)
	switch {
	case isJSONMedia(media):
		body, err = json.Marshal(v)
		return media, body, true, err
	case base == "application/x-www-form-urlencoded":
		m, ok := v.(map[string]any)
		if !ok {
			return "", nil, false, fmt.Errorf("a form body needs an object, the value is %s", jsonType(v))
		}
		vals := url.Values{}
		for _, k := range sortedKeys(m) {
			for _, s := range formStrings(m[k]) {
				vals.Add(k, s)
			}
		}
		return media, []byte(vals.Encode()), true, nil
	case base == "multipart/form-data":
		m, ok := v.(map[string]any)
		if !ok {
			return "", nil, false, fmt.Errorf("a multipart body needs an object, the value is %s", jsonType(v))
		}
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		_ = w.SetBoundary("conformance-boundary-7d3f")
		for _, k := range sortedKeys(m) {
			binary := isBinaryProperty(schema, k)
			for _, s := range formStrings(m[k]) {
				if binary {
					fw, err := w.CreateFormFile(k, k+".bin")
					if err != nil {
						return "", nil, false, err
					}
					_, _ = fw.Write([]byte(s))
				} else if err := w.WriteField(k, s); err != nil {
					return "", nil, false, err
				}
			}
		}
		if err := w.Close(); err != nil {
			return "", nil, false, err
		}
		return w.FormDataContentType(), buf.Bytes(), true, nil
	default:
		return media, []byte(scalar(v)), false, nil
	}
}

func formStrings(v any) []string {
	if arr, ok := v.([]any); ok {
		out := make([]string, len(arr))
		for i, e := range arr {
			out[i] = scalar(e)
		}
		return out
	}
	return []string{scalar(v)}
}

// isBinaryProperty says whether a multipart field is a file.
func isBinaryProperty(schema *base.Schema, name string) bool {
	p := propertySchema(schema, name)
	if p == nil {
		return false
	}
	if arr := p.Items; arr != nil && arr.IsA() && arr.A != nil && arr.A.Schema() != nil {
		p = arr.A.Schema()
	}
	return p.Format == "binary" || p.ContentMediaType != "" || p.ContentEncoding != ""
}

// propertySchema finds a top-level property's schema, through allOf.
func propertySchema(schema *base.Schema, name string) *base.Schema {
	if schema == nil {
		return nil
	}
	if schema.Properties != nil {
		if p := schema.Properties.GetOrZero(name); p != nil {
			return p.Schema()
		}
	}
	for _, sub := range schema.AllOf {
		if sub == nil {
			continue
		}
		if p := propertySchema(sub.Schema(), name); p != nil {
			return p
		}
	}
	return nil
}

func jsonType(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		if _, err := t.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// pinValues works around two limits of libopenapi's renderer (v0.42): it
// renders every boolean as true and every number from its bounds cast to
// integers, whatever the schema's enum, const or fractional minimum, and it
// leaves out a required property whose schema says nothing (no type). It
// walks the rendered value beside the schema and sets each object property
// to the schema's const, else its first enum value, else its default (across
// allOf, where several schemas constrain one property), and fills an
// unconstrained required property with an empty object. The result is
// checked by the validator like any other.
func pinValues(s *base.Schema, v any, depth int) any {
	if s == nil || depth > 32 {
		return v
	}
	switch t := v.(type) {
	case map[string]any:
		for _, name := range requiredNames(s) {
			if _, ok := t[name]; !ok {
				if ps := propertySchemas(s, name); len(ps) > 0 && unconstrained(ps) {
					t[name] = map[string]any{}
				}
			}
		}
		for name, e := range t {
			ps := propertySchemas(s, name)
			if pinned, ok := pinned(ps); ok {
				t[name] = pinned
				continue
			}
			for _, p := range ps {
				e = pinValues(p, e, depth+1)
			}
			t[name] = e
		}
		return t
	case []any:
		if s.Items != nil && s.Items.IsA() && s.Items.A != nil {
			for i, e := range t {
				t[i] = pinValues(s.Items.A.Schema(), e, depth+1)
			}
		}
		return t
	}
	return v
}

// propertySchemas are the schemas of a property, from the object and its
// allOf members, then from its anyOf and oneOf members (whichever the
// renderer chose: a wrong guess only costs this attempt).
func propertySchemas(s *base.Schema, name string) []*base.Schema {
	return propertySchemasDepth(s, name, 0)
}

func propertySchemasDepth(s *base.Schema, name string, depth int) []*base.Schema {
	if s == nil || depth > 8 {
		return nil
	}
	var out []*base.Schema
	if s.Properties != nil {
		if p := s.Properties.GetOrZero(name); p != nil && p.Schema() != nil {
			out = append(out, p.Schema())
		}
	}
	for _, sub := range s.AllOf {
		if sub != nil {
			out = append(out, propertySchemasDepth(sub.Schema(), name, depth+1)...)
		}
	}
	for _, sub := range append(append([]*base.SchemaProxy(nil), s.AnyOf...), s.OneOf...) {
		if sub != nil {
			out = append(out, propertySchemasDepth(sub.Schema(), name, depth+1)...)
		}
	}
	return out
}

func pinned(ps []*base.Schema) (any, bool) {
	for _, p := range ps {
		if p.Const != nil {
			if v, err := decodeNode(p.Const); err == nil {
				return v, true
			}
		}
	}
	for _, p := range ps {
		if len(p.Enum) > 0 {
			if v, err := decodeNode(p.Enum[0]); err == nil {
				return v, true
			}
		}
	}
	for _, p := range ps {
		if p.Default != nil {
			if v, err := decodeNode(p.Default); err == nil {
				return v, true
			}
		}
	}
	return nil, false
}

func unconstrained(ps []*base.Schema) bool {
	for _, p := range ps {
		if len(p.Type) > 0 || p.Const != nil || len(p.Enum) > 0 || len(p.AllOf) > 0 ||
			len(p.AnyOf) > 0 || len(p.OneOf) > 0 || p.Not != nil || p.Properties != nil {
			return false
		}
	}
	return true
}

// discriminated renders a oneOf or anyOf with a discriminator as its
// first mapped branch (in the mapping's order) with the discriminator
// property set to that key: libopenapi's renderer picks a branch without
// naming it, so a value that fits several branches matches none.
func discriminated(s *base.Schema, a attempt) (any, error) {
	d := s.Discriminator
	if d == nil || d.PropertyName == "" || d.Mapping == nil {
		return nil, errors.New("not a discriminated union")
	}
	branches := append(append([]*base.SchemaProxy(nil), s.OneOf...), s.AnyOf...)
	for key, target := range d.Mapping.FromOldest() {
		for _, b := range branches {
			if b == nil || b.GetReference() != target {
				continue
			}
			v, err := generate(b.Schema(), attempt{seed: a.seed, pin: a.pin})
			if err != nil {
				return nil, err
			}
			obj, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("branch %s is not an object", target)
			}
			obj[d.PropertyName] = key
			return obj, nil
		}
	}
	return nil, errors.New("no discriminator mapping names a branch")
}

// withConsts sets every property of an object value that the schema (or
// its allOf members) gives a const, present or not.
func withConsts(s *base.Schema, v any) any {
	obj, ok := v.(map[string]any)
	if !ok || s == nil {
		return v
	}
	schemas := []*base.Schema{s}
	for _, sub := range s.AllOf {
		if sub != nil && sub.Schema() != nil {
			schemas = append(schemas, sub.Schema())
		}
	}
	for _, sch := range schemas {
		if sch.Properties == nil {
			continue
		}
		for name, p := range sch.Properties.FromOldest() {
			if ps := p.Schema(); ps != nil && ps.Const != nil {
				if c, err := decodeNode(ps.Const); err == nil {
					obj[name] = c
				}
			}
		}
	}
	return obj
}
