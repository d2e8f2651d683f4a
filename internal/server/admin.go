package server

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/journal"
	"github.com/arklow/arklow-mock/internal/ui"
)

// addAdminRoutes lists the admin API (DESIGN §5). Admin paths are never
// matched against the spec and never need the API key.
// With opts.NoAdmin only the health check stays; with opts.AdminToken,
// writes need it as a bearer token.
func (s *Server) addAdminRoutes(mux *http.ServeMux, opts Options) {
	allow := map[string][]string{} // path -> its methods, for 405
	handle := func(method, path string, h http.Handler) {
		mux.Handle(method+" "+path, h)
		allow[path] = append(allow[path], method)
	}
	handle("GET", "/__mock/health", s.handleHealth())
	if !opts.NoAdmin {
		write := requireToken(opts.AdminToken)
		handle("GET", "/__mock/scenarios", s.handleScenarios())
		handle("PUT", "/__mock/scenario", write(s.handleSetScenario()))
		handle("POST", "/__mock/reset", write(s.handleReset()))
		handle("GET", "/__mock/requests", s.handleRequests())
		handle("DELETE", "/__mock/requests", write(s.handleClearRequests()))
		handle("GET", "/__mock/coverage", s.handleCoverage())
		mux.Handle("GET /__mock/{$}", ui.Handler())
		mux.Handle("GET /__mock/ui/", ui.Handler())
	}
	mux.Handle("/__mock/", s.handleAdminNotFound(opts.NoAdmin, allow))
}

// requireToken guards admin writes with a bearer token, when one is set.
// The comparison takes constant time.
func requireToken(token string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if token == "" {
			return next
		}
		want := []byte(token)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			// The scheme is case-insensitive (RFC 9110 §11.1); the token is not.
			if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), want) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="arklow-mock admin"`)
				writeErrors(w, http.StatusUnauthorized, apiError{Code: apispec.CodeUnauthorized,
					Message: "header.Authorization: admin writes need 'Authorization: Bearer <MOCK_ADMIN_TOKEN>'"})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// handleHealth reports that the mock is up, with what it serves. The
// status is mirrored at the top level for probes that read only it.
func (s *Server) handleHealth() http.Handler {
	type health struct {
		Status     string `json:"status"`
		Version    string `json:"version,omitempty"`
		Operations int    `json:"operations"`
		Scenarios  int    `json:"scenarios"`
		Fixtures   int    `json:"fixtures"`
		Active     string `json:"active_scenario"`
		// LastReload is the last reload attempt (null before any); its
		// error lists FILE:LINE problems while the last good set serves.
		LastReload      *time.Time `json:"last_reload"`
		LastReloadError *string    `json:"last_reload_error"`
		Problems        []string   `json:"last_reload_problems,omitempty"`
		// Warnings are states that make the mock refuse requests although
		// it is up, such as an active scenario a reload removed.
		Warnings []string `json:"warnings,omitempty"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		set := s.set.Load()
		h := health{
			Status:     "ok",
			Version:    s.version,
			Operations: len(set.Spec.Operations()),
			Scenarios:  len(set.Scenarios.Names()),
			Fixtures:   len(set.Fixtures.Names()),
			Active:     s.Active(),
		}
		if !set.Scenarios.Known(h.Active) {
			h.Warnings = append(h.Warnings, unknownScenario("", h.Active, set.Scenarios.Names()).Message)
		}
		if st := s.reload.Load(); st != nil {
			h.LastReload = &st.At
			if len(st.Problems) > 0 {
				msg := fmt.Sprintf("reload failed; still serving the last good files: %s", st.Problems[0])
				if len(st.Problems) > 1 {
					msg += fmt.Sprintf(" (and %d more)", len(st.Problems)-1)
				}
				h.LastReloadError, h.Problems = &msg, st.Problems
			}
		}
		writeJSON(w, http.StatusOK, struct {
			Status string `json:"status"`
			envelope
		}{"ok", envelope{Data: h}})
	})
}

