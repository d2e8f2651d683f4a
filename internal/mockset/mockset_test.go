package mockset

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/diag"
)

// tree writes the shipped spec plus the given fixtures and scenarios.
func tree(t *testing.T, fixtures, scenarios map[string]string) Options {
	t.Helper()
	return treeWithSpec(t, shippedSpec(t), fixtures, scenarios)
}

func shippedSpec(t *testing.T) string {
	t.Helper()
	spec, err := os.ReadFile("../../spec/arklow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(spec)
}

// treeWithSpec writes spec plus the given fixtures and scenarios.
func treeWithSpec(t *testing.T, spec string, fixtures, scenarios map[string]string) Options {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"spec/arklow.yaml": spec}
	for name, body := range fixtures {
		files["fixtures/"+name+".yaml"] = body
	}
	for name, body := range scenarios {
		files["scenarios/"+name+".yaml"] = body
	}
	for _, d := range []string{"spec", "fixtures", "scenarios"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	for p, body := range files {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Options{Spec: filepath.Join(dir, "spec"), Fixtures: filepath.Join(dir, "fixtures"), Scenarios: filepath.Join(dir, "scenarios")}
}

const op = "post_v1_self_mfa_verify_totp_backup"

const okFixture = `status: 200
body:
  data:
    valid: true
    device_id: "{{ .Request.Body.device_id }}"
    verification_type: backup_code
    session_mfa_not_after: null
  errors: null
`

const errorFixture = `status: 409
body:
  data: null
  errors: [{code: used, message: used}]
`

func scenarioFile(name, fixture string) string {
	return "name: " + name + "\noperations:\n  " + op + ":\n    - fixture: " + fixture + "\n"
}

func TestLoad(t *testing.T) {
	cases := []struct {
		name      string
		fixtures  map[string]string
		scenarios map[string]string
		errs      []string // substrings of the errors, in order
		warns     []string // substrings of the warnings
	}{
		{"a consistent set loads", map[string]string{"ok": okFixture}, map[string]string{"default": scenarioFile("default", "ok")}, nil, nil},
		{"an undocumented status is checked against 2xx and warned about",
			map[string]string{"used": errorFixture}, map[string]string{"s": scenarioFile("s", "used")},
			nil, []string{"used.yaml:1: warning: status 409 is not documented"}},
		{"a fixture not matching its schema names FILE:LINE and the pointer",
			map[string]string{"bad": strings.Replace(okFixture, "valid: true", "valid: yes please", 1)}, map[string]string{"s": scenarioFile("s", "bad")},
			[]string{"bad.yaml:4: fixture bad does not match the 200 response of " + op + " at /data/valid"}, nil},
		{"an unknown fixture is named with a suggestion",
			map[string]string{"ok": okFixture}, map[string]string{"s": scenarioFile("s", "okk")},
			[]string{`s.yaml:4: scenario s: unknown fixture "okk" (did you mean "ok"?)`}, nil},
		{"an unknown operation is named",
			map[string]string{"ok": okFixture}, map[string]string{"s": "name: s\noperations:\n  nope: ok\n"},
			[]string{`s.yaml:3: scenario s: unknown operation "nope"`}, []string{"fixture ok is not used"}},
		{"a template that fails for the probe request is an error",
			map[string]string{"t": strings.Replace(okFixture, ".Request.Body.device_id", ".Request.Body.device_id.x | upper", 1)},
			map[string]string{"s": scenarioFile("s", "t")},
			[]string{"t.yaml:5: fixture t cannot be rendered for " + op}, nil},
		{"an unused fixture is a warning", map[string]string{"ok": okFixture, "spare": okFixture}, map[string]string{"s": scenarioFile("s", "ok")},
			nil, []string{"spare.yaml:1: warning: fixture spare is not used by any scenario"}},
		{"empty fixtures and scenarios are fine", nil, nil, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set, err := Load(context.Background(), tree(t, tc.fixtures, tc.scenarios))
			if len(tc.errs) > 0 {
				list, ok := diag.From(err)
				if !ok {
					t.Fatalf("Load = %v, want diagnostics", err)
				}
				for _, want := range tc.errs {
					if !strings.Contains(list.Errors()[0].String()+"\n"+err.Error(), want) {
						t.Errorf("errors %q do not contain %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			var warns []string
			for _, w := range set.Warnings {
				warns = append(warns, w.String())
			}
			all := strings.Join(warns, "\n")
			for _, want := range tc.warns {
				if !strings.Contains(all, want) {
					t.Errorf("warnings %q do not contain %q", all, want)
				}
			}
			if len(tc.warns) == 0 && len(warns) > 0 {
				t.Errorf("unexpected warnings: %s", all)
			}
		})
	}
}

func TestMissingFolders(t *testing.T) {
	opts := tree(t, nil, nil)
	opts.Fixtures = filepath.Join(opts.Fixtures, "nope")
	if _, err := Load(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "--fixtures") {
		t.Errorf("Load with a missing fixtures folder = %v, want an error naming --fixtures", err)
	}
}

// A fixture must send the headers its documented response requires, with
// values that match their schemas; the success response's headers are not
// imposed on a status the spec does not document.
func TestFixtureHeadersAgainstTheSpec(t *testing.T) {
	const documented = "          description: Default Response\n"
	spec := shippedSpec(t)
	if !strings.Contains(spec, documented) {
		t.Fatal("the shipped spec changed: no 200 description to hang headers on")
	}
	spec = strings.Replace(spec, documented, documented+`          headers:
            X-Request-Id:
              required: true
              schema: {type: string, format: uuid}
            X-RateLimit-Remaining:
              schema: {type: integer, minimum: 0}
`, 1)
	withHeaders := func(headers string) string {
		return "status: 200\nheaders:\n" + headers + strings.TrimPrefix(okFixture, "status: 200\n")
	}
	cases := []struct {
		name    string
		fixture string
		want    string // "" for no error
	}{
		{"the required header, valid", withHeaders("  X-Request-Id: 0b6f3f0e-2f4c-4d36-9c5e-1c2f3a4b5c6d\n"), ""},
		{"a template rendering a valid value", withHeaders("  X-Request-Id: '{{ uuid }}'\n  X-RateLimit-Remaining: '{{ 7 }}'\n"), ""},
		{"the required header missing", okFixture, "ok.yaml:1: fixture ok does not match the 200 response of " + op + ": header.X-Request-Id: is required by the 200 response"},
		{"a header breaking its schema, at its line", withHeaders("  X-Request-Id: 0b6f3f0e-2f4c-4d36-9c5e-1c2f3a4b5c6d\n  x-ratelimit-remaining: lots\n"),
			"ok.yaml:4: fixture ok does not match the 200 response of " + op + ": header.X-Ratelimit-Remaining: "},
		{"an undocumented status owes nothing", errorFixture, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := treeWithSpec(t, spec, map[string]string{"ok": tc.fixture}, map[string]string{"default": scenarioFile("default", "ok")})
			_, err := Load(context.Background(), opts)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load error = %v\nwant one containing %q", err, tc.want)
			}
		})
	}
}

// A "default" response documents every status the operation does not list:
// a 409 fixture is checked against it (not against the 200 schema), with
// no warning about an undocumented status.
func TestDefaultResponseCoversUnlistedStatuses(t *testing.T) {
	const success = "                  data:\n                    anyOf:\n"
	spec := shippedSpec(t)
	// The 200 answer now requires an object in data, as many APIs' success schemas do.
	spec = strings.Replace(spec, success, "                  data:\n                    type: object\n                    anyOf:\n", 1)
	spec = strings.Replace(spec, "components:\n", `        default:
          description: An error, in the envelope.
          content:
            application/json:
              schema:
                type: object
                required: [data, errors]
                properties:
                  data: {type: 'null'}
                  errors: {type: array, minItems: 1}
components:
`, 1)
	cases := []struct {
		name, fixture, wantErr string
	}{
		{"an error fixture matching default", errorFixture, ""},
		{"an error fixture breaking default", strings.Replace(errorFixture, "errors: [{code: used, message: used}]", "errors: []", 1),
			"does not match the default response of " + op + " at /errors"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := treeWithSpec(t, spec, map[string]string{"used": tc.fixture}, map[string]string{"default": scenarioFile("default", "used")})
			set, err := Load(context.Background(), opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Load error = %v\nwant one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			for _, w := range set.Warnings {
				if strings.Contains(w.String(), "not documented") {
					t.Errorf("warning %q: default documents the status", w)
				}
			}
		})
	}
}

// A fixture with a text body is checked too: against a text response's
// schema (the body as a JSON string), and with a warning where the
// response documents JSON.
func TestTextFixturesAgainstTheSpec(t *testing.T) {
	const textSpec = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /code:
    get:
      operationId: code
      responses:
        '200':
          description: a short code
          content:
            text/plain:
              schema: {type: string, maxLength: 3}
  /data:
    get:
      operationId: data
      responses:
        '200':
          description: JSON
          content:
            application/json:
              schema: {type: object}
`
	text := func(body string) string {
		return "status: 200\nheaders:\n  Content-Type: text/plain\nbody: " + body + "\n"
	}
	uses := func(op, fixture string) map[string]string {
		return map[string]string{"default": "name: default\noperations:\n  " + op + ":\n    - fixture: " + fixture + "\n"}
	}
	cases := []struct {
		name, op, body, wantErr, wantWarning string
	}{
		{"a text body its schema takes", "code", "abc", "", ""},
		{"a text body its schema refuses", "code", "abcd", "does not match the 200 response of code", ""},
		{"a text body where JSON is documented", "data", "abc", "", "sends a body that is not JSON, but the 200 response of data documents application/json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set, err := Load(context.Background(), treeWithSpec(t, textSpec, map[string]string{"f": text(tc.body)}, uses(tc.op, "f")))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Load error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			found := tc.wantWarning == ""
			for _, w := range set.Warnings {
				found = found || strings.Contains(w.String(), tc.wantWarning)
			}
			if !found {
				t.Errorf("warnings %v, want one containing %q", set.Warnings, tc.wantWarning)
			}
		})
	}
}

// Open checks the fixtures (preparing the operations they answer) and
// leaves the rest of the spec to Prepare; the prepared Set is Load's.
func TestOpenThenPrepareIsLoad(t *testing.T) {
	opts := Options{Spec: "../../spec", Fixtures: "../../fixtures", Scenarios: "../../scenarios"}
	loaded, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(s.Warnings), fmt.Sprint(loaded.Warnings); got != want || len(s.Warnings) == 0 {
		t.Errorf("Open+Prepare warnings:\n%s\nLoad's:\n%s", got, want)
	}
}

// A fixture that breaks its response is refused by Open, with the
// spec's warnings, as by Load.
func TestOpenRefusesABrokenFixtureAsLoad(t *testing.T) {
	opts := tree(t, map[string]string{"bad": strings.Replace(okFixture, "backup_code", "sms", 1)}, map[string]string{"default": "name: default\noperations:\n  " + op + ": bad\n"})
	_, loadErr := Load(context.Background(), opts)
	_, openErr := Open(context.Background(), opts)
	if loadErr == nil || openErr == nil || loadErr.Error() != openErr.Error() {
		t.Errorf("Open: %v\nLoad: %v", openErr, loadErr)
	}
}
