// Package apispec is the mock's view of the OpenAPI documents: it loads them
// with kin-openapi into a model of operations (security, parameters,
// request body media types, responses with their headers and examples),
// routes requests by path and method (never by host), checks response
// bodies and headers against the documented schemas, and prepares the
// answers the spec itself can give (examples, or generated values).
//
// kin-openapi is used here to load and walk the documents; every schema is
// compiled once, from the raw documents, by package schema. Requests are
// checked against the model by package reqcheck, and a document that does
// not load is explained, FILE:LINE, by the diagnostics.
package apispec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/errformat"
	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/rawdoc"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/arklow/arklow-mock/internal/schema/pattern"
	"github.com/arklow/arklow-mock/internal/specdiag"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gorilla/mux"
)

// Spec is a loaded, immutable set of OpenAPI documents. It is safe for
// concurrent use.
type Spec struct {
	// Files are the documents that declare operations, in load order.
	Files []string
	// Title is the first document's info.title.
	Title string

	ops     []*Operation
	byKey   map[string]*Operation
	buckets map[string]*mux.Router // by the first two path segments, see buildRouter
	paths   map[*mux.Route]*pathEntry
	tpls    []string // every documented path template, for "did you mean"
	longest int      // the longest template's length
	warns   diag.List
	secrets *Secrets

	// What Open leaves to Prepare (see Open).
	plan       []planStep // the load's diagnostics, in the order Load reports them
	unroutable diag.List  // paths no request can reach
	mu         sync.Mutex // serializes preparing: the schema compiler and the explainer are not safe for concurrent use
	prepared   sync.Once
	prepErr    error
}

// planStep is one part of the load's diagnostics: some found by Open, an
// operation's preparation's, or those of a check Prepare runs.
type planStep struct {
	diags diag.List
	once  bool // diags not already reported (a file two documents $ref)
	op    *Operation
	check func() diag.List
}

// Warnings are problems in the documents that do not stop the mock, such
// as examples that do not match their schema. They are known once the
// Spec is prepared (Load, or Prepare after Open).
func (s *Spec) Warnings() diag.List { return s.warns }

// pathEntry is one routable path: its operations by method. Path keys
// that differ only by a #fragment or a ?query, or by the names of their
// parameters, share one entry: the operations of a method are twins, in
// document order.
type pathEntry struct {
	template string // the route, as the first path key of this shape writes it
	byMethod map[string][]*Operation
	allow    string // the Allow header: documented methods, sorted
	file     string // where the first path key is written
	line     int
}

// Operation is one documented method on one path.
type Operation struct {
	// Key names the operation in scenarios: its operationId, else "METHOD /path".
	Key         string
	OperationID string
	Method      string
	Path        string
	Summary     string
	File        string
	Line        int

	security []Requirement // alternatives: one must be satisfied (empty: none needed)
	renames  []paramRename // the route's parameters this path key names otherwise (twins)

	// The rest is prepared on first use (see Open).
	once      sync.Once
	src       *opSource // what preparing needs; nil once prepared
	diags     diag.List // what preparing found, until Prepare reports it
	params    []*Parameter
	body      *RequestBody
	responses []*Response // sorted: numeric statuses, then ranges, then default
	probe     Probe       // a valid request, for checking fixtures at load
	errors    *errformat.Formats
}

// Errors renders the mock's refusals of requests to the operation in the
// error format the operation documents (nil Render says: none).
func (op *Operation) Errors() *errformat.Formats {
	op.ready()
	return op.errors
}

// Load reads the OpenAPI document at path, or every .yaml/.yml/.json
// document in the folder at path, and prepares every operation (Open,
// then Prepare). Files without an `openapi` field are fragments: they may
// be $ref'd but declare no operations.
func Load(ctx context.Context, path string) (*Spec, error) {
	s, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := s.Prepare(); err != nil {
		return nil, err
	}
	return s, nil
}

