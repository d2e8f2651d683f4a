package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/scenario"
	"github.com/arklow/arklow-mock/internal/server"
)

// sameJSON reports whether got holds the JSON value want.
func sameJSON(tb testing.TB, got []byte, want string) bool {
	tb.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		tb.Fatalf("body is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		tb.Fatalf("the test's want is not JSON: %v\n%s", err, want)
	}
	return reflect.DeepEqual(g, w)
}

// A frontend's valid request gets the default scenario's fixture, rendered
// from the request and the clock, and one log line.
func TestValidRequest(t *testing.T) {
	m := newMock(t, server.Options{})
	a := m.do(t, validCall(nil))
	if a.status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", a.status, a.body)
	}
	want := `{"data":{"valid":true,"device_id":"123","verification_type":"backup_code",
		"session_mfa_not_after":"2026-11-25T12:15:00Z"},"errors":null}`
	if !sameJSON(t, a.body, want) {
		t.Errorf("body = %s, want %s", a.body, want)
	}
	for name, want := range map[string]string{
		"X-Mock-Scenario": "default",
		"X-Mock-Fixture":  "mfa/backup/valid_code",
		"Content-Type":    "application/json",
		"Cache-Control":   "no-store",
	} {
		if got := a.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	lines := m.requestLines()
	if len(lines) != 1 {
		t.Fatalf("%d request log lines, want 1:\n%s", len(lines), m.logs)
	}
	for _, want := range []string{"level=INFO", "method=POST", "path=" + backupPath, "status=200", "scenario=default", "fixture=mfa/backup/valid_code", "duration=0s"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("log line %q lacks %s", lines[0], want)
		}
	}
}

func TestShippedScenarios(t *testing.T) {
	m := newMock(t, server.Options{})
	cases := []struct {
		scenario string
		status   int
		fixture  string
		body     string
		delay    time.Duration
		header   map[string]string
	}{
		{"default", 200, "mfa/backup/valid_code",
			`{"data":{"valid":true,"device_id":"123","verification_type":"backup_code","session_mfa_not_after":"2026-11-25T12:15:00Z"},"errors":null}`, 0, nil},
		{"valid-code", 200, "mfa/backup/valid_code",
			`{"data":{"valid":true,"device_id":"123","verification_type":"backup_code","session_mfa_not_after":"2026-11-25T12:15:00Z"},"errors":null}`, 0, nil},
		{"invalid-code", 200, "mfa/backup/invalid_code",
			`{"data":{"valid":false,"device_id":"123","verification_type":"backup_code","session_mfa_not_after":null},"errors":null}`, 0, nil},
		{"reused-code", 409, "mfa/backup/reused_code",
			`{"data":null,"errors":[{"code":"backup_code_already_used","message":"This backup code has already been used. Each backup code works once."}]}`, 0, nil},
		{"bad-device", 404, "mfa/backup/bad_device",
			`{"data":null,"errors":[{"code":"mfa_device_not_found","message":"MFA device 123 was not found."}]}`, 0, nil},
		{"unauthorized", 401, "mfa/backup/unauthorized",
			`{"data":null,"errors":[{"code":"unauthorized","message":"The API key is invalid or has expired."}]}`, 0, nil},
		{"rate-limited", 429, "mfa/backup/rate_limited",
			`{"data":null,"errors":[{"code":"rate_limited","message":"Too many verification attempts. Try again in 30 seconds."}]}`, 0,
			map[string]string{"Retry-After": "30"}},
		{"server-error", 500, "mfa/backup/server_error",
			`{"data":null,"errors":[{"code":"internal","message":"Something went wrong on our side. Please try again."}]}`, 0, nil},
		{"slow", 200, "mfa/backup/valid_code",
			`{"data":{"valid":true,"device_id":"123","verification_type":"backup_code","session_mfa_not_after":"2026-11-25T12:15:00Z"},"errors":null}`, 2 * time.Second, nil},
	}
	for _, tc := range cases {
		for _, via := range []string{"header", "prefer"} {
			t.Run(tc.scenario+"/"+via, func(t *testing.T) {
				h := map[string]string{"X-Mock-Scenario": tc.scenario}
				if via == "prefer" {
					h = map[string]string{"Prefer": "respond-async, scenario=" + tc.scenario + "; x=1"}
				}
				before := len(m.slept())
				a := m.do(t, validCall(h))
				if a.status != tc.status {
					t.Fatalf("status = %d, want %d; body %s", a.status, tc.status, a.body)
				}
				if got := a.header.Get("X-Mock-Scenario"); got != tc.scenario {
					t.Errorf("X-Mock-Scenario = %q, want %q", got, tc.scenario)
				}
				if got := a.header.Get("X-Mock-Fixture"); got != tc.fixture {
					t.Errorf("X-Mock-Fixture = %q, want %q", got, tc.fixture)
				}
				if !sameJSON(t, a.body, tc.body) {
					t.Errorf("body = %s, want %s", a.body, tc.body)
				}
				for name, want := range tc.header {
					if got := a.header.Get(name); got != want {
						t.Errorf("%s = %q, want %q", name, got, want)
					}
				}
				if got := m.slept()[before:]; len(got) != 1 || got[0] != tc.delay {
					t.Errorf("delays = %v, want [%v]", got, tc.delay)
				}
			})
		}
	}
	// The scenario asked for its 500: that is not an error of the mock.
	for _, line := range m.requestLines() {
		if strings.Contains(line, "scenario=server-error") && !strings.Contains(line, "level=INFO") {
			t.Errorf("the server-error scenario's answer is logged as %q, want level INFO", line)
		}
	}
}

