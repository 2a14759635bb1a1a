package recommend

import (
	"time"

	"github.com/google/uuid"
)

// ReportSchema is the schema name of a Report in JSON.
const ReportSchema = "collabmeet.report/v1"

// Report is the result of checking one case against the catalogue. Identical
// input gives an identical report, and its JSON is byte-identical.
type Report struct {
	Schema           string `json:"schema"`
	CatalogueVersion string `json:"catalogue_version"`
	// Lang is the language of the report's texts; codes and args do not
	// depend on it.
	Lang Lang `json:"lang"`
	// Source is where the case came from, such as its file; empty when the
	// caller does not say (the engine never reads files).
	Source string `json:"source,omitempty"`
	// PolicyDigest identifies the policy the case was checked under: see
	// Policy.Digest. Checking the same case under the same policy and
	// catalogue version gives the same report, byte for byte.
	PolicyDigest string    `json:"policy_digest"`
	MeetingID    uuid.UUID `json:"meeting_id"`
	// MeetingStart is the reference time of every check; aggregates group by its month.
	MeetingStart time.Time `json:"meeting_start"`
	Phase        Phase     `json:"phase"`
	Profile      Profile   `json:"profile"`
	// Compliant is the one meaning of compliant in collabmeet: no result of
	// severity required is a gap or an error (see Result.Fails). A waived
	// gap, or a gap of a recommended or advisory recommendation, does not
	// count; a required rule that failed (error) does, since nothing was
	// shown to hold.
	Compliant bool `json:"compliant"`
	// Results holds one result per recommendation that the policy did not
	// switch off, in catalogue order.
	Results []Result `json:"results"`
	Summary Summary  `json:"summary"`
}

// Result is the outcome of one recommendation for one case.
type Result struct {
	ID string `json:"id"`
	// Title is the recommendation's title in the report's language.
	Title    string   `json:"title"`
	Theme    Theme    `json:"theme"`
	Severity Severity `json:"severity"`
	Outcome  Outcome  `json:"outcome"`
	// WaiverReason is the policy's reason, when the outcome is waived.
	WaiverReason string `json:"waiver_reason,omitempty"`
	// WaiverExpired is set when a waiver for this recommendation matched the
	// meeting but had expired by its start, so it did not apply.
	WaiverExpired bool `json:"waiver_expired,omitempty"`
	// Error is why the rule itself failed, when the outcome is error.
	Error string `json:"error,omitempty"`
	// Doc links to the documentation of the recommendation, as
	// analysis.Diagnostic.URL does: the rule's own Doc when it has one, else
	// the catalogue's DocURL with the recommendation's anchor; empty when
	// neither is set. It is not written in JSON (the report format has no
	// such field): a renderer of a decoded report links through its
	// options.
	Doc string `json:"-"`
	// Findings says what is missing, for a gap; and for a waived result, what
	// the waiver covers.
	Findings []Finding `json:"findings,omitempty"`
	// Omitted counts the findings left out because a result keeps at most a
	// number linear in the size of the case.
	Omitted int `json:"findings_omitted,omitempty"`
}

// Fails reports whether the result counts against compliance at the
// threshold: a gap or an error whose severity is threshold or more serious.
// Report.Compliant is "no result Fails(SeverityRequired)"; the command
// line's --fail-on and recommendtest use the same test.
func (r *Result) Fails(threshold Severity) bool {
	return (r.Outcome == OutcomeGap || r.Outcome == OutcomeError) && r.Severity.Rank() <= threshold.Rank()
}

// Fails reports whether any result Fails at the threshold.
func (rep *Report) Fails(threshold Severity) bool {
	for i := range rep.Results {
		if rep.Results[i].Fails(threshold) {
			return true
		}
	}
	return false
}

// Summary counts the results of a report.
type Summary struct {
	Outcomes OutcomeCounts  `json:"outcomes"`
	Gaps     SeverityCounts `json:"gaps"`
	Themes   ThemeScores    `json:"themes"`
}