// Open reads the documents as Load does, as far as routing a request
// needs: parsed, rewritten (normalize), defaults checked, loaded by kin,
// every operation found and routed. What answering an operation needs —
// its schemas compiled, its examples checked, a value generated from its
// schema, its error formats, its probe — is prepared when the operation
// is first used, or by Prepare, which also checks the documents against
// OpenAPI's rules (kin's validation). A start-up can so answer before
// a large document is prepared whole.
//
// A document with a problem Open finds (a YAML error, a $ref kin cannot
// resolve, an operation declared twice, a path no request can reach) is
// refused at once, with every problem Load would report.
func Open(ctx context.Context, path string) (*Spec, error) {
	s, err := open(ctx, path)
	if err != nil {
		return nil, err
	}
	if s.refused() {
		return nil, s.Prepare()
	}
	return s, nil
}

// Prepare prepares every operation Open left unprepared and runs the
// checks it left, and returns the load's problems as Load does: an error
// (a *diag.Error) when the mock cannot answer from the documents (a
// schema that does not compile, an answer that cannot be generated),
// else nil, and Warnings then returns every warning. It runs once; later
// calls return the same.
func (s *Spec) Prepare() error {
	s.prepared.Do(func() { s.prepErr = s.prepare() })
	return s.prepErr
}

func (s *Spec) prepare() error {
	var list diag.List
	reported := map[diag.Diagnostic]bool{}
	add := func(more diag.List, once bool) {
		for _, d := range more {
			if !once || !reported[d] {
				list = append(list, d)
			}
			reported[d] = true
		}
	}
	for _, step := range s.plan {
		switch {
		case step.op != nil:
			step.op.ready()
			add(step.op.diags, true) // once: a schema two operations $ref
			step.op.diags = nil
		case step.check != nil:
			s.mu.Lock()
			add(step.check(), true)
			s.mu.Unlock()
		default:
			add(step.diags, step.once)
		}
	}
	s.plan = nil
	list = dropShadowed(list)
	if err := list.Err(); err != nil {
		return err
	}
	s.warns = list.Warnings()
	if len(s.unroutable) > 0 {
		return dropShadowed(append(s.unroutable, s.warns...)).Err()
	}
	return nil
}

// refused reports whether Open found an error.
func (s *Spec) refused() bool {
	for _, step := range s.plan {
		if step.op == nil && step.check == nil && step.diags.Err() != nil {
			return true
		}
	}
	return len(s.unroutable) > 0
}

// note adds diagnostics Open found to the plan.
func (s *Spec) note(diags diag.List, once bool) {
	if len(diags) > 0 {
		s.plan = append(s.plan, planStep{diags: diags, once: once})
	}
}

// opSource is what preparing an operation needs.
type opSource struct {
	b              *builder
	item           *openapi3.PathItem
	kop            *openapi3.Operation
	itemPtr, opPtr string
}

// ready prepares the operation, once.
func (op *Operation) ready() {
	op.once.Do(func() {
		src := op.src
		if src == nil {
			return
		}
		s := src.b.spec
		s.mu.Lock()
		defer s.mu.Unlock()
		b := *src.b
		b.diags = &op.diags
		op.params = b.parameters(src.item, src.kop, src.itemPtr, src.opPtr)
		op.body = b.requestBody(src.kop, src.opPtr)
		op.responses = b.responses(op, src.kop, src.opPtr)
		op.probe = b.probe(src.item, src.kop)
		op.src = nil
	})
}

