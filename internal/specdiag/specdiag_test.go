package specdiag_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/diag/diagtest"
	"github.com/arklow/arklow-mock/internal/rawdoc"
)

// brokenBase is a valid document; each case of TestSpecErrorsNameFileAndLine
// breaks one line of it. Line numbers below refer to the broken document.
const brokenBase = `openapi: 3.1.0
info:
  title: t
  version: "1"
servers:
  - url: http://localhost:3123
paths:
  /codes/{id}:
    parameters:
      - name: id
        in: path
        required: true
        schema:
          type: string
    post:
      operationId: postCode
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [code]
              properties:
                code:
                  type: string
                  minLength: 6
                  pattern: ^[0-9]+$
      responses:
        '200':
          description: ok
components:
  schemas:
    Thing:
      type: object
      properties:
        name:
          type: string
  securitySchemes:
    apiKey:
      type: apiKey
      name: x-auth
      in: header
`

const (
	codePtr  = "/paths/~1codes~1{id}/post/requestBody/content/application~1json/schema/properties/code"
	bodyPtr  = "/paths/~1codes~1{id}/post/requestBody/content/application~1json/schema"
	thingPtr = "/components/schemas/Thing"
)

func mustLoad(tb testing.TB, path string) *apispec.Spec {
	tb.Helper()
	s, err := apispec.Load(tb.Context(), path)
	if err != nil {
		tb.Fatalf("Load(%s): %v", path, err)
	}
	return s
}

// loadYAML loads an OpenAPI document given as text.
func loadYAML(t *testing.T, doc string) *apispec.Spec {
	t.Helper()
	p := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustLoad(t, p)
}

// loadErrs loads the spec at path and returns its diagnostics; the load
// must fail with diagnostics only.
// (or, for a rule the mock can do without, succeed with warnings).
func loadErrs(t *testing.T, path string) diag.List {
	t.Helper()
	spec, err := apispec.Load(t.Context(), path)
	if err == nil {
		if len(spec.Warnings()) == 0 {
			t.Fatalf("Load(%s) succeeded on a broken spec, with no warning", path)
		}
		return spec.Warnings()
	}
	list, ok := diag.From(err)
	if !ok {
		t.Fatalf("Load(%s) = %v, want FILE:LINE diagnostics", path, err)
	}
	return list
}

// wantAt is diagtest.Want, plus: the diagnostic names the JSON pointer
// (when ptr is not empty) and its first line is short.
func wantAt(t *testing.T, list diag.List, file string, line int, fragment, ptr string) {
	t.Helper()
	diagtest.WantAny(t, list, file, line, fragment)
	for _, d := range list {
		if d.File != file || d.Line != line || !strings.Contains(d.Message, fragment) {
			continue
		}
		if ptr != "" && !strings.Contains(d.Message, "\n    at "+ptr+"\n") && !strings.HasSuffix(d.Message, "\n    at "+ptr) {
			t.Errorf("%s: the pointer is not %s", d, ptr)
		}
		// Measured without the test's long temporary folders.
		tmp := regexp.MustCompile(regexp.QuoteMeta(os.TempDir()) + `\S*/`)
		first, _, _ := strings.Cut(tmp.ReplaceAllString(d.Message, ""), "\n")
		if len(first) > 120 || regexp.MustCompile(`line \d+:`).MatchString(first) {
			t.Errorf("%s: the first line is long, or repeats a line", d)
		}
	}
}

