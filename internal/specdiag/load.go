package specdiag

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// LoadError explains why kin-openapi could not load file (not validate
// it: see ValidationError): a value of the wrong type for kin's structs, a
// $ref that does not resolve, the library's own failure.
func (x *Explainer) LoadError(file string, err error) diag.List {
	if strings.Contains(err.Error(), "failed to unmarshal data") {
		return x.unmarshal(nil, file, err.Error())
	}
	f, line, ptr, msg := x.refProblem(file, err)
	return x.add(nil, f, line, ptr, msg)
}

// constructErr is one YAML type error in kin's text: "line 3: cannot
// construct !!str `six` into uint64 in /paths/~1a/get/...".
var constructErr = regexp.MustCompile(`(?:^|; )line (\d+): `)

// unmarshal explains a document kin could not decode into its types. The
// errors come as text only (the YAML library is kin's, not ours), each
// with its line and, mostly, the JSON pointer of the value.
func (x *Explainer) unmarshal(out diag.List, file, text string) diag.List {
	// "failed to unmarshal data: [json error: ..., ]yaml error: ...": the
	// YAML error is the one with positions.
	if i := strings.LastIndex(text, "yaml error: "); i >= 0 {
		text = text[i+len("yaml error: "):]
	}
	text = strings.TrimPrefix(text, "yaml: ")
	text = strings.TrimPrefix(text, "construct errors: ")
	locs := constructErr.FindAllStringSubmatchIndex(text, -1)
	if len(locs) == 0 {
		line, msg := diag.YAMLError(errors.New(text))
		return x.add(out, file, line, x.pointerOnLine(file, line), "invalid document: "+firstLine(msg))
	}
	for i, loc := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		line, _ := strconv.Atoi(text[loc[2]:loc[3]])
		msg := text[loc[1]:end]
		ptr := ""
		if j := strings.LastIndex(msg, " in /"); j >= 0 {
			msg, ptr = msg[:j], msg[j+len(" in "):]
		}
		f := x.fileOf(file, ptr, line)
		if ptr == "" {
			ptr = x.pointerOnLine(f, line)
		}
		var m string
		ptr, m = x.typeMessage(f, ptr, msg)
		if l := x.exactLine(f, ptr); l > 0 {
			line = l
		}
		out = x.add(out, f, line, ptr, m)
	}
	return out
}

// fileOf returns the file whose value at ptr is on line: kin decodes
// $ref'd files too, and its errors do not say which file they are in.
func (x *Explainer) fileOf(file, ptr string, line int) string {
	if ptr == "" {
		return file
	}
	has := func(f string) bool {
		r := x.raw(f)
		if r == nil {
			return false
		}
		l, ok := r.Lines.Exact(ptr)
		return ok && l == line
	}
	if has(file) {
		return file
	}
	for _, f := range x.allRaws() {
		if has(f) {
			return f
		}
	}
	return file
}

// exactLine returns the line of the value at ptr, 0 when ptr is not in file.
func (x *Explainer) exactLine(file, ptr string) int {
	if r := x.raw(file); r != nil && ptr != "" {
		l, _ := r.Lines.Exact(ptr)
		return l
	}
	return 0
}

// pointerOnLine returns the pointer of the first key written on line.
func (x *Explainer) pointerOnLine(file string, line int) string {
	if line <= 0 {
		return ""
	}
	p, _ := pointerAt(x.node(file), line, 0, "", true)
	return p
}

var (
	constructRe = regexp.MustCompile("^cannot construct (!!\\w+)(?: `(.*)`)? into (.+?)(?: \\(TextUnmarshaler\\))?$")
	stringField = regexp.MustCompile(`^cannot unmarshal (!!\w+) into string field "(.*)"$`)
)

// typeMessage rewrites a YAML type error in the document's terms:
// "minLength: expected a non-negative integer, got string "six"". It may
// refine ptr (kin names the object for a wrong-typed string field).
func (x *Explainer) typeMessage(file, ptr, msg string) (string, string) {
	if m := constructRe.FindStringSubmatch(msg); m != nil {
		got := yamlValue(m[1], m[2]) // the library cuts long values short
		if v, ok := x.valueAt(file, ptr); ok {
			got = jsonKind(v)
		}
		return ptr, fmt.Sprintf("%s: expected %s, got %s", fieldName(ptr), goTypeName(m[3]), got)
	}
	if m := stringField.FindStringSubmatch(msg); m != nil {
		p := ptr + "/" + jsonptr.Escape(m[2])
		v, ok := x.valueAt(file, p)
		if !ok {
			return ptr, fmt.Sprintf("%s: expected a string, got %s", m[2], yamlValue(m[1], ""))
		}
		if list, isList := v.([]any); isList {
			for i, e := range list {
				if _, isStr := e.(string); !isStr && e != nil {
					p += "/" + strconv.Itoa(i)
					v = e
					break
				}
			}
		}
		return p, fmt.Sprintf("%s: expected a string, got %s", fieldName(p), jsonKind(v))
	}
	return ptr, firstLine(msg)
}

// goTypeName says what a Go type kin decodes into expects.
func goTypeName(t string) string {
	switch {
	case t == "string":
		return "a string"
	case t == "bool":
		return "a boolean"
	case strings.HasPrefix(t, "uint"):
		return "a non-negative integer"
	case strings.HasPrefix(t, "int"):
		return "an integer"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case t == "[]string":
		return "a list of strings"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case t == "openapi3.Schema" || t == "openapi3.SchemaRef":
		return "a schema"
	case strings.HasPrefix(t, "openapi3."):
		return "a mapping (" + strings.TrimPrefix(t, "openapi3.") + " object)"
	}
	return "a value of Go type " + t
}

