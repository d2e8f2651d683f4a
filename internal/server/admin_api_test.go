package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/server"
)

// scenarioList is the data of GET /__mock/scenarios.
type scenarioList struct {
	Active    string
	Scenarios []struct {
		Name        string
		Description string
		Operations  []string
		Active      bool
	}
}

func TestSetActiveScenario(t *testing.T) {
	m := newMock(t, server.Options{})
	a := m.do(t, call{method: "PUT", path: "/__mock/scenario", body: `{"name":"reused-code"}`})
	if a.status != 200 || a.data(t)["active"] != "reused-code" {
		t.Fatalf("PUT /__mock/scenario = %d %s, want 200 naming reused-code", a.status, a.body)
	}
	if m.Active() != "reused-code" {
		t.Errorf("Active() = %q, want reused-code", m.Active())
	}
	if a := m.do(t, validCall(nil)); a.status != 409 || a.header.Get("X-Mock-Scenario") != "reused-code" {
		t.Errorf("after PUT: %d %s, want 409 from reused-code", a.status, a.header.Get("X-Mock-Scenario"))
	}
	if a := m.do(t, validCall(map[string]string{"X-Mock-Scenario": "valid-code"})); a.status != 200 {
		t.Errorf("the header still wins: %d, want 200", a.status)
	}
	var list scenarioList
	m.do(t, call{method: "GET", path: "/__mock/scenarios"}).decode(t, &list)
	if list.Active != "reused-code" || len(list.Scenarios) < 10 {
		t.Errorf("GET /__mock/scenarios = %+v, want the shipped scenarios with reused-code active", list)
	}
	for _, sc := range list.Scenarios {
		if sc.Active != (sc.Name == "reused-code") {
			t.Errorf("scenario %s: active = %v", sc.Name, sc.Active)
		}
		if sc.Description == "" || len(sc.Operations) != 1 || sc.Operations[0] != backupOp {
			t.Errorf("scenario %s: description %q, operations %v, want a description and %s", sc.Name, sc.Description, sc.Operations, backupOp)
		}
	}
	refusals := []struct {
		name, body, code, message string
	}{
		{"an unknown name", `{"name":"nope"}`, "unknown_scenario", `body.name: unknown scenario "nope"`},
		{"a malformed body", `{"name":`, "invalid_json", "body: "},
		{"no name", `{}`, "invalid_request", "body.name: required"},
		{"a name that is not a string", `{"name": 5}`, "invalid_request", "body.name: want a string, got a JSON number"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			a := m.do(t, call{method: "PUT", path: "/__mock/scenario", body: tc.body})
			errs := a.errorsOf(t)
			if a.status != 400 || len(errs) != 1 || errs[0]["code"] != tc.code || !strings.HasPrefix(errs[0]["message"], tc.message) {
				t.Errorf("%s: %d %v, want 400 %s starting %q", tc.body, a.status, errs, tc.code, tc.message)
			}
			if m.Active() != "reused-code" {
				t.Errorf("Active() = %q after a refused PUT, want reused-code still", m.Active())
			}
		})
	}
}

// "default" is always a valid active scenario, even with no default.yaml:
// operations then answer from the spec, as requests naming it do.
func TestDefaultIsAlwaysAnActiveScenario(t *testing.T) {
	m := newMockOf(t, specOnly(t, shippedFolders["spec"]), server.Options{})
	if a := m.do(t, call{method: "PUT", path: "/__mock/scenario", body: `{"name":"default"}`}); a.status != 200 || m.Active() != "default" {
		t.Errorf("PUT default = %d %s, active %q", a.status, a.body, m.Active())
	}
	if a := m.do(t, validCall(nil)); a.status != 200 || !strings.HasPrefix(a.header.Get("X-Mock-Fixture"), "spec:") {
		t.Errorf("a request: %d from %q, want 200 from the spec", a.status, a.header.Get("X-Mock-Fixture"))
	}
	if a := m.do(t, call{method: "PUT", path: "/__mock/scenario", body: `{"name":"nope"}`}); a.status != 400 {
		t.Errorf("PUT nope = %d, want 400", a.status)
	}
}

