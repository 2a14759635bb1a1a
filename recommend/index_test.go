package recommend_test

import (
	"encoding/json"
	"testing"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/require"
)

// TestIndexMatchesScans checks that the maps a large case gets (participants,
// items, consents, ID lists) give the same reports as the scans of a case of
// usual size: every list is indexed by map when the small-list length is 0.
func TestIndexMatchesScans(t *testing.T) {
	for _, profile := range recommend.Profiles() {
		e, err := recommend.New(catalogue.Builtin(), recommend.Policy{Profile: profile})
		require.NoError(t, err)
		g := casegen.New(7)
		for i := range 400 {
			c, _ := g.Next()
			if i%3 == 0 {
				c.Meeting.Status = meeting.StatusHeld
			}
			want, err := json.Marshal(e.Check(c))
			require.NoError(t, err)
			restore := recommend.SetSmallList(0)
			got, err := json.Marshal(e.Check(c))
			restore()
			require.NoError(t, err)
			require.JSONEq(t, string(want), string(got), "case %d, profile %s", i, profile)
		}
	}
}