// writeFiles writes files under a new folder and returns the folder.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Every error that stops a document from loading names FILE:LINE and the
// JSON pointer of the value: YAML type errors, OpenAPI rules, $refs that
// do not resolve, and schemas the JSON Schema compiler rejects.
func TestSpecErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		name     string
		old, new string
		line     int
		fragment string
		ptr      string
	}{
		// YAML type errors while kin decodes the document.
		{"an integer keyword given a string", "minLength: 6", `minLength: "six"`,
			26, `minLength: expected a non-negative integer, got string "six"`, codePtr + "/minLength"},
		{"a negative length", "minLength: 6", "minLength: -1",
			26, "minLength: expected a non-negative integer, got integer -1", codePtr + "/minLength"},
		{"a string keyword given a number", "pattern: ^[0-9]+$", "pattern: 123",
			27, "pattern: expected a string, got integer 123", codePtr + "/pattern"},
		{"required given a string", "required: [code]", "required: code",
			22, `required: expected a list of strings, got string "code"`, bodyPtr + "/required"},
		{"required given a number in its list", "required: [code]", "required: [1]",
			22, "required[0]: expected a string, got integer 1", bodyPtr + "/required/0"},
		{"a description given a list", "description: ok", "description: [ok]",
			30, "description: expected a string, got a list", "/paths/~1codes~1{id}/post/responses/200/description"},
		{"a schema given a number", "          type: string\n  securitySchemes", "          type: array\n          items: 5\n  securitySchemes",
			38, "items: expected a schema, got integer 5", thingPtr + "/properties/name/items"},
		{"a value JSON cannot hold", "minLength: 6", "minLength: 6\n                  maximum: .inf",
			27, ".inf has no JSON representation", codePtr + "/maximum"},
		{"a duplicate key", "      operationId: postCode\n", "      operationId: postCode\n      operationId: again\n",
			17, `invalid YAML: mapping key "operationId" already defined at line 16`, ""},

		// YAML syntax: yaml.v3 writes a parser error's line one too low.
		{"an unclosed flow sequence", "required: [code]", "required: [code",
			22, "invalid YAML: did not find expected ',' or ']'", ""},

		// OpenAPI rules kin-openapi checks.
		{"an invalid regexp", "pattern: ^[0-9]+$", `pattern: "[0-9"`,
			27, `pattern "[0-9" is not a valid regular expression: missing closing ]`, codePtr + "/pattern"},
		{"an invalid regexp in a component", "        name:\n          type: string", "        name:\n          type: string\n          pattern: '(?<!x)[a-z'",
			38, `pattern "(?<!x)[a-z" is not a valid regular expression: unterminated [] set`, thingPtr + "/properties/name/pattern"},
		{"an invalid regexp in a parameter", "          type: string\n    post:", "          type: string\n          pattern: '[x'\n    post:",
			15, `pattern "[x" is not a valid regular expression`, "/paths/~1codes~1{id}/parameters/0/schema/pattern"},
		{"an unknown type", "    Thing:\n      type: object", "    Thing:\n      type: objekt",
			34, `type "objekt" is not a JSON Schema type`, thingPtr + "/type"},
		{"a default that does not match", "minLength: 6", "minLength: 6\n                  default: 5",
			27, "default does not match its schema: expected string, got number; the mock never serves it", ""},
		{"a missing info.version", "  version: \"1\"\n", "",
			2, "version must be a non-empty string", "/info"},
		{"a missing info", "info:\n  title: t\n  version: \"1\"\n", "",
			1, "info: must be an object", ""},
		{"a path without a leading slash", "  /codes/{id}:", "  codes/{id}:",
			9, `path "codes/{id}" cannot be routed`, ""},
		{"a path parameter that is not required", "        required: true\n        schema:", "        schema:",
			10, `path parameter "id" must be required`, "/paths/~1codes~1{id}/parameters/0"},
		{"a response without a description", "          description: ok", "          content: {}",
			29, "a short description of the response is required", "/paths/~1codes~1{id}/post/responses/200"},
		{"an undefined security scheme", "      operationId: postCode\n", "      operationId: postCode\n      security: [{nope: []}]\n",
			17, `undefined security scheme "nope"`, "/paths/~1codes~1{id}/post/security/0/nope"},
		{"a bad apiKey location", "      in: header", "      in: body",
			42, "should have 'in'", "/components/securitySchemes/apiKey/in"},
		{"a server variable that is not declared", "  - url: http://localhost:3123", "  - url: http://{host}:3123",
			6, "server has undeclared variables", "/servers/0/url"},
		{"a duplicate operationId", "components:", "  /other:\n    get:\n      operationId: postCode\n      responses: {'200': {description: ok}}\ncomponents:",
			33, `operation postCode is already declared at `, ""},
		{"a 3.0 operation without responses", "      responses:\n        '200':\n          description: ok\n", "",
			15, "value of responses must be an object", "/paths/~1codes~1{id}/post"},

		// $refs kin cannot resolve.
		{"a $ref to a missing component", "                code:\n                  type: string", "                code:\n                  $ref: '#/components/schemas/Nope'",
			25, `$ref "#/components/schemas/Nope" cannot be resolved: map key "Nope" not found`, codePtr + "/$ref"},
		{"a $ref to the wrong kind of object", "        '200':\n          description: ok", "        '200':\n          $ref: '#/components/schemas/Thing'",
			30, `$ref "#/components/schemas/Thing" does not point to a valid response object`, "/paths/~1codes~1{id}/post/responses/200/$ref"},
		{"a $ref to an anchor", "                code:\n                  type: string", "                code:\n                  $ref: '#nope'",
			25, `$ref "#nope": only JSON pointer fragments`, codePtr + "/$ref"},
		{"a $ref to a missing file", "                code:\n                  type: string", "                code:\n                  $ref: 'nofile.yaml#/X'",
			25, `$ref "nofile.yaml#/X" cannot be resolved`, codePtr + "/$ref"},

		// Schemas the JSON Schema compiler rejects (kin lets them through).
		{"an invalid $anchor", "minLength: 6", "minLength: 6\n                  $anchor: '9x'",
			27, `invalid schema: $anchor: string "9x" does not match pattern`, codePtr + "/$anchor"},
		{"a $dynamicRef to a missing anchor", "minLength: 6", "minLength: 6\n                  $dynamicRef: '#nope'",
			27, `invalid schema: "#nope": the schema has no anchor "nope"`, codePtr + "/$dynamicRef"},
		{"a $schema that cannot be loaded", "minLength: 6", "minLength: 6\n                  $schema: 'http://example.com/nope'",
			27, "invalid schema: http://example.com/nope: only documents in the spec folder can be referenced", codePtr + "/$schema"},
		{"a null type", "                  type: string", "                  type: null",
			25, `invalid schema: type: must be one of "array"`, codePtr + "/type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(brokenBase, tc.old, tc.new, 1)
			if strings.Contains(tc.name, "3.0") {
				doc = strings.Replace(doc, "openapi: 3.1.0", "openapi: 3.0.3", 1)
			}
			if doc == brokenBase {
				t.Fatalf("%q is not in the document", tc.old)
			}
			p := filepath.Join(t.TempDir(), "openapi.yaml")
			if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			wantAt(t, loadErrs(t, p), p, tc.line, tc.fragment, tc.ptr)
		})
	}
}

