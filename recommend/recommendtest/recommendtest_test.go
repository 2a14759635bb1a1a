package recommendtest_test

import (
	"errors"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/text/language"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/recommendtest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// *testing.T, *testing.B and *testing.F are TestingTs.
var (
	_ recommendtest.TestingT = (*testing.T)(nil)
	_ recommendtest.TestingT = (*testing.B)(nil)
	_ recommendtest.TestingT = (*testing.F)(nil)
)

// fakeT records what the assertions report.
type fakeT struct {
	errors  []string
	helpers int
}

func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeT) Helper() { f.helpers++ }

// noVoice is the typical case with the patient's perspective led by the
// leader: a PC-05 gap.
func noVoice() *casedoc.Case {
	c := casegen.Typical()
	for i := range c.Meeting.Agenda {
		if c.Meeting.Agenda[i].Kind == meeting.ItemPatientPerspective {
			c.Meeting.Agenda[i].LeadID = c.Meeting.LeaderID
		}
	}
	return c
}

// acmeMessages are the texts of the clinic's rules.
var acmeMessages = fstest.MapFS{"acme.en.json": {Data: []byte(`{
  "ACME-01.title": "Interpreter booked",
  "ACME-01.statement": "An interpreter is booked when needed.",
  "ACME-01.rationale": "Test rule.",
  "ACME-01.no_interpreter.message": "No interpreter is booked.",
  "ACME-01.no_interpreter.remedy": "Book an interpreter.",
  "ACME-02.title": "Fails",
  "ACME-02.statement": "Fails.",
  "ACME-02.rationale": "Test rule.",
  "theme.meeting_climate": "A good meeting climate"
}`)}}

// markerRule is a clinic's rule that always reports one gap.
var markerRule = recommend.Rule{
	Recommendation: recommend.Recommendation{
		ID: "ACME-01", Source: "ACME", Theme: catalogue.ThemeMeetingClimate,
		Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore, Reasons: []string{"no_interpreter"},
	},
	Check: func(p *recommend.Pass) error {
		p.ReportCase("meeting", "no_interpreter", nil)
		return nil
	},
}

// failingRule is a clinic's advisory rule that cannot judge any case.
var failingRule = recommend.Rule{
	Recommendation: recommend.Recommendation{
		ID: "ACME-02", Source: "ACME", Theme: catalogue.ThemeMeetingClimate,
		Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseBefore,
	},
	Check: func(p *recommend.Pass) error { return errors.New("boom") },
}

// acme adds the clinic's rules and their texts.
func acme(rules ...recommend.Rule) []recommendtest.Option {
	return []recommendtest.Option{recommendtest.WithRules(rules...), recommendtest.WithMessages(acmeMessages)}
}

func TestCheck(t *testing.T) {
	require.NoError(t, recommendtest.Check(casegen.Typical()))

	err := recommendtest.Check(noVoice())
	require.Error(t, err)
	var ge *recommendtest.GapError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, []string{"PC-05"}, ge.IDs())
	assert.True(t, ge.Has("PC-05"))
	assert.False(t, ge.Has("PC-01"))
	var gap *recommendtest.Gap
	require.ErrorAs(t, err, &gap, "each gap is in the error tree")
	assert.Equal(t, "PC-05", gap.ID)
	assert.Equal(t, recommend.SeverityRequired, gap.Severity)
	assert.Regexp(t, `^meeting [0-9a-f-]{36}: 1 gap\nPC-05 .+ \(required\)\n  agenda item 3 \(.+\): .+ \[meeting\.agenda\[2\]\.lead_id\]`, err.Error())
	assert.Same(t, ge.Gap("PC-05"), gap)
	assert.Nil(t, ge.Gap("PC-01"))
}

