package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// eventually polls f every 20ms until it returns "" or the deadline passes,
// then fails with f's last explanation.
func eventually(t *testing.T, within time.Duration, f func() string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		why := f()
		if why == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, why)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestHotReload(t *testing.T) {
	dir := copyTree(t)
	ts := startIn(t, dir)
	fixturePath := filepath.Join(dir, "fixtures", "mfa", "backup", "valid_code.yaml")
	original, err := os.ReadFile(fixturePath)
	if err != nil {
		t.Fatal(err)
	}
	cacheControl := func() string { return ts.do(t, validCall(nil)).header.Get("Cache-Control") }
	health := func() map[string]any { return ts.do(t, call{method: "GET", path: "/__mock/health"}).data(t) }

	// State that must survive reloads: a used code and the journal.
	realistic := map[string]string{"X-Mock-Scenario": "realistic"}
	ts.do(t, backupCall("77", "77778888", realistic))
	var before []entry
	ts.admin(t, "GET", "/__mock/requests", "", &before)

	t.Run("an edited fixture answers within 1s", func(t *testing.T) {
		write(t, fixturePath, strings.Replace(string(original), "no-store", "no-cache", 1))
		eventually(t, time.Second, func() string {
			if got := cacheControl(); got != "no-cache" {
				return "Cache-Control = " + got + ", want no-cache"
			}
			return ""
		})
	})
	t.Run("a broken fixture keeps the old answer and health names FILE:LINE", func(t *testing.T) {
		broken := strings.Replace(string(original), "no-store", "max-age=1", 1)
		broken = strings.Replace(broken, "verification_type: backup_code", "verification_type: sms", 1)
		write(t, fixturePath, broken)
		eventually(t, 2*time.Second, func() string {
			msg, _ := health()["last_reload_error"].(string)
			if !strings.Contains(msg, "valid_code.yaml:9") {
				return "last_reload_error = " + msg
			}
			return ""
		})
		if got := cacheControl(); got != "no-cache" {
			t.Errorf("after a broken change Cache-Control = %q, want the last good no-cache", got)
		}
	})
	t.Run("fixing it recovers", func(t *testing.T) {
		write(t, fixturePath, strings.Replace(string(original), "no-store", "private", 1))
		eventually(t, 2*time.Second, func() string {
			if got := cacheControl(); got != "private" {
				return "Cache-Control = " + got
			}
			if e := health()["last_reload_error"]; e != nil {
				return "last_reload_error still set"
			}
			return ""
		})
	})
	t.Run("a rename-over save is seen", func(t *testing.T) {
		tmp := filepath.Join(dir, "fixtures", "mfa", "backup", ".valid_code.yaml.tmp")
		write(t, tmp, strings.Replace(string(original), "no-store", "no-transform", 1))
		if err := os.Rename(tmp, fixturePath); err != nil {
			t.Fatal(err)
		}
		eventually(t, 2*time.Second, func() string {
			if got := cacheControl(); got != "no-transform" {
				return "Cache-Control = " + got
			}
			return ""
		})
	})
	t.Run("sequence state and the journal survive", func(t *testing.T) {
		if a := ts.do(t, backupCall("77", "77778888", realistic)); a.status != 409 {
			t.Errorf("a code used before the reloads answers %d, want 409", a.status)
		}
		var after []entry
		ts.admin(t, "GET", "/__mock/requests?operation=post_v1_self_mfa_verify_totp_backup", "", &after)
		if len(after) <= len(before) || after[len(after)-1].ID != before[len(before)-1].ID {
			t.Errorf("journal lost entries across reloads: %d before, %d after", len(before), len(after))
		}
	})
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// With --watch-poll the mock reloads without file events (Docker Desktop
// mounts deliver none).
func TestHotReloadByPolling(t *testing.T) {
	dir := copyTree(t)
	ts := startIn(t, dir, "--watch-poll", "50ms")
	p := filepath.Join(dir, "fixtures", "mfa", "backup", "valid_code.yaml")
	original, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, strings.Replace(string(original), "no-store", "no-cache, polled", 1))
	eventually(t, time.Second, func() string {
		if got := ts.do(t, validCall(nil)).header.Get("Cache-Control"); got != "no-cache, polled" {
			return "Cache-Control = " + got
		}
		return ""
	})
}

// A reload that removes the active scenario leaves requests that name
// none refused; the refusal and /__mock/health both say why.
func TestActiveScenarioGoneAfterReload(t *testing.T) {
	dir := copyTree(t)
	ts := startIn(t, dir, "--scenario", "bad-device")
	if err := os.Remove(filepath.Join(dir, "scenarios", "bad-device.yaml")); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Second, func() string {
		if a := ts.do(t, validCall(nil)); a.status != 400 {
			return fmt.Sprintf("status %d, want 400 once the reload removed the active scenario", a.status)
		}
		return ""
	})
	msg := ts.do(t, validCall(nil)).errorsOf(t)[0]["message"]
	if !strings.Contains(msg, `active scenario "bad-device" is gone`) || strings.HasPrefix(msg, "header.") {
		t.Errorf("message = %q, want it to say the active scenario is gone (no header was sent)", msg)
	}
	warnings, _ := ts.do(t, call{method: "GET", path: "/__mock/health"}).data(t)["warnings"].([]any)
	if len(warnings) != 1 || !strings.Contains(fmt.Sprint(warnings[0]), "bad-device") {
		t.Errorf("health warnings = %v, want one naming bad-device", warnings)
	}
}
