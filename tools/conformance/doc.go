package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi/datamodel"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// document is one OpenAPI document, loaded by libopenapi (not by the mock's
// own loader, kin-openapi), with the independent validator built from it.
type document struct {
	path  string
	model *v3.Document
	// validator judges requests: JSON, form and multipart bodies.
	validator validator.Validator
	// answers judges the mock's answers: their status, media type and,
	// for JSON, their schema (libopenapi-validator's text decoder would
	// hold a text/event-stream answer, as one string, against the schema
	// of one event).
	answers validator.Validator
	ops     []*operation
	// warning is what libopenapi said while building the model, when it
	// built one anyway (circular references, mostly).
	warning string
}

// operation is one method of one path item, in document order.
type operation struct {
	method   string // upper case
	path     string // the path key as written, fragment included
	pathItem *v3.PathItem
	op       *v3.Operation
}

// urlPath is the path key without a `#fragment`: some documents write
// twins of one path as `/v1/chat#stream`, which a request cannot say.
func (o *operation) urlPath() string {
	if i := strings.IndexByte(o.path, '#'); i >= 0 {
		return o.path[:i]
	}
	return o.path
}

// expandDocs turns the command line's paths into document files: a folder
// stands for the .yaml/.yml/.json documents directly in it (as the mock's
// --spec does), sorted by name.
func expandDocs(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		var found []string
		for _, e := range entries {
			switch strings.ToLower(filepath.Ext(e.Name())) {
			case ".yaml", ".yml", ".json":
				if !e.IsDir() {
					found = append(found, filepath.Join(p, e.Name()))
				}
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no .yaml, .yml or .json document in the folder", p)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// loadDocumentSafely is loadDocument, with a panic in libopenapi turned
// into an error.
func loadDocumentSafely(path string) (d *document, err error) {
	defer func() {
		if p := recover(); p != nil {
			d, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	return loadDocument(path)
}

// loadDocument reads and models one document with libopenapi and builds
// libopenapi-validator's validator for it.
func loadDocument(path string) (*document, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(path)
	cfg := &datamodel.DocumentConfiguration{
		BasePath:            filepath.Dir(abs),
		SpecFilePath:        abs,
		AllowFileReferences: true,
	}
	doc, err := libopenapi.NewDocumentWithConfiguration(raw, cfg)
	if err != nil {
		return nil, fmt.Errorf("libopenapi: %w", err)
	}
	m, err := doc.BuildV3Model()
	if m == nil {
		if err == nil {
			err = fmt.Errorf("no model built")
		}
		return nil, fmt.Errorf("libopenapi: %w", err)
	}
	d := &document{path: path, model: &m.Model}
	if err != nil {
		d.warning = firstLine(err.Error())
	}
	d.validator = validator.NewValidatorFromV3Model(&m.Model,
		// form and multipart bodies are checked too, not only JSON
		config.WithStandardBodyDecoders(),
		// a request the mock must accept has its formats right (libopenapi's
		// renderer can print a date-time as Go's time.Time.String)
		config.WithFormatAssertions(),
	)
	// the answers' formats are checked too: "valid" means valid to the letter
	d.answers = validator.NewValidatorFromV3Model(&m.Model, config.WithFormatAssertions())
	if m.Model.Paths != nil && m.Model.Paths.PathItems != nil {
		for p := m.Model.Paths.PathItems.First(); p != nil; p = p.Next() {
			for o := p.Value().GetOperations().First(); o != nil; o = o.Next() {
				d.ops = append(d.ops, &operation{
					method:   strings.ToUpper(o.Key()),
					path:     p.Key(),
					pathItem: p.Value(),
					op:       o.Value(),
				})
			}
		}
	}
	return d, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
