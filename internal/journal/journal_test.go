package journal

import (
	"fmt"
	"sync"
	"testing"
)

func add(j *Journal, op, session string, status int, fixture string) {
	j.Add(&Entry{Operation: op, Session: session, Status: status, Fixture: fixture})
}

func ids(es []*Entry) []uint64 {
	out := make([]uint64, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestRingKeepsTheNewest(t *testing.T) {
	j := New(3)
	for range 5 {
		add(j, "op", "", 200, "f")
	}
	got := ids(j.List(Filter{}))
	if len(got) != 3 || got[0] != 5 || got[1] != 4 || got[2] != 3 {
		t.Errorf("List() ids = %v, want [5 4 3]", got)
	}
}

func TestFilters(t *testing.T) {
	j := New(10)
	add(j, "a", "s1", 200, "ok")
	add(j, "b", "s1", 404, "missing")
	add(j, "a", "s2", 200, "ok")
	j.Add(&Entry{Operation: "a", Scenario: "slow", Status: 200})
	cases := []struct {
		name string
		f    Filter
		want []uint64
	}{
		{"no filter lists all, newest first", Filter{}, []uint64{4, 3, 2, 1}},
		{"by operation", Filter{Operation: "a"}, []uint64{4, 3, 1}},
		{"by session", Filter{Session: "s1"}, []uint64{2, 1}},
		{"by status", Filter{Statuses: []int{404}}, []uint64{2}},
		{"by any of several statuses", Filter{Statuses: []int{404, 999}, Session: "s1"}, []uint64{2}},
		{"by any of several statuses, all", Filter{Statuses: []int{404, 200}}, []uint64{4, 3, 2, 1}},
		{"by scenario", Filter{Scenario: "slow"}, []uint64{4}},
		{"limit counts matches", Filter{Operation: "a", Limit: 2}, []uint64{4, 3}},
		{"after keeps only newer entries", Filter{After: 2}, []uint64{4, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ids(j.List(tc.f))
			if len(got) != len(tc.want) {
				t.Fatalf("List(%+v) = %v, want %v", tc.f, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("List(%+v) = %v, want %v", tc.f, got, tc.want)
				}
			}
		})
	}
}

func TestClearKeepsCoverageResetDropsIt(t *testing.T) {
	j := New(10)
	add(j, "a", "", 200, "ok")
	add(j, "a", "s", 409, "reused")
	add(j, "", "", 404, "") // unrouted requests are not counted
	j.Clear()
	if n := len(j.List(Filter{})); n != 0 {
		t.Errorf("after Clear: %d entries", n)
	}
	cov := j.Coverage("", false)
	if len(cov) != 1 || cov["a"].Statuses["200"] != 1 || cov["a"].Statuses["409"] != 1 || cov["a"].Fixtures["reused"] != 1 {
		t.Errorf("Coverage after Clear = %+v", cov["a"])
	}
	if s := j.Coverage("s", true)["a"]; s.Statuses["200"] != 0 || s.Statuses["409"] != 1 {
		t.Errorf("Coverage(session s) = %+v", s)
	}
	j.Reset()
	if cov := j.Coverage("", false); len(cov) != 0 {
		t.Errorf("Coverage after Reset = %v", cov)
	}
}

func TestConcurrentAddsLoseNothing(t *testing.T) {
	j := New(1000)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				add(j, "a", "", 200, "ok")
			}
		}()
	}
	wg.Wait()
	if n := len(j.List(Filter{})); n != 1000 {
		t.Errorf("%d entries, want 1000", n)
	}
	if c := j.Coverage("", false)["a"].Statuses["200"]; c != 1000 {
		t.Errorf("count = %d, want 1000", c)
	}
}