// The base document loads: the cases above break it, nothing else does.
func TestBrokenBaseLoads(t *testing.T) {
	loadYAML(t, brokenBase)
}

// A JSON document's problems are located the same way.
func TestJSONSpecErrorsNameFileAndLine(t *testing.T) {
	doc := func(schema string) string {
		return `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
   "content": {"application/json": {"schema": {"type": "string",
      ` + schema + `}}}}}}}}}`
	}
	const ptr = "/paths/~1a/get/responses/200/content/application~1json/schema"
	cases := []struct {
		name, doc, fragment, ptr string
		line                     int
	}{
		{"a type error", doc(`"minLength": "six"`), `minLength: expected a non-negative integer, got string "six"`, ptr + "/minLength", 4},
		{"an invalid regexp", doc(`"pattern": "[x"`), `pattern "[x" is not a valid regular expression`, ptr + "/pattern", 4},
		{"a missing description", `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {"/a": {"get": {"responses": {"200": {
   "content": {}}}}}}}`, "a short description of the response is required", "/paths/~1a/get/responses/200", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"openapi.json": tc.doc})
			wantAt(t, loadErrs(t, dir), filepath.Join(dir, "openapi.json"), tc.line, tc.fragment, tc.ptr)
		})
	}
}

// opDoc is a document whose one request body schema is a $ref.
func opDoc(ref string) string {
	return `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /codes:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: '` + ref + `'
      responses: {'204': {description: ok}}
`
}

