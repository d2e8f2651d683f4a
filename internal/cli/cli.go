// Package cli runs the arklow-mock commands: serve, validate, scenarios,
// healthcheck, version, types, init and record. It is the composition root: it reads the
// configuration, builds the packages and owns the listener; everything it
// needs from the process (arguments, environment, output, the files the
// binary embeds) is passed in.
package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/arklow/arklow-mock/internal/config"
	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/logbuf"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/scenario"
	"github.com/arklow/arklow-mock/internal/server"
	"github.com/arklow/arklow-mock/internal/watch"
)

// version is stamped at build time with -ldflags "-X ...cli.version=v1.2.3";
// without it the module version or VCS revision is reported.
var version = ""

// Version returns the build's version.
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

// Program is arklow-mock with the files its binary embeds.
type Program struct {
	// Starter holds spec/, fixtures/ and scenarios/ at its root: what
	// `init` writes, and what the commands read where the current folder
	// has no spec/ and none is named. The binary's main package embeds the
	// repository's own; nil means none (init fails, and nothing falls back).
	Starter fs.FS
}

// Run executes the command in args (args[0] is the program name), with no
// embedded files: as Program.Run with a nil Starter.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return Program{}.Run(ctx, args, getenv, stdout, stderr)
}

// Run executes the command in args (args[0] is the program name).
func (p Program) Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		args = args[1:]
	}
	cfg, err := config.Parse(args, getenv, stderr)
	if errors.Is(err, config.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	switch cfg.Command {
	case "version":
		fmt.Fprintf(stdout, "arklow-mock %s (%s)\n", Version(), runtime.Version())
		return nil
	case "healthcheck":
		return healthcheck(ctx, cfg)
	case "types":
		return types(ctx, cfg, stdout)
	case "init":
		return p.initFolder(cfg, stdout)
	}
	cfg, emb, err := p.useStarter(cfg)
	if err != nil {
		return err
	}
	defer emb.remove()
	if cfg.Command == "validate" || cfg.Command == "scenarios" {
		if emb != nil {
			fmt.Fprintln(stderr, "arklow-mock:", emb.note())
		}
		// Printed once the copy is removed: a reader that stops early
		// (| head) ends this process with SIGPIPE, which would leave it.
		var out bytes.Buffer
		if cfg.Command == "validate" {
			err = validate(ctx, cfg, emb, &out)
		} else {
			err = listScenarios(ctx, cfg, &out)
		}
		emb.remove()
		stdout.Write(out.Bytes())
		return err
	}
	return serve(ctx, cfg, emb, stdout, stderr)
}

