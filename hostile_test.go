package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHostileRequests keeps the limits that the program's http.Server
// enforces before any handler runs (MaxHeaderBytes, ReadHeaderTimeout).
// The handler's own defences (body and header limits, hostile JSON, bodies
// cut short) are tested in internal/server.
func TestHostileRequests(t *testing.T) {
	ts := startServer(t, nil)
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
