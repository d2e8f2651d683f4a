package apispec

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// kin-openapi decodes a document from JSON, and each of its types decodes
// its JSON twice (into its fields, then into a map for its extensions),
// its path items and responses even once more, re-encoded: a value n
// levels deep is decoded 2n times or more, and an example deep in a
// response dozens of times. decodeDoc therefore converts the parsed
// values into kin's model directly, once, into what kin's own decoding
// makes of them: the same fields, the same extensions, numbers as
// float64. What it does not convert exactly as kin does — a $ref with
// what is written beside it, a boolean schema, the small objects (info,
// servers, tags, security, links, callbacks, encodings) — it hands to kin;
// and when a value is not what kin expects, the whole document is decoded
// by kin, as before, so that kin's error stands. The tests hold the
// conversion to kin's decoding on every document they have, and to the
// fields of kin's types (an upgrade of kin-openapi that adds one fails).

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

// decodeConverted converts the document; ok is false when it cannot
// convert it exactly as kin would decode it.
func decodeConverted(v any) (doc *openapi3.T, ok bool) {
	var c kinConv
	doc = c.doc(v)
	return doc, !c.failed
}

// fields are the keys kin decodes into a type's fields, and leaves out of
// its extensions.
type fields map[string]bool

func fieldsOf(keys string) fields {
	f := fields{}
	for _, k := range strings.Fields(keys) {
		f[k] = true
	}
	return f
}

var (
	docFields        = fieldsOf("openapi components info paths security servers tags externalDocs webhooks jsonSchemaDialect")
	componentFields  = fieldsOf("schemas parameters headers requestBodies responses securitySchemes examples links callbacks")
	pathItemFields   = fieldsOf("$ref summary description connect delete get head options patch post put trace query additionalOperations servers parameters")
	operationFields  = fieldsOf("tags summary description operationId parameters requestBody responses callbacks deprecated security servers externalDocs")
	parameterFields  = fieldsOf("name in description style explode allowEmptyValue allowReserved deprecated required schema example examples content")
	bodyFields       = fieldsOf("description required content")
	responseFields   = fieldsOf("description headers content links")
	mediaTypeFields  = fieldsOf("schema itemSchema example examples encoding")
	exampleFields    = fieldsOf("summary description value externalValue")
	methodOperations = []string{"connect", "delete", "get", "head", "options", "patch", "post", "put", "trace", "query"}
)

// kinConv converts parsed values (as rawdoc parses them) into kin's
// model, as kin's UnmarshalJSON decodes their JSON. failed is set by what
// it cannot convert exactly so.
type kinConv struct{ failed bool }

// object is v as an object.
func (c *kinConv) object(v any) map[string]any {
	m, ok := v.(map[string]any)
	c.failed = c.failed || !ok
	return m
}

// inline reports whether v is an object that is not a $ref (encoding/json
// matches keys to fields ignoring case: "$REF" is a $ref too).
func inline(v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	if _, ref := m["$ref"]; ref {
		return nil, false
	}
	for k := range m {
		if len(k) == 4 && strings.EqualFold(k, "$ref") {
			return nil, false
		}
	}
	return m, true
}

// bareRef reports whether v is a $ref and nothing else, the most common
// schema of a document: kin decodes it into its Ref alone.
func bareRef(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", false
	}
	ref, ok := m["$ref"].(string)
	return ref, ok && ref != ""
}

// extension adds the member k of an object of a type with the fields
// known to its extensions.
func (c *kinConv) extension(ext *map[string]any, known fields, k string, v any) {
	if !strings.HasPrefix(k, "x-") {
		for f := range known {
			if strings.EqualFold(k, f) {
				c.failed = true // encoding/json would set the field, ignoring case
			}
		}
	}
	if *ext == nil {
		*ext = map[string]any{}
	}
	(*ext)[k] = c.plain(v)
}

