package sample_test

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/arklow/arklow-mock/internal/sample"
)

// plausibleCase is one property schema and what every value Generate gives
// for it, over many seeds, must look like.
type plausibleCase struct {
	name     string
	property string // the property's key, the hint for plausible values
	schema   string
	check    func(v any) error
}

// generateProperty generates an object holding property name (with
// schema) and returns the property's value; the whole object is checked by
// the independent validator.
func generateProperty(t *testing.T, name, schema string, opts sample.Options) any {
	t.Helper()
	js := fmt.Sprintf(`{"type": "object", "required": [%q], "properties": {%q: %s}}`, name, name, schema)
	v, err := sample.Generate(inlineSchema(t, js), opts)
	if err != nil {
		t.Fatalf("Generate(seed %#x): %v", opts.Seed, err)
	}
	validateInline(t, js, v)
	return v.(map[string]any)[name]
}

func runPlausibleCases(t *testing.T, cases []plausibleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for i := range 20 {
				opts := sample.Options{Seed: seedFor(i), Now: testNow, Role: roleFor(i)}
				v := generateProperty(t, tc.property, tc.schema, opts)
				if err := tc.check(v); err != nil {
					t.Errorf("seed %#x: %s = %s: %v", opts.Seed, tc.property, canonicalJSON(v), err)
				}
			}
		})
	}
}

// str checks that v is a string satisfying ok.
func str(ok func(s string) error) func(any) error {
	return func(v any) error {
		s, isString := v.(string)
		if !isString {
			return fmt.Errorf("not a string")
		}
		return ok(s)
	}
}

// like checks that v is a string matching the regular expression.
func like(expr string) func(any) error {
	re := regexp.MustCompile(expr)
	return str(func(s string) error {
		if !re.MatchString(s) {
			return fmt.Errorf("does not match %s", expr)
		}
		return nil
	})
}

// num checks that v is a number within [lo, hi] with at most places
// decimals.
func num(lo, hi float64, places int) func(any) error {
	return func(v any) error {
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("not a number")
		}
		f, err := n.Float64()
		if err != nil || f < lo || f > hi {
			return fmt.Errorf("not in [%v, %v]", lo, hi)
		}
		if _, frac, ok := strings.Cut(n.String(), "."); ok && len(frac) > places {
			return fmt.Errorf("more than %d decimals", places)
		}
		return nil
	}
}

// instant checks that v is an RFC 3339 date-time within [from, to) of the
// day of testNow.
func instant(from, to time.Duration) func(any) error {
	day := time.Date(testNow.Year(), testNow.Month(), testNow.Day(), 0, 0, 0, 0, time.UTC)
	return str(func(s string) error {
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return err
		}
		if at.Before(day.Add(from)) || !at.Before(day.Add(to)) {
			return fmt.Errorf("not within [%s, %s)", day.Add(from).Format(time.RFC3339), day.Add(to).Format(time.RFC3339))
		}
		return nil
	})
}

const day = 24 * time.Hour

func TestGenerateProposesValuesByFormat(t *testing.T) {
	runPlausibleCases(t, []plausibleCase{
		{"format email gives an address", "contact", `{"type": "string", "format": "email"}`,
			str(func(s string) error {
				a, err := mail.ParseAddress(s)
				if err != nil || a.Address != s || !strings.Contains(s, "@") {
					return fmt.Errorf("not a plain address: %v", err)
				}
				return nil
			})},
		{"format uuid gives a version 4 UUID", "ref", `{"type": "string", "format": "uuid"}`,
			like(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)},
		{"format uri gives a web address", "target", `{"type": "string", "format": "uri"}`,
			str(func(s string) error {
				u, err := url.Parse(s)
				if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
					return fmt.Errorf("not an http(s) URL: %v", err)
				}
				return nil
			})},
		{"format date-time gives an instant in the 30 days before Now's day", "when",
			`{"type": "string", "format": "date-time"}`, instant(-30*day, 0)},
		{"format date gives a date near Now", "on", `{"type": "string", "format": "date"}`,
			like(`^2026-0[23]-[0-3][0-9]$`)},
		{"format ipv4 gives an address", "peer", `{"type": "string", "format": "ipv4"}`,
			like(`^[0-9]{1,3}(\.[0-9]{1,3}){3}$`)},
		{"format hostname gives a domain", "peer", `{"type": "string", "format": "hostname"}`,
			like(`^[a-z0-9-]+\.[a-z]+$`)},
		{"a format without a plausible rule keeps Value's value", "at", `{"type": "string", "format": "json-pointer"}`,
			like(`^/example$`)},
	})
}

