package reqcheck_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/reqcheck"
)

// orderDoc declares properties out of alphabetical order, one through a
// $ref to a component written far below, one object nested, and
// parameters in every location.
const orderDoc = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /items/{id}:
    post:
      parameters:
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: id, in: path, required: true, schema: {type: integer}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [zeta, alpha, mid]
              properties:
                zeta: {type: string, minLength: 5}
                alpha: {$ref: '#/components/schemas/Alpha'}
                mid:
                  type: object
                  required: [b, a]
                  properties:
                    b: {type: integer}
                    a: {type: integer}
                omega: {type: boolean}
      responses: {'200': {description: ok}}
components:
  schemas:
    Alpha: {type: string, pattern: '^[a-z]+$'}
`

// Problems come in a fixed order: by location (path, query, header,
// cookie, body), then as the body's schema is written (properties in
// their declared order, depth first, whatever $ref they go through), then
// by JSON pointer — the same for every identical request.
func TestProblemsComeInTheSchemasOrder(t *testing.T) {
	s := loadYAML(t, orderDoc)
	body := `{"omega":"no","mid":{"a":"x","b":"y"},"alpha":"NOPE","zeta":"ab"}`
	want := []string{
		`path.id: expected integer, got string`,
		`query.limit: expected integer, got string`,
		`header.X-Trace: is required`,
		`body.zeta: must be at least 5 characters long, got 2`,
		`body.alpha: string "NOPE" does not match pattern ^[a-z]+$`,
		`body.mid.b: expected integer, got string`,
		`body.mid.a: expected integer, got string`,
		`body.omega: expected boolean, got string`,
	}
	var first []string
	for i := range 200 {
		r := httptest.NewRequest("POST", "/items/x?limit=ten", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		op, params, rerr := s.Route(r)
		if rerr != nil {
			t.Fatal(rerr)
		}
		_, err := reqcheck.Validate(op, requestOf(r, params, body))
		if err == nil {
			t.Fatal("Validate accepted an invalid request")
		}
		var got []string
		for _, p := range err.Problems {
			got = append(got, p.String())
		}
		if i == 0 {
			first = got
			if !slices.Equal(got, want) {
				t.Fatalf("problems =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		} else if !slices.Equal(got, first) {
			t.Fatalf("request %d: problems =\n  %s\nfirst request's:\n  %s", i, strings.Join(got, "\n  "), strings.Join(first, "\n  "))
		}
	}
}

// Missing required properties come in their declared order too.
func TestMissingPropertiesComeInTheSchemasOrder(t *testing.T) {
	s := loadYAML(t, orderDoc)
	r := httptest.NewRequest("POST", "/items/1", strings.NewReader(`{"mid":{}}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Trace", "t")
	op, params, _ := s.Route(r)
	_, err := reqcheck.Validate(op, requestOf(r, params, `{"mid":{}}`))
	var got []string
	for _, p := range err.Problems {
		got = append(got, p.String())
	}
	want := []string{"body.zeta: is required", "body.alpha: is required", "body.mid.b: is required", "body.mid.a: is required"}
	if !slices.Equal(got, want) {
		t.Errorf("problems = %q, want %q", got, want)
	}
}
