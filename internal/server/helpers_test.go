package server_test

// The tests of this package drive the handler through its exported API
// only — server.New, ServeHTTP, Reloaded, ReloadFailed, Active, Drain and
// Options — and assert on what a client sees: status, headers, JSON bodies
// and the log written to the injected logger. Most requests go through
// httptest.NewRecorder; those that need a real connection (faults hijack
// it) through httptest.NewServer on loopback.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/server"
)

const (
	backupPath = "/v1/self/mfa/verify/totp/backup"
	backupOp   = "post_v1_self_mfa_verify_totp_backup"
	frontend   = "http://localhost:5173"
)

// fixedNow is the clock of every test: fixtures render it and the journal
// records it, so answers and entries are exact.
var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// shippedFolders are the repository's data folders, relative to this package.
var shippedFolders = map[string]string{"spec": "../../spec", "fixtures": "../../fixtures", "scenarios": "../../scenarios"}

// shipped loads the shipped files once: a Set is immutable, so the tests
// share it.
var shipped = sync.OnceValues(func() (*mockset.Set, error) {
	return loadFolders(shippedFolders["spec"], shippedFolders["fixtures"], shippedFolders["scenarios"])
})

func loadFolders(spec, fixtures, scenarios string) (*mockset.Set, error) {
	return mockset.Load(context.Background(), mockset.Options{Spec: spec, Fixtures: fixtures, Scenarios: scenarios,
		Env: fixture.Env{Now: clock}})
}

// shippedSet returns the shipped spec, fixtures and scenarios.
func shippedSet(tb testing.TB) *mockset.Set {
	tb.Helper()
	set, err := shipped()
	if err != nil {
		tb.Fatalf("load the shipped files: %v", err)
	}
	return set
}

// loadDir loads the spec, fixtures and scenarios folders under dir.
func loadDir(tb testing.TB, dir string) *mockset.Set {
	tb.Helper()
	set, err := loadFolders(filepath.Join(dir, "spec"), filepath.Join(dir, "fixtures"), filepath.Join(dir, "scenarios"))
	if err != nil {
		tb.Fatalf("load %s: %v", dir, err)
	}
	return set
}

// copyShipped copies the shipped data folders into a temporary folder, so
// a test can change one file.
func copyShipped(tb testing.TB) string {
	tb.Helper()
	dst := tb.TempDir()
	for name, src := range shippedFolders {
		err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(src, p)
			if err != nil {
				return err
			}
			target := filepath.Join(dst, name, rel)
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
			tb.Fatal(err)
		}
	}
	return dst
}

// edit replaces old by replacement in the file at p, failing when old is
// not there (the shipped file changed under the test).
func edit(tb testing.TB, p, old, replacement string) {
	tb.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		tb.Fatalf("%s no longer contains %q", p, old)
	}
	if err := os.WriteFile(p, bytes.Replace(data, []byte(old), []byte(replacement), 1), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// withScenario returns a copy of the shipped files plus a scenario name
// with the given rules for the backup operation, loaded.
func withScenario(tb testing.TB, name, rules string) *mockset.Set {
	tb.Helper()
	dir := copyShipped(tb)
	body := "name: " + name + "\noperations:\n  " + backupOp + ":\n" + rules
	if err := os.WriteFile(filepath.Join(dir, "scenarios", name+".yaml"), []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
	return loadDir(tb, dir)
}

// syncBuffer is a log destination safe to read while the server writes.
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

// mock is a Server under test with what it told the outside: its log
// (text) and the delays it asked to sleep.
type mock struct {
	*server.Server
	logs *syncBuffer

	mu     sync.Mutex
	delays []time.Duration
}

// newMock returns a server over the shipped files. Unless opts say
// otherwise it logs as text into m.logs, records its delays instead of
// sleeping, and reads the fixed clock.
func newMock(tb testing.TB, opts server.Options) *mock {
	tb.Helper()
	return newMockOf(tb, shippedSet(tb), opts)
}

// newMockOf is newMock over set.
func newMockOf(tb testing.TB, set *mockset.Set, opts server.Options) *mock {
	tb.Helper()
	m := &mock{logs: &syncBuffer{}}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(m.logs, nil))
	}
	if opts.Sleep == nil {
		opts.Sleep = func(ctx context.Context, d time.Duration) error {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.delays = append(m.delays, d)
			return ctx.Err()
		}
	}
	if opts.Now == nil {
		opts.Now = clock
	}
	m.Server = server.New(set, opts)
	return m
}

// slept returns the delays the server asked for, in order.
func (m *mock) slept() []time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]time.Duration(nil), m.delays...)
}

// listen serves m on a loopback port until the test ends, for requests
// that need a real connection.
func (m *mock) listen(tb testing.TB) *httptest.Server {
	tb.Helper()
	ts := httptest.NewServer(m)
	tb.Cleanup(ts.Close)
	return ts
}

// call is one request; the zero call is an unauthenticated POST to the
// backup operation without a body.
type call struct {
	method  string
	path    string
	headers map[string]string // "Host" sets the request's host
	body    string
}