// yamlValue describes a YAML value by its tag: string "six", integer -1.
func yamlValue(tag, value string) string {
	kinds := map[string]string{"!!str": "string", "!!int": "integer", "!!float": "number", "!!bool": "boolean"}
	switch k, ok := kinds[tag]; {
	case tag == "!!null":
		return "null"
	case tag == "!!map":
		return "a mapping"
	case tag == "!!seq":
		return "a list"
	case ok && value == "" && k == "integer":
		return "an integer"
	case ok && value == "":
		return "a " + k
	case tag == "!!str":
		return "string " + strconv.Quote(value)
	case ok:
		return k + " " + value
	}
	return strings.TrimPrefix(tag, "!!")
}

// jsonKind describes a decoded value: string "x", integer 5, a list.
func jsonKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "string " + schema.Display(v)
	case bool:
		return "boolean " + strconv.FormatBool(v)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	s := fmt.Sprint(v)
	if strings.ContainsAny(s, ".eE") {
		return "number " + s
	}
	return "integer " + s
}

// quoted finds the Go-quoted strings of a message.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// refProblem explains a load error that is not about types: kin could not
// resolve a $ref, and quotes it. The problem is reported at the $ref.
func (x *Explainer) refProblem(file string, err error) (string, int, string, string) {
	text := err.Error()
	var refs []string
	for _, q := range quoted.FindAllString(text, -1) {
		if s, err := strconv.Unquote(q); err == nil && s != "" {
			refs = append(refs, s)
		}
	}
	msg := firstLine(text)
	// The ref as kin quotes it is relative to the document that holds it,
	// so "other.yaml#/X" may be quoted as "#/X": prefer an exact match.
	for _, exact := range []bool{true, false} {
		for i := len(refs) - 1; i >= 0; i-- {
			ref := refs[i]
			if !exact && !strings.HasPrefix(ref, "#") {
				continue
			}
			f, ptr, ok := x.findRef(file, func(v string) bool {
				return v == ref || !exact && strings.HasSuffix(v, ref)
			})
			if !ok {
				continue
			}
			v, _ := x.valueAt(f, ptr)
			written, _ := v.(string)
			msg = refMessage(text, written)
			// A schema that is not one: say what is wrong inside it.
			if strings.Contains(text, "(expecting ref to schema object)") {
				if tf, tl, tp, tm, ok := x.badSchemaTarget(f, written); ok {
					return tf, tl, tp, tm + " (the schema $ref'd at " + fmt.Sprintf("%s:%d", f, x.line(f, ptr)) + ")"
				}
			}
			return f, x.line(f, ptr), ptr, msg
		}
	}
	line, _ := diag.YAMLError(err)
	return file, line, "", msg
}

var (
	failedFragment = regexp.MustCompile(`^failed to resolve ".*" in fragment in URI: ".*?"(?:: (.*))?$`)
	resolvingRef   = regexp.MustCompile(`^error resolving reference ".*?": (.*)$`)
	badData        = regexp.MustCompile(`^bad data in ".*" \(expecting ref to (.*?)\)$`)
	fragmentPrefix = regexp.MustCompile(`^expected fragment prefix '#/' in URI`)
)

// refMessage words a $ref resolution error around the $ref as written.
func refMessage(text, ref string) string {
	text = firstLine(text)
	q := strconv.Quote(ref)
	switch {
	case failedFragment.MatchString(text):
		detail := failedFragment.FindStringSubmatch(text)[1]
		if detail == "" {
			detail = "no such location"
		}
		return fmt.Sprintf("$ref %s cannot be resolved: %s", q, detail)
	case resolvingRef.MatchString(text):
		return fmt.Sprintf("$ref %s cannot be resolved: %s", q, resolvingRef.FindStringSubmatch(text)[1])
	case badData.MatchString(text):
		return fmt.Sprintf("$ref %s does not point to a valid %s", q, badData.FindStringSubmatch(text)[1])
	case fragmentPrefix.MatchString(text):
		return fmt.Sprintf("$ref %s: only JSON pointer fragments (#/...) are supported here", q)
	}
	return text
}

// badSchemaTarget checks the schema a $ref (written in file) points at
// against the JSON Schema meta-schema, to say what in it is wrong.
func (x *Explainer) badSchemaTarget(file, ref string) (string, int, string, string, bool) {
	target, frag, _ := strings.Cut(ref, "#")
	tf := file
	if target != "" {
		if strings.Contains(target, "://") {
			return "", 0, "", "", false
		}
		tf = x.name(filepath.Join(filepath.Dir(file), filepath.FromSlash(target)))
	}
	v, ok := x.valueAt(tf, frag)
	if !ok {
		return "", 0, "", "", false
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(noLoader{})
	if err := c.AddResource("mem:///target.json", v); err != nil {
		return "", 0, "", "", false
	}
	_, err := c.Compile("mem:///target.json")
	var sve *jsonschema.SchemaValidationError
	if !errors.As(err, &sve) {
		return "", 0, "", "", false
	}
	var ve *jsonschema.ValidationError
	if !errors.As(sve.Err, &ve) {
		return "", 0, "", "", false
	}
	leaves := schema.Leaves(ve)
	if len(leaves) == 0 {
		return "", 0, "", "", false
	}
	p := frag + jsonptr.Join(leaves[0].At)
	return tf, x.line(tf, p), p, fieldName(p) + ": " + leaves[0].Msg, true
}

// noLoader refuses every URL: a meta-schema check reads nothing.
type noLoader struct{}

func (noLoader) Load(u string) (any, error) { return nil, fmt.Errorf("%s: not loaded", u) }