// load reads the files and checks that --scenario names one of them.
func load(ctx context.Context, cfg config.Config) (*mockset.Set, error) {
	set, err := loadFiles(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return set, knownScenario(cfg, set)
}

// open is load with the spec's operations left to prepare (mockset.Open):
// the mock can listen before a large document is prepared whole.
func open(ctx context.Context, cfg config.Config) (*mockset.Set, error) {
	set, err := mockset.Open(ctx, mockset.Options{Spec: cfg.Spec, Fixtures: cfg.Fixtures, Scenarios: cfg.Scenarios})
	if err != nil {
		return nil, err
	}
	return set, knownScenario(cfg, set)
}

// knownScenario checks that --scenario names one of the set's scenarios
// (record writes its scenario: it need not exist yet).
func knownScenario(cfg config.Config, set *mockset.Set) error {
	if cfg.Command != "record" && !set.Scenarios.Known(cfg.Scenario) {
		return fmt.Errorf("--scenario %q: no such scenario (known: %s)", cfg.Scenario, strings.Join(set.Scenarios.Names(), ", "))
	}
	return nil
}

// loadFiles reads spec, fixtures and scenarios. A reload uses it alone:
// --scenario is checked at start-up, while the active scenario may since
// have been changed through the admin API.
func loadFiles(ctx context.Context, cfg config.Config) (*mockset.Set, error) {
	return mockset.Load(ctx, mockset.Options{Spec: cfg.Spec, Fixtures: cfg.Fixtures, Scenarios: cfg.Scenarios})
}

// validate prints every problem as FILE:LINE: message and fails on errors.
// The files of emb (nil: none) are named as the binary's.
func validate(ctx context.Context, cfg config.Config, emb *embedded, stdout io.Writer) error {
	show := func(d diag.Diagnostic) {
		d.File = emb.display(d.File)
		fmt.Fprintln(stdout, d)
	}
	set, err := load(ctx, cfg)
	if err != nil {
		if list, ok := diag.From(err); ok {
			for _, d := range list {
				show(d)
			}
			return fmt.Errorf("validate: %d error(s), %d warning(s)", len(list.Errors()), len(list.Warnings()))
		}
		return err
	}
	for _, d := range set.Warnings {
		show(d)
	}
	fmt.Fprintf(stdout, "ok: %d operation(s), %d fixture(s), %d scenario(s), %d warning(s)\n",
		len(set.Spec.Operations()), len(set.Fixtures.Names()), len(set.Scenarios.Names()), len(set.Warnings))
	return nil
}

func listScenarios(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	set, err := load(ctx, cfg)
	if err != nil {
		return err
	}
	for _, name := range set.Scenarios.Names() {
		sc, _ := set.Scenarios.Get(name)
		marker := " "
		if name == cfg.Scenario {
			marker = "*"
		}
		fmt.Fprintf(stdout, "%s %s\n", marker, name)
		if sc.Description != "" {
			fmt.Fprintf(stdout, "    %s\n", sc.Description)
		}
		for _, op := range set.Operations(name) {
			fmt.Fprintf(stdout, "    - %s\n", op)
		}
	}
	return nil
}

// types prints TypeScript declarations for the mock's protocol and admin
// API, with the scenarios of the files loaded.
func types(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	set, err := loadFiles(ctx, cfg)
	if err != nil {
		return err
	}
	names := set.Scenarios.Names()
	if !slices.Contains(names, scenario.Default) { // always a name a request may use
		names = append(names, scenario.Default)
	}
	return server.WriteTypeScript(stdout, Version(), names)
}

// healthcheck exits 0 when the server on --addr answers /__mock/health
// with 200 within 2 seconds (for a container HEALTHCHECK: no shell needed).
func healthcheck(ctx context.Context, cfg config.Config) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	host, port, _ := net.SplitHostPort(cfg.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/__mock/health", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", cfg.Addr, resp.Status)
	}
	return nil
}

