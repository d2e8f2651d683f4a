package e2e

// Browser tests: the control panel at /__mock/, and what a frontend served
// from another origin sees, in a real headless Chromium driven with
// chromedp. They need Chromium (Debian: apt-get install chromium); without
// it they skip, except under CI, where a missing browser fails.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	pngpkg "image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browserNames are the executables tried, in order, on $PATH.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// findBrowser returns the path of the first browser found, or "".
func findBrowser() string {
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is one headless Chromium, with one tab, for one test.
type browser struct {
	t    *testing.T
	ctx  context.Context
	errs *jsErrors
}

// jsErrors collects the uncaught JavaScript exceptions of the page.
type jsErrors struct {
	mu   sync.Mutex
	list []string
}

// on returns the browser for a subtest t (a test fails only from its own
// goroutine).
func (b *browser) on(t *testing.T) *browser { return &browser{t: t, ctx: b.ctx, errs: b.errs} }

// newBrowser starts a headless Chromium with a fresh profile; everything it
// does is bounded by timeout. It skips the test when no browser is
// installed, or fails it when the CI variable is set.
func newBrowser(t *testing.T, timeout time.Duration, flags ...chromedp.ExecAllocatorOption) *browser {
	t.Helper()
	path := findBrowser()
	if path == "" {
		msg := fmt.Sprintf("no browser found on $PATH (tried %s); install Chromium to run the browser tests: apt-get install chromium", strings.Join(browserNames, ", "))
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " — CI must run them")
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true), // containers have a small /dev/shm
		chromedp.Flag("no-proxy-server", true),       // loopback only, whatever the environment says
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	opts = append(opts, flags...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(tabCtx, timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc() // waits for the browser to exit, before TempDir is removed
	})
	b := &browser{t: t, ctx: ctx, errs: &jsErrors{}}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			msg := ev.ExceptionDetails.Text
			if ex := ev.ExceptionDetails.Exception; ex != nil && ex.Description != "" {
				msg += " " + ex.Description
			}
			b.errs.mu.Lock()
			b.errs.list = append(b.errs.list, msg)
			b.errs.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		b.errs.mu.Lock()
		defer b.errs.mu.Unlock()
		for _, e := range b.errs.list {
			t.Errorf("uncaught JavaScript exception: %s", e)
		}
	})
	return b
}

// do runs actions, failing the test on the first error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *browser) open(u string) {
	b.t.Helper()
	b.do("open "+u, chromedp.Navigate(u))
}

