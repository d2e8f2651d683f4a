package apispec

import (
	"testing"
	"time"
)

// A spec answer in a media type that is not JSON sends a string as it
// is; a JSON one sends it as a JSON string.
func TestSpecAnswerMediaTypes(t *testing.T) {
	s := loadYAML(t, `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /greeting:
    get:
      operationId: greeting
      responses:
        '200':
          description: ok
          content:
            text/plain:
              schema: {type: string}
              example: hello
  /report:
    get:
      operationId: report
      responses:
        '200':
          description: ok
          content:
            text/csv:
              schema: {type: string}
  /name:
    get:
      operationId: name
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string}
              example: hello
`)
	for _, c := range []struct{ op, want string }{
		{"greeting", "hello"},
		{"report", ""}, // generated: any text, sent as it is
		{"name", `"hello"`},
	} {
		op, ok := s.Operation(c.op)
		if !ok {
			t.Fatalf("no operation %s", c.op)
		}
		resp := op.SuccessResponse()
		got := resp.OwnExample()
		if c.want == "" {
			if got = resp.Generate(1, time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)); len(got) == 0 || got[0] == '"' {
				t.Errorf("%s: generated %q, want text sent as it is, not a JSON string", c.op, got)
			}
			continue
		}
		if string(got) != c.want {
			t.Errorf("%s: body %s, want %s", c.op, got, c.want)
		}
	}
}
