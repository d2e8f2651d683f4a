package server

import (
	"fmt"
	"hash/fnv"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/scenario"
	"github.com/arklow/arklow-mock/internal/suggest"
)

// ScenarioCookie is the cookie the control panel's "Use in this browser"
// sets: the scenario for every request of that browser that names none.
const ScenarioCookie = "arklow_mock_scenario"

// ask is what a request says about how it wants to be answered.
type ask struct {
	scenario string // the scenario it names; "" for none
	from     string // where it names it (header.X-Mock-Scenario, header.Prefer, cookie.arklow_mock_scenario)
	prefer   prefer
	session  string
}

// askOf reads the mock's own request headers. The scenario comes from, in
// this order: X-Mock-Scenario, Prefer: scenario=, the browser's cookie.
func askOf(r *http.Request) (ask, *reqerr.Error) {
	p, err := parsePrefer(r.Header.Values("Prefer"))
	if err != nil {
		return ask{}, err
	}
	a := ask{prefer: p, session: r.Header.Get(headerSession)}
	switch named := r.Header.Get(headerScenario); {
	case named != "":
		a.scenario, a.from = named, "header."+headerScenario
	case p.scenario != "":
		a.scenario, a.from = p.scenario, "header.Prefer"
	default:
		if c, err := r.Cookie(ScenarioCookie); err == nil && c.Value != "" {
			a.scenario, a.from = c.Value, "cookie."+ScenarioCookie
		}
	}
	return a, nil
}

// choice is how a request is answered: by a fixture, by the spec (a
// response's example or generated body), or by a fault.
type choice struct {
	scenario string // the scenario that answered, as X-Mock-Scenario says
	source   string // what answers, as X-Mock-Fixture says
	delay    time.Duration

	fault    scenario.Fault
	upstream bool // forward to the real API
	noRule   bool // no scenario rule answered: the spec does, unless --upstream-fallback
	fixture  *fixture.Fixture
	spec     *apispec.Response // with fixture and fault unset; nil when nothing is documented
	status   int               // of a spec answer
	body     []byte            // of a spec answer; nil for none
	generate bool              // a spec answer generated from the schema, with seed
	dynamic  bool              // Prefer: dynamic=true: a new seed, not the request's
	seed     uint64            // set by the pipeline (see seedOf) when generate is
}

// decide picks the answer to a validated request for op: while recording,
// the real API's; else what choose picks, except that with
// --upstream-fallback the real API answers what no scenario rule does.
func (s *Server) decide(r *http.Request, set *mockset.Set, op *apispec.Operation, req *fixture.Request) (choice, *reqerr.Error) {
	if s.recording != nil {
		return choice{scenario: s.recording.Scenario, source: sourceUpstream, upstream: true}, nil
	}
	a, err := askOf(r)
	if err != nil {
		return choice{}, err
	}
	c, err := choose(set, s.engine, s.Active(), op, a, req)
	if err == nil && c.noRule && s.fallback {
		c = choice{scenario: c.scenario, source: sourceUpstream, upstream: true, delay: c.delay}
	}
	return c, err
}

// choose picks the answer to a validated request for op. The scenario is
// the one the request names, else the active one; an unknown name is an
// error, never a silent fallback. Then, in this order: Prefer's example=,
// code= and dynamic= (Prism's preferences); the first matching rule of the
// scenario or its fallbacks ("default"); else the spec's own answer.
// Prefer: delay= sets the wait before any of them.
func choose(set *mockset.Set, engine *scenario.Engine, active string, op *apispec.Operation, a ask, req *fixture.Request) (choice, *reqerr.Error) {
	name, from := a.scenario, a.from
	if name == "" {
		name, from = active, ""
	}
	if !set.Scenarios.Known(name) {
		return choice{}, unknownScenario(from, name, set.Scenarios.Names())
	}
	c, err := chooseAnswer(set, engine, name, op, a, req)
	if a.prefer.hasDelay && err == nil {
		c.delay = a.prefer.delay // the request's own delay=, over the rule's
	}
	c.dynamic = a.prefer.dynamic
	return c, err
}

// chooseAnswer picks the answer under scenario name (known to the set).
func chooseAnswer(set *mockset.Set, engine *scenario.Engine, name string, op *apispec.Operation, a ask, req *fixture.Request) (choice, *reqerr.Error) {
	p := a.prefer
	switch {
	case p.example != "":
		return chooseExample(op, name, p.example)
	case p.code != 0:
		return chooseStatus(set, op, name, p.code, p.dynamic)
	case p.dynamic:
		return specAnswer(name, op.SuccessResponse(), true), nil
	}
	d, ok := engine.Decide(set.Scenarios, name, op.Key, a.session, req)
	if !ok {
		c := specAnswer(name, op.SuccessResponse(), false)
		c.noRule = true
		return c, nil
	}
	c := choice{scenario: d.Scenario, delay: d.Delay, fault: d.Fault}
	if d.Upstream {
		c.upstream, c.source = true, sourceUpstream
		return c, nil
	}
	if d.Fault != scenario.FaultNone {
		c.source = "fault:" + string(d.Fault)
		return c, nil
	}
	f, ok := set.Fixtures.Get(d.Fixture)
	if !ok {
		return c, reqerr.New(reqerr.Internal, "", "fixture %q is missing from a checked set", d.Fixture)
	}
	c.fixture, c.source = f, f.Name
	return c, nil
}

