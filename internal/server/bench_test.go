package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// discardWriter is a ResponseWriter that keeps nothing but the status, so
// a benchmark measures the handler, not the recorder.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(s int)           { d.status = s }
func (d *discardWriter) Write(b []byte) (int, error) { d.n += len(b); return len(b), nil }

// reusableBody is a request body that can be rewound without allocating.
type reusableBody struct{ bytes.Reader }

func (*reusableBody) Close() error { return nil }

const validBody = `{"device_id":"123","code":"12345678"}`

// benchRequest returns the frontend's valid request and a function that
// rewinds it for the next iteration.
func benchRequest() (*http.Request, func()) {
	body := &reusableBody{}
	data := []byte(validBody)
	r := httptest.NewRequest(http.MethodPost, "http://localhost:3123/v1/self/mfa/verify/totp/backup", nil)
	r.Header.Set("x-arklow-auth", "ak_test_123")
	r.Header.Set("Content-Type", "application/json")
	r.ContentLength = int64(len(validBody))
	rewind := func() {
		body.Reset(data)
		r.Body = body
	}
	rewind()
	return r, rewind
}

// BenchmarkHandler is the whole mock for the valid request: middleware,
// route, validate, choose, render, journal, the log line (formatted by the
// text handler, written nowhere), write.
func BenchmarkHandler(b *testing.B) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := New(mustLoadShipped(b), Options{Now: fixedNow, Logger: logger})
	r, rewind := benchRequest()
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		rewind()
		clear(w.h)
		s.ServeHTTP(w, r)
	}
	if w.status != http.StatusOK {
		b.Fatalf("status = %d", w.status)
	}
}

// BenchmarkBaseline writes the same bytes with no work: the floor the
// mock is measured against.
func BenchmarkBaseline(b *testing.B) {
	s := New(mustLoadShipped(b), Options{Now: fixedNow})
	r, rewind := benchRequest()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	answer := rec.Body.Bytes()
	contentLength := strconv.Itoa(len(answer))
	baseline := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", contentLength)
		w.WriteHeader(http.StatusOK)
		w.Write(answer)
	})
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		rewind()
		clear(w.h)
		baseline.ServeHTTP(w, r)
	}
}

func fixedNow() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
