package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/server"
)

// bodyOf returns a backup request body of exactly n bytes: its code is
// padded with nines.
func bodyOf(tb testing.TB, n int) string {
	tb.Helper()
	const shell = `{"device_id":"1","code":""}`
	body := `{"device_id":"1","code":"` + strings.Repeat("9", n-len(shell)) + `"}`
	if len(body) != n {
		tb.Fatalf("body is %d bytes, want %d", len(body), n)
	}
	return body
}

// Request bodies are limited to 1 MiB, declared or chunked: above, 413
// with the envelope; at the limit, the body is read and validated.
func TestBodyLimit(t *testing.T) {
	m := newMock(t, server.Options{})
	cases := []struct {
		name    string
		size    int
		chunked bool
		status  int
		code    string
	}{
		{"a declared 1 MiB + 1 byte gets 413", 1<<20 + 1, false, 413, "payload_too_large"},
		{"a declared 2 MiB gets 413", 2 << 20, false, 413, "payload_too_large"},
		{"a chunked body past 1 MiB is cut off while reading: 413", 1<<20 + 1, true, 413, "payload_too_large"},
		{"a declared 1 MiB is read and validated", 1 << 20, false, 200, ""},
		{"a chunked 1 MiB is read and validated", 1 << 20, true, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := validCall(nil).request()
			body := bodyOf(t, tc.size)
			r.Body = io.NopCloser(strings.NewReader(body))
			r.ContentLength = int64(len(body))
			if tc.chunked {
				r.ContentLength = -1
				r.TransferEncoding = []string{"chunked"}
			}
			a := m.serve(t, r)
			if a.status != tc.status {
				t.Fatalf("status = %d, want %d; body %.300s", a.status, tc.status, a.body)
			}
			if tc.code == "" {
				return
			}
			errs := a.errorsOf(t)
			want := "body: request bodies are limited to 1048576 bytes (1 MiB)"
			if len(errs) != 1 || errs[0]["code"] != tc.code || errs[0]["message"] != want {
				t.Errorf("errors = %v, want one %s %q", errs, tc.code, want)
			}
		})
	}
}

// A header block over the handler's limit gets 431 in the envelope, with
// CORS headers so a browser app can read it.
func TestHeaderLimit(t *testing.T) {
	m := newMock(t, server.Options{})
	cases := []struct {
		name   string
		size   int
		status int
	}{
		{"a 64 KiB header gets 431", 64 << 10, http.StatusRequestHeaderFieldsTooLarge},
		{"a 16 KiB header is fine", 16 << 10, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := m.do(t, validCall(map[string]string{"Origin": frontend, "X-Big": strings.Repeat("a", tc.size)}))
			if a.status != tc.status {
				t.Fatalf("status = %d, want %d; body %s", a.status, tc.status, a.body)
			}
			if got := a.header.Get("Access-Control-Allow-Origin"); got != frontend {
				t.Errorf("Allow-Origin = %q, want %q: the browser app must see the answer", got, frontend)
			}
			if tc.status == http.StatusOK {
				return
			}
			errs := a.errorsOf(t)
			if len(errs) != 1 || errs[0]["code"] != "headers_too_large" || !strings.Contains(errs[0]["message"], "the limit is 32768 (32 KiB)") {
				t.Errorf("errors = %v, want one headers_too_large naming the 32 KiB limit", errs)
			}
		})
	}
}
