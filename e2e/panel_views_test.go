package e2e

// Browser tests of what the panel shows: served counts per scenario, the
// log's "Errors only" and filter, the "Switch per request" example and
// its layout, and fixture names in the operations grid.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// fault sends c to a scenario that answers with a fault: the client gets
// no answer (a reset or closed connection, or its own timeout). The mock
// journals the request once its handler returns, which may be after the
// client saw the connection go: fault waits for the entry, and returns it.
func (ts *testServer) fault(t *testing.T, c call) entry {
	t.Helper()
	var before []entry
	ts.admin(t, "GET", "/__mock/requests?limit=1", "", &before)
	var after uint64
	if len(before) > 0 {
		after = before[0].ID
	}
	req, err := http.NewRequest(http.MethodPost, ts.URL+backupPath, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("%v: answered %d, want no answer (a fault)", c.headers, resp.StatusCode)
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var list []entry
		ts.admin(t, "GET", fmt.Sprintf("/__mock/requests?after=%d", after), "", &list)
		if len(list) > 0 {
			return list[0]
		}
	}
	t.Fatalf("%v: no journal entry for the fault", c.headers)
	return entry{}
}

// visibleRows are the journal ids of the log rows shown, newest first.
const visibleRowsJS = `[...document.querySelectorAll('#log-list [data-entry-id]')].filter(r => !r.hidden && r.offsetParent !== null).map(r => Number(r.dataset.entryId))`

// setFilter types text into the log's filter (after clearing it).
func (b *browser) setFilter(text string) {
	b.t.Helper()
	eval[bool](b, `(() => { const f = document.getElementById('log-filter'); f.value = ''; f.dispatchEvent(new Event('input')); return true; })()`)
	if text != "" {
		b.do("type "+text, chromedp.SendKeys(chromedp.CSS(`#log-filter`), text))
	}
}

