package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"mime"
	"net/textproto"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/arklow/arklow-mock/internal/scenario"
	"gopkg.in/yaml.v3"
)

// fixtureDoc is the fixture file of a: the comment saying where it comes
// from (and how it breaks the document), then status, headers and body.
func (r *Recorder) fixtureDoc(a Answer) (*yaml.Node, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	add(root, "status", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(a.Status)})
	ct := headerValue(a.Header, "Content-Type")
	headers := &yaml.Node{Kind: yaml.MappingNode}
	if ct != "" {
		add(headers, "Content-Type", text(ct))
	}
	documented := slices.Clone(a.Documented)
	for i, n := range documented {
		documented[i] = canonical(n)
	}
	slices.Sort(documented)
	for _, name := range slices.Compact(documented) {
		v := headerValue(a.Header, name)
		if name == "Content-Type" || v == "" && len(a.Header[name]) == 0 {
			continue
		}
		if isSecret(name, a.Secret) {
			v = Redacted
		}
		add(headers, name, text(v))
	}
	if len(headers.Content) > 0 {
		add(root, "headers", headers)
	}
	if len(a.Body) > 0 {
		body, err := bodyNode(ct, a.Body)
		if err != nil {
			return nil, err
		}
		add(root, "body", body)
	}
	return &yaml.Node{Kind: yaml.DocumentNode, HeadComment: r.comment(a), Content: []*yaml.Node{root}}, nil
}

// comment says when the answer was recorded, from where, for which
// request, and how it breaks the document.
func (r *Recorder) comment(a Answer) string {
	target := a.Path
	if a.Query != "" {
		target += "?" + a.Query
	}
	source := r.opts.Source
	if source == "" {
		source = "the real API"
	}
	c := fmt.Sprintf("Recorded by `arklow-mock record` from %s\nat %s, answering %s %s (%s).",
		source, a.Time.UTC().Format(time.RFC3339), a.Method, oneLine(target), a.Operation)
	if len(a.Drift) > 0 {
		c += fmt.Sprintf("\n\nThe answer breaks the document (%d problem(s)):", len(a.Drift))
		for _, d := range a.Drift {
			c += "\n  - " + oneLine(d)
		}
	}
	return c
}

// bodyNode is the answer's body as YAML: JSON as YAML values (objects in
// the order they came), any other media type as a string.
func bodyNode(contentType string, body []byte) (*yaml.Node, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	if contentType == "" || mt == "application/json" || strings.HasSuffix(mt, "+json") {
		n, err := jsonNode(body)
		if err != nil {
			if contentType == "" {
				return nil, errors.New("it has no Content-Type and its body is not JSON: a fixture would send it as JSON")
			}
			return nil, fmt.Errorf("its body is not the JSON its Content-Type %q says (%v)", contentType, err)
		}
		return n, nil
	}
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("its %s body is not text: a fixture holds JSON or text", mt)
	}
	return text(string(body)), nil
}

// jsonNode decodes one JSON value into YAML nodes, keeping the order of
// object members and numbers as written.
func jsonNode(data []byte) (*yaml.Node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := jsonValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return n, nil
}

func jsonValue(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &yaml.Node{Kind: yaml.MappingNode}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := jsonValue(dec)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.(string)}, v)
			}
			_, err := dec.Token() // }
			return n, err
		case '[':
			n := &yaml.Node{Kind: yaml.SequenceNode}
			for dec.More() {
				v, err := jsonValue(dec)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, v)
			}
			_, err := dec.Token() // ]
			return n, err
		}
	case string:
		return text(t), nil
	case json.Number:
		// Untagged: YAML reads a JSON number back as a number, and the
		// fixture sends it as written.
		return &yaml.Node{Kind: yaml.ScalarNode, Value: t.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(t)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// text is a string value as a fixture holds it: a fixture's strings are Go
// templates where they hold "{{", so each "{{" is written as a template
// that prints "{{".
func text(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: strings.ReplaceAll(s, "{{", `{{"{{"}}`)}
}

func add(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

// headerValue is a header's values as one (a list header's values joined
// by commas, as HTTP allows).
func headerValue(h map[string][]string, name string) string {
	return strings.Join(h[canonical(name)], ", ")
}

func isSecret(name string, secret func(string) bool) bool {
	name = canonical(name)
	return name == "Set-Cookie" || name == "Set-Cookie2" || slices.Contains(alwaysSecret, name) || secret != nil && secret(name)
}

func canonical(name string) string { return textproto.CanonicalMIMEHeaderKey(name) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// encode writes a YAML document with two-space indentation.
func encode(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sections are the `when` sections a key's fields go to, by field kind.
var sections = map[string]string{"path": "path", "query": "query", "header": "headers", "body": "body"}

// when is the key as a rule's `when`: section -> name -> value.
func (k key) when() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, kv := range k {
		sec := sections[kv.In]
		if out[sec] == nil {
			out[sec] = map[string]string{}
		}
		out[sec][kv.Name] = kv.value
	}
	return out
}

// ruleNode is the rule serving fixture name for requests with key k.
func ruleNode(k key, name string) *yaml.Node {
	rule := &yaml.Node{Kind: yaml.MappingNode}
	if w := k.when(); len(w) > 0 {
		when := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		for _, sec := range []string{"path", "query", "headers", "body"} {
			vals, ok := w[sec]
			if !ok {
				continue
			}
			m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
			for _, n := range slices.Sorted(maps.Keys(vals)) {
				// Values are compared as strings, and never as templates.
				add(m, n, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: vals[n]})
			}
			add(when, sec, m)
		}
		add(rule, "when", when)
	}
	add(rule, "fixture", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name})
	return rule
}

