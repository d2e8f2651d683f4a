package server

import (
	"time"

	"github.com/arklow/arklow-mock/internal/journal"
)

// The admin API's answers (DESIGN §5). Every answer is an Envelope; these
// types are its data. `arklow-mock types` prints them as TypeScript (the
// ts tag names a field's TypeScript type where its Go type says less).

// Envelope is the Arklow API's answer format: {"data": …, "errors": […]}.
type Envelope[T any] struct {
	Data   T         `json:"data"`
	Errors []ErrItem `json:"errors" ts:"ErrItem[] | null"`
}

// Health is GET /__mock/health's data.
type Health struct {
	Status     string `json:"status"`
	Version    string `json:"version,omitempty"`
	Operations int    `json:"operations"`
	Scenarios  int    `json:"scenarios"`
	Fixtures   int    `json:"fixtures"`
	Active     string `json:"active_scenario" ts:"ScenarioName"`
	// LastReload is the last reload attempt (null before any); its
	// error lists FILE:LINE problems while the last good set serves.
	LastReload      *time.Time `json:"last_reload"`
	LastReloadError *string    `json:"last_reload_error"`
	Problems        []string   `json:"last_reload_problems,omitempty"`
	// Warnings are states that make the mock refuse requests although it
	// is up, such as an active scenario a reload removed.
	Warnings []string `json:"warnings,omitempty"`
}

// HealthAnswer is GET /__mock/health's answer: the envelope, with the
// status mirrored at the top level for probes that read only it.
type HealthAnswer struct {
	Status string `json:"status"`
	Envelope[Health]
}

// ScenarioInfo is one scenario of GET /__mock/scenarios.
type ScenarioInfo struct {
	Name        string   `json:"name" ts:"ScenarioName"`
	Description string   `json:"description"`
	Operations  []string `json:"operations"`
	Active      bool     `json:"active"`
}

// ScenarioList is GET /__mock/scenarios's data.
type ScenarioList struct {
	Active    string         `json:"active" ts:"ScenarioName"`
	Scenarios []ScenarioInfo `json:"scenarios"`
}

// SetScenario is PUT /__mock/scenario's body, and its data.
type SetScenario struct {
	Name string `json:"name" ts:"ScenarioName"`
}

// ActiveScenario is PUT /__mock/scenario's data.
type ActiveScenario struct {
	Active string `json:"active" ts:"ScenarioName"`
}

// Reset is POST /__mock/reset's data.
type Reset struct {
	Reset bool `json:"reset"`
}

// Cleared is DELETE /__mock/requests's data.
type Cleared struct {
	Cleared bool `json:"cleared"`
}

// JournalEntry is one entry of GET /__mock/requests's data (newest first).
type JournalEntry = journal.Entry

// Coverage is GET /__mock/coverage's data.
type Coverage struct {
	Operations []OperationCoverage `json:"operations"`
}

// OperationCoverage links one operation to what was served for it.
type OperationCoverage struct {
	Operation        string           `json:"operation"`
	Method           string           `json:"method"`
	Path             string           `json:"path"`
	Summary          string           `json:"summary,omitempty"`
	Documented       []string         `json:"documented_statuses"`
	Fixtures         []CoveredFixture `json:"fixtures"`
	Served           *journal.Served  `json:"served" ts:"Served"` // never nil
	UnservedStatuses []string         `json:"unserved_statuses"`
	UnservedFixtures []string         `json:"unserved_fixtures"`
}

// CoveredFixture is a fixture a scenario defines for an operation.
type CoveredFixture struct {
	Scenario string `json:"scenario" ts:"ScenarioName"`
	Fixture  string `json:"fixture"`
	Status   int    `json:"status"`
}
