package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/arklow/arklow-mock/tools/internal/repo"
)

// The mock runs as a subprocess, as a user runs it: `arklow-mock serve` on
// a free loopback port, with empty fixtures and scenarios folders so that
// every operation answers from the document.

// findRepo walks up from dir to the repository root.
func findRepo(dir string) (string, error) {
	root, err := repo.Find(dir)
	if errors.Is(err, repo.ErrNotFound) {
		return "", fmt.Errorf("no arklow-mock repository above %s (use -repo or -mock)", dir)
	}
	return root, err
}

// buildMock builds the mock from the repository into dir.
func buildMock(ctx context.Context, repo, dir string) (string, error) {
	bin := filepath.Join(dir, "arklow-mock")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = repo
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

var listeningLine = regexp.MustCompile(`^\s*listening\s+(http://\S+)`)

// mockProcess is one running mock.
type mockProcess struct {
	cmd    *exec.Cmd
	url    string
	output *lockedBuffer // stdout and stderr, for a refusal's message
	done   chan struct{}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 {
		return len(p), nil // enough for an error message
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// refusedError is a document the mock would not serve.
type refusedError struct{ msg string }

func (e *refusedError) Error() string { return e.msg }

// startMock starts bin on doc and waits for its banner's URL. A mock that
// exits first refused the document: the error holds its first lines.
func startMock(ctx context.Context, bin, doc, tmp string, timeout time.Duration) (*mockProcess, error) {
	fixtures := filepath.Join(tmp, "fixtures")
	scenarios := filepath.Join(tmp, "scenarios")
	for _, d := range []string{fixtures, scenarios} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--spec", doc,
		"--fixtures", fixtures, "--scenarios", scenarios, "--watch=false")
	// the mock's own environment variables would change what it serves
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "MOCK_") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	out := &lockedBuffer{}
	pr, pw := io.Pipe()
	cmd.Stdout = io.MultiWriter(out, pw)
	cmd.Stderr = out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	m := &mockProcess{cmd: cmd, output: out, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		pw.Close()
		close(m.done)
	}()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			if !sent {
				if mm := listeningLine.FindStringSubmatch(sc.Text()); mm != nil {
					found <- mm[1]
					sent = true
				}
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case u := <-found:
		m.url = strings.TrimRight(u, "/")
		return m, nil
	case <-m.done:
		return nil, &refusedError{firstLines(out.String(), 6)}
	case <-t.C:
		m.stop()
		return nil, fmt.Errorf("the mock printed no `listening` line within %s:\n%s", timeout, firstLines(out.String(), 6))
	case <-ctx.Done():
		m.stop()
		return nil, ctx.Err()
	}
}

// stop sends SIGTERM and waits (killing it after 15 s).
func (m *mockProcess) stop() error {
	if m == nil || m.cmd.Process == nil {
		return nil
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.done:
	case <-time.After(15 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.done
		return errors.New("the mock did not stop within 15 s of SIGTERM")
	}
	if st := m.cmd.ProcessState; st != nil && !st.Success() {
		return fmt.Errorf("the mock exited with %s after SIGTERM", st)
	}
	return nil
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}
