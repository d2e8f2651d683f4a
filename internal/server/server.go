// Package server is the mock's HTTP edge: it routes each request to the
// documented operation, validates it, lets the scenario engine choose the
// answer, renders it, and writes it — or writes the API's own error
// envelope. It also serves the admin API under /__mock/ and applies the
// middleware every answer goes through (panic recovery, logging, CORS,
// body limits).
package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/arklow/arklow-mock/internal/journal"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/scenario"
)

// MaxBodyBytes is the largest request body the mock reads (DESIGN §7).
const MaxBodyBytes = 1 << 20

// MaxHeaderBytes is the largest request header block the mock accepts:
// above it, 431 with the error envelope (and CORS headers, so a browser
// app sees it). HardMaxHeaderBytes is for http.Server.MaxHeaderBytes:
// past it net/http refuses the request itself, in plain text.
const (
	MaxHeaderBytes     = 32 << 10
	HardMaxHeaderBytes = 1 << 20
)

// Options configure a Server. Zero values are usable defaults.
type Options struct {
	Logger *slog.Logger
	// Scenario is the active scenario for requests that name none.
	Scenario string
	// CORSOrigins narrows the allowed browser origins; empty allows any
	// origin (reflected).
	CORSOrigins []string
	// Sleep waits for d or until ctx is done (injected so tests can skip
	// real waits). Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Engine holds sequence state; default a fresh one.
	Engine *scenario.Engine
	// Version is reported by /__mock/health.
	Version string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// JournalSize is how many requests the journal keeps; default 1000.
	JournalSize int
	// NoAdmin turns the admin API and panel off (health stays).
	NoAdmin bool
	// AdminToken, when set, must be sent as a bearer token on admin writes.
	AdminToken string
}

// Server is the mock's http.Handler. The loaded files are one immutable
// mockset.Set swapped atomically by Reloaded (in-flight requests finish
// with the set they started with); the mutable state (active
// scenario, sequences) lives in small types with their own guards.
type Server struct {
	set     atomic.Pointer[mockset.Set]
	active  atomic.Pointer[string]
	reload  atomic.Pointer[reloadStatus]
	engine  *scenario.Engine
	journal *journal.Journal
	names   headerValues // interned X-Mock-* header values
	log     *slog.Logger
	sleep   func(context.Context, time.Duration) error
	version string
	now     func() time.Time
	handler http.Handler
	// draining is closed by Drain, when the server shuts down.
	draining  chan struct{}
	drainOnce sync.Once
}

// New returns a server answering from set.
func New(set *mockset.Set, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	if opts.Engine == nil {
		opts.Engine = scenario.NewEngine(scenario.Options{})
	}
	if opts.Scenario == "" {
		opts.Scenario = scenario.Default
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.JournalSize <= 0 {
		opts.JournalSize = 1000
	}
	s := &Server{engine: opts.Engine, log: opts.Logger, sleep: opts.Sleep, version: opts.Version, now: opts.Now,
		journal: journal.New(opts.JournalSize), draining: make(chan struct{})}
	s.set.Store(set)
	s.active.Store(&opts.Scenario)
	s.handler = s.routes(opts)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// reloadStatus is the outcome of the last reload attempt.
type reloadStatus struct {
	At       time.Time
	Problems []string // FILE:LINE: message; empty when the reload succeeded
}

// ReloadFailed records a reload that failed: the last good set keeps
// serving, and /__mock/health reports the problems until a reload works.
func (s *Server) ReloadFailed(problems []string) {
	s.reload.Store(&reloadStatus{At: s.now(), Problems: problems})
}

// Reloaded swaps in a new set after a successful reload; requests in
// flight finish with the set they started with.
func (s *Server) Reloaded(set *mockset.Set) {
	s.set.Store(set)
	s.reload.Store(&reloadStatus{At: s.now()})
}

// Drain releases the requests the mock holds on purpose, the timeout
// fault's: they are dropped as a server going away drops them, instead of
// holding a graceful shutdown for its whole grace period. Requests that
// are merely delayed still finish. Register it with
// http.Server.RegisterOnShutdown.
func (s *Server) Drain() { s.drainOnce.Do(func() { close(s.draining) }) }

// Active returns the active scenario.
func (s *Server) Active() string { return *s.active.Load() }

// routes is the table of contents: the admin API under /__mock/ (never
// matched against the spec), everything else answered by the mock. The
// middleware runs outermost first: recover, observe (log and journal),
// CORS, size limits.
func (s *Server) routes(opts Options) http.Handler {
	admin := http.NewServeMux()
	s.addAdminRoutes(admin, opts)
	mock := s.handleMock()
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/__mock" || strings.HasPrefix(r.URL.Path, "/__mock/") {
			admin.ServeHTTP(w, r)
			return
		}
		mock.ServeHTTP(w, r)
	})
	h = limits(MaxBodyBytes, MaxHeaderBytes)(h)
	h = corsMiddleware(opts.CORSOrigins)(h)
	h = s.observe(h)
	h = s.recoverPanics(h)
	return h
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
