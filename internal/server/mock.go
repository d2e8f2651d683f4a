package server

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/reqcheck"
	"github.com/arklow/arklow-mock/internal/reqerr"
)

// Header names of the mock's own protocol.
const (
	headerScenario = "X-Mock-Scenario"
	headerFixture  = "X-Mock-Fixture"
	headerSession  = "X-Mock-Session"
)

// mock answers a request to the mocked API: route → read → validate →
// choose → answer. Each step returns what it found, or the error that
// refuses the request.
func (s *Server) mock(w http.ResponseWriter, r *http.Request, set *mockset.Set) outcome {
	out := outcome{set: set, mock: true}
	refuse := func(op *apispec.Operation, err *reqerr.Error) outcome {
		out.err = err
		writeError(w, op, err)
		return out
	}

	matches, err := set.Spec.RouteAll(r)
	if err != nil {
		return refuse(nil, err)
	}
	op, pathParams := matches[0].Op, matches[0].Params
	out.operation = op.Key

	raw, err := readBody(r)
	out.body = raw
	if len(raw) > maxJournalBody {
		out.body = bytes.Clone(raw[:maxJournalBody]) // not pinning the whole body
	}
	if err != nil {
		return refuse(op, err)
	}

	var query url.Values
	if r.URL.RawQuery != "" {
		query = r.URL.Query()
	}
	body, err := reqcheck.Validate(op, reqcheck.Request{Header: r.Header, Query: query, Path: pathParams, Body: raw})
	for _, twin := range matches[1:] { // the first, in document order, whose schemas accept the request
		if err == nil {
			break
		}
		if b, e := reqcheck.Validate(twin.Op, reqcheck.Request{Header: r.Header, Query: query, Path: twin.Params, Body: raw}); e == nil {
			op, pathParams, body, err = twin.Op, twin.Params, b, nil
			out.operation = op.Key
		}
	}
	if err != nil {
		return refuse(op, err)
	}

	req := &fixture.Request{Method: r.Method, Path: pathParams, Query: query, Headers: fixture.Headers(r.Header), Body: body}
	c, err := s.decide(r, set, op, req)
	out.scenario, out.fixture = c.scenario, c.source
	if err != nil {
		return refuse(op, err)
	}
	if c.upstream {
		return s.passThrough(w, r, op, raw, req, c, out)
	}
	if c.generate { // the same request, the same generated answer; dynamic=true, a new one
		if c.dynamic {
			c.seed = s.random()
		} else {
			c.seed = seedOf(op.Key, pathParams, raw)
		}
	}

	if err := s.answer(w, r, c, req); err != nil {
		return refuse(op, err)
	}
	return out
}

// readBody reads the request body whole. A body over the limit is
// payload_too_large; a body that could not be read is explained without
// the socket addresses net errors carry.
func readBody(r *http.Request) ([]byte, *reqerr.Error) {
	var body []byte
	var err error
	if n := r.ContentLength; n >= 0 { // declared (limit checked it): read exactly that
		body = make([]byte, n)
		_, err = io.ReadFull(r.Body, body)
	} else {
		body, err = io.ReadAll(r.Body)
	}
	if err == nil {
		return body, nil
	}
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mbe):
		return nil, tooLarge(mbe.Limit)
	case (errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF) && r.ContentLength > 0:
		return nil, reqerr.New(reqerr.InvalidRequest, "body", "the connection ended before the %d bytes that Content-Length announced", r.ContentLength)
	case errors.As(err, &ne) && ne.Timeout():
		return nil, reqerr.New(reqerr.InvalidRequest, "body", "not received in time: it arrived more slowly than the read timeout allows, or with fewer bytes than Content-Length announced")
	}
	return nil, reqerr.New(reqerr.InvalidRequest, "body", "could not be read: the connection failed while the body was sent")
}