// chooseExample answers Prefer: example=NAME with the spec's named example.
func chooseExample(op *apispec.Operation, name, example string) (choice, *reqerr.Error) {
	resp, body, ok := op.Example(example)
	if !ok {
		msg := fmt.Sprintf("%s has no example named %q", op.Key, example)
		if known := op.ExampleNames(); len(known) > 0 {
			msg += "; known examples: " + strings.Join(known, ", ")
		} else {
			msg += "; it documents no named examples"
		}
		return choice{scenario: name}, reqerr.New(reqerr.UnknownResponse, "header.Prefer", "%s", msg)
	}
	return choice{scenario: name, source: "spec:example:" + example, spec: resp, status: statusOf(resp), body: body}, nil
}

// chooseStatus answers Prefer: code=N: a fixture with that status that
// the chosen scenario, then "default", then any scenario serves for op
// (unless dynamic asks for a generated body), else the spec's response for
// the status.
func chooseStatus(set *mockset.Set, op *apispec.Operation, name string, code int, dynamic bool) (choice, *reqerr.Error) {
	if !dynamic {
		for _, sn := range append(scenario.Fallbacks(name), "") { // "": any scenario
			for _, u := range set.Uses[op.Key] {
				if sn != "" && u.Scenario != sn {
					continue
				}
				if f, ok := set.Fixtures.Get(u.Fixture); ok && f.Status == code {
					return choice{scenario: u.Scenario, source: f.Name, fixture: f}, nil
				}
			}
		}
	}
	resp := op.Response(code)
	if resp == nil || !op.Documented(code) && resp.Status != 0 {
		return choice{scenario: name}, reqerr.New(reqerr.UnknownResponse, "header.Prefer",
			"%s has no fixture or documented response with status %d (documented: %s)", op.Key, code, op.DocumentedCodes())
	}
	c := specAnswer(name, resp, dynamic)
	c.status = code
	return c, nil
}

// specAnswer is the spec's own answer with resp: its example, or a value
// generated from its schema (always, with dynamic), which the answer step
// generates. An operation that documents no response answers 204.
func specAnswer(name string, resp *apispec.Response, dynamic bool) choice {
	if resp == nil {
		return choice{scenario: name, source: "spec:empty", status: http.StatusNoContent}
	}
	if ex := resp.OwnExample(); ex != nil && !dynamic {
		return choice{scenario: name, source: "spec:example", spec: resp, status: statusOf(resp), body: ex}
	}
	return choice{scenario: name, source: "spec:generated", spec: resp, status: statusOf(resp), generate: true}
}

// statusOf is the status a spec response answers with: "default" answers 200.
func statusOf(r *apispec.Response) int {
	if r.Status == 0 {
		return http.StatusOK
	}
	return r.Status
}

// unknownScenario is the error for a scenario name that names none, read
// at location (header.X-Mock-Scenario, header.Prefer, body.name); an
// empty location is the active scenario, gone after a reload.
func unknownScenario(location, name string, known []string) *reqerr.Error {
	list := strings.Join(known, ", ")
	guess := ""
	if best, ok := suggest.Closest(name, known); ok {
		guess = fmt.Sprintf(" (did you mean %q?)", best)
	}
	if location == "" {
		return reqerr.New(reqerr.UnknownScenario, "",
			"the active scenario %q is gone since the last reload%s; name one per request or set another with PUT /__mock/scenario; known scenarios: %s", name, guess, list)
	}
	return reqerr.New(reqerr.UnknownScenario, location, "unknown scenario %q%s; known scenarios: %s", name, guess, list)
}

// seedOf is the seed of the values generated for a request: the same
// operation, path parameters and body give the same answer, so a UI
// snapshot of it is stable.
func seedOf(op string, pathParams map[string]string, body []byte) uint64 {
	h := fnv.New64a()
	h.Write([]byte(op))
	for _, k := range slices.Sorted(maps.Keys(pathParams)) {
		h.Write([]byte{0})
		h.Write([]byte(k + "=" + pathParams[k]))
	}
	h.Write([]byte{0})
	h.Write(body)
	return h.Sum64()
}
