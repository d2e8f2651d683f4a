package apispec

import (
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/rawdoc"
	"github.com/arklow/arklow-mock/internal/schema"
)

// Real documents break JSON Schema 2020-12 and OpenAPI 3.1 in ways whose
// meaning is evident: OpenAPI 3.0's nullable and boolean
// exclusiveMinimum, 2019-09's $recursiveRef, keywords JSON Schema does not
// have, a required list naming a property twice. normalize rewrites them
// in the parsed documents, before kin-openapi or the JSON Schema compiler
// sees them, into what they mean, and warns at each one's FILE:LINE saying
// what the mock does. It also makes $refs resolve as their authors meant
// where kin-openapi and JSON Schema read them differently (a $ref to a
// schema's $id; a "#/components/…" $ref inside a schema that has an $id).

// schemaKeywords are the keywords of JSON Schema 2020-12 and of OpenAPI
// 3.1's Schema Object; others are ignored, as JSON Schema says.
var schemaKeywords = map[string]bool{
	"$schema": true, "$id": true, "$ref": true, "$anchor": true, "$dynamicRef": true, "$dynamicAnchor": true,
	"$defs": true, "$comment": true, "$vocabulary": true, "definitions": true,
	"allOf": true, "anyOf": true, "oneOf": true, "not": true, "if": true, "then": true, "else": true,
	"dependentSchemas": true, "prefixItems": true, "items": true, "contains": true, "properties": true,
	"patternProperties": true, "additionalProperties": true, "propertyNames": true,
	"unevaluatedItems": true, "unevaluatedProperties": true,
	"type": true, "enum": true, "const": true, "multipleOf": true, "maximum": true, "exclusiveMaximum": true,
	"minimum": true, "exclusiveMinimum": true, "maxLength": true, "minLength": true, "pattern": true,
	"maxItems": true, "minItems": true, "uniqueItems": true, "maxContains": true, "minContains": true,
	"maxProperties": true, "minProperties": true, "required": true, "dependentRequired": true,
	"title": true, "description": true, "default": true, "deprecated": true, "readOnly": true, "writeOnly": true,
	"examples": true, "format": true, "contentEncoding": true, "contentMediaType": true, "contentSchema": true,
	// OpenAPI's own
	"discriminator": true, "xml": true, "externalDocs": true, "example": true,
	// rewritten below
	"nullable": true, "$recursiveRef": true, "$recursiveAnchor": true,
}

