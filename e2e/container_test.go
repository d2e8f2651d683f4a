//go:build linux

// The container files (Dockerfile, .dockerignore, docker-compose.yml) are
// checked here without a Docker engine: both files are parsed with the
// libraries Docker itself uses (BuildKit's Dockerfile parser, the compose-spec
// loader), and the binary is built with the Dockerfile's own build line and
// run as the image would run it: chrooted into a root laid out like the image,
// as its USER, with only its ENV.

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	composecli "github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// The container files, named as in the build context (the repository root:
// see inRepo for their paths from here).
const (
	dockerfilePath  = "Dockerfile"
	composePath     = "docker-compose.yml"
	composeService  = "arklow-mock"
	composeConsumer = "frontend-tests"
	// containerTestVersion is passed as the VERSION build argument, as
	// `docker build --build-arg VERSION=...` would, so that the -X stamp is
	// seen to work (unstamped, the binary would report "dev").
	containerTestVersion = "v0.0.0-container-test"
)

// The data folders the image ships, with the variable naming each one.
var imageDataDirs = []struct{ dir, env string }{
	{"spec", "MOCK_SPEC"},
	{"fixtures", "MOCK_FIXTURES"},
	{"scenarios", "MOCK_SCENARIOS"},
}

// ---- the Dockerfile, as BuildKit reads it --------------------------------

// imageCopy is a COPY (or ADD) of the final stage, its paths expanded.
type imageCopy struct {
	from    string // --from, "" for the build context
	sources []string
	dest    string // absolute, resolved against WORKDIR
}

// buildLine is the RUN of the build stage that runs `go build`.
type buildLine struct {
	stage    string            // the build stage's name (AS ...)
	base     string            // its FROM
	platform string            // its FROM --platform, unexpanded ("" when none)
	args     map[string]string // its ARGs with their defaults
	env      []string          // what the RUN sees: ARGs, ENVs, then the line's own NAME=VALUE prefixes
	argv     []string          // go build ... with build args expanded as the RUN's shell would
	output   string            // the -o path
	modLine  int               // index in the stage of `RUN go mod download`, -1 if none
	modCopy  int               // index of the COPY of go.mod and go.sum, -1 if none
	srcCopy  int               // index of `COPY . .`, -1 if none
	runLine  int               // index of the go build RUN
}

// dockerImage is what the Dockerfile declares: the build and the final
// stage's image configuration.
type dockerImage struct {
	stages []instructions.Stage
	lint   []string // BuildKit's lint warnings (docker build --check)
	build  buildLine

	finalBase       string
	finalPlatform   string   // the final stage's FROM --platform, unexpanded
	env             []string // the final stage's ENV, KEY=VALUE in order
	envMap          map[string]string
	user            string
	workdir         string
	entrypoint, cmd []string
	entrypointShell bool
	cmdShell        bool
	expose          []string
	health          *instructions.HealthCheckCommand
	stopSignal      string
	copies          []imageCopy
}