func (b *browser) click(sel string) {
	b.t.Helper()
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// waitFor polls a JavaScript expression until it is truthy; on timeout it
// fails with what, and with the page's visible text for context.
func (b *browser) waitFor(what, expr string, within time.Duration) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(within)))
	if err != nil {
		text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 3000) : ''`))
		b.t.Fatalf("waiting for %s: %v\nthe page shows:\n%s", what, err, text)
	}
}

// eval evaluates a JavaScript expression and decodes its value into T.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// rowsJS counts the rows of the panel's request log.
const rowsJS = `document.querySelectorAll('#log-list [data-entry-id]').length`

// rowJS is the log row of the journal entry id.
func rowJS(id uint64) string {
	return fmt.Sprintf(`document.querySelector('#log-list [data-entry-id="%d"]')`, id)
}

// newest returns the newest journal entry, failing when there is none.
func newest(t *testing.T, ts *testServer) entry {
	t.Helper()
	var list []entry
	ts.admin(t, "GET", "/__mock/requests?limit=1", "", &list)
	if len(list) == 0 {
		t.Fatal("the journal is empty")
	}
	return list[0]
}

func TestPanel(t *testing.T) {
	start := time.Now()
	b := newBrowser(t, 90*time.Second)
	ts := startServer(t, nil)
	b.open(ts.URL + "/__mock/")
	b.waitFor("the scenario list", `document.querySelector('[data-scenario="reused-code"]') !== null`, 10*time.Second)
	b.waitFor("default shown as active", `document.querySelector('[data-scenario="default"]').getAttribute('aria-pressed') === 'true'
		&& document.getElementById('stat-active').textContent === 'default'`, 5*time.Second)
	b.waitFor("the operation", `document.querySelector('#ops-list [data-operation="post_v1_self_mfa_verify_totp_backup"]') !== null`, 5*time.Second)

	t.Run("one click switches the active scenario", func(t *testing.T) {
		b := b.on(t)
		b.click(`[data-scenario="reused-code"]`)
		b.waitFor("reused-code shown as active", `document.querySelector('[data-scenario="reused-code"]').getAttribute('aria-pressed') === 'true'
			&& document.querySelector('[data-scenario="default"]').getAttribute('aria-pressed') === 'false'
			&& document.getElementById('stat-active').textContent === 'reused-code'`, 5*time.Second)
		// A request naming no scenario now gets reused-code.
		a := ts.do(t, validCall(nil))
		if a.status != http.StatusConflict || a.header.Get("X-Mock-Scenario") != "reused-code" {
			t.Fatalf("after the click: %d, X-Mock-Scenario %q; want 409 from reused-code", a.status, a.header.Get("X-Mock-Scenario"))
		}
	})

	t.Run("the request appears in the log", func(t *testing.T) {
		b := b.on(t)
		e := newest(t, ts)
		row := rowJS(e.ID)
		b.waitFor("the 409 row", row+` !== null`, 5*time.Second)
		got := eval[map[string]string](b, `(() => { const r = `+row+`; return {
			status: r.dataset.status, text: r.querySelector('.entry-row').textContent }; })()`)
		if got["status"] != "409" {
			t.Errorf("row status = %q, want 409", got["status"])
		}
		for _, want := range []string{"POST", backupPath, "409", "reused-code", "mfa/backup/reused_code"} {
			if !strings.Contains(got["text"], want) {
				t.Errorf("row %q does not show %q", got["text"], want)
			}
		}
	})

	t.Run("a rejected request shows its validation error", func(t *testing.T) {
		b := b.on(t)
		const msg = `body.device_id: string "abc" does not match pattern ^[0-9]+$`
		if a := ts.do(t, backupCall("abc", "12345678", nil)); a.status != http.StatusBadRequest {
			t.Fatalf("device_id abc: %d, want 400", a.status)
		}
		e := newest(t, ts)
		row := rowJS(e.ID)
		b.waitFor("the 400 row", row+` !== null`, 5*time.Second)
		sel := fmt.Sprintf(`#log-list [data-entry-id="%d"]`, e.ID)
		b.click(sel + ` .entry-row`)
		b.do("the validation errors are visible", chromedp.WaitVisible(chromedp.CSS(sel+` .validation-errors`)))
		messages := eval[[]string](b, `[...document.querySelectorAll(`+js(sel+` .validation-errors li .problem-message`)+`)].map(n => n.textContent)`)
		if len(messages) != 1 || messages[0] != msg {
			t.Errorf("validation messages = %q, want [%q]", messages, msg)
		}
		if expanded := eval[string](b, `document.querySelector(`+js(sel+` .entry-row`)+`).getAttribute('aria-expanded')`); expanded != "true" {
			t.Errorf("aria-expanded = %q after the click, want true", expanded)
		}
		body := eval[string](b, `document.querySelector(`+js(sel+` .entry-detail`)+`).textContent`)
		for _, want := range []string{`"device_id": "abc"`, `"invalid_request"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the expanded row does not show %s (request and response bodies):\n%s", want, body)
			}
		}
	})

	t.Run("Clear log empties it", func(t *testing.T) {
		b := b.on(t)
		b.click(`#clear-btn`)
		b.waitFor("an empty log", rowsJS+` === 0 && !document.getElementById('log-empty').hidden`, 5*time.Second)
		var list []entry
		ts.admin(t, "GET", "/__mock/requests", "", &list)
		if len(list) != 0 {
			t.Errorf("the journal has %d entries after Clear log", len(list))
		}
	})

	t.Run("Reset state clears the log and sequences", func(t *testing.T) {
		b := b.on(t)
		realistic := map[string]string{"X-Mock-Scenario": "realistic"}
		ts.do(t, backupCall("31", "31313131", realistic))
		if a := ts.do(t, backupCall("31", "31313131", realistic)); a.status != http.StatusConflict {
			t.Fatalf("second use = %d, want 409", a.status)
		}
		b.waitFor("two rows", rowsJS+` === 2`, 5*time.Second)
		b.click(`#reset-btn`)
		b.waitFor("an empty log", rowsJS+` === 0 && !document.getElementById('log-empty').hidden`, 5*time.Second)
		if a := ts.do(t, backupCall("31", "31313131", realistic)); a.status != http.StatusOK {
			t.Errorf("after Reset state the same code answers %d, want 200 (sequences start over)", a.status)
		}
		b.waitFor("the new request, alone", rowsJS+` === 1`, 5*time.Second)
	})

	// The panel itself never shows up in the journal (no /favicon.ico, no
	// admin calls): only the request sent after the reset is there.
	var list []entry
	ts.admin(t, "GET", "/__mock/requests", "", &list)
	if len(list) != 1 || list[0].Path != backupPath {
		t.Errorf("journal = %+v, want only the one request after the reset", list)
	}
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// With MOCK_ADMIN_TOKEN set, the panel's first write is answered 401: it
// asks for the token once, retries with it, and keeps it for the tab, so
// the next write goes through without asking again.
func TestPanelAdminToken(t *testing.T) {
	b := newBrowser(t, 60*time.Second)
	ts := startServer(t, map[string]string{"MOCK_ADMIN_TOKEN": "t0ken"})
	prompts := make(chan string, 8)
	dialogs := chromedp.Events(b.ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			prompts <- ev.Message
			chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true, PromptText: "t0ken"})
		}
	}()
	b.open(ts.URL + "/__mock/")
	b.waitFor("the scenario list", `document.querySelector('[data-scenario="reused-code"]') !== null`, 10*time.Second)

	b.click(`[data-scenario="reused-code"]`)
	b.waitFor("reused-code shown as active", `document.getElementById('stat-active').textContent === 'reused-code'`, 10*time.Second)
	select {
	case msg := <-prompts:
		if !strings.Contains(msg, "MOCK_ADMIN_TOKEN") {
			t.Errorf("the prompt says %q; want it to name MOCK_ADMIN_TOKEN", msg)
		}
	default:
		t.Fatal("the write went through without asking for the token")
	}
	if a := ts.do(t, validCall(nil)); a.status != http.StatusConflict {
		t.Fatalf("after the switch: %d, want 409 from reused-code (the retried write did not land)", a.status)
	}

	b.click(`[data-scenario="default"]`)
	b.waitFor("default shown as active", `document.getElementById('stat-active').textContent === 'default'`, 10*time.Second)
	if len(prompts) != 0 {
		t.Errorf("asked for the token again: %q", <-prompts)
	}
	if a := ts.do(t, validCall(nil)); a.status != http.StatusOK {
		t.Errorf("after switching back: %d, want 200 from default", a.status)
	}
	if got := eval[string](b, `sessionStorage.getItem('arklow-mock-admin-token')`); got != "t0ken" {
		t.Errorf("sessionStorage holds %q, want the token for this tab", got)
	}
}

