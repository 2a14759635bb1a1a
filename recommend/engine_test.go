package recommend_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCatalogue(t *testing.T) {
	rules := recommend.Catalogue()
	require.Len(t, rules, 44)
	require.NoError(t, recommend.ValidateRules(rules))
	counts := map[recommend.Theme]int{}
	prefix := map[recommend.Theme]string{
		recommend.ThemePatientCentredness: "PC", recommend.ThemeCommonActionPlan: "AP",
		recommend.ThemeMeetingClimate: "MC", recommend.ThemeCrossSector: "CS", recommend.ThemePathway: "PW",
	}
	var protected []string
	for _, r := range rules {
		counts[r.Theme]++
		assert.True(t, strings.HasPrefix(r.ID, prefix[r.Theme]+"-"), r.ID)
		assert.Equal(t, fmt.Sprintf("%s-%02d", prefix[r.Theme], counts[r.Theme]), r.ID, "catalogue order")
		assert.NotEmpty(t, r.Statement, r.ID)
		assert.NotEmpty(t, r.Rationale, r.ID)
		assert.NotEmpty(t, r.Source, r.ID)
		assert.Equal(t, recommend.CatalogueURL+"#"+strings.ToLower(r.ID), r.Doc)
		if r.Protected {
			protected = append(protected, r.ID)
		}
	}
	assert.Equal(t, map[recommend.Theme]int{
		recommend.ThemePatientCentredness: 9, recommend.ThemeCommonActionPlan: 11,
		recommend.ThemeMeetingClimate: 10, recommend.ThemeCrossSector: 11, recommend.ThemePathway: 3,
	}, counts)
	assert.Equal(t, []string{"PC-04", "CS-01", "CS-02", "CS-03", "CS-08"}, protected)

	// A fresh copy each time.
	rules[0].Title = "changed"
	rules[1].Params[0].Default = false
	again := recommend.Catalogue()
	assert.NotEqual(t, "changed", again[0].Title)
	assert.Equal(t, true, again[1].Params[0].Default)

	r, ok := recommend.Lookup("PC-05")
	require.True(t, ok)
	assert.Equal(t, recommend.SeverityRequired, r.Severity)
	assert.Equal(t, "pc-05", r.Anchor())
	p, ok := r.Param("patient_minutes")
	require.True(t, ok)
	assert.Equal(t, 10, p.Default)
	_, ok = recommend.Lookup("PC-99")
	assert.False(t, ok)
}

// Severities, phases and profiles from recommendations.md.
func TestCatalogueSeverities(t *testing.T) {
	want := map[string]string{
		"PC-01": "required before", "PC-02": "recommended before", "PC-03": "recommended before",
		"PC-04": "required before", "PC-05": "required before", "PC-06": "recommended before",
		"PC-07": "recommended before", "PC-08": "recommended before", "PC-09": "recommended before",
		"AP-01": "required before", "AP-02": "recommended before", "AP-03": "required before",
		"AP-04": "required before", "AP-05": "required before", "AP-06": "required before",
		"AP-07": "recommended before", "AP-08": "recommended before thorough", "AP-09": "required after",
		"AP-10": "recommended after", "AP-11": "advisory before",
		"MC-01": "required before", "MC-02": "required before", "MC-03": "recommended before",
		"MC-04": "recommended before", "MC-05": "required before", "MC-06": "advisory before",
		"MC-07": "recommended before", "MC-08": "advisory before", "MC-09": "recommended before",
		"MC-10": "required before",
		"CS-01": "required before", "CS-02": "required before", "CS-03": "required after",
		"CS-04": "recommended before", "CS-05": "recommended before", "CS-06": "recommended before",
		"CS-07": "recommended before", "CS-08": "required before", "CS-09": "recommended before",
		"CS-10": "required before", "CS-11": "recommended before",
		"PW-01": "recommended before", "PW-02": "advisory before", "PW-03": "required before",
	}
	got := map[string]string{}
	for _, r := range recommend.Catalogue() {
		s := string(r.Severity) + " " + string(r.Phase)
		if r.MinProfile != recommend.ProfileMinimal {
			s += " " + string(r.MinProfile)
		}
		got[r.ID] = s
	}
	assert.Equal(t, want, got)
}

func TestCatalogueParams(t *testing.T) {
	got := map[string]any{}
	for _, r := range recommend.Catalogue() {
		for _, p := range r.Params {
			got[p.Name] = p.Default
		}
	}
	assert.Equal(t, map[string]any{
		"allow_professionals_only": true, "patient_minutes": 10, "max_professionals": 6, "notice_days": 3,
		"plan_minutes": 10, "discussion_minutes": 10, "horizon_days": 183, "distribute_days": 7,
		"max_colocated": 3, "min_minutes": 30, "max_minutes": 90, "min_sector_minutes": 15,
		"min_specialist_roles": 2, "assessment_to_meeting_weeks": 12, "referral_to_assessment_weeks": 12,
		"follow_up_weeks": 26,
	}, got)
}

