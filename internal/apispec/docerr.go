package apispec

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/rawdoc"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/arklow/arklow-mock/internal/schema/pattern"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"gopkg.in/yaml.v3"
)

// This file turns the errors kin-openapi and the JSON Schema compiler return
// for a broken document into FILE:LINE diagnostics. kin names a problem by a
// chain of typed wrappers (section, path, operation, component), by an
// Origin (when the document is loaded with origins), by a JSON pointer in
// its text (YAML type errors), or only by a $ref it quotes; each is mapped
// here to a file, a JSON pointer and, through rawdoc.Doc.Line, a line. All of it
// runs only after a load has failed: a good document costs nothing.
//
// A diagnostic's first line is the problem, short; the JSON pointer of the
// offending value follows on its own line when it is known.

// explainer locates problems in the spec's files.
type explainer struct {
	root     string                 // absolute folder bounding the spec's files
	rootName string                 // root as the user named it, for messages
	raws     map[string]*rawdoc.Doc // by display name
	byAbs    map[string]string      // absolute path -> display name
	nodes    map[string]*yaml.Node  // parsed on demand, by display name
	scanned  bool                   // raws holds every file $ref'd from the spec
}

func newExplainer(root, rootName string, raws map[string]*rawdoc.Doc) *explainer {
	x := &explainer{root: root, rootName: rootName, raws: map[string]*rawdoc.Doc{}, byAbs: map[string]string{}, nodes: map[string]*yaml.Node{}}
	for f, raw := range raws {
		x.raws[f] = raw
		if abs, err := filepath.Abs(f); err == nil {
			x.byAbs[abs] = f
		}
	}
	return x
}

