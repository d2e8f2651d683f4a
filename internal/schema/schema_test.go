package schema_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/schema"
)

// doc is a document as rawdoc gives it: plain JSON values.
func doc(t testing.TB, text string) any {
	t.Helper()
	v, err := schema.DecodeJSON([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustCompile(t testing.TB, text, ptr string) *schema.Schema {
	t.Helper()
	c := schema.NewCompiler(map[string]any{"spec.json": doc(t, text)}, nil)
	s, err := c.Compile("spec.json", ptr)
	if err != nil {
		t.Fatalf("Compile(%s): %v", ptr, err)
	}
	return s
}

const device = `{"components": {"schemas": {
  "Device": {"type": "object", "required": ["id"], "additionalProperties": false, "properties": {
    "id":   {"type": "string", "pattern": "^(?!0)[0-9]+$"},
    "kind": {"anyOf": [{"enum": ["sms"]}, {"enum": ["totp"]}]},
    "tags": {"type": "array", "items": {"type": "string"}},
    "next": {"$ref": "#/components/schemas/Device"},
    "slow": {"type": "string", "pattern": "^(?!z)(a+)+$"},
    "none": {"enum": []}}}}}}`

func TestProblems(t *testing.T) {
	s := mustCompile(t, device, "/components/schemas/Device")
	cases := []struct {
		name, body string
		want       []string // problem: location, message and (after " @ ") pointer
	}{
		{"a valid value", `{"id": "42", "kind": "sms", "next": {"id": "7"}}`, nil},
		{"a missing property", `{}`, []string{"body.id: is required @ /id"}},
		{"an unknown property", `{"id": "1", "x": 1}`, []string{"body.x: is not allowed (unknown property) @ /x"}},
		{"an ECMA-262 lookahead", `{"id": "01"}`, []string{`body.id: string "01" does not match pattern ^(?!0)[0-9]+$ @ /id`}},
		{"enum branches merge", `{"id": "1", "kind": "sms2"}`, []string{`body.kind: must be one of "sms", "totp"; got "sms2" @ /kind`}},
		{"array items are located by index", `{"id": "1", "tags": ["a", 2]}`, []string{"body.tags[1]: expected string, got number @ /tags/1"}},
		{"a $ref'd schema", `{"id": "1", "next": {}}`, []string{"body.next.id: is required @ /next/id"}},
		{"an empty enum allows no value", `{"id": "1", "none": "x"}`, []string{`body.none: no value is allowed here (its enum is empty); got "x" @ /none`}},
		{"a pattern that backtracks too long is a problem", `{"id": "1", "slow": "` + strings.Repeat("a", 5000) + `!"}`,
			[]string{"body: pattern ^(?!z)(a+)+$ took longer than 100ms to match; the value is rejected"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := doc(t, tc.body)
			probs := s.Problems(nil, "body", v)
			var got []string
			for _, p := range probs {
				g := p.String()
				if p.Pointer != "" {
					g += " @ " + p.Pointer
				}
				got = append(got, g)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("Problems(%.60s) =\n  %q\nwant\n  %q", tc.body, got, tc.want)
			}
		})
	}
}

// A document's $ref to another file is read by the compiler's load.
func TestCompileLoadsOtherFiles(t *testing.T) {
	var asked []string
	load := func(url string) (any, error) {
		asked = append(asked, url)
		if strings.HasSuffix(url, "/other.json") {
			return map[string]any{"Code": map[string]any{"type": "string", "minLength": 6}}, nil
		}
		return nil, fmt.Errorf("%s: not here", url)
	}
	c := schema.NewCompiler(map[string]any{"spec.json": doc(t, `{"s": {"$ref": "other.json#/Code"}, "bad": {"$ref": "none.json"}}`)}, load)
	s, err := c.Compile("spec.json", "/s")
	if err != nil {
		t.Fatal(err)
	}
	if probs := s.Problems(nil, "body", "123"); len(probs) != 1 || probs[0].Message != "must be at least 6 characters long, got 3" {
		t.Errorf("Problems = %v, want the $ref'd minLength", probs)
	}
	if _, err := c.Compile("spec.json", "/bad"); err == nil || !strings.Contains(err.Error(), "none.json: not here") {
		t.Errorf("Compile(/bad) = %v, want the load's error", err)
	}
	if len(asked) != 2 {
		t.Errorf("load was asked for %q, want other.json then none.json", asked)
	}
}

// DecodeJSON is stricter than encoding/json where an API is, and its
// errors name the value where the JSON went wrong.
func TestDecodeJSONErrors(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 20) + `tru`
	cases := []struct{ body, location, message string }{
		{`{"device_id":`, "body.device_id", "invalid JSON: unexpected end of input"},
		{`{"a":"1","a":"2"}`, "body.a", "invalid JSON at byte 9: duplicate object member name"},
		{`{"a":"x\u0000"}`, "body.a", "invalid JSON at byte 14: strings must not contain NUL characters"},
		{`{"a":[1,2}`, "body.a", "invalid JSON at byte 9: invalid character '}' after array element (expecting ',' or ']')"},
		{`[] []`, "body", "invalid JSON at byte 4: unexpected data after the JSON value"},
		{deep, "body" + strings.Repeat(".a", 16) + ".…(4 levels deeper)", ""},
	}
	for _, tc := range cases {
		_, err := schema.DecodeJSON([]byte(tc.body))
		je, ok := err.(*schema.JSONError)
		if !ok {
			t.Errorf("DecodeJSON(%.30s) = %v, want a *JSONError", tc.body, err)
			continue
		}
		if got := je.Location("body"); got != tc.location {
			t.Errorf("DecodeJSON(%.30s): Location = %q, want %q", tc.body, got, tc.location)
		}
		if tc.message != "" && je.Error() != tc.message {
			t.Errorf("DecodeJSON(%.30s) = %q, want %q", tc.body, je.Error(), tc.message)
		}
	}
}

func ExampleSchema_Problems() {
	c := schema.NewCompiler(map[string]any{"spec.json": map[string]any{
		"Code": map[string]any{"type": "string", "minLength": 6},
	}}, nil)
	s, _ := c.Compile("spec.json", "/Code")
	for _, p := range s.Problems(nil, "body.code", "123") {
		fmt.Println(p)
	}
	// Output: body.code: must be at least 6 characters long, got 3
}
