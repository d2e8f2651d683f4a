package errformat

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// maxDepth bounds how deeply the schema helpers follow allOf/oneOf/anyOf
// and properties. Error schemas are shallow; the bound only stops a
// recursive schema from recursing for ever.
const maxDepth = 16

// deref returns the schema behind ref (kin-openapi resolves $refs into
// Value), nil when there is none.
func deref(ref *openapi3.SchemaRef) *openapi3.Schema {
	if ref == nil {
		return nil
	}
	return ref.Value
}

// intends reports whether the schema means values of JSON type t
// ("object", "array", "string", "integer", "number", "boolean"). The
// declared type decides; a schema without one is read from its keywords
// (properties mean an object, items an array, maxLength a string); a
// schema that says nothing about its type intends every type.
func intends(ref *openapi3.SchemaRef, t string) bool {
	return intendsAt(ref, t, 0)
}

func intendsAt(ref *openapi3.SchemaRef, t string, depth int) bool {
	s := deref(ref)
	if s == nil || depth > maxDepth {
		return true
	}
	if s.Always != nil {
		return *s.Always
	}
	for _, part := range s.AllOf {
		if !intendsAt(part, t, depth+1) {
			return false
		}
	}
	if !s.Type.IsEmpty() {
		return s.Type.Includes(t) || t == openapi3.TypeInteger && s.Type.Includes(openapi3.TypeNumber)
	}
	if lits := literals(ref); len(lits) > 0 {
		return slices.ContainsFunc(lits, func(v any) bool { return jsonType(v) == t })
	}
	if alts := alternatives(s); len(alts) > 0 {
		return slices.ContainsFunc(alts, func(b *openapi3.SchemaRef) bool { return intendsAt(b, t, depth+1) })
	}
	if k := keywordType(s); k != "" {
		return k == t || t == openapi3.TypeInteger && k == openapi3.TypeNumber
	}
	return true
}

// keywordType is the type a schema without `type` implies by its
// keywords; "" when it implies none.
func keywordType(s *openapi3.Schema) string {
	switch {
	case len(s.Properties) > 0 || len(s.Required) > 0 || s.AdditionalProperties.Has != nil || s.AdditionalProperties.Schema != nil:
		return openapi3.TypeObject
	case s.Items != nil || len(s.PrefixItems) > 0 || s.MinItems > 0 || s.MaxItems != nil:
		return openapi3.TypeArray
	case s.Pattern != "" || s.MinLength > 0 || s.MaxLength != nil:
		return openapi3.TypeString
	}
	return ""
}

// alternatives are a schema's oneOf or anyOf branches.
func alternatives(s *openapi3.Schema) openapi3.SchemaRefs {
	if len(s.OneOf) > 0 {
		return s.OneOf
	}
	return s.AnyOf
}

// jsonType names the JSON type of a decoded value.
func jsonType(v any) string {
	switch v := v.(type) {
	case map[string]any:
		return openapi3.TypeObject
	case []any:
		return openapi3.TypeArray
	case string:
		return openapi3.TypeString
	case bool:
		return openapi3.TypeBoolean
	case nil:
		return openapi3.TypeNull
	case json.Number:
		if _, err := v.Int64(); err == nil {
			return openapi3.TypeInteger
		}
		return openapi3.TypeNumber
	case float64:
		if v == float64(int64(v)) {
			return openapi3.TypeInteger
		}
		return openapi3.TypeNumber
	case int, int64:
		return openapi3.TypeInteger
	}
	return ""
}

// literals lists the only values a schema allows: its const, its enum, or
// the consts and enums of its oneOf/anyOf branches (the way some documents
// write a documented enum). Nil when the schema allows other values.
func literals(ref *openapi3.SchemaRef) []any {
	return literalsAt(ref, 0)
}

func literalsAt(ref *openapi3.SchemaRef, depth int) []any {
	s := deref(ref)
	if s == nil || depth > maxDepth {
		return nil
	}
	switch {
	case s.Const != nil:
		return []any{s.Const}
	case len(s.Enum) > 0:
		return s.Enum
	}
	for _, part := range s.AllOf {
		if lits := literalsAt(part, depth+1); lits != nil {
			return lits
		}
	}
	var all []any
	for _, b := range alternatives(s) {
		if isNull(b) {
			all = append(all, nil) // anyOf: [{enum: [...]}, {type: "null"}]
			continue
		}
		lits := literalsAt(b, depth+1)
		if lits == nil {
			return nil // one branch allows more than a list
		}
		all = append(all, lits...)
	}
	return all
}

