package cli

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/arklow/arklow-mock/internal/config"
)

// tinyStarter is the tiny set as a binary would embed it.
func tinyStarter() Program {
	fsys := fstest.MapFS{}
	for name, body := range tiny {
		fsys[name] = &fstest.MapFile{Data: []byte(body), Mode: 0o644}
	}
	return Program{Starter: fsys}
}

// runIn runs p with args in dir (the current folder for the command) and
// env, returning what it printed.
func runIn(t *testing.T, p Program, dir string, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	err = p.Run(context.Background(), append([]string{"arklow-mock"}, args...), func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

// tree lists the files under dir with their contents.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestInit(t *testing.T) {
	stampVersion(t, "v1.2.3")
	p := tinyStarter()
	wantNames := []string{"docker-compose.yml", "fixtures/pong.yaml", "fixtures/spare.yaml", "scenarios/default.yaml", "scenarios/zeta.yaml", "spec/api.yaml"}

	t.Run("writes the starter set and a compose file into a new folder", func(t *testing.T) {
		cwd := t.TempDir()
		stdout, stderr, err := runIn(t, p, cwd, nil, "init", "mock")
		if err != nil {
			t.Fatalf("init mock: %v", err)
		}
		got := tree(t, filepath.Join(cwd, "mock"))
		if names := slices.Sorted(func(yield func(string) bool) {
			for k := range got {
				if !yield(k) {
					return
				}
			}
		}); !slices.Equal(names, wantNames) {
			t.Errorf("init wrote %q, want %q", names, wantNames)
		}
		for name, body := range tiny {
			if got[name] != body {
				t.Errorf("%s = %q, want the embedded %q", name, got[name], body)
			}
		}
		compose := got["docker-compose.yml"]
		for _, want := range []string{
			"image: ghcr.io/arklow/arklow-mock:1.2.3\n",
			"- ./spec:/srv/arklow-mock/spec:ro", "- ./fixtures:/srv/arklow-mock/fixtures:ro", "- ./scenarios:/srv/arklow-mock/scenarios:ro",
			"MOCK_ALLOWED_HOSTS: ${MOCK_ALLOWED_HOSTS:-arklow-mock}",
			`test: ["CMD", "/usr/local/bin/arklow-mock", "healthcheck"]`,
		} {
			if !strings.Contains(compose, want) {
				t.Errorf("docker-compose.yml lacks %q:\n%s", want, compose)
			}
		}
		for _, want := range []string{"wrote 6 files in mock", "cd mock && arklow-mock ", "cd mock && docker compose up -d", "npx @arklow/mock"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("init printed no %q:\n%s", want, stdout)
			}
		}
		if stderr != "" {
			t.Errorf("init wrote to stderr: %q", stderr)
		}
		// What init writes is served as it is.
		if out, _, err := runIn(t, Program{}, filepath.Join(cwd, "mock"), nil, "validate"); err != nil {
			t.Errorf("validate in the folder init wrote: %v\n%s", err, out)
		}
	})

	t.Run("writes into the current folder by default", func(t *testing.T) {
		cwd := t.TempDir()
		stdout, _, err := runIn(t, p, cwd, nil, "init")
		if err != nil {
			t.Fatalf("init: %v", err)
		}
		if got := tree(t, cwd); len(got) != len(wantNames) {
			t.Errorf("init wrote %d files, want %d", len(got), len(wantNames))
		}
		if strings.Contains(stdout, "cd ") {
			t.Errorf("init in the current folder says to cd:\n%s", stdout)
		}
	})

	t.Run("existing empty folders are used", func(t *testing.T) {
		cwd := t.TempDir()
		for _, d := range []string{"spec", "fixtures", "scenarios"} {
			if err := os.Mkdir(filepath.Join(cwd, d), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := runIn(t, p, cwd, nil, "init", "."); err != nil {
			t.Fatalf("init over empty folders: %v", err)
		}
	})

	refusals := []struct {
		name     string
		existing map[string]string // files made before init; "/" at the end: a folder
		want     []string          // named in the error
	}{
		{"a file init would write", map[string]string{"scenarios/zeta.yaml": "mine", "docker-compose.yml": "mine"},
			[]string{"2 file(s) in", filepath.Join("scenarios", "zeta.yaml"), "docker-compose.yml", "nothing was written"}},
		{"a file where init writes a folder", map[string]string{"spec": "not a folder"},
			[]string{"1 file(s)", "spec (a file where init writes a folder)"}},
		{"a folder where init writes a file", map[string]string{"docker-compose.yml/": ""},
			[]string{"1 file(s)", "docker-compose.yml"}},
	}
	for _, tc := range refusals {
		t.Run("refuses "+tc.name+", writing nothing", func(t *testing.T) {
			cwd := t.TempDir()
			for name, body := range tc.existing {
				p := filepath.Join(cwd, filepath.FromSlash(name))
				if strings.HasSuffix(name, "/") {
					if err := os.MkdirAll(p, 0o755); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				writeFile(t, p, body)
			}
			before := tree(t, cwd)
			stdout, _, err := runIn(t, p, cwd, nil, "init")
			if err == nil {
				t.Fatal("init succeeded over existing files")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %q", err, want)
				}
			}
			if after := tree(t, cwd); len(after) != len(before) {
				t.Errorf("init wrote files although it refused: %d before, %d after", len(before), len(after))
			}
			if stdout != "" {
				t.Errorf("init printed %q, want nothing beside its error", stdout)
			}
		})
	}

	t.Run("refuses a DIR that is a file", func(t *testing.T) {
		cwd := t.TempDir()
		writeFile(t, filepath.Join(cwd, "mock"), "x")
		if _, _, err := runIn(t, p, cwd, nil, "init", "mock"); err == nil || !strings.Contains(err.Error(), "is not a folder") {
			t.Errorf("error = %v, want one saying mock is not a folder", err)
		}
	})

	t.Run("a build without embedded files cannot init", func(t *testing.T) {
		cwd := t.TempDir()
		if _, _, err := runIn(t, Program{}, cwd, nil, "init"); err == nil || !strings.Contains(err.Error(), "embeds no starter files") {
			t.Errorf("error = %v, want one saying the build embeds no starter files", err)
		}
	})
}

// A file made between init's check and its write is not overwritten, and
// what init wrote before it is removed again.
func TestWriteAllRollsBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	files := []starterFile{{"a/one.yaml", []byte("1")}, {"b/two.yaml", []byte("2")}}
	if err := os.MkdirAll(filepath.Join(dir, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "b", "two.yaml"), "theirs")
	if err := writeAll(dir, files); err == nil {
		t.Fatal("writeAll overwrote an existing file")
	}
	if got := tree(t, dir); len(got) != 1 || got["b/two.yaml"] != "theirs" {
		t.Errorf("after the failed write: %v, want only the existing b/two.yaml, unchanged", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); err == nil {
		t.Errorf("the folder a/ made by the failed write is still there")
	}
}

func TestImageOf(t *testing.T) {
	tests := []struct {
		version  string
		want     string
		released bool
	}{
		{"v1.2.3", "ghcr.io/arklow/arklow-mock:1.2.3", true},
		{"1.2.3", "ghcr.io/arklow/arklow-mock:1.2.3", true},
		{"v1.2.3-rc.1", "ghcr.io/arklow/arklow-mock:1.2.3-rc.1", true},
		{"dev", "ghcr.io/arklow/arklow-mock:latest", false},
		{"dev-0123456789ab", "ghcr.io/arklow/arklow-mock:latest", false},
		{"v0.0.0-20260101120000-0123456789ab", "ghcr.io/arklow/arklow-mock:latest", false},
		{"v1.2.4-0.20260101120000-0123456789ab", "ghcr.io/arklow/arklow-mock:latest", false},
		{"v1.2.3+dirty", "ghcr.io/arklow/arklow-mock:latest", false},
	}
	for _, tc := range tests {
		if got, released := imageOf(tc.version); got != tc.want || released != tc.released {
			t.Errorf("imageOf(%q) = %q, %v; want %q, %v", tc.version, got, released, tc.want, tc.released)
		}
	}
}

// serving is a serve run by a test: its output, and how to stop it.
type serving struct {
	url    string
	stdout *lockedBuffer
	stop   func() error // cancels and returns what Run returned
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

var listeningLine = regexp.MustCompile(`listening\s+(http://\S+)`)

// serveIn starts p's serve in dir on a free loopback port.
func serveIn(t *testing.T, p Program, dir string, env map[string]string, args ...string) *serving {
	t.Helper()
	t.Chdir(dir)
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{stdout: &lockedBuffer{}}
	done := make(chan error, 1)
	argv := append([]string{"arklow-mock", "serve", "--addr", "127.0.0.1:0"}, args...)
	go func() { done <- p.Run(ctx, argv, func(k string) string { return env[k] }, s.stdout, io.Discard) }()
	s.stop = sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(15 * time.Second):
			t.Error("serve did not return 15 s after its context was cancelled")
			return nil
		}
	})
	t.Cleanup(func() { s.stop() })
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if m := listeningLine.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
			return s
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned before listening: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatalf("serve is not listening after 10 s:\n%s", s.stdout)
	return nil
}

