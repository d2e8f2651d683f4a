package diag

import (
	"errors"
	"testing"
)

func TestYAMLError(t *testing.T) {
	cases := []struct {
		err  string
		line int
		msg  string
	}{
		{"yaml: line 3: mapping values are not allowed in this context", 3, "mapping values are not allowed in this context"},
		{"line 12: nesting deeper than 200 levels", 12, "nesting deeper than 200 levels"},
		{"yaml: unmarshal errors:\n  line 7: cannot unmarshal", 7, "unmarshal errors:\n  line 7: cannot unmarshal"},
		{"yaml: did not find expected key", 0, "did not find expected key"},
		// The line as written, whoever wrote it: go.yaml.in/yaml/v4 (kin-openapi's)
		// writes 1-based parser errors in the same words as gopkg.in/yaml.v3.
		{"yaml: line 4: did not find expected ',' or ']'", 4, "did not find expected ',' or ']'"},
	}
	for _, c := range cases {
		line, msg := YAMLError(errors.New(c.err))
		if line != c.line || msg != c.msg {
			t.Errorf("YAMLError(%q) = %d, %q; want %d, %q", c.err, line, msg, c.line, c.msg)
		}
	}
}

func TestListErr(t *testing.T) {
	var l List
	l.Warn("a.yaml", 1, "just a warning")
	if l.Err() != nil {
		t.Fatalf("warnings alone are not an error")
	}
	l.Add("b.yaml", 2, "broken %d", 7)
	err := l.Err()
	got, ok := From(err)
	if !ok || len(got) != 2 || got[0].String() != "b.yaml:2: broken 7" || !got[1].Warning {
		t.Errorf("From(Err()) = %v, %v; want the error and the warning beside it", got, ok)
	}
	if l[0].String() != "a.yaml:1: warning: just a warning" {
		t.Errorf("warning renders as %q", l[0].String())
	}
}
