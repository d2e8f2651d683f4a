package apispec

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/arklow/arklow-mock/internal/rawdoc"
)

// schemaLines finds a schema's line (the line of its value) from its URL
// however the URL is written: as the JSON Schema compiler writes it,
// percent-encoded, or in another form of the same file URL.
func TestSchemaLines(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my specs {v1}")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "open api.yaml")
	doc, err := rawdoc.Parse([]byte("openapi: 3.1.0\npaths:\n  /items/{id}:\n    get:\n      summary: x\n"))
	if err != nil {
		t.Fatal(err)
	}
	line := schemaLines(map[string]*rawdoc.Doc{file: doc})
	abs := filepath.ToSlash(file)
	for _, tt := range []struct {
		name, url string
		want      int
	}{
		{"the compiler's form", (&url.URL{Scheme: "file", Path: abs, Fragment: "/paths/~1items~1{id}/get"}).String(), 5},
		{"a pointer past the document's values: its closest ancestor", (&url.URL{Scheme: "file", Path: abs, Fragment: "/paths/~1items~1{id}/get/responses"}).String(), 5},
		{"another form of the file URL", "file://localhost" + (&url.URL{Path: abs}).EscapedPath() + "#/paths", 3},
		{"another document", "file:///elsewhere.yaml#/paths", 0},
		{"not a URL", "%zz", 0},
	} {
		if got := line(tt.url); got != tt.want {
			t.Errorf("%s: line(%q) = %d, want %d", tt.name, tt.url, got, tt.want)
		}
	}
}
