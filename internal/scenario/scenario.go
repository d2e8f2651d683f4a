// Package scenario reads the scenario files (scenarios/*.yaml) and decides,
// for a request to an operation, which fixture answers it: the first rule
// whose `when` matches, stepping through keyed sequences. It is plain Go
// over plain data: no net/http, no spec; the server asks, this answers.
package scenario

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/fixture"
	"gopkg.in/yaml.v3"
)

// Default is the scenario every operation falls back to.
const Default = "default"

// AnyOperation is the operation key that means every operation: its rules
// are tried after the operation's own.
const AnyOperation = "*"

// Scenario is a named set of rules per operation.
type Scenario struct {
	Name        string
	Description string
	File        string
	Line        int
	// Operations are the operation keys the scenario mentions, as written.
	Operations []string
	rules      map[string][]*Rule
	any        []*Rule        // the rules of AnyOperation, for every operation
	keyLines   map[string]int // operation key as written -> its line
}

// Rules returns the scenario's rules for the operation key as written in
// the file (mockset resolves keys to operations), followed by the rules it
// has for every operation ("*").
func (s *Scenario) Rules(op string) []*Rule {
	if len(s.any) == 0 {
		return s.rules[op]
	}
	return append(slices.Clip(s.rules[op]), s.any...)
}

// Rule answers requests that match When with Fixture, or with the next
// entry of Sequence for the request's Key, or by forwarding them to the
// real API (Upstream).
type Rule struct {
	File string
	Line int

	When     *When
	Fixture  string
	Sequence []string
	// FixtureLines gives the line of each fixture name (Fixture, or each
	// Sequence entry) so unknown names can be reported precisely.
	FixtureLines []int
	key          *template.Template
	Delay        Delay
	Fault        Fault
	// Upstream forwards the request to the real API (--upstream) and
	// answers with what it answers.
	Upstream bool
}

// Fixtures lists every fixture the rule can answer with.
func (r *Rule) Fixtures() []string {
	if r.Fixture != "" {
		return []string{r.Fixture}
	}
	return r.Sequence
}

// Delay is a fixed (Min == Max) or ranged wait before answering.
type Delay struct{ Min, Max time.Duration }

// Fault is a network failure to simulate instead of answering.
type Fault string

// The faults a rule can ask for.
const (
	FaultNone            Fault = ""
	FaultConnectionReset Fault = "connection_reset"
	FaultEmptyResponse   Fault = "empty_response"
	FaultTimeout         Fault = "timeout"
)

// Set is every scenario, by name. It is immutable.
type Set struct {
	byName map[string]*Scenario
	names  []string
}

// Get returns the scenario called name.
func (s *Set) Get(name string) (*Scenario, bool) {
	sc, ok := s.byName[name]
	return sc, ok
}

// Names lists the scenario names, sorted.
func (s *Set) Names() []string { return s.names }

// Known reports whether a request may name the scenario: one of the set,
// or Default, which needs no file (operations it does not mention are
// answered from the spec).
func (s *Set) Known(name string) bool {
	_, ok := s.Get(name)
	return ok || name == Default
}

// NewSet builds a set from scenarios (for tests and tools).
func NewSet(scs ...*Scenario) *Set {
	set := &Set{byName: map[string]*Scenario{}}
	for _, sc := range scs {
		set.byName[sc.Name] = sc
		set.names = append(set.names, sc.Name)
	}
	sort.Strings(set.names)
	return set
}

// Load reads every .yaml/.yml file in dir (not recursively).
func Load(dir string) (*Set, diag.List) {
	var diags diag.List
	var scs []*Scenario
	entries, err := os.ReadDir(dir)
	if err != nil {
		diags.Add(dir, 0, "%v", err)
		return NewSet(), diags
	}
	seen := map[string]string{}
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if ext != ".yaml" && ext != ".yml" {
			continue
		}
		p := filepath.Join(dir, e.Name())
		// Stat follows symlinks: Kubernetes mounts ConfigMap files as links.
		if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			diags.Add(p, 0, "%v", err)
			continue
		}
		sc, ds := Parse(p, data)
		diags = append(diags, ds...)
		if sc == nil {
			continue
		}
		if prev, dup := seen[sc.Name]; dup {
			diags.Add(p, sc.Line, "scenario %q is also defined in %s", sc.Name, prev)
			continue
		}
		seen[sc.Name] = p
		scs = append(scs, sc)
	}
	return NewSet(scs...), diags
}

