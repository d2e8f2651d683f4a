package config

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// env returns a getenv over vars; every other variable is unset.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// with returns the default configuration changed by edit.
func with(edit func(*Config)) Config {
	c := Default()
	edit(&c)
	return c
}

// parse runs Parse and fails the test on an error.
func parse(tb testing.TB, args []string, vars map[string]string) Config {
	tb.Helper()
	var out bytes.Buffer
	cfg, err := Parse(args, env(vars), &out)
	if err != nil {
		tb.Fatalf("Parse(%q, %v) error: %v (output %q)", args, vars, err, out.String())
	}
	return cfg
}

func TestDefault(t *testing.T) {
	t.Parallel()
	want := Config{
		Command:   "serve",
		Addr:      "127.0.0.1:3123",
		Spec:      "spec",
		Fixtures:  "fixtures",
		Scenarios: "scenarios",
		Scenario:  "default",
		Watch:     true,
		LogFormat: "text",
		// JournalSize bounds GET /__mock/requests.
		JournalSize: 1000,
		Admin:       true,
		// FaultTimeout bounds the timeout fault (DESIGN §1).
		FaultTimeout: 60 * time.Second,
		// UpstreamTimeout bounds an exchange with the real API (DESIGN §1).
		UpstreamTimeout: 30 * time.Second,
	}
	if got := Default(); !reflect.DeepEqual(got, want) {
		t.Errorf("Default() = %+v\nwant        %+v", got, want)
	}
	if got := parse(t, nil, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(no args, no env) = %+v\nwant                     %+v", got, want)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want Config
	}{
		// Commands.
		{"no command serves", nil, nil, Default()},
		{"serve is a command", []string{"serve"}, nil, Default()},
		{"validate is a command", []string{"validate"}, nil, with(func(c *Config) { c.Command = "validate" })},
		{"scenarios is a command", []string{"scenarios"}, nil, with(func(c *Config) { c.Command = "scenarios" })},
		{"healthcheck is a command", []string{"healthcheck", "--addr", "0.0.0.0:3123"}, nil, with(func(c *Config) { c.Command = "healthcheck"; c.Addr = "0.0.0.0:3123" })},
		{"version is a command", []string{"version"}, nil, with(func(c *Config) { c.Command = "version" })},
		{"init writes to the current folder by default", []string{"init"}, nil, with(func(c *Config) { c.Command = "init"; c.Dir = "." })},
		{"init takes a folder", []string{"init", "mock"}, nil, with(func(c *Config) { c.Command = "init"; c.Dir = "mock" })},
		{"init takes flags before and after its folder", []string{"init", "--log-format", "json", "mock", "--watch=false"}, nil, with(func(c *Config) { c.Command = "init"; c.Dir = "mock"; c.LogFormat = "json"; c.Watch = false })},
		{"flags without a command serve", []string{"--spec", "api.yaml"}, nil, with(func(c *Config) { c.Spec = "api.yaml" })},

		// Each flag.
		{"--addr", []string{"serve", "--addr", "0.0.0.0:8080"}, nil, with(func(c *Config) { c.Addr = "0.0.0.0:8080" })},
		{"--addr with = and one dash", []string{"-addr=:9000"}, nil, with(func(c *Config) { c.Addr = ":9000" })},
		{"--addr with an IPv6 host", []string{"--addr", "[::1]:3123"}, nil, with(func(c *Config) { c.Addr = "[::1]:3123" })},
		{"--addr with port 0", []string{"--addr", "localhost:0"}, nil, with(func(c *Config) { c.Addr = "localhost:0" })},
		{"--spec", []string{"--spec", "openapi/arklow.yaml"}, nil, with(func(c *Config) { c.Spec = "openapi/arklow.yaml" })},
		{"--fixtures", []string{"--fixtures", "/data/fx"}, nil, with(func(c *Config) { c.Fixtures = "/data/fx" })},
		{"--scenarios", []string{"--scenarios", "/data/sc"}, nil, with(func(c *Config) { c.Scenarios = "/data/sc" })},
		{"--scenario", []string{"--scenario", "reused-code"}, nil, with(func(c *Config) { c.Scenario = "reused-code" })},
		{"--watch=false", []string{"--watch=false"}, nil, with(func(c *Config) { c.Watch = false })},
		{"--watch alone is true", []string{"--watch"}, map[string]string{"MOCK_WATCH": "false"}, Default()},
		{"--log-format json", []string{"--log-format", "json"}, nil, with(func(c *Config) { c.LogFormat = "json" })},
		{"--log-format text", []string{"--log-format=text"}, nil, Default()},
		{"--cors-origins with one origin", []string{"--cors-origins", "http://localhost:5173"}, nil, with(func(c *Config) { c.CORSOrigins = []string{"http://localhost:5173"} })},
		{"--cors-origins a, b gives two origins", []string{"--cors-origins", "a, b"}, nil, with(func(c *Config) { c.CORSOrigins = []string{"a", "b"} })},
		{"--cors-origins drops empty entries", []string{"--cors-origins", " ,https://x.test,, "}, nil, with(func(c *Config) { c.CORSOrigins = []string{"https://x.test"} })},
		{"--allowed-hosts lists Host names", []string{"--allowed-hosts", "arklow-mock, .dev.test"}, nil, with(func(c *Config) { c.AllowedHosts = []string{"arklow-mock", ".dev.test"} })},
		{"MOCK_ALLOWED_HOSTS lists Host names", nil, map[string]string{"MOCK_ALLOWED_HOSTS": "*"}, with(func(c *Config) { c.AllowedHosts = []string{"*"} })},
		{"--journal-size", []string{"--journal-size", "50"}, nil, with(func(c *Config) { c.JournalSize = 50 })},
		{"every flag at once", []string{"validate", "--addr", "h:1", "--spec", "s", "--fixtures", "f", "--scenarios", "sc", "--scenario", "slow", "--watch=false", "--log-format", "json", "--cors-origins", "o1,o2", "--journal-size", "1", "--admin=false", "--allowed-hosts", "h1,h2", "--fault-timeout", "5s",
			"--upstream", "https://api.arklow.io/v1", "--upstream-timeout", "2s", "--upstream-fallback"}, nil,
			Config{Command: "validate", Addr: "h:1", Spec: "s", Fixtures: "f", Scenarios: "sc", Scenario: "slow", Watch: false, LogFormat: "json", CORSOrigins: []string{"o1", "o2"}, AllowedHosts: []string{"h1", "h2"}, JournalSize: 1, FaultTimeout: 5 * time.Second,
				Upstream: "https://api.arklow.io/v1", UpstreamTimeout: 2 * time.Second, UpstreamFallback: true}},

		// The real API.
		{"--upstream", []string{"--upstream", "http://127.0.0.1:8080"}, nil, with(func(c *Config) { c.Upstream = "http://127.0.0.1:8080" })},
		{"MOCK_UPSTREAM", nil, map[string]string{"MOCK_UPSTREAM": "https://api.arklow.io"}, with(func(c *Config) { c.Upstream = "https://api.arklow.io" })},
		{"--upstream beats MOCK_UPSTREAM", []string{"--upstream", "https://flag.test"}, map[string]string{"MOCK_UPSTREAM": "https://env.test"}, with(func(c *Config) { c.Upstream = "https://flag.test" })},
		{"--upstream-timeout", []string{"--upstream", "https://a.test", "--upstream-timeout", "5s"}, nil, with(func(c *Config) { c.Upstream = "https://a.test"; c.UpstreamTimeout = 5 * time.Second })},
		{"MOCK_UPSTREAM_TIMEOUT", nil, map[string]string{"MOCK_UPSTREAM_TIMEOUT": "1m"}, with(func(c *Config) { c.UpstreamTimeout = time.Minute })},
		{"--upstream-timeout beats MOCK_UPSTREAM_TIMEOUT", []string{"--upstream-timeout", "2s"}, map[string]string{"MOCK_UPSTREAM_TIMEOUT": "1m"}, with(func(c *Config) { c.UpstreamTimeout = 2 * time.Second })},
		{"MOCK_UPSTREAM_FALLBACK", nil, map[string]string{"MOCK_UPSTREAM": "https://a.test", "MOCK_UPSTREAM_FALLBACK": "true"}, with(func(c *Config) { c.Upstream = "https://a.test"; c.UpstreamFallback = true })},
		{"--upstream-fallback=false beats MOCK_UPSTREAM_FALLBACK", []string{"--upstream-fallback=false"}, map[string]string{"MOCK_UPSTREAM_FALLBACK": "true"}, Default()},

		// record.
		{"record writes into fixtures/recorded and the recorded scenario", []string{"record", "--upstream", "https://a.test"}, nil, with(func(c *Config) {
			c.Command, c.Upstream, c.Scenario, c.Out, c.Key = "record", "https://a.test", "recorded", filepath.Join("fixtures", "recorded"), "path"
		})},
		{"record under other fixtures", []string{"record", "--fixtures", "fx"}, map[string]string{"MOCK_UPSTREAM": "https://a.test"}, with(func(c *Config) {
			c.Command, c.Upstream, c.Fixtures, c.Scenario, c.Out, c.Key = "record", "https://a.test", "fx", "recorded", filepath.Join("fx", "recorded"), "path"
		})},
		{"record's own flags", []string{"record", "--upstream", "https://a.test", "--out", "fixtures/api", "--scenario", "api", "--key", "query.page,body.device_id", "--overwrite"}, nil, with(func(c *Config) {
			c.Command, c.Upstream, c.Scenario, c.Out, c.Key, c.Overwrite = "record", "https://a.test", "api", "fixtures/api", "query.page,body.device_id", true
		})},
		{"record's own variables", []string{"record"}, map[string]string{"MOCK_UPSTREAM": "https://a.test", "MOCK_OUT": "fixtures/x", "MOCK_KEY": "none", "MOCK_OVERWRITE": "1", "MOCK_SCENARIO": "x"}, with(func(c *Config) {
			c.Command, c.Upstream, c.Scenario, c.Out, c.Key, c.Overwrite = "record", "https://a.test", "x", "fixtures/x", "none", true
		})},

		// Each MOCK_* variable.
		{"MOCK_ADDR", nil, map[string]string{"MOCK_ADDR": "0.0.0.0:3123"}, with(func(c *Config) { c.Addr = "0.0.0.0:3123" })},
		{"MOCK_SPEC", nil, map[string]string{"MOCK_SPEC": "/spec"}, with(func(c *Config) { c.Spec = "/spec" })},
		{"MOCK_FIXTURES", nil, map[string]string{"MOCK_FIXTURES": "/fixtures"}, with(func(c *Config) { c.Fixtures = "/fixtures" })},
		{"MOCK_SCENARIOS", nil, map[string]string{"MOCK_SCENARIOS": "/scenarios"}, with(func(c *Config) { c.Scenarios = "/scenarios" })},
		{"MOCK_SCENARIO", nil, map[string]string{"MOCK_SCENARIO": "rate-limited"}, with(func(c *Config) { c.Scenario = "rate-limited" })},
		{"MOCK_WATCH=false", nil, map[string]string{"MOCK_WATCH": "false"}, with(func(c *Config) { c.Watch = false })},
		{"MOCK_WATCH=0", nil, map[string]string{"MOCK_WATCH": "0"}, with(func(c *Config) { c.Watch = false })},
		{"MOCK_WATCH=true", nil, map[string]string{"MOCK_WATCH": "true"}, Default()},
		{"MOCK_LOG_FORMAT", nil, map[string]string{"MOCK_LOG_FORMAT": "json"}, with(func(c *Config) { c.LogFormat = "json" })},
		{"MOCK_CORS_ORIGINS a, b gives two origins", nil, map[string]string{"MOCK_CORS_ORIGINS": "a, b"}, with(func(c *Config) { c.CORSOrigins = []string{"a", "b"} })},
		{"MOCK_JOURNAL_SIZE", nil, map[string]string{"MOCK_JOURNAL_SIZE": "20"}, with(func(c *Config) { c.JournalSize = 20 })},
		{"an empty variable counts as unset", nil, map[string]string{"MOCK_ADDR": "", "MOCK_SCENARIO": "", "MOCK_WATCH": "", "MOCK_LOG_FORMAT": ""}, Default()},
		{"unrelated variables are ignored", nil, map[string]string{"ADDR": "x", "PORT": "1", "SCENARIO": "y"}, Default()},

		// Flag beats env beats default.
		{"--addr beats MOCK_ADDR", []string{"--addr", "flag:1"}, map[string]string{"MOCK_ADDR": "env:2"}, with(func(c *Config) { c.Addr = "flag:1" })},
		{"--spec beats MOCK_SPEC", []string{"--spec", "flag"}, map[string]string{"MOCK_SPEC": "env"}, with(func(c *Config) { c.Spec = "flag" })},
		{"--fixtures beats MOCK_FIXTURES", []string{"--fixtures", "flag"}, map[string]string{"MOCK_FIXTURES": "env"}, with(func(c *Config) { c.Fixtures = "flag" })},
		{"--scenarios beats MOCK_SCENARIOS", []string{"--scenarios", "flag"}, map[string]string{"MOCK_SCENARIOS": "env"}, with(func(c *Config) { c.Scenarios = "flag" })},
		{"--scenario beats MOCK_SCENARIO", []string{"--scenario", "flag"}, map[string]string{"MOCK_SCENARIO": "env"}, with(func(c *Config) { c.Scenario = "flag" })},
		{"--watch=true beats MOCK_WATCH=false", []string{"--watch=true"}, map[string]string{"MOCK_WATCH": "false"}, Default()},
		{"--watch=false beats MOCK_WATCH=true", []string{"--watch=false"}, map[string]string{"MOCK_WATCH": "true"}, with(func(c *Config) { c.Watch = false })},
		{"--watch beats a bad MOCK_WATCH", []string{"--watch=false"}, map[string]string{"MOCK_WATCH": "maybe"}, with(func(c *Config) { c.Watch = false })},
		{"--log-format beats MOCK_LOG_FORMAT", []string{"--log-format", "text"}, map[string]string{"MOCK_LOG_FORMAT": "json"}, Default()},
		{"--log-format beats a bad MOCK_LOG_FORMAT", []string{"--log-format", "json"}, map[string]string{"MOCK_LOG_FORMAT": "xml"}, with(func(c *Config) { c.LogFormat = "json" })},
		{"--cors-origins beats MOCK_CORS_ORIGINS", []string{"--cors-origins", "flag"}, map[string]string{"MOCK_CORS_ORIGINS": "env1,env2"}, with(func(c *Config) { c.CORSOrigins = []string{"flag"} })},
		{"--addr beats a bad MOCK_ADDR", []string{"--addr", "h:1"}, map[string]string{"MOCK_ADDR": "nonsense"}, with(func(c *Config) { c.Addr = "h:1" })},
		{"--journal-size beats MOCK_JOURNAL_SIZE", []string{"--journal-size", "5"}, map[string]string{"MOCK_JOURNAL_SIZE": "20"}, with(func(c *Config) { c.JournalSize = 5 })},
		{"--journal-size beats a bad-range MOCK_JOURNAL_SIZE", []string{"--journal-size", "5"}, map[string]string{"MOCK_JOURNAL_SIZE": "0"}, with(func(c *Config) { c.JournalSize = 5 })},
		{"env fills what flags leave", []string{"--spec", "flag"}, map[string]string{"MOCK_SPEC": "env", "MOCK_FIXTURES": "envfx"}, with(func(c *Config) { c.Spec = "flag"; c.Fixtures = "envfx" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := parse(t, tt.args, tt.env)
			got.Given = nil // TestGiven
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q, %v) =\n  %+v\nwant\n  %+v", tt.args, tt.env, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr []string // substrings of the error
		wantOut string   // what is written to out: nothing, the caller prints the error once
	}{
		{"an unknown command", []string{"launch"}, nil, []string{`unknown command "launch"`, "serve, validate, scenarios, healthcheck, version, types, init"}, ""},
		{"init takes one folder", []string{"init", "a", "b"}, nil, []string{`unexpected argument "b"`}, ""},
		{"a bad flag after init's folder", []string{"init", "a", "--nope"}, nil, []string{"flag provided but not defined: -nope", "see arklow-mock init --help"}, ""},
		{"an unknown command after flags is an extra argument", []string{"--spec", "x", "launch"}, nil, []string{`unexpected argument "launch"`}, ""},
		{"an extra positional argument", []string{"serve", "extra"}, nil, []string{`unexpected argument "extra"`, "flags go after the command"}, ""},
		{"a second command", []string{"validate", "serve"}, nil, []string{`unexpected argument "serve"`}, ""},
		{"--cors-origins a, b unquoted leaves b as an argument", []string{"--cors-origins", "a,", "b"}, nil, []string{`unexpected argument "b"`}, ""},
		{"a bad MOCK_WATCH", nil, map[string]string{"MOCK_WATCH": "maybe"}, []string{`MOCK_WATCH="maybe"`, "want true or false"}, ""},
		{"a bad --watch value", []string{"--watch=maybe"}, nil, []string{"invalid boolean value", "-watch", "see arklow-mock serve --help"}, ""},
		{"a bad --log-format", []string{"--log-format", "xml"}, nil, []string{`--log-format "xml": want text or json`}, ""},
		{"a zero --fault-timeout", []string{"--fault-timeout", "0s"}, nil, []string{`--fault-timeout "0s": want a positive duration like 60s`}, ""},
		{"a bad MOCK_FAULT_TIMEOUT", nil, map[string]string{"MOCK_FAULT_TIMEOUT": "forever"}, []string{`MOCK_FAULT_TIMEOUT="forever": want a duration like 60s`}, ""},
		{"an --allowed-hosts entry with a port", []string{"--allowed-hosts", "ok,arklow-mock:3123"}, nil, []string{`"arklow-mock:3123": want a host name like arklow-mock (no scheme, port or path)`}, ""},
		{"a MOCK_ALLOWED_HOSTS entry with a scheme", nil, map[string]string{"MOCK_ALLOWED_HOSTS": "http://x"}, []string{`MOCK_ALLOWED_HOSTS="http://x"`}, ""},
		{"a bad MOCK_LOG_FORMAT", nil, map[string]string{"MOCK_LOG_FORMAT": "JSON"}, []string{`MOCK_LOG_FORMAT="JSON": want text or json`}, ""},
		{"an --addr without a port", []string{"--addr", "localhost"}, nil, []string{`--addr "localhost": want host:port`}, ""},
		{"an --addr with a port out of range", []string{"--addr", "localhost:65536"}, nil, []string{`--addr "localhost:65536": "65536" is not a port number`}, ""},
		{"an --addr with a named port", []string{"--addr", "localhost:http"}, nil, []string{`"http" is not a port number`}, ""},
		{"an --addr with an empty port", []string{"--addr", "localhost:"}, nil, []string{`"" is not a port number`}, ""},
		{"a bad MOCK_ADDR", nil, map[string]string{"MOCK_ADDR": "3123"}, []string{`MOCK_ADDR="3123": want host:port`}, ""},
		{"a --journal-size of zero", []string{"--journal-size", "0"}, nil, []string{`--journal-size "0": want at least 1`}, ""},
		{"a negative MOCK_JOURNAL_SIZE", nil, map[string]string{"MOCK_JOURNAL_SIZE": "-3"}, []string{`MOCK_JOURNAL_SIZE="-3": want at least 1`}, ""},
		{"a MOCK_JOURNAL_SIZE that is not a number", nil, map[string]string{"MOCK_JOURNAL_SIZE": "many"}, []string{`MOCK_JOURNAL_SIZE="many": want a number of requests`}, ""},
		{"a --journal-size that is not a number", []string{"--journal-size", "many"}, nil, []string{"invalid value", "-journal-size"}, ""},
		{"an empty --scenario", []string{"--scenario", ""}, nil, []string{"--scenario must not be empty"}, ""},
		{"every invalid value is reported at once", []string{"--log-format", "xml", "--addr", "nope", "--scenario="}, nil, []string{"--log-format", "--addr", "--scenario"}, ""},
		{"an unknown flag", []string{"--port", "3123"}, nil, []string{"flag provided but not defined: -port"}, ""},
		{"an --upstream without a scheme", []string{"--upstream", "api.arklow.io"}, nil, []string{`--upstream "api.arklow.io": want an http:// or https:// URL`}, ""},
		{"an --upstream without a host", []string{"--upstream", "https:///v1"}, nil, []string{`want a host`}, ""},
		{"an --upstream with a query", []string{"--upstream", "https://a.test/?key=1"}, nil, []string{`want no query or fragment`}, ""},
		{"an --upstream with credentials, not echoed", []string{"--upstream", "https://me:s3cret@a.test"}, nil, []string{`--upstream "https://me:xxxxx@a.test": leave credentials out of the URL`}, ""},
		{"a bad MOCK_UPSTREAM", nil, map[string]string{"MOCK_UPSTREAM": "ftp://a.test"}, []string{`MOCK_UPSTREAM="ftp://a.test"`}, ""},
		{"a zero --upstream-timeout", []string{"--upstream-timeout", "0s"}, nil, []string{`--upstream-timeout "0s": want a positive duration like 30s`}, ""},
		{"a bad MOCK_UPSTREAM_TIMEOUT", nil, map[string]string{"MOCK_UPSTREAM_TIMEOUT": "soon"}, []string{`MOCK_UPSTREAM_TIMEOUT="soon": want a duration like 30s`}, ""},
		{"--upstream-fallback without --upstream", []string{"--upstream-fallback"}, nil, []string{"--upstream-fallback needs --upstream URL"}, ""},
		{"record without --upstream", []string{"record"}, nil, []string{"record needs --upstream URL (or MOCK_UPSTREAM)"}, ""},
		{"record out of the fixtures", []string{"record", "--upstream", "https://a.test", "--out", "elsewhere"}, nil, []string{`--out "elsewhere": want a folder under --fixtures fixtures`}, ""},
		{"record's flags are record's", []string{"serve", "--overwrite"}, nil, []string{"flag provided but not defined: -overwrite"}, ""},
		{"a flag without its value", []string{"--addr"}, nil, []string{"flag needs an argument: -addr"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			_, err := Parse(tt.args, env(tt.env), &out)
			if err == nil {
				t.Fatalf("Parse(%q, %v) succeeded; want an error", tt.args, tt.env)
			}
			if errors.Is(err, ErrHelp) {
				t.Errorf("error %v is ErrHelp", err)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if out.String() != tt.wantOut {
				t.Errorf("output %q, want %q", out.String(), tt.wantOut)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
	}{
		{"--help", []string{"--help"}},
		{"-h", []string{"-h"}},
		{"help after a command", []string{"validate", "--help"}},
		{"help after other flags", []string{"--addr", "h:1", "-help"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			_, err := Parse(tt.args, env(nil), &out)
			if !errors.Is(err, ErrHelp) {
				t.Fatalf("Parse(%q) error = %v; want ErrHelp", tt.args, err)
			}
			usage := out.String()
			for _, want := range []string{"commands: serve, validate, scenarios, healthcheck, version, types, init", "arklow-mock init [DIR]", "arklow-mock types", "never overwrites", "embedded in the binary", "-addr", "MOCK_ADDR", "-spec", "MOCK_SPEC", "-fixtures", "MOCK_FIXTURES", "-scenarios", "MOCK_SCENARIOS", "-scenario", "MOCK_SCENARIO", "-watch", "MOCK_WATCH", "-log-format", "MOCK_LOG_FORMAT", "-cors-origins", "MOCK_CORS_ORIGINS", "-allowed-hosts", "MOCK_ALLOWED_HOSTS", "-fault-timeout", "MOCK_FAULT_TIMEOUT", "-journal-size", "MOCK_JOURNAL_SIZE", "127.0.0.1:3123"} {
				if !strings.Contains(usage, want) {
					t.Errorf("usage does not mention %q:\n%s", want, usage)
				}
			}
		})
	}
}

// Given tells a value asked for from the same value by default: the
// commands serve the files embedded in the binary only where spec was not
// asked for.
func TestGiven(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want map[string]bool
	}{
		{"nothing given", nil, nil, nil},
		{"a command is not a flag", []string{"validate"}, nil, nil},
		{"a flag", []string{"--spec", "spec"}, nil, map[string]bool{"spec": true}},
		{"a variable", nil, map[string]string{"MOCK_SPEC": "spec"}, map[string]bool{"spec": true}},
		{"an empty variable is unset", nil, map[string]string{"MOCK_SPEC": ""}, nil},
		{"flags and variables together", []string{"--fixtures=fx", "--watch=false"}, map[string]string{"MOCK_SCENARIOS": "sc", "MOCK_ADDR": "h:1"},
			map[string]bool{"fixtures": true, "watch": true, "scenarios": true, "addr": true}},
		{"a flag beside its variable", []string{"--spec", "a"}, map[string]string{"MOCK_SPEC": "b"}, map[string]bool{"spec": true}},
		{"init's folder is not a flag", []string{"init", "dir"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := parse(t, tt.args, tt.env).Given; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q, %v).Given = %v, want %v", tt.args, tt.env, got, tt.want)
			}
		})
	}
}

func TestFlagBeatsABadJournalSizeVariable(t *testing.T) {
	t.Parallel()
	got := parse(t, []string{"--journal-size", "5"}, map[string]string{"MOCK_JOURNAL_SIZE": "many"})
	if got.JournalSize != 5 {
		t.Errorf("JournalSize = %d; want 5", got.JournalSize)
	}
}

func TestParseReadsOnlyMockVariables(t *testing.T) {
	t.Parallel()
	var asked []string
	getenv := func(k string) string { asked = append(asked, k); return "" }
	if _, err := Parse([]string{"--spec", "x"}, getenv, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"MOCK_ADDR", "MOCK_SPEC", "MOCK_FIXTURES", "MOCK_SCENARIOS", "MOCK_SCENARIO", "MOCK_LOG_FORMAT", "MOCK_CORS_ORIGINS", "MOCK_WATCH", "MOCK_JOURNAL_SIZE"}
	for _, k := range asked {
		if !strings.HasPrefix(k, "MOCK_") {
			t.Errorf("Parse read %q; want only MOCK_* variables", k)
		}
	}
	for _, k := range want {
		found := false
		for _, a := range asked {
			found = found || a == k
		}
		if !found {
			t.Errorf("Parse never read %s (read %q)", k, asked)
		}
	}
}

func TestParseDoesNotShareState(t *testing.T) {
	t.Parallel()
	a := parse(t, []string{"--cors-origins", "a,b"}, nil)
	b := parse(t, nil, nil)
	if b.CORSOrigins != nil {
		t.Errorf("a second Parse kept origins %q from the first", b.CORSOrigins)
	}
	a.CORSOrigins[0] = "changed"
	if c := parse(t, []string{"--cors-origins", "a,b"}, nil); c.CORSOrigins[0] != "a" {
		t.Errorf("origins shared between calls: %q", c.CORSOrigins)
	}
	if d := Default(); d.CORSOrigins != nil || d.Command != "serve" {
		t.Errorf("Default() changed: %+v", d)
	}
}

func TestAdminSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		admin     bool
		token     string
		wantError bool
	}{
		{"the admin API is on by default", nil, nil, true, "", false},
		{"--admin=false turns it off", []string{"--admin=false"}, nil, false, "", false},
		{"MOCK_ADMIN=false turns it off", nil, map[string]string{"MOCK_ADMIN": "false"}, false, "", false},
		{"--admin beats MOCK_ADMIN", []string{"--admin=true"}, map[string]string{"MOCK_ADMIN": "false"}, true, "", false},
		{"a bad MOCK_ADMIN is an error", nil, map[string]string{"MOCK_ADMIN": "maybe"}, true, "", true},
		{"MOCK_ADMIN_TOKEN is read from the environment only", nil, map[string]string{"MOCK_ADMIN_TOKEN": "s3cret"}, true, "s3cret", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := func(k string) string { return tt.env[k] }
			cfg, err := Parse(append([]string{"serve"}, tt.args...), env, io.Discard)
			if (err != nil) != tt.wantError {
				t.Fatalf("Parse error = %v; want error %v", err, tt.wantError)
			}
			if err == nil && (cfg.Admin != tt.admin || cfg.AdminToken != tt.token) {
				t.Errorf("Admin, AdminToken = %v, %q; want %v, %q", cfg.Admin, cfg.AdminToken, tt.admin, tt.token)
			}
		})
	}
}