// open is Open before it decides to refuse.
func open(ctx context.Context, path string) (*Spec, error) {
	files, root, err := specFiles(path)
	if err != nil {
		return nil, err
	}
	s := &Spec{
		byKey: map[string]*Operation{},
		paths: map[*mux.Route]*pathEntry{},
	}
	var diags diag.List
	raws := map[string]*rawdoc.Doc{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read spec: %w", err)
		}
		raw, err := rawdoc.Parse(data)
		if err != nil {
			line, msg := diag.YAMLErrorIn(data, err)
			diags.Add(f, line, "invalid YAML: %s", msg)
			continue
		}
		raws[f] = raw
	}
	if err := diags.Err(); err != nil {
		return nil, err
	}
	rootName := path // how the user names the folder, for diagnostics
	if len(files) == 1 && files[0] == path {
		rootName = filepath.Dir(path)
	}
	x := specdiag.New(root, rootName, raws)
	// What breaks the rules but has an evident meaning is rewritten into
	// that meaning, with a warning; kin and the schema compiler see the
	// rewritten documents (the explainer keeps the files as written).
	s.note(normalize(raws), false)
	docs := make(map[string]any, len(raws))
	for f, raw := range raws {
		docs[f] = raw.Value
	}
	// Every document of the folder is in docs. A single-file spec may
	// still $ref files beside it: those load on demand, from within root
	// only, never from the network.
	comp := schema.NewCompiler(docs, localLoader{root: root}.Load)
	comp.Line = schemaLines(raws) // problems in the order the schemas are written
	s.note(checkDefaults(raws, comp), false)
	entries := map[string]*pathEntry{}
	for _, f := range files {
		m, _ := raws[f].Value.(map[string]any)
		if _, isDoc := m["openapi"]; !isDoc {
			continue
		}
		s.Files = append(s.Files, f)
		doc, err := loadDoc(ctx, f, root, raws)
		if err != nil {
			s.note(explainLoad(ctx, x, f, root, err), true) // once: a file $ref'd by two documents
			continue
		}
		s.plan = append(s.plan, planStep{check: func() diag.List {
			var verr *validationError
			switch err := validateDoc(ctx, doc, false); {
			case errors.As(err, &verr):
				// The document breaks an OpenAPI rule kin checks, but the
				// mock can answer from it: a warning, and the document as it is.
				return warnings(explainLoad(ctx, x, f, root, err))
			case err != nil:
				return explainLoad(ctx, x, f, root, err)
			}
			return nil
		}})
		if s.Title == "" && doc.Info != nil {
			s.Title = doc.Info.Title
		}
		b := &builder{spec: s, file: f, doc: doc, raw: raws[f], raws: raws, comp: comp, x: x}
		b.addOperations(entries)
	}
	if len(s.Files) == 0 && !s.refused() {
		s.note(diag.List{{File: path, Message: "no OpenAPI document found (a file with an `openapi` field)"}}, false)
	}
	s.unroutable = s.buildRouter(entries)
	s.collectSecrets()
	return s, nil
}

// specFiles lists the documents at path and the folder that bounds $refs.
func specFiles(path string) (files []string, root string, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, "", fmt.Errorf("spec %s: %w", path, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, "", fmt.Errorf("spec: %w", err)
	}
	if !st.IsDir() {
		return []string{path}, filepath.Dir(abs), nil
	}
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json":
			if !d.IsDir() {
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("spec: %w", err)
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, "", fmt.Errorf("spec: no .yaml, .yml or .json file in %s", path)
	}
	return files, abs, nil
}

// explainLoad words a failed loadDoc of file as diagnostics. A document
// that breaks OpenAPI rules is loaded again, with origins and every
// problem at once; if that somehow succeeds, the first error is explained
// without origins.
func explainLoad(ctx context.Context, x *specdiag.Explainer, file, root string, err error) diag.List {
	// Again, from the files as written: kin's errors then name their
	// lines (the rewritten documents it first read are JSON).
	doc, again := loadDoc(ctx, file, root, nil)
	if again == nil {
		again = validateDoc(ctx, doc, true)
	}
	var ve, againVE *validationError
	switch {
	case errors.As(err, &ve) && errors.As(again, &againVE):
		return x.ValidationError(file, againVE.err)
	case errors.As(err, &ve):
		return x.ValidationError(file, ve.err)
	case again != nil && !errors.As(again, &againVE):
		return x.LoadError(file, again)
	}
	return x.LoadError(file, err)
}

// dropShadowed drops the warnings at the line of an error (or the line
// beside it: a key and its value): kin may warn, in its words, about what
// the schema compiler or the builder refuses.
func dropShadowed(list diag.List) diag.List {
	var out diag.List
	for _, d := range list {
		shadowed := false
		for _, e := range list.Errors() {
			near := e.Line-d.Line <= 1 && d.Line-e.Line <= 1 // a key and its value: one line apart
			shadowed = shadowed || d.Warning && e.File == d.File && near
		}
		if !shadowed {
			out = append(out, d)
		}
	}
	return out
}

