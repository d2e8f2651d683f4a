package errformat

import (
	"reflect"
	"testing"

	"github.com/arklow/arklow-mock/internal/reqerr"
)

func TestPickWord(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		enum []any
		kind string
		code reqerr.Code
		keep any
		want any
	}{
		{"an equal value, ignoring case and punctuation", []any{"NotFound", "InvalidRequest"}, "invalid_request", reqerr.InvalidRequest, nil, "InvalidRequest"},
		{"a synonym of the code", []any{"UNAUTHENTICATED", "PERMISSION_DENIED"}, "unauthorized", reqerr.Unauthorized, nil, "UNAUTHENTICATED"},
		{"the shortest value containing a word", []any{"AUTH_WORKSPACE_NOT_FOUND", "USER_NOT_FOUND", "NOT_FOUND_ANYWHERE"}, "not_found", reqerr.NotFound, nil, "USER_NOT_FOUND"},
		{"a kind before the code", []any{"invalid", "missing_field"}, "missing", reqerr.InvalidRequest, nil, "missing_field"},
		{"the example's value when nothing fits", []any{"E1", "E2"}, "invalid_request", reqerr.InvalidRequest, "E2", "E2"},
		{"the first value as a last resort", []any{7, "E1", "E2"}, "invalid_request", reqerr.InvalidRequest, nil, "E1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got, _ := pickWord(tc.enum, wordsFor(tc.kind, tc.code, 400), tc.keep); got != tc.want {
				t.Errorf("pickWord(%v, %s) = %v, want %v", tc.enum, tc.kind, got, tc.want)
			}
		})
	}
}

func TestInStyle(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ example, want string }{
		{"NOT_FOUND", "INVALID_REQUEST"},
		{"not-found", "invalid-request"},
		{"notFound", "invalidRequest"},
		{"not_found", "invalid_request"},
		{"", "invalid_request"},
	} {
		if got := inStyle("invalid_request", tc.example); got != tc.want {
			t.Errorf("inStyle(invalid_request, %q) = %q, want %q", tc.example, got, tc.want)
		}
	}
}

func TestPlaceOf(t *testing.T) {
	t.Parallel()
	cases := []struct {
		p    reqerr.Problem
		want place
	}{
		{reqerr.Problem{Location: "body.items[0].name", Pointer: "/items/0/name"},
			place{in: "body", name: "items[0].name", full: "body.items[0].name", segments: []any{"body", "items", 0, "name"}, pointer: "/items/0/name"}},
		{reqerr.Problem{Location: "body"},
			place{in: "body", full: "body", segments: []any{"body"}}},
		{reqerr.Problem{Location: "query.filter.name"},
			place{in: "query", name: "filter.name", full: "query.filter.name", segments: []any{"query", "filter.name"}}},
		{reqerr.Problem{Location: "query.ids[1]", Pointer: "/1"},
			place{in: "query", name: "ids", full: "query.ids[1]", segments: []any{"query", "ids", 1}}},
		{reqerr.Problem{Location: "header.X-Api-Key"},
			place{in: "header", name: "X-Api-Key", full: "header.X-Api-Key", segments: []any{"header", "X-Api-Key"}}},
		{reqerr.Problem{}, place{}},
	}
	for _, tc := range cases {
		if got := placeOf(tc.p); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("placeOf(%q) = %+v, want %+v", tc.p.Location, got, tc.want)
		}
	}
}
