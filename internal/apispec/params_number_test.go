package apispec

import (
	"errors"
	"net/http/httptest"
	"testing"
)

// Numeric parameters are read with JSON's number grammar: what a real
// API's parser refuses ("+5", "007", "Inf", "0x10") is not a number.
func TestNumericParametersUseJSONGrammar(t *testing.T) {
	s := loadYAML(t, `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /items:
    get:
      operationId: list
      parameters:
        - {name: n, in: query, schema: {type: integer}}
        - {name: x, in: query, schema: {type: number}}
      responses:
        '204': {description: ok}
`)
	for query, ok := range map[string]bool{
		"n=5": true, "n=-3": true, "n=1e3": true, "x=2.5": true, "x=-0.5e-3": true,
		"n=+5": false, "n=007": false, "n=Inf": false, "n=0x10": false, "n=1.5": false,
		"x=NaN": false, "x=.5": false, "x=1_000": false,
	} {
		r := httptest.NewRequest("GET", "/items?"+query, nil)
		op, params, err := s.Route(r)
		if err != nil {
			t.Fatal(err)
		}
		_, err = op.Validate(r, params, nil)
		var re *RequestError
		if got := err == nil; got != ok {
			if errors.As(err, &re) {
				t.Errorf("?%s: %+v, want accepted %v", query, re.Problems, ok)
			} else {
				t.Errorf("?%s: %v, want accepted %v", query, err, ok)
			}
		}
	}
}
