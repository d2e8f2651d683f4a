package e2e

// Helpers shared by the container, browser and soak tests: copies of the
// root module's test helpers (main_test.go, admin_test.go, reload_test.go),
// kept apart so that this module does not depend on the root's test files.
// The server runs in-process through cli.Run, as the root's run() does.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/cli"
)

// repoRoot is the repository root (the root module), seen from e2e/, where
// go test runs these tests: spec/, fixtures/, scenarios/, the Dockerfile and
// the compose file are there.
const repoRoot = ".."

// inRepo returns the path of a file of the repository, given relative to
// its root.
func inRepo(rel string) string { return filepath.Join(repoRoot, filepath.FromSlash(rel)) }

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

// testServer is the real program, started through cli.Run on 127.0.0.1:0.
type testServer struct {
	URL            string
	stdout, stderr *syncBuffer
	stop           func() // stops the server and waits for run to return
}

// startServer runs `arklow-mock serve` with args and env, waits until it
// listens, and stops it when the test ends.
func startServer(tb testing.TB, env map[string]string, args ...string) *testServer {
	tb.Helper()
	return launch(tb, env, true, args...)
}

// repoDataEnv points the server at the repository's data folders, as the
// root's tests get them by running in the repository root: a flag, or the
// test's own env, overrides them.
var repoDataEnv = map[string]string{
	"MOCK_SPEC":      inRepo("spec"),
	"MOCK_FIXTURES":  inRepo("fixtures"),
	"MOCK_SCENARIOS": inRepo("scenarios"),
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
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return repoDataEnv[k]
	}
	done := make(chan error, 1)
	argv := append([]string{"arklow-mock", "serve", "--addr", "127.0.0.1:0"}, args...)
	go func() { done <- cli.Run(ctx, argv, getenv, ts.stdout, stderr) }()
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

// startIn serves the spec, fixtures and scenarios under dir.
func startIn(t *testing.T, dir string, args ...string) *testServer {
	return startServer(t, nil, append([]string{"--spec", filepath.Join(dir, "spec"), "--fixtures", filepath.Join(dir, "fixtures"), "--scenarios", filepath.Join(dir, "scenarios")}, args...)...)
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

// admin calls the admin API and decodes the envelope's data into v.
func (ts *testServer) admin(t *testing.T, method, path, body string, v any) answer {
	t.Helper()
	c := call{method: method, path: path, body: body}
	if method != http.MethodGet {
		c.headers = map[string]string{"Content-Type": "application/json"} // as the panel sends writes
	}
	a := ts.do(t, c)
	if v != nil && a.status == 200 {
		raw, _ := json.Marshal(a.json["data"])
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s %s: data %s: %v", method, path, raw, err)
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

// backupCall is the valid request with a given device, code and headers.
func backupCall(device, code string, extra map[string]string) call {
	c := validCall(extra)
	c.body = fmt.Sprintf(`{"device_id":%q,"code":%q}`, device, code)
	return c
}

// entry is one journal entry, as GET /__mock/requests lists it.
type entry struct {
	ID               uint64
	Method, Path     string
	Operation        string
	Scenario         string
	Fixture          string
	Session          string
	Status           int
	ValidationErrors []struct{ Code, Message string } `json:"validation_errors"`
	Headers          map[string]string
	Body             json.RawMessage
	Response         struct {
		Headers map[string]string
		Body    json.RawMessage
	}
}

// copyTree copies the shipped data folders into a temp dir so a test can
// break one file.
func copyTree(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, dir := range []string{"spec", "fixtures", "scenarios"} {
		src := inRepo(dir)
		err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(repoRoot, p)
			if err != nil {
				return err
			}
			target := filepath.Join(dst, rel)
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

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
