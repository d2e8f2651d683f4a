package cli

import (
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"sync"

	"github.com/arklow/arklow-mock/internal/apispec"
	"github.com/arklow/arklow-mock/internal/config"
	"github.com/arklow/arklow-mock/internal/diag"
	"github.com/arklow/arklow-mock/internal/fixture"
	"github.com/arklow/arklow-mock/internal/mockset"
	"github.com/arklow/arklow-mock/internal/record"
	"github.com/arklow/arklow-mock/internal/server"
	"github.com/arklow/arklow-mock/internal/upstream"
)

// newUpstream is the client of --upstream; nil when none is set.
func newUpstream(cfg config.Config) (*upstream.Client, error) {
	if cfg.Upstream == "" {
		return nil, nil
	}
	c, err := upstream.New(cfg.Upstream, upstream.Options{Timeout: cfg.UpstreamTimeout})
	if err != nil {
		return nil, fmt.Errorf("--upstream: %w", err)
	}
	return c, nil
}

// recording makes the server a recorder (arklow-mock record): each answer
// of the upstream becomes a fixture and a rule, reported on stdout, one
// line per fixture written (or not written, once).
func recording(cfg config.Config, set *mockset.Set, stdout io.Writer, logger *slog.Logger) (*server.Recording, error) {
	key, err := record.ParseKey(cfg.Key)
	if err != nil {
		return nil, fmt.Errorf("--key: %w", err)
	}
	secrets := set.Spec.Secrets()
	for _, f := range key {
		if f.In == "header" && secrets.Header(f.Name) || f.In == "query" && secrets.Query(f.Name) {
			return nil, fmt.Errorf("--key %s.%s: the document names it as a credential, which is never written to a file", f.In, f.Name)
		}
	}
	rec, err := record.New(record.Options{Fixtures: cfg.Fixtures, Out: cfg.Out, Scenarios: cfg.Scenarios, Scenario: cfg.Scenario,
		Key: key, Overwrite: cfg.Overwrite, Source: cfg.Upstream})
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex // one report at a time on stdout
	return &server.Recording{Scenario: cfg.Scenario, Save: func(ex server.Exchange) {
		res, err := rec.Record(answerOf(ex))
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			logger.Error("record: the answer was not saved", "operation", ex.Operation.Key, "status", ex.Answer.Status, "err", err)
		case !res.Repeat:
			fmt.Fprintln(stdout, res)
		}
	}}, nil
}

// pathParam finds the parameters of a path template, in order.
var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// answerOf is what the recorder needs of an exchange: the answer, the
// headers its response documents, where credentials are, and the check of
// a fixture against the document the request was answered from.
func answerOf(ex server.Exchange) record.Answer {
	op := ex.Operation
	var documented []string
	if resp := op.Response(ex.Answer.Status); resp != nil {
		for _, h := range resp.Headers() {
			documented = append(documented, h.Name)
		}
	}
	var params []string
	for _, m := range pathParam.FindAllStringSubmatch(op.Path, -1) {
		params = append(params, m[1])
	}
	drift := make([]string, len(ex.Drift))
	for i, d := range ex.Drift {
		drift[i] = d.Code + ": " + d.Message
	}
	return record.Answer{
		Time: ex.Time, Operation: op.Key, PathParams: params,
		Method: ex.Method, Path: ex.Path, Query: ex.Query, Request: ex.Request,
		Status: ex.Answer.Status, Header: ex.Answer.Header, Documented: documented, Secret: secretHeader(ex.Secrets),
		Body: ex.Answer.Body, Drift: drift,
		Check: func(f *fixture.Fixture) diag.List { return mockset.CheckFixture(op, f) },
	}
}

func secretHeader(s *apispec.Secrets) func(string) bool {
	if s == nil {
		return nil
	}
	return s.Header
}