// The header beats Prefer, and both beat the active scenario.
func TestScenarioPrecedence(t *testing.T) {
	m := newMock(t, server.Options{Scenario: "bad-device"})
	cases := []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"no choice: the active scenario", nil, "bad-device"},
		{"Prefer beats the active scenario", map[string]string{"Prefer": "scenario=reused-code"}, "reused-code"},
		{"X-Mock-Scenario beats Prefer", map[string]string{"Prefer": "scenario=reused-code", "X-Mock-Scenario": "invalid-code"}, "invalid-code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := m.do(t, validCall(tc.headers)).header.Get("X-Mock-Scenario"); got != tc.want {
				t.Errorf("X-Mock-Scenario = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestUnknownScenario(t *testing.T) {
	m := newMock(t, server.Options{})
	for _, h := range []map[string]string{{"X-Mock-Scenario": "nope"}, {"Prefer": "scenario=nope"}} {
		a := m.do(t, validCall(h))
		if a.status != http.StatusBadRequest {
			t.Fatalf("%v: status = %d, want 400", h, a.status)
		}
		errs := a.errorsOf(t)
		e := errs[0]
		if len(errs) != 1 || e["code"] != "unknown_scenario" || !strings.Contains(e["message"], `"nope"`) || !strings.Contains(e["message"], "reused-code") {
			t.Errorf("%v: errors = %v, want one unknown_scenario naming nope and listing the known names", h, errs)
		}
		for name := range h { // the message's location is the header the name came from
			if !strings.HasPrefix(e["message"], "header."+name+": ") {
				t.Errorf("%v: message %q does not start with header.%s", h, e["message"], name)
			}
		}
		// Refused before any scenario was consulted: no X-Mock-* headers.
		for _, name := range []string{"X-Mock-Scenario", "X-Mock-Fixture"} {
			if got := a.header.Get(name); got != "" {
				t.Errorf("%v: %s = %q, want none", h, name, got)
			}
		}
	}
}

// A reload that removes the active scenario leaves requests that name
// none refused; the refusal and /__mock/health both say why.
func TestActiveScenarioGoneAfterReload(t *testing.T) {
	m := newMock(t, server.Options{Scenario: "bad-device"})
	if a := m.do(t, validCall(nil)); a.status != 404 {
		t.Fatalf("before the reload: status %d, want bad-device's 404", a.status)
	}
	if w := m.health(t)["warnings"]; w != nil {
		t.Fatalf("health warnings = %v before the reload, want none", w)
	}
	dir := copyShipped(t)
	if err := os.Remove(filepath.Join(dir, "scenarios", "bad-device.yaml")); err != nil {
		t.Fatal(err)
	}
	m.Reloaded(loadDir(t, dir))

	a := m.do(t, validCall(nil))
	if a.status != 400 {
		t.Fatalf("status %d, want 400 once the reload removed the active scenario", a.status)
	}
	e := a.firstError(t)
	if e["code"] != "unknown_scenario" || !strings.Contains(e["message"], `active scenario "bad-device" is gone`) || strings.HasPrefix(e["message"], "header.") {
		t.Errorf("error = %v, want unknown_scenario saying the active scenario is gone (no header was sent)", e)
	}
	warnings, _ := m.health(t)["warnings"].([]any)
	if len(warnings) != 1 || !strings.Contains(fmt.Sprint(warnings[0]), "bad-device") {
		t.Errorf("health warnings = %v, want one naming bad-device", warnings)
	}
	if m.Active() != "bad-device" {
		t.Errorf("Active() = %q, want bad-device still (the reload does not change it)", m.Active())
	}
	// Naming a scenario per request still works.
	if a := m.do(t, validCall(map[string]string{"X-Mock-Scenario": "reused-code"})); a.status != 409 {
		t.Errorf("a request naming a scenario: %d, want reused-code's 409", a.status)
	}
}

func TestRealisticScenario(t *testing.T) {
	m := newMock(t, server.Options{Scenario: "realistic"})
	steps := []struct {
		name         string
		device, code string
		status       int
		fixture      string
	}{
		{"a new code is accepted", "7", "11112222", 200, "mfa/backup/valid_code"},
		{"the same code again is reused", "7", "11112222", 409, "mfa/backup/reused_code"},
		{"and stays reused", "7", "11112222", 409, "mfa/backup/reused_code"},
		{"another code on the same device is accepted", "7", "33334444", 200, "mfa/backup/valid_code"},
		{"the same code on another device is accepted", "8", "11112222", 200, "mfa/backup/valid_code"},
		{"device 404 is unknown", "404", "11112222", 404, "mfa/backup/bad_device"},
		{"device 4040 is unknown", "4040", "11112222", 404, "mfa/backup/bad_device"},
		{"a listed device is unknown", "999999", "11112222", 404, "mfa/backup/bad_device"},
		{"code 000000 is wrong", "7", "000000", 200, "mfa/backup/invalid_code"},
	}
	for _, st := range steps {
		a := m.do(t, backupCall(st.device, st.code, nil))
		if a.status != st.status || a.header.Get("X-Mock-Fixture") != st.fixture || a.header.Get("X-Mock-Scenario") != "realistic" {
			t.Errorf("%s: %d %s from %s, want %d %s from realistic", st.name, a.status, a.header.Get("X-Mock-Fixture"),
				a.header.Get("X-Mock-Scenario"), st.status, st.fixture)
		}
	}
}

func TestSessionsKeepTheirOwnState(t *testing.T) {
	m := newMock(t, server.Options{})
	for _, session := range []string{"worker-1", "worker-2"} {
		h := map[string]string{"X-Mock-Scenario": "realistic", "X-Mock-Session": session}
		if a := m.do(t, backupCall("5", "55556666", h)); a.status != 200 {
			t.Errorf("session %s: first use = %d, want 200", session, a.status)
		}
		if a := m.do(t, backupCall("5", "55556666", h)); a.status != 409 {
			t.Errorf("session %s: second use = %d, want 409", session, a.status)
		}
	}
	// Without the header, requests share the global session.
	h := map[string]string{"X-Mock-Scenario": "realistic"}
	if a := m.do(t, backupCall("5", "55556666", h)); a.status != 200 {
		t.Errorf("global session: first use = %d, want 200", a.status)
	}
	if a := m.do(t, backupCall("5", "55556666", h)); a.status != 409 {
		t.Errorf("global session: second use = %d, want 409", a.status)
	}
}

// Fifty identical requests at once: the sequence advances atomically, so
// exactly one is accepted.
func TestSequenceAdvancesAtomically(t *testing.T) {
	m := newMock(t, server.Options{})
	const n = 50
	var wg sync.WaitGroup
	start := make(chan struct{})
	statuses := make(chan int, n)
	for range n {
		wg.Add(1)
		r := backupCall("9", "99990000", map[string]string{"X-Mock-Scenario": "realistic", "X-Mock-Session": "race"}).request()
		go func() {
			defer wg.Done()
			<-start
			rec := httptest.NewRecorder()
			m.ServeHTTP(rec, r)
			statuses <- rec.Code
		}()
	}
	close(start)
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[200] != 1 || count[409] != n-1 {
		t.Errorf("statuses = %v, want exactly one 200 and %d 409", count, n-1)
	}
}

// A ranged delay is drawn from the engine's random source and slept
// through the injected Sleep; a fixed one is slept as written.
func TestDelays(t *testing.T) {
	set := withScenario(t, "jitter", "    - when: { body: { device_id: \"1\" } }\n      fixture: mfa/backup/valid_code\n      delay: 150ms\n"+
		"    - fixture: mfa/backup/valid_code\n      delay: {min: 200ms, max: 300ms}\n")
	var mu sync.Mutex
	var asked []int64
	engine := scenario.NewEngine(scenario.Options{Int64N: func(n int64) int64 {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, n)
		return n / 2
	}})
	m := newMockOf(t, set, server.Options{Engine: engine})
	cases := []struct {
		name   string
		device string
		want   time.Duration
	}{
		{"a fixed delay", "1", 150 * time.Millisecond},
		{"a ranged delay", "2", 250 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(m.slept())
			a := m.do(t, backupCall(tc.device, "12345678", map[string]string{"X-Mock-Scenario": "jitter"}))
			if a.status != 200 {
				t.Fatalf("status = %d, want 200; body %s", a.status, a.body)
			}
			if got := m.slept()[before:]; !slices.Equal(got, []time.Duration{tc.want}) {
				t.Errorf("delays = %v, want [%v]", got, tc.want)
			}
		})
	}
	// The range is inclusive: 100ms + 1ns of possible values above the minimum.
	if want := []int64{int64(100*time.Millisecond) + 1}; !slices.Equal(asked, want) {
		t.Errorf("random draws over %v, want %v", asked, want)
	}
}

