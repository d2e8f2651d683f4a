package sample

import (
	"errors"
	"fmt"
	"path"
	"reflect"
	"slices"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// oneOf builds a value that matches exactly one branch, as far as mayMatch
// can tell. For each branch in turn it tries the canonical value, the value
// with only required properties, then a few alternatives; the first value
// that matches no other branch wins. If every value overlaps another branch,
// the first value built is returned.
func (g *generator) oneOf(s *openapi3.Schema, variant int) (any, error) {
	rest := *s
	rest.OneOf = nil
	var fallback any
	haveFallback := false
	var firstErr error
	for _, i := range g.branchOrder(s.OneOf) {
		for _, try := range oneOfAttempts(variant) {
			v, err := g.branchWith(&rest, s.OneOf[i], try)
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("oneOf[%d]: %w", i, err)
				}
				continue
			}
			v = withDiscriminator(s.Discriminator, s.OneOf[i], v)
			if !matchesAnother(s.OneOf, i, v) {
				return v, nil
			}
			if !haveFallback {
				fallback, haveFallback = v, true
			}
		}
	}
	if haveFallback {
		return fallback, nil
	}
	return nil, firstErr
}

// attempt is one way of building a oneOf branch.
type attempt struct {
	variant      int
	requiredOnly bool
}

func oneOfAttempts(variant int) []attempt {
	return []attempt{
		{variant, false},
		{variant, true}, // optional properties often overlap other branches
		{variant + 1, false},
		{variant + 2, false},
		{variant + 3, false},
	}
}

// branchWith builds a branch the way try says.
func (g *generator) branchWith(rest *openapi3.Schema, b *openapi3.SchemaRef, try attempt) (any, error) {
	saved := g.requiredOnly
	g.requiredOnly = g.requiredOnly || try.requiredOnly
	defer func() { g.requiredOnly = saved }()
	return g.branch(rest, b, try.variant)
}

// anyOf builds a value from the first branch that produces one.
func (g *generator) anyOf(s *openapi3.Schema, variant int) (any, error) {
	rest := *s
	rest.AnyOf = nil
	var firstErr error
	for _, i := range g.branchOrder(s.AnyOf) {
		v, err := g.branch(&rest, s.AnyOf[i], variant)
		if err == nil {
			return withDiscriminator(s.Discriminator, s.AnyOf[i], v), nil
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("anyOf[%d]: %w", i, err)
		}
	}
	return nil, firstErr
}

// branchOrder lists branch indexes in the order to try them: ordinary
// branches first, then null branches, then branches that would recurse into
// a schema being built (a null, or any other branch, ends a recursive chain).
func (g *generator) branchOrder(branches openapi3.SchemaRefs) []int {
	rank := func(b *openapi3.SchemaRef) int {
		switch {
		case g.recursive(b):
			return 2
		case b.Value != nil && typeOf(b.Value) == openapi3.TypeNull:
			return 1
		}
		return 0
	}
	order := make([]int, len(branches))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		return rank(branches[order[x]]) < rank(branches[order[y]])
	})
	return order
}

// branch builds a value for one anyOf/oneOf branch combined with the rest of
// the schema it sits in.
func (g *generator) branch(rest *openapi3.Schema, b *openapi3.SchemaRef, variant int) (any, error) {
	if b.Value == nil {
		return nil, fmt.Errorf("unresolved $ref %q", b.Ref)
	}
	if isBare(rest) {
		// The usual case ({anyOf: [...]} alone): use the branch as it is,
		// keeping its own examples and its identity for recursion checks.
		return g.value(b, variant)
	}
	m, err := merge(rest, b.Value)
	if err != nil {
		return nil, err
	}
	v, err := g.schema(m, variant)
	if err != nil {
		return nil, err
	}
	// merge keeps only one pattern and drops "not"; make sure nothing it
	// dropped is violated.
	if !mayMatch(b, v, 0) {
		return nil, fmt.Errorf("built value %s does not satisfy the branch", canonical(v))
	}
	return v, nil
}