func TestGenerateProposesValuesByPropertyName(t *testing.T) {
	runPlausibleCases(t, []plausibleCase{
		{"name gives a person's name", "name", `{"type": "string"}`, like(`^\p{Lu}\S+( \S+)+$`)},
		{"firstName gives one capitalised word", "firstName", `{"type": "string"}`, like(`^\p{Lu}\S+$`)},
		{"email without a format gives an address", "email", `{"type": "string"}`, like(`^[^@\s]+@[^@\s]+\.[a-z]+$`)},
		{"phone gives a phone number", "phone", `{"type": "string"}`, like(`^\+?[0-9][0-9 ().-]{6,}$`)},
		{"phone with a digits pattern still fits it", "phone", `{"type": "string", "pattern": "^[0-9]{10}$"}`,
			like(`^[0-9]{10}$`)},
		{"city gives a city", "city", `{"type": "string"}`, like(`^\p{Lu}`)},
		{"country gives a country's name", "country", `{"type": "string", "minLength": 3}`, like(`^\p{Lu}\S*`)},
		{"country limited to two characters gives an ISO code", "country", `{"type": "string", "maxLength": 2}`,
			like(`^[A-Z]{2}$`)},
		{"avatar_url gives an image address", "avatar_url", `{"type": "string"}`, like(`^https://\S+$`)},
		{"website gives a web address", "website", `{"type": "string", "format": "uri"}`, like(`^https?://\S+$`)},
		{"a string id gives a UUID", "id", `{"type": "string"}`, like(`^[0-9a-f-]{36}$`)},
		{"a string id with a pattern follows the pattern", "org_id", `{"type": "string", "pattern": "^org_[a-z0-9]{8}$"}`,
			like(`^org_[a-z0-9]{8}$`)},
		{"an integer id is positive", "id", `{"type": "integer"}`, num(1, 99999, 0)},
		{"created_at is between 10 and 30 days before Now's day", "created_at", `{"type": "string", "format": "date-time"}`,
			instant(-30*day, -10*day)},
		{"updatedAt is in the 10 days before Now's day", "updatedAt", `{"type": "string", "format": "date-time"}`,
			instant(-10*day, 0)},
		{"expires_at is after Now", "expires_at", `{"type": "string", "format": "date-time"}`, instant(day, 31*day)},
		{"created_at without a format is still a date-time", "created_at", `{"type": "string"}`,
			instant(-30*day, -10*day)},
		{"description is a sentence within maxLength", "description", `{"type": "string", "maxLength": 40}`,
			like(`^\p{Lu}[^\n]{0,39}$`)},
		{"price has cents", "price", `{"type": "number", "minimum": 0}`, num(1, 1000, 2)},
		{"latitude is within ±90", "lat", `{"type": "number"}`, num(-90, 90, 6)},
		{"currency gives an ISO 4217 code", "currency", `{"type": "string"}`, like(`^[A-Z]{3}$`)},
		{"color gives a hex color", "color", `{"type": "string"}`, like(`^#[0-9a-f]{6}$`)},
		{"locale gives a BCP 47 tag", "locale", `{"type": "string"}`, like(`^[a-z]{2,3}(-[A-Za-z0-9]+)+$`)},
		{"a name that must match ^[A-Z]{3}$ follows the pattern", "name", `{"type": "string", "pattern": "^[A-Z]{3}$"}`,
			like(`^[A-Z]{3}$`)},
		{"a free string is words", "misc", `{"type": "string"}`, like(`^[a-z][a-z ]*$`)},
		{"a free string fits minLength with more words", "misc", `{"type": "string", "minLength": 12}`,
			like(`^[a-z][a-z ]{11,}$`)},
	})
}

func TestGenerateTakesWrittenValuesFirst(t *testing.T) {
	runPlausibleCases(t, []plausibleCase{
		{"an example wins over the name", "name", `{"type": "string", "example": "Ada Lovelace"}`,
			like(`^Ada Lovelace$`)},
		{"a default is used when there is no example", "limit", `{"type": "integer", "default": 20}`, num(20, 20, 0)},
		{"an example that breaks the format is skipped", "created_at",
			`{"type": "string", "format": "date-time", "example": "yesterday"}`, instant(-30*day, -10*day)},
		{"an example that breaks maxLength is skipped", "code",
			`{"type": "string", "maxLength": 3, "example": "toolong"}`, like(`^.{0,3}$`)},
		{"examples are picked by the seed", "tier", `{"type": "string", "examples": ["gold", "silver", "bronze"]}`,
			like(`^(gold|silver|bronze)$`)},
		{"enum values are respected", "status", `{"type": "string", "enum": ["active", "paused", "closed"]}`,
			like(`^(active|paused|closed)$`)},
	})
	t.Run("examples and enum values vary with the seed", func(t *testing.T) {
		for _, schema := range []string{
			`{"type": "string", "examples": ["gold", "silver", "bronze"]}`,
			`{"type": "string", "enum": ["active", "paused", "closed"]}`,
		} {
			if n := distinctValues(t, "tier", schema); n < 2 {
				t.Errorf("%s: %d distinct values over 20 seeds, want several", schema, n)
			}
		}
	})
}

