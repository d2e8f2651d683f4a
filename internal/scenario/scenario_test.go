package scenario

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/diag/diagtest"
	"github.com/arklow/arklow-mock/internal/fixture"
)

const testFile = "scenarios/s.yaml"

// mustParse reads src as testFile, failing the test on any diagnostic.
func mustParse(tb testing.TB, src string) *Scenario {
	tb.Helper()
	return mustParseFile(tb, testFile, src)
}

func mustParseFile(tb testing.TB, file, src string) *Scenario {
	tb.Helper()
	sc, diags := Parse(file, []byte(src))
	if len(diags) > 0 || sc == nil {
		tb.Fatalf("Parse(%q) = %v, %v; want a scenario and no diagnostics", src, sc, diags)
	}
	return sc
}

// parseErrors reads src, which must be rejected, and returns its diagnostics.
func parseErrors(tb testing.TB, src string) diag.List {
	tb.Helper()
	sc, diags := Parse(testFile, []byte(src))
	if sc != nil {
		tb.Fatalf("Parse(%q) returned a scenario; want it rejected", src)
	}
	if diags.Err() == nil {
		tb.Fatalf("Parse(%q) rejected the file without an error diagnostic: %v", src, diags)
	}
	return diags
}

// body decodes a JSON request body the way the server does (numbers as
// json.Number).
func body(tb testing.TB, js string) any {
	tb.Helper()
	d := json.NewDecoder(strings.NewReader(js))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		tb.Fatalf("bad test body %s: %v", js, err)
	}
	return v
}

// bodyReq is a request with a JSON body.
func bodyReq(tb testing.TB, js string) *fixture.Request {
	tb.Helper()
	return &fixture.Request{Method: "POST", Body: body(tb, js)}
}

// writeFile writes data at dir/name.
func writeFile(tb testing.TB, dir, name, data string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// newSet parses each source (named by its file) into a set.
func newSet(tb testing.TB, files map[string]string) *Set {
	tb.Helper()
	var scs []*Scenario
	for file, src := range files {
		scs = append(scs, mustParseFile(tb, file, src))
	}
	return NewSet(scs...)
}

// decide asks e for one decision and fails the test when there is none.
func decide(tb testing.TB, e *Engine, set *Set, name, op, session string, req *fixture.Request) Decision {
	tb.Helper()
	d, ok := e.Decide(set, name, op, session, req)
	if !ok {
		tb.Fatalf("Decide(%s, %s, session %q) found no rule", name, op, session)
	}
	return d
}

func TestParseRealisticScenario(t *testing.T) {
	t.Parallel()
	src := `name: realistic
description: >-
  Behaves like the real API:
  a backup code works once.
operations:
  post_v1_self_mfa_verify_totp_backup:
    - when: { body: { device_id: ["404", "4040"] } }
      fixture: mfa/backup/bad_device
    - when: { body: { code: "000000" } }
      fixture: mfa/backup/invalid_code
      delay: 150ms
    - sequence: [mfa/backup/valid_code, mfa/backup/reused_code]   # last one repeats
      key: "{{ .Request.Body.device_id }}/{{ .Request.Body.code }}"
      delay: { min: 100ms, max: 800ms }
  GET /v1/things/{id}: mfa/things/one
`
	sc := mustParseFile(t, "scenarios/realistic.yaml", src)
	if sc.Name != "realistic" || sc.File != "scenarios/realistic.yaml" || sc.Line != 1 {
		t.Errorf("Name, File, Line = %q, %q, %d; want realistic, scenarios/realistic.yaml, 1", sc.Name, sc.File, sc.Line)
	}
	if want := "Behaves like the real API: a backup code works once."; sc.Description != want {
		t.Errorf("Description = %q; want %q", sc.Description, want)
	}
	if want := []string{"post_v1_self_mfa_verify_totp_backup", "GET /v1/things/{id}"}; !slices.Equal(sc.Operations, want) {
		t.Errorf("Operations = %q; want %q (file order)", sc.Operations, want)
	}
	rules := sc.Rules("post_v1_self_mfa_verify_totp_backup")
	if len(rules) != 3 {
		t.Fatalf("got %d rules; want 3", len(rules))
	}
	tests := []struct {
		name         string
		rule         *Rule
		wantLine     int
		wantFixtures []string
		wantLines    []int
		wantDelay    Delay
		wantWhen     bool
		wantKey      bool
	}{
		{"a conditional fixture rule", rules[0], 7, []string{"mfa/backup/bad_device"}, []int{8}, Delay{}, true, false},
		{"a rule with a fixed delay", rules[1], 9, []string{"mfa/backup/invalid_code"}, []int{10}, Delay{150 * time.Millisecond, 150 * time.Millisecond}, true, false},
		{"a keyed sequence with a ranged delay", rules[2], 12, []string{"mfa/backup/valid_code", "mfa/backup/reused_code"}, []int{12, 12}, Delay{100 * time.Millisecond, 800 * time.Millisecond}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := tt.rule
			if r.File != "scenarios/realistic.yaml" || r.Line != tt.wantLine {
				t.Errorf("rule at %s:%d; want scenarios/realistic.yaml:%d", r.File, r.Line, tt.wantLine)
			}
			if !slices.Equal(r.Fixtures(), tt.wantFixtures) || !slices.Equal(r.FixtureLines, tt.wantLines) {
				t.Errorf("Fixtures, FixtureLines = %q, %v; want %q, %v", r.Fixtures(), r.FixtureLines, tt.wantFixtures, tt.wantLines)
			}
			if r.Delay != tt.wantDelay {
				t.Errorf("Delay = %+v; want %+v", r.Delay, tt.wantDelay)
			}
			if (r.When != nil) != tt.wantWhen || (r.key != nil) != tt.wantKey {
				t.Errorf("has when, key = %v, %v; want %v, %v", r.When != nil, r.key != nil, tt.wantWhen, tt.wantKey)
			}
			if r.Fault != FaultNone {
				t.Errorf("Fault = %q; want none", r.Fault)
			}
		})
	}
	t.Run("a bare fixture name is one unconditional rule", func(t *testing.T) {
		t.Parallel()
		rs := sc.Rules("GET /v1/things/{id}")
		if len(rs) != 1 {
			t.Fatalf("got %d rules; want 1", len(rs))
		}
		r := rs[0]
		if r.Fixture != "mfa/things/one" || r.When != nil || r.Sequence != nil || r.Line != 15 || !slices.Equal(r.FixtureLines, []int{15}) {
			t.Errorf("rule = %+v; want fixture mfa/things/one at line 15 with no when", r)
		}
	})
	t.Run("an operation the scenario does not mention has no rules", func(t *testing.T) {
		t.Parallel()
		if rs := sc.Rules("get_other"); rs != nil {
			t.Errorf("Rules(get_other) = %v; want nil", rs)
		}
	})
}

