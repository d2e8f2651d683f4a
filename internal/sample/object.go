package sample

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	ecma "github.com/arklow/arklow-mock/internal/schema/pattern"
)

// object builds an object with every required property, then the optional
// ones in name order (skipping those that would recurse into a schema being
// built, and stopping at maxProperties), then extra properties up to
// minProperties.
func (g *generator) object(s *openapi3.Schema, variant int) (any, error) {
	out := make(map[string]any)
	for _, name := range s.Required {
		if err := g.addProperty(out, s, name, variant); err != nil {
			return nil, err
		}
	}
	for _, name := range sortedNames(s.Properties) {
		if _, done := out[name]; done || g.requiredOnly || g.recursive(s.Properties[name]) {
			continue
		}
		if s.MaxProps != nil && uint64(len(out)) >= *s.MaxProps {
			break
		}
		if err := g.addProperty(out, s, name, variant); err != nil {
			return nil, err
		}
	}
	if err := g.addDependencies(out, s, variant); err != nil {
		return nil, err
	}
	if err := g.addUpToMinProperties(out, s, variant); err != nil {
		return nil, err
	}
	return out, nil
}

// addUpToMinProperties adds properties until there are minProperties:
// declared ones left out so far, then new names.
func (g *generator) addUpToMinProperties(out map[string]any, s *openapi3.Schema, variant int) error {
	for _, name := range sortedNames(s.Properties) {
		if uint64(len(out)) >= s.MinProps {
			return nil
		}
		if err := g.addProperty(out, s, name, variant); err != nil {
			return err
		}
	}
	for i := 1; uint64(len(out)) < s.MinProps; i++ {
		if i > int(s.MinProps)+16 {
			return fmt.Errorf("cannot find %d distinct property names", s.MinProps)
		}
		if err := g.addProperty(out, s, g.extraName(s, i), variant); err != nil {
			return err
		}
	}
	return nil
}

// addProperty builds the value of property name (unless already present).
// An alternative (variant > 0) is tried first; a property that has none,
// such as a const, keeps its canonical value: one differing property is
// enough to make objects distinct.
func (g *generator) addProperty(out map[string]any, s *openapi3.Schema, name string, variant int) error {
	if _, done := out[name]; done {
		return nil
	}
	refs, allowed := schemasFor(s, name)
	if !allowed {
		return fmt.Errorf("cannot add property %q: additionalProperties is false", name)
	}
	ref := allOfRef(refs)
	if f := g.plausible(); f != nil && nullByRole(f.role, name) && certainlyValid(ref, nil, 0) {
		out[name] = nil
		return nil
	}
	savedAt, savedName := g.at, g.name
	g.at, g.name = child(g.at, name), name
	defer func() { g.at, g.name = savedAt, savedName }()
	v, err := g.value(ref, variant)
	if err != nil && variant > 0 {
		v, err = g.value(ref, 0)
	}
	if err != nil {
		return fmt.Errorf("property %q: %w", name, err)
	}
	out[name] = v
	return nil
}

// addDependencies adds the properties that dependentRequired asks for.
func (g *generator) addDependencies(out map[string]any, s *openapi3.Schema, variant int) error {
	for _, name := range sortedKeys(s.DependentRequired) {
		if _, present := out[name]; !present {
			continue
		}
		for _, dep := range s.DependentRequired[name] {
			if err := g.addProperty(out, s, dep, variant); err != nil {
				return err
			}
		}
	}
	return nil
}

// extraName names the i-th property added to reach minProperties, using
// propertyNames when it constrains names.
func (g *generator) extraName(s *openapi3.Schema, i int) string {
	if s.PropertyNames != nil {
		if v, err := g.value(s.PropertyNames, i-1); err == nil {
			if name, ok := v.(string); ok {
				return name
			}
		}
	}
	return "property" + strconv.Itoa(i)
}

// schemasFor returns the schemas that apply to property name of an object
// valid against s (its properties entry and every matching
// patternProperties entry, else additionalProperties), and whether s allows
// the name at all. No schemas and allowed means any value is fine.
func schemasFor(s *openapi3.Schema, name string) (refs []*openapi3.SchemaRef, allowed bool) {
	if ref, ok := s.Properties[name]; ok {
		refs = append(refs, ref)
	}
	for _, p := range sortedNames(s.PatternProperties) {
		if re, err := ecma.Compile(p); err == nil && matches(re, name) {
			refs = append(refs, s.PatternProperties[p])
		}
	}
	if len(refs) > 0 {
		return refs, true
	}
	if forbidsExtra(s) {
		return nil, false
	}
	if ap := s.AdditionalProperties.Schema; ap != nil {
		return []*openapi3.SchemaRef{ap}, true
	}
	return nil, true
}

