// Package record writes answers of the real API as fixtures, and the
// scenario rules that serve them again (arklow-mock record). An answer
// becomes one fixture file per operation, status and key (by default the
// request's path parameters): its status, its documented headers
// (credentials and Set-Cookie redacted) and its body as YAML, under a
// comment saying when and from which request it was recorded. Its rule,
// added to the scenario file, matches the key with `when`, so the recorded
// answer is served for the same request.
//
// It works on files and plain values only (no HTTP): the server hands it
// what the real API answered, and the hot reload of the mock that serves
// the folders picks up what it writes.
package record

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/scenario"
)

// Redacted replaces a credential's value in what is written.
const Redacted = "[redacted]"

// Options configure a Recorder.
type Options struct {
	// Fixtures is the fixtures folder: fixture names are paths under it.
	Fixtures string
	// Out is the folder under Fixtures the fixtures are written to.
	Out string
	// Scenarios is the scenarios folder; Scenario the scenario (file
	// Scenarios/Scenario.yaml) the rules are written into.
	Scenarios string
	Scenario  string
	// Key is what tells the answers of an operation apart; nil: the
	// request's path parameters.
	Key []Field
	// Overwrite rewrites a fixture that exists, and points its key's rule
	// at the newest answer; without it the first answer recorded stays.
	Overwrite bool
	// Source names the real API in the files' comments.
	Source string
}

// Answer is one answer of the real API to record.
type Answer struct {
	Time time.Time
	// Operation is the operation's key (operationId, or "METHOD /path"),
	// as scenarios name it; PathParams are its path parameters, in the
	// order of its path template.
	Operation  string
	PathParams []string
	// Method, Path and Query say which request it answered; Query has its
	// credentials redacted.
	Method, Path, Query string
	// Request is the request as rules see it: its key is read from it.
	Request *fixture.Request
	Status  int
	// Header is the answer's header (canonical names); of it only
	// Content-Type and the Documented headers are written.
	Header     map[string][]string
	Documented []string
	// Secret reports whether a header carries a credential (written as
	// [redacted]); Set-Cookie always does.
	Secret func(name string) bool
	Body   []byte
	// Drift lists the ways the answer breaks the document ("code: message").
	Drift []string
	// Check checks the written fixture against the document, as validate
	// does (mockset.CheckFixture for the operation); nil: no check. A
	// fixture with errors is written, but gets no rule: the scenario would
	// not load.
	Check func(f *fixture.Fixture) diag.List
}

// Rule says what became of the rule that serves a recorded fixture.
type Rule string

// What Record does with the rule.
const (
	RuleAdded    Rule = "added"    // a new rule serves the fixture
	RuleReplaced Rule = "replaced" // the key's rule now serves this fixture (--overwrite)
	RuleKept     Rule = "kept"     // the key's rule stays as it was
	RuleNone     Rule = "none"     // no rule: the fixture breaks the document, or was not written
)

// Result is what Record did with one answer.
type Result struct {
	Operation string
	Status    int
	Fixture   string // its name
	File      string
	Written   bool
	// Why says why it was not written, or why its rule stays as it was.
	Why string
	// Repeat is set for an answer already reported as not written.
	Repeat   bool
	Rule     Rule
	Scenario string // the scenario file
	Drift    []string
	// Problems are Check's diagnostics of the written fixture.
	Problems diag.List
}

// String is the result as the record command reports it.
func (r Result) String() string {
	var b strings.Builder
	if r.Written {
		fmt.Fprintf(&b, "recorded %s %d -> %s", r.Operation, r.Status, r.File)
	} else {
		fmt.Fprintf(&b, "not written: %s %d -> %s: %s", r.Operation, r.Status, r.File, r.Why)
	}
	switch r.Rule {
	case RuleAdded:
		fmt.Fprintf(&b, " (rule added to %s)", r.Scenario)
	case RuleReplaced:
		fmt.Fprintf(&b, " (its rule in %s now serves it)", r.Scenario)
	case RuleKept:
		if r.Written && r.Why != "" {
			fmt.Fprintf(&b, " (%s)", r.Why)
		}
	}
	if len(r.Drift) > 0 {
		fmt.Fprintf(&b, "\n  the answer breaks the document (%d problem(s)):", len(r.Drift))
		for _, d := range r.Drift {
			b.WriteString("\n    " + d)
		}
	}
	if errs := r.Problems.Errors(); len(errs) > 0 {
		fmt.Fprintf(&b, "\n  not served: validate refuses the fixture, so no rule was added (the file says which to add once it is fixed):")
		for _, d := range errs {
			b.WriteString("\n    " + d.String())
		}
	}
	return b.String()
}

