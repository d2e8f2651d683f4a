package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/cli"
)

// readmeTS is the README's TypeScript example: the ts block after the
// marker that says it is type-checked here.
var readmeTS = regexp.MustCompile("(?s)<!-- type-checked by e2e/typescript_test.go[^>]*-->\\s*```ts\\n(.*?)```")

// The README's Playwright example compiles against what `arklow-mock
// types` prints for the shipped files (TypeScript 5, strict), and a
// mistyped scenario name does not.
func TestTypeScriptExampleCompiles(t *testing.T) {
	tsc := filepath.Join("typescript", "node_modules", ".bin", "tsc")
	if _, err := os.Stat(tsc); err != nil {
		msg := "TypeScript is not installed: run `npm ci` in e2e/typescript"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " — CI must run this check")
		}
		t.Skip(msg)
	}
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := readmeTS.FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no type-checked ts example")
	}
	var decl bytes.Buffer
	getenv := func(string) string { return "" }
	args := []string{"arklow-mock", "types", "--spec", filepath.Join(repoRoot, "spec"), "--fixtures", filepath.Join(repoRoot, "fixtures"), "--scenarios", filepath.Join(repoRoot, "scenarios")}
	if err := cli.Run(context.Background(), args, getenv, &decl, os.Stderr); err != nil {
		t.Fatalf("arklow-mock types: %v", err)
	}

	// check compiles example.ts beside the declarations with the pinned
	// TypeScript and returns its output.
	check := func(t *testing.T, example string) (string, error) {
		dir := t.TempDir()
		files := map[string][]byte{"arklow-mock.d.ts": decl.Bytes(), "example.ts": []byte(example)}
		tsconfig, err := os.ReadFile(filepath.Join("typescript", "tsconfig.json"))
		if err != nil {
			t.Fatal(err)
		}
		files["tsconfig.json"] = tsconfig
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		modules, _ := filepath.Abs(filepath.Join("typescript", "node_modules"))
		if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(filepath.Join(modules, ".bin", "tsc"), "-p", dir)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	t.Run("the README's example compiles", func(t *testing.T) {
		if out, err := check(t, string(m[1])); err != nil {
			t.Errorf("tsc: %v\n%s\nexample:\n%s", err, out, m[1])
		}
	})
	t.Run("a mistyped scenario name does not", func(t *testing.T) {
		typo := strings.Replace(string(m[1]), "'realistic'", "'realistik'", 1)
		if typo == string(m[1]) {
			t.Fatal("the README's example names no 'realistic' scenario to mistype")
		}
		out, err := check(t, typo)
		if err == nil || !strings.Contains(out, `"realistik"`) {
			t.Errorf("tsc accepted a mistyped scenario name (%v):\n%s", err, out)
		}
	})
}