func TestParseName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		file     string
		src      string
		wantName string
		wantLine int
	}{
		{"the name defaults to the file's base name", "scenarios/bad-device.yaml", "\ndescription: d\n", "bad-device", 2},
		{"the name defaults without a .yml extension", "x/slow.yml", "operations: {}\n", "slow", 1},
		{"an explicit name that is the file's", "scenarios/other_1.x.yaml", "description: d\nname: other_1.x\n", "other_1.x", 2},
		{"a description alone is a scenario", "s.yaml", "description: '  padded  '\n", "s", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc := mustParseFile(t, tt.file, tt.src)
			if sc.Name != tt.wantName || sc.Line != tt.wantLine {
				t.Errorf("Name, Line = %q, %d; want %q, %d", sc.Name, sc.Line, tt.wantName, tt.wantLine)
			}
		})
	}
	t.Run("the description is trimmed", func(t *testing.T) {
		t.Parallel()
		sc := mustParse(t, "description: \"  padded \\n\"\n")
		if sc.Description != "padded" {
			t.Errorf("Description = %q; want %q", sc.Description, "padded")
		}
	})
}

func TestParseDelay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		delay string
		want  Delay
	}{
		{"a fixed delay in milliseconds", "300ms", Delay{300 * time.Millisecond, 300 * time.Millisecond}},
		{"a fixed delay in seconds", "2s", Delay{2 * time.Second, 2 * time.Second}},
		{"a zero delay", "0s", Delay{}},
		{"five minutes is the longest delay", "5m", Delay{5 * time.Minute, 5 * time.Minute}},
		{"a range", "{min: 100ms, max: 800ms}", Delay{100 * time.Millisecond, 800 * time.Millisecond}},
		{"a block range", "\n        min: 1s\n        max: 1.5s", Delay{time.Second, 1500 * time.Millisecond}},
		{"a range with only max starts at zero", "{max: 1s}", Delay{0, time.Second}},
		{"a range of one value", "{min: 1s, max: 1s}", Delay{time.Second, time.Second}},
		{"a range with only min is a fixed delay", "{min: 1s}", Delay{time.Second, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc := mustParse(t, "operations:\n  op:\n    - fixture: a\n      delay: "+tt.delay+"\n")
			if got := sc.Rules("op")[0].Delay; got != tt.want {
				t.Errorf("Delay = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestParseDelayErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		delay    string
		wantLine int
		wantMsg  string
	}{
		{"a negative delay", "-1s", 4, `delay "-1s" is not a duration like 300ms or 2s`},
		{"a negative minimum", "{min: -5ms, max: 1s}", 4, `delay "-5ms" is not a duration`},
		{"not a duration", "soon", 4, `delay "soon" is not a duration`},
		{"a number without a unit", "300", 4, `delay "300" is not a duration`},
		{"longer than five minutes", "5m1s", 4, "delay 5m1s is longer than the 5m0s maximum"},
		{"a maximum longer than five minutes", "\n        min: 1s\n        max: 1h", 6, "delay 1h0m0s is longer than the 5m0s maximum"},
		{"max below min", "\n        min: 2s\n        max: 1s", 5, "delay max 1s is below min 2s"},
		{"an unknown range key", "\n        min: 1s\n        avg: 2s\n        max: 3s", 6, `delay has min and max, not "avg"`},
		{"a list", "[1s, 2s]", 4, "delay is a duration (300ms) or {min: 100ms, max: 800ms}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			diags := parseErrors(t, "operations:\n  op:\n    - fixture: a\n      delay: "+tt.delay+"\n")
			diagtest.Want(t, diags, testFile, tt.wantLine, tt.wantMsg)
		})
	}
}

func TestParseFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		rule  string
		want  Fault
		wantF []string
	}{
		{"connection_reset", "fault: connection_reset", FaultConnectionReset, nil},
		{"empty_response", "fault: empty_response", FaultEmptyResponse, nil},
		{"timeout with a fixture", "{fault: timeout, fixture: a/b}", FaultTimeout, []string{"a/b"}},
		{"no fault", "fixture: a", FaultNone, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc := mustParse(t, "operations:\n  op:\n    - "+tt.rule+"\n")
			r := sc.Rules("op")[0]
			if r.Fault != tt.want || !slices.Equal(r.Fixtures(), tt.wantF) {
				t.Errorf("Fault, Fixtures = %q, %q; want %q, %q", r.Fault, r.Fixtures(), tt.want, tt.wantF)
			}
		})
	}
	t.Run("an unknown fault is an error at its value", func(t *testing.T) {
		t.Parallel()
		diags := parseErrors(t, "operations:\n  op:\n    - fixture: a\n      fault: explode\n")
		diagtest.Want(t, diags, testFile, 4, `fault "explode" is not one of connection_reset, empty_response, timeout`)
	})
}

