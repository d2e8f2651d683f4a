package reqcheck_test

import (
	"net/http/httptest"
	"testing"

	"github.com/arklow/arklow-mock/internal/reqcheck"
)

// Parameters are read as a real API's parser reads them: numbers with
// JSON's grammar ("+5", "007", "Inf", "0x10" are not numbers), and a
// single-valued query parameter once.
func TestParameterTextAsAnAPIReadsIt(t *testing.T) {
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
		"n=5&n=6": false, // one value, given twice
	} {
		r := httptest.NewRequest("GET", "/items?"+query, nil)
		op, params, err := s.Route(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, re := reqcheck.Validate(op, requestOf(r, params, "")); (re == nil) != ok {
			t.Errorf("?%s: %v, want accepted %v", query, re, ok)
		}
	}
}
