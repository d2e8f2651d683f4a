package apispec_test

import (
	"context"
	"testing"

	"github.com/arklow/arklow-mock/internal/apispec"
)

func BenchmarkLoadMistral(b *testing.B) {
	for b.Loop() {
		if _, err := apispec.Load(context.Background(), "../../testdata/corpus/mistral.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
