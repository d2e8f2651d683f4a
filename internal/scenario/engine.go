package scenario

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/fixture"
)

// ResolveOperations rewrites every scenario's operation keys (operationId or
// "METHOD /path", as written) to the canonical key resolve returns, and
// reports the keys it does not know. Call it once, before the set is shared.
func (s *Set) ResolveOperations(resolve func(string) (string, bool)) diag.List {
	var diags diag.List
	for _, name := range s.names {
		sc := s.byName[name]
		resolved := make(map[string][]*Rule, len(sc.rules))
		for _, key := range sc.Operations {
			if key == AnyOperation {
				continue // every operation: nothing to resolve
			}
			rules := sc.rules[key]
			canon, ok := resolve(key)
			if !ok {
				diags.Add(sc.File, sc.keyLines[key], "scenario %s: unknown operation %q (use an operationId or \"METHOD /path\" from the spec)", sc.Name, key)
				continue
			}
			resolved[canon] = append(resolved[canon], rules...)
		}
		sc.rules = resolved
	}
	return diags
}

// Decision is what the engine chose for one request.
type Decision struct {
	// Scenario is the scenario whose rule answered (the requested one, or
	// "default" when the request fell back).
	Scenario string
	// Fixture is the fixture to answer with ("" for a fault-only rule).
	Fixture string
	Delay   time.Duration
	Fault   Fault
	// Upstream says the request is forwarded to the real API.
	Upstream bool
}

// Options configure an Engine.
type Options struct {
	// Int64N returns a uniform random number in [0, n); it picks ranged
	// delays. Default math/rand/v2.Int64N. Must be safe for concurrent use.
	Int64N func(n int64) int64
}

// Engine decides answers and keeps the only mutable state of scenarios:
// how far each keyed sequence has advanced, per session. It survives a
// reload of the files (the Set is passed to each call).
type Engine struct {
	int64n func(int64) int64

	mu    sync.Mutex                // guards seq, order, next
	seq   map[string]map[string]int // session -> sequence key -> next index
	order []position                // positions in the order they were created, a ring once full
	next  int                       // with a full ring: the oldest position, evicted next
	limit int                       // the most positions kept
}

// position names one sequence position, for eviction.
type position struct{ session, key string }

// maxPositions bounds sequence state: keys come from requests (a device
// and a code, say), so a long or hostile run could otherwise grow it
// without end. Past it, the oldest positions are forgotten.
const maxPositions = 100_000

// NewEngine returns an engine with no sequence state.
func NewEngine(opts Options) *Engine {
	if opts.Int64N == nil {
		opts.Int64N = rand.Int64N
	}
	return &Engine{int64n: opts.Int64N, seq: map[string]map[string]int{}, limit: maxPositions}
}

// Fallbacks are the scenarios asked in turn for an operation under
// scenario name: name itself, then Default (DESIGN §2).
func Fallbacks(name string) []string {
	if name == Default {
		return []string{Default}
	}
	return []string{name, Default}
}

// Decide picks the answer for a request to operation op under scenario
// name: the first matching rule of the first of its Fallbacks that has
// one. ok is false when none has: the spec answers.
func (e *Engine) Decide(set *Set, name, op, session string, req *fixture.Request) (d Decision, ok bool) {
	for _, sn := range Fallbacks(name) {
		sc, found := set.byName[sn]
		if !found {
			continue
		}
		own := sc.rules[op]
		for i := range len(own) + len(sc.any) {
			r := sc.ruleAt(own, i)
			if !r.When.Match(req) {
				continue
			}
			d = Decision{Scenario: sn, Fixture: r.Fixture, Fault: r.Fault, Upstream: r.Upstream, Delay: e.delay(r.Delay)}
			if r.Sequence != nil {
				d.Fixture = r.Sequence[e.advance(session, seqKey(sn, op, i, r, req), len(r.Sequence))]
			}
			return d, true
		}
	}
	return Decision{Scenario: name}, false
}

// ruleAt is the i-th rule for an operation whose own rules are own: its
// own, then the scenario's rules for every operation.
func (s *Scenario) ruleAt(own []*Rule, i int) *Rule {
	if i < len(own) {
		return own[i]
	}
	return s.any[i-len(own)]
}

func (e *Engine) delay(d Delay) time.Duration {
	if d.Max <= d.Min {
		return d.Min
	}
	return d.Min + time.Duration(e.int64n(int64(d.Max-d.Min)+1))
}

// advance returns the sequence index to serve for key and moves it on; the
// last entry repeats. Reading and advancing happen under one lock, so
// concurrent identical requests each get their own step.
func (e *Engine) advance(session, key string, n int) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.seq[session]
	if st == nil {
		st = map[string]int{}
		e.seq[session] = st
	}
	i, known := st[key]
	if !known {
		e.remember(position{session, key})
	}
	if i < n-1 || !known {
		st[key] = min(i+1, n-1)
	}
	return i
}

// remember records a new position, forgetting the oldest one when the
// engine holds its limit. e.mu must be held.
func (e *Engine) remember(p position) {
	if len(e.order) < e.limit {
		e.order = append(e.order, p)
		return
	}
	old := e.order[e.next]
	if st := e.seq[old.session]; st != nil {
		delete(st, old.key)
		if len(st) == 0 && old.session != p.session {
			delete(e.seq, old.session)
		}
	}
	e.order[e.next] = p
	e.next = (e.next + 1) % e.limit
}

// Reset forgets every sequence position, of every session.
func (e *Engine) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.seq)
	e.order, e.next = nil, 0
}

func seqKey(scenario, op string, rule int, r *Rule, req *fixture.Request) string {
	var b strings.Builder
	b.WriteString(scenario)
	b.WriteByte(0)
	b.WriteString(op)
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(rule))
	b.WriteByte(0)
	if r.key != nil {
		_ = r.key.Execute(&b, struct{ Request *fixture.Request }{req})
	}
	return b.String()
}
