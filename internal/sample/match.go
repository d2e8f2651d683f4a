package sample

import (
	"encoding/json"
	"math/big"
	"slices"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	ecma "github.com/arklow/arklow-mock/internal/schema/pattern"
)

// mayMatch is a small, conservative validator: it returns false only when v
// certainly fails ref, and true when v passes every keyword it checks.
// Keywords it does not check (format, if/then/else, unevaluated*, ...) are
// assumed to pass; "not" fails only a value certainlyValid says matches it. That is the safe direction for its two uses: keeping
// a oneOf value out of the other branches, and catching what merging allOf
// parts lost.
func mayMatch(ref *openapi3.SchemaRef, v any, depth int) bool {
	if ref == nil || ref.Value == nil || depth > maxDepth {
		return true
	}
	s := ref.Value
	if s.Always != nil {
		return *s.Always
	}
	if !typeConstEnumAllow(s, v) {
		return false
	}
	for _, part := range s.AllOf {
		if !mayMatch(part, v, depth+1) {
			return false
		}
	}
	if s.Not != nil && certainlyValid(s.Not, v, depth+1) {
		return false
	}
	for _, branches := range []openapi3.SchemaRefs{s.AnyOf, s.OneOf} {
		if len(branches) > 0 && !slices.ContainsFunc(branches, func(b *openapi3.SchemaRef) bool {
			return mayMatch(b, v, depth+1)
		}) {
			return false
		}
	}
	switch v := v.(type) {
	case string:
		return stringMayMatch(s, v)
	case json.Number:
		r, ok := new(big.Rat).SetString(v.String())
		return !ok || numberMayMatch(s, r)
	case map[string]any:
		return objectMayMatch(s, v, depth)
	case []any:
		return arrayMayMatch(s, v, depth)
	}
	return true
}

// typeAllows reports whether a value's JSON type is among types (an integer
// also counts as a number).
func typeAllows(types *openapi3.Types, v any) bool {
	if types.IsEmpty() {
		return true
	}
	switch v := v.(type) {
	case nil:
		return types.Includes(openapi3.TypeNull)
	case bool:
		return types.Includes(openapi3.TypeBoolean)
	case string:
		return types.Includes(openapi3.TypeString)
	case json.Number:
		if types.Includes(openapi3.TypeNumber) {
			return true
		}
		r, ok := new(big.Rat).SetString(v.String())
		return types.Includes(openapi3.TypeInteger) && ok && r.IsInt()
	case map[string]any:
		return types.Includes(openapi3.TypeObject)
	case []any:
		return types.Includes(openapi3.TypeArray)
	}
	return true
}

func stringMayMatch(s *openapi3.Schema, v string) bool {
	n := utf8.RuneCountInString(v)
	if n < int(s.MinLength) || s.MaxLength != nil && uint64(n) > *s.MaxLength {
		return false
	}
	if s.Pattern != "" {
		if re, err := ecma.Compile(s.Pattern); err == nil && !matches(re, v) {
			return false
		}
	}
	return true
}

func numberMayMatch(s *openapi3.Schema, r *big.Rat) bool {
	if !boundsOf(s).withFormat(s.Format).allows(r) {
		return false
	}
	if s.MultipleOf != nil && *s.MultipleOf > 0 {
		return new(big.Rat).Quo(r, rat(*s.MultipleOf)).IsInt()
	}
	return true
}

func objectMayMatch(s *openapi3.Schema, v map[string]any, depth int) bool {
	if uint64(len(v)) < s.MinProps || s.MaxProps != nil && uint64(len(v)) > *s.MaxProps {
		return false
	}
	for _, name := range s.Required {
		if _, ok := v[name]; !ok {
			return false
		}
	}
	for name, e := range v {
		refs, allowed := schemasFor(s, name)
		if !allowed {
			return false
		}
		for _, ref := range refs {
			if !mayMatch(ref, e, depth+1) {
				return false
			}
		}
	}
	return true
}

func arrayMayMatch(s *openapi3.Schema, v []any, depth int) bool {
	if uint64(len(v)) < s.MinItems || s.MaxItems != nil && uint64(len(v)) > *s.MaxItems {
		return false
	}
	seen := make(map[string]bool)
	for i, e := range v {
		item := s.Items
		if i < len(s.PrefixItems) {
			item = s.PrefixItems[i]
		}
		if !mayMatch(item, e, depth+1) {
			return false
		}
		if s.UniqueItems {
			key := canonical(e)
			if seen[key] {
				return false
			}
			seen[key] = true
		}
	}
	return true
}

// typeConstEnumAllow reports whether v has one of s's types and equals its
// const and one of its enum values, where s has them.
func typeConstEnumAllow(s *openapi3.Schema, v any) bool {
	return typeAllows(s.Type, v) &&
		(s.Const == nil || jsonEqual(s.Const, v)) &&
		(len(s.Enum) == 0 || slices.ContainsFunc(s.Enum, func(e any) bool { return jsonEqual(e, v) }))
}
