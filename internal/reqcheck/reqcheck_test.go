package reqcheck_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/reqcheck"
	"github.com/arklow/arklow-mock/internal/reqerr"
)

func mustLoad(tb testing.TB, path string) *apispec.Spec {
	tb.Helper()
	s, err := apispec.Load(tb.Context(), path)
	if err != nil {
		tb.Fatalf("Load(%s): %v", path, err)
	}
	return s
}

// loadYAML loads an OpenAPI document given as text.
func loadYAML(t *testing.T, doc string) *apispec.Spec {
	t.Helper()
	p := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustLoad(t, p)
}

const backup = "/v1/self/mfa/verify/totp/backup"

func TestValidateSeed(t *testing.T) {
	s := mustLoad(t, "../../spec")
	cases := []struct {
		name    string
		auth    string
		ct      string
		body    string
		status  int
		message string
	}{
		{"accepts a valid request", "k", "application/json", `{"device_id":"42","code":"123456"}`, 0, ""},
		{"rejects a missing API key", "", "application/json", `{"device_id":"42","code":"123456"}`, 401, "header.x-arklow-auth: missing or empty API key"},
		{"rejects a device_id that is not digits", "k", "application/json", `{"device_id":"abc","code":"123456"}`, 400, `body.device_id: string "abc" does not match pattern ^[0-9]+$`},
		{"rejects a short code", "k", "application/json", `{"device_id":"1","code":"123"}`, 400, "body.code: must be at least 6 characters long, got 3"},
		{"rejects a missing code", "k", "application/json", `{"device_id":"1"}`, 400, "body.code: is required"},
		{"rejects malformed JSON, naming where it broke", "k", "application/json", `{"device_id":`, 400, "body.device_id: invalid JSON: unexpected end of input"},
		{"rejects duplicate keys", "k", "application/json", `{"device_id":"1","code":"123456","code":"654321"}`, 400, "body.code: invalid JSON at byte 33: duplicate object member name"},
		{"rejects a NUL character", "k", "application/json", `{"device_id":"1","code":"12\u0000456"}`, 400, "body.code: invalid JSON at byte 37: strings must not contain NUL characters"},
		{"rejects invalid UTF-8", "k", "application/json", "{\"device_id\":\"1\",\"code\":\"12\xff3456\"}", 400, "body.code: invalid JSON at byte 27: invalid UTF-8"},
		{"rejects text/plain", "k", "text/plain", `hi`, 415, `header.Content-Type: "text/plain" is not supported; send application/json`},
		{"accepts a charset parameter", "k", "application/json; charset=utf-8", `{"device_id":"42","code":"123456"}`, 0, ""},
		{"rejects a device_id of the wrong type", "k", "application/json", `{"device_id":42,"code":"123456"}`, 400, "body.device_id: expected string, got number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "http://127.0.0.1:3123"+backup, strings.NewReader(tc.body))
			if tc.auth != "" {
				r.Header.Set("x-arklow-auth", tc.auth)
			}
			r.Header.Set("Content-Type", tc.ct)
			op, params, rerr := s.Route(r)
			if rerr != nil {
				t.Fatalf("Route: %v", rerr)
			}
			_, re := reqcheck.Validate(op, requestOf(r, params, tc.body))
			if tc.status == 0 {
				if re != nil {
					t.Fatalf("Validate = %v, want nil", re)
				}
				return
			}
			if re == nil {
				t.Fatalf("Validate = nil, want a %d", tc.status)
			}
			if re.Status() != tc.status || len(re.Problems) != 1 || re.Problems[0].String() != tc.message {
				t.Errorf("Validate = %d %+v, want %d %q", re.Status(), re.Problems, tc.status, tc.message)
			}
		})
	}
}

