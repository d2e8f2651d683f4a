package apispec

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/rawdoc"
	"github.com/arklow/arklow-mock/internal/specgen"
)

// The schemas converted from the parsed values make the same model as
// kin's own decoding of the whole document, for every document the tests
// have (those kin refuses included: the conversion then gives up, and
// kin's error stands).
func TestConvertedSchemasAreKins(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../spec/*.yaml", "../../testdata/*/*.yaml", "../specdiag/testdata/*/*/*.yaml", "../specdiag/testdata/*/*/*/*.yaml"} {
		found, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, found...)
	}
	if len(files) < 50 {
		t.Fatalf("%d documents", len(files))
	}
	docs := map[string][]byte{"realistic": specgen.Realistic(23), "every keyword": []byte(everyKeyword)}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[f] = data
	}
	converted := 0
	for name, data := range docs {
		raw, err := rawdoc.Parse(data)
		if err != nil {
			continue // not YAML: the load stops before
		}
		normalize(map[string]*rawdoc.Doc{name: raw})
		whole, wholeErr := decodeWhole(raw.Value)
		fast, ok := decodeConverted(raw.Value)
		switch {
		case wholeErr != nil && ok:
			t.Errorf("%s: kin refuses it (%v), the conversion does not", name, wholeErr)
		case ok && !reflect.DeepEqual(whole, fast):
			t.Errorf("%s: the converted model differs from kin's", name)
		case ok:
			converted++
		}
		if !ok {
			t.Logf("%s: not converted (kin: %v)", name, wholeErr)
		}
		if !ok && (strings.Contains(name, "corpus") || strings.Contains(name, "spec/") || name == "realistic" || name == "every keyword") {
			t.Errorf("%s: not converted", name)
		}
	}
	t.Logf("%d of %d documents converted", converted, len(docs))
}

// everyKeyword has a schema with every keyword kin decodes, nulls, an
// extension, booleans for schemas, and a $ref with siblings.
const everyKeyword = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /x:
    parameters:
      - {name: p, in: query, schema: {type: [string, "null"], enum: [a, null, 1.5], default: null}}
    post:
      requestBody:
        content:
          application/json:
            schema:
              $schema: https://json-schema.org/draft/2020-12/schema
              $id: https://example.com/x
              $anchor: top
              $comment: c
              title: T
              description: D
              type: object
              required: [a]
              properties:
                a: {type: integer, minimum: 1, maximum: 10, exclusiveMinimum: 0, exclusiveMaximum: 11, multipleOf: 1, example: 3, default: 2, examples: [1, 2], const: 3}
                b: {type: string, minLength: 1, maxLength: 5, pattern: "^a", format: email, contentMediaType: text/plain, contentEncoding: base64, contentSchema: {type: string}}
                c: {type: array, minItems: 0, maxItems: 3, uniqueItems: true, items: true, prefixItems: [{type: string}, false], contains: {type: string}, minContains: 1, maxContains: 2, unevaluatedItems: false}
                d: {$ref: '#/components/schemas/D', description: sibling, x-note: n}
                e: {not: {type: "null"}, readOnly: true, writeOnly: false, deprecated: true, xml: {name: e}, externalDocs: {url: "https://example.com"}}
                f: {if: {type: string}, then: {minLength: 1}, else: {type: number}, dependentRequired: {a: [b]}, dependentSchemas: {a: {required: [b]}}, propertyNames: {pattern: "^[a-z]"}}
                g: {oneOf: [{type: string}, {type: number}], discriminator: {propertyName: kind, mapping: {a: '#/components/schemas/D'}}}
                h: {anyOf: [], allOf: [{}], $defs: {x: {type: string}}, $dynamicAnchor: h, unevaluatedProperties: {type: string}}
                i: {additionalProperties: {}, patternProperties: {"^x": {type: string}}, minProperties: 0, maxProperties: 4, x-big: {n: [1, 2.5, {m: null}]}}
                j: {additionalProperties: false, title: null, minimum: null, items: null}
                k: {$dynamicRef: "#h"}
      responses:
        '200':
          description: ok
          headers:
            X-A: {schema: {type: string, example: x}}
          content:
            application/json: {schema: true}
components:
  schemas:
    D: {type: object, x-extension: true}
    E: false
  parameters:
    P: {name: q, in: query, schema: {type: boolean}}
  headers:
    H: {schema: {type: integer}}
  requestBodies:
    B: {content: {application/json: {schema: {type: object}}}}
  responses:
    R: {description: r, headers: {X-B: {schema: {type: string}}}, content: {application/json: {schema: {type: array}}}}
webhooks:
  w:
    post:
      requestBody: {content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
      responses: {'200': {description: ok}}
`