func TestReportShape(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	c := reference(t)
	rep := e.Check(c)
	assert.Equal(t, recommend.ReportSchema, rep.Schema)
	assert.Equal(t, "2026.1", rep.CatalogueVersion)
	assert.Equal(t, c.Meeting.ID, rep.MeetingID)
	assert.True(t, c.Meeting.Start.Equal(rep.MeetingStart))
	assert.Equal(t, recommend.PhaseBefore, rep.Phase)
	assert.Equal(t, recommend.ProfileStandard, rep.Profile)
	assert.True(t, rep.Compliant)
	require.Len(t, rep.Results, 44)
	for i, r := range recommend.Catalogue() {
		assert.Equal(t, r.ID, rep.Results[i].ID, "catalogue order")
		assert.Equal(t, r.Theme, rep.Results[i].Theme)
	}
	assert.Equal(t, recommend.OutcomeCounts{Pass: 39, NotApplicable: 5}, rep.Summary.Outcomes)
	assert.Equal(t, recommend.SeverityCounts{}, rep.Summary.Gaps)
	assert.Equal(t, recommend.ThemeScore{Applicable: 8, Passed: 8, Score: 1}, rep.Summary.Themes.CommonActionPlan)

	c.Meeting.Status = meeting.StatusHeld
	assert.Equal(t, recommend.PhaseAfter, e.Check(c).Phase)
	c.Meeting.Status = meeting.StatusCancelled
	assert.Equal(t, recommend.PhaseBefore, e.Check(c).Phase)
}

func TestSummary(t *testing.T) {
	c := reference(t)
	c.Meeting.Agenda[iPerspective].Minutes = 5                 // PC-05 required gap
	c.Meeting.Agenda[iDiscussion].PatientSpeaksFirst = false   // PC-09 recommended gap
	c.Plan.Actions[2].OwnerID = c.Meeting.Participants[pGP].ID // AP-11 advisory gap
	rep := mustEngine(t, recommend.Policy{}).Check(c)
	assert.False(t, rep.Compliant)
	assert.Equal(t, recommend.OutcomeCounts{Pass: 36, Gap: 3, NotApplicable: 5}, rep.Summary.Outcomes)
	assert.Equal(t, recommend.SeverityCounts{Required: 1, Recommended: 1, Advisory: 1}, rep.Summary.Gaps)
	assert.Equal(t, recommend.ThemeScore{Applicable: 9, Passed: 7, Score: 7.0 / 9}, rep.Summary.Themes.PatientCentredness)
	assert.Equal(t, recommend.ThemeScore{Applicable: 8, Passed: 7, Score: 7.0 / 8}, rep.Summary.Themes.CommonActionPlan)
	assert.Equal(t, recommend.ThemeScore{Applicable: 3, Passed: 3, Score: 1}, rep.Summary.Themes.Pathway)

	// Only recommended and advisory gaps: compliant.
	c.Meeting.Agenda[iPerspective].Minutes = 10
	assert.True(t, mustEngine(t, recommend.Policy{}).Check(c).Compliant)
}

func TestThemeScoreWithNothingApplicable(t *testing.T) {
	c := reference(t)
	c.Meeting.Kind = meeting.KindFollowUp
	rep := mustEngine(t, recommend.Policy{Disable: []string{"PW-02"}}).Check(c)
	assert.Equal(t, recommend.ThemeScore{Applicable: 0, Passed: 0, Score: 1}, rep.Summary.Themes.Pathway)
}

func TestPolicyDisable(t *testing.T) {
	c := reference(t)
	c.Meeting.DurationMinutes = 120 // MC-08 gap
	rep := mustEngine(t, recommend.Policy{Disable: []string{"MC-08", "PW-02"}}).Check(c)
	require.Len(t, rep.Results, 42)
	for _, r := range rep.Results {
		assert.NotContains(t, []string{"MC-08", "PW-02"}, r.ID)
	}
	assert.Empty(t, gapIDs(rep))
	e := mustEngine(t, recommend.Policy{Disable: []string{"MC-08"}})
	assert.Len(t, e.Rules(), 43)
	_, ok := e.Recommendation("MC-08")
	assert.False(t, ok)
}

func TestPolicySeverityOverride(t *testing.T) {
	c := reference(t)
	c.Meeting.DurationMinutes = 120 // MC-08 advisory gap
	rep := mustEngine(t, recommend.Policy{}).Check(c)
	assert.True(t, rep.Compliant)

	e := mustEngine(t, recommend.Policy{Severity: map[string]recommend.Severity{"MC-08": recommend.SeverityRequired}})
	rep = e.Check(c)
	assert.Equal(t, recommend.SeverityRequired, resultFor(t, rep, "MC-08").Severity)
	assert.False(t, rep.Compliant)
	assert.Equal(t, 1, rep.Summary.Gaps.Required)
	r, ok := e.Recommendation("MC-08")
	require.True(t, ok)
	assert.Equal(t, recommend.SeverityRequired, r.Severity)

	// Lowering a required one makes its gap a warning.
	c = reference(t)
	c.Meeting.Platform = ""
	rep = mustEngine(t, recommend.Policy{Severity: map[string]recommend.Severity{"MC-05": recommend.SeverityRecommended}}).Check(c)
	assert.True(t, rep.Compliant)
	assert.Equal(t, recommend.OutcomeGap, resultFor(t, rep, "MC-05").Outcome)

	// Raising a protected one to what it is already is allowed.
	_, err := recommend.New(recommend.Policy{Severity: map[string]recommend.Severity{"PC-04": recommend.SeverityRequired}})
	assert.NoError(t, err)
}

