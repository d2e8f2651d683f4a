package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/config"
	"github.com/arklow/arklow-mock/internal/server"
)

// tiny is a small, valid set of files: one operation, two scenarios
// (default and zeta, so no "reused-code"), and one fixture no scenario
// uses (a warning, not an error).
var tiny = map[string]string{
	"spec/api.yaml": `openapi: 3.1.0
info:
  title: Tiny
  version: "1"
paths:
  /ping:
    get:
      operationId: get_ping
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [ok]
                properties:
                  ok:
                    type: boolean
`,
	"fixtures/pong.yaml":  "status: 200\nbody:\n  ok: true\n",
	"fixtures/spare.yaml": "status: 200\nbody:\n  ok: false\n",
	"scenarios/default.yaml": `name: default
operations:
  get_ping: pong
`,
	"scenarios/zeta.yaml": `name: zeta
description: The last one.
operations:
  get_ping:
    - fixture: pong
`,
}

// writeTree writes tiny into a new temporary folder, with edits applied
// (an empty content removes the file), and returns the folder.
func writeTree(t *testing.T, edits map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"spec", "fixtures", "scenarios"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{}
	for name, body := range tiny {
		files[name] = body
	}
	for name, body := range edits {
		files[name] = body
	}
	for name, body := range files {
		if body == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// paths returns the flags that point the commands at the files in dir.
func paths(dir string) []string {
	return []string{"--spec", filepath.Join(dir, "spec"), "--fixtures", filepath.Join(dir, "fixtures"), "--scenarios", filepath.Join(dir, "scenarios")}
}

// run runs the command in args with an empty environment.
func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = Run(context.Background(), append([]string{"arklow-mock"}, args...), func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), err
}

// stampVersion sets the ldflags-stamped version for the test.
func stampVersion(t *testing.T, v string) {
	t.Helper()
	old := version
	version = v
	t.Cleanup(func() { version = old })
}

func TestVersion(t *testing.T) {
	if got := Version(); got == "" {
		t.Errorf("Version() without a stamp = %q, want a non-empty fallback", got)
	}
	stampVersion(t, "v1.2.3-test")
	if got := Version(); got != "v1.2.3-test" {
		t.Errorf("Version() with version stamped = %q, want v1.2.3-test", got)
	}
}

func TestVersionCommand(t *testing.T) {
	stampVersion(t, "v9.9.9-test")
	stdout, stderr, err := run(t, "version")
	if err != nil {
		t.Fatalf("version: %v", err)
	}
	if want := "arklow-mock v9.9.9-test (" + runtime.Version() + ")\n"; stdout != want {
		t.Errorf("version printed %q, want %q", stdout, want)
	}
	if stderr != "" {
		t.Errorf("version wrote to stderr: %q", stderr)
	}
}

// types prints declarations whose ScenarioName lists the loaded scenarios.
func TestTypesCommand(t *testing.T) {
	stdout, _, err := run(t, "types", "--spec", "../../spec", "--fixtures", "../../fixtures", "--scenarios", "../../scenarios")
	if err != nil {
		t.Fatalf("types: %v", err)
	}
	for _, want := range []string{
		`export type ScenarioName = "bad-device" | "default" | "invalid-code" | "network-error" | "passthrough" | "rate-limited" | "realistic" | "reused-code" | "server-error" | "slow" | "timeout" | "unauthorized" | "valid-code";`,
		`"X-Mock-Scenario"?: ScenarioName;`,
		"export interface JournalEntry {",
		`"GET /__mock/coverage": Envelope<Coverage>;`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("types lacks %q", want)
		}
	}
}

func TestHelpAndBadFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string // "" for success
	}{
		{[]string{"--help"}, ""},
		{[]string{"validate", "-h"}, ""},
		{[]string{"healthcheck", "--help"}, ""},
		{[]string{"--no-such-flag"}, "no-such-flag"},
		{[]string{"validate", "--journal-size", "many"}, "journal-size"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, err := run(t, tc.args...)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("error %v, want nil (help is not a failure)", err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one naming %q", err, tc.wantErr)
			}
			// Help prints the usage to stderr; a flag error only returns
			// the error, which main prints once. Nothing runs, so nothing
			// reaches stdout.
			if tc.wantErr == "" && (!strings.Contains(stderr, "usage: arklow-mock") || !strings.Contains(stderr, "-addr")) {
				t.Errorf("stderr lacks the usage: %q", stderr)
			}
			if tc.wantErr != "" && stderr != "" {
				t.Errorf("stderr = %q, want nothing beside the returned error", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

// cancelOnWrite cancels a context at the first write: serve prints its
// banner once it listens, so a serve that wrongly starts stops there.
type cancelOnWrite struct{ cancel context.CancelFunc }

func (c cancelOnWrite) Write(p []byte) (int, error) { c.cancel(); return len(p), nil }

func TestUnknownActiveScenario(t *testing.T) {
	dir := writeTree(t, nil)
	for _, args := range [][]string{
		{"validate"},
		{"scenarios"},
		{"serve", "--addr", "127.0.0.1:0", "--watch=false"},
	} {
		t.Run(args[0], func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			argv := append(append([]string{"arklow-mock"}, args...), "--scenario", "nope")
			err := Run(ctx, append(argv, paths(dir)...), func(string) string { return "" }, cancelOnWrite{cancel}, io.Discard)
			want := `--scenario "nope": no such scenario (known: default, zeta)`
			if err == nil || err.Error() != want {
				t.Errorf("error = %v, want %s", err, want)
			}
		})
	}
}

// The default scenario may be named even when no file defines it: the
// spec answers every operation then.
func TestDefaultScenarioNeedNotExist(t *testing.T) {
	dir := writeTree(t, map[string]string{"scenarios/default.yaml": ""})
	stdout, _, err := run(t, append([]string{"scenarios"}, paths(dir)...)...)
	if err != nil {
		t.Fatalf("scenarios without a default.yaml: %v", err)
	}
	if want := "  zeta\n    The last one.\n    - get_ping\n"; stdout != want {
		t.Errorf("scenarios printed %q, want %q", stdout, want)
	}
}

func TestValidate(t *testing.T) {
	t.Run("a valid set prints its warnings and a summary", func(t *testing.T) {
		dir := writeTree(t, nil)
		stdout, _, err := run(t, append([]string{"validate"}, paths(dir)...)...)
		if err != nil {
			t.Fatalf("validate: %v\n%s", err, stdout)
		}
		want := filepath.Join(dir, "fixtures", "spare.yaml") + ":1: warning: fixture spare is not used by any scenario\n" +
			"ok: 1 operation(s), 2 fixture(s), 2 scenario(s), 1 warning(s)\n"
		if stdout != want {
			t.Errorf("validate printed\n%s\nwant\n%s", stdout, want)
		}
	})
	t.Run("problems are printed as FILE:LINE and counted in the error", func(t *testing.T) {
		dir := writeTree(t, map[string]string{
			"fixtures/pong.yaml":  "status: 200\nbody:\n  ok: \"yes\"\n",
			"scenarios/zeta.yaml": strings.Replace(tiny["scenarios/zeta.yaml"], "fixture: pong", "fixture: pongg", 1),
		})
		stdout, _, err := run(t, append([]string{"validate"}, paths(dir)...)...)
		if err == nil || err.Error() != "validate: 2 error(s), 1 warning(s)" {
			t.Errorf("error = %v, want validate: 2 error(s), 1 warning(s)", err)
		}
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		wants := []string{
			filepath.Join(dir, "fixtures", "pong.yaml") + ":3: fixture pong does not match the 200 response of get_ping at /ok",
			filepath.Join(dir, "scenarios", "zeta.yaml") + `:5: scenario zeta: unknown fixture "pongg"`,
			filepath.Join(dir, "fixtures", "spare.yaml") + `:1: warning: fixture spare is not used by any scenario`, // every problem at once
		}
		if len(lines) != len(wants) {
			t.Fatalf("validate printed %d line(s), want %d:\n%s", len(lines), len(wants), stdout)
		}
		for _, want := range wants {
			found := false
			for _, line := range lines {
				found = found || strings.HasPrefix(line, want)
			}
			if !found {
				t.Errorf("no line starts with %q:\n%s", want, stdout)
			}
		}
	})
	t.Run("an error without a position is returned as it is", func(t *testing.T) {
		dir := writeTree(t, nil)
		stdout, _, err := run(t, "validate", "--spec", filepath.Join(dir, "spec"), "--fixtures", filepath.Join(dir, "nowhere"), "--scenarios", filepath.Join(dir, "scenarios"))
		if err == nil || !strings.HasPrefix(err.Error(), "--fixtures: ") {
			t.Errorf("error = %v, want the --fixtures error", err)
		}
		if stdout != "" {
			t.Errorf("validate printed %q, want nothing", stdout)
		}
	})
}

func TestListScenarios(t *testing.T) {
	dir := writeTree(t, nil)
	tests := []struct {
		active string
		want   string
	}{
		{"default", "* default\n    - get_ping\n  zeta\n    The last one.\n    - get_ping\n"},
		{"zeta", "  default\n    - get_ping\n* zeta\n    The last one.\n    - get_ping\n"},
	}
	for _, tc := range tests {
		t.Run(tc.active, func(t *testing.T) {
			stdout, _, err := run(t, append([]string{"scenarios", "--scenario", tc.active}, paths(dir)...)...)
			if err != nil {
				t.Fatal(err)
			}
			if stdout != tc.want {
				t.Errorf("scenarios printed\n%s\nwant\n%s", stdout, tc.want)
			}
		})
	}
}

// healthServer answers 200 (or status) on GET /__mock/health and 404
// elsewhere, on 127.0.0.1, and records the Host of each request.
func healthServer(t *testing.T, status int) (port string, hosts func() []string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Host)
		mu.Unlock()
		if r.Method != http.MethodGet || r.URL.Path != "/__mock/health" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.Listener = ln
	ts.Start()
	t.Cleanup(ts.Close)
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return port, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

func TestHealthcheck(t *testing.T) {
	okPort, okHosts := healthServer(t, http.StatusOK)
	downPort, _ := healthServer(t, http.StatusServiceUnavailable)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String() // nothing listens there once closed
	ln.Close()

	tests := []struct {
		name     string
		addr     string
		wantErr  string // "" for success
		wantHost string // the Host the probe must use, when it succeeds
	}{
		{"127.0.0.1", "127.0.0.1:" + okPort, "", "127.0.0.1:" + okPort},
		{"0.0.0.0 is probed on 127.0.0.1", "0.0.0.0:" + okPort, "", "127.0.0.1:" + okPort},
		{":: is probed on 127.0.0.1", "[::]:" + okPort, "", "127.0.0.1:" + okPort},
		{"no host is probed on 127.0.0.1", ":" + okPort, "", "127.0.0.1:" + okPort},
		{"503", "127.0.0.1:" + downPort, "healthcheck: 127.0.0.1:" + downPort + " answered 503 Service Unavailable", ""},
		{"nothing listening", closed, "healthcheck: ", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(okHosts())
			stdout, stderr, err := run(t, "healthcheck", "--addr", tc.addr)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("healthcheck --addr %s: %v", tc.addr, err)
				}
				hosts := okHosts()[before:]
				if len(hosts) != 1 || hosts[0] != tc.wantHost {
					t.Errorf("probe Host = %q, want one probe of %s", hosts, tc.wantHost)
				}
			} else if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Errorf("healthcheck --addr %s: error %v, want %q…", tc.addr, err, tc.wantErr)
			}
			if stdout != "" || stderr != "" {
				t.Errorf("healthcheck printed %q / %q, want nothing (its exit status is the answer)", stdout, stderr)
			}
		})
	}
}

