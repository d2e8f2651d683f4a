package upstream

import (
	"compress/gzip"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/reqerr"
)

// newUpstream serves h on loopback until the test ends.
func newUpstream(tb testing.TB, h http.HandlerFunc) *httptest.Server {
	tb.Helper()
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return ts
}

// newClient is a client of base, failing the test on a bad URL.
func newClient(tb testing.TB, base string, opts Options) *Client {
	tb.Helper()
	c, err := New(base, opts)
	if err != nil {
		tb.Fatalf("New(%q): %v", base, err)
	}
	tb.Cleanup(c.Close)
	return c
}

// forward sends req through c, with a client-side bound far above any
// timeout under test: the guard against a hang, not a timing check.
func forward(tb testing.TB, c *Client, req Request) (*Answer, *reqerr.Error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), 30*time.Second)
	defer cancel()
	ans, err := c.Forward(ctx, req)
	if ctx.Err() != nil {
		tb.Fatalf("Forward(%s %s) still had no answer after 30s", req.Method, req.Path)
	}
	return ans, err
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		wantErr string
	}{
		{"https://api.arklow.io", ""},
		{"http://127.0.0.1:8080/v2/", ""},
		{"api.arklow.io", "want an http:// or https:// URL"},
		{"ftp://api.arklow.io", "want an http:// or https:// URL"},
		{"https://", "has no host"},
		{"https://user:s3cret@api.arklow.io", "holds credentials"},
		{"https://api.arklow.io/?key=1", "want no query or fragment"},
		{"https://api.arklow.io/#x", "want no query or fragment"},
		{"http://[::1", "is not a URL"},
	}
	for _, tt := range tests {
		_, err := ParseURL(tt.in)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ParseURL(%q) = %v, want no error", tt.in, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseURL(%q) = %v, want an error containing %q", tt.in, err, tt.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("ParseURL(%q) = %v: the error shows the password", tt.in, err)
		}
	}
}

// seen is what an upstream received.
type seen struct {
	method, host, path, rawPath, query string
	header                             http.Header
	body                               string
}

func recording(tb testing.TB, answer func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, <-chan seen) {
	tb.Helper()
	ch := make(chan seen, 16)
	ts := newUpstream(tb, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ch <- seen{r.Method, r.Host, r.URL.Path, r.URL.RawPath, r.URL.RawQuery, r.Header.Clone(), string(b)}
		answer(w, r)
	})
	return ts, ch
}

func TestForwardSendsTheRequestUnderTheBasePath(t *testing.T) {
	t.Parallel()
	ts, got := recording(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Total-Count", "2")
		w.Header().Set("Connection", "close")
		w.WriteHeader(201)
		io.WriteString(w, `{"ok":true}`)
	})
	c := newClient(t, ts.URL+"/api/", Options{})
	h := http.Header{}
	h.Set("Authorization", "Bearer real-token")
	h.Set("X-Arklow-Auth", "ak_live")
	h.Set("Content-Type", "application/json")
	h.Set("X-Mock-Scenario", "passthrough")
	h.Set("X-Mock-Session", "s1")
	h.Set("Connection", "keep-alive, X-Hop")
	h.Set("X-Hop", "1")
	h.Set("Keep-Alive", "timeout=5")
	h.Set("Proxy-Authorization", "Basic cHJveHk=")
	h.Set("Te", "trailers")
	h.Set("Upgrade", "websocket")
	h.Set("Host", "evil.example")
	h.Set("Accept-Encoding", "br")
	ans, err := forward(t, c, Request{Method: "PATCH", Path: "/v1/things/a%2Fb", RawQuery: "x=1&y=%20", Header: h, Body: []byte(`{"n":1}`)})
	if err != nil {
		t.Fatalf("Forward: %v", err)
	}
	s := <-got
	want := seen{method: "PATCH", host: strings.TrimPrefix(ts.URL, "http://"), path: "/api/v1/things/a/b", rawPath: "/api/v1/things/a%2Fb", query: "x=1&y=%20", body: `{"n":1}`}
	if s.method != want.method || s.host != want.host || s.path != want.path || s.rawPath != want.rawPath || s.query != want.query || s.body != want.body {
		t.Errorf("upstream saw %s %s %s (raw %s) ?%s %q; want %s %s %s (raw %s) ?%s %q", s.method, s.host, s.path, s.rawPath, s.query, s.body,
			want.method, want.host, want.path, want.rawPath, want.query, want.body)
	}
	for _, name := range []string{"Authorization", "X-Arklow-Auth", "Content-Type"} {
		if s.header.Get(name) != h.Get(name) {
			t.Errorf("header %s = %q, want %q forwarded", name, s.header.Get(name), h.Get(name))
		}
	}
	for _, name := range []string{"X-Mock-Scenario", "X-Mock-Session", "X-Hop", "Keep-Alive", "Proxy-Authorization", "Te", "Upgrade"} {
		if v := s.header.Get(name); v != "" {
			t.Errorf("header %s = %q reached the upstream; want it dropped", name, v)
		}
	}
	if v := s.header.Get("Accept-Encoding"); v != "gzip" {
		t.Errorf("Accept-Encoding = %q, want the transport's own gzip (so the body can be checked)", v)
	}
	if ans.Status != 201 || string(ans.Body) != `{"ok":true}` || ans.Header.Get("X-Total-Count") != "2" {
		t.Errorf("answer = %d %v %s, want 201 with X-Total-Count and the body", ans.Status, ans.Header, ans.Body)
	}
	if v := ans.Header.Get("Connection"); v != "" {
		t.Errorf("the answer keeps Connection: %q; want hop-by-hop headers dropped", v)
	}
}

