// Package rawdoc reads a spec file — YAML, or JSON as a subset of it — as
// plain JSON values, together with the line of every value keyed by its
// JSON pointer, so that a problem found later in the values (by the loader,
// the JSON Schema compiler or the diagnostics) can name FILE:LINE.
package rawdoc

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/jsonptr"
	"gopkg.in/yaml.v3"
)

// Doc is a document read as plain JSON values (for the JSON Schema
// compiler) with the line of every value.
type Doc struct {
	// Value is the document: map[string]any, []any, string, json.Number,
	// bool and nil.
	Value any
	// Lines holds the 1-based line of every value, by JSON pointer.
	Lines Lines

	budget int // nodes left to convert; bounds YAML alias expansion
}

// Lines holds the 1-based line of every value of a document, by JSON
// pointer. The pointers are kept as 64-bit hashes (FNV-1a), not as text:
// a large document's pointers are long and many (a 3 MB one has 75,000
// of 80 bytes on average), and the lines are only ever looked up. Two
// pointers of one document share a hash once in about 10^10 documents
// of that size; a diagnostic would then name a wrong line.
type Lines map[uint64]int32

// fnv-1a, 64 bits
const (
	hashStart = 14695981039346656037
	hashPrime = 1099511628211
)

// hashOn continues a pointer's hash h with s.
func hashOn(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * hashPrime
	}
	return h
}

// Exact returns the line of the value at ptr, if the document has one.
func (l Lines) Exact(ptr string) (int, bool) {
	line, ok := l[hashOn(hashStart, ptr)]
	return int(line), ok
}

// Line returns the line of the value at ptr, or of its closest ancestor.
func (l Lines) Line(ptr string) int {
	// The hash of every prefix that ends before a "/", then of ptr: the
	// closest one written wins.
	var prefixes [32]uint64
	hashes := prefixes[:0]
	h := uint64(hashStart)
	for i := 0; i < len(ptr); i++ {
		if ptr[i] == '/' {
			hashes = append(hashes, h)
		}
		h = (h ^ uint64(ptr[i])) * hashPrime
	}
	hashes = append(hashes, h)
	for i := len(hashes) - 1; i >= 0; i-- {
		if line, ok := l[hashes[i]]; ok {
			return int(line)
		}
	}
	return 0
}

// Parse decodes YAML (or JSON, a subset of it) into JSON-compatible
// values: map[string]any, []any, string, json.Number, bool and nil.
func Parse(data []byte) (*Doc, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	d := &Doc{Lines: Lines{}, budget: maxNodes}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, fmt.Errorf("empty document")
	}
	v, err := d.convert(root.Content[0], hashStart, 0)
	if err != nil {
		return nil, err
	}
	d.Value = v
	return d, nil
}

// MaxDepth bounds nesting so a hostile document cannot exhaust the stack,
// and maxNodes bounds the values an alias-laden document can expand to.
const (
	MaxDepth = 200
	maxNodes = 2_000_000
)

// convert converts the node n, at the pointer whose hash is ptr.
func (d *Doc) convert(n *yaml.Node, ptr uint64, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, fmt.Errorf("line %d: nesting deeper than %d levels", n.Line, MaxDepth)
	}
	if d.budget--; d.budget < 0 {
		return nil, fmt.Errorf("line %d: document expands to more than %d values (YAML alias bomb?)", n.Line, maxNodes)
	}
	d.Lines[ptr] = int32(n.Line)
	switch n.Kind {
	case yaml.AliasNode:
		return d.convert(n.Alias, ptr, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, vn := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: mapping keys must be scalars", k.Line)
			}
			if _, dup := m[k.Value]; dup { // which one would the author mean?
				return nil, fmt.Errorf("line %d: mapping key %q already defined at line %d", k.Line, k.Value, firstKey(n, k.Value).Line)
			}
			v, err := d.convert(vn, hashOn(hashOn(ptr, "/"), jsonptr.Escape(k.Value)), depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := d.convert(c, hashOn(hashOn(ptr, "/"), strconv.Itoa(i)), depth+1)
			if err != nil {
				return nil, err
			}
			s[i] = v
		}
		return s, nil
	case yaml.ScalarNode:
		return scalarValue(n)
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

// firstKey is the first key of the mapping n written as key.
func firstKey(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}

// scalarValue maps a YAML scalar to its JSON value. Timestamps stay strings:
// JSON has no timestamp type and OpenAPI dates are strings.
func scalarValue(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return b, nil
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		if _, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return json.Number(n.Value), nil
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	default:
		return n.Value, nil
	}
}

// Line returns the line of the value at ptr, or of its closest ancestor.
func (d *Doc) Line(ptr string) int { return d.Lines.Line(ptr) }

// Within reports whether the path p lies inside the folder root: a spec's
// documents may $ref files there, and nowhere else.
func Within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
