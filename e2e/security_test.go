package e2e

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// attackerPage tries, from whatever origin serves it, what a hostile web
// page open in the developer's browser would: read the journal, reset the
// mock with simple requests (a text/plain fetch, sendBeacon), and switch
// the active scenario with a JSON PUT (which needs a preflight).
const attackerPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>page</title>
<link rel="icon" href="data:,"></head>
<body><pre id="out">pending</pre>
<script>
(async () => {
  const mock = new URLSearchParams(location.search).get('mock');
  const out = {};
  try {
    const res = await fetch(mock + '/__mock/requests', {credentials: 'include'});
    const body = await res.json();
    out.read = 'read ' + body.data.length + ' entries';
  } catch (e) { out.read = e.name; }
  try {
    await fetch(mock + '/__mock/reset', {method: 'POST', body: 'x'});
    out.reset = 'answered';
  } catch (e) { out.reset = e.name; }
  out.beacon = navigator.sendBeacon(mock + '/__mock/reset', 'x') ? 'queued' : 'refused';
  try {
    const res = await fetch(mock + '/__mock/scenario', {method: 'PUT', headers: {'Content-Type': 'application/json'}, body: '{"name":"slow"}'});
    out.put = 'answered ' + res.status;
  } catch (e) { out.put = e.name; }
  await new Promise(r => setTimeout(r, 300)); // let the beacon go out
  window.result = out;
  document.getElementById('out').textContent = JSON.stringify(out);
})();
</script></body></html>`

type attackResult struct{ Read, Reset, Beacon, Put string }

// TestOtherPagesCannotReachTheAdminAPI is issue 12's attacks, made by a
// real browser: a page on another (not local) origin cannot read the
// journal or change the mock's state, while a page on localhost can; and
// a page that reaches the mock through DNS rebinding gets 403.
func TestOtherPagesCannotReachTheAdminAPI(t *testing.T) {
	// *.evil.test resolves to 127.0.0.1 in this browser only: a public
	// name pointing at the developer's machine, as a rebinding attacker
	// makes it, with all traffic on loopback.
	b := newBrowser(t, 90*time.Second, chromedp.Flag("host-resolver-rules", "MAP *.evil.test 127.0.0.1"))
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, attackerPage)
	}))
	t.Cleanup(pages.Close)
	_, pagePort, _ := net.SplitHostPort(strings.TrimPrefix(pages.URL, "http://"))

	attack := func(t *testing.T, pageOrigin string, ts *testServer) attackResult {
		t.Helper()
		b := b.on(t)
		b.open(pageOrigin + "/?mock=" + url.QueryEscape(ts.URL))
		r, err := chromedp.Run(b.ctx, chromedp.Poll[attackResult](`window.result`,
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
		if err != nil {
			t.Fatalf("the page did not report: %v", err)
		}
		return r
	}

	t.Run("a page on another origin reads nothing and changes nothing", func(t *testing.T) {
		ts := startServer(t, nil)
		ts.do(t, validCall(nil)) // something in the journal worth stealing
		r := attack(t, "http://www.evil.test:"+pagePort, ts)
		if r.Read != "TypeError" {
			t.Errorf("reading the journal: %q, want the browser to refuse it (TypeError)", r.Read)
		}
		if r.Put != "TypeError" {
			t.Errorf("PUT /__mock/scenario: %q, want the preflight refused (TypeError)", r.Put)
		}
		var list []entry
		ts.admin(t, "GET", "/__mock/requests", "", &list)
		if len(list) != 1 {
			t.Errorf("the journal has %d entries after the page's resets, want the 1 it had", len(list))
		}
		var health struct {
			Active string `json:"active_scenario"`
		}
		ts.admin(t, "GET", "/__mock/health", "", &health)
		if health.Active != "default" {
			t.Errorf("active scenario = %q after the page's PUT, want default", health.Active)
		}
	})

	t.Run("a page on localhost may use the admin API", func(t *testing.T) {
		ts := startServer(t, nil)
		ts.do(t, validCall(nil))
		r := attack(t, "http://localhost:"+pagePort, ts)
		if r.Read != "read 1 entries" {
			t.Errorf("reading the journal from localhost: %q, want it read", r.Read)
		}
		if r.Put != "answered 200" {
			t.Errorf("PUT /__mock/scenario from localhost: %q, want 200", r.Put)
		}
	})

	t.Run("a page that reaches the mock by DNS rebinding gets 403", func(t *testing.T) {
		ts := startServer(t, nil)
		_, mockPort, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))
		b := b.on(t)
		b.open("http://rebind.evil.test:" + mockPort + "/__mock/requests")
		text := eval[string](b, `document.body.innerText`)
		if !strings.Contains(text, "forbidden_host") || !strings.Contains(text, "--allowed-hosts") {
			t.Errorf("the rebound page got %q, want 403 forbidden_host naming --allowed-hosts", text)
		}
	})
}