func TestPolicyParams(t *testing.T) {
	c := reference(t) // agenda and participants sent 7 days before
	for _, tc := range []struct {
		value any
		gap   bool
	}{{7, false}, {8, true}, {7.0, false}, {int64(8), true}} {
		rep := mustEngine(t, recommend.Policy{Params: map[string]any{"notice_days": tc.value}}).Check(c)
		// notice_days is one parameter for every recommendation that reads it.
		for _, id := range []string{"PC-07", "MC-09"} {
			assert.Equal(t, tc.gap, resultFor(t, rep, id).Outcome == recommend.OutcomeGap, "%s with notice_days %v", id, tc.value)
		}
	}
}

func TestPolicyProfiles(t *testing.T) {
	c := reference(t)
	c.Meeting.Preparation.ClinicalNotesSentTo = c.Meeting.Preparation.ClinicalNotesSentTo[:1] // only the patient
	for _, tc := range []struct {
		profile recommend.Profile
		want    recommend.Profile
		ap08    recommend.Outcome
		cs02    recommend.Outcome
	}{
		{"", recommend.ProfileStandard, outNA, outGap},
		{recommend.ProfileMinimal, recommend.ProfileMinimal, outNA, outPass},
		{recommend.ProfileStandard, recommend.ProfileStandard, outNA, outGap},
		{recommend.ProfileThorough, recommend.ProfileThorough, outGap, outGap},
	} {
		e := mustEngine(t, recommend.Policy{Profile: tc.profile})
		assert.Equal(t, tc.want, e.Profile())
		rep := e.Check(c)
		assert.Equal(t, tc.want, rep.Profile)
		assert.Equal(t, tc.ap08, resultFor(t, rep, "AP-08").Outcome, "AP-08 with %q", tc.profile)
		assert.Equal(t, tc.cs02, resultFor(t, rep, "CS-02").Outcome, "CS-02 with %q", tc.profile)
	}
}

func TestWaivers(t *testing.T) {
	c := reference(t)
	c.Meeting.DurationMinutes = 120 // MC-08 gap
	start := c.Meeting.Start
	meetingID := c.Meeting.ID.String()
	other := uuid.New().String()
	waiver := func(id, meeting string, expires time.Time) recommend.Waiver {
		return recommend.Waiver{ID: id, MeetingID: meeting, Reason: "long meeting agreed with the patient", Expires: expires}
	}
	for _, tc := range []struct {
		name    string
		waivers []recommend.Waiver
		id      string
		outcome recommend.Outcome
		expired bool
	}{
		{"matching meeting", []recommend.Waiver{waiver("MC-08", meetingID, start.Add(time.Hour))}, "MC-08", recommend.OutcomeWaived, false},
		{"every meeting", []recommend.Waiver{waiver("MC-08", "*", start.Add(time.Hour))}, "MC-08", recommend.OutcomeWaived, false},
		{"another meeting", []recommend.Waiver{waiver("MC-08", other, start.Add(time.Hour))}, "MC-08", recommend.OutcomeGap, false},
		{"another recommendation", []recommend.Waiver{waiver("MC-06", "*", start.Add(time.Hour))}, "MC-08", recommend.OutcomeGap, false},
		{"expires exactly at start", []recommend.Waiver{waiver("MC-08", meetingID, start)}, "MC-08", recommend.OutcomeGap, true},
		{"expired before start", []recommend.Waiver{waiver("MC-08", "*", start.Add(-days(30)))}, "MC-08", recommend.OutcomeGap, true},
		{"expires just after start", []recommend.Waiver{waiver("MC-08", "*", start.Add(time.Nanosecond))}, "MC-08", recommend.OutcomeWaived, false},
		{"expired and a valid one", []recommend.Waiver{waiver("MC-08", "*", start), waiver("MC-08", meetingID, start.Add(time.Hour))},
			"MC-08", recommend.OutcomeWaived, false},
		{"a pass stays a pass", []recommend.Waiver{waiver("MC-03", "*", start.Add(time.Hour))}, "MC-03", recommend.OutcomePass, false},
		{"expired on a pass", []recommend.Waiver{waiver("MC-03", "*", start)}, "MC-03", recommend.OutcomePass, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustEngine(t, recommend.Policy{Waivers: tc.waivers}).Check(c)
			res := resultFor(t, rep, tc.id)
			assert.Equal(t, tc.outcome, res.Outcome)
			assert.Equal(t, tc.expired, res.WaiverExpired)
			switch tc.outcome {
			case recommend.OutcomeWaived:
				assert.Equal(t, "long meeting agreed with the patient", res.WaiverReason)
				assert.Equal(t, []string{"meeting.duration_minutes"}, findingPaths(res), "the findings are kept")
				assert.Equal(t, 1, rep.Summary.Outcomes.Waived)
				assert.Equal(t, 0, rep.Summary.Gaps.Advisory)
			default:
				assert.Empty(t, res.WaiverReason)
			}
		})
	}

	// A waived required gap does not make the case non-compliant.
	c = reference(t)
	c.Meeting.Platform = ""
	rep := mustEngine(t, recommend.Policy{Waivers: []recommend.Waiver{waiver("MC-05", "*", start.Add(days(1)))}}).Check(c)
	assert.True(t, rep.Compliant)
}

