package apispec

import (
	"bytes"
	"testing"
	"time"
)

// Generate answers the same seed on the same UTC day from its last answer
// (the same bytes, not generated again), and generates again for another
// seed or another day, each time the body a fresh Spec generates.
func TestGenerateRemembersItsLastAnswer(t *testing.T) {
	const doc = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id, created_at]
                properties:
                  id: {type: string, format: uuid}
                  created_at: {type: string, format: date-time}
`
	resp := loadYAML(t, doc).Operations()[0].SuccessResponse()
	fresh := func(seed uint64, now time.Time) []byte {
		return loadYAML(t, doc).Operations()[0].SuccessResponse().Generate(seed, now)
	}
	morning := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	evening := time.Date(2026, 12, 6, 22, 0, 0, 0, time.UTC)
	nextDay := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)

	first := resp.Generate(7, morning)
	if again := resp.Generate(7, evening); &again[0] != &first[0] {
		t.Errorf("the same seed the same day was generated again")
	}
	for _, c := range []struct {
		name string
		seed uint64
		now  time.Time
	}{{"another seed", 8, morning}, {"the next day", 7, nextDay}} {
		got := resp.Generate(c.seed, c.now)
		if &got[0] == &first[0] {
			t.Errorf("%s: answered from the last answer", c.name)
		}
		if want := fresh(c.seed, c.now); !bytes.Equal(got, want) {
			t.Errorf("%s: %s, want what a fresh Spec generates: %s", c.name, got, want)
		}
	}
	if bytes.Equal(resp.Generate(7, nextDay), first) {
		t.Errorf("the next day's answer is the first day's: %s", first)
	}
}