func TestWhenMatch(t *testing.T) {
	t.Parallel()
	full := &fixture.Request{
		Method:  "POST",
		Path:    map[string]string{"id": "42", "empty": ""},
		Query:   url.Values{"page": {"2", "3"}, "sort": {"asc"}, "none": {}},
		Headers: fixture.Headers{"X-Client": {"web", "ios"}, "Accept-Language": {"fr-CA"}},
		Body: body(t, `{
			"device_id": "404", "code": 123, "price": 1.50, "big": 1e3,
			"valid": true, "off": false, "nothing": null, "empty": "",
			"device": {"id": "7", "owner": {"name": "Ada"}},
			"items": [{"sku": "A-1"}, {"sku": "B-2"}],
			"obj": {"k": "v"}, "dotted.key": "dk"
		}`),
	}
	tests := []struct {
		name string
		when string
		req  *fixture.Request
		want bool
	}{
		{"a body string matches exactly", `{body: {device_id: "404"}}`, full, true},
		{"a body string does not match another", `{body: {device_id: "405"}}`, full, false},
		{"an unquoted YAML number matches the string field as text", `{body: {device_id: 404}}`, full, true},
		{"a body number matches as written", `{body: {code: 123}}`, full, true},
		{"a body number matches a quoted value", `{body: {code: "123"}}`, full, true},
		{"a decimal keeps its trailing zero", `{body: {price: "1.50"}}`, full, true},
		{"a decimal written differently does not match", `{body: {price: 1.5}}`, full, false},
		{"an exponent matches as written", `{body: {big: 1e3}}`, full, true},
		{"an exponent does not match its value", `{body: {big: 1000}}`, full, false},
		{"a boolean matches true", `{body: {valid: true}}`, full, true},
		{"a boolean matches false", `{body: {off: false}}`, full, true},
		{"a boolean does not match the other", `{body: {valid: false}}`, full, false},
		{"null matches a JSON null", `{body: {nothing: null}}`, full, true},
		{"null does not match a missing field", `{body: {absent: null}}`, full, false},
		{"an empty string matches an empty field", `{body: {empty: ""}}`, full, true},
		{"an empty string does not match a missing field", `{body: {absent: ""}}`, full, false},
		{"a missing field does not match", `{body: {absent: x}}`, full, false},
		{"nested mappings follow the body", `{body: {device: {id: "7", owner: {name: Ada}}}}`, full, true},
		{"nested mappings fail on a wrong leaf", `{body: {device: {owner: {name: Bob}}}}`, full, false},
		{"a dotted path follows the body", `{body: {device.owner.name: Ada}}`, full, true},
		{"a dotted path indexes lists", `{body: {items.1.sku: B-2}}`, full, true},
		{"a dotted path index out of range does not match", `{body: {items.2.sku: B-2}}`, full, false},
		{"a dotted path with a non-numeric index does not match", `{body: {items.x.sku: B-2}}`, full, false},
		{"a dotted path through a string does not match", `{body: {device_id.x: "404"}}`, full, false},
		{"an object is never equal to a scalar", `{body: {obj: "map[k:v]"}}`, full, false},
		{"a list is any of its values", `{body: {device_id: ["4040", "404", "999"]}}`, full, true},
		{"a list with no equal value does not match", `{body: {device_id: ["4040", "999"]}}`, full, false},
		{"a list of numbers is compared as text", `{body: {code: [122, 123]}}`, full, true},
		{"regex: matches by regular expression", `{body: {device_id: "regex:^4\\d+$"}}`, full, true},
		{"regex: that does not match", `{body: {device_id: "regex:^5"}}`, full, false},
		{"regex: is unanchored", `{body: {device_id: "regex:0"}}`, full, true},
		{"regex: sees numbers as text", `{body: {code: "regex:^12"}}`, full, true},
		{"regex: does not match a missing field", `{body: {absent: "regex:.*"}}`, full, false},
		{"a list may mix values and regex:", `{body: {device_id: ["7", "regex:^40"]}}`, full, true},
		{"a request without a body does not match a body condition", `{body: {device_id: "404"}}`, &fixture.Request{}, false},
		{"a query parameter matches its first value", `{query: {page: "2"}}`, full, true},
		{"a query parameter's later values do not count", `{query: {page: "3"}}`, full, false},
		{"a query parameter as a list", `{query: {sort: [desc, asc]}}`, full, true},
		{"a query regex", `{query: {sort: "regex:^a"}}`, full, true},
		{"a missing query parameter does not match", `{query: {limit: "10"}}`, full, false},
		{"a query parameter without values does not match", `{query: {none: ""}}`, full, false},
		{"query names are case-sensitive", `{query: {Page: "2"}}`, full, false},
		{"a header matches its first value", `{headers: {X-Client: web}}`, full, true},
		{"a header name in lower case matches", `{headers: {x-client: web}}`, full, true},
		{"a header name in upper case matches", `{headers: {ACCEPT-LANGUAGE: "regex:^fr"}}`, full, true},
		{"a header's later values do not count", `{headers: {x-client: ios}}`, full, false},
		{"header values are case-sensitive", `{headers: {x-client: WEB}}`, full, false},
		{"a missing header does not match", `{headers: {x-trace: abc}}`, full, false},
		{"a path parameter", `{path: {id: "42"}}`, full, true},
		{"a path parameter as a number", `{path: {id: 42}}`, full, true},
		{"a different path parameter", `{path: {id: "43"}}`, full, false},
		{"an empty path parameter", `{path: {empty: ""}}`, full, true},
		{"a missing path parameter", `{path: {other: "42"}}`, full, false},
		{"every condition must hold", `{body: {device_id: "404"}, query: {sort: asc}, headers: {x-client: web}, path: {id: "42"}}`, full, true},
		{"one failing condition fails the rule", `{body: {device_id: "404"}, query: {sort: asc}, headers: {x-client: web}, path: {id: "41"}}`, full, false},
		{"every body field must hold", `{body: {device_id: "404", code: 124}}`, full, false},
		{"an empty when matches anything", `{}`, &fixture.Request{}, true},
		{"empty sections match anything", `{body: {}, query: {}, headers: {}, path: {}}`, &fixture.Request{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc := mustParse(t, "operations:\n  op:\n    - when: "+tt.when+"\n      fixture: a\n")
			w := sc.Rules("op")[0].When
			if w == nil {
				t.Fatal("rule has no When")
			}
			if got := w.Match(tt.req); got != tt.want {
				t.Errorf("Match = %v; want %v", got, tt.want)
			}
		})
	}
	t.Run("a dotted key written in a nested mapping", func(t *testing.T) {
		t.Parallel()
		// Nested mappings and dots build the same path.
		sc := mustParse(t, "operations:\n  op:\n    - when:\n        body:\n          device:\n            owner.name: Ada\n      fixture: a\n")
		if !sc.Rules("op")[0].When.Match(full) {
			t.Error("device: {owner.name: Ada} did not match")
		}
	})
	t.Run("a rule without when matches anything", func(t *testing.T) {
		t.Parallel()
		var w *When
		if !w.Match(&fixture.Request{}) {
			t.Error("a nil When did not match")
		}
	})
	t.Run("a float64 body number matches its shortest text", func(t *testing.T) {
		t.Parallel()
		sc := mustParse(t, "operations:\n  op:\n    - when: {body: {n: 1.5, m: 100}}\n      fixture: a\n")
		if !sc.Rules("op")[0].When.Match(&fixture.Request{Body: map[string]any{"n": 1.5, "m": float64(100)}}) {
			t.Error("float64 body values did not match 1.5 and 100")
		}
	})
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		src      string
		wantLine int
		wantMsg  string
	}{
		{"a YAML syntax error", "name: x\noperations:\n  op: a: b\n", 3, "mapping values are not allowed in this context"},
		{"an unterminated string", "name: x\ndescription: \"open\n", 2, "found unexpected end of stream"},
		// YAML syntax errors of every kind name the line they are on.
		{"an unterminated flow sequence", "name: x\noperations:\n  op:\n    - sequence: [a, b\n", 4, "invalid YAML: did not find expected ',' or ']'"},
		{"an unterminated flow mapping", "name: x\noperations:\n  op:\n    - when: {body: {a: b}\n      fixture: a\n", 4, "invalid YAML: did not find expected ',' or '}'"},
		{"a rule key indented too little", "name: x\noperations:\n  op:\n    - fixture: a\n     delay: 1s\n", 5, "invalid YAML: did not find expected '-' indicator"},
		{"a tab-indented key", "name: x\noperations:\n\top: a\n", 3, "invalid YAML: found character that cannot start any token"},
		{"an unterminated name on line 1", "name: \"x\ndescription: y\n", 1, "invalid YAML: found unexpected end of stream"},
		{"a file that is a list", "- name: x\n", 1, "a scenario is a mapping with name, description and operations"},
		{"an empty file", "", 1, "a scenario is a mapping"},
		{"an unknown top-level key", "name: x\n\nrules: {}\n", 3, `unknown key "rules" (a scenario has name, description and operations)`},
		{"a name with a space", "name: bad name\n", 1, `scenario name "bad name" must be letters, digits, '.', '_' or '-'`},
		{"a name with a slash", "\nname: a/b\n", 2, `scenario name "a/b"`},
		{"a name starting with a dot", "name: .hidden\n", 1, `scenario name ".hidden"`},
		{"operations that are a list", "operations:\n  - op\n", 2, "operations must map operation ids"},
		{"an operation listed twice", "operations:\n  op: a\n  other: b\n  op: c\n", 4, `key "op" is already defined at line 2`},
		{"a rule key given twice", "name: x\noperations:\n  op:\n    - fixture: a\n      fixture: b\n", 5, `key "fixture" is already defined at line 4`},
		{"rules that are a mapping", "operations:\n  op:\n    fixture: a\n", 3, "an operation's rules must be a list (or a single fixture name)"},
		{"a rule that is a list", "operations:\n  op:\n    - [a]\n", 3, "a rule is a mapping with fixture, sequence or upstream"},
		{"an unknown rule key", "operations:\n  op:\n    - fixture: a\n      status: 200\n", 4, `unknown rule key "status" (use when, fixture, sequence, upstream, key, delay, fault)`},
		{"a fixture name that goes up", "operations:\n  op:\n    - fixture: ../secret\n", 3, `"../secret" is not a fixture name`},
		{"an absolute fixture name", "operations:\n  op:\n    - fixture: /etc/passwd\n", 3, `"/etc/passwd" is not a fixture name`},
		{"a fixture name that climbs out through a folder", "operations:\n  op:\n\n    - fixture: a/../../b\n", 4, `"a/../../b" is not a fixture name`},
		{"a fixture name with a backslash", "operations:\n  op:\n    - fixture: 'a\\b'\n", 3, `is not a fixture name`},
		{"an empty fixture name", "operations:\n  op:\n    - fixture: ''\n", 3, `"" is not a fixture name`},
		{"a bare fixture name that goes up", "operations:\n  op: ../x\n", 2, `"../x" is not a fixture name`},
		{"a fixture that is a list", "operations:\n  op:\n    - fixture: [a]\n", 3, `is not a fixture name`},
		{"a sequence entry that goes up", "operations:\n  op:\n    - sequence:\n        - a\n        - ../b\n", 5, `"../b" is not a fixture name`},
		{"an empty sequence", "operations:\n  op:\n    - sequence: []\n", 3, "sequence must be a non-empty list of fixture names"},
		{"a sequence that is a name", "operations:\n  op:\n    - sequence: a\n", 3, "sequence must be a non-empty list"},
		{"both fixture and sequence", "operations:\n  op:\n    - fixture: a\n      sequence: [b, c]\n", 3, "a rule has either fixture or sequence, not both"},
		{"neither fixture nor sequence", "operations:\n  op:\n    - fixture: a\n    - when: {body: {a: b}}\n      delay: 1s\n", 4, "a rule needs a fixture, a sequence, a fault or upstream: true"},
		{"upstream with a fixture", "operations:\n  op:\n    - fixture: a\n      upstream: true\n", 3, "a rule answers from a fixture or forwards to the upstream, not both"},
		{"upstream with a fault", "operations:\n  op:\n    - upstream: true\n      fault: timeout\n", 3, "a rule forwards to the upstream or simulates a fault, not both"},
		{"upstream false", "operations:\n  op:\n    - upstream: false\n", 3, "upstream takes true"},
		{"upstream that is a string", "operations:\n  op:\n    - upstream: \"yes\"\n", 3, "upstream takes true"},
		{"a key without a sequence", "operations:\n  op:\n    - fixture: a\n      key: x\n", 4, "key only applies to a sequence"},
		{"a key that is not a template", "operations:\n  op:\n    - sequence: [a]\n      key: '{{ .Request.Body.x'\n", 4, "key: "},
		{"a key using a function", "operations:\n  op:\n    - sequence: [a]\n      key: '{{ uuid }}'\n", 4, `function "uuid" not defined`},
		{"a bad regex", "operations:\n  op:\n    - when:\n        body:\n          code: 'regex:(['\n      fixture: a\n", 5, `invalid regex "(["`},
		{"a bad regex in a header", "operations:\n  op:\n    - when: {headers: {x-a: 'regex:*'}}\n      fixture: a\n", 3, `invalid regex "*"`},
		{"when that is a list", "operations:\n  op:\n    - when: [a]\n      fixture: a\n", 3, "when must be a mapping with body, query, headers or path"},
		{"when.body that is a string", "operations:\n  op:\n    - when: {body: x}\n      fixture: a\n", 3, "when.body must be a mapping of names to values"},
		{"an unknown when section", "operations:\n  op:\n    - when:\n        cookies: {a: b}\n      fixture: a\n", 4, `when can match body, query, headers or path, not "cookies"`},
		{"a query value that is a mapping", "operations:\n  op:\n    - when:\n        query:\n          a: {b: c}\n      fixture: a\n", 5, "a value to match is a scalar, a list of scalars"},
		{"a list holding a mapping", "operations:\n  op:\n    - when:\n        body:\n          a:\n            - x\n            - {b: c}\n      fixture: a\n", 7, "a list of values to match must hold scalars"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			diags := parseErrors(t, tt.src)
			diagtest.Want(t, diags, testFile, tt.wantLine, tt.wantMsg)
			if err := diags.Err(); !strings.Contains(err.Error(), fmt.Sprintf("%s:%d: ", testFile, tt.wantLine)) {
				t.Errorf("Err() = %q; want it to name %s:%d", err, testFile, tt.wantLine)
			}
		})
	}
}