// serve runs the mock until ctx is done, then shuts down gracefully. The
// folders emb holds (nil: none) are the binary's: they are not watched.
func serve(ctx context.Context, cfg config.Config, emb *embedded, stdout, stderr io.Writer) error {
	// One write per request line would cost a system call per request
	// (and a wake-up of the log's reader): lines are batched instead and
	// appear within logbuf.DefaultDelay.
	logOut := logbuf.New(stderr, 0, 0)
	defer logOut.Close()
	var handler slog.Handler = slog.NewTextHandler(logOut, nil)
	if cfg.LogFormat == "json" {
		handler = slog.NewJSONHandler(logOut, nil)
	}
	logger := slog.New(handler)
	var watching func(reload func())
	var watchErr error
	if paths := watched(cfg, emb); cfg.Watch && len(paths) > 0 {
		// Before the first read of the files: a change made while the
		// mock starts is then reloaded, not missed.
		var stop func()
		watching, stop, watchErr = startWatching(ctx, cfg, paths, logger)
		defer stop()
	}
	set, err := open(ctx, cfg)
	if err != nil {
		return emb.explain(err) // it names what is wrong better than the watcher could
	}
	if watchErr != nil {
		logger.Error("hot reload is off", "err", watchErr)
	}
	up, err := newUpstream(cfg)
	if err != nil {
		return err
	}
	if up != nil {
		defer up.Close()
	}
	opts := server.Options{Logger: logger, Scenario: cfg.Scenario, CORSOrigins: cfg.CORSOrigins, AllowedHosts: cfg.AllowedHosts, FaultTimeout: cfg.FaultTimeout, Version: Version(), JournalSize: cfg.JournalSize,
		NoAdmin: !cfg.Admin, AdminToken: cfg.AdminToken, Upstream: up, UpstreamFallback: cfg.UpstreamFallback}
	if cfg.Command == "record" {
		opts.Scenario = scenario.Default // --scenario names the scenario written to
		if opts.Recording, err = recording(cfg, set, stdout, logger); err != nil {
			return err
		}
	}
	srv := server.New(set, opts)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second, // a client trickling headers is cut off
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      6 * time.Minute, // above the longest scenario delay (5 min)
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    server.HardMaxHeaderBytes, // the handler answers 431 above server.MaxHeaderBytes
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	hs.RegisterOnShutdown(srv.Drain)
	banner(stdout, cfg, emb, set, ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	// The operations are prepared while the mock answers (one a request
	// asks for first is prepared first): a problem found then stops the
	// mock, as it would have stopped its start. Hot reload starts after.
	refused := make(chan error, 1)
	prepared := make(chan struct{})
	defer func() { <-prepared }() // it logs: not after the log is closed
	go func() {
		defer close(prepared)
		var err error
		lean(func() { err = set.Prepare() })
		if err != nil {
			refused <- emb.explain(err)
			return
		}
		// The embedded files' warnings are by design, and not the user's
		// to fix; the shipped fixtures' undocumented statuses are the
		// banner's one-line note.
		warnings := slices.DeleteFunc(standalone(set.Warnings), func(d diag.Diagnostic) bool { return emb.owns(d.File) })
		if n := len(warnings); n > 0 {
			logger.Warn(fmt.Sprintf("%d warning(s) in the files; `arklow-mock validate` lists them", n), "first", warnings[0].String())
		}
		if watching != nil && ctx.Err() == nil {
			go watching(reloader(ctx, cfg, srv, logger))
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case err := <-refused:
		hs.Close()
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing in-flight requests (10 s at most)")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		hs.Close()
		logger.Warn("shutdown: requests still running were cut off", "err", err)
	}
	return nil
}

// watched lists the folders hot reload watches: spec, fixtures and
// scenarios, less those embedded in the binary, which never change.
func watched(cfg config.Config, emb *embedded) []string {
	var paths []string
	for i, p := range []string{cfg.Spec, cfg.Fixtures, cfg.Scenarios} {
		if !emb.has(starterParts[i]) {
			paths = append(paths, p)
		}
	}
	return paths
}

// startWatching starts watching paths. The returned run delivers changes
// until ctx is done; stop releases the watches. When watching cannot
// start, run does nothing and err says why: the mock serves without hot
// reload.
func startWatching(ctx context.Context, cfg config.Config, paths []string, logger *slog.Logger) (run func(reload func()), stop func(), err error) {
	if cfg.WatchPoll > 0 {
		p := watch.StartPolling(paths, cfg.WatchPoll)
		return func(reload func()) { p.Run(ctx, reload) }, func() {}, nil
	}
	w, err := watch.Start(paths, 100*time.Millisecond)
	if err != nil {
		return func(func()) {}, func() {}, err
	}
	return func(reload func()) {
		w.Run(ctx, reload, func(err error) { logger.Warn("file watcher", "err", err) })
	}, func() { w.Close() }, nil
}

// reloader returns the reload that runs after a change: spec, fixtures
// and scenarios are loaded together. A set that fails to load is logged
// with FILE:LINE and reported by /__mock/health; the last good set keeps
// serving.
func reloader(ctx context.Context, cfg config.Config, srv *server.Server, logger *slog.Logger) func() {
	return func() {
		var set *mockset.Set
		var err error
		lean(func() { set, err = loadFiles(ctx, cfg) })
		if err != nil {
			var problems []string
			if list, ok := diag.From(err); ok {
				for _, d := range list {
					problems = append(problems, d.String())
				}
			} else {
				problems = []string{err.Error()}
			}
			srv.ReloadFailed(problems)
			logger.Error("reload failed; still serving the last good files", "problems", strings.Join(problems, "\n"))
			return
		}
		srv.Reloaded(set)
		if active := srv.Active(); !set.Scenarios.Known(active) {
			logger.Warn("the active scenario is gone after the reload; requests that name none get 400 unknown_scenario until it is back or another is set", "scenario", active)
		}
		logger.Info("reloaded", "operations", len(set.Spec.Operations()), "fixtures", len(set.Fixtures.Names()), "scenarios", len(set.Scenarios.Names()), "warnings", len(set.Warnings))
	}
}

// lean runs a load with the collector at half its usual headroom (GOGC
// 50): preparing a large document is the mock's peak of memory (and a
// reload's, the old set beside the new), for a little more CPU, in the
// background.
func lean(load func()) {
	gc := debug.SetGCPercent(50)
	defer debug.SetGCPercent(gc)
	load()
}

// banner says what is served, where, and how to switch scenarios. The
// files of emb (nil: none) are named as the binary's, not by their copy.
func banner(w io.Writer, cfg config.Config, emb *embedded, set *mockset.Set, addr string) {
	names := set.Scenarios.Names()
	example := "reused-code"
	if len(names) > 0 && !contains(names, example) {
		example = names[len(names)-1]
	}
	fmt.Fprintf(w, "arklow-mock %s: mocking %s\n", Version(), orDefault(set.Spec.Title, "the API"))
	reach := ""
	if host, port, err := net.SplitHostPort(addr); err == nil && (host == "0.0.0.0" || host == "::") {
		reach = " (from this machine: http://localhost:" + port + ")"
	}
	fmt.Fprintf(w, "  listening  http://%s%s\n", addr, reach)
	if cfg.Admin {
		fmt.Fprintf(w, "  panel      %s/__mock/\n", browserURL(addr))
	}
	if emb != nil {
		fmt.Fprintf(w, "  files      %s\n", emb.note())
	}
	files := make([]string, len(set.Spec.Files))
	for i, f := range set.Spec.Files {
		files[i] = emb.display(f)
	}
	fmt.Fprintf(w, "  spec       %s (%d operation(s))\n", strings.Join(files, ", "), len(set.Spec.Operations()))
	if cfg.Command == "record" {
		fmt.Fprintf(w, "  recording  every request the spec accepts goes to %s (timeout %s);\n", cfg.Upstream, cfg.UpstreamTimeout)
		fmt.Fprintf(w, "             its answers are written to %s, their rules to %s\n", cfg.Out, filepath.Join(cfg.Scenarios, cfg.Scenario+".yaml"))
		fmt.Fprintf(w, "  serve them with: arklow-mock --scenario %s (a serving mock reloads them as they are written)\n", cfg.Scenario)
		return
	}
	if cfg.Upstream != "" {
		fallback := ""
		if cfg.UpstreamFallback {
			fallback = "; so do the requests no scenario rule answers (--upstream-fallback)"
		}
		fmt.Fprintf(w, "  upstream   %s (timeout %s): the passthrough scenario and upstream rules forward to it%s\n", cfg.Upstream, cfg.UpstreamTimeout, fallback)
	}
	where := cfg.Scenarios
	if emb.has("scenarios") {
		where = "the binary (embedded)"
	}
	fmt.Fprintf(w, "  scenarios  %d in %s; active: %s\n", len(names), where, cfg.Scenario)
	fmt.Fprintf(w, "  switch     per request with the header 'X-Mock-Scenario: %s' (or 'Prefer: scenario=%s'),\n", example, example)
	fmt.Fprintf(w, "             for every request with --scenario %s or MOCK_SCENARIO=%s\n", example, example)
	if line := undocumentedSummary(set.Warnings); line != "" {
		fmt.Fprintf(w, "  note       %s\n", line)
	}
}

// browserURL is the URL a browser on this machine reaches addr by.
func browserURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "0.0.0.0" || host == "::" || host == "" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// undocumentedSummary says in one line why fixtures answer statuses the
// spec does not document, and how many: the shipped fixtures do it on
// purpose, for the error cases the seed document leaves out.
func undocumentedSummary(warnings diag.List) string {
	var statuses []string
	n := 0
	for _, d := range warnings {
		if d.Kind != mockset.UndocumentedStatus {
			continue
		}
		n++
		var status string
		fmt.Sscanf(d.Message, "status %s", &status)
		if !slices.Contains(statuses, status) {
			statuses = append(statuses, status)
		}
	}
	if n == 0 {
		return ""
	}
	slices.Sort(statuses)
	return fmt.Sprintf("%d fixture(s) play error cases the spec does not document (%s); each is checked against the spec's success body, and says why in a comment (`arklow-mock validate` lists them)",
		n, strings.Join(statuses, ", "))
}

// standalone are the warnings no summary line covers.
func standalone(warnings diag.List) diag.List {
	var out diag.List
	for _, d := range warnings {
		if d.Kind != mockset.UndocumentedStatus {
			out = append(out, d)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
