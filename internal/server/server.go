// Package server is the mock's HTTP edge. Every request goes through one
// pipeline: the edge checks (size limits, CORS), then either the admin API
// under /__mock/ or the mock itself — route → read → validate → choose →
// answer — each step a function that returns what it found or a
// *reqerr.Error. The outcome of a request is one value, which the log line
// and the journal receive; error answers are written by one function.
package server

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/journal"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/scenario"
	"github.com/arklow/arklow-mock/internal/upstream"
)

// DefaultFaultTimeout is how long the timeout fault holds a connection
// unless told otherwise (DESIGN §1, --fault-timeout).
const DefaultFaultTimeout = 60 * time.Second

// MaxBodyBytes is the largest request body the mock reads (DESIGN §7).
const MaxBodyBytes = 1 << 20

// MaxHeaderBytes is the largest request header block the mock accepts:
// above it, 431 in the API's error format (and with CORS headers, so a
// browser app sees it). HardMaxHeaderBytes is for
// http.Server.MaxHeaderBytes: past it net/http refuses the request
// itself, in plain text.
const (
	MaxHeaderBytes     = 32 << 10
	HardMaxHeaderBytes = 1 << 20
)

// Options configure a Server. Zero values are usable defaults.
type Options struct {
	Logger *slog.Logger
	// Scenario is the active scenario for requests that name none.
	Scenario string
	// CORSOrigins narrows the browser origins the mocked API allows; empty
	// allows any origin (reflected). The admin API allows local origins
	// and these.
	CORSOrigins []string
	// AllowedHosts are Host names served besides IP addresses, localhost
	// and *.localhost ("*" allows any; ".example.test" a domain and its
	// subdomains). Others get 403 forbidden_host.
	AllowedHosts []string
	// Sleep waits for d or until ctx is done (injected so tests can skip
	// real waits). Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Engine holds sequence state; default a fresh one.
	Engine *scenario.Engine
	// Version is reported by /__mock/health.
	Version string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Random draws the seed of Prefer: dynamic=true's generated values;
	// default math/rand/v2.Uint64. Must be safe for concurrent use.
	Random func() uint64
	// JournalSize is how many requests the journal keeps; default 1000.
	JournalSize int
	// NoAdmin turns the admin API and panel off (health stays).
	NoAdmin bool
	// AdminToken, when set, must be sent as a bearer token on admin writes.
	AdminToken string
	// FaultTimeout is the longest the timeout fault holds a connection
	// before closing it; default 60 s. A dev proxy in front of the mock may
	// keep the connection open long after its client gave up.
	FaultTimeout time.Duration
	// Upstream is the real API (--upstream) that `upstream: true` rules,
	// the passthrough scenario and recording forward to; nil when none is
	// configured, and then such a rule answers 502 upstream_unavailable.
	Upstream *upstream.Client
	// UpstreamFallback forwards the requests that no scenario rule answers
	// to Upstream, instead of answering them from the spec.
	UpstreamFallback bool
	// Recording, when set, makes the mock a recorder (arklow-mock record):
	// it forwards every request it accepts to Upstream, whatever the
	// scenarios say, and hands each answer to Recording.Save.
	Recording *Recording
}

// Server is the mock's http.Handler. The loaded files are one immutable
// mockset.Set swapped atomically by Reloaded and read once per request
// (a request finishes with the set it started with); the mutable state
// (active scenario, sequences, journal) lives in small types with their
// own guards.
type Server struct {
	set     atomic.Pointer[mockset.Set]
	active  atomic.Pointer[string]
	reload  atomic.Pointer[reloadStatus]
	engine  *scenario.Engine
	journal *journal.Journal
	log     *slog.Logger
	sleep   func(context.Context, time.Duration) error
	// faultTimeout bounds how long the timeout fault holds a connection.
	faultTimeout time.Duration
	upstream     *upstream.Client // nil: none configured
	fallback     bool             // forward what no rule answers
	recording    *Recording       // nil: not recording
	version      string
	now          func() time.Time
	random       func() uint64
	hosts        hostPolicy
	cors         corsPolicy // of the mocked API
	admin        *adminAPI
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
	if opts.Random == nil {
		opts.Random = rand.Uint64
	}
	if opts.JournalSize <= 0 {
		opts.JournalSize = 1000
	}
	if opts.FaultTimeout <= 0 {
		opts.FaultTimeout = DefaultFaultTimeout
	}
	s := &Server{
		engine:       opts.Engine,
		journal:      journal.New(opts.JournalSize),
		log:          opts.Logger,
		sleep:        opts.Sleep,
		faultTimeout: opts.FaultTimeout,
		upstream:     opts.Upstream,
		fallback:     opts.UpstreamFallback && opts.Upstream != nil,
		recording:    opts.Recording,
		version:      opts.Version,
		now:          opts.Now,
		random:       opts.Random,
		hosts:        newHostPolicy(opts.AllowedHosts),
		cors:         mockCORS(opts.CORSOrigins),
		draining:     make(chan struct{}),
	}
	s.admin = s.newAdminAPI(!opts.NoAdmin, opts.AdminToken, adminCORS(opts.CORSOrigins))
	s.set.Store(set)
	s.active.Store(&opts.Scenario)
	return s
}

// ServeHTTP answers one request and reports its outcome to the log and
// the journal.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	rec := &recorder{ResponseWriter: w, keepBody: !isAdminPath(r.URL.Path)}
	out := s.serve(rec, r)
	s.observe(r, rec, out, start)
}

// serve runs the edge checks — CORS, the Host, size limits — then the
// admin API or the mock. A panic becomes a 500 in the error format, logged
// with its stack; the server keeps serving.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) (out outcome) {
	out.set = s.set.Load()
	defer s.recoverPanic(w, r, &out)
	admin := isAdminPath(r.URL.Path)
	cors := s.cors
	if admin {
		cors = s.admin.cors
	}
	if cors.handle(w, r) {
		return out // a preflight, answered
	}
	err := s.checkHost(r)
	if err == nil {
		err = limit(w, r, MaxBodyBytes, MaxHeaderBytes)
	}
	if err == nil && admin {
		err = s.admin.serve(w, r, out.set)
	}
	if err != nil {
		out.err = err
		var op *apispec.Operation // the error format of the operation asked for, if any
		if !admin {
			op, _, _ = out.set.Spec.Route(r)
		}
		writeError(w, op, err)
		return out
	}
	if admin {
		return out
	}
	return s.mock(w, r, out.set)
}

// checkHost refuses a Host that is not local or listed: a page that DNS
// rebinding pointed at 127.0.0.1 names its own host.
func (s *Server) checkHost(r *http.Request) *reqerr.Error {
	if s.hosts.allows(r.Host) {
		return nil
	}
	name := hostname(r.Host)
	return reqerr.New(reqerr.ForbiddenHost, "header.Host", "%q is not a local name: the mock answers IP addresses, localhost and *.localhost, "+
		"so that other web pages cannot reach it by DNS rebinding; to serve this name, start it with --allowed-hosts %s (or MOCK_ALLOWED_HOSTS=%s)", r.Host, name, name)
}

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