// A spec split across files names the file the problem is in, not the
// document that $refs it.
func TestSplitSpecErrorsNameTheRightFile(t *testing.T) {
	cases := []struct {
		name     string
		files    map[string]string
		load     string // the file or folder to load, relative to the folder
		file     string // where the problem is
		line     int
		fragment string
		ptr      string
	}{
		{"a type error in a $ref'd fragment", map[string]string{
			"openapi.yaml": opDoc("schemas.yaml#/Code"),
			"schemas.yaml": "Code:\n  type: string\n  minLength: six\n",
		}, ".", "schemas.yaml", 3, "minLength: expected integer, got string (the schema $ref'd at ", "/Code/minLength"},
		{"an invalid regexp in a $ref'd fragment", map[string]string{
			"openapi.yaml": opDoc("schemas.yaml#/Code"),
			"schemas.yaml": "Code:\n  type: string\n  pattern: '[x'\n",
		}, ".", "schemas.yaml", 3, `pattern "[x" is not a valid regular expression`, "/Code/pattern"},
		{"a type error in a whole-file $ref in a subfolder", map[string]string{
			"openapi.yaml":      opDoc("schemas/code.yaml"),
			"schemas/code.yaml": "type: string\nminLength: six\n",
		}, ".", "schemas/code.yaml", 2, `minLength: expected a non-negative integer, got string "six"`, "/minLength"},
		{"an unresolved $ref inside a fragment", map[string]string{
			"openapi.yaml": opDoc("schemas.yaml#/Code"),
			"schemas.yaml": "Code:\n  $ref: '#/Nope'\n",
		}, "openapi.yaml", "schemas.yaml", 2, `$ref "#/Nope" cannot be resolved`, "/Code/$ref"},
		{"the second of two documents", map[string]string{
			"a.yaml": opDoc("#/components/schemas/X") + "components: {schemas: {X: {type: string}}}\n",
			"b.yaml": "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /b:\n    get:\n      responses: {'200': {description: [x]}}\n",
		}, ".", "b.yaml", 6, "description: expected a string, got a list", "/paths/~1b/get/responses/200/description"},
		{"a single-file spec's neighbour the compiler rejects", map[string]string{
			"openapi.yaml": opDoc("schemas.yaml#/Code"),
			"schemas.yaml": "Code:\n  type: string\n  $anchor: '9x'\n",
		}, "openapi.yaml", "schemas.yaml", 3, "invalid schema: $anchor", "/Code/$anchor"},
		{"a $ref that leaves the spec folder", map[string]string{
			"spec/openapi.yaml": opDoc("../x.yaml#/Code"),
			"x.yaml":            "Code: {type: string}\n",
		}, "spec", "spec/openapi.yaml", 10, `$ref "../x.yaml#/Code" cannot be resolved`, "/paths/~1codes/post/requestBody/content/application~1json/schema/$ref"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			list := loadErrs(t, filepath.Join(dir, tc.load))
			wantAt(t, list, filepath.Join(dir, filepath.FromSlash(tc.file)), tc.line, tc.fragment, tc.ptr)
		})
	}
}

// A problem in a file two documents $ref is reported once.
func TestSharedProblemReportedOnce(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml": opDoc("b.yaml#/components/schemas/X"),
		"b.yaml": "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    X:\n      type: string\n      maxLength: many\n",
	})
	list := loadErrs(t, dir)
	wantAt(t, list, filepath.Join(dir, "b.yaml"), 8, `maxLength: expected a non-negative integer, got string "many"`, "/components/schemas/X/maxLength")
	if len(list) != 1 {
		t.Errorf("got %d diagnostics, want 1:\n%v", len(list), list)
	}
}

// A schema two operations $ref is compiled twice: a patternProperties key
// the compiler rejects is still reported once, as itself.
func TestSchemaRefdTwiceReportsItsPatternOnce(t *testing.T) {
	op := func(path string) string {
		return "  " + path + ":\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/T'}\n      responses: {'204': {description: ok}}\n"
	}
	dir := writeFiles(t, map[string]string{"openapi.yaml": "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n" + op("/a") + op("/b") +
		"components:\n  schemas:\n    T:\n      type: object\n      patternProperties:\n        '(?<_)': {type: string}\n"})
	list := loadErrs(t, dir)
	wantAt(t, list, filepath.Join(dir, "openapi.yaml"), 23, `pattern "(?<_)" is not a valid regular expression`, "/components/schemas/T/patternProperties/(?<_)")
	if len(list) != 1 {
		t.Errorf("got %d diagnostics, want 1:\n%v", len(list), list)
	}
}