// A client that goes away during a delay gets nothing more written.
func TestDelayEndsWithTheClient(t *testing.T) {
	m := newMock(t, server.Options{})
	r := validCall(map[string]string{"X-Mock-Scenario": "slow"}).request()
	ctx, cancel := context.WithCancel(r.Context())
	cancel()
	a := m.serve(t, r.WithContext(ctx))
	if len(a.body) != 0 || a.header.Get("X-Mock-Fixture") != "" {
		t.Errorf("after the client left: %d %s (fixture %q), want nothing written", a.status, a.body, a.header.Get("X-Mock-Fixture"))
	}
	if got := m.slept(); !slices.Equal(got, []time.Duration{2 * time.Second}) {
		t.Errorf("delays = %v, want [2s]", got)
	}
}

// Without an injected Sleep the server waits with its own timer: a short
// delay answers, and a client gone before a long one ends the wait.
func TestDefaultSleep(t *testing.T) {
	set := withScenario(t, "brief", "    - fixture: mfa/backup/valid_code\n      delay: 1ms\n")
	s := server.New(set, server.Options{Now: clock})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, validCall(map[string]string{"X-Mock-Scenario": "brief"}).request())
	if rec.Code != 200 || rec.Header().Get("X-Mock-Fixture") != "mfa/backup/valid_code" {
		t.Errorf("after a 1ms delay: %d from %q, want 200 from mfa/backup/valid_code", rec.Code, rec.Header().Get("X-Mock-Fixture"))
	}
	r := validCall(map[string]string{"X-Mock-Scenario": "slow"}).request()
	ctx, cancel := context.WithCancel(r.Context())
	cancel()
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, r.WithContext(ctx))
	if rec.Body.Len() != 0 || rec.Header().Get("X-Mock-Fixture") != "" {
		t.Errorf("a client gone during the slow delay: %q (fixture %q), want nothing written", rec.Body, rec.Header().Get("X-Mock-Fixture"))
	}
}