// distinctValues counts the distinct values of property name over 20 seeds.
func distinctValues(t *testing.T, name, schema string) int {
	t.Helper()
	seen := map[string]bool{}
	for i := range 20 {
		seen[canonicalJSON(generateProperty(t, name, schema, sample.Options{Seed: seedFor(i), Now: testNow}))] = true
	}
	return len(seen)
}

func TestGenerateRespectsConstraints(t *testing.T) {
	count := func(lo, hi int) func(any) error {
		return func(v any) error {
			a, ok := v.([]any)
			if !ok || len(a) < lo || len(a) > hi {
				return fmt.Errorf("want an array of %d to %d items", lo, hi)
			}
			return nil
		}
	}
	runPlausibleCases(t, []plausibleCase{
		{"arrays have 2 or 3 items", "tags", `{"type": "array", "items": {"type": "string"}}`, count(2, 3)},
		{"minItems wins over 2 or 3", "tags", `{"type": "array", "minItems": 5, "items": {"type": "string"}}`, count(5, 5)},
		{"maxItems wins over 2 or 3", "tags", `{"type": "array", "maxItems": 1, "items": {"type": "string"}}`, count(1, 1)},
		{"uniqueItems over a small enum stops at its size", "days",
			`{"type": "array", "uniqueItems": true, "items": {"enum": ["mon", "tue"]}}`, count(2, 2)},
		{"bounds narrow a plausible range", "price", `{"type": "number", "minimum": 2000, "maximum": 2001}`,
			num(2000, 2001, 2)},
		{"multipleOf is kept", "amount", `{"type": "number", "multipleOf": 0.25, "minimum": 0}`,
			func(v any) error {
				f, _ := v.(json.Number).Float64()
				if f*4 != float64(int64(f*4)) {
					return fmt.Errorf("not a multiple of 0.25")
				}
				return nil
			}},
		{"int32 with an exclusive maximum", "count", `{"type": "integer", "format": "int32", "exclusiveMaximum": 3}`,
			num(-1e9, 2, 0)},
		{"a pattern is followed with drawn characters", "code", `{"type": "string", "pattern": "^[A-Z]{2}-[0-9]{4}$"}`,
			like(`^[A-Z]{2}-[0-9]{4}$`)},
	})
}

func TestGenerateVariesWithTheSeed(t *testing.T) {
	for _, tc := range []struct{ name, schema string }{
		{"misc", `{"type": "string"}`},
		{"misc", `{"type": "integer"}`},
		{"misc", `{"type": "number", "minimum": 0, "maximum": 1}`},
		{"code", `{"type": "string", "pattern": "^[a-z]{6}$"}`},
		{"name", `{"type": "string"}`},
		{"created_at", `{"type": "string", "format": "date-time"}`},
	} {
		if n := distinctValues(t, tc.name, tc.schema); n < 15 {
			t.Errorf("%s %s: %d distinct values over 20 seeds, want at least 15", tc.name, tc.schema, n)
		}
	}
	// The seed's own response differs between seeds, and is the same for
	// the same seed.
	ref := seedResponse(t)
	a, b := generateJSON(t, ref, sample.Options{Seed: 1, Now: testNow}), generateJSON(t, ref, sample.Options{Seed: 2, Now: testNow})
	if a == b {
		t.Errorf("seeds 1 and 2 give the same response %s", a)
	}
	if again := generateJSON(t, ref, sample.Options{Seed: 1, Now: testNow}); again != a {
		t.Errorf("seed 1 gives %s, then %s", a, again)
	}
}

// seedResponse is the 200 response schema of the seed's operation.
func seedResponse(t testing.TB) *openapi3.SchemaRef {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../../spec/arklow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Paths.Value("/v1/self/mfa/verify/totp/backup").Post
	return op.Responses.Status(200).Value.Content.Get("application/json").Schema
}

