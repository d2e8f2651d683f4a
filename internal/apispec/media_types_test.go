package apispec

import (
	"slices"
	"testing"
)

func TestResponseMediaTypes(t *testing.T) {
	s := loadYAML(t, `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /r:
    get:
      operationId: r
      responses:
        '200':
          description: ok
          content:
            text/csv: {schema: {type: string}}
            application/json: {schema: {type: array}}
        '404':
          description: gone
          content:
            'application/*': {}
        '500':
          description: no body
`)
	op, _ := s.Operation("r")
	ok := op.Response(200)
	if got := ok.MediaTypes(); !slices.Equal(got, []string{"application/json", "text/csv"}) {
		t.Errorf("MediaTypes() = %q, want both, sorted", got)
	}
	if got := op.Response(500).MediaTypes(); len(got) != 0 {
		t.Errorf("MediaTypes() of a response without content = %q, want none", got)
	}
	tests := []struct {
		resp        *Response
		contentType string
		wantType    string
		wantOK      bool
	}{
		{ok, "application/json; charset=utf-8", "application/json", true},
		{ok, "TEXT/CSV", "text/csv", true},
		{ok, "text/html", "text/html", false},
		{ok, "", "", false},
		{ok, "not a media type;;", "", false},
		{op.Response(404), "application/problem+json", "application/problem+json", true},
		{op.Response(404), "text/plain", "text/plain", false},
	}
	for _, tt := range tests {
		mt, accepted := tt.resp.AcceptsMediaType(tt.contentType)
		if mt != tt.wantType || accepted != tt.wantOK {
			t.Errorf("%s AcceptsMediaType(%q) = %q, %v; want %q, %v", tt.resp.Code, tt.contentType, mt, accepted, tt.wantType, tt.wantOK)
		}
	}
}
