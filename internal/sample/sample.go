// Package sample builds deterministic example values from OpenAPI 3.1 schemas.
//
// The mock server uses it to answer operations whose responses carry no
// example of their own. Values are plain JSON values (map[string]any, []any,
// string, json.Number, bool or nil) and are meant to be valid against the
// schema they were built from, so that a strict client accepts them.
package sample

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxDepth bounds how deeply schemas may nest while one value is built. It is
// far above what real documents need and only stops runaway recursion.
const maxDepth = 64

// constError is an error that can be a constant, so the package has no
// mutable state, not even sentinel error variables.
type constError string

func (e constError) Error() string { return string(e) }

// errNoVariant reports that a schema cannot produce the requested
// alternative value (used to build distinct array items).
const errNoVariant = constError("no further distinct value")

// Value returns a deterministic JSON value (map[string]any, []any, string,
// json.Number, bool or nil) that is valid against s (a loaded kin-openapi
// schema whose $refs are resolved in .Value).
//
// The value is chosen, in order, from: const; the first of examples, or
// example; default; the first enum value; else it is built from the type and
// its constraints. The same schema always gives the same value.
func Value(s *openapi3.SchemaRef) (any, error) {
	if s == nil {
		return nil, errors.New("sample: nil schema")
	}
	g := &generator{active: make(map[*openapi3.Schema]int)}
	v, err := g.value(s, 0)
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	return v, nil
}

// generator holds the state of one Value call.
type generator struct {
	// active counts the schemas being built on the current path, to cut
	// recursion.
	active map[*openapi3.Schema]int
	depth  int
	// requiredOnly leaves out optional properties (set while looking for a
	// oneOf value that matches a single branch).
	requiredOnly bool
}

// value builds variant number variant of ref. Variant 0 is the canonical
// value; higher variants are alternatives used where items must be distinct.
func (g *generator) value(ref *openapi3.SchemaRef, variant int) (any, error) {
	if ref == nil {
		// An absent schema (e.g. missing items) accepts anything.
		return untyped(variant), nil
	}
	s := ref.Value
	if s == nil {
		return nil, fmt.Errorf("unresolved $ref %q", ref.Ref)
	}
	g.active[s]++
	defer func() { g.active[s]-- }()

	v, err := g.schema(s, variant)
	if err != nil {
		// Name the schema so a failure deep inside a document can be found.
		switch {
		case ref.Ref != "":
			err = fmt.Errorf("%s: %w", ref.Ref, err)
		case s.Title != "":
			err = fmt.Errorf("%s: %w", s.Title, err)
		}
	}
	return v, err
}

// schema applies the selection rules to a schema that is not (or no longer)
// behind a $ref.
func (g *generator) schema(s *openapi3.Schema, variant int) (any, error) {
	if g.depth >= maxDepth {
		return nil, errors.New("schema nesting too deep (unbounded recursion?)")
	}
	g.depth++
	defer func() { g.depth-- }()

	if s.Always != nil {
		if !*s.Always {
			return nil, errors.New("schema false accepts no value")
		}
		return untyped(variant), nil
	}
	if v, ok, err := literal(s, variant); ok || err != nil {
		return v, err
	}
	// Composition comes before the type: oneOf/anyOf pick a branch and merge
	// it into the rest of the schema, allOf merges its parts. Each step
	// removes its keyword, so the recursion ends in byType.
	switch {
	case len(s.OneOf) > 0:
		return g.oneOf(s, variant)
	case len(s.AnyOf) > 0:
		return g.anyOf(s, variant)
	case len(s.AllOf) > 0:
		return g.allOf(s, variant)
	}
	return g.byType(s, variant)
}

// literal returns a value written in the schema itself: const, examples,
// example, default or enum. ok is false when the schema has none.
func literal(s *openapi3.Schema, variant int) (v any, ok bool, err error) {
	switch {
	case s.Const != nil:
		if variant > 0 {
			return nil, true, errNoVariant
		}
		v, err = normalize(s.Const)
		return v, true, err
	case variant < len(s.Examples):
		v, err = normalize(s.Examples[variant])
		return v, true, err
	case variant == 0 && s.Example != nil:
		v, err = normalize(s.Example)
		return v, true, err
	case variant == 0 && s.Default != nil:
		v, err = normalize(s.Default)
		return v, true, err
	case len(s.Enum) > 0:
		if variant >= len(s.Enum) {
			return nil, true, errNoVariant
		}
		v, err = normalize(s.Enum[variant])
		return v, true, err
	}
	return nil, false, nil
}

// byType builds a value from the schema's type and constraints.
func (g *generator) byType(s *openapi3.Schema, variant int) (any, error) {
	switch typeOf(s) {
	case openapi3.TypeObject:
		return g.object(s, variant)
	case openapi3.TypeArray:
		return g.array(s, variant)
	case openapi3.TypeString:
		return stringValue(s, variant)
	case openapi3.TypeInteger:
		return number(s, true, variant)
	case openapi3.TypeNumber:
		return number(s, false, variant)
	case openapi3.TypeBoolean:
		return variant%2 == 0, nil
	case openapi3.TypeNull:
		if variant > 0 {
			return nil, errNoVariant
		}
		return nil, nil
	}
	return untyped(variant), nil
}

// typeOf picks the type to build: the first non-null listed type ("null"
// only when it is the sole type), else the type implied by the keywords
// present, else "" for a schema that accepts anything.
func typeOf(s *openapi3.Schema) string {
	types := s.Type.Slice()
	for _, t := range types {
		if t != openapi3.TypeNull {
			return t
		}
	}
	if len(types) > 0 {
		return openapi3.TypeNull
	}
	switch {
	case len(s.Properties) > 0 || len(s.Required) > 0 || s.MinProps > 0 || s.MaxProps != nil ||
		len(s.PatternProperties) > 0 || s.AdditionalProperties.Has != nil || s.AdditionalProperties.Schema != nil:
		return openapi3.TypeObject
	case s.Items != nil || len(s.PrefixItems) > 0 || s.MinItems > 0 || s.MaxItems != nil || s.Contains != nil:
		return openapi3.TypeArray
	case s.Pattern != "" || s.MinLength > 0 || s.MaxLength != nil || stringFormat(s.Format):
		return openapi3.TypeString
	case s.Min != nil || s.Max != nil || s.MultipleOf != nil || s.ExclusiveMin.IsSet() || s.ExclusiveMax.IsSet():
		if s.Format == "int32" || s.Format == "int64" {
			return openapi3.TypeInteger
		}
		return openapi3.TypeNumber
	}
	return ""
}

// untyped is the value for a schema without constraints: an empty object,
// which reads better in a mock response than null, and numbers for the
// alternatives since an empty object has no other variant.
func untyped(variant int) any {
	if variant == 0 {
		return map[string]any{}
	}
	return json.Number(strconv.Itoa(variant))
}

// normalize turns a value decoded by kin-openapi (float64 numbers, nested
// maps) into a fresh copy using json.Number, so callers may modify the result
// without touching the schema and numbers print exactly as written.
func normalize(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("literal value: %w", err)
	}
	return decodeJSON(b)
}
