package casegen_test

import (
	"testing"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratorTypical: cases of the typical shape are valid, compliant,
// of the typical size, and differ from one another.
func TestGeneratorTypical(t *testing.T) {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	g := casegen.New(3)
	seen := map[string]bool{}
	for i := range 200 {
		c := g.Typical()
		require.NoError(t, c.Validate(), "case %d", i)
		rep := e.Check(c)
		assert.True(t, rep.Compliant, "case %d", i)
		assert.Equal(t, 0, rep.Summary.Outcomes.Gap, "case %d", i)
		assert.Len(t, c.Meeting.Participants, 8)
		assert.Len(t, c.Meeting.Agenda, 8)
		assert.Len(t, c.Plan.Actions, 6)
		assert.Len(t, c.Consents, 3)
		seen[c.Meeting.ID.String()] = true
	}
	assert.Len(t, seen, 200)
	assert.Equal(t, casegen.Typical(), casegen.Typical(), "Typical is deterministic")
}
