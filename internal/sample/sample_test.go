package sample_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"

	ecma "github.com/arklow/arklow-mock/internal/schema/pattern"

	"github.com/arklow/arklow-mock/internal/sample"
)

// valueCase is one inline JSON Schema and the exact JSON Value must give.
// Every expected value is also checked with an independent JSON Schema
// 2020-12 validator, unless invalid says the rule knowingly gives up.
type valueCase struct {
	name    string
	schema  string
	want    string
	invalid bool
}

func runValueCases(t *testing.T, cases []valueCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := assertValue(t, inlineSchema(t, tc.schema), tc.want)
			if !tc.invalid {
				validateInline(t, tc.schema, v)
			}
		})
	}
}

func inlineSchema(t *testing.T, js string) *openapi3.SchemaRef {
	t.Helper()
	var s openapi3.Schema
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatalf("bad test schema %s: %v", js, err)
	}
	return openapi3.NewSchemaRef("", &s)
}

// assertValue checks that Value(ref) marshals to want and returns the value.
func assertValue(t *testing.T, ref *openapi3.SchemaRef, want string) any {
	t.Helper()
	v, err := sample.Value(ref)
	if err != nil {
		t.Fatalf("Value: %v", err)
	}
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %#v: %v", v, err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(want)); err != nil {
		t.Fatalf("bad want %s: %v", want, err)
	}
	if string(got) != compact.String() {
		t.Errorf("Value = %s\n          want %s", got, compact.String())
	}
	return v
}

// validateInline validates v against a standalone JSON Schema document.
func validateInline(t *testing.T, schemaJSON string, v any) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schemaJSON))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseRegexpEngine(func(src string) (jsonschema.Regexp, error) { return ecma.Compile(src) })
	if err := c.AddResource("mem://inline.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("mem://inline.json")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("value %s is invalid against %s:\n%v", b, schemaJSON, err)
	}
}

func assertError(t *testing.T, ref *openapi3.SchemaRef, wantParts ...string) {
	t.Helper()
	v, err := sample.Value(ref)
	if err == nil {
		t.Fatalf("Value = %#v, want an error", v)
	}
	for _, part := range wantParts {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not mention %q", err, part)
		}
	}
}

func TestValueTakesLiteralsInRuleOrder(t *testing.T) {
	runValueCases(t, []valueCase{
		{"const wins over examples, example, default and enum",
			`{"const": "c", "examples": ["x"], "example": "e", "default": "d", "enum": ["c", "z"]}`, `"c"`, false},
		{"the first of examples wins over example and default",
			`{"type": "string", "examples": ["x", "y"], "example": "e", "default": "d"}`, `"x"`, false},
		{"example wins over default",
			`{"type": "string", "example": "e", "default": "d"}`, `"e"`, false},
		{"default wins over enum",
			`{"enum": ["a", "b"], "default": "b"}`, `"b"`, false},
		{"the first enum value is used",
			`{"type": "string", "enum": ["a", "b"]}`, `"a"`, false},
		{"a null const gives null",
			`{"type": "null", "const": null}`, `null`, false},
		{"numbers in literals keep their written value",
			`{"type": "number", "example": 1.25}`, `1.25`, false},
		{"object examples are returned whole",
			`{"type": "object", "example": {"a": [1, 2], "b": {"c": null}}}`, `{"a": [1, 2], "b": {"c": null}}`, false},
	})
}

func TestValueReturnsFreshJSONValues(t *testing.T) {
	ref := inlineSchema(t, `{"type": "object", "example": {"n": 3, "list": [1]}}`)
	v, err := sample.Value(ref)
	if err != nil {
		t.Fatal(err)
	}
	obj := v.(map[string]any)
	if n, ok := obj["n"].(json.Number); !ok || n != "3" {
		t.Errorf("n = %#v, want json.Number(\"3\")", obj["n"])
	}
	obj["n"] = "changed"
	again, _ := sample.Value(ref)
	if again.(map[string]any)["n"] != json.Number("3") {
		t.Error("changing a returned value changed the schema's example")
	}
}

