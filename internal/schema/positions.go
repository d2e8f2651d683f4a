package schema

import (
	"net/url"
	"strings"

	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The JSON Schema compiler knows where the subschemas of a schema are, but
// an OpenAPI document is not a schema: its schemas sit under paths and
// components. Compiling one of them, the compiler first copies everything
// it has already processed in that document (to stay consistent if the
// new one fails), so compiling the n schemas of a document cost O(n²) —
// over a second for a 660 KB document. openAPIPositions tells it where an
// OpenAPI document's schemas are, as a vocabulary's subschema locations:
// they are all processed once, with the document, and each compile then
// finds its schema already known.
//
// The compiler checks a schema against the meta-schema when it first
// processes it as a subschema; for the positions found with the document
// that check does not run, so Compile runs it (checkMeta).

// openAPIPositions is a vocabulary with no keywords, only subschema
// locations: those of an OpenAPI 3.1 document's schemas, in the sections
// the documents docs have. The compiler tries every location at every
// schema it meets (and allocates for each try), so a section no document
// has is left out.
func openAPIPositions(docs map[string]any) *jsonschema.Vocabulary {
	has := func(section ...string) bool {
		for _, doc := range docs {
			if _, ok := jsonptr.Lookup(doc, "/"+strings.Join(section, "/")); ok {
				return true
			}
		}
		return false
	}
	p := func(name string) jsonschema.Position { return jsonschema.Prop(name) }
	each := jsonschema.AllProp{}
	item := jsonschema.AllItem{}
	path := func(pos ...jsonschema.Position) jsonschema.SchemaPath { return pos }
	// media is the schemas of a content map under pos.
	media := func(pos ...jsonschema.Position) jsonschema.SchemaPath {
		return append(path(pos...), p("content"), each, p("schema"))
	}
	var positions []jsonschema.SchemaPath
	for _, ops := range []string{"paths", "webhooks"} {
		if !has(ops) {
			continue
		}
		op := []jsonschema.Position{p(ops), each, each} // paths./x.post
		positions = append(positions,
			media(append(op, p("requestBody"))...),
			media(append(op, p("responses"), each)...),
			append(path(op...), p("responses"), each, p("headers"), each, p("schema")),
			append(path(op...), p("parameters"), item, p("schema")),
			path(p(ops), each, p("parameters"), item, p("schema")), // path-level parameters
		)
	}
	c := p("components")
	for _, section := range []struct {
		name      string
		positions []jsonschema.SchemaPath
	}{
		{"schemas", []jsonschema.SchemaPath{path(c, p("schemas"), each)}},
		{"parameters", []jsonschema.SchemaPath{path(c, p("parameters"), each, p("schema"))}},
		{"headers", []jsonschema.SchemaPath{path(c, p("headers"), each, p("schema"))}},
		{"requestBodies", []jsonschema.SchemaPath{media(c, p("requestBodies"), each)}},
		{"responses", []jsonschema.SchemaPath{media(c, p("responses"), each), path(c, p("responses"), each, p("headers"), each, p("schema"))}},
	} {
		if has("components", section.name) {
			positions = append(positions, section.positions...)
		}
	}
	return &jsonschema.Vocabulary{
		URL:        "urn:arklow-mock:openapi-schema-positions",
		Subschemas: positions,
		Compile: func(*jsonschema.CompilerContext, map[string]any) (jsonschema.SchemaExt, error) {
			return nil, nil // no keywords
		},
	}
}

// metaSchema is JSON Schema 2020-12's meta-schema, the default dialect of
// an OpenAPI 3.1 document's schemas.
const metaSchema = "https://json-schema.org/draft/2020-12/schema"

// checkMeta checks the schema at ptr of the document at u against the
// meta-schema, once per location, as the compiler would have done had it
// met the schema first at compile time.
func (c *Compiler) checkMeta(u, ptr string) error {
	loc := u + "#" + ptr
	if err, ok := c.checked[loc]; ok {
		return err
	}
	for p := ptr; p != ""; { // a schema inside one checked whole was checked with it
		p = p[:strings.LastIndexByte(p, '/')]
		if err, ok := c.checked[u+"#"+p]; ok && err == nil {
			return nil
		}
	}
	doc, ok := c.docs[u]
	if !ok {
		return nil // a file read on demand: the compiler processes it as usual
	}
	v, ok := jsonptr.Lookup(doc, ptr)
	if !ok {
		return nil // the compiler reports the bad pointer
	}
	if c.meta == nil {
		m, err := c.c.Compile(metaSchema)
		if err != nil {
			return err
		}
		c.meta = m
	}
	var err error
	if verr := c.meta.Validate(v); verr != nil {
		err = &jsonschema.SchemaValidationError{URL: loc, Err: verr}
	}
	c.checked[loc] = err
	if err == nil {
		// A schema that is a $ref checks its target too, where it is
		// written, so that a problem there is named at its own place.
		if m, ok := v.(map[string]any); ok {
			if ref, ok := m["$ref"].(string); ok {
				if tu, tp, ok := c.refTarget(u, ref); ok {
					err = c.checkMeta(tu, tp)
				}
			}
		}
	}
	return err
}

// refTarget resolves a $ref written in the document at u to a document
// of the compiler and a pointer, when it names one by a JSON pointer.
func (c *Compiler) refTarget(u, ref string) (string, string, bool) {
	file, ptr, found := strings.Cut(ref, "#")
	if !found || ptr != "" && !strings.HasPrefix(ptr, "/") {
		return "", "", false
	}
	if file != "" {
		u = file
	}
	if _, ok := c.docs[u]; !ok {
		return "", "", false
	}
	p, err := url.PathUnescape(ptr)
	if err != nil {
		return "", "", false
	}
	return u, p, true
}
