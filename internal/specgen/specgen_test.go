package specgen

import (
	"bytes"
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

// Every size of the realistic document is a valid 3.1 document with
// exactly n operations, the same bytes each time; 300 operations make
// about 3 MB.
func TestRealisticIsValid(t *testing.T) {
	for _, n := range []int{1, 3, 12, 300} {
		data := Realistic(n)
		if !bytes.Equal(data, Realistic(n)) {
			t.Fatalf("n=%d: two calls differ", n)
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(data)
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
		if n == 300 && (len(data) < 2_900_000 || len(data) > 3_400_000) {
			t.Errorf("n=300: %d bytes, want about 3 MB", len(data))
		}
	}
}
