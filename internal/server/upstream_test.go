package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/server"
	"github.com/arklow/arklow-mock/internal/upstream"
)

// The real API of these tests: an httptest server on loopback that notes
// what reached it and answers as the test says.
type realAPI struct {
	*httptest.Server
	mu       sync.Mutex
	received []*http.Request // clones, with bodies read into receivedBodies
	bodies   []string
}

func newRealAPI(tb testing.TB, answer http.HandlerFunc) *realAPI {
	tb.Helper()
	api := &realAPI{}
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		api.mu.Lock()
		api.received = append(api.received, r.Clone(r.Context()))
		api.bodies = append(api.bodies, string(b))
		api.mu.Unlock()
		answer(w, r)
	}))
	tb.Cleanup(api.Close)
	return api
}

// requests returns what reached the API so far.
func (api *realAPI) requests() ([]*http.Request, []string) {
	api.mu.Lock()
	defer api.mu.Unlock()
	return append([]*http.Request(nil), api.received...), append([]string(nil), api.bodies...)
}

// client is an upstream client of base.
func client(tb testing.TB, base string, opts upstream.Options) *upstream.Client {
	tb.Helper()
	c, err := upstream.New(base, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.Close)
	return c
}

// validAnswer is what the seed's real API answers to a valid backup code.
const validAnswer = `{"data":{"valid":true,"device_id":"123","verification_type":"backup_code","session_mfa_not_after":"2026-11-25T12:15:00Z"},"errors":null}`