func TestPolicyRefusals(t *testing.T) {
	expires := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		policy recommend.Policy
		path   string
		msg    string
	}{
		{"unknown profile", recommend.Policy{Profile: "lavish"}, "profile", `unknown profile "lavish"`},
		{"unknown ID to disable", recommend.Policy{Disable: []string{"XX-01"}}, "disable[0]", `unknown recommendation "XX-01"`},
		{"lower-case ID", recommend.Policy{Disable: []string{"mc-08"}}, "disable[0]", "did you mean MC-08"},
		{"disable PC-04", recommend.Policy{Disable: []string{"PC-04"}}, "disable[0]", "PC-04 cannot be disabled"},
		{"disable CS-01", recommend.Policy{Disable: []string{"MC-08", "CS-01"}}, "disable[1]", "CS-01 cannot be disabled"},
		{"disable CS-02", recommend.Policy{Disable: []string{"CS-02"}}, "disable[0]", "CS-02 cannot be disabled"},
		{"disable CS-03", recommend.Policy{Disable: []string{"CS-03"}}, "disable[0]", "CS-03 cannot be disabled"},
		{"disable CS-08", recommend.Policy{Disable: []string{"CS-08"}}, "disable[0]", "CS-08 cannot be disabled"},
		{"unknown ID in severity", recommend.Policy{Severity: map[string]recommend.Severity{"PC-99": "advisory"}}, "severity.PC-99", `unknown recommendation "PC-99"`},
		{"unknown severity", recommend.Policy{Severity: map[string]recommend.Severity{"MC-06": "high"}}, "severity.MC-06", `unknown severity "high"`},
		{"lower CS-03", recommend.Policy{Severity: map[string]recommend.Severity{"CS-03": "recommended"}}, "severity.CS-03", "cannot be lowered"},
		{"lower PC-04", recommend.Policy{Severity: map[string]recommend.Severity{"PC-04": "advisory"}}, "severity.PC-04", "cannot be lowered"},
		{"unknown param", recommend.Policy{Params: map[string]any{"notice_weeks": 1}}, "params.notice_weeks", "unknown parameter"},
		{"string for an int param", recommend.Policy{Params: map[string]any{"notice_days": "3"}}, "params.notice_days", "want a whole number, got a string"},
		{"fraction for an int param", recommend.Policy{Params: map[string]any{"notice_days": 2.5}}, "params.notice_days", "want a whole number"},
		{"negative int param", recommend.Policy{Params: map[string]any{"notice_days": -1}}, "params.notice_days", "must not be negative"},
		{"number for a bool param", recommend.Policy{Params: map[string]any{"allow_professionals_only": 0}}, "params.allow_professionals_only", "want true or false"},
		{"waive PC-04", recommend.Policy{Waivers: []recommend.Waiver{{ID: "PC-04", MeetingID: "*", Reason: "r", Expires: expires}}}, "waivers[0].id", "PC-04 cannot be waived"},
		{"waive CS-01", recommend.Policy{Waivers: []recommend.Waiver{{ID: "CS-01", MeetingID: "*", Reason: "r", Expires: expires}}}, "waivers[0].id", "CS-01 cannot be waived"},
		{"waive CS-02", recommend.Policy{Waivers: []recommend.Waiver{{ID: "CS-02", MeetingID: "*", Reason: "r", Expires: expires}}}, "waivers[0].id", "CS-02 cannot be waived"},
		{"waive CS-03", recommend.Policy{Waivers: []recommend.Waiver{{ID: "CS-03", MeetingID: "*", Reason: "r", Expires: expires}}}, "waivers[0].id", "CS-03 cannot be waived"},
		{"waive CS-08", recommend.Policy{Waivers: []recommend.Waiver{{ID: "CS-08", MeetingID: "*", Reason: "r", Expires: expires}}}, "waivers[0].id", "CS-08 cannot be waived"},
		{"waive an unknown ID", recommend.Policy{Waivers: []recommend.Waiver{{ID: "MC-99", MeetingID: "*", Reason: "r", Expires: expires}}}, "waivers[0].id", `unknown recommendation "MC-99"`},
		{"waiver without reason", recommend.Policy{Waivers: []recommend.Waiver{{ID: "MC-06", MeetingID: "*", Reason: " ", Expires: expires}}}, "waivers[0].reason", "is required"},
		{"waiver without expiry", recommend.Policy{Waivers: []recommend.Waiver{{ID: "MC-06", MeetingID: "*", Reason: "r"}}}, "waivers[0].expires", "is required"},
		{"waiver without meeting", recommend.Policy{Waivers: []recommend.Waiver{{ID: "MC-06", Reason: "r", Expires: expires}}}, "waivers[0].meeting_id", "is required"},
		{"waiver with a bad meeting ID", recommend.Policy{Waivers: []recommend.Waiver{{ID: "MC-06", MeetingID: "all", Reason: "r", Expires: expires}}}, "waivers[0].meeting_id", "is not a UUID"},
		{"waiver without ID", recommend.Policy{Waivers: []recommend.Waiver{{MeetingID: "*", Reason: "r", Expires: expires}}}, "waivers[0].id", "is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := recommend.New(tc.policy)
			require.Error(t, err)
			assert.Nil(t, e)
			assert.ErrorIs(t, err, recommend.ErrPolicy)
			var verr *validation.Error
			require.ErrorAs(t, err, &verr)
			require.Len(t, verr.Problems, 1, "%v", err)
			assert.Equal(t, tc.path, verr.Problems[0].Path)
			assert.Contains(t, verr.Problems[0].Message, tc.msg)
		})
	}
}

