package server

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/arklow/arklow-mock/internal/journal"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/ui"
)

// adminHandler answers one admin request, or returns the error that
// refuses it.
type adminHandler func(w http.ResponseWriter, r *http.Request, set *mockset.Set) *reqerr.Error

// adminAPI is the admin API under /__mock/ (DESIGN §5): never matched
// against the spec, never needing the API key.
type adminAPI struct {
	routes map[string][]adminRoute // by path, in the order listed
	panel  http.Handler            // nil when the admin API is off
	token  []byte                  // when set, writes need it as a bearer token
	off    bool
	cors   corsPolicy // local origins and listed ones only
}

type adminRoute struct {
	method string
	handle adminHandler
}

// newAdminAPI lists the admin API. With on false only the health check
// stays; with a token, writes need it.
func (s *Server) newAdminAPI(on bool, token string, cors corsPolicy) *adminAPI {
	a := &adminAPI{routes: map[string][]adminRoute{}, off: !on, token: []byte(token), cors: cors}
	handle := func(method, path string, h adminHandler) {
		a.routes[path] = append(a.routes[path], adminRoute{method, h})
	}
	handle("GET", "/__mock/health", s.handleHealth)
	if on {
		handle("GET", "/__mock/scenarios", s.handleScenarios)
		handle("PUT", "/__mock/scenario", a.write(s.handleSetScenario))
		handle("POST", "/__mock/reset", a.write(s.handleReset))
		handle("GET", "/__mock/requests", s.handleRequests)
		handle("DELETE", "/__mock/requests", a.write(s.handleClearRequests))
		handle("GET", "/__mock/coverage", s.handleCoverage)
		a.panel = ui.Handler()
	}
	return a
}

// serve dispatches an admin request: the panel's files, an endpoint, or
// not_found / method_not_allowed.
func (a *adminAPI) serve(w http.ResponseWriter, r *http.Request, set *mockset.Set) *reqerr.Error {
	path := r.URL.Path
	if a.panel != nil && r.Method == http.MethodGet && (path == "/__mock/" || strings.HasPrefix(path, "/__mock/ui/")) {
		a.panel.ServeHTTP(w, r)
		return nil
	}
	routes := a.routes[path]
	for _, rt := range routes {
		if rt.method == r.Method {
			return rt.handle(w, r, set)
		}
	}
	if len(routes) > 0 {
		allow := make([]string, len(routes))
		for i, rt := range routes {
			allow[i] = rt.method
		}
		list := strings.Join(allow, ", ")
		err := reqerr.New(reqerr.MethodNotAllowed, "", "%s %s: the admin API answers %s here", r.Method, path, list)
		err.Allow = allow
		return err
	}
	hint := "; see the README's admin API"
	if a.off {
		hint = "; the admin API is off (--admin=false)"
	}
	return reqerr.New(reqerr.NotFound, "", "no admin endpoint %s %s%s", r.Method, path, hint)
}