func TestYAMLErrorNamesTheLineOnce(t *testing.T) {
	t.Parallel()
	diags := parseErrors(t, "name: x\noperations:\n  op: a: b\n")
	diagtest.Want(t, diags, testFile, 3, "invalid YAML: mapping values are not allowed in this context")
}

func TestParseReportsEveryProblem(t *testing.T) {
	t.Parallel()
	src := `name: ok
operations:
  op:
    - fixture: ../a
    - sequence: [b]
      fault: boom
    - fixture: c
      delay: 10m
extra: 1
`
	diags := parseErrors(t, src)
	diagtest.Want(t, diags, testFile, 4, `"../a" is not a fixture name`)
	diagtest.Want(t, diags, testFile, 6, `fault "boom"`)
	diagtest.Want(t, diags, testFile, 8, "longer than the 5m0s maximum")
	diagtest.Want(t, diags, testFile, 9, `unknown key "extra"`)
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "default.yaml", "description: happy\noperations:\n  op: ok\n")
	writeFile(t, dir, "reused-code.yml", "operations:\n  op: [reused]\n")
	writeFile(t, dir, "named.yaml", "name: named\n")
	writeFile(t, dir, "Upper.YAML", "operations: {}\n")
	writeFile(t, dir, "notes.txt", "not: [a scenario")
	writeFile(t, dir, "sub/nested.yaml", "name: nested\n")
	set, diags := Load(dir)
	if len(diags) > 0 {
		t.Fatalf("Load: %v", diags)
	}
	if want := []string{"Upper", "default", "named", "reused-code"}; !slices.Equal(set.Names(), want) {
		t.Errorf("Names() = %q; want %q (sorted; sub-folders and other files ignored)", set.Names(), want)
	}
	sc, ok := set.Get("default")
	if !ok || sc.Description != "happy" || sc.File != filepath.Join(dir, "default.yaml") {
		t.Errorf("Get(default) = %+v, %v; want the scenario from default.yaml", sc, ok)
	}
	if _, ok := set.Get("nested"); ok {
		t.Error("Get(nested) found a scenario from a sub-folder")
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	t.Run("two files of the same name", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		first := writeFile(t, dir, "same.yaml", "name: same\ndescription: first\n")
		second := writeFile(t, dir, "same.yml", "description: second\n\nname: same\n")
		set, diags := Load(dir)
		diagtest.Want(t, diags, second, 3, `scenario "same" is also defined in `+first)
		if sc, _ := set.Get("same"); sc == nil || sc.Description != "first" {
			t.Errorf("Get(same) = %+v; want the first file's scenario", sc)
		}
		if want := []string{"same"}; !slices.Equal(set.Names(), want) {
			t.Errorf("Names() = %q; want %q", set.Names(), want)
		}
	})
	t.Run("x.yaml and x.yml default to the same name", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		first := writeFile(t, dir, "x.yaml", "description: a\n")
		second := writeFile(t, dir, "x.yml", "description: b\n")
		_, diags := Load(dir)
		diagtest.Want(t, diags, second, 1, `scenario "x" is also defined in `+first)
	})
	t.Run("a name field that differs from the file's name", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		bad := writeFile(t, dir, "locked-account.yaml", "description: d\nname: locked\n")
		set, diags := Load(dir)
		diagtest.Want(t, diags, bad, 2, `scenario name "locked" differs from its file name locked-account.yaml: name the file locked.yaml, or leave name out`)
		if len(set.Names()) != 0 {
			t.Errorf("Names() = %q; want none", set.Names())
		}
	})
	t.Run("a bad file is reported and the others still load", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, dir, "good.yaml", "operations:\n  op: a\n")
		bad := writeFile(t, dir, "bad.yaml", "operations:\n  op:\n    - fixture: a\n      when: {body: {a: 'regex:('}}\n")
		set, diags := Load(dir)
		diagtest.Want(t, diags, bad, 4, "invalid regex")
		if want := []string{"good"}; !slices.Equal(set.Names(), want) {
			t.Errorf("Names() = %q; want %q", set.Names(), want)
		}
	})
	t.Run("a missing folder is one diagnostic naming it", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "nope")
		set, diags := Load(dir)
		diagtest.Want(t, diags, dir, 0, "no such file or directory")
		if set == nil || len(set.Names()) != 0 {
			t.Errorf("set = %v; want an empty set", set)
		}
	})
}

