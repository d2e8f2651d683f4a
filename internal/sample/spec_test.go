package sample_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/arklow/arklow-mock/internal/sample"
)

const bigSpecPath = "../../testdata/bigspec/openapi.yaml"

func loadBigSpec(t *testing.T) *loadedSpec {
	t.Helper()
	data, err := os.ReadFile(bigSpecPath)
	if err != nil {
		t.Fatal(err)
	}
	return loadSpec(t, data)
}

func TestBigSpecLoadsAndValidatesWithKinOpenAPI(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(bigSpecPath)
	if err != nil {
		t.Fatalf("LoadFromFile: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
}

// TestBigSpecCoversWhatTheMockMustHandle pins the features the document
// exists to exercise, so that trimming it cannot silently weaken the mock's
// end-to-end test.
func TestBigSpecCoversWhatTheMockMustHandle(t *testing.T) {
	doc := loadBigSpec(t).doc

	methods := map[string]bool{}
	ids := map[string]bool{}
	publicOps := 0
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			methods[method] = true
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
			}
			if ids[op.OperationID] {
				t.Errorf("operationId %q is used twice", op.OperationID)
			}
			ids[op.OperationID] = true
			if op.Security != nil && len(*op.Security) == 0 {
				publicOps++
			}
		}
	}
	if len(ids) < 14 {
		t.Errorf("document has %d operations, want at least 14", len(ids))
	}
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		if !methods[m] {
			t.Errorf("no %s operation", m)
		}
	}
	if publicOps == 0 {
		t.Error("no operation overrides the global security with security: []")
	}
	scheme := doc.Components.SecuritySchemes["apiKey"]
	if scheme == nil || scheme.Value.Type != "apiKey" || scheme.Value.In != "header" || scheme.Value.Name != "x-arklow-auth" {
		t.Errorf("apiKey security scheme is not a header x-arklow-auth key: %+v", scheme)
	}
	var servers []string
	for _, s := range doc.Servers {
		servers = append(servers, s.URL)
	}
	if !slices.Equal(servers, []string{"https://api.arklow.io", "http://localhost:3123"}) {
		t.Errorf("servers = %v", servers)
	}
}

// TestEveryExampleInBigSpecIsValid checks the media-type example and
// examples values against their schemas with an independent validator.
func TestEveryExampleInBigSpecIsValid(t *testing.T) {
	spec := loadBigSpec(t)
	count := 0
	for _, target := range allSchemasWithMedia(spec.doc) {
		mt := target.media
		if mt.Example != nil {
			spec.check(t, target.ptr, mt.Example)
			count++
		}
		for _, name := range sortedKeys(mt.Examples) {
			spec.check(t, target.ptr, mt.Examples[name].Value.Value)
			count++
		}
	}
	if count < 5 {
		t.Errorf("found %d examples, the document should carry at least 5", count)
	}
}

// TestValueIsValidForEverySchemaInBigSpec is the key property: for every
// schema the mock may have to answer with or accept, the generated value
// is valid according to an independent JSON Schema 2020-12 validator
// (with format assertion), reading the same file.
func TestValueIsValidForEverySchemaInBigSpec(t *testing.T) {
	spec := loadBigSpec(t)
	targets := allSchemas(spec.doc)
	if len(targets) < 80 {
		t.Fatalf("found only %d schemas; the walk over the document is broken", len(targets))
	}
	for _, target := range targets {
		t.Run(strings.TrimPrefix(target.ptr, "/"), func(t *testing.T) {
			spec.generateAndCheck(t, target.ptr, target.ref)
		})
	}
}

