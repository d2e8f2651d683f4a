// Package watch calls a function when files under some paths change,
// once per burst of changes. It watches directories, not files, so editors
// that save by writing a temporary file and renaming it over the original
// (vim, JetBrains, most IDEs), Kubernetes ConfigMap symlink swaps and bind
// mounts updated from the host are all seen.
package watch

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watch watches paths (files or directories, recursively) until ctx is
// done, calling onChange after changes have been quiet for debounce.
// onChange runs on Watch's goroutine, so calls never overlap. Errors from
// the watcher itself go to onError.
func Watch(ctx context.Context, paths []string, debounce time.Duration, onChange func(), onError func(error)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	defer w.Close()
	var roots []string // cleaned absolute paths; events outside them are ignored
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("watch %s: %w", p, err)
		}
		roots = append(roots, abs)
		st, err := os.Stat(abs)
		if err != nil {
			return fmt.Errorf("watch: %w", err)
		}
		if !st.IsDir() {
			// A single file: watch its folder, to see rename-over saves.
			if err := w.Add(filepath.Dir(abs)); err != nil {
				return fmt.Errorf("watch %s: %w", p, err)
			}
			continue
		}
		if err := addTree(w, abs); err != nil {
			return err
		}
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if !under(roots, ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					_ = addTree(w, ev.Name) // a new sub-folder of fixtures/
				}
			}
			timer.Reset(debounce)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			onError(err)
		case <-timer.C:
			onChange()
		}
	}
}

// addTree watches dir and every folder below it.
func addTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("watch: %w", err)
		}
		if d.IsDir() {
			if err := w.Add(p); err != nil {
				return fmt.Errorf("watch %s: %w", p, err)
			}
		}
		return nil
	})
}

// under reports whether name is one of roots or inside one of them.
func under(roots []string, name string) bool {
	for _, r := range roots {
		if name == r || strings.HasPrefix(name, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