func (s *Server) handleScenarios() http.Handler {
	type scenarioView struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Operations  []string `json:"operations"`
		Active      bool     `json:"active"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		set := s.set.Load()
		active := s.Active()
		list := []scenarioView{}
		for _, name := range set.Scenarios.Names() {
			sc, _ := set.Scenarios.Get(name)
			ops := set.Operations(name)
			if ops == nil {
				ops = []string{}
			}
			list = append(list, scenarioView{name, sc.Description, ops, name == active})
		}
		writeData(w, http.StatusOK, map[string]any{"active": active, "scenarios": list})
	})
}

// handleSetScenario sets the active scenario: {"name": "reused-code"}.
func (s *Server) handleSetScenario() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Name string `json:"name"`
		}
		data, err := io.ReadAll(r.Body)
		if err == nil {
			err = json.Unmarshal(data, &in)
		}
		set := s.set.Load()
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			writeErrors(w, http.StatusBadRequest, apiError{Code: apispec.CodeInvalidRequest, Message: fmt.Sprintf("body.%s: want a %s, got a JSON %s", te.Field, te.Type, te.Value)})
			return
		case err != nil:
			writeErrors(w, http.StatusBadRequest, apiError{Code: apispec.CodeInvalidJSON, Message: `body: want {"name": "<scenario>"}: ` + err.Error()})
			return
		case in.Name == "":
			writeErrors(w, http.StatusBadRequest, apiError{Code: apispec.CodeInvalidRequest, Message: `body.name: required: the scenario to make active, e.g. {"name": "default"}; known scenarios: ` + strings.Join(set.Scenarios.Names(), ", ")})
			return
		}
		if !set.Scenarios.Known(in.Name) {
			writeErrors(w, http.StatusBadRequest, unknownScenario("body.name", in.Name, set.Scenarios.Names()))
			return
		}
		name := in.Name
		s.active.Store(&name)
		writeData(w, http.StatusOK, map[string]string{"active": name})
	})
}

// handleReset clears sequence state and the journal (with its coverage
// counters): a clean start for the next test.
func (s *Server) handleReset() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.engine.Reset()
		s.journal.Reset()
		writeData(w, http.StatusOK, map[string]bool{"reset": true})
	})
}

// handleRequests lists the journal, newest first, filtered by
// ?operation=&scenario=&status=&session=&limit= (and ?after=ID, for
// polling only what is new).
func (s *Server) handleRequests() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f := journal.Filter{Operation: q.Get("operation"), Scenario: q.Get("scenario"), Session: q.Get("session")}
		if op, ok := s.set.Load().Spec.Operation(f.Operation); ok {
			f.Operation = op.Key // "POST /v1/…" as scenarios accept it, or the operationId
		}
		after := 0
		var bad []apiError
		number := func(name, v string) int {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				bad = append(bad, apiError{Code: apispec.CodeInvalidRequest, Message: "query." + name + ": " + strconv.Quote(v) + " is not a non-negative integer"})
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
			after = number("after", v)
		}
		if len(bad) > 0 {
			writeErrors(w, http.StatusBadRequest, bad...)
			return
		}
		f.After = uint64(after)
		writeData(w, http.StatusOK, s.journal.List(f))
	})
}

func (s *Server) handleClearRequests() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.journal.Clear()
		writeData(w, http.StatusOK, map[string]bool{"cleared": true})
	})
}

// handleCoverage links the journal back to the spec: for every operation,
// the documented statuses, the fixtures scenarios define for it, what was
// served since the last reset (?session= narrows to one session), and what
// never was — the 4xx paths an e2e suite did not exercise.
func (s *Server) handleCoverage() http.Handler {
	type defined struct {
		Scenario string `json:"scenario"`
		Fixture  string `json:"fixture"`
		Status   int    `json:"status"`
	}
	type opCoverage struct {
		Operation        string          `json:"operation"`
		Method           string          `json:"method"`
		Path             string          `json:"path"`
		Summary          string          `json:"summary,omitempty"`
		Documented       []string        `json:"documented_statuses"`
		Fixtures         []defined       `json:"fixtures"`
		Served           *journal.Served `json:"served"`
		UnservedStatuses []string        `json:"unserved_statuses"`
		UnservedFixtures []string        `json:"unserved_fixtures"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		set := s.set.Load()
		session, bySession := r.URL.Query()["session"]
		counts := s.journal.Coverage(first(session), bySession)
		out := []opCoverage{}
		for _, op := range set.Spec.Operations() {
			c := opCoverage{Operation: op.Key, Method: op.Method, Path: op.Path, Summary: op.Summary, Documented: []string{}, Fixtures: []defined{},
				UnservedStatuses: []string{}, UnservedFixtures: []string{}}
			c.Served = counts[op.Key]
			if c.Served == nil {
				c.Served = &journal.Served{Statuses: map[string]int{}, Fixtures: map[string]int{}}
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
				c.Fixtures = append(c.Fixtures, defined{u.Scenario, u.Fixture, f.Status})
				if !seen[u.Fixture] && c.Served.Fixtures[u.Fixture] == 0 {
					c.UnservedFixtures = append(c.UnservedFixtures, u.Fixture)
				}
				seen[u.Fixture] = true
			}
			sort.Strings(c.UnservedFixtures)
			out = append(out, c)
		}
		writeData(w, http.StatusOK, map[string]any{"operations": out})
	})
}

// handleAdminNotFound answers unknown /__mock/ paths with the envelope.
func (s *Server) handleAdminNotFound(off bool, allow map[string][]string) http.Handler {
	msg := "; see the README's admin API"
	if off {
		msg = "; the admin API is off (--admin=false)"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if methods := allow[r.URL.Path]; len(methods) > 0 {
			list := strings.Join(methods, ", ")
			w.Header().Set("Allow", list)
			writeErrors(w, http.StatusMethodNotAllowed, apiError{Code: codeMethodNotAllowed,
				Message: fmt.Sprintf("%s %s: the admin API answers %s here", r.Method, r.URL.Path, list)})
			return
		}
		writeErrors(w, http.StatusNotFound, apiError{Code: codeNotFound, Message: "no admin endpoint " + r.Method + " " + r.URL.Path + msg})
	})
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
