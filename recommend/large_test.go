package recommend_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/recommend"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crowdedCase is the reference meeting, held, with n more social security
// supervisors like its own: each joins at the recap item with a consent to
// attend and receive the plan, got the agenda and the plan, had contact
// before. Every list a rule walks (participants, consents, sent_to,
// recipients) grows with n; the outcomes stay those of the reference but
// for the ones that count heads.
func crowdedCase(t testing.TB, n int) *casedoc.Case {
	t.Helper()
	c := reference(t)
	held(c)
	m := &c.Meeting
	proto, protoConsent := m.Participants[refcase.Supervisor], c.Consents[1]
	require.Equal(t, proto.ID, protoConsent.GranteeID)
	for i := range n {
		p := proto
		p.ID = uuid.NewSHA1(m.ID, fmt.Appendf(nil, "supervisor %d", i))
		p.PriorContact = true
		m.Participants = append(m.Participants, p)
		k := protoConsent
		k.ID = uuid.NewSHA1(m.ID, fmt.Appendf(nil, "consent %d", i))
		k.GranteeID = p.ID
		k.Scopes = []consent.Scope{consent.ScopeAttend, consent.ScopeReceivePlan}
		c.Consents = append(c.Consents, k)
		m.Preparation.SentTo = append(m.Preparation.SentTo, p.ID)
		c.Plan.Recipients = append(c.Plan.Recipients, p.ID)
	}
	return c
}

// outcomes maps each result's ID to its outcome.
func outcomes(rep *recommend.Report) map[string]recommend.Outcome {
	m := map[string]recommend.Outcome{}
	for _, r := range rep.Results {
		m[r.ID] = r.Outcome
	}
	return m
}

// TestLargeValidCase: a valid case with 100,000 participants (10,000 with
// -short or the race detector), encoded, decoded with the size limit raised
// and checked, gives the same outcomes as the same meeting with 20 extra
// participants, finds one participant without consent among them by its
// path, and allocates a bounded multiple of the document's size (counted;
// its times are BenchmarkCheckScale's).
func TestLargeValidCase(t *testing.T) {
	n := 100_000
	if testing.Short() || raceEnabled {
		n = 10_000
	}
	e := mustEngine(t, recommend.Policy{Profile: recommend.ProfileThorough})
	small := e.Check(crowdedCase(t, 20))
	require.Equal(t, recommend.OutcomeGap, outcomes(small)["PC-06"], "the small crowd outnumbers the patient already")

	big := crowdedCase(t, n)
	missing := n / 2
	big.Consents = append(big.Consents[:2+missing], big.Consents[2+missing+1:]...) // one supervisor without consent
	data, err := jsonv2.Marshal(big)
	require.NoError(t, err)
	t.Logf("%d participants: %.1f MiB of JSON", len(big.Meeting.Participants), float64(len(data))/(1<<20))

	_, err = casedoc.Unmarshal(data)
	require.ErrorIs(t, err, casedoc.ErrTooLarge, "over the default limit")
	c, err := casedoc.Decoder{MaxBytes: int64(len(data))}.Unmarshal(data)
	require.NoError(t, err)
	rep := e.Check(c)

	want := outcomes(small)
	want["PC-04"] = recommend.OutcomeGap
	want["CS-03"] = recommend.OutcomeGap
	assert.Equal(t, want, outcomes(rep))
	require.NoError(t, checkReportInvariants(e, rep))
	path := fmt.Sprintf("meeting.participants[%d]", refcase.Supervisor+1+missing)
	pc04 := resultFor(t, rep, "PC-04")
	if assert.Len(t, pc04.Findings, 1) {
		assert.Equal(t, path, pc04.Findings[0].Path)
		assert.Equal(t, c.Meeting.Participants[refcase.Supervisor+1+missing].ID, pc04.Findings[0].SubjectID)
	}
	assert.Len(t, resultFor(t, rep, "CS-03").Findings, 1)

	if !raceEnabled {
		bytes, _ := allocated(func() { reportSink = e.Check(c) })
		t.Logf("check: %.1f MiB allocated", float64(bytes)/(1<<20))
		assert.Less(t, bytes, uint64(len(data))*4, "checking allocates more than 4 times the document's size")
	}
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.Less(t, len(b), 64<<10, "the report of a case with one gap in many participants stays small")
}