func sameIDs(a, b []uint64) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func TestPanelLogAndCounts(t *testing.T) {
	b := newBrowser(t, 90*time.Second)
	ts := startServer(t, nil)
	b.open(ts.URL + "/__mock/")
	b.waitFor("the operation", `document.querySelector('#ops-list [data-op-scenario="valid-code"]') !== null`, 10*time.Second)

	// The traffic: two 200s from valid-code, a reset connection, a 409 and
	// a rejected request.
	var ids struct{ ok1, ok2, fault, conflict, rejected uint64 }
	ts.do(t, backupCall("555", "55555555", map[string]string{"X-Mock-Scenario": "valid-code"}))
	ids.ok1 = newest(t, ts).ID
	ts.do(t, backupCall("555", "55555556", map[string]string{"X-Mock-Scenario": "valid-code"}))
	ids.ok2 = newest(t, ts).ID
	e := ts.fault(t, validCall(map[string]string{"X-Mock-Scenario": "network-error"}))
	if e.Fixture != "fault:connection_reset" || e.Status != 0 {
		t.Fatalf("the fault's entry = %+v, want fixture fault:connection_reset, status 0", e)
	}
	ids.fault = e.ID
	ts.do(t, backupCall("777", "77777777", map[string]string{"X-Mock-Scenario": "reused-code"}))
	ids.conflict = newest(t, ts).ID
	if a := ts.do(t, backupCall("abc", "12345678", nil)); a.status != http.StatusBadRequest {
		t.Fatalf("device abc: %d, want 400", a.status)
	}
	ids.rejected = newest(t, ts).ID
	b.waitFor("every row", rowsJS+` === 5`, 5*time.Second)
	all := []uint64{ids.rejected, ids.conflict, ids.fault, ids.ok2, ids.ok1}

	t.Run("each scenario row counts what that scenario served", func(t *testing.T) {
		b := b.on(t)
		count := func(scenario, fixture string) string {
			return fmt.Sprintf(`(document.querySelector('#ops-list [data-op-scenario=%s] [data-fixture=%s] .fx-count') || {}).textContent`, js(scenario), js(fixture))
		}
		// valid_code is the fixture of default, valid-code and slow: only
		// valid-code served it.
		b.waitFor("valid-code ×2", count("valid-code", "mfa/backup/valid_code")+` === '×2'`, 5*time.Second)
		for _, s := range []string{"default", "slow", "realistic"} {
			if got := eval[string](b, count(s, "mfa/backup/valid_code")); got != "–" {
				t.Errorf("%s's valid_code shows %q, want – (only valid-code served it)", s, got)
			}
		}
		if got := eval[string](b, count("reused-code", "mfa/backup/reused_code")); got != "×1" {
			t.Errorf("reused-code's reused_code shows %q, want ×1", got)
		}
		if got := eval[string](b, count("realistic", "mfa/backup/reused_code")); got != "–" {
			t.Errorf("realistic's reused_code shows %q, want –", got)
		}
		// The fault network-error answered with has a line of its own.
		if got := eval[string](b, count("network-error", "fault:connection_reset")); got != "×1" {
			t.Errorf("network-error's fault:connection_reset shows %q, want ×1", got)
		}
		if note := eval[string](b, `document.querySelector('.routes-note').textContent`); !strings.Contains(note, "the scenario served") {
			t.Errorf("the note says %q", note)
		}
	})

	t.Run("Errors only shows faults", func(t *testing.T) {
		b := b.on(t)
		b.click(`#log-errors-only`)
		want := []uint64{ids.rejected, ids.conflict, ids.fault}
		wantJSON, _ := json.Marshal(want)
		b.waitFor("the errors, the fault among them", fmt.Sprintf(`JSON.stringify(%s) === %s`, visibleRowsJS, js(string(wantJSON))), 5*time.Second)
		if got := eval[string](b, `document.getElementById('log-count').textContent`); got != "3 of 5 requests" {
			t.Errorf("the count says %q, want 3 of 5 requests", got)
		}
		b.click(`#log-errors-only`)
		if got := eval[[]uint64](b, visibleRowsJS); !sameIDs(got, all) {
			t.Errorf("rows shown after unticking = %v, want %v", got, all)
		}
	})

	t.Run("the filter matches what the row shows", func(t *testing.T) {
		b := b.on(t)
		if eval[bool](b, `document.getElementById('log-errors-only').checked`) {
			b.click(`#log-errors-only`) // left ticked by a failure above
		}
		cases := []struct {
			text string
			want []uint64
		}{
			{"rejected", []uint64{ids.rejected}},         // the fixture column says "rejected: 1 problem"
			{"1 problem", []uint64{ids.rejected}},        // ... all of it
			{"connection_reset", []uint64{ids.fault}},    // the fault's fixture column
			{"valid-code", []uint64{ids.ok2, ids.ok1}},   // the scenario column
			{"409", []uint64{ids.conflict}},              // the status column
			{"pattern ^[0-9]+$", []uint64{ids.rejected}}, // the problem, shown when the row opens
			{"no such thing", nil},
		}
		for _, c := range cases {
			b.setFilter(c.text)
			got := eval[[]uint64](b, visibleRowsJS)
			if !sameIDs(got, c.want) {
				t.Errorf("filter %q shows rows %v, want %v", c.text, got, c.want)
			}
		}
		b.setFilter("")
		if got := eval[[]uint64](b, visibleRowsJS); !sameIDs(got, all) {
			t.Errorf("rows shown without a filter = %v, want %v", got, all)
		}
	})

	t.Run("the curl line repeats the newest request, whatever its answer", func(t *testing.T) {
		b := b.on(t)
		// The newest request to an operation is the rejected one (400).
		b.waitFor("the example from the 400", `document.getElementById('hint-source').textContent.includes('(400)')`, 5*time.Second)
		line := eval[string](b, `document.getElementById('hint-curl').textContent`)
		if !strings.Contains(line, `"device_id":"abc"`) {
			t.Errorf("the example %q does not repeat the newest request (device abc)", line)
		}
		ts.do(t, backupCall("888", "88888888", map[string]string{"X-Mock-Scenario": "rate-limited"}))
		b.waitFor("the example from the 429", `document.getElementById('hint-source').textContent.includes('(429)')`, 5*time.Second)
		b.do("pick bad-device", chromedp.SetValue(chromedp.CSS(`#hint-scenario`), "bad-device"))
		eval[bool](b, `document.getElementById('hint-scenario').dispatchEvent(new Event('change'))`)
		line = eval[string](b, `document.getElementById('hint-curl').textContent`)
		for _, want := range []string{`"device_id":"888"`, `X-Mock-Scenario: bad-device`, `x-arklow-auth: mock-key`, ts.URL + backupPath} {
			if !strings.Contains(line, want) {
				t.Errorf("the example %q lacks %q", line, want)
			}
		}
		if strings.Contains(line, "rate-limited") {
			t.Errorf("the example %q keeps the request's own scenario", line)
		}
	})
}