// allOf merges all parts into one schema and builds a value from it.
func (g *generator) allOf(s *openapi3.Schema, variant int) (any, error) {
	m := *s
	m.AllOf = nil
	merged := &m
	for i, part := range s.AllOf {
		if part.Value == nil {
			return nil, fmt.Errorf("allOf[%d]: unresolved $ref %q", i, part.Ref)
		}
		var err error
		if merged, err = merge(merged, part.Value); err != nil {
			return nil, fmt.Errorf("allOf[%d]: %w", i, err)
		}
	}
	v, err := g.schema(merged, variant)
	if err != nil {
		return nil, err
	}
	for i, part := range s.AllOf {
		if !mayMatch(part, v, 0) {
			return nil, fmt.Errorf("allOf[%d]: built value %s does not satisfy it", i, canonical(v))
		}
	}
	return v, nil
}

// matchesAnother reports whether v may also be valid against a oneOf branch
// other than branches[chosen].
func matchesAnother(branches openapi3.SchemaRefs, chosen int, v any) bool {
	for j, b := range branches {
		if j != chosen && mayMatch(b, v, 0) {
			return true
		}
	}
	return false
}

// withDiscriminator sets the discriminator property of an object built from
// branch to the name that selects that branch, when the branch allows it.
func withDiscriminator(d *openapi3.Discriminator, branch *openapi3.SchemaRef, v any) any {
	obj, ok := v.(map[string]any)
	if d == nil || d.PropertyName == "" || !ok || branch.Ref == "" {
		return v
	}
	name := path.Base(branch.Ref)
	keys := make([]string, 0, len(d.Mapping))
	for k := range d.Mapping {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if d.Mapping[k].Ref == branch.Ref {
			name = k
			break
		}
	}
	if obj[d.PropertyName] == name {
		return v
	}
	out := make(map[string]any, len(obj)+1)
	for k, e := range obj {
		out[k] = e
	}
	out[d.PropertyName] = name
	if mayMatch(branch, out, 0) {
		return out
	}
	return v
}

// isBare reports whether s has no keyword besides annotations, so that a
// branch or part can be used without merging: whether the schema without
// its annotations would encode as {}, read from its fields rather than by
// encoding it (BenchmarkGenerate: 2.5× faster; TestIsBareIsWhatTheSchemaEncodes
// holds the two to agreeing).
func isBare(s *openapi3.Schema) bool {
	c := *s
	c.Extensions, c.Origin = nil, nil
	c.Title, c.Description, c.Comment = "", "", ""
	c.Example, c.Examples, c.Default = nil, nil, nil
	c.ExternalDocs, c.XML, c.Discriminator = nil, nil, nil
	c.Deprecated, c.ReadOnly, c.WriteOnly, c.Nullable, c.AllowEmptyValue = false, false, false, false, false
	c.SchemaDialect, c.SchemaID, c.Anchor, c.DynamicAnchor = "", "", "", ""
	c.Defs = nil
	return isEmpty(reflect.ValueOf(c))
}

// isEmpty reports whether v holds nothing a schema's JSON would show:
// zero values, nil pointers and interfaces, empty slices and maps (or
// pointers to them: kin omits an empty type list), and structs of such —
// what encoding the schema would omit, without encoding it: a generated
// answer asks this of every anyOf it builds.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Interface:
		return v.IsNil()
	case reflect.Pointer:
		if v.IsNil() {
			return true
		}
		e := v.Elem()
		return (e.Kind() == reflect.Slice || e.Kind() == reflect.Map) && e.Len() == 0
	case reflect.Struct:
		for i := range v.NumField() {
			if !isEmpty(v.Field(i)) {
				return false
			}
		}
		return true
	}
	return v.IsZero()
}

