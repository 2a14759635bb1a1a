package casegen_test

import (
	"bytes"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGeneratedCasesAreValid(t *testing.T) {
	n := 10_000
	if testing.Short() {
		n = 2_000
	}
	g := casegen.New(1)
	var (
		participants, items, actions, consents = map[int]int{}, map[int]int{}, map[int]int{}, map[int]int{}
		months                                 = map[string]int{}
		defects                                = map[casegen.Defect]int{}
		compliant                              int
	)
	for i := range n {
		c, ds := g.Next()
		require.NoError(t, c.Validate(), "case %d", i)
		// What the generator writes, the strict decoder reads back unchanged.
		data, err := json.Marshal(c)
		require.NoError(t, err)
		back, err := casedoc.Unmarshal(data)
		require.NoError(t, err, "case %d", i)
		require.Equal(t, c, back, "case %d", i)

		participants[len(c.Meeting.Participants)]++
		items[len(c.Meeting.Agenda)]++
		consents[len(c.Consents)]++
		if c.Plan != nil {
			actions[len(c.Plan.Actions)]++
		}
		months[c.Meeting.Start.Format("2006-01")]++
		if len(ds) == 0 {
			compliant++
		}
		for _, d := range ds {
			defects[d]++
			assert.NotEmpty(t, d.Recommendation(), d)
		}
	}
	for k := 3; k <= 20; k++ {
		assert.Positive(t, participants[k], "no case with %d participants", k)
	}
	for k := 4; k <= 12; k++ {
		assert.Positive(t, items[k], "no case with %d agenda items", k)
	}
	for k := 0; k <= 10; k++ {
		assert.Positive(t, actions[k], "no case with %d actions", k)
	}
	assert.Len(t, months, 12, "meetings in every month of 2026")
	for _, d := range casegen.Defects() {
		assert.Positive(t, defects[d], "defect %s never applied", d)
	}
	assert.InDelta(t, 0.5, float64(compliant)/float64(n), 0.15, "about half the cases have no defect")
}

func TestDeterministicBySeed(t *testing.T) {
	encode := func(seed uint64) []byte {
		var buf bytes.Buffer
		g := casegen.New(seed)
		for range 200 {
			data, err := json.Marshal(g.Case())
			require.NoError(t, err)
			buf.Write(data)
			buf.WriteByte('\n')
		}
		return buf.Bytes()
	}
	assert.Equal(t, encode(7), encode(7))
	assert.NotEqual(t, encode(7), encode(8))
}

func TestTypical(t *testing.T) {
	c := casegen.Typical()
	require.NoError(t, c.Validate())
	assert.Len(t, c.Meeting.Participants, 8)
	assert.Len(t, c.Meeting.Agenda, 8)
	require.NotNil(t, c.Plan)
	assert.Len(t, c.Plan.Actions, 6)
	assert.Len(t, c.Consents, 3)
	assert.Equal(t, c, casegen.Typical(), "the same case every time")
	assert.NotSame(t, c, casegen.Typical())
}

func TestDefectRecommendations(t *testing.T) {
	for _, d := range casegen.Defects() {
		assert.Regexp(t, `^(PC|AP|MC|CS|PW)-\d\d$`, d.Recommendation(), d)
	}
	assert.Empty(t, casegen.Defect("nonsense").Recommendation())
}
