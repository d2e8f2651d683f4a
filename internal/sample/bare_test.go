package sample

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// isBare, which reads the schema's fields, agrees with what it stands
// for: the schema without its annotations encodes as {}. Checked on every
// schema of the test documents and the corpus, on each with its keywords
// one by one, and on schemas holding empty but non-nil values.
func TestIsBareIsWhatTheSchemaEncodes(t *testing.T) {
	encodesEmpty := func(s *openapi3.Schema) bool {
		c := *s
		c.Extensions, c.Origin = nil, nil
		c.Title, c.Description, c.Comment = "", "", ""
		c.Example, c.Examples, c.Default = nil, nil, nil
		c.ExternalDocs, c.XML, c.Discriminator = nil, nil, nil
		c.Deprecated, c.ReadOnly, c.WriteOnly, c.Nullable, c.AllowEmptyValue = false, false, false, false, false
		c.SchemaDialect, c.SchemaID, c.Anchor, c.DynamicAnchor = "", "", "", ""
		c.Defs = nil
		b, err := json.Marshal(&c)
		return err == nil && string(b) == "{}"
	}
	var schemas []*openapi3.Schema
	files, _ := filepath.Glob("../../testdata/corpus/*.yaml")
	for _, f := range append(files, "../../testdata/bigspec/openapi.yaml", "../../spec/arklow.yaml") {
		doc, err := openapi3.NewLoader().LoadFromFile(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, ref := range doc.Components.Schemas {
			walk(ref, func(s *openapi3.Schema) { schemas = append(schemas, s) })
		}
	}
	empty := openapi3.Schema{
		Type: nil, Enum: []any{}, Properties: openapi3.Schemas{}, AllOf: openapi3.SchemaRefs{},
		Description: "only an annotation", Extensions: map[string]any{"x-a": 1},
	}
	schemas = append(schemas, &empty, &openapi3.Schema{Type: &openapi3.Types{}}, &openapi3.Schema{Min: new(float64)},
		&openapi3.Schema{AdditionalProperties: openapi3.AdditionalProperties{Has: new(bool)}},
		&openapi3.Schema{Required: []string{}}, &openapi3.Schema{Items: &openapi3.SchemaRef{Ref: "#/x"}},
		&openapi3.Schema{Const: 0}, &openapi3.Schema{UniqueItems: true}, &openapi3.Schema{MinLength: 0, MaxLength: new(uint64)})
	if len(schemas) < 500 {
		t.Fatalf("only %d schemas to check", len(schemas))
	}
	bare := 0
	for i, s := range schemas {
		if got, want := isBare(s), encodesEmpty(s); got != want {
			b, _ := json.Marshal(s)
			t.Errorf("schema %d %s: isBare = %v, want %v", i, b, got, want)
		}
		if isBare(s) {
			bare++
		}
	}
	if bare == 0 || bare == len(schemas) {
		t.Errorf("%d of %d schemas bare: the check tells nothing apart", bare, len(schemas))
	}
}

// walk calls f on ref's schema and every schema under it, once each.
func walk(ref *openapi3.SchemaRef, f func(*openapi3.Schema)) {
	seen := map[*openapi3.Schema]bool{}
	var visit func(r *openapi3.SchemaRef)
	visit = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil || seen[r.Value] {
			return
		}
		s := r.Value
		seen[s] = true
		f(s)
		// the schema with each keyword group alone cleared, so that bare
		// and not-bare variants of real schemas are both checked
		rest := *s
		rest.Type, rest.Properties, rest.Required = nil, nil, nil
		f(&rest)
		for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, c := range list {
				visit(c)
			}
		}
		for _, c := range s.Properties {
			visit(c)
		}
		visit(s.Items)
		visit(s.Not)
		visit(s.AdditionalProperties.Schema)
	}
	visit(ref)
}
