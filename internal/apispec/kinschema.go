package apispec

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/getkin/kin-openapi/openapi3"
)

// kin-openapi decodes a document from JSON, and its Schema decodes its
// JSON twice at every level of nesting (into its fields, then into a map
// for its extensions): a schema nested n deep is decoded 2n times, and
// most of a document is schemas. decodeDoc therefore converts the
// schemas from the parsed values directly, once, into what kin's own
// decoding makes of them, and lets kin decode the rest of the document
// with each schema replaced by `true`; the converted schemas then take
// those places. What the conversion does not handle exactly as kin does
// (a $ref with its siblings, a boolean schema, a value of an unexpected
// type) is decoded by kin itself; when that fails, or a place is not
// found, the whole document is decoded by kin as before.

// decodeDoc decodes a document's plain values into kin's model.
func decodeDoc(v any) (*openapi3.T, error) {
	if doc, ok := decodeConverted(v); ok {
		return doc, nil
	}
	return decodeWhole(v)
}

// decodeWhole decodes the document with kin alone.
func decodeWhole(v any) (*openapi3.T, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	doc := &openapi3.T{}
	if err := json.Unmarshal(data, doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// stubbed is a schema taken out of the document for kin's decoding.
type stubbed struct {
	ptr    string
	parent map[string]any
	key    string
	value  map[string]any
	ref    *openapi3.SchemaRef // converted
}

// decodeConverted decodes the document with its schemas converted; ok is
// false when it cannot (the caller then lets kin decode all of it).
func decodeConverted(v any) (doc *openapi3.T, ok bool) {
	root, isMap := v.(map[string]any)
	if !isMap {
		return nil, false
	}
	var stubs []stubbed
	for _, pos := range schemaPositions(root) {
		s, isSchema := pos.value.(map[string]any)
		if !isSchema || s["$ref"] != nil || !stubbable(pos.ptr) {
			continue // kin decodes it: a $ref is small
		}
		i := strings.LastIndexByte(pos.ptr, '/')
		parentValue, _ := jsonptr.Lookup(root, pos.ptr[:i])
		parent, _ := parentValue.(map[string]any)
		if parent == nil {
			return nil, false
		}
		var c kinConv
		ref := c.schemaRef(s)
		if c.failed {
			return nil, false
		}
		stubs = append(stubs, stubbed{ptr: pos.ptr, parent: parent, key: jsonptr.Unescape(pos.ptr[i+1:]), value: s, ref: ref})
	}
	for _, st := range stubs {
		st.parent[st.key] = true
	}
	data, err := json.Marshal(root)
	for _, st := range stubs {
		st.parent[st.key] = st.value
	}
	if err != nil {
		return nil, false
	}
	doc = &openapi3.T{}
	if err := json.Unmarshal(data, doc); err != nil {
		return nil, false
	}
	for _, st := range stubs {
		current, set := kinSchemaSlot(doc, st.ptr)
		if set == nil || !isStub(current) {
			return nil, false
		}
		set(st.ref)
	}
	return doc, true
}

// stubbable reports whether kinSchemaSlot finds the schema at ptr in
// kin's model: an operation's is under its lower-case method name.
func stubbable(ptr string) bool {
	toks := jsonptr.Split(ptr)
	if len(toks) > 3 && (toks[0] == "paths" || toks[0] == "webhooks") && toks[2] != "parameters" {
		return methods[toks[2]]
	}
	return true
}

var methods = map[string]bool{"connect": true, "delete": true, "get": true, "head": true, "options": true, "patch": true, "post": true, "put": true, "trace": true, "query": true}

// isStub reports whether ref is what kin made of a `true` put in a
// schema's place.
func isStub(ref *openapi3.SchemaRef) bool {
	return ref != nil && ref.Ref == "" && ref.Value != nil && ref.Value.Always != nil && *ref.Value.Always
}

// schemaSetter replaces a schema in kin's model.
type schemaSetter func(*openapi3.SchemaRef)

// kinSchemaSlot finds the schema at ptr (one of schemaPositions) in kin's
// model: what is there, and how to replace it (nil when it is not there).
func kinSchemaSlot(doc *openapi3.T, ptr string) (*openapi3.SchemaRef, schemaSetter) {
	toks := jsonptr.Split(ptr)
	if len(toks) < 3 {
		return nil, nil
	}
	switch toks[0] {
	case "paths", "webhooks":
		var item *openapi3.PathItem
		switch {
		case toks[0] == "paths" && doc.Paths != nil:
			item = doc.Paths.Value(toks[1])
		case toks[0] == "webhooks":
			item = doc.Webhooks[toks[1]]
		}
		if item == nil {
			return nil, nil
		}
		if toks[2] == "parameters" {
			return parameterSlot(item.Parameters, toks[3:])
		}
		op := item.GetOperation(strings.ToUpper(toks[2]))
		if op == nil || len(toks) < 5 {
			return nil, nil
		}
		switch toks[3] {
		case "parameters":
			return parameterSlot(op.Parameters, toks[4:])
		case "requestBody":
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				return mediaSlot(op.RequestBody.Value.Content, toks[4:])
			}
		case "responses":
			if op.Responses != nil {
				return responseSlot(op.Responses.Value(toks[4]), toks[5:])
			}
		}
	case "components":
		c := doc.Components
		if c == nil {
			return nil, nil
		}
		name, rest := toks[2], toks[3:]
		switch toks[1] {
		case "schemas":
			if len(rest) == 0 {
				return c.Schemas[name], func(r *openapi3.SchemaRef) { c.Schemas[name] = r }
			}
		case "parameters":
			if p := c.Parameters[name]; p != nil && p.Value != nil && len(rest) == 1 && rest[0] == "schema" {
				return field(&p.Value.Schema)
			}
		case "headers":
			if h := c.Headers[name]; h != nil && h.Value != nil && len(rest) == 1 && rest[0] == "schema" {
				return field(&h.Value.Schema)
			}
		case "requestBodies":
			if b := c.RequestBodies[name]; b != nil && b.Value != nil {
				return mediaSlot(b.Value.Content, rest)
			}
		case "responses":
			return responseSlot(c.Responses[name], rest)
		}
	}
	return nil, nil
}

// field is the slot of a schema held in a field.
func field(p **openapi3.SchemaRef) (*openapi3.SchemaRef, schemaSetter) {
	return *p, func(r *openapi3.SchemaRef) { *p = r }
}

func parameterSlot(params openapi3.Parameters, toks []string) (*openapi3.SchemaRef, schemaSetter) {
	if len(toks) != 2 || toks[1] != "schema" {
		return nil, nil
	}
	i, err := strconv.Atoi(toks[0])
	if err != nil || i < 0 || i >= len(params) || params[i] == nil || params[i].Value == nil {
		return nil, nil
	}
	return field(&params[i].Value.Schema)
}

func mediaSlot(content openapi3.Content, toks []string) (*openapi3.SchemaRef, schemaSetter) {
	if len(toks) != 3 || toks[0] != "content" || toks[2] != "schema" {
		return nil, nil
	}
	if mt := content[toks[1]]; mt != nil {
		return field(&mt.Schema)
	}
	return nil, nil
}

func responseSlot(ref *openapi3.ResponseRef, toks []string) (*openapi3.SchemaRef, schemaSetter) {
	if ref == nil || ref.Value == nil || len(toks) < 3 {
		return nil, nil
	}
	switch toks[0] {
	case "content":
		return mediaSlot(ref.Value.Content, toks)
	case "headers":
		if h := ref.Value.Headers[toks[1]]; h != nil && h.Value != nil && len(toks) == 3 && toks[2] == "schema" {
			return field(&h.Value.Schema)
		}
	}
	return nil, nil
}

// kinConv converts a schema's plain values (as rawdoc parses them) into
// kin's model, as kin's UnmarshalJSON decodes the schema's JSON. failed
// is set by what it cannot convert exactly so.
type kinConv struct{ failed bool }

// viaKin has kin decode v from its JSON, into into.
func (c *kinConv) viaKin(v any, into any) {
	data, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(data, into)
	}
	if err != nil {
		c.failed = true
	}
}