func generateJSON(t testing.TB, ref *openapi3.SchemaRef, opts sample.Options) string {
	t.Helper()
	v, err := sample.Generate(ref, opts)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGenerateLeavesTheOtherOutcomeNull(t *testing.T) {
	ref := seedResponse(t)
	for _, tc := range []struct {
		role                 sample.Role
		wantData, wantErrors bool
	}{
		{sample.RoleSuccess, true, false},
		{sample.RoleError, false, true},
		{sample.RoleNeutral, true, true},
	} {
		t.Run(tc.role.String(), func(t *testing.T) {
			for i := range 20 {
				v, err := sample.Generate(ref, sample.Options{Seed: seedFor(i), Now: testNow, Role: tc.role})
				if err != nil {
					t.Fatal(err)
				}
				env := v.(map[string]any)
				if got := env["data"] != nil; got != tc.wantData {
					t.Errorf("data = %s, want filled: %v", canonicalJSON(env["data"]), tc.wantData)
				}
				if got := env["errors"] != nil; got != tc.wantErrors {
					t.Errorf("errors = %s, want filled: %v", canonicalJSON(env["errors"]), tc.wantErrors)
				}
			}
		})
	}
	t.Run("members that cannot be null are filled whatever the role", func(t *testing.T) {
		js := `{"type": "object", "required": ["data", "errors"], "properties": {
		  "data": {"type": "object", "properties": {"id": {"type": "integer"}}},
		  "errors": {"type": "array", "items": {"type": "string"}}}}`
		for _, role := range []sample.Role{sample.RoleSuccess, sample.RoleError} {
			v, err := sample.Generate(inlineSchema(t, js), sample.Options{Role: role})
			if err != nil {
				t.Fatal(err)
			}
			if env := v.(map[string]any); env["data"] == nil || env["errors"] == nil {
				t.Errorf("role %s: %s, want both members filled", role, canonicalJSON(v))
			}
		}
	})
}

func TestRoleForStatus(t *testing.T) {
	for status, want := range map[int]sample.Role{
		200: sample.RoleSuccess, 204: sample.RoleSuccess, 302: sample.RoleNeutral,
		404: sample.RoleError, 422: sample.RoleError, 503: sample.RoleError, 0: sample.RoleNeutral,
	} {
		if got := sample.RoleForStatus(status); got != want {
			t.Errorf("RoleForStatus(%d) = %s, want %s", status, got, want)
		}
	}
}

// TestGenerateIsDeterministic builds every schema of the test documents
// twice from the same load and once more from a second, independent load
// (other pointers, other map orders): all three must marshal identically.
func TestGenerateIsDeterministic(t *testing.T) {
	big, err := os.ReadFile(bigSpecPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range [][]byte{big, []byte(hardSpec), []byte(recursiveSpec)} {
		first := allSchemas(loadSpec(t, doc).doc)
		second := allSchemas(loadSpec(t, doc).doc)
		for i, target := range first {
			for seed := range uint64(3) {
				opts := sample.Options{Seed: seed * 7919, Now: testNow, Role: sample.Role(seed)}
				a := generateOrError(target.ref, opts)
				b := generateOrError(target.ref, opts)
				c := generateOrError(second[i].ref, opts)
				if a != b || a != c {
					t.Errorf("%s seed %d: values differ between calls:\n%s\n%s\n%s", target.ptr, opts.Seed, a, b, c)
				}
			}
		}
	}
}

// generateOrError renders Generate's value as JSON, or its error.
func generateOrError(ref *openapi3.SchemaRef, opts sample.Options) string {
	v, err := sample.Generate(ref, opts)
	if err != nil {
		return "error: " + err.Error()
	}
	return canonicalJSON(v)
}

// TestGenerateAnchorsTimesToTheDayOfNow: values depend on Now's UTC day
// only, so snapshot tests taken on one day agree, and move on the next.
func TestGenerateAnchorsTimesToTheDayOfNow(t *testing.T) {
	schemas := loadBigSpec(t).doc.Components.Schemas
	ref := schemas["Member"]
	at := func(now time.Time) string { return generateJSON(t, ref, sample.Options{Seed: 5, Now: now}) }
	morning := at(time.Date(2026, 3, 14, 0, 0, 1, 0, time.UTC))
	if evening := at(time.Date(2026, 3, 14, 23, 59, 59, 0, time.UTC)); evening != morning {
		t.Errorf("the same day gives\n%s\n%s", morning, evening)
	}
	if inParis := at(time.Date(2026, 3, 15, 0, 30, 0, 0, time.FixedZone("CET", 3600))); inParis != morning {
		t.Errorf("the same UTC day in another zone gives\n%s\n%s", morning, inParis)
	}
	if next := at(time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)); next == morning {
		t.Errorf("the next day gives the same value %s", next)
	}
	// Without a clock, times are anchored to 2026-01-01, as Value's are.
	created := generateProperty(t, "created_at", `{"type": "string", "format": "date-time"}`, sample.Options{})
	if s := created.(string); !strings.HasPrefix(s, "2025-12-") {
		t.Errorf("created_at with a zero Now = %s, want December 2025", s)
	}
}

// TestGenerateResolvesDynamicRef: scalar-galaxy's paginated planet list
// binds a generic's items to Planet through $dynamicAnchor; unbound, the
// generic's items accept nothing, so its list is empty.
func TestGenerateResolvesDynamicRef(t *testing.T) {
	data, err := os.ReadFile("../../testdata/corpus/scalar-galaxy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := loadSpec(t, data).doc
	list := doc.Paths.Value("/planets").Get.Responses.Status(200).Value.Content.Get("application/json").Schema
	for i := range 5 {
		v, err := sample.Generate(list, sample.Options{Seed: seedFor(i), Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		items, _ := v.(map[string]any)["data"].([]any)
		if len(items) == 0 {
			t.Fatalf("data = %s, want planets", canonicalJSON(v))
		}
		for _, item := range items {
			if _, ok := item.(map[string]any)["name"]; !ok {
				t.Errorf("item %s is not a planet", canonicalJSON(item))
			}
		}
	}
	generic, err := sample.Generate(doc.Components.Schemas["PaginatedResource"], sample.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if items := generic.(map[string]any)["data"].([]any); len(items) != 0 {
		t.Errorf("unbound generic data = %s, want []", canonicalJSON(items))
	}
}

// TestGenerateIsSafeForConcurrentUse runs Generate on shared schemas from
// many goroutines (meaningful under -race): every goroutine sees the same
// values.
func TestGenerateIsSafeForConcurrentUse(t *testing.T) {
	targets := allSchemas(loadBigSpec(t).doc)
	opts := sample.Options{Seed: 42, Now: testNow, Role: sample.RoleSuccess}
	want := make([]string, len(targets))
	for i, target := range targets {
		want[i] = generateOrError(target.ref, opts)
	}
	const workers = 8
	errs := make(chan string, workers)
	start := make(chan struct{})
	for range workers {
		go func() {
			<-start
			for i, target := range targets {
				if got := generateOrError(target.ref, opts); got != want[i] {
					errs <- target.ptr + ": " + got
					return
				}
			}
			errs <- ""
		}()
	}
	close(start)
	for range workers {
		if msg := <-errs; msg != "" {
			t.Error(msg)
		}
	}
}

// BenchmarkGenerate generates the seed's 200 response (the Arklow envelope)
// with a new seed each time, as Prefer: dynamic=true does.
func BenchmarkGenerate(b *testing.B) {
	ref := seedResponse(b)
	b.ReportAllocs()
	var seed uint64
	for b.Loop() {
		seed++
		if _, err := sample.Generate(ref, sample.Options{Seed: seed, Now: testNow, Role: sample.RoleSuccess}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerateBigSpecMember is a larger object: nested objects,
// formats, names and patterns.
func BenchmarkGenerateBigSpecMember(b *testing.B) {
	data, err := os.ReadFile(bigSpecPath)
	if err != nil {
		b.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		b.Fatal(err)
	}
	ref := doc.Components.Schemas["Member"]
	b.ReportAllocs()
	var seed uint64
	for b.Loop() {
		seed++
		if _, err := sample.Generate(ref, sample.Options{Seed: seed, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}

// A $dynamicRef the generator cannot follow is an error, never a guess.
func TestGenerateReportsDynamicRefsItCannotFollow(t *testing.T) {
	for _, tc := range []struct{ name, schema, want string }{
		{"no anchor in scope", `{"type": "object", "required": ["a"], "properties": {"a": {"$dynamicRef": "#item"}}}`,
			"no $dynamicAnchor"},
		{"an anchor that refers to itself",
			`{"type": "object", "required": ["a"], "$defs": {"x": {"$dynamicAnchor": "x", "$dynamicRef": "#x"}},
			  "properties": {"a": {"$dynamicRef": "#x"}}}`, "too deep"},
		{"a reference into another document", `{"$dynamicRef": "other.json#item"}`, "not supported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := sample.Generate(inlineSchema(t, tc.schema), sample.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Generate = %s, %v; want an error mentioning %q", canonicalJSON(v), err, tc.want)
			}
		})
	}
}
