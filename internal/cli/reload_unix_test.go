//go:build unix

package cli

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/arklow/arklow-mock/internal/config"
	"github.com/arklow/arklow-mock/internal/server"
)

// A hot reload loads the new files while the old set answers: requests
// made while the new spec is being read get the old answers, never an
// error, and the new answers once it is in. (The new spec is a FIFO,
// so the reload waits, mid-load, until the test writes it.)
func TestReloadServesTheOldSetUntilTheNewIsReady(t *testing.T) {
	ctx := context.Background()
	dir := writeTree(t, nil)
	cfg := config.Default()
	cfg.Spec, cfg.Fixtures, cfg.Scenarios = filepath.Join(dir, "spec", "api.yaml"), filepath.Join(dir, "fixtures"), filepath.Join(dir, "scenarios")
	set, err := load(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(set, server.Options{})
	ping := func() string {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost/ping", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /ping: %d %s", rec.Code, rec.Body)
		}
		return strings.TrimSpace(rec.Body.String())
	}
	if got := ping(); got != `{"ok":true}` {
		t.Fatalf("before: %s", got)
	}
	if err := os.Remove(cfg.Spec); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(cfg.Spec, 0o644); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "scenarios", "default.yaml"), "name: default\noperations:\n  get_ping: spare\n")
	reloaded := make(chan struct{})
	go func() {
		reloader(ctx, cfg, srv, slog.New(slog.DiscardHandler))()
		close(reloaded)
	}()
	for range 20 { // the reload is waiting for the spec: the old set answers
		if got := ping(); got != `{"ok":true}` {
			t.Fatalf("during the reload: %s, want the old answer", got)
		}
	}
	select {
	case <-reloaded:
		t.Fatal("the reload finished before its spec was written")
	default:
	}
	writeFile(t, cfg.Spec, tiny["spec/api.yaml"]) // opens the FIFO: the reload reads it
	<-reloaded
	if got := ping(); got != `{"ok":false}` {
		t.Errorf("after the reload: %s, want the new answer", got)
	}
}
