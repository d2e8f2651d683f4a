package apispec

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/rawdoc"
	"github.com/arklow/arklow-mock/internal/specgen"
	"github.com/getkin/kin-openapi/openapi3"
)

// The model converted from the parsed values is the one kin's own
// decoding makes, for every document the tests have (those kin refuses
// included: the conversion then gives up, and kin's error stands).
func TestConvertedModelIsKins(t *testing.T) {
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
	docs := map[string][]byte{"realistic": specgen.Realistic(23), "every keyword": []byte(everyKeyword), "every object": []byte(everyObject)}
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
		if !ok && (strings.Contains(name, "corpus") || strings.Contains(name, "spec/") || name == "realistic" || strings.HasPrefix(name, "every ")) {
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

// everyObject has every kind of object kin decodes, with extensions,
// nulls, $refs with siblings and what the conversion hands to kin.
const everyObject = `openapi: 3.1.0
x-top: {a: [1, null]}
jsonSchemaDialect: https://json-schema.org/draft/2020-12/schema
info: {title: t, version: "1", x-i: 1, contact: {name: c}, license: {name: MIT}}
servers: [{url: "https://example.com/{v}", variables: {v: {default: v1, enum: [v1]}}}]
security: [{k: []}, {}]
tags: [{name: a, description: d, x-t: true}]
externalDocs: {url: "https://example.com"}
paths:
  x-paths: 1
  /null: null
  /ref: {$ref: '#/components/pathItems/P', summary: s}
  /a/{id}:
    summary: s
    description: d
    x-item: [1]
    servers: [{url: /v2}]
    parameters:
      - {$ref: '#/components/parameters/P', description: beside}
      - {name: id, in: path, required: true, schema: {type: string}, x-p: 1, example: 5, examples: {e: {value: 1}}}
    get:
      tags: [a]
      operationId: get
      deprecated: true
      security: []
      servers: null
      externalDocs: {url: "https://example.com"}
      x-op: {k: v}
      parameters:
        - {name: q, in: query, explode: false, style: form, allowEmptyValue: true, allowReserved: true, deprecated: false, content: {application/json: {schema: {type: object}}}}
        - null
      callbacks:
        cb: {'{$request.body#/url}': {post: {responses: {'200': {description: ok}}}}}
      responses:
        x-r: 2
        '200':
          $ref: '#/components/responses/R'
          description: beside
        '201': null
        '202':
          description: d
          x-resp: 1
          links: {l: {operationId: get}}
          headers:
            X-A: {$ref: '#/components/headers/H'}
            X-B: {description: b, schema: {type: integer}, required: true, x-h: 1}
            X-C: null
          content:
            text/plain: null
            application/json:
              x-mt: 1
              itemSchema: {type: string}
              example: {a: [1.5, 2, {b: null}]}
              encoding: {a: {contentType: text/plain, style: form, explode: true, allowReserved: false, headers: {X: {schema: {type: string}}}}}
            application/xml:
              examples:
                one: {summary: s, description: d, value: [1, "x"], x-e: 1}
                two: {externalValue: "https://example.com/x"}
                three: {$ref: '#/components/examples/E'}
                four: null
    post:
      requestBody: {$ref: '#/components/requestBodies/B', description: beside}
      responses: null
    put:
      requestBody:
        description: d
        required: true
        x-b: 1
        content: {application/json: {schema: {$ref: '#/components/schemas/S'}}}
      responses: {default: {description: d}}
webhooks:
  hook: {post: {responses: {'200': {description: ok}}}}
  nothing: null
components:
  x-c: 1
  schemas: {S: {type: object}, T: true}
  parameters: {P: {name: p, in: query, schema: {type: string}}, N: null}
  headers: {H: {schema: {type: string}}}
  requestBodies: {B: {content: {application/json: {schema: {type: object}}}}}
  responses: {R: {description: r}}
  examples: {E: {value: 1}}
  securitySchemes: {k: {type: apiKey, in: header, name: k}}
  links: {L: {operationId: get}}
  callbacks: {C: {'{$request.body#/url}': {post: {responses: {'200': {description: ok}}}}}}
  pathItems: {P: {get: {responses: {'200': {description: ok}}}}}
`

// The conversion knows every field of the kin types it converts: a
// kin-openapi upgrade that adds one fails here, not silently.
func TestConversionKnowsKinsFields(t *testing.T) {
	for _, c := range []struct {
		typ   any
		known fields
	}{
		{openapi3.T{}, docFields},
		{openapi3.Components{}, componentFields},
		{openapi3.PathItem{}, pathItemFields},
		{openapi3.Operation{}, operationFields},
		{openapi3.Parameter{}, parameterFields},
		{openapi3.RequestBody{}, bodyFields},
		{openapi3.Response{}, responseFields},
		{openapi3.MediaType{}, mediaTypeFields},
		{openapi3.Example{}, exampleFields},
		{openapi3.Schema{}, schemaFields},
	} {
		typ := reflect.TypeOf(c.typ)
		tags := fields{}
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && name != "-" {
				tags[name] = true
			}
		}
		if !maps.Equal(tags, c.known) {
			t.Errorf("%s: kin decodes %v, the conversion knows %v", typ.Name(), slices.Sorted(maps.Keys(tags)), slices.Sorted(maps.Keys(c.known)))
		}
	}
}