func TestBanner(t *testing.T) {
	ctx := context.Background()
	shipped := config.Default()
	shipped.Spec, shipped.Fixtures, shipped.Scenarios = "../../spec", "../../fixtures", "../../scenarios"
	dir := writeTree(t, nil)
	small := config.Default()
	small.Spec, small.Fixtures, small.Scenarios = filepath.Join(dir, "spec"), filepath.Join(dir, "fixtures"), filepath.Join(dir, "scenarios")

	tests := []struct {
		name    string
		cfg     config.Config
		addr    string
		reach   bool   // the "from this machine" hint is shown
		example string // the scenario the switch lines suggest
	}{
		{"loopback", shipped, "127.0.0.1:3123", false, "reused-code"},
		{"every IPv4 address", shipped, "0.0.0.0:3123", true, "reused-code"},
		{"every IPv6 address", shipped, "[::]:3123", true, "reused-code"},
		{"IPv6 loopback", shipped, "[::1]:3123", false, "reused-code"},
		{"no reused-code: the last scenario", small, "127.0.0.1:3123", false, "zeta"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set, err := load(ctx, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			banner(&out, tc.cfg, nil, set, tc.addr)
			got := out.String()
			hint := "  listening  http://" + tc.addr + " (from this machine: http://localhost:3123)\n"
			if !tc.reach {
				hint = "  listening  http://" + tc.addr + "\n"
			}
			if !strings.Contains(got, hint) {
				t.Errorf("banner lacks %q:\n%s", hint, got)
			}
			panel := "http://" + tc.addr + "/__mock/"
			if tc.reach {
				panel = "http://localhost:3123/__mock/"
			}
			for _, want := range []string{
				"'X-Mock-Scenario: " + tc.example + "' (or 'Prefer: scenario=" + tc.example + "')",
				"--scenario " + tc.example + " or MOCK_SCENARIO=" + tc.example + "\n",
				"  panel      " + panel + "\n",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("banner lacks %q:\n%s", want, got)
				}
			}
			// The shipped fixtures' undocumented statuses are one line
			// saying why, not five warnings.
			note := "  note       5 fixture(s) play error cases the spec does not document (401, 404, 409, 429, 500); "
			if got := strings.Contains(got, note); got != (tc.cfg.Spec == shipped.Spec) {
				t.Errorf("banner has the note %v, want %v:\n%s", got, !got, out.String())
			}
			if rest := standalone(set.Warnings); tc.cfg.Spec == shipped.Spec && len(rest) > 0 {
				t.Errorf("the shipped files have warnings besides the note: %v", rest)
			}
		})
	}
}