// At 1400×1000, a laptop's browser window, "Switch per request" is in view
// without scrolling, its curl line wraps between arguments beside the Copy
// button, and the operations grid shows fixture names whole, however long.
func TestPanelLayout(t *testing.T) {
	dir := copyTree(t)
	valid, err := os.ReadFile(filepath.Join(dir, "fixtures", "mfa", "backup", "valid_code.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	long := []string{
		"mfa/backup/valid_code_with_a_fifteen_minute_mfa_session_after_one_retry",
		"checkout/verification/backup_code_accepted_on_the_second_attempt",
	}
	for _, name := range long {
		p := filepath.Join(dir, "fixtures", filepath.FromSlash(name)+".yaml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, p, string(valid))
	}
	write(t, filepath.Join(dir, "scenarios", "long-fixture-names.yaml"), `name: long-fixture-names
description: Fixtures with long names, in two folders.
operations:
  post_v1_self_mfa_verify_totp_backup:
    - when: { body: { device_id: "1" } }
      fixture: `+long[0]+`
    - fixture: `+long[1]+`
`)
	ts := startIn(t, dir)
	b := newBrowser(t, 60*time.Second, chromedp.WindowSize(1400, 1000))
	b.do("viewport", chromedp.EmulateViewport(1400, 1000))
	b.open(ts.URL + "/__mock/")
	b.waitFor("the operations grid", `document.querySelector('#ops-list [data-op-scenario="long-fixture-names"]') !== null`, 10*time.Second)
	ts.do(t, validCall(map[string]string{"X-Mock-Scenario": "long-fixture-names"}))
	b.waitFor("the example from the request", `document.getElementById('hint-source').textContent.includes('(200)')`, 5*time.Second)

	t.Run("Switch per request is in view", func(t *testing.T) {
		b := b.on(t)
		got := eval[map[string]float64](b, `(() => {
			const r = document.getElementById('switch').getBoundingClientRect();
			const bar = document.querySelector('.topbar').getBoundingClientRect();
			return {top: r.top, bottom: r.bottom, barBottom: bar.bottom, height: innerHeight, width: innerWidth, scrollY: scrollY};
		})()`)
		if got["width"] != 1400 || got["height"] != 1000 || got["scrollY"] != 0 {
			t.Fatalf("viewport %v×%v scrolled to %v, want 1400×1000 at the top", got["width"], got["height"], got["scrollY"])
		}
		if got["top"] < got["barBottom"] || got["bottom"] > got["height"] {
			t.Errorf("Switch per request spans y %v–%v; want it in view, between the top bar (%v) and %v", got["top"], got["bottom"], got["barBottom"], got["height"])
		}
	})

	t.Run("the curl line wraps cleanly beside the Copy button", func(t *testing.T) {
		b := b.on(t)
		got := eval[map[string]float64](b, `(() => {
			const pre = document.getElementById('hint-curl');
			const p = pre.getBoundingClientRect();
			const c = document.getElementById('hint-copy').getBoundingClientRect();
			const args = [...pre.querySelectorAll('.arg')];
			const line = parseFloat(getComputedStyle(pre).lineHeight);
			const tallest = Math.max(...args.map(a => a.getBoundingClientRect().height));
			const lines = Math.round((p.height - parseFloat(getComputedStyle(pre).paddingTop) - parseFloat(getComputedStyle(pre).paddingBottom)) / line);
			return {args: args.length, line, tallest, lines, overlap: Math.max(0, p.right - c.left) * (c.top < p.bottom && c.bottom > p.top ? 1 : 0),
				overflow: pre.scrollWidth - pre.clientWidth, gap: c.left - p.right};
		})()`)
		if got["args"] < 6 {
			t.Fatalf("the curl line has %v argument spans, want one per argument", got["args"])
		}
		if got["overlap"] > 0 || got["gap"] < 0 {
			t.Errorf("the Copy button overlaps the curl line by %vpx; want it beside", got["overlap"])
		}
		if got["tallest"] > got["line"]*1.2 {
			t.Errorf("an argument is %vpx tall with lines of %vpx: it wraps mid-word", got["tallest"], got["line"])
		}
		if got["lines"] < 2 || got["overflow"] > 0 {
			t.Errorf("the line takes %v lines and overflows by %vpx; want it wrapped, not cut", got["lines"], got["overflow"])
		}
		if copied := eval[string](b, `document.getElementById('hint-curl').textContent`); strings.Contains(copied, "\n") {
			t.Errorf("the line holds a newline: %q", copied)
		}
	})

	t.Run("fixture names are whole in the operations grid", func(t *testing.T) {
		b := b.on(t)
		cells := eval[[]struct {
			Text, Full string
			Clipped    bool
		}](b, `[...document.querySelectorAll('#ops-list .fx-name, #ops-list .route-name:not(:empty)')].map(n => ({
			text: n.textContent,
			full: n.classList.contains('fx-name') ? n.closest('.route-line').dataset.fixture : n.closest('.route').dataset.opScenario,
			clipped: n.scrollWidth > n.clientWidth + 1 || n.getBoundingClientRect().right > n.closest('.route').getBoundingClientRect().right + 1,
		}))`)
		seen := map[string]bool{}
		for _, c := range cells {
			if c.Clipped {
				t.Errorf("%q is cut off", c.Text)
			}
			if c.Text != c.Full {
				t.Errorf("the grid shows %q for %q", c.Text, c.Full)
			}
			seen[c.Text] = true
		}
		// Two folders: no shared prefix is cut, every name shows whole.
		for _, want := range append(long, "mfa/backup/valid_code", "long-fixture-names") {
			if !seen[want] {
				t.Errorf("the grid does not show %q; it shows %v", want, cells)
			}
		}
	})
}