func TestPanelReloadBanner(t *testing.T) {
	b := newBrowser(t, 60*time.Second)
	dir := copyTree(t)
	ts := startIn(t, dir)
	b.open(ts.URL + "/__mock/")
	b.waitFor("the header", `document.getElementById('stat-active').textContent === 'default'`, 10*time.Second)
	if hidden := eval[bool](b, `document.getElementById('reload-banner').hidden`); !hidden {
		t.Fatal("the reload banner shows while every file loads")
	}

	fixture := filepath.Join(dir, "fixtures", "mfa", "backup", "valid_code.yaml")
	original, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(original), "verification_type: backup_code", "verification_type: sms", 1)
	if broken == string(original) {
		t.Fatal("the fixture has no verification_type: backup_code to break")
	}
	write(t, fixture, broken)
	b.waitFor("the reload banner naming valid_code.yaml:9", `(() => { const el = document.getElementById('reload-banner');
		return !el.hidden && el.textContent.includes('valid_code.yaml:9'); })()`, 10*time.Second)
	b.do("the banner is visible", chromedp.WaitVisible(chromedp.CSS(`#reload-banner`)))
	b.do("the header flags it", chromedp.WaitVisible(chromedp.CSS(`#reload-flag`)))
	if role := eval[string](b, `document.getElementById('reload-banner').getAttribute('role')`); role != "alert" {
		t.Errorf("banner role = %q, want alert", role)
	}

	write(t, fixture, string(original))
	b.waitFor("the banner gone after the fix", `document.getElementById('reload-banner').hidden && document.getElementById('reload-flag').hidden`, 10*time.Second)
}

