package errformat_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/errformat"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/schema/pattern"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"
)

// spec is a loaded document: kin-openapi's model for Build, and a JSON
// Schema compiler over the raw document for the validators, as
// internal/apispec compiles response schemas.
type spec struct {
	doc  *openapi3.T
	comp *jsonschema.Compiler
}

const docURL = "mem:///openapi.json"

// mustSpec loads an OpenAPI 3.1 document (YAML or JSON) that kin-openapi
// finds valid.
func mustSpec(tb testing.TB, data []byte) *spec {
	tb.Helper()
	s := loadSpec(tb, data)
	if err := s.doc.Validate(openapi3.NewLoader().Context, openapi3.DisableExamplesValidation()); err != nil {
		tb.Fatalf("validate: %v", err)
	}
	return s
}

// loadSpec loads a document without kin-openapi's validation, which
// refuses some published documents for details Build does not read
// (scalar-galaxy's empty server variable default).
func loadSpec(tb testing.TB, data []byte) *spec {
	tb.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		tb.Fatalf("load: %v", err)
	}
	var y any
	if err := yaml.Unmarshal(data, &y); err != nil {
		tb.Fatalf("yaml: %v", err)
	}
	raw, err := json.Marshal(jsonValue(y))
	if err != nil {
		tb.Fatalf("raw document: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		tb.Fatalf("raw document: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseRegexpEngine(func(s string) (jsonschema.Regexp, error) {
		re, err := pattern.Compile(s)
		if err != nil {
			return nil, err
		}
		return re, nil
	})
	if err := c.AddResource(docURL, v); err != nil {
		tb.Fatalf("add resource: %v", err)
	}
	return &spec{doc: doc, comp: c}
}

// mustSpecFile loads a document from a file.
func mustSpecFile(tb testing.TB, path string) *spec {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return loadSpec(tb, data)
}

// jsonValue turns what yaml.v3 decodes into values encoding/json writes
// (map keys as strings).
func jsonValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = jsonValue(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[fmt.Sprint(k)] = jsonValue(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = jsonValue(e)
		}
		return out
	}
	return v
}

// responses lists the documented responses of the operation method path,
// each with a validator compiled from the raw document.
func (s *spec) responses(tb testing.TB, method, path string) map[string]errformat.Documented {
	tb.Helper()
	item := s.doc.Paths.Value(path)
	if item == nil {
		tb.Fatalf("no path %s", path)
	}
	op := item.GetOperation(strings.ToUpper(method))
	if op == nil {
		tb.Fatalf("no operation %s %s", method, path)
	}
	opPtr := "/paths/" + escape(path) + "/" + strings.ToLower(method)
	out := map[string]errformat.Documented{}
	for code, ref := range op.Responses.Map() {
		ptr := opPtr + "/responses/" + escape(code)
		if ref.Ref != "" {
			_, frag, _ := strings.Cut(ref.Ref, "#")
			ptr = frag
		}
		out[code] = errformat.Documented{Response: ref.Value, Validate: s.validator(tb, ptr, ref.Value)}
	}
	return out
}

// validator compiles the schema of each media type of a response and
// returns the callback Build takes.
func (s *spec) validator(tb testing.TB, respPtr string, resp *openapi3.Response) func(string, any) []reqerr.Problem {
	tb.Helper()
	schemas := map[string]*jsonschema.Schema{}
	for name, mt := range resp.Content {
		if mt == nil || mt.Schema == nil {
			continue
		}
		ptr := respPtr + "/content/" + escape(name) + "/schema"
		if mt.Schema.Ref != "" && strings.HasPrefix(mt.Schema.Ref, "#") {
			ptr = strings.TrimPrefix(mt.Schema.Ref, "#")
		}
		sch, err := s.comp.Compile(docURL + "#" + ptr)
		if err != nil {
			tb.Fatalf("compile %s: %v", ptr, err)
		}
		schemas[name] = sch
	}
	return func(mediaType string, body any) []reqerr.Problem {
		sch, ok := schemas[mediaType]
		if !ok {
			return nil
		}
		return problems(sch.Validate(body))
	}
}

// printer renders the library's messages.
var printer = message.NewPrinter(language.English)

// problems turns a validation error into one problem per leaf, with the
// pointer of a missing or unknown property on the property, as
// internal/apispec reports them.
func problems(err error) []reqerr.Problem {
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []reqerr.Problem{{Location: "body", Message: err.Error()}}
	}
	var out []reqerr.Problem
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		ptr := pointer(e.InstanceLocation)
		switch k := e.ErrorKind.(type) {
		case *kind.Required:
			for _, m := range k.Missing {
				out = append(out, reqerr.Problem{Location: "body", Message: "is required", Pointer: ptr + "/" + escape(m)})
			}
			return
		case *kind.AdditionalProperties:
			for _, p := range k.Properties {
				out = append(out, reqerr.Problem{Location: "body", Message: "is not allowed", Pointer: ptr + "/" + escape(p)})
			}
			return
		}
		if len(e.Causes) == 0 {
			out = append(out, reqerr.Problem{Location: "body", Message: e.ErrorKind.LocalizedString(printer), Pointer: ptr})
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

func pointer(toks []string) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString("/" + escape(t))
	}
	return b.String()
}

func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// operations lists a document's operations as "METHOD path", sorted.
func (s *spec) operations() []string {
	var out []string
	for _, path := range slices.Sorted(maps.Keys(s.doc.Paths.Map())) {
		for method := range s.doc.Paths.Value(path).Operations() {
			out = append(out, method+" "+path)
		}
	}
	slices.Sort(out)
	return out
}

// compact re-encodes JSON without insignificant space, for comparisons.
func compact(tb testing.TB, s string) string {
	tb.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		tb.Fatalf("compact %s: %v", s, err)
	}
	return b.String()
}
