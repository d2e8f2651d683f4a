// Command loadtest measures the mock against a bare net/http baseline, in
// one run, on loopback: it builds both, starts each, drives them with wrk
// using the same request mixes (the valid request; a mix of scenarios by
// header; invalid requests), alternating baseline and mock over several
// rounds, and prints requests/s, p50 and p99 for each, the mock/baseline
// ratios, each server's CPU time per request (which, unlike requests/s,
// does not depend on how much of the machine wrk takes), start-up time
// (process start to first 200) and RSS after load.
// It also measures the mock's floor — its lightest request, with nothing to
// validate or render — against the same baseline, which shows how much of
// the gap is the mock's work and how much is the path every request takes.
// With -scale it also measures start-up, memory and throughput on synthetic
// specs of N operations. With -startup it measures start-up on large
// documents — the corpus's mistral.yaml (660 KB) and a realistic synthetic
// one of 3 MB (specgen.Realistic) —: the time and CPU from process start to
// the first answer, the CPU and the peak RSS once the mock is idle.
//
// From tools/ (its own module, beside the repository's root module):
//
//	go run ./loadtest                       # the full run (about 4 minutes)
//	go run ./loadtest -duration 2s -rounds 1 -scale 1,2000
//	go run ./loadtest -skip-load -rounds 5  # start-up on large documents only
//
// It needs wrk (Debian: apt-get install wrk), except with -skip-load.
// Traffic stays on 127.0.0.1.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arklow/arklow-mock/internal/specgen"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type options struct {
	duration    time.Duration
	rounds      int
	connections int
	threads     int
	scale       []int
	startup     []string
	skipLoad    bool
	repo        string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	var o options
	var scale, startup string
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "length of each wrk run")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds, each running baseline then mock (medians are reported)")
	fs.IntVar(&o.connections, "connections", 50, "wrk connections")
	fs.IntVar(&o.threads, "threads", 1, "wrk threads (the load generator shares the machine)")
	fs.StringVar(&scale, "scale", "1,100,500,2000", "synthetic spec sizes to measure (empty: skip)")
	fs.StringVar(&startup, "startup", "mistral,realistic", "large documents to measure start-up on: mistral (the corpus's 660 KB document), realistic (a 3 MB synthetic one); empty: skip")
	fs.BoolVar(&o.skipLoad, "skip-load", false, "measure start-up on the large documents only (no wrk runs)")
	fs.StringVar(&o.repo, "repo", "..", "the repository root (with spec/, fixtures/, scenarios/, and tools/); the default is tools/'s parent")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, s := range strings.Split(scale, ",") {
		if s = strings.TrimSpace(s); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return fmt.Errorf("-scale: %q is not a positive number", s)
			}
			o.scale = append(o.scale, n)
		}
	}
	for _, d := range strings.Split(startup, ",") {
		if d = strings.TrimSpace(d); d != "" {
			if _, ok := largeDocs[d]; !ok {
				return fmt.Errorf("-startup: %q is not a known document (mistral, realistic)", d)
			}
			o.startup = append(o.startup, d)
		}
	}
	if _, err := exec.LookPath("wrk"); err != nil && !o.skipLoad {
		return errors.New("wrk is not installed (Debian: apt-get install wrk)")
	}
	work, err := os.MkdirTemp("", "arklow-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	h := &harness{o: o, work: work, out: out}
	if err := h.build(ctx); err != nil {
		return err
	}
	if o.skipLoad {
		return h.startupRun(ctx)
	}
	fmt.Fprintf(h.out, "arklow-mock load test: wrk -t%d -c%d, %s per run, %d round(s), loopback\n\n",
		h.o.threads, h.o.connections, h.o.duration, h.o.rounds)
	seed := []string{"serve", "--addr", "127.0.0.1:0",
		"--spec", filepath.Join(o.repo, "spec"), "--fixtures", filepath.Join(o.repo, "fixtures"),
		"--scenarios", filepath.Join(o.repo, "scenarios"), "--log-format", "json"}
	if err := h.compare(ctx, seed, seedMixes(), true); err != nil {
		return err
	}
	floor, err := h.writeFloor()
	if err != nil {
		return err
	}
	fmt.Fprintf(h.out, "The mock's floor: its lightest request (GET, no parameters, no body, no credentials, a static fixture) against the same baseline:\n\n")
	if err := h.compare(ctx, floor, []mix{floorMix}, false); err != nil {
		return err
	}
	if len(o.scale) > 0 {
		if err := h.scaleRun(ctx); err != nil {
			return err
		}
	}
	return h.startupRun(ctx)
}

