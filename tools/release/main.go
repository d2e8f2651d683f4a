// Command release builds a versioned release of arklow-mock: static
// binaries for linux, darwin and windows on amd64 and arm64, with the
// version stamped as the Dockerfile stamps it; their SHA-256 sums; and the
// npm packages, one per platform holding its binary and the front package
// @arklow/mock whose launcher runs it (the templates are in npm/).
//
//	cd tools && go run ./release -version v1.2.3
//
// writes ../dist/ (see docs/install.md#releasing). It only builds: it
// publishes nothing.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/arklow/arklow-mock/tools/internal/repo"
)

// modulePath is the root module's path: the repository is found by it, and
// the version is stamped into its internal/cli package.
const modulePath = "github.com/arklow/arklow-mock"

// target is one platform, by Go's names and by Node's.
type target struct {
	GOOS, GOARCH string
}

// Targets is every platform a release has a binary for.
var Targets = []target{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

// nodeOS and nodeCPU map Go's names to Node's process.platform and
// process.arch, which npm's os and cpu fields use.
var (
	nodeOS  = map[string]string{"linux": "linux", "darwin": "darwin", "windows": "win32"}
	nodeCPU = map[string]string{"amd64": "x64", "arm64": "arm64"}
	labels  = map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}
)

func (t target) String() string { return t.GOOS + "/" + t.GOARCH }

// exe is the binary's file name in the npm package.
func (t target) exe() string {
	if t.GOOS == "windows" {
		return "arklow-mock.exe"
	}
	return "arklow-mock"
}

// npmPlatform is the package suffix: linux-x64, win32-arm64, ...
func (t target) npmPlatform() string { return nodeOS[t.GOOS] + "-" + nodeCPU[t.GOARCH] }

// npmName is the platform package's name.
func (t target) npmName() string { return "@arklow/mock-" + t.npmPlatform() }

// asset is the binary's file name among the release's assets.
func (t target) asset(version string) string {
	name := "arklow-mock_" + version + "_" + t.GOOS + "_" + t.GOARCH
	if t.GOOS == "windows" {
		name += ".exe"
	}
	return name
}

// semver is a release version, with an optional pre-release part; build
// metadata (+...) is refused: neither image tags nor npm ordering take it.
var semver = regexp.MustCompile(`^v?((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)$`)

// parseVersion returns the version as the binary reports it (v1.2.3, as a
// Go module version) and as npm writes it (1.2.3).
func parseVersion(s string) (tag, npm string, err error) {
	m := semver.FindStringSubmatch(s)
	if m == nil {
		return "", "", fmt.Errorf("-version %q: want a semantic version like v1.2.3 or v1.2.3-rc.1", s)
	}
	return "v" + m[1], m[1], nil
}

// release is one build: its version, where it reads and writes, and how
// it compiles (a function, so that tests need no cross-compiler).
type release struct {
	repo    string // the repository root
	out     string // the output folder, empty or new
	tag     string // v1.2.3
	npm     string // 1.2.3
	targets []target
	build   func(ctx context.Context, t target, output string) error
	log     io.Writer
}

// goBuild compiles the binary for t as the Dockerfile does: static
// (CGO_ENABLED=0), without build-machine paths (-trimpath), without symbol
// table and DWARF (-s -w), with the version stamped (-X). Settings of the
// calling environment that would change the output (GOFLAGS, GOAMD64, ...)
// are dropped; VCS stamping is off, as in the image, whose context has no
// .git.
func (r *release) goBuild(ctx context.Context, t target, output string) error {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return err
	}
	ldflags := "-s -w -X " + modulePath + "/internal/cli.version=" + r.tag
	cmd := exec.CommandContext(ctx, goTool, "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", output, ".")
	cmd.Dir = r.repo
	for _, e := range os.Environ() {
		k, _, _ := strings.Cut(e, "=")
		if strings.HasPrefix(k, "CGO_") || slices.Contains([]string{"GOOS", "GOARCH", "GOFLAGS", "GOEXPERIMENT", "GOAMD64", "GOARM64", "GO386", "GOWORK"}, k) {
			continue
		}
		cmd.Env = append(cmd.Env, e)
	}
	cmd.Env = append(cmd.Env, "CGO_ENABLED=0", "GOOS="+t.GOOS, "GOARCH="+t.GOARCH, "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build for %s: %v\n%s", t, err, out)
	}
	return nil
}

// run builds the release into r.out.
func (r *release) run(ctx context.Context) error {
	if entries, err := os.ReadDir(r.out); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: remove it, or name another folder with -out", r.out)
	}
	if err := os.MkdirAll(r.out, 0o755); err != nil {
		return err
	}
	var sums bytes.Buffer
	for _, t := range r.targets {
		asset := t.asset(r.npm)
		fmt.Fprintf(r.log, "build %-14s %s\n", t, asset)
		if err := r.build(ctx, t, filepath.Join(r.out, asset)); err != nil {
			return err
		}
		sum, err := sha256File(filepath.Join(r.out, asset))
		if err != nil {
			return err
		}
		fmt.Fprintf(&sums, "%s  %s\n", sum, asset) // the format of sha256sum -c
	}
	if err := os.WriteFile(filepath.Join(r.out, "SHA256SUMS"), sums.Bytes(), 0o644); err != nil {
		return err
	}
	dirs, err := r.npmPackages()
	if err != nil {
		return err
	}
	fmt.Fprintf(r.log, "\nrelease %s in %s: %d binaries, SHA256SUMS, %d npm packages\n", r.tag, r.out, len(r.targets), len(dirs))
	fmt.Fprintf(r.log, "publish the platform packages first, so that @arklow/mock's optional dependencies resolve:\n")
	for _, d := range dirs {
		fmt.Fprintf(r.log, "  npm publish --access public %s\n", d)
	}
	return nil
}

