package main

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleReport() *docReport {
	ok := result{verdict: vOK, status: 200, fixture: "spec:example"}
	return &docReport{
		path: "testdata/x.yaml",
		ops: []opReport{
			{
				method: "POST", path: "/pets",
				valid: ok,
				variants: [numVariants]variantReport{
					{kind: missingField, what: "body without `name`", res: result{verdict: vOK, status: 422}},
					{kind: wrongType, what: "body.name = 12345 (integer)", res: result{verdict: vBadFormat, status: 400,
						request: `POST /pets (application/json) {"name":12345}`, contentType: "application/json",
						answer: `{"errors":[]}`, detail: "400 response body failed to validate schema; /required: missing property 'detail'"}},
					{kind: noCredentials, what: "without header x-key", res: result{verdict: vUndocumented, status: 401}},
					{kind: missingQuery, na: "no required query parameter"},
				},
			},
			{
				method: "GET", path: "/pets/{id}",
				valid: result{verdict: vBadAnswer, status: 200, fixture: "spec:generated",
					request: "GET /pets/1", contentType: "application/json", answer: `{"id":"x"}`,
					detail: "200 response body failed to validate schema; $.id: got string, want integer"},
				variants: [numVariants]variantReport{
					{kind: missingField, na: "no request body"},
					{kind: wrongType, na: "no request body"},
					{kind: noCredentials, what: "without header x-key", res: result{verdict: vAccepted, status: 200,
						request: "GET /pets/1", contentType: "application/json", answer: `{"id":1}`}},
					{kind: missingQuery, na: "no required query parameter"},
				},
			},
			{method: "PUT", path: "/pets/{id}", skipped: "cannot build a valid request: $.a: bad | worse"},
		},
	}
}

func TestSummary(t *testing.T) {
	got := sampleReport().summarize()
	want := summary{
		operations: 3, skipped: 1, validSent: 2, validOK: 1,
		variantsSent: 4, rejected: 3, documented: 2, inFormat: 1, undocumented: 1, accepted: 1,
	}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	line := sampleReport().summaryLine()
	wantLine := "testdata/x.yaml: 3 operations; valid answers OK 1/2; rejections OK 3/4; in the documented format 1/2 (1 undocumented); skipped 1; accepted invalid 1"
	if line != wantLine {
		t.Errorf("summaryLine =\n%s\nwant\n%s", line, wantLine)
	}
}

func TestStrictFailures(t *testing.T) {
	got := sampleReport().strictFailures(nil)
	want := []string{"1 valid request(s) without a conforming 2xx", "1 invalid variant(s) accepted"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("strictFailures = %q, want %q", got, want)
	}
	// a bad format and an undocumented status are reported, not failures
	r := sampleReport()
	r.ops = r.ops[:1]
	if f := r.strictFailures(nil); len(f) != 0 {
		t.Errorf("strictFailures = %q, want none", f)
	}
	r.ops[0].variants[0].res = result{verdict: vServerError, status: 500}
	if f := r.strictFailures(nil); !reflect.DeepEqual(f, []string{"1 5xx answer(s)"}) {
		t.Errorf("strictFailures = %q", f)
	}
	refused := &docReport{path: "x.yaml", refused: "x.yaml:3: bad\n  at /paths"}
	if f := refused.strictFailures(nil); !reflect.DeepEqual(f, []string{"refused at load"}) {
		t.Errorf("strictFailures = %q", f)
	}
	if l := refused.summaryLine(); l != "x.yaml: refused at load: x.yaml:3: bad" {
		t.Errorf("summaryLine = %q", l)
	}
}

func TestMarkdownTable(t *testing.T) {
	var b strings.Builder
	sampleReport().writeMarkdown(&b)
	want := "## testdata/x.yaml\n\n" +
		"testdata/x.yaml: 3 operations; valid answers OK 1/2; rejections OK 3/4; in the documented format 1/2 (1 undocumented); skipped 1; accepted invalid 1\n\n" +
		"| method | path | valid request | fixture | required field missing | wrong type | no credentials | required query missing |\n" +
		"| --- | --- | --- | --- | --- | --- | --- | --- |\n" +
		"| POST | `/pets` | 200 ✓ | spec:example | 422 ✓ | 400 ✗ format [1] | 401 undocumented | — |\n" +
		"| GET | `/pets/{id}` | 200 ✗ answer [2] | spec:generated | — | — | 200 ✗ accepted [3] | — |\n" +
		"| PUT | `/pets/{id}` | skipped [4] | | | | | |\n" +
		"\n" +
		"1. POST /pets, wrong type (body.name = 12345 (integer)): not in the documented format — request: `POST /pets (application/json) {\"name\":12345}` — answer: 400 application/json `{\"errors\":[]}` — 400 response body failed to validate schema; /required: missing property 'detail'\n" +
		"2. GET /pets/{id}, valid request: the 2xx answer does not validate — request: `GET /pets/1` — answer: 200 application/json `{\"id\":\"x\"}` — 200 response body failed to validate schema; $.id: got string, want integer\n" +
		"3. GET /pets/{id}, no credentials (without header x-key): accepted — request: `GET /pets/1` — answer: 200 application/json `{\"id\":1}`\n" +
		"4. PUT /pets/{id} skipped: cannot build a valid request: $.a: bad \\| worse\n" +
		"\n"
	if got := b.String(); got != want {
		t.Errorf("markdown =\n%s\nwant\n%s", got, want)
	}
}

func TestRefusedDocument(t *testing.T) {
	var b strings.Builder
	(&docReport{path: "x.yaml", refused: "x.yaml:3: bad\n    at /paths"}).writeMarkdown(&b)
	want := "## x.yaml\n\n**Refused at load:**\n\n```\nx.yaml:3: bad\n    at /paths\n```\n\n"
	if b.String() != want {
		t.Errorf("markdown =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestRenderReport(t *testing.T) {
	md := renderReport([]*docReport{sampleReport()}, "cd tools && go run ./conformance -strict x.yaml", time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC))
	for _, want := range []string{
		"# Conformance\n",
		"Produced on 2026-12-06 by `cd tools && go run ./conformance -strict x.yaml`, with github.com/pb33f/libopenapi-validator",
		"## Summary\n\n- testdata/x.yaml: 3 operations;",
		"## testdata/x.yaml\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
