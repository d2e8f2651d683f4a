package sample_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/arklow/arklow-mock/internal/sample"
)

// hardSpec holds schemas that are easy to get subtly wrong. Each value is
// validated by the independent validator like the big spec's.
const hardSpec = `
openapi: 3.1.0
info: {title: hard schemas, version: '1'}
paths: {}
components:
  schemas:
    PatternWithLength:
      type: string
      pattern: '^[A-Z][a-z]+-[0-9]{2,}$'
      minLength: 12
      maxLength: 14
    PatternWithExactLength:
      type: string
      pattern: '^[a-f0-9]{8}(-[a-f0-9]{4})*$'
      minLength: 18
      maxLength: 18
    ExclusiveDecimalMultiple:
      type: number
      exclusiveMinimum: 0.1
      exclusiveMaximum: 0.35
      multipleOf: 0.05
    ExclusiveNegativeIntegerMultiple:
      type: integer
      exclusiveMinimum: -10
      exclusiveMaximum: 20
      multipleOf: 7
    NegativeOnlyMultiple:
      type: number
      exclusiveMaximum: -0.2
      multipleOf: 0.3
    OverlappingOneOf:
      oneOf:
        - type: object
          properties:
            a: {type: string}
            b: {type: integer}
        - type: object
          required: [b]
          properties:
            b: {type: integer}
    OverlappingNumbers:
      oneOf:
        - type: integer
          minimum: 0
        - type: integer
          minimum: 0
          maximum: 2
    NullableBothWays:
      type: object
      required: [a, b]
      properties:
        a:
          type: [string, 'null']
          format: email
        b:
          anyOf:
            - $ref: '#/components/schemas/PatternWithLength'
            - type: 'null'
    Tree:
      type: object
      required: [id, children]
      properties:
        id: {type: integer, minimum: 1}
        children:
          type: array
          items: {$ref: '#/components/schemas/Tree'}
        parent:
          anyOf:
            - $ref: '#/components/schemas/Tree'
            - type: 'null'
        first_child:
          $ref: '#/components/schemas/Tree'
    TreeWithMinChildren:
      type: object
      required: [children]
      properties:
        children:
          type: array
          minItems: 1
          maxItems: 2
          items: {$ref: '#/components/schemas/Tree'}
    Extended:
      allOf:
        - $ref: '#/components/schemas/TreeWithMinChildren'
        - type: object
          required: [label]
          properties:
            label:
              allOf:
                - type: string
                  pattern: '^[a-z]+$'
                - minLength: 3
    UniqueObjects:
      type: array
      minItems: 3
      uniqueItems: true
      items:
        type: object
        required: [kind, at]
        properties:
          kind: {const: event}
          at: {type: string, format: date-time}
    Tuple:
      type: array
      prefixItems:
        - type: string
          format: ipv4
        - type: integer
          minimum: 1
          maximum: 65535
      items: false
      minItems: 2
`

func TestValueIsValidForHardSchemas(t *testing.T) {
	spec := loadSpec(t, []byte(hardSpec))
	for _, name := range sortedKeys(spec.doc.Components.Schemas) {
		t.Run(name, func(t *testing.T) {
			spec.generateAndCheck(t, "/components/schemas/"+name, spec.doc.Components.Schemas[name])
		})
	}
}

// TestValueIsDeterministic builds every schema of both test documents twice
// from the same load and once more from a second, independent load (other
// pointers, other map orders): all three must marshal identically.
func TestValueIsDeterministic(t *testing.T) {
	big, err := os.ReadFile(bigSpecPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range [][]byte{big, []byte(hardSpec), []byte(recursiveSpec)} {
		first := allSchemas(loadSpec(t, doc).doc)
		second := allSchemas(loadSpec(t, doc).doc)
		if len(first) != len(second) {
			t.Fatalf("two loads list %d and %d schemas", len(first), len(second))
		}
		for i, target := range first {
			a := marshalValue(t, target.ref)
			b := marshalValue(t, target.ref)
			c := marshalValue(t, second[i].ref)
			if a != b || a != c {
				t.Errorf("%s: values differ between calls:\n%s\n%s\n%s", target.ptr, a, b, c)
			}
		}
	}
}

// marshalValue renders Value(ref) as JSON, or its error, which must be
// deterministic too.
func marshalValue(t *testing.T, ref *openapi3.SchemaRef) string {
	t.Helper()
	v, err := sample.Value(ref)
	if err != nil {
		return "error: " + err.Error()
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestValueIsSafeForConcurrentUse runs Value on shared schemas from many
// goroutines (meaningful under -race): it must neither race nor modify
// the schemas, so every goroutine sees the same values.
func TestValueIsSafeForConcurrentUse(t *testing.T) {
	targets := allSchemas(loadBigSpec(t).doc)
	want := make([]string, len(targets))
	for i, target := range targets {
		want[i] = marshalValue(t, target.ref)
	}
	const workers = 8
	errs := make(chan string, workers)
	for range workers {
		go func() {
			for i, target := range targets {
				v, err := sample.Value(target.ref)
				if err != nil {
					errs <- err.Error()
					return
				}
				b, _ := json.Marshal(v)
				if string(b) != want[i] {
					errs <- target.ptr + ": " + string(b)
					return
				}
			}
			errs <- ""
		}()
	}
	for range workers {
		if msg := <-errs; msg != "" {
			t.Error(msg)
		}
	}
}