func TestPolicyRefusalsAllAtOnce(t *testing.T) {
	_, err := recommend.New(recommend.Policy{
		Profile:  "x",
		Disable:  []string{"CS-08", "ZZ-1"},
		Severity: map[string]recommend.Severity{"MC-06": "low", "AP-01": "advisory"},
		Params:   map[string]any{"b": 1, "a": 1},
	})
	var verr *validation.Error
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, []string{"profile", "disable[0]", "disable[1]", "severity.MC-06", "params.a", "params.b"}, verr.Paths())
}

func TestReadPolicy(t *testing.T) {
	// The example of report-format.md.
	p, err := recommend.ReadPolicy(strings.NewReader(`{
  "profile": "standard",
  "disable": ["MC-08"],
  "severity": {"MC-06": "recommended"},
  "params": {"max_professionals": 5, "notice_days": 2},
  "waivers": [
    {"id": "MC-06", "meeting_id": "*", "reason": "room booked by the clinic", "expires": "2026-12-31T00:00:00Z"}
  ]
}`))
	require.NoError(t, err)
	assert.Equal(t, recommend.ProfileStandard, p.Profile)
	assert.Equal(t, []string{"MC-08"}, p.Disable)
	assert.Equal(t, map[string]any{"max_professionals": 5.0, "notice_days": 2.0}, p.Params)
	require.Len(t, p.Waivers, 1)
	assert.Equal(t, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), p.Waivers[0].Expires)
	e, err := recommend.New(p)
	require.NoError(t, err)
	c := reference(t)
	c.Meeting.Format = meeting.FormatHybrid // MC-06 gap, waived
	res := resultFor(t, e.Check(c), "MC-06")
	assert.Equal(t, recommend.OutcomeWaived, res.Outcome)
	assert.Equal(t, recommend.SeverityRecommended, res.Severity)

	for _, tc := range []struct{ name, json, path, msg string }{
		{"unknown field", `{"profil": "standard"}`, "profil", "unknown field"},
		{"unknown waiver field", `{"waivers": [{"id": "MC-06", "why": "x"}]}`, "waivers[0].why", "unknown field"},
		{"repeated key", `{"profile": "minimal", "profile": "thorough"}`, "profile", "repeated key"},
		{"repeated param", `{"params": {"notice_days": 1, "notice_days": 2}}`, "params.notice_days", "repeated key"},
		{"wrong type", `{"disable": "MC-08"}`, "disable", "got a string, want an array"},
		{"bad time", `{"waivers": [{"expires": "tomorrow"}]}`, "waivers[0].expires", "RFC 3339"},
		{"malformed", `{"profile": }`, "profile", "malformed JSON"},
		{"empty", ``, "", "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := recommend.ReadPolicy(strings.NewReader(tc.json))
			require.Error(t, err)
			assert.ErrorIs(t, err, recommend.ErrPolicy)
			var verr *validation.Error
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, tc.path, verr.Problems[0].Path)
			assert.Contains(t, verr.Problems[0].Message, tc.msg)
		})
	}

	// LoadPolicy reads a file.
	file := filepath.Join(t.TempDir(), "policy.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"profile": "thorough"}`), 0o600))
	p, err = recommend.LoadPolicy(file)
	require.NoError(t, err)
	assert.Equal(t, recommend.ProfileThorough, p.Profile)
	_, err = recommend.LoadPolicy(filepath.Join(t.TempDir(), "missing.json"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// customRule is a valid rule of a clinic's own: every meeting is at most 75 minutes.
func customRule() recommend.Rule {
	return recommend.Rule{
		Recommendation: recommend.Recommendation{
			ID: "ACME-01", Title: "Meetings are at most 75 minutes",
			Statement: "duration_minutes is at most max_acme_minutes.", Theme: recommend.ThemeMeetingClimate,
			Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params: []recommend.Param{{Name: "max_acme_minutes", Default: 75, Doc: "Most minutes."}},
		},
		Check: func(p *recommend.Pass) {
			if p.Meeting.DurationMinutes > p.Int("max_acme_minutes") {
				p.ReportMeeting("meeting.duration_minutes", "the meeting is too long", "Shorten it.")
			}
		},
	}
}

func TestCustomRules(t *testing.T) {
	c := reference(t)
	c.Meeting.DurationMinutes = 80
	e := mustEngine(t, recommend.Policy{}, recommend.WithRules(customRule()))
	rep := e.Check(c)
	require.Len(t, rep.Results, 45)
	last := rep.Results[44]
	assert.Equal(t, "ACME-01", last.ID)
	assert.Equal(t, recommend.OutcomeGap, last.Outcome)
	assert.Equal(t, "Meetings are at most 75 minutes", e.Title("ACME-01"))
	assert.Equal(t, "", e.DocURL("ACME-01"))
	assert.Equal(t, recommend.CatalogueURL+"#pc-05", e.DocURL("PC-05"))

	// A policy may set its parameter, waive, disable and override it.
	rep = mustEngine(t, recommend.Policy{Params: map[string]any{"max_acme_minutes": 80}}, recommend.WithRules(customRule())).Check(c)
	assert.Equal(t, recommend.OutcomePass, rep.Results[44].Outcome)
	rep = mustEngine(t, recommend.Policy{Disable: []string{"ACME-01"}}, recommend.WithRules(customRule())).Check(c)
	assert.Len(t, rep.Results, 44)

	// Replacing the catalogue.
	e = mustEngine(t, recommend.Policy{}, recommend.WithCatalogue(recommend.Catalogue()[:9]), recommend.WithRules(customRule()))
	rep = e.Check(c)
	assert.Len(t, rep.Results, 10)
	assert.Equal(t, "custom", rep.CatalogueVersion)
	e = mustEngine(t, recommend.Policy{}, recommend.WithCatalogue([]recommend.Rule{customRule()}), recommend.WithCatalogueVersion("acme.3"))
	assert.Equal(t, "acme.3", e.Check(c).CatalogueVersion)
	// Without the catalogue, its IDs and parameters are unknown to a policy.
	_, err := recommend.New(recommend.Policy{Disable: []string{"MC-08"}}, recommend.WithCatalogue([]recommend.Rule{customRule()}))
	assert.ErrorContains(t, err, `unknown recommendation "MC-08"`)
}

func TestValidateRules(t *testing.T) {
	valid := customRule()
	mutate := func(f func(r *recommend.Rule)) recommend.Rule {
		r := customRule()
		f(&r)
		return r
	}
	for _, tc := range []struct {
		name  string
		rules []recommend.Rule
		msg   string
	}{
		{"duplicate ID", []recommend.Rule{valid, valid}, "duplicate ID"},
		{"empty ID", []recommend.Rule{mutate(func(r *recommend.Rule) { r.ID = "" })}, "ID is required"},
		{"malformed ID", []recommend.Rule{mutate(func(r *recommend.Rule) { r.ID = "acme 1" })}, "not PREFIX-SUFFIX"},
		{"no title", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Title = "" })}, "Title is required"},
		{"no check", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Check = nil })}, "Check function is required"},
		{"unknown theme", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Theme = "fun" })}, `unknown theme "fun"`},
		{"unknown severity", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Severity = "" })}, `unknown severity ""`},
		{"unknown phase", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Phase = "during" })}, `unknown phase "during"`},
		{"unknown profile", []recommend.Rule{mutate(func(r *recommend.Rule) { r.MinProfile = "lavish" })}, `unknown minimum profile "lavish"`},
		{"param type", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Params[0].Default = "75" })}, "default must be an int or a bool"},
		{"param without default", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Params[0].Default = nil })}, "default must be an int or a bool"},
		{"param name", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Params[0].Name = "MaxMinutes" })}, "not snake_case"},
		{"param doc", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Params[0].Doc = "" })}, "has no Doc"},
		{"param twice", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Params = append(r.Params, r.Params[0]) })}, "declared twice"},
		{"shared param with another default", []recommend.Rule{valid, mutate(func(r *recommend.Rule) {
			r.ID, r.Params[0].Default = "ACME-02", 60
		})}, "declared elsewhere"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := recommend.ValidateRules(tc.rules)
			assert.ErrorIs(t, err, recommend.ErrRuleSet)
			assert.ErrorContains(t, err, tc.msg)
			_, err = recommend.New(recommend.Policy{}, recommend.WithCatalogue(tc.rules))
			assert.ErrorContains(t, err, tc.msg)
		})
	}

	// Custom rules may not take a catalogue prefix, nor a catalogue ID or parameter default.
	for _, id := range []string{"PC-10", "AP-99", "MC-1", "CS-x", "PW-04"} {
		_, err := recommend.New(recommend.Policy{}, recommend.WithRules(mutate(func(r *recommend.Rule) { r.ID = id })))
		assert.ErrorContains(t, err, "catalogue prefix", id)
		assert.ErrorIs(t, err, recommend.ErrRuleSet)
	}
	_, err := recommend.New(recommend.Policy{}, recommend.WithRules(mutate(func(r *recommend.Rule) { r.Params[0].Name = "notice_days" })))
	assert.ErrorContains(t, err, "declared elsewhere")
	// In a replaced catalogue, they may.
	_, err = recommend.New(recommend.Policy{}, recommend.WithCatalogue([]recommend.Rule{mutate(func(r *recommend.Rule) { r.ID = "PC-10" })}))
	assert.NoError(t, err)
}

