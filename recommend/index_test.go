package recommend

import (
	"encoding/json"
	"testing"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/stretchr/testify/require"
)

// TestIndexMatchesScans checks that the maps a large case gets (participants,
// items, consents, ID lists, sectors, roles) give the same reports as the
// scans of a case of usual size: every list is indexed by map when
// smallList is 0.
func TestIndexMatchesScans(t *testing.T) {
	for _, profile := range []Profile{ProfileMinimal, ProfileStandard, ProfileThorough} {
		e, err := New(Policy{Profile: profile})
		require.NoError(t, err)
		g := casegen.New(7)
		for i := range 400 {
			c, _ := g.Next()
			if i%3 == 0 {
				c.Meeting.Status = "held"
			}
			want, err := json.Marshal(e.Check(c))
			require.NoError(t, err)
			func() {
				saved := smallList
				smallList = 0
				defer func() { smallList = saved }()
				got, err := json.Marshal(e.Check(c))
				require.NoError(t, err)
				require.JSONEq(t, string(want), string(got), "case %d, profile %s", i, profile)
			}()
		}
	}
}