func sha256File(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// npmPackages writes one package per target with its binary, then the
// front package, and returns their folders in publishing order.
func (r *release) npmPackages() ([]string, error) {
	templates := filepath.Join(r.repo, "npm")
	var dirs []string
	optional := map[string]string{}
	for _, t := range r.targets {
		dir := filepath.Join(r.out, "npm", "mock-"+t.npmPlatform())
		data := map[string]string{
			"Name": t.npmName(), "Version": r.npm, "OS": nodeOS[t.GOOS], "CPU": nodeCPU[t.GOARCH],
			"Exe": t.exe(), "Label": labels[t.GOOS] + " " + nodeCPU[t.GOARCH],
		}
		if err := render(filepath.Join(templates, "platform", "package.json.tmpl"), filepath.Join(dir, "package.json"), data); err != nil {
			return nil, err
		}
		if err := render(filepath.Join(templates, "platform", "README.md.tmpl"), filepath.Join(dir, "README.md"), data); err != nil {
			return nil, err
		}
		if err := copyFile(filepath.Join(r.out, t.asset(r.npm)), filepath.Join(dir, "bin", t.exe()), 0o755); err != nil {
			return nil, err
		}
		if err := checkManifest(dir, t.npmName(), r.npm); err != nil {
			return nil, err
		}
		optional[t.npmName()] = r.npm // the exact version: binary and launcher go together
		dirs = append(dirs, dir)
	}
	deps, err := json.MarshalIndent(optional, "  ", "  ") // sorted keys
	if err != nil {
		return nil, err
	}
	front := filepath.Join(r.out, "npm", "mock")
	data := map[string]string{"Version": r.npm, "OptionalDependencies": string(deps)}
	if err := render(filepath.Join(templates, "mock", "package.json.tmpl"), filepath.Join(front, "package.json"), data); err != nil {
		return nil, err
	}
	if err := copyFile(filepath.Join(templates, "mock", "README.md"), filepath.Join(front, "README.md"), 0o644); err != nil {
		return nil, err
	}
	if err := copyFile(filepath.Join(templates, "mock", "bin", "arklow-mock.js"), filepath.Join(front, "bin", "arklow-mock.js"), 0o755); err != nil {
		return nil, err
	}
	if err := checkManifest(front, "@arklow/mock", r.npm); err != nil {
		return nil, err
	}
	return append(dirs, front), nil
}

// render executes the template file src with data into dst.
func render(src, dst string, data map[string]string) error {
	text, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	tmpl, err := template.New(filepath.Base(src)).Option("missingkey=error").Parse(string(text))
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, data); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, out.Bytes(), 0o644)
}

// checkManifest reads back a written package.json: it must be JSON, with
// the name and version the release means.
func checkManifest(dir, name, version string) error {
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return err
	}
	var m struct{ Name, Version string }
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%s/package.json is not JSON: %w", dir, err)
	}
	if m.Name != name || m.Version != version {
		return fmt.Errorf("%s/package.json names %s@%s, want %s@%s", dir, m.Name, m.Version, name, version)
	}
	return nil
}

func copyFile(src, dst string, mode os.FileMode) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(dst, data, mode); err != nil {
		return err
	}
	return os.Chmod(dst, mode) // whatever the umask
}

// findRepo returns the repository at or above dir.
func findRepo(dir string) (string, error) {
	root, err := repo.Find(dir)
	if errors.Is(err, repo.ErrNotFound) {
		return "", fmt.Errorf("no go.mod of %s at or above %s: run in the repository, or name it with -repo", repo.Module, dir)
	}
	return root, err
}

// parseTargets reads -targets: GOOS/GOARCH pairs among Targets.
func parseTargets(s string) ([]target, error) {
	var out []target
	for _, f := range strings.Split(s, ",") {
		goos, goarch, _ := strings.Cut(strings.TrimSpace(f), "/")
		t := target{goos, goarch}
		if !slices.Contains(Targets, t) {
			return nil, fmt.Errorf("-targets: %q is not one of %v", f, Targets)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	version := fs.String("version", "", "the release's version, v1.2.3 (required)")
	repo := fs.String("repo", "", "the repository root (default: found from the current folder up)")
	out := fs.String("out", "", "where to write the release, an empty or new folder (default: dist/ in the repository)")
	all := make([]string, len(Targets))
	for i, t := range Targets {
		all[i] = t.String()
	}
	targets := fs.String("targets", strings.Join(all, ","), "the platforms to build, GOOS/GOARCH, comma-separated")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	r := &release{log: stdout}
	var err error
	if r.tag, r.npm, err = parseVersion(*version); err != nil {
		return err
	}
	if r.targets, err = parseTargets(*targets); err != nil {
		return err
	}
	r.repo = *repo
	if r.repo == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		if r.repo, err = findRepo(wd); err != nil {
			return err
		}
	}
	if r.repo, err = filepath.Abs(r.repo); err != nil {
		return err
	}
	r.out = *out
	if r.out == "" {
		r.out = filepath.Join(r.repo, "dist")
	}
	r.build = r.goBuild
	return r.run(ctx)
}
