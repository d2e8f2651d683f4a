package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/schema"
)

// syncBuffer is an io.Writer safe to read while run writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var listening = regexp.MustCompile(`listening\s+(http://\S+)`)

// testServer is the real program, started through run on 127.0.0.1:0.
type testServer struct {
	URL            string
	stdout, stderr *syncBuffer
	stop           func() // stops the server and waits for run to return
}

// finalLog stops the server and returns its complete log: the log is
// batched (internal/logbuf), and run flushes it as it returns.
func (ts *testServer) finalLog() string {
	ts.stop()
	return ts.stderr.String()
}

// startServer runs `arklow-mock serve` with args and env, waits until it
// listens, and stops it when the test ends.
func startServer(tb testing.TB, env map[string]string, args ...string) *testServer {
	tb.Helper()
	return launch(tb, env, true, args...)
}

// launch is startServer; keepLogs false discards the log (for load tests,
// whose memory figures must not count the test's own log capture).
func launch(tb testing.TB, env map[string]string, keepLogs bool, args ...string) *testServer {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	var stderr io.Writer = ts.stderr
	if !keepLogs {
		stderr = io.Discard
	}
	getenv := func(k string) string { return env[k] }
	done := make(chan error, 1)
	argv := append([]string{"arklow-mock", "serve", "--addr", "127.0.0.1:0"}, args...)
	go func() { done <- run(ctx, argv, getenv, ts.stdout, stderr) }()
	ts.stop = sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("run returned %v", err)
			}
		case <-time.After(15 * time.Second):
			tb.Errorf("run did not return after cancel")
		}
	})
	tb.Cleanup(ts.stop)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(ts.stdout.String()); m != nil {
			ts.URL = m[1]
			return ts
		}
		select {
		case err := <-done:
			tb.Fatalf("run exited before listening: %v\nstderr: %s", err, ts.stderr)
		case <-time.After(5 * time.Millisecond):
		}
	}
	tb.Fatalf("server did not start; stdout: %s stderr: %s", ts.stdout, ts.stderr)
	return nil
}

const backupPath = "/v1/self/mfa/verify/totp/backup"

type call struct {
	method  string
	path    string
	headers map[string]string
	body    string
}

type answer struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

func (ts *testServer) do(tb testing.TB, c call) answer {
	tb.Helper()
	if c.method == "" {
		c.method = http.MethodPost
	}
	if c.path == "" {
		c.path = backupPath
	}
	req, err := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range c.headers {
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, body: body}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &a.json); err != nil {
			tb.Fatalf("%s %s: body is not a JSON object: %v\n%s", c.method, c.path, err, body)
		}
	}
	return a
}

// validCall is the request of a frontend verifying a backup code.
func validCall(extra map[string]string) call {
	h := map[string]string{"x-arklow-auth": "ak_test_123", "Content-Type": "application/json"}
	for k, v := range extra {
		h[k] = v
	}
	return call{headers: h, body: `{"device_id":"123","code":"12345678"}`}
}

// data returns the envelope's data object.
func (a answer) data(tb testing.TB) map[string]any {
	tb.Helper()
	d, ok := a.json["data"].(map[string]any)
	if !ok {
		tb.Fatalf("data = %v, want an object; body %s", a.json["data"], a.body)
	}
	return d
}

// errorsOf checks the error envelope (data null, a non-empty errors list of
// {code, message}) and returns its entries.
func (a answer) errorsOf(tb testing.TB) []map[string]string {
	tb.Helper()
	if d, ok := a.json["data"]; !ok || d != nil {
		tb.Fatalf("data = %v, want null; body %s", d, a.body)
	}
	list, ok := a.json["errors"].([]any)
	if !ok || len(list) == 0 {
		tb.Fatalf("errors = %v, want a non-empty list; body %s", a.json["errors"], a.body)
	}
	var out []map[string]string
	for _, e := range list {
		m, _ := e.(map[string]any)
		code, _ := m["code"].(string)
		msg, _ := m["message"].(string)
		if code == "" || msg == "" {
			tb.Fatalf("error entry %v lacks code or message", e)
		}
		out = append(out, map[string]string{"code": code, "message": msg})
	}
	return out
}

