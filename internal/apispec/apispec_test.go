package apispec

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/arklow/arklow-mock/internal/schema"
)

func mustLoad(tb testing.TB, path string) *Spec {
	tb.Helper()
	s, err := Load(tb.Context(), path)
	if err != nil {
		tb.Fatalf("Load(%s): %v", path, err)
	}
	return s
}

// loadYAML loads an OpenAPI document given as text.
func loadYAML(t *testing.T, doc string) *Spec {
	t.Helper()
	p := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustLoad(t, p)
}
func TestResponseValidateSeed(t *testing.T) {
	s := mustLoad(t, "../../spec")
	op, _ := s.Operation("post_v1_self_mfa_verify_totp_backup")
	r := op.Response(200)
	body, _ := schema.DecodeJSON([]byte(`{"data":{"valid":true,"device_id":"1","verification_type":"sms","session_mfa_not_after":null},"errors":null}`))
	probs := r.Validate(body)
	if len(probs) != 1 || probs[0].Pointer != "/data/verification_type" {
		t.Fatalf("Validate = %+v", probs)
	}
	t.Log(probs[0])
}

// Routing follows OpenAPI's precedence (literal segments before
// parameters) across the router's buckets, and 404/405 stay exact.
func TestRoutePrecedence(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /v1/users/me:
    get: {operationId: me, responses: {'200': {description: ok}}}
  /v1/users/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {operationId: user, responses: {'200': {description: ok}}}
    delete: {operationId: deleteUser, responses: {'204': {description: ok}}}
  /v1/{kind}/count:
    parameters: [{name: kind, in: path, required: true, schema: {type: string}}]
    get: {operationId: count, responses: {'200': {description: ok}}}
  /{tenant}/status:
    parameters: [{name: tenant, in: path, required: true, schema: {type: string}}]
    get: {operationId: status, responses: {'200': {description: ok}}}
  /health:
    get: {operationId: health, responses: {'200': {description: ok}}}
`
	s := loadYAML(t, doc)
	cases := []struct{ method, path, want string }{
		{"GET", "/v1/users/me", "me"},
		{"GET", "/v1/users/42", "user"},
		{"DELETE", "/v1/users/42", "deleteUser"},
		{"GET", "/v1/users/count", "user"}, // the left-most literal segment wins
		{"GET", "/v1/orgs/count", "count"},
		{"GET", "/acme/status", "status"},
		{"GET", "/health", "health"},
		{"GET", "/v1/users/42/extra", "404"},
		{"GET", "/v1/users", "404"},
		{"GET", "/", "404"},
		{"POST", "/v1/users/42", "405"},
	}
	for _, c := range cases {
		op, _, err := s.Route(httptest.NewRequest(c.method, c.path, nil))
		got := ""
		if err == nil {
			got = op.Key
		} else {
			got = strconv.Itoa(err.Status())
		}
		if got != c.want {
			t.Errorf("%s %s routed to %s, want %s", c.method, c.path, got, c.want)
		}
	}
}
