package server_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/server"
)

// A body generated from the schema is the same for the same request (the
// operation, its path parameters and body seed it), so a UI snapshot is
// stable; Prefer: dynamic=true draws a new seed each time.
func TestGeneratedAnswers(t *testing.T) {
	seeds := []uint64{11, 22}
	next := 0
	m := newMock(t, server.Options{Random: func() uint64 { s := seeds[next%len(seeds)]; next++; return s }})
	dynamic := func(device string) answer {
		return m.do(t, backupCall(device, "12345678", map[string]string{"Prefer": "dynamic=true"}))
	}
	a, b := dynamic("1"), dynamic("1")
	if a.status != 200 || a.header.Get("X-Mock-Fixture") != "spec:generated" {
		t.Fatalf("%d %s %s", a.status, a.header.Get("X-Mock-Fixture"), a.body)
	}
	if bytes.Equal(a.body, b.body) {
		t.Errorf("two dynamic answers are equal: %s", a.body)
	}
	// A 2xx generated answer fills data and leaves the envelope's errors null.
	var env struct {
		Data   map[string]any `json:"data"`
		Errors any            `json:"errors"`
	}
	if err := json.Unmarshal(a.body, &env); err != nil || env.Data == nil || env.Errors != nil {
		t.Errorf("body %s: want data filled and errors null", a.body)
	}
	if id, _ := env.Data["device_id"].(string); id == "" || id == "string" {
		t.Errorf("device_id = %q, want a plausible value", env.Data["device_id"])
	}
}

// Without fixtures the spec answers: the same request gets the same
// generated body, another body most likely another one.
func TestGeneratedAnswersAreStable(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"fixtures", "scenarios"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	m := newMockOf(t, mustLoadFolders(t, shippedFolders["spec"], filepath.Join(dir, "fixtures"), filepath.Join(dir, "scenarios")), server.Options{})
	first := m.do(t, backupCall("42", "12345678", nil))
	if first.status != 200 || first.header.Get("X-Mock-Fixture") != "spec:generated" {
		t.Fatalf("%d %s %s", first.status, first.header.Get("X-Mock-Fixture"), first.body)
	}
	for range 20 {
		if a := m.do(t, backupCall("42", "12345678", nil)); !bytes.Equal(a.body, first.body) {
			t.Fatalf("the same request got\n%s\nthen\n%s", first.body, a.body)
		}
	}
	if other := m.do(t, backupCall("43", "12345678", nil)); bytes.Equal(other.body, first.body) {
		t.Errorf("another body got the same answer: %s", other.body)
	}
}

func mustLoadFolders(tb testing.TB, spec, fixtures, scenarios string) *mockset.Set {
	tb.Helper()
	set, err := loadFolders(spec, fixtures, scenarios)
	if err != nil {
		tb.Fatal(err)
	}
	return set
}
