package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/server"
)

// post sends the valid request under scenario over a new connection and
// returns the client's error; an answer is an error too.
func post(ctx context.Context, url, scenario string) error {
	c := validCall(map[string]string{"X-Mock-Scenario": scenario})
	req, err := http.NewRequestWithContext(ctx, "POST", url+backupPath, strings.NewReader(c.body))
	if err != nil {
		return err
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		return fmt.Errorf("got an answer: %s", resp.Status)
	}
	return err
}

// reachedFault returns a Sleep that reports each request reaching its
// rule: the fault comes right after the rule's (zero) delay. The Sleep
// decides before it reports, so a client that gives up once told cannot
// turn the fault into an ended wait.
func reachedFault() (func(context.Context, time.Duration) error, <-chan struct{}) {
	reached := make(chan struct{}, 10)
	return func(ctx context.Context, d time.Duration) error {
		err := ctx.Err()
		reached <- struct{}{}
		return err
	}, reached
}

// Faults hijack the connection, so these tests use a real one.
func TestFaults(t *testing.T) {
	sleep, reached := reachedFault()
	m := newMockOf(t, withScenario(t, "empty", "    - fault: empty_response\n"), server.Options{Sleep: sleep})
	ts := m.listen(t)
	t.Run("connection_reset is seen as a reset", func(t *testing.T) {
		err := post(context.Background(), ts.URL, "network-error")
		receive(t, reached, "the request to reach its rule")
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("error = %v, want connection reset by peer", err)
		}
	})
	t.Run("empty_response closes without an answer", func(t *testing.T) {
		err := post(context.Background(), ts.URL, "empty")
		receive(t, reached, "the request to reach its rule")
		if err == nil || errors.Is(err, syscall.ECONNRESET) || !strings.Contains(err.Error(), "EOF") {
			t.Errorf("error = %v, want an EOF with no answer", err)
		}
	})
	t.Run("timeout holds until the client gives up", func(t *testing.T) {
		ctx, giveUp := context.WithCancel(context.Background())
		defer giveUp()
		done := make(chan error, 1)
		go func() { done <- post(ctx, ts.URL, "timeout") }()
		receive(t, reached, "the request to reach the fault")
		select {
		case err := <-done:
			t.Fatalf("the timeout fault ended the request itself: %v", err)
		default:
		}
		giveUp()
		if err := receive(t, done, "the client to give up"); !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want the client's own cancellation", err)
		}
	})
	// The server is still fine afterwards.
	if a := send(t, ts.Client(), validCall(nil).to(t, ts.URL)); a.status != 200 {
		t.Errorf("after faults: %d", a.status)
	}
	// Each fault is logged with the scenario and the fault as its fixture,
	// once its handler returns (after the client saw the fault).
	for _, want := range []string{"scenario=network-error fixture=fault:connection_reset", "scenario=empty fixture=fault:empty_response", "scenario=timeout fixture=fault:timeout"} {
		waitFor(t, func() bool { return strings.Contains(m.logs.String(), want) },
			func() string { return fmt.Sprintf("the log has no line with %q:\n%s", want, m.logs) })
	}
}

// Drain drops a request held by the timeout fault, so a graceful shutdown
// does not wait out its grace period for a request that never ends.
func TestDrainDropsHeldRequests(t *testing.T) {
	sleep, reached := reachedFault()
	m := newMock(t, server.Options{Scenario: "timeout", Sleep: sleep})
	ts := httptest.NewUnstartedServer(m)
	ts.Config.RegisterOnShutdown(m.Drain)
	ts.Start()
	defer ts.Close()
	ctx, giveUp := context.WithCancel(context.Background())
	defer giveUp() // before Close, which waits for a held request
	answered := make(chan error, 1)
	go func() { answered <- post(ctx, ts.URL, "timeout") }()
	receive(t, reached, "the request to reach the fault")
	shutdown, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ts.Config.Shutdown(shutdown); err != nil {
		t.Fatalf("shutdown waited for the held request: %v", err)
	}
	if err := receive(t, answered, "the held request to end"); err == nil || strings.HasPrefix(err.Error(), "got an answer") || errors.Is(err, context.Canceled) {
		t.Errorf("the held request: %v, want its connection dropped unanswered by the server", err)
	}
}

// Drain does not cut short a request that is merely delayed: it finishes.
func TestDrainLetsDelayedRequestsFinish(t *testing.T) {
	entered, release := make(chan struct{}, 1), make(chan struct{})
	m := newMock(t, server.Options{Scenario: "slow", Sleep: func(ctx context.Context, d time.Duration) error {
		entered <- struct{}{}
		<-release
		return ctx.Err()
	}})
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.ServeHTTP(rec, validCall(nil).request())
	}()
	receive(t, entered, "the request to reach its delay")
	m.Drain()
	close(release)
	receive(t, done, "the delayed request to finish")
	if rec.Code != 200 || rec.Header().Get("X-Mock-Fixture") != "mfa/backup/valid_code" {
		t.Errorf("the delayed request after Drain: %d from %q, want slow's 200 from mfa/backup/valid_code", rec.Code, rec.Header().Get("X-Mock-Fixture"))
	}
}
