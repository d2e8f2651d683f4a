// Package config turns the command line and the environment into a
// Config: every flag has a MOCK_* variable, and a flag beats its variable,
// which beats the default (DESIGN §1). It is pure: the environment is read
// through the getenv function it is given.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Commands are the subcommands, serve being the default.
var Commands = []string{"serve", "validate", "scenarios", "healthcheck", "version", "types", "init", "record"}

// commandHelp says what each command does, for --help (DESIGN §1).
var commandHelp = []struct{ use, what string }{
	{"[serve]", "serve the mock (the default command)"},
	{"validate", "load spec + fixtures + scenarios, print every problem as FILE:LINE: message, exit 1 on any error"},
	{"scenarios", "list scenarios with their descriptions and the operations each covers"},
	{"healthcheck", "exit 0 when the server on --addr answers /__mock/health (for container HEALTHCHECK)"},
	{"version", "print the version"},
	{"types", "print TypeScript declarations: scenario names, admin API types, header names"},
	{"init [DIR]", "write a starter folder (spec, fixtures, scenarios, docker-compose.yml) in DIR (default .); never overwrites"},
	{"record", "serve as a pass-through to --upstream and write its answers as fixtures"},
}

// RecordScenario is the scenario `record` writes its rules into unless
// --scenario names another.
const RecordScenario = "recorded"

// Config is the parsed command line.
type Config struct {
	Command string
	// Dir is the folder `init` writes to (its one argument, default ".");
	// empty for the other commands.
	Dir       string
	Addr      string
	Spec      string
	Fixtures  string
	Scenarios string
	Scenario  string
	Watch     bool
	// WatchPoll, when set, polls the files at this interval instead of
	// waiting for file events (for mounts that deliver none).
	WatchPoll   time.Duration
	LogFormat   string
	CORSOrigins []string
	// AllowedHosts are Host names the mock answers besides IP addresses,
	// localhost and *.localhost (against DNS rebinding); "*" allows any.
	AllowedHosts []string
	JournalSize  int
	// Admin serves the admin API and control panel under /__mock/
	// (GET /__mock/health stays, for health checks).
	Admin bool
	// AdminToken, when set, is required as "Authorization: Bearer <token>"
	// on admin writes. It has no flag: a flag would show in `ps`.
	AdminToken string
	// FaultTimeout is the longest the timeout fault holds a connection.
	FaultTimeout time.Duration
	// Given names the flags set on the command line or by their variable
	// (nil when none was): a default can then be told from the same value
	// asked for. The commands fall back to the files embedded in the
	// binary only where spec was not given.
	Given map[string]bool
	// Upstream is the real API's base URL, for upstream rules, the
	// passthrough scenario and record; "" for none.
	Upstream string
	// UpstreamTimeout bounds one exchange with the upstream.
	UpstreamTimeout time.Duration
	// UpstreamFallback forwards what no scenario rule answers to the
	// upstream, instead of answering from the spec.
	UpstreamFallback bool

	// The record command's own settings (its flags exist for it only).

	// Out is the folder recorded fixtures are written to, under Fixtures;
	// default Fixtures/recorded.
	Out string
	// Key says which parts of a request tell its recorded answers apart:
	// "path" (its path parameters, the default), "none", or a
	// comma-separated list of path.NAME, query.NAME, header.NAME, body.PATH.
	Key string
	// Overwrite lets record rewrite a fixture that exists.
	Overwrite bool
}

// Default is the configuration with no flags and no environment.
func Default() Config {
	return Config{
		Command:         "serve",
		Addr:            "127.0.0.1:3123",
		Spec:            "spec",
		Fixtures:        "fixtures",
		Scenarios:       "scenarios",
		Scenario:        "default",
		Watch:           true,
		LogFormat:       "text",
		JournalSize:     1000,
		Admin:           true,
		FaultTimeout:    60 * time.Second,
		UpstreamTimeout: 30 * time.Second,
	}
}

// want explains the values the typed flags' variables take.
var want = map[string]string{
	"journal-size":      "want a number of requests",
	"admin":             "want true or false",
	"watch":             "want true or false",
	"watch-poll":        "want a duration like 1s",
	"fault-timeout":     "want a duration like 60s",
	"upstream-timeout":  "want a duration like 30s",
	"upstream-fallback": "want true or false",
	"overwrite":         "want true or false",
}

// ErrHelp is returned when -h or --help was asked for; the usage has been
// written to the output given to Parse.
var ErrHelp = flag.ErrHelp

