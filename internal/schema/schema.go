// Package schema is JSON Schema 2020-12 as the mock uses it: the schemas of
// the spec's documents compiled once, by santhosh-tekuri/jsonschema (the
// engine kin-openapi itself uses for OpenAPI 3.1), with ECMA-262 patterns
// (package pattern); values validated against them and what is wrong
// worded as reqerr.Problems; and JSON decoded into the values they take.
//
// kin-openapi recompiles an OpenAPI 3.1 schema on every validation call
// (0.1–0.7 ms each, see shared/notes/kin-openapi-3.1.md), so schemas are
// compiled here, once, from the raw documents, so that internal and
// cross-file $refs resolve.
package schema

import (
	"fmt"
	"path/filepath"

	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/schema/pattern"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema is a compiled schema. It is safe for concurrent use.
type Schema struct {
	s    *jsonschema.Schema
	line func(url string) int // a schema URL's line in its document, for ordering problems
}

// Problems validates v (plain JSON values, numbers as json.Number, as
// DecodeJSON gives them) and appends one problem per thing wrong to out,
// located under prefix: "body.device_id", "query.limit". Each problem's
// Pointer locates it in v. A pattern that takes too long to match
// (pattern.MatchTimeout) is a problem, not a verdict.
func (s *Schema) Problems(out []reqerr.Problem, prefix string, v any) []reqerr.Problem {
	return problems(out, prefix, v, s.validate(v), s.line)
}

// validate validates v against s. A pattern that takes too long to match
// is an error, not a verdict.
func (s *Schema) validate(v any) (err error) {
	defer pattern.Recover(&err)
	return s.s.Validate(v)
}

// Compiler compiles the schemas of a spec's documents, each where it is
// written: a file and a JSON pointer into it.
type Compiler struct {
	c       *jsonschema.Compiler
	urls    map[string]string  // file path -> resource URL
	docs    map[string]any     // by resource URL
	meta    *jsonschema.Schema // the meta-schema, compiled on first use
	checked map[string]error   // checkMeta's verdicts, by location
	// Line gives the line of a schema, by its URL (file://…#pointer), in
	// its document: problems are reported in the order the schema is
	// written. Unset, they are ordered by JSON pointer.
	Line func(url string) int
}

// NewCompiler makes a compiler for the documents docs (plain JSON values,
// by file path). load reads, by file:// URL, any other document they $ref
// (a single-file spec's neighbour); it decides what may be read.
func NewCompiler(docs map[string]any, load func(url string) (any, error)) *Compiler {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	// pattern and patternProperties are ECMA-262 regular expressions:
	// lookaround and backreferences included (see package pattern).
	c.UseRegexpEngine(compilePattern)
	c.RegisterVocabulary(openAPIPositions(docs)) // see positions.go
	cp := &Compiler{c: c, urls: map[string]string{}, docs: map[string]any{}, checked: map[string]error{}}
	for f, doc := range docs {
		u := fileURL(f)
		cp.urls[f] = u
		cp.docs[u] = doc
		_ = c.AddResource(u, doc)
	}
	c.UseLoader(loaderFunc(load))
	return cp
}

// Compile compiles the schema at the JSON pointer ptr of file. A file
// that is not one of the documents is read by the compiler's load.
func (c *Compiler) Compile(file, ptr string) (sch *Schema, err error) {
	defer pattern.Recover(&err) // a document's $schema may run its patterns
	u, ok := c.urls[file]
	if !ok {
		abs, err := filepath.Abs(file)
		if err != nil {
			return nil, err
		}
		u = "file://" + filepath.ToSlash(abs)
	}
	if err := c.checkMeta(u, ptr); err != nil {
		return nil, err
	}
	s, err := c.c.Compile(u + "#" + ptr)
	if err != nil {
		return nil, err
	}
	return &Schema{s: s, line: c.Line}, nil
}

func fileURL(f string) string {
	abs, _ := filepath.Abs(f)
	return "file://" + filepath.ToSlash(abs)
}

// loaderFunc adapts a function to jsonschema.URLLoader.
type loaderFunc func(url string) (any, error)

func (f loaderFunc) Load(url string) (any, error) {
	if f == nil {
		return nil, fmt.Errorf("%s: not loaded", url)
	}
	return f(url)
}

// compilePattern is the compiler's regexp engine.
func compilePattern(src string) (jsonschema.Regexp, error) {
	re, err := pattern.Compile(src)
	if err != nil {
		return nil, err // not a typed nil
	}
	return re, nil
}
