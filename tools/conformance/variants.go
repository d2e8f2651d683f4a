package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// The invalid variants of a valid request, each made only where it
// applies. A body or query variant counts only when libopenapi-validator
// agrees that it is invalid, so a variant the document does not forbid is
// never held against the mock.

type variantKind int

const (
	missingField variantKind = iota
	wrongType
	noCredentials
	missingQuery
	numVariants
)

var variantNames = [numVariants]string{
	missingField:  "required field missing",
	wrongType:     "wrong type",
	noCredentials: "no credentials",
	missingQuery:  "required query missing",
}

// variant is one invalid request, or why there is none.
type variant struct {
	kind variantKind
	what string   // what was changed, e.g. "body without `code`"
	req  *request // nil when not applicable
	na   string   // why not applicable
}

func makeVariants(d *document, o *operation, b *built) [numVariants]variant {
	var out [numVariants]variant
	out[missingField] = variantMissingField(d, o, b)
	out[wrongType] = variantWrongType(d, o, b)
	out[noCredentials] = variantNoCredentials(d, o, b)
	out[missingQuery] = variantMissingQuery(d, o, b)
	for i := range out {
		out[i].kind = variantKind(i)
	}
	return out
}

// requiredNames are the required properties of an object schema, with
// those of its allOf members.
func requiredNames(s *base.Schema) []string {
	if s == nil {
		return nil
	}
	names := append([]string(nil), s.Required...)
	for _, sub := range s.AllOf {
		if sub != nil {
			names = append(names, requiredNames(sub.Schema())...)
		}
	}
	return names
}

// propertyNames are the declared top-level properties, required first.
func propertyNames(s *base.Schema, body map[string]any) []string {
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, n := range requiredNames(s) {
		add(n)
	}
	var walk func(s *base.Schema)
	walk = func(s *base.Schema) {
		if s == nil {
			return
		}
		if s.Properties != nil {
			for p := s.Properties.First(); p != nil; p = p.Next() {
				add(p.Key())
			}
		}
		for _, sub := range s.AllOf {
			if sub != nil {
				walk(sub.Schema())
			}
		}
	}
	walk(s)
	for _, k := range sortedKeys(body) {
		add(k)
	}
	return names
}

func copyObject(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// withBody is the valid request with another body value, encoded the same
// way.
func withBody(b *built, v any) (*request, error) {
	ct, body, _, err := encodeBody(b.media, b.bodySchema, v)
	if err != nil {
		return nil, err
	}
	r := b.req.clone()
	r.contentType = ct
	r.body = body
	return r, nil
}

func bodyObject(b *built) (map[string]any, string) {
	if !b.req.hasBody {
		return nil, "no request body"
	}
	if !b.encodable {
		return nil, "body is " + mediaBase(b.media)
	}
	m, ok := b.bodyValue.(map[string]any)
	if !ok {
		return nil, "body is not an object"
	}
	return m, ""
}

func variantMissingField(d *document, o *operation, b *built) variant {
	m, na := bodyObject(b)
	if m == nil {
		return variant{na: na}
	}
	names := requiredNames(b.bodySchema)
	if len(names) == 0 {
		return variant{na: "no required body field"}
	}
	for _, n := range names {
		if _, ok := m[n]; !ok {
			continue
		}
		c := copyObject(m)
		delete(c, n)
		r, err := withBody(b, c)
		if err != nil {
			continue
		}
		if validateRequest(d, o, r) != "" {
			return variant{what: "body without `" + n + "`", req: r}
		}
	}
	return variant{na: "the validator accepts the body without any one required field"}
}

// wrongValues are tried in turn for a property, skipping the type it has.
var wrongValues = []any{json.Number("12345"), "not-a-number", true, map[string]any{"wrong": "type"}, []any{"wrong-type"}}

// variantWrongType gives a body field (or the body) a value of another JSON
// type. JSON bodies only: in a form or multipart body every field is text,
// and the validator's reading of "12345" against, say, anyOf [integer,
// null] says more about its decoder than about the request.
func variantWrongType(d *document, o *operation, b *built) variant {
	if !b.req.hasBody {
		return variant{na: "no request body"}
	}
	if !isJSONMedia(b.media) {
		return variant{na: "body is " + mediaBase(b.media) + ", whose fields have no JSON type"}
	}
	m, ok := b.bodyValue.(map[string]any)
	if !ok {
		// the body itself is of the wrong type
		have := jsonType(b.bodyValue)
		for _, w := range wrongValues {
			if t := jsonType(w); t == have || (have == "number" && t == "integer") {
				continue
			}
			r, err := withBody(b, w)
			if err == nil && validateRequest(d, o, r) != "" {
				return variant{what: fmt.Sprintf("body = %s (%s)", jsonText(w), jsonType(w)), req: r}
			}
		}
		return variant{na: "the validator accepts every wrong type of body"}
	}
	for _, n := range propertyNames(b.bodySchema, m) {
		have := ""
		if cur, ok := m[n]; ok {
			have = jsonType(cur)
		}
		for _, w := range wrongValues {
			t := jsonType(w)
			if t == have || (have == "number" && t == "integer") {
				continue
			}
			c := copyObject(m)
			c[n] = w
			r, err := withBody(b, c)
			if err != nil {
				continue
			}
			if validateRequest(d, o, r) != "" {
				return variant{what: fmt.Sprintf("body.%s = %s (%s)", n, jsonText(w), t), req: r}
			}
		}
	}
	return variant{na: "no body field the validator rejects a wrong type for"}
}

// variantNoCredentials removes every credential the valid request carries.
// It is not checked with the validator (which does not check oauth2 or
// openIdConnect): the document says the operation needs credentials.
func variantNoCredentials(d *document, o *operation, b *built) variant {
	if !securityRequired(d, o) {
		if len(effectiveSecurity(d, o)) == 0 {
			return variant{na: "no security"}
		}
		return variant{na: "credentials optional"}
	}
	if len(b.creds) == 0 {
		return variant{na: "no credentials sent"}
	}
	r := b.req.clone()
	var names []string
	for _, c := range b.creds {
		switch c.in {
		case "header":
			r.header.Del(c.name)
		case "query":
			r.query = dropKV(r.query, c.name)
		case "cookie":
			r.cookies = dropKV(r.cookies, c.name)
		}
		names = append(names, c.in+" "+c.name)
	}
	return variant{what: "without " + strings.Join(names, ", "), req: r}
}

func dropKV(list []kv, name string) []kv {
	var out []kv
	for _, e := range list {
		if e.name != name {
			out = append(out, e)
		}
	}
	return out
}

func variantMissingQuery(d *document, o *operation, b *built) variant {
	for _, p := range b.params {
		if p == nil || !strings.EqualFold(p.In, "query") || p.Required == nil || !*p.Required {
			continue
		}
		r := b.req.clone()
		before := len(r.query)
		r.query = dropKV(r.query, p.Name)
		if len(r.query) == before {
			continue // exploded into other names (an object): not this variant
		}
		if validateRequest(d, o, r) != "" {
			return variant{what: "without query `" + p.Name + "`", req: r}
		}
	}
	return variant{na: "no required query parameter"}
}
