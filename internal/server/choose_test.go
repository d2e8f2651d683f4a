package server

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/scenario"
)

// The scenario comes from X-Mock-Scenario, else Prefer: scenario=, else
// the browser's cookie, else the active one.
func TestChooseScenarioSources(t *testing.T) {
	set := mustLoadShipped(t)
	op, _ := set.Spec.Operation("post_v1_self_mfa_verify_totp_backup")
	req := &fixture.Request{Body: map[string]any{"device_id": "1", "code": "12345678"}}
	cases := []struct {
		name                   string
		header, prefer, cookie string
		want                   string
	}{
		{"the active scenario when the request names none", "", "", "", "reused-code"},
		{"the cookie over the active scenario", "", "", "bad-device", "bad-device"},
		{"Prefer over the cookie", "", "scenario=invalid-code", "bad-device", "invalid-code"},
		{"X-Mock-Scenario over Prefer and the cookie", "rate-limited", "scenario=invalid-code", "bad-device", "rate-limited"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "http://localhost/", nil)
			if tc.header != "" {
				r.Header.Set("X-Mock-Scenario", tc.header)
			}
			if tc.prefer != "" {
				r.Header.Set("Prefer", tc.prefer)
			}
			if tc.cookie != "" {
				r.Header.Set("Cookie", "other=1; "+ScenarioCookie+"="+tc.cookie)
			}
			a, err := askOf(r)
			if err != nil {
				t.Fatal(err)
			}
			c, err := choose(set, scenario.NewEngine(scenario.Options{}), "reused-code", op, a, req)
			if err != nil || c.scenario != tc.want {
				t.Errorf("choose = %q (%v), want %q", c.scenario, err, tc.want)
			}
		})
	}
}

// An unknown name is an error that says where it came from and guesses
// the name meant.
func TestChooseUnknownScenario(t *testing.T) {
	set := mustLoadShipped(t)
	op, _ := set.Spec.Operation("post_v1_self_mfa_verify_totp_backup")
	r := httptest.NewRequest("POST", "http://localhost/", nil)
	r.Header.Set("Cookie", ScenarioCookie+"=reused")
	a, _ := askOf(r)
	_, err := choose(set, scenario.NewEngine(scenario.Options{}), "default", op, a, &fixture.Request{})
	if err == nil || err.Code != reqerr.UnknownScenario {
		t.Fatalf("choose = %v, want unknown_scenario", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, `cookie.arklow_mock_scenario: unknown scenario "reused" (did you mean "reused-code"?); known scenarios: `) {
		t.Errorf("message = %q", msg)
	}
}

// Prefer: delay= sets the wait, whatever the scenario's rule says.
func TestChoosePreferDelay(t *testing.T) {
	set := mustLoadShipped(t)
	op, _ := set.Spec.Operation("post_v1_self_mfa_verify_totp_backup")
	for _, tc := range []struct {
		scenario, prefer string
		want             time.Duration
	}{
		{"slow", "", 2 * time.Second},
		{"slow", "delay=800", 800 * time.Millisecond},
		{"default", "delay=1.5s", 1500 * time.Millisecond},
		{"default", "code=200, delay=10", 10 * time.Millisecond},
	} {
		r := httptest.NewRequest("POST", "http://localhost/", nil)
		r.Header.Set("X-Mock-Scenario", tc.scenario)
		if tc.prefer != "" {
			r.Header.Set("Prefer", tc.prefer)
		}
		a, err := askOf(r)
		if err != nil {
			t.Fatal(err)
		}
		c, err := choose(set, scenario.NewEngine(scenario.Options{}), "default", op, a, &fixture.Request{Body: map[string]any{"device_id": "1"}})
		if err != nil || c.delay != tc.want {
			t.Errorf("%s with Prefer %q: delay %v (%v), want %v", tc.scenario, tc.prefer, c.delay, err, tc.want)
		}
	}
}