type harness struct {
	o    options
	work string
	out  io.Writer
	mock string // binary paths
	base string
}

// build compiles the mock and the baseline as a user would run them: the
// mock in the repository root (its module), the baseline in tools/ (this
// module).
func (h *harness) build(ctx context.Context) error {
	h.mock = filepath.Join(h.work, "arklow-mock")
	h.base = filepath.Join(h.work, "baseline")
	for _, b := range []struct{ out, dir, pkg string }{
		{h.mock, h.o.repo, "."},
		{h.base, filepath.Join(h.o.repo, "tools"), "./loadtest/baseline"},
	} {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", b.out, b.pkg)
		cmd.Dir = b.dir
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s: %w", b.pkg, err)
		}
	}
	return nil
}

// server is a started process and where it listens.
type server struct {
	cmd        *exec.Cmd
	url        string
	startup    time.Duration // process start to the first 200
	firstCPU   time.Duration // the CPU time it had used by then
	operations chan int      // the number of operations, from the banner
}

var (
	listening      = regexp.MustCompile(`listening\s+(http://\S+)`)
	operationCount = regexp.MustCompile(`\((\d+) operation\(s\)\)`)
)

// start runs bin with args and waits for its first 200 to probe.
func start(ctx context.Context, bin string, args []string, probe request) (*server, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = []string{"MOCK_WATCH=false"}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = io.Discard
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, operations: make(chan int, 1)}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			s.url = m[1]
			break
		}
	}
	go func() {
		for lines.Scan() { // the rest of the banner: the number of operations
			if m := operationCount.FindStringSubmatch(lines.Text()); m != nil {
				n, _ := strconv.Atoi(m[1])
				s.operations <- n
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	if s.url == "" {
		s.stop()
		return nil, fmt.Errorf("%s did not start", bin)
	}
	client := &http.Client{Timeout: time.Second}
	for deadline := began.Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		req, _ := http.NewRequest(probe.method, s.url+probe.path, strings.NewReader(probe.body))
		for k, v := range probe.headers {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.startup = time.Since(began)
				s.firstCPU = s.cpu()
				return s, nil
			}
		}
	}
	s.stop()
	return nil, fmt.Errorf("%s never answered 200", bin)
}

func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// cpu reads the CPU time (user + system) the process has used so far,
// from /proc/PID/stat in clock ticks of 10 ms (Linux's USER_HZ).
func (s *server) cpu() time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces: state is the first, utime and stime the 12th and 13th.
	_, rest, _ := strings.Cut(string(data), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// rssMB reads the process's resident set size.
func (s *server) rssMB() float64 { return s.statusMB("VmRSS:") }

// statusMB reads a size in kB from /proc/PID/status, in MB.
func (s *server) statusMB(field string) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// request is one HTTP request of a mix.
type request struct {
	method, path, body string
	headers            map[string]string
}

// mix is a named list of requests wrk cycles through.
type mix struct {
	name string
	reqs []request
}

const backup = "/v1/self/mfa/verify/totp/backup"

func seedRequest(extra map[string]string, body string) request {
	h := map[string]string{"x-arklow-auth": "ak_load", "Content-Type": "application/json"}
	for k, v := range extra {
		if v == "" {
			delete(h, k)
		} else {
			h[k] = v
		}
	}
	return request{method: "POST", path: backup, body: body, headers: h}
}

const validBody = `{"device_id":"123","code":"12345678"}`

func seedMixes() []mix {
	var scenarios []request
	for _, sc := range []string{"valid-code", "invalid-code", "reused-code", "bad-device", "unauthorized", "rate-limited", "server-error", "realistic"} {
		scenarios = append(scenarios, seedRequest(map[string]string{"X-Mock-Scenario": sc}, validBody))
	}
	return []mix{
		{"valid request", []request{seedRequest(nil, validBody)}},
		{"scenario mix", scenarios},
		{"invalid requests", []request{
			seedRequest(nil, `{"device_id":"abc","code":"12345678"}`),
			seedRequest(nil, `{"device_id":"1","code":"123"}`),
			seedRequest(map[string]string{"x-arklow-auth": ""}, validBody),
			seedRequest(nil, `{"device_id":"1",`),
		}},
	}
}

// script writes a wrk Lua script sending r on every request, in wrk's
// static mode (a script with a request() function makes wrk itself the
// bottleneck at about 14k requests/s on this machine), and printing the
// results as one JSON line.
func (h *harness) script(name string, r request) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "wrk.method = %q\nwrk.path = %q\nwrk.body = %q\n", r.method, r.path, r.body)
	keys := make([]string, 0, len(r.headers))
	for k := range r.headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "wrk.headers[%q] = %q\n", k, r.headers[k])
	}
	b.WriteString(`done = function(summary, latency, requests)
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`)
	p := filepath.Join(h.work, strings.NewReplacer(" ", "-", "/", "-").Replace(name)+".lua")
	return p, os.WriteFile(p, []byte(b.String()), 0o644)
}

