package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDependenciesPointOneWay enforces DESIGN §8: the leaf packages are
// pure logic, tested with no server, and dependencies point from the
// server down, never back up.
func TestDependenciesPointOneWay(t *testing.T) {
	const mod = "github.com/arklow/arklow-mock/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		deps[strings.TrimPrefix(f[0], mod)] = f[1:]
	}
	// forbidden: package -> dependency prefix -> why.
	forbidden := map[string]map[string]string{
		"internal/scenario": {
			"net/http":                    "the scenario engine is plain Go over plain data, tested with no server",
			"github.com/getkin/":          "the OpenAPI document is apispec's concern",
			mod + "internal/apispec":      "scenarios name operations by key; mockset resolves them",
			mod + "internal/server":       "nothing imports the server",
			mod + "internal/mockset":      "mockset builds on scenario, not the other way round",
			mod + "internal/journal":      "the journal is the server's",
			mod + "internal/ui":           "the panel is the server's",
			mod + "internal/config":       "packages take their own options, not the CLI config",
			"github.com/fsnotify/":        "file watching is the CLI's",
			"github.com/santhosh-tekuri/": "schemas are package schema's",
		},
		"internal/fixture": {
			"net/http":                    "fixtures see fixture.Request, never *http.Request",
			"github.com/getkin/":          "the OpenAPI document is apispec's concern",
			mod + "internal/scenario":     "scenario depends on fixture, not the other way round",
			mod + "internal/apispec":      "fixtures are checked against the spec by mockset",
			mod + "internal/server":       "nothing imports the server",
			"github.com/santhosh-tekuri/": "schemas are package schema's",
		},
		"internal/apispec": {
			mod + "internal/fixture":  "apispec knows the spec only",
			mod + "internal/scenario": "apispec knows the spec only",
			mod + "internal/mockset":  "mockset builds on apispec",
			mod + "internal/reqcheck": "request checks read the model; the model does not check requests",
			mod + "internal/server":   "nothing imports the server",
		},
		"internal/reqcheck": {
			mod + "internal/fixture":  "a request is checked against the spec alone",
			mod + "internal/scenario": "a request is checked against the spec alone",
			mod + "internal/mockset":  "mockset and the server build on the request checks",
			mod + "internal/journal":  "the journal is the server's",
			mod + "internal/config":   "packages take their own options, not the CLI config",
			mod + "internal/server":   "nothing imports the server",
		},
		"internal/specdiag": {
			mod + "internal/apispec":  "loading calls the diagnostics, not the other way round",
			mod + "internal/reqcheck": "the diagnostics are about documents, not requests",
			mod + "internal/fixture":  "the diagnostics explain the spec's documents only",
			mod + "internal/scenario": "the diagnostics explain the spec's documents only",
			mod + "internal/mockset":  "mockset builds on apispec, which calls the diagnostics",
			mod + "internal/server":   "nothing imports the server",
		},
		"internal/schema": {
			mod + "internal/apispec":  "the schema leaf knows JSON Schema, not the OpenAPI model built on it",
			mod + "internal/specdiag": "the diagnostics word the schema's errors, not the other way round",
			mod + "internal/reqcheck": "request checks validate with schemas, not the other way round",
			mod + "internal/rawdoc":   "schemas take plain values; how the files are read is the loader's",
			mod + "internal/server":   "nothing imports the server",
			"github.com/getkin/":      "JSON Schema is OpenAPI's base, not the other way round",
			"net/http":                "schemas validate plain values",
		},
		"internal/schema/pattern": {
			mod + "internal/": "the pattern engine is a leaf: ECMA-262 regular expressions",
		},
		"internal/rawdoc": {
			mod + "internal/apispec":      "loading, the compiler and the diagnostics read the files through rawdoc",
			mod + "internal/specdiag":     "the diagnostics read the files through rawdoc",
			"github.com/getkin/":          "rawdoc reads YAML as plain values; kin reads it as OpenAPI",
			"github.com/santhosh-tekuri/": "rawdoc reads YAML as plain values; schemas are package schema's",
		},
		"internal/jsonptr": {
			mod + "internal/": "JSON pointers are a leaf",
		},
		"internal/journal": {
			mod + "internal/apispec":  "the journal records plain values",
			mod + "internal/fixture":  "the journal records plain values",
			mod + "internal/scenario": "the journal records plain values",
			mod + "internal/mockset":  "the journal records plain values",
			mod + "internal/server":   "nothing imports the server",
			"net/http":                "the journal records plain values",
		},
		"internal/errformat": {
			mod + "internal/apispec": "it renders errors from kin's model of a response; apispec builds it",
			mod + "internal/server":  "nothing imports the server",
			mod + "internal/journal": "it renders one error; the server records it",
		},
		"internal/tsdecl": {
			mod + "internal/": "it declares any Go type as TypeScript: it knows none of them",
			"net/http":        "it writes text",
		},
		"internal/reqerr": {
			mod + "internal/": "the error model is a leaf: every layer builds its errors",
			"net/http":        "codes map to plain status numbers",
		},
		"internal/mockset": {
			mod + "internal/server": "nothing imports the server",
		},
		"internal/upstream": {
			mod + "internal/server":   "nothing imports the server",
			mod + "internal/mockset":  "forwarding needs the document, not the fixtures and scenarios",
			mod + "internal/scenario": "the scenario decides to forward; forwarding does not decide",
			mod + "internal/fixture":  "an upstream answer is plain status, headers and body",
			mod + "internal/journal":  "the journal is the server's",
			mod + "internal/config":   "packages take their own options, not the CLI config",
			mod + "internal/record":   "recording builds on forwarding, not the other way round",
		},
		"internal/record": {
			"net/http":                "recording writes files from plain values; the server hands them over",
			mod + "internal/server":   "nothing imports the server",
			mod + "internal/upstream": "an answer to record is plain status, headers and body",
			mod + "internal/apispec":  "the document is consulted through the check it is given",
			mod + "internal/mockset":  "the document is consulted through the check it is given",
			mod + "internal/journal":  "the journal is the server's",
			mod + "internal/config":   "packages take their own options, not the CLI config",
			"github.com/getkin/":      "the OpenAPI document is apispec's concern",
		},
		"internal/logbuf": {
			mod + "internal/": "the log buffer is a leaf: bytes in, bytes out",
			"log/slog":        "it batches bytes; the log's format is the CLI's choice",
		},
	}
	// The list is real: the server does sit above the engine and the
	// request checks, and loading above the diagnostics and the schemas.
	for _, edge := range [][2]string{
		{"internal/server", "internal/scenario"},
		{"internal/server", "internal/reqcheck"},
		{"internal/server", "internal/upstream"},
		{"internal/upstream", "internal/apispec"},
		{"internal/apispec", "internal/specdiag"},
		{"internal/specdiag", "internal/schema"},
		{"internal/reqcheck", "internal/schema"},
	} {
		if !slices.Contains(deps[edge[0]], mod+edge[1]) {
			t.Fatalf("go list shows no dependency of %s on %s: %v", edge[0], edge[1], deps[edge[0]])
		}
	}
	for pkg, rules := range forbidden {
		list, ok := deps[pkg]
		if !ok {
			t.Errorf("package %s not found by go list", pkg)
			continue
		}
		for _, d := range list {
			for prefix, why := range rules {
				if d == prefix || strings.HasPrefix(d, strings.TrimSuffix(prefix, "/")+"/") || strings.HasSuffix(prefix, "/") && strings.HasPrefix(d, prefix) {
					t.Errorf("%s depends on %s: %s", pkg, d, why)
				}
			}
		}
	}
}
