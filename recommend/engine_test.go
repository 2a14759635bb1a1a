package recommend_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/text/language"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReportShape(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	c := reference(t)
	rep := e.Check(c)
	assert.Equal(t, recommend.ReportSchema, rep.Schema)
	assert.Equal(t, catalogue.Version, rep.CatalogueVersion)
	assert.Equal(t, recommend.English, rep.Lang)
	digest, err := recommend.Policy{}.Digest()
	require.NoError(t, err)
	assert.Equal(t, digest, rep.PolicyDigest)
	assert.Equal(t, c.Meeting.ID, rep.MeetingID)
	assert.True(t, c.Meeting.Start.Equal(rep.MeetingStart))
	assert.Equal(t, recommend.PhaseBefore, rep.Phase)
	assert.Equal(t, recommend.ProfileStandard, rep.Profile)
	assert.True(t, rep.Compliant)
	rules := catalogue.Builtin().Rules
	require.Len(t, rep.Results, len(rules))
	for i, r := range rules {
		res := rep.Results[i]
		assert.Equal(t, r.ID, res.ID, "catalogue order")
		assert.Equal(t, r.Theme, res.Theme)
		assert.NotEmpty(t, res.Title)
		assert.NotEqual(t, r.ID+".title", res.Title, "the title is a text")
		// The reference meeting is planned: every after recommendation is
		// not applicable, every other one passes or does not apply.
		if r.Phase == recommend.PhaseAfter {
			assert.Equal(t, recommend.OutcomeNotApplicable, res.Outcome, r.ID)
		} else {
			assert.Contains(t, []recommend.Outcome{recommend.OutcomePass, recommend.OutcomeNotApplicable}, res.Outcome, r.ID)
		}
	}
	o := rep.Summary.Outcomes
	assert.Equal(t, len(rules), o.Pass+o.NotApplicable)
	assert.Zero(t, o.Gap+o.Error+o.Waived)
	assert.Equal(t, recommend.SeverityCounts{}, rep.Summary.Gaps)
	for _, th := range themeIDs() {
		ts := rep.Summary.Themes.Of(th)
		assert.Equal(t, ts.Applicable, ts.Passed, th)
		assert.Equal(t, 1.0, ts.Score, th)
	}
	assert.Nil(t, rep.Summary.Themes.Of("fun"))

	c.Meeting.Status = meeting.StatusHeld
	assert.Equal(t, recommend.PhaseAfter, e.Check(c).Phase)
	c.Meeting.Status = meeting.StatusCancelled
	assert.Equal(t, recommend.PhaseBefore, e.Check(c).Phase)
}

func TestSummary(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	base := e.Check(reference(t)).Summary
	c := reference(t)
	c.Meeting.Agenda[refcase.ItemPerspective].Minutes = 5               // PC-05 required gap
	c.Meeting.Agenda[refcase.ItemDiscussion].PatientSpeaksFirst = false // PC-09 recommended gap
	c.Meeting.DurationMinutes = 120                                     // MC-08 advisory gap
	rep := e.Check(c)
	assert.False(t, rep.Compliant)
	assert.Equal(t, []string{"PC-05", "PC-09", "MC-08"}, gapIDs(rep))
	assert.Equal(t, recommend.OutcomeCounts{Pass: base.Outcomes.Pass - 3, Gap: 3, NotApplicable: base.Outcomes.NotApplicable},
		rep.Summary.Outcomes)
	assert.Equal(t, recommend.SeverityCounts{Required: 1, Recommended: 1, Advisory: 1}, rep.Summary.Gaps)
	for _, tc := range []struct {
		theme  recommend.Theme
		failed int
	}{{catalogue.ThemePatientCentredness, 2}, {catalogue.ThemeMeetingClimate, 1}, {catalogue.ThemeCommonActionPlan, 0}, {catalogue.ThemePathway, 0}} {
		was, is := base.Themes.Of(tc.theme), rep.Summary.Themes.Of(tc.theme)
		assert.Equal(t, was.Applicable, is.Applicable, tc.theme)
		assert.Equal(t, was.Passed-tc.failed, is.Passed, tc.theme)
		if is.Applicable > 0 {
			assert.InDelta(t, float64(is.Passed)/float64(is.Applicable), is.Score, 1e-12, tc.theme)
		}
	}

	// Only recommended and advisory gaps: compliant.
	c.Meeting.Agenda[refcase.ItemPerspective].Minutes = 10
	rep = e.Check(c)
	assert.True(t, rep.Compliant)
	assert.True(t, rep.Fails(recommend.SeverityRecommended))
	assert.True(t, rep.Fails(recommend.SeverityAdvisory))
	assert.False(t, rep.Fails(recommend.SeverityRequired))
}

