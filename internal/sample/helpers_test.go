package sample_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/arklow/arklow-mock/internal/sample"
)

// specURL is where the generic form of a document is registered with the
// JSON Schema compiler, so "#/components/..." references resolve inside it.
const specURL = "mem://spec.json"

// loadedSpec is one OpenAPI document loaded twice: by kin-openapi (what
// sample.Value consumes) and as a plain JSON value in an independent JSON
// Schema 2020-12 validator (what judges the generated values).
type loadedSpec struct {
	doc      *openapi3.T
	loader   *openapi3.Loader
	compiler *jsonschema.Compiler

	mu       sync.Mutex
	compiled map[string]*jsonschema.Schema // by pointer, for tests that validate many values
}

func loadSpec(t *testing.T, data []byte) *loadedSpec {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the document: %v", err)
	}
	generic, err := yamlToJSON(data)
	if err != nil {
		t.Fatalf("cannot convert the document to JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(specURL, generic); err != nil {
		t.Fatalf("AddResource: %v", err)
	}
	return &loadedSpec{doc: doc, loader: loader, compiler: c}
}

// yamlToJSON decodes YAML into the value encoding/json would produce for
// the same document (string keys, json.Number numbers).
func yamlToJSON(data []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	b, err := json.Marshal(stringKeys(v))
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

// stringKeys converts the map[any]any yaml.v3 makes for non-string keys
// (such as an unquoted status code) into map[string]any.
func stringKeys(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = stringKeys(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[fmt.Sprint(k)] = stringKeys(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = stringKeys(e)
		}
		return out
	}
	return v
}

// check validates v against the schema at JSON pointer ptr of the document.
func (s *loadedSpec) check(t *testing.T, ptr string, v any) {
	t.Helper()
	if err := s.validate(ptr, v); err != nil {
		b, _ := json.Marshal(v)
		t.Errorf("value for %s is invalid:\nvalue: %s\n%v", ptr, b, err)
	}
}

// validate returns why v is invalid against the schema at JSON pointer ptr.
func (s *loadedSpec) validate(ptr string, v any) error {
	sch, err := s.compile(ptr)
	if err != nil {
		return fmt.Errorf("compile: %w", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// compile compiles the schema at ptr once.
func (s *loadedSpec) compile(ptr string) (*jsonschema.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.compiled[ptr]; ok {
		return sch, nil
	}
	sch, err := s.compiler.Compile(specURL + "#" + ptr)
	if err != nil {
		return nil, err
	}
	if s.compiled == nil {
		s.compiled = make(map[string]*jsonschema.Schema)
	}
	s.compiled[ptr] = sch
	return sch, nil
}

// generateAndCheck builds a value for ref and validates it against ptr.
func (s *loadedSpec) generateAndCheck(t *testing.T, ptr string, ref *openapi3.SchemaRef) {
	t.Helper()
	v, err := sample.Value(ref)
	if err != nil {
		t.Errorf("Value(%s): %v", ptr, err)
		return
	}
	s.check(t, ptr, v)
	// The mock validates with kin-openapi too: its values must pass both
	// of kin's validators.
	if err := ref.Value.VisitJSON(v); err != nil {
		t.Errorf("kin-openapi rejects the value for %s: %v", ptr, err)
	}
	if err := ref.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("kin-openapi (JSON Schema 2020) rejects the value for %s: %v", ptr, err)
	}
}

// schemaTarget is a schema of the document with its JSON pointer.
type schemaTarget struct {
	ptr string
	ref *openapi3.SchemaRef
}

// allSchemas lists every component schema and every parameter, header,
// request body and response schema of the document. Parameters, bodies and
// responses written as $ref are listed once, under components.
func allSchemas(doc *openapi3.T) []schemaTarget {
	var out []schemaTarget
	add := func(ptr string, ref *openapi3.SchemaRef) {
		if ref != nil {
			out = append(out, schemaTarget{ptr, ref})
		}
	}
	addParam := func(ptr string, p *openapi3.ParameterRef) {
		if p.Ref == "" {
			add(ptr+"/schema", p.Value.Schema)
		}
	}
	addContent := func(ptr string, content openapi3.Content) {
		for _, mt := range sortedKeys(content) {
			add(ptr+"/content/"+escape(mt)+"/schema", content[mt].Schema)
		}
	}
	addBody := func(ptr string, b *openapi3.RequestBodyRef) {
		if b != nil && b.Ref == "" {
			addContent(ptr, b.Value.Content)
		}
	}
	addResponse := func(ptr string, r *openapi3.ResponseRef) {
		if r.Ref != "" {
			return
		}
		addContent(ptr, r.Value.Content)
		for _, h := range sortedKeys(r.Value.Headers) {
			if hr := r.Value.Headers[h]; hr.Ref == "" {
				add(ptr+"/headers/"+escape(h)+"/schema", hr.Value.Schema)
			}
		}
	}

	comp := doc.Components
	for _, name := range sortedKeys(comp.Schemas) {
		add("/components/schemas/"+escape(name), comp.Schemas[name])
	}
	for _, name := range sortedKeys(comp.Parameters) {
		addParam("/components/parameters/"+escape(name), comp.Parameters[name])
	}
	for _, name := range sortedKeys(comp.RequestBodies) {
		addBody("/components/requestBodies/"+escape(name), comp.RequestBodies[name])
	}
	for _, name := range sortedKeys(comp.Responses) {
		addResponse("/components/responses/"+escape(name), comp.Responses[name])
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		base := "/paths/" + escape(path)
		for i, p := range item.Parameters {
			addParam(fmt.Sprintf("%s/parameters/%d", base, i), p)
		}
		ops := item.Operations()
		for _, method := range sortedKeys(ops) {
			op := ops[method]
			opPtr := base + "/" + strings.ToLower(method)
			for i, p := range op.Parameters {
				addParam(fmt.Sprintf("%s/parameters/%d", opPtr, i), p)
			}
			addBody(opPtr+"/requestBody", op.RequestBody)
			responses := op.Responses.Map()
			for _, status := range sortedKeys(responses) {
				addResponse(opPtr+"/responses/"+escape(status), responses[status])
			}
		}
	}
	return out
}

// escape escapes one JSON pointer token.
func escape(token string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(token)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
