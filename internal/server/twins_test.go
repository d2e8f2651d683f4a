package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/server"
)

// twinsDoc documents a streaming twin of an operation under a #fragment
// key, as many APIs do, and twins whose parameters have other names.
const twinsDoc = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /v1/conversations:
    post:
      operationId: converse
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [inputs], properties: {inputs: {type: string}, stream: {enum: [false]}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, required: [reply], properties: {reply: {const: plain}}}}}}
  /v1/conversations#stream:
    post:
      operationId: converseStream
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [inputs, stream], properties: {inputs: {type: string}, stream: {enum: [true]}}}
      responses:
        '200': {description: ok, content: {text/event-stream: {schema: {type: string, const: "data: hi"}}}}
  /v1/connectors/{connector_id_or_name}#idOrName:
    get:
      operationId: getConnector
      parameters: [{name: connector_id_or_name, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, required: [by], properties: {by: {const: name}}}}}}
  /v1/connectors/{connector_id}#id:
    delete:
      operationId: deleteConnector
      parameters: [{name: connector_id, in: path, required: true, schema: {type: string, pattern: '^c_'}}]
      responses:
        '204': {description: gone}
`

// Path keys that differ only by a #fragment share one route: a request is
// answered by the first operation, in document order, whose request
// schemas accept it, and the journal names it.
func TestTwinOperations(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"spec", "fixtures", "scenarios"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "spec", "openapi.yaml"), []byte(twinsDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	set := loadDir(t, dir)
	m := newMockOf(t, set, server.Options{})
	post := func(body string) answer {
		return m.do(t, call{path: "/v1/conversations", headers: map[string]string{"Content-Type": "application/json"}, body: body})
	}
	if a := post(`{"inputs":"hi"}`); a.status != 200 || a.json["reply"] != "plain" {
		t.Errorf("plain request: %d %s, want the plain operation's answer", a.status, a.body)
	}
	if a := post(`{"inputs":"hi","stream":true}`); a.status != 200 || a.header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("streaming request: %d %s %s, want the #stream twin's answer", a.status, a.header.Get("Content-Type"), a.body)
	}
	if got := m.journal(t, "?limit=1"); len(got) != 1 || got[0].Operation != "converseStream" {
		t.Errorf("journal = %+v, want the streaming request journaled as converseStream", got)
	}
	if a := post(`{"stream":true}`); a.status != 400 {
		t.Errorf("a request no twin accepts: %d %s, want 400 (the first twin's problems)", a.status, a.body)
	}
	// Twins whose path parameters have other names: each gets its own.
	if a := m.do(t, call{method: "GET", path: "/v1/connectors/github"}); a.status != 200 {
		t.Errorf("GET /v1/connectors/github: %d %s", a.status, a.body)
	}
	if a := m.do(t, call{method: "DELETE", path: "/v1/connectors/c_1"}); a.status != 204 {
		t.Errorf("DELETE /v1/connectors/c_1: %d %s", a.status, a.body)
	}
	if a := m.do(t, call{method: "DELETE", path: "/v1/connectors/github"}); a.status != 400 || a.errorsOf(t)[0]["message"] != `path.connector_id: string "github" does not match pattern ^c_` {
		t.Errorf("DELETE /v1/connectors/github: %d %s, want 400 naming path.connector_id", a.status, a.body)
	}
	// The load says how it routes them, once per key.
	var warned int
	for _, w := range set.Spec.Warnings() {
		if strings.Contains(w.Message, `"/v1/conversations#stream" is routed as /v1/conversations,`) || strings.Contains(w.Message, `"/v1/connectors/{connector_id}#id" is routed as`) {
			warned++
		}
	}
	if warned < 2 {
		t.Errorf("warnings = %v, want one per #fragment key", set.Spec.Warnings())
	}
}