func TestCheckOptions(t *testing.T) {
	c := casegen.Typical()
	tests := []struct {
		name    string
		c       *casedoc.Case
		opts    []recommendtest.Option
		wantIDs []string
		wantErr string
	}{
		{name: "custom rule", c: c, opts: acme(markerRule), wantIDs: []string{"ACME-01"}},
		{name: "custom rule without its texts", c: c, opts: []recommendtest.Option{recommendtest.WithRules(markerRule)}, wantErr: `no English message "ACME-01.title"`},
		{name: "an advisory rule error does not count by default", c: c, opts: acme(failingRule)},
		{name: "an advisory rule error counts at advisory", c: c, opts: append(acme(failingRule), recommendtest.FailOn(recommend.SeverityAdvisory)), wantIDs: []string{"ACME-02"}},
		{name: "policy lowers below the threshold", c: noVoice(), opts: []recommendtest.Option{recommendtest.WithPolicy(recommend.Policy{Severity: map[string]recommend.Severity{"PC-05": recommend.SeverityAdvisory}}), recommendtest.FailOn(recommend.SeverityRecommended)}},
		{name: "required is the default threshold", c: noVoice(), opts: []recommendtest.Option{recommendtest.WithPolicy(recommend.Policy{Severity: map[string]recommend.Severity{"PC-05": recommend.SeverityAdvisory}})}},
		{name: "advisory threshold", c: noVoice(), opts: []recommendtest.Option{recommendtest.WithPolicy(recommend.Policy{Severity: map[string]recommend.Severity{"PC-05": recommend.SeverityAdvisory}}), recommendtest.FailOn(recommend.SeverityAdvisory)}, wantIDs: []string{"PC-05"}},
		{name: "waived", c: noVoice(), opts: []recommendtest.Option{recommendtest.WithPolicy(recommend.Policy{Waivers: []recommend.Waiver{{ID: "PC-05", MeetingID: "*", Reason: "r", Expires: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}}})}},
		{name: "unknown threshold", c: c, opts: []recommendtest.Option{recommendtest.FailOn("high")}, wantErr: `unknown severity "high"`},
		{name: "unknown language", c: c, opts: []recommendtest.Option{recommendtest.WithLang(language.French)}, wantErr: `no message file in language "fr"`},
		{name: "own catalogue", c: noVoice(), opts: append(acme(), recommendtest.WithCatalogue(recommend.Catalogue{Themes: []recommend.ThemeDef{{ID: catalogue.ThemeMeetingClimate}}, Rules: []recommend.Rule{markerRule}, Messages: acmeMessages})), wantIDs: []string{"ACME-01"}},
		{name: "bad policy", c: c, opts: []recommendtest.Option{recommendtest.WithPolicy(recommend.Policy{Disable: []string{"XX-99"}})}, wantErr: "XX-99"},
		{name: "invalid case", c: &casedoc.Case{}, wantErr: "the case is invalid"},
		{name: "nil case", c: nil, wantErr: "nil case"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := recommendtest.Check(tt.c, tt.opts...)
			var ge *recommendtest.GapError
			switch {
			case tt.wantErr != "":
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.False(t, errors.As(err, &ge))
			case tt.wantIDs == nil:
				assert.NoError(t, err)
			default:
				require.ErrorAs(t, err, &ge)
				assert.Equal(t, tt.wantIDs, ge.IDs())
			}
		})
	}
}

func TestWithEngine(t *testing.T) {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{Disable: []string{"PC-05"}})
	require.NoError(t, err)
	assert.NoError(t, recommendtest.Check(noVoice(), recommendtest.WithEngine(e)))
	ft := &fakeT{}
	assert.False(t, recommendtest.AssertGap(ft, noVoice(), "PC-05", recommendtest.WithEngine(e)))
	assert.Contains(t, ft.errors[0], "no result for PC-05: not in the catalogue, or disabled by the policy")
}

