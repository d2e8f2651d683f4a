// Package repo finds the arklow-mock repository the tools work on.
package repo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// Module is the root module's path: the repository is the folder whose
// go.mod declares it (tools/ and e2e/ have go.mods of their own).
const Module = "github.com/arklow/arklow-mock"

// ErrNotFound is Find's error when no folder at or above dir is the
// repository.
var ErrNotFound = errors.New("no go.mod of " + Module + " at or above the folder")

// Find returns the nearest folder at or above dir (made absolute) whose
// go.mod declares Module.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				if f := strings.Fields(line); len(f) == 2 && f[0] == "module" && f[1] == Module {
					return d, nil
				}
			}
		}
		if filepath.Dir(d) == d {
			return "", ErrNotFound
		}
	}
}
