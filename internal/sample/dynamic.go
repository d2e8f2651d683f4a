package sample

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// resolveDynamic finds the schema a $dynamicRef stands for, in the simple
// form generic schemas use: "#name" refers to the $dynamicAnchor name in
// the $defs of the outermost schema being built that declares one (JSON
// Schema 2020-12's dynamic scope, as far as kin-openapi keeps it).
//
// kin-openapi applies the keywords written beside a $ref as an extra allOf
// part of the referenced schema, so the $defs that bind a generic
// (PaginatedResource<Planet>) sit in an allOf part of the same schema as the
// generic's own default binding. The referring side is the outer one, so
// within one schema the $defs of its allOf parts come before its own.
//
// Other forms (a URI before the #, no anchor in scope) are an error: the
// generator never guesses a schema it cannot find.
func (g *generator) resolveDynamic(s *openapi3.Schema) (*openapi3.SchemaRef, error) {
	name, ok := strings.CutPrefix(s.DynamicRef, "#")
	if !ok || name == "" || strings.Contains(name, "/") {
		return nil, fmt.Errorf("$dynamicRef %q is not supported (only #anchor)", s.DynamicRef)
	}
	for _, scope := range g.scopes {
		for _, part := range scope.AllOf {
			if part.Value != nil {
				if ref := anchorIn(part.Value.Defs, name); ref != nil {
					return ref, nil
				}
			}
		}
		if ref := anchorIn(scope.Defs, name); ref != nil {
			return ref, nil
		}
	}
	return nil, fmt.Errorf("$dynamicRef %q: no $dynamicAnchor %q in scope", s.DynamicRef, name)
}

// anchorIn returns the schema of defs whose $dynamicAnchor is name (kin
// moves an anchor written beside a $ref into an allOf part).
func anchorIn(defs openapi3.Schemas, name string) *openapi3.SchemaRef {
	for _, key := range sortedNames(defs) {
		ref := defs[key]
		if ref == nil || ref.Value == nil {
			continue
		}
		if ref.Value.DynamicAnchor == name {
			return ref
		}
		for _, part := range ref.Value.AllOf {
			if part.Value != nil && part.Value.DynamicAnchor == name {
				return ref
			}
		}
	}
	return nil
}
