package server

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/reqerr"
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

// A panic while serving becomes a 500 in the error format and a log line,
// and the server keeps answering. The panic comes from the injected
// Sleep, which the slow scenario calls.
func TestRecoverPanics(t *testing.T) {
	var logs bytes.Buffer
	s := New(mustLoadShipped(t), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Sleep: func(_ context.Context, d time.Duration) error {
		if d > 0 {
			panic("kaboom")
		}
		return nil
	}})
	post := func(scenario string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "http://localhost/v1/self/mfa/verify/totp/backup", strings.NewReader(`{"device_id":"1","code":"12345678"}`))
		r.Header.Set("x-arklow-auth", "k")
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Mock-Scenario", scenario)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec
	}
	rec := post("slow")
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if want := `{"data":null,"errors":[{"code":"internal","message":"the mock failed while handling this request; see its log"}]}` + "\n"; rec.Body.String() != want {
		t.Errorf("body = %s, want %s", rec.Body, want)
	}
	if !strings.Contains(logs.String(), "kaboom") {
		t.Errorf("log does not name the panic:\n%s", logs.String())
	}
	if rec = post("valid-code"); rec.Code != http.StatusOK {
		t.Errorf("after a panic: status = %d, want 200", rec.Code)
	}
}

func TestParsePrefer(t *testing.T) {
	cases := []struct {
		name    string
		header  []string
		want    prefer
		wantErr string
	}{
		{"reads a scenario beside other preferences", []string{"respond-async, scenario=reused-code; foo=bar, wait=5"}, prefer{scenario: "reused-code"}, ""},
		{"reads Prism's code, example and dynamic", []string{"code=404", `example="bad one"`, "dynamic=true"}, prefer{code: 404, example: "bad one", dynamic: true}, ""},
		{"ignores unknown preferences", []string{"return=minimal"}, prefer{}, ""},
		{"reads a delay in milliseconds", []string{"delay=800"}, prefer{delay: 800 * time.Millisecond, hasDelay: true}, ""},
		{"reads a delay as a Go duration", []string{"delay=1.5s"}, prefer{delay: 1500 * time.Millisecond, hasDelay: true}, ""},
		{"a delay of zero is a delay", []string{"delay=0"}, prefer{hasDelay: true}, ""},
		{"a delay it cannot read is an error", []string{"delay=soon"}, prefer{}, `header.Prefer: delay="soon" is not milliseconds (delay=800) or a duration (delay=1.5s)`},
		{"a negative delay is an error", []string{"delay=-1s"}, prefer{}, `header.Prefer: delay="-1s" is not milliseconds`},
		{"a delay over the maximum is an error", []string{"delay=10m"}, prefer{}, "header.Prefer: delay=10m is longer than the 5m0s maximum"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parsePrefer(tc.header)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) || err.Code != reqerr.InvalidRequest {
					t.Errorf("parsePrefer(%q) error = %v, want invalid_request %q", tc.header, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("parsePrefer(%q) = %+v, %v; want %+v", tc.header, got, err, tc.want)
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
	s.ServeHTTP(rec, adminWrite("PUT", "/__mock/scenario", `{"name":"default"}`))
	if rec.Code != 200 || s.Active() != "default" {
		t.Errorf("PUT default = %d, active %q", rec.Code, s.Active())
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, adminWrite("PUT", "/__mock/scenario", `{"name":"nope"}`))
	if rec.Code != 400 {
		t.Errorf("PUT nope = %d, want 400", rec.Code)
	}
}

// An error renders as the Arklow envelope: data null, one entry per
// problem with the error's code and "location: message", one line.
func TestRenderErrorEnvelope(t *testing.T) {
	err := &reqerr.Error{Code: reqerr.InvalidRequest, Problems: []reqerr.Problem{
		{Location: "body.device_id", Message: `string "abc" does not match pattern ^[0-9]+$`},
		{Message: "quotes \" and <html> & a newline\n"},
	}}
	status, ct, body := renderError(err, nil)
	want := `{"data":null,"errors":[{"code":"invalid_request","message":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$"},` +
		`{"code":"invalid_request","message":"quotes \" and \u003chtml\u003e \u0026 a newline\n"}]}` + "\n"
	if status != 400 || ct != "application/json" || string(body) != want {
		t.Errorf("renderError = %d %s %s, want 400 application/json %s", status, ct, body, want)
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

// adminWrite is an admin write as the panel sends it: JSON.
func adminWrite(method, path, body string) *http.Request {
	r := httptest.NewRequest(method, "http://localhost"+path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}
