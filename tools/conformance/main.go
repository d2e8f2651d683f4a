// Command conformance checks the mock against OpenAPI documents with an
// independent validator: libopenapi models each document and
// libopenapi-validator judges the requests and the answers (the mock itself
// uses kin-openapi and its own JSON Schema validation).
//
// For each document it starts the mock on it (empty fixtures and scenarios,
// so every operation answers from the document), builds one valid request
// per operation (parameters, credentials, a body from the example or the
// schema) — checked first by the validator — and sends it: the answer must
// be a 2xx the validator finds valid. Then it sends invalid variants (a
// required body field missing, a body field of the wrong type, no
// credentials, a required query parameter missing), each only where it
// applies and where the validator agrees it is invalid: each must get a 4xx,
// valid against the operation's documented response for that status (else
// 4XX, else default) when there is one. It prints a markdown table per
// document, with numbered notes for every failure and skip.
//
// From tools/ (its own module, beside the repository's root module):
//
//	go run ./conformance ../spec/arklow.yaml ../testdata/corpus/*.yaml
//	go run ./conformance -strict -out /tmp/conformance.md ../testdata/bigspec
//
// Flags: -doc PATH (repeatable; positional paths work too; a folder stands
// for the documents in it), -out FILE (write the markdown there too),
// -strict (exit 1 when a document is refused, a valid request gets no
// conforming 2xx, an invalid variant gets a 2xx, or anything gets a 5xx),
// -known FILE (valid requests known to get no conforming 2xx, with why:
// -strict passes them, and fails when one conforms or names nothing),
// -mock PATH (an arklow-mock binary; else it is built from -repo).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	docs         []string
	out          string
	strict       bool
	known        string
	mock         string
	repo         string
	startTimeout time.Duration
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.Func("doc", "an OpenAPI document, or a folder of them (repeatable; positional paths work too)", func(s string) error {
		o.docs = append(o.docs, s)
		return nil
	})
	fs.StringVar(&o.out, "out", "", "also write the markdown report to this file")
	fs.BoolVar(&o.strict, "strict", false, "exit 1 if a document is refused, a valid request gets no conforming 2xx, an invalid variant is accepted, or the mock answers a 5xx")
	fs.StringVar(&o.known, "known", "", "a file of valid requests known to get no conforming 2xx (\"DOCUMENT METHOD PATH: why\" per line): -strict passes them, and fails when one conforms")
	fs.StringVar(&o.mock, "mock", "", "an arklow-mock binary to run (default: build one from the repository)")
	fs.StringVar(&o.repo, "repo", "", "the repository root, to build the mock from (default: found above the working directory)")
	fs.DurationVar(&o.startTimeout, "start-timeout", 60*time.Second, "how long the mock may take to print its listening line")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	o.docs = append(o.docs, fs.Args()...)
	if len(o.docs) == 0 {
		fmt.Fprintln(stderr, "conformance: name at least one document (-doc PATH, or positional paths)")
		fs.Usage()
		return 2
	}
	var known knownFailures
	if o.known != "" {
		var err error
		if known, err = readKnown(o.known); err != nil {
			fmt.Fprintln(stderr, "conformance:", err)
			return 2
		}
	}
	reports, err := runAll(ctx, o, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "conformance:", err)
		return 1
	}
	md := renderReport(reports, commandLine(args), time.Now().UTC())
	if _, err := io.WriteString(stdout, md); err != nil {
		return 1
	}
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(md), 0o644); err != nil {
			fmt.Fprintln(stderr, "conformance:", err)
			return 1
		}
	}
	failed := false
	for _, r := range reports {
		fmt.Fprintln(stderr, "conformance:", r.summaryLine())
		if f := r.strictFailures(known); len(f) > 0 {
			failed = true
			if o.strict {
				fmt.Fprintf(stderr, "conformance: -strict: %s: %s\n", r.displayName(), strings.Join(f, "; "))
			}
		}
	}
	if o.strict && failed {
		return 1
	}
	return 0
}

func runAll(ctx context.Context, o options, stderr io.Writer) ([]*docReport, error) {
	docs, err := expandDocs(o.docs)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "conformance-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	repo := o.repo
	if repo == "" {
		if wd, err := os.Getwd(); err == nil {
			repo, _ = findRepo(wd)
		}
	}
	bin := o.mock
	if bin == "" {
		if repo == "" {
			wd, _ := os.Getwd()
			_, err := findRepo(wd)
			return nil, err
		}
		fmt.Fprintln(stderr, "conformance: building the mock from", repo)
		if bin, err = buildMock(ctx, repo, tmp); err != nil {
			return nil, err
		}
	}
	var reports []*docReport
	for i, path := range docs {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r := runDocument(ctx, bin, path, filepath.Join(tmp, fmt.Sprint("doc", i)), o.startTimeout, stderr)
		r.path = displayPath(repo, path)
		reports = append(reports, r)
	}
	return reports, nil
}