func TestForwardReturnsRedirectsUnfollowed(t *testing.T) {
	t.Parallel()
	other := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the redirect was followed: %s %s reached the other server with Authorization %q", r.Method, r.URL, r.Header.Get("Authorization"))
	})
	ts := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/stolen", http.StatusFound)
	})
	c := newClient(t, ts.URL, Options{})
	h := http.Header{"Authorization": {"Bearer real-token"}}
	ans, err := forward(t, c, Request{Method: "GET", Path: "/v1/things", Header: h})
	if err != nil {
		t.Fatalf("Forward: %v", err)
	}
	if ans.Status != http.StatusFound || ans.Header.Get("Location") != other.URL+"/stolen" {
		t.Errorf("answer = %d Location %q, want the 302 as it came", ans.Status, ans.Header.Get("Location"))
	}
}

func TestForwardDecompressesGzip(t *testing.T) {
	t.Parallel()
	ts := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/json")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, `{"zipped":true}`)
		zw.Close()
	})
	ans, err := forward(t, newClient(t, ts.URL, Options{}), Request{Method: "GET", Path: "/"})
	if err != nil {
		t.Fatalf("Forward: %v", err)
	}
	if string(ans.Body) != `{"zipped":true}` || ans.Header.Get("Content-Encoding") != "" {
		t.Errorf("answer = %s, Content-Encoding %q; want the body decompressed and the encoding gone", ans.Body, ans.Header.Get("Content-Encoding"))
	}
}

