package recommend

import (
	"time"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/google/uuid"
)

// ReportSchema is the schema name of a Report in JSON.
const ReportSchema = "collabmeet.report/v1"

// Report is the result of checking one case against the catalogue. Identical
// input gives an identical report, and its JSON is byte-identical.
type Report struct {
	Schema           string    `json:"schema"`
	CatalogueVersion string    `json:"catalogue_version"`
	MeetingID        uuid.UUID `json:"meeting_id"`
	// MeetingStart is the reference time of every check; aggregates group by its month.
	MeetingStart time.Time `json:"meeting_start"`
	Phase        Phase     `json:"phase"`
	Profile      Profile   `json:"profile"`
	// Compliant is true when no result with severity required is a gap or an error.
	Compliant bool `json:"compliant"`
	// Results holds one result per recommendation that the policy did not
	// switch off, in catalogue order.
	Results []Result `json:"results"`
	Summary Summary  `json:"summary"`
}

// Result is the outcome of one recommendation for one case.
type Result struct {
	ID       string   `json:"id"`
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
	// Findings says what is missing, for a gap; and for a waived result, what
	// the waiver covers.
	Findings []Finding `json:"findings,omitempty"`
}

// Finding is one thing missing from a case. It names its subject by ID and
// role and never carries free text of the case (names, purposes, titles,
// goals, descriptions), so that reports can go into logs and tickets.
type Finding struct {
	// SubjectID is the participant, agenda item, consent or action concerned;
	// uuid.Nil when the meeting as a whole is the subject.
	SubjectID uuid.UUID `json:"subject_id,omitzero"`
	// SubjectRole is the role of the participant, when the subject is one.
	SubjectRole meeting.Role `json:"subject_role,omitempty"`
	// Path is the JSON path of what is missing or wrong, e.g. "meeting.participants[4]".
	Path    string `json:"path"`
	Message string `json:"message"` // what is missing
	Remedy  string `json:"remedy"`  // what would fix it
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

// ThemeScores holds the score of each theme.
type ThemeScores struct {
	PatientCentredness ThemeScore `json:"patient_centredness"`
	CommonActionPlan   ThemeScore `json:"common_action_plan"`
	MeetingClimate     ThemeScore `json:"meeting_climate"`
	CrossSector        ThemeScore `json:"cross_sector"`
	Pathway            ThemeScore `json:"pathway"`
}

// ThemeScore is how many applicable recommendations of a theme passed.
// Applicable counts pass, gap and error outcomes; Score is Passed/Applicable,
// 1 when nothing was applicable.
type ThemeScore struct {
	Applicable int     `json:"applicable"`
	Passed     int     `json:"passed"`
	Score      float64 `json:"score"`
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

// Outcomes lists every Outcome.
var Outcomes = []Outcome{OutcomePass, OutcomeGap, OutcomeNotApplicable, OutcomeWaived, OutcomeError}

// Severity is how much a gap matters.
type Severity string

// The severities, from the most to the least serious.
const (
	SeverityRequired    Severity = "required"    // a gap makes the case non-compliant
	SeverityRecommended Severity = "recommended" // a gap is a warning
	SeverityAdvisory    Severity = "advisory"    // a gap is a note
)

// Severities lists every Severity, most serious first.
var Severities = []Severity{SeverityRequired, SeverityRecommended, SeverityAdvisory}

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

// Theme groups recommendations.
type Theme string

// The themes of the catalogue.
const (
	ThemePatientCentredness Theme = "patient_centredness"
	ThemeCommonActionPlan   Theme = "common_action_plan"
	ThemeMeetingClimate     Theme = "meeting_climate"
	ThemeCrossSector        Theme = "cross_sector"
	ThemePathway            Theme = "pathway"
)

// Themes lists every Theme in catalogue order.
var Themes = []Theme{ThemePatientCentredness, ThemeCommonActionPlan, ThemeMeetingClimate, ThemeCrossSector, ThemePathway}

// Valid reports whether t is one of Themes.
func (t Theme) Valid() bool {
	switch t {
	case ThemePatientCentredness, ThemeCommonActionPlan, ThemeMeetingClimate, ThemeCrossSector, ThemePathway:
		return true
	}
	return false
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

// Profiles lists every Profile, least preparation first.
var Profiles = []Profile{ProfileMinimal, ProfileStandard, ProfileThorough}

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