func TestValueBuildsEachType(t *testing.T) {
	runValueCases(t, []valueCase{
		{"a boolean is true", `{"type": "boolean"}`, `true`, false},
		{"a plain string is the word string", `{"type": "string"}`, `"string"`, false},
		{"an integer without bounds is zero", `{"type": "integer"}`, `0`, false},
		{"a number without bounds is zero", `{"type": "number"}`, `0`, false},
		{"null is built only when it is the sole type", `{"type": "null"}`, `null`, false},
		{"a type list prefers the first non-null type", `{"type": ["null", "integer"], "minimum": 2}`, `2`, false},
		{"a type list with several types takes the first", `{"type": ["string", "integer"]}`, `"string"`, false},
		{"a schema without any constraint is an empty object", `{}`, `{}`, false},
		{"true as a schema is an empty object", `true`, `{}`, false},
		{"a missing type is inferred from properties", `{"properties": {"a": {"type": "boolean"}}}`, `{"a": true}`, false},
		{"a missing type is inferred from items", `{"items": {"type": "boolean"}}`, `[true]`, false},
		{"a missing type is inferred from a string format", `{"format": "date"}`, `"2026-01-01"`, false},
		{"a missing type is inferred from numeric bounds", `{"minimum": 4}`, `4`, false},
	})
}

func TestValueOfFalseSchemaIsAnError(t *testing.T) {
	assertError(t, inlineSchema(t, `false`), "false")
}

func TestValueResolvesComposition(t *testing.T) {
	runValueCases(t, []valueCase{
		{"anyOf takes the first non-null branch even when null comes first",
			`{"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 3}]}`, `3`, false},
		{"anyOf with only a null branch gives null",
			`{"anyOf": [{"type": "null"}]}`, `null`, false},
		{"anyOf combines the branch with sibling keywords",
			`{"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}},
			  "anyOf": [{"required": ["name"], "properties": {"name": {"type": "string", "maxLength": 3}}}]}`,
			`{"id": 0, "name": "str"}`, false},
		{"oneOf keeps the first branch when its value matches no other branch",
			`{"oneOf": [{"type": "string"}, {"type": "integer"}]}`, `"string"`, false},
		{"oneOf skips a branch whose value also matches another branch",
			`{"oneOf": [{"type": "integer", "minimum": 50}, {"type": "integer", "maximum": 100}]}`, `0`, false},
		{"oneOf tries another value of the same branch before moving on",
			`{"oneOf": [{"type": "integer", "minimum": 0}, {"type": "integer", "minimum": 0, "maximum": 2}]}`, `3`, false},
		{"oneOf drops optional properties that another branch requires",
			`{"oneOf": [
			   {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}},
			   {"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}}]}`,
			`{}`, false},
		{"oneOf branches told apart by const",
			`{"oneOf": [
			   {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "a"}}},
			   {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "b"}}}]}`,
			`{"kind": "a"}`, false},
		{"oneOf falls back to the first branch when every value overlaps",
			`{"oneOf": [{"type": "number"}, {"type": "integer"}]}`, `0`, true},
		{"allOf merges the properties and required lists of all parts",
			`{"allOf": [
			   {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
			   {"required": ["b"], "properties": {"b": {"type": "integer", "minimum": 2}}}]}`,
			`{"a": "string", "b": 2}`, false},
		{"allOf intersects types and numeric bounds",
			`{"allOf": [{"type": ["number", "null"], "minimum": 3}, {"type": "integer", "minimum": 7, "maximum": 9}]}`, `7`, false},
		{"allOf intersects string lengths",
			`{"allOf": [{"type": "string", "minLength": 8}, {"maxLength": 8}]}`, `"stringxx"`, false},
		{"allOf combines multipleOf",
			`{"allOf": [{"type": "integer", "multipleOf": 4, "minimum": 1}, {"multipleOf": 6}]}`, `12`, false},
		{"allOf intersects enums",
			`{"allOf": [{"enum": ["a", "b", "c"]}, {"enum": ["c", "b"]}]}`, `"b"`, false},
		{"a property in two allOf parts satisfies both",
			`{"allOf": [
			   {"required": ["n"], "properties": {"n": {"type": "integer", "minimum": 5}}},
			   {"properties": {"n": {"maximum": 5}}}]}`,
			`{"n": 5}`, false},
		{"allOf leaves out properties another part forbids",
			`{"allOf": [
			   {"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}},
			   {"properties": {"b": {"type": "string"}}}]}`,
			`{"a": "string"}`, false},
		{"allOf with a second pattern checks the value against both",
			`{"allOf": [{"type": "string", "pattern": "^[a-z]+$"}, {"pattern": "^[a-c]"}]}`, `"a"`, false},
	})
}