// mapOf converts an object whose members are all converted by conv.
func mapOf[T any](c *kinConv, v any, conv func(any) T) map[string]T {
	m := c.object(v)
	out := make(map[string]T, len(m))
	for k, it := range m {
		out[k] = conv(it)
	}
	return out
}

func (c *kinConv) doc(v any) *openapi3.T {
	doc := &openapi3.T{}
	for k, val := range c.object(v) {
		if val == nil && docFields[k] {
			continue // null: the field keeps its zero value
		}
		switch k {
		case "openapi":
			doc.OpenAPI = c.str(val)
		case "jsonSchemaDialect":
			doc.JSONSchemaDialect = c.str(val)
		case "components":
			doc.Components = c.components(val)
		case "paths":
			doc.Paths = c.paths(val)
		case "webhooks":
			doc.Webhooks = mapOf(c, val, c.pathItem)
		case "info":
			c.viaKin(val, &doc.Info)
		case "security":
			c.viaKin(val, &doc.Security)
		case "servers":
			c.viaKin(val, &doc.Servers)
		case "tags":
			c.viaKin(val, &doc.Tags)
		case "externalDocs":
			c.viaKin(val, &doc.ExternalDocs)
		default:
			c.extension(&doc.Extensions, docFields, k, val)
		}
	}
	return doc
}

func (c *kinConv) components(v any) *openapi3.Components {
	out := &openapi3.Components{}
	for k, val := range c.object(v) {
		if val == nil && componentFields[k] {
			continue
		}
		switch k {
		case "schemas":
			out.Schemas = mapOf(c, val, c.schemaRef)
		case "parameters":
			out.Parameters = mapOf(c, val, c.parameterRef)
		case "headers":
			out.Headers = mapOf(c, val, c.headerRef)
		case "requestBodies":
			out.RequestBodies = mapOf(c, val, c.requestBodyRef)
		case "responses":
			out.Responses = mapOf(c, val, c.responseRef)
		case "examples":
			out.Examples = mapOf(c, val, c.exampleRef)
		case "securitySchemes":
			c.viaKin(val, &out.SecuritySchemes)
		case "links":
			c.viaKin(val, &out.Links)
		case "callbacks":
			c.viaKin(val, &out.Callbacks)
		default:
			c.extension(&out.Extensions, componentFields, k, val)
		}
	}
	return out
}

// paths converts the paths object: its x- members are its extensions,
// the others path items.
func (c *kinConv) paths(v any) *openapi3.Paths {
	m := c.object(v)
	out := openapi3.NewPathsWithCapacity(len(m))
	out.Extensions = map[string]any{}
	for k, val := range m {
		if strings.HasPrefix(k, "x-") {
			out.Extensions[k] = c.plain(val)
			continue
		}
		if val == nil {
			out.Set(k, &openapi3.PathItem{}) // kin decodes null into an empty one
			continue
		}
		out.Set(k, c.pathItem(val))
	}
	return out
}

func (c *kinConv) pathItem(v any) *openapi3.PathItem {
	m, ok := inline(v)
	if !ok {
		var item *openapi3.PathItem // a $ref'd path item: kin reads what is beside the $ref
		c.viaKin(v, &item)
		return item
	}
	item := &openapi3.PathItem{}
	for k, val := range m {
		if val == nil && pathItemFields[k] {
			continue
		}
		switch k {
		case "summary":
			item.Summary = c.str(val)
		case "description":
			item.Description = c.str(val)
		case "parameters":
			item.Parameters = c.parameters(val)
		case "servers":
			c.viaKin(val, &item.Servers)
		case "additionalOperations":
			c.viaKin(val, &item.AdditionalOperations)
		default:
			if slices.Contains(methodOperations, k) {
				item.SetOperation(strings.ToUpper(k), c.operation(val))
				continue
			}
			c.extension(&item.Extensions, pathItemFields, k, val)
		}
	}
	return item
}