// forbidsExtra reports additionalProperties: false.
func forbidsExtra(s *openapi3.Schema) bool {
	has := s.AdditionalProperties.Has
	return has != nil && !*has
}

// array builds max(minItems, 1) items (Generate: 2 or 3, or minItems;
// with contains, just enough to hold it) at most maxItems: prefixItems
// first, then items. Items that would recurse into a schema being built are
// left out when minItems allows. With uniqueItems each item is a different
// variant of its schema. Items beyond minItems that cannot be built are
// left out.
func (g *generator) array(s *openapi3.Schema, variant int) (any, error) {
	n := max(int(s.MinItems), 1)
	if f := g.plausible(); f != nil {
		n = max(int(s.MinItems), 2+f.rand(g.at, saltCount+variant).IntN(2))
		if s.Contains != nil {
			need := 1
			if s.MinContains != nil {
				need = int(*s.MinContains)
			}
			n = max(int(s.MinItems), len(s.PrefixItems)+need)
		}
	}
	if s.MaxItems != nil {
		if *s.MaxItems < s.MinItems {
			return nil, fmt.Errorf("minItems %d exceeds maxItems %d", s.MinItems, *s.MaxItems)
		}
		n = min(n, int(*s.MaxItems))
	}
	if n > len(s.PrefixItems) && (g.recursive(s.Items) || noMoreItems(s)) {
		n = max(int(s.MinItems), min(n, len(s.PrefixItems)))
	}
	out := make([]any, 0, n)
	seen := make(map[string]bool)
	for i := range n {
		v, err := g.item(s, i, variant, seen)
		if err != nil && i >= int(s.MinItems) {
			break // fewer items (or distinct items) than hoped, but still enough
		}
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// item builds item i of an array. Without uniqueItems all items are the
// same value; with it, variants are tried until one is new.
func (g *generator) item(s *openapi3.Schema, i, variant int, seen map[string]bool) (any, error) {
	ref := itemSchema(s, i)
	savedAt, savedName := g.at, g.name
	g.at, g.name = child(g.at, itemToken(i)), singular(g.name)
	defer func() { g.at, g.name = savedAt, savedName }()
	if !s.UniqueItems {
		if g.plausible() != nil && i > 0 {
			// Later items take the next variant, so that a list is not the
			// same example (or enum value) over and over.
			if v, err := g.value(ref, variant+i); err == nil {
				return v, nil
			}
		}
		return g.value(ref, variant)
	}
	v, err := g.distinct(ref, i, variant, seen)
	if errors.Is(err, errNoVariant) && g.plausible() != nil {
		// Seeded draws can collide in a small space; the canonical
		// variants walk it in order, from the first.
		return g.canonically(func() (any, error) { return g.distinct(ref, 0, variant, seen) })
	}
	return v, err
}

// distinct builds variants of ref until one is not in seen.
func (g *generator) distinct(ref *openapi3.SchemaRef, i, variant int, seen map[string]bool) (any, error) {
	attempts := 16 + len(seen)
	for try := range attempts {
		v, err := g.value(ref, variant+i+try)
		if err != nil {
			return nil, err
		}
		if key := canonical(v); !seen[key] {
			seen[key] = true
			return v, nil
		}
	}
	return nil, errNoVariant
}

// itemSchema is the schema of item i: its prefixItems entry, else items
// (combined with contains for the items that must satisfy it).
func itemSchema(s *openapi3.Schema, i int) *openapi3.SchemaRef {
	if i < len(s.PrefixItems) {
		return s.PrefixItems[i]
	}
	if s.Contains == nil {
		return s.Items
	}
	need := 1
	if s.MinContains != nil {
		need = int(*s.MinContains)
	}
	if i-len(s.PrefixItems) < need {
		return both(s.Items, s.Contains)
	}
	return s.Items
}

// noMoreItems reports items: false, which allows nothing after prefixItems.
func noMoreItems(s *openapi3.Schema) bool {
	return s.Items != nil && s.Items.Value != nil && s.Items.Value.Always != nil && !*s.Items.Value.Always
}

// recursive reports whether building ref would immediately re-enter a schema
// that is already being built: the schema itself, or one reached through
// composition or array items without passing through an object property.
// Optional properties and array items for which this holds are left out, so
// recursive schemas give finite values.
func (g *generator) recursive(ref *openapi3.SchemaRef) bool {
	return g.reaches(ref, 0)
}

func (g *generator) reaches(ref *openapi3.SchemaRef, depth int) bool {
	if ref == nil || ref.Value == nil || depth > 8 {
		return false
	}
	s := ref.Value
	if g.active[s] > 0 {
		return true
	}
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
		for _, b := range list {
			if g.reaches(b, depth+1) {
				return true
			}
		}
	}
	return g.reaches(s.Items, depth+1)
}

func sortedNames(m openapi3.Schemas) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
