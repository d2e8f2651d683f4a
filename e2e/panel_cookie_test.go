package e2e

// "Use in this browser": the panel sets the cookie arklow_mock_scenario on
// the mock's host, and an app on another port of that host gets the
// scenario, through its dev proxy (as Vite's server.proxy forwards the
// app's cookies) or calling the mock itself with credentials: 'include'.

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// proxiedPage is an app served by a dev server that proxies /v1/ to the
// mock: it sends the seed request through its own origin, and once more
// to the mock itself (?mock=) with its cookies, and publishes both
// answers in window.result.
const proxiedPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>app behind a dev proxy</title>
<link rel="icon" href="data:,"></head>
<body><pre id="out">pending</pre>
<script>
const seed = {
  method: 'POST',
  headers: {'x-arklow-auth': 'ak_test', 'Content-Type': 'application/json'},
  body: JSON.stringify({device_id: '123', code: '12345678'}),
};
async function call(url, init) {
  try {
    const res = await fetch(url, init);
    const body = await res.json();
    return {ok: true, status: res.status, code: (body.errors && body.errors[0] && body.errors[0].code) || '',
      scenario: res.headers.get('X-Mock-Scenario') || ''};
  } catch (e) {
    return {ok: false, error: e.name + ': ' + e.message};
  }
}
(async () => {
  const mock = new URLSearchParams(location.search).get('mock');
  const result = {
    proxied: await call('/v1/self/mfa/verify/totp/backup', seed),
    direct: await call(mock + '/v1/self/mfa/verify/totp/backup', {...seed, credentials: 'include'}),
  };
  window.result = result;
  document.getElementById('out').textContent = JSON.stringify(result);
})();
</script></body></html>`

type pageAnswers struct {
	Proxied, Direct frontendResult
}

// devProxy serves proxiedPage at / and forwards /v1/ to the mock, Host
// and cookies as they came (Vite's server.proxy does the same).
func devProxy(t *testing.T, mock string) *httptest.Server {
	t.Helper()
	target, err := url.Parse(mock)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/", httputil.NewSingleHostReverseProxy(target))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, proxiedPage)
	})
	proxy := httptest.NewServer(mux) // 127.0.0.1, another port
	t.Cleanup(proxy.Close)
	return proxy
}

// onLocalhost is u with its host 127.0.0.1 named localhost: a cookie
// belongs to a host name, so the panel and the app must use the same one.
func onLocalhost(t *testing.T, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	_, port, err := net.SplitHostPort(p.Host)
	if err != nil {
		t.Fatal(err)
	}
	p.Host = net.JoinHostPort("localhost", port)
	return p.String()
}

// scenarioCookies are the browser's arklow_mock_scenario cookies for u.
func scenarioCookies(b *browser, u string) []*network.Cookie {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{u}})
	if err != nil {
		b.t.Fatalf("reading the cookies of %s: %v", u, err)
	}
	var out []*network.Cookie
	for _, c := range res.Cookies {
		if c.Name == "arklow_mock_scenario" {
			out = append(out, c)
		}
	}
	return out
}

func TestPanelUseInThisBrowser(t *testing.T) {
	b := newBrowser(t, 90*time.Second)
	ts := startServer(t, nil)
	mock := onLocalhost(t, ts.URL)
	app := onLocalhost(t, devProxy(t, ts.URL).URL)
	if strings.HasPrefix(app, mock) {
		t.Fatalf("the app %s and the mock %s share an origin", app, mock)
	}

	// load opens the app and returns what its two calls were answered.
	load := func(t *testing.T) pageAnswers {
		t.Helper()
		b := b.on(t)
		b.open(app + "/?mock=" + url.QueryEscape(mock))
		r, err := chromedp.Run(b.ctx, chromedp.Poll[pageAnswers](`window.result`,
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			t.Fatalf("the app did not report: %v", err)
		}
		if !r.Proxied.OK || !r.Direct.OK {
			t.Fatalf("a fetch failed in the app: %+v", r)
		}
		return r
	}
	openPanel := func(b *browser) {
		b.open(mock + "/__mock/")
		b.waitFor("the scenario list", `document.querySelector('[data-browser-scenario="bad-device"]') !== null`, 10*time.Second)
	}

	t.Run("without the cookie the active scenario answers", func(t *testing.T) {
		b := b.on(t)
		openPanel(b)
		if got := eval[string](b, `document.getElementById('stat-browser').textContent`); got != "—" {
			t.Errorf("the header says this browser uses %q, want —", got)
		}
		r := load(t)
		for _, a := range []frontendResult{r.Proxied, r.Direct} {
			if a.Status != http.StatusOK || a.Scenario != "default" {
				t.Errorf("the app got %+v, want 200 from default", a)
			}
		}
	})

	t.Run("Use in this browser sets the cookie", func(t *testing.T) {
		b := b.on(t)
		openPanel(b)
		b.click(`[data-browser-scenario="bad-device"]`)
		b.waitFor("the header naming bad-device", `document.getElementById('stat-browser').textContent === 'bad-device'
			&& !document.getElementById('browser-clear').hidden
			&& document.querySelector('[data-browser-scenario="bad-device"]').getAttribute('aria-pressed') === 'true'
			&& document.querySelector('[data-scenario="bad-device"] .tag-browser') !== null`, 5*time.Second)
		if label := eval[string](b, `document.querySelector('[data-browser-scenario="bad-device"]').getAttribute('aria-label')`); label != "Use bad-device in this browser" {
			t.Errorf("the button's label is %q", label)
		}
		if label := eval[string](b, `document.getElementById('browser-clear').getAttribute('aria-label')`); label != "Stop using bad-device in this browser" {
			t.Errorf("the clear button's label is %q", label)
		}
		// Only this browser: the active scenario is still default.
		if got := eval[string](b, `document.getElementById('stat-active').textContent`); got != "default" {
			t.Errorf("the active scenario is %q, want default (unchanged)", got)
		}
		cookies := scenarioCookies(b, mock+"/")
		if len(cookies) != 1 {
			t.Fatalf("cookies = %+v, want one arklow_mock_scenario", cookies)
		}
		c := cookies[0]
		if c.Value != "bad-device" || c.Domain != "localhost" || c.Path != "/" || c.SameSite != network.CookieSameSiteLax || c.HTTPOnly || c.Session {
			t.Errorf("cookie = %+v; want bad-device on localhost, path /, SameSite=Lax, readable by scripts, not a session cookie", c)
		}
		if days := time.Until(time.Unix(int64(c.Expires), 0)).Hours() / 24; days < 300 {
			t.Errorf("the cookie expires in %.0f days, want a long max-age", days)
		}
	})

	t.Run("the app gets it through its dev proxy and with credentials", func(t *testing.T) {
		r := load(t)
		for name, a := range map[string]frontendResult{"through the proxy": r.Proxied, "with credentials: 'include'": r.Direct} {
			if a.Status != http.StatusNotFound || a.Code != "mfa_device_not_found" || a.Scenario != "bad-device" {
				t.Errorf("%s the app got %+v, want 404 mfa_device_not_found, X-Mock-Scenario bad-device", name, a)
			}
		}
		// The proxied request came from the app's origin, not the mock's.
		var list []entry
		ts.admin(t, "GET", "/__mock/requests?limit=2", "", &list)
		if len(list) != 2 || list[1].Headers["X-Forwarded-For"] == "" || list[1].Headers["Cookie"] == "" {
			t.Errorf("journal = %+v; want the proxied request, forwarded with its cookie, then the direct one", list)
		}
	})

	t.Run("the panel shows it on load and clears it", func(t *testing.T) {
		b := b.on(t)
		openPanel(b)
		b.waitFor("the header naming bad-device", `document.getElementById('stat-browser').textContent === 'bad-device'`, 5*time.Second)
		b.click(`#browser-clear`)
		b.waitFor("the header naming none", `document.getElementById('stat-browser').textContent === '—'
			&& document.getElementById('browser-clear').hidden
			&& document.querySelector('[data-browser-scenario="bad-device"]').getAttribute('aria-pressed') === 'false'
			&& document.querySelector('.tag-browser') === null`, 5*time.Second)
		if c := scenarioCookies(b, mock+"/"); len(c) != 0 {
			t.Errorf("cookies after clearing = %+v, want none", c)
		}
		r := load(t)
		for _, a := range []frontendResult{r.Proxied, r.Direct} {
			if a.Status != http.StatusOK || a.Scenario != "default" {
				t.Errorf("after clearing the app got %+v, want 200 from default again", a)
			}
		}
	})

	t.Run("a second click on the row's button clears it too", func(t *testing.T) {
		b := b.on(t)
		openPanel(b)
		b.click(`[data-browser-scenario="slow"]`)
		b.waitFor("slow in this browser", `document.getElementById('stat-browser').textContent === 'slow'`, 5*time.Second)
		b.click(`[data-browser-scenario="slow"]`)
		b.waitFor("none in this browser", `document.getElementById('stat-browser').textContent === '—'`, 5*time.Second)
		if c := scenarioCookies(b, mock+"/"); len(c) != 0 {
			t.Errorf("cookies = %+v, want none", c)
		}
	})
}