func (c *kinConv) operation(v any) *openapi3.Operation {
	m := c.object(v)
	if r, ok := m["responses"]; ok && r == nil {
		var op *openapi3.Operation // kin marks responses: null
		c.viaKin(v, &op)
		return op
	}
	op := &openapi3.Operation{}
	for k, val := range m {
		if val == nil && operationFields[k] {
			continue
		}
		switch k {
		case "summary":
			op.Summary = c.str(val)
		case "description":
			op.Description = c.str(val)
		case "operationId":
			op.OperationID = c.str(val)
		case "deprecated":
			op.Deprecated = c.boolean(val)
		case "parameters":
			op.Parameters = c.parameters(val)
		case "requestBody":
			op.RequestBody = c.requestBodyRef(val)
		case "responses":
			op.Responses = c.responses(val)
		case "tags":
			c.viaKin(val, &op.Tags)
		case "callbacks":
			c.viaKin(val, &op.Callbacks)
		case "security":
			c.viaKin(val, &op.Security)
		case "servers":
			c.viaKin(val, &op.Servers)
		case "externalDocs":
			c.viaKin(val, &op.ExternalDocs)
		default:
			c.extension(&op.Extensions, operationFields, k, val)
		}
	}
	return op
}

func (c *kinConv) parameters(v any) openapi3.Parameters {
	l, ok := v.([]any)
	if !ok {
		c.failed = true
		return nil
	}
	out := make(openapi3.Parameters, len(l))
	for i, it := range l {
		out[i] = c.parameterRef(it)
	}
	return out
}

func (c *kinConv) parameterRef(v any) *openapi3.ParameterRef {
	m, ok := inline(v)
	if !ok {
		var ref *openapi3.ParameterRef
		c.viaKin(v, &ref)
		return ref
	}
	return &openapi3.ParameterRef{Value: c.parameter(m)}
}

func (c *kinConv) headerRef(v any) *openapi3.HeaderRef {
	m, ok := inline(v)
	if !ok {
		var ref *openapi3.HeaderRef
		c.viaKin(v, &ref)
		return ref
	}
	return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: *c.parameter(m)}}
}

// parameter converts a parameter, or a header (kin decodes one as a
// parameter).
func (c *kinConv) parameter(m map[string]any) *openapi3.Parameter {
	p := &openapi3.Parameter{}
	for k, val := range m {
		if val == nil && parameterFields[k] {
			continue
		}
		switch k {
		case "name":
			p.Name = c.str(val)
		case "in":
			p.In = c.str(val)
		case "description":
			p.Description = c.str(val)
		case "style":
			p.Style = c.str(val)
		case "explode":
			b := c.boolean(val)
			p.Explode = &b
		case "allowEmptyValue":
			p.AllowEmptyValue = c.boolean(val)
		case "allowReserved":
			p.AllowReserved = c.boolean(val)
		case "deprecated":
			p.Deprecated = c.boolean(val)
		case "required":
			p.Required = c.boolean(val)
		case "schema":
			p.Schema = c.schemaRef(val)
		case "example":
			p.Example = c.plain(val)
		case "examples":
			p.Examples = mapOf(c, val, c.exampleRef)
		case "content":
			p.Content = mapOf(c, val, c.mediaType)
		default:
			c.extension(&p.Extensions, parameterFields, k, val)
		}
	}
	return p
}

func (c *kinConv) requestBodyRef(v any) *openapi3.RequestBodyRef {
	m, ok := inline(v)
	if !ok {
		var ref *openapi3.RequestBodyRef
		c.viaKin(v, &ref)
		return ref
	}
	b := &openapi3.RequestBody{}
	for k, val := range m {
		if val == nil && bodyFields[k] {
			continue
		}
		switch k {
		case "description":
			b.Description = c.str(val)
		case "required":
			b.Required = c.boolean(val)
		case "content":
			b.Content = mapOf(c, val, c.mediaType)
		default:
			c.extension(&b.Extensions, bodyFields, k, val)
		}
	}
	return &openapi3.RequestBodyRef{Value: b}
}