// The keywords whose values are schemas: one, a map of them, or a list.
var (
	oneSchema   = []string{"items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "not", "if", "then", "else", "contains", "propertyNames", "contentSchema"}
	schemaMaps  = []string{"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
	schemaLists = []string{"allOf", "anyOf", "oneOf", "prefixItems"}
)

// normalizer rewrites one load's documents.
type normalizer struct {
	raws  map[string]*rawdoc.Doc
	diags diag.List
	ids   map[string]location // absolute $id (no fragment) -> where that schema is
	file  string              // the file being walked
	bases map[string]string   // fileBase, by file: it asks the file system for the working folder
}

// location is a value in one of the documents.
type location struct{ file, ptr string }

// normalize rewrites the documents in raws (see above) and returns the
// warnings.
func normalize(raws map[string]*rawdoc.Doc) diag.List {
	n := &normalizer{raws: raws, ids: map[string]location{}}
	files := slices.Sorted(maps.Keys(raws))
	for _, f := range files { // the $ids first: a $ref may name one written later
		n.file = f
		n.eachSchema(raws[f].Value, func(s map[string]any, ptr, base string) string { return n.collectID(s, ptr, base) })
	}
	for _, f := range files {
		n.file = f
		n.eachSchema(raws[f].Value, func(s map[string]any, ptr, base string) string { return n.rewrite(s, ptr, base) })
	}
	return n.diags
}

// base is the base URI of the document f (fileBase, once per file).
func (n *normalizer) base(f string) string {
	b, ok := n.bases[f]
	if !ok {
		if n.bases == nil {
			n.bases = map[string]string{}
		}
		b = fileBase(f)
		n.bases[f] = b
	}
	return b
}

// fileBase is a document's base URI.
func fileBase(f string) string {
	abs, _ := filepath.Abs(f)
	return "file://" + filepath.ToSlash(abs)
}

// eachSchema calls visit on every schema of an OpenAPI document (or of a
// fragment file), outermost first, with its pointer and base URI; visit
// returns the base URI for the schema's subschemas.
func (n *normalizer) eachSchema(doc any, visit func(s map[string]any, ptr, base string) string) {
	base := n.base(n.file)
	root, _ := doc.(map[string]any)
	if root == nil {
		return
	}
	if _, isDoc := root["openapi"]; !isDoc { // a fragment: its values may be schemas
		for _, k := range slices.Sorted(maps.Keys(root)) {
			n.walk(root[k], "/"+jsonptr.Escape(k), base, visit)
		}
		return
	}
	for _, pos := range schemaPositions(root) {
		n.walk(pos.value, pos.ptr, base, visit)
	}
}

// walk visits the schema v at ptr and its subschemas.
func (n *normalizer) walk(v any, ptr, base string, visit func(s map[string]any, ptr, base string) string) {
	s, ok := v.(map[string]any)
	if !ok {
		return
	}
	base = visit(s, ptr, base)
	for _, k := range oneSchema {
		if sub, ok := s[k]; ok {
			n.walk(sub, ptr+"/"+k, base, visit)
		}
	}
	if items, ok := s["items"].([]any); ok { // 2019-09 tuple items
		for i, it := range items {
			n.walk(it, fmt.Sprintf("%s/items/%d", ptr, i), base, visit)
		}
	}
	for _, k := range schemaMaps {
		if m, ok := s[k].(map[string]any); ok {
			for _, name := range slices.Sorted(maps.Keys(m)) {
				n.walk(m[name], ptr+"/"+k+"/"+jsonptr.Escape(name), base, visit)
			}
		}
	}
	for _, k := range schemaLists {
		if l, ok := s[k].([]any); ok {
			for i, it := range l {
				n.walk(it, fmt.Sprintf("%s/%s/%d", ptr, k, i), base, visit)
			}
		}
	}
}

// position is a schema's place in an OpenAPI document.
type position struct {
	ptr   string
	value any
}

// schemaPositions lists where an OpenAPI document's schemas are (the same
// places as schema.openAPIPositions): under paths, webhooks and
// components.
func schemaPositions(root map[string]any) []position {
	var out []position
	obj := func(v any) map[string]any { m, _ := v.(map[string]any); return m }
	each := func(m map[string]any, ptr string, f func(v any, ptr string)) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			f(m[k], ptr+"/"+jsonptr.Escape(k))
		}
	}
	media := func(v any, ptr string) {
		each(obj(obj(v)["content"]), ptr+"/content", func(mt any, p string) {
			if s, ok := obj(mt)["schema"]; ok {
				out = append(out, position{p + "/schema", s})
			}
		})
	}
	params := func(v any, ptr string) {
		list, _ := v.([]any)
		for i, p := range list {
			if s, ok := obj(p)["schema"]; ok {
				out = append(out, position{fmt.Sprintf("%s/%d/schema", ptr, i), s})
			}
		}
	}
	headers := func(v any, ptr string) {
		each(obj(v), ptr, func(h any, p string) {
			if s, ok := obj(h)["schema"]; ok {
				out = append(out, position{p + "/schema", s})
			}
		})
	}
	response := func(v any, ptr string) {
		media(v, ptr)
		headers(obj(v)["headers"], ptr+"/headers")
	}
	for _, section := range []string{"paths", "webhooks"} {
		each(obj(root[section]), "/"+section, func(item any, ip string) {
			params(obj(item)["parameters"], ip+"/parameters")
			each(obj(item), ip, func(op any, opp string) {
				params(obj(op)["parameters"], opp+"/parameters")
				if rb, ok := obj(op)["requestBody"]; ok {
					media(rb, opp+"/requestBody")
				}
				each(obj(obj(op)["responses"]), opp+"/responses", response)
			})
		})
	}
	c := obj(root["components"])
	each(obj(c["schemas"]), "/components/schemas", func(s any, p string) { out = append(out, position{p, s}) })
	each(obj(c["parameters"]), "/components/parameters", func(pr any, p string) {
		if s, ok := obj(pr)["schema"]; ok {
			out = append(out, position{p + "/schema", s})
		}
	})
	headers(c["headers"], "/components/headers")
	each(obj(c["requestBodies"]), "/components/requestBodies", media)
	each(obj(c["responses"]), "/components/responses", response)
	return out
}

