package scenario

import (
	"encoding/json"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/fixture"
	"gopkg.in/yaml.v3"
)

// When is a rule's condition: every listed value must match.
type When struct {
	Body    map[string]matcher // dotted path into the JSON body -> matcher
	Query   map[string]matcher
	Headers map[string]matcher // canonical header names
	Path    map[string]matcher
}

// matcher matches a value exactly, by regular expression ("regex:^4"), or
// against any of a list of those.
type matcher struct {
	exact []string
	res   []*regexp.Regexp
}

func (m matcher) match(v string, ok bool) bool {
	if !ok {
		return false
	}
	for _, re := range m.res {
		if re.MatchString(v) {
			return true
		}
	}
	for _, e := range m.exact {
		if e == v {
			return true
		}
	}
	return false
}

// Match reports whether req satisfies every condition of w.
func (w *When) Match(req *fixture.Request) bool {
	if w == nil {
		return true
	}
	for path, m := range w.Body {
		v, ok := lookup(req.Body, path)
		if !m.match(v, ok) {
			return false
		}
	}
	for name, m := range w.Query {
		vals, ok := req.Query[name]
		if !m.match(first(vals), ok && len(vals) > 0) {
			return false
		}
	}
	for name, m := range w.Headers {
		vals, ok := req.Headers[name]
		if !m.match(first(vals), ok && len(vals) > 0) {
			return false
		}
	}
	for name, m := range w.Path {
		v, ok := req.Path[name]
		if !m.match(v, ok) {
			return false
		}
	}
	return true
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// BodyValue is the value a `when: {body: {PATH: …}}` condition compares:
// the scalar at the dotted path (a.b.0.c) of a decoded JSON body, as text.
// ok is false when there is none (or it is an object or a list).
func BodyValue(body any, path string) (value string, ok bool) { return lookup(body, path) }

// lookup finds a dotted path (a.b.0.c) in a decoded JSON body and renders
// the scalar found there as text: strings as they are, numbers as written,
// booleans as true/false, null as "null".
func lookup(body any, path string) (string, bool) {
	cur := body
	for _, tok := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return "", false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return "", false
			}
			cur = c[i]
		default:
			return "", false
		}
	}
	switch v := cur.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	case nil:
		return "null", true
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), true
	}
	return "", false // objects and arrays are not compared
}

func (p *parser) when(n *yaml.Node) *When {
	if n.Kind != yaml.MappingNode {
		p.diags.Add(p.file, n.Line, "when must be a mapping with body, query, headers or path")
		return nil
	}
	w := &When{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.MappingNode {
			p.diags.Add(p.file, v.Line, "when.%s must be a mapping of names to values", k.Value)
			continue
		}
		switch k.Value {
		case "body":
			w.Body = map[string]matcher{}
			p.bodyMatchers(w.Body, "", v)
		case "query":
			w.Query = p.matchers(v, func(s string) string { return s })
		case "headers":
			w.Headers = p.matchers(v, textproto.CanonicalMIMEHeaderKey)
		case "path":
			w.Path = p.matchers(v, func(s string) string { return s })
		default:
			p.diags.Add(p.file, k.Line, "when can match body, query, headers or path, not %q", k.Value)
		}
	}
	return w
}

// bodyMatchers flattens nested mappings into dotted paths.
func (p *parser) bodyMatchers(out map[string]matcher, prefix string, n *yaml.Node) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := k.Value
		if prefix != "" {
			path = prefix + "." + k.Value
		}
		if v.Kind == yaml.MappingNode {
			p.bodyMatchers(out, path, v)
			continue
		}
		if m, ok := p.matcher(v); ok {
			out[path] = m
		}
	}
}

func (p *parser) matchers(n *yaml.Node, key func(string) string) map[string]matcher {
	out := map[string]matcher{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if m, ok := p.matcher(n.Content[i+1]); ok {
			out[key(n.Content[i].Value)] = m
		}
	}
	return out
}

func (p *parser) matcher(n *yaml.Node) (matcher, bool) {
	var m matcher
	add := func(c *yaml.Node) bool {
		if expr, ok := strings.CutPrefix(c.Value, "regex:"); ok {
			re, err := regexp.Compile(expr)
			if err != nil {
				p.diags.Add(p.file, c.Line, "invalid regex %q: %v", expr, err)
				return false
			}
			m.res = append(m.res, re)
			return true
		}
		m.exact = append(m.exact, c.Value)
		return true
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return m, add(n)
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				p.diags.Add(p.file, c.Line, "a list of values to match must hold scalars")
				continue
			}
			add(c)
		}
		return m, true
	}
	p.diags.Add(p.file, n.Line, "a value to match is a scalar, a list of scalars or \"regex:...\"")
	return matcher{}, false
}
