package server_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/server"
)

func TestRejectsInvalidRequests(t *testing.T) {
	m := newMock(t, server.Options{})
	auth := map[string]string{"x-arklow-auth": "k", "Content-Type": "application/json"}
	cases := []struct {
		name    string
		call    call
		status  int
		code    string
		message string
	}{
		{"missing x-arklow-auth", call{headers: map[string]string{"Content-Type": "application/json"}, body: `{"device_id":"1","code":"123456"}`},
			401, "unauthorized", "header.x-arklow-auth: missing or empty API key"},
		{"empty x-arklow-auth", call{headers: map[string]string{"x-arklow-auth": "", "Content-Type": "application/json"}, body: `{"device_id":"1","code":"123456"}`},
			401, "unauthorized", "header.x-arklow-auth: missing or empty API key"},
		{"device_id abc", call{headers: auth, body: `{"device_id":"abc","code":"123456"}`},
			400, "invalid_request", `body.device_id: string "abc" does not match pattern ^[0-9]+$`},
		{"code 123", call{headers: auth, body: `{"device_id":"1","code":"123"}`},
			400, "invalid_request", "body.code: must be at least 6 characters long, got 3"},
		{"missing code", call{headers: auth, body: `{"device_id":"1"}`},
			400, "invalid_request", "body.code: is required"},
		{"malformed JSON", call{headers: auth, body: `{"device_id":"1",`},
			400, "invalid_json", "body: invalid JSON: unexpected end of input"},
		{"text/plain", call{headers: map[string]string{"x-arklow-auth": "k", "Content-Type": "text/plain"}, body: "device_id=1"},
			415, "unsupported_media_type", `header.Content-Type: "text/plain" is not supported; send application/json`},
		{"missing body", call{headers: auth},
			400, "invalid_request", "body: a request body is required"},
		{"gzip body", call{headers: map[string]string{"x-arklow-auth": "k", "Content-Type": "application/json", "Content-Encoding": "gzip"}, body: "\x1f\x8b\x08\x00"},
			415, "unsupported_media_type", `header.Content-Encoding: "gzip" bodies are not accepted; send the body uncompressed`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := m.do(t, tc.call)
			if a.status != tc.status {
				t.Fatalf("status = %d, want %d; body %s", a.status, tc.status, a.body)
			}
			errs := a.errorsOf(t)
			if len(errs) != 1 || errs[0]["code"] != tc.code || errs[0]["message"] != tc.message {
				t.Errorf("errors = %v, want one %s %q", errs, tc.code, tc.message)
			}
			if got := a.header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", got)
			}
			// Refused before any scenario was consulted: no X-Mock-* headers.
			for _, name := range []string{"X-Mock-Scenario", "X-Mock-Fixture"} {
				if got := a.header.Get(name); got != "" {
					t.Errorf("%s = %q, want none on a rejection", name, got)
				}
			}
		})
	}
	t.Run("every problem is listed", func(t *testing.T) {
		a := m.do(t, call{headers: auth, body: `{"device_id":"abc","code":"1"}`})
		if errs := a.errorsOf(t); a.status != 400 || len(errs) != 2 {
			t.Errorf("%d errors = %v, want 400 with one entry per problem (2)", a.status, errs)
		}
	})
	t.Run("the log names the problems, never the API key", func(t *testing.T) {
		m := newMock(t, server.Options{})
		m.do(t, call{headers: map[string]string{"x-arklow-auth": "secret-key-42", "Content-Type": "application/json"}, body: `{}`})
		lines := m.requestLines()
		if len(lines) != 1 || !strings.Contains(lines[0], "status=400") || !strings.Contains(lines[0], "body.code: is required") ||
			!strings.Contains(lines[0], "body.device_id: is required") {
			t.Errorf("request lines = %q, want one with status=400 naming both problems", lines)
		}
		if strings.Contains(m.logs.String(), "secret-key-42") {
			t.Errorf("log contains the API key:\n%s", m.logs)
		}
	})
}

