package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	verrors "github.com/pb33f/libopenapi-validator/errors"
)

// opReport is one operation's row.
type opReport struct {
	method, path string
	skipped      string // why no valid request could be built
	valid        result
	variants     [numVariants]variantReport
}

type variantReport struct {
	kind variantKind
	what string
	na   string // not applicable: why
	res  result
}

// docReport is one document's table.
type docReport struct {
	path    string
	refused string // the mock would not load it: its first lines
	failure string // the tool could not run it (libopenapi, start-up)
	warning string
	ops     []opReport
}

// summary counts one document's results.
type summary struct {
	operations   int
	skipped      int
	validSent    int
	validOK      int
	variantsSent int
	rejected     int // 4xx
	documented   int // 4xx whose status the operation documents
	inFormat     int // of those, valid for the documented response
	undocumented int // 4xx whose status it does not document
	accepted     int // 2xx to an invalid variant
	serverErrors int // 5xx, to anything
	noAnswer     int // transport errors
}

func (d *docReport) summarize() summary {
	var s summary
	s.operations = len(d.ops)
	for _, o := range d.ops {
		if o.skipped != "" {
			s.skipped++
			continue
		}
		s.validSent++
		switch o.valid.verdict {
		case vOK:
			s.validOK++
		case vServerError:
			s.serverErrors++
		case vNoAnswer:
			s.noAnswer++
		}
		for _, v := range o.variants {
			if v.res.verdict == vNone {
				continue
			}
			s.variantsSent++
			switch v.res.verdict {
			case vOK:
				s.rejected++
				s.documented++
				s.inFormat++
			case vBadFormat:
				s.rejected++
				s.documented++
			case vUndocumented:
				s.rejected++
				s.undocumented++
			case vAccepted:
				s.accepted++
			case vServerError:
				s.serverErrors++
			case vNoAnswer:
				s.noAnswer++
			}
		}
	}
	return s
}

// strictFailures lists what makes -strict fail: a refusal, a valid
// request without a conforming 2xx (unless known), an invalid variant
// accepted, a 5xx, no answer, a known failure that no longer holds.
func (d *docReport) strictFailures(known knownFailures) []string {
	var out []string
	if d.refused != "" {
		out = append(out, "refused at load")
	}
	if d.failure != "" {
		out = append(out, "not run: "+firstLine(d.failure))
	}
	s := d.summarize()
	unknown := 0
	for _, o := range d.ops {
		if _, isKnown := known[d.key(o)]; o.skipped == "" && o.valid.verdict != vOK && !isKnown {
			unknown++
		}
	}
	if unknown > 0 {
		out = append(out, fmt.Sprintf("%d valid request(s) without a conforming 2xx", unknown))
	}
	if s.accepted > 0 {
		out = append(out, fmt.Sprintf("%d invalid variant(s) accepted", s.accepted))
	}
	if s.serverErrors > 0 {
		out = append(out, fmt.Sprintf("%d 5xx answer(s)", s.serverErrors))
	}
	if s.noAnswer > 0 {
		out = append(out, fmt.Sprintf("%d request(s) without an answer", s.noAnswer))
	}
	return append(out, d.knownProblems(known)...)
}

// summaryLine is the document's one-line summary.
func (d *docReport) summaryLine() string {
	name := d.displayName()
	if d.refused != "" {
		return fmt.Sprintf("%s: refused at load: %s", name, firstLine(d.refused))
	}
	if d.failure != "" {
		return fmt.Sprintf("%s: not run: %s", name, firstLine(d.failure))
	}
	s := d.summarize()
	line := fmt.Sprintf("%s: %d operation%s; valid answers OK %d/%d; rejections OK %d/%d; in the documented format %d/%d (%d undocumented); skipped %d",
		name, s.operations, plural(s.operations), s.validOK, s.validSent, s.rejected, s.variantsSent, s.inFormat, s.documented, s.undocumented, s.skipped)
	if s.accepted > 0 {
		line += fmt.Sprintf("; accepted invalid %d", s.accepted)
	}
	if s.serverErrors > 0 {
		line += fmt.Sprintf("; 5xx %d", s.serverErrors)
	}
	if s.noAnswer > 0 {
		line += fmt.Sprintf("; no answer %d", s.noAnswer)
	}
	return line
}

func (d *docReport) displayName() string {
	return filepath.ToSlash(d.path)
}

// note collects the footnotes of a table: every failure and every skip,
// with the request, the answer and the validator's words.
type notes struct {
	lines []string
}

func (n *notes) add(s string) string {
	n.lines = append(n.lines, s)
	return fmt.Sprintf("[%d]", len(n.lines))
}