// get answers GET /ping: the status, the fixture and the body.
func (s *serving) get(t *testing.T) (status int, fixture, body string) {
	t.Helper()
	resp, err := http.Get(s.url + "/ping")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("X-Mock-Fixture"), string(data)
}

func TestEmbeddedFallback(t *testing.T) {
	p := tinyStarter()

	t.Run("an empty folder serves the embedded set at once, says so, and removes its copy", func(t *testing.T) {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp) // where the copy goes
		s := serveIn(t, p, t.TempDir(), nil)
		if status, fixture, body := s.get(t); status != 200 || fixture != "pong" || !strings.Contains(body, `"ok":true`) {
			t.Errorf("GET /ping = %d %s %s, want 200 from the embedded fixture pong", status, fixture, body)
		}
		banner := s.stdout.String()
		for _, want := range []string{
			"files      no spec/ here: the spec, fixtures and scenarios embedded in the binary (`arklow-mock init` writes them here, to edit)\n",
			"spec       (embedded) spec/api.yaml (1 operation(s))\n",
			"scenarios  2 in the binary (embedded); active: default\n",
		} {
			if !strings.Contains(banner, want) {
				t.Errorf("banner lacks %q:\n%s", want, banner)
			}
		}
		if entries, _ := os.ReadDir(tmp); len(entries) != 1 {
			t.Errorf("TMPDIR holds %d entries while serving, want the one copy", len(entries))
		}
		if err := s.stop(); err != nil {
			t.Fatalf("serve: %v", err)
		}
		if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
			t.Errorf("the embedded copy is still in TMPDIR after serve returned: %v", entries)
		}
	})

	t.Run("a folder with spec/ serves its own files", func(t *testing.T) {
		dir := writeTree(t, map[string]string{"fixtures/pong.yaml": "status: 200\nbody:\n  ok: false\n"})
		s := serveIn(t, p, dir, nil)
		if status, _, body := s.get(t); status != 200 || !strings.Contains(body, `"ok":false`) {
			t.Errorf("GET /ping = %d %s, want the folder's own pong", status, body)
		}
		if strings.Contains(s.stdout.String(), "embedded") {
			t.Errorf("the banner speaks of embedded files:\n%s", s.stdout)
		}
	})

	t.Run("this folder's fixtures/ are served with the embedded spec and scenarios", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "fixtures"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "fixtures", "pong.yaml"), "status: 200\nbody:\n  ok: false\n")
		s := serveIn(t, p, dir, nil)
		if status, fixture, body := s.get(t); status != 200 || fixture != "pong" || !strings.Contains(body, `"ok":false`) {
			t.Errorf("GET /ping = %d %s %s, want 200 from this folder's pong", status, fixture, body)
		}
		if want := "files      no spec/ here: the spec and scenarios embedded in the binary, with this folder's fixtures/\n"; !strings.Contains(s.stdout.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, s.stdout)
		}
	})

	t.Run("this folder's scenarios/ may name the embedded fixtures", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "scenarios"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "scenarios", "mine.yaml"), "name: mine\noperations:\n  get_ping: spare\n")
		s := serveIn(t, p, dir, nil, "--scenario", "mine")
		if status, fixture, body := s.get(t); status != 200 || fixture != "spare" || !strings.Contains(body, `"ok":false`) {
			t.Errorf("GET /ping = %d %s %s, want 200 from the embedded fixture spare", status, fixture, body)
		}
	})

	t.Run("fixtures/ that the embedded scenarios do not fit are explained", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "fixtures"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "fixtures", "other.yaml"), "status: 200\nbody:\n  ok: true\n")
		_, _, err := runIn(t, p, dir, nil, "serve", "--addr", "127.0.0.1:0")
		for _, want := range []string{`(embedded) scenarios/default.yaml:3: scenario default: unknown fixture "pong"`, "with a fixtures/ of your own, write a scenarios/ too"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error = %v, want it to contain %q", err, want)
			}
		}
	})

	t.Run("validate and scenarios read the embedded set too, and say so", func(t *testing.T) {
		stdout, stderr, err := runIn(t, p, t.TempDir(), nil, "validate")
		if err != nil {
			t.Fatalf("validate: %v", err)
		}
		if want := "(embedded) fixtures/spare.yaml:1: warning: fixture spare is not used by any scenario\nok: 1 operation(s), 2 fixture(s), 2 scenario(s), 1 warning(s)\n"; stdout != want {
			t.Errorf("validate printed %q, want %q", stdout, want)
		}
		if !strings.Contains(stderr, "no spec/ here") {
			t.Errorf("validate's stderr = %q, want the note on the embedded files", stderr)
		}
		stdout, _, err = runIn(t, p, t.TempDir(), nil, "scenarios")
		if err != nil || !strings.Contains(stdout, "* default\n") {
			t.Errorf("scenarios = %q, %v; want the embedded scenarios", stdout, err)
		}
	})

	t.Run("validate removes the copy before it prints (a reader may stop early: | head)", func(t *testing.T) {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		t.Chdir(t.TempDir())
		w := &checkOnWrite{check: func() {
			if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
				t.Errorf("validate printed while the embedded copy was still in TMPDIR: %v", entries)
			}
		}}
		if err := p.Run(context.Background(), []string{"arklow-mock", "validate"}, func(string) string { return "" }, w, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !w.called {
			t.Error("validate printed nothing")
		}
	})

	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"--spec", []string{"--spec", "spec"}, nil},
		{"MOCK_SPEC", nil, map[string]string{"MOCK_SPEC": "spec"}},
	} {
		t.Run("a spec named by "+tc.name+" is never replaced by the embedded one", func(t *testing.T) {
			_, _, err := runIn(t, p, t.TempDir(), tc.env, append([]string{"validate"}, tc.args...)...)
			if err == nil {
				t.Errorf("validate with a missing spec named by %s succeeded", tc.name)
			}
		})
	}

	t.Run("fixtures named by a flag are not replaced by the embedded ones", func(t *testing.T) {
		_, _, err := runIn(t, p, t.TempDir(), nil, "validate", "--fixtures", "fixtures")
		if err == nil || !strings.HasPrefix(err.Error(), "--fixtures: ") {
			t.Errorf("error = %v, want the --fixtures error", err)
		}
	})

	t.Run("a binary without embedded files reports the missing folders", func(t *testing.T) {
		if _, _, err := runIn(t, Program{}, t.TempDir(), nil, "validate"); err == nil {
			t.Error("validate in an empty folder without embedded files succeeded")
		}
	})
}

// checkOnWrite runs check at each write.
type checkOnWrite struct {
	check  func()
	called bool
}

func (c *checkOnWrite) Write(p []byte) (int, error) { c.called = true; c.check(); return len(p), nil }

// Hot reload watches the folder's own files, never the embedded copy.
func TestWatchedLeavesOutTheEmbeddedFolders(t *testing.T) {
	cfg := config.Default()
	cfg.Spec, cfg.Fixtures, cfg.Scenarios = "/tmp/copy/spec", "fixtures", "/tmp/copy/scenarios"
	emb := &embedded{dir: "/tmp/copy", parts: []string{"spec", "scenarios"}}
	if got := watched(cfg, emb); !slices.Equal(got, []string{"fixtures"}) {
		t.Errorf("watched = %q, want [fixtures]", got)
	}
	if got := watched(config.Default(), nil); !slices.Equal(got, []string{"spec", "fixtures", "scenarios"}) {
		t.Errorf("watched without embedded files = %q, want all three", got)
	}
}