// Patterns are ECMA-262: a spec with a lookahead (which Go's regexp
// lacks) loads, and the mock enforces it.
func TestECMAPattern(t *testing.T) {
	dir := copyShipped(t)
	edit(t, filepath.Join(dir, "spec", "arklow.yaml"), "pattern: ^[0-9]+$", "pattern: '^(?!0)[0-9]+$'")
	m := newMockOf(t, loadDir(t, dir), server.Options{})
	if a := m.do(t, validCall(nil)); a.status != 200 {
		t.Fatalf("a matching device_id: status %d, body %s", a.status, a.body)
	}
	a := m.do(t, backupCall("0123", "12345678", nil))
	errs := a.errorsOf(t)
	want := `body.device_id: string "0123" does not match pattern ^(?!0)[0-9]+$`
	if a.status != 400 || len(errs) != 1 || errs[0]["code"] != "invalid_request" || errs[0]["message"] != want {
		t.Errorf("a device_id the lookahead rejects: %d %v, want 400 invalid_request %q", a.status, errs, want)
	}
}

// Bodies built to hurt the mock get a clear 400 naming the field, never a
// crash.
func TestHostileBodies(t *testing.T) {
	m := newMock(t, server.Options{})
	auth := map[string]string{"x-arklow-auth": "k", "Content-Type": "application/json"}
	t.Run("JSON nested 100,000 deep gets 400, not a stack overflow", func(t *testing.T) {
		a := m.do(t, call{headers: auth, body: strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)})
		if a.status != http.StatusBadRequest || a.firstError(t)["code"] != "invalid_json" {
			t.Errorf("status = %d %s, want 400 invalid_json", a.status, a.body)
		}
		if msg := a.firstError(t)["message"]; len(msg) > 300 || !strings.Contains(msg, "levels deeper") {
			t.Errorf("message of %d bytes, want a short one that abbreviates the location: %.300s", len(msg), msg)
		}
	})
	t.Run("invalid UTF-8 and NUL in strings get 400 naming the field", func(t *testing.T) {
		for _, body := range []string{`{"device_id":"1","code":"12` + "\xff" + `3456"}`, `{"device_id":"1","code":"12\u0000456"}`} {
			a := m.do(t, call{headers: auth, body: body})
			if a.status != 400 || !strings.HasPrefix(a.firstError(t)["message"], "body.code:") {
				t.Errorf("%q: %d %s, want 400 naming body.code", body, a.status, a.body)
			}
		}
	})
	t.Run("duplicate JSON keys get a clear 400", func(t *testing.T) {
		a := m.do(t, call{headers: auth, body: `{"device_id":"1","code":"123456","device_id":"2"}`})
		if a.status != 400 || !strings.Contains(a.firstError(t)["message"], "duplicate") {
			t.Errorf("%d %s, want 400 about the duplicate", a.status, a.body)
		}
	})
}

// A body cut short of its Content-Length (the client closed its side
// early) gets 400 saying so, without the socket addresses net/http's
// error carries. It needs a real connection.
func TestBodyCutShort(t *testing.T) {
	m := newMock(t, server.Options{})
	ts := m.listen(t)
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"device_id":"123","code":"12345678"}`
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: localhost\r\nx-arklow-auth: k\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n%s", backupPath, body)
	conn.(*net.TCPConn).CloseWrite() // the client is done: 100 announced, fewer sent
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(got), "before the 100 bytes that Content-Length announced") || strings.Contains(string(got), "127.0.0.1") {
		t.Errorf("%d %s, want 400 naming the announced length and no address", resp.StatusCode, got)
	}
}

// The same invalid request always gets the same answer, byte for byte:
// problems come in a fixed order (UI snapshot tests depend on it).
func TestIdenticalInvalidRequestsGetIdenticalAnswers(t *testing.T) {
	m := newMock(t, server.Options{})
	c := backupCall("abc", "1", nil) // two problems, in two properties
	first := m.do(t, c)
	if first.status != 400 || len(first.errorsOf(t)) != 2 {
		t.Fatalf("%d %s, want 400 with two problems", first.status, first.body)
	}
	for i := range 199 {
		if a := m.do(t, c); !bytes.Equal(a.body, first.body) {
			t.Fatalf("request %d: %s\nfirst: %s", i+2, a.body, first.body)
		}
	}
}
