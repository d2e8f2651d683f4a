// Package mockset loads the mock's three inputs — the OpenAPI documents,
// the fixtures and the scenarios — and checks them against each other: every
// scenario names known operations and fixtures, and every fixture a scenario
// can serve for an operation renders to a body that matches that
// operation's response schema. The result is one immutable Set, swapped
// whole on reload, never half-loaded.
package mockset

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"sync"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/scenario"
	"github.com/arklow/arklow-mock/internal/schema"
	"github.com/arklow/arklow-mock/internal/suggest"
)

// Options name the inputs.
type Options struct {
	Spec      string // a file, or a folder of documents
	Fixtures  string // folder
	Scenarios string // folder
	Env       fixture.Env
}

// Set is a consistent, immutable set of spec, fixtures and scenarios.
type Set struct {
	Spec      *apispec.Spec
	Fixtures  *fixture.Set
	Scenarios *scenario.Set
	// Warnings are problems that do not stop the mock (undocumented
	// statuses, unused fixtures, spec examples that do not match).
	Warnings diag.List
	// Uses lists, per operation key, the fixtures each scenario can serve.
	Uses map[string][]Use
	// covers lists, per scenario, the operations it has rules for.
	covers map[string][]string
	// own are the problems of the fixtures and scenarios, the spec's
	// warnings before them in Warnings.
	own      diag.List
	prepared sync.Once
	prepErr  error
}

// UndocumentedStatus is the kind of the warning for a fixture whose status
// the spec does not document: error cases a document often leaves out
// (the Arklow seed documents only 200), played on purpose.
const UndocumentedStatus = "undocumented-status"

// Use is one fixture a scenario can serve for an operation.
type Use struct {
	Scenario string
	Fixture  string
}

