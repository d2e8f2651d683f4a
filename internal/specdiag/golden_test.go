package specdiag_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/rawdoc"
	"github.com/arklow/arklow-mock/internal/specdiag"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden with the diagnostics the documents give now")

// goldenCases names, for each kind of error kin-openapi (v0.153) or the
// JSON Schema compiler returns for a broken document, the folder under
// testdata/golden holding a spec broken that way. The diagnostics
// apispec.Load returns for it, FILE:LINE: message as `arklow-mock validate`
// prints them (an absolute path as $PWD), are in testdata/golden/NAME.golden.
//
// Much of specdiag reads kin's messages with regular expressions and its
// error structs by reflection: when an upgrade changes a message or a
// field, what the user reads changes, and the case fails. Read the diff:
// if the new diagnostic is as good (the right FILE:LINE, the pointer, a
// short message), run `go test ./internal/specdiag -run TestGolden -update`
// and commit the .golden files; if it is worse, fix specdiag.
var goldenCases = []struct {
	name string // the folder, and the .golden file
	load string // what to load, relative to the folder; "" loads the folder
	kind string // the error, as kin or the compiler gives it
}{
	// kin's loader: YAML its structs cannot hold ("failed to unmarshal data").
	{"load-construct", "", "cannot construct !!str `six` into uint64 in /paths/...: a keyword of the wrong type"},
	{"load-construct-several", "", "several construct errors in one document, \"; \"-separated"},
	{"load-string-field", "", `cannot unmarshal !!seq into string field "description"`},
	{"load-string-field-list-item", "", `cannot unmarshal !!int into string field "required": a list item`},
	{"load-schema-not-a-mapping", "", "cannot construct !!int `5` into openapi3.Schema"},
	{"load-yaml-duplicate-key", "", `line 9: mapping key "operationId" already defined at line 8: a line, no JSON pointer`},
	{"load-yaml-value", "", "line 14: .inf has no JSON representation: a line, no JSON pointer"},
	{"load-construct-in-fragment", "", "a construct error in a $ref'd file, which kin's text does not name"},

	// kin's loader: $refs it cannot resolve (the message quotes the $ref).
	{"ref-missing-component", "", `failed to resolve "..." in fragment in URI: "...": map key "Nope" not found`},
	{"ref-missing-location", "", `failed to resolve "..." in fragment in URI: "..." (no detail)`},
	{"ref-missing-file", "", `error resolving reference "...": open ...: no such file or directory`},
	{"ref-outside-folder", "spec", "a $ref out of the spec folder, refused by the loader's ReadFromURIFunc"},
	{"ref-wrong-object", "", `bad data in "..." (expecting ref to response object)`},
	{"ref-not-a-schema", "", `bad data in "..." (expecting ref to schema object): what is wrong in the target, by the meta-schema`},
	{"ref-anchor", "", "expected fragment prefix '#/' in URI"},
	{"ref-relative-in-fragment", "openapi.yaml", "an unresolved $ref quoted relative to the fragment that holds it"},
	{"load-null-object", "", "invalid schema: value MUST be an object (no $ref, no line: the file is named alone)"},

	// kin's validation (doc.Validate), loaded again with origins.
	{"validate-pattern-re2", "", "SchemaPatternRegexError with a regexp/syntax error"},
	{"validate-pattern-ecma", "", "SchemaPatternRegexError with a pattern.SyntaxError (an ECMA-262 pattern)"},
	{"validate-schema-type", "", "SchemaTypeError"},
	{"validate-schema-value", "", "SchemaValueError caused by a jsonschema.ValidationError (a 3.1 default)"},
	{"validate-schema-value-30", "", "SchemaValueError caused by a SchemaError (a 3.0 default)"},
	{"validate-multipleof", "", "SchemaMultipleOfNotPositiveError"},
	{"validate-duplicate-required", "", "DuplicateRequiredFieldError"},
	{"validate-combinator", "", "SchemaCombinatorElementValidationError (allOf), a wrapper that names no place"},
	{"validate-required-field", "", "RequiredFieldError (info.version)"},
	{"validate-section", "", "SectionValidationError with no object below (info missing)"},
	{"validate-path-slash", "", "PathValidationError + PathMustStartWithSlashError"},
	{"validate-conflicting-paths", "", "ConflictingPathsError"},
	{"validate-path-parameters", "", "PathParametersError (a path parameter not required)"},
	{"validate-operation-field", "", "OperationValidationError: a response without a description"},
	{"validate-responses-30", "", "a 3.0 operation without responses"},
	{"validate-duplicate-operationid", "", "DuplicateOperationIDError"},
	{"validate-security-undefined", "", "an undefined security scheme: the error carries its JSONPointer"},
	{"validate-parameter-in", "", "InvalidParameterInError"},
	{"validate-parameter-field", "", "ParameterFieldValidationError: a wrapper that names no place"},
	{"validate-header-field", "", "HeaderFieldValidationError"},
	{"validate-component", "", "ComponentValidationError (parameters) over a SchemaTypeError"},
	{"validate-apikey-in", "", "APIKeyInInvalidError"},
	{"validate-security-type", "", "InvalidSecuritySchemeTypeError"},
	{"validate-http-scheme", "", "InvalidHTTPSchemeError"},
	{"validate-oauth-flow", "", "SecuritySchemeFlowValidationError + OAuthFlowValidationError"},
	{"validate-server-url", "", "ServerURLTemplateError (an undeclared server variable)"},
	{"validate-mutually-exclusive", "", "MutuallyExclusiveFieldsError (value and externalValue)"},
	{"validate-extra-fields", "", "ExtraSiblingFieldsError (a field that is not an extension)"},
	{"validate-tag", "", "TagValidationError: the tag is found by its name"},
	{"validate-external-docs", "", "SectionValidationError (external docs) over a missing url"},
	{"validate-webhook", "", "WebhookValidationError"},
	{"validate-example-and-examples", "", "MutuallyExclusiveFieldsError (example and examples of a media type)"},
	{"validate-media-type-encoding", "", "MediaTypeEncodingValidationError"},
	{"validate-oauth-flow-field", "", "OAuthFlowFieldValidationError (refreshUrl)"},
	{"validate-external-docs-url", "", "ExternalDocsURLValidationError"},
	{"validate-unresolved-ref", "", "found unresolved ref (a schema that $refs itself)"},
	{"validate-several", "", "an openapi3.MultiError: every problem, each at its line"},

	// The JSON Schema compiler, for schemas kin let through.
	{"compile-meta-schema", "", "SchemaValidationError: the meta-schema rejects a keyword's value ($anchor)"},
	{"compile-meta-schema-type", "", "SchemaValidationError: type: null"},
	{"compile-pattern-property", "", "SchemaValidationError: format regex on a patternProperties key"},
	{"compile-pattern-property-shared", "", "the same, in a schema two operations $ref: reported once"},
	{"compile-anchor", "", "AnchorNotFoundError ($dynamicRef)"},
	{"compile-json-pointer", "", "JSONPointerNotFoundError ($dynamicRef)"},
	{"compile-load-url", "", "LoadURLError ($schema on the network)"},
	{"compile-invalid-pointer", "", "InvalidJsonPointerError ($dynamicRef), found by its URL field"},
	{"compile-neighbour", "openapi.yaml", "a single-file spec's neighbour the compiler rejects"},
}