// warnings turns diagnostics of rules the mock can do without into
// warnings that say so.
func warnings(list diag.List) diag.List {
	out := make(diag.List, len(list))
	for i, d := range list {
		d.Warning = true
		d.Message += "\n    the mock serves the document as it is"
		out[i] = d
	}
	return out
}

// validationError marks an error of doc.Validate (the document parsed and
// its $refs resolved, but it breaks an OpenAPI rule).
type validationError struct{ err error }

func (e *validationError) Error() string { return e.err.Error() }
func (e *validationError) Unwrap() error { return e.err }

// addOnce appends to list the diagnostics of more it does not hold yet.
func addOnce(list *diag.List, more diag.List) {
	for _, d := range more {
		if !slices.Contains(*list, d) {
			*list = append(*list, d)
		}
	}
}

// loadDoc loads one document with kin-openapi, allowing $refs only to local
// files under root (never the network). kin reads the documents it finds in
// normalized (rewritten by normalize, as JSON, which kin reads faster than
// YAML); with normalized nil it reads the files as written, with origins
// (the file, line and column of each object, which kin then puts in its
// errors): explainLoad does that after a failure, to locate the problems,
// more slowly. The document is not validated: see validateDoc.
func loadDoc(ctx context.Context, file, root string, normalized map[string]*rawdoc.Doc) (doc *openapi3.T, err error) {
	defer recoverKin(&doc, &err)
	byPath := map[string]*rawdoc.Doc{}
	for f, raw := range normalized {
		if abs, err := filepath.Abs(f); err == nil {
			byPath[abs] = raw
		}
	}
	loader := openapi3.NewLoader()
	loader.Context = ctx
	loader.IncludeOrigin = normalized == nil
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = func(l *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme != "" && u.Scheme != "file" || u.Host != "" {
			return nil, fmt.Errorf("%s: only local files can be referenced", u)
		}
		p, err := filepath.Abs(filepath.FromSlash(u.Path))
		if err != nil || !rawdoc.Within(root, p) {
			return nil, fmt.Errorf("%s is outside the spec folder", p)
		}
		if raw, ok := byPath[p]; ok {
			return json.Marshal(raw.Value)
		}
		return openapi3.ReadFromFile(l, u)
	}
	if raw, ok := byPath[absPath(file)]; ok {
		// kin tries YAML before JSON, and its YAML reader is slow on one
		// long line of JSON: convert the values here (see decodeDoc),
		// then let kin resolve the $refs.
		doc, err = decodeDoc(raw.Value)
		if err == nil {
			err = loader.ResolveRefsIn(doc, &url.URL{Path: filepath.ToSlash(file)})
		}
	} else {
		doc, err = loader.LoadFromFile(file)
	}
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// validateDoc checks a loaded document against the OpenAPI rules kin
// checks; a document that breaks one is a *validationError. With explain,
// it reports every problem at once (explainLoad).
func validateDoc(ctx context.Context, doc *openapi3.T, explain bool) (err error) {
	defer recoverKin(&doc, &err)
	// Examples are checked by our own compiled validators (fast, with lines);
	// kin's 3.1 example validation recompiles a schema per example (and per
	// default). kin checks every schema's pattern, also in schemas no
	// operation uses; with Go's regexp it would reject ECMA-262 lookarounds.
	opts := []openapi3.ValidationOption{openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation(), openapi3.SetRegexCompiler(kinPattern)}
	if explain {
		opts = append(opts, openapi3.EnableMultiError())
	}
	if err := doc.Validate(ctx, opts...); err != nil {
		return &validationError{err}
	}
	return nil
}

// recoverKin turns a panic of kin-openapi into an error: it must not
// take the mock down on a malformed document.
func recoverKin(doc **openapi3.T, err *error) {
	if r := recover(); r != nil {
		*doc, *err = nil, fmt.Errorf("the OpenAPI library failed on this document: %v", r)
	}
}

// absPath is p made absolute ("" when it cannot be).
func absPath(p string) string {
	abs, _ := filepath.Abs(p)
	return abs
}

// Operations returns every operation, sorted by path then method.
func (s *Spec) Operations() []*Operation { return s.ops }

// Operation finds an operation by operationId or "METHOD /path".
func (s *Spec) Operation(key string) (*Operation, bool) {
	op, ok := s.byKey[key]
	if !ok {
		if m, p, found := strings.Cut(key, " "); found {
			op, ok = s.byKey[strings.ToUpper(m)+" "+p]
		}
	}
	return op, ok
}

// Security returns the operation's security requirements: a request
// must satisfy one of them. None means none is needed.
func (op *Operation) Security() []Requirement { return op.security }

// Parameters returns the documented parameters in the order a reader
// scans a request: path, query, header, cookie. Operation-level ones
// replace path-level ones of the same name and place; Accept,
// Content-Type and Authorization headers are not among them (OpenAPI
// describes those elsewhere).
func (op *Operation) Parameters() []*Parameter {
	op.ready()
	return op.params
}

// RequestBody returns the documented request body, nil when there is none.
func (op *Operation) RequestBody() *RequestBody {
	op.ready()
	return op.body
}

// Responses returns the documented responses, numeric statuses first.
func (op *Operation) Responses() []*Response {
	op.ready()
	return op.responses
}

// DocumentedCodes lists the response keys the operation documents, as
// written ("200, 404, default"), for messages; "" when it has none.
func (op *Operation) DocumentedCodes() string {
	var codes []string
	for _, r := range op.Responses() {
		codes = append(codes, r.Code)
	}
	return strings.Join(codes, ", ")
}

// builder turns one kin document into Operations: addOperations finds
// and routes them, ready prepares each (with its own diags).
type builder struct {
	spec  *Spec
	file  string
	doc   *openapi3.T
	raw   *rawdoc.Doc
	raws  map[string]*rawdoc.Doc
	comp  *schema.Compiler
	x     *specdiag.Explainer
	diags *diag.List // an operation's, while it is prepared
}

func (b *builder) addOperations(entries map[string]*pathEntry) {
	if b.doc.Paths == nil {
		return
	}
	bases := basePaths(b.doc.Servers)
	paths := b.doc.Paths.Map()
	for _, tpl := range slices.Sorted(maps.Keys(paths)) {
		item := paths[tpl]
		itemPtr := "/paths/" + jsonptr.Escape(tpl)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			kop := item.Operations()[method]
			op := &Operation{
				OperationID: kop.OperationID,
				Method:      method,
				Path:        tpl,
				Summary:     kop.Summary,
				File:        b.file,
			}
			opPtr := itemPtr + "/" + strings.ToLower(method)
			op.Line = b.raw.Line(opPtr)
			op.Key = method + " " + tpl
			if op.OperationID != "" {
				op.Key = op.OperationID
			}
			if prev, dup := b.spec.byKey[op.Key]; dup {
				var d diag.List
				d.Add(b.file, op.Line, "operation %s is already declared at %s:%d", op.Key, prev.File, prev.Line)
				b.spec.note(d, false)
				continue
			}
			b.spec.byKey[op.Key] = op
			b.spec.byKey[method+" "+tpl] = op
			op.security = b.security(kop)
			op.src = &opSource{b: b, item: item, kop: kop, itemPtr: itemPtr, opPtr: opPtr}
			b.spec.plan = append(b.spec.plan, planStep{op: op})
			b.spec.ops = append(b.spec.ops, op)
			for _, base := range bases {
				full := base + routeOf(tpl)
				e := entries[shapeOf(full)]
				if e == nil {
					e = &pathEntry{template: full, byMethod: map[string][]*Operation{}, file: b.file, line: b.raw.Line(itemPtr)}
					entries[shapeOf(full)] = e
				}
				e.byMethod[method] = append(e.byMethod[method], op)
			}
		}
		if route := routeOf(tpl); route != tpl {
			var d diag.List
			d.Warn(b.file, b.raw.Line(itemPtr), "path %q is routed as %s, with the operations of the paths written like it: a request is answered by the first of them, in document order, whose request schemas accept it", tpl, route)
			b.spec.note(d, false)
		}
	}
}

