package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/arklow/arklow-mock/internal/journal"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/upstream"
)

// outcome is what happened to one request, as the pipeline reports it to
// the log line and the journal.
type outcome struct {
	set       *mockset.Set // the files the request was answered from
	mock      bool         // it reached the mock (not the admin API): journal it
	operation string       // the operation it was routed to
	scenario  string       // the scenario that answered, as X-Mock-Scenario says
	fixture   string       // what answered, as X-Mock-Fixture says
	err       *reqerr.Error
	body      []byte // the request body, as read (cut at maxJournalBody)
	upstream  string // the real API's host, when the request was forwarded there
	// drift lists where the real API's answer breaks the document.
	drift []upstream.Drift
}

// recorder is the ResponseWriter the pipeline writes through: it notes the
// status written and keeps the answer's body for the journal.
type recorder struct {
	http.ResponseWriter
	status   int
	keepBody bool
	body     []byte
}

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.keepBody && len(rec.body) < maxJournalBody {
		rec.body = append(rec.body, b[:min(len(b), maxJournalBody-len(rec.body))]...)
	}
	return rec.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (faults hijack it).
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// maxJournalBody bounds the body kept per journal entry.
const maxJournalBody = 64 << 10

// observe writes one log line per request (method, path, status, scenario,
// fixture, duration and, when refused, the problems) and records the
// requests the mock answered in the journal, credentials redacted.
func (s *Server) observe(r *http.Request, rec *recorder, out outcome, start time.Time) {
	end := s.now()
	elapsed := end.Sub(start)
	if out.mock {
		e := s.entry(r, rec, out, start, elapsed)
		s.journal.Add(&e)
	}
	level := slog.LevelInfo
	switch {
	case rec.status >= 500 && out.scenario == "":
		level = slog.LevelError // a 5xx no scenario asked for
	case len(out.drift) > 0, out.upstream != "" && out.err != nil:
		level = slog.LevelWarn // the real API broke the document, or failed
	}
	if !s.log.Enabled(r.Context(), level) {
		return
	}
	// The record is built here rather than by Logger.LogAttrs, which asks
	// runtime.Callers for a source line nobody reads (BenchmarkHandler: 7%).
	line := slog.NewRecord(end, level, "request", 0)
	line.AddAttrs(
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", rec.status),
		slog.Duration("duration", elapsed),
	)
	if out.scenario != "" {
		line.AddAttrs(slog.String("scenario", out.scenario), slog.String("fixture", out.fixture))
	}
	if out.upstream != "" {
		line.AddAttrs(slog.String("upstream", out.upstream))
	}
	if out.err != nil {
		line.AddAttrs(slog.String("problems", out.err.Error()))
	}
	if len(out.drift) > 0 {
		msgs := make([]string, len(out.drift))
		for i, d := range out.drift {
			msgs[i] = d.Code + ": " + d.Message
		}
		line.AddAttrs(slog.Int("drift", len(out.drift)), slog.String("drift_problems", strings.Join(msgs, "; ")))
	}
	s.log.Handler().Handle(r.Context(), line) // an unwritable log line has nowhere else to go
}

// entry builds the journal entry of a request. Credentials are redacted
// when the entry is shown, with the secrets of the document the request
// was answered from.
func (s *Server) entry(r *http.Request, rec *recorder, out outcome, start time.Time, elapsed time.Duration) journal.Entry {
	secrets := out.set.Spec.Secrets()
	e := journal.Entry{
		Time:      start,
		Method:    r.Method,
		Path:      r.URL.Path,
		Query:     journal.Query{Raw: r.URL.RawQuery, Secrets: secrets},
		Operation: out.operation,
		Scenario:  out.scenario,
		Fixture:   out.fixture,
		Session:   r.Header.Get(headerSession),
		Status:    rec.status,
		Duration:  float64(elapsed.Microseconds()) / 1000,
		Headers:   journal.Headers{Values: r.Header, Secrets: secrets},
		Body:      out.body,
		// net/http snapshots the header map when the status is written and
		// never touches it after the handler returns: keep a reference
		// (a Clone costs BenchmarkHandler 19%).
		Response: journal.Response{Headers: journal.Headers{Values: rec.Header(), Secrets: answerSecrets{secrets}}, Body: rec.body},
	}
	if out.err != nil {
		e.Errors = out.err.Items()
	}
	for _, d := range out.drift {
		e.Drift = append(e.Drift, journal.Drift{Code: d.Code, Message: d.Message})
	}
	return e
}

// recoverPanic turns a panic while serving into a 500 in the error format
// and a log line with the stack. http.ErrAbortHandler is re-panicked: it
// is net/http's way to abort a response on purpose.
func (s *Server) recoverPanic(w http.ResponseWriter, r *http.Request, out *outcome) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.log.Error("panic while handling a request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	out.err = reqerr.New(reqerr.Internal, "", "the mock failed while handling this request; see its log")
	writeError(w, nil, out.err)
}

// isAdminPath reports whether path belongs to the admin API and panel,
// which are never matched against the spec.
func isAdminPath(path string) bool {
	return path == "/__mock" || strings.HasPrefix(path, "/__mock/")
}