// hijack answers with raw bytes, then closes the connection.
func hijack(raw string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		buf.WriteString(raw)
		buf.Flush()
		conn.Close()
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestForwardFailures(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	hold := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
	slowBody := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		io.WriteString(w, `{"partial":`)
		w.(http.Flusher).Flush()
		hold(w, r)
	}
	big := func(w http.ResponseWriter, r *http.Request) { // chunked: no length declared
		w.Header().Set("Content-Type", "text/plain")
		for range 4 {
			w.Write([]byte(strings.Repeat("x", 512)))
			w.(http.Flusher).Flush()
		}
	}
	bigDeclared := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5000000")
		w.WriteHeader(200)
	}
	tlsServer := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request reached a server whose certificate is not trusted")
	}))
	tlsServer.Config.ErrorLog = log.New(io.Discard, "", 0) // its side of the failed handshake
	tlsServer.StartTLS()
	t.Cleanup(tlsServer.Close)
	plain := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {})

	tests := []struct {
		name     string
		base     string // else a server answering with handler
		handler  http.HandlerFunc
		opts     Options
		wantCode reqerr.Code
		wantMsg  string
	}{
		{name: "a refused connection", base: "http://" + closedPort(t), wantCode: reqerr.UpstreamUnavailable, wantMsg: "refused the connection"},
		{name: "a host that does not resolve", base: "http://api.arklow.invalid", wantCode: reqerr.UpstreamUnavailable, wantMsg: "upstream host api.arklow.invalid cannot be resolved: no such host",
			opts: Options{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "api.arklow.invalid", IsNotFound: true}}
			}}},
		{name: "a certificate that is not trusted", base: tlsServer.URL, wantCode: reqerr.UpstreamUnavailable, wantMsg: "its certificate is not trusted"},
		{name: "https to a server that speaks http", base: strings.Replace(plain.URL, "http://", "https://", 1), wantCode: reqerr.UpstreamUnavailable, wantMsg: "it does not speak TLS"},
		{name: "no answer within the timeout", handler: hold, opts: Options{Timeout: 100 * time.Millisecond}, wantCode: reqerr.UpstreamTimeout, wantMsg: "did not answer within 100ms (--upstream-timeout)"},
		{name: "a body that stops coming", handler: slowBody, opts: Options{Timeout: 100 * time.Millisecond}, wantCode: reqerr.UpstreamTimeout, wantMsg: "while its answer was read"},
		{name: "a connection closed without an answer", handler: hijack(""), wantCode: reqerr.UpstreamUnavailable, wantMsg: "closed the connection without a complete answer"},
		{name: "a connection closed in the middle of the body", handler: hijack("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"half\":"), wantCode: reqerr.UpstreamUnavailable, wantMsg: "closed the connection without a complete answer while its answer was read"},
		{name: "an answer that is not HTTP", handler: hijack("SSH-2.0-OpenSSH_9.6\r\n\r\n"), wantCode: reqerr.UpstreamUnavailable, wantMsg: "answered something that is not HTTP"},
		{name: "a body over the limit", handler: big, opts: Options{MaxBody: 1024}, wantCode: reqerr.UpstreamUnavailable, wantMsg: "answered a body of more than the 1024 bytes"},
		{name: "a body declared over the limit", handler: bigDeclared, opts: Options{MaxBody: 1024}, wantCode: reqerr.UpstreamUnavailable, wantMsg: "answered a body of 5000000 bytes, more than the 1024 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := tt.base
			if base == "" {
				base = newUpstream(t, tt.handler).URL
			}
			c := newClient(t, base, tt.opts)
			ans, err := forward(t, c, Request{Method: "GET", Path: "/v1/things", RawQuery: "api_key=s3cret"})
			if err == nil {
				t.Fatalf("Forward = %d %s, want %s", ans.Status, ans.Body, tt.wantCode)
			}
			if err.Code != tt.wantCode || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Forward error = %s %q, want %s containing %q", err.Code, err, tt.wantCode, tt.wantMsg)
			}
			if !strings.Contains(err.Error(), c.Host()) && !strings.Contains(err.Error(), "api.arklow.invalid") {
				t.Errorf("error %q does not name the upstream %s", err, c.Host())
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows the request's query", err)
			}
		})
	}
}

// One slow upstream answer holds only its own request.
func TestForwardConcurrent(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	ts := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
		io.WriteString(w, "ok")
	})
	c := newClient(t, ts.URL, Options{})
	slow := make(chan *reqerr.Error, 1)
	go func() {
		_, err := c.Forward(context.Background(), Request{Method: "GET", Path: "/slow"})
		slow <- err
	}()
	for range 3 {
		if ans, err := forward(t, c, Request{Method: "GET", Path: "/fast"}); err != nil || string(ans.Body) != "ok" {
			t.Fatalf("a fast request while a slow one waits: %v, %v", ans, err)
		}
	}
	close(release)
	if err := <-slow; err != nil {
		t.Errorf("the slow request: %v", err)
	}
}