// schemaRef converts a schema, or a $ref to one.
func (c *kinConv) schemaRef(v any) *openapi3.SchemaRef {
	m, ok := v.(map[string]any)
	if !ok || m["$ref"] != nil {
		var ref *openapi3.SchemaRef // a boolean, a $ref (with its siblings), or what kin refuses
		c.viaKin(v, &ref)
		return ref
	}
	return &openapi3.SchemaRef{Value: c.schema(m)}
}

// schema converts a schema object that is not a $ref.
func (c *kinConv) schema(m map[string]any) *openapi3.Schema {
	s := &openapi3.Schema{}
	for k, v := range m {
		if v == nil && schemaFields[k] {
			continue // null: the field keeps its zero value
		}
		switch k {
		case "oneOf":
			s.OneOf = c.refs(v)
		case "anyOf":
			s.AnyOf = c.refs(v)
		case "allOf":
			s.AllOf = c.refs(v)
		case "prefixItems":
			s.PrefixItems = c.refs(v)
		case "not":
			s.Not = c.schemaRef(v)
		case "items":
			s.Items = c.schemaRef(v)
		case "contains":
			s.Contains = c.schemaRef(v)
		case "propertyNames":
			s.PropertyNames = c.schemaRef(v)
		case "if":
			s.If = c.schemaRef(v)
		case "then":
			s.Then = c.schemaRef(v)
		case "else":
			s.Else = c.schemaRef(v)
		case "contentSchema":
			s.ContentSchema = c.schemaRef(v)
		case "properties":
			s.Properties = c.schemas(v)
		case "patternProperties":
			s.PatternProperties = c.schemas(v)
		case "dependentSchemas":
			s.DependentSchemas = c.schemas(v)
		case "$defs":
			s.Defs = c.schemas(v)
		case "additionalProperties":
			s.AdditionalProperties = c.boolSchema(v)
		case "unevaluatedItems":
			s.UnevaluatedItems = c.boolSchema(v)
		case "unevaluatedProperties":
			s.UnevaluatedProperties = c.boolSchema(v)
		case "type":
			s.Type = c.types(v)
		case "title":
			s.Title = c.str(v)
		case "format":
			s.Format = c.str(v)
		case "description":
			s.Description = c.str(v)
		case "pattern":
			s.Pattern = c.str(v)
		case "$schema":
			s.SchemaDialect = c.str(v)
		case "$comment":
			s.Comment = c.str(v)
		case "$id":
			s.SchemaID = c.str(v)
		case "$anchor":
			s.Anchor = c.str(v)
		case "$dynamicRef":
			s.DynamicRef = c.str(v)
		case "$dynamicAnchor":
			s.DynamicAnchor = c.str(v)
		case "contentMediaType":
			s.ContentMediaType = c.str(v)
		case "contentEncoding":
			s.ContentEncoding = c.str(v)
		case "enum":
			s.Enum = c.list(v)
		case "examples":
			s.Examples = c.list(v)
		case "default":
			s.Default = c.plain(v)
		case "example":
			s.Example = c.plain(v)
		case "const":
			s.Const = c.plain(v)
		case "uniqueItems":
			s.UniqueItems = c.boolean(v)
		case "nullable":
			s.Nullable = c.boolean(v)
		case "readOnly":
			s.ReadOnly = c.boolean(v)
		case "writeOnly":
			s.WriteOnly = c.boolean(v)
		case "allowEmptyValue":
			s.AllowEmptyValue = c.boolean(v)
		case "deprecated":
			s.Deprecated = c.boolean(v)
		case "exclusiveMinimum":
			s.ExclusiveMin = c.bound(v)
		case "exclusiveMaximum":
			s.ExclusiveMax = c.bound(v)
		case "minimum":
			s.Min = c.number(v)
		case "maximum":
			s.Max = c.number(v)
		case "multipleOf":
			s.MultipleOf = c.number(v)
		case "minLength":
			s.MinLength = c.count(v)
		case "minItems":
			s.MinItems = c.count(v)
		case "minProperties":
			s.MinProps = c.count(v)
		case "maxLength":
			s.MaxLength = c.countPtr(v)
		case "maxItems":
			s.MaxItems = c.countPtr(v)
		case "maxProperties":
			s.MaxProps = c.countPtr(v)
		case "minContains":
			s.MinContains = c.countPtr(v)
		case "maxContains":
			s.MaxContains = c.countPtr(v)
		case "required":
			c.viaKin(v, &s.Required)
		case "dependentRequired":
			c.viaKin(v, &s.DependentRequired)
		case "discriminator":
			c.viaKin(v, &s.Discriminator)
		case "xml":
			c.viaKin(v, &s.XML)
		case "externalDocs":
			c.viaKin(v, &s.ExternalDocs)
		default:
			if schemaFieldsFolded[strings.ToLower(k)] {
				c.failed = true // encoding/json would match it to a field, ignoring case
			}
			if s.Extensions == nil {
				s.Extensions = map[string]any{}
			}
			s.Extensions[k] = c.plain(v)
		}
	}
	return s
}

