//go:build linux

// The ways to install arklow-mock without a clone: the release build
// (tools/release: six cross-compiled binaries, their sums, the npm
// packages), the npm packages installed from their tarballs and run through
// the launcher, and the folder `init` writes. npm and node are needed for
// the npm tests, which skip without them, except under CI, where they fail;
// they install from the packed files only, never from a registry.

package e2e

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	composecli "github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/arklow/arklow-mock/internal/cli"
)

// The release the tests build: the version the binaries report, and the
// one npm and the image tag use.
const (
	releaseTag     = "v0.0.0-e2e"
	releaseVersion = "0.0.0-e2e"
	imageRepo      = "ghcr.io/arklow/arklow-mock"
)

// releaseTargets are the six platforms of a release, by Go's names and by
// Node's (process.platform-process.arch).
var releaseTargets = []struct{ goos, goarch, node string }{
	{"linux", "amd64", "linux-x64"}, {"linux", "arm64", "linux-arm64"},
	{"darwin", "amd64", "darwin-x64"}, {"darwin", "arm64", "darwin-arm64"},
	{"windows", "amd64", "win32-x64"}, {"windows", "arm64", "win32-arm64"},
}

func assetName(goos, goarch string) string {
	name := "arklow-mock_" + releaseVersion + "_" + goos + "_" + goarch
	if goos == "windows" {
		name += ".exe"
	}
	return name
}

// atExit holds what the package's tests leave for TestMain to remove.
var atExit struct {
	mu   sync.Mutex
	dirs []string
}