func TestValidRequest(t *testing.T) {
	ts := startServer(t, nil)
	before := time.Now()
	a := ts.do(t, validCall(nil))
	if a.status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", a.status, a.body)
	}
	d := a.data(t)
	if d["valid"] != true {
		t.Errorf("data.valid = %v, want true", d["valid"])
	}
	if d["device_id"] != "123" {
		t.Errorf("data.device_id = %v, want the request's 123", d["device_id"])
	}
	if d["verification_type"] != "backup_code" {
		t.Errorf("data.verification_type = %v, want backup_code", d["verification_type"])
	}
	until, err := time.Parse(time.RFC3339, d["session_mfa_not_after"].(string))
	if err != nil || !until.After(before) {
		t.Errorf("data.session_mfa_not_after = %v, want an RFC 3339 time in the future (%v)", d["session_mfa_not_after"], err)
	}
	if v, ok := a.json["errors"]; !ok || v != nil {
		t.Errorf("errors = %v, want null", v)
	}
	if got := a.header.Get("X-Mock-Scenario"); got != "default" {
		t.Errorf("X-Mock-Scenario = %q, want default", got)
	}
	if got := a.header.Get("X-Mock-Fixture"); got != "mfa/backup/valid_code" {
		t.Errorf("X-Mock-Fixture = %q, want mfa/backup/valid_code", got)
	}
	if got := a.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
	if log := ts.finalLog(); !strings.Contains(log, "status=200") || !strings.Contains(log, "fixture=mfa/backup/valid_code") {
		t.Errorf("log has no line for the request:\n%s", log)
	}
}

func TestRoutingIgnoresHost(t *testing.T) {
	ts := startServer(t, nil)
	for _, host := range []string{"localhost:3123", "api.arklow.io", "0.0.0.0:8080", "LOCALHOST"} {
		a := ts.do(t, validCall(map[string]string{"Host": host}))
		if a.status != http.StatusOK {
			t.Errorf("Host %s: status = %d, want 200; body %s", host, a.status, a.body)
		}
	}
}

func TestShippedScenarios(t *testing.T) {
	ts := startServer(t, nil)
	cases := []struct {
		scenario string
		status   int
		fixture  string
		check    func(t *testing.T, a answer)
	}{
		{"default", 200, "mfa/backup/valid_code", func(t *testing.T, a answer) { expectValid(t, a, true) }},
		{"valid-code", 200, "mfa/backup/valid_code", func(t *testing.T, a answer) { expectValid(t, a, true) }},
		{"invalid-code", 200, "mfa/backup/invalid_code", func(t *testing.T, a answer) {
			expectValid(t, a, false)
			if v := a.data(t)["session_mfa_not_after"]; v != nil {
				t.Errorf("session_mfa_not_after = %v, want null", v)
			}
		}},
		{"reused-code", 409, "mfa/backup/reused_code", expectError("backup_code_already_used")},
		{"bad-device", 404, "mfa/backup/bad_device", func(t *testing.T, a answer) {
			expectError("mfa_device_not_found")(t, a)
			if msg := a.errorsOf(t)[0]["message"]; !strings.Contains(msg, "123") {
				t.Errorf("message %q does not name the device 123", msg)
			}
		}},
		{"unauthorized", 401, "mfa/backup/unauthorized", expectError("unauthorized")},
		{"rate-limited", 429, "mfa/backup/rate_limited", func(t *testing.T, a answer) {
			expectError("rate_limited")(t, a)
			if got := a.header.Get("Retry-After"); got != "30" {
				t.Errorf("Retry-After = %q, want 30", got)
			}
		}},
		{"server-error", 500, "mfa/backup/server_error", expectError("internal")},
		{"slow", 200, "mfa/backup/valid_code", func(t *testing.T, a answer) { expectValid(t, a, true) }},
	}
	for _, tc := range cases {
		for _, via := range []string{"header", "prefer"} {
			t.Run(tc.scenario+"/"+via, func(t *testing.T) {
				t.Parallel()
				h := map[string]string{"X-Mock-Scenario": tc.scenario}
				if via == "prefer" {
					h = map[string]string{"Prefer": "respond-async, scenario=" + tc.scenario + "; x=1"}
				}
				start := time.Now()
				a := ts.do(t, validCall(h))
				elapsed := time.Since(start)
				if a.status != tc.status {
					t.Fatalf("status = %d, want %d; body %s", a.status, tc.status, a.body)
				}
				if got := a.header.Get("X-Mock-Scenario"); got != tc.scenario {
					t.Errorf("X-Mock-Scenario = %q, want %q", got, tc.scenario)
				}
				if got := a.header.Get("X-Mock-Fixture"); got != tc.fixture {
					t.Errorf("X-Mock-Fixture = %q, want %q", got, tc.fixture)
				}
				tc.check(t, a)
				if tc.scenario == "slow" && elapsed < 2*time.Second {
					t.Errorf("slow answered after %v, want at least 2s", elapsed)
				}
			})
		}
	}
}