// A single-file spec may $ref a whole schema in the file beside it (the
// compiler used to resolve that file against the working directory).
func TestSingleFileSpecWithWholeSchemaRef(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"openapi.yaml": opDoc("schemas.yaml#/Code"),
		"schemas.yaml": "Code:\n  type: string\n  minLength: 6\n",
	})
	mustLoad(t, filepath.Join(dir, "openapi.yaml"))
}

// Breaking any value of the seed spec, in YAML and in JSON, never crashes
// the load and every error names a line.
func TestBrokenSeedSpecAlwaysNamesALine(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the seed spec hundreds of times")
	}
	seed, err := os.ReadFile("../../spec/arklow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := rawdoc.Parse(seed)
	if err != nil {
		t.Fatal(err)
	}
	asJSON, err := json.MarshalIndent(raw.Value, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	formats := []struct {
		name, ext, doc string
		line           *regexp.Regexp
		values         []string
	}{
		{"yaml", ".yaml", string(seed), regexp.MustCompile(`^(\s*-?\s*[\w$'/{}.-]+:)\s*(.*)()$`), []string{`"six"`, `[1]`, `{a: 1}`, `-1`, `"[x"`, `null`}},
		{"json", ".json", string(asJSON), regexp.MustCompile(`^(\s*"[^"]+":)\s*([^{\[]*?)(,?)$`), []string{`"six"`, `[1]`, `{"a": 1}`, `-1`, `"[x"`, `null`}},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			lines := strings.Split(f.doc, "\n")
			p := filepath.Join(t.TempDir(), "spec"+f.ext)
			for i, l := range lines {
				m := f.line.FindStringSubmatch(l)
				if m == nil {
					continue
				}
				for _, v := range f.values {
					broken := append([]string(nil), lines...)
					broken[i] = m[1] + " " + v + m[3]
					if err := os.WriteFile(p, []byte(strings.Join(broken, "\n")), 0o644); err != nil {
						t.Fatal(err)
					}
					_, err := apispec.Load(t.Context(), p)
					if err == nil {
						continue
					}
					list, ok := diag.From(err)
					if !ok {
						t.Errorf("line %d %q: %v is not a diagnostic", i+1, broken[i], err)
						continue
					}
					for _, d := range list {
						if d.File != p || d.Line == 0 {
							t.Errorf("line %d %q: %s names no line of the file", i+1, broken[i], d)
						}
					}
				}
			}
		})
	}
}

// ecmaDoc uses ECMA-262 syntax Go's regexp lacks (lookaround, \u escapes);
// the request checks load it too (reqcheck's ecma_test.go).
var ecmaDoc = func() string {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ecma-patterns.yaml"))
	if err != nil {
		panic(err)
	}
	return string(b)
}()

func TestInvalidECMAPatternNamesFileAndLine(t *testing.T) {
	dir := writeFiles(t, map[string]string{"openapi.yaml": strings.Replace(ecmaDoc, `'^(?!foo)[a-z]+$'`, `'^(?!foo)[a-z+$'`, 1)})
	wantAt(t, loadErrs(t, dir), filepath.Join(dir, "openapi.yaml"), 16, `pattern "^(?!foo)[a-z+$" is not a valid regular expression: unterminated [] set`,
		"/paths/~1items/post/requestBody/content/application~1json/schema/properties/x/pattern")
	// patternProperties keys are checked by the schema compiler.
	dir = writeFiles(t, map[string]string{"openapi.yaml": strings.Replace(ecmaDoc, `'^(?!_)\w+$'`, `'(?<_)'`, 1)})
	wantAt(t, loadErrs(t, dir), filepath.Join(dir, "openapi.yaml"), 21, `pattern "(?<_)" is not a valid regular expression`,
		"/paths/~1items/post/requestBody/content/application~1json/schema/properties/tags/patternProperties/(?<_)")
}
