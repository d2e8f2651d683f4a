package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/server"
)

// preflight is the OPTIONS a browser sends before the frontend's request.
func preflight(origin string) call {
	return call{method: http.MethodOptions, headers: map[string]string{
		"Origin":                         origin,
		"Access-Control-Request-Method":  "POST",
		"Access-Control-Request-Headers": "content-type,x-arklow-auth,x-mock-scenario,x-mock-session,prefer",
	}}
}

func TestCORS(t *testing.T) {
	m := newMock(t, server.Options{})
	t.Run("a preflight answers 204 without auth or validation", func(t *testing.T) {
		a := m.do(t, preflight(frontend))
		if a.status != http.StatusNoContent {
			t.Fatalf("status = %d, want 204; body %s", a.status, a.body)
		}
		if got := a.header.Get("Access-Control-Allow-Origin"); got != frontend {
			t.Errorf("Allow-Origin = %q, want %q", got, frontend)
		}
		allowed := strings.ToLower(a.header.Get("Access-Control-Allow-Headers"))
		for _, h := range []string{"x-arklow-auth", "x-mock-scenario", "x-mock-session", "prefer", "content-type"} {
			if !strings.Contains(allowed, h) {
				t.Errorf("Allow-Headers = %q, want it to include %s", allowed, h)
			}
		}
		if got := a.header.Get("Access-Control-Allow-Methods"); !strings.Contains(got, "POST") {
			t.Errorf("Allow-Methods = %q, want it to include POST", got)
		}
		if len(m.journal(t, "")) != 0 {
			t.Errorf("the preflight reached the mock: it is in the journal")
		}
	})
	t.Run("answers expose the mock headers", func(t *testing.T) {
		a := m.do(t, validCall(map[string]string{"Origin": frontend, "X-Mock-Scenario": "rate-limited"}))
		if a.status != 429 {
			t.Fatalf("status = %d, want rate-limited's 429", a.status)
		}
		if got := a.header.Get("Access-Control-Allow-Origin"); got != frontend {
			t.Errorf("Allow-Origin = %q, want %q", got, frontend)
		}
		exposed := strings.Split(a.header.Get("Access-Control-Expose-Headers"), ", ")
		for _, h := range []string{"X-Mock-Scenario", "X-Mock-Fixture", "Retry-After"} {
			if !slices.Contains(exposed, h) {
				t.Errorf("Expose-Headers = %q, want it to include %s", exposed, h)
			}
		}
	})
	t.Run("rejections are readable by the browser app too", func(t *testing.T) {
		a := m.do(t, backupCall("abc", "12345678", map[string]string{"Origin": frontend}))
		if a.status != 400 || a.header.Get("Access-Control-Allow-Origin") != frontend {
			t.Errorf("%d with Allow-Origin %q, want 400 with %q", a.status, a.header.Get("Access-Control-Allow-Origin"), frontend)
		}
	})
	t.Run("a request without Origin gets no CORS headers", func(t *testing.T) {
		a := m.do(t, validCall(nil))
		for name := range a.header {
			if strings.HasPrefix(name, "Access-Control-") {
				t.Errorf("%s = %q on a same-origin request", name, a.header.Get(name))
			}
		}
	})
}

// CORSOrigins narrows the origins; the others get no CORS headers.
func TestCORSOrigins(t *testing.T) {
	const app = "https://app.example.test"
	m := newMock(t, server.Options{CORSOrigins: []string{app}})
	cases := []struct {
		name   string
		call   call
		origin string
	}{
		{"a foreign origin's preflight gets no Allow-Origin", preflight(frontend), ""},
		{"a foreign origin's request gets no Allow-Origin", validCall(map[string]string{"Origin": frontend}), ""},
		{"the listed origin's preflight is allowed", preflight(app), app},
		{"the listed origin's request is allowed", validCall(map[string]string{"Origin": app}), app},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := m.do(t, tc.call)
			if got := a.header.Get("Access-Control-Allow-Origin"); got != tc.origin {
				t.Errorf("Allow-Origin = %q, want %q", got, tc.origin)
			}
		})
	}
}