// displayPath is the document's path from the repository root when it is
// inside the repository, else as given.
func displayPath(repo, path string) string {
	if repo != "" {
		if abs, err := filepath.Abs(path); err == nil {
			if rel, err := filepath.Rel(repo, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.ToSlash(path)
}

// runDocument starts the mock on one document, checks every operation and
// stops the mock.
func runDocument(ctx context.Context, bin, path, tmp string, startTimeout time.Duration, stderr io.Writer) *docReport {
	r := &docReport{path: path}
	started := time.Now()
	m, err := startMock(ctx, bin, path, tmp, startTimeout)
	if err != nil {
		if re, ok := err.(*refusedError); ok {
			r.refused = re.msg
		} else {
			r.failure = err.Error()
		}
		return r
	}
	defer func() {
		if err := m.stop(); err != nil {
			r.warning = strings.TrimSpace(r.warning + " " + err.Error())
		}
	}()
	d, err := loadDocumentSafely(path)
	if err != nil {
		r.failure = "libopenapi could not load it: " + err.Error()
		return r
	}
	r.warning = d.warning
	c := newChecker(d, m.url)
	for _, o := range d.ops {
		if ctx.Err() != nil {
			r.failure = ctx.Err().Error()
			return r
		}
		r.ops = append(r.ops, checkOperation(c, o))
	}
	fmt.Fprintf(stderr, "conformance: %s: %d operation%s in %.1fs\n", path, len(d.ops), plural(len(d.ops)), time.Since(started).Seconds())
	return r
}

// checkOperation builds the operation's valid request and its variants,
// and sends them.
func checkOperation(c *checker, o *operation) (rep opReport) {
	rep = opReport{method: o.method, path: o.path}
	b, variants, err := prepare(c.doc, o)
	if err != nil {
		rep.skipped = err.Error()
		return rep
	}
	rep.valid = c.checkValid(o, b.req)
	for i, v := range variants {
		vr := variantReport{kind: variantKind(i), what: v.what, na: v.na}
		if v.req != nil {
			vr.res = c.checkRejected(o, v.req)
		}
		rep.variants[i] = vr
	}
	return rep
}

// prepare builds the valid request and its variants. A panic in the
// libraries (libopenapi's renderer, the validator) on an odd schema is the
// tool's failure, never the mock's: the operation is skipped with it.
func prepare(d *document, o *operation) (b *built, vs [numVariants]variant, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = skipf("the tool failed while building the request: panic: %v", p)
		}
	}()
	b, err = buildValid(d, o)
	if err != nil {
		return nil, vs, err
	}
	return b, makeVariants(d, o, b), nil
}

// renderReport is the whole markdown report: how it was made, what the
// cells mean, the summary lines, then a section per document.
func renderReport(reports []*docReport, command string, now time.Time) string {
	var b strings.Builder
	b.WriteString("# Conformance\n\n")
	fmt.Fprintf(&b, "Produced on %s by `%s`, with %s.\n\n",
		now.Format("2006-01-02"), command, validatorVersions())
	b.WriteString(legend)
	b.WriteString("## Summary\n\n")
	for _, r := range reports {
		fmt.Fprintf(&b, "- %s\n", mdEscape(r.summaryLine()))
	}
	b.WriteString("\n")
	for _, r := range reports {
		r.writeMarkdown(&b)
	}
	return b.String()
}

const legend = `The mock is checked by an independent validator: libopenapi models each document and
libopenapi-validator judges the requests and the answers (the mock itself uses kin-openapi).
Each document is served by the mock with empty fixtures and scenarios, so every answer comes from
the document. Per operation: one valid request (parameters, credentials, a body from the example
or generated from the schema; checked first by the validator), then the invalid variants that
apply, each confirmed invalid by the validator (except "no credentials", which applies wherever
the document requires security). A path key with a ` + "`#fragment`" + ` is requested without it.
Answers are checked for status, media type and, for JSON, schema.

Cells:

- valid request: ` + "`200 ✓`" + ` a 2xx the validator finds valid for the operation; ` + "`✗`" + ` anything else.
- fixture: the answer's ` + "`X-Mock-Fixture`" + ` header.
- variants: ` + "`400 ✓`" + ` a 4xx valid for the documented response (the status, else 4XX, else
  default); ` + "`401 undocumented`" + ` a 4xx the operation documents no response for; ` + "`✗ format`" + ` a
  4xx that does not validate against the documented response; ` + "`✗ accepted`" + ` a 2xx; ` + "`—`" + ` the
  variant does not apply.
- skipped: no valid request could be built (the note says why).

Numbered notes under each table give the request, the answer and the validator's words.
` + "`-strict`" + ` fails on a refused document, a valid request without a conforming 2xx, an accepted
variant, a 5xx or no answer; a wrong format or an undocumented status is reported, not failed.
` + "`-known FILE`" + ` names valid requests known not to conform, each with why: ` + "`-strict`" + ` passes them,
and fails when one conforms (so the list only shrinks).
Run it with ` + "`cd tools && go run ./conformance [-strict] [-known FILE] [-out FILE] [-mock BIN] DOC...`" + `
(a folder stands for the documents in it); CI (` + "`.ci/run`" + `) runs it with ` + "`-strict -known`" + `
` + "`tools/conformance/known-failures.txt`" + ` on the seed, bigspec and the public corpus.

`

// commandLine says how this run was started, for the report: from which
// folder of the repository, and `go run ./conformance` when go run built it.
func commandLine(args []string) string {
	prog := filepath.Base(os.Args[0])
	if strings.Contains(filepath.ToSlash(os.Args[0]), "/go-build") {
		prog = "go run ./conformance"
	}
	cmd := strings.TrimSpace(prog + " " + strings.Join(args, " "))
	if wd, err := os.Getwd(); err == nil {
		if repo, err := findRepo(wd); err == nil {
			if rel, err := filepath.Rel(repo, wd); err == nil && rel != "." {
				cmd = "cd " + filepath.ToSlash(rel) + " && " + cmd
			}
		}
	}
	return cmd
}

// validatorVersions names the validator and libopenapi versions built in.
func validatorVersions() string {
	versions := map[string]string{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			versions[d.Path] = d.Version
		}
	}
	v := func(p string) string {
		if s := versions[p]; s != "" {
			return p + " " + s
		}
		return p
	}
	return v("github.com/pb33f/libopenapi-validator") + " and " + v("github.com/pb33f/libopenapi")
}