// TestSummaryOfEveryOutcome: the engine counts each result as it writes it;
// the summary and Compliant are what counting the results afterwards gives,
// for every outcome (a pass, a gap, an error returned, a panic, not
// applicable by the rule or by the phase, a waived gap, a pass with an
// expired waiver) and every severity, into a report reused from another
// engine and from itself.
func TestSummaryOfEveryOutcome(t *testing.T) {
	c := reference(t)
	report := func(p *recommend.Pass) error {
		p.ReportCase("meeting.duration_minutes", "x", recommend.Args{"n": 1})
		return nil
	}
	rule := func(id string, s recommend.Severity, check func(p *recommend.Pass) error) recommend.Rule {
		r := withCheck(id, check)
		r.Severity = s
		return r
	}
	rules := []recommend.Rule{
		rule("ACME-01", recommend.SeverityRequired, func(*recommend.Pass) error { return nil }),
		rule("ACME-02", recommend.SeverityRequired, report),
		rule("ACME-03", recommend.SeverityAdvisory, func(*recommend.Pass) error { return fmt.Errorf("cannot judge") }),
		rule("ACME-04", recommend.SeverityRecommended, func(p *recommend.Pass) error { report(p); panic("boom") }),
		rule("ACME-05", recommend.SeverityRequired, func(p *recommend.Pass) error { report(p); p.NotApplicable(); return nil }),
		rule("ACME-06", recommend.SeverityRecommended, report),
		rule("ACME-07", recommend.SeverityAdvisory, func(*recommend.Pass) error { return nil }),
		rule("ACME-08", recommend.SeverityAdvisory, report),
		rule("ACME-09", recommend.SeverityRecommended, report),
	}
	rules[7].Phase = recommend.PhaseAfter // not applicable to a planned meeting
	ids := make([]string, len(rules))
	for i := range rules {
		ids[i] = rules[i].ID
	}
	e, err := recommend.New(recommend.Catalogue{Themes: catalogue.Themes(), Rules: rules, Messages: acmeTexts(ids...)}, recommend.Policy{Waivers: []recommend.Waiver{
		{ID: "ACME-06", MeetingID: "*", Reason: "agreed", Expires: c.Meeting.Start.Add(time.Hour)},
		{ID: "ACME-07", MeetingID: "*", Reason: "agreed", Expires: c.Meeting.Start},
	}})
	require.NoError(t, err)
	want := map[string]recommend.Outcome{
		"ACME-01": recommend.OutcomePass, "ACME-02": recommend.OutcomeGap, "ACME-03": recommend.OutcomeError,
		"ACME-04": recommend.OutcomeError, "ACME-05": recommend.OutcomeNotApplicable, "ACME-06": recommend.OutcomeWaived,
		"ACME-07": recommend.OutcomePass, "ACME-08": recommend.OutcomeNotApplicable, "ACME-09": recommend.OutcomeGap,
	}
	var rep recommend.Report
	for _, eng := range []*recommend.Engine{mustEngine(t, recommend.Policy{}), e, e} {
		require.NoError(t, eng.CheckInto(&rep, c))
		var s recommend.Summary
		for _, d := range eng.Themes() {
			s.Themes = append(s.Themes, recommend.ThemeScore{Theme: d.ID})
		}
		compliant := true
		for _, r := range rep.Results {
			if eng == e {
				assert.Equal(t, want[r.ID], r.Outcome, r.ID)
			}
			ts := s.Themes.Of(r.Theme)
			switch r.Outcome {
			case recommend.OutcomePass:
				s.Outcomes.Pass++
				ts.Applicable++
				ts.Passed++
			case recommend.OutcomeGap:
				s.Outcomes.Gap++
				ts.Applicable++
				switch r.Severity {
				case recommend.SeverityRequired:
					s.Gaps.Required++
				case recommend.SeverityRecommended:
					s.Gaps.Recommended++
				case recommend.SeverityAdvisory:
					s.Gaps.Advisory++
				}
			case recommend.OutcomeError:
				s.Outcomes.Error++
				ts.Applicable++
			case recommend.OutcomeNotApplicable:
				s.Outcomes.NotApplicable++
			case recommend.OutcomeWaived:
				s.Outcomes.Waived++
			}
			compliant = compliant && !r.Fails(recommend.SeverityRequired)
		}
		for _, th := range themeIDs() {
			ts := s.Themes.Of(th)
			ts.Score = 1
			if ts.Applicable > 0 {
				ts.Score = float64(ts.Passed) / float64(ts.Applicable)
			}
		}
		assert.Equal(t, s, rep.Summary)
		assert.Equal(t, compliant, rep.Compliant)
	}
	assert.False(t, rep.Compliant, "ACME-02 is a required gap")
	assert.True(t, resultFor(t, &rep, "ACME-07").WaiverExpired)
	assert.Equal(t, "rule ACME-04 failed: panic: boom", resultFor(t, &rep, "ACME-04").Error)
	assert.Empty(t, resultFor(t, &rep, "ACME-05").Findings)
}

