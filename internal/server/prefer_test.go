package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/server"
)

// Prism's preferences: code=N, dynamic=true, example=NAME.
func TestPreferPrismTokens(t *testing.T) {
	m := newMock(t, server.Options{})
	cases := []struct {
		name    string
		prefer  string
		status  int
		fixture string // X-Mock-Fixture; "" for a refusal
		code    string // the refusal's error code
	}{
		{"code=409 answers the fixture with that status", "code=409", 409, "mfa/backup/reused_code", ""},
		{"code=200 answers the scenario's own fixture", "code=200", 200, "mfa/backup/valid_code", ""},
		{"code beside other preferences", "respond-async, code=429; x=1", 429, "mfa/backup/rate_limited", ""},
		{"dynamic=true generates from the schema", "dynamic=true", 200, "spec:generated", ""},
		{"code=418 is neither a fixture nor documented", "code=418", 400, "", "unknown_response"},
		{"example=nope names no example", "example=nope", 400, "", "unknown_response"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := m.do(t, validCall(map[string]string{"Prefer": tc.prefer}))
			if a.status != tc.status {
				t.Fatalf("status = %d, want %d; body %s", a.status, tc.status, a.body)
			}
			if tc.code != "" {
				errs := a.errorsOf(t)
				if len(errs) != 1 || errs[0]["code"] != tc.code || !strings.HasPrefix(errs[0]["message"], "header.Prefer: ") {
					t.Errorf("errors = %v, want one %s located at header.Prefer", errs, tc.code)
				}
				return
			}
			if got := a.header.Get("X-Mock-Fixture"); got != tc.fixture {
				t.Errorf("X-Mock-Fixture = %q, want %q", got, tc.fixture)
			}
			if tc.status == 200 {
				a.data(t) // a body of the documented shape
			}
		})
	}
}

// A fixture borrowed from another scenario by code=N: the journal names
// the same scenario as the answer's header, so ?scenario= finds it.
func TestPreferCodeIsJournaledAsAnswered(t *testing.T) {
	m := newMock(t, server.Options{})
	a := m.do(t, validCall(map[string]string{"Prefer": "code=409", "X-Mock-Session": "prefer-409"}))
	if a.status != 409 || a.header.Get("X-Mock-Fixture") != "mfa/backup/reused_code" {
		t.Fatalf("code=409: %d %s, want 409 from mfa/backup/reused_code", a.status, a.header.Get("X-Mock-Fixture"))
	}
	got := m.journal(t, "?session=prefer-409")
	if len(got) != 1 || got[0].Scenario != a.header.Get("X-Mock-Scenario") || got[0].Fixture != "mfa/backup/reused_code" {
		t.Errorf("journal %+v, want the answer's scenario %q", got, a.header.Get("X-Mock-Scenario"))
	}
	if got := m.journal(t, "?scenario="+a.header.Get("X-Mock-Scenario")); len(got) != 1 {
		t.Errorf("?scenario=%s finds %d entries, want 1", a.header.Get("X-Mock-Scenario"), len(got))
	}
}

// example=NAME answers the spec's named example, and an unknown name lists
// the known ones.
func TestPreferExample(t *testing.T) {
	m := newMockOf(t, specOnly(t, bigSpec), server.Options{})
	get := func(prefer string) answer {
		return m.do(t, call{method: http.MethodGet, path: "/v1/orgs/org_7c1a9f3b", headers: map[string]string{"x-arklow-auth": "k", "Prefer": prefer}})
	}
	a := get("example=active")
	if a.status != 200 || a.header.Get("X-Mock-Fixture") != "spec:example:active" {
		t.Fatalf("example=active: %d from %q, want 200 from spec:example:active; body %s", a.status, a.header.Get("X-Mock-Fixture"), a.body)
	}
	if d := a.data(t); d["name"] != "Acme Inc" || d["status"] != "active" {
		t.Errorf("data = %v, want the active example's Acme Inc", d)
	}
	a = get(`example="suspended"`)
	if a.status != 200 || a.data(t)["status"] != "suspended" {
		t.Errorf("a quoted example name: %d %s, want the suspended example", a.status, a.body)
	}
	a = get("example=nope")
	if e := a.firstError(t); a.status != 400 || e["code"] != "unknown_response" || !strings.Contains(e["message"], "active") || !strings.Contains(e["message"], "suspended") {
		t.Errorf("example=nope: %d %v, want 400 unknown_response listing the known examples", a.status, e)
	}
}
