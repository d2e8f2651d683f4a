package apispec

import (
	"slices"
	"strings"
	"testing"
)

const headersDoc = `openapi: 3.1.0
info: {title: Headers, version: 1.0.0}
paths:
  /things:
    get:
      operationId: list_things
      responses:
        '200':
          description: a page of things
          headers:
            X-Total-Count:
              required: true
              schema: {type: integer, minimum: 0}
            x-request-id:
              schema: {type: string, format: uuid}
              example: 0b6f3f0e-2f4c-4d36-9c5e-1c2f3a4b5c6d
            X-Tags:
              schema: {type: array, items: {type: string, enum: [a, b]}}
            Link:
              $ref: '#/components/headers/Link'
            Content-Type:
              schema: {type: string, enum: [never/checked]}
            Content-Length:
              required: true
              schema: {type: integer}
          content:
            application/json:
              schema: {type: array}
        '429':
          description: slow down
          headers:
            Retry-After: {required: true, schema: {type: integer, minimum: 1}}
components:
  headers:
    Link:
      schema: {type: string, pattern: '^<'}
`

func TestResponseHeaders(t *testing.T) {
	s := loadYAML(t, headersDoc)
	op, ok := s.Operation("list_things")
	if !ok {
		t.Fatal("no operation list_things")
	}
	ok200 := op.Response(200)

	t.Run("the spec's values: examples, else generated; framing headers left out", func(t *testing.T) {
		got := map[string]string{}
		var names []string
		for _, h := range ok200.Headers() {
			got[h.Name] = h.Value
			names = append(names, h.Name)
		}
		if want := []string{"Link", "X-Request-Id", "X-Tags", "X-Total-Count"}; !slices.Equal(names, want) {
			t.Errorf("headers = %q, want %q (canonical, sorted, without Content-Type and Content-Length)", names, want)
		}
		if got["X-Request-Id"] != "0b6f3f0e-2f4c-4d36-9c5e-1c2f3a4b5c6d" {
			t.Errorf("X-Request-Id = %q, want the documented example", got["X-Request-Id"])
		}
		// The spec's own values satisfy the spec.
		get := func(name string) (string, bool) { v, ok := got[name]; return v, ok }
		if probs := ok200.ValidateHeaders(get); len(probs) != 0 {
			t.Errorf("the spec's own values break it: %+v", probs)
		}
		if s.Warnings() != nil {
			t.Errorf("warnings: %v", s.Warnings())
		}
	})

	cases := []struct {
		name    string
		headers map[string]string
		want    []string
	}{
		{"all good", map[string]string{"X-Total-Count": "3", "X-Tags": "a,b", "Link": "<https://x>; rel=next"}, nil},
		{"a required header is missing", map[string]string{}, []string{"header.X-Total-Count: is required by the 200 response"}},
		{"a header is not of its type", map[string]string{"X-Total-Count": "three"}, []string{"header.X-Total-Count: "}},
		{"a header breaks its constraints", map[string]string{"X-Total-Count": "-1"}, []string{"header.X-Total-Count: must be"}},
		{"an array header has a bad item", map[string]string{"X-Total-Count": "1", "X-Tags": "a,z"}, []string{"header.X-Tags"}},
		{"a $ref'd header is checked", map[string]string{"X-Total-Count": "1", "Link": "https://x"}, []string{"header.Link"}},
		{"Content-Type is not checked", map[string]string{"X-Total-Count": "1", "Content-Type": "application/json"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			probs := ok200.ValidateHeaders(func(name string) (string, bool) { v, ok := tc.headers[name]; return v, ok })
			if len(probs) != len(tc.want) {
				t.Fatalf("problems = %+v, want %d", probs, len(tc.want))
			}
			for i, p := range probs {
				if !strings.HasPrefix(p.Message, tc.want[i]) || !strings.HasPrefix(p.Message, "header."+p.Header) {
					t.Errorf("problem %d = %+v, want a message starting %q", i, p, tc.want[i])
				}
			}
		})
	}

	t.Run("each response has its own headers", func(t *testing.T) {
		probs := op.Response(429).ValidateHeaders(func(string) (string, bool) { return "", false })
		if len(probs) != 1 || probs[0].Header != "Retry-After" {
			t.Errorf("429 without Retry-After: %+v", probs)
		}
	})
}

func TestSpecHeaderValueThatBreaksItsSchemaWarns(t *testing.T) {
	doc := strings.Replace(headersDoc, "example: 0b6f3f0e-2f4c-4d36-9c5e-1c2f3a4b5c6d", "example: not-a-uuid", 1)
	s := loadYAML(t, doc)
	w := s.Warnings()
	if len(w) != 1 || !strings.Contains(w[0].String(), "header X-Request-Id does not match its schema") {
		t.Fatalf("warnings = %v, want one about X-Request-Id's example", w)
	}
}