// routeOf is the part of a path key a request can match: without a
// #fragment (a common way to document an operation's streaming twin) or
// a ?query (an operation's variant), which requests do not carry in their
// path.
func routeOf(tpl string) string {
	if i := strings.IndexAny(tpl, "#?"); i >= 0 {
		return tpl[:i]
	}
	return tpl
}

// shapeOf is a route with its parameters' names left out: /users/{id}
// and /users/{name} are one route.
func shapeOf(route string) string {
	var b strings.Builder
	for seg := range strings.SplitSeq(route, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			seg = "{}"
		}
		b.WriteString(seg + "/")
	}
	return b.String()
}

// basePaths returns the path prefixes of the documented servers ("" always
// included): a server https://api.example.com/v2 serves its paths under /v2.
// Hosts are ignored on purpose: the mock answers on whatever host it is
// reached by (localhost, 127.0.0.1, a Docker port map).
func basePaths(servers openapi3.Servers) []string {
	bases := []string{""}
	for _, srv := range servers {
		u := srv.URL
		for name, v := range srv.Variables {
			u = strings.ReplaceAll(u, "{"+name+"}", v.Default)
		}
		parsed, err := url.Parse(u)
		if err != nil {
			continue
		}
		p := strings.TrimRight(parsed.Path, "/")
		if p != "" && !strings.Contains(p, "{") && !slices.Contains(bases, p) {
			bases = append(bases, p)
		}
	}
	return bases
}