// TestIndependentValidatorRejectsWrongValues guards the property test
// against passing vacuously: the validator it relies on must see through
// $refs into components and assert formats.
func TestIndependentValidatorRejectsWrongValues(t *testing.T) {
	spec := loadBigSpec(t)
	member, err := sample.Value(spec.doc.Components.Schemas["Member"])
	if err != nil {
		t.Fatal(err)
	}
	bad := member.(map[string]any)
	bad["email"] = "not an email"
	wrong := []struct {
		name, ptr string
		value     any
	}{
		{"an envelope whose data misses required fields", "/components/schemas/OrgEnvelope",
			map[string]any{"data": map[string]any{}, "errors": nil}},
		{"a member with an invalid email format", "/components/schemas/Member", bad},
		{"a list response whose items break a $ref in items",
			"/paths/~1v1~1orgs/get/responses/200/content/application~1json/schema",
			map[string]any{"data": []any{"org"}, "errors": nil}},
		{"a path parameter breaking its pattern", "/components/parameters/OrgId/schema", "org_TOO_LONG_123"},
	}
	for _, w := range wrong {
		t.Run(w.name, func(t *testing.T) {
			if spec.validate(w.ptr, w.value) == nil {
				t.Errorf("validator accepted %v at %s", w.value, w.ptr)
			}
		})
	}
}

// TestValueFollowsTheRulesOnBigSpec spot-checks that values come from the
// right rule on real schemas, not merely that they are valid.
func TestValueFollowsTheRulesOnBigSpec(t *testing.T) {
	schemas := loadBigSpec(t).doc.Components.Schemas
	tests := []struct {
		name   string
		schema string
		want   string
	}{
		{"schema-level examples are used first", "OrgId", `"org_7c1a9f3b"`},
		{"default is used for an enum with a default", "Plan", `"free"`},
		{"a type of only null gives null", "NoErrors", `null`},
		{"const, formats and patterns are followed", "Health",
			`{"status":"ok","time":"2026-01-01T00:00:00Z","version":"0.0.0"}`},
		{"a recursive tree stops at the first level", "Folder", `{"children":[],"id":1,"name":"string"}`},
		{"allOf parts are merged", "Project",
			`{"budget":0,"created_at":"2026-01-01T00:00:00Z","environment":"production","id":"000000",` +
				`"labels":{},"name":"string","org_id":"org_7c1a9f3b","updated_at":"2026-01-01T00:00:00Z","visibility":"private"}`},
		{"oneOf with a discriminator takes the first branch", "DeliveryPolicy",
			`{"backoff":{"interval_seconds":1,"type":"fixed"},"max_retries":0}`},
		{"a property default is used", "ApiKeyCreate",
			`{"name":"string","scopes":["read"],"ttl_days":90}`},
		{"uniqueItems over an enum takes distinct values and anyOf its first non-null branch", "ApiKey",
			`{"created_at":"2026-01-01T00:00:00Z","expires_at":"2026-01-01T00:00:00Z",` +
				`"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"string","prefix":"ak_live_000000",` +
				`"scopes":["read","write"],"secret":"00000000000000000000000000000000"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertValue(t, schemas[tt.schema], tt.want)
		})
	}
}

type mediaTarget struct {
	ptr   string
	media *openapi3.MediaType
}

// allSchemasWithMedia lists the media types of all request bodies and
// responses, with the pointer of their schema.
func allSchemasWithMedia(doc *openapi3.T) []mediaTarget {
	var out []mediaTarget
	addContent := func(ptr string, content openapi3.Content) {
		for _, mt := range sortedKeys(content) {
			out = append(out, mediaTarget{ptr + "/content/" + escape(mt) + "/schema", content[mt]})
		}
	}
	for _, name := range sortedKeys(doc.Components.RequestBodies) {
		addContent("/components/requestBodies/"+escape(name), doc.Components.RequestBodies[name].Value.Content)
	}
	for _, name := range sortedKeys(doc.Components.Responses) {
		addContent("/components/responses/"+escape(name), doc.Components.Responses[name].Value.Content)
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		ops := doc.Paths.Value(path).Operations()
		for _, method := range sortedKeys(ops) {
			op := ops[method]
			opPtr := "/paths/" + escape(path) + "/" + strings.ToLower(method)
			if b := op.RequestBody; b != nil && b.Ref == "" {
				addContent(opPtr+"/requestBody", b.Value.Content)
			}
			responses := op.Responses.Map()
			for _, status := range sortedKeys(responses) {
				if r := responses[status]; r.Ref == "" {
					addContent(opPtr+"/responses/"+escape(status), r.Value.Content)
				}
			}
		}
	}
	return out
}
