package errformat_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/errformat"
	"github.com/arklow/arklow-mock/internal/reqerr"
)

// probes are one error of each code the mock refuses a request with.
var probes = []*reqerr.Error{
	invalid,
	missingField,
	badJSON,
	unsupported,
	unauthorized,
	reqerr.New(reqerr.ForbiddenHost, "header.Host", "host evil.example is not allowed"),
	reqerr.New(reqerr.NotFound, "", "no operation documents GET /v1/item"),
	{Code: reqerr.MethodNotAllowed, Allow: []string{"GET"}, Problems: []reqerr.Problem{{Message: "DELETE is not documented here"}}},
	tooLarge,
	reqerr.New(reqerr.HeadersTooLarge, "", "the header block is too large"),
	reqerr.New(reqerr.UnknownScenario, "header.Prefer", `no scenario is named "nope"`),
	{Code: reqerr.InvalidRequest}, // no problems at all
}

// TestCorpus runs Build and Render over every operation of the public
// documents in testdata/corpus with an error of each code, and requires
// every body Render answers to validate against the schema of the
// response it claims to follow. The log has the summary.
func TestCorpus(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../testdata/corpus/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			s := mustSpecFile(t, file)
			var ops, formatted, warned, answers, rendered int
			shown := map[string]bool{}
			byCode := map[reqerr.Code]int{}
			for _, op := range s.operations() {
				method, path, _ := strings.Cut(op, " ")
				docs := s.responses(t, method, path)
				f, warns := errformat.Build(docs)
				for _, w := range warns {
					t.Logf("%s: %s", op, w)
				}
				ops++
				if len(warns) > 0 {
					warned++
				}
				any := false
				codes := map[reqerr.Code]bool{}
				for _, e := range probes {
					answers++
					status, ct, body, ok := f.Render(e)
					if !ok {
						continue
					}
					any = true
					rendered++
					codes[e.Code] = true
					checkAgainstDocument(t, op, docs, e, status, ct, body)
					if key := strconv.Itoa(status) + " " + ct; !shown[key] {
						shown[key] = true
						t.Logf("%s %s → %d %s %s", op, e.Code, status, ct, body)
					}
				}
				if any {
					formatted++
				}
				for c := range codes {
					byCode[c]++
				}
			}
			t.Logf("SUMMARY %s: %d operations, %d answer in a documented format, %d with the envelope only, %d with load warnings; %d of %d probe answers rendered",
				filepath.Base(file), ops, formatted, ops-formatted, warned, rendered, answers)
			var codes []string
			for _, e := range probes {
				if n, ok := byCode[e.Code]; ok {
					codes = append(codes, fmt.Sprintf("%s %d", e.Code, n))
					delete(byCode, e.Code)
				}
			}
			t.Logf("SUMMARY %s: operations answering in the document's format, by code: %s", filepath.Base(file), strings.Join(codes, ", "))
		})
	}
}

// checkAgainstDocument validates a rendered body on its own: the response
// documented for the status (exact, else 4XX, else default), the schema
// of the media type answered.
func checkAgainstDocument(t *testing.T, op string, docs map[string]errformat.Documented, e *reqerr.Error, status int, ct string, body []byte) {
	t.Helper()
	var d errformat.Documented
	found := false
	for _, k := range []string{strconv.Itoa(status), strconv.Itoa(status/100) + "XX", strconv.Itoa(status/100) + "xx", "default"} {
		if d, found = docs[k]; found {
			break
		}
	}
	if !found {
		t.Errorf("%s %s: rendered %d but the operation documents no response for it", op, e.Code, status)
		return
	}
	mt := ct
	if _, ok := d.Response.Content[mt]; !ok {
		mt = "*/*"
	}
	var v any = string(body) // a text error answers its text
	if !strings.HasPrefix(ct, "text/") {
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Errorf("%s %s: body is not JSON: %v", op, e.Code, err)
			return
		}
	}
	if probs := d.Validate(mt, v); len(probs) > 0 {
		t.Errorf("%s %s: rendered body does not validate: %v\n%s", op, e.Code, probs, body)
	}
}
