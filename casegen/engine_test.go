package casegen_test

import (
	"slices"
	"testing"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDefectsAreTheGaps checks the generator against the engine: a case
// without defects has no required gap, and each defect gives a gap for its
// recommendation.
func TestDefectsAreTheGaps(t *testing.T) {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	n := 3_000
	if testing.Short() {
		n = 500
	}
	g := casegen.New(3)
	gapsOfClean := map[string]int{}
	for i := range n {
		c, defects := g.Next()
		rep := e.Check(c)
		outcome := map[string]recommend.Result{}
		for _, r := range rep.Results {
			outcome[r.ID] = r
		}
		if len(defects) == 0 {
			if !assert.True(t, rep.Compliant, "case %d has no defect but is not compliant", i) {
				for _, r := range rep.Results {
					if r.Outcome == recommend.OutcomeGap && r.Severity == recommend.SeverityRequired {
						t.Logf("  %s %+v", r.ID, r.Findings)
					}
				}
			}
			for _, r := range rep.Results {
				if r.Outcome == recommend.OutcomeGap {
					gapsOfClean[r.ID]++
				}
			}
		}
		for _, d := range defects {
			r := outcome[d.Recommendation()]
			assert.Equal(t, recommend.OutcomeGap, r.Outcome, "case %d: defect %s should give a gap for %s", i, d, d.Recommendation())
		}
	}
	t.Logf("gaps of cases without defects: %v", gapsOfClean)
}

func TestTypicalIsCompliant(t *testing.T) {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	rep := e.Check(casegen.Typical())
	for _, r := range rep.Results {
		assert.NotEqual(t, recommend.OutcomeGap, r.Outcome, "%s: %+v", r.ID, r.Findings)
	}
}

// TestCheckInsAndSpokespersons: the generator gives short follow-up
// check-ins and patients' items led by next of kin (catalogue 2026.3), and
// without defects they have no gap of PC-05 or AP-01, and a check-in none of
// AP-05 or PW-03.
func TestCheckInsAndSpokespersons(t *testing.T) {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	g := casegen.New(11)
	checkIns, short, spokespersons := 0, 0, 0
	for range 2_000 {
		c, defects := g.Next()
		m := &c.Meeting
		checkIn := m.Kind == meeting.KindFollowUp && c.Plan != nil && c.Plan.FollowUp != nil &&
			c.Plan.FollowUp.Intensity == plan.IntensityCheckIn && len(m.Agenda) <= 5
		if checkIn && m.DurationMinutes < 30 {
			short++
		}
		spokesperson := false
		for _, it := range m.Agenda {
			if p := m.Participant(it.LeadID); it.Kind == meeting.ItemPatientPerspective && p != nil && p.Role == meeting.RoleNextOfKin {
				spokesperson = true
			}
		}
		if checkIn {
			checkIns++
		}
		if spokesperson {
			spokespersons++
		}
		if len(defects) > 0 || !checkIn && !spokesperson {
			continue
		}
		rep := e.Check(c)
		ids := []string{"PC-05", "AP-01"}
		if checkIn {
			ids = append(ids, "AP-05", "PW-03")
		}
		for _, r := range rep.Results {
			if slices.Contains(ids, r.ID) {
				assert.NotEqual(t, recommend.OutcomeGap, r.Outcome, "%s: %+v", r.ID, r.Findings)
			}
		}
	}
	t.Logf("%d check-ins (%d shorter than 30 minutes), %d items led by next of kin", checkIns, short, spokespersons)
	assert.Greater(t, checkIns, 20)
	assert.Greater(t, short, 10)
	assert.Greater(t, spokespersons, 20)
}