func TestThemeScoreWithNothingApplicable(t *testing.T) {
	notApplicable := withCheck("ACME-02", func(p *recommend.Pass) error { p.NotApplicable(); return nil })
	rep := acmeEngine(t, recommend.Policy{}, notApplicable).Check(reference(t))
	assert.Equal(t, recommend.ThemeScore{Theme: catalogue.ThemeMeetingClimate, Score: 1}, *rep.Summary.Themes.Of(catalogue.ThemeMeetingClimate))
	assert.Equal(t, recommend.ThemeScore{Theme: catalogue.ThemePathway, Score: 1}, *rep.Summary.Themes.Of(catalogue.ThemePathway), "a theme without rules")
}

func TestPolicyDisable(t *testing.T) {
	c := reference(t)
	c.Meeting.DurationMinutes = 120 // MC-08 gap
	rep := mustEngine(t, recommend.Policy{Disable: []string{"MC-08", "PW-02"}}).Check(c)
	require.Len(t, rep.Results, builtinCount()-2)
	for _, r := range rep.Results {
		assert.NotContains(t, []string{"MC-08", "PW-02"}, r.ID)
	}
	assert.Empty(t, gapIDs(rep))
	e := mustEngine(t, recommend.Policy{Disable: []string{"MC-08"}})
	assert.Len(t, e.Recommendations(), builtinCount()-1)
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
	_, err := recommend.New(catalogue.Builtin(), recommend.Policy{Severity: map[string]recommend.Severity{"PC-04": recommend.SeverityRequired}})
	assert.NoError(t, err)
}

