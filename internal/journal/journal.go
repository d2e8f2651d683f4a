// Package journal records what the mock received and answered: a bounded
// ring of the newest requests (for tests to assert on) and counters of the
// statuses and fixtures served per operation, and per scenario, since the
// last reset (for the coverage report). It is plain Go, safe for
// concurrent use.
package journal

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/arklow/arklow-mock/internal/reqerr"
)

// Entry is one request and the mock's answer.
type Entry struct {
	ID        uint64        `json:"id"`
	Time      time.Time     `json:"time"`
	Method    string        `json:"method"`
	Path      string        `json:"path"`
	Query     Query         `json:"query,omitzero"`
	Operation string        `json:"operation,omitempty"`
	Scenario  string        `json:"scenario,omitempty"`
	Fixture   string        `json:"fixture,omitempty"`
	Session   string        `json:"session,omitempty"`
	Status    int           `json:"status"`
	Duration  float64       `json:"duration_ms"`
	Errors    []reqerr.Item `json:"validation_errors,omitempty"`
	// Drift lists where an answer of the real API (--upstream) breaks
	// the document; none when it keeps to it, or did not come from there.
	Drift   []Drift `json:"drift,omitempty"`
	Headers Headers `json:"headers,omitzero"`
	// Body is the request body: JSON as it was sent, other text as a string.
	Body Body `json:"body,omitzero"`
	// Response is what the mock answered.
	Response Response `json:"response"`
}

// Drift is one way an answer of the real API breaks the document: a
// code (undocumented_status, media_type, schema, header, …) and a message
// that starts with its location when it has one.
type Drift struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Response is the answer recorded with an entry.
type Response struct {
	Headers Headers `json:"headers,omitzero"`
	// Body is the answer's body: JSON as sent, other text as a string.
	Body Body `json:"body,omitzero"`
}

// Body is a recorded body, kept as bytes and rendered when shown: JSON as
// it is, anything else as a JSON string. Recording costs no parsing.
type Body []byte

// IsZero reports whether there was no body (for omitzero).
func (b Body) IsZero() bool { return len(b) == 0 }

// MarshalJSON renders the body as JSON.
func (b Body) MarshalJSON() ([]byte, error) {
	if json.Valid(b) {
		return b, nil
	}
	return json.Marshal(string(b))
}

// Secrets says which headers and query parameters carry credentials.
type Secrets interface {
	Header(name string) bool
	Query(name string) bool
}

// Headers are recorded headers. They are kept as received (no copy on the
// hot path) and redacted when rendered: a header Secrets names shows as
// "[redacted]".
type Headers struct {
	Values  map[string][]string
	Secrets Secrets // nil: nothing to redact
}

// Redacted replaces credentials wherever requests are shown.
const Redacted = "[redacted]"

// IsZero reports whether there are no headers (for omitzero).
func (h Headers) IsZero() bool { return len(h.Values) == 0 }

// Map returns the first value of each header, credentials redacted.
func (h Headers) Map() map[string]string {
	out := make(map[string]string, len(h.Values))
	for name, vals := range h.Values {
		switch {
		case h.Secrets != nil && h.Secrets.Header(name):
			out[name] = Redacted
		case len(vals) > 0:
			out[name] = vals[0]
		}
	}
	return out
}

// MarshalJSON renders the headers as {name: first value}, redacted.
func (h Headers) MarshalJSON() ([]byte, error) { return json.Marshal(h.Map()) }

// Query is a recorded query string, redacted when rendered.
type Query struct {
	Raw     string
	Secrets Secrets // nil: nothing to redact
}

// IsZero reports whether there was no query (for omitzero).
func (q Query) IsZero() bool { return q.Raw == "" }

// String returns the query with credentials redacted.
func (q Query) String() string {
	v, err := url.ParseQuery(q.Raw)
	if err != nil {
		return "[unparseable query]"
	}
	for name := range v {
		if q.Secrets != nil && q.Secrets.Query(name) {
			v[name] = []string{Redacted}
		}
	}
	return v.Encode()
}

// MarshalJSON renders the redacted query as a string.
func (q Query) MarshalJSON() ([]byte, error) { return json.Marshal(q.String()) }

// Filter selects entries; zero fields match everything.
type Filter struct {
	Operation string
	Scenario  string
	Session   string
	Statuses  []int // any of them; none: every status
	// Drifted keeps, when set, only the entries whose answer drifted from
	// the document (true) or only the others (false).
	Drifted *bool
	Limit   int
	// After keeps only entries newer than this ID (for polling).
	After uint64
}

func (f Filter) match(e *Entry) bool {
	return (f.Operation == "" || f.Operation == e.Operation) &&
		(f.Scenario == "" || f.Scenario == e.Scenario) &&
		(f.Session == "" || f.Session == e.Session) &&
		(len(f.Statuses) == 0 || slices.Contains(f.Statuses, e.Status)) &&
		(f.Drifted == nil || *f.Drifted == (len(e.Drift) > 0)) &&
		e.ID > f.After
}

