package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// backupCall is the valid request with a given device, code and headers.
func backupCall(device, code string, extra map[string]string) call {
	c := validCall(extra)
	c.body = fmt.Sprintf(`{"device_id":%q,"code":%q}`, device, code)
	return c
}

func TestRealisticScenario(t *testing.T) {
	ts := startServer(t, nil, "--scenario", "realistic")
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
		{"a listed device is unknown", "999999", "11112222", 404, "mfa/backup/bad_device"},
		{"code 000000 is wrong", "7", "000000", 200, "mfa/backup/invalid_code"},
	}
	for _, st := range steps {
		a := ts.do(t, backupCall(st.device, st.code, nil))
		if a.status != st.status || a.header.Get("X-Mock-Fixture") != st.fixture {
			t.Errorf("%s: %d %s, want %d %s", st.name, a.status, a.header.Get("X-Mock-Fixture"), st.status, st.fixture)
		}
	}
}

func TestSessionsKeepTheirOwnState(t *testing.T) {
	ts := startServer(t, nil)
	for _, session := range []string{"worker-1", "worker-2"} {
		h := map[string]string{"X-Mock-Scenario": "realistic", "X-Mock-Session": session}
		if a := ts.do(t, backupCall("5", "55556666", h)); a.status != 200 {
			t.Errorf("session %s: first use = %d, want 200", session, a.status)
		}
		if a := ts.do(t, backupCall("5", "55556666", h)); a.status != 409 {
			t.Errorf("session %s: second use = %d, want 409", session, a.status)
		}
	}
	// Without the header, requests share the global session.
	h := map[string]string{"X-Mock-Scenario": "realistic"}
	if a := ts.do(t, backupCall("5", "55556666", h)); a.status != 200 {
		t.Errorf("global session: first use = %d, want 200", a.status)
	}
}

