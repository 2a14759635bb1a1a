package recommend_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAuditReplaysACheck: a report records its policy's digest and the
// waivers applied; the policy given back in its canonical form (as an
// auditor stores it) reproduces the report byte for byte, and an aggregate
// records the digests of its reports.
func TestAuditReplaysACheck(t *testing.T) {
	c := reference(t)
	c.Meeting.DurationMinutes = 120 // MC-08, waived below
	c.Meeting.Agenda[refcase.ItemPerspective].LeadID = c.Meeting.Participants[refcase.Physician].ID
	policy := recommend.Policy{
		Profile:  recommend.ProfileThorough,
		Severity: map[string]recommend.Severity{"MC-06": recommend.SeverityRecommended, "PC-09": recommend.SeverityAdvisory},
		Params:   map[string]any{"notice_days": 2, "max_professionals": 5.0},
		Waivers: []recommend.Waiver{{ID: "MC-08", MeetingID: c.Meeting.ID.String(), Reason: "double session agreed",
			Expires: c.Meeting.Start.Add(24 * time.Hour)}},
	}
	rep := mustEngine(t, policy).Check(c)
	want, err := json.Marshal(rep)
	require.NoError(t, err)
	digest, err := policy.Digest()
	require.NoError(t, err)
	assert.Equal(t, digest, rep.PolicyDigest)
	waived := resultFor(t, rep, "MC-08")
	assert.Equal(t, recommend.OutcomeWaived, waived.Outcome)
	assert.Equal(t, "double session agreed", waived.WaiverReason)

	canonical, err := policy.Canonical()
	require.NoError(t, err)
	stored, err := recommend.UnmarshalPolicy(canonical)
	require.NoError(t, err)
	again, err := json.Marshal(mustEngine(t, stored).Check(c))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(again), "the stored policy reproduces the report")

	other := mustEngine(t, recommend.Policy{}).Check(c)
	assert.NotEqual(t, rep.PolicyDigest, other.PolicyDigest)
	var agg recommend.Aggregate
	agg.Add(rep)
	agg.Add(other)
	agg.Add(rep)
	assert.ElementsMatch(t, []string{rep.PolicyDigest, other.PolicyDigest}, agg.PolicyDigests)
	assert.IsIncreasing(t, agg.PolicyDigests)
	var merged recommend.Aggregate
	merged.Merge(&agg)
	assert.Equal(t, agg.PolicyDigests, merged.PolicyDigests)
}
