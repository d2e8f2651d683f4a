package sample_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/arklow/arklow-mock/internal/sample"
)

// testNow is the clock of the Generate tests: mid-afternoon, so that values
// "near now" are visibly anchored to its day, not to the instant.
var testNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// propertyDoc is a document every schema of which Generate must fill with
// valid values, whatever the seed and role.
type propertyDoc struct {
	name string
	data []byte
	// seeds is how many seeds each schema is generated with.
	seeds int
	// legacyKin also checks with kin-openapi's OpenAPI 3.0 validator. It
	// ignores const, so it wrongly finds several matching oneOf branches
	// in documents that tell their branches apart by const (mistral's
	// workflow events).
	legacyKin bool
}

func propertyDocs(t *testing.T) []propertyDoc {
	t.Helper()
	read := func(path string) []byte {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	docs := []propertyDoc{
		{"hard", []byte(hardSpec), 50, true},
		{"recursive", []byte(recursiveSpec), 50, true},
		{"bigspec", read(bigSpecPath), 50, true},
		{"arklow", read("../../spec/arklow.yaml"), 50, true},
	}
	corpus, err := filepath.Glob("../../testdata/corpus/*.yaml")
	if err != nil || len(corpus) < 4 {
		t.Fatalf("corpus documents: %v %v", corpus, err)
	}
	for _, path := range corpus {
		seeds := 50
		if strings.Contains(path, "mistral") {
			// 1,300 schemas: a handful of seeds already covers every
			// branch of the rules many times over (two under the race
			// detector, which makes each value ten times slower).
			seeds = 6
			if raceEnabled || testing.Short() {
				seeds = 2
			}
		}
		docs = append(docs, propertyDoc{strings.TrimSuffix(filepath.Base(path), ".yaml"), read(path), seeds, false})
	}
	return docs
}

// seedFor spreads test seeds over the whole range, and roleFor cycles
// through the roles, so that every schema meets each of them.
func seedFor(i int) uint64      { return uint64(i) * 0x9e3779b97f4a7c15 }
func roleFor(i int) sample.Role { return sample.Role(i % 3) }

// unjudgeable reports the schemas of the corpus the JSON Schema validator
// cannot compile. scalar-galaxy gives its paginated planet lists an $id,
// then refers to '#/components/schemas/PaginatedResource' from inside it:
// by JSON Schema's rules that fragment resolves against the $id, where it
// does not exist. What the authors meant (and kin-openapi reads) is
// PaginatedResource with its items bound to Planet through $dynamicAnchor,
// so judgeGalaxyPlanets checks exactly that.
func unjudgeable(doc, ptr string) bool {
	return doc == "scalar-galaxy" && strings.HasPrefix(ptr, "/paths/~1planets/get/responses/200/content/")
}

// judgeGalaxyPlanets validates a planet list as a PaginatedResource whose
// data items are Planets.
func judgeGalaxyPlanets(spec *loadedSpec, v any) error {
	page, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("not an object")
	}
	items, _ := page["data"].([]any)
	rest := map[string]any{}
	for k, e := range page {
		rest[k] = e
	}
	rest["data"] = []any{}
	if err := spec.validate("/components/schemas/PaginatedResource", rest); err != nil {
		return err
	}
	for i, item := range items {
		if err := spec.validate("/components/schemas/Planet", item); err != nil {
			return fmt.Errorf("data/%d: %w", i, err)
		}
	}
	return nil
}

// cannotGenerate lists the schemas no value can satisfy, with a part of the
// error Generate must give for them.
func cannotGenerate(doc, ptr string) string {
	if doc == "recursive" && ptr == "/components/schemas/Endless" {
		return "too deep" // a required property of its own type, without a way out
	}
	return ""
}

// TestGenerateIsValidForEverySchemaWithManySeeds is the key property of
// Generate: for every schema of every test document, the seed's spec and
// the corpus of real public documents, every value generated with many
// seeds and all three roles is valid according to an independent JSON
// Schema 2020-12 validator (format assertion on) and to kin-openapi, and a
// schema it cannot fill is an error, never an invalid value. Value's
// canonical value is held to the same standard.
func TestGenerateIsValidForEverySchemaWithManySeeds(t *testing.T) {
	for _, d := range propertyDocs(t) {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel() // each document has a validator of its own
			total := 0
			defer func() { t.Logf("%d generated values validated", total) }()
			spec := loadSpec(t, d.data)
			targets := allSchemas(spec.doc)
			for _, target := range targets {
				t.Run(strings.TrimPrefix(target.ptr, "/"), func(t *testing.T) {
					// Value's canonical value obeys the same property.
					if v, err := sample.Value(target.ref); cannotGenerate(d.name, target.ptr) == "" {
						if err != nil {
							t.Errorf("Value: %v", err)
						} else if msg := judge(spec, d, target, v, 1); msg != "" {
							t.Errorf("Value: %s", msg)
						}
					}
					for i := range d.seeds {
						opts := sample.Options{Seed: seedFor(i), Now: testNow, Role: roleFor(i)}
						v, err := sample.Generate(target.ref, opts)
						if want := cannotGenerate(d.name, target.ptr); want != "" {
							if err == nil || !strings.Contains(err.Error(), want) {
								t.Errorf("Generate(seed %#x) = %s, %v; want an error mentioning %q", opts.Seed, canonicalJSON(v), err, want)
							}
							continue
						}
						if err != nil {
							t.Errorf("Generate(seed %#x, %s): %v", opts.Seed, opts.Role, err)
							return
						}
						total++
						if msg := judge(spec, d, target, v, i); msg != "" {
							t.Errorf("seed %#x, role %s: %s", opts.Seed, opts.Role, msg)
							return
						}
					}
				})
			}
		})
	}
}

// judge returns why v is invalid for target, or "".
func judge(spec *loadedSpec, d propertyDoc, target schemaTarget, v any, i int) string {
	validate := func() error { return spec.validate(target.ptr, v) }
	if unjudgeable(d.name, target.ptr) {
		validate = func() error { return judgeGalaxyPlanets(spec, v) }
	}
	if err := validate(); err != nil {
		return fmt.Sprintf("invalid value %s:\n%v", canonicalJSON(v), err)
	}
	if d.legacyKin {
		if err := target.ref.Value.VisitJSON(v); err != nil {
			return fmt.Sprintf("kin-openapi rejects %s: %v", canonicalJSON(v), err)
		}
	}
	// kin's JSON Schema 2020 mode compiles the schema on each call: one
	// seed per schema is enough for it.
	if i == 0 {
		if err := target.ref.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			return fmt.Sprintf("kin-openapi (JSON Schema 2020) rejects %s: %v", canonicalJSON(v), err)
		}
	}
	return ""
}

// canonicalJSON renders v for a message.
func canonicalJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}
