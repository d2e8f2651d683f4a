package e2e

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var soakFor = flag.Duration("soak", 3*time.Second, "how long TestSoak runs (the README's figures: -soak 20s)")

// TestSoak is a bounded load test on loopback: 100 concurrent clients mix
// scenarios, sessions, invalid requests and admin calls while fixtures are
// hot-reloaded (a broken change among them). It requires no 5xx that a
// scenario did not ask for, no journal entry lost, and goroutines and heap
// back to where they started. The full run, from e2e/: go test -run TestSoak -soak 20s -v .
func TestSoak(t *testing.T) {
	const clients = 100
	dir := copyTree(t)
	ts := launch(t, nil, false, "--spec", filepath.Join(dir, "spec"), "--fixtures", filepath.Join(dir, "fixtures"),
		"--scenarios", filepath.Join(dir, "scenarios"), "--journal-size", "1000", "--log-format", "json")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	runtime.GC()
	goroutinesBefore := runtime.NumGoroutine()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	heapBefore := mem.HeapAlloc

	type kind = string
	var (
		mu        sync.Mutex
		byOutcome = map[kind]int{}
		unasked   []string
		mockSent  atomic.Int64
	)
	record := func(k kind) { mu.Lock(); byOutcome[k]++; mu.Unlock() }
	scenarios := []string{"", "valid-code", "invalid-code", "reused-code", "bad-device", "unauthorized", "rate-limited", "server-error", "realistic"}
	stop := time.Now().Add(*soakFor)

	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			session := fmt.Sprintf("worker-%d", c%10)
			for time.Now().Before(stop) {
				var req *http.Request
				admin := false
				switch n := rng.IntN(100); {
				case n < 5: // admin reads and an idempotent write
					admin = true
					path := []string{"/__mock/requests?limit=20", "/__mock/scenarios", "/__mock/coverage", "/__mock/health"}[rng.IntN(4)]
					req, _ = http.NewRequest("GET", ts.URL+path, nil)
					if n == 0 {
						req, _ = http.NewRequest("PUT", ts.URL+"/__mock/scenario", strings.NewReader(`{"name":"default"}`))
						req.Header.Set("Content-Type", "application/json")
					}
				case n < 25: // invalid requests
					bodies := []string{`{"device_id":"abc","code":"12345678"}`, `{"device_id":"1"}`, `{"device_id":`, strings.Repeat("[", 5000)}
					req, _ = http.NewRequest("POST", ts.URL+backupPath, strings.NewReader(bodies[rng.IntN(len(bodies))]))
					req.Header.Set("Content-Type", "application/json")
					if rng.IntN(4) > 0 {
						req.Header.Set("x-arklow-auth", "ak_soak")
					}
				default: // scenarios, some with sessions
					body := fmt.Sprintf(`{"device_id":"%d","code":"%08d"}`, rng.IntN(50)+1, rng.IntN(1000))
					req, _ = http.NewRequest("POST", ts.URL+backupPath, strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("x-arklow-auth", "ak_soak")
					if sc := scenarios[rng.IntN(len(scenarios))]; sc != "" {
						req.Header.Set("X-Mock-Scenario", sc)
					}
					if rng.IntN(2) == 0 {
						req.Header.Set("X-Mock-Session", session)
					}
				}
				resp, err := client.Do(req)
				if !admin {
					mockSent.Add(1)
				}
				if err != nil {
					record("transport error")
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				fixture := resp.Header.Get("X-Mock-Fixture")
				switch {
				case resp.StatusCode >= 500 && fixture != "mfa/backup/server_error":
					mu.Lock()
					unasked = append(unasked, fmt.Sprintf("%s %s -> %d", req.Method, req.URL.Path, resp.StatusCode))
					mu.Unlock()
					record("5xx not asked for")
				case admin:
					record(fmt.Sprintf("admin %d", resp.StatusCode))
				default:
					record(fmt.Sprintf("mock %d", resp.StatusCode))
				}
			}
		}()
	}

	// Hot reloads while the load runs: valid edits, and a broken one.
	fixturePath := filepath.Join(dir, "fixtures", "mfa", "backup", "valid_code.yaml")
	original, _ := os.ReadFile(fixturePath)
	reloads := 0
	for i := 0; time.Now().Before(stop); i++ {
		time.Sleep(250 * time.Millisecond)
		content := strings.Replace(string(original), "no-store", fmt.Sprintf("max-age=%d", i), 1)
		if i%4 == 3 {
			content = strings.Replace(content, "backup_code", "sms", 1) // broken: the last good set keeps serving
		}
		if err := os.WriteFile(fixturePath, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		reloads++
	}
	wg.Wait()
	os.WriteFile(fixturePath, original, 0o644)

	// The journal lost nothing: its IDs count every mock request, and the
	// ring holds the newest ones without a gap.
	var entries []struct{ ID int64 }
	raw := ts.do(t, call{method: "GET", path: "/__mock/requests"})
	json.Unmarshal(mustJSON(t, raw.json["data"]), &entries)
	lost := mockSent.Load() - entries[0].ID
	for i := 1; i < len(entries); i++ {
		if entries[i].ID != entries[i-1].ID-1 {
			lost++
		}
	}
	kept := min(mockSent.Load(), 1000)

	client.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond) // let server-side connections close
	runtime.GC()
	runtime.ReadMemStats(&mem)
	goroutinesAfter, heapAfter := runtime.NumGoroutine(), mem.HeapAlloc

	var kinds []string
	total := 0
	for k, n := range byOutcome {
		kinds = append(kinds, fmt.Sprintf("%s: %d", k, n))
		total += n
	}
	sort.Strings(kinds)
	t.Logf("soak: %d clients for %s, %d hot reloads (1 in 4 broken)", clients, *soakFor, reloads)
	t.Logf("requests: %d (%.0f/s); by outcome: %s", total, float64(total)/soakFor.Seconds(), strings.Join(kinds, ", "))
	t.Logf("5xx not asked for: %d; journal entries lost: %d (ring of 1000 holds %d)", len(unasked), lost, len(entries))
	t.Logf("goroutines: %d before, %d after; heap: %.1f MB before, %.1f MB after", goroutinesBefore, goroutinesAfter,
		float64(heapBefore)/(1<<20), float64(heapAfter)/(1<<20))

	if len(unasked) > 0 {
		t.Errorf("%d 5xx not asked for, e.g. %s", len(unasked), unasked[0])
	}
	if byOutcome["transport error"] > 0 {
		t.Errorf("%d transport errors", byOutcome["transport error"])
	}
	if lost != 0 || int64(len(entries)) != kept {
		t.Errorf("journal: %d lost, %d kept, want 0 lost and %d kept", lost, len(entries), kept)
	}
	if goroutinesAfter > goroutinesBefore+10 {
		t.Errorf("goroutines grew from %d to %d", goroutinesBefore, goroutinesAfter)
	}
	if heapAfter > heapBefore+16<<20 {
		t.Errorf("heap grew from %d to %d bytes", heapBefore, heapAfter)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
