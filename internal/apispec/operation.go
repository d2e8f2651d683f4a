package apispec

import (
	"encoding/json"
	"maps"
	"net/textproto"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/rawdoc"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-json-experiment/json/jsontext"
)

// Requirement is one security requirement: every credential in it must be
// present. An operation is allowed when any one of its requirements is.
type Requirement []Credential

// Credential is where one security scheme expects its credential.
type Credential struct {
	In     string // header, query or cookie
	Name   string // e.g. X-Arklow-Auth (canonical for headers), Authorization
	Label  string // the name as the document spells it, for messages
	Prefix string // e.g. "Bearer " for http bearer; "" for API keys
}

// String says where the credential goes, for messages: "header
// Authorization (Bearer)", "query api_key".
func (c Credential) String() string {
	if c.Prefix != "" {
		return "header " + c.Label + " (" + strings.TrimSpace(c.Prefix) + ")"
	}
	return c.In + " " + c.Label
}

func (b *builder) security(kop *openapi3.Operation) []Requirement {
	reqs := b.doc.Security
	if kop.Security != nil {
		reqs = *kop.Security
	}
	var alts []Requirement
	for _, req := range reqs {
		alt := Requirement{}
		for _, name := range slices.Sorted(maps.Keys(req)) {
			var ss *openapi3.SecuritySchemeRef
			if b.doc.Components != nil {
				ss = b.doc.Components.SecuritySchemes[name]
			}
			if ss == nil || ss.Value == nil {
				continue // doc.Validate has already reported unknown schemes
			}
			if c, ok := credentialOf(ss.Value); ok {
				alt = append(alt, c)
			}
		}
		if len(alt) == 0 {
			return nil // an empty requirement ({}) makes security optional
		}
		alts = append(alts, alt)
	}
	return alts
}

func credentialOf(s *openapi3.SecurityScheme) (Credential, bool) {
	switch strings.ToLower(s.Type) {
	case "apikey":
		in, name := strings.ToLower(s.In), s.Name
		if in == "header" {
			name = textproto.CanonicalMIMEHeaderKey(name) // Header.Get then needs no copy
		}
		return Credential{In: in, Name: name, Label: s.Name}, true
	case "http":
		scheme := strings.ToLower(s.Scheme)
		prefix := "Bearer "
		if scheme == "basic" {
			prefix = "Basic "
		}
		return Credential{In: "header", Name: "Authorization", Label: "Authorization", Prefix: prefix}, true
	case "oauth2", "openidconnect":
		return Credential{In: "header", Name: "Authorization", Label: "Authorization", Prefix: "Bearer "}, true
	}
	return Credential{}, false // mutualTLS: nothing to check at the HTTP layer
}

// Parameter is one documented parameter with its schema compiled.
type Parameter struct {
	Name     string
	In       string // path, query, header or cookie
	Required bool
	Explode  bool           // an array is sent as one value per item
	Style    string         // as documented ("" for the default)
	Schema   *schema.Schema // nil when the parameter documents none

	kind valueKind // how to read the raw string(s)
	item valueKind // for arrays: how to read each item
}

// valueKind says how a parameter's text becomes a JSON value.
type valueKind uint8

const (
	kindString valueKind = iota
	kindInteger
	kindNumber
	kindBoolean
	kindArray
	kindObject
)

func (b *builder) parameters(item *openapi3.PathItem, kop *openapi3.Operation, itemPtr, opPtr string) []*Parameter {
	type src struct {
		ref *openapi3.ParameterRef
		ptr string
	}
	seen := map[string]bool{}
	var list []src
	for i, p := range kop.Parameters {
		list = append(list, src{p, opPtr + "/parameters/" + strconv.Itoa(i)})
	}
	for i, p := range item.Parameters {
		list = append(list, src{p, itemPtr + "/parameters/" + strconv.Itoa(i)})
	}
	var out []*Parameter
	for _, s := range list {
		p := s.ref.Value
		if p == nil || seen[p.In+" "+p.Name] {
			continue // operation-level parameters override path-level ones
		}
		seen[p.In+" "+p.Name] = true
		if p.In == "header" {
			switch strings.ToLower(p.Name) {
			case "accept", "content-type", "authorization":
				continue // OpenAPI: these are described elsewhere and ignored here
			}
		}
		file, ptr := b.locate(b.file, s.ref.Ref, s.ptr)
		param := &Parameter{Name: p.Name, In: p.In, Required: p.Required || p.In == "path", Style: p.Style}
		param.Explode = param.Style == "" || param.Style == "form"
		if p.In != "query" && p.In != "cookie" {
			param.Explode = false
		}
		if p.Explode != nil {
			param.Explode = *p.Explode
		}
		if p.Schema != nil && p.Schema.Value != nil {
			param.readAs(p.Schema.Value)
			ptr += "/schema" // where it is written: the compiler follows a $ref, with its siblings
			param.Schema = b.compile(file, ptr)
		}
		out = append(out, param)
	}
	sort.SliceStable(out, func(i, j int) bool { return inOrder(out[i].In) < inOrder(out[j].In) })
	return out
}

// readAs sets how the parameter's text is read: as the JSON type its
// schema s allows (and, for an array, its items).
func (p *Parameter) readAs(s *openapi3.Schema) {
	p.kind = kindOf(s)
	if p.kind == kindArray && s.Items != nil && s.Items.Value != nil {
		p.item = kindOf(s.Items.Value)
	}
}

// inOrder reports parameters in the order a reader scans a request.
func inOrder(in string) int {
	return strings.Index("path query header cookie", in)
}

