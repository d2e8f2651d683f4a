package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/mockset"
)

func mustLoadShipped(tb testing.TB) *mockset.Set {
	tb.Helper()
	set, err := mockset.Load(context.Background(), mockset.Options{
		Spec: "../../spec", Fixtures: "../../fixtures", Scenarios: "../../scenarios",
		Env: fixture.Env{Now: fixedNow},
	})
	if err != nil {
		tb.Fatalf("load shipped files: %v", err)
	}
	return set
}

// A panic in a handler becomes a 500 envelope and a log line, and the
// server keeps answering.
func TestRecoverPanics(t *testing.T) {
	var logs bytes.Buffer
	s := New(mustLoadShipped(t), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	h := s.recoverPanics(s.observe(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/boom" {
			panic("kaboom")
		}
		w.WriteHeader(http.StatusTeapot)
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	var env struct {
		Data   any
		Errors []apiError
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Data != nil || len(env.Errors) != 1 || env.Errors[0].Code != "internal" {
		t.Errorf("body = %s (%v), want the internal envelope", rec.Body, err)
	}
	if !strings.Contains(logs.String(), "kaboom") {
		t.Errorf("log does not name the panic:\n%s", logs.String())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/fine", nil))
	if rec.Code != http.StatusTeapot {
		t.Errorf("after a panic: status = %d, want 418", rec.Code)
	}
}

func TestParsePrefer(t *testing.T) {
	cases := []struct {
		name   string
		header []string
		want   prefer
	}{
		{"reads a scenario beside other preferences", []string{"respond-async, scenario=reused-code; foo=bar, wait=5"}, prefer{scenario: "reused-code"}},
		{"reads Prism's code, example and dynamic", []string{"code=404", `example="bad one"`, "dynamic=true"}, prefer{code: 404, example: "bad one", dynamic: true}},
		{"ignores unknown preferences", []string{"return=minimal"}, prefer{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := parsePrefer(tc.header); got != tc.want {
				t.Errorf("parsePrefer(%q) = %+v, want %+v", tc.header, got, tc.want)
			}
		})
	}
}

// "default" is always a valid active scenario, even with no default.yaml:
// operations then answer from the spec, as requests naming it do.
func TestSetDefaultScenarioWithoutAFile(t *testing.T) {
	set, err := mockset.Load(context.Background(), mockset.Options{Spec: "../../spec", Fixtures: t.TempDir(), Scenarios: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s := New(set, Options{})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("PUT", "/__mock/scenario", strings.NewReader(`{"name":"default"}`)))
	if rec.Code != 200 || s.Active() != "default" {
		t.Errorf("PUT default = %d, active %q", rec.Code, s.Active())
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("PUT", "/__mock/scenario", strings.NewReader(`{"name":"nope"}`)))
	if rec.Code != 400 {
		t.Errorf("PUT nope = %d, want 400", rec.Code)
	}
}