func TestLoadShippedScenarios(t *testing.T) {
	t.Parallel()
	set, diags := Load(filepath.Join("..", "..", "scenarios"))
	if errs := diags.Errors(); len(errs) > 0 {
		t.Fatalf("the repository's scenarios/ do not load:\n%v", errs)
	}
	for _, name := range []string{"default", "realistic"} {
		if _, ok := set.Get(name); !ok {
			t.Errorf("scenario %q is missing from scenarios/ (have %q)", name, set.Names())
		}
	}
}

// realisticSet is the shipped realistic scenario beside a default.
func realisticSet(tb testing.TB) *Set {
	tb.Helper()
	return newSet(tb, map[string]string{
		"scenarios/default.yaml": `operations:
  verify:
    - fixture: valid
  list: listed
`,
		"scenarios/realistic.yaml": `operations:
  verify:
    - when: { body: { device_id: ["404", "4040"] } }
      fixture: bad_device
    - when: { body: { code: "000000" } }
      fixture: invalid_code
    - sequence: [valid, reused]
      key: "{{ .Request.Body.device_id }}/{{ .Request.Body.code }}"
`,
		"scenarios/picky.yaml": `operations:
  verify:
    - when: { headers: { x-client: web } }
      fixture: web_only
      delay: 300ms
      fault: timeout
`,
		"scenarios/other.yaml": `operations:
  unlisted: x
`,
	})
}