// merge returns a new schema accepting only values valid against both a and
// b, as far as it can express: constraints are intersected, properties and
// required lists united, "not" schemas joined. Literal values of the parts
// are dropped: an example of one part is not an example of the whole.
// Callers verify the result against the parts with mayMatch for what merge
// cannot combine (a second pattern).
func merge(a, b *openapi3.Schema) (*openapi3.Schema, error) {
	m := *a
	m.Examples, m.Example, m.Default = nil, nil, nil
	if b.Always != nil {
		if !*b.Always {
			return nil, errors.New("schema false accepts no value")
		}
		return &m, nil
	}
	var err error
	if m.Type, err = intersectTypes(a.Type, b.Type); err != nil {
		return nil, err
	}
	if m.Format == "" {
		m.Format = b.Format
	}
	if err := mergeLiterals(&m, a, b); err != nil {
		return nil, err
	}
	if err := mergeNumbers(&m, a, b); err != nil {
		return nil, err
	}
	m.MinLength = max(a.MinLength, b.MinLength)
	m.MaxLength = minPtr(a.MaxLength, b.MaxLength)
	if m.Pattern == "" {
		m.Pattern = b.Pattern
	}
	mergeArrays(&m, a, b)
	mergeObjects(&m, a, b)
	mergeComposition(&m, b)
	// not A and not B is not (A or B).
	switch {
	case m.Not == nil:
		m.Not = b.Not
	case b.Not != nil:
		m.Not = &openapi3.SchemaRef{Value: &openapi3.Schema{AnyOf: openapi3.SchemaRefs{a.Not, b.Not}}}
	}
	return &m, nil
}