func TestPolicyParams(t *testing.T) {
	c := reference(t) // agenda and participants sent 7 days before
	for _, tc := range []struct {
		value any
		gap   bool
	}{{7, false}, {8, true}, {7.0, false}, {8.0, true}, {0, false}, {3650, true}} {
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
		cs12    recommend.Outcome
	}{
		{"", recommend.ProfileStandard, outNA, outNA},
		{recommend.ProfileMinimal, recommend.ProfileMinimal, outNA, outNA},
		{recommend.ProfileStandard, recommend.ProfileStandard, outNA, outNA},
		{recommend.ProfileThorough, recommend.ProfileThorough, outGap, outGap},
	} {
		e := mustEngine(t, recommend.Policy{Profile: tc.profile})
		assert.Equal(t, tc.want, e.Profile())
		rep := e.Check(c)
		assert.Equal(t, tc.want, rep.Profile)
		assert.Equal(t, tc.ap08, resultFor(t, rep, "AP-08").Outcome, "AP-08 with %q", tc.profile)
		assert.Equal(t, tc.cs12, resultFor(t, rep, "CS-12").Outcome, "CS-12 with %q", tc.profile)
		assert.Equal(t, outPass, resultFor(t, rep, "CS-02").Outcome, "notes sent to fewer people are no privacy gap")
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
		{"lower CS-12 (waivable) and CS-03 (protected)", recommend.Policy{Severity: map[string]recommend.Severity{"CS-12": "advisory", "CS-03": "advisory"}}, "severity.CS-03", "cannot be lowered"},
		{"lower PC-04", recommend.Policy{Severity: map[string]recommend.Severity{"PC-04": "advisory"}}, "severity.PC-04", "cannot be lowered"},
		{"unknown param", recommend.Policy{Params: map[string]any{"notice_weeks": 1}}, "params.notice_weeks", "unknown parameter"},
		{"string for an int param", recommend.Policy{Params: map[string]any{"notice_days": "3"}}, "params.notice_days", "want a whole number, got a string"},
		{"fraction for an int param", recommend.Policy{Params: map[string]any{"notice_days": 2.5}}, "params.notice_days", "want a whole number"},
		{"negative int param", recommend.Policy{Params: map[string]any{"notice_days": -1}}, "params.notice_days", "out of range: -1 days is outside 0–3650"},
		{"huge int param", recommend.Policy{Params: map[string]any{"notice_days": 106752}}, "params.notice_days", "out of range"},
		{"huge float param", recommend.Policy{Params: map[string]any{"notice_days": 1e300}}, "params.notice_days", "out of range"},
		{"null param", recommend.Policy{Params: map[string]any{"notice_days": nil}}, "params.notice_days", "got null"},
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
			e, err := recommend.New(catalogue.Builtin(), tc.policy)
			require.Error(t, err)
			assert.True(t, e == nil, "no engine")
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
	_, err := recommend.New(catalogue.Builtin(), recommend.Policy{
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
	// The example of docs/report-format.md.
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
	e, err := recommend.New(catalogue.Builtin(), p)
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
		{"no check", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Check = nil })}, "Check function is required"},
		{"theme not snake_case", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Theme = "Fun" })}, `theme "Fun"`},
		{"unknown severity", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Severity = "" })}, "unknown severity"},
		{"unknown phase", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Phase = "during" })}, `unknown phase "during"`},
		{"unknown profile", []recommend.Rule{mutate(func(r *recommend.Rule) { r.MinProfile = "lavish" })}, `unknown minimum profile "lavish"`},
		{"param default over its range", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Params[0] = recommend.ParamMinutes("max_acme_minutes", 1441) })},
			"default out of range: 1441 minutes is outside 0–1440"},
		{"negative param default", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Params[0] = recommend.ParamDays("max_acme_minutes", -1) })},
			"default out of range"},
		{"unknown unit", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Params[0].Unit = "hours" })}, `unknown unit "hours"`},
		{"param name", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Params[0].Name = "MaxMinutes" })}, "not snake_case"},
		{"param twice", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Params = append(r.Params, r.Params[0]) })}, "declared twice"},
		{"reason not snake_case", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Reasons = []string{"Too long"} })}, "not snake_case"},
		{"reason twice", []recommend.Rule{mutate(func(r *recommend.Rule) { r.Reasons = []string{"x", "x"} })}, "declared twice"},
		{"shared param with another default", []recommend.Rule{valid, mutate(func(r *recommend.Rule) {
			r.ID, r.Params[0].Default = "ACME-02", 60
		})}, "declared elsewhere"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := recommend.ValidateRules(tc.rules)
			assert.ErrorIs(t, err, recommend.ErrRuleSet)
			assert.ErrorContains(t, err, tc.msg)
			_, err = recommend.New(recommend.Catalogue{Themes: catalogue.Themes(), Rules: tc.rules, Messages: acmeTexts("ACME-01", "ACME-02")}, recommend.Policy{})
			assert.ErrorIs(t, err, recommend.ErrRuleSet)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

// TestNewRefusesCustomRules: New refuses a custom rule with a prefix of the
// catalogue's, a parameter of the catalogue's with another unit or default,
// and a rule whose English texts are missing.
func TestNewRefusesCustomRules(t *testing.T) {
	rule := func(f func(r *recommend.Rule)) recommend.Rule {
		r := customRule()
		f(&r)
		return r
	}
	texts := func(drop ...string) fstest.MapFS {
		m := map[string]string{}
		require.NoError(t, json.Unmarshal(acmeMessages["acme.en.json"].Data, &m))
		for _, k := range drop {
			delete(m, k)
		}
		data, err := json.Marshal(m)
		require.NoError(t, err)
		return fstest.MapFS{"acme.en.json": {Data: data}}
	}
	type tc struct {
		name string
		rule recommend.Rule
		fs   fstest.MapFS
		msg  string
	}
	var cases []tc
	for _, id := range []string{"PC-10", "AP-99", "MC-1", "CS-x", "PW-04"} {
		cases = append(cases, tc{"prefix of " + id, rule(func(r *recommend.Rule) { r.ID = id }), acmeTexts(id), "uses the catalogue prefix"})
	}
	cases = append(cases,
		tc{"a catalogue parameter with another unit", rule(func(r *recommend.Rule) { r.Params[0] = recommend.ParamMinutes("follow_up_weeks", 26) }),
			acmeMessages, "declared elsewhere"},
		tc{"a catalogue parameter with another default", rule(func(r *recommend.Rule) { r.Params[0] = recommend.ParamDays("notice_days", 5) }),
			acmeMessages, "declared elsewhere"},
		tc{"no messages", customRule(), nil, `no English message "ACME-01.title"`},
		tc{"no title", customRule(), texts("ACME-01.title"), `no English message "ACME-01.title"`},
		tc{"no statement", customRule(), texts("ACME-01.statement"), `"ACME-01.statement"`},
		tc{"no rationale", customRule(), texts("ACME-01.rationale"), `"ACME-01.rationale"`},
		tc{"no message of a reason", customRule(), texts("ACME-01.too_long.message"), `"ACME-01.too_long.message"`},
		tc{"no remedy of a reason", customRule(), texts("ACME-01.x.remedy"), `"ACME-01.x.remedy"`},
		tc{"no parameter text", customRule(), texts("param.max_acme_minutes"), `"param.max_acme_minutes"`},
		tc{"a default out of range", rule(func(r *recommend.Rule) { r.Params[0] = recommend.ParamCount("max_acme_minutes", 1001) }),
			acmeMessages, "default out of range: 1001 count is outside 0–1000"},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := []recommend.Option{recommend.WithRules(c.rule)}
			if c.fs != nil {
				opts = append(opts, recommend.WithMessages(c.fs))
			}
			e, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, opts...)
			assert.True(t, e == nil, "no engine")
			assert.ErrorIs(t, err, recommend.ErrRuleSet)
			assert.ErrorContains(t, err, c.msg)
		})
	}
	// A catalogue of one's own may use any prefix.
	_, err := recommend.New(recommend.Catalogue{Themes: catalogue.Themes(), Rules: []recommend.Rule{rule(func(r *recommend.Rule) { r.ID = "PC-10" })}, Messages: acmeTexts("PC-10")},
		recommend.Policy{})
	assert.NoError(t, err)
	// Messages that are not message files.
	_, err = recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithMessages(fstest.MapFS{"bad.en.json": {Data: []byte("{")}}))
	assert.ErrorIs(t, err, recommend.ErrMessages)
	_, err = recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithLang(language.French))
	assert.ErrorContains(t, err, `no message file in language "fr"`)
}