// name returns the display name of a file kin or the compiler reported
// (a path, a file:// URL, or a percent-encoded URL path).
func (x *explainer) name(p string) string {
	if p == "" {
		return ""
	}
	if strings.HasPrefix(p, "file://") {
		if u, err := url.Parse(p); err == nil {
			p = u.Path
		}
	} else if strings.Contains(p, "%") {
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
	}
	p = filepath.FromSlash(p)
	if _, ok := x.raws[p]; ok {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if n, ok := x.byAbs[abs]; ok {
		return n
	}
	n := p
	if rel, err := filepath.Rel(x.root, abs); err == nil && rawdoc.Within(x.root, abs) {
		n = filepath.Join(x.rootName, rel)
	}
	x.byAbs[abs] = n
	return n
}

// raw returns the parsed document of a display name, reading a file the
// spec $refs (within root only) on first use; nil when it cannot be read.
func (x *explainer) raw(name string) *rawdoc.Doc {
	if r, ok := x.raws[name]; ok {
		return r
	}
	x.raws[name] = nil
	abs, err := filepath.Abs(name)
	if err != nil || !rawdoc.Within(x.root, abs) {
		return nil
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil
	}
	r, err := rawdoc.Parse(data)
	if err != nil {
		return nil
	}
	x.raws[name] = r
	return r
}

// node returns the YAML node tree of a file, for finding a key by position.
func (x *explainer) node(name string) *yaml.Node {
	if n, ok := x.nodes[name]; ok {
		return n
	}
	x.nodes[name] = nil
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	x.nodes[name] = root.Content[0]
	return root.Content[0]
}

// line returns the line of ptr in file, or of its closest ancestor.
func (x *explainer) line(file, ptr string) int {
	if r := x.raw(file); r != nil {
		return r.Line(ptr)
	}
	return 0
}

// add appends one located problem: msg's first line, then the pointer.
func (x *explainer) add(out diag.List, file string, line int, ptr, msg string) diag.List {
	if ptr != "" {
		msg += "\n    at " + ptr
	}
	for _, d := range out {
		if d.File == file && d.Line == line && d.Message == msg {
			return out
		}
	}
	return append(out, diag.Diagnostic{File: file, Line: line, Message: msg})
}

// allRaws returns every document known, after reading the files the known
// ones $ref (transitively, within root), so a $ref can be found wherever it
// is written.
func (x *explainer) allRaws() []string {
	if !x.scanned {
		x.scanned = true
		queue := slices.Sorted(maps.Keys(x.raws))
		for len(queue) > 0 && len(x.raws) < 1000 {
			f := queue[0]
			queue = queue[1:]
			r := x.raw(f)
			if r == nil {
				continue
			}
			walkRefs(r.Value, "", func(_, ref string) bool {
				target, _, _ := strings.Cut(ref, "#")
				if target == "" || strings.Contains(target, "://") {
					return false
				}
				n := x.name(filepath.Join(filepath.Dir(f), filepath.FromSlash(target)))
				if _, seen := x.raws[n]; !seen && x.raw(n) != nil {
					queue = append(queue, n)
				}
				return false
			})
		}
	}
	var names []string
	for n, r := range x.raws {
		if r != nil {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// walkRefs calls f with the pointer and value of every $ref, $dynamicRef
// and $schema string under v (ptr is v's pointer) until f returns true.
func walkRefs(v any, ptr string, f func(ptr, ref string) bool) bool {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			p := ptr + "/" + jsonptr.Escape(k)
			if s, ok := v[k].(string); ok && (k == "$ref" || k == "$dynamicRef" || k == "$schema") {
				if f(p, s) {
					return true
				}
				continue
			}
			if walkRefs(v[k], p, f) {
				return true
			}
		}
	case []any:
		for i, e := range v {
			if walkRefs(e, ptr+"/"+strconv.Itoa(i), f) {
				return true
			}
		}
	}
	return false
}

// findRef finds a $ref (or $dynamicRef, $schema) whose value satisfies
// match: first in file, then in every other document.
func (x *explainer) findRef(file string, match func(string) bool) (string, string, bool) {
	files := append([]string{file}, x.allRaws()...)
	for _, f := range files {
		r := x.raw(f)
		if r == nil {
			continue
		}
		var at string
		if walkRefs(r.Value, "", func(p, ref string) bool {
			at = p
			return match(ref)
		}) {
			return f, at, true
		}
	}
	return "", "", false
}

// valueAt returns the raw value at ptr of file.
func (x *explainer) valueAt(file, ptr string) (any, bool) {
	r := x.raw(file)
	if r == nil {
		return nil, false
	}
	return jsonptr.Lookup(r.Value, ptr)
}

// ---------------------------------------------------------------------
// Loading: kin-openapi's load and validation errors.
// ---------------------------------------------------------------------

// validationError marks an error of doc.Validate (the document parsed and
// its $refs resolved, but it breaks an OpenAPI rule).
type validationError struct{ err error }

func (e *validationError) Error() string { return e.err.Error() }
func (e *validationError) Unwrap() error { return e.err }

// loadError returns the diagnostics for a failed loadDoc of file.
func (x *explainer) loadError(reload func() error, file string, err error) diag.List {
	var out diag.List
	var ve *validationError
	switch {
	case errors.As(err, &ve):
		// Load again, with origins and every problem at once. If that
		// somehow succeeds, explain the first error without origins.
		err = ve.err
		var again *validationError
		if errors.As(reload(), &again) {
			err = again.err
		}
		var leaves []error
		if me, ok := err.(openapi3.MultiError); ok {
			leaves = me
		} else {
			leaves = []error{err}
		}
		for _, e := range leaves {
			f, line, ptr, msg := x.validation(file, e)
			out = x.add(out, f, line, ptr, msg)
		}
	case strings.Contains(err.Error(), "failed to unmarshal data"):
		out = x.unmarshal(out, file, err.Error())
	default:
		f, line, ptr, msg := x.refProblem(file, err)
		out = x.add(out, f, line, ptr, msg)
	}
	return out
}

// constructErr is one YAML type error in kin's text: "line 3: cannot
// construct !!str `six` into uint64 in /paths/~1a/get/...".
var constructErr = regexp.MustCompile(`(?:^|; )line (\d+): `)

// unmarshal explains a document kin could not decode into its types. The
// errors come as text only (the YAML library is kin's, not ours), each
// with its line and, mostly, the JSON pointer of the value.
func (x *explainer) unmarshal(out diag.List, file, text string) diag.List {
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
func (x *explainer) fileOf(file, ptr string, line int) string {
	if ptr == "" {
		return file
	}
	has := func(f string) bool {
		r := x.raw(f)
		if r == nil {
			return false
		}
		l, ok := r.Lines[ptr]
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
func (x *explainer) exactLine(file, ptr string) int {
	if r := x.raw(file); r != nil && ptr != "" {
		return r.Lines[ptr]
	}
	return 0
}

// pointerOnLine returns the pointer of the first key written on line.
func (x *explainer) pointerOnLine(file string, line int) string {
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
func (x *explainer) typeMessage(file, ptr, msg string) (string, string) {
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

// fieldName names the value at ptr for a message: its key, or key[i].
func fieldName(ptr string) string {
	toks := strings.Split(ptr, "/")
	if len(toks) < 2 {
		return "the document"
	}
	last := jsonptr.Unescape(toks[len(toks)-1])
	if _, err := strconv.Atoi(last); err == nil && len(toks) > 2 {
		return jsonptr.Unescape(toks[len(toks)-2]) + "[" + last + "]"
	}
	return last
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

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}

// quoted finds the Go-quoted strings of a message.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// refProblem explains a load error that is not about types: kin could not
// resolve a $ref, and quotes it. The problem is reported at the $ref.
func (x *explainer) refProblem(file string, err error) (string, int, string, string) {
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
func (x *explainer) badSchemaTarget(file, ref string) (string, int, string, string, bool) {
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

// ---------------------------------------------------------------------
// Validation: kin-openapi's typed validation errors.
// ---------------------------------------------------------------------

var originType = reflect.TypeFor[*openapi3.Origin]()

// validation locates one validation error of doc file. Its context wrappers
// give the pointer of an ancestor; an Origin (present when loaded with
// origins) gives the exact file and line of the offending object.
func (x *explainer) validation(file string, err error) (f string, line int, ptr, msg string) {
	var (
		origin *openapi3.Origin
		field  string
		leafE  error
		exact  string // a pointer the error itself carries
		open   = true // the wrappers so far spell a pointer
	)
	ptr = ""
	for e := err; e != nil; e = errors.Unwrap(e) {
		if leafE == nil {
			if seg, ok := x.wrapperSegment(file, e); ok {
				if seg == "" {
					open = false // somewhere below: the Origin, if any, says where
				} else if open {
					ptr += seg
				}
				continue
			}
			leafE = e
		}
		if origin == nil {
			origin, field = originOf(e)
		}
		if exact == "" {
			exact = pointerField(e)
		}
	}
	if leafE == nil {
		leafE = err
	}
	msg = validationMessage(leafE)
	f = file
	switch {
	case exact != "":
		ptr = exact
		line = x.keyLine(f, ptr)
	case origin != nil:
		f, line, ptr = x.atOrigin(file, origin, field, ptr)
		if r := refine(leafE, ptr, true); r != ptr && f == file && x.exactLine(f, r) > 0 {
			ptr, line = r, x.keyLine(f, r)
		}
	default:
		ptr = refine(leafE, ptr, false)
		line = x.keyLine(f, ptr)
	}
	return f, line, ptr, msg
}

// wrapperSegment is the pointer segment a kin validation wrapper adds
// ("/paths", "/~1pets", "/get", …); ok is false for an error that is not
// a wrapper. A wrapper whose place kin does not name gives "".
func (x *explainer) wrapperSegment(file string, e error) (seg string, ok bool) {
	switch w := e.(type) {
	case *openapi3.SectionValidationError:
		return "/" + sectionKey(w.Section), true
	case *openapi3.PathValidationError:
		return "/" + jsonptr.Escape(w.Path), true
	case *openapi3.OperationValidationError:
		return "/" + strings.ToLower(w.Method), true
	case *openapi3.ComponentValidationError:
		return "/" + componentKey(w.Section) + "/" + jsonptr.Escape(w.Name), true
	case *openapi3.WebhookValidationError:
		return "/" + jsonptr.Escape(w.Name), true
	case *openapi3.TagValidationError:
		return "/" + x.tagIndex(file, w.Name), true
	case *openapi3.ExternalDocsURLValidationError:
		return "/url", true
	case *openapi3.HeaderFieldValidationError, *openapi3.MediaTypeExampleValidationError,
		*openapi3.MediaTypeEncodingValidationError, *openapi3.ParameterFieldValidationError,
		*openapi3.ParameterExampleValidationError, *openapi3.SecuritySchemeFlowValidationError,
		*openapi3.OAuthFlowValidationError, *openapi3.OAuthFlowFieldValidationError,
		*openapi3.SchemaCombinatorElementValidationError:
		return "", true
	}
	return "", false
}

// atOrigin locates an Origin: the key of the field at fault when the error
// names one, else the object (found by any of its fields' keys, or by the
// key heading it; kin's Key is not always the heading key).
func (x *explainer) atOrigin(file string, o *openapi3.Origin, field, fallback string) (string, int, string) {
	fileName := file
	switch {
	case o.Key != nil && o.Key.File != "":
		fileName = x.name(o.Key.File)
	case len(o.Fields) > 0 && o.Fields[0].File != "":
		fileName = x.name(o.Fields[0].File)
	}
	n := x.node(fileName)
	if field != "" {
		if loc, ok := o.Fields.Lookup(field); ok {
			if p, ok := pointerAt(n, loc.Line, loc.Column, field, true); ok {
				return fileName, loc.Line, p
			}
		}
	}
	obj, ok := "", false
	for _, loc := range o.Fields {
		if p, found := pointerAt(n, loc.Line, loc.Column, loc.Name, true); found {
			obj, ok = parentPointer(p), true
			break
		}
	}
	if !ok && o.Key != nil {
		obj, ok = pointerAt(n, o.Key.Line, o.Key.Column, o.Key.Name, true)
		if !ok {
			obj, ok = pointerAt(n, o.Key.Line, o.Key.Column, "", false)
		}
	}
	switch {
	case ok:
		return fileName, x.keyLine(fileName, obj), obj
	case fileName != file && o.Key != nil:
		return fileName, o.Key.Line, "" // a position, but no pointer for it
	}
	return file, x.line(file, fallback), fallback
}

func parentPointer(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

// keyLine returns the line of the key (or sequence item) that heads the
// value at ptr: for an object, the line naming it rather than its first
// field's.
func (x *explainer) keyLine(file, ptr string) int {
	n := x.node(file)
	if n == nil || ptr == "" || !strings.HasPrefix(ptr, "/") {
		if n != nil && ptr == "" {
			return n.Line
		}
		return x.line(file, ptr)
	}
	line := 0
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = jsonptr.Unescape(tok)
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					line, next = n.Content[i].Line, n.Content[i+1]
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
				line = next.Line
			}
		}
		if next == nil {
			break // the closest ancestor's
		}
		n = next
	}
	if line == 0 {
		return x.line(file, ptr)
	}
	return line
}

// originOf returns the Origin an error carries (kin fills it when the
// document is loaded with origins) and the field of the object at fault.
func originOf(e error) (*openapi3.Origin, string) {
	v := reflect.ValueOf(e)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, ""
	}
	s := v.Elem()
	f := s.FieldByName("Origin")
	if !f.IsValid() || f.Type() != originType || f.IsNil() {
		return nil, ""
	}
	o := f.Interface().(*openapi3.Origin)
	switch e := e.(type) {
	case *openapi3.SchemaPatternRegexError:
		return o, "pattern"
	case *openapi3.SchemaTypeError, *openapi3.InvalidSecuritySchemeTypeError:
		return o, "type"
	case *openapi3.APIKeyInInvalidError, *openapi3.InvalidParameterInError:
		return o, "in"
	case *openapi3.ServerURLTemplateError:
		return o, "url"
	case *openapi3.InvalidHTTPSchemeError:
		return o, "scheme"
	case *openapi3.SchemaMultipleOfNotPositiveError:
		return o, "multipleOf"
	case *openapi3.DuplicateRequiredFieldError:
		return o, "required"
	case *openapi3.ExtraSiblingFieldsError:
		if len(e.Fields) > 0 {
			return o, e.Fields[0]
		}
	case *openapi3.MutuallyExclusiveFieldsError:
		return o, e.Field2
	}
	for _, name := range []string{"ValueKind", "Field"} {
		if sf := s.FieldByName(name); sf.IsValid() && sf.Kind() == reflect.String {
			field := sf.String()
			if i := strings.LastIndexByte(field, '.'); i >= 0 {
				field = field[i+1:]
			}
			return o, field
		}
	}
	return o, ""
}

// pointerField returns the JSON pointer an error carries itself.
func pointerField(e error) string {
	v := reflect.ValueOf(e)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	if f := v.Elem().FieldByName("JSONPointer"); f.IsValid() && f.Kind() == reflect.String && strings.HasPrefix(f.String(), "/") {
		return f.String()
	}
	return ""
}

// refine narrows a pointer by what the error itself names. With an
// origin, ptr is already the object's.
func refine(e error, ptr string, origin bool) string {
	switch e := e.(type) {
	case *openapi3.PathMustStartWithSlashError:
		return "/paths/" + jsonptr.Escape(e.Path)
	case *openapi3.ConflictingPathsError:
		return "/paths/" + jsonptr.Escape(e.Path2)
	case *openapi3.PathParametersError:
		return "/paths/" + jsonptr.Escape(e.Path) + "/" + strings.ToLower(e.Method)
	case *openapi3.DuplicateOperationIDError:
		if origin {
			return ptr + "/operationId" // the origin is the duplicate's
		}
		if m, p, ok := strings.Cut(e.Endpoint2, " "); ok {
			return "/paths/" + jsonptr.Escape(p) + "/" + strings.ToLower(m) + "/operationId"
		}
	}
	return ptr
}

// sectionKey maps kin's section names to the document's keys.
func sectionKey(s string) string {
	switch s {
	case "external docs":
		return "externalDocs"
	}
	return jsonptr.Escape(s)
}

// componentKey maps kin's component kinds to keys under components.
func componentKey(s string) string {
	switch s {
	case "schema":
		return "schemas"
	case "parameter":
		return "parameters"
	case "header":
		return "headers"
	case "request body":
		return "requestBodies"
	case "response":
		return "responses"
	case "security scheme":
		return "securitySchemes"
	case "example":
		return "examples"
	case "link":
		return "links"
	case "callback":
		return "callbacks"
	case "path item":
		return "pathItems"
	}
	return jsonptr.Escape(s)
}

// tagIndex returns the index of the tag named name in file's tags.
func (x *explainer) tagIndex(file, name string) string {
	if v, ok := x.valueAt(file, "/tags"); ok {
		if tags, ok := v.([]any); ok {
			for i, t := range tags {
				if m, ok := t.(map[string]any); ok && m["name"] == name {
					return strconv.Itoa(i)
				}
			}
		}
	}
	return "-"
}

// patternKey finds the patternProperties key src within the schema at base
// of file f (base itself when it is not found).
func (x *explainer) patternKey(f, base, src string) string {
	raw := x.raws[f]
	if raw == nil {
		return base
	}
	suffix := "/patternProperties/" + jsonptr.Escape(src)
	best := base
	for p := range raw.Lines {
		if strings.HasPrefix(p, base+"/") && strings.HasSuffix(p, suffix) && (best == base || p < best) {
			best = p
		}
	}
	return best
}

// validationMessage words a validation error without kin's context
// prefixes (the pointer says where) and without its schema dumps.
func validationMessage(e error) string {
	var sp *openapi3.SchemaPatternRegexError
	if errors.As(e, &sp) {
		var se *syntax.Error
		if errors.As(sp, &se) {
			if se.Expr == sp.Pattern || se.Expr == "" {
				return fmt.Sprintf("pattern %q is not a valid regular expression: %s", sp.Pattern, se.Code)
			}
			return fmt.Sprintf("pattern %q is not a valid regular expression: %s: %s", sp.Pattern, se.Code, se.Expr)
		}
		var pe *pattern.SyntaxError
		if errors.As(sp, &pe) {
			return fmt.Sprintf("pattern %q is not a valid regular expression: %s", sp.Pattern, pe.Msg)
		}
		return fmt.Sprintf("pattern %q is not a valid regular expression", sp.Pattern)
	}
	var st *openapi3.SchemaTypeError
	if errors.As(e, &st) {
		return fmt.Sprintf("type %q is not a JSON Schema type (string, number, integer, boolean, array, object or null)", st.Type)
	}
	var sv *openapi3.SchemaValueError
	if errors.As(e, &sv) {
		var ve *jsonschema.ValidationError
		if errors.As(sv.Cause, &ve) {
			leaves := schema.Leaves(ve)
			if len(leaves) > 0 {
				at := ""
				if len(leaves[0].At) > 0 {
					at = " at " + jsonptr.Join(leaves[0].At)
				}
				return fmt.Sprintf("%s does not match its schema%s: %s", sv.ValueKind, at, leaves[0].Msg)
			}
		}
		var se *openapi3.SchemaError
		if errors.As(sv.Cause, &se) && se.Reason != "" {
			return fmt.Sprintf("%s does not match its schema: %s", sv.ValueKind, firstLine(se.Reason))
		}
	}
	msg := firstLine(e.Error())
	var rf *openapi3.RequiredFieldError
	if errors.As(e, &rf) {
		name := rf.Field[strings.LastIndexByte(rf.Field, '.')+1:]
		if name != "" && !strings.Contains(msg, name) {
			msg = name + ": " + msg
		}
	}
	return msg
}

// pointerAt finds a position of a document's node tree n. With keys, it
// returns the pointer of the value of the key written at line:col (named
// name, unless name is empty); col 0 matches any column of line, the first
// key in document order. Without keys, it returns the pointer of the
// shallowest node that starts at line:col. Aliases are not followed.
func pointerAt(n *yaml.Node, line, col int, name string, keys bool) (string, bool) {
	if n == nil || line <= 0 {
		return "", false
	}
	return searchNode(n, line, col, name, keys, "", 0)
}

func searchNode(n *yaml.Node, line, col int, name string, keys bool, ptr string, depth int) (string, bool) {
	if depth > rawdoc.MaxDepth || n.Line > line {
		return "", false
	}
	at := func(m *yaml.Node) bool { return m.Line == line && (col == 0 || m.Column == col) }
	if !keys && at(n) {
		return ptr, true
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Line > line {
				break
			}
			p := ptr + "/" + jsonptr.Escape(k.Value)
			if keys && at(k) && (name == "" || k.Value == name) {
				return p, true
			}
			if found, ok := searchNode(v, line, col, name, keys, p, depth+1); ok {
				return found, true
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if found, ok := searchNode(c, line, col, name, keys, ptr+"/"+strconv.Itoa(i), depth+1); ok {
				return found, true
			}
			if c.Line > line {
				break
			}
		}
	}
	return "", false
}

// ---------------------------------------------------------------------
// Compiling: santhosh-tekuri/jsonschema's errors.
// ---------------------------------------------------------------------

// schemaError explains why the schema at ptr of file does not compile.
func (x *explainer) schemaError(out diag.List, file, ptr string, err error) diag.List {
	var sve *jsonschema.SchemaValidationError
	if errors.As(err, &sve) {
		f, base := x.schemaURL(sve.URL, file, ptr)
		var ve *jsonschema.ValidationError
		if errors.As(sve.Err, &ve) {
			// A pattern the regexp engine rejects fails the meta-schema's
			// `format: regex`: say so in the words kin-openapi used.
			// Not len(out): a schema $ref'd twice gives the same diagnostic
			// twice, and add keeps only the first.
			found := false
			eachError(ve, func(e *jsonschema.ValidationError) {
				if k, ok := e.ErrorKind.(*kind.Format); ok && k.Want == "regex" && k.Err != nil {
					found = true
					src := fmt.Sprint(k.Got)
					p := base + jsonptr.Join(e.InstanceLocation)
					if len(e.InstanceLocation) == 0 { // a patternProperties key: its location is its own
						p = x.patternKey(f, base, src)
					}
					out = x.add(out, f, x.line(f, p), p, fmt.Sprintf("pattern %q is not a valid regular expression: %v", src, k.Err))
				}
			})
			if found {
				return out
			}
			leaves := schema.Leaves(ve)
			for _, l := range leaves {
				p := base + jsonptr.Join(l.At)
				out = x.add(out, f, x.line(f, p), p, "invalid schema: "+fieldName(p)+": "+l.Msg)
			}
			if len(leaves) > 0 {
				return out
			}
		}
		return x.add(out, f, x.line(f, base), base, "invalid schema: "+x.cleanURLs(firstLine(sve.Err.Error())))
	}
	var (
		rx   *jsonschema.InvalidRegexError
		anc  *jsonschema.AnchorNotFoundError
		jp   *jsonschema.JSONPointerNotFoundError
		load *jsonschema.LoadURLError
		drft *jsonschema.UnsupportedDraftError
	)
	switch {
	case errors.As(err, &rx):
		f, p := x.schemaURL(rx.URL, file, ptr)
		return x.add(out, f, x.line(f, p), p, fmt.Sprintf("pattern %q is not a valid regular expression: %v", rx.Regex, rx.Err))
	case errors.As(err, &anc):
		_, frag, _ := strings.Cut(anc.Reference, "#")
		return x.atRef(out, file, ptr, func(v string) bool { return strings.HasSuffix(v, "#"+frag) },
			fmt.Sprintf("invalid schema: %q: the schema has no anchor %q", "#"+frag, frag))
	case errors.As(err, &jp):
		target := x.shortURL(jp.URL)
		_, frag, _ := strings.Cut(jp.URL, "#")
		if u, err := url.Parse(jp.URL); err == nil {
			frag = u.Fragment
		}
		return x.atRef(out, file, ptr, func(v string) bool { _, vf, _ := strings.Cut(v, "#"); return vf == frag },
			fmt.Sprintf("invalid schema: $ref target %s does not exist", target))
	case errors.As(err, &load):
		u := load.URL
		return x.atRef(out, file, ptr, func(v string) bool { return refMatchesURL(v, u) },
			"invalid schema: "+x.cleanURLs(firstLine(loadMessage(load))))
	case errors.As(err, &drft):
		u := drft.URL
		return x.atRef(out, file, ptr, func(v string) bool { return refMatchesURL(v, u) },
			fmt.Sprintf("invalid schema: $schema %q is not a supported JSON Schema draft", u))
	}
	// Anything else: the schema URL it names, when it is one of ours.
	f, p := file, ptr
	if u := urlField(err); u != "" {
		f, p = x.schemaURL(u, file, ptr)
	}
	return x.add(out, f, x.line(f, p), p, "invalid schema: "+x.cleanURLs(firstLine(err.Error())))
}

func loadMessage(e *jsonschema.LoadURLError) string {
	if e.Err != nil && strings.Contains(e.Err.Error(), e.URL) {
		return e.Err.Error()
	}
	return fmt.Sprintf("cannot load %s: %v", e.URL, e.Err)
}

// atRef reports msg at the $ref under ptr that match accepts, else at ptr.
func (x *explainer) atRef(out diag.List, file, ptr string, match func(string) bool, msg string) diag.List {
	if v, ok := x.valueAt(file, ptr); ok {
		var at string
		if walkRefs(v, ptr, func(p, ref string) bool { at = p; return match(ref) }) {
			return x.add(out, file, x.line(file, at), at, msg)
		}
	}
	return x.add(out, file, x.line(file, ptr), ptr, msg)
}

// refMatchesURL reports whether a $ref (or $schema) as written may resolve
// to the absolute URL u.
func refMatchesURL(ref, u string) bool {
	if ref == u {
		return true
	}
	rp, _, _ := strings.Cut(ref, "#")
	up, _, _ := strings.Cut(u, "#")
	return rp != "" && (rp == up || strings.HasSuffix(up, "/"+strings.TrimPrefix(rp, "./")))
}

// schemaURL maps a compiler URL (file://...#/ptr) to a file and pointer,
// or to file and ptr when it is not one of the spec's files.
func (x *explainer) schemaURL(u, file, ptr string) (string, string) {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Scheme != "file" {
		return file, ptr
	}
	f := x.name("file://" + parsed.EscapedPath())
	if x.raw(f) == nil {
		return file, ptr
	}
	return f, parsed.Fragment
}

// shortURL renders a compiler URL with the file's display name.
func (x *explainer) shortURL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Scheme != "file" {
		return u
	}
	s := x.name("file://" + parsed.EscapedPath())
	if parsed.Fragment != "" {
		s += "#" + parsed.Fragment
	}
	return s
}

var fileURL = regexp.MustCompile(`file://[^\s"']+`)

// cleanURLs replaces the compiler's file:// URLs by display names.
func (x *explainer) cleanURLs(s string) string {
	return fileURL.ReplaceAllStringFunc(s, x.shortURL)
}

// urlField returns the URL field of a compiler error, if it has one.
func urlField(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		v := reflect.ValueOf(e)
		if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
			if f := v.Elem().FieldByName("URL"); f.IsValid() && f.Kind() == reflect.String {
				return f.String()
			}
		}
	}
	return ""
}

// eachError calls f with ve and each of its causes, depth first.
func eachError(ve *jsonschema.ValidationError, f func(*jsonschema.ValidationError)) {
	f(ve)
	for _, c := range ve.Causes {
		eachError(c, f)
	}
}
