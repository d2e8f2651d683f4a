package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in, tag, npm string
		ok           bool
	}{
		{"v1.2.3", "v1.2.3", "1.2.3", true},
		{"1.2.3", "v1.2.3", "1.2.3", true},
		{"v0.1.0-rc.1", "v0.1.0-rc.1", "0.1.0-rc.1", true},
		{"v10.20.30-alpha-2.x", "v10.20.30-alpha-2.x", "10.20.30-alpha-2.x", true},
		{"", "", "", false},
		{"v1.2", "", "", false},
		{"v01.2.3", "", "", false},
		{"v1.2.3+build.5", "", "", false},
		{"v1.2.3-", "", "", false},
		{"latest", "", "", false},
	}
	for _, tc := range tests {
		tag, npm, err := parseVersion(tc.in)
		if (err == nil) != tc.ok || tag != tc.tag || npm != tc.npm {
			t.Errorf("parseVersion(%q) = %q, %q, %v; want %q, %q, ok %v", tc.in, tag, npm, err, tc.tag, tc.npm, tc.ok)
		}
	}
}

func TestParseTargets(t *testing.T) {
	got, err := parseTargets("linux/amd64, darwin/arm64,linux/amd64")
	if err != nil || !slices.Equal(got, []target{{"linux", "amd64"}, {"darwin", "arm64"}}) {
		t.Errorf("parseTargets = %v, %v; want linux/amd64 and darwin/arm64 once each", got, err)
	}
	for _, bad := range []string{"linux/386", "plan9/amd64", "linux", ""} {
		if _, err := parseTargets(bad); err == nil {
			t.Errorf("parseTargets(%q) accepted it", bad)
		}
	}
}

func TestTargetNames(t *testing.T) {
	tests := []struct {
		t                target
		npm, exe, asset  string
		wantOS, wantArch string
	}{
		{target{"linux", "amd64"}, "@arklow/mock-linux-x64", "arklow-mock", "arklow-mock_1.2.3_linux_amd64", "linux", "x64"},
		{target{"darwin", "arm64"}, "@arklow/mock-darwin-arm64", "arklow-mock", "arklow-mock_1.2.3_darwin_arm64", "darwin", "arm64"},
		{target{"windows", "amd64"}, "@arklow/mock-win32-x64", "arklow-mock.exe", "arklow-mock_1.2.3_windows_amd64.exe", "win32", "x64"},
	}
	for _, tc := range tests {
		if got := tc.t.npmName(); got != tc.npm {
			t.Errorf("%s npmName = %q, want %q", tc.t, got, tc.npm)
		}
		if got := tc.t.exe(); got != tc.exe {
			t.Errorf("%s exe = %q, want %q", tc.t, got, tc.exe)
		}
		if got := tc.t.asset("1.2.3"); got != tc.asset {
			t.Errorf("%s asset = %q, want %q", tc.t, got, tc.asset)
		}
		if nodeOS[tc.t.GOOS] != tc.wantOS || nodeCPU[tc.t.GOARCH] != tc.wantArch {
			t.Errorf("%s is %s/%s for Node, want %s/%s", tc.t, nodeOS[tc.t.GOOS], nodeCPU[tc.t.GOARCH], tc.wantOS, tc.wantArch)
		}
	}
}

// repoRoot is the repository, found as the tool finds it.
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := findRepo(wd)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "main.go")); err != nil {
		t.Fatalf("findRepo found %s, which has no main.go: %v", root, err)
	}
	return root
}

// fakeRelease is a release of every target whose builds write a few bytes
// naming their target, instead of compiling.
func fakeRelease(t *testing.T) (*release, *bytes.Buffer) {
	t.Helper()
	var log bytes.Buffer
	r := &release{repo: repoRoot(t), out: filepath.Join(t.TempDir(), "dist"), tag: "v1.2.3", npm: "1.2.3", targets: Targets, log: &log}
	r.build = func(_ context.Context, tg target, output string) error {
		return os.WriteFile(output, []byte("binary for "+tg.String()), 0o755)
	}
	return r, &log
}

func readJSON(t *testing.T, p string, v any) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v\n%s", p, err, data)
	}
}

