// Package specdiag explains, as FILE:LINE diagnostics, why a spec's
// documents do not load: the errors kin-openapi returns while loading a
// document (YAML values of the wrong type, $refs that do not resolve, the
// library's own failure), the errors of kin-openapi's validation of a
// loaded document, and the errors of the JSON Schema compiler for a schema
// kin let through.
//
// kin names a problem by a chain of typed wrappers (section, path,
// operation, component), by an Origin (when the document is loaded with
// origins), by a JSON pointer in its text (YAML type errors), or only by a
// $ref it quotes; each is mapped here to a file, a JSON pointer and,
// through rawdoc.Doc.Line, a line. Much of it reads kin's error text with
// regular expressions and its error structs by reflection, so a kin-openapi
// upgrade can change what is said: the golden tests (testdata/golden, one
// broken document per kind of error) fail when it does.
//
// All of it runs only after a load has failed: a good document costs
// nothing. A diagnostic's first line is the problem, short; the JSON
// pointer of the offending value follows on its own line when it is known.
// The diagnostics are errors (Warning unset): what refuses a load is the
// caller's decision.
package specdiag

import (
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/jsonptr"
	"github.com/arklow/arklow-mock/internal/rawdoc"
	"gopkg.in/yaml.v3"
)

// Explainer locates the problems of one spec's documents in their files. It
// reads (and keeps) the files the errors name as it goes: it is not safe for
// concurrent use.
type Explainer struct {
	root     string                 // absolute folder bounding the spec's files
	rootName string                 // root as the user named it, for messages
	raws     map[string]*rawdoc.Doc // by display name
	byAbs    map[string]string      // absolute path -> display name
	nodes    map[string]*yaml.Node  // parsed on demand, by display name
	scanned  bool                   // raws holds every file $ref'd from the spec
}

// New returns an Explainer for a spec whose documents are docs, by file
// name as the diagnostics name files. root is the absolute folder that
// bounds the spec's files (no file outside it is read), rootName the same
// folder as the user named it.
func New(root, rootName string, docs map[string]*rawdoc.Doc) *Explainer {
	x := &Explainer{root: root, rootName: rootName, raws: map[string]*rawdoc.Doc{}, byAbs: map[string]string{}, nodes: map[string]*yaml.Node{}}
	for f, raw := range docs {
		x.raws[f] = raw
		if abs, err := filepath.Abs(f); err == nil {
			x.byAbs[abs] = f
		}
	}
	return x
}

// name returns the display name of a file kin or the compiler reported
// (a path, a file:// URL, or a percent-encoded URL path).
func (x *Explainer) name(p string) string {
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
func (x *Explainer) raw(name string) *rawdoc.Doc {
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
func (x *Explainer) node(name string) *yaml.Node {
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
func (x *Explainer) line(file, ptr string) int {
	if r := x.raw(file); r != nil {
		return r.Line(ptr)
	}
	return 0
}

// add appends one located problem: msg's first line, then the pointer.
func (x *Explainer) add(out diag.List, file string, line int, ptr, msg string) diag.List {
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
func (x *Explainer) allRaws() []string {
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
func (x *Explainer) findRef(file string, match func(string) bool) (string, string, bool) {
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
func (x *Explainer) valueAt(file, ptr string) (any, bool) {
	r := x.raw(file)
	if r == nil {
		return nil, false
	}
	return jsonptr.Lookup(r.Value, ptr)
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

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}

// keyLine returns the line of the key (or sequence item) that heads the
// value at ptr: for an object, the line naming it rather than its first
// field's.
func (x *Explainer) keyLine(file, ptr string) int {
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

func parentPointer(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
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