// parseDockerfile parses the Dockerfile with BuildKit's parser and reads the
// stages as `docker build` would, with buildArgs overriding ARG defaults.
func parseDockerfile(buildArgs map[string]string) (*dockerImage, error) {
	f, err := os.Open(inRepo(dockerfilePath))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", dockerfilePath, err)
	}
	img := &dockerImage{envMap: map[string]string{}}
	for _, w := range res.Warnings {
		img.lint = append(img.lint, w.Short)
	}
	lint := linter.New(&linter.Config{Warn: func(rule, desc, url, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		img.lint = append(img.lint, fmt.Sprintf("%s:%d: %s: %s", dockerfilePath, line, rule, msg))
	}})
	stages, metaArgs, err := instructions.Parse(res.AST, lint)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dockerfilePath, err)
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("%s: no stage", dockerfilePath)
	}
	img.stages = stages
	lex := shell.NewLex(res.EscapeToken)
	expand := func(word string, env []string) (string, error) {
		r, err := lex.ProcessWordWithMatches(word, shell.EnvsFromSlice(env))
		if err != nil {
			return "", err
		}
		if len(r.Unmatched) > 0 {
			return "", fmt.Errorf("%q uses undefined variables %v", word, sortedKeys(r.Unmatched))
		}
		return r.Result, nil
	}
	var meta []string
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			meta = append(meta, kv.Key+"="+argValue(kv, buildArgs))
		}
	}

	found := false
	for i := range stages {
		st := &stages[i]
		base, err := expand(st.BaseName, meta)
		if err != nil {
			return nil, fmt.Errorf("FROM %s: %w", st.BaseName, err)
		}
		b := buildLine{stage: st.Name, base: base, platform: st.Platform, args: map[string]string{}, modLine: -1, modCopy: -1, srcCopy: -1, runLine: -1}
		var env []string
		for j, c := range st.Commands {
			switch c := c.(type) {
			case *instructions.ArgCommand:
				for _, kv := range c.Args {
					v := argValue(kv, buildArgs)
					b.args[kv.Key] = v
					env = append(env, kv.Key+"="+v)
				}
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					v, err := expand(kv.Value, env)
					if err != nil {
						return nil, fmt.Errorf("ENV %s: %w", kv.Key, err)
					}
					env = append(env, kv.Key+"="+v)
				}
			case *instructions.CopyCommand:
				if slices.Equal(c.SourcePaths, []string{"."}) {
					b.srcCopy = j
				}
				if slices.Contains(c.SourcePaths, "go.mod") && slices.Contains(c.SourcePaths, "go.sum") {
					b.modCopy = j
				}
			case *instructions.RunCommand:
				line := strings.Join(c.CmdLine, " ")
				if strings.Fields(line)[0] == "go" && strings.Contains(line, "mod download") {
					b.modLine = j
				}
				if !strings.Contains(line, "go build") {
					continue
				}
				if found {
					return nil, fmt.Errorf("%s: more than one RUN runs go build", dockerfilePath)
				}
				found = true
				b.runLine = j
				words, err := lex.ProcessWords(line, shell.EnvsFromSlice(env))
				if err != nil {
					return nil, fmt.Errorf("RUN %s: %w", line, err)
				}
				b.env = slices.Clone(env)
				// The shell's leading NAME=VALUE words set the environment of go.
				for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
					b.env = append(b.env, words[0])
					words = words[1:]
				}
				for _, w := range words {
					if strings.ContainsAny(w, ";&|<>`") {
						return nil, fmt.Errorf("RUN %s: only a plain `go build` line can be replayed, found %q", line, w)
					}
				}
				b.argv = words
				if k := slices.Index(words, "-o"); k >= 0 && k+1 < len(words) {
					b.output = words[k+1]
				}
				img.build = b
			}
		}
	}
	if !found {
		return nil, fmt.Errorf("%s: no RUN runs go build", dockerfilePath)
	}

	// The final stage: the image's configuration, as the engine records it.
	final := &stages[len(stages)-1]
	base, _ := expand(final.BaseName, meta)
	img.finalBase = base
	img.finalPlatform = final.Platform
	img.workdir = "/"
	var env []string
	for _, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				env = append(env, kv.Key+"="+argValue(kv, buildArgs))
			}
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				v, err := expand(kv.Value, append(slices.Clone(env), img.env...))
				if err != nil {
					return nil, fmt.Errorf("ENV %s: %w", kv.Key, err)
				}
				img.env = slices.DeleteFunc(img.env, func(e string) bool { return strings.HasPrefix(e, kv.Key+"=") })
				img.env = append(img.env, kv.Key+"="+v)
				img.envMap[kv.Key] = v
			}
		case *instructions.WorkdirCommand:
			p, err := expand(c.Path, append(slices.Clone(env), img.env...))
			if err != nil {
				return nil, err
			}
			if !path.IsAbs(p) {
				p = path.Join(img.workdir, p)
			}
			img.workdir = p
		case *instructions.UserCommand:
			u, err := expand(c.User, append(slices.Clone(env), img.env...))
			if err != nil {
				return nil, err
			}
			img.user = u
		case *instructions.ExposeCommand:
			img.expose = append(img.expose, c.Ports...)
		case *instructions.HealthCheckCommand:
			img.health = c
		case *instructions.StopSignalCommand:
			img.stopSignal = c.Signal
		case *instructions.EntrypointCommand:
			img.entrypoint, img.entrypointShell = c.CmdLine, c.PrependShell
		case *instructions.CmdCommand:
			img.cmd, img.cmdShell = c.CmdLine, c.PrependShell
		case *instructions.CopyCommand:
			cp := imageCopy{from: c.From}
			all := append(slices.Clone(env), img.env...)
			for _, s := range c.SourcePaths {
				s, err := expand(s, all)
				if err != nil {
					return nil, err
				}
				cp.sources = append(cp.sources, s)
			}
			d, err := expand(c.DestPath, all)
			if err != nil {
				return nil, err
			}
			if !path.IsAbs(d) {
				slash := strings.HasSuffix(d, "/")
				d = path.Join(img.workdir, d)
				if slash {
					d += "/"
				}
			}
			cp.dest = d
			img.copies = append(img.copies, cp)
		case *instructions.AddCommand:
			return nil, fmt.Errorf("%s: the final stage uses ADD; use COPY", dockerfilePath)
		}
	}
	return img, nil
}

func argValue(kv instructions.KeyValuePairOptional, buildArgs map[string]string) string {
	if v, ok := buildArgs[kv.Key]; ok {
		return v
	}
	return kv.ValueString()
}