func TestValueReportsContradictoryComposition(t *testing.T) {
	assertError(t, inlineSchema(t, `{"allOf": [{"const": 1}, {"const": 2}]}`), "const")
	assertError(t, inlineSchema(t, `{"allOf": [{"type": "string"}, {"type": "integer"}]}`), "nothing in common")
	assertError(t, inlineSchema(t, `{"allOf": [{"type": "string", "pattern": "^a"}, {"pattern": "^b"}]}`), "allOf[1]")
}

func TestValueBuildsObjects(t *testing.T) {
	runValueCases(t, []valueCase{
		{"required and optional properties are all present",
			`{"type": "object", "required": ["b"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}`,
			`{"a": "string", "b": 0}`, false},
		{"maxProperties stops optional properties after the required ones",
			`{"type": "object", "maxProperties": 2, "required": ["z"],
			  "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}, "z": {"type": "boolean"}}}`,
			`{"a": 0, "z": true}`, false},
		{"minProperties adds properties from additionalProperties",
			`{"type": "object", "minProperties": 2, "additionalProperties": {"type": "integer"}}`,
			`{"property1": 0, "property2": 0}`, false},
		{"propertyNames names the added properties",
			`{"type": "object", "minProperties": 2, "propertyNames": {"pattern": "^x-[a-z]+$"}}`,
			`{"x-a": {}, "x-b": {}}`, false},
		{"patternProperties give the schema of a required property not declared",
			`{"type": "object", "required": ["x-id"], "patternProperties": {"^x-": {"type": "integer", "minimum": 9}}}`,
			`{"x-id": 9}`, false},
		{"dependentRequired adds the dependent properties",
			`{"type": "object", "properties": {"card": {"type": "string"}}, "dependentRequired": {"card": ["billing"]}}`,
			`{"billing": {}, "card": "string"}`, false},
	})
}

func TestValueReportsForbiddenRequiredProperty(t *testing.T) {
	assertError(t, inlineSchema(t, `{"type": "object", "required": ["x"], "additionalProperties": false}`),
		`"x"`, "additionalProperties")
}

func TestValueBuildsArrays(t *testing.T) {
	runValueCases(t, []valueCase{
		{"an array has one item by default",
			`{"type": "array", "items": {"type": "integer"}}`, `[0]`, false},
		{"minItems sets the number of items",
			`{"type": "array", "minItems": 3, "items": {"type": "integer"}}`, `[0, 0, 0]`, false},
		{"maxItems 0 gives an empty array",
			`{"type": "array", "maxItems": 0, "items": {"type": "integer"}}`, `[]`, false},
		{"prefixItems come first, then items",
			`{"type": "array", "minItems": 3, "prefixItems": [{"type": "string"}, {"type": "boolean"}], "items": {"type": "integer"}}`,
			`["string", true, 0]`, false},
		{"items false stops after prefixItems",
			`{"type": "array", "minItems": 1, "prefixItems": [{"type": "string"}], "items": false}`, `["string"]`, false},
		{"uniqueItems makes numbers distinct",
			`{"type": "array", "minItems": 3, "uniqueItems": true, "items": {"type": "integer", "minimum": 1}}`,
			`[1, 2, 3]`, false},
		{"uniqueItems over an enum uses each value once",
			`{"type": "array", "minItems": 2, "uniqueItems": true, "items": {"enum": ["a", "b", "c"]}}`,
			`["a", "b"]`, false},
		{"uniqueItems makes formatted strings distinct",
			`{"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "format": "uuid"}}`,
			`["3fa85f64-5717-4562-b3fc-2c963f66afa6", "3fa85f64-5717-4562-b3fc-2c963f66afa7"]`, false},
		{"uniqueItems makes pattern strings distinct",
			`{"type": "array", "minItems": 3, "uniqueItems": true, "items": {"type": "string", "pattern": "^[a-c][0-9]$"}}`,
			`["a0", "a1", "a2"]`, false},
		{"uniqueItems makes objects distinct through one property",
			`{"type": "array", "minItems": 2, "uniqueItems": true,
			  "items": {"type": "object", "required": ["kind", "n"], "properties": {"kind": {"const": "k"}, "n": {"type": "integer"}}}}`,
			`[{"kind": "k", "n": 0}, {"kind": "k", "n": 1}]`, false},
		{"uniqueItems makes booleans distinct",
			`{"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "boolean"}}`, `[true, false]`, false},
		{"contains makes an item satisfy it",
			`{"type": "array", "items": {"type": "integer"}, "contains": {"minimum": 5}}`, `[5]`, false},
	})
}

