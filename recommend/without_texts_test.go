package recommend_test

import (
	"testing"

	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithoutTexts: the same codes, args, paths, subjects' IDs and roles
// and outcomes, without the texts of findings or titles; New reads no
// message file (the engine's texts are read when first asked for).
func TestWithoutTexts(t *testing.T) {
	c := reference(t)
	c.Meeting.Participants[refcase.Supervisor].JoinsAtItem = c.Meeting.Agenda[refcase.ItemDiscussion].ID
	c.Meeting.Agenda[refcase.ItemPerspective].LeadID = c.Meeting.Participants[refcase.Physician].ID
	full := mustEngine(t, recommend.Policy{}).Check(c)
	bare := mustEngine(t, recommend.Policy{}, recommend.WithoutTexts()).Check(c)
	require.NotEmpty(t, gapIDs(full))
	require.Equal(t, len(full.Results), len(bare.Results))
	for i := range full.Results {
		f, b := full.Results[i], bare.Results[i]
		assert.Equal(t, f.Outcome, b.Outcome, f.ID)
		assert.NotEmpty(t, f.Title)
		assert.Empty(t, b.Title)
		require.Equal(t, len(f.Findings), len(b.Findings), f.ID)
		for k := range f.Findings {
			ff, bf := f.Findings[k], b.Findings[k]
			assert.NotEmpty(t, ff.Message)
			assert.Empty(t, bf.Message)
			assert.Empty(t, bf.Remedy)
			assert.Empty(t, bf.Subject)
			ff.Message, ff.Remedy, ff.Subject = "", "", ""
			for j := range ff.Fixes {
				ff.Fixes[j].Message = ""
			}
			assert.Equal(t, ff, bf)
		}
	}
}