// result is one wrk run.
type result struct {
	Requests     int     `json:"requests"`
	DurationUS   int     `json:"duration_us"`
	P50US        float64 `json:"p50_us"`
	P99US        float64 `json:"p99_us"`
	SocketErrors int     `json:"socket_errors"`
}

func (r result) rps() float64 { return float64(r.Requests) / (float64(r.DurationUS) / 1e6) }

// load drives url with the mix: one wrk process per request of the mix,
// all at once, sharing the connections, so every request kind is in
// flight together. Latencies combine conservatively: the highest p99 and
// the median p50 of the processes.
func (h *harness) load(ctx context.Context, url string, m mix) (result, error) {
	type out struct {
		r   result
		err error
	}
	ch := make(chan out, len(m.reqs))
	for i, r := range m.reqs {
		conns := h.o.connections / len(m.reqs)
		if i < h.o.connections%len(m.reqs) {
			conns++
		}
		script, err := h.script(fmt.Sprintf("%s-%d", m.name, i), r)
		if err != nil {
			return result{}, err
		}
		go func() {
			r, err := h.wrk(ctx, url, script, max(conns, 1))
			ch <- out{r, err}
		}()
	}
	var total result
	var p50s []float64
	for range m.reqs {
		o := <-ch
		if o.err != nil {
			return result{}, o.err
		}
		total.Requests += o.r.Requests
		total.DurationUS = max(total.DurationUS, o.r.DurationUS)
		total.SocketErrors += o.r.SocketErrors
		total.P99US = max(total.P99US, o.r.P99US)
		p50s = append(p50s, o.r.P50US)
	}
	total.P50US = median(p50s)
	return total, nil
}

func (h *harness) wrk(ctx context.Context, url, script string, conns int) (result, error) {
	cmd := exec.CommandContext(ctx, "wrk", "-t", strconv.Itoa(h.o.threads), "-c", strconv.Itoa(conns),
		"-d", fmt.Sprintf("%.0fs", h.o.duration.Seconds()), "--timeout", "5s", "-s", script, url)
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %w", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if js, ok := strings.CutPrefix(line, "RESULT "); ok {
			var r result
			return r, json.Unmarshal([]byte(js), &r)
		}
	}
	return result{}, fmt.Errorf("wrk printed no result:\n%s", out)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// compare runs every mix against the baseline and the mock (started with