// Parse reads args (without the program name): an optional command, then
// flags. The usage is written to out for --help; errors are returned.
func Parse(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	cfg := Default()
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cfg.Command = args[0]
		args = args[1:]
		if !isCommand(cfg.Command) {
			return cfg, fmt.Errorf("unknown command %q (commands: %s)", cfg.Command, strings.Join(Commands, ", "))
		}
	}
	record := cfg.Command == "record"
	if record {
		cfg.Scenario = RecordScenario
	}
	fs := flag.NewFlagSet("arklow-mock "+cfg.Command, flag.ContinueOnError)
	// The flag package would print a bad flag's error, then the whole
	// usage; the caller prints the error once. Usage is for --help.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var origins, hosts string
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on, host:port")
	fs.StringVar(&cfg.Spec, "spec", cfg.Spec, "OpenAPI document, or a folder of .yaml/.yml/.json documents")
	fs.StringVar(&cfg.Fixtures, "fixtures", cfg.Fixtures, "fixtures folder")
	fs.StringVar(&cfg.Scenarios, "scenarios", cfg.Scenarios, "scenarios folder")
	scenarioUsage := "active scenario for requests that name none"
	if record {
		scenarioUsage = "the scenario the recorded answers' rules are written into (scenarios/NAME.yaml)"
	}
	fs.StringVar(&cfg.Scenario, "scenario", cfg.Scenario, scenarioUsage)
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "log format: text or json")
	fs.StringVar(&origins, "cors-origins", "", "comma-separated allowed browser origins (default: any origin, reflected)")
	fs.StringVar(&hosts, "allowed-hosts", "", "comma-separated Host names served besides IP addresses, localhost and *.localhost (.example.test: a domain and its subdomains; *: any)")
	fs.IntVar(&cfg.JournalSize, "journal-size", cfg.JournalSize, "how many requests GET /__mock/requests keeps")
	fs.BoolVar(&cfg.Admin, "admin", cfg.Admin, "serve the admin API and control panel under /__mock/")
	fs.BoolVar(&cfg.Watch, "watch", cfg.Watch, "reload when a file under spec, fixtures or scenarios changes")
	fs.DurationVar(&cfg.FaultTimeout, "fault-timeout", cfg.FaultTimeout, "the longest the timeout fault holds a connection before closing it")
	fs.DurationVar(&cfg.WatchPoll, "watch-poll", cfg.WatchPoll, "poll the files at this interval instead of waiting for file events, e.g. 1s for Docker Desktop mounts")
	fs.StringVar(&cfg.Upstream, "upstream", cfg.Upstream, "the real API's base URL, e.g. https://api.arklow.io: for upstream rules, the passthrough scenario and record")
	fs.DurationVar(&cfg.UpstreamTimeout, "upstream-timeout", cfg.UpstreamTimeout, "the longest one exchange with the upstream may take, its answer's body included")
	fs.BoolVar(&cfg.UpstreamFallback, "upstream-fallback", cfg.UpstreamFallback, "forward requests that no scenario rule answers to the upstream, instead of answering from the spec")
	if record {
		fs.StringVar(&cfg.Out, "out", cfg.Out, "the folder recorded fixtures are written to, under --fixtures (default: FIXTURES/recorded)")
		fs.StringVar(&cfg.Key, "key", "path", "what tells recorded answers apart: path (the path parameters), none, or a comma-separated list of path.NAME, query.NAME, header.NAME, body.PATH")
		fs.BoolVar(&cfg.Overwrite, "overwrite", cfg.Overwrite, "rewrite recorded fixtures that exist")
	}
	// The admin token has no flag: a flag would show in ps.
	cfg.AdminToken = getenv("MOCK_ADMIN_TOKEN")

	// Every flag has a variable named after it (--log-format: MOCK_LOG_FORMAT)
	// that fills it before the command line is parsed, so a flag beats its
	// variable, which beats the default. A bad variable is an error only
	// when no flag overrides it.
	envErrs := map[string]error{}  // flag name -> its variable's error
	fromEnv := map[string]string{} // flag name -> the variable that set it
	fs.VisitAll(func(f *flag.Flag) {
		env := "MOCK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		f.Usage += " (env " + env + ")"
		if v := getenv(env); v != "" {
			if err := f.Value.Set(v); err != nil {
				envErrs[f.Name] = fmt.Errorf("%s=%q: %s", env, v, want[f.Name])
			}
			fromEnv[f.Name] = env
		}
	})
	parse := func(args []string) error {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			usage(fs, out)
			return err
		}
		if err != nil {
			return fmt.Errorf("%w (see arklow-mock %s --help)", err, cfg.Command)
		}
		return nil
	}
	if err := parse(args); err != nil {
		return cfg, err
	}
	if cfg.Command == "init" {
		// init [DIR] [flags]: the flag package stops at DIR, so the flags
		// after it are parsed on their own.
		cfg.Dir = "."
		if fs.NArg() > 0 {
			cfg.Dir = fs.Arg(0)
			if err := parse(fs.Args()[1:]); err != nil {
				return cfg, err
			}
		}
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (flags go after the command)", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) { delete(envErrs, f.Name); delete(fromEnv, f.Name) })
	for name := range fromEnv {
		cfg.given(name)
	}
	fs.Visit(func(f *flag.Flag) { cfg.given(f.Name) })
	for _, name := range slices.Sorted(maps.Keys(envErrs)) {
		return cfg, envErrs[name]
	}
	cfg.CORSOrigins = list(origins)
	cfg.AllowedHosts = list(hosts)
	if record && cfg.Out == "" {
		cfg.Out = filepath.Join(cfg.Fixtures, RecordScenario)
	}
	// A bad value is named as the user gave it: --flag "v" or MOCK_FLAG="v".
	given := func(name, value string) string {
		if env, ok := fromEnv[name]; ok {
			return fmt.Sprintf("%s=%q", env, value)
		}
		return fmt.Sprintf("--%s %q", name, value)
	}
	return cfg, cfg.validate(given)
}