// intersectTypes keeps the types allowed by both lists; integer is what
// number and integer have in common.
func intersectTypes(a, b *openapi3.Types) (*openapi3.Types, error) {
	if a.IsEmpty() {
		return b, nil
	}
	if b.IsEmpty() {
		return a, nil
	}
	var out openapi3.Types
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, t := range *a {
		switch {
		case b.Includes(t):
			add(t)
		case t == openapi3.TypeNumber && b.Includes(openapi3.TypeInteger),
			t == openapi3.TypeInteger && b.Includes(openapi3.TypeNumber):
			add(openapi3.TypeInteger)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("types %v and %v have nothing in common", *a, *b)
	}
	return &out, nil
}

// mergeLiterals intersects enum and const.
func mergeLiterals(m, a, b *openapi3.Schema) error {
	switch {
	case a.Const != nil && b.Const != nil && !jsonEqual(a.Const, b.Const):
		return fmt.Errorf("const %s conflicts with const %s", canonical(a.Const), canonical(b.Const))
	case m.Const == nil:
		m.Const = b.Const
	}
	switch {
	case len(b.Enum) == 0:
		return nil
	case len(a.Enum) == 0:
		m.Enum = b.Enum
		return nil
	}
	m.Enum = nil
	for _, e := range a.Enum {
		if slices.ContainsFunc(b.Enum, func(f any) bool { return jsonEqual(e, f) }) {
			m.Enum = append(m.Enum, e)
		}
	}
	if len(m.Enum) == 0 {
		return errors.New("enums have no value in common")
	}
	return nil
}

// mergeNumbers keeps the tighter bounds, written the OpenAPI 3.1 way.
func mergeNumbers(m, a, b *openapi3.Schema) error {
	m.Min = maxFloat(inclusiveMin(a), inclusiveMin(b))
	m.Max = minFloat(inclusiveMax(a), inclusiveMax(b))
	m.ExclusiveMin = openapi3.ExclusiveBound{Value: maxFloat(exclusiveMin(a), exclusiveMin(b))}
	m.ExclusiveMax = openapi3.ExclusiveBound{Value: minFloat(exclusiveMax(a), exclusiveMax(b))}
	if a.MultipleOf != nil && b.MultipleOf != nil {
		c, err := commonMultiple(*a.MultipleOf, *b.MultipleOf)
		if err != nil {
			return err
		}
		m.MultipleOf = &c
	} else {
		m.MultipleOf = orElse(a.MultipleOf, b.MultipleOf)
	}
	return nil
}

func mergeArrays(m, a, b *openapi3.Schema) {
	m.Items = both(a.Items, b.Items)
	m.Contains = both(a.Contains, b.Contains)
	m.PrefixItems = nil
	for i := range max(len(a.PrefixItems), len(b.PrefixItems)) {
		m.PrefixItems = append(m.PrefixItems, both(at(a.PrefixItems, i), at(b.PrefixItems, i)))
	}
	m.MinItems = max(a.MinItems, b.MinItems)
	m.MaxItems = minPtr(a.MaxItems, b.MaxItems)
	m.MinContains = orElse(a.MinContains, b.MinContains)
	m.MaxContains = orElse(a.MaxContains, b.MaxContains)
	m.UniqueItems = a.UniqueItems || b.UniqueItems
}

// mergeObjects unites properties. A property is kept only if both schemas
// allow its name (additionalProperties: false in one part forbids the
// properties of the other), and its schema must satisfy both.
func mergeObjects(m, a, b *openapi3.Schema) {
	names := make([]string, 0, len(a.Properties)+len(b.Properties))
	for name := range a.Properties {
		names = append(names, name)
	}
	for name := range b.Properties {
		if _, ok := a.Properties[name]; !ok {
			names = append(names, name)
		}
	}
	m.Properties = nil
	if len(names) > 0 {
		m.Properties = make(openapi3.Schemas, len(names))
	}
	for _, name := range names {
		ra, okA := schemasFor(a, name)
		rb, okB := schemasFor(b, name)
		if okA && okB {
			m.Properties[name] = allOfRef(append(ra, rb...))
		}
	}
	m.PatternProperties = nil
	for _, pp := range []openapi3.Schemas{a.PatternProperties, b.PatternProperties} {
		for p, ref := range pp {
			if m.PatternProperties == nil {
				m.PatternProperties = make(openapi3.Schemas)
			}
			m.PatternProperties[p] = both(m.PatternProperties[p], ref)
		}
	}
	m.AdditionalProperties = openapi3.AdditionalProperties{
		Schema: both(a.AdditionalProperties.Schema, b.AdditionalProperties.Schema),
	}
	if forbidsExtra(a) || forbidsExtra(b) {
		no := false
		m.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
	}
	m.Required = slices.Clone(a.Required)
	for _, r := range b.Required {
		if !slices.Contains(m.Required, r) {
			m.Required = append(m.Required, r)
		}
	}
	m.MinProps = max(a.MinProps, b.MinProps)
	m.MaxProps = minPtr(a.MaxProps, b.MaxProps)
	m.PropertyNames = both(a.PropertyNames, b.PropertyNames)
	m.DependentRequired = nil
	for _, dr := range []map[string][]string{a.DependentRequired, b.DependentRequired} {
		for k, v := range dr {
			if m.DependentRequired == nil {
				m.DependentRequired = make(map[string][]string)
			}
			m.DependentRequired[k] = append(m.DependentRequired[k], v...)
		}
	}
}

// mergeComposition carries b's composition keywords into m. A second anyOf
// or oneOf list cannot be joined with the first one (that would widen it),
// so it is kept as an allOf part and handled on the next pass.
func mergeComposition(m, b *openapi3.Schema) {
	m.AllOf = append(slices.Clone(m.AllOf), b.AllOf...)
	if len(b.AnyOf) > 0 {
		if len(m.AnyOf) == 0 {
			m.AnyOf = b.AnyOf
		} else {
			m.AllOf = append(m.AllOf, &openapi3.SchemaRef{Value: &openapi3.Schema{AnyOf: b.AnyOf}})
		}
	}
	if len(b.OneOf) > 0 {
		if len(m.OneOf) == 0 {
			m.OneOf = b.OneOf
		} else {
			m.AllOf = append(m.AllOf, &openapi3.SchemaRef{Value: &openapi3.Schema{OneOf: b.OneOf}})
		}
	}
	if m.Discriminator == nil {
		m.Discriminator = b.Discriminator
	}
}

// both returns a schema requiring a and b; either may be nil (no constraint).
func both(a, b *openapi3.SchemaRef) *openapi3.SchemaRef {
	switch {
	case a == nil:
		return b
	case b == nil || a == b:
		return a
	}
	return allOfRef([]*openapi3.SchemaRef{a, b})
}

// allOfRef returns the single schema, or an allOf of several, or nil.
func allOfRef(refs []*openapi3.SchemaRef) *openapi3.SchemaRef {
	switch len(refs) {
	case 0:
		return nil
	case 1:
		return refs[0]
	}
	return &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: refs}}
}

func at(refs openapi3.SchemaRefs, i int) *openapi3.SchemaRef {
	if i < len(refs) {
		return refs[i]
	}
	return nil
}

// orElse returns a unless it is nil, else b.
func orElse[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}
