package reqerr

import (
	"reflect"
	"testing"
)

// The statuses are the Contract (DESIGN §4 and docs/admin-api.md): a
// change here is a change for every client, so the test spells them out.
func TestEveryCodeHasItsStatus(t *testing.T) {
	want := map[Code]int{
		InvalidRequest:       400,
		InvalidJSON:          400,
		UnknownScenario:      400,
		UnknownResponse:      400,
		Unauthorized:         401,
		ForbiddenHost:        403,
		NotFound:             404,
		MethodNotAllowed:     405,
		PayloadTooLarge:      413,
		UnsupportedMediaType: 415,
		HeadersTooLarge:      431,
		Internal:             500,
		UpstreamUnavailable:  502,
		UpstreamTimeout:      504,
	}
	for code, status := range want {
		if got := code.Status(); got != status {
			t.Errorf("%s: status %d, want %d", code, got, status)
		}
		if got := (&Error{Code: code}).Status(); got != status {
			t.Errorf("Error{%s}.Status() = %d, want %d", code, got, status)
		}
	}
	if len(statuses) != len(want) {
		t.Errorf("the table has %d codes, the test knows %d: add the new one here", len(statuses), len(want))
	}
}

func TestAnUnknownCodeIsTheMocksFault(t *testing.T) {
	if got := Code("no_such_code").Status(); got != 500 {
		t.Errorf("status %d, want 500", got)
	}
}

func TestProblemsReadAsLocationAndMessage(t *testing.T) {
	err := New(InvalidRequest, "body.device_id", "must match %s", "^[0-9]+$")
	err.Problems = append(err.Problems, Problem{Message: "the request as a whole"})

	if got, want := err.Error(), "body.device_id: must match ^[0-9]+$; the request as a whole"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	want := []Item{
		{Code: InvalidRequest, Message: "body.device_id: must match ^[0-9]+$"},
		{Code: InvalidRequest, Message: "the request as a whole"},
	}
	if got := err.Items(); !reflect.DeepEqual(got, want) {
		t.Errorf("Items() = %+v, want %+v", got, want)
	}
}