// A single-file spec may $ref schemas in a file beside it; a $ref that
// leaves the spec's folder is refused.
func TestSingleFileSpecWithCrossFileRefs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("schemas.yaml", "Code:\n  type: string\n  minLength: 6\n")
	spec := write("openapi.yaml", `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /codes:
    post:
      operationId: postCode
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [code]
              properties:
                code: {$ref: 'schemas.yaml#/Code'}
      responses: {'204': {description: ok}}
`)
	s := mustLoad(t, spec)
	op, _ := s.Operation("postCode")
	r := httptest.NewRequest("POST", "/codes", strings.NewReader(`{"code":"123"}`))
	r.Header.Set("Content-Type", "application/json")
	_, err := reqcheck.Validate(op, requestOf(r, nil, `{"code":"123"}`))
	if err == nil || err.Problems[0].String() != "body.code: must be at least 6 characters long, got 3" {
		t.Errorf("Validate = %v, want the referenced minLength enforced", err)
	}
}

// requestOf is what the server passes to Validate for r.
func requestOf(r *http.Request, params map[string]string, body string) reqcheck.Request {
	return reqcheck.Request{Header: r.Header, Query: r.URL.Query(), Path: params, Body: []byte(body)}
}

// A request body media type written with nothing under it
// (`application/json:`) documents the type with no schema: the spec loads
// and any body of that type is accepted.
func TestRequestMediaTypeWithoutObject(t *testing.T) {
	s := loadYAML(t, `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /notes:
    post:
      operationId: postNote
      requestBody:
        content:
          application/json:
      responses: {'204': {description: ok}}
`)
	op, _ := s.Operation("postNote")
	r := httptest.NewRequest("POST", "/notes", nil)
	r.Header.Set("Content-Type", "application/json")
	if _, err := reqcheck.Validate(op, requestOf(r, nil, `{"any":["thing"]}`)); err != nil {
		t.Errorf("Validate = %v, want any JSON body accepted", err)
	}
}

// A multipart/form-data body is read as an object (a file part as its
// content, text parts as their properties' types) and checked against the
// schema: a required file missing is refused.
func TestMultipartBodies(t *testing.T) {
	s := loadYAML(t, `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /files:
    post:
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                purpose: {enum: [fine-tune, batch]}
                tags: {type: array, items: {type: string}}
                size: {type: integer}
      responses: {'200': {description: ok}}
`)
	send := func(build func(w *multipart.Writer)) *reqerr.Error {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		build(w)
		w.Close()
		r := httptest.NewRequest("POST", "/files", nil)
		r.Header.Set("Content-Type", w.FormDataContentType())
		op, params, err := s.Route(r)
		if err != nil {
			t.Fatal(err)
		}
		_, verr := reqcheck.Validate(op, requestOf(r, params, buf.String()))
		return verr
	}
	if err := send(func(w *multipart.Writer) {
		fw, _ := w.CreateFormFile("file", "data.jsonl")
		fw.Write([]byte(`{"a":1}`))
		w.WriteField("purpose", "batch")
		w.WriteField("tags", "x")
		w.WriteField("size", "7")
	}); err != nil {
		t.Errorf("a valid form: %v", err)
	}
	if err := send(func(w *multipart.Writer) { w.WriteField("purpose", "batch") }); err == nil || err.Problems[0].String() != "body.file: is required" {
		t.Errorf("no file: %v, want body.file: is required", err)
	}
	if err := send(func(w *multipart.Writer) {
		fw, _ := w.CreateFormFile("file", "x")
		fw.Write([]byte("x"))
		w.WriteField("size", "big")
	}); err == nil || err.Problems[0].String() != `body.size: expected integer, got string` {
		t.Errorf("a size that is not a number: %v", err)
	}
	r := httptest.NewRequest("POST", "/files", nil)
	r.Header.Set("Content-Type", "multipart/form-data")
	op, params, _ := s.Route(r)
	if _, err := reqcheck.Validate(op, requestOf(r, params, "x")); err == nil || !strings.Contains(err.Error(), "boundary") {
		t.Errorf("no boundary: %v", err)
	}
}