// frontendPage is a tiny app on another origin: it calls the mock as a
// browser frontend would and publishes what it saw in window.result.
const frontendPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>frontend</title>
<link rel="icon" href="data:,"></head>
<body><pre id="out">pending</pre>
<script>
(async () => {
  const mockURL = new URLSearchParams(location.search).get('mock');
  let result;
  try {
    const res = await fetch(mockURL + '/v1/self/mfa/verify/totp/backup', {
      method: 'POST',
      headers: {'x-arklow-auth': 'k', 'Content-Type': 'application/json', 'X-Mock-Scenario': 'bad-device'},
      body: JSON.stringify({device_id: '123', code: '12345678'}),
    });
    const body = await res.json();
    result = {ok: true, status: res.status, code: body.errors && body.errors[0] && body.errors[0].code,
      scenario: res.headers.get('X-Mock-Scenario') || ''};
  } catch (e) {
    result = {ok: false, error: e.name + ': ' + e.message};
  }
  window.result = result;
  document.getElementById('out').textContent = JSON.stringify(result);
})();
</script></body></html>`

type frontendResult struct {
	OK       bool
	Status   int
	Code     string
	Scenario string
	Error    string
}

func TestFrontendFromAnotherOrigin(t *testing.T) {
	b := newBrowser(t, 60*time.Second)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, frontendPage)
	}))
	t.Cleanup(front.Close)

	// call loads the frontend page pointed at mock and returns what it saw.
	call := func(t *testing.T, mock *testServer) frontendResult {
		t.Helper()
		b := b.on(t)
		if front.URL == mock.URL {
			t.Fatalf("the page and the mock share the origin %s", front.URL)
		}
		b.open(front.URL + "/?mock=" + url.QueryEscape(mock.URL))
		r, err := chromedp.Run(b.ctx, chromedp.Poll[frontendResult](`window.result`,
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			t.Fatalf("the page did not report: %v", err)
		}
		return r
	}

	t.Run("the answer reaches the page", func(t *testing.T) {
		ts := startServer(t, nil)
		r := call(t, ts)
		if !r.OK {
			t.Fatalf("fetch failed in the page: %s", r.Error)
		}
		if r.Status != http.StatusNotFound || r.Code != "mfa_device_not_found" || r.Scenario != "bad-device" {
			t.Errorf("the page saw %+v, want status 404, errors[0].code mfa_device_not_found, X-Mock-Scenario bad-device", r)
		}
		// It was a cross-origin request: the mock saw the page's Origin.
		e := newest(t, ts)
		if got := e.Headers["Origin"]; got != front.URL {
			t.Errorf("the mock saw Origin %q, want the page's %q", got, front.URL)
		}
	})

	t.Run("an origin not allowed is blocked by the browser", func(t *testing.T) {
		ts := startServer(t, nil, "--cors-origins", "http://example.invalid")
		r := call(t, ts)
		if r.OK || !strings.HasPrefix(r.Error, "TypeError") {
			t.Fatalf("the page saw %+v, want fetch to reject with a TypeError", r)
		}
		// The preflight failed, so the browser never sent the POST...
		var list []entry
		ts.admin(t, "GET", "/__mock/requests", "", &list)
		if len(list) != 0 {
			t.Errorf("the journal has %d entries, want none: the browser must not send the request", len(list))
		}
		// ... while the mock is up.
		if a := ts.do(t, validCall(nil)); a.status != http.StatusOK {
			t.Errorf("the mock itself answers %d, want 200", a.status)
		}
	})
}

// TestPanelScreenshot rewrites docs/control-panel.png (the README's
// picture) with some traffic; only with UPDATE_SCREENSHOT=1, so the tests
// never touch a tracked file by themselves.
func TestPanelScreenshot(t *testing.T) {
	b := newBrowser(t, 60*time.Second)
	ts := startServer(t, nil)
	b.do("viewport", chromedp.EmulateViewport(1400, 1000))
	b.open(ts.URL + "/__mock/")
	b.waitFor("the scenario list", `document.querySelector('[data-scenario="realistic"]') !== null`, 10*time.Second)
	b.click(`[data-scenario="realistic"]`)
	b.waitFor("realistic active", `document.getElementById('stat-active').textContent === 'realistic'`, 5*time.Second)
	b.click(`[data-browser-scenario="bad-device"]`) // the header shows it; the requests below come from Go, not this browser
	b.waitFor("bad-device in this browser", `document.getElementById('stat-browser').textContent === 'bad-device'`, 5*time.Second)

	session := map[string]string{"X-Mock-Session": "checkout-e2e"}
	with := func(scenario string) map[string]string {
		h := map[string]string{"X-Mock-Scenario": scenario}
		for k, v := range session {
			h[k] = v
		}
		return h
	}
	calls := []call{
		validCall(with("valid-code")),
		validCall(with("invalid-code")),
		validCall(with("rate-limited")),
		backupCall("42", "20482048", session),
		backupCall("42", "20482048", session),
		validCall(with("bad-device")),
		validCall(with("server-error")),
	}
	for _, c := range calls {
		ts.do(t, c)
	}
	ts.fault(t, validCall(with("network-error")))
	// The newest, so its details show in the picture.
	if a := ts.do(t, backupCall("abc", "12345678", session)); a.status != http.StatusBadRequest {
		t.Fatalf("device abc: %d, want 400", a.status)
	}
	rejected := newest(t, ts).ID
	served := len(calls) + 2
	b.waitFor("every row", fmt.Sprintf(`%s === %d`, rowsJS, served), 5*time.Second)
	b.click(fmt.Sprintf(`#log-list [data-entry-id="%d"] .entry-row`, rejected))
	b.do("the validation errors are visible", chromedp.WaitVisible(chromedp.CSS(`.validation-errors`)))
	b.waitFor("the served counts", fmt.Sprintf(`document.querySelector('#ops-list .op-total').textContent === '%d requests served'`, served), 5*time.Second)
	// Let the toast fade and the coverage settle.
	b.waitFor("the toast gone", `!document.getElementById('toast').classList.contains('toast-on')`, 5*time.Second)
	time.Sleep(300 * time.Millisecond)
	// The README's picture: at this size nothing overflows sideways.
	if overflow := eval[int](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); overflow > 0 {
		t.Errorf("the page overflows its 1400 px width by %d px", overflow)
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := pngpkg.DecodeConfig(bytes.NewReader(png))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if img.Width != 1400 || img.Height != 1000 {
		t.Errorf("the screenshot is %dx%d, want 1400x1000", img.Width, img.Height)
	}
	if os.Getenv("UPDATE_SCREENSHOT") != "1" {
		return // set UPDATE_SCREENSHOT=1 to rewrite docs/control-panel.png
	}
	if err := os.MkdirAll(inRepo("docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(inRepo("docs/control-panel.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote docs/control-panel.png (%d bytes)", len(png))
}

// When a reload removes the active scenario the mock refuses requests that
// name none; the panel says so in its banner, and clears it once another
// scenario is active.
func TestPanelWarnsWhenTheActiveScenarioIsGone(t *testing.T) {
	b := newBrowser(t, 60*time.Second)
	dir := copyTree(t)
	ts := startIn(t, dir, "--scenario", "bad-device")
	b.open(ts.URL + "/__mock/")
	b.waitFor("the header", `document.getElementById('stat-active').textContent === 'bad-device'`, 10*time.Second)
	if err := os.Remove(filepath.Join(dir, "scenarios", "bad-device.yaml")); err != nil {
		t.Fatal(err)
	}
	b.waitFor("the banner naming the gone scenario", `(() => { const el = document.getElementById('reload-banner');
		return !el.hidden && el.textContent.includes('"bad-device" is gone'); })()`, 10*time.Second)
	if flag := eval[string](b, `document.getElementById('reload-flag').textContent`); flag != "Requests refused" {
		t.Errorf("header flag = %q, want Requests refused", flag)
	}
	ts.admin(t, "PUT", "/__mock/scenario", `{"name":"default"}`, nil)
	b.waitFor("the banner gone once a scenario is active again", `document.getElementById('reload-banner').hidden`, 10*time.Second)
}