func removeAtExit(dir string) {
	atExit.mu.Lock()
	defer atExit.mu.Unlock()
	atExit.dirs = append(atExit.dirs, dir)
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range atExit.dirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

var releaseOnce struct {
	once sync.Once
	dir  string
	took time.Duration
	err  error
}

// releaseDir builds the release once per test run, for every target, with
// the release tool as a maintainer runs it (cd tools && go run ./release),
// and returns its folder.
func releaseDir(t *testing.T) string {
	t.Helper()
	releaseOnce.once.Do(func() {
		dir, err := os.MkdirTemp("", "arklow-mock-release-")
		if err != nil {
			releaseOnce.err = err
			return
		}
		removeAtExit(dir)
		releaseOnce.dir = filepath.Join(dir, "dist")
		goTool, err := exec.LookPath("go")
		if err != nil {
			releaseOnce.err = err
			return
		}
		// Cross-compiling six targets from a cold build cache takes minutes
		// on two cores (.ci/run warms it first); a warm one, seconds.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, goTool, "run", "./release", "-version", releaseTag, "-out", releaseOnce.dir)
		cmd.Dir = inRepo("tools")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		releaseOnce.took = time.Since(start)
		if err != nil {
			releaseOnce.err = fmt.Errorf("go run ./release: %v\n%s", err, out)
		}
	})
	if releaseOnce.err != nil {
		t.Fatal(releaseOnce.err)
	}
	return releaseOnce.dir
}

// TestReleaseBuild checks what tools/release writes: a static binary per
// target, for that target, stamped with the version; SHA256SUMS over them;
// an npm package per target and the front package.
func TestReleaseBuild(t *testing.T) {
	dist := releaseDir(t)
	t.Logf("release build of six targets: %v", releaseOnce.took.Round(time.Millisecond))

	sums := map[string]string{}
	data, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q is not `SUM  NAME`", line)
		}
		sums[name] = sum
	}
	if len(sums) != len(releaseTargets) {
		t.Errorf("SHA256SUMS lists %d files, want %d", len(sums), len(releaseTargets))
	}

	for _, tg := range releaseTargets {
		t.Run(tg.goos+"/"+tg.goarch, func(t *testing.T) {
			name := assetName(tg.goos, tg.goarch)
			bin, err := os.ReadFile(filepath.Join(dist, name))
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.Sum256(bin)
			if got := hex.EncodeToString(h[:]); sums[name] != got {
				t.Errorf("SHA256SUMS says %s for %s, its sum is %s", sums[name], name, got)
			}
			if err := checkExecutable(bin, tg.goos, tg.goarch); err != nil {
				t.Error(err)
			}
			info, err := buildinfo.Read(bytes.NewReader(bin))
			if err != nil {
				t.Fatal(err)
			}
			settings := map[string]string{}
			for _, s := range info.Settings {
				settings[s.Key] = s.Value
			}
			if settings["GOOS"] != tg.goos || settings["GOARCH"] != tg.goarch || settings["CGO_ENABLED"] != "0" || settings["-trimpath"] != "true" {
				t.Errorf("built with GOOS=%s GOARCH=%s CGO_ENABLED=%s -trimpath=%s, want %s %s 0 true",
					settings["GOOS"], settings["GOARCH"], settings["CGO_ENABLED"], settings["-trimpath"], tg.goos, tg.goarch)
			}
			// -trimpath keeps -ldflags out of the build info: its effects are
			// checked instead (the stamp, no DWARF, no symbol table).
			if !bytes.Contains(bin, []byte(releaseTag)) {
				t.Errorf("the binary does not hold the version %s: -X did not stamp it", releaseTag)
			}
			pkg := filepath.Join(dist, "npm", "mock-"+tg.node)
			exe := "arklow-mock"
			if tg.goos == "windows" {
				exe += ".exe"
			}
			if inPkg, err := os.ReadFile(filepath.Join(pkg, "bin", exe)); err != nil || !bytes.Equal(inPkg, bin) {
				t.Errorf("npm package mock-%s does not hold the binary as bin/%s (%v)", tg.node, exe, err)
			}
			if tg.goos == runtime.GOOS && tg.goarch == runtime.GOARCH {
				out, err := exec.Command(filepath.Join(dist, name), "version").CombinedOutput()
				if err != nil || !strings.HasPrefix(string(out), "arklow-mock "+releaseTag+" ") {
					t.Errorf("%s version = %q (%v), want arklow-mock %s", name, out, err, releaseTag)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dist, "npm", "mock", "bin", "arklow-mock.js")); err != nil {
		t.Errorf("no front package with its launcher: %v", err)
	}
}

// checkExecutable reads bin's headers: the executable format and machine of
// goos/goarch, without DWARF (-w), and for ELF, static (no dynamic loader)
// and without a symbol table (-s).
func checkExecutable(bin []byte, goos, goarch string) error {
	r := bytes.NewReader(bin)
	switch goos {
	case "linux":
		f, err := elf.NewFile(r)
		if err != nil {
			return fmt.Errorf("not an ELF file: %v", err)
		}
		want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[goarch]
		if f.Machine != want {
			return fmt.Errorf("ELF for %v, want %v", f.Machine, want)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				return errors.New("the binary has a dynamic loader: not static")
			}
		}
		if f.Section(".symtab") != nil {
			return errors.New("the binary has a symbol table: -s was not applied")
		}
		if _, err := f.DWARF(); err == nil {
			return errors.New("the binary has DWARF: -w was not applied")
		}
	case "darwin":
		f, err := macho.NewFile(r)
		if err != nil {
			return fmt.Errorf("not a Mach-O file: %v", err)
		}
		want := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[goarch]
		if f.Cpu != want || f.Type != macho.TypeExec {
			return fmt.Errorf("Mach-O %v %v, want an executable for %v", f.Type, f.Cpu, want)
		}
		if _, err := f.DWARF(); err == nil {
			return errors.New("the binary has DWARF: -w was not applied")
		}
	case "windows":
		f, err := pe.NewFile(r)
		if err != nil {
			return fmt.Errorf("not a PE file: %v", err)
		}
		want := map[string]uint16{"amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}[goarch]
		if f.Machine != want {
			return fmt.Errorf("PE machine %#x, want %#x", f.Machine, want)
		}
		if _, err := f.DWARF(); err == nil {
			return errors.New("the binary has DWARF: -w was not applied")
		}
	}
	return nil
}

// ---- npm -------------------------------------------------------------------

// needNpm returns npm, npx and node, skipping the test where they are
// missing (failing it under CI).
func needNpm(t *testing.T) (npm, npx, node string) {
	t.Helper()
	npm, errNpm := exec.LookPath("npm")
	npx, errNpx := exec.LookPath("npx")
	node, errNode := exec.LookPath("node")
	if errNpm != nil || errNpx != nil || errNode != nil {
		msg := "npm and node are needed for the npm packages' tests (apt-get install nodejs npm)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " — CI must run them")
		}
		t.Skip(msg)
	}
	return npm, npx, node
}

// hostNodePlatform is this machine as Node names it, when a release has a
// package for it.
func hostNodePlatform(t *testing.T) string {
	for _, tg := range releaseTargets {
		if tg.goos == runtime.GOOS && tg.goarch == runtime.GOARCH {
			return tg.node
		}
	}
	t.Skipf("no npm package for %s/%s", runtime.GOOS, runtime.GOARCH)
	return ""
}

// npmEnv is the environment of the npm commands: a cache of their own, and
// offline, so that nothing is fetched from a registry (the optional
// dependencies for other platforms are skipped, as optional ones are).
func npmEnv(cache string) []string {
	return append(os.Environ(),
		"npm_config_cache="+cache,
		"npm_config_offline=true",
		"npm_config_update_notifier=false",
		"npm_config_audit=false",
		"npm_config_fund=false",
		"npm_config_loglevel=warn",
	)
}

// runIn runs a command in dir with env and a bound, returning its output.
func runIn(t *testing.T, dir string, env []string, stdin string, argv ...string) (stdout, stderr string, state *os.ProcessState, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), cmd.ProcessState, err
}