func TestPanickingRule(t *testing.T) {
	boom := customRule()
	boom.ID = "ACME-02"
	boom.Params = nil
	boom.Check = func(p *recommend.Pass) {
		var m map[string]int
		m["x"]++ // a nil map write panics
	}
	undeclared := customRule()
	undeclared.ID = "ACME-03"
	undeclared.Check = func(p *recommend.Pass) { p.Int("nowhere") }
	e := mustEngine(t, recommend.Policy{}, recommend.WithRules(boom, customRule(), undeclared))
	c := reference(t)
	rep := e.Check(c)
	require.Len(t, rep.Results, 47)
	res := resultFor(t, rep, "ACME-02")
	assert.Equal(t, recommend.OutcomeError, res.Outcome)
	assert.Contains(t, res.Error, "ACME-02 panicked")
	assert.Contains(t, res.Error, "nil map")
	assert.Equal(t, recommend.OutcomePass, resultFor(t, rep, "ACME-01").Outcome, "the next rule is unaffected")
	res = resultFor(t, rep, "ACME-03")
	assert.Equal(t, recommend.OutcomeError, res.Outcome)
	assert.Contains(t, res.Error, `undeclared int parameter "nowhere"`)
	assert.Equal(t, 2, rep.Summary.Outcomes.Error)
	assert.True(t, rep.Compliant, "errors of recommended rules do not break compliance")
	assert.Equal(t, 39+1, rep.Summary.Outcomes.Pass)

	// A required rule that fails makes the case non-compliant.
	boom.Severity = recommend.SeverityRequired
	assert.False(t, mustEngine(t, recommend.Policy{}, recommend.WithRules(boom)).Check(c).Compliant)
}

