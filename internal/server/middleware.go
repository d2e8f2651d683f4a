package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/rs/cors"
)

// requestInfo is what the handlers learned about a request, for the log
// line (and later the journal). It travels in the recorder, not the
// context, so it costs no allocation per request.
type requestInfo struct {
	operation string
	scenario  string
	fixture   string
	problems  []apiError
}

// recorder captures the status written and the request's info.
type recorder struct {
	http.ResponseWriter
	status int
	info   requestInfo
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
	return rec.ResponseWriter.Write(b)
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

// logRequests writes one line per request: method, path, status, scenario,
// fixture, duration and, when rejected, the problems.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if !s.log.Enabled(r.Context(), slog.LevelInfo) {
			return
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Duration("duration", s.now().Sub(start)),
		}
		if rec.info.scenario != "" {
			attrs = append(attrs, slog.String("scenario", rec.info.scenario), slog.String("fixture", rec.info.fixture))
		}
		level := slog.LevelInfo
		if len(rec.info.problems) > 0 {
			msgs := make([]string, len(rec.info.problems))
			for i, p := range rec.info.problems {
				msgs[i] = p.Message
			}
			attrs = append(attrs, slog.String("problems", strings.Join(msgs, "; ")))
		}
		if rec.status >= 500 && rec.info.scenario == "" {
			level = slog.LevelError // a 5xx the scenario did not ask for
		}
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
	})
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

// limitBody caps request bodies; reading past the cap fails with
// *http.MaxBytesError, which the mock handler answers with 413.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				writeErrors(w, http.StatusRequestEntityTooLarge, tooLarge(n))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

func tooLarge(n int64) apiError {
	return apiError{Code: codePayloadTooLarge, Message: fmt.Sprintf("body: request bodies are limited to %d bytes (%d MiB)", n, n>>20)}
}
