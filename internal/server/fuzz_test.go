package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzHandler sends arbitrary methods, paths, headers and bodies to the
// whole handler over the seed spec. Invariants: no panic escapes; every
// error the mock produces itself is the API's envelope (data null, a
// non-empty list of {code, message}); no 5xx unless a scenario asked for it.
func FuzzHandler(f *testing.F) {
	f.Add("POST", "/v1/self/mfa/verify/totp/backup", "x-arklow-auth: k\nContent-Type: application/json", `{"device_id":"1","code":"123456"}`)
	f.Add("POST", "/v1/self/mfa/verify/totp/backup", "x-arklow-auth: k\nContent-Type: application/json\nX-Mock-Scenario: realistic", `{"device_id":"404","code":"000000"}`)
	f.Add("POST", "/v1/self/mfa/verify/totp/backup", "x-arklow-auth: k\nContent-Type: application/json\nPrefer: code=409, dynamic=true", `{"device_id":"1","code":"123456","x":[1,{"y":null}]}`)
	f.Add("GET", "/v1/self/mfa/verify/totp/backup", "", "")
	f.Add("POST", "/v1/self/mfa/verify/totp/backup", "Content-Type: text/plain", "\x00\xff")
	f.Add("OPTIONS", "/v1/self/mfa/verify/totp/backup", "Origin: http://localhost:5173\nAccess-Control-Request-Method: POST", "")
	f.Add("PUT", "/__mock/scenario", "", `{"name":"nope"}`)
	f.Add("GET", "/__mock/requests?limit=-1&status=x", "", "")
	f.Add("POST", "/v1/self/mfa/../mfa/verify/totp/backup?x=%zz", "x-arklow-auth: k\nContent-Type: application/json; charset=\"", `{"device_id":"1","code":"123456","code":"1"}`)
	f.Add("POST", "/v1/self/mfa/verify/totp/backup", "x-arklow-auth: k\nContent-Type: application/json", strings.Repeat("[", 20000))

	set := mustLoadShipped(f)
	noSleep := func(context.Context, time.Duration) error { return nil }
	f.Fuzz(func(t *testing.T, method, target, headers, body string) {
		if !validMethod(method) || !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \r\n\t") {
			return // net/http would reject these before any handler runs
		}
		r, err := http.NewRequest(method, "http://localhost:3123"+target, strings.NewReader(body))
		if err != nil {
			return
		}
		for _, line := range strings.Split(headers, "\n") {
			name, value, ok := strings.Cut(line, ":")
			if ok && validHeaderName(name) && !strings.ContainsAny(value, "\r\n\x00") {
				r.Header.Add(name, strings.TrimSpace(value))
			}
		}
		s := New(set, Options{Sleep: noSleep, Now: fixedNow})
		sc := r.Header.Get(headerScenario)
		if strings.Contains(sc, "network-error") || strings.Contains(sc, "timeout") || strings.Contains(r.Header.Get("Prefer"), "scenario") {
			return // faults hijack the connection, which a recorder cannot do
		}
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() { defer close(done); s.ServeHTTP(rec, r) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s %s hangs (headers %q)", method, target, headers)
		}
		checkAnswer(t, rec)
	})
}

// checkAnswer applies the invariants to one answer.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	fixture := rec.Header().Get(headerFixture)
	if rec.Code >= 500 && !strings.HasPrefix(fixture, "mfa/") {
		t.Fatalf("status %d that no scenario asked for: %s", rec.Code, rec.Body)
	}
	if fixture != "" || rec.Code < 400 {
		return // an answer from a fixture or the spec, not the mock's own error
	}
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("error %d is not JSON: %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var env struct {
		Data   json.RawMessage
		Errors []struct{ Code, Message string }
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		t.Fatalf("error %d is not the envelope: %v: %s", rec.Code, err, rec.Body)
	}
	if string(env.Data) != "null" || len(env.Errors) == 0 {
		t.Fatalf("error %d: data %s, %d errors: %s", rec.Code, env.Data, len(env.Errors), rec.Body)
	}
	for _, e := range env.Errors {
		if e.Code == "" || e.Message == "" {
			t.Fatalf("error entry without code or message: %s", rec.Body)
		}
	}
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if c < '!' || c > '~' || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

func validHeaderName(name string) bool { return validMethod(name) }
