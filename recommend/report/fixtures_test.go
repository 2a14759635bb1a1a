package report_test

import (
	"time"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/google/uuid"
)

// Fixed IDs of the fixtures, so that goldens do not change from run to run.
var (
	meetingA  = uuid.MustParse("0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5")
	meetingB  = uuid.MustParse("5f0c8a4e-3b7d-5e21-9c44-1d2e3f4a5b6c")
	patientID = uuid.MustParse("10927a11-c11a-5c97-8e26-de4a06205b7b")
	kinID     = uuid.MustParse("776bfd06-4c5f-5076-a5c7-d022bdf0512c")
	navID     = uuid.MustParse("58acd0f0-d134-507c-a08b-393ec373afe5")
	actionID  = uuid.MustParse("9a1b2c3d-4e5f-5a6b-8c7d-0e1f2a3b4c5d")
)

// fixtureTitles stands for the engine's catalogue: the titles of the
// recommendations that the fixtures use, as Result.Title carries them.
// CLINIC-01, a clinic's own rule, has a title but no documentation link.
var fixtureTitles = map[string]string{
	"PC-01":     "The patient takes part in planning",
	"PC-04":     "Third parties attend with consent",
	"PC-05":     "The patient has room to speak",
	"PC-07":     "The patient knows the agenda in time",
	"PC-09":     "The patient speaks first",
	"AP-01":     "Time for the action plan",
	"AP-04":     "Every action has an owner",
	"AP-08":     "Suggested actions sent before",
	"AP-09":     "The patient agreed to the plan",
	"AP-11":     "Every sector owns an action",
	"MC-01":     "A leader is named",
	"MC-06":     "No crowd in one room",
	"MC-08":     "A sensible length",
	"CS-04":     "NAV takes part in the discussion",
	"CS-08":     "Sensitive topics outside NAV's time",
	"PW-01":     "Collaboration meeting in time",
	"CLINIC-01": "The room is booked",
}

// titled sets the title of every result from fixtureTitles.
func titled(rep *recommend.Report) *recommend.Report {
	for i := range rep.Results {
		rep.Results[i].Title = fixtureTitles[rep.Results[i].ID]
	}
	return rep
}