func TestWatchPoll(t *testing.T) {
	t.Parallel()
	if got := parse(t, []string{"--watch-poll", "1s"}, nil).WatchPoll; got != time.Second {
		t.Errorf("--watch-poll 1s = %v", got)
	}
	if got := parse(t, nil, map[string]string{"MOCK_WATCH_POLL": "250ms"}).WatchPoll; got != 250*time.Millisecond {
		t.Errorf("MOCK_WATCH_POLL=250ms = %v", got)
	}
	if _, err := Parse(nil, env(map[string]string{"MOCK_WATCH_POLL": "soon"}), io.Discard); err == nil {
		t.Error("a bad MOCK_WATCH_POLL was accepted")
	}
}

func TestHelpNamesTheUpstreamAndRecordFlags(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if _, err := Parse([]string{"--help"}, env(nil), &out); !errors.Is(err, ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, want := range []string{"-upstream ", "MOCK_UPSTREAM)", "-upstream-timeout", "MOCK_UPSTREAM_TIMEOUT", "-upstream-fallback", "MOCK_UPSTREAM_FALLBACK", "30s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve's usage does not mention %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "-overwrite") {
		t.Errorf("serve's usage lists record's -overwrite:\n%s", out.String())
	}
	out.Reset()
	if _, err := Parse([]string{"record", "--help"}, env(nil), &out); !errors.Is(err, ErrHelp) {
		t.Fatalf("record --help: %v", err)
	}
	for _, want := range []string{"-out", "MOCK_OUT", "-key", "MOCK_KEY", `(default "path")`, "-overwrite", "MOCK_OVERWRITE", "the scenario the recorded answers' rules are written into", `(default "recorded")`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("record's usage does not mention %q:\n%s", want, out.String())
		}
	}
}