// localLoader reads $ref'd documents from the spec's folder, and nothing else.
type localLoader struct{ root string }

func (l localLoader) Load(u string) (any, error) {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Scheme != "file" || parsed.Host != "" {
		return nil, fmt.Errorf("%s: only documents in the spec folder can be referenced", u)
	}
	p := filepath.FromSlash(parsed.Path)
	if !rawdoc.Within(l.root, p) {
		return nil, fmt.Errorf("%s: outside the spec folder", u)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	raw, err := rawdoc.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return raw.Value, nil
}

// kinPattern compiles patterns for kin-openapi's document validation.
// kin caches the matcher process-wide; it never panics (a timeout is no
// match), although the mock never matches through kin.
func kinPattern(src string) (openapi3.RegexMatcher, error) {
	re, err := pattern.Compile(src)
	if err != nil {
		return nil, err
	}
	return quietRegexp{re}, nil
}

type quietRegexp struct{ re *pattern.Regexp }

func (q quietRegexp) MatchString(s string) bool {
	ok, _ := q.re.Match(s)
	return ok
}

// schemaLines gives the line of a schema in the spec's documents by its
// URL (file:///abs/path#/pointer, percent-encoded as the JSON Schema
// compiler writes it), 0 for a document not among raws. The compiled
// schemas keep it for as long as the mock serves: it holds the line
// tables, not the documents' values.
//
// It runs for every problem of a refused request (problems are ordered by
// their schema's line), so the document is found by its URL as written,
// without parsing it (BenchmarkHandlerInvalid: 8% time, 9% p10); a URL written
// otherwise is parsed.
func schemaLines(raws map[string]*rawdoc.Doc) func(url string) int {
	byPath := make(map[string]rawdoc.Lines, len(raws))
	byURL := make(map[string]rawdoc.Lines, len(raws))
	for f, raw := range raws {
		if abs, err := filepath.Abs(f); err == nil {
			p := filepath.ToSlash(abs)
			byPath[p] = raw.Lines
			byURL[(&url.URL{Scheme: "file", Path: p}).String()] = raw.Lines
		}
	}
	return func(s string) int {
		doc, frag, _ := strings.Cut(s, "#")
		lines, ok := byURL[doc]
		if !ok {
			u, err := url.Parse(s)
			if err != nil || byPath[u.Path] == nil {
				return 0
			}
			return byPath[u.Path].Line(u.Fragment)
		}
		if strings.ContainsRune(frag, '%') {
			var err error
			if frag, err = url.PathUnescape(frag); err != nil {
				return 0
			}
		}
		return lines.Line(frag)
	}
}
