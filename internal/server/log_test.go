package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/server"
)

// Every request gets one log line: method, path, status, duration, the
// scenario and fixture when one answered, the problems when rejected.
func TestRequestLog(t *testing.T) {
	cases := []struct {
		name   string
		call   call
		has    []string
		hasNot []string
	}{
		{"an answer names its scenario and fixture", validCall(map[string]string{"X-Mock-Scenario": "reused-code"}),
			[]string{"level=INFO", "method=POST", "path=" + backupPath, "status=409", "duration=0s", "scenario=reused-code", "fixture=mfa/backup/reused_code"},
			[]string{"problems="}},
		{"a rejection names its problems", backupCall("abc", "1", nil),
			[]string{"level=INFO", "status=400", `problems="`, "body.code: must be at least 6 characters long, got 1", `body.device_id: string \"abc\" does not match pattern ^[0-9]+$`},
			[]string{"scenario=", "fixture="}},
		{"an unknown path", call{method: http.MethodGet, path: "/nowhere"},
			[]string{"method=GET", "path=/nowhere", "status=404", "problems="},
			[]string{"scenario="}},
		{"an admin request", call{method: http.MethodGet, path: "/__mock/health"},
			[]string{"method=GET", "path=/__mock/health", "status=200"},
			[]string{"scenario=", "problems="}},
		{"a preflight", call{method: http.MethodOptions, headers: map[string]string{"Origin": frontend, "Access-Control-Request-Method": "POST"}},
			[]string{"method=OPTIONS", "status=204"},
			[]string{"scenario="}},
		{"the query string and the API key stay out", call{path: backupPath + "?api_key=qs-secret", headers: map[string]string{"x-arklow-auth": "hdr-secret", "Content-Type": "application/json"}, body: `{}`},
			[]string{"path=" + backupPath + " ", "status=400"},
			[]string{"qs-secret", "hdr-secret"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMock(t, server.Options{})
			m.do(t, tc.call)
			lines := m.requestLines()
			if len(lines) != 1 {
				t.Fatalf("%d request lines, want 1:\n%s", len(lines), m.logs)
			}
			for _, want := range tc.has {
				if !strings.Contains(lines[0], want) {
					t.Errorf("log line %q lacks %s", lines[0], want)
				}
			}
			for _, unwanted := range tc.hasNot {
				if strings.Contains(m.logs.String(), unwanted) {
					t.Errorf("log %q has %s", m.logs, unwanted)
				}
			}
		})
	}
}
