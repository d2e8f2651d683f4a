package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHostPolicy(t *testing.T) {
	cases := []struct {
		name    string
		allowed []string
		host    string
		want    bool
	}{
		{"localhost", nil, "localhost:3123", true},
		{"localhost in capitals", nil, "LOCALHOST", true},
		{"a *.localhost name", nil, "app.localhost:5173", true},
		{"an IPv4 address", nil, "127.0.0.1:3123", true},
		{"any IP address, which DNS rebinding cannot use", nil, "192.168.1.20:3123", true},
		{"an IPv6 address", nil, "[::1]:3123", true},
		{"no Host at all (HTTP/1.0)", nil, "", true},
		{"a public name", nil, "evil.example:3123", false},
		{"a name that ends like localhost", nil, "notlocalhost", false},
		{"a name that embeds localhost", nil, "localhost.evil.example", false},
		{"a listed name", []string{"arklow-mock"}, "arklow-mock:3123", true},
		{"a listed name, any case", []string{"Arklow-Mock"}, "arklow-mock", true},
		{"a name not listed", []string{"arklow-mock"}, "other:3123", false},
		{"a domain entry covers itself", []string{".dev.test"}, "dev.test", true},
		{"a domain entry covers subdomains", []string{".dev.test"}, "api.dev.test:8080", true},
		{"a domain entry does not cover look-alikes", []string{".dev.test"}, "evildev.test", false},
		{"* allows any name", []string{"*"}, "evil.example", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := newHostPolicy(tc.allowed).allows(tc.host); got != tc.want {
				t.Errorf("allows(%q) with %q = %v, want %v", tc.host, tc.allowed, got, tc.want)
			}
		})
	}
}

func TestIsLocalOrigin(t *testing.T) {
	for origin, want := range map[string]bool{
		"http://localhost:5173":   true,
		"https://localhost":       true,
		"http://127.0.0.1:3000":   true,
		"http://127.1.2.3":        true,
		"http://[::1]:8080":       true,
		"http://app.localhost":    true,
		"http://evil.example":     false,
		"http://localhost.evil":   false,
		"http://192.168.1.2:5173": false,
		"null":                    false,
		"file://":                 false,
		"ftp://localhost":         false,
	} {
		if got := isLocalOrigin(origin); got != want {
			t.Errorf("isLocalOrigin(%q) = %v, want %v", origin, got, want)
		}
	}
}

// An other web page can neither read the admin API nor change the mock's
// state; the mocked API stays open to any origin.
func TestAdminAPIIsLocalOnlyAcrossOrigins(t *testing.T) {
	s := New(mustLoadShipped(t), Options{})
	serve := func(r *http.Request) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec
	}
	preflight := func(path, origin, method string) *http.Request {
		r := httptest.NewRequest("OPTIONS", "http://localhost:3123"+path, nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", method)
		r.Header.Set("Access-Control-Request-Headers", "content-type")
		return r
	}
	withOrigin := func(r *http.Request, origin string) *http.Request {
		r.Header.Set("Origin", origin)
		return r
	}

	t.Run("a preflight from another origin is not allowed", func(t *testing.T) {
		rec := serve(preflight("/__mock/scenario", "https://evil.example", "PUT"))
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("Access-Control-Allow-Origin = %q, want none", got)
		}
	})
	t.Run("a read from another origin gets no CORS headers", func(t *testing.T) {
		rec := serve(withOrigin(httptest.NewRequest("GET", "http://localhost:3123/__mock/requests", nil), "https://evil.example"))
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("Access-Control-Allow-Origin = %q, want none", got)
		}
	})
	t.Run("a local origin is allowed", func(t *testing.T) {
		rec := serve(preflight("/__mock/scenario", "http://localhost:5173", "PUT"))
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "http://localhost:5173" {
			t.Errorf("Access-Control-Allow-Origin = %q, want the local origin", got)
		}
	})
	t.Run("a simple cross-site write changes nothing", func(t *testing.T) {
		for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
			r := withOrigin(httptest.NewRequest("PUT", "http://localhost:3123/__mock/scenario", strings.NewReader(`{"name":"slow"}`)), "https://evil.example")
			if ct != "" {
				r.Header.Set("Content-Type", ct)
			}
			rec := serve(r)
			if rec.Code != http.StatusUnsupportedMediaType || s.Active() != "default" {
				t.Errorf("Content-Type %q: %d %s, active %q; want 415 and no change", ct, rec.Code, rec.Body, s.Active())
			}
		}
		rec := serve(httptest.NewRequest("POST", "http://localhost:3123/__mock/reset", strings.NewReader("x")))
		if rec.Code != http.StatusUnsupportedMediaType || !strings.Contains(rec.Body.String(), "header.Content-Type") {
			t.Errorf("POST /__mock/reset as text: %d %s, want 415 naming header.Content-Type", rec.Code, rec.Body)
		}
	})
	t.Run("a JSON write is accepted", func(t *testing.T) {
		rec := serve(adminWrite("PUT", "/__mock/scenario", `{"name":"slow"}`))
		if rec.Code != http.StatusOK || s.Active() != "slow" {
			t.Errorf("PUT as JSON: %d %s, active %q", rec.Code, rec.Body, s.Active())
		}
	})
	t.Run("the mocked API allows any origin", func(t *testing.T) {
		rec := serve(preflight("/v1/self/mfa/verify/totp/backup", "https://app.example", "POST"))
		if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example" {
			t.Errorf("preflight: %d, Access-Control-Allow-Origin %q; want 204 and the origin", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
		}
	})
}

// --cors-origins narrows the mocked API and opens the admin API to the
// origins it lists.
func TestCORSOriginsList(t *testing.T) {
	s := New(mustLoadShipped(t), Options{CORSOrigins: []string{"https://*.team.example"}})
	origin := func(path, o string) string {
		r := httptest.NewRequest("OPTIONS", "http://localhost:3123"+path, nil)
		r.Header.Set("Origin", o)
		r.Header.Set("Access-Control-Request-Method", "PUT")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec.Header().Get("Access-Control-Allow-Origin")
	}
	for _, tc := range []struct{ path, origin, want string }{
		{"/v1/self/mfa/verify/totp/backup", "https://app.team.example", "https://app.team.example"},
		{"/v1/self/mfa/verify/totp/backup", "https://other.example", ""},
		{"/__mock/scenario", "https://app.team.example", "https://app.team.example"},
		{"/__mock/scenario", "http://localhost:5173", "http://localhost:5173"},
		{"/__mock/scenario", "https://other.example", ""},
	} {
		if got := origin(tc.path, tc.origin); got != tc.want {
			t.Errorf("%s from %s: allowed %q, want %q", tc.path, tc.origin, got, tc.want)
		}
	}
}

// A Host that is neither local nor listed gets 403 forbidden_host in the
// error format, naming the flag that allows it.
func TestForbiddenHost(t *testing.T) {
	s := New(mustLoadShipped(t), Options{AllowedHosts: []string{"arklow-mock"}})
	for host, want := range map[string]int{"arklow-mock:3123": 200, "localhost:3123": 200, "attacker.example:3123": 403} {
		r := httptest.NewRequest("GET", "http://"+host+"/__mock/health", nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if rec.Code != want {
			t.Errorf("Host %s: %d, want %d", host, rec.Code, want)
		}
		if want == 403 && (!strings.Contains(rec.Body.String(), `"code":"forbidden_host"`) || !strings.Contains(rec.Body.String(), "--allowed-hosts attacker.example")) {
			t.Errorf("Host %s: body %s, want forbidden_host naming --allowed-hosts attacker.example", host, rec.Body)
		}
	}
}
