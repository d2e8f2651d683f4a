// Package diag carries positioned problems found while loading the mock's
// files: each names a FILE:LINE so a user can jump straight to it.
package diag

import (
	"errors"
	"fmt"
	"strings"
)

// Diagnostic is one problem in one file. Line is 1-based; 0 means the whole file.
type Diagnostic struct {
	File    string
	Line    int
	Warning bool // a warning is reported but does not stop start-up
	Message string
	// Kind groups warnings of one cause, which a summary can report in one
	// line ("" for a warning that stands alone).
	Kind string
}

// String renders the diagnostic as FILE:LINE: message.
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
	}
	b.WriteString(": ")
	if d.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// List collects diagnostics. A List holding at least one error (not warning)
// is returned as an error by Err.
type List []Diagnostic

// Add appends an error at file:line.
func (l *List) Add(file string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// Warn appends a warning at file:line.
func (l *List) Warn(file string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Warning: true, Message: fmt.Sprintf(format, args...)})
}

// WarnKind appends a warning of a kind that summaries group.
func (l *List) WarnKind(kind, file string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Warning: true, Kind: kind, Message: fmt.Sprintf(format, args...)})
}

// Errors returns only the errors, without the warnings.
func (l List) Errors() List {
	var out List
	for _, d := range l {
		if !d.Warning {
			out = append(out, d)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (l List) Warnings() List {
	var out List
	for _, d := range l {
		if d.Warning {
			out = append(out, d)
		}
	}
	return out
}

// Err returns an *Error holding l's errors, then its warnings, or nil when
// l holds no error. The warnings stay in it: a user fixing the errors sees
// every problem at once.
func (l List) Err() error {
	if errs := l.Errors(); len(errs) > 0 {
		return &Error{List: append(errs, l.Warnings()...)}
	}
	return nil
}

// Error is a non-empty list of diagnostics used as an error value.
type Error struct {
	List List
}

func (e *Error) Error() string {
	lines := make([]string, len(e.List))
	for i, d := range e.List {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// From returns the diagnostics carried by err (through wrapping), if any.
func From(err error) (List, bool) {
	var de *Error
	if errors.As(err, &de) {
		return de.List, true
	}
	return nil, false
}

// YAMLError splits a YAML parse error (yaml.v3's "yaml: line 3: ...", or a
// loader's own "line 3: ...") into its line and its message without the
// position, so the diagnostic names the line once. It takes the line as
// written: gopkg.in/yaml.v3 writes some lines one too low (see
// YAMLErrorIn, for its errors), go.yaml.in/yaml/v4 (kin-openapi's) writes
// them right in the same words, so the text alone cannot say which.
func YAMLError(err error) (line int, msg string) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i:], "line %d", &line)
	}
	if strings.HasPrefix(msg, "line ") {
		if _, rest, ok := strings.Cut(msg, ": "); ok {
			msg = rest
		}
	}
	return line, msg
}
