package reqcheck_test

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/arklow/arklow-mock/internal/reqcheck"
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

// BenchmarkRouteAndValidate is per-request cost by spec size: routing to
// the last resource and validating must stay flat as the spec grows.
func BenchmarkRouteAndValidate(b *testing.B) {
	for _, n := range scales {
		b.Run(fmt.Sprintf("ops=%d", n), func(b *testing.B) {
			s := mustLoad(b, writeSpec(b, n))
			r := httptest.NewRequest("GET", specgen.Path(n-1)+"?limit=10", nil)
			r.Header.Set("x-arklow-auth", "k")
			b.ReportAllocs()
			for b.Loop() {
				op, params, err := s.Route(r)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := reqcheck.Validate(op, reqcheck.Request{Header: r.Header, Query: r.URL.Query(), Path: params}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
