package repo

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestFind(t *testing.T) {
	root, err := Find(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "main.go")); err != nil {
		t.Errorf("Find(.) = %s, which has no main.go", root)
	}
	if got, err := Find(filepath.Join(root, "tools", "internal")); err != nil || got != root {
		t.Errorf("Find(tools/internal) = %q, %v; want %q (tools/go.mod is another module)", got, err, root)
	}
	if _, err := Find(t.TempDir()); !errors.Is(err, ErrNotFound) {
		t.Errorf("Find outside the repository: %v, want ErrNotFound", err)
	}
}
