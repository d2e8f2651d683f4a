package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/server"
)

// The mock answers whatever name the frontend reaches it by, among the
// names it serves: local ones and those AllowedHosts lists.
func TestRoutingIgnoresHost(t *testing.T) {
	m := newMock(t, server.Options{AllowedHosts: []string{"api.arklow.io"}})
	for _, host := range []string{"localhost:3123", "api.arklow.io", "0.0.0.0:8080", "LOCALHOST"} {
		a := m.do(t, validCall(map[string]string{"Host": host}))
		if a.status != http.StatusOK || a.header.Get("X-Mock-Fixture") != "mfa/backup/valid_code" {
			t.Errorf("Host %s: %d from %q, want 200 from mfa/backup/valid_code; body %s", host, a.status, a.header.Get("X-Mock-Fixture"), a.body)
		}
	}
}

func TestUnknownPathNamesClosest(t *testing.T) {
	m := newMock(t, server.Options{})
	a := m.do(t, call{path: "/v1/self/mfa/verify/totp/backups", headers: map[string]string{"x-arklow-auth": "k"}})
	if a.status != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", a.status)
	}
	errs := a.errorsOf(t)
	if len(errs) != 1 || errs[0]["code"] != "not_found" || !strings.Contains(errs[0]["message"], backupPath) {
		t.Errorf("errors = %v, want one not_found naming %s", errs, backupPath)
	}
	if got := a.header.Get("X-Mock-Scenario"); got != "" {
		t.Errorf("X-Mock-Scenario = %q, want none: no scenario was consulted", got)
	}
}

func TestWrongMethod(t *testing.T) {
	m := newMock(t, server.Options{})
	a := m.do(t, call{method: http.MethodGet, headers: map[string]string{"x-arklow-auth": "k"}})
	if a.status != http.StatusMethodNotAllowed {
		t.Fatalf("status = %d, want 405", a.status)
	}
	if got := a.header.Get("Allow"); got != "POST" {
		t.Errorf("Allow = %q, want POST", got)
	}
	if e := a.firstError(t); e["code"] != "method_not_allowed" {
		t.Errorf("error = %v, want method_not_allowed", e)
	}
}