// ruleText is the rule for a comment: the operation and its one rule.
func ruleText(operation string, k key, name string) string {
	ops := &yaml.Node{Kind: yaml.MappingNode}
	add(ops, operation, &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{ruleNode(k, name)}})
	out, err := encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{ops}})
	if err != nil {
		return ""
	}
	return "  " + strings.ReplaceAll(strings.TrimRight(string(out), "\n"), "\n", "\n  ")
}

// addRule makes the scenario file serve fixture name for requests with
// a's key: a new rule, or (with Overwrite) the key's rule pointed at it.
// The file is created when it does not exist; one that does not load is
// left alone.
func (r *Recorder) addRule(a Answer, k key, name string) (Rule, string, error) {
	doc, err := r.scenarioDoc()
	if err != nil {
		return RuleNone, "", err
	}
	root := doc.Content[0]
	ops := mapValue(root, "operations", yaml.MappingNode)
	ops.Style = 0 // an empty flow mapping ({}) grows as a block
	rules := mapValue(ops, a.Operation, yaml.SequenceNode)
	if rules.Kind == yaml.ScalarNode { // the one-fixture shorthand, as a list
		only := &yaml.Node{Kind: yaml.MappingNode}
		add(only, "fixture", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: rules.Value})
		*rules = yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{only}}
	}
	want := k.when()
	outcome := RuleAdded
	if i := slices.IndexFunc(rules.Content, func(rn *yaml.Node) bool { return sameWhen(rn, want) }); i >= 0 {
		rn := rules.Content[i]
		fx := fixtureOf(rn)
		switch {
		case fx != nil && fx.Value == name:
			return RuleKept, "", nil // it serves this fixture already
		case fx == nil:
			return RuleKept, "the rule for this key is not a fixture rule; it stays as it is", nil
		case !r.opts.Overwrite:
			return RuleKept, fmt.Sprintf("the rule for this key serves %s; --overwrite points it at the newest answer", fx.Value), nil
		}
		fx.Value, outcome = name, RuleReplaced
	} else {
		at := len(rules.Content)
		if len(want) > 0 { // before the rules that match any request
			if j := slices.IndexFunc(rules.Content, func(rn *yaml.Node) bool { return whenOf(rn) == nil }); j >= 0 {
				at = j
			}
		}
		rules.Content = slices.Insert(rules.Content, at, ruleNode(k, name))
	}
	data, err := encode(doc)
	if err != nil {
		return RuleNone, "", err
	}
	if _, diags := scenario.Parse(r.file, data); diags.Err() != nil {
		return RuleNone, "", fmt.Errorf("the rule for %s would break %s: %v", name, r.file, diags.Err())
	}
	return outcome, "", writeFile(r.file, data)
}

// scenarioDoc reads the scenario file, or starts a new one.
func (r *Recorder) scenarioDoc() (*yaml.Node, error) {
	data, err := os.ReadFile(r.file)
	if errors.Is(err, fs.ErrNotExist) {
		source := r.opts.Source
		if source == "" {
			source = "the real API"
		}
		root := &yaml.Node{Kind: yaml.MappingNode}
		add(root, "name", text(r.opts.Scenario))
		add(root, "description", text("Answers recorded from "+source+"."))
		add(root, "operations", &yaml.Node{Kind: yaml.MappingNode})
		return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root},
			HeadComment: "Written by `arklow-mock record`: each rule serves a recorded fixture\nfor the request it answered. Edit it as any scenario."}, nil
	}
	if err != nil {
		return nil, err
	}
	if _, diags := scenario.Parse(r.file, data); diags.Err() != nil {
		return nil, fmt.Errorf("%s does not load, so no rule is added to it: %v", r.file, diags.Err())
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s is not a scenario mapping", r.file)
	}
	return &doc, nil
}

// mapValue is the value of key in mapping m, added (of kind) when missing.
func mapValue(m *yaml.Node, key string, kind yaml.Kind) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	v := &yaml.Node{Kind: kind}
	add(m, key, v)
	return v
}

// whenOf is a rule's `when`, nil when it has none.
func whenOf(rule *yaml.Node) *yaml.Node {
	if rule.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(rule.Content); i += 2 {
		if rule.Content[i].Value == "when" {
			return rule.Content[i+1]
		}
	}
	return nil
}

// fixtureOf is the scalar naming a rule's fixture, nil for a rule without one.
func fixtureOf(rule *yaml.Node) *yaml.Node {
	if rule.Kind == yaml.ScalarNode {
		return rule
	}
	for i := 0; i+1 < len(rule.Content); i += 2 {
		if rule.Content[i].Value == "fixture" && rule.Content[i+1].Kind == yaml.ScalarNode {
			return rule.Content[i+1]
		}
	}
	return nil
}

// sameWhen reports whether a rule's `when` asks exactly for want.
func sameWhen(rule *yaml.Node, want map[string]map[string]string) bool {
	w := whenOf(rule)
	if w == nil {
		return len(want) == 0
	}
	var got map[string]map[string]string
	if err := w.Decode(&got); err != nil {
		return false // lists, regular expressions, nested bodies: not a recorded key
	}
	return maps.EqualFunc(got, want, maps.Equal)
}