// Load reads and cross-checks everything, every operation of the spec
// prepared (Open, then Prepare). On failure the error is a *diag.Error
// listing every problem found (FILE:LINE: message).
func Load(ctx context.Context, opts Options) (*Set, error) {
	s, err := Open(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := s.Prepare(); err != nil {
		return nil, err
	}
	return s, nil
}

// Open is Load with the spec opened (apispec.Open): the operations that
// fixtures answer are prepared, to check the fixtures; the others are
// prepared on first use, or by Prepare. Warnings holds the spec's
// warnings once the Set is prepared.
func Open(ctx context.Context, opts Options) (*Set, error) {
	for _, dir := range []struct{ flag, path string }{{"--fixtures", opts.Fixtures}, {"--scenarios", opts.Scenarios}} {
		st, err := os.Stat(dir.path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", dir.flag, err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("%s: %s is not a folder", dir.flag, dir.path)
		}
	}
	spec, err := apispec.Open(ctx, opts.Spec)
	if err != nil {
		return nil, err
	}
	var diags diag.List
	fixtures, fd := fixture.Load(opts.Fixtures, opts.Env)
	diags = append(diags, fd...)
	scenarios, sd := scenario.Load(opts.Scenarios)
	diags = append(diags, sd...)
	diags = append(diags, scenarios.ResolveOperations(func(key string) (string, bool) {
		op, ok := spec.Operation(key)
		if !ok {
			return "", false
		}
		return op.Key, true
	})...)
	s := &Set{Spec: spec, Fixtures: fixtures, Scenarios: scenarios, Uses: map[string][]Use{}, covers: map[string][]string{}}
	s.own = append(diags, s.check()...)
	if s.own.Err() != nil {
		return nil, s.Prepare() // every problem at once, the spec's too
	}
	s.Warnings = s.own.Warnings()
	return s, nil
}

// Prepare prepares the spec (apispec.Spec.Prepare) and returns the
// problems as Load does: a *diag.Error when the mock cannot answer from
// the files, else nil, Warnings then holding every warning, the spec's
// first. It runs once; call it before reading Warnings from another
// goroutine.
func (s *Set) Prepare() error {
	s.prepared.Do(func() { s.prepErr = s.prepare() })
	return s.prepErr
}

func (s *Set) prepare() error {
	if err := s.Spec.Prepare(); err != nil {
		return err // the spec's problems come alone, as its load's
	}
	all := append(slices.Clip(s.Spec.Warnings()), s.own...)
	if err := all.Err(); err != nil {
		return err
	}
	s.Warnings = all.Warnings()
	return nil
}

// check verifies every (operation, fixture) pair the scenarios can produce.
func (s *Set) check() diag.List {
	var diags diag.List
	used := map[string]bool{}
	checked := map[[2]string]bool{}
	for _, name := range s.Scenarios.Names() {
		sc, _ := s.Scenarios.Get(name)
		for _, op := range s.Spec.Operations() {
			if len(sc.Rules(op.Key)) > 0 {
				s.covers[name] = append(s.covers[name], op.Key)
			}
			for _, r := range sc.Rules(op.Key) {
				for i, fname := range r.Fixtures() {
					f, ok := s.Fixtures.Get(fname)
					if !ok {
						if !s.Fixtures.Broken(fname) { // a broken file has said what is wrong with it
							diags.Add(r.File, r.FixtureLines[i], "scenario %s: unknown fixture %q%s", sc.Name, fname, didYouMean(fname, s.Fixtures.Names()))
						}
						continue
					}
					used[fname] = true
					s.Uses[op.Key] = append(s.Uses[op.Key], Use{Scenario: sc.Name, Fixture: fname})
					if pair := [2]string{op.Key, fname}; !checked[pair] {
						checked[pair] = true
						diags = append(diags, CheckFixture(op, f)...)
					}
				}
			}
		}
	}
	for _, name := range s.Fixtures.Names() {
		if !used[name] {
			f, _ := s.Fixtures.Get(name)
			diags.Warn(f.File, 1, "fixture %s is not used by any scenario", name)
		}
	}
	return diags
}

// CheckFixture renders f for op's probe request and checks the body
// against the response schema documented for its status (by its code, its
// NXX range, or "default", which covers every status not listed). A status
// nothing documents is checked against the operation's success (2xx)
// schema — the API's one envelope — and reported as a warning.
func CheckFixture(op *apispec.Operation, f *fixture.Fixture) diag.List {
	var diags diag.List
	probe := op.Probe()
	req := &fixture.Request{Method: op.Method, Path: probe.Path, Query: url.Values(probe.Query), Headers: fixture.Headers(probe.Header), Body: probe.Body}
	out, err := f.Render(req, nil)
	if err != nil {
		var re *fixture.RenderError
		if errors.As(err, &re) {
			diags.Add(re.File, re.Line, "fixture %s cannot be rendered for %s: %v", f.Name, op.Key, re.Err)
		} else {
			diags.Add(f.File, f.Line, "fixture %s: %v", f.Name, err)
		}
		return diags
	}
	resp := op.Response(f.Status)
	if resp != nil {
		diags = append(diags, checkHeaders(op, f, resp, out.Headers)...)
	}
	if resp == nil { // not even a "default" response covers the status
		if success := op.SuccessResponse(); success != nil {
			diags.WarnKind(UndocumentedStatus, f.File, f.Line, "status %d is not documented for %s (documented: %s); the body is checked against the %s response", f.Status, op.Key, op.DocumentedCodes(), success.Code)
			resp = success
		}
	}
	if resp == nil || !f.HasBody || resp.ContentType == "" {
		return diags
	}
	if !f.JSON { // a text body: the schema sees it as a JSON string
		if resp.JSON() {
			diags.Warn(f.File, f.Line, "fixture %s sends a body that is not JSON, but the %s response of %s documents %s", f.Name, resp.Code, op.Key, resp.ContentType)
			return diags
		}
		for _, p := range resp.Validate(string(out.Body)) {
			diags.Add(f.File, f.Line, "fixture %s does not match the %s response of %s: %s", f.Name, resp.Code, op.Key, p)
		}
		return diags
	}
	if !resp.HasSchema() {
		return diags
	}
	body, err := schema.DecodeJSON(out.Body)
	if err != nil {
		diags.Add(f.File, f.Line, "fixture %s renders invalid JSON: %v", f.Name, err)
		return diags
	}
	for _, p := range resp.Validate(body) {
		ptr := p.Pointer
		if ptr == "" {
			ptr = "/"
		}
		diags.Add(f.File, f.LineOf(p.Pointer), "fixture %s does not match the %s response of %s at %s: %s", f.Name, resp.Code, op.Key, ptr, p)
	}
	return diags
}

// checkHeaders checks the fixture's rendered headers against those the
// response for its status documents (the "default" response included): a
// required one must be there, and each must match its schema. The headers
// of the success response are not imposed on an undocumented status.
func checkHeaders(op *apispec.Operation, f *fixture.Fixture, resp *apispec.Response, rendered []fixture.HeaderField) diag.List {
	var diags diag.List
	get := func(name string) (string, bool) {
		for _, h := range rendered {
			if h.Name == name {
				return h.Value, true
			}
		}
		return "", false
	}
	for _, p := range resp.ValidateHeaders(get) {
		line := f.Line
		for _, h := range f.Headers {
			if h.Name == p.Header {
				line = h.Line
			}
		}
		diags.Add(f.File, line, "fixture %s does not match the %s response of %s: %s", f.Name, resp.Code, op.Key, p.Message)
	}
	return diags
}

// didYouMean proposes the closest known name, for typos.
func didYouMean(name string, known []string) string {
	if best, ok := suggest.Closest(name, known); ok {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// Operations lists the operations a scenario has rules for, in the spec's
// order (path, then method).
func (s *Set) Operations(scenarioName string) []string {
	return s.covers[scenarioName]
}