// mockArgs), alternating, and prints the table; with full it also prints
// start-up times and the mock's RSS after load.
func (h *harness) compare(ctx context.Context, mockArgs []string, mixes []mix, full bool) error {
	probe := mixes[0].reqs[0]
	type series struct{ rps, p50, p99, cpu []float64 }
	var startups = map[string][]float64{}
	results := map[string]map[string]*series{} // mix -> target -> series
	var rss []float64
	for round := 0; round < h.o.rounds; round++ {
		for _, target := range []string{"baseline", "mock"} {
			bin, args := h.base, []string{"-addr", "127.0.0.1:0"}
			if target == "mock" {
				bin, args = h.mock, mockArgs
			}
			srv, err := start(ctx, bin, args, probe)
			if err != nil {
				return err
			}
			startups[target] = append(startups[target], float64(srv.startup.Microseconds())/1000)
			for _, m := range mixes {
				used := srv.cpu()
				r, err := h.load(ctx, srv.url, m)
				used = srv.cpu() - used
				if err != nil {
					srv.stop()
					return err
				}
				if results[m.name] == nil {
					results[m.name] = map[string]*series{"baseline": {}, "mock": {}}
				}
				s := results[m.name][target]
				s.rps, s.p50, s.p99 = append(s.rps, r.rps()), append(s.p50, r.P50US/1000), append(s.p99, r.P99US/1000)
				s.cpu = append(s.cpu, float64(used.Microseconds())/float64(max(r.Requests, 1)))
			}
			if target == "mock" {
				rss = append(rss, srv.rssMB())
			}
			srv.stop()
		}
	}
	fmt.Fprintf(h.out, "| mix | baseline req/s | mock req/s | ratio | baseline p50 / p99 | mock p50 / p99 | p99 ratio | server CPU per request: baseline / mock |\n")
	fmt.Fprintf(h.out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, m := range mixes {
		b, k := results[m.name]["baseline"], results[m.name]["mock"]
		fmt.Fprintf(h.out, "| %s | %.0f | %.0f | %.0f%% | %.2f / %.2f ms | %.2f / %.2f ms | %.2f× | %.1f / %.1f µs (%.2f×) |\n", m.name,
			median(b.rps), median(k.rps), 100*median(k.rps)/median(b.rps),
			median(b.p50), median(b.p99), median(k.p50), median(k.p99), median(k.p99)/median(b.p99),
			median(b.cpu), median(k.cpu), median(k.cpu)/median(b.cpu))
	}
	fmt.Fprintln(h.out)
	if full {
		fmt.Fprintf(h.out, "start-up (process start to first 200): baseline %.1f ms, mock %.1f ms (medians)\n",
			median(startups["baseline"]), median(startups["mock"]))
		fmt.Fprintf(h.out, "mock RSS after load: %.1f MB (median of %d)\n\n", median(rss), len(rss))
	}
	return nil
}

// floorMix is the lightest request the mock can answer: no parameters, no
// body and no credentials to check, a fixture with nothing to render.
var floorMix = mix{"lightest request", []request{{method: "GET", path: "/ping"}}}

// writeFloor writes the spec, fixture and scenario behind floorMix and
// returns the mock's arguments for them. The fixture's body is the
// baseline's answer, byte for byte.
func (h *harness) writeFloor() ([]string, error) {
	dir := filepath.Join(h.work, "floor")
	files := map[string]string{
		"spec/ping.yaml": `openapi: 3.1.0
info: {title: Floor, version: 1.0.0}
paths:
  /ping:
    get:
      operationId: ping
      responses:
        '200':
          description: the same answer as the baseline's
          content:
            application/json:
              schema: {type: object}
`,
		"fixtures/ping.yaml":     "status: 200\nbody:\n  data: {valid: true, device_id: \"123\", verification_type: backup_code, session_mfa_not_after: \"2026-11-25T12:15:00Z\"}\n  errors: null\n",
		"scenarios/default.yaml": "name: default\ndescription: the floor\noperations:\n  ping:\n    - fixture: ping\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return nil, err
		}
	}
	return []string{"serve", "--addr", "127.0.0.1:0", "--spec", filepath.Join(dir, "spec"),
		"--fixtures", filepath.Join(dir, "fixtures"), "--scenarios", filepath.Join(dir, "scenarios"), "--log-format", "json"}, nil
}

