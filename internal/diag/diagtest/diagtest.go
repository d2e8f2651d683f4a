// Package diagtest holds test helpers for packages that report problems as
// diag.List: the checks every such package's tests make the same way.
package diagtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/diag"
)

// Want fails tb unless diags holds an error at file:line whose message
// contains substr and whose rendering starts with FILE:LINE (FILE alone
// for line 0).
func Want(tb testing.TB, diags diag.List, file string, line int, substr string) {
	tb.Helper()
	want(tb, diags.Errors(), "error", file, line, substr)
}

// WantAny is Want for a diagnostic that may be an error or a warning.
func WantAny(tb testing.TB, diags diag.List, file string, line int, substr string) {
	tb.Helper()
	want(tb, diags, "", file, line, substr)
}

func want(tb testing.TB, diags diag.List, kind, file string, line int, substr string) {
	tb.Helper()
	for _, d := range diags {
		if d.File == file && d.Line == line && strings.Contains(d.Message, substr) {
			prefix := fmt.Sprintf("%s:%d: ", file, line)
			if line == 0 {
				prefix = file + ": "
			}
			if !strings.HasPrefix(d.String(), prefix) {
				tb.Errorf("diagnostic %q does not start with %q", d.String(), prefix)
			}
			return
		}
	}
	if kind == "" {
		kind = "error or warning"
	}
	tb.Errorf("no %s diagnostic %s:%d containing %q; got:\n%v", kind, file, line, substr, diags)
}
