package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/scenario"
)

// Header names of the mock's own protocol.
const (
	headerScenario = "X-Mock-Scenario"
	headerFixture  = "X-Mock-Fixture"
	headerSession  = "X-Mock-Session"
)

// header returns the first value of the header with the given canonical
// name (Header.Get would canonicalize the name again on every call).
func header(h http.Header, canonicalName string) string {
	if v := h[canonicalName]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// bufPool holds request-body buffers; bodyPool rendered answers. Both are
// returned only while small, so one large request cannot pin memory.
var (
	bufPool  = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}
)

const maxPooled = 64 << 10

// putBody returns an answer buffer from bodyPool, as grown into b, unless
// it grew past maxPooled.
func putBody(out *[]byte, b []byte) {
	if cap(b) <= maxPooled {
		*out = b[:0]
		bodyPool.Put(out)
	}
}

// handleMock answers a request to a documented operation: route, read the
// body, validate, choose the scenario, decide, render, write.
func (s *Server) handleMock() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		set := s.set.Load()
		in := info(w)
		in.mock = true
		op, params, err := set.Spec.Route(r)
		if err != nil {
			writeRouteError(w, err)
			return
		}
		in.operation = op.Key

		buf := bufPool.Get().(*bytes.Buffer)
		defer func() {
			if buf.Cap() <= maxPooled {
				buf.Reset()
				bufPool.Put(buf)
			}
		}()
		if _, err := buf.ReadFrom(r.Body); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				writeErrors(w, http.StatusRequestEntityTooLarge, tooLarge(mbe.Limit))
				return
			}
			writeErrors(w, http.StatusBadRequest, apiError{Code: apispec.CodeInvalidRequest, Message: bodyReadError(err, r.ContentLength)})
			return
		}
		if buf.Len() > 0 {
			in.body = bytes.Clone(buf.Bytes()[:min(buf.Len(), maxJournalBody+1)])
		}
		input, err := op.Validate(r, params, buf.Bytes())
		if err != nil {
			var re *apispec.RequestError
			if errors.As(err, &re) {
				writeProblems(w, re.Status, re.Problems)
				return
			}
			panic(err) // Validate returns only *RequestError
		}

		prefs := parsePrefer(r.Header["Prefer"])
		name, from := header(r.Header, headerScenario), "header."+headerScenario
		if name == "" {
			name, from = prefs.scenario, "header.Prefer"
		}
		if name == "" {
			name, from = s.Active(), ""
		}
		if !set.Scenarios.Known(name) {
			writeErrors(w, http.StatusBadRequest, unknownScenario(from, name, set.Scenarios.Names()))
			return
		}
		in.scenario = name

		req := &fixture.Request{Method: r.Method, Path: params, Query: input.Query, Headers: fixture.Headers(r.Header), Body: input.Body}
		if req.Query == nil && r.URL.RawQuery != "" {
			req.Query = r.URL.Query()
		}
		if prefs.any() {
			s.answerPreferred(w, set, op, name, prefs, req)
			return
		}
		d, ok := s.engine.Decide(set.Scenarios, name, op.Key, header(r.Header, headerSession), req)
		if !ok {
			s.answerFromSpec(w, op.SuccessResponse(), name, false)
			return
		}
		in.scenario = d.Scenario
		if err := s.sleep(r.Context(), d.Delay); err != nil {
			return // the client went away while we waited
		}
		if d.Fault != scenario.FaultNone {
			in.fixture = "fault:" + string(d.Fault)
			s.fault(w, r, d.Fault)
			return
		}
		f, ok := set.Fixtures.Get(d.Fixture)
		if !ok {
			panic(fmt.Sprintf("fixture %q vanished from a checked set", d.Fixture))
		}
		s.answerFixture(w, f, d.Scenario, req)
	})
}

// bodyReadError explains a body that could not be read, without the
// socket addresses net errors carry.
func bodyReadError(err error, declared int64) string {
	var ne net.Error
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) && declared > 0:
		return fmt.Sprintf("body: the connection ended before the %d bytes that Content-Length announced", declared)
	case errors.As(err, &ne) && ne.Timeout():
		return "body: not received in time: it arrived more slowly than the read timeout allows, or with fewer bytes than Content-Length announced"
	}
	return "body: could not be read: the connection failed while the body was sent"
}