func TestDeterminism(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	c := reference(t)
	c.Meeting.Participants[refcase.Supervisor].JoinsAtItem = uuid.Nil // CS-01, several findings
	c.Meeting.Agenda[refcase.ItemDiscussion].Sensitive = true
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
	cases[1].Meeting.Agenda[refcase.ItemPerspective].Minutes = 1
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
		require.Len(t, rep.Results, builtinCount())
		assert.False(t, rep.Compliant)
		for _, r := range rep.Results {
			assert.NotEqual(t, recommend.OutcomeError, r.Outcome, "%s: %s", r.ID, r.Error)
		}
	}
	require.ErrorContains(t, e.CheckInto(nil, reference(t)), "nil report")
	_, err := e.CheckValid(nil)
	require.Error(t, err)
	bad := reference(t)
	bad.Meeting.Participants[refcase.GP].ID = bad.Meeting.Participants[refcase.Patient].ID
	_, err = e.CheckValid(bad)
	require.Error(t, err, "a duplicate ID is invalid")
	rep, err := e.CheckValid(reference(t))
	require.NoError(t, err)
	assert.True(t, rep.Compliant)
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
		p.JoinsAtItem, p.LeavesAfterItem = m.Agenda[refcase.ItemSummary].ID, uuid.Nil
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
	c.Plan.Recipients = []uuid.UUID{m.Participants[refcase.Supervisor].ID}
	c.Consents = nil
	rep := mustEngine(t, recommend.Policy{Profile: recommend.ProfileThorough}).Check(c)
	require.Greater(t, rep.Summary.Outcomes.Gap, 20)
	data, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.NotContains(t, string(data), secret)
	assert.NotContains(t, strings.ToLower(string(data)), "secret")
}