// Journal is a ring of the newest entries plus coverage counters.
type Journal struct {
	mu     sync.Mutex // guards everything below
	ring   []Entry    // by value, so recording costs no allocation; ring[next] is the oldest once full
	next   int
	full   bool
	lastID uint64

	// Coverage: totals over every request, and per session. Session ids
	// come from clients, so only the newest maxSessions named sessions are
	// counted apart (oldest forgotten first); the totals and the requests
	// without a session are always exact.
	total       map[countKey]int
	bySession   map[string]map[countKey]int
	sessions    []string // named sessions, a ring of at most maxSessions; sessions[sessionNext] is the oldest once full
	sessionNext int
	maxSessions int
}

// countKey counts one (operation, scenario, fixture, status, drifted)
// combination.
type countKey struct {
	operation, scenario, fixture string
	status                       int
	drifted                      bool
}

// MaxSessions is how many named sessions the coverage counters keep apart.
const MaxSessions = 10_000

// New returns a journal keeping the newest size entries.
func New(size int) *Journal {
	if size < 1 {
		size = 1
	}
	return &Journal{ring: make([]Entry, size), total: map[countKey]int{}, bySession: map[string]map[countKey]int{}, maxSessions: MaxSessions}
}

// Size is the ring's capacity.
func (j *Journal) Size() int { return len(j.ring) }

// Add records a copy of e, assigning its ID (to e too); the oldest entry
// goes when the ring is full. Only requests routed to an operation are
// counted for coverage.
func (j *Journal) Add(e *Entry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lastID++
	e.ID = j.lastID
	j.ring[j.next] = *e
	j.next++
	if j.next == len(j.ring) {
		j.next, j.full = 0, true
	}
	if e.Operation != "" {
		k := countKey{e.Operation, e.Scenario, e.Fixture, e.Status, len(e.Drift) > 0}
		j.total[k]++
		j.session(e.Session)[k]++
	}
}

// session returns the counters of a session, making room for a new one by
// forgetting the oldest named session.
func (j *Journal) session(id string) map[countKey]int {
	if c, ok := j.bySession[id]; ok {
		return c
	}
	if id != "" {
		if len(j.sessions) < j.maxSessions {
			j.sessions = append(j.sessions, id)
		} else {
			delete(j.bySession, j.sessions[j.sessionNext])
			j.sessions[j.sessionNext] = id
			j.sessionNext = (j.sessionNext + 1) % j.maxSessions
		}
	}
	c := map[countKey]int{}
	j.bySession[id] = c
	return c
}

// List returns the entries matching f, newest first.
func (j *Journal) List(f Filter) []*Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []*Entry{}
	n := j.next
	if j.full {
		n = len(j.ring)
	}
	for i := 0; i < n; i++ {
		idx := (j.next - 1 - i + len(j.ring)) % len(j.ring)
		if e := &j.ring[idx]; f.match(e) {
			c := *e // a copy: the slot is reused when the ring comes round
			out = append(out, &c)
			if f.Limit > 0 && len(out) == f.Limit {
				break
			}
		}
	}
	return out
}

// Clear forgets the entries, keeping the coverage counters.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.ring)
	j.next, j.full = 0, false
}

// Reset forgets the entries and the coverage counters.
func (j *Journal) Reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.ring)
	j.next, j.full = 0, false
	clear(j.total)
	clear(j.bySession)
	j.sessions, j.sessionNext = nil, 0
}

// Served is how often one operation answered each status and fixture, in
// all and under each scenario.
type Served struct {
	Statuses map[string]int `json:"statuses"`
	Fixtures map[string]int `json:"fixtures"`
	// ByScenario is, per scenario that answered, how often it served each
	// fixture (or fault:<kind>, spec:…): scenario → fixture → count.
	// Requests refused before a scenario was chosen are in neither.
	ByScenario map[string]map[string]int `json:"by_scenario"`
	// Drifted counts the answers of the real API (--upstream) that broke
	// the document.
	Drifted int `json:"drifted"`
}

// NewServed returns an empty Served, every map made.
func NewServed() *Served {
	return &Served{Statuses: map[string]int{}, Fixtures: map[string]int{}, ByScenario: map[string]map[string]int{}}
}

// Coverage returns, per operation, what was served since the last reset:
// to every session, or with filterSession to that session only ("" being
// the requests that named none). A named session forgotten to keep the
// counters bounded (MaxSessions) reports nothing.
func (j *Journal) Coverage(session string, filterSession bool) map[string]*Served {
	j.mu.Lock()
	defer j.mu.Unlock()
	counts := j.total
	if filterSession {
		counts = j.bySession[session]
	}
	out := map[string]*Served{}
	for k, n := range counts {
		s := out[k.operation]
		if s == nil {
			s = NewServed()
			out[k.operation] = s
		}
		s.Statuses[strconv.Itoa(k.status)] += n
		if k.drifted {
			s.Drifted += n
		}
		if k.fixture == "" {
			continue
		}
		s.Fixtures[k.fixture] += n
		if k.scenario != "" {
			by := s.ByScenario[k.scenario]
			if by == nil {
				by = map[string]int{}
				s.ByScenario[k.scenario] = by
			}
			by[k.fixture] += n
		}
	}
	return out
}
