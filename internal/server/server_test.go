package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

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

// The hand-written error envelope says what encoding/json would: the same
// JSON value, one line, whatever the messages hold.
func TestErrorEnvelopeEncoding(t *testing.T) {
	messages := []string{
		"",
		`body.device_id: string "abc" does not match pattern ^[0-9]+$`,
		"quotes \" and backslashes \\ and a newline\n and a tab\t",
		"control \x00\x01\x1f and DEL \x7f",
		"HTML <script>&amp;</script>",
		"unicode: é, 日本, emoji 🦊, separators \u2028\u2029",
		"invalid UTF-8: \xff\xfe and a lone \xc3",
	}
	for _, n := range []int{1, 2, len(messages)} {
		var errs []apiError
		for i, m := range messages[:n] {
			errs = append(errs, apiError{Code: fmt.Sprintf("code_%d", i), Message: m})
		}
		got := appendErrors(nil, errs)
		if !bytes.HasSuffix(got, []byte("}\n")) || bytes.Count(got, []byte("\n")) != 1 {
			t.Errorf("%d errors: not one line: %q", n, got)
		}
		want, err := json.Marshal(envelope{Errors: errs})
		if err != nil {
			t.Fatal(err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%d errors: invalid JSON %q: %v", n, got, err)
		}
		json.Unmarshal(want, &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%d errors:\n got %s\nwant %s", n, got, want)
		}
	}
}

// Drain drops a request held by the timeout fault, so a graceful shutdown
// does not wait out its grace period for a request that never ends.
func TestDrainReleasesTheTimeoutFault(t *testing.T) {
	reached := make(chan struct{}, 1)
	s := New(mustLoadShipped(t), Options{Scenario: "timeout", Sleep: func(context.Context, time.Duration) error {
		reached <- struct{}{} // the fault comes right after the rule's (zero) delay
		return nil
	}})
	ts := httptest.NewUnstartedServer(s)
	ts.Config.RegisterOnShutdown(s.Drain)
	ts.Start()
	defer ts.Close()
	reqCtx, giveUp := context.WithCancel(context.Background())
	defer giveUp() // before Close, which waits for the held request
	answered := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(reqCtx, "POST", ts.URL+"/v1/self/mfa/verify/totp/backup", strings.NewReader(`{"device_id":"1","code":"12345678"}`))
		req.Header.Set("x-arklow-auth", "k")
		req.Header.Set("Content-Type", "application/json")
		resp, err := ts.Client().Do(req)
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("answered %s", resp.Status)
		}
		answered <- err
	}()
	<-reached
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ts.Config.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown waited for the held request: %v", err)
	}
	if err := <-answered; err == nil || strings.HasPrefix(err.Error(), "answered") {
		t.Errorf("the held request: %v, want its connection dropped unanswered", err)
	}
}