func expectValid(t *testing.T, a answer, valid bool) {
	t.Helper()
	if got := a.data(t)["valid"]; got != valid {
		t.Errorf("data.valid = %v, want %v", got, valid)
	}
}

func expectError(code string) func(t *testing.T, a answer) {
	return func(t *testing.T, a answer) {
		t.Helper()
		if got := a.errorsOf(t)[0]["code"]; got != code {
			t.Errorf("errors[0].code = %q, want %q", got, code)
		}
	}
}

func TestUnknownScenario(t *testing.T) {
	ts := startServer(t, nil)
	for _, h := range []map[string]string{{"X-Mock-Scenario": "nope"}, {"Prefer": "scenario=nope"}} {
		a := ts.do(t, validCall(h))
		if a.status != http.StatusBadRequest {
			t.Fatalf("%v: status = %d, want 400", h, a.status)
		}
		e := a.errorsOf(t)[0]
		if e["code"] != "unknown_scenario" || !strings.Contains(e["message"], `"nope"`) || !strings.Contains(e["message"], "reused-code") {
			t.Errorf("%v: error = %v, want unknown_scenario naming nope and listing the known names", h, e)
		}
		for name := range h { // the message's location is the header the name came from
			if !strings.HasPrefix(e["message"], "header."+name+": ") {
				t.Errorf("%v: message %q does not start with header.%s", h, e["message"], name)
			}
		}
	}
}

// A reload that removes the active scenario leaves requests that name
// none refused; the refusal and /__mock/health both say why.
func TestActiveScenarioGoneAfterReload(t *testing.T) {
	dir := copyTree(t)
	ts := startIn(t, dir, "--scenario", "bad-device")
	if err := os.Remove(filepath.Join(dir, "scenarios", "bad-device.yaml")); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Second, func() string {
		if a := ts.do(t, validCall(nil)); a.status != 400 {
			return fmt.Sprintf("status %d, want 400 once the reload removed the active scenario", a.status)
		}
		return ""
	})
	msg := ts.do(t, validCall(nil)).errorsOf(t)[0]["message"]
	if !strings.Contains(msg, `active scenario "bad-device" is gone`) || strings.HasPrefix(msg, "header.") {
		t.Errorf("message = %q, want it to say the active scenario is gone (no header was sent)", msg)
	}
	warnings, _ := ts.do(t, call{method: "GET", path: "/__mock/health"}).data(t)["warnings"].([]any)
	if len(warnings) != 1 || !strings.Contains(fmt.Sprint(warnings[0]), "bad-device") {
		t.Errorf("health warnings = %v, want one naming bad-device", warnings)
	}
}

