package apispec_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/apispec"
)

// Every public document in testdata/corpus loads (issue 13: load what
// users ship), and every operation has a success answer: an example or a
// value generated and checked at load.
func TestCorpusDocumentsLoad(t *testing.T) {
	docs, err := filepath.Glob("../../testdata/corpus/*.yaml")
	if err != nil || len(docs) < 4 {
		t.Fatalf("corpus: %v, %d documents", err, len(docs))
	}
	for _, doc := range docs {
		t.Run(filepath.Base(doc), func(t *testing.T) {
			s, err := apispec.Load(t.Context(), doc)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			for _, op := range s.Operations() {
				resp := op.SuccessResponse()
				if resp == nil || resp.ContentType == "" {
					continue // nothing to send
				}
				if resp.OwnExample() == nil && resp.Generate(1, fixedDay) == nil {
					t.Errorf("%s: no body for its %s response", op.Key, resp.Code)
				}
			}
		})
	}
}

var fixedDay = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