// A known admin path asked with the wrong method answers 405 with Allow,
// as documented paths of the API do; an unknown one 404.
func TestAdminWrongMethod(t *testing.T) {
	m := newMock(t, server.Options{})
	for _, c := range []struct{ method, path, allow string }{
		{"POST", "/__mock/scenario", "PUT"},
		{"GET", "/__mock/reset", "POST"},
		{"PUT", "/__mock/requests", "GET, DELETE"},
		{"DELETE", "/__mock/health", "GET"},
	} {
		a := m.do(t, call{method: c.method, path: c.path})
		if a.status != 405 || a.header.Get("Allow") != c.allow || a.firstError(t)["code"] != "method_not_allowed" {
			t.Errorf("%s %s: %d Allow=%q %s, want 405 Allow=%q", c.method, c.path, a.status, a.header.Get("Allow"), a.body, c.allow)
		}
	}
	if a := m.do(t, call{method: "GET", path: "/__mock/nope"}); a.status != 404 || a.firstError(t)["code"] != "not_found" {
		t.Errorf("GET /__mock/nope: %d %s, want 404 not_found", a.status, a.body)
	}
}

// Admin paths are never matched against the spec and need no API key.
func TestAdminNeedsNoAPIKey(t *testing.T) {
	m := newMock(t, server.Options{})
	for _, c := range []call{
		{method: "GET", path: "/__mock/health"},
		{method: "GET", path: "/__mock/scenarios"},
		{method: "GET", path: "/__mock/requests"},
		{method: "GET", path: "/__mock/coverage"},
		{method: "POST", path: "/__mock/reset"},
	} {
		if a := m.do(t, c); a.status != 200 {
			t.Errorf("%s %s without x-arklow-auth = %d %s, want 200", c.method, c.path, a.status, a.body)
		}
	}
	if got := m.journal(t, ""); len(got) != 0 {
		t.Errorf("admin calls are journaled: %+v", got)
	}
}

func TestResetClearsState(t *testing.T) {
	m := newMock(t, server.Options{Scenario: "realistic"})
	m.do(t, backupCall("3", "12121212", map[string]string{"X-Mock-Session": "s"}))
	m.do(t, backupCall("3", "12121212", nil))
	if a := m.do(t, backupCall("3", "12121212", nil)); a.status != 409 {
		t.Fatalf("second use = %d, want 409", a.status)
	}
	if a := m.do(t, call{method: "POST", path: "/__mock/reset"}); a.status != 200 {
		t.Fatalf("reset = %d %s", a.status, a.body)
	}
	if got := m.journal(t, ""); len(got) != 0 {
		t.Errorf("journal after reset has %d entries", len(got))
	}
	if a := m.do(t, backupCall("3", "12121212", nil)); a.status != 200 {
		t.Errorf("after reset: %d, want 200", a.status)
	}
	if a := m.do(t, backupCall("3", "12121212", map[string]string{"X-Mock-Session": "s"})); a.status != 200 {
		t.Errorf("after reset, in a session: %d, want 200 (every session is reset)", a.status)
	}
}

func TestAdminCanBeTurnedOff(t *testing.T) {
	m := newMock(t, server.Options{NoAdmin: true})
	for _, c := range []call{
		{method: "GET", path: "/__mock/scenarios"},
		{method: "PUT", path: "/__mock/scenario", body: `{"name":"slow"}`},
		{method: "GET", path: "/__mock/"},
		{method: "GET", path: "/__mock/requests"},
		{method: "POST", path: "/__mock/reset"},
	} {
		a := m.do(t, c)
		if e := a.firstError(t); a.status != 404 || e["code"] != "not_found" || !strings.Contains(e["message"], "--admin=false") {
			t.Errorf("%s %s = %d %v, want 404 not_found saying the admin API is off", c.method, c.path, a.status, e)
		}
	}
	if m.Active() != "default" {
		t.Errorf("Active() = %q, want default: the PUT must not have changed it", m.Active())
	}
	if a := m.do(t, call{method: "GET", path: "/__mock/health"}); a.status != 200 {
		t.Errorf("health = %d, want 200 (container health checks need it)", a.status)
	}
	if a := m.do(t, validCall(nil)); a.status != 200 {
		t.Errorf("the mock = %d, want 200", a.status)
	}
}

