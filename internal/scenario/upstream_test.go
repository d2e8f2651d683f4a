package scenario

import (
	"slices"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/fixture"
)

// Requests for a path with id 1, and with id 2.
var (
	id1 = fixture.Request{Method: "GET", Path: map[string]string{"id": "1"}}
	id2 = fixture.Request{Method: "GET", Path: map[string]string{"id": "2"}}
)

func TestUpstreamRule(t *testing.T) {
	t.Parallel()
	sc := mustParse(t, "name: s\noperations:\n  op:\n    - when: {path: {id: \"1\"}}\n      fixture: one\n    - upstream: true\n      delay: 10ms\n")
	set := NewSet(sc)
	e := NewEngine(Options{})
	one := decide(t, e, set, "s", "op", "", &id1)
	if one.Upstream || one.Fixture != "one" {
		t.Errorf("Decide(id 1) = %+v, want fixture one, not upstream", one)
	}
	other := decide(t, e, set, "s", "op", "", &id2)
	if !other.Upstream || other.Fixture != "" || other.Delay != 10*time.Millisecond {
		t.Errorf("Decide(id 2) = %+v, want upstream after 10ms", other)
	}
}

func TestAnyOperation(t *testing.T) {
	t.Parallel()
	sc := mustParse(t, "name: s\noperations:\n  \"*\":\n    - upstream: true\n  op:\n    - when: {path: {id: \"1\"}}\n      fixture: one\n")
	if !slices.Contains(sc.Operations, AnyOperation) {
		t.Errorf("Operations = %q, want \"*\" listed as written", sc.Operations)
	}
	set := NewSet(sc)
	if diags := set.ResolveOperations(func(key string) (string, bool) { return key, key == "op" || key == "other" }); len(diags) > 0 {
		t.Fatalf("ResolveOperations reported %v; \"*\" needs no resolving", diags)
	}
	e := NewEngine(Options{})
	tests := []struct {
		name         string
		op           string
		req          *fixture.Request
		wantFixture  string
		wantUpstream bool
	}{
		{"the operation's own rule comes first", "op", &id1, "one", false},
		{"then the rules for every operation", "op", &id2, "", true},
		{"an operation the scenario does not name", "other", &id1, "", true},
	}
	for _, tt := range tests {
		d := decide(t, e, set, "s", tt.op, "", tt.req)
		if d.Fixture != tt.wantFixture || d.Upstream != tt.wantUpstream || d.Scenario != "s" {
			t.Errorf("%s: Decide(%s) = %+v, want fixture %q, upstream %v, from s", tt.name, tt.op, d, tt.wantFixture, tt.wantUpstream)
		}
	}
	if got := sc.Rules("other"); len(got) != 1 || !got[0].Upstream {
		t.Errorf("Rules(other) = %v, want the one rule for every operation", got)
	}
	if got := sc.Rules("op"); len(got) != 2 || got[0].Fixture != "one" || !got[1].Upstream {
		t.Errorf("Rules(op) = %v, want its own rule, then the one for every operation", got)
	}
}

// A scenario without a rule for every operation still falls back to
// default, which may have one.
func TestAnyOperationInDefault(t *testing.T) {
	t.Parallel()
	set := newSet(t, map[string]string{
		"scenarios/default.yaml": "operations:\n  \"*\":\n    - upstream: true\n",
		"scenarios/s.yaml":       "operations:\n  op: one\n",
	})
	e := NewEngine(Options{})
	if d := decide(t, e, set, "s", "other", "", &id1); !d.Upstream || d.Scenario != Default {
		t.Errorf("Decide(s, other) = %+v, want upstream from default", d)
	}
	if d := decide(t, e, set, "s", "op", "", &id1); d.Fixture != "one" || d.Scenario != "s" {
		t.Errorf("Decide(s, op) = %+v, want fixture one from s", d)
	}
}
