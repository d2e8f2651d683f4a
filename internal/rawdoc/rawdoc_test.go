package rawdoc_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/rawdoc"
)

const doc = `openapi: 3.1.0
paths:
  /a/{id}:
    get:
      parameters:
        - name: id
          schema: {type: integer, maximum: 1e3}
`

// Every value has its line, found by pointer or through its closest
// ancestor; numbers stay exact.
func TestParseLines(t *testing.T) {
	d, err := rawdoc.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	for ptr, want := range map[string]int{
		"":                                       1,
		"/openapi":                               1,
		"/paths/~1a~1{id}/get":                   5, // a mapping's line is its first key's
		"/paths/~1a~1{id}/get/parameters/0/name": 6,
		"/paths/~1a~1{id}/get/parameters/0/schema/maximum": 7,
		"/paths/~1a~1{id}/get/responses/200":               5, // not written: its closest ancestor's
	} {
		if got := d.Line(ptr); got != want {
			t.Errorf("Line(%q) = %d, want %d", ptr, got, want)
		}
	}
	schema := d.Value.(map[string]any)["paths"].(map[string]any)["/a/{id}"].(map[string]any)["get"].(map[string]any)["parameters"].([]any)[0].(map[string]any)["schema"].(map[string]any)
	if got := schema["maximum"]; got != json.Number("1e3") {
		t.Errorf("maximum = %#v, want json.Number 1e3", got)
	}
}

// Exact finds only the values written; a key written twice names both lines.
func TestParseExactLinesAndDuplicates(t *testing.T) {
	d, err := rawdoc.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := d.Lines.Exact("/paths/~1a~1{id}/get/parameters/0/name"); !ok || l != 6 {
		t.Errorf("Exact(name) = %d, %v; want 6, true", l, ok)
	}
	if _, ok := d.Lines.Exact("/paths/~1a~1{id}/get/responses"); ok {
		t.Errorf("Exact(responses): found, but it is not written")
	}
	_, err = rawdoc.Parse([]byte("a: 1\nb: 2\na: 3\n"))
	if err == nil || !strings.Contains(err.Error(), `line 3: mapping key "a" already defined at line 1`) {
		t.Errorf("duplicate key: %v", err)
	}
}

// An anchor's value is the alias's, however often it is used.
func TestParseAliases(t *testing.T) {
	d, err := rawdoc.Parse([]byte("a: &x {b: [1, {c: d}]}\nf: *x\ng: [*x, {h: *x}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := d.Value.(map[string]any)
	want := fmt.Sprint(m["a"])
	g := m["g"].([]any)
	for name, v := range map[string]any{"f": m["f"], "g/0": g[0], "g/1/h": g[1].(map[string]any)["h"]} {
		if got := fmt.Sprint(v); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
}

func TestParseRefusesHostileDocuments(t *testing.T) {
	deep := strings.Repeat("[", rawdoc.MaxDepth+2) + strings.Repeat("]", rawdoc.MaxDepth+2)
	for name, data := range map[string]string{"too deep": deep, "empty": "", "a key that is a mapping": "{a: 1}: x"} {
		if _, err := rawdoc.Parse([]byte(data)); err == nil {
			t.Errorf("%s: Parse succeeded", name)
		}
	}
}

func TestWithin(t *testing.T) {
	root := filepath.FromSlash("/spec")
	for p, want := range map[string]bool{
		"/spec/a.yaml":      true,
		"/spec/sub/b.yaml":  true,
		"/spec":             true,
		"/spec/../x.yaml":   false,
		"/specs/a.yaml":     false,
		"/spec/..x/a.yaml":  true, // a folder named "..x" is inside
		"/elsewhere/a.yaml": false,
	} {
		if got := rawdoc.Within(root, filepath.FromSlash(p)); got != want {
			t.Errorf("Within(%q, %q) = %v, want %v", root, p, got, want)
		}
	}
}

func ExampleDoc_Line() {
	d, _ := rawdoc.Parse([]byte("info:\n  title: t\n  version: '1'\n"))
	fmt.Println(d.Line("/info/version"), d.Line("/info/summary"))
	// Output: 3 2
}