func TestAdminToken(t *testing.T) {
	m := newMock(t, server.Options{AdminToken: "t0ken"})
	cases := []struct {
		name   string
		call   call
		status int
	}{
		{"a write without the token", call{method: "PUT", path: "/__mock/scenario", body: `{"name":"slow"}`}, 401},
		{"a write with a wrong token", call{method: "POST", path: "/__mock/reset", headers: map[string]string{"Authorization": "Bearer wrong"}}, 401},
		{"a write with the token", call{method: "PUT", path: "/__mock/scenario", body: `{"name":"reused-code"}`, headers: map[string]string{"Authorization": "Bearer t0ken"}}, 200},
		{"the scheme is case-insensitive", call{method: "POST", path: "/__mock/reset", headers: map[string]string{"Authorization": "bearer t0ken"}}, 200},
		{"another scheme", call{method: "POST", path: "/__mock/reset", headers: map[string]string{"Authorization": "Basic t0ken"}}, 401},
		{"the token is case-sensitive", call{method: "POST", path: "/__mock/reset", headers: map[string]string{"Authorization": "Bearer T0KEN"}}, 401},
		{"the token without a scheme", call{method: "POST", path: "/__mock/reset", headers: map[string]string{"Authorization": "t0ken"}}, 401},
		{"the scheme without a token", call{method: "POST", path: "/__mock/reset", headers: map[string]string{"Authorization": "Bearer"}}, 401},
		{"DELETE /__mock/requests is a write", call{method: "DELETE", path: "/__mock/requests"}, 401},
		{"a read needs no token", call{method: "GET", path: "/__mock/requests"}, 200},
		{"the scenarios are a read", call{method: "GET", path: "/__mock/scenarios"}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := m.do(t, tc.call)
			if a.status != tc.status {
				t.Fatalf("%s %s = %d %s, want %d", tc.call.method, tc.call.path, a.status, a.body, tc.status)
			}
			if tc.status != 401 {
				return
			}
			if e := a.firstError(t); e["code"] != "unauthorized" || !strings.HasPrefix(e["message"], "header.Authorization: ") {
				t.Errorf("error = %v, want unauthorized located at header.Authorization", e)
			}
			if got := a.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer ") {
				t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", got)
			}
		})
	}
	if m.Active() != "reused-code" {
		t.Errorf("Active() = %q, want reused-code: only the write with the token counts", m.Active())
	}
	log := m.logs.String()
	if !strings.Contains(log, "path=/__mock/scenario status=401") || !strings.Contains(log, "path=/__mock/scenario status=200") {
		t.Errorf("the log has no lines for the admin writes:\n%s", log)
	}
	if strings.Contains(log, "t0ken") {
		t.Errorf("the admin token appears in the log:\n%s", log)
	}
}

