package fix

import (
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTypedEditsAreRFC6902: every fix the built-in catalogue suggests, on
// generated planned cases as they are and with an empty agenda, round after
// round as Apply applies them, is applied as typed edits (no fix of the
// catalogue needs the RFC 6902 implementation), and the typed edits give
// byte for byte the document that RFC 6902 gives.
func TestTypedEditsAreRFC6902(t *testing.T) {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	var cases []*casedoc.Case
	g := casegen.New(29)
	for range 300 {
		c := g.Case()
		if c.Meeting.Status != meeting.StatusPlanned {
			continue
		}
		cases = append(cases, c)
		data, err := json.Marshal(c)
		require.NoError(t, err)
		empty, err := casedoc.Unmarshal(data)
		require.NoError(t, err)
		empty.Meeting.Agenda = nil
		for k := range empty.Meeting.Participants {
			empty.Meeting.Participants[k].JoinsAtItem, empty.Meeting.Participants[k].LeavesAfterItem = uuid.Nil, uuid.Nil
			empty.Meeting.Participants[k].AwayItems = nil
		}
		cases = append(cases, empty)
	}
	rounds := 0
	for _, c := range cases {
		doc, err := json.Marshal(c, json.Deterministic(true))
		require.NoError(t, err)
		cur := c
		for range maxRounds {
			fx, ok := firstFix(e.Check(cur))
			if !ok {
				break
			}
			work, ok := typed(cur, fx.Patch)
			require.True(t, ok, "%s: an operation of the catalogue that typed does not apply: %+v", fx.Code, fx.Patch)
			got, err := json.Marshal(work, json.Deterministic(true))
			require.NoError(t, err)
			viaPatch, err := patch(doc, fx.Patch)
			require.NoError(t, err)
			want, err := casedoc.Unmarshal(viaPatch)
			require.NoError(t, err)
			wantDoc, err := json.Marshal(want, json.Deterministic(true))
			require.NoError(t, err)
			require.Equal(t, string(wantDoc), string(got), fx.Code)
			if string(got) == string(doc) {
				break
			}
			doc, cur = got, want
			rounds++
		}
	}
	assert.Positive(t, rounds)
	t.Logf("%d cases, %d fixes applied both ways", len(cases), rounds)
}
