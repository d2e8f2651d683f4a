// Package sample builds deterministic example values from OpenAPI 3.1 schemas.
//
// The mock server uses it to answer operations whose responses carry no
// example of their own. Values are plain JSON values (map[string]any, []any,
// string, json.Number, bool or nil) and are meant to be valid against the
// schema they were built from, so that a strict client accepts them.
//
// Two entry points share one generator. Value gives the canonical value of a
// schema: the same for every caller, built from the constraints alone
// ("string", 0, the first enum value). Generate gives a plausible value
// (a person's name for a "name" property, an email address for format
// email, a date-time near the injected clock for created_at) that depends
// on a seed, so the same request can get the same answer and another seed
// another one. Whatever a plausible rule proposes is checked against the
// schema and replaced by the canonical construction when it does not fit.
//
// The package keeps no mutable state: each call builds its own generator
// and its own seeded source of randomness, so concurrent calls on shared
// schemas are safe.
package sample

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
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

// generator holds the state of one Value or Generate call.
type generator struct {
	// active counts the schemas being built on the current path, to cut
	// recursion.
	active map[*openapi3.Schema]int
	depth  int
	// requiredOnly leaves out optional properties (set while looking for a
	// oneOf value that matches a single branch).
	requiredOnly bool
	// scopes lists the schemas being built, outermost first, where a
	// $dynamicRef looks for its $dynamicAnchor.
	scopes []*openapi3.Schema

	// fake makes values plausible and seeded (Generate); nil keeps the
	// canonical values of Value. plain switches it off for a subtree where
	// a plausible value broke a constraint the leaf could not see.
	fake  *faker
	plain int
	// at identifies the position being built: a hash of the path from the
	// root (property names and item indexes), so that a value depends on
	// the seed and its place, not on what was built before it.
	at uint64
	// name is the key of the property being built (for array items, the
	// array's key made singular), owner the name of the nearest enclosing
	// object schema: the hints plausible values are chosen by.
	name, owner string
}

// plausible returns the faker when values should be plausible here.
func (g *generator) plausible() *faker {
	if g.plain > 0 {
		return nil
	}
	return g.fake
}

// canonically builds with plausibility switched off.
func (g *generator) canonically(build func() (any, error)) (any, error) {
	g.plain++
	defer func() { g.plain-- }()
	return build()
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
	if s.DynamicRef != "" {
		target, err := g.resolveDynamic(s)
		if err != nil {
			return nil, err
		}
		if g.depth >= maxDepth {
			return nil, errors.New("schema nesting too deep (unbounded recursion?)")
		}
		g.depth++ // an anchor may refer to itself
		defer func() { g.depth-- }()
		return g.value(target, variant)
	}
	g.active[s]++
	g.scopes = append(g.scopes, s)
	savedOwner := g.owner
	defer func() {
		g.active[s]--
		g.scopes = g.scopes[:len(g.scopes)-1]
		g.owner = savedOwner
	}()
	// The owner is the object being described: a component named by its
	// $ref (an object, or a composition of objects), or a titled object.
	switch t := typeOf(s); {
	case ref.Ref != "" && (t == openapi3.TypeObject || t == ""):
		g.owner = path.Base(ref.Ref)
	case s.Title != "" && t == openapi3.TypeObject:
		g.owner = s.Title
	}

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
	if s.Not == nil {
		return g.build(s, variant)
	}
	// "not" is checked on the value built from the rest: a value that might
	// match it is replaced by the canonical one, then by alternatives.
	v, err := g.build(s, variant)
	if err != nil || !mayMatch(s.Not, v, 0) {
		return v, err
	}
	for try := range 4 {
		v, err := g.canonically(func() (any, error) { return g.build(s, variant+try) })
		if err == nil && !mayMatch(s.Not, v, 0) {
			return v, nil
		}
	}
	return nil, fmt.Errorf("every value built may match \"not\" (last: %s)", canonical(v))
}

// build applies the literal, composition and type rules.
func (g *generator) build(s *openapi3.Schema, variant int) (any, error) {
	if v, ok, err := g.literal(s, variant); ok || err != nil {
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

// literal picks the literal rule of the mode: Value takes the schema's
// values as written; Generate takes only those it can tell are valid, and
// chooses among them by seed.
func (g *generator) literal(s *openapi3.Schema, variant int) (any, bool, error) {
	if f := g.plausible(); f != nil {
		return g.seededLiteral(f, s, variant)
	}
	return literal(s, variant)
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
		if f := g.plausible(); f != nil {
			return g.plausibleString(f, s, variant)
		}
		return stringValue(s, variant)
	case openapi3.TypeInteger:
		if f := g.plausible(); f != nil {
			return g.plausibleNumber(f, s, true, variant)
		}
		return number(s, true, variant)
	case openapi3.TypeNumber:
		if f := g.plausible(); f != nil {
			return g.plausibleNumber(f, s, false, variant)
		}
		return number(s, false, variant)
	case openapi3.TypeBoolean:
		if f := g.plausible(); f != nil {
			return f.rand(g.at, variant).Bool(), nil
		}
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