// scaleRun measures start-up, RSS and throughput on synthetic specs.
func (h *harness) scaleRun(ctx context.Context) error {
	empty := filepath.Join(h.work, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(h.out, "| operations | start-up | RSS after load | GET req/s (last operation) |\n| ---: | ---: | ---: | ---: |\n")
	for _, n := range h.o.scale {
		spec := filepath.Join(h.work, fmt.Sprintf("spec-%d.yaml", n))
		if err := os.WriteFile(spec, specgen.Document(n), 0o644); err != nil {
			return err
		}
		get := request{method: "GET", path: specgen.Path(n-1) + "?limit=10", headers: map[string]string{"x-arklow-auth": "ak_load"}}
		if specgen.Path(n-1) != specgen.Path(0) || n == 1 {
			get.path = specgen.Path(n - 1)
		}
		srv, err := start(ctx, h.mock, []string{"serve", "--addr", "127.0.0.1:0", "--spec", spec, "--fixtures", empty, "--scenarios", empty}, get)
		if err != nil {
			return err
		}
		r, err := h.load(ctx, srv.url, mix{fmt.Sprintf("scale %d", n), []request{get}})
		if err == nil {
			fmt.Fprintf(h.out, "| %d | %.1f ms | %.1f MB | %.0f |\n", n, float64(srv.startup.Microseconds())/1000, srv.rssMB(), r.rps())
		}
		srv.stop()
		if err != nil {
			return err
		}
	}
	return nil
}

// largeDoc is a large document start-up is measured on: where it is (or
// how it is written) and a request it answers 200 to.
type largeDoc struct {
	name  string
	write func(h *harness) (string, error)
	probe request
}

var largeDocs = map[string]largeDoc{
	"mistral": {
		name: "mistral.yaml (corpus)",
		write: func(h *harness) (string, error) {
			return filepath.Join(h.o.repo, "testdata", "corpus", "mistral.yaml"), nil
		},
		probe: request{method: "GET", path: "/v1/models", headers: map[string]string{"Authorization": "Bearer ak_load"}},
	},
	"realistic": {
		name: "specgen.Realistic(300)",
		write: func(h *harness) (string, error) {
			p := filepath.Join(h.work, "realistic-300.yaml")
			return p, os.WriteFile(p, specgen.Realistic(300), 0o644)
		},
		probe: request{method: "GET", path: specgen.RealisticPath(2), headers: map[string]string{"x-arklow-auth": "ak_load"}},
	},
}

// startupRun starts the mock on each large document, round after round
// (the documents alternating), and prints the medians: process start to
// the first 200, the CPU time used by then, and, once the mock is idle
// (whatever it prepares after it answers included), its CPU time and its
// peak RSS.
func (h *harness) startupRun(ctx context.Context) error {
	if len(h.o.startup) == 0 {
		return nil
	}
	empty := filepath.Join(h.work, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		return err
	}
	type series struct {
		first, firstCPU, idleCPU, peak []float64
		operations                     int
	}
	results := map[string]*series{}
	paths := map[string]string{}
	for _, d := range h.o.startup {
		p, err := largeDocs[d].write(h)
		if err != nil {
			return err
		}
		paths[d], results[d] = p, &series{}
	}
	for range h.o.rounds {
		for _, d := range h.o.startup {
			srv, err := start(ctx, h.mock, []string{"serve", "--addr", "127.0.0.1:0", "--spec", paths[d], "--fixtures", empty, "--scenarios", empty}, largeDocs[d].probe)
			if err != nil {
				return fmt.Errorf("%s: %w", d, err)
			}
			r := results[d]
			r.first = append(r.first, float64(srv.startup.Microseconds())/1000)
			r.firstCPU = append(r.firstCPU, float64(srv.firstCPU.Milliseconds()))
			r.idleCPU = append(r.idleCPU, float64(srv.idle().Milliseconds()))
			r.peak = append(r.peak, srv.peakRSSMB())
			select {
			case r.operations = <-srv.operations:
			case <-time.After(time.Second):
			}
			srv.stop()
		}
	}
	fmt.Fprintf(h.out, "Start-up on large documents (medians of %d; empty fixtures and scenarios):\n\n", h.o.rounds)
	fmt.Fprintf(h.out, "| document | size | operations | start to first answer | CPU by then | CPU once idle | peak RSS |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, d := range h.o.startup {
		st, err := os.Stat(paths[d])
		if err != nil {
			return err
		}
		r := results[d]
		fmt.Fprintf(h.out, "| %s | %.0f KB | %d | %.0f ms | %.0f ms | %.0f ms | %.1f MB |\n", largeDocs[d].name, float64(st.Size())/1000,
			r.operations, median(r.first), median(r.firstCPU), median(r.idleCPU), median(r.peak))
	}
	fmt.Fprintln(h.out)
	return nil
}

// idle waits until the process has used no CPU for 300 ms (30 s at
// most) and returns its CPU time.
func (s *server) idle() time.Duration {
	last := s.cpu()
	for quiet, deadline := 0, time.Now().Add(30*time.Second); quiet < 3 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		now := s.cpu()
		if now == last {
			quiet++
		} else {
			quiet = 0
		}
		last = now
	}
	return last
}

// peakRSSMB reads the process's peak resident set size (VmHWM).
func (s *server) peakRSSMB() float64 { return s.statusMB("VmHWM:") }