// tarball lists a package tarball's files with their modes.
func tarball(t *testing.T, path string) map[string]os.FileMode {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]os.FileMode{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = os.FileMode(h.Mode).Perm()
	}
}

// startCommand starts cmd and waits for the banner's listening line.
func startCommand(t *testing.T, cmd *exec.Cmd) (*imageProcess, string) {
	t.Helper()
	p, err := startImageProcess(t, cmd)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if m := listening.FindStringSubmatch(p.stdout.String()); m != nil {
			return p, m[1]
		}
		if p.exited() {
			t.Fatalf("%s exited before listening: %v\nstdout: %s\nstderr: %s", cmd.Args, p.err, p.stdout, p.stderr)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not listening after 30 s\nstdout: %s\nstderr: %s", cmd.Args, p.stdout, p.stderr)
		}
	}
}

// seedRequest sends the seed request and requires 200 with data.valid.
func seedRequest(t *testing.T, base string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	status, data, err := imagePost(ctx, base, validCall(nil), nil)
	if err != nil || status != http.StatusOK || data["valid"] != true {
		t.Fatalf("POST %s%s = %d %v (%v), want 200 with data.valid true", base, backupPath, status, data, err)
	}
}

// TestNpmPackages installs this platform's package and @arklow/mock from
// their packed tarballs into a new project, as a user's npm would, and uses
// them: version, init, serve, signals, the launcher's messages.
func TestNpmPackages(t *testing.T) {
	npm, npxTool, node := needNpm(t)
	platform := hostNodePlatform(t)
	dist := releaseDir(t)
	work := t.TempDir()
	env := npmEnv(filepath.Join(work, "npm-cache"))

	// npm pack, as npm publish would pack them.
	packs := filepath.Join(work, "packs")
	if err := os.Mkdir(packs, 0o755); err != nil {
		t.Fatal(err)
	}
	var tarballs []string
	for _, pkg := range []string{"mock-" + platform, "mock"} {
		out, stderr, _, err := runIn(t, filepath.Join(dist, "npm", pkg), env, "", npm, "pack", "--pack-destination", packs)
		if err != nil {
			t.Fatalf("npm pack %s: %v\n%s%s", pkg, err, out, stderr)
		}
		tarballs = append(tarballs, filepath.Join(packs, strings.TrimSpace(lastLine(out))))
	}
	t.Run("tarballs", func(t *testing.T) {
		plat, front := tarball(t, tarballs[0]), tarball(t, tarballs[1])
		if mode, ok := plat["package/bin/arklow-mock"]; !ok || mode&0o111 == 0 {
			t.Errorf("%s: bin/arklow-mock mode %v (present %v), want an executable", filepath.Base(tarballs[0]), mode, ok)
		}
		for _, name := range []string{"package/package.json", "package/README.md", "package/bin/arklow-mock.js"} {
			if _, ok := front[name]; !ok {
				t.Errorf("%s lacks %s: %v", filepath.Base(tarballs[1]), name, front)
			}
		}
		if len(front) != 3 {
			t.Errorf("%s holds %d files, want the launcher, package.json and README.md: %v", filepath.Base(tarballs[1]), len(front), front)
		}
	})

	// Install both into a new project, from the files.
	project := filepath.Join(work, "project")
	if err := os.Mkdir(project, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(project, "package.json"), `{"name": "frontend", "private": true}`+"\n")
	start := time.Now()
	if out, stderr, _, err := runIn(t, project, env, "", append([]string{npm, "install"}, tarballs...)...); err != nil {
		t.Fatalf("npm install: %v\n%s%s", err, out, stderr)
	}
	installed := time.Since(start)
	launcher := filepath.Join(project, "node_modules", ".bin", "arklow-mock")
	npx := func(dir, stdin string, args ...string) (string, string, *os.ProcessState, error) {
		return runIn(t, dir, env, stdin, append([]string{npxTool}, args...)...)
	}

	out, stderr, _, err := npx(project, "", "arklow-mock", "version")
	if err != nil || !strings.HasPrefix(out, "arklow-mock "+releaseTag+" ") {
		t.Fatalf("npx arklow-mock version = %q (%v)\n%s", out, err, stderr)
	}

	// init a folder and serve it: the time from install to the first 200.
	initStart := time.Now()
	out, stderr, _, err = npx(project, "", "arklow-mock", "init", "site")
	if err != nil {
		t.Fatalf("npx arklow-mock init site: %v\n%s%s", err, out, stderr)
	}
	initTook := time.Since(initStart)
	site := filepath.Join(project, "site")
	checkStarterCompose(t, site, imageRepo+":"+releaseVersion)
	serveStart := time.Now()
	cmd := exec.Command(launcher, "--addr", "127.0.0.1:0")
	cmd.Dir, cmd.Env = site, env
	server, base := startCommand(t, cmd)
	seedRequest(t, base)
	t.Logf("from npm install to the first 200: %v (npm install %v, npx arklow-mock init %v, start to the first 200 %v)",
		time.Since(start).Round(time.Millisecond), installed.Round(time.Millisecond), initTook.Round(time.Millisecond), time.Since(serveStart).Round(time.Millisecond))
	if !strings.Contains(server.stdout.String(), "spec       spec/arklow.yaml") {
		t.Errorf("the folder init wrote is not the one served:\n%s", server.stdout)
	}

	t.Run("SIGTERM through the launcher: the mock drains and exits 0", func(t *testing.T) {
		server.stop(t, 15*time.Second)
		if !strings.Contains(server.stderr.String(), "shutting down") {
			t.Errorf("the binary did not get the signal (no shutdown in its log):\n%s", server.stderr)
		}
	})

	t.Run("init never overwrites", func(t *testing.T) {
		before, err := os.ReadFile(filepath.Join(site, "scenarios", "default.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(site, "scenarios", "default.yaml"), "# mine\n")
		out, stderr, state, err := npx(project, "", "arklow-mock", "init", "site")
		if err == nil || state.ExitCode() == 0 {
			t.Fatalf("a second init succeeded: %s", out)
		}
		for _, want := range []string{"would be overwritten, so nothing was written", filepath.Join("site", "scenarios", "default.yaml"), filepath.Join("site", "docker-compose.yml")} {
			if !strings.Contains(stderr, want) {
				t.Errorf("init's error lacks %q:\n%s", want, stderr)
			}
		}
		if got, _ := os.ReadFile(filepath.Join(site, "scenarios", "default.yaml")); string(got) != "# mine\n" {
			t.Errorf("init overwrote scenarios/default.yaml: %q (was %q)", got, before)
		}
	})

	t.Run("npx @arklow/mock in an empty folder answers at once from the embedded set", func(t *testing.T) {
		empty := filepath.Join(project, "empty") // inside the project: npx finds the install without a registry
		if err := os.Mkdir(empty, 0o755); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		cmd := exec.Command(npxTool, "@arklow/mock", "--addr", "127.0.0.1:0")
		cmd.Dir, cmd.Env = empty, env
		server, base := startCommand(t, cmd)
		seedRequest(t, base)
		t.Logf("npx @arklow/mock in an empty folder: first 200 after %v", time.Since(start).Round(time.Millisecond))
		if !strings.Contains(server.stdout.String(), "no spec/ here: the spec, fixtures and scenarios embedded in the binary") {
			t.Errorf("the banner does not say the set is embedded:\n%s", server.stdout)
		}
		if entries, _ := os.ReadDir(empty); len(entries) != 0 {
			t.Errorf("serving the embedded set wrote into the folder: %v", entries)
		}
		// npm runs the bin through sh -c, which dies of the SIGTERM npm
		// passes on without passing it further: the launcher notices and
		// stops the mock, which must not be left holding its port.
		if err := server.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		addr := strings.TrimPrefix(base, "http://")
		for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			conn, err := net.DialTimeout("tcp", addr, time.Second)
			if err != nil {
				break
			}
			conn.Close()
			if time.Now().After(deadline) {
				t.Fatalf("the mock still listens on %s 15 s after npx got SIGTERM", addr)
			}
		}
	})

	t.Run("the launcher passes arguments, stdin and the exit code", func(t *testing.T) {
		scripts := t.TempDir()
		script := func(name, body string) string {
			p := filepath.Join(scripts, name)
			if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			return p
		}
		with := func(bin string) []string { return append(slices.Clone(env), "ARKLOW_MOCK_BINARY="+bin) }

		out, _, _, err := runIn(t, project, with(script("echo", `printf '%s|' "$@"; cat`)), "from stdin", launcher, "a", "b c", "--flag=x")
		if err != nil || out != "a|b c|--flag=x|from stdin" {
			t.Errorf("arguments and stdin: %q (%v), want a|b c|--flag=x|from stdin", out, err)
		}
		_, _, state, _ := runIn(t, project, with(script("exit7", "exit 7")), "", launcher)
		if state.ExitCode() != 7 {
			t.Errorf("a binary exiting 7: the launcher exits %d", state.ExitCode())
		}
		_, _, state, _ = runIn(t, project, with(script("term", "kill -TERM $$")), "", launcher)
		if ws, ok := state.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
			t.Errorf("a binary killed by SIGTERM: the launcher ended with %v, want killed by SIGTERM too", state)
		}
	})

	t.Run("the launcher on a platform without a package names the other ways", func(t *testing.T) {
		js := filepath.Join(project, "node_modules", "@arklow", "mock", "bin", "arklow-mock.js")
		const override = `Object.defineProperty(process, "platform", {value: "plan9"}); require(process.argv[1]);`
		_, stderr, state, _ := runIn(t, project, env, "", node, "-e", override, js)
		for _, want := range []string{
			"no binary for this platform, plan9-" + runtimeNodeArch(),
			"docker run --rm -p 3123:3123 " + imageRepo + ":" + releaseVersion,
			"go install github.com/arklow/arklow-mock@" + releaseTag,
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("the message lacks %q:\n%s", want, stderr)
			}
		}
		if state.ExitCode() != 1 {
			t.Errorf("exit code %d, want 1", state.ExitCode())
		}
		// A platform with a package that was not installed (another arch).
		other := map[string]string{"x64": "arm64", "arm64": "x64"}[runtimeNodeArch()]
		_, stderr, state, _ = runIn(t, project, env, "", node, "-e", `Object.defineProperty(process, "arch", {value: "`+other+`"}); require(process.argv[1]);`, js)
		if !strings.Contains(stderr, "@arklow/mock-linux-"+other+", the package that holds the binary for linux-"+other+", is not installed") || state.ExitCode() != 1 {
			t.Errorf("another arch: exit %d, message:\n%s", state.ExitCode(), stderr)
		}
	})
}