// kindOf picks the JSON type a parameter's text should be read as: the
// first non-null type the schema (or its anyOf/oneOf branches) allows.
func kindOf(s *openapi3.Schema) valueKind {
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			switch t {
			case "integer":
				return kindInteger
			case "number":
				return kindNumber
			case "boolean":
				return kindBoolean
			case "array":
				return kindArray
			case "object":
				return kindObject
			case "string":
				return kindString
			}
		}
	}
	for _, branches := range []openapi3.SchemaRefs{s.AnyOf, s.OneOf, s.AllOf} {
		for _, br := range branches {
			if br.Value != nil {
				if k := kindOf(br.Value); k != kindString || br.Value.Type.Is("string") {
					return k
				}
			}
		}
	}
	return kindString
}

// SingleValued reports whether the parameter takes one value: its schema
// is not an array or an object. ?limit=5&limit=6 is refused for one.
func (p *Parameter) SingleValued() bool {
	return p.kind != kindArray && p.kind != kindObject
}

// Value reads the parameter's text (raw: its values, at least one) as the
// JSON value its schema expects. Text that does not parse stays a string,
// so the schema reports the type.
func (p *Parameter) Value(raw []string) any {
	switch p.kind {
	case kindArray:
		var parts []string
		if p.Explode || len(raw) > 1 {
			parts = raw
		} else {
			parts = strings.Split(raw[0], arraySep(p.Style))
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

// RequestBody is the documented request body: its media types, with
// their schemas compiled.
type RequestBody struct {
	Required bool
	Media    []*MediaType // sorted by name
}

// MediaType is one media type a request body may be sent in.
type MediaType struct {
	Name      string         // lower case: application/json, application/*, */*
	JSON      bool           // decoded as JSON
	Form      bool           // decoded as application/x-www-form-urlencoded
	Multipart bool           // decoded as multipart/form-data
	Schema    *schema.Schema // nil when the media type documents none

	fields map[string]valueKind // for forms: how to read each field
}

// FieldValue reads a form field's text (of a urlencoded or a multipart
// form) as the JSON value its property's schema expects (see
// Parameter.Value); a field the schema does not name stays text.
func (m *MediaType) FieldValue(name, text string) any {
	return coerceScalar(m.fields[name], text)
}

// FieldIsList reports whether a form field's property is an array: its
// values are a list, however many the form gives.
func (m *MediaType) FieldIsList(name string) bool { return m.fields[name] == kindArray }

func (b *builder) requestBody(kop *openapi3.Operation, opPtr string) *RequestBody {
	if kop.RequestBody == nil || kop.RequestBody.Value == nil {
		return nil
	}
	rb := kop.RequestBody.Value
	file, ptr := b.locate(b.file, kop.RequestBody.Ref, opPtr+"/requestBody")
	out := &RequestBody{Required: rb.Required}
	for _, name := range slices.Sorted(maps.Keys(rb.Content)) {
		mt := rb.Content[name]
		m := &MediaType{Name: strings.ToLower(name), JSON: isJSON(name)}
		m.Form = m.Name == "application/x-www-form-urlencoded"
		m.Multipart = m.Name == "multipart/form-data"
		if mt != nil && mt.Schema != nil { // `application/json:` with nothing under it is nil
			sf, sp := file, ptr+"/content/"+jsonptr.Escape(name)+"/schema" // where it is written: the compiler follows a $ref, with its siblings
			m.Schema = b.compile(sf, sp)
			if (m.Form || m.Multipart) && mt.Schema.Value != nil {
				m.fields = map[string]valueKind{}
				for pn, ps := range mt.Schema.Value.Properties {
					if ps.Value != nil {
						m.fields[pn] = kindOf(ps.Value)
					}
				}
			}
		}
		out.Media = append(out.Media, m)
	}
	return out
}

// isJSON reports whether a media type carries JSON (application/json,
// application/problem+json, ...).
func isJSON(mediaType string) bool {
	mt := strings.ToLower(mediaType)
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = strings.TrimSpace(mt[:i])
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "*/*" || mt == "application/*"
}

// isText reports whether a media type is text/plain or text/html, the text
// media types an error answer can be written in.
func isText(mediaType string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(mediaType), ";")
	mt = strings.TrimSpace(mt)
	return mt == "text/plain" || mt == "text/html"
}

// locate resolves where a possibly-$ref'd object lives: the referenced
// file and pointer, or the inline location when ref is empty.
// base is the file holding the reference (relative refs resolve against it).
func (b *builder) locate(base, ref, inline string) (file, ptr string) {
	if ref == "" {
		return base, inline
	}
	target, frag, _ := strings.Cut(ref, "#")
	file = base
	switch {
	case strings.HasPrefix(target, "file://"): // written by normalize: a file of the spec, by its absolute path
		file = b.fileOf(target)
	case target != "":
		file = filepath.Join(filepath.Dir(base), filepath.FromSlash(target))
	}
	return file, frag
}

// fileOf names the spec file at a file:// URL as the load names it.
func (b *builder) fileOf(fileURL string) string {
	u, err := url.Parse(fileURL)
	if err != nil {
		return fileURL
	}
	p := filepath.FromSlash(u.Path)
	for f := range b.raws {
		if abs, err := filepath.Abs(f); err == nil && abs == p {
			return f
		}
	}
	return p
}

func (b *builder) compile(file, ptr string) *schema.Schema {
	sch, err := b.comp.Compile(file, ptr)
	if err != nil {
		addOnce(b.diags, b.x.SchemaError(file, ptr, err)) // once: a schema two operations $ref
		return nil
	}
	return sch
}

func (b *builder) rawOf(file string) *rawdoc.Doc {
	return b.raws[file]
}