// answerFixture renders f, from scenario scenarioName, and writes it.
func (s *Server) answerFixture(w http.ResponseWriter, f *fixture.Fixture, scenarioName string, req *fixture.Request) {
	in := info(w)
	in.scenario, in.fixture = scenarioName, f.Name // what X-Mock-* say, the log and journal say
	out := bodyPool.Get().(*[]byte)
	rendered, err := f.Render(req, (*out)[:0])
	defer func() { putBody(out, rendered.Body) }() // keep the grown buffer for the next answer
	if err != nil {
		writeErrors(w, http.StatusInternalServerError, apiError{Code: codeInternal, Message: "fixture " + f.Name + ": " + err.Error()})
		return
	}
	h := w.Header()
	for _, f := range rendered.Headers {
		h[f.Name] = f.Values // names are canonical; the values are never appended to
	}
	if f.HasBody && header(h, "Content-Type") == "" {
		h["Content-Type"] = jsonContentType
	}
	h[headerScenario] = s.names.get(scenarioName)
	h[headerFixture] = s.names.get(f.Name)
	if f.HasBody && len(rendered.Body) > smallBody {
		h["Content-Length"] = []string{strconv.Itoa(len(rendered.Body))}
	} // net/http sets Content-Length itself for a small body written at once
	exposeAnswerHeaders(h)
	w.WriteHeader(rendered.Status)
	if f.HasBody {
		w.Write(rendered.Body)
	}
}

// exposeAnswerHeaders lets browser code read every header of a mock
// answer (X-Total-Count, Link, Location…, as the spec or the fixture
// sends them), not only the fixed list the CORS middleware exposes: it
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
	slices.Sort(extra)                                                                     // the same answer, the same header
	h["Access-Control-Expose-Headers"] = []string{list + ", " + strings.Join(extra, ", ")} // a new slice: the middleware shares its own
}

// corsSafelisted are the response headers browsers expose anyway, and
// the ones exposing would not make sense for.
var corsSafelisted = map[string]bool{"Cache-Control": true, "Content-Language": true, "Content-Length": true,
	"Content-Type": true, "Expires": true, "Last-Modified": true, "Pragma": true, "Vary": true}

// jsonContentType is shared by every answer; its capacity equals its
// length, so an append by anyone copies rather than writes into it.
var jsonContentType = []string{"application/json"}

// smallBody is below net/http's response buffer: a body this small written
// in one call gets its Content-Length from net/http.
const smallBody = 2048

// headerValues interns header values ([]string{name}) for scenario and
// fixture names, which repeat on every answer.
type headerValues struct{ m sync.Map }

func (hv *headerValues) get(name string) []string {
	if v, ok := hv.m.Load(name); ok {
		return v.([]string)
	}
	v := []string{name}
	hv.m.Store(name, v)
	return v
}

// answerFromSpec writes the spec's own answer for resp: its example, or a
// value generated from its schema.
func (s *Server) answerFromSpec(w http.ResponseWriter, resp *apispec.Response, scenarioName string, dynamic bool) {
	status := http.StatusNoContent
	var body []byte
	source := "spec:empty"
	if resp != nil {
		status = resp.Status
		if status == 0 {
			status = http.StatusOK // "default" answers as 200
		}
		body, source = resp.Body(dynamic)
	}
	s.writeSpecBody(w, status, resp, body, source, scenarioName)
}

func (s *Server) writeSpecBody(w http.ResponseWriter, status int, resp *apispec.Response, body []byte, source, scenarioName string) {
	in := info(w)
	in.fixture = source
	h := w.Header()
	if resp != nil {
		for _, dh := range resp.Headers() {
			h[dh.Name] = dh.Values // the documented headers, with the spec's values
		}
	}
	h[headerScenario] = []string{scenarioName}
	h[headerFixture] = []string{source}
	if body != nil && resp != nil && resp.ContentType != "" {
		ct := resp.ContentType
		if strings.ContainsRune(ct, '*') {
			ct = "application/json"
		}
		h["Content-Type"] = []string{ct}
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
	}
	exposeAnswerHeaders(h)
	w.WriteHeader(status)
	if body != nil && resp != nil && resp.ContentType != "" {
		w.Write(body)
	}
}