// Fifty identical requests at once: the sequence advances atomically, so
// exactly one is accepted.
func TestSequenceAdvancesAtomically(t *testing.T) {
	ts := startServer(t, nil)
	const n = 50
	var wg sync.WaitGroup
	start := make(chan struct{})
	statuses := make(chan int, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			a := ts.do(t, backupCall("9", "99990000", map[string]string{"X-Mock-Scenario": "realistic", "X-Mock-Session": "race"}))
			statuses <- a.status
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

func TestSetActiveScenario(t *testing.T) {
	ts := startServer(t, nil)
	if a := ts.admin(t, "PUT", "/__mock/scenario", `{"name":"reused-code"}`, nil); a.status != 200 {
		t.Fatalf("PUT /__mock/scenario = %d %s", a.status, a.body)
	}
	if a := ts.do(t, validCall(nil)); a.status != 409 || a.header.Get("X-Mock-Scenario") != "reused-code" {
		t.Errorf("after PUT: %d %s, want 409 from reused-code", a.status, a.header.Get("X-Mock-Scenario"))
	}
	if a := ts.do(t, validCall(map[string]string{"X-Mock-Scenario": "valid-code"})); a.status != 200 {
		t.Errorf("the header still wins: %d, want 200", a.status)
	}
	var list struct {
		Active    string
		Scenarios []struct {
			Name       string
			Operations []string
			Active     bool
		}
	}
	ts.admin(t, "GET", "/__mock/scenarios", "", &list)
	if list.Active != "reused-code" || len(list.Scenarios) < 10 {
		t.Errorf("GET /__mock/scenarios = %+v", list)
	}
	a := ts.admin(t, "PUT", "/__mock/scenario", `{"name":"nope"}`, nil)
	if a.status != 400 || a.errorsOf(t)[0]["code"] != "unknown_scenario" {
		t.Errorf("unknown name: %d %s, want 400 unknown_scenario", a.status, a.body)
	}
	a = ts.admin(t, "PUT", "/__mock/scenario", `{"name":`, nil)
	if a.status != 400 || a.errorsOf(t)[0]["code"] != "invalid_json" {
		t.Errorf("malformed body: %d %s, want 400 invalid_json", a.status, a.body)
	}
	for body, want := range map[string]string{
		`{}`:          "body.name: required",
		`{"name": 5}`: "body.name: want a string, got a JSON number",
	} {
		a = ts.admin(t, "PUT", "/__mock/scenario", body, nil)
		if e := a.errorsOf(t)[0]; a.status != 400 || e["code"] != "invalid_request" || !strings.HasPrefix(e["message"], want) {
			t.Errorf("%s: %d %v, want 400 invalid_request starting %q", body, a.status, e, want)
		}
	}
}

// A known admin path asked with the wrong method answers 405 with Allow,
// as documented paths of the API do; an unknown one 404.
func TestAdminWrongMethod(t *testing.T) {
	ts := startServer(t, nil)
	for _, c := range []struct{ method, path, allow string }{
		{"POST", "/__mock/scenario", "PUT"},
		{"GET", "/__mock/reset", "POST"},
		{"PUT", "/__mock/requests", "GET, DELETE"},
	} {
		a := ts.do(t, call{method: c.method, path: c.path})
		if a.status != 405 || a.header.Get("Allow") != c.allow || a.errorsOf(t)[0]["code"] != "method_not_allowed" {
			t.Errorf("%s %s: %d Allow=%q %s, want 405 Allow=%q", c.method, c.path, a.status, a.header.Get("Allow"), a.body, c.allow)
		}
	}
	if a := ts.do(t, call{method: "GET", path: "/__mock/nope"}); a.status != 404 || a.errorsOf(t)[0]["code"] != "not_found" {
		t.Errorf("GET /__mock/nope: %d %s, want 404 not_found", a.status, a.body)
	}
}

func TestResetClearsState(t *testing.T) {
	ts := startServer(t, nil, "--scenario", "realistic")
	ts.do(t, backupCall("3", "12121212", nil))
	if a := ts.do(t, backupCall("3", "12121212", nil)); a.status != 409 {
		t.Fatalf("second use = %d, want 409", a.status)
	}
	if a := ts.admin(t, "POST", "/__mock/reset", "", nil); a.status != 200 {
		t.Fatalf("reset = %d", a.status)
	}
	var entries []map[string]any
	ts.admin(t, "GET", "/__mock/requests", "", &entries)
	if len(entries) != 0 {
		t.Errorf("journal after reset has %d entries", len(entries))
	}
	if a := ts.do(t, backupCall("3", "12121212", nil)); a.status != 200 {
		t.Errorf("after reset: %d, want 200", a.status)
	}
}

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

func TestJournal(t *testing.T) {
	ts := startServer(t, nil, "--journal-size", "5")
	const key = "ak_live_SECRET_7"
	auth := map[string]string{"x-arklow-auth": key}
	ts.do(t, backupCall("1", "12345678", auth))
	ts.do(t, backupCall("abc", "12345678", map[string]string{"x-arklow-auth": key, "X-Mock-Session": "s1"}))
	ts.do(t, backupCall("2", "12345678", map[string]string{"x-arklow-auth": key, "X-Mock-Scenario": "bad-device", "X-Mock-Session": "s1"}))
	ts.do(t, call{method: "GET", path: "/nowhere"})
	ts.admin(t, "GET", "/__mock/health", "", nil) // admin calls are not journaled

	var all []entry
	raw := ts.admin(t, "GET", "/__mock/requests", "", &all)
	if strings.Contains(string(raw.body), key) {
		t.Errorf("the journal contains the API key: %s", raw.body)
	}
	if len(all) != 4 {
		t.Fatalf("journal has %d entries, want 4: %s", len(all), raw.body)
	}
	newest := all[0]
	if newest.Path != "/nowhere" || newest.Status != 404 || all[3].Status != 200 {
		t.Errorf("journal is not newest first: %+v", all)
	}
	bad := all[2]
	if bad.Status != 400 || bad.Operation != "post_v1_self_mfa_verify_totp_backup" || len(bad.ValidationErrors) != 1 ||
		!strings.HasPrefix(bad.ValidationErrors[0].Message, "body.device_id:") || bad.Session != "s1" {
		t.Errorf("rejected request entry = %+v", bad)
	}
	if got := bad.Headers["X-Arklow-Auth"]; got != "[redacted]" {
		t.Errorf("x-arklow-auth recorded as %q, want [redacted]", got)
	}
	if !strings.Contains(string(bad.Body), `"abc"`) {
		t.Errorf("request body not recorded: %s", bad.Body)
	}
	dev := all[1]
	if dev.Scenario != "bad-device" || dev.Fixture != "mfa/backup/bad_device" || dev.Status != 404 {
		t.Errorf("scenario entry = %+v", dev)
	}
	if !strings.Contains(string(dev.Response.Body), "mfa_device_not_found") || dev.Response.Headers["X-Mock-Fixture"] != "mfa/backup/bad_device" {
		t.Errorf("the answer is not recorded: %+v", dev.Response)
	}

	filters := map[string]int{
		"?session=s1": 2, "?status=400": 1, "?scenario=bad-device": 1, "?limit=2": 2,
		"?operation=post_v1_self_mfa_verify_totp_backup": 3, "?session=s1&status=404": 1,
		"?status=404": 2, "?status=400&status=404": 3, // any of them
		"?operation=POST%20/v1/self/mfa/verify/totp/backup": 3, // the form scenarios accept
		"?operation=post%20/v1/self/mfa/verify/totp/backup": 3,
	}
	for q, want := range filters {
		var got []entry
		ts.admin(t, "GET", "/__mock/requests"+q, "", &got)
		if len(got) != want {
			t.Errorf("GET /__mock/requests%s: %d entries, want %d", q, len(got), want)
		}
	}
	if a := ts.do(t, call{method: "GET", path: "/__mock/requests?limit=x"}); a.status != 400 {
		t.Errorf("bad limit: %d, want 400", a.status)
	}

	// The ring keeps the newest 5.
	for i := range 4 {
		ts.do(t, backupCall(fmt.Sprint(100+i), "12345678", nil))
	}
	var ring []entry
	ts.admin(t, "GET", "/__mock/requests", "", &ring)
	if len(ring) != 5 || ring[0].ID != 8 || ring[4].ID != 4 {
		t.Errorf("ring = %d entries (ids %d..%d), want 5 (ids 8..4)", len(ring), ring[0].ID, ring[len(ring)-1].ID)
	}
	if a := ts.admin(t, "DELETE", "/__mock/requests", "", nil); a.status != 200 {
		t.Fatalf("DELETE = %d", a.status)
	}
	ts.admin(t, "GET", "/__mock/requests", "", &ring)
	if len(ring) != 0 {
		t.Errorf("after DELETE: %d entries", len(ring))
	}
	log := ts.finalLog()
	if !strings.Contains(log, "msg=request") {
		t.Errorf("the log has no request lines:\n%s", log)
	}
	if strings.Contains(log, key) || strings.Contains(ts.stdout.String(), key) {
		t.Errorf("the log contains the API key")
	}
}

func TestCoverage(t *testing.T) {
	ts := startServer(t, nil)
	ts.do(t, validCall(nil))
	ts.do(t, validCall(map[string]string{"X-Mock-Scenario": "reused-code", "X-Mock-Session": "a"}))
	ts.do(t, validCall(map[string]string{"X-Mock-Scenario": "reused-code", "X-Mock-Session": "a"}))
	ts.do(t, backupCall("x", "1", nil)) // rejected: 400
	type cov struct {
		Operations []struct {
			Operation  string
			Documented []string `json:"documented_statuses"`
			Fixtures   []struct {
				Scenario, Fixture string
				Status            int
			}
			Served           struct{ Statuses, Fixtures map[string]int }
			UnservedStatuses []string `json:"unserved_statuses"`
			UnservedFixtures []string `json:"unserved_fixtures"`
		}
	}
	var c cov
	ts.admin(t, "GET", "/__mock/coverage", "", &c)
	if len(c.Operations) != 1 {
		t.Fatalf("coverage lists %d operations, want 1", len(c.Operations))
	}
	op := c.Operations[0]
	if op.Served.Statuses["200"] != 1 || op.Served.Statuses["409"] != 2 || op.Served.Statuses["400"] != 1 {
		t.Errorf("served statuses = %v, want 200:1 409:2 400:1", op.Served.Statuses)
	}
	if op.Served.Fixtures["mfa/backup/valid_code"] != 1 || op.Served.Fixtures["mfa/backup/reused_code"] != 2 {
		t.Errorf("served fixtures = %v", op.Served.Fixtures)
	}
	if len(op.Documented) != 1 || op.Documented[0] != "200" || len(op.Fixtures) < 9 {
		t.Errorf("documented = %v, fixtures = %d", op.Documented, len(op.Fixtures))
	}
	unserved := strings.Join(op.UnservedFixtures, ",")
	if !strings.Contains(unserved, "mfa/backup/rate_limited") || strings.Contains(unserved, "mfa/backup/valid_code") {
		t.Errorf("unserved fixtures = %v", op.UnservedFixtures)
	}
	var a cov
	ts.admin(t, "GET", "/__mock/coverage?session=a", "", &a)
	if got := a.Operations[0].Served.Statuses; got["409"] != 2 || got["200"] != 0 {
		t.Errorf("session a served = %v, want only 409:2", got)
	}
	ts.admin(t, "POST", "/__mock/reset", "", nil)
	var after cov
	ts.admin(t, "GET", "/__mock/coverage", "", &after)
	if n := len(after.Operations[0].Served.Statuses); n != 0 {
		t.Errorf("after reset: served = %v", after.Operations[0].Served.Statuses)
	}
}

// scenarioDir copies the shipped files and adds a scenario.
func scenarioDir(t *testing.T, name, rules string) string {
	t.Helper()
	dir := copyTree(t)
	body := "name: " + name + "\noperations:\n  post_v1_self_mfa_verify_totp_backup:\n" + rules
	if err := os.WriteFile(filepath.Join(dir, "scenarios", name+".yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func startIn(t *testing.T, dir string, args ...string) *testServer {
	return startServer(t, nil, append([]string{"--spec", filepath.Join(dir, "spec"), "--fixtures", filepath.Join(dir, "fixtures"), "--scenarios", filepath.Join(dir, "scenarios")}, args...)...)
}

func TestDelays(t *testing.T) {
	dir := scenarioDir(t, "jitter", "    - fixture: mfa/backup/valid_code\n      delay: {min: 200ms, max: 300ms}\n")
	ts := startIn(t, dir)
	start := time.Now()
	a := ts.do(t, validCall(map[string]string{"X-Mock-Scenario": "jitter"}))
	if d := time.Since(start); a.status != 200 || d < 200*time.Millisecond {
		t.Errorf("ranged delay: %d after %v, want 200 after at least 200ms", a.status, d)
	}
}

func TestFaults(t *testing.T) {
	dir := scenarioDir(t, "empty", "    - fault: empty_response\n")
	ts := startIn(t, dir)
	post := func(scenario string, timeout time.Duration) error {
		c := validCall(map[string]string{"X-Mock-Scenario": scenario})
		req, _ := http.NewRequest("POST", ts.URL+backupPath, strings.NewReader(c.body))
		for k, v := range c.headers {
			req.Header.Set(k, v)
		}
		client := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			return fmt.Errorf("got an answer: %s", resp.Status)
		}
		return err
	}
	t.Run("connection_reset is seen as a reset", func(t *testing.T) {
		err := post("network-error", 5*time.Second)
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("error = %v, want connection reset by peer", err)
		}
	})
	t.Run("empty_response closes without an answer", func(t *testing.T) {
		err := post("empty", 5*time.Second)
		if err == nil || errors.Is(err, syscall.ECONNRESET) || !strings.Contains(err.Error(), "EOF") {
			t.Errorf("error = %v, want an EOF with no answer", err)
		}
	})
	t.Run("timeout holds until the client gives up", func(t *testing.T) {
		start := time.Now()
		err := post("timeout", 400*time.Millisecond)
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() || time.Since(start) < 400*time.Millisecond {
			t.Errorf("error = %v after %v, want a client timeout after 400ms", err, time.Since(start))
		}
	})
	// The server is still fine afterwards.
	if a := ts.do(t, validCall(nil)); a.status != 200 {
		t.Errorf("after faults: %d", a.status)
	}
}
