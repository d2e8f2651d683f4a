package scenario

import (
	"testing"

	"github.com/arklow/arklow-mock/internal/fixture"
)

// FuzzParse feeds arbitrary scenario files to the parser and decides a
// request with what loads. Invariants: no panic; a file either loads or
// yields at least one error diagnostic; fixture names never leave
// fixtures/.
func FuzzParse(f *testing.F) {
	f.Add("name: realistic\noperations:\n  op:\n    - when: { body: { device_id: [\"404\", \"regex:^9\"] } }\n      fixture: a/b\n    - sequence: [a, b]\n      key: \"{{ .Request.Body.x }}\"\n      delay: {min: 1ms, max: 2ms}\n")
	f.Add("operations:\n  op: ../../etc/passwd\n")
	f.Add("operations:\n  op:\n    - fault: timeout\n    - fixture: /abs\n")
	f.Add("name: [\noperations: {}\n")
	f.Add("operations:\n  op:\n    - when: {headers: {X-A: \"regex:(\"}}\n      fixture: a\n")
	f.Fuzz(func(t *testing.T, file string) {
		sc, diags := Parse("s.yaml", []byte(file))
		if sc == nil {
			if len(diags.Errors()) == 0 {
				t.Fatalf("no scenario and no error for %q", file)
			}
			return
		}
		e := NewEngine(Options{Int64N: func(n int64) int64 { return n / 2 }})
		set := NewSet(sc)
		for _, op := range sc.Operations {
			for _, r := range sc.Rules(op) {
				for _, name := range r.Fixtures() {
					if !fixture.ValidName(name) {
						t.Fatalf("fixture name %q leaves fixtures/", name)
					}
				}
			}
			e.Decide(set, sc.Name, op, "", &fixture.Request{Body: map[string]any{"x": "1"}})
		}
	})
}
