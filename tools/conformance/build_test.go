package main

import (
	"encoding/json"
	"mime"
	"mime/multipart"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// testDoc exercises the request builder: parameters of every location,
// security of every kind, JSON, form and multipart bodies, and a body the
// tool cannot build.
const testDoc = `openapi: 3.1.0
info: {title: builder test, version: "1"}
security:
  - key: []
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: x-api-key}
    qkey: {type: apiKey, in: query, name: api_key}
    ckey: {type: apiKey, in: cookie, name: session}
    basic: {type: http, scheme: basic}
    bearer: {type: http, scheme: bearer}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: "https://example.com/t", scopes: {}}}}
    mtls: {type: mutualTLS}
  schemas:
    Pet:
      type: object
      required: [name, age]
      properties:
        name: {type: string, minLength: 2}
        age: {type: integer, minimum: 0, maximum: 30}
        tag: {type: string}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: integer, minimum: 1, maximum: 9}}
    put:
      operationId: putPet
      parameters:
        - {name: mode, in: query, required: true, schema: {type: string, enum: [fast, slow]}}
        - {name: X-Trace, in: header, required: true, schema: {type: string, pattern: "^[a-f0-9]{8}$"}}
        - {name: optional, in: query, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
            example: {name: Rex, age: 3}
      responses:
        '200': {description: ok}
  /public:
    get:
      operationId: public
      security: []
      responses:
        '200': {description: ok}
  /maybe:
    get:
      operationId: maybe
      security: [{}, {bearer: []}]
      responses:
        '200': {description: ok}
  /query-key:
    get:
      security: [{qkey: []}]
      responses:
        '200': {description: ok}
  /cookie-key:
    get:
      security: [{ckey: [], basic: []}]
      responses:
        '200': {description: ok}
  /oauth:
    get:
      security: [{mtls: []}, {oauth: []}]
      responses:
        '200': {description: ok}
  /mtls-only:
    get:
      security: [{mtls: []}]
      responses:
        '200': {description: ok}
  /form:
    post:
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [count]
              properties:
                count: {type: integer}
      responses:
        '200': {description: ok}
  /upload:
    post:
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, purpose]
              properties:
                file: {type: string, format: binary}
                purpose: {type: string, enum: [batch]}
      responses:
        '200': {description: ok}
  /xml:
    post:
      requestBody:
        required: true
        content:
          application/xml:
            schema: {type: object}
      responses:
        '200': {description: ok}
  /scalar-body:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: string, enum: [X, O]}
      responses:
        '200': {description: ok}
`

func loadTestDoc(t *testing.T, text string) *document {
	t.Helper()
	path := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := loadDocument(path)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func findOp(t *testing.T, d *document, method, path string) *operation {
	t.Helper()
	for _, o := range d.ops {
		if o.method == method && o.path == path {
			return o
		}
	}
	t.Fatalf("no operation %s %s", method, path)
	return nil
}

func TestBuildValidFillsEveryLocation(t *testing.T) {
	d := loadTestDoc(t, testDoc)
	o := findOp(t, d, "PUT", "/pets/{petId}")
	b, err := buildValid(d, o)
	if err != nil {
		t.Fatal(err)
	}
	r := b.req
	if !strings.HasPrefix(r.path, "/pets/") || strings.Contains(r.path, "{") {
		t.Errorf("path = %q, want the parameter filled in", r.path)
	}
	if got := r.header.Get("x-api-key"); got == "" {
		t.Error("no credential in x-api-key")
	}
	if got := r.header.Get("X-Trace"); len(got) != 8 {
		t.Errorf("X-Trace = %q, want 8 hex digits from the pattern", got)
	}
	q, _ := url.ParseQuery(r.rawQuery())
	if m := q.Get("mode"); m != "fast" && m != "slow" {
		t.Errorf("mode = %q, want one of the enum", m)
	}
	if q.Has("optional") {
		t.Error("an optional query parameter was sent")
	}
	if r.contentType != "application/json" {
		t.Errorf("Content-Type = %q", r.contentType)
	}
	// the media type's example comes first
	if string(r.body) != `{"age":3,"name":"Rex"}` {
		t.Errorf("body = %s, want the example", r.body)
	}
	if p := validateRequest(d, o, r); p != "" {
		t.Errorf("the validator refuses the built request: %s", p)
	}
}

func TestCredentials(t *testing.T) {
	d := loadTestDoc(t, testDoc)
	cases := []struct {
		path   string
		check  func(r *request) bool
		creds  []credential
		noCred string // the no-credentials variant's n/a reason, "" when it applies
	}{
		{"/public", func(r *request) bool { return len(r.header) == 0 }, nil, "no security"},
		{"/maybe", func(r *request) bool { return r.header.Get("Authorization") == "Bearer x" },
			[]credential{{"header", "Authorization"}}, "credentials optional"},
		{"/query-key", func(r *request) bool { return strings.Contains(r.rawQuery(), "api_key=") },
			[]credential{{"query", "api_key"}}, ""},
		{"/cookie-key", func(r *request) bool {
			return len(r.cookies) == 1 && r.cookies[0].name == "session" && r.header.Get("Authorization") == "Basic eDp5"
		}, []credential{{"cookie", "session"}, {"header", "Authorization"}}, ""},
		// mutualTLS cannot be sent: the next requirement is used
		{"/oauth", func(r *request) bool { return r.header.Get("Authorization") == "Bearer x" },
			[]credential{{"header", "Authorization"}}, ""},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			o := findOp(t, d, "GET", c.path)
			b, err := buildValid(d, o)
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(b.req) {
				t.Errorf("credentials not as expected: %s", b.req.describe())
			}
			if !reflect.DeepEqual(b.creds, c.creds) {
				t.Errorf("creds = %v, want %v", b.creds, c.creds)
			}
			v := makeVariants(d, o, b)[noCredentials]
			if v.na != c.noCred {
				t.Errorf("no-credentials variant: na = %q, want %q", v.na, c.noCred)
			}
			if c.noCred == "" {
				if v.req == nil {
					t.Fatal("no variant")
				}
				if len(v.req.cookies) != 0 || v.req.header.Get("Authorization") != "" || strings.Contains(v.req.rawQuery(), "api_key") {
					t.Errorf("the variant still has credentials: %s", v.req.describe())
				}
			}
		})
	}
	o := findOp(t, d, "GET", "/mtls-only")
	if _, err := buildValid(d, o); err == nil || !strings.Contains(err.Error(), "mutualTLS") {
		t.Errorf("mutualTLS only: err = %v, want a skip naming mutualTLS", err)
	}
}