func TestDecide(t *testing.T) {
	t.Parallel()
	set := realisticSet(t)
	tests := []struct {
		name      string
		scenario  string
		op        string
		req       *fixture.Request
		want      Decision
		wantFound bool
	}{
		{"the first matching rule wins", "realistic", "verify", bodyReq(t, `{"device_id": "404", "code": "000000"}`), Decision{Scenario: "realistic", Fixture: "bad_device"}, true},
		{"a later rule answers when the first does not match", "realistic", "verify", bodyReq(t, `{"device_id": "1", "code": "000000"}`), Decision{Scenario: "realistic", Fixture: "invalid_code"}, true},
		{"any value of a list matches", "realistic", "verify", bodyReq(t, `{"device_id": "4040", "code": "000000"}`), Decision{Scenario: "realistic", Fixture: "bad_device"}, true},
		{"a rule's delay and fault are part of the decision", "picky", "verify", &fixture.Request{Headers: fixture.Headers{"X-Client": {"web"}}}, Decision{Scenario: "picky", Fixture: "web_only", Delay: 300 * time.Millisecond, Fault: FaultTimeout}, true},
		{"no matching rule falls back to default", "picky", "verify", &fixture.Request{}, Decision{Scenario: "default", Fixture: "valid"}, true},
		{"an operation the scenario does not mention falls back to default", "realistic", "list", &fixture.Request{}, Decision{Scenario: "default", Fixture: "listed"}, true},
		{"default answers for itself", "default", "verify", &fixture.Request{}, Decision{Scenario: "default", Fixture: "valid"}, true},
		{"a scenario not in the set falls back to default", "gone", "list", &fixture.Request{}, Decision{Scenario: "default", Fixture: "listed"}, true},
		{"an operation only one scenario mentions", "other", "unlisted", &fixture.Request{}, Decision{Scenario: "other", Fixture: "x"}, true},
		{"no rule anywhere lets the spec answer", "realistic", "unknown_op", &fixture.Request{}, Decision{Scenario: "realistic"}, false},
		{"no rule in default itself lets the spec answer", "default", "unlisted", &fixture.Request{}, Decision{Scenario: "default"}, false},
		{"a scenario's rule is not used by another scenario", "picky", "unlisted", &fixture.Request{}, Decision{Scenario: "picky"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := NewEngine(Options{Int64N: func(int64) int64 { t.Error("Int64N called for a fixed delay"); return 0 }})
			got, ok := e.Decide(set, tt.scenario, tt.op, "", tt.req)
			if ok != tt.wantFound || got != tt.want {
				t.Errorf("Decide = %+v, %v; want %+v, %v", got, ok, tt.want, tt.wantFound)
			}
		})
	}
}

func TestDecideWithoutDefault(t *testing.T) {
	t.Parallel()
	set := newSet(t, map[string]string{"scenarios/only.yaml": "operations:\n  a: x\n"})
	e := NewEngine(Options{})
	if d, ok := e.Decide(set, "only", "b", "", &fixture.Request{}); ok || d != (Decision{Scenario: "only"}) {
		t.Errorf("Decide = %+v, %v; want {Scenario: only}, false with no default scenario", d, ok)
	}
	if d := decide(t, e, set, "only", "a", "", &fixture.Request{}); d.Fixture != "x" {
		t.Errorf("Decide = %+v; want fixture x", d)
	}
	if _, ok := e.Decide(NewSet(), "default", "a", "", &fixture.Request{}); ok {
		t.Error("an empty set decided an answer")
	}
}

func TestSequences(t *testing.T) {
	t.Parallel()
	set := realisticSet(t)
	type step struct {
		session string
		body    string
		want    string
	}
	tests := []struct {
		name  string
		steps []step
		reset int // reset the engine before this step (index+1; 0 = never)
	}{
		{
			name: "a sequence advances and its last entry repeats",
			steps: []step{
				{"", `{"device_id": "1", "code": "111111"}`, "valid"},
				{"", `{"device_id": "1", "code": "111111"}`, "reused"},
				{"", `{"device_id": "1", "code": "111111"}`, "reused"},
				{"", `{"device_id": "1", "code": "111111"}`, "reused"},
			},
		},
		{
			name: "each key has its own position",
			steps: []step{
				{"", `{"device_id": "1", "code": "111111"}`, "valid"},
				{"", `{"device_id": "1", "code": "222222"}`, "valid"},
				{"", `{"device_id": "2", "code": "111111"}`, "valid"},
				{"", `{"device_id": "1", "code": "111111"}`, "reused"},
				{"", `{"device_id": "1", "code": "222222"}`, "reused"},
			},
		},
		{
			name: "separate sessions keep separate positions",
			steps: []step{
				{"worker-1", `{"device_id": "1", "code": "111111"}`, "valid"},
				{"worker-2", `{"device_id": "1", "code": "111111"}`, "valid"},
				{"worker-1", `{"device_id": "1", "code": "111111"}`, "reused"},
				{"", `{"device_id": "1", "code": "111111"}`, "valid"},
				{"worker-2", `{"device_id": "1", "code": "111111"}`, "reused"},
			},
		},
		{
			name: "requests matched by an earlier rule do not advance the sequence",
			steps: []step{
				{"", `{"device_id": "404", "code": "111111"}`, "bad_device"},
				{"", `{"device_id": "404", "code": "111111"}`, "bad_device"},
				{"", `{"device_id": "5", "code": "111111"}`, "valid"},
			},
		},
		{
			name: "Reset starts every sequence again",
			steps: []step{
				{"s", `{"device_id": "1", "code": "111111"}`, "valid"},
				{"", `{"device_id": "1", "code": "111111"}`, "valid"},
				{"s", `{"device_id": "1", "code": "111111"}`, "valid"},
				{"", `{"device_id": "1", "code": "111111"}`, "valid"},
				{"s", `{"device_id": "1", "code": "111111"}`, "reused"},
			},
			reset: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := NewEngine(Options{})
			for i, s := range tt.steps {
				if tt.reset == i+1 {
					e.Reset()
				}
				d := decide(t, e, set, "realistic", "verify", s.session, bodyReq(t, s.body))
				if d.Fixture != s.want || d.Scenario != "realistic" {
					t.Errorf("step %d (session %q, body %s) = %+v; want fixture %s from realistic", i+1, s.session, s.body, d, s.want)
				}
			}
		})
	}
}

