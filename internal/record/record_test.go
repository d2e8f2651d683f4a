package record

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/scenario"
)

var recordedAt = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// folders makes empty fixtures and scenarios folders.
func folders(tb testing.TB) (fixtures, scenarios string) {
	tb.Helper()
	dir := tb.TempDir()
	fixtures, scenarios = filepath.Join(dir, "fixtures"), filepath.Join(dir, "scenarios")
	for _, d := range []string{fixtures, scenarios} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	return fixtures, scenarios
}

func newRecorder(tb testing.TB, edit func(*Options)) (*Recorder, Options) {
	tb.Helper()
	fx, sc := folders(tb)
	opts := Options{Fixtures: fx, Out: filepath.Join(fx, "recorded"), Scenarios: sc, Scenario: "recorded", Source: "https://api.arklow.test"}
	if edit != nil {
		edit(&opts)
	}
	r, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return r, opts
}

// decoded decodes a JSON body as the server does for rules and templates.
func decoded(tb testing.TB, s string) any {
	tb.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		tb.Fatal(err)
	}
	return v
}

// getOrg is an answer to GET /v1/orgs/{org_id}.
func getOrg(id, body string) Answer {
	return Answer{
		Time: recordedAt, Operation: "getOrg", PathParams: []string{"org_id"},
		Method: "GET", Path: "/v1/orgs/" + id, Query: "expand=billing",
		Request: &fixture.Request{Method: "GET", Path: map[string]string{"org_id": id}, Query: url.Values{"expand": {"billing"}}},
		Status:  200,
		Header: map[string][]string{"Content-Type": {"application/json"}, "X-Request-Id": {"r-1"}, "Set-Cookie": {"session=s3cret"},
			"X-Internal-Trace": {"t-9"}, "X-Api-Key": {"ak_live_1"}},
		Documented: []string{"x-request-id", "Set-Cookie", "X-Api-Key"},
		Secret:     func(name string) bool { return name == "X-Api-Key" },
		Body:       []byte(body),
	}
}

func mustRecord(tb testing.TB, r *Recorder, a Answer) Result {
	tb.Helper()
	res, err := r.Record(a)
	if err != nil {
		tb.Fatalf("Record(%s %d): %v", a.Operation, a.Status, err)
	}
	return res
}

