package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestHostileRequests(t *testing.T) {
	ts := startServer(t, nil)
	auth := map[string]string{"x-arklow-auth": "k", "Content-Type": "application/json"}
	t.Run("a body of 1 MiB + 1 byte gets 413", func(t *testing.T) {
		body := `{"device_id":"1","code":"` + strings.Repeat("9", 1<<20+1-len(`{"device_id":"1","code":""}`)) + `"}`
		if len(body) != 1<<20+1 {
			t.Fatalf("body is %d bytes", len(body))
		}
		a := ts.do(t, call{headers: auth, body: body})
		if a.status != http.StatusRequestEntityTooLarge {
			t.Errorf("status = %d, want 413", a.status)
		}
	})
	t.Run("JSON nested 100,000 deep gets 400, not a stack overflow", func(t *testing.T) {
		start := time.Now()
		a := ts.do(t, call{headers: auth, body: strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)})
		if a.status != http.StatusBadRequest || a.errorsOf(t)[0]["code"] != "invalid_json" {
			t.Errorf("status = %d %s, want 400 invalid_json", a.status, a.body)
		}
		if msg := a.errorsOf(t)[0]["message"]; len(msg) > 300 || !strings.Contains(msg, "levels deeper") {
			t.Errorf("message of %d bytes, want a short one that abbreviates the location: %.300s", len(msg), msg)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("invalid UTF-8 and NUL in strings get 400 naming the field", func(t *testing.T) {
		for _, body := range []string{`{"device_id":"1","code":"12` + "\xff" + `3456"}`, `{"device_id":"1","code":"12\u0000456"}`} {
			a := ts.do(t, call{headers: auth, body: body})
			if a.status != 400 || !strings.HasPrefix(a.errorsOf(t)[0]["message"], "body.code:") {
				t.Errorf("%q: %d %s, want 400 naming body.code", body, a.status, a.body)
			}
		}
	})
	t.Run("duplicate JSON keys get a clear 400", func(t *testing.T) {
		a := ts.do(t, call{headers: auth, body: `{"device_id":"1","code":"123456","device_id":"2"}`})
		if a.status != 400 || !strings.Contains(a.errorsOf(t)[0]["message"], "duplicate") {
			t.Errorf("%d %s, want 400 about the duplicate", a.status, a.body)
		}
	})
	t.Run("a 64 KiB header gets 431 in the envelope, readable by a browser app", func(t *testing.T) {
		req, _ := http.NewRequest("POST", ts.URL+backupPath, strings.NewReader("{}"))
		req.Header.Set("x-arklow-auth", "k")
		req.Header.Set("Origin", "http://localhost:5173")
		req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge || !strings.Contains(string(body), `"code":"headers_too_large"`) ||
			resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:5173" {
			t.Errorf("%d %s (Allow-Origin %q), want 431 headers_too_large with CORS", resp.StatusCode, body, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	})
	t.Run("headers past the hard limit still get net/http's 431", func(t *testing.T) {
		req, _ := http.NewRequest("GET", ts.URL+backupPath, nil)
		req.Header.Set("X-Huge", strings.Repeat("a", 2<<20))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("status = %d, want 431", resp.StatusCode)
		}
	})
	t.Run("a body cut short of its Content-Length gets 400 saying so, without socket addresses", func(t *testing.T) {
		conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
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
	})
	t.Run("a client trickling headers is cut off by the read-header timeout", func(t *testing.T) {
		t.Parallel()
		conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		io.WriteString(conn, "POST "+backupPath+" HTTP/1.1\r\nHost: localhost\r\n")
		closed := make(chan struct{})
		go func() {
			io.Copy(io.Discard, bufio.NewReader(conn)) // returns when the server closes
			close(closed)
		}()
		for i := 0; ; i++ {
			select {
			case <-closed:
				if d := time.Since(start); d < 4*time.Second || d > 9*time.Second {
					t.Errorf("cut off after %v, want about 5s", d)
				}
				return
			case <-time.After(time.Second):
				if i > 12 {
					t.Fatalf("still connected after %v", time.Since(start))
				}
				conn.Write([]byte("X"))
			}
		}
	})
}

func TestAdminCanBeTurnedOff(t *testing.T) {
	ts := startServer(t, nil, "--admin=false")
	if a := ts.do(t, call{method: "GET", path: "/__mock/scenarios"}); a.status != 404 {
		t.Errorf("GET /__mock/scenarios = %d, want 404 with the admin API off", a.status)
	}
	if a := ts.do(t, call{method: "PUT", path: "/__mock/scenario", body: `{"name":"slow"}`}); a.status != 404 {
		t.Errorf("PUT /__mock/scenario = %d, want 404", a.status)
	}
	if a := ts.do(t, call{method: "GET", path: "/__mock/"}); a.status != 404 {
		t.Errorf("the panel = %d, want 404", a.status)
	}
	if a := ts.do(t, call{method: "GET", path: "/__mock/health"}); a.status != 200 {
		t.Errorf("health = %d, want 200 (container health checks need it)", a.status)
	}
	if a := ts.do(t, validCall(nil)); a.status != 200 {
		t.Errorf("the mock = %d, want 200", a.status)
	}
}

func TestAdminToken(t *testing.T) {
	ts := startServer(t, map[string]string{"MOCK_ADMIN_TOKEN": "t0ken"})
	if a := ts.do(t, call{method: "PUT", path: "/__mock/scenario", body: `{"name":"slow"}`}); a.status != 401 || a.errorsOf(t)[0]["code"] != "unauthorized" {
		t.Errorf("a write without the token = %d %s, want 401", a.status, a.body)
	}
	if a := ts.do(t, call{method: "POST", path: "/__mock/reset", headers: map[string]string{"Authorization": "Bearer wrong"}}); a.status != 401 {
		t.Errorf("a write with a wrong token = %d, want 401", a.status)
	}
	if a := ts.do(t, call{method: "PUT", path: "/__mock/scenario", body: `{"name":"reused-code"}`, headers: map[string]string{"Authorization": "Bearer t0ken"}}); a.status != 200 {
		t.Errorf("a write with the token = %d %s, want 200", a.status, a.body)
	}
	if a := ts.do(t, call{method: "POST", path: "/__mock/reset", headers: map[string]string{"Authorization": "bearer t0ken"}}); a.status != 200 {
		t.Errorf("the scheme is case-insensitive: 'bearer t0ken' = %d %s, want 200", a.status, a.body)
	}
	for _, auth := range []string{"Basic t0ken", "Bearer T0KEN", "t0ken", "Bearer"} {
		if a := ts.do(t, call{method: "POST", path: "/__mock/reset", headers: map[string]string{"Authorization": auth}}); a.status != 401 {
			t.Errorf("Authorization %q = %d, want 401", auth, a.status)
		}
	}
	if a := ts.do(t, call{method: "GET", path: "/__mock/requests"}); a.status != 200 {
		t.Errorf("a read without the token = %d, want 200", a.status)
	}
	log := ts.finalLog()
	if !strings.Contains(log, "path=/__mock/scenario") {
		t.Errorf("the log has no line for the admin writes:\n%s", log)
	}
	if strings.Contains(log+ts.stdout.String(), "t0ken") {
		t.Errorf("the admin token appears in the output")
	}
}