func TestAssertions(t *testing.T) {
	typical, gap := casegen.Typical(), noVoice()
	tests := []struct {
		name   string
		assert func(recommendtest.TestingT) bool
		ok     bool
		want   []string // substrings of the one message, when not ok
	}{
		{"compliant passes", func(t recommendtest.TestingT) bool { return recommendtest.AssertCompliant(t, typical) }, true, nil},
		{"compliant fails with the gaps listed", func(t recommendtest.TestingT) bool { return recommendtest.AssertCompliant(t, gap) }, false,
			[]string{"is not compliant (threshold required): 1 gap:\n\tPC-05 ", " (required)\n\t  agenda item 3 (", "[meeting.agenda[2].lead_id]"}},
		{"compliant ignores recommended gaps", func(t recommendtest.TestingT) bool {
			c := casegen.Typical()
			c.Meeting.Agenda[4].PatientSpeaksFirst = false // PC-09, recommended
			return recommendtest.AssertCompliant(t, c)
		}, true, nil},
		{"compliant with FailOn counts recommended gaps", func(t recommendtest.TestingT) bool {
			c := casegen.Typical()
			c.Meeting.Agenda[4].PatientSpeaksFirst = false
			return recommendtest.AssertCompliant(t, c, recommendtest.FailOn(recommend.SeverityRecommended))
		}, false, []string{"PC-09 The patient speaks first (recommended)"}},
		{"custom rule counts", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertCompliant(t, typical, acme(markerRule)...)
		}, false, []string{"ACME-01 Interpreter booked (required)\n\t  the meeting: No interpreter is booked. Book an interpreter. [meeting]"}},
		{"a rule error counts at its severity", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertCompliant(t, typical, append(acme(failingRule), recommendtest.FailOn(recommend.SeverityAdvisory))...)
		}, false, []string{"ACME-02 Fails (advisory)\n\t  error: rule ACME-02 failed: boom"}},
		{"an expired waiver is said", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertCompliant(t, gap, recommendtest.WithPolicy(recommend.Policy{Waivers: []recommend.Waiver{
				{ID: "PC-05", MeetingID: "*", Reason: "r", Expires: gap.Meeting.Start.Add(-time.Hour)}}}))
		}, false, []string{"PC-05 ", "a waiver for it had expired by the meeting start"}},
		{"in bokmål", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertCompliant(t, typical, append(acme(markerRule), recommendtest.WithLang(recommend.Bokmal))...)
		}, false, []string{"er ikke i samsvar med anbefalingene, med terskel må (påkrevd): 1 mangel:", "ACME-01 Interpreter booked – må (påkrevd)", "møtet"}},
		{"gap fails on a pass, in bokmål", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertGap(t, typical, "PC-05", recommendtest.WithLang(recommend.Bokmal))
		}, false, []string{"ventet en mangel for PC-05, fikk oppfylt"}},
		{"no gap fails on an unknown ID, in bokmål", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertNoGap(t, typical, "PC-5", recommendtest.WithLang(recommend.Bokmal))
		}, false, []string{"intet resultat for PC-5"}},
		{"gap passes", func(t recommendtest.TestingT) bool { return recommendtest.AssertGap(t, gap, "PC-05") }, true, nil},
		{"gap fails on a pass", func(t recommendtest.TestingT) bool { return recommendtest.AssertGap(t, typical, "PC-05") }, false,
			[]string{"want a gap for PC-05, got pass"}},
		{"gap fails on not applicable", func(t recommendtest.TestingT) bool { return recommendtest.AssertGap(t, typical, "AP-09") }, false,
			[]string{"want a gap for AP-09, got not applicable"}},
		{"gap fails on an error", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertGap(t, typical, "ACME-02", acme(failingRule)...)
		}, false, []string{"want a gap for ACME-02, but the rule failed: rule ACME-02 failed: boom"}},
		{"gap fails on an unknown ID", func(t recommendtest.TestingT) bool { return recommendtest.AssertGap(t, typical, "PC-99") }, false,
			[]string{"no result for PC-99"}},
		{"no gap passes", func(t recommendtest.TestingT) bool { return recommendtest.AssertNoGap(t, typical, "PC-05") }, true, nil},
		{"no gap passes on not applicable", func(t recommendtest.TestingT) bool { return recommendtest.AssertNoGap(t, typical, "AP-09") }, true, nil},
		{"no gap fails with the findings", func(t recommendtest.TestingT) bool { return recommendtest.AssertNoGap(t, gap, "PC-05") }, false,
			[]string{"want no gap for PC-05, got:\n\tPC-05 ", "[meeting.agenda[2].lead_id]"}},
		{"no gap fails on an unknown ID", func(t recommendtest.TestingT) bool { return recommendtest.AssertNoGap(t, typical, "PC-5") }, false,
			[]string{"no result for PC-5"}},
		{"invalid case fails every assertion", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertNoGap(t, &casedoc.Case{}, "PC-05")
		}, false, []string{"the case is invalid", "meeting.id: is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &fakeT{}
			assert.Equal(t, tt.ok, tt.assert(ft))
			assert.Positive(t, ft.helpers, "Helper is called")
			if tt.ok {
				assert.Empty(t, ft.errors)
				return
			}
			require.Len(t, ft.errors, 1, "one message per failed assertion")
			for _, w := range tt.want {
				assert.Contains(t, ft.errors[0], w)
			}
		})
	}
}

