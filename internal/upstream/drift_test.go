package upstream

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/apispec"
)

// driftDoc documents what the drift tests check answers against.
const driftDoc = `openapi: 3.1.0
info: {title: drift, version: "1"}
paths:
  /v1/things/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getThing
      responses:
        '200':
          description: the thing
          headers:
            X-Total-Count: {required: true, schema: {type: integer, minimum: 0}}
            X-Request-Id: {schema: {type: string, format: uuid}}
          content:
            application/json:
              schema:
                type: object
                required: [data, errors]
                properties:
                  data:
                    type: object
                    required: [id, n]
                    properties:
                      id: {type: string}
                      n: {type: integer}
                  errors: {type: 'null'}
        '404':
          description: not found
          content:
            application/problem+json:
              schema: {type: object, required: [title], properties: {title: {type: string}}}
        4XX:
          description: another client error
          content:
            application/json: {schema: {type: object}}
    delete:
      operationId: deleteThing
      responses:
        '204': {description: deleted}
        '410': {description: gone}
  /v1/report:
    get:
      operationId: getReport
      responses:
        '200':
          description: a CSV report
          content:
            text/csv: {schema: {type: string, pattern: '^id,'}}
        default:
          description: anything else
          content:
            '*/*': {}
  /v1/export:
    get:
      operationId: getExport
      responses:
        '200':
          description: JSON, or CSV
          content:
            application/json: {schema: {type: array}}
            text/csv: {schema: {type: string, pattern: '^id,'}}
`

func driftSpec(tb testing.TB) *apispec.Spec {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "openapi.yaml")
	if err := os.WriteFile(p, []byte(driftDoc), 0o644); err != nil {
		tb.Fatal(err)
	}
	s, err := apispec.Load(tb.Context(), p)
	if err != nil {
		tb.Fatalf("load the drift document: %v", err)
	}
	return s
}

func TestCheck(t *testing.T) {
	t.Parallel()
	s := driftSpec(t)
	const valid = `{"data":{"id":"a","n":1},"errors":null}`
	json := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "X-Total-Count": {"3"}}
	with := func(h http.Header, kv ...string) http.Header {
		h = h.Clone()
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				h.Del(kv[i])
			} else {
				h.Set(kv[i], kv[i+1])
			}
		}
		return h
	}
	tests := []struct {
		name   string
		op     string
		method string
		status int
		header http.Header
		body   string
		want   []Drift
	}{
		{name: "an answer that keeps to the document", op: "getThing", status: 200, header: json, body: valid},
		{name: "a status a range documents", op: "getThing", status: 409, header: json, body: `{}`},
		{name: "a status covered by default", op: "getReport", status: 503, header: http.Header{"Content-Type": {"text/html"}}, body: "<h1>down</h1>"},
		{name: "a documented media type beside the one the mock answers", op: "getExport", status: 200, header: http.Header{"Content-Type": {"text/csv"}}, body: "name,n\n"},
		{name: "a text body checked against its schema", op: "getReport", status: 200, header: http.Header{"Content-Type": {"text/csv"}}, body: "name,n\n",
			want: []Drift{{DriftSchema, `body: string "name,n\n" does not match pattern ^id,`}}},
		{name: "a status nothing documents", op: "deleteThing", status: 500, header: json, body: `{}`,
			want: []Drift{{DriftStatus, "status 500 is not documented for deleteThing (documented: 204, 410)"}}},
		{name: "a body that breaks the schema", op: "getThing", status: 200, header: json, body: `{"data":{"id":1},"errors":null}`,
			want: []Drift{{DriftSchema, "body.data.n: is required"}, {DriftSchema, "body.data.id: expected string, got number"}}},
		{name: "a body that is not JSON", op: "getThing", status: 200, header: json, body: `{"data":`,
			want: []Drift{{DriftInvalidJSON, "body: invalid JSON: unexpected end of input"}}},
		{name: "a media type not documented", op: "getThing", status: 200, header: with(json, "Content-Type", "text/html"), body: "<html>",
			want: []Drift{{DriftMediaType, `the answer has Content-Type "text/html"; the 200 response of getThing documents application/json`}}},
		{name: "no Content-Type", op: "getThing", status: 404, header: http.Header{}, body: `{"title":"x"}`,
			want: []Drift{{DriftMediaType, "the answer has no Content-Type; the 404 response of getThing documents application/problem+json"}}},
		{name: "a required header missing", op: "getThing", status: 200, header: with(json, "X-Total-Count", ""), body: valid,
			want: []Drift{{DriftHeader, "header.X-Total-Count: is required by the 200 response"}}},
		{name: "a header that breaks its schema", op: "getThing", status: 200, header: with(json, "X-Total-Count", "-1", "X-Request-Id", "nope"), body: valid,
			want: []Drift{{DriftHeader, "header.X-Request-Id: "}, {DriftHeader, "header.X-Total-Count: "}}},
		{name: "a body where none is documented", op: "deleteThing", status: 410, header: json, body: `{"gone":true}`,
			want: []Drift{{DriftUnexpectedBody, `the 410 response of deleteThing documents no body; the answer has 13 bytes (Content-Type "application/json; charset=utf-8")`}}},
		{name: "no body where one is documented", op: "getThing", status: 404, header: http.Header{"Content-Type": {"application/problem+json"}},
			want: []Drift{{DriftMissingBody, "the 404 response of getThing documents a body (application/problem+json); the answer has none"}}},
		{name: "a HEAD answer has no body to check", op: "getThing", method: "HEAD", status: 200, header: json},
		{name: "a 204 has no body to check", op: "deleteThing", status: 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			op, ok := s.Operation(tt.op)
			if !ok {
				t.Fatalf("no operation %s", tt.op)
			}
			method := tt.method
			if method == "" {
				method = op.Method
			}
			if tt.header == nil {
				tt.header = http.Header{}
			}
			got := Check(op, method, &Answer{Status: tt.status, Header: tt.header, Body: []byte(tt.body)})
			if !sameDrift(got, tt.want) {
				t.Errorf("Check(%s %d %s) =\n  %q\nwant (messages as prefixes)\n  %q", tt.op, tt.status, tt.body, got, tt.want)
			}
		})
	}
}

// sameDrift compares drift in any order, each wanted message being a
// prefix of the one found.
func sameDrift(got, want []Drift) bool {
	if len(got) != len(want) {
		return false
	}
	left := slices.Clone(got)
	for _, w := range want {
		i := slices.IndexFunc(left, func(g Drift) bool { return g.Code == w.Code && strings.HasPrefix(g.Message, w.Message) })
		if i < 0 {
			return false
		}
		left = slices.Delete(left, i, i+1)
	}
	return true
}
