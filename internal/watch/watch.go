// Package watch calls a function when files under some paths change,
// once per burst of changes. It watches directories, not files, so editors
// that save by writing a temporary file and renaming it over the original
// (vim, JetBrains, most IDEs), Kubernetes ConfigMap symlink swaps and bind
// mounts updated from the host are all seen.
//
// Watching is split in two steps so that no change is missed: Start
// registers the watches (or takes the first snapshot) and Run delivers
// what happened since. A caller that starts before reading the files and
// runs after sees every change made after its read.
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

// Watcher reports file system events under its paths.
type Watcher struct {
	w        *fsnotify.Watcher
	roots    []string // cleaned absolute paths; events outside them are ignored
	debounce time.Duration
}

// Start watches paths (files or directories, recursively). Events are
// queued from now on; Run delivers them. Close releases the watches.
func Start(paths []string, debounce time.Duration) (*Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	wt := &Watcher{w: w, debounce: debounce}
	if err := wt.add(paths); err != nil {
		w.Close()
		return nil, err
	}
	return wt, nil
}

func (wt *Watcher) add(paths []string) error {
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("watch %s: %w", p, err)
		}
		wt.roots = append(wt.roots, abs)
		st, err := os.Stat(abs)
		if err != nil {
			return fmt.Errorf("watch: %w", err)
		}
		// A file's folder is watched to see rename-over saves; a folder's
		// parent, to see the folder itself replaced (rm -rf and copy
		// again, or a rename): the new folder is then watched in turn.
		if err := wt.w.Add(filepath.Dir(abs)); err != nil {
			return fmt.Errorf("watch %s: %w", p, err)
		}
		if !st.IsDir() {
			continue
		}
		if err := addTree(wt.w, abs); err != nil {
			return err
		}
	}
	return nil
}

// Close stops watching. Run returns when it notices.
func (wt *Watcher) Close() error { return wt.w.Close() }

// Run calls onChange after changes have been quiet for the debounce,
// until ctx is done or the watcher is closed. onChange runs on Run's
// goroutine, so calls never overlap. Errors from the watcher itself go to
// onError.
func (wt *Watcher) Run(ctx context.Context, onChange func(), onError func(error)) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-wt.w.Events:
			if !ok {
				return
			}
			if !under(wt.roots, ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					_ = addTree(wt.w, ev.Name) // a new sub-folder of fixtures/
				}
			}
			timer.Reset(wt.debounce)
		case err, ok := <-wt.w.Errors:
			if !ok {
				return
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