// namePattern keeps scenario names usable in a header and a URL.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Parse reads one scenario file. The name defaults to the file's base name.
func Parse(file string, data []byte) (*Scenario, diag.List) {
	var diags diag.List
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := diag.YAMLErrorIn(data, err)
		diags.Add(file, line, "invalid YAML: %s", msg)
		return nil, diags
	}
	if dups := diag.DuplicateKeys(file, &doc); len(dups) > 0 {
		return nil, dups
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		diags.Add(file, 1, "a scenario is a mapping with name, description and operations")
		return nil, diags
	}
	root := doc.Content[0]
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	sc := &Scenario{Name: base, File: file, Line: root.Line, rules: map[string][]*Rule{}, keyLines: map[string]int{}}
	p := parser{file: file, diags: &diags}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "name":
			if !namePattern.MatchString(v.Value) {
				diags.Add(file, v.Line, "scenario name %q must be letters, digits, '.', '_' or '-'", v.Value)
				continue
			}
			if v.Value != base { // two names for one scenario: which would a header use?
				diags.Add(file, v.Line, "scenario name %q differs from its file name %s: name the file %s%s, or leave name out", v.Value, filepath.Base(file), v.Value, filepath.Ext(file))
				continue
			}
			sc.Name, sc.Line = v.Value, k.Line
		case "description":
			sc.Description = strings.TrimSpace(v.Value)
		case "operations":
			if v.Kind != yaml.MappingNode {
				diags.Add(file, v.Line, "operations must map operation ids (or \"METHOD /path\") to rules")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				ok, ov := v.Content[j], v.Content[j+1] // no duplicates: DuplicateKeys checked
				sc.Operations = append(sc.Operations, ok.Value)
				sc.keyLines[ok.Value] = ok.Line
				if ok.Value == AnyOperation {
					sc.any = p.rules(ov)
					continue
				}
				sc.rules[ok.Value] = p.rules(ov)
			}
		default:
			diags.Add(file, k.Line, "unknown key %q (a scenario has name, description and operations)", k.Value)
		}
	}
	if len(diags.Errors()) > 0 {
		return nil, diags
	}
	return sc, diags
}

type parser struct {
	file  string
	diags *diag.List
}

// rules reads an operation's rules: a list of rules, or a bare fixture
// name as shorthand for one unconditional rule.
func (p *parser) rules(n *yaml.Node) []*Rule {
	switch n.Kind {
	case yaml.ScalarNode:
		r := &Rule{File: p.file, Line: n.Line}
		p.fixture(r, n)
		return []*Rule{r}
	case yaml.SequenceNode:
		var out []*Rule
		for _, rn := range n.Content {
			if r := p.rule(rn); r != nil {
				out = append(out, r)
			}
		}
		return out
	}
	p.diags.Add(p.file, n.Line, "an operation's rules must be a list (or a single fixture name)")
	return nil
}