func runtimeNodeArch() string {
	return map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
}

func lastLine(s string) string {
	var last string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			last = line
		}
	}
	return last
}

// ---- the folder init writes -----------------------------------------------

// checkStarterCompose loads dir/docker-compose.yml as Compose would, and
// checks it against the Dockerfile: the release image, the folders mounted
// read-only where the image reads them, the service name allowed as Host,
// the image's health check.
func checkStarterCompose(t *testing.T, dir, wantImage string) {
	t.Helper()
	img := mustParseDockerfile(t)
	opts, err := composecli.NewProjectOptions([]string{filepath.Join(dir, "docker-compose.yml")},
		composecli.WithWorkingDirectory(dir), composecli.WithName("starter"), composecli.WithEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := opts.LoadProject(ctx)
	if err != nil {
		t.Fatalf("load the docker-compose.yml init wrote: %v", err)
	}
	svc, err := p.GetService(composeService)
	if err != nil {
		t.Fatal(err)
	}
	if svc.Image != wantImage || svc.Build != nil {
		t.Errorf("image %q (build %v), want the release image %s", svc.Image, svc.Build, wantImage)
	}
	for _, d := range imageDataDirs {
		target := img.envMap[d.env]
		i := slices.IndexFunc(svc.Volumes, func(v types.ServiceVolumeConfig) bool { return v.Target == target })
		if i < 0 {
			t.Errorf("no volume at %s (the image's %s)", target, d.env)
			continue
		}
		if v := svc.Volumes[i]; v.Type != types.VolumeTypeBind || v.Source != filepath.Join(dir, d.dir) || !v.ReadOnly {
			t.Errorf("volume at %s = %s %s read-only=%v, want a read-only bind of ./%s", target, v.Type, v.Source, v.ReadOnly, d.dir)
		}
	}
	if got := svc.Environment["MOCK_ALLOWED_HOSTS"]; got == nil || !slices.Contains(strings.Split(*got, ","), composeService) {
		t.Errorf("MOCK_ALLOWED_HOSTS = %v, want it to list %s", strOrNil(got), composeService)
	}
	if h := svc.HealthCheck; h == nil || img.health == nil || !slices.Equal(h.Test, img.health.Health.Test) {
		t.Errorf("healthcheck %+v, want the image's %q", h, img.health.Health.Test)
	}
	if len(svc.Ports) != 1 || svc.Ports[0].Target != 3123 || svc.Ports[0].Published != "3123" {
		t.Errorf("ports %+v, want 3123:3123", svc.Ports)
	}
}

// TestInitFolder runs init in-process with the repository's own files as
// the embedded set (what main embeds): every file is written as it is in
// the repository, and the compose file is sound.
func TestInitFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "starter")
	var out bytes.Buffer
	err := cli.Program{Starter: os.DirFS(repoRoot)}.Run(context.Background(), []string{"arklow-mock", "init", dir}, func(string) string { return "" }, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range imageDataDirs {
		err := filepath.WalkDir(inRepo(d.dir), func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(repoRoot, p)
			want, _ := os.ReadFile(p)
			if got, err := os.ReadFile(filepath.Join(dir, rel)); err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: not written as in the repository (%v)", rel, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// An unreleased build points at the newest release image.
	checkStarterCompose(t, dir, imageRepo+":latest")
	ts := startIn(t, dir)
	if a := ts.do(t, validCall(nil)); a.status != http.StatusOK {
		t.Errorf("the folder init wrote answers %d, want 200", a.status)
	}
}