func TestRelease(t *testing.T) {
	r, log := fakeRelease(t)
	if err := r.run(context.Background()); err != nil {
		t.Fatal(err)
	}

	t.Run("a binary per target, with its SHA-256 sum", func(t *testing.T) {
		sums, err := os.ReadFile(filepath.Join(r.out, "SHA256SUMS"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(sums), "\n"), "\n")
		if len(lines) != len(Targets) {
			t.Fatalf("SHA256SUMS has %d lines, want %d:\n%s", len(lines), len(Targets), sums)
		}
		for i, tg := range Targets {
			asset := tg.asset("1.2.3")
			sum, err := sha256File(filepath.Join(r.out, asset))
			if err != nil {
				t.Fatal(err)
			}
			if want := sum + "  " + asset; lines[i] != want {
				t.Errorf("SHA256SUMS line %d = %q, want %q (sha256sum -c's format)", i+1, lines[i], want)
			}
		}
	})

	t.Run("a platform package per target, holding its binary", func(t *testing.T) {
		for _, tg := range Targets {
			dir := filepath.Join(r.out, "npm", "mock-"+tg.npmPlatform())
			var m struct {
				Name, Version string
				OS            []string `json:"os"`
				CPU           []string `json:"cpu"`
				Files         []string
				Bin           any
			}
			readJSON(t, filepath.Join(dir, "package.json"), &m)
			if m.Name != tg.npmName() || m.Version != "1.2.3" || !slices.Equal(m.OS, []string{nodeOS[tg.GOOS]}) || !slices.Equal(m.CPU, []string{nodeCPU[tg.GOARCH]}) {
				t.Errorf("%s package.json: %s@%s os %q cpu %q", tg, m.Name, m.Version, m.OS, m.CPU)
			}
			if m.Bin != nil {
				t.Errorf("%s package.json has a bin: only @arklow/mock's launcher is a command", tg)
			}
			if want := []string{"bin/" + tg.exe()}; !slices.Equal(m.Files, want) {
				t.Errorf("%s files = %q, want %q", tg, m.Files, want)
			}
			bin := filepath.Join(dir, "bin", tg.exe())
			data, err := os.ReadFile(bin)
			if err != nil || string(data) != "binary for "+tg.String() {
				t.Errorf("%s: %s = %q (%v), want the target's binary", tg, bin, data, err)
			}
			if st, err := os.Stat(bin); err != nil || st.Mode().Perm() != 0o755 {
				t.Errorf("%s: %s mode %v (%v), want 0755", tg, bin, st.Mode(), err)
			}
			if readme, err := os.ReadFile(filepath.Join(dir, "README.md")); err != nil || !strings.Contains(string(readme), "Install or run `@arklow/mock`") {
				t.Errorf("%s README.md: %v\n%s", tg, err, readme)
			}
		}
	})

	t.Run("the front package: the launcher and every platform at the same version", func(t *testing.T) {
		dir := filepath.Join(r.out, "npm", "mock")
		var m struct {
			Name, Version        string
			Bin                  map[string]string
			Files                []string
			OptionalDependencies map[string]string
			Dependencies         map[string]string
		}
		readJSON(t, filepath.Join(dir, "package.json"), &m)
		if m.Name != "@arklow/mock" || m.Version != "1.2.3" {
			t.Errorf("front package is %s@%s, want @arklow/mock@1.2.3", m.Name, m.Version)
		}
		if len(m.Bin) != 1 || m.Bin["arklow-mock"] != "bin/arklow-mock.js" {
			t.Errorf("bin = %v, want arklow-mock: bin/arklow-mock.js alone (npx @arklow/mock runs it)", m.Bin)
		}
		if !slices.Contains(m.Files, "bin/arklow-mock.js") {
			t.Errorf("files = %q, want the launcher in it", m.Files)
		}
		if len(m.Dependencies) > 0 {
			t.Errorf("dependencies = %v, want none: the platform packages are optional", m.Dependencies)
		}
		want := map[string]string{}
		for _, tg := range Targets {
			want[tg.npmName()] = "1.2.3"
		}
		if fmt.Sprint(m.OptionalDependencies) != fmt.Sprint(want) {
			t.Errorf("optionalDependencies = %v, want %v", m.OptionalDependencies, want)
		}
		launcher, err := os.ReadFile(filepath.Join(dir, "bin", "arklow-mock.js"))
		if err != nil {
			t.Fatal(err)
		}
		template, err := os.ReadFile(filepath.Join(r.repo, "npm", "mock", "bin", "arklow-mock.js"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(launcher, template) || !bytes.HasPrefix(launcher, []byte("#!/usr/bin/env node\n")) {
			t.Errorf("the launcher is not npm/mock/bin/arklow-mock.js as it is, with its #! line")
		}
		if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
			t.Errorf("no README.md for npm: %v", err)
		}
	})

	t.Run("the log says how to publish, platform packages first", func(t *testing.T) {
		out := log.String()
		first := strings.Index(out, "npm publish --access public "+filepath.Join(r.out, "npm", "mock-linux-x64"))
		front := strings.Index(out, "npm publish --access public "+filepath.Join(r.out, "npm", "mock")+"\n")
		if first < 0 || front < 0 || front < first {
			t.Errorf("the log lacks the publish commands in order:\n%s", out)
		}
	})

	t.Run("a folder with files in it is not written over", func(t *testing.T) {
		again := *r
		again.log = io.Discard
		if err := again.run(context.Background()); err == nil || !strings.Contains(err.Error(), "is not empty") {
			t.Errorf("a second release into %s: %v, want a refusal", r.out, err)
		}
	})
}

func TestRunRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-version", "1.2"},
		{"-version", "v1.2.3", "-targets", "linux/riscv64"},
		{"-version", "v1.2.3", "extra"},
	} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

func TestFindRepoSkipsNestedModules(t *testing.T) {
	root := repoRoot(t)
	if got, err := findRepo(filepath.Join(root, "tools", "release")); err != nil || got != root {
		t.Errorf("findRepo(tools/release) = %q, %v; want %q", got, err, root)
	}
	if _, err := findRepo(t.TempDir()); err == nil {
		t.Error("findRepo outside the repository found one")
	}
}