// OutcomeCounts counts results by outcome.
type OutcomeCounts struct {
	Pass          int `json:"pass"`
	Gap           int `json:"gap"`
	NotApplicable int `json:"not_applicable"`
	Waived        int `json:"waived"`
	Error         int `json:"error"`
}

// SeverityCounts counts gaps by severity.
type SeverityCounts struct {
	Required    int `json:"required"`
	Recommended int `json:"recommended"`
	Advisory    int `json:"advisory"`
}

func (c *SeverityCounts) add(s Severity) {
	switch s {
	case SeverityRequired:
		c.Required++
	case SeverityRecommended:
		c.Recommended++
	case SeverityAdvisory:
		c.Advisory++
	}
}

// Outcome is what checking one recommendation gave.
type Outcome string

// The outcomes.
const (
	OutcomePass          Outcome = "pass"
	OutcomeGap           Outcome = "gap"
	OutcomeNotApplicable Outcome = "not_applicable"
	OutcomeWaived        Outcome = "waived"
	OutcomeError         Outcome = "error" // the rule itself failed
)

// Outcomes returns every Outcome (a fresh slice).
func Outcomes() []Outcome {
	return []Outcome{OutcomePass, OutcomeGap, OutcomeNotApplicable, OutcomeWaived, OutcomeError}
}

// Applicable reports whether the outcome counts as applicable in scores:
// pass, gap and error.
func (o Outcome) Applicable() bool { return o == OutcomePass || o == OutcomeGap || o == OutcomeError }

// Severity is how much a gap matters.
type Severity string

// The severities, from the most to the least serious.
const (
	SeverityRequired    Severity = "required"    // a gap makes the case non-compliant
	SeverityRecommended Severity = "recommended" // a gap is a warning
	SeverityAdvisory    Severity = "advisory"    // a gap is a note
)

// Severities returns every Severity, most serious first (a fresh slice).
func Severities() []Severity {
	return []Severity{SeverityRequired, SeverityRecommended, SeverityAdvisory}
}

// Valid reports whether s is one of Severities.
func (s Severity) Valid() bool {
	return s == SeverityRequired || s == SeverityRecommended || s == SeverityAdvisory
}

// Rank orders severities: 0 for required, 1 recommended, 2 advisory, 3 unknown.
func (s Severity) Rank() int {
	switch s {
	case SeverityRequired:
		return 0
	case SeverityRecommended:
		return 1
	case SeverityAdvisory:
		return 2
	}
	return 3
}

// Phase is when a recommendation applies.
type Phase string

// The phases.
const (
	PhaseBefore Phase = "before" // applies to every case
	PhaseAfter  Phase = "after"  // applies only when the meeting has been held
)

// Valid reports whether p is a known phase.
func (p Phase) Valid() bool { return p == PhaseBefore || p == PhaseAfter }

// Profile is how thoroughly a meeting is expected to be prepared (N26's
// flexible preparedness). A recommendation with a higher MinProfile is not
// applicable.
type Profile string

// The profiles, from the least to the most preparation. The empty profile
// means ProfileStandard.
const (
	ProfileMinimal  Profile = "minimal"
	ProfileStandard Profile = "standard"
	ProfileThorough Profile = "thorough"
)

// Profiles returns every Profile, least preparation first (a fresh slice).
func Profiles() []Profile { return []Profile{ProfileMinimal, ProfileStandard, ProfileThorough} }

// Valid reports whether p is one of Profiles or empty (standard).
func (p Profile) Valid() bool { return p.level() >= 0 }

// AtLeast reports whether p asks for at least as much preparation as q.
func (p Profile) AtLeast(q Profile) bool { return p.level() >= q.level() }

func (p Profile) level() int {
	switch p {
	case ProfileMinimal:
		return 0
	case ProfileStandard, "":
		return 1
	case ProfileThorough:
		return 2
	}
	return -1
}