// request builds c as the server would receive it.
func (c call) request() *http.Request {
	if c.method == "" {
		c.method = http.MethodPost
	}
	if c.path == "" {
		c.path = backupPath
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	r := httptest.NewRequest(c.method, "http://127.0.0.1:3123"+c.path, body)
	if strings.HasPrefix(c.path, "/__mock/") && c.method != http.MethodGet {
		r.Header.Set("Content-Type", "application/json") // admin writes, as the panel sends them
	}
	for k, v := range c.headers {
		if strings.EqualFold(k, "Host") {
			r.Host = v
			continue
		}
		r.Header.Set(k, v)
	}
	return r
}

// to builds c as a client sends it to the server at base (a real one).
func (c call) to(tb testing.TB, base string) *http.Request {
	tb.Helper()
	in := c.request()
	r, err := http.NewRequest(in.Method, base+in.URL.RequestURI(), strings.NewReader(c.body))
	if err != nil {
		tb.Fatal(err)
	}
	r.Header = in.Header
	return r
}

// answer is what the client received.
type answer struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

// do sends c to the handler.
func (m *mock) do(tb testing.TB, c call) answer {
	tb.Helper()
	return m.serve(tb, c.request())
}

// serve sends r to the handler and reads the answer, whose body must be
// empty or, when it is JSON, a JSON object.
func (m *mock) serve(tb testing.TB, r *http.Request) answer {
	tb.Helper()
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, r)
	return readAnswer(tb, r.Method+" "+r.URL.Path, rec.Result())
}

// send sends r over a real connection.
func send(tb testing.TB, client *http.Client, r *http.Request) answer {
	tb.Helper()
	resp, err := client.Do(r)
	if err != nil {
		tb.Fatalf("%s %s: %v", r.Method, r.URL.Path, err)
	}
	return readAnswer(tb, r.Method+" "+r.URL.Path, resp)
}

func readAnswer(tb testing.TB, what string, resp *http.Response) answer {
	tb.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s: read the answer: %v", what, err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, body: body}
	if ct := resp.Header.Get("Content-Type"); len(body) > 0 && (ct == "" || strings.Contains(ct, "json")) {
		if err := json.Unmarshal(body, &a.json); err != nil {
			tb.Fatalf("%s: body is not a JSON object: %v\n%s", what, err, body)
		}
	}
	return a
}

// validCall is the request of a frontend verifying a backup code, with
// extra headers.
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
	b, _ := json.Marshal(map[string]string{"device_id": device, "code": code})
	c.body = string(b)
	return c
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

// decode decodes the envelope's data into v, after checking that errors
// is null.
func (a answer) decode(tb testing.TB, v any) {
	tb.Helper()
	if e, ok := a.json["errors"]; !ok || e != nil {
		tb.Fatalf("errors = %v, want null; body %s", e, a.body)
	}
	raw, err := json.Marshal(a.json["data"])
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		tb.Fatalf("data %s: %v", raw, err)
	}
}

// errorsOf checks the error envelope (data null, a non-empty errors list
// of {code, message}) and returns its entries.
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

// firstError checks the error envelope and returns its first entry.
func (a answer) firstError(tb testing.TB) map[string]string {
	tb.Helper()
	return a.errorsOf(tb)[0]
}

// requestLines returns the log lines with msg=request, one per request.
func (m *mock) requestLines() []string {
	var out []string
	for _, line := range strings.Split(m.logs.String(), "\n") {
		if strings.Contains(line, " msg=request ") {
			out = append(out, line)
		}
	}
	return out
}

// entry is a journal entry as GET /__mock/requests shows it.
type entry struct {
	ID               uint64
	Time             time.Time
	Method, Path     string
	Query            string
	Operation        string
	Scenario         string
	Fixture          string
	Session          string
	Status           int
	Duration         float64                          `json:"duration_ms"`
	ValidationErrors []struct{ Code, Message string } `json:"validation_errors"`
	Headers          map[string]string
	Body             json.RawMessage
	Response         struct {
		Headers map[string]string
		Body    json.RawMessage
	}
}

// journal returns GET /__mock/requests with the query q ("" or "?…").
func (m *mock) journal(tb testing.TB, q string) []entry {
	tb.Helper()
	a := m.do(tb, call{method: http.MethodGet, path: "/__mock/requests" + q})
	if a.status != http.StatusOK {
		tb.Fatalf("GET /__mock/requests%s = %d %s", q, a.status, a.body)
	}
	var list []entry
	a.decode(tb, &list)
	return list
}

// health returns the data of GET /__mock/health.
func (m *mock) health(tb testing.TB) map[string]any {
	tb.Helper()
	a := m.do(tb, call{method: http.MethodGet, path: "/__mock/health"})
	if a.status != http.StatusOK {
		tb.Fatalf("GET /__mock/health = %d %s", a.status, a.body)
	}
	return a.data(tb)
}

// receive returns the next value of ch, failing the test if none comes
// within a generous bound: a guard against a hang, not a timing check.
func receive[T any](tb testing.TB, ch <-chan T, what string) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		tb.Fatalf("still waiting for %s after 30s", what)
		panic("unreachable")
	}
}

// waitFor polls cond until it holds, failing the test with why() if it
// still does not after a generous bound: for what a server goroutine does
// after the client has its answer, such as writing the log line.
func waitFor(tb testing.TB, cond func() bool, why func() string) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("after 30s: %s", why())
		}
		time.Sleep(time.Millisecond)
	}
}