func TestEngineAccessors(t *testing.T) {
	e := mustEngine(t, recommend.Policy{Severity: map[string]recommend.Severity{"MC-06": recommend.SeverityRecommended}}, recommend.WithLang(recommend.Bokmal))
	assert.Equal(t, catalogue.Version, e.CatalogueVersion())
	assert.Equal(t, recommend.Bokmal, e.Lang())
	assert.Equal(t, recommend.ProfileStandard, e.Profile())
	recs := e.Recommendations()
	require.Len(t, recs, builtinCount())
	assert.Equal(t, catalogue.Builtin().Rules[0].ID, recs[0].ID)
	recs[0].Reasons[0] = "changed" // a copy
	assert.NotEqual(t, "changed", e.Recommendations()[0].Reasons[0])
	r, ok := e.Recommendation("PW-01")
	require.True(t, ok)
	r.Params[0].Default = 99 // a copy
	r, _ = e.Recommendation("PW-01")
	assert.Equal(t, 12, r.Params[0].Default)
	r, ok = e.Recommendation("MC-06")
	require.True(t, ok, "MC-06 is in the full catalogue")
	assert.Equal(t, recommend.SeverityRecommended, r.Severity)
	_, ok = e.Recommendation("XX-1")
	assert.False(t, ok)
	assert.Equal(t, "The meeting is held within the pathway's time", e.Text(recommend.English, "PW-01.title", nil))
	assert.Equal(t, "3 weeks", e.Text(recommend.English, "unit.weeks", recommend.Args{"count": 3}))
	assert.Equal(t, "XX-1.title", e.Text(recommend.English, "XX-1.title", nil), "a missing text shows its ID")

	// The engine keeps its own copy of the policy.
	p := recommend.Policy{Disable: []string{"PW-02"}}
	e = mustEngine(t, p)
	p.Disable[0] = "PW-01"
	assert.Equal(t, []string{"PW-02"}, e.Policy().Disable)
}