func TestSequenceScope(t *testing.T) {
	t.Parallel()
	set := newSet(t, map[string]string{
		"scenarios/default.yaml": "operations:\n  a:\n    - sequence: [one, two]\n  b:\n    - sequence: [one, two]\n",
		"scenarios/twin.yaml":    "operations:\n  a:\n    - when: {query: {v: x}}\n      sequence: [one, two]\n    - sequence: [one, two]\n",
	})
	e := NewEngine(Options{})
	x := &fixture.Request{Query: url.Values{"v": {"x"}}}
	steps := []struct {
		name, scenario, op string
		req                *fixture.Request
		want               Decision
	}{
		{"an unkeyed sequence is shared by all requests", "default", "a", &fixture.Request{}, Decision{Scenario: "default", Fixture: "one"}},
		{"the same sequence then advances", "default", "a", x, Decision{Scenario: "default", Fixture: "two"}},
		{"another operation has its own sequence", "default", "b", &fixture.Request{}, Decision{Scenario: "default", Fixture: "one"}},
		{"another scenario has its own sequence", "twin", "a", x, Decision{Scenario: "twin", Fixture: "one"}},
		{"another rule of the same operation has its own sequence", "twin", "a", &fixture.Request{}, Decision{Scenario: "twin", Fixture: "one"}},
		{"the first rule's sequence is where it was", "twin", "a", x, Decision{Scenario: "twin", Fixture: "two"}},
		{"a fallback to default uses default's sequence", "nothing", "b", &fixture.Request{}, Decision{Scenario: "default", Fixture: "two"}},
	}
	for i, s := range steps {
		if d := decide(t, e, set, s.scenario, s.op, "", s.req); d != s.want {
			t.Errorf("step %d, %s: Decide = %+v; want %+v", i+1, s.name, d, s.want)
		}
	}
}

func TestRangedDelay(t *testing.T) {
	t.Parallel()
	set := newSet(t, map[string]string{
		"scenarios/default.yaml": `operations:
  ranged:
    - fixture: a
      delay: {min: 100ms, max: 800ms}
  from-zero:
    - fixture: a
      delay: {max: 2ns}
  fixed:
    - fixture: a
      delay: 250ms
  one-value:
    - fixture: a
      delay: {min: 1s, max: 1s}
`,
	})
	tests := []struct {
		name    string
		op      string
		random  int64
		wantN   int64 // argument Int64N must see; 0 = must not be called
		wantDel time.Duration
	}{
		{"the smallest draw is min", "ranged", 0, int64(700*time.Millisecond) + 1, 100 * time.Millisecond},
		{"the largest draw is max", "ranged", int64(700 * time.Millisecond), int64(700*time.Millisecond) + 1, 800 * time.Millisecond},
		{"a draw in between is added to min", "ranged", 123456789, int64(700*time.Millisecond) + 1, 100*time.Millisecond + 123456789},
		{"a range from zero", "from-zero", 1, 3, 1},
		{"a fixed delay draws nothing", "fixed", 99, 0, 250 * time.Millisecond},
		{"a range of one value draws nothing", "one-value", 99, 0, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls []int64
			var mu sync.Mutex
			e := NewEngine(Options{Int64N: func(n int64) int64 {
				mu.Lock()
				defer mu.Unlock()
				calls = append(calls, n)
				return tt.random
			}})
			d := decide(t, e, set, "default", tt.op, "", &fixture.Request{})
			if d.Delay != tt.wantDel {
				t.Errorf("Delay = %v; want %v", d.Delay, tt.wantDel)
			}
			var want []int64
			if tt.wantN != 0 {
				want = []int64{tt.wantN}
			}
			if !slices.Equal(calls, want) {
				t.Errorf("Int64N calls = %v; want %v", calls, want)
			}
		})
	}
	t.Run("the default random source stays within the range", func(t *testing.T) {
		t.Parallel()
		e := NewEngine(Options{})
		seen := map[time.Duration]bool{}
		for range 200 {
			d := decide(t, e, set, "default", "ranged", "", &fixture.Request{})
			if d.Delay < 100*time.Millisecond || d.Delay > 800*time.Millisecond {
				t.Fatalf("Delay = %v; want within [100ms, 800ms]", d.Delay)
			}
			seen[d.Delay] = true
		}
		if len(seen) < 2 {
			t.Errorf("200 ranged delays were all %v; want them drawn at random", seen)
		}
	})
}

func TestConcurrentSequence(t *testing.T) {
	t.Parallel()
	set := realisticSet(t)
	e := NewEngine(Options{})
	const n = 50
	start := make(chan struct{})
	results := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := &fixture.Request{Body: map[string]any{"device_id": "7", "code": "123456"}}
			<-start
			d, ok := e.Decide(set, "realistic", "verify", "", req)
			if !ok {
				t.Error("Decide found no rule")
			}
			results[i] = d.Fixture
		}()
	}
	close(start)
	wg.Wait()
	counts := map[string]int{}
	for _, f := range results {
		counts[f]++
	}
	if want := map[string]int{"valid": 1, "reused": n - 1}; !reflect.DeepEqual(counts, want) {
		t.Errorf("fixtures served = %v; want %v (exactly one request gets the first entry)", counts, want)
	}
}

func TestConcurrentSessionsAndReset(t *testing.T) {
	t.Parallel()
	set := realisticSet(t)
	e := NewEngine(Options{})
	const sessions = 20
	start := make(chan struct{})
	var mu sync.Mutex // guards firsts
	firsts := make([]int, sessions)
	var wg sync.WaitGroup
	for i := range sessions {
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := &fixture.Request{Body: map[string]any{"device_id": "1", "code": "1"}}
				<-start
				d, ok := e.Decide(set, "realistic", "verify", fmt.Sprint("s", i), req)
				if !ok {
					t.Error("Decide found no rule")
				}
				if d.Fixture == "valid" {
					mu.Lock()
					firsts[i]++
					mu.Unlock()
				}
			}()
		}
	}
	close(start)
	wg.Wait()
	for i, n := range firsts {
		if n != 1 {
			t.Errorf("session s%d got the first entry %d times; want once", i, n)
		}
	}
	// Reset racing with decisions must be safe; afterwards every session starts over.
	var wg2 sync.WaitGroup
	for range 10 {
		wg2.Add(2)
		go func() { defer wg2.Done(); e.Reset() }()
		go func() {
			defer wg2.Done()
			if _, ok := e.Decide(set, "realistic", "verify", "other", &fixture.Request{Body: map[string]any{"device_id": "2"}}); !ok {
				t.Error("Decide found no rule")
			}
		}()
	}
	wg2.Wait()
	e.Reset()
	if d := decide(t, e, set, "realistic", "verify", "s0", bodyReq(t, `{"device_id": "1", "code": "1"}`)); d.Fixture != "valid" {
		t.Errorf("after Reset, Decide = %+v; want the first entry again", d)
	}
}