func answerJSON(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Add(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func passthroughCall(extra map[string]string) call {
	h := map[string]string{"X-Mock-Scenario": "passthrough"}
	for k, v := range extra {
		h[k] = v
	}
	return validCall(h)
}

func TestPassThrough(t *testing.T) {
	api := newRealAPI(t, answerJSON(200, validAnswer, "Cache-Control", "no-store", "Set-Cookie", "session=s3cret; HttpOnly",
		"Access-Control-Allow-Origin", "https://api.arklow.io", "Vary", "Accept-Encoding"))
	m := newMock(t, server.Options{Upstream: client(t, api.URL+"/base", upstream.Options{})})
	c := passthroughCall(map[string]string{
		"Origin":         frontend,
		"Authorization":  "Bearer real-token",
		"Cookie":         "theirs=1; " + server.ScenarioCookie + "=reused-code",
		"Prefer":         "return=minimal, scenario=passthrough, delay=0",
		"X-Mock-Session": "s1",
	})
	c.path = backupPath + "?trace=1"
	a := m.do(t, c)
	if a.status != 200 || string(a.body) != validAnswer {
		t.Fatalf("answer = %d %s, want the real API's 200 as it came", a.status, a.body)
	}
	for name, want := range map[string]string{
		"X-Mock-Fixture": "upstream", "X-Mock-Scenario": "passthrough", "X-Mock-Drift": "", "Cache-Control": "no-store",
		"Set-Cookie": "session=s3cret; HttpOnly", "Access-Control-Allow-Origin": frontend, "Content-Length": fmt.Sprint(len(validAnswer)),
	} {
		if got := a.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if vary := a.header.Values("Vary"); !strings.Contains(strings.Join(vary, ","), "Origin") || !strings.Contains(strings.Join(vary, ","), "Accept-Encoding") {
		t.Errorf("Vary = %q, want the mock's Origin beside the API's Accept-Encoding", vary)
	}
	if exposed := a.header.Get("Access-Control-Expose-Headers"); !strings.Contains(exposed, "X-Mock-Drift") || !strings.Contains(exposed, "Set-Cookie") {
		t.Errorf("Access-Control-Expose-Headers = %q, want X-Mock-Drift and the API's own headers", exposed)
	}

	reqs, bodies := api.requests()
	if len(reqs) != 1 {
		t.Fatalf("the real API received %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.URL.Path != "/base"+backupPath || r.URL.RawQuery != "trace=1" || bodies[0] != c.body {
		t.Errorf("the real API received %s %s?%s %s; want the request under its base path", r.Method, r.URL.Path, r.URL.RawQuery, bodies[0])
	}
	for name, want := range map[string]string{
		"X-Arklow-Auth": "ak_test_123", "Authorization": "Bearer real-token", "Content-Type": "application/json",
		"Cookie": "theirs=1", "Prefer": "return=minimal", "X-Mock-Scenario": "", "X-Mock-Session": "", "Origin": frontend,
	} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("the real API received %s: %q, want %q", name, got, want)
		}
	}

	list := m.journal(t, "")
	if len(list) != 1 {
		t.Fatalf("journal = %d entries, want 1", len(list))
	}
	e := list[0]
	if e.Fixture != "upstream" || e.Scenario != "passthrough" || e.Status != 200 || !sameJSON(t, e.Response.Body, validAnswer) {
		t.Errorf("journal entry = %+v, want the upstream's 200 under passthrough", e)
	}
	if e.Headers["Authorization"] != "[redacted]" || e.Headers["X-Arklow-Auth"] != "[redacted]" || e.Response.Headers["Set-Cookie"] != "[redacted]" {
		t.Errorf("journal headers %v, answer headers %v: want the credentials and Set-Cookie redacted", e.Headers, e.Response.Headers)
	}
	lines := m.requestLines()
	if len(lines) < 1 || !strings.Contains(lines[0], "fixture=upstream") || !strings.Contains(lines[0], "upstream="+strings.TrimPrefix(api.URL, "http://")) || strings.Contains(lines[0], "s3cret") || strings.Contains(lines[0], "real-token") {
		t.Errorf("log = %q, want one line naming the upstream, without credentials", lines)
	}
}

func TestPassThroughRefusesInvalidRequestsItself(t *testing.T) {
	api := newRealAPI(t, answerJSON(200, validAnswer))
	m := newMock(t, server.Options{Upstream: client(t, api.URL, upstream.Options{})})
	a := m.do(t, backupCall("abc", "12345678", map[string]string{"X-Mock-Scenario": "passthrough"}))
	if a.status != 400 || a.firstError(t)["code"] != "invalid_request" {
		t.Errorf("an invalid request = %d %s, want 400 invalid_request", a.status, a.body)
	}
	if reqs, _ := api.requests(); len(reqs) != 0 {
		t.Errorf("the real API received %d requests; an invalid one must not reach it", len(reqs))
	}
}

func TestPassThroughWithoutUpstream(t *testing.T) {
	m := newMock(t, server.Options{})
	a := m.do(t, passthroughCall(nil))
	if a.status != 502 {
		t.Fatalf("status = %d, want 502", a.status)
	}
	e := a.firstError(t)
	if e["code"] != "upstream_unavailable" || !strings.Contains(e["message"], "no upstream: start it with --upstream URL (or MOCK_UPSTREAM)") {
		t.Errorf("error = %v, want upstream_unavailable saying how to configure one", e)
	}
	if a.header.Get("X-Mock-Fixture") != "upstream" || a.header.Get("X-Mock-Scenario") != "passthrough" {
		t.Errorf("X-Mock-Fixture %q, X-Mock-Scenario %q: want upstream, passthrough", a.header.Get("X-Mock-Fixture"), a.header.Get("X-Mock-Scenario"))
	}
	// The other scenarios keep answering.
	if a := m.do(t, validCall(nil)); a.status != 200 || a.header.Get("X-Mock-Fixture") != "mfa/backup/valid_code" {
		t.Errorf("default = %d %s, want its fixture", a.status, a.header.Get("X-Mock-Fixture"))
	}
}

func TestPassThroughDrift(t *testing.T) {
	const drifted = `{"data":{"valid":"yes","device_id":"123","verification_type":"sms"},"errors":null}`
	api := newRealAPI(t, answerJSON(200, drifted))
	m := newMock(t, server.Options{Upstream: client(t, api.URL, upstream.Options{})})
	a := m.do(t, passthroughCall(nil))
	if a.status != 200 || string(a.body) != drifted {
		t.Fatalf("answer = %d %s, want the drifted answer as it came", a.status, a.body)
	}
	if a.header.Get("X-Mock-Drift") != "3" {
		t.Errorf("X-Mock-Drift = %q, want 3", a.header.Get("X-Mock-Drift"))
	}
	m.do(t, validCall(nil)) // the default scenario: no drift

	var list []struct {
		ID    uint64
		Drift []struct{ Code, Message string }
	}
	m.do(t, call{method: "GET", path: "/__mock/requests?drift=true"}).decode(t, &list)
	if len(list) != 1 || len(list[0].Drift) != 3 {
		t.Fatalf("?drift=true = %+v, want the one drifted entry with 3 problems", list)
	}
	want := map[string]bool{
		"schema: body.data.session_mfa_not_after: is required":                      true,
		`schema: body.data.valid: expected boolean, got string`:                     true,
		`schema: body.data.verification_type: must be one of "totp", "backup_code"`: true,
	}
	for _, d := range list[0].Drift {
		found := false
		for w := range want {
			if strings.HasPrefix(d.Code+": "+d.Message, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("drift %s: %s is not one of %v", d.Code, d.Message, want)
		}
	}
	if all := m.journal(t, "?drift=false"); len(all) != 1 || all[0].Fixture != "mfa/backup/valid_code" {
		t.Errorf("?drift=false = %+v, want the default answer only", all)
	}
	if a := m.do(t, call{method: "GET", path: "/__mock/requests?drift=maybe"}); a.status != 400 || !strings.HasPrefix(a.firstError(t)["message"], "query.drift: ") {
		t.Errorf("?drift=maybe = %d %s, want 400 naming query.drift", a.status, a.body)
	}

	var cov struct {
		Operations []struct {
			Operation string
			Served    struct {
				Drifted  int
				Fixtures map[string]int
			}
		}
	}
	m.do(t, call{method: "GET", path: "/__mock/coverage"}).decode(t, &cov)
	if s := cov.Operations[0].Served; s.Drifted != 1 || s.Fixtures["upstream"] != 1 {
		t.Errorf("coverage served = %+v, want 1 drifted upstream answer", s)
	}
	lines := m.requestLines()
	if len(lines) < 1 || !strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], "drift=3") || !strings.Contains(lines[0], "drift_problems=") {
		t.Errorf("log = %q, want a warning with drift=3 and the problems", lines)
	}
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// rawAnswer writes raw bytes on the connection and closes it.
func rawAnswer(raw string) http.HandlerFunc {
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

// Every way the real API can fail is a clear answer in the API's error
// format, naming the upstream, and the mock keeps serving.
func TestPassThroughFaults(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	hold := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
	big := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "4096")
		w.Write([]byte(`"` + strings.Repeat("x", 4094) + `"`))
	}
	tests := []struct {
		name       string
		base       string
		handler    http.HandlerFunc
		opts       upstream.Options
		wantStatus int
		wantCode   string
		wantMsg    string
	}{
		{"connection refused", "http://" + closedAddr(t), nil, upstream.Options{}, 502, "upstream_unavailable", "refused the connection"},
		{"no answer in time", "", hold, upstream.Options{Timeout: 100 * time.Millisecond}, 504, "upstream_timeout", "did not answer within 100ms"},
		{"a closed connection", "", rawAnswer(""), upstream.Options{}, 502, "upstream_unavailable", "closed the connection without a complete answer"},
		{"garbage", "", rawAnswer("220 smtp.example ESMTP\r\n\r\n"), upstream.Options{}, 502, "upstream_unavailable", "answered something that is not HTTP"},
		{"a body over the limit", "", big, upstream.Options{MaxBody: 1024}, 502, "upstream_unavailable", "answered a body of 4096 bytes, more than the 1024 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			if base == "" {
				base = newRealAPI(t, tt.handler).URL
			}
			up := client(t, base, tt.opts)
			m := newMock(t, server.Options{Upstream: up})
			ts := m.listen(t)
			hc := &http.Client{Timeout: 30 * time.Second} // far above any timeout under test
			a := send(t, hc, passthroughCall(nil).to(t, ts.URL))
			if a.status != tt.wantStatus {
				t.Fatalf("status = %d %s, want %d", a.status, a.body, tt.wantStatus)
			}
			e := a.firstError(t)
			if e["code"] != tt.wantCode || !strings.Contains(e["message"], tt.wantMsg) || !strings.Contains(e["message"], up.Host()) {
				t.Errorf("error = %v, want %s saying %q and naming %s", e, tt.wantCode, tt.wantMsg, up.Host())
			}
			if a.header.Get("Content-Type") != "application/json" || a.header.Get("X-Mock-Fixture") != "upstream" {
				t.Errorf("Content-Type %q, X-Mock-Fixture %q: want the mock's error format, from upstream", a.header.Get("Content-Type"), a.header.Get("X-Mock-Fixture"))
			}
			if a := send(t, hc, validCall(nil).to(t, ts.URL)); a.status != 200 {
				t.Errorf("the next request, under default: %d, want 200", a.status)
			}
			if list := m.journal(t, "?status="+fmt.Sprint(tt.wantStatus)); len(list) != 1 || list[0].ValidationErrors[0].Code != tt.wantCode {
				t.Errorf("journal = %+v, want the %d with its error", list, tt.wantStatus)
			}
		})
	}
}

