package watch

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// startWatch watches paths and returns a counter of onChange calls.
// Start returns with the watches in place, so no sleep is needed before
// changing files.
func startWatch(t *testing.T, paths ...string) *atomic.Int32 {
	t.Helper()
	w, err := Start(paths, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	return run(t, w)
}

// run runs w until the test ends and counts its onChange calls.
func run(t *testing.T, w *Watcher) *atomic.Int32 {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	done := make(chan struct{})
	go func() {
		w.Run(ctx, func() { calls.Add(1) }, func(err error) { t.Errorf("watch error: %v", err) })
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &calls
}

// A change made after Start and before Run is delivered: the mock starts
// watching before its first read of the files, and runs the loop only
// once it serves.
func TestChangeBeforeRunIsSeen(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.yaml"), "old")
	w, err := Start([]string{dir}, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "a.yaml"), "new")
	calls := run(t, w)
	waitFor(t, calls, 1)
}

func TestStartFailsOnAMissingPath(t *testing.T) {
	if _, err := Start([]string{filepath.Join(t.TempDir(), "nope")}, time.Millisecond); err == nil {
		t.Fatal("Start on a missing folder returned no error")
	}
}

// waitFor polls until calls reaches n, bounded.
func waitFor(t *testing.T, calls *atomic.Int32, n int32) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for calls.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("onChange called %d times, want %d", calls.Load(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBurstOfWritesCallsOnce(t *testing.T) {
	dir := t.TempDir()
	calls := startWatch(t, dir)
	for i := range 5 {
		write(t, filepath.Join(dir, "a.yaml"), string(rune('a'+i)))
	}
	waitFor(t, calls, 1)
	time.Sleep(150 * time.Millisecond)
	if n := calls.Load(); n != 1 {
		t.Errorf("onChange called %d times for one burst, want 1", n)
	}
}

func TestSeesRenameOverAndNewSubfolders(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.yaml"), "old")
	calls := startWatch(t, dir)
	// An editor's save: write a temporary file, rename it over the original.
	tmp := filepath.Join(dir, ".a.yaml.swp")
	write(t, tmp, "new")
	if err := os.Rename(tmp, filepath.Join(dir, "a.yaml")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, calls, 1)
	sub := filepath.Join(dir, "mfa", "backup")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	waitFor(t, calls, 2)
	write(t, filepath.Join(sub, "b.yaml"), "x")
	waitFor(t, calls, 3)
}

func TestSingleFileIgnoresItsNeighbours(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "openapi.yaml")
	write(t, spec, "a")
	calls := startWatch(t, spec)
	write(t, filepath.Join(dir, "notes.txt"), "unrelated")
	time.Sleep(200 * time.Millisecond)
	if n := calls.Load(); n != 0 {
		t.Fatalf("a neighbour's change triggered %d reloads", n)
	}
	write(t, spec, "b")
	waitFor(t, calls, 1)
}

// Polling sees edits, new files and removals, and nothing when nothing
// changes.
func TestPollSeesChanges(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.yaml"), "a")
	p := StartPolling([]string{dir}, 20*time.Millisecond)
	calls := poll(t, p)
	time.Sleep(100 * time.Millisecond)
	if n := calls.Load(); n != 0 {
		t.Fatalf("%d changes seen with none made", n)
	}
	write(t, filepath.Join(dir, "a.yaml"), "a longer content")
	waitFor(t, calls, 1)
	write(t, filepath.Join(dir, "b.yaml"), "b")
	waitFor(t, calls, 2)
	if err := os.Remove(filepath.Join(dir, "a.yaml")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, calls, 3)
}

// The first look is StartPolling's: a change before Run is still seen.
func TestPollChangeBeforeRunIsSeen(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.yaml"), "a")
	p := StartPolling([]string{dir}, 20*time.Millisecond)
	write(t, filepath.Join(dir, "a.yaml"), "a longer content")
	waitFor(t, poll(t, p), 1)
}

// poll runs p until the test ends and counts its onChange calls.
func poll(t *testing.T, p *Poller) *atomic.Int32 {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	done := make(chan struct{})
	go func() { p.Run(ctx, func() { calls.Add(1) }); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &calls
}

// A watched folder replaced as a whole (rm -rf and copy again, or moved
// away and recreated) keeps being watched: later edits in it are seen.
func TestReplacedFolderIsWatchedAgain(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "scenarios")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "a.yaml"), "a")
	neighbour := filepath.Join(parent, "README.md")
	calls := startWatch(t, dir)
	if err := os.Rename(dir, dir+".old"); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "a.yaml"), "b")
	waitFor(t, calls, 1)
	time.Sleep(150 * time.Millisecond) // let the burst's one call happen
	n := calls.Load()
	write(t, filepath.Join(dir, "a.yaml"), "c") // an edit in the new folder
	waitFor(t, calls, n+1)
	write(t, neighbour, "unrelated") // the parent's other files stay ignored
	time.Sleep(200 * time.Millisecond)
	if got := calls.Load(); got != n+1 {
		t.Errorf("a neighbour of the watched folder triggered %d reloads", got-n-1)
	}
}