func TestRejectsInvalidRequests(t *testing.T) {
	ts := startServer(t, nil)
	auth := map[string]string{"x-arklow-auth": "k", "Content-Type": "application/json"}
	cases := []struct {
		name    string
		call    call
		status  int
		code    string
		message string
	}{
		{"missing x-arklow-auth", call{headers: map[string]string{"Content-Type": "application/json"}, body: `{"device_id":"1","code":"123456"}`},
			401, "unauthorized", "header.x-arklow-auth: missing or empty API key"},
		{"empty x-arklow-auth", call{headers: map[string]string{"x-arklow-auth": "", "Content-Type": "application/json"}, body: `{"device_id":"1","code":"123456"}`},
			401, "unauthorized", "header.x-arklow-auth: missing or empty API key"},
		{"device_id abc", call{headers: auth, body: `{"device_id":"abc","code":"123456"}`},
			400, "invalid_request", `body.device_id: string "abc" does not match pattern ^[0-9]+$`},
		{"code 123", call{headers: auth, body: `{"device_id":"1","code":"123"}`},
			400, "invalid_request", "body.code: must be at least 6 characters long, got 3"},
		{"missing code", call{headers: auth, body: `{"device_id":"1"}`},
			400, "invalid_request", "body.code: is required"},
		{"malformed JSON", call{headers: auth, body: `{"device_id":"1",`},
			400, "invalid_json", "body: invalid JSON: unexpected end of input"},
		{"text/plain", call{headers: map[string]string{"x-arklow-auth": "k", "Content-Type": "text/plain"}, body: "device_id=1"},
			415, "unsupported_media_type", `header.Content-Type: "text/plain" is not supported; send application/json`},
		{"missing body", call{headers: auth},
			400, "invalid_request", "body: a request body is required"},
		{"gzip body", call{headers: map[string]string{"x-arklow-auth": "k", "Content-Type": "application/json", "Content-Encoding": "gzip"}, body: "\x1f\x8b\x08\x00"},
			415, "unsupported_media_type", `header.Content-Encoding: "gzip" bodies are not accepted; send the body uncompressed`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := ts.do(t, tc.call)
			if a.status != tc.status {
				t.Fatalf("status = %d, want %d; body %s", a.status, tc.status, a.body)
			}
			errs := a.errorsOf(t)
			if len(errs) != 1 || errs[0]["code"] != tc.code || errs[0]["message"] != tc.message {
				t.Errorf("errors = %v, want one %s %q", errs, tc.code, tc.message)
			}
		})
	}
	t.Run("every problem is listed", func(t *testing.T) {
		a := ts.do(t, call{headers: auth, body: `{"device_id":"abc","code":"1"}`})
		if errs := a.errorsOf(t); len(errs) != 2 {
			t.Errorf("errors = %v, want one entry per problem (2)", errs)
		}
	})
	t.Run("the API key never appears in the log", func(t *testing.T) {
		ts.do(t, call{headers: map[string]string{"x-arklow-auth": "secret-key-42", "Content-Type": "application/json"}, body: `{}`})
		log := ts.finalLog()
		if !strings.Contains(log, "body.code: is required") {
			t.Errorf("the log has no line for the rejected request:\n%s", log)
		}
		if strings.Contains(log, "secret-key-42") {
			t.Errorf("log contains the API key:\n%s", log)
		}
	})
}

// Patterns are ECMA-262: a spec with a lookahead (which Go's regexp
// lacks) serves, and enforces it.
func TestECMAPatternEndToEnd(t *testing.T) {
	dir := copyTree(t)
	p := filepath.Join(dir, "spec", "arklow.yaml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "pattern: ^[0-9]+$", "pattern: '^(?!0)[0-9]+$'", 1)
	if edited == string(data) {
		t.Fatal("the shipped spec no longer has the device_id pattern")
	}
	if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, nil, "--spec", filepath.Join(dir, "spec"), "--fixtures", filepath.Join(dir, "fixtures"), "--scenarios", filepath.Join(dir, "scenarios"))
	if a := ts.do(t, validCall(nil)); a.status != 200 {
		t.Fatalf("a matching device_id: status %d, body %s", a.status, a.body)
	}
	c := validCall(nil)
	c.body = `{"device_id":"0123","code":"12345678"}`
	a := ts.do(t, c)
	errs := a.errorsOf(t)
	want := `body.device_id: string "0123" does not match pattern ^(?!0)[0-9]+$`
	if a.status != 400 || len(errs) != 1 || errs[0]["code"] != "invalid_request" || errs[0]["message"] != want {
		t.Errorf("a device_id the lookahead rejects: %d %v, want 400 invalid_request %q", a.status, errs, want)
	}
}

func TestUnknownPathNamesClosest(t *testing.T) {
	ts := startServer(t, nil)
	a := ts.do(t, call{path: "/v1/self/mfa/verify/totp/backups", headers: map[string]string{"x-arklow-auth": "k"}})
	if a.status != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", a.status)
	}
	e := a.errorsOf(t)[0]
	if e["code"] != "not_found" || !strings.Contains(e["message"], backupPath) {
		t.Errorf("error = %v, want not_found naming %s", e, backupPath)
	}
}

