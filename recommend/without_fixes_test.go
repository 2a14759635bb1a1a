package recommend_test

import (
	"encoding/json"
	"testing"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithoutFixes: on mixed cases as collabmeet generate makes them, an
// engine made WithoutFixes gives the same reports as one made without it,
// less the fixes; folded into an aggregate, byte for byte the same. The
// cases must include planned meetings whose gaps have fixes, or the test
// would prove nothing.
func TestWithoutFixes(t *testing.T) {
	full := mustEngine(t, recommend.Policy{}, recommend.WithoutTexts())
	bare := mustEngine(t, recommend.Policy{}, recommend.WithoutTexts(), recommend.WithoutFixes())
	g := casegen.New(1)
	var fullAgg, bareAgg recommend.Aggregate
	fixed := 0
	for range 300 {
		c := g.Case()
		f, b := full.Check(c), bare.Check(c)
		fullAgg.Add(f)
		bareAgg.Add(b)
		require.Len(t, b.Results, len(f.Results))
		for i := range f.Results {
			require.Len(t, b.Results[i].Findings, len(f.Results[i].Findings), f.Results[i].ID)
			for k := range f.Results[i].Findings {
				ff, bf := f.Results[i].Findings[k], b.Results[i].Findings[k]
				assert.Empty(t, bf.Fixes, "%s: a fix WithoutFixes", ff.Code)
				if len(ff.Fixes) > 0 {
					require.Equal(t, meeting.StatusPlanned, c.Meeting.Status)
					fixed++
				}
				ff.Fixes = nil
				assert.Equal(t, ff, bf)
			}
			f.Results[i].Findings, b.Results[i].Findings = nil, nil
			assert.Equal(t, f.Results[i], b.Results[i])
		}
		assert.Equal(t, f.Summary, b.Summary)
		assert.Equal(t, f.Compliant, b.Compliant)
	}
	require.Positive(t, fixed, "no finding with a fix among the cases")
	want, err := json.Marshal(&fullAgg)
	require.NoError(t, err)
	got, err := json.Marshal(&bareAgg)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
	assert.Equal(t, string(want), string(got))
}

// TestWithoutFixesComputesNone: WithoutFixes skips the work, not only its
// result: checking a planned case whose gaps have fixes allocates less
// without them (the fixes' drafts and patches are never built).
func TestWithoutFixesComputesNone(t *testing.T) {
	full := mustEngine(t, recommend.Policy{}, recommend.WithoutTexts())
	bare := mustEngine(t, recommend.Policy{}, recommend.WithoutTexts(), recommend.WithoutFixes())
	g := casegen.New(1)
	for range 300 {
		c := g.Case()
		if !hasFix(full.Check(c)) {
			continue
		}
		var rf, rb recommend.Report
		withFixes := testing.AllocsPerRun(20, func() { require.NoError(t, full.CheckInto(&rf, c)) })
		without := testing.AllocsPerRun(20, func() { require.NoError(t, bare.CheckInto(&rb, c)) })
		assert.Less(t, without, withFixes)
		return
	}
	t.Fatal("no case with a fix among the generated cases")
}

func hasFix(rep *recommend.Report) bool {
	for _, r := range rep.Results {
		for _, f := range r.Findings {
			if len(f.Fixes) > 0 {
				return true
			}
		}
	}
	return false
}
