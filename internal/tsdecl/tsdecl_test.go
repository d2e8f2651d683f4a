package tsdecl

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

type inner struct {
	N int `json:"n"`
}

type base struct {
	Embedded string `json:"embedded"`
}

type raw []byte

func (raw) MarshalJSON() ([]byte, error) { return []byte(`{}`), nil }

type outer struct {
	base
	Name     string         `json:"name"`
	Opt      string         `json:"opt,omitempty"`
	Zero     inner          `json:"zero,omitzero"`
	When     time.Time      `json:"when"`
	Maybe    *string        `json:"maybe"`
	List     []inner        `json:"list"`
	Counts   map[string]int `json:"counts"`
	Anything any            `json:"anything"`
	Tagged   string         `json:"tagged" ts:"ScenarioName"`
	Raw      raw            `json:"raw"`
	Hidden   string         `json:"-"`
	//lint:ignore U1000 an unexported field is not encoded: the test shows it is not declared
	private string
	Inline  struct{ A bool }  `json:"inline"`
	Dash    map[string]string `json:"x-dash"`
}

// The declaration says what encoding/json writes: JSON names, optional
// fields where omitempty or omitzero may leave them out, embedded fields
// inlined, unexported and "-" fields absent, nested named structs declared
// once, overrides for types that encode themselves.
func TestDeclare(t *testing.T) {
	w := Writer{Override: map[reflect.Type]string{reflect.TypeFor[raw](): "unknown"}}
	var b strings.Builder
	if err := w.Declare(&b, Named{Name: "Outer", Type: reflect.TypeFor[outer](), Doc: "An outer thing."}); err != nil {
		t.Fatal(err)
	}
	want := `/** An outer thing. */
export interface Outer {
  embedded: string;
  name: string;
  opt?: string;
  zero?: inner;
  when: string;
  maybe: string | null;
  list: inner[];
  counts: Record<string, number>;
  anything: unknown;
  tagged: ScenarioName;
  raw: unknown;
  inline: { A: boolean; };
  "x-dash": Record<string, string>;
}

export interface inner {
  n: number;
}

`
	if got := b.String(); got != want {
		t.Errorf("Declare =\n%s\nwant\n%s", got, want)
	}
	// The field names are the ones encoding/json writes.
	enc, _ := json.Marshal(outer{})
	var m map[string]any
	json.Unmarshal(enc, &m)
	for k := range m {
		if !strings.Contains(b.String(), "\n  "+propName(k)) {
			t.Errorf("JSON key %q is not declared", k)
		}
	}
}

func TestUnion(t *testing.T) {
	if got := Union([]string{"slow", "default", `q"uote`}); got != `"default" | "q\"uote" | "slow"` {
		t.Errorf("Union = %s", got)
	}
	if got := Union(nil); got != "never" {
		t.Errorf("Union(nil) = %s, want never", got)
	}
}