// health returns the data of the server's GET /__mock/health.
func health(t *testing.T, srv *server.Server) map[string]any {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost/__mock/health", nil))
	var body struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("health: %d %s (%v)", rec.Code, rec.Body, err)
	}
	return body.Data
}

func TestReloader(t *testing.T) {
	tests := []struct {
		name      string
		active    string // --scenario at start-up, so the server's active scenario
		edit      func(t *testing.T, dir string)
		wantError string // in last_reload_error; "" when the reload works
		scenarios float64
		wantLog   string
	}{
		{
			name:   "a broken fixture is reported with FILE:LINE",
			active: "default",
			edit: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "fixtures", "pong.yaml"), "status: 200\nbody:\n  ok: \"yes\"\n")
			},
			wantError: "pong.yaml:3: fixture pong does not match",
			scenarios: 2,
			wantLog:   "reload failed; still serving the last good files",
		},
		{
			name:   "an error without a position is reported as it is",
			active: "default",
			edit: func(t *testing.T, dir string) {
				if err := os.RemoveAll(filepath.Join(dir, "fixtures")); err != nil {
					t.Fatal(err)
				}
			},
			wantError: "--fixtures: ",
			scenarios: 2,
			wantLog:   "reload failed; still serving the last good files",
		},
		{
			name:   "a good reload swaps the set in",
			active: "default",
			edit: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "scenarios", "omega.yaml"), "name: omega\noperations:\n  get_ping: spare\n")
			},
			scenarios: 3,
			wantLog:   "msg=reloaded",
		},
		{
			name:   "the start-up scenario gone is a warning, not a failure",
			active: "zeta",
			edit: func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, "scenarios", "zeta.yaml")); err != nil {
					t.Fatal(err)
				}
			},
			scenarios: 1,
			wantLog:   "the active scenario is gone after the reload",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := writeTree(t, nil)
			cfg := config.Default()
			cfg.Spec, cfg.Fixtures, cfg.Scenarios = filepath.Join(dir, "spec"), filepath.Join(dir, "fixtures"), filepath.Join(dir, "scenarios")
			cfg.Scenario = tc.active
			set, err := load(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			srv := server.New(set, server.Options{Scenario: tc.active})
			var logs bytes.Buffer
			reload := reloader(ctx, cfg, srv, slog.New(slog.NewTextHandler(&logs, nil)))

			tc.edit(t, dir)
			reload()
			h := health(t, srv)
			msg, _ := h["last_reload_error"].(string)
			if tc.wantError == "" && h["last_reload_error"] != nil {
				t.Errorf("last_reload_error = %v, want null", h["last_reload_error"])
			}
			if tc.wantError != "" && !strings.Contains(msg, tc.wantError) {
				t.Errorf("last_reload_error = %q, want it to contain %q", msg, tc.wantError)
			}
			if h["last_reload"] == nil {
				t.Errorf("last_reload = null after a reload")
			}
			if h["scenarios"] != tc.scenarios {
				t.Errorf("health scenarios = %v, want %v", h["scenarios"], tc.scenarios)
			}
			if !strings.Contains(logs.String(), tc.wantLog) {
				t.Errorf("log lacks %q:\n%s", tc.wantLog, logs.String())
			}
		})
	}
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// When the folders cannot be watched, startWatching says why and its run
// gives back at once: the mock serves without hot reload.
func TestStartWatchingFallsBack(t *testing.T) {
	dir := writeTree(t, nil)
	cfg := config.Default()
	cfg.Spec, cfg.Fixtures, cfg.Scenarios = filepath.Join(dir, "spec"), filepath.Join(dir, "fixtures"), filepath.Join(dir, "no-such-folder")
	runWatch, stop, err := startWatching(context.Background(), cfg, watched(cfg, nil), slog.New(slog.DiscardHandler))
	defer stop()
	if err == nil || !strings.Contains(err.Error(), "no-such-folder") {
		t.Errorf("error = %v, want one naming no-such-folder", err)
	}
	runWatch(func() { t.Error("reload called without a watcher") })
}

// serve listens before the operations are prepared; one whose schema
// does not compile stops the mock, with FILE:LINE, as a failed start.
func TestServeRefusesWhatPreparingFinds(t *testing.T) {
	broken := tiny["spec/api.yaml"] + `  /broken:
    get:
      operationId: get_broken
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string, pattern: "(["}
`
	dir := writeTree(t, map[string]string{"spec/api.yaml": broken})
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- Run(t.Context(), append([]string{"arklow-mock", "serve", "--addr", "127.0.0.1:0"}, paths(dir)...), func(string) string { return "" }, &out, &errOut)
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "api.yaml:28") {
			t.Errorf("serve returned %v, want the pattern's error at api.yaml:28", err)
		}
		if !strings.Contains(out.String(), "listening") {
			t.Errorf("it refused before listening: %s", out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// syncBuffer is an io.Writer safe to read while another goroutine writes.
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