// given records that the flag name was set by a flag or its variable.
func (c *Config) given(name string) {
	if c.Given == nil {
		c.Given = map[string]bool{}
	}
	c.Given[name] = true
}

// usage writes the --help text: the commands, then the flags.
func usage(fs *flag.FlagSet, out io.Writer) {
	fmt.Fprintf(out, "usage: arklow-mock [command] [flags]\n\ncommands: %s (default: serve)\n", strings.Join(Commands, ", "))
	for _, c := range commandHelp {
		fmt.Fprintf(out, "  arklow-mock %-12s %s\n", c.use, c.what)
	}
	fmt.Fprintf(out, "\nWhere the folder has no spec/ and none is named (--spec, MOCK_SPEC), the spec, fixtures\nand scenarios embedded in the binary are served; init writes them as files.\n\nflags:\n")
	fs.SetOutput(out)
	fs.PrintDefaults()
}

func (c Config) validate(given func(name, value string) string) error {
	var errs []error
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("%s: want text or json", given("log-format", c.LogFormat)))
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("%s: want host:port, e.g. 127.0.0.1:3123", given("addr", c.Addr)))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		errs = append(errs, fmt.Errorf("%s: %q is not a port number", given("addr", c.Addr), port))
	}
	if c.WatchPoll < 0 {
		errs = append(errs, fmt.Errorf("%s: want a positive interval", given("watch-poll", c.WatchPoll.String())))
	}
	if c.FaultTimeout <= 0 {
		errs = append(errs, fmt.Errorf("%s: want a positive duration like 60s", given("fault-timeout", c.FaultTimeout.String())))
	}
	if c.JournalSize < 1 {
		errs = append(errs, fmt.Errorf("%s: want at least 1", given("journal-size", strconv.Itoa(c.JournalSize))))
	}
	if c.Scenario == "" {
		errs = append(errs, errors.New("--scenario must not be empty"))
	}
	if c.Upstream != "" {
		if err := checkUpstream(c.Upstream); err != nil {
			shown := c.Upstream
			if u, perr := url.Parse(shown); perr == nil && u.User != nil {
				shown = u.Redacted() // never echo a password
			}
			errs = append(errs, fmt.Errorf("%s: %v", given("upstream", shown), err))
		}
	}
	if c.UpstreamTimeout <= 0 {
		errs = append(errs, fmt.Errorf("%s: want a positive duration like 30s", given("upstream-timeout", c.UpstreamTimeout.String())))
	}
	switch {
	case c.Command == "record" && c.Upstream == "":
		errs = append(errs, errors.New("record needs --upstream URL (or MOCK_UPSTREAM): the real API whose answers it records"))
	case c.UpstreamFallback && c.Upstream == "":
		errs = append(errs, errors.New("--upstream-fallback needs --upstream URL (or MOCK_UPSTREAM): the real API to fall back to"))
	}
	if c.Command == "record" {
		if rel, err := filepath.Rel(c.Fixtures, c.Out); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			errs = append(errs, fmt.Errorf("%s: want a folder under --fixtures %s, so that the mock loads what it records", given("out", c.Out), c.Fixtures))
		}
	}
	for _, h := range c.AllowedHosts {
		if strings.ContainsAny(h, "/:@ ") {
			errs = append(errs, fmt.Errorf("%s: %q: want a host name like arklow-mock (no scheme, port or path)", given("allowed-hosts", strings.Join(c.AllowedHosts, ",")), h))
		}
	}
	return errors.Join(errs...)
}

// checkUpstream checks an upstream URL: http or https, a host, a base
// path at most; no credentials (they would show in logs and ps; the
// client's own credential headers are forwarded), no query or fragment.
func checkUpstream(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return errors.New("not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("want an http:// or https:// URL, like https://api.arklow.io")
	case u.Hostname() == "":
		return errors.New("want a host, like https://api.arklow.io")
	case u.User != nil:
		return errors.New("leave credentials out of the URL: the client's own credential headers are forwarded")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return errors.New("want no query or fragment: scheme, host and a base path")
	}
	return nil
}

// list splits a comma-separated value, dropping empty entries.
func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func isCommand(s string) bool {
	for _, c := range Commands {
		if c == s {
			return true
		}
	}
	return false
}