func TestHealth(t *testing.T) {
	m := newMock(t, server.Options{Version: "v1.2.3", Scenario: "slow"})
	a := m.do(t, call{method: http.MethodGet, path: "/__mock/health"})
	if a.status != 200 || a.json["status"] != "ok" {
		t.Fatalf("health = %d %s, want 200 with status ok at the top level", a.status, a.body)
	}
	var h struct {
		Status          string
		Version         string
		Operations      int
		Scenarios       int
		Fixtures        int
		Active          string  `json:"active_scenario"`
		LastReload      *string `json:"last_reload"`
		LastReloadError *string `json:"last_reload_error"`
		Warnings        []string
	}
	a.decode(t, &h)
	if h.Status != "ok" || h.Version != "v1.2.3" || h.Operations != 1 || h.Scenarios != 13 || h.Fixtures != 7 || h.Active != "slow" {
		t.Errorf("health = %+v, want ok, v1.2.3, 1 operation, 13 scenarios, 7 fixtures, slow active", h)
	}
	if h.LastReload != nil || h.LastReloadError != nil || h.Warnings != nil {
		t.Errorf("health = %+v, want no reload and no warnings yet", h)
	}
}

// A failed reload is reported by /__mock/health until one works, while the
// last good set keeps serving.
func TestHealthReportsReloads(t *testing.T) {
	later := fixedNow.Add(time.Minute)
	now := fixedNow
	m := newMock(t, server.Options{Now: func() time.Time { return now }})

	now = later
	m.ReloadFailed([]string{"fixtures/mfa/backup/valid_code.yaml:9: /data/verification_type: \"sms\" is not one of …", "scenarios/slow.yaml:4: unknown operation"})
	h := m.health(t)
	msg, _ := h["last_reload_error"].(string)
	if !strings.Contains(msg, "still serving the last good files") || !strings.Contains(msg, "valid_code.yaml:9") || !strings.Contains(msg, "(and 1 more)") {
		t.Errorf("last_reload_error = %q, want the first problem, FILE:LINE, and a count of the others", msg)
	}
	if probs, _ := h["last_reload_problems"].([]any); len(probs) != 2 {
		t.Errorf("last_reload_problems = %v, want both problems", h["last_reload_problems"])
	}
	if h["last_reload"] != later.Format(time.RFC3339) {
		t.Errorf("last_reload = %v, want %s", h["last_reload"], later.Format(time.RFC3339))
	}
	if a := m.do(t, validCall(nil)); a.status != 200 || a.header.Get("Cache-Control") != "no-store" {
		t.Errorf("after a failed reload: %d, Cache-Control %q, want the last good set's 200 no-store", a.status, a.header.Get("Cache-Control"))
	}

	dir := copyShipped(t)
	edit(t, dir+"/fixtures/mfa/backup/valid_code.yaml", "no-store", "no-cache")
	m.Reloaded(loadDir(t, dir))
	h = m.health(t)
	if h["last_reload_error"] != nil || h["last_reload_problems"] != nil {
		t.Errorf("after a good reload: error %v, problems %v, want none", h["last_reload_error"], h["last_reload_problems"])
	}
	if a := m.do(t, validCall(nil)); a.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("after a good reload: Cache-Control %q, want the new set's no-cache", a.header.Get("Cache-Control"))
	}
}

// Sequence state, the journal and the active scenario survive a reload.
func TestStateSurvivesReload(t *testing.T) {
	m := newMock(t, server.Options{})
	realistic := map[string]string{"X-Mock-Scenario": "realistic"}
	m.do(t, backupCall("77", "77778888", realistic))
	m.do(t, call{method: "PUT", path: "/__mock/scenario", body: `{"name":"invalid-code"}`})
	before := m.journal(t, "")

	m.Reloaded(loadDir(t, copyShipped(t)))
	if a := m.do(t, backupCall("77", "77778888", realistic)); a.status != 409 {
		t.Errorf("a code used before the reload answers %d, want 409", a.status)
	}
	after := m.journal(t, "")
	if len(after) != len(before)+1 || after[len(after)-1].ID != before[len(before)-1].ID {
		t.Errorf("journal lost entries across the reload: %d before, %d after", len(before), len(after))
	}
	if a := m.do(t, validCall(nil)); m.Active() != "invalid-code" || a.header.Get("X-Mock-Scenario") != "invalid-code" {
		t.Errorf("active scenario %q (answered by %q), want invalid-code kept", m.Active(), a.header.Get("X-Mock-Scenario"))
	}
}
