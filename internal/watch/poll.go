package watch

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Poller is a Watcher for file systems that deliver no change events,
// such as folders bind-mounted into a container by Docker Desktop on
// macOS and Windows: every interval it compares each file's size and
// modification time with the last look.
type Poller struct {
	paths    []string
	interval time.Duration
	last     map[string]stamp
}

// StartPolling takes the first look at paths now; Run reports any
// difference from it.
func StartPolling(paths []string, interval time.Duration) *Poller {
	return &Poller{paths: paths, interval: interval, last: snapshot(paths)}
}

// Run calls onChange after each look that differs from the one before,
// until ctx is done.
func (p *Poller) Run(ctx context.Context, onChange func()) {
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := snapshot(p.paths)
			if !equal(p.last, now) {
				p.last = now
				onChange()
			}
		}
	}
}

// stamp is what a poll compares: a file's size and modification time.
type stamp struct {
	size int64
	mod  time.Time
}

func snapshot(paths []string) map[string]stamp {
	out := map[string]stamp{}
	for _, root := range paths {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil // a vanished file shows as missing below
			}
			if st, err := os.Stat(p); err == nil { // Stat follows symlinks
				out[p] = stamp{st.Size(), st.ModTime()}
			}
			return nil
		})
	}
	return out
}

func equal(a, b map[string]stamp) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !w.mod.Equal(v.mod) || w.size != v.size {
			return false
		}
	}
	return true
}
