package server

import (
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/scenario"
)

// answer waits the choice's delay, then answers with its fault, fixture or
// spec response. A fixture that fails to render is an internal error.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, c choice, req *fixture.Request) *reqerr.Error {
	if err := s.sleep(r.Context(), c.delay); err != nil {
		return nil // the client went away while we waited
	}
	switch {
	case c.fault != scenario.FaultNone:
		s.fault(w, r, c.fault)
	case c.fixture != nil:
		return writeFixture(w, c, req)
	default:
		if c.generate {
			c.body = c.spec.Generate(c.seed, s.now())
		}
		writeSpec(w, c)
	}
	return nil
}

// The names of the headers the mock sets are written in canonical form and
// index the header map directly: Header.Set and Get would canonicalize
// them again on every answer (BenchmarkHandler: 3% p10).

// writeFixture renders the choice's fixture for req and writes it.
func writeFixture(w http.ResponseWriter, c choice, req *fixture.Request) *reqerr.Error {
	f := c.fixture
	out, err := f.Render(req, nil)
	if err != nil {
		return reqerr.New(reqerr.Internal, "", "fixture %s: %v", f.Name, err)
	}
	h := w.Header()
	for _, field := range out.Headers {
		h.Set(field.Name, field.Value)
	}
	if f.HasBody && len(h["Content-Type"]) == 0 {
		h["Content-Type"] = []string{"application/json"}
	}
	if f.HasBody {
		h["Content-Length"] = []string{strconv.Itoa(len(out.Body))}
	}
	setMockHeaders(h, c)
	w.WriteHeader(out.Status)
	if f.HasBody {
		w.Write(out.Body)
	}
	return nil
}

// writeSpec writes the spec's own answer: the response's documented
// headers with the spec's values, and its example or generated body.
func writeSpec(w http.ResponseWriter, c choice) {
	h := w.Header()
	withBody := c.body != nil && c.spec != nil && c.spec.ContentType != ""
	if c.spec != nil {
		for _, dh := range c.spec.Headers() {
			h.Set(dh.Name, dh.Value)
		}
	}
	if withBody {
		ct := c.spec.ContentType
		if strings.ContainsRune(ct, '*') {
			ct = "application/json"
		}
		h["Content-Type"] = []string{ct}
		h["Content-Length"] = []string{strconv.Itoa(len(c.body))}
	}
	setMockHeaders(h, c)
	w.WriteHeader(c.status)
	if withBody {
		w.Write(c.body)
	}
}

// setMockHeaders says how the answer was made (X-Mock-Scenario,
// X-Mock-Fixture) and lets browser code read every header of it.
func setMockHeaders(h http.Header, c choice) {
	h[headerScenario] = []string{c.scenario}
	h[headerFixture] = []string{c.source}
	exposeAnswerHeaders(h)
}

// exposeAnswerHeaders lets browser code read every header of a mock
// answer (X-Total-Count, Link, Location…, as the spec or the fixture
// sends them), not only the fixed list the CORS policy exposes: it
// extends that list, which is present only on cross-origin requests.
// Credentialed CORS does not honour "*", so the names are listed.
func exposeAnswerHeaders(h http.Header) {
	exposed := h["Access-Control-Expose-Headers"]
	if len(exposed) == 0 {
		return // not a CORS request
	}
	list := strings.Join(exposed, ", ")
	already := strings.Split(list, ", ")
	var extra []string
	for name := range h {
		if !corsSafelisted[name] && !strings.HasPrefix(name, "Access-Control-") && !slices.Contains(already, name) {
			extra = append(extra, name)
		}
	}
	if len(extra) == 0 {
		return
	}
	slices.Sort(extra) // the same answer, the same header
	h.Set("Access-Control-Expose-Headers", list+", "+strings.Join(extra, ", "))
}

// corsSafelisted are the response headers browsers expose anyway, and
// the ones exposing would not make sense for.
var corsSafelisted = map[string]bool{"Cache-Control": true, "Content-Language": true, "Content-Length": true,
	"Content-Type": true, "Expires": true, "Last-Modified": true, "Pragma": true, "Vary": true}

// fault simulates a network failure instead of answering.
func (s *Server) fault(w http.ResponseWriter, r *http.Request, f scenario.Fault) {
	if f == scenario.FaultTimeout {
		held := time.NewTimer(s.faultTimeout)
		defer held.Stop()
		select { // hold the connection until the client gives up…
		case <-r.Context().Done():
			return
		case <-held.C: // …or for --fault-timeout: a proxy in front may never give up
		case <-s.draining: // …or until the mock shuts down; then drop it, unanswered
		}
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // cannot hijack (HTTP/2): abort the stream
	}
	if tc, ok := conn.(*net.TCPConn); ok && f == scenario.FaultConnectionReset {
		tc.SetLinger(0) // close with RST instead of FIN
	}
	conn.Close()
}
