package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	mockOnce sync.Once
	mockBin  string
	mockErr  error
)

// builtMock builds the mock once for the tests that run it.
func builtMock(t *testing.T) string {
	t.Helper()
	mockOnce.Do(func() {
		wd, err := os.Getwd()
		if err != nil {
			mockErr = err
			return
		}
		repo, err := findRepo(wd)
		if err != nil {
			mockErr = err
			return
		}
		dir, err := os.MkdirTemp("", "conformance-test-")
		if err != nil {
			mockErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		mockBin, mockErr = buildMock(ctx, repo, dir)
	})
	if mockErr != nil {
		t.Fatal(mockErr)
	}
	return mockBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if mockBin != "" {
		os.RemoveAll(filepath.Dir(mockBin))
	}
	os.Exit(code)
}

// The shipped seed must pass -strict: a conforming 2xx, every variant
// rejected.
func TestSeedPassesStrict(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the mock")
	}
	bin := builtMock(t)
	out := filepath.Join(t.TempDir(), "conformance.md")
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := run(ctx, []string{"-strict", "-mock", bin, "-out", out, "../../spec/arklow.yaml"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	md := stdout.String()
	for _, want := range []string{
		"- spec/arklow.yaml: 1 operation; valid answers OK 1/1; rejections OK 3/3;",
		"| POST | `/v1/self/mfa/verify/totp/backup` | 200 ✓ | spec:",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
	written, err := os.ReadFile(out)
	if err != nil || string(written) != md {
		t.Errorf("-out: %v; the file differs from the printed report", err)
	}
}

// A document the mock refuses is a row of its own, and fails -strict.
func TestRefusedDocumentFailsStrict(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the mock")
	}
	bin := builtMock(t)
	doc := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(doc, []byte("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Missing'}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := run(ctx, []string{"-strict", "-mock", bin, doc}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(stdout.String(), "refused at load: ") || !strings.Contains(stdout.String(), "**Refused at load:**") {
		t.Errorf("no refusal in the report:\n%s", stdout.String())
	}
	// without -strict the report is all that changes
	stdout.Reset()
	if code := run(ctx, []string{"-mock", bin, doc}, &stdout, &stderr); code != 0 {
		t.Errorf("without -strict: exit %d, want 0", code)
	}
}
