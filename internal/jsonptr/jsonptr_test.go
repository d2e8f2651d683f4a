package jsonptr_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/arklow/arklow-mock/internal/jsonptr"
)

func TestSplitUndoesJoin(t *testing.T) {
	for _, toks := range [][]string{nil, {"a"}, {"paths", "/users/{id}", "get"}, {"~x", "0", ""}} {
		ptr := jsonptr.Join(toks)
		if got := jsonptr.Split(ptr); !slices.Equal(got, toks) {
			t.Errorf("Split(Join(%q)) = Split(%q) = %q", toks, ptr, got)
		}
	}
}

func TestLookup(t *testing.T) {
	doc := map[string]any{"a/b": []any{"x", map[string]any{"~": 5}}}
	cases := []struct {
		ptr  string
		want any
		ok   bool
	}{
		{"", doc, true},
		{"/a~1b/0", "x", true},
		{"/a~1b/1/~0", 5, true},
		{"/a~1b/2", nil, false},
		{"/a~1b/-1", nil, false},
		{"/nope", nil, false},
		{"/a~1b/0/deeper", nil, false},
		{"no-slash", nil, false},
	}
	for _, tc := range cases {
		got, ok := jsonptr.Lookup(doc, tc.ptr)
		if ok != tc.ok || tc.ok && tc.ptr != "" && got != tc.want {
			t.Errorf("Lookup(%q) = %v, %v; want %v, %v", tc.ptr, got, ok, tc.want, tc.ok)
		}
	}
}

func ExampleJoin() {
	fmt.Println(jsonptr.Join([]string{"paths", "/users/{id}", "get"}))
	// Output: /paths/~1users~1{id}/get
}
