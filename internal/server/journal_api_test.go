package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/server"
)

func TestJournal(t *testing.T) {
	m := newMock(t, server.Options{JournalSize: 5})
	const key = "ak_live_SECRET_7"
	auth := map[string]string{"x-arklow-auth": key}
	m.do(t, backupCall("1", "12345678", auth))
	m.do(t, backupCall("abc", "12345678", map[string]string{"x-arklow-auth": key, "X-Mock-Session": "s1"}))
	m.do(t, backupCall("2", "12345678", map[string]string{"x-arklow-auth": key, "X-Mock-Scenario": "bad-device", "X-Mock-Session": "s1"}))
	m.do(t, call{method: "GET", path: "/nowhere"})
	m.do(t, call{method: "GET", path: "/__mock/health"}) // admin calls are not journaled

	raw := m.do(t, call{method: "GET", path: "/__mock/requests"})
	if strings.Contains(string(raw.body), key) {
		t.Errorf("the journal contains the API key: %s", raw.body)
	}
	var all []entry
	raw.decode(t, &all)
	if len(all) != 4 {
		t.Fatalf("journal has %d entries, want 4: %s", len(all), raw.body)
	}
	newest := all[0]
	if newest.Path != "/nowhere" || newest.Status != 404 || all[3].Status != 200 {
		t.Errorf("journal is not newest first: %+v", all)
	}
	for i, e := range all {
		if want := uint64(4 - i); e.ID != want {
			t.Errorf("entry %d: id %d, want %d", i, e.ID, want)
		}
		if !e.Time.Equal(fixedNow) || e.Duration != 0 {
			t.Errorf("entry %d: time %v, duration %v ms, want the injected clock's %v and 0", i, e.Time, e.Duration, fixedNow)
		}
	}
	first := all[3]
	if first.Method != "POST" || first.Path != backupPath || first.Operation != backupOp || first.Scenario != "default" ||
		first.Fixture != "mfa/backup/valid_code" || first.Session != "" || len(first.ValidationErrors) != 0 {
		t.Errorf("first entry = %+v", first)
	}
	if !sameJSON(t, first.Body, `{"device_id":"1","code":"12345678"}`) {
		t.Errorf("request body recorded as %s", first.Body)
	}
	bad := all[2]
	if bad.Status != 400 || bad.Operation != backupOp || len(bad.ValidationErrors) != 1 ||
		bad.ValidationErrors[0].Code != "invalid_request" || !strings.HasPrefix(bad.ValidationErrors[0].Message, "body.device_id:") || bad.Session != "s1" {
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
	if newest.Operation != "" || newest.Scenario != "" {
		t.Errorf("an unknown path: operation %q, scenario %q, want none", newest.Operation, newest.Scenario)
	}

	filters := []struct {
		query string
		want  int
	}{
		{"?session=s1", 2},
		{"?status=400", 1},
		{"?scenario=bad-device", 1},
		{"?limit=2", 2},
		{"?operation=" + backupOp, 3},
		{"?session=s1&status=404", 1},
		{"?status=404", 2},
		{"?status=400&status=404", 3}, // any of them
		{"?operation=POST%20/v1/self/mfa/verify/totp/backup", 3}, // the form scenarios accept
		{"?operation=post%20/v1/self/mfa/verify/totp/backup", 3},
		{"?after=2", 2},
	}
	for _, f := range filters {
		if got := m.journal(t, f.query); len(got) != f.want {
			t.Errorf("GET /__mock/requests%s: %d entries, want %d", f.query, len(got), f.want)
		}
	}
	for _, q := range []string{"?limit=x", "?limit=-1", "?status=teapot", "?after=x"} {
		a := m.do(t, call{method: "GET", path: "/__mock/requests" + q})
		if e := a.firstError(t); a.status != 400 || e["code"] != "invalid_request" || !strings.HasPrefix(e["message"], "query.") {
			t.Errorf("%s: %d %v, want 400 invalid_request naming the query parameter", q, a.status, e)
		}
	}

	// The ring keeps the newest 5.
	for i := range 4 {
		m.do(t, backupCall(fmt.Sprint(100+i), "12345678", nil))
	}
	ring := m.journal(t, "")
	if len(ring) != 5 || ring[0].ID != 8 || ring[4].ID != 4 {
		t.Errorf("ring = %d entries (ids %d..%d), want 5 (ids 8..4)", len(ring), ring[0].ID, ring[len(ring)-1].ID)
	}
	if a := m.do(t, call{method: "DELETE", path: "/__mock/requests"}); a.status != 200 {
		t.Fatalf("DELETE = %d", a.status)
	}
	if ring := m.journal(t, ""); len(ring) != 0 {
		t.Errorf("after DELETE: %d entries", len(ring))
	}
	if lines := m.requestLines(); len(lines) < 9 {
		t.Errorf("%d request log lines, want one per request:\n%s", len(lines), m.logs)
	}
	if strings.Contains(m.logs.String(), key) {
		t.Errorf("the log contains the API key:\n%s", m.logs)
	}
}

// The journal keeps a bounded excerpt of a long request body.
func TestJournalBoundsBodies(t *testing.T) {
	m := newMock(t, server.Options{})
	a := m.do(t, call{headers: map[string]string{"x-arklow-auth": "k", "Content-Type": "application/json"}, body: bodyOf(t, 100<<10)})
	if a.status != 200 {
		t.Fatalf("status = %d, want 200; %.300s", a.status, a.body)
	}
	got := m.journal(t, "")
	if len(got) != 1 || len(got[0].Body) == 0 || len(got[0].Body) > 70<<10 {
		t.Errorf("journaled body of %d bytes, want a bounded excerpt of the 100 KiB sent", len(got[0].Body))
	}
}

// coverage is the data of GET /__mock/coverage.
type coverage struct {
	Operations []struct {
		Operation  string
		Method     string
		Path       string
		Documented []string `json:"documented_statuses"`
		Fixtures   []struct {
			Scenario, Fixture string
			Status            int
		}
		Served struct {
			Statuses, Fixtures map[string]int
			ByScenario         map[string]map[string]int `json:"by_scenario"`
		}
		UnservedStatuses []string `json:"unserved_statuses"`
		UnservedFixtures []string `json:"unserved_fixtures"`
	}
}

func (m *mock) coverage(tb testing.TB, q string) coverage {
	tb.Helper()
	a := m.do(tb, call{method: http.MethodGet, path: "/__mock/coverage" + q})
	if a.status != http.StatusOK {
		tb.Fatalf("GET /__mock/coverage%s = %d %s", q, a.status, a.body)
	}
	var c coverage
	a.decode(tb, &c)
	if len(c.Operations) != 1 {
		tb.Fatalf("coverage lists %d operations, want 1", len(c.Operations))
	}
	return c
}

func TestCoverage(t *testing.T) {
	m := newMock(t, server.Options{})
	m.do(t, validCall(nil))
	m.do(t, validCall(map[string]string{"X-Mock-Scenario": "reused-code", "X-Mock-Session": "a"}))
	m.do(t, validCall(map[string]string{"X-Mock-Scenario": "reused-code", "X-Mock-Session": "a"}))
	m.do(t, backupCall("x", "1", nil)) // rejected: 400

	op := m.coverage(t, "").Operations[0]
	if op.Operation != backupOp || op.Method != "POST" || op.Path != backupPath {
		t.Errorf("operation = %s %s %s", op.Operation, op.Method, op.Path)
	}
	if op.Served.Statuses["200"] != 1 || op.Served.Statuses["409"] != 2 || op.Served.Statuses["400"] != 1 {
		t.Errorf("served statuses = %v, want 200:1 409:2 400:1", op.Served.Statuses)
	}
	if op.Served.Fixtures["mfa/backup/valid_code"] != 1 || op.Served.Fixtures["mfa/backup/reused_code"] != 2 {
		t.Errorf("served fixtures = %v", op.Served.Fixtures)
	}
	// Per scenario: what each one served, not what any served with the
	// same fixture; the rejected request reached no scenario.
	wantBy := map[string]map[string]int{"default": {"mfa/backup/valid_code": 1}, "reused-code": {"mfa/backup/reused_code": 2}}
	if fmt.Sprint(op.Served.ByScenario) != fmt.Sprint(wantBy) {
		t.Errorf("served by scenario = %v, want %v", op.Served.ByScenario, wantBy)
	}
	if len(op.Documented) != 1 || op.Documented[0] != "200" || len(op.Fixtures) < 9 {
		t.Errorf("documented = %v, fixtures = %d", op.Documented, len(op.Fixtures))
	}
	if len(op.UnservedStatuses) != 0 {
		t.Errorf("unserved statuses = %v, want none: 200 was served", op.UnservedStatuses)
	}
	unserved := strings.Join(op.UnservedFixtures, ",")
	if !strings.Contains(unserved, "mfa/backup/rate_limited") || strings.Contains(unserved, "mfa/backup/valid_code") {
		t.Errorf("unserved fixtures = %v", op.UnservedFixtures)
	}
	if got := m.coverage(t, "?session=a").Operations[0].Served.Statuses; got["409"] != 2 || got["200"] != 0 {
		t.Errorf("session a served = %v, want only 409:2", got)
	}
	m.do(t, call{method: "POST", path: "/__mock/reset"})
	after := m.coverage(t, "").Operations[0]
	if len(after.Served.Statuses) != 0 || after.Served.ByScenario == nil || len(after.Served.ByScenario) != 0 {
		t.Errorf("after reset: served = %+v, want empty maps (by_scenario {}, not null)", after.Served)
	}
	if len(after.UnservedStatuses) != 1 || after.UnservedStatuses[0] != "200" {
		t.Errorf("after reset: unserved statuses = %v, want [200]", after.UnservedStatuses)
	}
}

// DELETE /__mock/requests clears the journal but keeps the coverage
// counters; only a reset clears both.
func TestClearKeepsCoverage(t *testing.T) {
	m := newMock(t, server.Options{})
	m.do(t, validCall(nil))
	m.do(t, call{method: "DELETE", path: "/__mock/requests"})
	if got := m.journal(t, ""); len(got) != 0 {
		t.Errorf("after DELETE: %d entries", len(got))
	}
	if got := m.coverage(t, "").Operations[0].Served.Statuses; got["200"] != 1 {
		t.Errorf("after DELETE: served = %v, want 200:1 kept", got)
	}
}
