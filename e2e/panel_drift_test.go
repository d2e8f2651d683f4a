package e2e

// Browser test of the pass-through: answers of the real API (here an
// httptest server on loopback) that break the document are marked in the
// panel's live log, with their problems, and counted per operation.

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// realAPI answers the backup operation as the real API would: as the
// document says, except for device 666, whose answer breaks it three ways.
func realAPI(t *testing.T) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			DeviceID string `json:"device_id"`
		}
		json.NewDecoder(r.Body).Decode(&in)
		w.Header().Set("Content-Type", "application/json")
		if in.DeviceID == "666" {
			io.WriteString(w, `{"data":{"valid":"yes","device_id":"666","verification_type":"sms"},"errors":null}`)
			return
		}
		io.WriteString(w, `{"data":{"valid":true,"device_id":"`+in.DeviceID+`","verification_type":"backup_code","session_mfa_not_after":"2026-11-25T12:15:00Z"},"errors":null}`)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestPanelShowsDrift(t *testing.T) {
	b := newBrowser(t, 90*time.Second)
	api := realAPI(t)
	ts := startServer(t, nil, "--upstream", api.URL)
	b.open(ts.URL + "/__mock/")
	b.waitFor("the operation", `document.querySelector('#ops-list [data-operation="post_v1_self_mfa_verify_totp_backup"]') !== null`, 10*time.Second)

	passthrough := map[string]string{"X-Mock-Scenario": "passthrough"}
	good := ts.do(t, backupCall("123", "12345678", passthrough))
	if good.status != 200 || good.header.Get("X-Mock-Fixture") != "upstream" || good.header.Get("X-Mock-Drift") != "" {
		t.Fatalf("a good answer through passthrough: %d, X-Mock-Fixture %q, X-Mock-Drift %q", good.status, good.header.Get("X-Mock-Fixture"), good.header.Get("X-Mock-Drift"))
	}
	goodID := newest(t, ts).ID
	bad := ts.do(t, backupCall("666", "12345678", passthrough))
	if bad.status != 200 || bad.header.Get("X-Mock-Drift") != "3" {
		t.Fatalf("a drifted answer: %d, X-Mock-Drift %q, want 200 and 3", bad.status, bad.header.Get("X-Mock-Drift"))
	}
	badID := newest(t, ts).ID
	b.waitFor("both rows", rowsJS+` === 2`, 10*time.Second)

	t.Run("the drifted answer is marked, the other not", func(t *testing.T) {
		b := b.on(t)
		mark := func(id uint64) string {
			return `(() => { const m = ` + rowJS(id) + `.querySelector('[data-testid="drift-mark"]'); return m ? m.textContent : ''; })()`
		}
		if got := eval[string](b, mark(badID)); got != "drift 3" {
			t.Errorf("the drifted row's mark says %q, want drift 3", got)
		}
		if got := eval[string](b, mark(goodID)); got != "" {
			t.Errorf("the good row has a drift mark %q", got)
		}
		if cls := eval[string](b, rowJS(badID)+`.className`); !strings.Contains(cls, "has-drift") {
			t.Errorf("the drifted row's classes are %q, want has-drift", cls)
		}
		if text := eval[string](b, rowJS(badID)+`.querySelector('.entry-row').textContent`); !strings.Contains(text, "upstream") || !strings.Contains(text, "passthrough") {
			t.Errorf("the row says %q, want the scenario and the upstream", text)
		}
	})

	t.Run("opening the row shows the problems", func(t *testing.T) {
		b := b.on(t)
		sel := `#log-list [data-entry-id="` + itoa(badID) + `"]`
		b.click(sel + ` .entry-row`)
		b.waitFor("the drift problems", `document.querySelector(`+js(sel+` [data-testid="drift-problems"]`)+`) !== null`, 5*time.Second)
		got := eval[[]string](b, `[...document.querySelectorAll(`+js(sel+` [data-testid="drift-problems"] li`)+`)].map(li => li.textContent)`)
		want := []string{
			"schemabody.data.session_mfa_not_after: is required",
			"schemabody.data.valid: expected boolean, got string",
			`schemabody.data.verification_type: must be one of "totp", "backup_code"`,
		}
		if len(got) != len(want) {
			t.Fatalf("the problems shown are %q, want %d", got, len(want))
		}
		for _, w := range want {
			found := false
			for _, g := range got {
				found = found || strings.HasPrefix(g, w)
			}
			if !found {
				t.Errorf("the problems shown %q lack %q", got, w)
			}
		}
		title := eval[string](b, `document.querySelector(`+js(sel+` .drift-title`)+`).textContent`)
		if !strings.Contains(title, "breaks the document (3 problems)") {
			t.Errorf("the drift title says %q", title)
		}
	})

	t.Run("the filter finds drift", func(t *testing.T) {
		b := b.on(t)
		b.setFilter("drift")
		b.waitFor("only the drifted row", visibleRowsJS+`.length === 1 && `+visibleRowsJS+`[0] === `+itoa(badID), 5*time.Second)
		b.setFilter("")
	})

	t.Run("the operation counts the drifted answers", func(t *testing.T) {
		b := b.on(t)
		b.waitFor("the drift count", `(() => { const m = document.querySelector('#ops-list [data-operation="post_v1_self_mfa_verify_totp_backup"] .meta-drift');
			return m && m.textContent === '1 answer of the real API drifted'; })()`, 10*time.Second)
	})

	// What the panel shows is what the admin API says.
	var drifted []entry
	ts.admin(t, "GET", "/__mock/requests?drift=true", "", &drifted)
	if len(drifted) != 1 || drifted[0].ID != badID {
		t.Errorf("?drift=true = %+v, want the one drifted entry", drifted)
	}
}

func itoa(n uint64) string { b, _ := json.Marshal(n); return string(b) }
