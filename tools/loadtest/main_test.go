package main

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// cpu reads a process's CPU time from /proc: this test process's own
// grows while it burns CPU (bounded by the wall clock, not asserted
// against it, so a busy machine cannot fail the test).
func TestCPUTimeOfAProcess(t *testing.T) {
	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: &exec.Cmd{Process: p}}
	before := s.cpu()
	for deadline := time.Now().Add(10 * time.Second); s.cpu()-before < 50*time.Millisecond; {
		if time.Now().After(deadline) {
			t.Fatalf("10 s of busy loop read as %v of CPU", s.cpu()-before)
		}
	}
}
