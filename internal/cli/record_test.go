package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arklow/arklow-mock/internal/config"
)

func TestBannerNamesTheUpstream(t *testing.T) {
	dir := writeTree(t, nil)
	tests := []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{"serve with an upstream", []string{"serve", "--upstream", "https://api.arklow.test", "--upstream-timeout", "5s"},
			[]string{"  upstream   https://api.arklow.test (timeout 5s): the passthrough scenario and upstream rules forward to it\n", "  scenarios  "}, []string{"--upstream-fallback", "recording"}},
		{"serve with a fallback", []string{"serve", "--upstream", "https://api.arklow.test", "--upstream-fallback"},
			[]string{"so do the requests no scenario rule answers (--upstream-fallback)"}, nil},
		{"serve without one", []string{"serve"}, []string{"  scenarios  "}, []string{"upstream"}},
		{"record", []string{"record", "--upstream", "https://api.arklow.test"},
			[]string{"  recording  every request the spec accepts goes to https://api.arklow.test (timeout 30s);\n",
				"its answers are written to " + filepath.Join(dir, "fixtures", "recorded") + ", their rules to " + filepath.Join(dir, "scenarios", "recorded.yaml"),
				"serve them with: arklow-mock --scenario recorded"}, []string{"  switch  "}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse(append(tc.args, paths(dir)...), func(string) string { return "" }, &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			set, err := load(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			banner(&out, cfg, nil, set, "127.0.0.1:3123")
			for _, want := range tc.want {
				if !strings.Contains(out.String(), want) {
					t.Errorf("banner lacks %q:\n%s", want, out.String())
				}
			}
			for _, not := range tc.not {
				if strings.Contains(out.String(), not) {
					t.Errorf("banner has %q:\n%s", not, out.String())
				}
			}
		})
	}
}

func TestRecordRefusesACredentialAsItsKey(t *testing.T) {
	dir := writeTree(t, map[string]string{"spec/api.yaml": strings.Replace(tiny["spec/api.yaml"], "paths:", `components:
  securitySchemes:
    key: {type: apiKey, in: header, name: x-api-key}
security: [{key: []}]
paths:`, 1)})
	for _, key := range []string{"header.x-api-key", "header.Authorization"} {
		_, _, err := run(t, append([]string{"record", "--upstream", "http://127.0.0.1:1", "--addr", "127.0.0.1:0", "--watch=false", "--key", key}, paths(dir)...)...)
		if err == nil || !strings.Contains(err.Error(), "credential, which is never written to a file") {
			t.Errorf("record --key %s: %v, want it refused as a credential", key, err)
		}
	}
}