// Recorder writes answers. It is safe for concurrent use: answers are
// written one at a time.
type Recorder struct {
	opts   Options
	prefix string // fixture names start with it ("" or "recorded/")
	file   string // the scenario file

	mu       sync.Mutex      // guards reported
	reported map[string]bool // fixtures reported as not written
}

// New returns a recorder writing into the folders opts name.
func New(opts Options) (*Recorder, error) {
	rel, err := filepath.Rel(opts.Fixtures, opts.Out)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s is not under the fixtures folder %s: the mock would not load what is recorded there", opts.Out, opts.Fixtures)
	}
	prefix := ""
	if rel != "." {
		prefix = filepath.ToSlash(rel) + "/"
		if !fixture.ValidName(strings.TrimSuffix(prefix, "/")) {
			return nil, fmt.Errorf("%s cannot hold fixtures: their names would not be valid", opts.Out)
		}
	}
	if opts.Key == nil {
		opts.Key = []Field{{In: "path", Name: "*"}}
	}
	return &Recorder{opts: opts, prefix: prefix, file: filepath.Join(opts.Scenarios, opts.Scenario+".yaml"), reported: map[string]bool{}}, nil
}

// Record writes a as a fixture, unless one exists and Overwrite is off,
// and adds or updates the rule that serves it. An error is a file that
// could not be read or written; an answer a fixture cannot hold (a body
// that is not text, or not the JSON its Content-Type says) is a Result
// saying why, not an error.
func (r *Recorder) Record(a Answer) (Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := r.keyOf(a)
	name := r.prefix + slug(a.Operation) + "/" + strconv.Itoa(a.Status)
	if s := key.slug(); s != "" {
		name += "_" + s
	}
	file := filepath.Join(r.opts.Fixtures, filepath.FromSlash(name)+".yaml")
	res := Result{Operation: a.Operation, Status: a.Status, Fixture: name, File: file, Scenario: r.file, Drift: a.Drift, Rule: RuleNone}
	if _, err := os.Stat(file); err == nil && !r.opts.Overwrite {
		res.Why = "it exists (--overwrite rewrites it)"
		res.Repeat = r.reported[name]
		r.reported[name] = true
		return res, nil
	}
	rule := ruleText(a.Operation, key, name)
	f, problems, text, err := r.fixture(a, file, name, rule)
	if err != nil {
		res.Why = err.Error()
		res.Repeat = r.reported[name]
		r.reported[name] = true
		return res, nil
	}
	if err := writeFile(file, text); err != nil {
		return res, err
	}
	res.Written, res.Problems = true, problems
	if len(problems.Errors()) > 0 || f == nil {
		return res, nil // the scenario would not load with it
	}
	res.Rule, res.Why, err = r.addRule(a, key, name)
	return res, err
}

// fixture builds the fixture file of a, parses it back as the mock will,
// and checks it against the document. When the check finds errors, the
// file ends with what to do about them.
func (r *Recorder) fixture(a Answer, file, name, rule string) (*fixture.Fixture, diag.List, []byte, error) {
	doc, err := r.fixtureDoc(a)
	if err != nil {
		return nil, nil, nil, err
	}
	text, err := encode(doc)
	if err != nil {
		return nil, nil, nil, err
	}
	f, diags := fixture.Parse(file, name, text, fixture.Env{})
	if f == nil {
		// A bug in the writer, not in the answer: say what the mock sees.
		return nil, nil, nil, fmt.Errorf("the written fixture does not load: %v", diags.Err())
	}
	if a.Check != nil {
		diags = append(diags, a.Check(f)...)
	}
	if len(diags.Errors()) == 0 {
		return f, diags, text, nil
	}
	doc.FootComment = fmt.Sprintf("Not served: `arklow-mock validate` refuses this fixture, so no rule serves it.\n"+
		"Once it matches the document (or the document matches it), add this rule to %s:\n%s", r.file, rule)
	text, err = encode(doc)
	return f, diags, text, err
}

