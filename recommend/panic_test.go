package recommend_test

import (
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPanickingRuleIsAnError: a rule that panics gets the outcome error with
// the panic's value, the rules before and after it run as usual (the engine
// recovers once for a run of rules and goes on after the one that
// panicked), and so does the next check into the same report.
func TestPanickingRuleIsAnError(t *testing.T) {
	long := func(p *recommend.Pass) error {
		p.ReportCase("meeting.duration_minutes", "too_long", recommend.Args{"minutes": 75})
		return nil
	}
	boom := func(p *recommend.Pass) error {
		p.ReportCase("meeting.duration_minutes", "x", nil)
		panic("boom")
	}
	e, err := recommend.New(recommend.Catalogue{Themes: catalogue.Themes(),
		Rules:    []recommend.Rule{withCheck("ACME-01", long), withCheck("ACME-02", boom), withCheck("ACME-03", boom), withCheck("ACME-04", long)},
		Messages: acmeTexts("ACME-01", "ACME-02", "ACME-03", "ACME-04"),
	}, recommend.Policy{})
	require.NoError(t, err)
	var rep recommend.Report
	for range 2 {
		require.NoError(t, e.CheckInto(&rep, reference(t)))
		require.Len(t, rep.Results, 4)
		for i, want := range []recommend.Outcome{recommend.OutcomeGap, recommend.OutcomeError, recommend.OutcomeError, recommend.OutcomeGap} {
			r := rep.Results[i]
			assert.Equal(t, want, r.Outcome, r.ID)
			if want == recommend.OutcomeError {
				assert.Equal(t, "rule "+r.ID+" failed: panic: boom", r.Error)
				assert.Empty(t, r.Findings)
			} else {
				assert.Len(t, r.Findings, 1)
			}
		}
		assert.Equal(t, 2, rep.Summary.Outcomes.Error)
		assert.Equal(t, 2, rep.Summary.Outcomes.Gap)
	}
}
