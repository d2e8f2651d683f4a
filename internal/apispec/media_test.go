package apispec

import "testing"

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
		{"report", "string"}, // generated
		{"name", `"hello"`},
	} {
		op, ok := s.Operation(c.op)
		if !ok {
			t.Fatalf("no operation %s", c.op)
		}
		if got, _ := op.SuccessResponse().Body(false); string(got) != c.want {
			t.Errorf("%s: body %s, want %s", c.op, got, c.want)
		}
	}
}
