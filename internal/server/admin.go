package server

import (
	"net/http"
)

// handleHealth reports that the mock is up, with what it serves. The
// status is mirrored at the top level for probes that read only it.
func (s *Server) handleHealth() http.Handler {
	type health struct {
		Status     string `json:"status"`
		Version    string `json:"version,omitempty"`
		Operations int    `json:"operations"`
		Scenarios  int    `json:"scenarios"`
		Fixtures   int    `json:"fixtures"`
		Active     string `json:"active_scenario"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		set := s.set.Load()
		writeJSON(w, http.StatusOK, struct {
			Status string `json:"status"`
			envelope
		}{"ok", envelope{Data: health{
			Status:     "ok",
			Version:    s.version,
			Operations: len(set.Spec.Operations()),
			Scenarios:  len(set.Scenarios.Names()),
			Fixtures:   len(set.Fixtures.Names()),
			Active:     s.Active(),
		}}})
	})
}

// handleAdminNotFound answers unknown /__mock/ paths with the envelope.
func (s *Server) handleAdminNotFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeErrors(w, http.StatusNotFound, apiError{Code: codeNotFound, Message: "no admin endpoint " + r.Method + " " + r.URL.Path + "; see GET /__mock/health"})
	})
}