// answerPreferred honours Prism's Prefer preferences: code=N (a fixture of
// the scenario, or the spec's response, with that status), example=NAME
// (a named spec example) and dynamic=true (generated from the schema).
func (s *Server) answerPreferred(w http.ResponseWriter, set *mockset.Set, op *apispec.Operation, name string, p prefer, req *fixture.Request) {
	if p.example != "" {
		resp, body, ok := op.Example(p.example)
		if !ok {
			known := op.ExampleNames()
			msg := fmt.Sprintf("header.Prefer: %s has no example named %q", op.Key, p.example)
			if len(known) > 0 {
				msg += "; known examples: " + strings.Join(known, ", ")
			} else {
				msg += "; it documents no named examples"
			}
			writeErrors(w, http.StatusBadRequest, apiError{Code: codeUnknownResponse, Message: msg})
			return
		}
		s.writeSpecBody(w, statusOf(resp), resp, body, "spec:example:"+p.example, name)
		return
	}
	if p.code == 0 {
		s.answerFromSpec(w, op.SuccessResponse(), name, p.dynamic)
		return
	}
	if !p.dynamic {
		for _, sn := range []string{name, scenario.Default, ""} {
			for _, u := range set.Uses[op.Key] {
				if sn != "" && u.Scenario != sn {
					continue
				}
				if f, ok := set.Fixtures.Get(u.Fixture); ok && f.Status == p.code {
					s.answerFixture(w, f, u.Scenario, req)
					return
				}
			}
		}
	}
	resp := op.Response(p.code)
	if resp == nil || !op.Documented(p.code) && resp.Status != 0 {
		var codes []string
		for _, r := range op.Responses() {
			codes = append(codes, r.Code)
		}
		writeErrors(w, http.StatusBadRequest, apiError{Code: codeUnknownResponse, Message: fmt.Sprintf(
			"header.Prefer: %s has no fixture or documented response with status %d (documented: %s)", op.Key, p.code, strings.Join(codes, ", "))})
		return
	}
	body, source := resp.Body(p.dynamic)
	s.writeSpecBody(w, p.code, resp, body, source, name)
}

func statusOf(r *apispec.Response) int {
	if r.Status == 0 {
		return http.StatusOK
	}
	return r.Status
}

// unknownScenario is the error for a scenario name that names none, read
// at location (header.X-Mock-Scenario, header.Prefer, body.name); an
// empty location is the active scenario, gone after a reload.
func unknownScenario(location, name string, known []string) apiError {
	list := strings.Join(known, ", ")
	if location == "" {
		return apiError{Code: codeUnknownScenario, Message: fmt.Sprintf(
			"the active scenario %q is gone since the last reload; name one per request or set another with PUT /__mock/scenario; known scenarios: %s", name, list)}
	}
	return apiError{Code: codeUnknownScenario, Message: fmt.Sprintf("%s: unknown scenario %q; known scenarios: %s", location, name, list)}
}

func writeRouteError(w http.ResponseWriter, err error) {
	var re *apispec.RouteError
	if !errors.As(err, &re) {
		panic(err)
	}
	if re.Status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", strings.Join(re.Allow, ", "))
		writeErrors(w, re.Status, apiError{Code: codeMethodNotAllowed, Message: re.Error()})
		return
	}
	writeErrors(w, http.StatusNotFound, apiError{Code: codeNotFound, Message: re.Error()})
}

// fault simulates a network failure instead of answering.
func (s *Server) fault(w http.ResponseWriter, r *http.Request, f scenario.Fault) {
	if f == scenario.FaultTimeout {
		select { // hold the connection until the client gives up…
		case <-r.Context().Done():
			return
		case <-s.draining: // …or the mock shuts down: then drop it, unanswered
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