func TestValueReportsTooFewDistinctItems(t *testing.T) {
	assertError(t, inlineSchema(t, `{"type": "array", "uniqueItems": true, "minItems": 3, "items": {"enum": ["a", "b"]}}`),
		"item 2")
}

func TestValueBuildsStringFormats(t *testing.T) {
	formats := []struct{ format, want string }{
		{"date-time", "2026-01-01T00:00:00Z"},
		{"date", "2026-01-01"},
		{"time", "00:00:00Z"},
		{"duration", "P1D"},
		{"email", "user@example.com"},
		{"uuid", "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
		{"uri", "https://example.com/"},
		{"uri-reference", "/example"},
		{"hostname", "host.example.com"},
		{"ipv4", "192.0.2.1"},
		{"ipv6", "2001:db8::1"},
		{"byte", "c3RyaW5n"},
		{"json-pointer", "/example"},
		{"password", "string"}, // unknown to JSON Schema: a plain string
	}
	var cases []valueCase
	for _, f := range formats {
		cases = append(cases, valueCase{
			name:   "format " + f.format + " gives a fixed valid value",
			schema: `{"type": "string", "format": "` + f.format + `"}`,
			want:   `"` + f.want + `"`,
		})
	}
	runValueCases(t, cases)
}

func TestValueFitsPlainStringsToLength(t *testing.T) {
	runValueCases(t, []valueCase{
		{"minLength pads a plain string", `{"type": "string", "minLength": 9}`, `"stringxxx"`, false},
		{"maxLength cuts a plain string", `{"type": "string", "maxLength": 3}`, `"str"`, false},
		{"maxLength 0 gives the empty string", `{"type": "string", "maxLength": 0}`, `""`, false},
		{"a format value too long for maxLength is not used",
			`{"type": "string", "format": "password", "minLength": 2, "maxLength": 4}`, `"stri"`, false},
	})
}

func TestValueGeneratesStringsFromPatterns(t *testing.T) {
	runValueCases(t, []valueCase{
		{"a digit class repeated once", `{"type": "string", "pattern": "^[0-9]+$"}`, `"0"`, false},
		{"a literal prefix then a counted class", `{"type": "string", "pattern": "^org_[a-z0-9]{8}$"}`, `"org_00000000"`, false},
		{"alternation takes the first branch", `{"type": "string", "pattern": "^ak_(live|test)_[A-Za-z0-9]{6}$"}`, `"ak_live_000000"`, false},
		{"shorthand classes and optional parts", `{"type": "string", "pattern": "^\\d{3}-\\w+\\s?$"}`, `"000-0"`, false},
		{"a negated class gives a readable character", `{"type": "string", "pattern": "^[^/]+$"}`, `"0"`, false},
		{"escaped dots stay literal", `{"type": "string", "pattern": "^[0-9]+\\.[0-9]+$"}`, `"0.0"`, false},
		{"minLength repeats the repeatable part", `{"type": "string", "pattern": "^[a-z]+$", "minLength": 5}`, `"aaaaa"`, false},
		{"minLength with a fixed prefix", `{"type": "string", "pattern": "^id-[0-9]+$", "minLength": 6}`, `"id-000"`, false},
		{"an unanchored pattern is padded to minLength", `{"type": "string", "pattern": "ab", "minLength": 4}`, `"abbb"`, false},
		{"maxLength keeps the minimum repetitions", `{"type": "string", "pattern": "^[A-Z]{2}[0-9]{3,}$", "maxLength": 6}`, `"AA000"`, false},
		{"two growing parts meet an exact length by padding",
			`{"type": "string", "pattern": "^[a-z]+-[0-9]+$", "minLength": 4, "maxLength": 4}`, `"a-00"`, false},
		{"a format value is used when it matches the pattern",
			`{"type": "string", "format": "date", "pattern": "^2026-"}`, `"2026-01-01"`, false},
		{"the pattern wins when the format value does not match it",
			`{"type": "string", "format": "email", "pattern": "^[a-z]+@corp\\.example$"}`, `"a@corp.example"`, false},
	})
}

func TestValueGeneratesStringsFromECMAPatterns(t *testing.T) {
	runValueCases(t, []valueCase{
		{"a negative lookahead", `{"type": "string", "pattern": "^(?!foo)[a-z]+$"}`, `"a"`, false},
		{"a lookbehind", `{"type": "string", "pattern": "^[a-z]+(?<!x)$"}`, `"a"`, false},
		{"a \\u escape", `{"type": "string", "pattern": "^\\u0041+$"}`, `"A"`, false},
		{"a format value checked against a lookahead",
			`{"type": "string", "format": "date", "pattern": "^(?!1999)"}`, `"2026-01-01"`, false},
	})
}

// Generation walks an ECMA pattern without its lookarounds and
// backreferences; when no candidate then matches, it fails naming the
// pattern (a load warning), never panics or returns a non-matching value.
func TestValueReportsUngeneratableECMAPatterns(t *testing.T) {
	assertError(t, inlineSchema(t, `{"type": "string", "pattern": "^(?!a)[a-z]+$"}`), "^(?!a)[a-z]+$")
	assertError(t, inlineSchema(t, `{"type": "string", "pattern": "^(ab)\\1$"}`), `^(ab)\\1$`)
	assertError(t, inlineSchema(t, `{"type": "string", "pattern": "[0-9"}`), "[0-9", "missing closing ]")
}

func TestValueReportsImpossiblePatternNamingTheSchema(t *testing.T) {
	spec := loadSpec(t, []byte(`
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Holder:
      type: object
      required: [code]
      properties:
        code: {$ref: '#/components/schemas/ShortCode'}
    ShortCode:
      type: string
      pattern: '^[0-9]{3}$'
      minLength: 5
`))
	assertError(t, spec.doc.Components.Schemas["Holder"], `property "code"`, "#/components/schemas/ShortCode", "^[0-9]{3}$")
	assertError(t, inlineSchema(t, `{"title": "Titled", "type": "string", "pattern": "(?=x)"}`), "Titled", "pattern")
}

func TestValueBuildsNumbers(t *testing.T) {
	runValueCases(t, []valueCase{
		{"minimum is used", `{"type": "integer", "minimum": 3}`, `3`, false},
		{"a negative maximum is used when zero is not allowed", `{"type": "integer", "maximum": -4}`, `-4`, false},
		{"zero is used when only a positive maximum is set", `{"type": "integer", "maximum": 10}`, `0`, false},
		{"exclusiveMinimum gives the next integer", `{"type": "integer", "exclusiveMinimum": 3}`, `4`, false},
		{"exclusiveMaximum below zero gives the integer under it", `{"type": "number", "exclusiveMaximum": -2}`, `-3`, false},
		{"a narrow exclusive range gives its midpoint",
			`{"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}`, `0.5`, false},
		{"the tighter of minimum and exclusiveMinimum wins",
			`{"type": "integer", "minimum": 5, "exclusiveMinimum": 5}`, `6`, false},
		{"multipleOf rounds up from the minimum", `{"type": "integer", "minimum": 7, "multipleOf": 5}`, `10`, false},
		{"a decimal multipleOf above an exclusive minimum is exact",
			`{"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01}`, `0.01`, false},
		{"a decimal multipleOf rounds up from a decimal minimum",
			`{"type": "number", "minimum": 0.061, "multipleOf": 0.01}`, `0.07`, false},
		{"exclusive bounds with multipleOf skip the bound itself",
			`{"type": "number", "exclusiveMinimum": 0.1, "exclusiveMaximum": 0.35, "multipleOf": 0.05}`, `0.15`, false},
		{"an integer with a fractional multipleOf steps by an integer",
			`{"type": "integer", "minimum": 1, "multipleOf": 2.5}`, `5`, false},
		{"a number minimum may be fractional", `{"type": "number", "minimum": -1.5}`, `-1.5`, false},
		{"int64 without bounds is still zero", `{"type": "integer", "format": "int64"}`, `0`, false},
		{"int32 caps a larger maximum", `{"type": "integer", "format": "int32", "minimum": 2147483647}`, `2147483647`, false},
	})
}

func TestValueReadsOpenAPI30BooleanExclusiveBounds(t *testing.T) {
	yes := true
	three, ten := 3.0, 10.0
	ref := openapi3.NewSchemaRef("", &openapi3.Schema{
		Type:         &openapi3.Types{openapi3.TypeInteger},
		Min:          &three,
		ExclusiveMin: openapi3.ExclusiveBound{Bool: &yes},
		Max:          &ten,
		ExclusiveMax: openapi3.ExclusiveBound{Bool: &yes},
	})
	assertValue(t, ref, `4`)

	ref = openapi3.NewSchemaRef("", &openapi3.Schema{
		Type:         &openapi3.Types{openapi3.TypeInteger},
		Max:          &three,
		ExclusiveMax: openapi3.ExclusiveBound{Bool: &yes},
		Min:          &three,
	})
	assertError(t, ref, "no integer")
}

func TestValueReportsEmptyNumericRange(t *testing.T) {
	assertError(t, inlineSchema(t, `{"type": "integer", "minimum": 1.2, "maximum": 1.8}`), "no integer", "[6/5, 9/5]")
	assertError(t, inlineSchema(t, `{"type": "integer", "format": "int32", "minimum": 2147483648}`), "no integer")
}

const recursiveSpec = `
openapi: 3.1.0
info: {title: recursion, version: '1'}
paths: {}
components:
  schemas:
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        next: {$ref: '#/components/schemas/Node'}
    Tree:
      type: object
      required: [value, children]
      properties:
        value: {type: integer}
        children:
          type: array
          items: {$ref: '#/components/schemas/Tree'}
        parent:
          anyOf:
            - $ref: '#/components/schemas/Tree'
            - type: 'null'
    Chain:
      type: object
      required: [parent]
      properties:
        parent:
          anyOf:
            - $ref: '#/components/schemas/Chain'
            - type: 'null'
    Outer:
      type: object
      required: [inner]
      properties:
        inner: {$ref: '#/components/schemas/Inner'}
    Inner:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        outer: {$ref: '#/components/schemas/Outer'}
    Endless:
      type: object
      required: [next]
      properties:
        next: {$ref: '#/components/schemas/Endless'}
`

func TestValueStopsRecursion(t *testing.T) {
	spec := loadSpec(t, []byte(recursiveSpec))
	schemas := spec.doc.Components.Schemas
	tests := []struct{ name, schema, want string }{
		{"an optional recursive property is left out", "Node", `{"name": "string"}`},
		{"an array of the recursive type is empty and an optional parent left out", "Tree", `{"children": [], "value": 0}`},
		{"a required nullable recursive property is null", "Chain", `{"parent": null}`},
		{"recursion through another schema stops when it comes back", "Outer", `{"inner": {"id": 0}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := assertValue(t, schemas[tt.schema], tt.want)
			spec.check(t, "/components/schemas/"+tt.schema, v)
		})
	}
	t.Run("a required recursive property without a way out is an error", func(t *testing.T) {
		assertError(t, schemas["Endless"], "too deep", "#/components/schemas/Endless")
	})
}

func TestValueRejectsNilAndUnresolvedSchemas(t *testing.T) {
	if _, err := sample.Value(nil); err == nil {
		t.Error("Value(nil) did not fail")
	}
	assertError(t, &openapi3.SchemaRef{Ref: "#/components/schemas/Missing"}, "#/components/schemas/Missing")
}
