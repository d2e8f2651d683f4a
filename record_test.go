package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The real API of the record tests, on loopback: organisations by id (one
// whose answer breaks the document), a 404, and a list with its headers.
func newOrgAPI(tb testing.TB) (*httptest.Server, *atomic.Int64) {
	tb.Helper()
	var hits atomic.Int64
	org := func(id, name string, seats int) string {
		return `{"data":{"id":"` + id + `","object":"org","name":"` + name + `","slug":"acme","status":"active","plan":"team","seats":` +
			itoa(seats) + `,"tags":["prod","eu"],"created_at":"2025-06-01T12:00:00Z"},"errors":null}`
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("x-arklow-auth") != "ak_live_real" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "session=s3cret-session; HttpOnly")
		w.Header().Set("X-Request-Id", "5f0c7e52-8d2b-4c2f-9d55-7d0e0c1c7b11")
		w.Header().Set("X-Upstream-Internal", "not documented")
		switch r.URL.Path {
		case "/v1/orgs/org_7c1a9f3b":
			io.WriteString(w, org("org_7c1a9f3b", "Acme {{ .Inc }}", 25)) // a fixture's strings are templates: this one must stay text
		case "/v1/orgs/org_2b3c4d5e":
			io.WriteString(w, org("org_2b3c4d5e", "Beta GmbH", 10))
		case "/v1/orgs/org_badbadba": // seats must be a multiple of 5
			io.WriteString(w, org("org_badbadba", "Drift Ltd", 7))
		case "/v1/orgs":
			w.Header().Set("X-Total-Count", "1")
			io.WriteString(w, `{"data":[`+strings.TrimSuffix(strings.TrimPrefix(org("org_7c1a9f3b", "Acme Inc", 25), `{"data":`), `,"errors":null}`)+`],"errors":null}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"data":null,"errors":[{"code":"not_found","message":"no such organisation"}]}`)
		}
	}))
	tb.Cleanup(ts.Close)
	return ts, &hits
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// bigspecFolders is a folder with testdata/bigspec as its spec and empty
// fixtures and scenarios.
func bigspecFolders(t *testing.T) (spec, fixtures, scenarios string) {
	t.Helper()
	dir := t.TempDir()
	spec, fixtures, scenarios = filepath.Join(dir, "spec"), filepath.Join(dir, "fixtures"), filepath.Join(dir, "scenarios")
	for _, d := range []string{spec, fixtures, scenarios} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join("testdata", "bigspec", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(spec, "openapi.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return spec, fixtures, scenarios
}

// Record, then serve the recording: the recorded fixtures answer the same
// requests with the bodies the real API gave; a serving mock picks them
// up as they are written.
func TestRecordThenServe(t *testing.T) {
	api, hits := newOrgAPI(t)
	spec, fixtures, scenarios := bigspecFolders(t)
	folders := []string{"--spec", spec, "--fixtures", fixtures, "--scenarios", scenarios}
	serving := startServer(t, nil, folders...) // watching: it reloads what record writes
	recorder := launchCommand(t, nil, true, "record", append([]string{"--upstream", api.URL, "--watch=false"}, folders...)...)
	if !strings.Contains(recorder.stdout.String(), "  recording  every request the spec accepts goes to "+api.URL) {
		t.Errorf("the record banner does not say where requests go:\n%s", recorder.stdout)
	}

	auth := map[string]string{"x-arklow-auth": "ak_live_real"}
	requests := []struct {
		path   string
		status int
		served bool // a rule serves it again: it keeps to the document
	}{
		{"/v1/orgs/org_7c1a9f3b", 200, true},
		{"/v1/orgs/org_2b3c4d5e", 200, true},
		{"/v1/orgs/org_0000dead", 404, true},
		{"/v1/orgs", 200, true},
		{"/v1/orgs/org_badbadba", 200, false},
	}
	recorded := map[string]answer{}
	for _, rq := range requests {
		a := recorder.do(t, call{method: "GET", path: rq.path, headers: auth})
		if a.status != rq.status || a.header.Get("X-Mock-Fixture") != "upstream" {
			t.Fatalf("recording GET %s = %d (X-Mock-Fixture %q) %s, want %d from the upstream", rq.path, a.status, a.header.Get("X-Mock-Fixture"), a.body, rq.status)
		}
		recorded[rq.path] = a
	}
	if a := recorder.do(t, call{method: "GET", path: "/v1/orgs/not-an-id", headers: auth}); a.status != 400 {
		t.Errorf("an invalid request while recording = %d, want 400 (never forwarded)", a.status)
	}
	if got := hits.Load(); got != int64(len(requests)) {
		t.Errorf("the real API received %d requests, want %d", got, len(requests))
	}
	if d := recorded["/v1/orgs/org_badbadba"].header.Get("X-Mock-Drift"); d != "1" {
		t.Errorf("the drifted answer has X-Mock-Drift %q, want 1", d)
	}
	report := recorder.stdout.String()
	for _, want := range []string{
		"recorded getOrg 200 -> " + filepath.Join(fixtures, "recorded", "getOrg", "200_org_7c1a9f3b.yaml") + " (rule added to " + filepath.Join(scenarios, "recorded.yaml") + ")",
		"recorded getOrg 404 -> " + filepath.Join(fixtures, "recorded", "getOrg", "404_org_0000dead.yaml"),
		"recorded listOrgs 200 -> " + filepath.Join(fixtures, "recorded", "listOrgs", "200.yaml"),
		"recorded getOrg 200 -> " + filepath.Join(fixtures, "recorded", "getOrg", "200_org_badbadba.yaml") + "\n  the answer breaks the document (1 problem(s)):\n    schema: body.data.seats: ",
		"not served: validate refuses the fixture",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the record report lacks %q:\n%s", want, report)
		}
	}
	recorder.stop()

	// Nothing secret was written.
	filepath.Walk(filepath.Dir(fixtures), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		for _, secret := range []string{"ak_live_real", "s3cret-session", "X-Upstream-Internal"} {
			if strings.Contains(string(data), secret) {
				t.Errorf("%s holds %q", p, secret)
			}
		}
		return nil
	})

	// validate accepts the recording; the drifted fixture is only unused.
	var out syncBuffer
	if err := run(t.Context(), append([]string{"arklow-mock", "validate"}, folders...), func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatalf("validate after recording: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "fixture recorded/getOrg/200_org_badbadba is not used by any scenario") {
		t.Errorf("validate does not say the drifted fixture is unused:\n%s", out.String())
	}

	// The serving mock reloaded; under the recorded scenario it answers as
	// the real API did, with no upstream at all.
	recordedScenario := map[string]string{"x-arklow-auth": "any-key", "X-Mock-Scenario": "recorded"}
	deadline := time.Now().Add(20 * time.Second)
	for {
		a := serving.do(t, call{method: "GET", path: "/v1/orgs", headers: recordedScenario})
		if a.status == 200 && a.header.Get("X-Mock-Fixture") == "recorded/listOrgs/200" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the serving mock did not pick up the recording: %d %s %s\n%s", a.status, a.header.Get("X-Mock-Fixture"), a.body, serving.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	replay := startServer(t, nil, append([]string{"--scenario", "recorded"}, folders...)...) // and a fresh one
	for _, ts := range []*testServer{serving, replay} {
		for _, rq := range requests {
			a := ts.do(t, call{method: "GET", path: rq.path, headers: recordedScenario})
			want := recorded[rq.path]
			if !rq.served {
				if a.header.Get("X-Mock-Fixture") == "upstream" || strings.HasPrefix(a.header.Get("X-Mock-Fixture"), "recorded/") {
					t.Errorf("GET %s is served from %q; its recording breaks the document and has no rule", rq.path, a.header.Get("X-Mock-Fixture"))
				}
				continue
			}
			if a.status != want.status || !reflect.DeepEqual(a.json, want.json) {
				t.Errorf("replaying GET %s = %d %s\nwant what the real API answered: %d %s", rq.path, a.status, a.body, want.status, want.body)
			}
			if !strings.HasPrefix(a.header.Get("X-Mock-Fixture"), "recorded/") {
				t.Errorf("replaying GET %s: X-Mock-Fixture %q, want a recorded fixture", rq.path, a.header.Get("X-Mock-Fixture"))
			}
		}
		if a := ts.do(t, call{method: "GET", path: "/v1/orgs", headers: recordedScenario}); a.header.Get("X-Total-Count") != "1" || a.header.Get("X-Request-Id") != "" {
			t.Errorf("the replayed list has X-Total-Count %q, X-Request-Id %q; want the documented headers of its status only", a.header.Get("X-Total-Count"), a.header.Get("X-Request-Id"))
		}
		if a := ts.do(t, call{method: "GET", path: "/v1/orgs/org_7c1a9f3b", headers: recordedScenario}); a.header.Get("X-Request-Id") != "5f0c7e52-8d2b-4c2f-9d55-7d0e0c1c7b11" || a.header.Get("Set-Cookie") != "" {
			t.Errorf("the replayed org has X-Request-Id %q, Set-Cookie %q; want the documented header, no cookie", a.header.Get("X-Request-Id"), a.header.Get("Set-Cookie"))
		}
	}
}

// Without --upstream, record refuses to start, saying what it needs.
func TestRecordNeedsAnUpstream(t *testing.T) {
	var out syncBuffer
	err := run(t.Context(), []string{"arklow-mock", "record"}, func(string) string { return "" }, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "record needs --upstream URL (or MOCK_UPSTREAM)") {
		t.Errorf("record without --upstream: %v", err)
	}
}