// fixtureOptions are the options the goldens are rendered with.
func fixtureOptions() report.Options {
	return report.Options{
		DocURL: func(id string) string {
			if id == "CLINIC-01" {
				return ""
			}
			return catalogue.DocURL + "#" + lower(id)
		},
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// mixedReport is a non-compliant report with every outcome: gaps of every
// severity (one with several findings, one with an expired waiver), a
// waived result, a rule error, passes and not-applicable results.
func mixedReport() *recommend.Report {
	return titled(&recommend.Report{
		Schema:           recommend.ReportSchema,
		CatalogueVersion: "2026.1",
		Lang:             recommend.English,
		Source:           "cases/mixed.json",
		PolicyDigest:     "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		MeetingID:        meetingA,
		MeetingStart:     time.Date(2026, 5, 4, 9, 0, 0, 0, time.FixedZone("CEST", 2*3600)),
		Phase:            recommend.PhaseBefore,
		Profile:          recommend.ProfileStandard,
		Compliant:        false,
		Results: []recommend.Result{
			{ID: "PC-01", Theme: catalogue.ThemePatientCentredness, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "PC-04", Theme: catalogue.ThemePatientCentredness, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomeGap,
				Findings: []recommend.Finding{
					{SubjectID: kinID, SubjectRole: meeting.RoleNextOfKin, Path: "meeting.participants[1]", Subject: "next of kin (participant 2)", Code: "PC-04.no_consent",
						Args:    recommend.Args{"scope": "attend"},
						Message: "next_of_kin attends without a consent with scope attend valid at the start",
						Remedy:  "record the patient's consent (scope attend) before the meeting, or leave them out"},
					{SubjectID: navID, SubjectRole: meeting.RoleSocialSecuritySupervisor, Path: "meeting.participants[5]", Subject: "NAV supervisor (participant 6)", Code: "PC-04.no_consent",
						Args:    recommend.Args{"scope": "attend"},
						Message: "social_security_supervisor attends without a consent with scope attend valid at the start",
						Remedy:  "record the patient's consent (scope attend) before the meeting, or leave them out"},
				}},
			{ID: "PC-05", Theme: catalogue.ThemePatientCentredness, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomeGap,
				Findings: []recommend.Finding{
					{Path: "meeting.agenda", Subject: "the agenda", Code: "PC-05.no_item", Args: recommend.Args{"minutes": 10},
						Message: "no agenda item of kind patient_perspective of at least 10 minutes",
						Remedy:  "add a patient_perspective item of 10 minutes or more, led by the patient",
						Fixes: []recommend.Fix{{Code: "PC-05.fix.add_item", Message: "add an item for the patient's perspective of 10 minutes",
							Patch: []recommend.PatchOp{{Op: "add", Path: "/meeting/agenda/2", Value: map[string]any{"kind": "patient_perspective", "minutes": 10}}}}}},
				}},
			{ID: "PC-07", Theme: catalogue.ThemePatientCentredness, Severity: recommend.SeverityRecommended, Outcome: recommend.OutcomeGap,
				WaiverExpired: true,
				Findings: []recommend.Finding{
					{SubjectID: patientID, SubjectRole: meeting.RolePatient, Path: "preparation.agenda_sent_at", Subject: "patient (participant 1)", Code: "PC-07.late",
						Message: "the agenda reached the patient 1 day before the start; 3 days are needed",
						Remedy:  "send the agenda and the list of participants to the patient at least 3 days before"},
				}},
			{ID: "PC-09", Theme: catalogue.ThemePatientCentredness, Severity: recommend.SeverityRecommended, Outcome: recommend.OutcomePass},
			{ID: "AP-01", Theme: catalogue.ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "AP-04", Theme: catalogue.ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomeGap,
				Findings: []recommend.Finding{
					{SubjectID: actionID, Path: "plan.actions[0].owner_id", Subject: "action 1 in the action plan", Code: "AP-04.owner_not_participant",
						Message: "the action has no owner among the participants",
						Remedy:  "name a participant of the meeting as the owner of the action"},
				}},
			{ID: "AP-08", Theme: catalogue.ThemeCommonActionPlan, Severity: recommend.SeverityRecommended, Outcome: recommend.OutcomeNotApplicable},
			{ID: "AP-09", Theme: catalogue.ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomeNotApplicable},
			{ID: "AP-11", Theme: catalogue.ThemeCommonActionPlan, Severity: recommend.SeverityAdvisory, Outcome: recommend.OutcomeGap,
				Findings: []recommend.Finding{
					{Path: "plan.informed_only_sectors", Subject: "the action plan", Code: "AP-11.sector_without_action",
						Message: "sector social_security owns no action and is not listed as informed only",
						Remedy:  "give social_security an action, or list it in plan.informed_only_sectors"},
				}},
			{ID: "MC-01", Theme: catalogue.ThemeMeetingClimate, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "MC-06", Theme: catalogue.ThemeMeetingClimate, Severity: recommend.SeverityAdvisory, Outcome: recommend.OutcomeWaived,
				WaiverReason: "room booked by the clinic",
				Findings: []recommend.Finding{
					{Path: "meeting.participants", Subject: "the meeting", Code: "MC-06.crowded_room", Message: "4 participants share the clinic while others join from home",
						Remedy: "let the people in the clinic join from their own screens"},
				}},
			{ID: "MC-08", Theme: catalogue.ThemeMeetingClimate, Severity: recommend.SeverityAdvisory, Outcome: recommend.OutcomePass},
			{ID: "CS-04", Theme: catalogue.ThemeCrossSector, Severity: recommend.SeverityRecommended, Outcome: recommend.OutcomePass},
			{ID: "CS-08", Theme: catalogue.ThemeCrossSector, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "PW-01", Theme: catalogue.ThemePathway, Severity: recommend.SeverityRecommended, Outcome: recommend.OutcomeNotApplicable},
			{ID: "CLINIC-01", Theme: catalogue.ThemeMeetingClimate, Severity: recommend.SeverityRecommended, Outcome: recommend.OutcomeError,
				Error: "rule panicked: runtime error: index out of range [3] with length 3"},
		},
		Summary: recommend.Summary{
			Outcomes: recommend.OutcomeCounts{Pass: 7, Gap: 5, NotApplicable: 3, Waived: 1, Error: 1},
			Gaps:     recommend.SeverityCounts{Required: 3, Recommended: 1, Advisory: 1},
			Themes: recommend.ThemeScores{
				{Theme: catalogue.ThemePatientCentredness, Applicable: 5, Passed: 2, Score: 0.4},
				{Theme: catalogue.ThemeCommonActionPlan, Applicable: 3, Passed: 1, Score: 1.0 / 3},
				{Theme: catalogue.ThemeMeetingClimate, Applicable: 3, Passed: 2, Score: 2.0 / 3},
				{Theme: catalogue.ThemeCrossSector, Applicable: 2, Passed: 2, Score: 1},
				{Theme: catalogue.ThemePathway, Applicable: 0, Passed: 0, Score: 1},
			},
		},
	})
}

// compliantReport is a compliant report with one advisory gap, held after
// the meeting with the thorough profile.
func compliantReport() *recommend.Report {
	return titled(&recommend.Report{
		Schema:           recommend.ReportSchema,
		CatalogueVersion: "2026.1",
		Lang:             recommend.English,
		MeetingID:        meetingB,
		MeetingStart:     time.Date(2026, 6, 15, 13, 30, 0, 0, time.UTC),
		Phase:            recommend.PhaseAfter,
		Profile:          recommend.ProfileThorough,
		Compliant:        true,
		Results: []recommend.Result{
			{ID: "PC-01", Theme: catalogue.ThemePatientCentredness, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "PC-05", Theme: catalogue.ThemePatientCentredness, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "AP-01", Theme: catalogue.ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "AP-09", Theme: catalogue.ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "MC-01", Theme: catalogue.ThemeMeetingClimate, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "MC-08", Theme: catalogue.ThemeMeetingClimate, Severity: recommend.SeverityAdvisory, Outcome: recommend.OutcomeGap,
				Findings: []recommend.Finding{
					{Path: "meeting.duration_minutes", Subject: "the meeting", Code: "MC-08.too_long", Message: "the meeting lasts 120 minutes; at most 90 are advised",
						Remedy: "plan at most 90 minutes, or split the meeting in two"},
				}},
			{ID: "CS-08", Theme: catalogue.ThemeCrossSector, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "PW-01", Theme: catalogue.ThemePathway, Severity: recommend.SeverityRecommended, Outcome: recommend.OutcomePass},
		},
		Summary: recommend.Summary{
			Outcomes: recommend.OutcomeCounts{Pass: 7, Gap: 1},
			Gaps:     recommend.SeverityCounts{Advisory: 1},
			Themes: recommend.ThemeScores{
				{Theme: catalogue.ThemePatientCentredness, Applicable: 2, Passed: 2, Score: 1},
				{Theme: catalogue.ThemeCommonActionPlan, Applicable: 2, Passed: 2, Score: 1},
				{Theme: catalogue.ThemeMeetingClimate, Applicable: 2, Passed: 1, Score: 0.5},
				{Theme: catalogue.ThemeCrossSector, Applicable: 1, Passed: 1, Score: 1},
				{Theme: catalogue.ThemePathway, Applicable: 1, Passed: 1, Score: 1},
			},
		},
	})
}

// themeIDs returns the IDs of the built-in catalogue's themes, in order.
func themeIDs() []recommend.Theme {
	var out []recommend.Theme
	for _, d := range catalogue.Themes() {
		out = append(out, d.ID)
	}
	return out
}