func TestResolveOperations(t *testing.T) {
	t.Parallel()
	set := newSet(t, map[string]string{
		"scenarios/default.yaml": `operations:
  verify_backup:
    - fixture: by_id
  POST /v1/verify:
    - fixture: by_path
  list_things:
    - fixture: listed
`,
		"scenarios/broken.yaml": `name: broken
operations:
  verify_backup: ok

  no_such_op:
    - fixture: a
  GET /nowhere:
    - when: {query: {a: b}}
      fixture: b
`,
	})
	known := map[string]string{
		"verify_backup":   "POST /v1/verify",
		"POST /v1/verify": "POST /v1/verify",
		"list_things":     "GET /v1/things",
	}
	diags := set.ResolveOperations(func(key string) (string, bool) {
		canon, ok := known[key]
		return canon, ok
	})
	if n := len(diags.Errors()); n != 2 {
		t.Errorf("got %d errors; want 2:\n%v", n, diags)
	}
	diagtest.Want(t, diags, "scenarios/broken.yaml", 5, `scenario broken: unknown operation "no_such_op" (use an operationId or "METHOD /path" from the spec)`)
	diagtest.Want(t, diags, "scenarios/broken.yaml", 7, `unknown operation "GET /nowhere"`)

	def, _ := set.Get("default")
	if got := def.Rules("POST /v1/verify"); len(got) != 2 || got[0].Fixture != "by_id" || got[1].Fixture != "by_path" {
		t.Errorf("Rules(POST /v1/verify) = %v; want by_id then by_path (both keys, in file order)", got)
	}
	if got := def.Rules("verify_backup"); got != nil {
		t.Errorf("Rules(verify_backup) = %v; want nil after resolving to the canonical key", got)
	}
	if want := []string{"verify_backup", "POST /v1/verify", "list_things"}; !slices.Equal(def.Operations, want) {
		t.Errorf("Operations = %q; want the keys as written, %q", def.Operations, want)
	}
	e := NewEngine(Options{})
	if d := decide(t, e, set, "default", "GET /v1/things", "", &fixture.Request{}); d.Fixture != "listed" {
		t.Errorf("Decide(GET /v1/things) = %+v; want listed", d)
	}
	if d := decide(t, e, set, "broken", "POST /v1/verify", "", &fixture.Request{}); d != (Decision{Scenario: "broken", Fixture: "ok"}) {
		t.Errorf("Decide(broken, POST /v1/verify) = %+v; want ok from broken", d)
	}
	if d, ok := e.Decide(set, "broken", "no_such_op", "", &fixture.Request{}); ok {
		t.Errorf("an unknown operation kept its rules: %+v", d)
	}
}

func TestResolveOperationsLineOfEveryForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
	}{
		{"a bare fixture name", "name: s\noperations:\n  nope: some/fixture\n"},
		{"a flow list", "name: s\noperations:\n  nope: [a]\n"},
		{"a flow rule list", "name: s\noperations:\n  nope: [{fixture: a}]\n"},
		{"a comment before the rules", "name: s\noperations:\n  nope:\n    # why\n    - fixture: a\n"},
		{"an empty rule list", "name: s\noperations:\n  nope: []\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			set := NewSet(mustParse(t, tt.src))
			diags := set.ResolveOperations(func(string) (string, bool) { return "", false })
			diagtest.Want(t, diags, testFile, 3, `unknown operation "nope"`)
		})
	}
}

// Sequence state is bounded: past the limit, the oldest positions are
// forgotten (their sequences start again), the newest kept.
func TestEngineForgetsTheOldestPositionsPastItsLimit(t *testing.T) {
	t.Parallel()
	sc := mustParse(t, "name: s\noperations:\n  op:\n    - sequence: [first, second]\n      key: \"{{ .Request.Body.k }}\"\n")
	set := NewSet(sc)
	e := NewEngine(Options{})
	e.limit = 3
	decide := func(k string) string {
		d, _ := e.Decide(set, "s", "op", "", &fixture.Request{Body: map[string]any{"k": k}})
		return d.Fixture
	}
	for _, k := range []string{"a", "b", "c", "d"} { // d evicts a
		if got := decide(k); got != "first" {
			t.Fatalf("first use of %s = %s", k, got)
		}
	}
	if got := decide("d"); got != "second" {
		t.Errorf("d again = %s, want second (kept)", got)
	}
	if got := decide("a"); got != "first" {
		t.Errorf("a again = %s, want first (forgotten)", got)
	}
	if n := len(e.order); n != 3 {
		t.Errorf("%d positions kept, want 3", n)
	}
}

// A sequence key reads the body the way fixtures do: a field under a
// missing one is no value, so the rest of the key still tells requests
// apart (text/template alone failed there and cut the key short).
func TestSequenceKeyWithAMissingParent(t *testing.T) {
	t.Parallel()
	sc := mustParse(t, "name: s\noperations:\n  op:\n    - sequence: [first, second]\n      key: \"{{ .Request.Body.a.b }}/{{ .Request.Body.k }}\"\n")
	set := NewSet(sc)
	tests := []struct {
		name string
		reqs []*fixture.Request
		want []string
	}{
		{"keys differing after a missing parent", []*fixture.Request{bodyReq(t, `{"k": "1"}`), bodyReq(t, `{"k": "2"}`)}, []string{"first", "first"}},
		{"a request without a body", []*fixture.Request{{}, {}}, []string{"first", "second"}},
		{"the same key twice", []*fixture.Request{bodyReq(t, `{"a": {"b": "x"}, "k": "1"}`), bodyReq(t, `{"a": {"b": "x"}, "k": "1"}`)}, []string{"first", "second"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := NewEngine(Options{})
			for i, req := range tt.reqs {
				if d := decide(t, e, set, "s", "op", "", req); d.Fixture != tt.want[i] {
					t.Errorf("request %d (body %v) = %s; want %s", i+1, req.Body, d.Fixture, tt.want[i])
				}
			}
		})
	}
}

func TestKnown(t *testing.T) {
	set, diags := Load("../../scenarios")
	if diags.Err() != nil {
		t.Fatal(diags.Err())
	}
	for name, want := range map[string]bool{"reused-code": true, Default: true, "nope": false, "": false} {
		if got := set.Known(name); got != want {
			t.Errorf("Known(%q) = %v, want %v", name, got, want)
		}
	}
	if got := (&Set{}).Known(Default); !got {
		t.Error("default is known even with no default.yaml")
	}
}
