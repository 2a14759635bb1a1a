package recommendtest_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
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

// markerRule is a clinic's rule that always reports one gap.
var markerRule = recommend.Rule{
	Recommendation: recommend.Recommendation{
		ID: "ACME-01", Title: "Interpreter booked", Statement: "An interpreter is booked when needed.",
		Rationale: "Test rule.", Source: "ACME", Theme: recommend.ThemeMeetingClimate,
		Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
	},
	Check: func(p *recommend.Pass) {
		p.ReportMeeting("meeting", "no interpreter booked", "book an interpreter")
	},
}

var panickyRule = recommend.Rule{
	Recommendation: recommend.Recommendation{
		ID: "ACME-02", Title: "Panics", Statement: "Panics.", Rationale: "Test rule.", Source: "ACME",
		Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseBefore,
	},
	Check: func(p *recommend.Pass) { panic("boom") },
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
	assert.Regexp(t, `^meeting [0-9a-f-]{36}: 1 gap\nPC-05 \(required\) at meeting\.agenda\[2\]\.lead_id: .+`, err.Error())
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
		{name: "custom rule", c: c, opts: []recommendtest.Option{recommendtest.WithRules(markerRule)}, wantIDs: []string{"ACME-01"}},
		{name: "a panicking rule is an error outcome", c: c, opts: []recommendtest.Option{recommendtest.WithRules(panickyRule)}, wantIDs: []string{"ACME-02"}},
		{name: "policy disables", c: noVoice(), opts: []recommendtest.Option{recommendtest.WithPolicy(recommend.Policy{Severity: map[string]recommend.Severity{"PC-05": recommend.SeverityAdvisory}}), recommendtest.FailOn(recommend.SeverityRecommended)}},
		{name: "fail on advisory by default", c: noVoice(), opts: []recommendtest.Option{recommendtest.WithPolicy(recommend.Policy{Severity: map[string]recommend.Severity{"PC-05": recommend.SeverityAdvisory}})}, wantIDs: []string{"PC-05"}},
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
	e, err := recommend.New(recommend.Policy{Disable: []string{"PC-05"}})
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
			[]string{"is not compliant: 1 gap:\n\tPC-05 (required) at meeting.agenda[2].lead_id: "}},
		{"compliant ignores recommended gaps", func(t recommendtest.TestingT) bool {
			c := casegen.Typical()
			c.Meeting.Agenda[4].PatientSpeaksFirst = false // PC-09, recommended
			return recommendtest.AssertCompliant(t, c)
		}, true, nil},
		{"compliant with FailOn counts recommended gaps", func(t recommendtest.TestingT) bool {
			c := casegen.Typical()
			c.Meeting.Agenda[4].PatientSpeaksFirst = false
			return recommendtest.AssertCompliant(t, c, recommendtest.FailOn(recommend.SeverityRecommended))
		}, false, []string{"PC-09 (recommended)"}},
		{"custom rule counts", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertCompliant(t, typical, recommendtest.WithRules(markerRule))
		}, false, []string{"ACME-01 (required) at meeting: no interpreter booked: book an interpreter"}},
		{"a rule error counts", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertCompliant(t, typical, recommendtest.WithRules(panickyRule))
		}, false, []string{"ACME-02 (advisory) error: rule ACME-02 panicked: boom"}},
		{"gap passes", func(t recommendtest.TestingT) bool { return recommendtest.AssertGap(t, gap, "PC-05") }, true, nil},
		{"gap fails on a pass", func(t recommendtest.TestingT) bool { return recommendtest.AssertGap(t, typical, "PC-05") }, false,
			[]string{"want a gap for PC-05, got pass"}},
		{"gap fails on not applicable", func(t recommendtest.TestingT) bool { return recommendtest.AssertGap(t, typical, "AP-09") }, false,
			[]string{"want a gap for AP-09, got not applicable"}},
		{"gap fails on an error", func(t recommendtest.TestingT) bool {
			return recommendtest.AssertGap(t, typical, "ACME-02", recommendtest.WithRules(panickyRule))
		}, false, []string{"want a gap for ACME-02, but the rule failed: rule ACME-02 panicked: boom"}},
		{"gap fails on an unknown ID", func(t recommendtest.TestingT) bool { return recommendtest.AssertGap(t, typical, "PC-99") }, false,
			[]string{"no result for PC-99"}},
		{"no gap passes", func(t recommendtest.TestingT) bool { return recommendtest.AssertNoGap(t, typical, "PC-05") }, true, nil},
		{"no gap passes on not applicable", func(t recommendtest.TestingT) bool { return recommendtest.AssertNoGap(t, typical, "AP-09") }, true, nil},
		{"no gap fails with the findings", func(t recommendtest.TestingT) bool { return recommendtest.AssertNoGap(t, gap, "PC-05") }, false,
			[]string{"want no gap for PC-05, got:\n\tPC-05 (required) at meeting.agenda[2].lead_id: "}},
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