func TestWrongMethod(t *testing.T) {
	ts := startServer(t, nil)
	a := ts.do(t, call{method: http.MethodGet, headers: map[string]string{"x-arklow-auth": "k"}})
	if a.status != http.StatusMethodNotAllowed {
		t.Fatalf("status = %d, want 405", a.status)
	}
	if got := a.header.Get("Allow"); got != "POST" {
		t.Errorf("Allow = %q, want POST", got)
	}
	if e := a.errorsOf(t)[0]; e["code"] != "method_not_allowed" {
		t.Errorf("error = %v, want method_not_allowed", e)
	}
}

func TestOversizedBody(t *testing.T) {
	ts := startServer(t, nil)
	big := `{"device_id":"1","code":"` + strings.Repeat("9", 1<<20) + `"}`
	a := ts.do(t, validCall(nil))
	_ = a
	c := validCall(nil)
	c.body = big
	a = ts.do(t, c)
	if a.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status = %d, want 413", a.status)
	}
	if e := a.errorsOf(t)[0]; e["code"] != "payload_too_large" {
		t.Errorf("error = %v, want payload_too_large", e)
	}
	// A chunked body (no Content-Length) is cut off while reading.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+backupPath, io.MultiReader(strings.NewReader(big)))
	req.Header.Set("x-arklow-auth", "k")
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked: status = %d, want 413", resp.StatusCode)
	}
}

const frontend = "http://localhost:5173"

func TestCORS(t *testing.T) {
	ts := startServer(t, nil)
	t.Run("preflight", func(t *testing.T) {
		a := ts.do(t, call{method: http.MethodOptions, headers: map[string]string{
			"Origin":                         frontend,
			"Access-Control-Request-Method":  "POST",
			"Access-Control-Request-Headers": "content-type,x-arklow-auth,x-mock-scenario",
		}})
		if a.status != http.StatusNoContent {
			t.Fatalf("status = %d, want 204; body %s", a.status, a.body)
		}
		if got := a.header.Get("Access-Control-Allow-Origin"); got != frontend {
			t.Errorf("Allow-Origin = %q, want %q", got, frontend)
		}
		allowed := strings.ToLower(a.header.Get("Access-Control-Allow-Headers"))
		for _, h := range []string{"x-arklow-auth", "x-mock-scenario", "content-type"} {
			if !strings.Contains(allowed, h) {
				t.Errorf("Allow-Headers = %q, want it to include %s", allowed, h)
			}
		}
	})
	t.Run("answers expose the mock headers", func(t *testing.T) {
		a := ts.do(t, validCall(map[string]string{"Origin": frontend, "X-Mock-Scenario": "rate-limited"}))
		if got := a.header.Get("Access-Control-Allow-Origin"); got != frontend {
			t.Errorf("Allow-Origin = %q, want %q", got, frontend)
		}
		exposed := a.header.Get("Access-Control-Expose-Headers")
		for _, h := range []string{"X-Mock-Scenario", "X-Mock-Fixture", "Retry-After"} {
			if !strings.Contains(exposed, h) {
				t.Errorf("Expose-Headers = %q, want it to include %s", exposed, h)
			}
		}
	})
	t.Run("--cors-origins narrows the origins", func(t *testing.T) {
		narrow := startServer(t, nil, "--cors-origins", "https://app.example.test")
		a := narrow.do(t, call{method: http.MethodOptions, headers: map[string]string{
			"Origin": frontend, "Access-Control-Request-Method": "POST",
		}})
		if got := a.header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("Allow-Origin = %q for a foreign origin, want none", got)
		}
		a = narrow.do(t, validCall(map[string]string{"Origin": "https://app.example.test"}))
		if got := a.header.Get("Access-Control-Allow-Origin"); got != "https://app.example.test" {
			t.Errorf("Allow-Origin = %q, want the listed origin", got)
		}
	})
}