func sortedKeys(m map[string]struct{}) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// mustParseDockerfile parses the Dockerfile with its default build args.
func mustParseDockerfile(t *testing.T) *dockerImage {
	t.Helper()
	img, err := parseDockerfile(nil)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// dataCopy returns the final stage's COPY of one data folder of the context.
func (img *dockerImage) dataCopy(dir string) (imageCopy, bool) {
	for _, c := range img.copies {
		if c.from == "" && len(c.sources) == 1 && path.Clean(c.sources[0]) == dir {
			return c, true
		}
	}
	return imageCopy{}, false
}

// binaryCopy returns the final stage's COPY --from of the built binary.
func (img *dockerImage) binaryCopy() (imageCopy, bool) {
	for _, c := range img.copies {
		if c.from != "" && (c.from == img.build.stage || c.from == "0") && slices.Contains(c.sources, img.build.output) {
			return c, true
		}
	}
	return imageCopy{}, false
}

// uidGid reads a numeric USER uid[:gid].
func (img *dockerImage) uidGid() (uid, gid uint32, err error) {
	u, g, hasGid := strings.Cut(img.user, ":")
	un, err := strconv.ParseUint(u, 10, 32)
	if err != nil {
		return 0, 0, fmt.Errorf("USER %q is not numeric", img.user)
	}
	gn := un
	if hasGid {
		if gn, err = strconv.ParseUint(g, 10, 32); err != nil {
			return 0, 0, fmt.Errorf("USER %q: group is not numeric", img.user)
		}
	}
	return uint32(un), uint32(gn), nil
}

func TestDockerfile(t *testing.T) {
	img := mustParseDockerfile(t)
	for _, w := range img.lint {
		t.Errorf("lint: %s", w)
	}
	if len(img.stages) < 2 {
		t.Fatalf("%d stage(s), want a multi-stage build (a build stage and a small final one)", len(img.stages))
	}

	t.Run("build stage", func(t *testing.T) {
		b := img.build
		if b.stage == "" || b.stage == img.stages[len(img.stages)-1].Name {
			t.Errorf("go build runs in stage %q, want a named stage before the final one", b.stage)
		}
		if !strings.HasPrefix(b.base, "golang:1.26") {
			t.Errorf("build stage FROM %s, want golang:1.26", b.base)
		}
		if v, ok := b.args["VERSION"]; !ok || v != "dev" {
			t.Errorf("ARG VERSION = %q (declared %v), want the default dev", v, ok)
		}
		if got := envValue(b.env, "CGO_ENABLED"); got != "0" {
			t.Errorf("the go build RUN sees CGO_ENABLED=%q, want 0 (a static binary for distroless/scratch)", got)
		}
		if len(b.argv) < 2 || b.argv[0] != "go" || b.argv[1] != "build" {
			t.Fatalf("build line = %q, want go build ...", b.argv)
		}
		if !slices.Contains(b.argv, "-trimpath") {
			t.Errorf("build line %q lacks -trimpath", b.argv)
		}
		ld := flagValue(b.argv, "-ldflags")
		for _, want := range []string{"-s", "-w", "-X", "github.com/arklow/arklow-mock/internal/cli.version=dev"} {
			if !slices.Contains(strings.Fields(ld), want) {
				t.Errorf("-ldflags %q lacks %s", ld, want)
			}
		}
		if !path.IsAbs(b.output) {
			t.Errorf("go build -o %q, want an absolute path for the final stage to copy", b.output)
		}
		if b.modCopy < 0 || b.modLine < 0 || b.srcCopy < 0 || !(b.modCopy < b.modLine && b.modLine < b.srcCopy && b.srcCopy < b.runLine) {
			t.Errorf("build stage order: COPY go.mod go.sum at %d, RUN go mod download at %d, COPY . . at %d, go build at %d; "+
				"want them in that order so the module download is its own cached layer", b.modCopy, b.modLine, b.srcCopy, b.runLine)
		}
	})

	t.Run("final stage", func(t *testing.T) {
		if !strings.HasPrefix(img.finalBase, "gcr.io/distroless/static") && img.finalBase != "scratch" {
			t.Errorf("final stage FROM %s, want gcr.io/distroless/static* or scratch", img.finalBase)
		}
		uid, _, err := img.uidGid()
		if err != nil {
			t.Errorf("%v: want a numeric non-root user (Kubernetes runAsNonRoot needs a number)", err)
		} else if uid == 0 {
			t.Errorf("USER %s runs as root", img.user)
		}
		if !slices.Contains(img.expose, "3123") && !slices.Contains(img.expose, "3123/tcp") {
			t.Errorf("EXPOSE %v, want 3123", img.expose)
		}
		if got := img.envMap["MOCK_ADDR"]; got != "0.0.0.0:3123" {
			t.Errorf("ENV MOCK_ADDR=%q, want 0.0.0.0:3123 (reachable through the port map)", got)
		}
		if img.entrypointShell || !slices.Equal(img.entrypoint, []string{"/usr/local/bin/arklow-mock"}) {
			t.Errorf("ENTRYPOINT %q (shell form %v), want exec form [/usr/local/bin/arklow-mock]", img.entrypoint, img.entrypointShell)
		}
		if img.cmdShell || !slices.Equal(img.cmd, []string{"serve"}) {
			t.Errorf("CMD %q (shell form %v), want exec form [serve]", img.cmd, img.cmdShell)
		}
		if img.stopSignal != "SIGTERM" {
			t.Errorf("STOPSIGNAL %q, want SIGTERM (the server drains in-flight requests on it)", img.stopSignal)
		}
		if !path.IsAbs(img.workdir) || img.workdir == "/" {
			t.Errorf("WORKDIR %q, want the data folder", img.workdir)
		}
		bc, ok := img.binaryCopy()
		if !ok {
			t.Errorf("no COPY --from=%s %s in the final stage", img.build.stage, img.build.output)
		} else if len(img.entrypoint) > 0 && bc.dest != img.entrypoint[0] {
			t.Errorf("the binary is copied to %s but ENTRYPOINT runs %s", bc.dest, img.entrypoint[0])
		}
	})

	t.Run("healthcheck", func(t *testing.T) {
		if img.health == nil || img.health.Health == nil {
			t.Fatal("no HEALTHCHECK")
		}
		h := img.health.Health
		want := []string{"CMD", "/usr/local/bin/arklow-mock", "healthcheck"}
		if !slices.Equal(h.Test, want) {
			t.Errorf("HEALTHCHECK test = %q, want %q (exec form: the image has no shell)", h.Test, want)
		}
		if len(img.entrypoint) > 0 && len(h.Test) > 1 && h.Test[1] != img.entrypoint[0] {
			t.Errorf("HEALTHCHECK runs %s, ENTRYPOINT is %s", h.Test[1], img.entrypoint[0])
		}
		if h.Interval != 5*time.Second || h.Timeout != 3*time.Second || h.StartPeriod != 2*time.Second || h.Retries != 3 {
			t.Errorf("HEALTHCHECK interval=%v timeout=%v start-period=%v retries=%d, want 5s 3s 2s 3", h.Interval, h.Timeout, h.StartPeriod, h.Retries)
		}
		// The probe gives up after 2 s; the engine's timeout must leave it that.
		if h.Timeout <= 2*time.Second {
			t.Errorf("HEALTHCHECK timeout %v does not leave the probe its 2 s", h.Timeout)
		}
	})

	t.Run("multi-architecture", func(t *testing.T) {
		// docker buildx build --platform linux/amd64,linux/arm64: the build
		// stage runs once per target on the build machine's platform and
		// cross-compiles; the final stage is pulled per target.
		b := img.build
		if b.platform != "$BUILDPLATFORM" && b.platform != "${BUILDPLATFORM}" {
			t.Errorf("build stage FROM --platform=%q, want $BUILDPLATFORM (native, no emulation: Go cross-compiles)", b.platform)
		}
		for _, arg := range []string{"TARGETOS", "TARGETARCH"} {
			if _, ok := b.args[arg]; !ok {
				t.Errorf("the build stage does not declare ARG %s (BuildKit sets it from --platform)", arg)
			}
		}
		if img.finalPlatform != "" && img.finalPlatform != "$TARGETPLATFORM" && img.finalPlatform != "${TARGETPLATFORM}" {
			t.Errorf("final stage FROM --platform=%q, want the target's (no --platform)", img.finalPlatform)
		}
		for _, arch := range []string{"amd64", "arm64"} {
			target, err := parseDockerfile(map[string]string{"TARGETOS": "linux", "TARGETARCH": arch})
			if err != nil {
				t.Fatal(err)
			}
			if goos, goarch := envValue(target.build.env, "GOOS"), envValue(target.build.env, "GOARCH"); goos != "linux" || goarch != arch {
				t.Errorf("--platform linux/%s: go build runs with GOOS=%q GOARCH=%q, want linux and %s", arch, goos, goarch, arch)
			}
		}
	})

	t.Run("data folders", func(t *testing.T) {
		for _, d := range imageDataDirs {
			p := img.envMap[d.env]
			if !path.IsAbs(p) {
				t.Errorf("ENV %s=%q, want an absolute path", d.env, p)
				continue
			}
			c, ok := img.dataCopy(d.dir)
			if !ok {
				t.Errorf("no COPY of %s/ in the final stage", d.dir)
				continue
			}
			if path.Clean(c.dest) != p {
				t.Errorf("%s/ is copied to %s but %s=%s", d.dir, c.dest, d.env, p)
			}
		}
	})

	t.Run(".dockerignore", func(t *testing.T) {
		patterns := readDockerignore(t)
		needed := []string{"go.mod", "go.sum", "main.go", "internal", "internal/cli/cli.go"}
		for _, d := range imageDataDirs {
			needed = append(needed, d.dir, d.dir+"/x.yaml")
		}
		for _, p := range needed {
			if pat, ok := dockerignored(patterns, p); ok {
				t.Errorf(".dockerignore pattern %q leaves %s out of the build context", pat, p)
			}
		}
		// The nested modules (e2e/, tools/) are not part of the binary's
		// build: go build . never reads them.
		// The starter set's compose template is compiled in: it stays.
		if pat, ok := dockerignored(patterns, "internal/cli/starter-compose.yml"); ok {
			t.Errorf(".dockerignore pattern %q leaves internal/cli/starter-compose.yml out of the build context", pat)
		}
		for _, p := range []string{".git", "testdata", "arklow-mock", "server.test", "main_test.go",
			"e2e", "e2e/go.mod", "tools", "tools/loadtest/main.go", "tools/release/main.go", "npm", "npm/mock/bin/arklow-mock.js", "dist"} {
			if _, ok := dockerignored(patterns, p); !ok {
				t.Errorf(".dockerignore does not exclude %s", p)
			}
		}
	})
}

func envValue(env []string, key string) string {
	v := ""
	for _, e := range env {
		if k, val, _ := strings.Cut(e, "="); k == key {
			v = val
		}
	}
	return v
}

func flagValue(argv []string, name string) string {
	for i, a := range argv {
		if a == name && i+1 < len(argv) {
			return argv[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

func readDockerignore(t *testing.T) []string {
	t.Helper()
	patterns, err := dockerignorePatterns()
	if err != nil {
		t.Fatal(err)
	}
	return patterns
}

func dockerignorePatterns() ([]string, error) {
	data, err := os.ReadFile(inRepo(".dockerignore"))
	if err != nil {
		return nil, err
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}

// buildContext copies the repository into dst as `docker build .` would send
// it from the repository root: without what .dockerignore excludes.
func buildContext(dst string) error {
	patterns, err := dockerignorePatterns()
	if err != nil {
		return err
	}
	reincludes := slices.ContainsFunc(patterns, func(p string) bool { return strings.HasPrefix(p, "!") })
	return filepath.WalkDir(repoRoot, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == repoRoot {
			return err
		}
		rel, err := filepath.Rel(repoRoot, p)
		if err != nil {
			return err
		}
		if _, ignored := dockerignored(patterns, filepath.ToSlash(rel)); ignored {
			if d.IsDir() && !reincludes {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case info.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			return os.WriteFile(target, data, info.Mode().Perm())
		}
		return nil // sockets, symlinks: nothing the build uses
	})
}

// dockerignored approximates Docker's matching (last match wins, ! re-includes,
// a pattern also excludes what is under it, **/ matches any depth).
func dockerignored(patterns []string, p string) (string, bool) {
	excluded, by := false, ""
	for _, pat := range patterns {
		neg := strings.HasPrefix(pat, "!")
		pat := strings.TrimPrefix(strings.TrimPrefix(pat, "!"), "/")
		candidates := []string{p}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			candidates = append(candidates, d)
		}
		match := false
		for _, c := range candidates {
			if ok, _ := path.Match(pat, c); ok {
				match = true
			}
			if rest, ok := strings.CutPrefix(pat, "**/"); ok {
				if ok, _ := path.Match(rest, path.Base(c)); ok {
					match = true
				}
			}
		}
		if match {
			excluded, by = !neg, pat
		}
	}
	return by, excluded
}

// ---- docker-compose.yml, as Compose reads it -----------------------------

func loadCompose(t *testing.T, env []string, profiles ...string) *types.Project {
	t.Helper()
	root := repoDir(t)
	// As `docker compose` run in the repository root.
	opts, err := composecli.NewProjectOptions([]string{filepath.Join(root, composePath)},
		composecli.WithWorkingDirectory(root),
		composecli.WithName("arklow-mock"),
		// Only this environment: the developer's shell must not leak in.
		composecli.WithEnv(env),
		composecli.WithProfiles(profiles),
	)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := opts.LoadProject(ctx)
	if err != nil {
		t.Fatalf("load %s (env %q, profiles %q): %v", composePath, env, profiles, err)
	}
	return p
}

func TestComposeFile(t *testing.T) {
	img := mustParseDockerfile(t)
	wd := repoDir(t) // where docker compose runs
	p := loadCompose(t, nil)
	svc, err := p.GetService(composeService)
	if err != nil {
		t.Fatalf("service %s: %v", composeService, err)
	}

	t.Run("build", func(t *testing.T) {
		if svc.Build == nil {
			t.Fatal("the service does not build")
		}
		if svc.Build.Context != wd || svc.Build.Dockerfile != dockerfilePath {
			t.Errorf("build context %q dockerfile %q, want %q and %s", svc.Build.Context, svc.Build.Dockerfile, wd, dockerfilePath)
		}
	})

	t.Run("ports", func(t *testing.T) {
		var found bool
		for _, port := range svc.Ports {
			if port.Target == 3123 && port.Published == "3123" && (port.Protocol == "" || port.Protocol == "tcp") {
				found = true
			}
		}
		if !found || len(svc.Ports) != 1 {
			t.Errorf("ports = %+v, want 3123:3123 alone", svc.Ports)
		}
		// The container port is the one the image listens on.
		if _, port, _ := net.SplitHostPort(img.envMap["MOCK_ADDR"]); port != "3123" {
			t.Errorf("the image listens on %s, compose publishes 3123", img.envMap["MOCK_ADDR"])
		}
	})

	t.Run("mounts", func(t *testing.T) {
		if len(svc.Volumes) != len(imageDataDirs) {
			t.Errorf("volumes = %+v, want the %d data folders", svc.Volumes, len(imageDataDirs))
		}
		for _, d := range imageDataDirs {
			target := img.envMap[d.env]
			var v *types.ServiceVolumeConfig
			for i := range svc.Volumes {
				if svc.Volumes[i].Target == target {
					v = &svc.Volumes[i]
				}
			}
			if v == nil {
				t.Errorf("no volume at %s (the image's %s)", target, d.env)
				continue
			}
			if v.Type != types.VolumeTypeBind || v.Source != filepath.Join(wd, d.dir) || !v.ReadOnly {
				t.Errorf("volume at %s = %s %s read-only=%v, want a read-only bind of ./%s", target, v.Type, v.Source, v.ReadOnly, d.dir)
			}
		}
	})

	t.Run("MOCK_ALLOWED_HOSTS", func(t *testing.T) {
		// Other containers call the mock by its service name, which the
		// mock's Host check refuses unless it is listed.
		got := svc.Environment["MOCK_ALLOWED_HOSTS"]
		if got == nil || !slices.Contains(strings.Split(*got, ","), composeService) {
			t.Errorf("MOCK_ALLOWED_HOSTS = %v, want it to list the service name %s", strOrNil(got), composeService)
		}
	})

	t.Run("MOCK_SCENARIO", func(t *testing.T) {
		if got := svc.Environment["MOCK_SCENARIO"]; got == nil || *got != "default" {
			t.Errorf("MOCK_SCENARIO unset in the shell: service gets %v, want default", strOrNil(got))
		}
		set := loadCompose(t, []string{"MOCK_SCENARIO=reused-code"})
		s, err := set.GetService(composeService)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Environment["MOCK_SCENARIO"]; got == nil || *got != "reused-code" {
			t.Errorf("MOCK_SCENARIO=reused-code in the shell: service gets %v", strOrNil(got))
		}
	})

	t.Run("healthcheck", func(t *testing.T) {
		h := svc.HealthCheck
		if h == nil || h.Disable {
			t.Fatal("no healthcheck")
		}
		want := []string{"CMD", "/usr/local/bin/arklow-mock", "healthcheck"}
		if !slices.Equal(h.Test, want) {
			t.Errorf("healthcheck test = %q, want %q", h.Test, want)
		}
		if len(img.entrypoint) > 0 && len(h.Test) > 1 && h.Test[1] != img.entrypoint[0] {
			t.Errorf("healthcheck runs %s, the image's binary is %s", h.Test[1], img.entrypoint[0])
		}
		if h.Interval == nil || h.Timeout == nil || h.Retries == nil || h.StartPeriod == nil {
			t.Errorf("healthcheck interval/timeout/retries/start_period not all set: %+v", h)
		} else if time.Duration(*h.Timeout) <= 2*time.Second {
			t.Errorf("healthcheck timeout %v does not leave the probe its 2 s", *h.Timeout)
		}
	})

	t.Run("lifecycle", func(t *testing.T) {
		if svc.Restart != "unless-stopped" {
			t.Errorf("restart = %q, want unless-stopped", svc.Restart)
		}
		if svc.StopGracePeriod == nil || time.Duration(*svc.StopGracePeriod) <= 10*time.Second {
			t.Errorf("stop_grace_period = %v, want more than the server's 10 s drain", svc.StopGracePeriod)
		}
		if svc.StopSignal != "" && svc.StopSignal != "SIGTERM" {
			t.Errorf("stop_signal = %s, want the image's SIGTERM", svc.StopSignal)
		}
	})

	t.Run("example consumer", func(t *testing.T) {
		if _, err := p.GetService(composeConsumer); err == nil {
			t.Errorf("%s runs without --profile example", composeConsumer)
		}
		ex := loadCompose(t, nil, "example")
		c, err := ex.GetService(composeConsumer)
		if err != nil {
			t.Fatalf("with --profile example: %v", err)
		}
		if !slices.Equal(c.Profiles, []string{"example"}) {
			t.Errorf("profiles = %q, want [example]", c.Profiles)
		}
		dep, ok := c.DependsOn[composeService]
		if !ok || dep.Condition != types.ServiceConditionHealthy {
			t.Errorf("depends_on = %+v, want %s: service_healthy", c.DependsOn, composeService)
		}
		if got := c.Environment["API_BASE_URL"]; got == nil || *got != "http://arklow-mock:3123" {
			t.Errorf("API_BASE_URL = %v, want http://arklow-mock:3123", strOrNil(got))
		}
		if c.Image == "" || len(c.Command) == 0 {
			t.Errorf("image %q command %q, want an image and a command", c.Image, c.Command)
		}
	})
}

// repoDir is the repository root as an absolute path.
func repoDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func strOrNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// ---- the binary, built as the Dockerfile builds it -----------------------

var imageBinary struct {
	once sync.Once
	img  *dockerImage
	bin  []byte
	err  error
}

// containerBinary builds the binary once per test run with the Dockerfile's
// own go build line (its env and flags, VERSION=containerTestVersion), and
// returns its bytes; each test writes them where it needs them.
func containerBinary(t *testing.T) (*dockerImage, []byte) {
	t.Helper()
	imageBinary.once.Do(func() {
		imageBinary.img, imageBinary.bin, imageBinary.err = buildAsDockerfile()
	})
	if imageBinary.err != nil {
		t.Fatal(imageBinary.err)
	}
	return imageBinary.img, imageBinary.bin
}

// buildAsDockerfile builds for this machine's platform, as buildx does when
// no --platform is given.
func buildAsDockerfile() (*dockerImage, []byte, error) {
	return buildAsDockerfileFor(runtime.GOOS, runtime.GOARCH)
}

// buildAsDockerfileFor builds as `docker buildx build --platform
// goos/goarch` would: the Dockerfile's build line with the target's
// TARGETOS and TARGETARCH.
func buildAsDockerfileFor(goos, goarch string) (*dockerImage, []byte, error) {
	img, err := parseDockerfile(map[string]string{"VERSION": containerTestVersion, "TARGETOS": goos, "TARGETARCH": goarch})
	if err != nil {
		return nil, nil, err
	}
	b := img.build
	if len(b.argv) < 2 || b.argv[0] != "go" || b.output == "" {
		return nil, nil, fmt.Errorf("cannot replay the build line %q", b.argv)
	}
	dir, err := os.MkdirTemp("", "arklow-mock-image-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	// The build stage's WORKDIR after COPY . .: the build context.
	src := filepath.Join(dir, "src")
	if err := buildContext(src); err != nil {
		return nil, nil, fmt.Errorf("build context: %w", err)
	}
	out := filepath.Join(dir, "arklow-mock")
	argv := slices.Clone(b.argv[1:])
	argv[slices.Index(argv, "-o")+1] = out
	goTool, err := exec.LookPath("go") // go test puts its GOROOT/bin first on PATH
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, argv...)
	cmd.Dir = src
	// The toolchain's own settings (GOPATH, caches, proxy) come from here;
	// the settings that change the output are dropped, as the golang image
	// has none, and the Dockerfile's are applied. The context has no .git
	// (.dockerignore): -buildvcs=false keeps a repository above the temp
	// dir, if any, from being stamped.
	for _, e := range os.Environ() {
		k, _, _ := strings.Cut(e, "=")
		if strings.HasPrefix(k, "CGO_") || slices.Contains([]string{"GOOS", "GOARCH", "GOFLAGS", "GOEXPERIMENT", "GOAMD64", "GOARM64", "GO386"}, k) {
			continue
		}
		cmd.Env = append(cmd.Env, e)
	}
	cmd.Env = append(cmd.Env, "GOFLAGS=-buildvcs=false")
	cmd.Env = append(cmd.Env, b.env...)
	if output, err := cmd.CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("go %s: %v\n%s", strings.Join(argv, " "), err, output)
	}
	bin, err := os.ReadFile(out)
	return img, bin, err
}

// ---- running it as the container would -----------------------------------

// runMode is how a command is put in the image's root: as root, a chroot and
// the image's USER; otherwise a user namespace in which we are root.
type runMode struct {
	name string
	attr func(root string, pidNS bool) *syscall.SysProcAttr
}

func imageRunModes(img *dockerImage) []runMode {
	var modes []runMode
	if os.Geteuid() == 0 {
		uid, gid, _ := img.uidGid()
		modes = append(modes, runMode{"chroot as USER " + img.user, func(root string, pidNS bool) *syscall.SysProcAttr {
			a := &syscall.SysProcAttr{Chroot: root, Credential: &syscall.Credential{Uid: uid, Gid: gid}}
			if pidNS {
				a.Cloneflags = syscall.CLONE_NEWPID
			}
			return a
		}})
	}
	// Unprivileged: a user namespace (with its own mount namespace, which
	// chroot needs) maps our uid to 0. The image's USER cannot be taken
	// there: only one uid is mapped.
	uid, gid := os.Getuid(), os.Getgid()
	modes = append(modes, runMode{"chroot in a user namespace", func(root string, pidNS bool) *syscall.SysProcAttr {
		a := &syscall.SysProcAttr{
			Chroot:      root,
			Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
			UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}},
			GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}},
		}
		if pidNS {
			a.Cloneflags |= syscall.CLONE_NEWPID
		}
		return a
	}})
	return modes
}