// collectID records the schema's $id, resolved against base, and returns
// the base of its subschemas.
func (n *normalizer) collectID(s map[string]any, ptr, base string) string {
	id, ok := s["$id"].(string)
	if !ok || id == "" {
		return base
	}
	abs := resolveURI(base, id)
	abs, _, _ = strings.Cut(abs, "#")
	if _, dup := n.ids[abs]; !dup {
		n.ids[abs] = location{n.file, ptr}
	}
	return abs
}

// rewrite normalizes one schema object in place and returns the base of
// its subschemas.
func (n *normalizer) rewrite(s map[string]any, ptr, base string) string {
	raw := n.raws[n.file]
	warn := func(at, format string, args ...any) {
		n.diags.Warn(n.file, raw.Line(at), format, args...)
	}
	if id, ok := s["$id"].(string); ok && id != "" {
		base, _, _ = strings.Cut(resolveURI(base, id), "#")
	}
	for _, k := range slices.Sorted(maps.Keys(s)) {
		if !schemaKeywords[k] && !strings.HasPrefix(k, "x-") {
			warn(ptr+"/"+jsonptr.Escape(k), "%q is not a JSON Schema keyword: the mock ignores it, as JSON Schema 2020-12 says", k)
			delete(s, k)
		}
	}
	if v, ok := s["nullable"]; ok {
		if v == true {
			if allowNull(s) {
				warn(ptr+"/nullable", "nullable is OpenAPI 3.0: the mock allows null here, as 3.0 meant (in 3.1, add 'null' to type)")
			} else {
				warn(ptr+"/nullable", "nullable is OpenAPI 3.0, and this schema has no type to add 'null' to: the mock ignores it")
			}
		}
		delete(s, "nullable")
	}
	for _, k := range []string{"exclusiveMinimum", "exclusiveMaximum"} {
		b, ok := s[k].(bool)
		if !ok {
			continue
		}
		bound := strings.ToLower(strings.TrimPrefix(k, "exclusive")) // minimum or maximum
		if m, has := s[bound]; b && has {
			s[k] = m
			delete(s, bound)
			warn(ptr+"/"+k, "%s: true is OpenAPI 3.0: the mock reads it as %s: %v, as 3.1 writes it", k, k, m)
		} else {
			delete(s, k)
			warn(ptr+"/"+k, "%s: %v is OpenAPI 3.0: the mock ignores it (%s is inclusive)", k, b, bound)
		}
	}
	if r, ok := s["$recursiveRef"].(string); ok {
		target := n.recursionTarget(ptr)
		delete(s, "$recursiveRef")
		if _, hasRef := s["$ref"]; !hasRef && r == "#" {
			s["$ref"] = n.base(n.file) + "#" + target
			warn(ptr+"/$recursiveRef", "$recursiveRef is JSON Schema 2019-09: the mock reads it as a $ref to %s", target)
		} else {
			warn(ptr+"/$recursiveRef", "$recursiveRef %q is JSON Schema 2019-09: the mock ignores it", r)
		}
	}
	delete(s, "$recursiveAnchor") // its $recursiveRefs were rewritten
	if req, ok := s["required"].([]any); ok {
		var seen []any
		for _, name := range req {
			if slices.Contains(seen, name) {
				warn(ptr+"/required", "required names %v twice: the mock requires it once", name)
				continue
			}
			seen = append(seen, name)
		}
		if len(seen) < len(req) {
			s["required"] = seen
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		s["$ref"] = n.resolveRef(ref, base)
	}
	return base
}

// allowNull adds "null" to the schema's type (a string or a list), and
// reports whether it could.
func allowNull(s map[string]any) bool {
	switch t := s["type"].(type) {
	case string:
		if t != "null" {
			s["type"] = []any{t, "null"}
		}
		return true
	case []any:
		if !slices.Contains(t, any("null")) {
			s["type"] = append(slices.Clip(t), "null")
		}
		return true
	}
	return false
}

// recursionTarget is the schema a 2019-09 $recursiveRef "#" inside the
// schema at ptr means: its nearest enclosing schema marked
// $recursiveAnchor: true or with an $id, else the outermost schema of
// its position (a component, a media type's schema).
func (n *normalizer) recursionTarget(ptr string) string {
	doc := n.raws[n.file].Value
	target := ""
	for p := ptr; ; {
		if v, ok := jsonptr.Lookup(doc, p); ok {
			if s, ok := v.(map[string]any); ok && (s["$recursiveAnchor"] == true || s["$id"] != nil) {
				return p
			}
			if _, isSchema := v.(map[string]any); isSchema && isSchemaPosition(p) {
				target = p
			}
		}
		i := strings.LastIndexByte(p, '/')
		if i <= 0 {
			break
		}
		p = p[:i]
	}
	if target == "" {
		return ptr
	}
	return target
}

// isSchemaPosition reports whether ptr is where an OpenAPI document puts
// a schema (not a subschema of one).
func isSchemaPosition(ptr string) bool {
	toks := jsonptr.Split(ptr)
	n := len(toks)
	return n == 3 && toks[0] == "components" && toks[1] == "schemas" || n > 0 && toks[n-1] == "schema"
}

// resolveRef rewrites a $ref so that kin-openapi and the JSON Schema
// compiler both find what its author meant: a $ref to an $id becomes one
// to the schema's place; "#/…" inside a schema that has an $id, which
// JSON Schema resolves against that $id, still means the document when
// nothing is there.
func (n *normalizer) resolveRef(ref, base string) string {
	if strings.HasPrefix(ref, "#/") {
		if base == n.base(n.file) {
			return ref // the document's own place
		}
		// Inside an $id'd schema: JSON Schema resolves "#/…" within that
		// schema; OpenAPI tools read "#/components/…" as the document's.
		// The mock takes the first that names something.
		if loc, ok := n.ids[base]; ok {
			if _, ok := jsonptr.Lookup(n.raws[loc.file].Value, loc.ptr+ref[1:]); ok {
				return n.refTo(loc.file, loc.ptr+ref[1:])
			}
		}
		if _, ok := jsonptr.Lookup(n.raws[n.file].Value, ref[1:]); ok {
			return n.refTo(n.file, ref[1:])
		}
		return ref
	}
	abs := resolveURI(base, ref)
	doc, frag, _ := strings.Cut(abs, "#")
	loc, ok := n.ids[doc]
	if !ok {
		return ref
	}
	switch {
	case frag == "":
		return n.refTo(loc.file, loc.ptr)
	case strings.HasPrefix(frag, "/"):
		return n.refTo(loc.file, loc.ptr+frag)
	}
	return ref // an anchor inside an $id'd resource: the compiler resolves it
}

// refTo is a $ref to ptr in file: absolute, so that it means the same
// whatever $id encloses it.
func (n *normalizer) refTo(file, ptr string) string {
	return n.base(file) + "#" + ptr
}

// resolveURI resolves ref against base (RFC 3986).
func resolveURI(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// checkDefaults checks every schema's default, and its example and
// examples (which the value generator takes first), against the schema:
// one that breaks it is never served, and removed with a warning, so
// kin's model, which the generator reads, does not hold it either.
func checkDefaults(raws map[string]*rawdoc.Doc, comp *schema.Compiler) diag.List {
	n := &normalizer{raws: raws}
	for _, f := range slices.Sorted(maps.Keys(raws)) {
		n.file = f
		n.eachSchema(raws[f].Value, func(s map[string]any, ptr, base string) string {
			_, hasDefault := s["default"]
			_, hasExample := s["example"]
			examples, _ := s["examples"].([]any)
			if !hasDefault && !hasExample && len(examples) == 0 {
				return base
			}
			sch, err := comp.Compile(f, ptr)
			if err != nil {
				return base // the builder reports a schema that does not compile
			}
			check := func(what, at string, v any) bool {
				probs := sch.Problems(nil, what, v)
				if len(probs) == 0 {
					return true
				}
				detail := probs[0].String()
				if probs[0].Location == what {
					detail = probs[0].Message
				}
				n.diags.Warn(f, raws[f].Line(at), "%s does not match its schema: %s; the mock never serves it", what, detail)
				return false
			}
			if hasDefault && !check("default", ptr+"/default", s["default"]) {
				delete(s, "default")
			}
			if hasExample && !check("example", ptr+"/example", s["example"]) {
				delete(s, "example")
			}
			var kept []any
			for i, ex := range examples {
				if check(fmt.Sprintf("examples[%d]", i), fmt.Sprintf("%s/examples/%d", ptr, i), ex) {
					kept = append(kept, ex)
				}
			}
			if len(kept) < len(examples) {
				if len(kept) == 0 {
					delete(s, "examples")
				} else {
					s["examples"] = kept
				}
			}
			return base
		})
	}
	return n.diags
}