// write guards an admin write. With a token set, the write needs it as a
// bearer token (compared in constant time). Without one, it needs
// Content-Type: application/json, which no cross-site "simple" request — a
// form post, a text/plain fetch, sendBeacon — can send without a
// preflight, and the admin API's CORS refuses preflights from other pages.
func (a *adminAPI) write(h adminHandler) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, set *mockset.Set) *reqerr.Error {
		if len(a.token) > 0 {
			scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			// The scheme is case-insensitive (RFC 9110 §11.1); the token is not.
			if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), a.token) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="arklow-mock admin"`)
				return reqerr.New(reqerr.Unauthorized, "header.Authorization", "admin writes need 'Authorization: Bearer <MOCK_ADMIN_TOKEN>'")
			}
			return h(w, r, set)
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			return reqerr.New(reqerr.UnsupportedMediaType, "header.Content-Type",
				"admin writes need Content-Type: application/json (so that no other web page can send one); got %q", r.Header.Get("Content-Type"))
		}
		return h(w, r, set)
	}
}

// handleHealth reports that the mock is up, with what it serves. The
// status is mirrored at the top level for probes that read only it.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request, set *mockset.Set) *reqerr.Error {
	h := Health{
		Status:     "ok",
		Version:    s.version,
		Operations: len(set.Spec.Operations()),
		Scenarios:  len(set.Scenarios.Names()),
		Fixtures:   len(set.Fixtures.Names()),
		Active:     s.Active(),
	}
	if !set.Scenarios.Known(h.Active) {
		h.Warnings = append(h.Warnings, unknownScenario("", h.Active, set.Scenarios.Names()).Error())
	}
	if st := s.reload.Load(); st != nil {
		h.LastReload = &st.At
		if len(st.Problems) > 0 {
			msg := "reload failed; still serving the last good files: " + st.Problems[0]
			if len(st.Problems) > 1 {
				msg += " (and " + strconv.Itoa(len(st.Problems)-1) + " more)"
			}
			h.LastReloadError, h.Problems = &msg, st.Problems
		}
	}
	writeJSON(w, http.StatusOK, HealthAnswer{Status: "ok", Envelope: Envelope[Health]{Data: h}})
	return nil
}

func (s *Server) handleScenarios(w http.ResponseWriter, r *http.Request, set *mockset.Set) *reqerr.Error {
	active := s.Active()
	list := []ScenarioInfo{}
	for _, name := range set.Scenarios.Names() {
		sc, _ := set.Scenarios.Get(name)
		ops := set.Operations(name)
		if ops == nil {
			ops = []string{}
		}
		list = append(list, ScenarioInfo{name, sc.Description, ops, name == active})
	}
	writeData(w, ScenarioList{Active: active, Scenarios: list})
	return nil
}

// handleSetScenario sets the active scenario: {"name": "reused-code"}.
func (s *Server) handleSetScenario(w http.ResponseWriter, r *http.Request, set *mockset.Set) *reqerr.Error {
	var in SetScenario
	data, err := io.ReadAll(r.Body)
	if err == nil {
		err = json.Unmarshal(data, &in)
	}
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return reqerr.New(reqerr.InvalidRequest, "body."+te.Field, "want a %s, got a JSON %s", te.Type, te.Value)
	case err != nil:
		return reqerr.New(reqerr.InvalidJSON, "body", `want {"name": "<scenario>"}: %v`, err)
	case in.Name == "":
		return reqerr.New(reqerr.InvalidRequest, "body.name", `required: the scenario to make active, e.g. {"name": "default"}; known scenarios: %s`, strings.Join(set.Scenarios.Names(), ", "))
	case !set.Scenarios.Known(in.Name):
		return unknownScenario("body.name", in.Name, set.Scenarios.Names())
	}
	name := in.Name
	s.active.Store(&name)
	writeData(w, ActiveScenario{Active: name})
	return nil
}

// handleReset clears sequence state and the journal (with its coverage
// counters): a clean start for the next test.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request, set *mockset.Set) *reqerr.Error {
	s.engine.Reset()
	s.journal.Reset()
	writeData(w, Reset{Reset: true})
	return nil
}

// handleRequests lists the journal, newest first, filtered by
// ?operation=&scenario=&status=&session=&drift=&limit= (and ?after=ID, for
// polling only what is new).
func (s *Server) handleRequests(w http.ResponseWriter, r *http.Request, set *mockset.Set) *reqerr.Error {
	q := r.URL.Query()
	f := journal.Filter{Operation: q.Get("operation"), Scenario: q.Get("scenario"), Session: q.Get("session")}
	if op, ok := set.Spec.Operation(f.Operation); ok {
		f.Operation = op.Key // "POST /v1/…" as scenarios accept it, or the operationId
	}
	bad := &reqerr.Error{Code: reqerr.InvalidRequest}
	number := func(name, v string) int {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad.Problems = append(bad.Problems, reqerr.Problem{Location: "query." + name, Message: strconv.Quote(v) + " is not a non-negative integer"})
		}
		return n
	}
	for _, v := range q["status"] { // ?status=409&status=429: either
		f.Statuses = append(f.Statuses, number("status", v))
	}
	if v := q.Get("limit"); v != "" {
		f.Limit = number("limit", v)
	}
	if v := q.Get("after"); v != "" {
		f.After = uint64(number("after", v))
	}
	if v := q.Get("drift"); v != "" { // true: the real API's answers that broke the document
		drifted, err := strconv.ParseBool(v)
		if err != nil {
			bad.Problems = append(bad.Problems, reqerr.Problem{Location: "query.drift", Message: strconv.Quote(v) + " is not true or false"})
		}
		f.Drifted = &drifted
	}
	if len(bad.Problems) > 0 {
		return bad
	}
	writeData(w, s.journal.List(f))
	return nil
}

func (s *Server) handleClearRequests(w http.ResponseWriter, r *http.Request, set *mockset.Set) *reqerr.Error {
	s.journal.Clear()
	writeData(w, Cleared{Cleared: true})
	return nil
}

// handleCoverage links the journal back to the spec: for every operation,
// the documented statuses, the fixtures scenarios define for it, what was
// served since the last reset (?session= narrows to one session), and what
// never was — the 4xx paths an e2e suite did not exercise.
func (s *Server) handleCoverage(w http.ResponseWriter, r *http.Request, set *mockset.Set) *reqerr.Error {
	session, bySession := r.URL.Query()["session"]
	var sessionID string
	if bySession {
		sessionID = session[0]
	}
	counts := s.journal.Coverage(sessionID, bySession)
	out := []OperationCoverage{}
	for _, op := range set.Spec.Operations() {
		c := OperationCoverage{Operation: op.Key, Method: op.Method, Path: op.Path, Summary: op.Summary, Documented: []string{}, Fixtures: []CoveredFixture{},
			UnservedStatuses: []string{}, UnservedFixtures: []string{}}
		c.Served = counts[op.Key]
		if c.Served == nil {
			c.Served = journal.NewServed()
		}
		for _, resp := range op.Responses() {
			c.Documented = append(c.Documented, resp.Code)
			if resp.Status != 0 && c.Served.Statuses[strconv.Itoa(resp.Status)] == 0 {
				c.UnservedStatuses = append(c.UnservedStatuses, resp.Code)
			}
		}
		seen := map[string]bool{}
		for _, u := range set.Uses[op.Key] {
			f, _ := set.Fixtures.Get(u.Fixture)
			c.Fixtures = append(c.Fixtures, CoveredFixture{u.Scenario, u.Fixture, f.Status})
			if !seen[u.Fixture] && c.Served.Fixtures[u.Fixture] == 0 {
				c.UnservedFixtures = append(c.UnservedFixtures, u.Fixture)
			}
			seen[u.Fixture] = true
		}
		sort.Strings(c.UnservedFixtures)
		out = append(out, c)
	}
	writeData(w, Coverage{Operations: out})
	return nil
}
