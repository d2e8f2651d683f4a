package main

// Helpers for driving the admin API of the real program, used by the
// end-to-end tests of this package (panel_test.go among them). The admin
// API's behaviour itself is tested against the handler, in
// internal/server (admin_api_test.go, journal_api_test.go).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
)

// backupCall is the valid request with a given device, code and headers.
func backupCall(device, code string, extra map[string]string) call {
	c := validCall(extra)
	c.body = fmt.Sprintf(`{"device_id":%q,"code":%q}`, device, code)
	return c
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

// scenarioDir copies the shipped files and adds a scenario.

func startIn(t *testing.T, dir string, args ...string) *testServer {
	return startServer(t, nil, append([]string{"--spec", filepath.Join(dir, "spec"), "--fixtures", filepath.Join(dir, "fixtures"), "--scenarios", filepath.Join(dir, "scenarios")}, args...)...)
}
