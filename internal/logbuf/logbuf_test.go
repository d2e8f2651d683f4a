package logbuf

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// sink records each write it gets, safe to read while written.
type sink struct {
	mu     sync.Mutex
	writes []string
	err    error
}

func (s *sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	s.writes = append(s.writes, string(p))
	return len(p), nil
}

func (s *sink) snapshot() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.writes...)
}

func TestLinesWaitThenLeaveInOneWrite(t *testing.T) {
	out := &sink{}
	w := New(out, time.Hour, 0)
	defer w.Close()
	for i := range 3 {
		fmt.Fprintf(w, "line %d\n", i)
	}
	if got := out.snapshot(); len(got) != 0 {
		t.Fatalf("written before the delay: %q", got)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := out.snapshot(); len(got) != 1 || got[0] != "line 0\nline 1\nline 2\n" {
		t.Fatalf("writes = %q, want the three lines in one write", got)
	}
	if err := w.Flush(); err != nil || len(out.snapshot()) != 1 {
		t.Fatalf("an empty flush wrote: %v %q", err, out.snapshot())
	}
}

func TestTheTimerFlushesAfterTheDelay(t *testing.T) {
	out := &sink{}
	w := New(out, time.Millisecond, 0)
	defer w.Close()
	for round := range 2 { // the timer re-arms after it fired
		fmt.Fprintf(w, "round %d\n", round)
		deadline := time.Now().Add(5 * time.Second)
		for len(out.snapshot()) != round+1 {
			if time.Now().After(deadline) {
				t.Fatalf("round %d never flushed: %q", round, out.snapshot())
			}
			time.Sleep(time.Millisecond)
		}
	}
	if got := strings.Join(out.snapshot(), ""); got != "round 0\nround 1\n" {
		t.Fatalf("output = %q", got)
	}
}

func TestAFullBufferIsWrittenByTheWriter(t *testing.T) {
	out := &sink{}
	w := New(out, time.Hour, 10)
	defer w.Close()
	w.Write([]byte("12345\n"))
	if len(out.snapshot()) != 0 {
		t.Fatal("flushed below the limit")
	}
	w.Write([]byte("67890\n"))
	if got := out.snapshot(); len(got) != 1 || got[0] != "12345\n67890\n" {
		t.Fatalf("writes = %q, want one write at the limit", got)
	}
}

func TestCloseFlushes(t *testing.T) {
	out := &sink{}
	w := New(out, time.Hour, 0)
	w.Write([]byte("last words\n"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := out.snapshot(); len(got) != 1 || got[0] != "last words\n" {
		t.Fatalf("writes = %q", got)
	}
}

func TestAWriteErrorIsReportedAndSticks(t *testing.T) {
	broken := errors.New("stderr closed")
	out := &sink{err: broken}
	w := New(out, time.Hour, 0)
	defer w.Close()
	if _, err := w.Write([]byte("a\n")); err != nil {
		t.Fatalf("buffered write failed early: %v", err)
	}
	if err := w.Flush(); !errors.Is(err, broken) {
		t.Fatalf("Flush = %v, want %v", err, broken)
	}
	if n, err := w.Write([]byte("b\n")); !errors.Is(err, broken) || n != 0 {
		t.Fatalf("Write after a failed flush = %d, %v", n, err)
	}
}

func TestConcurrentWritersKeepLinesWhole(t *testing.T) {
	out := &sink{}
	w := New(out, 100*time.Microsecond, 512)
	const writers, lines = 8, 500
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range lines {
				fmt.Fprintf(w, "writer=%d line=%d\n", g, i)
			}
		})
	}
	wg.Wait()
	w.Close()
	next := make([]int, writers)
	all := strings.Join(out.snapshot(), "")
	for _, line := range strings.Split(strings.TrimSuffix(all, "\n"), "\n") {
		var g, i int
		if _, err := fmt.Sscanf(line, "writer=%d line=%d", &g, &i); err != nil {
			t.Fatalf("torn line %q: %v", line, err)
		}
		if i != next[g] {
			t.Fatalf("writer %d: line %d after %d (lost or reordered)", g, i, next[g]-1)
		}
		next[g]++
	}
	for g, n := range next {
		if n != lines {
			t.Errorf("writer %d: %d lines, want %d", g, n, lines)
		}
	}
}
