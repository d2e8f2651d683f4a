package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"syscall"
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

// invalidBody is rejected by validation (device_id not digits, code too
// short): the error-envelope path.
const invalidBody = `{"device_id":"abc","code":"1"}`

// benchRequest returns the frontend's valid request and a function that
// rewinds it for the next iteration.
func benchRequest() (*http.Request, func()) { return benchRequestWith(validBody) }

// benchRequestWith is benchRequest with the given JSON body.
func benchRequestWith(payload string) (*http.Request, func()) {
	body := &reusableBody{}
	data := []byte(payload)
	r := httptest.NewRequest(http.MethodPost, "http://localhost:3123/v1/self/mfa/verify/totp/backup", nil)
	r.Header.Set("x-arklow-auth", "ak_test_123")
	r.Header.Set("Content-Type", "application/json")
	r.ContentLength = int64(len(payload))
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
	cpu, chunks := startCPU(), startChunks()
	for b.Loop() {
		rewind()
		clear(w.h)
		s.ServeHTTP(w, r)
		chunks.tick()
	}
	cpu.report(b)
	chunks.report(b)
	if w.status != http.StatusOK {
		b.Fatalf("status = %d", w.status)
	}
}

// BenchmarkHandlerInvalid is BenchmarkHandler for a request validation
// rejects: the error envelope's path.
func BenchmarkHandlerInvalid(b *testing.B) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := New(mustLoadShipped(b), Options{Now: fixedNow, Logger: logger})
	r, rewind := benchRequestWith(invalidBody)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	cpu, chunks := startCPU(), startChunks()
	for b.Loop() {
		rewind()
		clear(w.h)
		s.ServeHTTP(w, r)
		chunks.tick()
	}
	cpu.report(b)
	chunks.report(b)
	if w.status != http.StatusBadRequest {
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

// cpuClock reads the process's CPU time (user + system, every thread, so
// the garbage collector's work counts too). On a shared machine wall time
// also counts the time other processes hold the cores; CPU time does not,
// so cpu-ns/op is the steadier figure to compare variants by.
type cpuClock time.Duration

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock { return cpuClock(processCPU()) }

// report adds the CPU time per iteration since start as "cpu-ns/op".
func (c cpuClock) report(b *testing.B) {
	b.ReportMetric(float64(processCPU()-time.Duration(c))/float64(b.N), "cpu-ns/op")
}

// chunkClock times the loop in chunks of chunkSize iterations. A chunk
// is a few milliseconds, shorter than a scheduler time slice, so on a
// loaded machine many chunks run without being preempted; the fastest
// tenth of them ("p10-ns/op") measures the code rather than the machine's
// other tenants. It leaves out the garbage collector's work in chunks it
// slowed down, which allocs/op and B/op show instead.
type chunkClock struct {
	start time.Time
	n     int
	per   []float64 // ns per iteration of each chunk
}

const chunkSize = 256

func startChunks() *chunkClock {
	return &chunkClock{start: time.Now(), per: make([]float64, 0, 1<<16)}
}

func (c *chunkClock) tick() {
	if c.n++; c.n < chunkSize {
		return
	}
	now := time.Now()
	if len(c.per) < cap(c.per) { // never allocate inside the loop
		c.per = append(c.per, float64(now.Sub(c.start))/chunkSize)
	}
	c.start, c.n = now, 0
}

// report adds the 10th percentile of the chunks' ns/op as "p10-ns/op".
func (c *chunkClock) report(b *testing.B) {
	if len(c.per) < 10 {
		return
	}
	slices.Sort(c.per)
	b.ReportMetric(c.per[len(c.per)/10], "p10-ns/op")
}

func fixedNow() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
