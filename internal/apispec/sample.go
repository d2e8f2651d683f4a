package apispec

import (
	"encoding/json"
	"fmt"

	"github.com/arklow/arklow-mock/internal/sample"
	"github.com/getkin/kin-openapi/openapi3"
)

// sample builds a valid request for op from its schemas.
func (b *builder) sample(op *Operation, kop *openapi3.Operation) Sample {
	s := Sample{Path: map[string]string{}, Query: map[string][]string{}, Header: map[string][]string{}}
	params := append(openapi3.Parameters{}, kop.Parameters...)
	for _, pr := range params {
		p := pr.Value
		if p == nil || p.Schema == nil {
			continue
		}
		v, err := sample.Value(p.Schema)
		if err != nil {
			continue
		}
		text := paramText(v)
		switch p.In {
		case "path":
			s.Path[p.Name] = text
		case "query":
			s.Query[p.Name] = []string{text}
		case "header":
			s.Header[p.Name] = []string{text}
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

func paramText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	if len(b) > 0 && (b[0] == '[' || b[0] == '{') {
		return fmt.Sprint(v)
	}
	return string(b)
}