// A request held by a slow upstream holds nothing else.
func TestPassThroughSlowUpstreamHoldsOnlyItsRequest(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	api := newRealAPI(t, func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		answerJSON(200, validAnswer)(w, r)
	})
	m := newMock(t, server.Options{Upstream: client(t, api.URL, upstream.Options{})})
	ts := m.listen(t)
	hc := &http.Client{Timeout: 30 * time.Second}
	slow := make(chan answer, 1)
	go func() { slow <- send(t, hc, passthroughCall(nil).to(t, ts.URL)) }()
	receive(t, arrived, "the forwarded request")
	for range 3 {
		if a := send(t, hc, validCall(nil).to(t, ts.URL)); a.status != 200 {
			t.Fatalf("while the upstream holds a request: %d, want 200", a.status)
		}
	}
	close(release)
	if a := receive(t, slow, "the slow answer"); a.status != 200 || string(a.body) != validAnswer {
		t.Errorf("the slow answer = %d %s", a.status, a.body)
	}
}

func TestPassThroughReturnsRedirects(t *testing.T) {
	api := newRealAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://login.arklow.io/mfa")
		w.WriteHeader(http.StatusSeeOther)
	})
	m := newMock(t, server.Options{Upstream: client(t, api.URL, upstream.Options{})})
	a := m.do(t, passthroughCall(nil))
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "https://login.arklow.io/mfa" {
		t.Errorf("answer = %d Location %q, want the 303 returned", a.status, a.header.Get("Location"))
	}
	if a.header.Get("X-Mock-Drift") != "1" {
		t.Errorf("X-Mock-Drift = %q, want 1 (the seed documents 200 only)", a.header.Get("X-Mock-Drift"))
	}
}