func TestNotApplicableWins(t *testing.T) {
	r := customRule()
	r.Check = func(p *recommend.Pass) {
		p.ReportMeeting("meeting", "x", "y")
		p.NotApplicable()
	}
	rep := mustEngine(t, recommend.Policy{}, recommend.WithCatalogue([]recommend.Rule{r})).Check(reference(t))
	assert.Equal(t, recommend.OutcomeNotApplicable, rep.Results[0].Outcome)
	assert.Empty(t, rep.Results[0].Findings)
}

func TestFindingsSortedByPath(t *testing.T) {
	r := customRule()
	r.Check = func(p *recommend.Pass) {
		for _, path := range []string{"meeting.participants[10]", "plan", "meeting.participants[9].role", "meeting.agenda[2]", "meeting.participants[9]"} {
			p.ReportMeeting(path, "x", "y")
		}
	}
	rep := mustEngine(t, recommend.Policy{}, recommend.WithCatalogue([]recommend.Rule{r})).Check(reference(t))
	assert.Equal(t, []string{"meeting.agenda[2]", "meeting.participants[9]", "meeting.participants[9].role", "meeting.participants[10]", "plan"},
		findingPaths(rep.Results[0]))
}

func TestComparePaths(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"a[9]", "a[10]", -1}, {"a[10]", "a[9]", 1}, {"a[10]", "a[10]", 0}, {"a[010]", "a[10]", 0},
		{"a", "a[0]", -1}, {"meeting.agenda", "meeting.participants", -1}, {"a[2].b", "a[10]", -1},
		{"", "", 0}, {"plan", "meeting", 1},
	} {
		assert.Equal(t, tc.want, recommend.ComparePaths(tc.a, tc.b), "%s vs %s", tc.a, tc.b)
	}
}

func TestDeterminism(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	c := reference(t)
	c.Meeting.Participants[pSupervisor].JoinsAtItem = uuid.Nil // CS-01, several findings
	c.Meeting.Agenda[iDiscussion].Sensitive = true
	c.Plan = nil
	first, err := json.Marshal(e.Check(c))
	require.NoError(t, err)
	for range 20 {
		again, err := json.Marshal(mustEngine(t, recommend.Policy{}).Check(c))
		require.NoError(t, err)
		require.Equal(t, string(first), string(again))
	}
	var back recommend.Report
	require.NoError(t, json.Unmarshal(first, &back))
	assert.Equal(t, "collabmeet.report/v1", back.Schema)
}

