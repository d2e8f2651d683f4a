package apispec

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/arklow/arklow-mock/internal/sample"
	"github.com/getkin/kin-openapi/openapi3"
)

// sample builds a valid request for op from its schemas.
func (b *builder) sample(item *openapi3.PathItem, kop *openapi3.Operation) Sample {
	s := Sample{Path: map[string]string{}, Query: map[string][]string{}, Header: map[string][]string{}}
	seen := map[string]bool{}
	// Operation parameters override path-level ones of the same name and place.
	for _, pr := range append(append(openapi3.Parameters{}, kop.Parameters...), item.Parameters...) {
		p := pr.Value
		if p == nil || p.Schema == nil || seen[p.In+" "+p.Name] {
			continue
		}
		seen[p.In+" "+p.Name] = true
		v, err := sample.Value(p.Schema)
		if err != nil {
			continue
		}
		explode := p.In == "query" || p.In == "cookie"
		if p.Style != "" && p.Style != "form" {
			explode = false
		}
		if p.Explode != nil {
			explode = *p.Explode
		}
		vals := paramValues(v, explode)
		switch p.In {
		case "path":
			s.Path[p.Name] = strings.Join(vals, ",")
		case "query":
			s.Query[p.Name] = vals
		case "header":
			s.Header[http.CanonicalHeaderKey(p.Name)] = []string{strings.Join(vals, ",")}
		}
	}
	if kop.RequestBody != nil && kop.RequestBody.Value != nil {
		name, mt := pickMedia(kop.RequestBody.Value.Content)
		if mt != nil && mt.Schema != nil && isJSON(name) {
			if v, err := sample.Value(mt.Schema); err == nil {
				s.Body = v
			}
		}
	}
	return s
}

// paramValues serialises a sample parameter value: arrays as one value per
// item when exploded, else joined by commas (the form and simple styles).
func paramValues(v any, explode bool) []string {
	if arr, ok := v.([]any); ok {
		vals := make([]string, len(arr))
		for i, item := range arr {
			vals[i] = scalarText(item)
		}
		if explode {
			return vals
		}
		return []string{strings.Join(vals, ",")}
	}
	return []string{scalarText(v)}
}

func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}
