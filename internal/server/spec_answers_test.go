package server_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/arklow/arklow-mock/internal/server"
)

// bigSpec is a larger OpenAPI 3.1 document: many operations, examples,
// documented headers, statuses other than 200.
const bigSpec = "../../testdata/bigspec/openapi.yaml"

// specOnly loads the document at spec with empty fixtures and scenarios
// folders.
func specOnly(tb testing.TB, spec string) *mockset.Set {
	tb.Helper()
	empty := tb.TempDir()
	for _, d := range []string{"fixtures", "scenarios"} {
		if err := os.Mkdir(filepath.Join(empty, d), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	set, err := loadFolders(spec, filepath.Join(empty, "fixtures"), filepath.Join(empty, "scenarios"))
	if err != nil {
		tb.Fatalf("load %s: %v", spec, err)
	}
	return set
}

// TestSpecOnlyAnswers serves a larger document with no fixtures and no
// scenarios: every operation must answer, from its example or a generated
// value, with a body valid against its schema and the documented headers,
// readable by browser code.
func TestSpecOnlyAnswers(t *testing.T) {
	set := specOnly(t, bigSpec)
	m := newMockOf(t, set, server.Options{})
	ops := set.Spec.Operations()
	if n := len(ops); n < 12 {
		t.Fatalf("the document has %d operations, want at least 12", n)
	}
	sources := map[string]int{}
	withHeaders := 0
	for _, op := range ops {
		t.Run(op.Key, func(t *testing.T) {
			probe := op.Probe()
			path := op.Path
			for name, v := range probe.Path {
				path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(v))
			}
			if len(probe.Query) > 0 {
				path += "?" + url.Values(probe.Query).Encode()
			}
			c := call{method: op.Method, path: path, headers: map[string]string{"x-arklow-auth": "k", "Origin": frontend}}
			for name, v := range probe.Header {
				c.headers[name] = v[0]
			}
			if probe.Body != nil {
				b, _ := json.Marshal(probe.Body)
				c.body = string(b)
				c.headers["Content-Type"] = "application/json"
			}
			a := m.do(t, c)
			want := op.SuccessResponse()
			wantStatus := want.Status
			if wantStatus == 0 {
				wantStatus = 200
			}
			if a.status != wantStatus {
				t.Fatalf("%s %s: status = %d, want %d; body %s", op.Method, path, a.status, wantStatus, a.body)
			}
			src := a.header.Get("X-Mock-Fixture")
			if !strings.HasPrefix(src, "spec:") {
				t.Errorf("X-Mock-Fixture = %q, want spec:example or spec:generated", src)
			}
			if got := a.header.Get("X-Mock-Scenario"); got != "default" {
				t.Errorf("X-Mock-Scenario = %q, want default", got)
			}
			sources[src]++
			// The documented headers are sent, with values their schemas accept.
			exposed := strings.Split(a.header.Get("Access-Control-Expose-Headers"), ", ")
			for _, h := range want.Headers() {
				if a.header.Get(h.Name) == "" {
					t.Errorf("documented header %s not sent", h.Name)
				}
				if !slices.Contains(exposed, h.Name) { // browser code reads it too
					t.Errorf("documented header %s not in Access-Control-Expose-Headers %q", h.Name, exposed)
				}
				withHeaders++
			}
			if probs := want.ValidateHeaders(func(name string) (string, bool) {
				v, ok := a.header[name]
				if !ok {
					return "", false
				}
				return v[0], true
			}); len(probs) > 0 {
				t.Errorf("headers %v break the %s response: %+v", a.header, want.Code, probs)
			}
			if !want.HasSchema() {
				if len(a.body) != 0 {
					t.Errorf("body = %s, want none", a.body)
				}
				return
			}
			body, err := schema.DecodeJSON(a.body)
			if err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if probs := want.Validate(body); len(probs) > 0 {
				t.Errorf("body %s does not match the %s schema: %v", a.body, want.Code, probs)
			}
		})
	}
	if sources["spec:example"] == 0 || sources["spec:generated"] == 0 {
		t.Errorf("answers by source = %v, want both examples and generated bodies exercised", sources)
	}
	if withHeaders < 2 {
		t.Errorf("%d documented response headers exercised, want the document's (at least 2)", withHeaders)
	}
}