// schemaFields are the keys kin's Schema decodes into its fields (and
// leaves out of its extensions).
var schemaFields = map[string]bool{}

// schemaFieldsFolded are schemaFields in lower case.
var schemaFieldsFolded = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`oneOf anyOf allOf not type title format description enum default example
		externalDocs uniqueItems exclusiveMinimum exclusiveMaximum nullable readOnly writeOnly allowEmptyValue
		deprecated xml minimum maximum multipleOf minLength maxLength pattern minItems maxItems items required
		properties minProperties maxProperties additionalProperties discriminator const examples prefixItems
		contains minContains maxContains patternProperties dependentSchemas propertyNames unevaluatedItems
		unevaluatedProperties if then else dependentRequired $defs $schema $comment $id $anchor $dynamicRef
		$dynamicAnchor contentMediaType contentEncoding contentSchema`) {
		schemaFields[k] = true
		schemaFieldsFolded[strings.ToLower(k)] = true
	}
}

func (c *kinConv) refs(v any) openapi3.SchemaRefs {
	l, ok := v.([]any)
	if !ok {
		c.failed = true
		return nil
	}
	out := make(openapi3.SchemaRefs, len(l))
	for i, it := range l {
		if it == nil {
			c.failed = true
		}
		out[i] = c.schemaRef(it)
	}
	return out
}

