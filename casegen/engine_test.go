package casegen_test

import (
	"testing"

	"github.com/collabmeet/collabmeet/casegen"
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