// TestGolden loads each broken spec and compares its diagnostics with the
// golden file, byte for byte.
func TestGolden(t *testing.T) {
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join("testdata", "golden", tc.name)
			spec, err := apispec.Load(t.Context(), filepath.Join(dir, tc.load))
			var out string
			switch {
			case err != nil:
				if _, ok := diag.From(err); !ok {
					t.Fatalf("%s: %v is not FILE:LINE diagnostics", dir, err)
				}
				out = err.Error()
			case len(spec.Warnings()) == 0:
				t.Fatalf("%s loads with no warning: %s goes unreported", dir, tc.kind)
			default: // a rule the mock can do without: the document loads, with warnings
				out = (&diag.Error{List: spec.Warnings()}).Error()
			}
			// A few messages name a file by its absolute path.
			got := strings.ReplaceAll(out, cwd, "$PWD")
			checkGolden(t, filepath.Join("testdata", "golden", tc.name+".golden"), filepath.ToSlash(got)+"\n")
		})
	}
}

// Every folder under testdata/golden is a case, and every case has its
// folder and its golden file.
func TestGoldenCasesAreAllThere(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tc := range goldenCases {
		names = append(names, tc.name)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".golden")
		if !slices.Contains(names, name) {
			t.Errorf("testdata/golden/%s is no case of goldenCases", e.Name())
		}
	}
	for _, n := range names {
		for _, p := range []string{n, n + ".golden"} {
			if _, err := os.Stat(filepath.Join("testdata", "golden", p)); err != nil && !*update {
				t.Errorf("case %s: %v", n, err)
			}
		}
	}
}

// TestGoldenConstructed explains errors no document is known to produce
// with kin-openapi v0.153 and the loader's options, built by hand: the
// paths that handle them are kept, and their wording is golden too.
func TestGoldenConstructed(t *testing.T) {
	const file = "testdata/constructed/openapi.yaml"
	doc, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := rawdoc.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	const schemaPtr = "/paths/~1codes/post/requestBody/content/application~1json/schema"
	fileURL := "file://" + filepath.ToSlash(filepath.Join(abs, "openapi.yaml"))
	cases := []struct {
		name    string
		explain func(x *specdiag.Explainer) diag.List
	}{
		// The loader recovers a panic of kin's as an error naming the library.
		{"a recovered panic of kin's", func(x *specdiag.Explainer) diag.List {
			return x.LoadError(file, errors.New("the OpenAPI library failed on this document: runtime error: invalid memory address or nil pointer dereference"))
		}},
		// kin's YAML decoder could not decode, and says no line.
		{"a YAML error without a line", func(x *specdiag.Explainer) diag.List {
			return x.LoadError(file, errors.New("failed to unmarshal data: yaml error: yaml: invalid leading UTF-8 octet"))
		}},
		// The meta-schema's `format: regex` rejects a bad pattern first.
		{"jsonschema.InvalidRegexError", func(x *specdiag.Explainer) diag.List {
			return x.SchemaError(file, schemaPtr, &jsonschema.InvalidRegexError{URL: fileURL + "#" + schemaPtr + "/pattern", Regex: "[x", Err: errors.New("missing closing ]")})
		}},
		// Only a meta-schema whose $schema is its own absolute URL gives it.
		{"jsonschema.UnsupportedDraftError", func(x *specdiag.Explainer) diag.List {
			return x.SchemaError(file, schemaPtr, &jsonschema.UnsupportedDraftError{URL: "https://example.com/meta"})
		}},
	}
	var b strings.Builder
	for _, tc := range cases {
		x := specdiag.New(abs, filepath.Dir(file), map[string]*rawdoc.Doc{file: raw})
		b.WriteString("# " + tc.name + "\n" + tc.explain(x).Err().Error() + "\n")
	}
	checkGolden(t, filepath.Join("testdata", "constructed.golden"), filepath.ToSlash(b.String()))
}

// checkGolden compares got with the golden file at path, or rewrites the
// file with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to write it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("diagnostics differ from %s (-update rewrites it)\n got:\n%s\nwant:\n%s", path, got, want)
	}
}