// Session ids come from clients: the per-session counters keep only the
// newest MaxSessions named sessions, while the totals and the requests
// without a session stay exact.
func TestCoverageKeepsSessionsBounded(t *testing.T) {
	j := New(10)
	j.maxSessions = 3
	for i := 1; i <= 5; i++ {
		add(j, "a", fmt.Sprintf("s%d", i), 200, "ok")
	}
	add(j, "a", "", 409, "reused")
	if got := j.Coverage("", false)["a"]; got.Statuses["200"] != 5 || got.Statuses["409"] != 1 {
		t.Errorf("totals = %+v, want 5 × 200 and 1 × 409", got)
	}
	if got := j.Coverage("", true)["a"]; got.Statuses["409"] != 1 || got.Statuses["200"] != 0 {
		t.Errorf("requests without a session = %+v, want the one 409", got)
	}
	for i := 1; i <= 5; i++ {
		got := j.Coverage(fmt.Sprintf("s%d", i), true)
		if kept := i > 2; kept != (got["a"] != nil) {
			t.Errorf("session s%d: coverage %v; want it kept: %v (the 3 newest are)", i, got, kept)
		}
	}
	for i := range 100_000 {
		add(j, "a", fmt.Sprintf("flood-%d", i), 200, "ok")
	}
	if n := len(j.bySession); n > 4 { // 3 named sessions and ""
		t.Errorf("%d sessions counted apart after a flood, want at most 4", n)
	}
	if cap(j.sessions) > 8 {
		t.Errorf("the session queue grew to capacity %d", cap(j.sessions))
	}
	if got := j.Coverage("", false)["a"].Statuses["200"]; got != 100_005 {
		t.Errorf("total 200s = %d, want 100005", got)
	}
}

// The counters keep the scenario that answered: what each scenario served
// for an operation, apart from what the others served with the same
// fixture. Refused requests (no scenario, or no fixture) are counted in
// the statuses only.
func TestCoverageByScenario(t *testing.T) {
	j := New(10)
	served := func(scenario, fixture string, status int) {
		j.Add(&Entry{Operation: "a", Scenario: scenario, Fixture: fixture, Status: status})
	}
	served("default", "ok", 200)
	served("valid", "ok", 200)
	served("valid", "ok", 200)
	served("realistic", "ok", 200)
	served("realistic", "reused", 409)
	served("reset", "fault:connection_reset", 0)
	served("", "", 400)          // refused before a scenario was chosen
	served("realistic", "", 400) // refused after: no fixture served
	got := j.Coverage("", false)["a"]
	want := map[string]map[string]int{
		"default":   {"ok": 1},
		"valid":     {"ok": 2},
		"realistic": {"ok": 1, "reused": 1},
		"reset":     {"fault:connection_reset": 1},
	}
	if fmt.Sprint(got.ByScenario) != fmt.Sprint(want) {
		t.Errorf("ByScenario = %v, want %v", got.ByScenario, want)
	}
	if got.Fixtures["ok"] != 4 || got.Fixtures["reused"] != 1 || got.Fixtures["fault:connection_reset"] != 1 {
		t.Errorf("Fixtures = %v, want ok:4 reused:1 fault:connection_reset:1 (every scenario)", got.Fixtures)
	}
	if got.Statuses["200"] != 4 || got.Statuses["409"] != 1 || got.Statuses["400"] != 2 || got.Statuses["0"] != 1 {
		t.Errorf("Statuses = %v, want 200:4 409:1 400:2 0:1", got.Statuses)
	}
	j.Reset()
	if cov := j.Coverage("", false); len(cov) != 0 {
		t.Errorf("Coverage after Reset = %v", cov)
	}
}

func TestDriftFilterAndCoverage(t *testing.T) {
	j := New(10)
	drift := []Drift{{Code: "schema", Message: "body.data.n: is required"}}
	j.Add(&Entry{Operation: "a", Scenario: "passthrough", Fixture: "upstream", Status: 200, Drift: drift})
	j.Add(&Entry{Operation: "a", Scenario: "passthrough", Fixture: "upstream", Status: 200})
	j.Add(&Entry{Operation: "a", Scenario: "passthrough", Fixture: "upstream", Status: 418, Drift: drift})
	j.Add(&Entry{Operation: "b", Scenario: "default", Fixture: "ok", Status: 200})
	yes, no := true, false
	if got := ids(j.List(Filter{Drifted: &yes})); len(got) != 2 || got[0] != 3 || got[1] != 1 {
		t.Errorf("List(drifted) ids = %v, want [3 1]", got)
	}
	if got := ids(j.List(Filter{Drifted: &no})); len(got) != 2 || got[0] != 4 || got[1] != 2 {
		t.Errorf("List(not drifted) ids = %v, want [4 2]", got)
	}
	cov := j.Coverage("", false)
	if a := cov["a"]; a.Drifted != 2 || a.Fixtures["upstream"] != 3 || a.Statuses["200"] != 2 || a.Statuses["418"] != 1 {
		t.Errorf("coverage of a = %+v, want 2 drifted of 3 upstream answers", a)
	}
	if b := cov["b"]; b.Drifted != 0 {
		t.Errorf("coverage of b = %+v, want none drifted", b)
	}
}
