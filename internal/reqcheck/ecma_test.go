package reqcheck_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/reqcheck"
	"github.com/arklow/arklow-mock/internal/reqerr"
)

// ecmaDoc uses ECMA-262 syntax Go's regexp lacks (lookaround, \u escapes) in
// a request body, a query parameter, patternProperties and a response.
var ecmaDoc = readTestdata("ecma-patterns.yaml")

func readTestdata(name string) string {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
	if err != nil {
		panic(err)
	}
	return string(b)
}

func ecmaValidate(t *testing.T, s *apispec.Spec, query, body string) *reqerr.Error {
	t.Helper()
	r := httptest.NewRequest("POST", "http://127.0.0.1:3123/items"+query, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	op, params, err := s.Route(r)
	if err != nil {
		t.Fatalf("Route: %v", err)
	}
	_, err = reqcheck.Validate(op, requestOf(r, params, body))
	return err
}
func TestECMAPatternsLoadAndValidate(t *testing.T) {
	s := loadYAML(t, ecmaDoc)
	if w := s.Warnings(); len(w) > 0 {
		t.Errorf("warnings: %v", w)
	}
	cases := []struct{ name, query, body, want string }{
		{"a matching request", "?q=ab1", `{"x":"bar","tags":{"a":"b"}}`, ""},
		{"a body field the lookahead rejects", "", `{"x":"foobar"}`,
			`body.x: string "foobar" does not match pattern ^(?!foo)[a-z]+$`},
		{"a query parameter the lookahead rejects", "?q=abc", `{}`,
			`query.q: string "abc" does not match pattern ^(?=.*[0-9])[a-z0-9]+$`},
		{"a property name no patternProperties entry allows", "", `{"tags":{"_a":"b"}}`,
			"body.tags._a: is not allowed (unknown property)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ecmaValidate(t, s, tc.query, tc.body)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			re := err
			if re == nil || re.Status() != 400 || len(re.Problems) != 1 || re.Code != reqerr.InvalidRequest || re.Problems[0].String() != tc.want {
				t.Fatalf("Validate = %#v, want 400 invalid_request %q", err, tc.want)
			}
		})
	}

	op, _ := s.Operation("POST /items")
	resp := op.SuccessResponse()
	if probs := resp.Validate(map[string]any{"id": "id_7"}); len(probs) > 0 {
		t.Errorf("a matching response: %v", probs)
	}
	if probs := resp.Validate(map[string]any{"id": "x_7"}); len(probs) != 1 || !strings.Contains(probs[0].String(), "body.id: ") {
		t.Errorf("a response the pattern rejects: %v", probs)
	}
}

// A pattern that backtracks catastrophically on a long input is cut off by
// the match timeout: the request is rejected, not held.
func TestCatastrophicPatternIsRejected(t *testing.T) {
	s := loadYAML(t, ecmaDoc)
	err := ecmaValidate(t, s, "", `{"slow":"`+strings.Repeat("a", 5000)+`!"}`)
	re := err
	if re == nil || re.Status() != 400 || len(re.Problems) != 1 {
		t.Fatalf("Validate = %v, want one 400 problem", err)
	}
	if msg := re.Problems[0].String(); !strings.Contains(msg, "^(?!z)(a+)+$ took longer than") || strings.Contains(msg, "aaaa") {
		t.Errorf("message = %q, want the timed-out pattern named and the input left out", msg)
	}
	if err := ecmaValidate(t, s, "", `{"slow":"aaaa"}`); err != nil {
		t.Errorf("a short matching value: %v", err)
	}
}