// folders writes a spec file (copied from src) with scenarios into a new
// folder, with no fixtures, and loads it.
func bigSpecWith(tb testing.TB, scenarios map[string]string) *mockset.Set {
	tb.Helper()
	dir := tb.TempDir()
	for _, sub := range []string{"spec", "fixtures", "scenarios"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	data, err := os.ReadFile("../../testdata/bigspec/openapi.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "spec", "openapi.yaml"), data, 0o644); err != nil {
		tb.Fatal(err)
	}
	for name, src := range scenarios {
		if err := os.WriteFile(filepath.Join(dir, "scenarios", name+".yaml"), []byte(src), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return loadDir(tb, dir)
}

const orgAnswer = `{"data":{"id":"org_7c1a9f3b","object":"org","name":"Acme Inc","slug":"acme","status":"active","plan":"team","created_at":"2025-06-01T12:00:00Z"},"errors":null}`

func TestUpstreamFallback(t *testing.T) {
	api := newRealAPI(t, answerJSON(200, orgAnswer, "X-Request-Id", "5f0c7e52-8d2b-4c2f-9d55-7d0e0c1c7b11"))
	set := bigSpecWith(t, map[string]string{"default": "operations:\n  getHealth:\n    - fault: empty_response\n"})
	get := call{method: "GET", path: "/v1/orgs/org_7c1a9f3b", headers: map[string]string{"x-arklow-auth": "k"}}
	tests := []struct {
		name        string
		fallback    bool
		wantFixture string
	}{
		{"without --upstream-fallback the spec answers", false, "spec:example"},
		{"with it the real API answers", true, "upstream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockOf(t, set, server.Options{Upstream: client(t, api.URL, upstream.Options{}), UpstreamFallback: tt.fallback})
			a := m.do(t, get)
			if a.status != 200 || a.header.Get("X-Mock-Fixture") != tt.wantFixture || a.header.Get("X-Mock-Scenario") != "default" {
				t.Errorf("GET org = %d, X-Mock-Fixture %q, X-Mock-Scenario %q; want 200 from %s under default", a.status, a.header.Get("X-Mock-Fixture"), a.header.Get("X-Mock-Scenario"), tt.wantFixture)
			}
			if tt.fallback && string(a.body) != orgAnswer {
				t.Errorf("body = %s, want the real API's", a.body)
			}
		})
	}
	// What a rule answers stays the rule's; Prefer's spec answers stay the spec's.
	m := newMockOf(t, set, server.Options{Upstream: client(t, api.URL, upstream.Options{}), UpstreamFallback: true})
	before, _ := api.requests()
	if a := m.do(t, call{method: "GET", path: "/v1/orgs/org_7c1a9f3b", headers: map[string]string{"x-arklow-auth": "k", "Prefer": "example=suspended"}}); a.header.Get("X-Mock-Fixture") != "spec:example:suspended" {
		t.Errorf("Prefer: example= = %q, want the spec's example", a.header.Get("X-Mock-Fixture"))
	}
	if after, _ := api.requests(); len(after) != len(before) {
		t.Errorf("the real API received %d more requests; Prefer's answers come from the spec", len(after)-len(before))
	}
}

// The mock is no open proxy: whatever the request names as its host (an
// absolute-form target, a Host header), it goes to the configured upstream
// and nowhere else.
func TestPassThroughIsNoOpenProxy(t *testing.T) {
	api := newRealAPI(t, answerJSON(200, orgAnswer))
	other := newRealAPI(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request reached the other server: %s %s (Host %s, x-arklow-auth %q)", r.Method, r.URL, r.Host, r.Header.Get("x-arklow-auth"))
	})
	set := bigSpecWith(t, map[string]string{"passthrough": "operations:\n  \"*\":\n    - upstream: true\n"})
	m := newMockOf(t, set, server.Options{Upstream: client(t, api.URL, upstream.Options{}), Scenario: "passthrough", AllowedHosts: []string{"*"}})
	ts := m.listen(t)
	otherHost := strings.TrimPrefix(other.URL, "http://")
	apiHost := strings.TrimPrefix(api.URL, "http://")
	for _, target := range []struct{ requestTarget, host string }{
		{other.URL + "/v1/orgs/org_7c1a9f3b", otherHost},          // absolute-form, naming the other server
		{"/v1/orgs/org_7c1a9f3b", otherHost},                      // origin-form, Host: the other server
		{"/v1/orgs/org_7c1a9f3b", "evil.example"},                 // a foreign name (allowed by --allowed-hosts *)
		{"http://evil.example/v1/orgs/org_7c1a9f3b", "127.0.0.1"}, // absolute-form, a foreign name
	} {
		status, body := rawRequest(t, ts.Listener.Addr().String(), fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nx-arklow-auth: k\r\nConnection: close\r\n\r\n", target.requestTarget, target.host))
		if status != 200 || body != orgAnswer {
			t.Errorf("GET %s (Host %s) = %d %s, want the configured upstream's answer", target.requestTarget, target.host, status, body)
		}
	}
	reqs, _ := api.requests()
	if len(reqs) != 4 {
		t.Fatalf("the configured upstream received %d requests, want 4", len(reqs))
	}
	for _, r := range reqs {
		if r.Host != apiHost || r.URL.Path != "/v1/orgs/org_7c1a9f3b" {
			t.Errorf("the upstream received Host %s, path %s; want its own host", r.Host, r.URL.Path)
		}
	}
}

// rawRequest sends raw on a new connection to addr and returns the
// answer's status and body.
func rawRequest(tb testing.TB, addr, raw string) (int, string) {
	tb.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		tb.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		tb.Fatalf("reading the answer to %q: %v", raw, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestRecordingForwardsEveryRequestAndSavesEachAnswer(t *testing.T) {
	api := newRealAPI(t, answerJSON(200, validAnswer))
	var mu sync.Mutex
	var saved []server.Exchange
	m := newMock(t, server.Options{Upstream: client(t, api.URL, upstream.Options{}), Recording: &server.Recording{
		Scenario: "recorded",
		Save: func(ex server.Exchange) {
			mu.Lock()
			defer mu.Unlock()
			saved = append(saved, ex)
		},
	}})
	c := validCall(map[string]string{"X-Mock-Scenario": "reused-code"}) // recording ignores the scenarios
	c.path = backupPath + "?trace=1"
	a := m.do(t, c)
	if a.status != 200 || string(a.body) != validAnswer || a.header.Get("X-Mock-Scenario") != "recorded" || a.header.Get("X-Mock-Fixture") != "upstream" {
		t.Fatalf("answer = %d %s (X-Mock-Scenario %q), want the real API's under recorded", a.status, a.body, a.header.Get("X-Mock-Scenario"))
	}
	if a := m.do(t, backupCall("abc", "1", nil)); a.status != 400 {
		t.Errorf("an invalid request while recording = %d, want 400", a.status)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(saved) != 1 {
		t.Fatalf("saved %d exchanges, want 1", len(saved))
	}
	ex := saved[0]
	if ex.Operation.Key != backupOp || ex.Method != "POST" || ex.Path != backupPath || ex.Answer.Status != 200 || len(ex.Drift) != 0 || !ex.Time.Equal(fixedNow) {
		t.Errorf("exchange = %+v", ex)
	}
	if ex.Request.Body.(map[string]any)["device_id"] != "123" || !ex.Secrets.Header("x-arklow-auth") {
		t.Errorf("exchange request = %+v, want the decoded body and the spec's secrets", ex.Request)
	}
	if ex.Query != "trace=1" {
		t.Errorf("exchange query = %q, want trace=1", ex.Query)
	}
}