func TestVariantsOfAJSONBody(t *testing.T) {
	d := loadTestDoc(t, testDoc)
	o := findOp(t, d, "PUT", "/pets/{petId}")
	b, err := buildValid(d, o)
	if err != nil {
		t.Fatal(err)
	}
	v := makeVariants(d, o, b)
	want := map[variantKind]string{
		missingField:  "body without `name`",
		wrongType:     `body.name = 12345 (integer)`,
		noCredentials: "without header x-api-key",
		missingQuery:  "without query `mode`",
	}
	for k, w := range want {
		if v[k].what != w || v[k].req == nil {
			t.Errorf("%s: what = %q (na %q), want %q", variantNames[k], v[k].what, v[k].na, w)
		}
	}
	if body := string(v[missingField].req.body); body != `{"age":3}` {
		t.Errorf("missing field body = %s", body)
	}
	if body := string(v[wrongType].req.body); body != `{"age":3,"name":12345}` {
		t.Errorf("wrong type body = %s", body)
	}
	if strings.Contains(v[missingQuery].req.rawQuery(), "mode=") {
		t.Error("the query variant still has mode")
	}
	// the valid request is left as it was
	if string(b.req.body) != `{"age":3,"name":"Rex"}` || b.req.header.Get("x-api-key") == "" {
		t.Errorf("the valid request changed: %s", b.req.describe())
	}
}

func TestFormAndMultipartBodies(t *testing.T) {
	d := loadTestDoc(t, testDoc)

	o := findOp(t, d, "POST", "/form")
	b, err := buildValid(d, o)
	if err != nil {
		t.Fatal(err)
	}
	if b.req.contentType != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", b.req.contentType)
	}
	if q, err := url.ParseQuery(string(b.req.body)); err != nil || q.Get("count") == "" {
		t.Errorf("form body = %q", b.req.body)
	}
	v := makeVariants(d, o, b)
	if v[missingField].req == nil || string(v[missingField].req.body) != "" {
		t.Errorf("form missing field: %+v", v[missingField])
	}
	if v[wrongType].req != nil || !strings.Contains(v[wrongType].na, "no JSON type") {
		t.Errorf("form wrong type: %+v, want not applicable", v[wrongType])
	}

	o = findOp(t, d, "POST", "/upload")
	b, err = buildValid(d, o)
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(b.req.contentType)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type = %q", b.req.contentType)
	}
	form, err := multipart.NewReader(strings.NewReader(string(b.req.body)), params["boundary"]).ReadForm(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(form.File["file"]) != 1 {
		t.Errorf("the binary field is not a file part: %v", form.File)
	}
	if got := form.Value["purpose"]; len(got) != 1 || got[0] != "batch" {
		t.Errorf("purpose = %v", got)
	}
}

func TestSkipsWhatItCannotBuild(t *testing.T) {
	d := loadTestDoc(t, testDoc)
	_, err := buildValid(d, findOp(t, d, "POST", "/xml"))
	if _, ok := err.(*skipError); !ok || !strings.Contains(err.Error(), "application/xml") {
		t.Errorf("err = %v, want a skip naming application/xml", err)
	}
}

func TestWrongTypeOfAScalarBody(t *testing.T) {
	d := loadTestDoc(t, testDoc)
	o := findOp(t, d, "POST", "/scalar-body")
	b, err := buildValid(d, o)
	if err != nil {
		t.Fatal(err)
	}
	v := makeVariants(d, o, b)
	if v[wrongType].req == nil || string(v[wrongType].req.body) != "12345" {
		t.Errorf("wrong type: %+v", v[wrongType])
	}
	if v[missingField].na != "body is not an object" {
		t.Errorf("missing field: na = %q", v[missingField].na)
	}
}