// imageRoot lays out a root directory as the image's filesystem: each COPY of
// the final stage, from the build context (the repository) or, for the
// binary, from the build.
func imageRoot(t *testing.T, img *dockerImage, bin []byte) string {
	t.Helper()
	root := t.TempDir()
	// The image's USER must be able to walk from / (t.TempDir is 0700).
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	// distroless has a world-writable /tmp; so does this root.
	if err := os.Mkdir(filepath.Join(root, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "tmp"), 0o1777); err != nil {
		t.Fatal(err)
	}
	mkdirs := func(dir string) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range img.copies {
		if c.from != "" {
			if bc, ok := img.binaryCopy(); !ok || bc.dest != c.dest {
				t.Fatalf("COPY --from=%s %v %s: only the built binary can be laid out here", c.from, c.sources, c.dest)
			}
			dst := filepath.Join(root, c.dest)
			if strings.HasSuffix(c.dest, "/") {
				dst = filepath.Join(dst, path.Base(img.build.output))
			}
			mkdirs(filepath.Dir(dst))
			if err := os.WriteFile(dst, bin, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		for _, src := range c.sources {
			info, err := os.Stat(inRepo(src))
			if err != nil {
				t.Fatalf("COPY %s: %v", src, err)
			}
			dst := filepath.Join(root, c.dest)
			if !info.IsDir() && strings.HasSuffix(c.dest, "/") {
				dst = filepath.Join(dst, filepath.Base(src))
			}
			copyWithModes(t, inRepo(src), dst)
		}
	}
	mkdirs(filepath.Join(root, img.workdir))
	return root
}

// copyWithModes copies a file or the contents of a directory, keeping the
// permission bits, as COPY does (a file unreadable by the image's USER here
// would be unreadable in the image too).
func copyWithModes(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			return os.Chmod(target, info.Mode().Perm())
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
			return err
		}
		return os.Chmod(target, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// imageCommand runs argv (a path in the image) in root, in WORKDIR, with an
// empty environment plus the image's ENV and overrides (as `docker run -e`).
func imageCommand(ctx context.Context, img *dockerImage, root string, attr *syscall.SysProcAttr, overrides map[string]string, argv ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = img.workdir // inside the chroot
	cmd.SysProcAttr = attr
	cmd.Env = []string{}
	set := map[string]bool{}
	for _, e := range img.env {
		k, _, _ := strings.Cut(e, "=")
		if v, ok := overrides[k]; ok {
			e = k + "=" + v
		}
		cmd.Env = append(cmd.Env, e)
		set[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(overrides)) { // as docker run -e adds them
		if !set[k] {
			cmd.Env = append(cmd.Env, k+"="+overrides[k])
		}
	}
	return cmd
}

// chrootImpossible tells a refusal of the chroot or namespace itself from a
// failure of the program in it.
func chrootImpossible(err error) bool {
	return errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EUSERS)
}

// freeLoopbackAddr returns a 127.0.0.1 address with a port free a moment ago.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// imageProcess is a started arklow-mock process.
type imageProcess struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{} // closed when it has exited
	err            error         // Wait's result, once done
}

func startImageProcess(t *testing.T, cmd *exec.Cmd) (*imageProcess, error) {
	t.Helper()
	p := &imageProcess{cmd: cmd, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Kill()
			select {
			case <-p.done:
			case <-time.After(10 * time.Second):
				t.Errorf("pid %d did not die after SIGKILL", cmd.Process.Pid)
			}
		}
	})
	return p, nil
}