// Field is one part of a request: In is path, query, header or body;
// Name the parameter, the header or the dotted path into the JSON body.
// {path *} stands for every path parameter.
type Field struct{ In, Name string }

// fieldPattern is one field of --key.
var fieldPattern = regexp.MustCompile(`^(path|query|header|body)\.(.+)$`)

// alwaysSecret are headers that carry credentials whatever the document says.
var alwaysSecret = []string{"Authorization", "Proxy-Authorization", "Cookie"}

// ParseKey reads --key: "path" (every path parameter), "none", or a
// comma-separated list of path.NAME, query.NAME, header.NAME and
// body.PATH (a dotted path, as in `when`). A credential header is refused:
// its value would be written in file names and rules.
func ParseKey(s string) ([]Field, error) {
	switch strings.TrimSpace(s) {
	case "", "path":
		return []Field{{In: "path", Name: "*"}}, nil
	case "none":
		return []Field{}, nil
	}
	var out []Field
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		m := fieldPattern.FindStringSubmatch(part)
		if m == nil {
			return nil, fmt.Errorf("%q: want path, none, or a list of path.NAME, query.NAME, header.NAME, body.PATH", part)
		}
		f := Field{In: m[1], Name: m[2]}
		if f.In == "header" {
			f.Name = canonical(f.Name)
			if slices.Contains(alwaysSecret, f.Name) {
				return nil, fmt.Errorf("%q: %s carries a credential, which is never written to a file", part, f.Name)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// key is the key of one request: the fields it has, with their values.
type key []keyValue

type keyValue struct {
	Field
	value string
}

// keyOf reads the key fields from a's request; a field the request lacks
// is left out (a rule cannot match a missing value).
func (r *Recorder) keyOf(a Answer) key {
	req := a.Request
	if req == nil {
		req = &fixture.Request{}
	}
	var k key
	for _, f := range r.opts.Key {
		switch f.In {
		case "path":
			names := []string{f.Name}
			if f.Name == "*" {
				names = a.PathParams
			}
			for _, n := range names {
				if v, ok := req.Path[n]; ok {
					k = append(k, keyValue{Field{"path", n}, v})
				}
			}
		case "query":
			if vs, ok := req.Query[f.Name]; ok && len(vs) > 0 {
				k = append(k, keyValue{f, vs[0]})
			}
		case "header":
			if vs, ok := req.Headers[f.Name]; ok && len(vs) > 0 {
				k = append(k, keyValue{f, vs[0]})
			}
		case "body":
			if v, ok := scenario.BodyValue(req.Body, f.Name); ok {
				k = append(k, keyValue{f, v})
			}
		}
	}
	return k
}

// slug is the key as part of a file name: its values, made safe, and a
// short hash when making them safe (or short) lost something, so that two
// keys never share a file.
func (k key) slug() string {
	if len(k) == 0 {
		return ""
	}
	vals := make([]string, len(k))
	var raw strings.Builder
	for i, kv := range k {
		vals[i] = kv.value
		fmt.Fprintf(&raw, "%s.%s=%s\x00", kv.In, kv.Name, kv.value)
	}
	joined := strings.Join(vals, "_")
	s := slug(joined)
	if s != joined || len(s) > maxSlug {
		sum := sha256.Sum256([]byte(raw.String()))
		s = strings.Trim(s[:min(len(s), maxSlug)], "_.-")
		if s != "" {
			s += "-"
		}
		s += hex.EncodeToString(sum[:4])
	}
	return s
}

// maxSlug bounds the key's part of a file name.
const maxSlug = 48

var unsafeRun = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// slug makes s safe as one element of a fixture name: letters, digits,
// '.', '_' and '-', not starting with a dot.
func slug(s string) string {
	s = strings.Trim(unsafeRun.ReplaceAllString(s, "_"), "_.-")
	if s == "" {
		return "_"
	}
	return s
}

// writeFile writes data at file through a temporary file and a rename, so
// that a reload never reads half a file.
func writeFile(file string, data []byte) error {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", file, err)
	}
	return nil
}
