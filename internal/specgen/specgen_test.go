package specgen

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Every size produces a valid 3.1 document with exactly n operations.
func TestDocumentIsValid(t *testing.T) {
	for _, n := range []int{1, 2, 7, 100} {
		p := filepath.Join(t.TempDir(), "openapi.yaml")
		if err := os.WriteFile(p, Document(n), 0o644); err != nil {
			t.Fatal(err)
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromFile(p)
		if err != nil {
			t.Fatalf("n=%d: load: %v", n, err)
		}
		if err := doc.Validate(context.Background()); err != nil {
			t.Fatalf("n=%d: validate: %v", n, err)
		}
		ops := 0
		for _, item := range doc.Paths.Map() {
			ops += len(item.Operations())
		}
		if ops != n {
			t.Errorf("n=%d: %d operations", n, ops)
		}
	}
}
