package apispec

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/specgen"
)

// Open leaves the operations to prepare; each is prepared on first use,
// safely while Prepare prepares the others and requests are answered,
// and the prepared Spec reports what Load reports.
func TestOpenPreparesOnFirstUse(t *testing.T) {
	p := writeRealistic(t, 23)
	s, err := Open(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range s.Operations() {
		if op.src == nil {
			t.Fatalf("%s: prepared by Open", op.Key)
		}
	}
	op, _, rerr := s.Route(httptest.NewRequest("GET", specgen.RealisticPath(2), nil))
	if rerr != nil {
		t.Fatal(rerr)
	}
	if resp := op.SuccessResponse(); resp == nil || resp.OwnExample() == nil || op.src != nil {
		t.Fatalf("%s: not prepared on first use", op.Key)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := s.Prepare(); err != nil {
			t.Error(err)
		}
	})
	for _, op := range s.Operations() {
		wg.Go(func() {
			for _, r := range op.Responses() {
				r.Generate(1, time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC))
			}
			_ = op.Parameters()
			_ = op.Errors()
		})
	}
	wg.Wait()
	loaded := mustLoad(t, p)
	if fmt.Sprint(s.Warnings()) != fmt.Sprint(loaded.Warnings()) {
		t.Errorf("Open+Prepare warnings %v, Load's %v", s.Warnings(), loaded.Warnings())
	}
}

// Open then Prepare reports every document's problems as Load does, in
// the same order; Open refuses at once what it can see.
func TestOpenReportsAsLoad(t *testing.T) {
	var specs []string
	for _, pattern := range []string{"../../spec", "../../testdata/*/*.yaml", "../specdiag/testdata/golden/*"} {
		found, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, found...)
	}
	if len(specs) < 50 {
		t.Fatalf("%d specs", len(specs))
	}
	for _, p := range specs {
		_, loadErr := Load(t.Context(), p)
		s, err := Open(t.Context(), p)
		if err == nil {
			err = s.Prepare()
		}
		if errString(err) != errString(loadErr) {
			t.Errorf("%s: Open+Prepare: %v\nLoad: %v", p, err, loadErr)
		}
	}
}

// A schema that does not compile is found when its operation is
// prepared: Open takes the document, Prepare refuses it.
func TestPrepareRefusesWhatCannotBeAnswered(t *testing.T) {
	p := filepath.Join(t.TempDir(), "openapi.yaml")
	doc := `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /ok:
    get: {operationId: ok, responses: {'200': {description: ok}}}
  /broken:
    get:
      operationId: broken
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string, pattern: "(["}
`
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(t.Context(), p)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	err = s.Prepare()
	list, ok := diag.From(err)
	if !ok || len(list.Errors()) == 0 || !strings.Contains(list.Errors()[0].String(), "openapi.yaml:14") {
		t.Fatalf("Prepare = %v, want the pattern's error at openapi.yaml:14", err)
	}
	if again := s.Prepare(); !errors.Is(again, err) {
		t.Errorf("Prepare again = %v, want the same error", again)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