func TestConcurrentCheck(t *testing.T) {
	e := mustEngine(t, recommend.Policy{Waivers: []recommend.Waiver{{ID: "MC-08", MeetingID: "*", Reason: "r", Expires: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}}})
	cases := []*casedoc.Case{reference(t), reference(t), reference(t)}
	cases[1].Meeting.Agenda[iPerspective].Minutes = 1
	cases[2].Plan = nil
	cases[2].Meeting.DurationMinutes = 200
	want := make([]string, len(cases))
	for i, c := range cases {
		b, err := json.Marshal(e.Check(c))
		require.NoError(t, err)
		want[i] = string(b)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 16 {
		wg.Go(func() {
			for n := range 50 {
				i := (g + n) % len(cases)
				b, _ := json.Marshal(e.Check(cases[i]))
				if string(b) != want[i] {
					errs <- fmt.Sprintf("goroutine %d: case %d differs", g, i)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
}

func TestCheckDoesNotModifyTheCase(t *testing.T) {
	c := reference(t)
	c.Plan.Actions[0].OwnerID = dangling
	before, err := json.Marshal(c)
	require.NoError(t, err)
	mustEngine(t, recommend.Policy{Profile: recommend.ProfileThorough}).Check(c)
	after, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
}

func TestCheckNilAndEmptyCase(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	for _, c := range []*casedoc.Case{nil, {}} {
		rep := e.Check(c)
		require.Len(t, rep.Results, 44)
		assert.False(t, rep.Compliant)
		for _, r := range rep.Results {
			assert.NotEqual(t, recommend.OutcomeError, r.Outcome, "%s: %s", r.ID, r.Error)
		}
	}
}

// TestNoFreeTextInFindings fills every free-text field of a case with a
// marker and breaks many recommendations: no finding may carry the marker.
func TestNoFreeTextInFindings(t *testing.T) {
	const secret = "SECRET"
	c := reference(t)
	m := &c.Meeting
	m.Platform = secret + " platform"
	for k := range m.Participants {
		p := &m.Participants[k]
		p.Name, p.Purpose, p.Organization = secret+" name", secret+" purpose", secret+" org"
		p.JoinsAtItem, p.LeavesAfterItem = m.Agenda[iSummary].ID, uuid.Nil
		p.ChangingSoon, p.ChoseLocation, p.PriorContact = true, false, false
	}
	for i := range m.Agenda {
		m.Agenda[i].Title = secret + " title"
		m.Agenda[i].Sensitive, m.Agenda[i].Minutes = true, 1
	}
	m.Kind, m.Format, m.DurationMinutes = meeting.KindCollaboration, meeting.FormatHybrid, 5
	m.Status = meeting.StatusHeld
	c.Plan.PatientGoals = []string{secret + " goal"}
	for i := range c.Plan.Actions {
		c.Plan.Actions[i].Description = secret + " action"
		c.Plan.Actions[i].Due = time.Time{}
	}
	c.Plan.InformedOnlySectors = []string{secret}
	c.Plan.Recipients = []uuid.UUID{m.Participants[pSupervisor].ID}
	c.Consents = nil
	rep := mustEngine(t, recommend.Policy{Profile: recommend.ProfileThorough}).Check(c)
	require.Greater(t, rep.Summary.Outcomes.Gap, 20)
	data, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.NotContains(t, string(data), secret)
	assert.NotContains(t, strings.ToLower(string(data)), "secret")
}

// TestCatalogueDocIsCurrent fails when docs/catalogue.md was not regenerated
// after the catalogue changed.
func TestCatalogueDocIsCurrent(t *testing.T) {
	rules := recommend.Catalogue()
	recs := make([]recommend.Recommendation, len(rules))
	for i := range rules {
		recs[i] = rules[i].Recommendation
	}
	var want bytes.Buffer
	require.NoError(t, recommend.WriteCatalogueMarkdown(&want, recommend.CatalogueVersion, recs))
	got, err := os.ReadFile(filepath.Join(moduleRoot(t), recommend.CatalogueDoc))
	require.NoError(t, err)
	if !assert.Equal(t, want.String(), string(got)) {
		t.Log("docs/catalogue.md is stale: run go generate ./recommend")
	}
	for _, r := range rules {
		assert.Contains(t, string(got), `<a id="`+r.Anchor()+`"></a>`)
	}
}

func TestEngineAccessors(t *testing.T) {
	e := mustEngine(t, recommend.Policy{Severity: map[string]recommend.Severity{"MC-06": recommend.SeverityRecommended}})
	assert.Equal(t, "2026.1", e.CatalogueVersion())
	recs := e.Recommendations()
	require.Len(t, recs, 44)
	assert.Equal(t, "PC-01", recs[0].ID)
	rules := e.Rules()
	require.Len(t, rules, 44)
	rules[1].Params[0].Default = false // a copy
	r, ok := e.Recommendation("PC-02")
	require.True(t, ok)
	assert.Equal(t, true, r.Params[0].Default)
	r, _ = e.Recommendation("MC-06")
	assert.Equal(t, recommend.SeverityRecommended, r.Severity)
	assert.True(t, errors.Is(recommend.ErrPolicy, recommend.ErrPolicy))
	assert.Equal(t, "The patient has room to speak", e.Title("PC-05"))
	assert.Equal(t, "", e.Title("XX-1"))
}
