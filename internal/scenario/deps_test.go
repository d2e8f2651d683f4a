package scenario

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// TestNoServerDependencies keeps this package pure logic: it is tested with
// no server, and the server depends on it, not the other way round
// (DESIGN §8). net/http or kin-openapi showing up among its dependencies
// means a server or spec concern leaked in.
func TestNoServerDependencies(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("the go command is not on PATH: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		var stderr string
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list -deps .: %v\n%s", err, stderr)
	}
	deps := strings.Fields(string(out))
	if len(deps) == 0 || deps[len(deps)-1] != "github.com/arklow/arklow-mock/internal/scenario" {
		t.Fatalf("go list -deps . did not list this package last; got %q", deps)
	}
	for _, dep := range deps {
		switch {
		case dep == "net/http" || strings.HasPrefix(dep, "net/http/"):
			t.Errorf("internal/scenario depends on %s: it must stay pure logic, testable with no server (requests reach it as fixture.Request, not *http.Request)", dep)
		case strings.HasPrefix(dep, "github.com/getkin/"):
			t.Errorf("internal/scenario depends on %s: the OpenAPI document is apispec's concern; this package must not know the spec", dep)
		}
	}
}
