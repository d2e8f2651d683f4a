package apispec

import (
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/specgen"
)

var scales = []int{1, 100, 500, 2000}

// writeSpec writes a synthetic document of n operations.
func writeSpec(tb testing.TB, n int) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "openapi.yaml")
	if err := os.WriteFile(p, specgen.Document(n), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// writeRealistic writes a realistic synthetic document of n operations.
func writeRealistic(tb testing.TB, n int) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "openapi.yaml")
	if err := os.WriteFile(p, specgen.Realistic(n), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// BenchmarkLoad is start-up cost by spec size: it must grow no worse than
// linearly with the number of operations. mistral is the corpus's largest
// document (660 KB, 173 operations); realistic-3MB is a synthetic one with
// the shapes of a large public API (300 operations).
func BenchmarkLoad(b *testing.B) {
	specs := map[string]func(testing.TB) string{
		"mistral":       func(testing.TB) string { return "../../testdata/corpus/mistral.yaml" },
		"realistic-3MB": func(tb testing.TB) string { return writeRealistic(tb, 300) },
	}
	for _, n := range scales {
		specs[fmt.Sprintf("ops=%d", n)] = func(tb testing.TB) string { return writeSpec(tb, n) }
	}
	for _, name := range slices.Sorted(maps.Keys(specs)) {
		b.Run(name, func(b *testing.B) {
			p := specs[name](b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(b.Context(), p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The realistic synthetic document loads without a warning, and every
// operation's GET routes.
func TestRealisticSpecLoads(t *testing.T) {
	s := mustLoad(t, writeRealistic(t, 23))
	if n := len(s.Operations()); n != 23 {
		t.Fatalf("%d operations", n)
	}
	if w := s.Warnings(); len(w) > 0 {
		t.Errorf("%d warnings, the first: %s", len(w), w[0])
	}
	for i := range 23 {
		r := httptest.NewRequest("GET", specgen.RealisticPath(i), nil)
		if _, _, err := s.Route(r); err != nil {
			t.Errorf("GET %s: %v", specgen.RealisticPath(i), err)
		}
	}
}

// Every synthetic operation routes to itself.
func TestSyntheticSpecRoutes(t *testing.T) {
	s := mustLoad(t, writeSpec(t, 103))
	if n := len(s.Operations()); n != 103 {
		t.Fatalf("%d operations", n)
	}
	for i := 0; i < 103; i++ {
		r := httptest.NewRequest("GET", specgen.Path(i), nil)
		if _, _, err := s.Route(r); err != nil {
			t.Errorf("GET %s: %v", specgen.Path(i), err)
		}
	}
}

// BenchmarkNotFound is the cost of a 404 with its "closest documented
// path" at 2,000 operations: for a typo, and for a hostile 500-byte path.
func BenchmarkNotFound(b *testing.B) {
	s := mustLoad(b, writeSpec(b, 2000))
	long := "/" + strings.Repeat("x", 499)
	for name, path := range map[string]string{"typo": "/v2" + strings.TrimPrefix(specgen.Path(1999), "/v1"), "long": long} {
		b.Run(name, func(b *testing.B) {
			r := httptest.NewRequest("GET", path, nil)
			for b.Loop() {
				if _, _, err := s.Route(r); err == nil {
					b.Fatal("routed")
				}
			}
		})
	}
}

// A 404 names the documented template nearest the path, parameters
// filled from the request, among thousands; a hostile path still gets one.
func TestNotFoundNamesClosestTemplate(t *testing.T) {
	s := mustLoad(t, writeSpec(t, 2000))
	for path, want := range map[string]string{
		"/v2/res399/42":  "/v1/res399/{id}",
		"/v1/res3999":    "/v1/res399",
		"/v1/res17/42/x": "/v1/res17/{id}",
		"/v1/res2/42/" + strings.Repeat("x", 500): "/v1/res2/{id}",
	} {
		_, _, err := s.Route(httptest.NewRequest("GET", path, nil))
		if err == nil || err.Code != reqerr.NotFound {
			t.Fatalf("GET %.40s: %v, want not_found", path, err)
		}
		if msg := err.Problems[0].Message; !strings.HasSuffix(msg, "; the closest documented path is "+want) {
			t.Errorf("GET %.40s: %q, want the closest path %q", path, msg, want)
		}
	}
}