func (p *parser) rule(n *yaml.Node) *Rule {
	if n.Kind == yaml.ScalarNode {
		r := &Rule{File: p.file, Line: n.Line}
		p.fixture(r, n)
		return r
	}
	if n.Kind != yaml.MappingNode {
		p.diags.Add(p.file, n.Line, "a rule is a mapping with fixture, sequence or upstream, and optionally when, key, delay, fault")
		return nil
	}
	r := &Rule{File: p.file, Line: n.Line}
	var keyNode *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "when":
			r.When = p.when(v)
		case "fixture":
			p.fixture(r, v)
		case "sequence":
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				p.diags.Add(p.file, v.Line, "sequence must be a non-empty list of fixture names")
				continue
			}
			for _, fn := range v.Content {
				if fn.Kind != yaml.ScalarNode || !fixture.ValidName(fn.Value) {
					p.diags.Add(p.file, fn.Line, "%q is not a fixture name (a path under fixtures/ without extension)", fn.Value)
					continue
				}
				r.Sequence = append(r.Sequence, fn.Value)
				r.FixtureLines = append(r.FixtureLines, fn.Line)
			}
		case "key":
			keyNode = v
		case "delay":
			r.Delay = p.delay(v)
		case "upstream":
			var on bool
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&on) != nil || !on {
				p.diags.Add(p.file, v.Line, "upstream takes true: the rule forwards to the real API (--upstream); leave it out otherwise")
				continue
			}
			r.Upstream = true
		case "fault":
			switch f := Fault(v.Value); f {
			case FaultConnectionReset, FaultEmptyResponse, FaultTimeout:
				r.Fault = f
			default:
				p.diags.Add(p.file, v.Line, "fault %q is not one of connection_reset, empty_response, timeout", v.Value)
			}
		default:
			p.diags.Add(p.file, k.Line, "unknown rule key %q (use when, fixture, sequence, upstream, key, delay, fault)", k.Value)
		}
	}
	switch {
	case r.Fixture != "" && r.Sequence != nil:
		p.diags.Add(p.file, n.Line, "a rule has either fixture or sequence, not both")
	case r.Upstream && (r.Fixture != "" || r.Sequence != nil):
		p.diags.Add(p.file, n.Line, "a rule answers from a fixture or forwards to the upstream, not both")
	case r.Upstream && r.Fault != FaultNone:
		p.diags.Add(p.file, n.Line, "a rule forwards to the upstream or simulates a fault, not both")
	case r.Fixture == "" && r.Sequence == nil && r.Fault == FaultNone && !r.Upstream:
		p.diags.Add(p.file, n.Line, "a rule needs a fixture, a sequence, a fault or upstream: true")
	}
	if keyNode != nil {
		if r.Sequence == nil {
			p.diags.Add(p.file, keyNode.Line, "key only applies to a sequence")
		}
		t, err := template.New("key").Option("missingkey=zero").Parse(keyNode.Value)
		if err != nil {
			p.diags.Add(p.file, keyNode.Line, "key: %v", err)
		} else {
			// A field under a missing one reads as no value, as in a
			// fixture, instead of failing and cutting the key short.
			t = fixture.NilSafe(t)
		}
		r.key = t
	}
	return r
}

func (p *parser) fixture(r *Rule, v *yaml.Node) {
	if v.Kind != yaml.ScalarNode || !fixture.ValidName(v.Value) {
		p.diags.Add(p.file, v.Line, "%q is not a fixture name (a path under fixtures/ without extension, which cannot leave fixtures/)", v.Value)
		return
	}
	r.Fixture = v.Value
	r.FixtureLines = []int{v.Line}
}

func (p *parser) delay(v *yaml.Node) Delay {
	parse := func(n *yaml.Node) time.Duration {
		d, err := time.ParseDuration(n.Value)
		if err != nil || d < 0 {
			p.diags.Add(p.file, n.Line, "delay %q is not a duration like 300ms or 2s", n.Value)
		}
		if d > MaxDelay {
			p.diags.Add(p.file, n.Line, "delay %s is longer than the %s maximum", d, MaxDelay)
		}
		return d
	}
	switch v.Kind {
	case yaml.ScalarNode:
		d := parse(v)
		return Delay{d, d}
	case yaml.MappingNode:
		var out Delay
		hasMax := false
		for i := 0; i+1 < len(v.Content); i += 2 {
			switch k := v.Content[i]; k.Value {
			case "min":
				out.Min = parse(v.Content[i+1])
			case "max":
				out.Max, hasMax = parse(v.Content[i+1]), true
			default:
				p.diags.Add(p.file, k.Line, "delay has min and max, not %q", k.Value)
			}
		}
		if !hasMax {
			out.Max = out.Min // {min: 1s} alone is a fixed delay
		}
		if out.Max < out.Min {
			p.diags.Add(p.file, v.Line, "delay max %s is below min %s", out.Max, out.Min)
		}
		return out
	}
	p.diags.Add(p.file, v.Line, "delay is a duration (300ms) or {min: 100ms, max: 800ms}")
	return Delay{}
}

// MaxDelay bounds a delay, of a rule or asked per request: longer than
// this is a typo.
const MaxDelay = 5 * time.Minute