func read(tb testing.TB, p string) string {
	tb.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// loadFixture loads a written fixture as the mock does.
func loadFixture(tb testing.TB, fixtures, name string) *fixture.Fixture {
	tb.Helper()
	set, diags := fixture.Load(fixtures, fixture.Env{})
	if diags.Err() != nil {
		tb.Fatalf("the recorded fixtures do not load: %v", diags.Err())
	}
	f, ok := set.Get(name)
	if !ok {
		tb.Fatalf("no fixture %s among %v", name, set.Names())
	}
	return f
}

// loadScenario loads the written scenario file as the mock does.
func loadScenario(tb testing.TB, opts Options) *scenario.Set {
	tb.Helper()
	set, diags := scenario.Load(opts.Scenarios)
	if diags.Err() != nil {
		tb.Fatalf("the recorded scenario does not load: %v\n%s", diags.Err(), read(tb, filepath.Join(opts.Scenarios, opts.Scenario+".yaml")))
	}
	return set
}

// served is the fixture the scenario serves for req, "" for none.
func served(tb testing.TB, set *scenario.Set, name, op string, req *fixture.Request) string {
	tb.Helper()
	d, ok := scenario.NewEngine(scenario.Options{}).Decide(set, name, op, "", req)
	if !ok {
		return ""
	}
	return d.Fixture
}

func TestRecordWritesAFixtureAndItsRule(t *testing.T) {
	r, opts := newRecorder(t, nil)
	const body = `{"data":{"id":"org_7c1a9f3b","name":"Acme {{ Inc }}","seats":25,"big":123456789012345678901234567890,` +
		`"ratio":1.5e-7,"tags":["prod","true","null","- x"],"website":null,"active":true,"note":"line one\nline two","empty":{},"none":[],` +
		`"é":"ünïcode ✓","zeta":1,"alpha":2},"errors":null}`
	res := mustRecord(t, r, getOrg("org_7c1a9f3b", body))
	wantFile := filepath.Join(opts.Fixtures, "recorded", "getOrg", "200_org_7c1a9f3b.yaml")
	if !res.Written || res.Fixture != "recorded/getOrg/200_org_7c1a9f3b" || res.File != wantFile || res.Rule != RuleAdded {
		t.Fatalf("Record = %+v, want recorded/getOrg/200_org_7c1a9f3b written with a rule", res)
	}
	text := read(t, wantFile)
	for _, want := range []string{
		"# Recorded by `arklow-mock record` from https://api.arklow.test\n# at 2026-11-25T12:00:00Z, answering GET /v1/orgs/org_7c1a9f3b?expand=billing (getOrg).\n",
		"status: 200\n",
		"headers:\n  Content-Type: application/json\n  Set-Cookie: '[redacted]'\n  X-Api-Key: '[redacted]'\n  X-Request-Id: r-1\n",
		"body:\n  data:\n    id: org_7c1a9f3b\n",
		"seats: 25\n", "big: 123456789012345678901234567890\n", `"true"`, `"null"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the fixture does not contain %q:\n%s", want, text)
		}
	}
	for _, leak := range []string{"s3cret", "ak_live_1", "X-Internal-Trace"} {
		if strings.Contains(text, leak) {
			t.Errorf("the fixture holds %q: only documented headers are written, credentials redacted:\n%s", leak, text)
		}
	}
	if strings.Index(text, "zeta") > strings.Index(text, "alpha") {
		t.Errorf("the fixture reorders the members of an object:\n%s", text)
	}

	// It loads as the mock loads fixtures, and renders the body it recorded.
	f := loadFixture(t, opts.Fixtures, res.Fixture)
	out, err := f.Render(&fixture.Request{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(decoded(t, string(out.Body)), decoded(t, body)) || !strings.Contains(string(out.Body), "123456789012345678901234567890") {
		t.Errorf("the fixture renders\n  %s\nwant the recorded body\n  %s", out.Body, body)
	}

	// Its rule serves it for the same org, and only for it.
	set := loadScenario(t, opts)
	if got := served(t, set, "recorded", "getOrg", &fixture.Request{Path: map[string]string{"org_id": "org_7c1a9f3b"}}); got != res.Fixture {
		t.Errorf("the scenario serves %q for the same org, want %s", got, res.Fixture)
	}
	if got := served(t, set, "recorded", "getOrg", &fixture.Request{Path: map[string]string{"org_id": "org_00000000"}}); got != "" {
		t.Errorf("the scenario serves %q for another org, want nothing", got)
	}
	sc := read(t, filepath.Join(opts.Scenarios, "recorded.yaml"))
	want := "name: recorded\ndescription: Answers recorded from https://api.arklow.test.\noperations:\n  getOrg:\n    - when: {path: {org_id: org_7c1a9f3b}}\n      fixture: recorded/getOrg/200_org_7c1a9f3b\n"
	if !strings.HasSuffix(sc, want) {
		t.Errorf("the scenario file is\n%s\nwant it to end with\n%s", sc, want)
	}
}

func TestRecordKeepsOrOverwrites(t *testing.T) {
	first, second := `{"data":{"v":1},"errors":null}`, `{"data":{"v":2},"errors":null}`
	for _, overwrite := range []bool{false, true} {
		t.Run(fmt.Sprintf("overwrite=%v", overwrite), func(t *testing.T) {
			r, opts := newRecorder(t, func(o *Options) { o.Overwrite = overwrite })
			mustRecord(t, r, getOrg("org_1", first))
			res := mustRecord(t, r, getOrg("org_1", second))
			f := loadFixture(t, opts.Fixtures, res.Fixture)
			out, _ := f.Render(nil, nil)
			if overwrite {
				if !res.Written || string(out.Body) != second || res.Rule != RuleKept || res.Why != "" {
					t.Errorf("with --overwrite: %+v, body %s; want the newest answer, the rule kept", res, out.Body)
				}
			} else {
				if res.Written || res.Why != "it exists (--overwrite rewrites it)" || string(out.Body) != first || res.Repeat {
					t.Errorf("without --overwrite: %+v, body %s; want the first answer kept, said once", res, out.Body)
				}
				if again := mustRecord(t, r, getOrg("org_1", second)); !again.Repeat {
					t.Errorf("a third answer: %+v, want it marked as a repeat", again)
				}
			}

			// Another status for the same key: its own file; the rule moves only with --overwrite.
			gone := getOrg("org_1", `{"data":null,"errors":[{"code":"not_found","message":"no org"}]}`)
			gone.Status = 404
			res404 := mustRecord(t, r, gone)
			set := loadScenario(t, opts)
			got := served(t, set, "recorded", "getOrg", &fixture.Request{Path: map[string]string{"org_id": "org_1"}})
			if overwrite {
				if res404.Rule != RuleReplaced || got != "recorded/getOrg/404_org_1" {
					t.Errorf("a 404 with --overwrite: %+v, served %q; want its rule pointed at the 404", res404, got)
				}
			} else if res404.Rule != RuleKept || !res404.Written || got != "recorded/getOrg/200_org_1" || !strings.Contains(res404.Why, "serves recorded/getOrg/200_org_1") {
				t.Errorf("a 404 without --overwrite: %+v, served %q; want it written, the rule still serving the 200", res404, got)
			}
			if _, err := os.Stat(filepath.Join(opts.Fixtures, "recorded", "getOrg", "404_org_1.yaml")); err != nil {
				t.Errorf("the 404 was not written: %v", err)
			}
		})
	}
}

func TestRecordDriftedAnswer(t *testing.T) {
	problem := diag.Diagnostic{Message: "fixture x does not match the 200 response of getOrg at /data/seats: body.data.seats: must be a multiple of 5"}
	r, opts := newRecorder(t, nil)
	a := getOrg("org_2", `{"data":{"id":"org_2","seats":7},"errors":null}`)
	a.Check = func(f *fixture.Fixture) diag.List {
		d := problem
		d.File, d.Line = f.File, f.LineOf("/data/seats")
		return diag.List{d}
	}
	a.Drift = []string{"schema: body.data.seats: must be a multiple of 5"}
	res := mustRecord(t, r, a)
	if !res.Written || res.Rule != RuleNone || len(res.Problems.Errors()) != 1 {
		t.Fatalf("Record = %+v, want it written without a rule", res)
	}
	text := read(t, res.File)
	line := res.Problems[0].Line
	if lines := strings.Split(text, "\n"); line < 1 || line > len(lines) || strings.TrimSpace(lines[line-1]) != "seats: 7" {
		t.Errorf("the problem is on line %d; want the seats line of\n%s", line, text)
	}
	for _, want := range []string{
		"# The answer breaks the document (1 problem(s)):\n#   - schema: body.data.seats: must be a multiple of 5\n",
		"# Not served: `arklow-mock validate` refuses this fixture, so no rule serves it.\n",
		"#   getOrg:\n#     - when: {path: {org_id: org_2}}\n#       fixture: recorded/getOrg/200_org_2\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the fixture does not contain %q:\n%s", want, text)
		}
	}
	if _, err := os.Stat(filepath.Join(opts.Scenarios, "recorded.yaml")); err == nil {
		t.Errorf("a scenario file was written for a fixture the mock would refuse")
	}
	loadFixture(t, opts.Fixtures, res.Fixture) // it still loads as a file
	if s := res.String(); !strings.Contains(s, "the answer breaks the document (1 problem(s))") || !strings.Contains(s, "not served: validate refuses the fixture") || !strings.Contains(s, fmt.Sprintf(":%d: ", line)) {
		t.Errorf("the report is %q", s)
	}
}

func TestRecordBodies(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		wantWritten bool
		wantWhy     string
		wantText    string // in the file
	}{
		{"text", "text/csv; charset=utf-8", "id,n\n1,{{x}}\n", true, "", "  Content-Type: text/csv; charset=utf-8\nbody: |\n  id,n\n  1,{{\"{{\"}}x}}\n"},
		{"problem+json", "application/problem+json", `{"title":"gone"}`, true, "", "  Content-Type: application/problem+json\nbody:\n  title: gone\n"},
		{"no body", "", "", true, "", "status: 200\n"},
		{"JSON without a Content-Type", "", `[1,2]`, true, "", "body:\n  - 1\n  - 2\n"},
		{"not the JSON it says", "application/json", `{"a":`, false, `its body is not the JSON its Content-Type "application/json" says`, ""},
		{"text without a Content-Type", "", `hello`, false, "it has no Content-Type and its body is not JSON", ""},
		{"binary", "image/png", "\x89PNG\r\n\x1a\n\xff\xfe", false, "its image/png body is not text", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, opts := newRecorder(t, nil)
			a := getOrg("org_3", tt.body)
			a.Header = map[string][]string{}
			if tt.contentType != "" {
				a.Header["Content-Type"] = []string{tt.contentType}
			}
			res := mustRecord(t, r, a)
			if res.Written != tt.wantWritten || !strings.HasPrefix(res.Why, tt.wantWhy) {
				t.Fatalf("Record = %+v, want written %v, why %q", res, tt.wantWritten, tt.wantWhy)
			}
			if !tt.wantWritten {
				if _, err := os.Stat(res.File); err == nil {
					t.Errorf("%s was written", res.File)
				}
				return
			}
			if text := read(t, res.File); !strings.Contains(text, tt.wantText) {
				t.Errorf("the fixture does not contain %q:\n%s", tt.wantText, text)
			}
			out, err := loadFixture(t, opts.Fixtures, res.Fixture).Render(nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.body == "" && out.Body != nil || tt.body != "" && (tt.contentType == "" || strings.Contains(tt.contentType, "json")) && !reflect.DeepEqual(decoded(t, string(out.Body)), decoded(t, tt.body)) ||
				strings.HasPrefix(tt.contentType, "text/") && string(out.Body) != tt.body {
				t.Errorf("the fixture renders %q, want %q", out.Body, tt.body)
			}
		})
	}
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []Field
		wantErr string
	}{
		{"", []Field{{"path", "*"}}, ""},
		{"path", []Field{{"path", "*"}}, ""},
		{"none", []Field{}, ""},
		{"path.org_id, query.page,header.x-org ,body.device.id", []Field{{"path", "org_id"}, {"query", "page"}, {"header", "X-Org"}, {"body", "device.id"}}, ""},
		{"cookie.a", nil, `"cookie.a": want path, none, or a list`},
		{"query", nil, `"query": want path, none`},
		{"header.authorization", nil, "Authorization carries a credential"},
		{"header.Cookie", nil, "Cookie carries a credential"},
	}
	for _, tt := range tests {
		got, err := ParseKey(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseKey(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || !reflect.DeepEqual(got, tt.want)):
			t.Errorf("ParseKey(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestRecordKeys(t *testing.T) {
	key, _ := ParseKey("query.page,header.X-Org,body.device.id,query.absent")
	r, opts := newRecorder(t, func(o *Options) { o.Key = key })
	req := func(page, org, device string) *fixture.Request {
		return &fixture.Request{Method: "POST", Query: url.Values{"page": {page}}, Headers: fixture.Headers{"X-Org": {org}},
			Body: decoded(t, fmt.Sprintf(`{"device":{"id":%s}}`, device))}
	}
	a := func(rq *fixture.Request) Answer {
		return Answer{Time: recordedAt, Operation: "POST /v1/devices/{id}/verify", Method: "POST", Path: "/v1/devices/x/verify", Request: rq, Status: 201,
			Header: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte(`{"ok":true}`)}
	}
	one := mustRecord(t, r, a(req("2", "acme", "42")))
	if one.Fixture != "recorded/POST_v1_devices_id_verify/201_2_acme_42" {
		t.Errorf("fixture = %s, want the values in the name", one.Fixture)
	}
	unsafe := mustRecord(t, r, a(req("../../etc", "a/b", `"x y"`)))
	other := mustRecord(t, r, a(req("etc", "a_b", `"x_y"`)))
	if unsafe.Fixture == other.Fixture || !fixture.ValidName(unsafe.Fixture) || strings.Contains(unsafe.Fixture, "..") {
		t.Errorf("fixtures %s and %s: want distinct, valid names", unsafe.Fixture, other.Fixture)
	}
	set := loadScenario(t, opts)
	for _, tc := range []struct {
		req  *fixture.Request
		want string
	}{{req("2", "acme", "42"), one.Fixture}, {req("../../etc", "a/b", `"x y"`), unsafe.Fixture}, {req("2", "acme", "43"), ""}} {
		if got := served(t, set, "recorded", "POST /v1/devices/{id}/verify", tc.req); got != tc.want {
			t.Errorf("served %q for %v, want %q", got, tc.req, tc.want)
		}
	}
	sc := read(t, filepath.Join(opts.Scenarios, "recorded.yaml"))
	if !strings.Contains(sc, `- when: {query: {page: "2"}, headers: {X-Org: acme}, body: {device.id: "42"}}`) {
		t.Errorf("the scenario file does not hold the rule for the first answer:\n%s", sc)
	}
}

// A scenario written by hand keeps its comments and rules; recorded rules
// go before its rules for any request.
func TestRecordIntoAScenarioWrittenByHand(t *testing.T) {
	r, opts := newRecorder(t, nil)
	hand := "# My scenario.\nname: recorded\noperations:\n  getOrg:\n    - when: {path: {org_id: org_special}}\n      fixture: special # the VIP org\n    - upstream: true\n  other: x\n"
	if err := os.WriteFile(filepath.Join(opts.Scenarios, "recorded.yaml"), []byte(hand), 0o644); err != nil {
		t.Fatal(err)
	}
	res := mustRecord(t, r, getOrg("org_4", `{"data":{}}`))
	if res.Rule != RuleAdded {
		t.Fatalf("Record = %+v", res)
	}
	sc := read(t, filepath.Join(opts.Scenarios, "recorded.yaml"))
	want := "# My scenario.\nname: recorded\noperations:\n  getOrg:\n    - when: {path: {org_id: org_special}}\n      fixture: special # the VIP org\n" +
		"    - when: {path: {org_id: org_4}}\n      fixture: recorded/getOrg/200_org_4\n    - upstream: true\n  other: x\n"
	if sc != want {
		t.Errorf("the scenario file is\n%s\nwant\n%s", sc, want)
	}

	if err := os.WriteFile(filepath.Join(opts.Scenarios, "recorded.yaml"), []byte("name: recorded\nbogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Record(getOrg("org_5", `{}`)); err == nil || !strings.Contains(err.Error(), "does not load, so no rule is added to it") {
		t.Errorf("Record into a broken scenario file: %v, want an error saying so", err)
	}
}

func TestRecordConcurrently(t *testing.T) {
	r, opts := newRecorder(t, nil)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 20 {
		wg.Go(func() {
			<-start
			if _, err := r.Record(getOrg(fmt.Sprintf("org_%d", i), `{"data":{}}`)); err != nil {
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	set := loadScenario(t, opts)
	for i := range 20 {
		id := fmt.Sprintf("org_%d", i)
		if got := served(t, set, "recorded", "getOrg", &fixture.Request{Path: map[string]string{"org_id": id}}); got != "recorded/getOrg/200_"+id {
			t.Errorf("served %q for %s, want its recorded fixture", got, id)
		}
	}
}

func TestNewRefusesAnOutFolderOutsideTheFixtures(t *testing.T) {
	fx, sc := folders(t)
	if _, err := New(Options{Fixtures: fx, Out: filepath.Join(fx, "..", "elsewhere"), Scenarios: sc, Scenario: "recorded"}); err == nil {
		t.Error("New accepted an --out outside the fixtures folder")
	}
	r, err := New(Options{Fixtures: fx, Out: fx, Scenarios: sc, Scenario: "recorded"})
	if err != nil {
		t.Fatal(err)
	}
	if res := mustRecord(t, r, getOrg("org_6", `{}`)); res.Fixture != "getOrg/200_org_6" {
		t.Errorf("with --out the fixtures folder itself: %s, want getOrg/200_org_6", res.Fixture)
	}
}
