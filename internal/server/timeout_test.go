package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The timeout fault holds the connection at most --fault-timeout, then
// closes it unanswered: a dev proxy in front of the mock may keep the
// connection open long after the browser gave up.
func TestTimeoutFaultEndsAfterFaultTimeout(t *testing.T) {
	s := New(mustLoadShipped(t), Options{Scenario: "timeout", FaultTimeout: 20 * time.Millisecond})
	ts := httptest.NewServer(s)
	defer ts.Close()
	// The client waits far longer than the fault timeout: the mock, not
	// the client, must end the exchange.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/v1/self/mfa/verify/totp/backup", strings.NewReader(`{"device_id":"1","code":"12345678"}`))
	req.Header.Set("x-arklow-auth", "k")
	req.Header.Set("Content-Type", "application/json")
	resp, err := ts.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("answered %s, want the connection closed unanswered", resp.Status)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the client gave up first: %v", err)
	}
}

// A Prefer: delay= the mock cannot read is refused, naming the preference.
func TestPreferDelayRefused(t *testing.T) {
	s := New(mustLoadShipped(t), Options{})
	r := httptest.NewRequest("POST", "http://localhost/v1/self/mfa/verify/totp/backup", strings.NewReader(`{"device_id":"1","code":"12345678"}`))
	r.Header.Set("x-arklow-auth", "k")
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Prefer", "delay=soon")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"message":"header.Prefer: delay=\"soon\" is not milliseconds`) {
		t.Errorf("%d %s, want 400 naming header.Prefer", rec.Code, rec.Body)
	}
}