// writeMarkdown writes one document's section: heading, summary, table,
// notes.
func (d *docReport) writeMarkdown(w io.Writer) {
	fmt.Fprintf(w, "## %s\n\n", mdEscape(d.displayName()))
	if d.refused != "" {
		fmt.Fprintf(w, "**Refused at load:**\n\n```\n%s\n```\n\n", d.refused)
		return
	}
	if d.failure != "" {
		fmt.Fprintf(w, "**Not run:** %s\n\n", mdEscape(d.failure))
		return
	}
	fmt.Fprintf(w, "%s\n\n", mdEscape(d.summaryLine()))
	if d.warning != "" {
		fmt.Fprintf(w, "libopenapi: %s\n\n", mdEscape(d.warning))
	}
	if len(d.ops) == 0 {
		fmt.Fprintf(w, "No operations.\n\n")
		return
	}
	var n notes
	fmt.Fprintf(w, "| method | path | valid request | fixture |")
	for _, name := range variantNames {
		fmt.Fprintf(w, " %s |", name)
	}
	fmt.Fprintf(w, "\n| --- | --- | --- | --- |")
	for range variantNames {
		fmt.Fprintf(w, " --- |")
	}
	fmt.Fprintln(w)
	for _, o := range d.ops {
		fmt.Fprintf(w, "| %s | `%s` |", o.method, mdCode(o.path))
		if o.skipped != "" {
			ref := n.add(fmt.Sprintf("%s %s skipped: %s", o.method, o.path, o.skipped))
			fmt.Fprintf(w, " skipped %s | |", ref)
			for range variantNames {
				fmt.Fprintf(w, " |")
			}
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, " %s | %s |", validCell(o, &n), mdEscape(o.valid.fixture))
		for _, v := range o.variants {
			fmt.Fprintf(w, " %s |", variantCell(o, v, &n))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	if len(n.lines) > 0 {
		for i, l := range n.lines {
			fmt.Fprintf(w, "%d. %s\n", i+1, mdEscape(l))
		}
		fmt.Fprintln(w)
	}
}

func statusText(r result) string {
	if r.verdict == vNoAnswer {
		return "no answer"
	}
	return fmt.Sprint(r.status)
}

func exchangeNote(head string, r result) string {
	s := fmt.Sprintf("%s — request: `%s` — answer: %s", head, r.request, statusText(r))
	if r.contentType != "" {
		s += " " + r.contentType
	}
	if r.answer != "" {
		s += " `" + r.answer + "`"
	}
	if r.detail != "" {
		s += " — " + r.detail
	}
	return s
}

func validCell(o opReport, n *notes) string {
	return cell(fmt.Sprintf("%s %s, valid request", o.method, o.path), o.valid, n)
}

func variantCell(o opReport, v variantReport, n *notes) string {
	if v.res.verdict == vNone {
		return "—"
	}
	return cell(fmt.Sprintf("%s %s, %s (%s)", o.method, o.path, variantNames[v.kind], v.what), v.res, n)
}

// failures labels each failing verdict in its cell and in its note.
var failures = map[verdict]struct{ label, note string }{
	vBadAnswer:   {"✗ answer", "the 2xx answer does not validate"},
	vNot2xx:      {"✗", "not a 2xx"},
	vBadFormat:   {"✗ format", "not in the documented format"},
	vAccepted:    {"✗ accepted", "accepted"},
	vServerError: {"✗ 5xx", "a 5xx"},
	vOther:       {"✗", "neither 2xx nor 4xx"},
}

// cell is a result's table cell; a failure gets a numbered note headed
// by head.
func cell(head string, r result, n *notes) string {
	switch r.verdict {
	case vOK:
		return fmt.Sprintf("%d ✓", r.status)
	case vUndocumented:
		return fmt.Sprintf("%d undocumented", r.status)
	case vNoAnswer:
		return "✗ no answer " + n.add(exchangeNote(head+": no answer", r))
	}
	if f, ok := failures[r.verdict]; ok {
		return fmt.Sprintf("%d %s %s", r.status, f.label, n.add(exchangeNote(head+": "+f.note, r)))
	}
	return "?"
}

// mdEscape keeps a text on one table row: no pipes, no newlines.
func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "\r", "")
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

func mdCode(s string) string {
	return strings.ReplaceAll(mdEscape(s), "`", "'")
}

// describeErrors turns the validator's errors into one line: each error's
// message and the first schema failures, with where they are.
func describeErrors(errs []*verrors.ValidationError) string {
	var parts []string
	for i, e := range errs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("(+%d more)", len(errs)-3))
			break
		}
		s := e.Message
		if e.Reason != "" && !strings.Contains(s, e.Reason) && len(e.SchemaValidationErrors) == 0 {
			s += ": " + e.Reason
		}
		for j, f := range e.SchemaValidationErrors {
			if j == 2 {
				s += fmt.Sprintf(" (+%d more)", len(e.SchemaValidationErrors)-2)
				break
			}
			where := f.FieldPath
			if where == "" {
				where = f.KeywordLocation
			}
			if where != "" {
				s += fmt.Sprintf("; %s: %s", where, f.Reason)
			} else {
				s += "; " + f.Reason
			}
		}
		parts = append(parts, s)
	}
	return shorten(strings.Join(strings.Fields(strings.Join(parts, " · ")), " "), 600)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