// The messages name IDs, roles and paths, never free text of the case.
func TestMessagesHoldNoFreeText(t *testing.T) {
	const marker = "SECRET-NAME-MARKER"
	c := noVoice()
	for i := range c.Meeting.Participants {
		c.Meeting.Participants[i].Name = marker
		c.Meeting.Participants[i].Purpose = marker
	}
	for i := range c.Meeting.Agenda {
		c.Meeting.Agenda[i].Title = marker
	}
	c.Plan.PatientGoals = nil // PC-08 too
	c.Meeting.Status = meeting.StatusHeld
	for i := range c.Plan.Actions {
		c.Plan.Actions[i].Description = marker
		c.Plan.Actions[i].OwnerID = uuid.Nil // AP-04 too
	}
	err := recommendtest.Check(c)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), marker)
	ft := &fakeT{}
	recommendtest.AssertCompliant(ft, c)
	recommendtest.AssertNoGap(ft, c, "AP-04")
	require.Len(t, ft.errors, 2)
	for _, e := range ft.errors {
		assert.NotContains(t, e, marker)
	}
}

// TestOneMeaningOfCompliant: with the default threshold, Check
// returns nil, AssertCompliant passes and the report is compliant together,
// for generated cases under several policies.
func TestOneMeaningOfCompliant(t *testing.T) {
	g := casegen.New(3)
	for _, p := range []recommend.Policy{{}, {Profile: recommend.ProfileThorough}, {Severity: map[string]recommend.Severity{"PW-02": recommend.SeverityRequired}}} {
		e, err := recommend.New(catalogue.Builtin(), p)
		require.NoError(t, err)
		for i := range 200 {
			c := g.Case()
			if c.Validate() != nil {
				continue
			}
			if i%2 == 0 {
				c.Meeting.Status = meeting.StatusHeld
			}
			rep := e.Check(c)
			for _, th := range recommend.Severities() {
				ft := &fakeT{}
				ok := recommendtest.AssertCompliant(ft, c, recommendtest.WithEngine(e), recommendtest.FailOn(th))
				err := recommendtest.Check(c, recommendtest.WithEngine(e), recommendtest.FailOn(th))
				assert.Equal(t, !rep.Fails(th), ok, "case %d at %s", i, th)
				assert.Equal(t, ok, err == nil, "case %d at %s: %v", i, th, err)
				if th == recommend.SeverityRequired {
					assert.Equal(t, rep.Compliant, ok, "case %d", i)
				}
			}
		}
	}
}
