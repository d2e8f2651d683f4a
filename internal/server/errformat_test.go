package server_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/server"
)

// errorDoc documents its errors: RFC 9457 problem details at 400 for one
// operation, FastAPI's 422 for another, nothing for a third.
const errorDoc = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /problems:
    post:
      operationId: problems
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string, minLength: 3}}}
      responses:
        '200': {description: ok}
        '400':
          description: bad
          content:
            application/problem+json:
              schema:
                type: object
                required: [type, title, status, detail]
                properties:
                  type: {type: string}
                  title: {type: string}
                  status: {type: integer}
                  detail: {type: string}
  /fastapi:
    post:
      operationId: fastapi
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        '200': {description: ok}
        '422':
          description: Validation Error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/HTTPValidationError'}
  /plain:
    post:
      operationId: plain
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name]}
      responses:
        '200': {description: ok}
  /html:
    post:
      operationId: html
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        '200': {description: ok}
        '400':
          description: bad
          content:
            text/html:
              schema: {type: string, maxLength: 256}
              example: Illegal coordinates
components:
  schemas:
    HTTPValidationError:
      type: object
      properties:
        detail:
          type: array
          items: {$ref: '#/components/schemas/ValidationError'}
    ValidationError:
      type: object
      required: [loc, msg, type]
      properties:
        loc: {type: array, items: {anyOf: [{type: string}, {type: integer}]}}
        msg: {type: string}
        type: {type: string}
`

// The mock's refusals take the shape of the error responses the document
// documents, with the status it documents for a validation failure.
func TestErrorsInTheDocumentsOwnFormat(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"spec", "fixtures", "scenarios"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "spec", "openapi.yaml"), []byte(errorDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newMockOf(t, loadDir(t, dir), server.Options{})
	invalid := func(path string) answer {
		return m.do(t, call{path: path, headers: map[string]string{"Content-Type": "application/json"}, body: `{"name": 5}`})
	}

	t.Run("problem details at 400", func(t *testing.T) {
		a := invalid("/problems")
		if a.status != 400 || a.header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%d %s %s, want 400 application/problem+json", a.status, a.header.Get("Content-Type"), a.body)
		}
		if a.json["title"] != "Bad Request" || a.json["status"] != float64(400) || !strings.Contains(a.json["detail"].(string), "body.name: expected string, got number") {
			t.Errorf("body = %s", a.body)
		}
	})
	t.Run("FastAPI's 422, the only validation status it documents", func(t *testing.T) {
		a := invalid("/fastapi")
		if a.status != 422 {
			t.Fatalf("%d %s, want 422", a.status, a.body)
		}
		var got struct {
			Detail []struct {
				Loc  []any  `json:"loc"`
				Msg  string `json:"msg"`
				Type string `json:"type"`
			} `json:"detail"`
		}
		if err := json.Unmarshal(a.body, &got); err != nil || len(got.Detail) != 1 {
			t.Fatalf("body = %s (%v), want one detail item", a.body, err)
		}
		if d := got.Detail[0]; len(d.Loc) != 2 || d.Loc[0] != "body" || d.Loc[1] != "name" || !strings.Contains(d.Msg, "expected string") {
			t.Errorf("detail = %+v", d)
		}
	})
	t.Run("a text/html error answers the problem as text (escaping: package errformat)", func(t *testing.T) {
		a := m.do(t, call{path: "/html", headers: map[string]string{"Content-Type": "application/json"}, body: `{"name": "<b>"}`})
		if a.status != 200 {
			t.Fatalf("a valid request: %d %s", a.status, a.body)
		}
		a = invalid("/html")
		if a.status != 400 || a.header.Get("Content-Type") != "text/html" || string(a.body) != "body.name: expected string, got number" {
			t.Errorf("%d %s %q, want 400 text/html with the problem as text", a.status, a.header.Get("Content-Type"), a.body)
		}
	})
	t.Run("the envelope where nothing is documented", func(t *testing.T) {
		a := m.do(t, call{path: "/plain", headers: map[string]string{"Content-Type": "application/json"}, body: `{"other": 1}`})
		if a.status != 400 || len(a.errorsOf(t)) != 1 || a.errorsOf(t)[0]["code"] != "invalid_request" {
			t.Errorf("%d %s, want the Arklow envelope", a.status, a.body)
		}
	})
	t.Run("a status the operation does not document, in the envelope", func(t *testing.T) {
		r := call{path: "/problems", headers: map[string]string{"Content-Type": "application/json"}}.request()
		r.ContentLength = server.MaxBodyBytes + 1 // refused before it is read
		a := m.serve(t, r)
		if a.status != 413 || a.errorsOf(t)[0]["code"] != "payload_too_large" {
			t.Errorf("%d %s, want 413 payload_too_large in the envelope (only 400 is documented)", a.status, a.body)
		}
	})
}