func TestPreferPrismTokens(t *testing.T) {
	ts := startServer(t, nil)
	a := ts.do(t, validCall(map[string]string{"Prefer": "code=409", "X-Mock-Session": "prefer-409"}))
	if a.status != 409 || a.header.Get("X-Mock-Fixture") != "mfa/backup/reused_code" {
		t.Errorf("code=409: %d %s, want 409 from mfa/backup/reused_code", a.status, a.header.Get("X-Mock-Fixture"))
	}
	// The fixture is borrowed from another scenario: the journal names the
	// same scenario as the answer's header, so ?scenario= finds it.
	var got []entry
	ts.admin(t, "GET", "/__mock/requests?session=prefer-409", "", &got)
	if len(got) != 1 || got[0].Scenario != a.header.Get("X-Mock-Scenario") || got[0].Fixture != "mfa/backup/reused_code" {
		t.Errorf("code=409: journal %+v, want the answer's scenario %q", got, a.header.Get("X-Mock-Scenario"))
	}
	a = ts.do(t, validCall(map[string]string{"Prefer": "dynamic=true"}))
	if a.status != 200 || a.header.Get("X-Mock-Fixture") != "spec:generated" {
		t.Errorf("dynamic=true: %d %s, want 200 from spec:generated", a.status, a.header.Get("X-Mock-Fixture"))
	}
	a.data(t)
	a = ts.do(t, validCall(map[string]string{"Prefer": "code=418"}))
	if a.status != 400 || a.errorsOf(t)[0]["code"] != "unknown_response" {
		t.Errorf("code=418: %d %s, want 400 unknown_response", a.status, a.body)
	}
	a = ts.do(t, validCall(map[string]string{"Prefer": "example=nope"}))
	if a.status != 400 || a.errorsOf(t)[0]["code"] != "unknown_response" {
		t.Errorf("example=nope: %d %s, want 400 unknown_response", a.status, a.body)
	}
}

func TestActiveScenarioFromEnvAndFlag(t *testing.T) {
	ts := startServer(t, map[string]string{"MOCK_SCENARIO": "bad-device"})
	if a := ts.do(t, validCall(nil)); a.status != 404 {
		t.Errorf("MOCK_SCENARIO=bad-device: status = %d, want 404", a.status)
	}
	ts = startServer(t, map[string]string{"MOCK_SCENARIO": "bad-device"}, "--scenario", "reused-code")
	if a := ts.do(t, validCall(nil)); a.status != 409 {
		t.Errorf("--scenario beats MOCK_SCENARIO: status = %d, want 409", a.status)
	}
}

func TestHealth(t *testing.T) {
	ts := startServer(t, nil)
	a := ts.do(t, call{method: http.MethodGet, path: "/__mock/health"})
	if a.status != 200 || a.json["status"] != "ok" || a.data(t)["operations"] != float64(1) {
		t.Errorf("health = %d %s", a.status, a.body)
	}
	if err := run(context.Background(), []string{"arklow-mock", "healthcheck", "--addr", strings.TrimPrefix(ts.URL, "http://")}, func(string) string { return "" }, io.Discard, io.Discard); err != nil {
		t.Errorf("healthcheck against a running server: %v", err)
	}
	if err := run(context.Background(), []string{"arklow-mock", "healthcheck", "--addr", "127.0.0.1:1"}, func(string) string { return "" }, io.Discard, io.Discard); err == nil {
		t.Errorf("healthcheck against nothing succeeded")
	}
}

// runCLI runs a command to completion and returns its output and error.
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"arklow-mock"}, args...), func(string) string { return "" }, &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestValidateShippedFiles(t *testing.T) {
	out, err := runCLI(t, "validate")
	if err != nil {
		t.Fatalf("validate: %v\n%s", err, out)
	}
	if !strings.Contains(out, "ok: 1 operation(s)") {
		t.Errorf("validate output = %q", out)
	}
}