// A request the document cannot be satisfied with is skipped with the
// validator's words, never sent.
func TestSkipsWhenTheValidatorRefuses(t *testing.T) {
	d := loadTestDoc(t, `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /impossible:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [a], properties: {a: {type: string}}, not: {required: [a]}}
      responses:
        '200': {description: ok}
`)
	_, err := buildValid(d, d.ops[0])
	if err == nil || !strings.Contains(err.Error(), "cannot build a valid request") {
		t.Fatalf("err = %v", err)
	}
}

func TestSerializeQuery(t *testing.T) {
	f, tr := false, true
	cases := []struct {
		style   string
		explode *bool
		value   any
		want    string
	}{
		{"", nil, "a b", "q=a+b"},
		{"", nil, []any{"a", "b"}, "q=a&q=b"},
		{"form", &f, []any{"a", "b"}, "q=a%2Cb"},
		{"pipeDelimited", &f, []any{"a", "b"}, "q=a%7Cb"},
		{"spaceDelimited", &f, []any{"a", "b"}, "q=a+b"},
		{"", nil, map[string]any{"x": json.Number("1"), "y": "2"}, "x=1&y=2"},
		{"form", &f, map[string]any{"x": json.Number("1"), "y": "2"}, "q=x%2C1%2Cy%2C2"},
		{"deepObject", &tr, map[string]any{"x": true}, "q%5Bx%5D=true"},
	}
	for _, c := range cases {
		p := paramFor("q", "query", c.style, c.explode)
		r := &request{query: serializeQuery(p, c.value)}
		if got := r.rawQuery(); got != c.want {
			t.Errorf("%s explode=%v %v: %q, want %q", c.style, c.explode, c.value, got, c.want)
		}
	}
}

func TestSerializePath(t *testing.T) {
	cases := []struct {
		style string
		value any
		want  string
	}{
		{"", "a/b c", "a%2Fb%20c"},
		{"", []any{json.Number("1"), json.Number("2")}, "1,2"},
		{"label", "v", ".v"},
		{"matrix", "v", ";id=v"},
	}
	for _, c := range cases {
		if got := serializePath(paramFor("id", "path", c.style, nil), c.value); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.style, c.value, got, c.want)
		}
	}
}

func TestPinValues(t *testing.T) {
	d := loadTestDoc(t, `openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Req:
      allOf:
        - type: object
          required: [input]
          properties:
            stream: {anyOf: [{type: boolean}, {type: 'null'}], default: null}
            rate: {type: number, minimum: 1e-8, maximum: 1, default: 0.0001}
            input: {title: anything}
        - type: object
          properties:
            stream: {type: boolean, enum: [false]}
`)
	s := d.model.Components.Schemas.GetOrZero("Req").Schema()
	v := map[string]any{"stream": true, "rate": json.Number("0")}
	got := pinValues(s, v, 0)
	want := map[string]any{"stream": false, "rate": json.Number("0.0001"), "input": map[string]any{}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pinValues = %#v, want %#v", got, want)
	}
}

func paramFor(name, in, style string, explode *bool) *v3.Parameter {
	return &v3.Parameter{Name: name, In: in, Style: style, Explode: explode}
}

// A body that is a oneOf with a discriminator, whose required properties
// fit both branches, is built as one branch naming itself: scalar-galaxy's
// POST /celestial-bodies (Planet or Satellite; libopenapi's renderer
// leaves the discriminator out, and pinning every property breaks others).
func TestBuildValidNamesADiscriminatedBranch(t *testing.T) {
	d, err := loadDocument("../../testdata/corpus/scalar-galaxy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o := findOp(t, d, "POST", "/celestial-bodies")
	b, err := buildValid(d, o)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(b.req.body, &body); err != nil {
		t.Fatal(err)
	}
	if body["type"] != "terrestrial" || body["name"] == nil {
		t.Errorf("body = %s, want the first mapped branch (Planet, type terrestrial) naming itself", b.req.body)
	}
}

// A twin's valid request states its consts, so that it reaches the twin
// and not the first operation in document order (mistral's
// `/v1/audio/transcriptions#stream`, told apart by stream: true).
func TestBuildValidReachesATwin(t *testing.T) {
	d := loadTestDoc(t, `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /chat:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [model]
              properties:
                model: {type: string}
                stream: {type: boolean, default: false, const: false}
      responses:
        '200': {description: ok}
  /chat#stream:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [model]
              properties:
                model: {type: string}
                stream: {type: boolean, default: true, const: true}
      responses:
        '200': {description: events}
`)
	for path, want := range map[string]any{"/chat": nil, "/chat#stream": true} {
		b, err := buildValid(d, findOp(t, d, "POST", path))
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		if err := json.Unmarshal(b.req.body, &body); err != nil {
			t.Fatal(err)
		}
		if body["stream"] != want {
			t.Errorf("%s: body = %s, want stream %v", path, b.req.body, want)
		}
	}
}
