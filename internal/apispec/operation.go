package apispec

import (
	"maps"
	"net/textproto"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/rawdoc"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/getkin/kin-openapi/openapi3"
)

// securityAlt is one security requirement: every credential in it must be
// present. An operation is allowed when any one of its alternatives is.
type securityAlt []credential

// credential is where one security scheme expects its credential.
type credential struct {
	in     string // header, query or cookie
	name   string // e.g. X-Arklow-Auth (canonical for headers), Authorization
	label  string // the name as the document spells it, for messages
	prefix string // e.g. "Bearer " for http bearer; "" for API keys
}

func (c credential) String() string {
	if c.prefix != "" {
		return "header " + c.label + " (" + strings.TrimSpace(c.prefix) + ")"
	}
	return c.in + " " + c.label
}

func (b *builder) security(kop *openapi3.Operation) []securityAlt {
	reqs := b.doc.Security
	if kop.Security != nil {
		reqs = *kop.Security
	}
	var alts []securityAlt
	for _, req := range reqs {
		alt := securityAlt{}
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

func credentialOf(s *openapi3.SecurityScheme) (credential, bool) {
	switch strings.ToLower(s.Type) {
	case "apikey":
		in, name := strings.ToLower(s.In), s.Name
		if in == "header" {
			name = textproto.CanonicalMIMEHeaderKey(name) // Header.Get then needs no copy
		}
		return credential{in: in, name: name, label: s.Name}, true
	case "http":
		scheme := strings.ToLower(s.Scheme)
		prefix := "Bearer "
		if scheme == "basic" {
			prefix = "Basic "
		}
		return credential{in: "header", name: "Authorization", label: "Authorization", prefix: prefix}, true
	case "oauth2", "openidconnect":
		return credential{in: "header", name: "Authorization", label: "Authorization", prefix: "Bearer "}, true
	}
	return credential{}, false // mutualTLS: nothing to check at the HTTP layer
}

// parameter is one documented parameter with its schema compiled.
type parameter struct {
	name     string
	in       string
	required bool
	explode  bool
	style    string
	kind     valueKind // how to coerce the raw string(s)
	item     valueKind // for arrays: how to coerce each item
	schema   *schema.Schema
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

func (b *builder) parameters(item *openapi3.PathItem, kop *openapi3.Operation, itemPtr, opPtr string) []*parameter {
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
	var out []*parameter
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
		param := &parameter{name: p.Name, in: p.In, required: p.Required || p.In == "path", style: p.Style}
		param.explode = param.style == "" || param.style == "form"
		if p.In != "query" && p.In != "cookie" {
			param.explode = false
		}
		if p.Explode != nil {
			param.explode = *p.Explode
		}
		if p.Schema != nil && p.Schema.Value != nil {
			param.readAs(p.Schema.Value)
			file, ptr = b.locate(file, p.Schema.Ref, ptr+"/schema")
			param.schema = b.compile(file, ptr)
		}
		out = append(out, param)
	}
	sort.SliceStable(out, func(i, j int) bool { return inOrder(out[i].in) < inOrder(out[j].in) })
	return out
}

// readAs sets how the parameter's text is read: as the JSON type its
// schema s allows (and, for an array, its items).
func (p *parameter) readAs(s *openapi3.Schema) {
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

// requestBody is the documented body: media types with compiled schemas.
type requestBody struct {
	required bool
	media    []*mediaType // in document order
}

type mediaType struct {
	name   string // e.g. application/json, application/*, */*
	json   bool   // decode as JSON
	form   bool   // decode as application/x-www-form-urlencoded
	schema *schema.Schema
	props  map[string]valueKind // for forms: how to coerce each field
}

func (b *builder) requestBody(kop *openapi3.Operation, opPtr string) *requestBody {
	if kop.RequestBody == nil || kop.RequestBody.Value == nil {
		return nil
	}
	rb := kop.RequestBody.Value
	file, ptr := b.locate(b.file, kop.RequestBody.Ref, opPtr+"/requestBody")
	out := &requestBody{required: rb.Required}
	for _, name := range slices.Sorted(maps.Keys(rb.Content)) {
		mt := rb.Content[name]
		m := &mediaType{name: strings.ToLower(name), json: isJSON(name)}
		m.form = m.name == "application/x-www-form-urlencoded"
		if mt != nil && mt.Schema != nil { // `application/json:` with nothing under it is nil
			sf, sp := b.locate(file, mt.Schema.Ref, ptr+"/content/"+jsonptr.Escape(name)+"/schema")
			m.schema = b.compile(sf, sp)
			if m.form && mt.Schema.Value != nil {
				m.props = map[string]valueKind{}
				for pn, ps := range mt.Schema.Value.Properties {
					if ps.Value != nil {
						m.props[pn] = kindOf(ps.Value)
					}
				}
			}
		}
		out.media = append(out.media, m)
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

// locate resolves where a possibly-$ref'd object lives: the referenced
// file and pointer, or the inline location when ref is empty.
// base is the file holding the reference (relative refs resolve against it).
func (b *builder) locate(base, ref, inline string) (file, ptr string) {
	if ref == "" {
		return base, inline
	}
	target, frag, _ := strings.Cut(ref, "#")
	file = base
	if target != "" {
		file = filepath.Join(filepath.Dir(base), filepath.FromSlash(target))
	}
	return file, frag
}

func (b *builder) compile(file, ptr string) *schema.Schema {
	sch, err := b.comp.Compile(file, ptr)
	if err != nil {
		*b.diags = b.x.schemaError(*b.diags, file, ptr, err)
		return nil
	}
	return sch
}

func (b *builder) rawOf(file string) *rawdoc.Doc {
	return b.raws[file]
}