// responses converts an operation's responses: its x- members are its
// extensions, the others responses.
func (c *kinConv) responses(v any) *openapi3.Responses {
	m := c.object(v)
	out := openapi3.NewResponsesWithCapacity(len(m))
	out.Extensions = map[string]any{}
	for k, val := range m {
		if strings.HasPrefix(k, "x-") {
			out.Extensions[k] = c.plain(val)
			continue
		}
		if val == nil {
			out.Set(k, &openapi3.ResponseRef{}) // kin decodes null into an empty one
			continue
		}
		out.Set(k, c.responseRef(val))
	}
	return out
}

func (c *kinConv) responseRef(v any) *openapi3.ResponseRef {
	m, ok := inline(v)
	if !ok {
		var ref *openapi3.ResponseRef
		c.viaKin(v, &ref)
		return ref
	}
	r := &openapi3.Response{}
	for k, val := range m {
		if val == nil && responseFields[k] {
			continue
		}
		switch k {
		case "description":
			d := c.str(val)
			r.Description = &d
		case "headers":
			r.Headers = mapOf(c, val, c.headerRef)
		case "content":
			r.Content = mapOf(c, val, c.mediaType)
		case "links":
			c.viaKin(val, &r.Links)
		default:
			c.extension(&r.Extensions, responseFields, k, val)
		}
	}
	return &openapi3.ResponseRef{Value: r}
}

func (c *kinConv) mediaType(v any) *openapi3.MediaType {
	if v == nil {
		return nil
	}
	mt := &openapi3.MediaType{}
	for k, val := range c.object(v) {
		if val == nil && mediaTypeFields[k] {
			continue
		}
		switch k {
		case "schema":
			mt.Schema = c.schemaRef(val)
		case "itemSchema":
			mt.ItemSchema = c.schemaRef(val)
		case "example":
			mt.Example = c.plain(val)
		case "examples":
			mt.Examples = mapOf(c, val, c.exampleRef)
		case "encoding":
			c.viaKin(val, &mt.Encoding)
		default:
			c.extension(&mt.Extensions, mediaTypeFields, k, val)
		}
	}
	return mt
}

func (c *kinConv) exampleRef(v any) *openapi3.ExampleRef {
	m, ok := inline(v)
	if !ok {
		var ref *openapi3.ExampleRef
		c.viaKin(v, &ref)
		return ref
	}
	ex := &openapi3.Example{}
	for k, val := range m {
		if val == nil && exampleFields[k] {
			continue
		}
		switch k {
		case "summary":
			ex.Summary = c.str(val)
		case "description":
			ex.Description = c.str(val)
		case "value":
			ex.Value = c.plain(val)
		case "externalValue":
			ex.ExternalValue = c.str(val)
		default:
			c.extension(&ex.Extensions, exampleFields, k, val)
		}
	}
	return &openapi3.ExampleRef{Value: ex}
}

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
	if ref, ok := bareRef(v); ok {
		return &openapi3.SchemaRef{Ref: ref}
	}
	m, ok := inline(v)
	if !ok {
		var ref *openapi3.SchemaRef // a boolean, a $ref with its siblings, or what kin refuses
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
			c.extension(&s.Extensions, schemaFields, k, v)
		}
	}
	return s
}

var schemaFields = fieldsOf(`oneOf anyOf allOf not type title format description enum default example
		externalDocs uniqueItems exclusiveMinimum exclusiveMaximum nullable readOnly writeOnly allowEmptyValue
		deprecated xml minimum maximum multipleOf minLength maxLength pattern minItems maxItems items required
		properties minProperties maxProperties additionalProperties discriminator const examples prefixItems
		contains minContains maxContains patternProperties dependentSchemas propertyNames unevaluatedItems
		unevaluatedProperties if then else dependentRequired $defs $schema $comment $id $anchor $dynamicRef
		$dynamicAnchor contentMediaType contentEncoding contentSchema`)

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