// maxLength is the schema's maxLength (or its allOf parts'), -1 for none.
func maxLength(ref *openapi3.SchemaRef) int {
	s := deref(ref)
	if s == nil {
		return -1
	}
	n := -1
	if s.MaxLength != nil {
		n = int(min(*s.MaxLength, 1<<30))
	}
	for _, part := range s.AllOf {
		if m := maxLength(part); m >= 0 && (n < 0 || m < n) {
			n = m
		}
	}
	return n
}

// maxItems is the array schema's maxItems, -1 for none; minItems its
// minItems.
func maxItems(ref *openapi3.SchemaRef) int {
	if s := deref(ref); s != nil && s.MaxItems != nil {
		return int(min(*s.MaxItems, 1<<30))
	}
	return -1
}

func minItems(ref *openapi3.SchemaRef) int {
	if s := deref(ref); s != nil {
		return int(min(s.MinItems, 1<<30))
	}
	return 0
}

// itemsOf is the schema of an array's items: items, else that of the first
// array branch of a oneOf/anyOf (`detail: anyOf: [string, array]`), else
// of an allOf part. Nil when the array's items are unconstrained.
func itemsOf(ref *openapi3.SchemaRef) *openapi3.SchemaRef {
	return itemsAt(ref, 0)
}

func itemsAt(ref *openapi3.SchemaRef, depth int) *openapi3.SchemaRef {
	s := deref(ref)
	if s == nil || depth > maxDepth {
		return nil
	}
	if s.Items != nil {
		return s.Items
	}
	for _, b := range append(slices.Clone(s.AllOf), alternatives(s)...) {
		if intendsAt(b, openapi3.TypeArray, depth+1) {
			if it := itemsAt(b, depth+1); it != nil {
				return it
			}
		}
	}
	return nil
}

// object is an object schema seen flat: the properties and requirements of
// the schema and of its allOf parts together, and of one chosen branch of
// its oneOf/anyOf.
type object struct {
	props    map[string]*openapi3.SchemaRef
	names    []string // sorted, so that filling is deterministic
	required map[string]bool
	// closed is set when the schema refuses properties it does not
	// declare (additionalProperties or unevaluatedProperties false).
	closed bool
}

// objectOf flattens an object schema. branch picks the root's oneOf/anyOf
// branch to merge in; -1 merges the first branch that is an object.
func objectOf(ref *openapi3.SchemaRef, branch int) *object {
	o := &object{props: map[string]*openapi3.SchemaRef{}, required: map[string]bool{}}
	o.add(ref, branch, 0)
	o.names = slices.Sorted(maps.Keys(o.props))
	return o
}

func (o *object) add(ref *openapi3.SchemaRef, branch, depth int) {
	s := deref(ref)
	if s == nil || depth > maxDepth {
		return
	}
	if s.Always != nil && !*s.Always {
		o.closed = true
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		if _, dup := o.props[name]; !dup {
			o.props[name] = s.Properties[name]
		}
	}
	for _, r := range s.Required {
		o.required[r] = true
	}
	if f := s.AdditionalProperties.Has; f != nil && !*f {
		o.closed = true
	}
	if f := s.UnevaluatedProperties.Has; f != nil && !*f {
		o.closed = true
	}
	for _, part := range s.AllOf {
		o.add(part, -1, depth+1)
	}
	alts := alternatives(s)
	switch {
	case branch >= 0 && branch < len(alts):
		o.add(alts[branch], -1, depth+1)
	case branch < 0:
		for _, b := range alts {
			if intends(b, openapi3.TypeObject) && !isNull(b) {
				o.add(b, -1, depth+1)
				break
			}
		}
	}
}

// isNull reports whether a schema allows only null (a nullable branch).
func isNull(ref *openapi3.SchemaRef) bool {
	s := deref(ref)
	return s != nil && s.Type.Is(openapi3.TypeNull)
}

// schemaFromExample describes an example's shape as a schema, for a
// response that documents an example but no schema: an object's members
// keep their example's type; none is required (the example provides them).
func schemaFromExample(v any) *openapi3.SchemaRef {
	s := &openapi3.Schema{}
	switch v := v.(type) {
	case map[string]any:
		s.Type = &openapi3.Types{openapi3.TypeObject}
		s.Properties = openapi3.Schemas{}
		for k, e := range v {
			s.Properties[k] = schemaFromExample(e)
		}
	case []any:
		s.Type = &openapi3.Types{openapi3.TypeArray}
		if len(v) > 0 {
			s.Items = schemaFromExample(v[0])
		}
	case nil:
	default:
		t := jsonType(v)
		if t == openapi3.TypeInteger {
			t = openapi3.TypeNumber
		}
		s.Type = &openapi3.Types{t}
	}
	return &openapi3.SchemaRef{Value: s}
}

// stringSchema is `type: string`, for the members Build adds itself.
func stringSchema() *openapi3.SchemaRef {
	return &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}}
}
