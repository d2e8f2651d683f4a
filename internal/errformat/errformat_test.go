package errformat_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/arklow/arklow-mock/internal/errformat"
	"github.com/arklow/arklow-mock/internal/reqerr"
)

// doc writes a one-operation document, POST /devices, whose responses
// (and components) are given indented as they sit in the document.
func doc(responses, components string) string {
	return `openapi: 3.1.0
info: {title: errors, version: "1"}
paths:
  /devices:
    post:
      responses:
        "201":
          description: Created
` + indent(responses, 8) + `
components:
` + indent(components, 2)
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// The errors the mock refuses requests with, as the tests use them.
var (
	invalid = &reqerr.Error{Code: reqerr.InvalidRequest, Problems: []reqerr.Problem{
		{Location: "body.device_id", Message: `string "abc" does not match pattern ^[0-9]+$`, Pointer: "/device_id"},
		{Location: "query.limit", Message: "must be <= 100, got 500"},
	}}
	missingField = &reqerr.Error{Code: reqerr.InvalidRequest, Problems: []reqerr.Problem{
		{Location: "body.tags[1].name", Message: "is required", Pointer: "/tags/1/name"},
	}}
	badJSON      = reqerr.New(reqerr.InvalidJSON, "body", "unexpected end of JSON input")
	unauthorized = reqerr.New(reqerr.Unauthorized, "header.x-api-key", "missing or empty API key")
	unsupported  = reqerr.New(reqerr.UnsupportedMediaType, "header.Content-Type", `"text/plain" is not accepted; send application/json`)
	tooLarge     = reqerr.New(reqerr.PayloadTooLarge, "body", "is larger than 1048576 bytes")
	internal     = reqerr.New(reqerr.Internal, "", "the mock failed; see its log")
)

// rendered is what Render answered.
type rendered struct {
	status      int
	contentType string
	body        string // compact JSON; "" when ok is false
}

func TestRender(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		responses  string
		components string
		err        *reqerr.Error
		want       rendered
		warnings   []string // substrings, one per warning
	}{
		{
			name: "problem details that allow other members carry the problems as an errors extension",
			responses: `
"400":
  description: Bad request
  content:
    application/problem+json:
      schema: {$ref: "#/components/schemas/Problem"}`,
			components: `
schemas:
  Problem:
    type: object
    properties:
      type: {type: string, format: uri-reference}
      title: {type: string}
      status: {type: integer}
      detail: {type: string}
      instance: {type: string}`,
			err: invalid,
			want: rendered{400, "application/problem+json", `{"detail":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500",` +
				`"errors":[{"detail":"string \"abc\" does not match pattern ^[0-9]+$","pointer":"#/device_id"},{"detail":"must be <= 100, got 500","parameter":"limit"}],` +
				`"status":400,"title":"Bad Request","type":"about:blank"}`},
		},
		{
			name: "closed problem details carry only their declared members, instance from the example",
			responses: `
"400":
  description: Bad request
  content:
    application/problem+json:
      schema:
        type: object
        additionalProperties: false
        required: [type, title, status, instance]
        properties:
          type: {type: string}
          title: {type: string}
          status: {type: integer}
          detail: {type: string, maxLength: 40}
          instance: {type: string}
      example:
        type: https://api.example.com/problems/validation
        title: Validation failed
        status: 400
        instance: /devices/12`,
			err: invalid,
			want: rendered{400, "application/problem+json", `{"detail":"body.device_id: string \"abc\" does not m…",` +
				`"instance":"/devices/12","status":400,"title":"Bad Request","type":"https://api.example.com/problems/validation"}`},
		},
		{
			name: "problem details with a declared invalid-params array fill it, one item per problem",
			responses: `
"400":
  description: Bad request
  content:
    application/problem+json:
      schema:
        type: object
        properties:
          type: {type: string}
          title: {type: string}
          status: {type: integer}
          detail: {type: string}
          invalid-params:
            type: array
            items:
              type: object
              required: [name, reason]
              properties:
                name: {type: string}
                reason: {type: string}`,
			err: invalid,
			want: rendered{400, "application/problem+json", `{"detail":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500",` +
				`"invalid-params":[{"name":"device_id","reason":"string \"abc\" does not match pattern ^[0-9]+$"},{"name":"limit","reason":"must be <= 100, got 500"}],` +
				`"status":400,"title":"Bad Request","type":"about:blank"}`},
		},
		{
			name: "a FastAPI HTTPValidationError documented for 422 answers a validation failure with 422",
			responses: `
"422":
  description: Validation Error
  content:
    application/json:
      schema: {$ref: "#/components/schemas/HTTPValidationError"}`,
			components: fastAPI,
			err:        invalid,
			want: rendered{422, "application/json", `{"detail":[` +
				`{"loc":["body","device_id"],"msg":"string \"abc\" does not match pattern ^[0-9]+$","type":"value_error"},` +
				`{"loc":["query","limit"],"msg":"must be <= 100, got 500","type":"value_error"}]}`},
		},
		{
			name: "FastAPI's loc keeps array indices as integers and says missing",
			responses: `
"422":
  description: Validation Error
  content:
    application/json:
      schema: {$ref: "#/components/schemas/HTTPValidationError"}`,
			components: fastAPI,
			err:        missingField,
			want:       rendered{422, "application/json", `{"detail":[{"loc":["body","tags",1,"name"],"msg":"is required","type":"missing"}]}`},
		},
		{
			name: "a 401 is not a validation failure: with only 422 documented it gets the envelope",
			responses: `
"422":
  description: Validation Error
  content:
    application/json:
      schema: {$ref: "#/components/schemas/HTTPValidationError"}`,
			components: fastAPI,
			err:        unauthorized,
			want:       rendered{401, "", ""},
		},
		{
			name: "a nested error object gets the code and the message",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      schema:
        type: object
        required: [error]
        properties:
          error:
            type: object
            required: [code, message]
            properties:
              code: {type: string}
              message: {type: string}
              request_id: {type: string}
      example:
        error: {code: not_found, message: No such device, request_id: req_123}`,
			err:  unauthorized,
			want: rendered{401, "", ""},
		},
		{
			name: "a nested error object answers a validation failure, keeping the example's request id",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      schema:
        type: object
        required: [error]
        properties:
          error:
            type: object
            required: [code, message]
            properties:
              code: {type: string}
              message: {type: string}
              request_id: {type: string}
      example:
        error: {code: not_found, message: No such device, request_id: req_123}`,
			err: invalid,
			want: rendered{400, "application/json", `{"error":{"code":"invalid_request",` +
				`"message":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500","request_id":"req_123"}}`},
		},
		{
			name: "code, message and details with field and issue",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      schema:
        type: object
        required: [code, message]
        properties:
          code: {type: string}
          message: {type: string}
          details:
            type: array
            items:
              type: object
              required: [field, issue]
              properties:
                field: {type: string}
                issue: {type: string}`,
			err: invalid,
			want: rendered{400, "application/json", `{"code":"invalid_request",` +
				`"details":[{"field":"device_id","issue":"string \"abc\" does not match pattern ^[0-9]+$"},{"field":"limit","issue":"must be <= 100, got 500"}],` +
				`"message":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500"}`},
		},
		{
			name: "a top-level array has one item per problem",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      schema:
        type: array
        items:
          type: object
          required: [code, message]
          properties:
            code: {type: string}
            message: {type: string}
            path: {type: string}`,
			err: invalid,
			want: rendered{400, "application/json", `[` +
				`{"code":"invalid_request","message":"string \"abc\" does not match pattern ^[0-9]+$","path":"body.device_id"},` +
				`{"code":"invalid_request","message":"must be <= 100, got 500","path":"query.limit"}]`},
		},
		{
			name: "an enum code takes the value closest in meaning, in the example's style",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      schema:
        type: object
        required: [code, message, status]
        properties:
          code: {type: string, enum: [NOT_FOUND, VALIDATION_FAILED, UNAUTHENTICATED, INTERNAL]}
          status: {type: integer, enum: [400, 401, 404, 500]}
          message: {type: string}`,
			err:  badJSON,
			want: rendered{400, "application/json", `{"code":"VALIDATION_FAILED","message":"body: unexpected end of JSON input","status":400}`},
		},
		{
			name: "a 4XX range answers a 401",
			responses: `
"4XX":
  description: Client error
  content:
    application/json:
      schema:
        type: object
        required: [error, error_description]
        properties:
          error: {type: string, enum: [invalid_request, invalid_client, invalid_token]}
          error_description: {type: string}`,
			err:  unauthorized,
			want: rendered{401, "application/json", `{"error":"invalid_token","error_description":"header.x-api-key: missing or empty API key"}`},
		},
		{
			name: "default answers a 415 when no 415 or 4XX is documented",
			responses: `
"400":
  description: Bad request
  content:
    text/plain:
      schema: {type: string}
default:
  description: Error
  content:
    application/json:
      schema:
        type: object
        required: [status, error, message, timestamp]
        properties:
          timestamp: {type: string, format: date-time}
          status: {type: integer}
          error: {type: string}
          message: {type: string}
          path: {type: string}`,
			err: unsupported,
			want: rendered{415, "application/json", `{"error":"Unsupported Media Type",` +
				`"message":"header.Content-Type: \"text/plain\" is not accepted; send application/json","status":415,"timestamp":"2026-01-01T00:00:00Z"}`},
		},
		{
			name: "a documented 400 in text/plain answers the message as text, and does not fall back to default",
			responses: `
"400":
  description: Bad request
  content:
    text/plain:
      schema: {type: string}
default:
  description: Error
  content:
    application/json:
      schema:
        type: object
        properties:
          message: {type: string}`,
			err:  invalid,
			want: rendered{400, "text/plain", `body.device_id: string "abc" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500`},
		},
		{
			name: "a text/html error answers the message HTML-escaped",
			responses: `
"400":
  description: Bad request
  content:
    text/html:
      schema: {type: string, maxLength: 256}
      example: Illegal coordinates`,
			err:  invalid,
			want: rendered{400, "text/html", `body.device_id: string &#34;abc&#34; does not match pattern ^[0-9]+$; query.limit: must be &lt;= 100, got 500`},
		},
		{
			name: "a text error shorter than the message is cut to fit",
			responses: `
"400":
  description: Bad request
  content:
    text/plain:
      schema: {type: string, maxLength: 24}
      example: Illegal coordinates`,
			err:  invalid,
			want: rendered{400, "text/plain", `body.device_id: string …`},
		},
		{
			name: "a text response whose schema is not a string keeps the envelope",
			responses: `
"400":
  description: Bad request
  content:
    text/plain:
      schema: {type: object}`,
			err:  invalid,
			want: rendered{400, "", ""},
		},
		{
			name: "JSON is preferred to text",
			responses: `
"400":
  description: Bad request
  content:
    text/plain:
      schema: {type: string}
    application/json:
      schema:
        type: object
        properties:
          message: {type: string}`,
			err:  invalid,
			want: rendered{400, "application/json", `{"message":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500"}`},
		},
		{
			name: "a schema nothing can satisfy keeps the envelope and warns at load",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      schema:
        type: object
        required: [message, retry]
        properties:
          message: {type: string}
          retry: {type: integer, minimum: 5, maximum: 3}`,
			err:      invalid,
			want:     rendered{400, "", ""},
			warnings: []string{`400 response (application/json): cannot carry the mock's errors:`},
		},
		{
			name: "a message the schema refuses falls back to the example's, an optional code is left out",
			responses: `
"4XX":
  description: Client error
  content:
    application/json:
      schema:
        type: object
        required: [message]
        properties:
          code: {type: string, format: uuid}
          message: {type: string, pattern: "^[A-Z][a-z ]+$"}
      example: {message: Invalid input}`,
			err:  tooLarge,
			want: rendered{413, "application/json", `{"message":"Invalid input"}`},
		},
		{
			name: "a code with a pattern falls back to the example's code",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      schema:
        type: object
        required: [code, message]
        properties:
          code: {type: string, pattern: "^E[0-9]{3}$"}
          message: {type: string}
      example: {code: E100, message: Invalid input}`,
			err:  invalid,
			want: rendered{400, "application/json", `{"code":"E100","message":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500"}`},
		},
		{
			name: "a root oneOf fills the branch the probe validates",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      schema:
        oneOf:
          - type: object
            required: [kind, message]
            additionalProperties: false
            properties:
              kind: {const: validation}
              message: {type: string}
              fields:
                type: array
                items: {type: object, properties: {path: {type: array, items: {type: string}}, message: {type: string}}}
          - type: object
            required: [kind, retryAfter]
            properties:
              kind: {const: rate_limit}
              retryAfter: {type: integer}`,
			err: invalid,
			want: rendered{400, "application/json", `{"fields":[{"message":"string \"abc\" does not match pattern ^[0-9]+$","path":["body","device_id"]},` +
				`{"message":"must be <= 100, got 500","path":["query","limit"]}],"kind":"validation",` +
				`"message":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500"}`},
		},
		{
			name: "JSON:API errors place body problems with a source pointer and parameters by name",
			responses: `
"400":
  description: Bad request
  content:
    application/vnd.api+json:
      schema:
        type: object
        required: [errors]
        properties:
          errors:
            type: array
            items:
              type: object
              properties:
                status: {type: string}
                code: {type: string}
                title: {type: string}
                detail: {type: string}
                source:
                  type: object
                  properties:
                    pointer: {type: string}
                    parameter: {type: string}
                    header: {type: string}`,
			err: invalid,
			want: rendered{400, "application/vnd.api+json", `{"errors":[` +
				`{"code":"invalid_request","detail":"string \"abc\" does not match pattern ^[0-9]+$","source":{"pointer":"/device_id"},"status":"400","title":"Bad Request"},` +
				`{"code":"invalid_request","detail":"must be <= 100, got 500","source":{"parameter":"limit"},"status":"400","title":"Bad Request"}]}`},
		},
		{
			name: "Stripe's error object: the type from its enum, the first problem's param",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      schema:
        type: object
        required: [error]
        properties:
          error:
            type: object
            required: [type]
            properties:
              type: {type: string, enum: [api_error, card_error, idempotency_error, invalid_request_error]}
              code: {type: string, maxLength: 5000}
              message: {type: string, maxLength: 5000}
              param: {type: string, maxLength: 5000}
              doc_url: {type: string}`,
			err: invalid,
			want: rendered{400, "application/json", `{"error":{"code":"invalid_request",` +
				`"message":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500","param":"device_id","type":"invalid_request_error"}}`},
		},
		{
			name: "GitHub's errors: item codes from their enum, missing for a required value",
			responses: `
"422":
  description: Validation failed
  content:
    application/json:
      schema:
        type: object
        required: [message, documentation_url]
        properties:
          message: {type: string}
          documentation_url: {type: string}
          errors:
            type: array
            items:
              type: object
              required: [code]
              properties:
                resource: {type: string}
                field: {type: string}
                code: {type: string, enum: [missing, missing_field, invalid, already_exists, unprocessable, custom]}
      example:
        message: Validation Failed
        documentation_url: https://docs.github.com/rest
        errors: [{resource: Issue, field: title, code: missing_field}]`,
			err: missingField,
			want: rendered{422, "application/json", `{"documentation_url":"https://docs.github.com/rest",` +
				`"errors":[{"code":"missing","field":"tags[1].name","resource":"Issue"}],"message":"body.tags[1].name: is required"}`},
		},
		{
			name: "Google's error: the status as code, its status string in the example's style, details kept to the schema",
			responses: `
default:
  description: Error
  content:
    application/json:
      schema:
        type: object
        properties:
          error:
            type: object
            properties:
              code: {type: integer, format: int32}
              message: {type: string}
              status: {type: string}
      example:
        error: {code: 404, message: Not found, status: NOT_FOUND}`,
			err: invalid,
			want: rendered{400, "application/json", `{"error":{"code":400,` +
				`"message":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500","status":"INVALID_REQUEST"}}`},
		},
		{
			name: "problem members the additional properties refuse are dropped, the others stay",
			responses: `
"4XX":
  description: Client error
  content:
    application/problem+json:
      schema:
        type: object
        properties:
          title: {type: string}
          detail: {type: string}
        additionalProperties: {type: string}`,
			err:  unauthorized,
			want: rendered{401, "application/problem+json", `{"detail":"header.x-api-key: missing or empty API key","title":"Unauthorized","type":"about:blank"}`},
		},
		{
			name: "problem details with no schema take RFC 9457's shape",
			responses: `
"415":
  description: Unsupported media type
  content:
    application/problem+json: {}`,
			err: unsupported,
			want: rendered{415, "application/problem+json", `{"detail":"header.Content-Type: \"text/plain\" is not accepted; send application/json",` +
				`"errors":[{"detail":"\"text/plain\" is not accepted; send application/json","header":"Content-Type"}],` +
				`"status":415,"title":"Unsupported Media Type","type":"about:blank"}`},
		},
		{
			name: "a response with an example and no schema follows the example's shape",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      example: {ok: false, error: Bad input, hint: check the form}`,
			err:  badJSON,
			want: rendered{400, "application/json", `{"error":"body: unexpected end of JSON input","hint":"check the form","ok":false}`},
		},
		{
			name: "the named example whose status is the answer's is the starting point",
			responses: `
default:
  description: Error
  content:
    "*/*":
      schema:
        type: object
        required: [status, message, trace]
        properties:
          status: {type: integer}
          message: {type: string}
          trace: {type: string}
      examples:
        notFound: {value: {status: 404, message: Not found, trace: t-404}}
        unauthorized: {value: {status: 401, message: Log in, trace: t-401}}`,
			err:  unauthorized,
			want: rendered{401, "application/json", `{"message":"header.x-api-key: missing or empty API key","status":401,"trace":"t-401"}`},
		},
		{
			name: "a documented 401 without content keeps the envelope",
			responses: `
"401":
  description: Unauthorized
default:
  description: Error
  content:
    application/json:
      schema: {type: object, properties: {message: {type: string}}}`,
			err:  unauthorized,
			want: rendered{401, "", ""},
		},
		{
			name: "a document that documents the Arklow envelope gets the envelope, item by item",
			responses: `
"400":
  description: Bad request
  content:
    application/json:
      schema:
        type: object
        required: [data, errors]
        properties:
          data: {type: "null"}
          errors:
            type: array
            items:
              type: object
              required: [code, message]
              properties:
                code: {type: string}
                message: {type: string}`,
			err: invalid,
			want: rendered{400, "application/json", `{"data":null,"errors":[` +
				`{"code":"invalid_request","message":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$"},` +
				`{"code":"invalid_request","message":"query.limit: must be <= 100, got 500"}]}`},
		},
		{
			name: "problem details extended with allOf and closed with unevaluatedProperties fill the declared array only",
			responses: `
"400":
  description: Bad request
  content:
    application/problem+json:
      schema:
        allOf:
          - $ref: "#/components/schemas/Problem"
          - type: object
            required: [violations]
            properties:
              violations:
                type: array
                items:
                  type: object
                  required: [field, message]
                  properties:
                    field: {type: string}
                    message: {type: string}
        unevaluatedProperties: false`,
			components: `
schemas:
  Problem:
    type: object
    required: [type, title, status]
    properties:
      type: {type: string, format: uri}
      title: {type: string}
      status: {type: integer, minimum: 100, maximum: 599}
      detail: {type: string}`,
			err: missingField,
			want: rendered{400, "application/problem+json", `{"detail":"body.tags[1].name: is required","status":400,"title":"Bad Request","type":"about:blank",` +
				`"violations":[{"field":"tags[1].name","message":"is required"}]}`},
		},
		{
			name: "a 500 is never rendered in the document's format",
			responses: `
default:
  description: Error
  content:
    application/json:
      schema: {type: object, properties: {message: {type: string}}}`,
			err:  internal,
			want: rendered{500, "", ""},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := mustSpec(t, []byte(doc(tc.responses, tc.components)))
			f, warns := errformat.Build(s.responses(t, "post", "/devices"))
			if len(warns) != len(tc.warnings) {
				t.Fatalf("Build warnings = %q, want %d", warns, len(tc.warnings))
			}
			for i, w := range warns {
				if !strings.Contains(w.String(), tc.warnings[i]) {
					t.Errorf("warning %d = %q, want it to contain %q", i, w, tc.warnings[i])
				}
			}
			status, ct, body, ok := f.Render(tc.err)
			got := rendered{status, ct, string(body)}
			want := tc.want
			if want.body != "" && !strings.HasPrefix(want.contentType, "text/") {
				want.body = compact(t, want.body)
			}
			if got != want {
				t.Errorf("Render(%s)\n got  %d %q %s\n want %d %q %s", tc.err.Code, got.status, got.contentType, got.body, want.status, want.contentType, want.body)
			}
			if ok != (want.body != "") {
				t.Errorf("Render(%s) ok = %v", tc.err.Code, ok)
			}
		})
	}
}

// fastAPI is the HTTPValidationError of a FastAPI document, as
// testdata/corpus/mistral.yaml writes it.
const fastAPI = `
schemas:
  HTTPValidationError:
    properties:
      detail:
        items:
          $ref: '#/components/schemas/ValidationError'
        type: array
        title: Detail
    type: object
    title: HTTPValidationError
  ValidationError:
    properties:
      loc:
        items:
          anyOf:
          - type: string
          - type: integer
        type: array
        title: Location
      msg:
        type: string
        title: Message
      type:
        type: string
        title: Error Type
      input:
        title: Input
      ctx:
        type: object
        title: Context
    type: object
    required:
    - loc
    - msg
    - type
    title: ValidationError`

// TestStatus checks which status a validation failure answers with.
func TestStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		codes []string
		err   *reqerr.Error
		want  int
	}{
		{"400 when the document documents 400", []string{"400", "422"}, invalid, 400},
		{"422 when it documents 422 and not 400", []string{"422"}, invalid, 422},
		{"400 when it documents neither", []string{"4XX"}, badJSON, 400},
		{"400 when it documents nothing", nil, invalid, 400},
		{"its own status for another error", []string{"422"}, tooLarge, 413},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var rs strings.Builder
			for _, c := range tc.codes {
				fmt.Fprintf(&rs, "%q:\n  description: error\n  content:\n    application/json:\n      schema: {type: object, properties: {message: {type: string}}}\n", c)
			}
			s := mustSpec(t, []byte(doc(rs.String(), "")))
			f, _ := errformat.Build(s.responses(t, "post", "/devices"))
			if got := f.Status(tc.err); got != tc.want {
				t.Errorf("Status(%s) with %v documented = %d, want %d", tc.err.Code, tc.codes, got, tc.want)
			}
		})
	}
}

// TestRenderIsDeterministicAndConcurrent renders one error from many
// goroutines: every answer is the same bytes, and the Formats is not
// changed by rendering (run with -race).
func TestRenderIsDeterministicAndConcurrent(t *testing.T) {
	t.Parallel()
	s := mustSpec(t, []byte(doc(`
"400":
  description: Bad request
  content:
    application/problem+json:
      schema: {type: object, properties: {title: {type: string}, detail: {type: string}}}
      example: {type: "https://example.com/probs/invalid", title: Invalid, errors: [{detail: x, pointer: "#/x"}]}`, "")))
	f, warns := errformat.Build(s.responses(t, "post", "/devices"))
	if len(warns) > 0 {
		t.Fatalf("Build warnings: %v", warns)
	}
	_, _, first, ok := f.Render(invalid)
	want := compact(t, `{"detail":"body.device_id: string \"abc\" does not match pattern ^[0-9]+$; query.limit: must be <= 100, got 500",
		"errors":[{"detail":"string \"abc\" does not match pattern ^[0-9]+$","pointer":"#/device_id"},{"detail":"must be <= 100, got 500","parameter":"limit"}],
		"status":400,"title":"Bad Request","type":"https://example.com/probs/invalid"}`)
	if !ok || string(first) != want {
		t.Fatalf("Render = %s, %v; want %s", first, ok, want)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	bodies := make([]string, 32)
	for i := range bodies {
		wg.Go(func() {
			<-start
			_, _, b, _ := f.Render(invalid)
			bodies[i] = string(b)
		})
	}
	close(start)
	wg.Wait()
	for i, b := range bodies {
		if b != string(first) {
			t.Fatalf("render %d = %s, want %s", i, b, first)
		}
	}
}

// TestNilFormats checks that an operation with no Formats answers with
// the error's own status and no body.
func TestNilFormats(t *testing.T) {
	t.Parallel()
	var f *errformat.Formats
	if status, _, _, ok := f.Render(invalid); ok || status != 400 {
		t.Errorf("nil Render = %d, %v; want 400, false", status, ok)
	}
}

// TestRepairAtParent: a validator that reports an unknown property at the
// object that holds it (not at the property) still gets the members Build
// added dropped.
func TestRepairAtParent(t *testing.T) {
	t.Parallel()
	s := mustSpec(t, []byte(doc(`
"400":
  description: Bad request
  content:
    application/problem+json:
      schema: {type: object, properties: {title: {type: string}, detail: {type: string}}}`, "")))
	docs := s.responses(t, "post", "/devices")
	d := docs["400"]
	d.Validate = func(_ string, body any) []reqerr.Problem {
		var probs []reqerr.Problem
		for k := range body.(map[string]any) {
			if k != "title" && k != "detail" {
				probs = append(probs, reqerr.Problem{Location: "body", Message: "unknown property " + k})
			}
		}
		return probs
	}
	docs["400"] = d
	f, warns := errformat.Build(docs)
	if len(warns) > 0 {
		t.Fatalf("Build warnings: %v", warns)
	}
	_, _, body, ok := f.Render(unauthorized)
	if ok {
		t.Fatalf("Render(401) with only 400 documented = %s", body)
	}
	_, _, body, ok = f.Render(badJSON)
	if want := `{"detail":"body: unexpected end of JSON input","title":"Bad Request"}`; !ok || string(body) != want {
		t.Errorf("Render = %s, %v; want %s", body, ok, want)
	}
}