func (p *imageProcess) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM and requires exit code 0 within the bound.
func (p *imageProcess) stop(t *testing.T, within time.Duration) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	p.waitExit0(t, within)
}

func (p *imageProcess) waitExit0(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(within):
		t.Fatalf("still running %v after SIGTERM\nstderr: %s", within, p.stderr)
	}
	if p.err != nil {
		t.Fatalf("exit after SIGTERM: %v (code %d), want code 0\nstderr: %s", p.err, p.cmd.ProcessState.ExitCode(), p.stderr)
	}
}

// imagePost sends c to base with a bounded client of its own (a fresh
// connection), returning the status and data object.
func imagePost(ctx context.Context, base string, c call, trace *httptrace.ClientTrace) (int, map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+backupPath, strings.NewReader(c.body))
	if err != nil {
		return 0, nil, err
	}
	for k, v := range c.headers {
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	if trace != nil {
		req = req.WithContext(httptrace.WithClientTrace(ctx, trace))
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 15 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	var env struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("body %s: %w", body, err)
	}
	return resp.StatusCode, env.Data, nil
}

func TestStaticBinaryRunsAsTheContainerWould(t *testing.T) {
	img, bin := containerBinary(t)
	if len(img.entrypoint) == 0 || !path.IsAbs(img.entrypoint[0]) || img.envMap["MOCK_ADDR"] == "" {
		t.Fatalf("the Dockerfile has no absolute exec-form ENTRYPOINT (%q) or no MOCK_ADDR", img.entrypoint)
	}

	t.Run("static", func(t *testing.T) {
		f, err := elf.NewFile(bytes.NewReader(bin))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("the binary has a PT_INTERP (a dynamic loader): it cannot run on distroless/static or scratch")
			}
		}
		if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
			t.Errorf("the binary needs shared libraries %v (%v)", libs, err)
		}
		if f.Section(".symtab") != nil {
			t.Errorf("the binary has a symbol table: -s was not applied")
		}
		info, err := buildinfo.Read(bytes.NewReader(bin))
		if err != nil {
			t.Fatal(err)
		}
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if settings["CGO_ENABLED"] != "0" || settings["-trimpath"] != "true" {
			t.Errorf("build settings CGO_ENABLED=%q -trimpath=%q, want 0 and true", settings["CGO_ENABLED"], settings["-trimpath"])
		}
	})

	root := imageRoot(t, img, bin)
	// Only loopback traffic is allowed on this machine and in CI: the server
	// listens on a free 127.0.0.1 port instead of the image's 0.0.0.0:3123.
	addr := freeLoopbackAddr(t)
	env := map[string]string{"MOCK_ADDR": addr}
	// The compose file's MOCK_ALLOWED_HOSTS, so that the service name
	// other containers call it by is served.
	svc, err := loadCompose(t, nil).GetService(composeService)
	if err != nil {
		t.Fatal(err)
	}
	if v := svc.Environment["MOCK_ALLOWED_HOSTS"]; v != nil {
		env["MOCK_ALLOWED_HOSTS"] = *v
	}

	// Find a way into the root: `arklow-mock version`, run as the
	// container would, tells whether the chroot works and that -X stamped
	// the version.
	var mode *runMode
	var refusals []string
	for _, m := range imageRunModes(img) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := imageCommand(ctx, img, root, m.attr(root, false), env, append(slices.Clone(img.entrypoint), "version")...)
		out, err := cmd.CombinedOutput()
		cancel()
		var exitErr *exec.ExitError
		if err != nil && !errors.As(err, &exitErr) && chrootImpossible(err) {
			refusals = append(refusals, fmt.Sprintf("%s: %v", m.name, err))
			continue
		}
		if err != nil {
			t.Fatalf("%s: arklow-mock version: %v\n%s", m.name, err, out)
		}
		if !strings.Contains(string(out), "arklow-mock "+containerTestVersion) {
			t.Errorf("version = %q, want %s stamped by the Dockerfile's -ldflags -X", out, containerTestVersion)
		}
		mode = &m
		break
	}
	if mode == nil {
		msg := "cannot chroot into the image root, even in a user namespace: " + strings.Join(refusals, "; ")
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Logf("running as the container: %s", mode.name)

	// The server is PID 1 of its own PID namespace, as in a container: the
	// kernel drops signals to a PID 1 that does not handle them.
	server, err := startImageProcess(t, imageCommand(context.Background(), img, root, mode.attr(root, true), env, slices.Concat(img.entrypoint, img.cmd)...))
	if err != nil {
		t.Fatalf("start: %v", err)
	}

	// The image's HEALTHCHECK (exec form: CMD argv...), run the same way,
	// until it passes.
	if img.health == nil || img.health.Health == nil || len(img.health.Health.Test) < 2 || img.health.Health.Test[0] != "CMD" {
		t.Fatalf("the Dockerfile has no exec-form HEALTHCHECK to run")
	}
	probe := img.health.Health.Test[1:]
	health := func(env map[string]string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		out, err := imageCommand(ctx, img, root, mode.attr(root, false), env, probe...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := health(env)
		if err == nil {
			break
		}
		if server.exited() {
			t.Fatalf("the server exited (%v) before it was healthy\nstdout: %s\nstderr: %s", server.err, server.stdout, server.stderr)
		}
		if time.Now().After(deadline) {
			t.Fatalf("healthcheck still failing after 20 s: %v\nstderr: %s", err, server.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The image's own MOCK_ADDR host, 0.0.0.0, which the probe dials as
	// 127.0.0.1 (still loopback only).
	_, port, _ := net.SplitHostPort(addr)
	host, _, _ := net.SplitHostPort(img.envMap["MOCK_ADDR"])
	if err := health(map[string]string{"MOCK_ADDR": net.JoinHostPort(host, port)}); err != nil {
		t.Errorf("healthcheck with MOCK_ADDR=%s: %v", net.JoinHostPort(host, port), err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	status, data, err := imagePost(ctx, "http://"+addr, validCall(nil), nil)
	if err != nil || status != http.StatusOK || data["valid"] != true {
		t.Errorf("POST %s = %d %v (%v), want 200 with data.valid true\nstderr: %s", backupPath, status, data, err, server.stderr)
	}
	// Another container calls it by its compose service name; a name
	// nobody listed is refused (DNS rebinding).
	byName := validCall(map[string]string{"Host": composeService + ":3123"})
	if status, data, err := imagePost(ctx, "http://"+addr, byName, nil); err != nil || status != http.StatusOK || data["valid"] != true {
		t.Errorf("POST with Host %s:3123 = %d %v (%v), want 200 (env %v)\nstderr: %s", composeService, status, data, err, env, server.stderr)
	}
	if status, _, _ := imagePost(ctx, "http://"+addr, validCall(map[string]string{"Host": "evil.example"}), nil); status != http.StatusForbidden {
		t.Errorf("POST with Host evil.example = %d, want 403", status)
	}

	server.stop(t, 15*time.Second)
}

// The image of the other architecture gets its own static binary: the
// Dockerfile's build line, run as buildx runs it for that --platform on
// this machine (the build stage is $BUILDPLATFORM), cross-compiles.
func TestDockerfileCrossCompiles(t *testing.T) {
	other, machine := "arm64", elf.EM_AARCH64
	if runtime.GOARCH == "arm64" {
		other, machine = "amd64", elf.EM_X86_64
	}
	_, bin, err := buildAsDockerfileFor("linux", other)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		t.Fatal(err)
	}
	if f.Machine != machine {
		t.Errorf("--platform linux/%s: the binary is for %v, want %v", other, f.Machine, machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("--platform linux/%s: the binary has a dynamic loader", other)
		}
	}
	info, err := buildinfo.Read(bytes.NewReader(bin))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range info.Settings {
		if s.Key == "GOARCH" && s.Value != other {
			t.Errorf("--platform linux/%s: built with GOARCH=%s", other, s.Value)
		}
	}
}

func TestGracefulShutdown(t *testing.T) {
	_, bin := containerBinary(t)
	exe := filepath.Join(t.TempDir(), "arklow-mock")
	if err := os.WriteFile(exe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// Run normally, from the repository (its spec/, fixtures/, scenarios/).
	cmd := exec.Command(exe, "serve", "--addr", "127.0.0.1:0")
	cmd.Dir = repoRoot
	cmd.Env = []string{}
	server, err := startImageProcess(t, cmd)
	if err != nil {
		t.Fatal(err)
	}
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; {
		if m := listening.FindStringSubmatch(server.stdout.String()); m != nil {
			base = m[1]
		} else if server.exited() {
			t.Fatalf("exited before listening: %v\nstderr: %s", server.err, server.stderr)
		} else if time.Now().After(deadline) {
			t.Fatalf("not listening after 20 s\nstdout: %s\nstderr: %s", server.stdout, server.stderr)
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}
	addr := strings.TrimPrefix(base, "http://")

	type result struct {
		status  int
		data    map[string]any
		err     error
		elapsed time.Duration
	}
	describe := func(r *result) string {
		return fmt.Sprintf("status %d data %v error %v after %v", r.status, r.data, r.err, r.elapsed)
	}
	results := make(chan result, 1)
	wrote := make(chan time.Time, 1)
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
		select {
		case wrote <- time.Now():
		default:
		}
	}}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		start := time.Now()
		status, data, err := imagePost(ctx, base, validCall(map[string]string{"X-Mock-Scenario": "slow"}), trace)
		results <- result{status, data, err, time.Since(start)}
	}()
	var sent time.Time
	select {
	case sent = <-wrote:
	case r := <-results:
		t.Fatalf("the slow request ended before it was sent: %s", describe(&r))
	case <-time.After(10 * time.Second):
		t.Fatal("the slow request was not sent within 10 s")
	}
	time.Sleep(300*time.Millisecond - time.Since(sent))
	if err := server.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// Stop accepting: a new connection must fail soon after the signal,
	// while the slow request is still being answered.
	refused := false
	var r *result
	for deadline := time.Now().Add(1500 * time.Millisecond); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			refused = true
			break
		}
		conn.Close()
	}
	select {
	case got := <-results:
		r = &got
	default:
	}
	if !refused {
		t.Errorf("new connections were still accepted 1.5 s after SIGTERM")
	}
	if r != nil {
		t.Errorf("the slow request ended (%s) before the listener closed: the drain was not observed", describe(r))
	} else {
		select {
		case got := <-results:
			r = &got
		case <-time.After(15 * time.Second):
			t.Fatal("the in-flight request did not complete within 15 s of SIGTERM")
		}
	}
	if r.err != nil || r.status != http.StatusOK || r.data["valid"] != true {
		t.Errorf("the in-flight request: %s; want 200 with data.valid true", describe(r))
	}
	if r.elapsed < 2*time.Second {
		t.Errorf("the slow request answered after %v, want its full 2 s", r.elapsed)
	}
	server.waitExit0(t, 15*time.Second)
}
