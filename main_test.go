package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
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
	return launchCommand(tb, env, keepLogs, "serve", args...)
}

// launchCommand is launch for a command that serves: serve, or record.
func launchCommand(tb testing.TB, env map[string]string, keepLogs bool, command string, args ...string) *testServer {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	var stderr io.Writer = ts.stderr
	if !keepLogs {
		stderr = io.Discard
	}
	getenv := func(k string) string { return env[k] }
	done := make(chan error, 1)
	argv := append([]string{"arklow-mock", command, "--addr", "127.0.0.1:0"}, args...)
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

// Routing ignores the Host among the names the mock serves: local ones,
// and those --allowed-hosts lists (a compose service name, say).
func TestRoutingIgnoresHost(t *testing.T) {
	ts := startServer(t, map[string]string{"MOCK_ALLOWED_HOSTS": "api.arklow.io"})
	for _, host := range []string{"localhost:3123", "api.arklow.io", "0.0.0.0:8080", "LOCALHOST", "app.localhost:5173", "[::1]:3123"} {
		a := ts.do(t, validCall(map[string]string{"Host": host}))
		if a.status != http.StatusOK {
			t.Errorf("Host %s: status = %d, want 200; body %s", host, a.status, a.body)
		}
	}
	if a := ts.do(t, validCall(map[string]string{"Host": "evil.example"})); a.status != http.StatusForbidden || a.errorsOf(t)[0]["code"] != "forbidden_host" {
		t.Errorf("Host evil.example: %d %s, want 403 forbidden_host", a.status, a.body)
	}
}

// The end-to-end smoke tests below start the real program on
// 127.0.0.1:0; the handler's behaviour in detail is tested beside it, in
// internal/server.

// One scenario switch, per request and globally, through a real socket.
func TestScenarioSwitch(t *testing.T) {
	ts := startServer(t, nil)
	a := ts.do(t, validCall(map[string]string{"X-Mock-Scenario": "reused-code"}))
	if a.status != 409 || a.header.Get("X-Mock-Scenario") != "reused-code" || a.header.Get("X-Mock-Fixture") != "mfa/backup/reused_code" {
		t.Errorf("X-Mock-Scenario: reused-code: %d from %s/%s, want 409 from reused-code/mfa/backup/reused_code",
			a.status, a.header.Get("X-Mock-Scenario"), a.header.Get("X-Mock-Fixture"))
	}
	expectError("backup_code_already_used")(t, a)
	if a := ts.do(t, call{method: "PUT", path: "/__mock/scenario", headers: map[string]string{"Content-Type": "application/json"}, body: `{"name":"bad-device"}`}); a.status != 200 {
		t.Fatalf("PUT /__mock/scenario = %d %s", a.status, a.body)
	}
	if a := ts.do(t, validCall(nil)); a.status != 404 || a.header.Get("X-Mock-Scenario") != "bad-device" {
		t.Errorf("after PUT: %d from %s, want 404 from bad-device", a.status, a.header.Get("X-Mock-Scenario"))
	}
}

// One rejection: the envelope naming the field, and the binary's log line
// naming the problem but never the API key.
func TestRejection(t *testing.T) {
	ts := startServer(t, nil)
	a := ts.do(t, call{headers: map[string]string{"x-arklow-auth": "secret-key-42", "Content-Type": "application/json"}, body: `{"device_id":"abc","code":"12345678"}`})
	errs := a.errorsOf(t)
	want := `body.device_id: string "abc" does not match pattern ^[0-9]+$`
	if a.status != 400 || len(errs) != 1 || errs[0]["code"] != "invalid_request" || errs[0]["message"] != want {
		t.Errorf("%d %v, want 400 with one invalid_request %q", a.status, errs, want)
	}
	log := ts.finalLog()
	if !strings.Contains(log, "status=400") || !strings.Contains(log, "body.device_id: string") {
		t.Errorf("the log has no line for the rejected request:\n%s", log)
	}
	if strings.Contains(log+ts.stdout.String(), "secret-key-42") {
		t.Errorf("the output contains the API key:\n%s", log)
	}
}

// The flags and variables that configure the handler reach it. What each
// option does is tested in internal/server; this is the wiring.
func TestOptionsReachTheServer(t *testing.T) {
	cases := []struct {
		name  string
		env   map[string]string
		args  []string
		check func(t *testing.T, ts *testServer)
	}{
		{"--cors-origins narrows the origins", nil, []string{"--cors-origins", "https://app.example.test"}, func(t *testing.T, ts *testServer) {
			a := ts.do(t, call{method: http.MethodOptions, headers: map[string]string{"Origin": frontend, "Access-Control-Request-Method": "POST"}})
			if got := a.header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("Allow-Origin = %q for a foreign origin, want none", got)
			}
			a = ts.do(t, validCall(map[string]string{"Origin": "https://app.example.test"}))
			if got := a.header.Get("Access-Control-Allow-Origin"); got != "https://app.example.test" {
				t.Errorf("Allow-Origin = %q, want the listed origin", got)
			}
		}},
		{"--journal-size bounds the journal", nil, []string{"--journal-size", "2"}, func(t *testing.T, ts *testServer) {
			for range 3 {
				ts.do(t, validCall(nil))
			}
			var got []entry
			ts.admin(t, "GET", "/__mock/requests", "", &got)
			if len(got) != 2 || got[0].ID != 3 {
				t.Errorf("journal = %+v, want the newest 2 entries", got)
			}
		}},
		{"--admin=false turns the admin API off", nil, []string{"--admin=false"}, func(t *testing.T, ts *testServer) {
			if a := ts.do(t, call{method: "GET", path: "/__mock/scenarios"}); a.status != 404 {
				t.Errorf("GET /__mock/scenarios = %d, want 404 with the admin API off", a.status)
			}
			if a := ts.do(t, call{method: "GET", path: "/__mock/health"}); a.status != 200 {
				t.Errorf("health = %d, want 200 (container health checks need it)", a.status)
			}
		}},
		{"MOCK_ADMIN_TOKEN guards admin writes, unseen", map[string]string{"MOCK_ADMIN_TOKEN": "t0ken"}, nil, func(t *testing.T, ts *testServer) {
			if a := ts.do(t, call{method: "PUT", path: "/__mock/scenario", body: `{"name":"slow"}`}); a.status != 401 {
				t.Errorf("a write without the token = %d %s, want 401", a.status, a.body)
			}
			if a := ts.do(t, call{method: "PUT", path: "/__mock/scenario", body: `{"name":"reused-code"}`, headers: map[string]string{"Authorization": "Bearer t0ken"}}); a.status != 200 {
				t.Errorf("a write with the token = %d %s, want 200", a.status, a.body)
			}
			log := ts.finalLog()
			if !strings.Contains(log, "path=/__mock/scenario") {
				t.Errorf("the log has no line for the admin writes:\n%s", log)
			}
			if strings.Contains(log+ts.stdout.String(), "t0ken") {
				t.Errorf("the admin token appears in the output")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, startServer(t, tc.env, tc.args...))
		})
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

const frontend = "http://localhost:5173"

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
