package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/arklow/arklow-mock/internal/journal"

	"github.com/rs/cors"
)

// requestInfo is what the handlers learned about a request, for the log
// line (and later the journal). It travels in the recorder, not the
// context, so it costs no allocation per request.
type requestInfo struct {
	mock      bool // the request reached the mock handler (journal it)
	operation string
	scenario  string
	fixture   string
	problems  []apiError
	body      []byte // a copy of the request body, for the journal
}

// recorder captures the status written and the request's info.
type recorder struct {
	http.ResponseWriter
	status int
	info   requestInfo
	body   []byte // the answer's body, kept for the journal when info.mock
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
	if rec.info.mock && len(rec.body) < maxJournalBody {
		rec.body = append(rec.body, b[:min(len(b), maxJournalBody-len(rec.body))]...)
	}
	return rec.ResponseWriter.Write(b)
}

// recorders reuses recorders between requests: nothing keeps one once
// observe is done (the journal entry holds the header map and the body
// slices, never the recorder).
var recorders = sync.Pool{New: func() any { return new(recorder) }}

// recycle clears rec, dropping its references, and returns it to the pool.
func (rec *recorder) recycle() {
	*rec = recorder{}
	recorders.Put(rec)
}

// Unwrap lets http.ResponseController reach the connection (faults hijack it).
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// info returns the request's info record (a throwaway one when no
// recorder wraps w, as when a handler is used alone).
func info(w http.ResponseWriter) *requestInfo {
	for {
		switch x := w.(type) {
		case *recorder:
			return &x.info
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return &requestInfo{}
		}
	}
}

// observe writes one log line per request (method, path, status, scenario,
// fixture, duration and, when rejected, the problems) and records the
// requests the mock answered in the journal, credentials redacted.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		rec := recorders.Get().(*recorder)
		defer rec.recycle()
		rec.ResponseWriter = w
		next.ServeHTTP(rec, r)
		end := s.now()
		elapsed := end.Sub(start)
		if rec.info.mock {
			e := s.entry(r, rec, start, elapsed)
			s.journal.Add(&e)
		}
		level := slog.LevelInfo
		if rec.status >= 500 && rec.info.scenario == "" {
			level = slog.LevelError // a 5xx the scenario did not ask for
		}
		logger := s.log.Handler()
		if !logger.Enabled(r.Context(), level) {
			return
		}
		// The record is built by hand rather than with Logger.LogAttrs, which
		// walks the stack for a source position the handler never prints.
		line := slog.NewRecord(end, level, "request", 0)
		line.AddAttrs(
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Duration("duration", elapsed),
		)
		if rec.info.scenario != "" {
			line.AddAttrs(slog.String("scenario", rec.info.scenario), slog.String("fixture", rec.info.fixture))
		}
		if len(rec.info.problems) > 0 {
			msgs := make([]string, len(rec.info.problems))
			for i, p := range rec.info.problems {
				msgs[i] = p.Message
			}
			line.AddAttrs(slog.String("problems", strings.Join(msgs, "; ")))
		}
		_ = logger.Handle(r.Context(), line) // a lost log line must not fail the request
	})
}

// maxJournalBody bounds the body kept per journal entry.
const maxJournalBody = 64 << 10

// entry builds the journal entry of a request. Credentials are redacted
// when the entry is shown, not copied here: the hot path records
// references (net/http does not touch a request's headers after its
// handler returns).
func (s *Server) entry(r *http.Request, rec *recorder, start time.Time, elapsed time.Duration) journal.Entry {
	secrets := s.set.Load().Spec.Secrets()
	e := journal.Entry{
		Time:      start,
		Method:    r.Method,
		Path:      r.URL.Path,
		Query:     journal.Query{Raw: r.URL.RawQuery, Secrets: secrets},
		Operation: rec.info.operation,
		Scenario:  rec.info.scenario,
		Fixture:   rec.info.fixture,
		Session:   header(r.Header, headerSession),
		Status:    rec.status,
		Duration:  float64(elapsed.Microseconds()) / 1000,
		Headers:   journal.Headers{Values: r.Header, Secrets: secrets},
		Body:      rec.info.body,
		// net/http snapshots the header map when the status is written and
		// never touches it after the handler returns: keep a reference.
		Response: journal.Response{Headers: journal.Headers{Values: rec.Header()}, Body: rec.body},
	}
	for _, p := range rec.info.problems {
		e.Errors = append(e.Errors, journal.Problem{Code: p.Code, Message: p.Message})
	}
	return e
}

// recoverPanics turns a panic in a handler into a 500 envelope and a log
// line with the stack; the server keeps serving. http.ErrAbortHandler is
// re-panicked: it is net/http's way to abort a response on purpose.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic while handling a request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			writeErrors(w, http.StatusInternalServerError, apiError{Code: codeInternal, Message: "the mock failed while handling this request; see its log"})
		}()
		next.ServeHTTP(w, r)
	})
}

// exposedHeaders are readable by browser code on every answer.
var exposedHeaders = []string{"X-Mock-Scenario", "X-Mock-Fixture", "X-Mock-Session", "Retry-After", "Allow"}

// corsMiddleware answers preflights (204, no auth, no validation) and
// reflects the Origin and the requested headers, so a browser app sending
// x-arklow-auth and X-Mock-Scenario works without configuration. origins,
// when set, narrows the allowed origins.
func corsMiddleware(origins []string) func(http.Handler) http.Handler {
	opts := cors.Options{
		AllowedMethods:   []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"},
		AllowedHeaders:   []string{"*"},
		ExposedHeaders:   exposedHeaders,
		AllowCredentials: true,
		MaxAge:           600,
	}
	if len(origins) == 0 {
		opts.AllowOriginFunc = func(string) bool { return true }
	} else {
		opts.AllowedOrigins = origins
	}
	return cors.New(opts).Handler
}

// limits refuses header blocks over maxHeader bytes (431) and caps request
// bodies at n; reading past the cap fails with *http.MaxBytesError, which
// the mock handler answers with 413.
func limits(n int64, maxHeader int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if size := headerSize(r); size > maxHeader {
				writeErrors(w, http.StatusRequestHeaderFieldsTooLarge, apiError{Code: codeHeadersTooLarge, Message: fmt.Sprintf(
					"header: the request's headers take %d bytes; the limit is %d (%d KiB)", size, maxHeader, maxHeader>>10)})
				return
			}
			if r.ContentLength > n {
				writeErrors(w, http.StatusRequestEntityTooLarge, tooLarge(n))
				return
			}
			if r.ContentLength < 0 { // chunked: no declared length to trust
				r.Body = http.MaxBytesReader(w, r.Body, n)
			} // a declared length (≤ n, checked above) is where net/http stops reading
			next.ServeHTTP(w, r)
		})
	}
}

// headerSize is the size of r's header block as sent: the request line
// and each "Name: value\r\n".
func headerSize(r *http.Request) int {
	size := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4 + len("Host: \r\n") + len(r.Host)
	for k, vs := range r.Header {
		for _, v := range vs {
			size += len(k) + len(v) + 4
		}
	}
	return size
}

func tooLarge(n int64) apiError {
	return apiError{Code: codePayloadTooLarge, Message: fmt.Sprintf("body: request bodies are limited to %d bytes (%d MiB)", n, n>>20)}
}