// copyTree copies the shipped data folders into a temp dir so a test can
// break one file.
func copyTree(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, dir := range []string{"spec", "fixtures", "scenarios"} {
		err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			target := filepath.Join(dst, p)
			if info.IsDir() {
				return os.MkdirAll(target, 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestValidateReportsBrokenFiles(t *testing.T) {
	cases := []struct {
		name  string
		file  string
		edit  func(string) string
		wants []string
	}{
		{"a fixture whose verification_type is sms", "fixtures/mfa/backup/valid_code.yaml",
			func(s string) string {
				return strings.Replace(s, "verification_type: backup_code", "verification_type: sms", 1)
			},
			[]string{"fixtures/mfa/backup/valid_code.yaml:9:", "/data/verification_type", `"sms"`}},
		{"a scenario naming a missing fixture", "scenarios/reused-code.yaml",
			func(s string) string {
				return strings.Replace(s, "mfa/backup/reused_code", "mfa/backup/reused_kode", 1)
			},
			[]string{"scenarios/reused-code.yaml:5:", `unknown fixture "mfa/backup/reused_kode"`, `did you mean "mfa/backup/reused_code"`}},
		{"a fixture with a YAML syntax error", "fixtures/mfa/backup/server_error.yaml",
			func(s string) string { return strings.Replace(s, "status: 500", "status: [500", 1) },
			[]string{"fixtures/mfa/backup/server_error.yaml:", "invalid YAML"}},
		{"a scenario with a YAML syntax error", "scenarios/slow.yaml",
			func(s string) string { return s + "\n  - fixture: [oops\n" },
			[]string{"scenarios/slow.yaml:", "invalid YAML"}},
		{"a scenario naming an unknown operation", "scenarios/slow.yaml",
			func(s string) string {
				return strings.Replace(s, "post_v1_self_mfa_verify_totp_backup", "post_v1_nothing", 1)
			},
			[]string{"scenarios/slow.yaml:4:", `unknown operation "post_v1_nothing"`}},
		{"a spec keyword of the wrong type", "spec/arklow.yaml",
			func(s string) string { return strings.Replace(s, "minLength: 6", `minLength: "six"`, 1) },
			[]string{"spec/arklow.yaml:53: minLength: expected a non-negative integer, got string \"six\"",
				"at /paths/~1v1~1self~1mfa~1verify~1totp~1backup/post/requestBody/content/application~1json/schema/properties/code/minLength"}},
		{"a spec pattern that is not a regexp", "spec/arklow.yaml",
			func(s string) string { return strings.Replace(s, "pattern: ^[0-9]+$", `pattern: "[0-9"`, 1) },
			[]string{`spec/arklow.yaml:50: pattern "[0-9" is not a valid regular expression`,
				"at /paths/~1v1~1self~1mfa~1verify~1totp~1backup/post/requestBody/content/application~1json/schema/properties/device_id/pattern"}},
		{"a spec pattern that is not even an ECMA-262 regexp", "spec/arklow.yaml",
			func(s string) string { return strings.Replace(s, "pattern: ^[0-9]+$", `pattern: "^(?!0)[0-9+$"`, 1) },
			[]string{`spec/arklow.yaml:50: pattern "^(?!0)[0-9+$" is not a valid regular expression: unterminated [] set`,
				"at /paths/~1v1~1self~1mfa~1verify~1totp~1backup/post/requestBody/content/application~1json/schema/properties/device_id/pattern"}},
		{"a spec $ref that does not resolve", "spec/arklow.yaml",
			func(s string) string {
				return strings.Replace(s, "                device_id:\n                  type: string", "                device_id:\n                  $ref: '#/components/schemas/DeviceId'", 1)
			},
			[]string{`spec/arklow.yaml:49: $ref "#/components/schemas/DeviceId" cannot be resolved`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyTree(t)
			p := filepath.Join(dir, tc.file)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(tc.edit(string(data))), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := runCLI(t, "validate", "--spec", filepath.Join(dir, "spec"), "--fixtures", filepath.Join(dir, "fixtures"), "--scenarios", filepath.Join(dir, "scenarios"))
			if err == nil {
				t.Fatalf("validate succeeded on a broken file:\n%s", out)
			}
			for _, want := range tc.wants {
				if !strings.Contains(out, want) {
					t.Errorf("output does not contain %q:\n%s", want, out)
				}
			}
			// serve refuses to start on the same files.
			var sink bytes.Buffer
			err = run(context.Background(), []string{"arklow-mock", "serve", "--addr", "127.0.0.1:0", "--spec", filepath.Join(dir, "spec"), "--fixtures", filepath.Join(dir, "fixtures"), "--scenarios", filepath.Join(dir, "scenarios")}, func(string) string { return "" }, &sink, &sink)
			if err == nil {
				t.Errorf("serve started on a broken file")
			}
		})
	}
}

func TestBadCommandLine(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"serve", "--log-format", "xml"}, {"serve", "--addr", "nowhere"}, {"serve", "--spec", "does-not-exist"}, {"serve", "--scenario", "nope"}} {
		if out, err := runCLI(t, args...); err == nil {
			t.Errorf("%v: no error; output %s", args, out)
		}
	}
	// A missing folder is named once, by the load; the watcher, which
	// starts first, must not add an error of its own.
	out, err := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--fixtures", "does-not-exist")
	if err == nil || !strings.Contains(err.Error(), "does-not-exist") || strings.Contains(out, "hot reload") {
		t.Errorf("a missing folder: %v; output %q", err, out)
	}
	if _, err := runCLI(t, "serve", "--help"); err != nil {
		t.Errorf("--help: %v", err)
	}
	out, err = runCLI(t, "version")
	if err != nil || !strings.HasPrefix(out, "arklow-mock ") {
		t.Errorf("version = %q, %v", out, err)
	}
	out, err = runCLI(t, "scenarios")
	if err != nil || !strings.Contains(out, "* default") || !strings.Contains(out, "reused-code") || !strings.Contains(out, "post_v1_self_mfa_verify_totp_backup") {
		t.Errorf("scenarios = %q, %v", out, err)
	}
}

// TestSpecOnlyAnswers runs the mock on a larger OpenAPI 3.1 document with
// no fixtures and no scenarios: every operation must answer, from its
// example or a generated value, with a body valid against its schema.
func TestSpecOnlyAnswers(t *testing.T) {
	empty := t.TempDir()
	for _, d := range []string{"fixtures", "scenarios"} {
		if err := os.Mkdir(filepath.Join(empty, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	const specPath = "testdata/bigspec/openapi.yaml"
	ts := startServer(t, nil, "--spec", specPath, "--fixtures", filepath.Join(empty, "fixtures"), "--scenarios", filepath.Join(empty, "scenarios"))
	spec, err := apispec.Load(context.Background(), specPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(spec.Operations()); n < 12 {
		t.Fatalf("the document has %d operations, want at least 12", n)
	}
	sources := map[string]int{}
	withHeaders := 0
	for _, op := range spec.Operations() {
		t.Run(op.Key, func(t *testing.T) {
			probe := op.Probe()
			path := op.Path
			for name, v := range probe.Path {
				path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(v))
			}
			if len(probe.Query) > 0 {
				path += "?" + url.Values(probe.Query).Encode()
			}
			c := call{method: op.Method, path: path, headers: map[string]string{"x-arklow-auth": "k", "Origin": "http://localhost:5173"}}
			for name, v := range probe.Header {
				c.headers[name] = v[0]
			}
			if probe.Body != nil {
				b, _ := json.Marshal(probe.Body)
				c.body = string(b)
				c.headers["Content-Type"] = "application/json"
			}
			a := ts.do(t, c)
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

// --log-format json writes one JSON object per request with the fields
// DESIGN §7 names, and the problems of a rejected one.
func TestJSONLog(t *testing.T) {
	ts := startServer(t, nil, "--log-format", "json")
	ts.do(t, validCall(map[string]string{"X-Mock-Scenario": "reused-code"}))
	ts.do(t, backupCall("abc", "12345678", nil))
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(ts.finalLog()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("%d request lines, want 2:\n%s", len(lines), ts.stderr)
	}
	ok, bad := lines[0], lines[1]
	for k, want := range map[string]any{"method": "POST", "path": backupPath, "status": float64(409), "scenario": "reused-code", "fixture": "mfa/backup/reused_code"} {
		if ok[k] != want {
			t.Errorf("%s = %v, want %v", k, ok[k], want)
		}
	}
	if _, has := ok["duration"]; !has {
		t.Errorf("no duration in %v", ok)
	}
	if p, _ := bad["problems"].(string); bad["status"] != float64(400) || !strings.HasPrefix(p, "body.device_id:") {
		t.Errorf("rejected request line = %v", bad)
	}
}
