package recommend

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
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

// TestClassOf checks that the class of a participant is what the methods of
// meeting.Participant say, for every role and sector (valid or not).
func TestClassOf(t *testing.T) {
	sectors := append(slices.Clone(meeting.Sectors), "", "unknown")
	roles := append(slices.Clone(meeting.Roles), "", "unknown")
	for _, s := range sectors {
		for _, r := range roles {
			p := &meeting.Participant{Sector: s, Role: r}
			c := classOf(p)
			require.Equal(t, p.Healthcare(), c&healthcare != 0, "%s %s", s, r)
			require.Equal(t, p.OutsideHealthcare(), c&outsideHealthcare != 0, "%s %s", s, r)
			require.Equal(t, p.ThirdParty(), c&thirdParty != 0, "%s %s", s, r)
			require.Equal(t, p.PatientSide(), c&patientSide != 0, "%s %s", s, r)
		}
	}
}
