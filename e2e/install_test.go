//go:build linux

package e2e

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

const modulePath = "github.com/arklow/arklow-mock"

// TestGoInstall runs `go install github.com/arklow/arklow-mock@latest` as a
// Go developer would, against a module proxy serving this working tree as
// release v0.1.0: the module zip is made with the go command's own rules
// (golang.org/x/mod/zip), and the proxy is a file:// folder, backed by the
// module cache's downloads for the dependencies, so nothing is fetched
// from the network. The installed binary then serves an empty folder from
// its embedded files: what the zip holds is enough.
func TestGoInstall(t *testing.T) {
	root := repoDir(t)
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil {
		t.Fatal(err)
	}
	if mf.Module == nil || mf.Module.Mod.Path != modulePath {
		t.Fatalf("the root go.mod's module is %v, want %s (go install names it)", mf.Module, modulePath)
	}
	// go install m@version refuses a module whose go.mod would be read
	// differently as the main module.
	for _, r := range mf.Replace {
		t.Errorf("go.mod:%d: replace %s: go install %s@latest would refuse the module", r.Syntax.Start.Line, r.Old.Path, modulePath)
	}
	for _, x := range mf.Exclude {
		t.Errorf("go.mod:%d: exclude %s: go install %s@latest would refuse the module", x.Syntax.Start.Line, x.Mod.Path, modulePath)
	}

	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	hostCache, err := exec.Command(goTool, "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}

	// The proxy: list, info, mod and zip of one version.
	const version = "v0.1.0"
	proxy := t.TempDir()
	vdir := filepath.Join(proxy, filepath.FromSlash(modulePath), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(vdir, "list"), version+"\n")
	write(t, filepath.Join(vdir, version+".info"), `{"Version":"`+version+`","Time":"2026-01-01T00:00:00Z"}`+"\n")
	write(t, filepath.Join(vdir, version+".mod"), string(gomod))
	var zipped bytes.Buffer
	if err := modzip.Create(&zipped, module.Version{Path: modulePath, Version: version}, moduleFiles(t, root)); err != nil {
		t.Fatalf("module zip: %v", err)
	}
	write(t, filepath.Join(vdir, version+".zip"), zipped.String())

	gobin, work := t.TempDir(), t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "install", modulePath+"@latest")
	cmd.Dir = work // outside any module, as a user runs it
	cmd.Env = append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(strings.TrimSpace(string(hostCache)), "cache", "download")),
		"GOSUMDB=off", // v0.1.0 is this tree, known to no checksum database; go.sum checks the rest
		"GONOSUMDB=", "GONOPROXY=", "GOPRIVATE=", "GOINSECURE=",
		"GOMODCACHE="+t.TempDir(),
		// -modcacherw: the test can remove the module cache it made.
		// -trimpath and CGO_ENABLED=0 only let the build reuse the
		// release build's cache entries; they change nothing go install
		// resolves.
		"GOFLAGS=-modcacherw -trimpath", "CGO_ENABLED=0",
		"GOBIN="+gobin, "GOTOOLCHAIN=local", "GOWORK=off",
	)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install %s@latest: %v\n%s", modulePath, err, out)
	}
	t.Logf("go install %s@latest: %v", modulePath, time.Since(start).Round(time.Millisecond))

	bin := filepath.Join(gobin, "arklow-mock")
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "arklow-mock "+version+" ") {
		t.Errorf("arklow-mock version = %q (%v), want the module version %s", out, err, version)
	}

	empty := t.TempDir()
	serve := exec.Command(bin, "--addr", "127.0.0.1:0")
	serve.Dir, serve.Env = empty, []string{}
	server, base := startCommand(t, serve)
	seedRequest(t, base)
	if !strings.Contains(server.stdout.String(), "no spec/ here: the spec, fixtures and scenarios embedded in the binary") {
		t.Errorf("the banner does not say the set is embedded:\n%s", server.stdout)
	}
	server.stop(t, 15*time.Second)
}

// moduleFiles lists the files a proxy would serve for the module: those git
// tracks or would track (not ignored), as they are in the working tree.
// modzip.Create leaves out the nested modules (e2e/, tools/).
func moduleFiles(t *testing.T, root string) []modzip.File {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	var files []modzip.File
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		p := filepath.Join(root, filepath.FromSlash(name))
		if _, err := os.Lstat(p); err != nil {
			continue // tracked, but deleted in the working tree
		}
		files = append(files, treeFile{name: name, path: p})
	}
	return files
}

// treeFile is a file of the working tree, as modzip.Create reads files.
type treeFile struct{ name, path string }

func (f treeFile) Path() string                 { return f.name }
func (f treeFile) Lstat() (fs.FileInfo, error)  { return os.Lstat(f.path) }
func (f treeFile) Open() (io.ReadCloser, error) { return os.Open(f.path) }