func (c *kinConv) schemas(v any) openapi3.Schemas {
	m, ok := v.(map[string]any)
	if !ok {
		c.failed = true
		return nil
	}
	out := make(openapi3.Schemas, len(m))
	for k, it := range m {
		if it == nil {
			c.failed = true
		}
		out[k] = c.schemaRef(it)
	}
	return out
}

// boolSchema converts additionalProperties and its kind: a boolean or a schema.
func (c *kinConv) boolSchema(v any) openapi3.BoolSchema {
	switch x := v.(type) {
	case bool:
		return openapi3.BoolSchema{Has: &x}
	case map[string]any:
		return openapi3.BoolSchema{Schema: c.schemaRef(x)}
	}
	c.failed = true
	return openapi3.BoolSchema{}
}

// types converts type: a name, or a list of them.
func (c *kinConv) types(v any) *openapi3.Types {
	switch x := v.(type) {
	case string:
		return &openapi3.Types{x}
	case []any:
		t := make(openapi3.Types, len(x))
		for i, it := range x {
			t[i] = c.str(it)
		}
		return &t
	}
	c.failed = true
	return nil
}

func (c *kinConv) str(v any) string {
	s, ok := v.(string)
	c.failed = c.failed || !ok
	return s
}

func (c *kinConv) boolean(v any) bool {
	b, ok := v.(bool)
	c.failed = c.failed || !ok
	return b
}

// bound converts exclusiveMinimum and exclusiveMaximum: a number (3.1) or
// a boolean (3.0).
func (c *kinConv) bound(v any) openapi3.ExclusiveBound {
	if b, ok := v.(bool); ok {
		return openapi3.ExclusiveBound{Bool: &b}
	}
	return openapi3.ExclusiveBound{Value: c.number(v)}
}

func (c *kinConv) number(v any) *float64 {
	f := c.float(v)
	return &f
}

// float converts a number as encoding/json decodes it: a number YAML
// reads but JSON cannot write (.inf, +1) fails, as its JSON would.
func (c *kinConv) float(v any) float64 {
	n, ok := v.(json.Number)
	if !ok || !json.Valid([]byte(n)) {
		c.failed = true
		return 0
	}
	f, err := strconv.ParseFloat(string(n), 64)
	c.failed = c.failed || err != nil
	return f
}

func (c *kinConv) count(v any) uint64 {
	n, ok := v.(json.Number)
	if !ok || !json.Valid([]byte(n)) {
		c.failed = true
		return 0
	}
	u, err := strconv.ParseUint(string(n), 10, 64)
	c.failed = c.failed || err != nil
	return u
}

func (c *kinConv) countPtr(v any) *uint64 {
	u := c.count(v)
	return &u
}

func (c *kinConv) list(v any) []any {
	l, ok := v.([]any)
	if !ok {
		c.failed = true
		return nil
	}
	out := make([]any, len(l))
	for i, it := range l {
		out[i] = c.plain(it)
	}
	return out
}

// plain converts a value as encoding/json decodes it into an any:
// numbers become float64.
func (c *kinConv) plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		return c.float(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, it := range x {
			out[k] = c.plain(it)
		}
		return out
	case []any:
		return c.list(x)
	}
	return v
}
