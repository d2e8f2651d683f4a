package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/journal"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/arklow/arklow-mock/internal/upstream"
)

// sourceUpstream is what X-Mock-Fixture says of an answer the real API gave.
const sourceUpstream = "upstream"

// headerDrift counts the ways an answer of the real API breaks the document.
const headerDrift = "X-Mock-Drift"

// Recording makes the mock a recorder (arklow-mock record).
type Recording struct {
	// Scenario is the scenario recorded into, as X-Mock-Scenario names it.
	Scenario string
	// Save keeps one answer. It runs before the answer is sent on, so a
	// client that has its answer finds it saved; it must be safe for
	// concurrent use.
	Save func(Exchange)
}

// Exchange is one answer of the real API to a request the mock accepted.
type Exchange struct {
	Time      time.Time
	Operation *apispec.Operation
	// Request is the request as scenarios and fixtures see it: path
	// parameters, query, headers and decoded body.
	Request *fixture.Request
	Method  string
	Path    string
	// Query is the request's query with its credentials redacted.
	Query  string
	Answer *upstream.Answer
	Drift  []upstream.Drift
	// Secrets names the headers and query parameters that carry
	// credentials, which are never written.
	Secrets *apispec.Secrets
}

// passThrough answers a validated request with what the real API answers
// (after the rule's delay), checking the answer against the document. The
// upstream's failures are 502 upstream_unavailable or 504
// upstream_timeout; they say which scenario sent the request there.
func (s *Server) passThrough(w http.ResponseWriter, r *http.Request, op *apispec.Operation, raw []byte, req *fixture.Request, c choice, out outcome) outcome {
	if err := s.sleep(r.Context(), c.delay); err != nil {
		return out // the client went away while we waited
	}
	refuse := func(err *reqerr.Error) outcome {
		out.err = err
		setMockHeaders(w.Header(), c)
		writeError(w, op, err)
		return out
	}
	if s.upstream == nil {
		return refuse(reqerr.New(reqerr.UpstreamUnavailable, "",
			"scenario %s forwards %s to the real API, but the mock has no upstream: start it with --upstream URL (or MOCK_UPSTREAM)", c.scenario, op.Key))
	}
	out.upstream = s.upstream.Host()
	ans, err := s.upstream.Forward(r.Context(), upstream.Request{
		Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: withoutMockProtocol(r.Header), Body: raw,
	})
	if err != nil {
		return refuse(err)
	}
	if ans.Status < 200 {
		return refuse(reqerr.New(reqerr.UpstreamUnavailable, "", "upstream %s answered %d, an interim status, and nothing after it", s.upstream.Host(), ans.Status))
	}
	out.drift = upstream.Check(op, r.Method, ans)
	if s.recording != nil {
		secrets := out.set.Spec.Secrets()
		s.recording.Save(Exchange{
			Time: s.now(), Operation: op, Request: req, Method: r.Method, Path: r.URL.Path,
			Query: journal.Query{Raw: r.URL.RawQuery, Secrets: secrets}.String(), Answer: ans, Drift: out.drift, Secrets: secrets,
		})
	}
	writeUpstream(w, r, c, ans, len(out.drift))
	return out
}

// writeUpstream sends the upstream's answer on as it came, with the mock's
// headers: X-Mock-Fixture: upstream, and X-Mock-Drift when it breaks the
// document. The mock's CORS headers stay (the upstream's are for its own
// origin); Content-Length is the body's.
func writeUpstream(w http.ResponseWriter, r *http.Request, c choice, ans *upstream.Answer, drift int) {
	h := w.Header()
	for name, values := range ans.Header {
		switch {
		case strings.HasPrefix(name, "Access-Control-"), strings.HasPrefix(name, "X-Mock-"):
			continue
		case name == "Content-Length" && r.Method != http.MethodHead:
			continue
		case name == "Vary":
			h[name] = append(h[name], values...) // beside the CORS policy's Vary: Origin
		default:
			h[name] = values
		}
	}
	if r.Method != http.MethodHead {
		h.Set("Content-Length", strconv.Itoa(len(ans.Body)))
	}
	if drift > 0 {
		h.Set(headerDrift, strconv.Itoa(drift))
	}
	setMockHeaders(h, c)
	w.WriteHeader(ans.Status)
	if r.Method != http.MethodHead {
		w.Write(ans.Body)
	}
}

// withoutMockProtocol is the request's header without what the mock's own
// protocol put there: its scenario cookie and its Prefer preferences (the
// upstream package drops X-Mock-* and the hop-by-hop headers).
func withoutMockProtocol(in http.Header) http.Header {
	h := in.Clone()
	if cookies := h.Values("Cookie"); len(cookies) > 0 {
		h.Del("Cookie")
		var kept []string
		for _, line := range cookies {
			for _, c := range strings.Split(line, ";") {
				name, _, _ := strings.Cut(strings.TrimSpace(c), "=")
				if c = strings.TrimSpace(c); c != "" && name != ScenarioCookie {
					kept = append(kept, c)
				}
			}
		}
		if len(kept) > 0 {
			h.Set("Cookie", strings.Join(kept, "; "))
		}
	}
	if prefs := h.Values("Prefer"); len(prefs) > 0 {
		h.Del("Prefer")
		var kept []string
		for _, line := range prefs {
			for _, tok := range strings.Split(line, ",") {
				k, _ := preferToken(tok)
				if tok = strings.TrimSpace(tok); tok != "" && !mockPreferences[k] {
					kept = append(kept, tok)
				}
			}
		}
		if len(kept) > 0 {
			h.Set("Prefer", strings.Join(kept, ", "))
		}
	}
	return h
}

// answerSecrets is the journal's view of which headers of an answer carry
// credentials (apispec.Secrets.AnswerHeader). It is pointer-sized, so the
// journal holds it in an interface without allocating per request.
type answerSecrets struct{ *apispec.Secrets }

func (a answerSecrets) Header(name string) bool { return a.AnswerHeader(name) }

func (answerSecrets) Query(string) bool { return false }
