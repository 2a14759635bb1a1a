package casegen_test

import (
	"testing"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStepOut: the generator lays out meetings that discuss treatment
// first and work after, with those outside healthcare stepping out of the
// treatment part (sensitive or not) and coming back at the recap, and
// healthcare professionals stepping out before the summary; every such
// case is valid, and the participant attends what it comes back to.
func TestStepOut(t *testing.T) {
	g := casegen.New(5)
	var outside, healthcare, sensitiveAway, split int
	for range 1500 {
		c := g.Case()
		require.NoError(t, c.Validate())
		m := &c.Meeting
		if d := m.FirstItem(meeting.ItemDiscussion); d >= 0 {
			for i := d + 1; i < len(m.Agenda); i++ {
				if m.Agenda[i].Recap && i+1 < len(m.Agenda) && m.Agenda[i+1].Kind == meeting.ItemDiscussion {
					split++
					break
				}
			}
		}
		for k := range m.Participants {
			p := &m.Participants[k]
			if len(p.AwayItems) == 0 {
				continue
			}
			if p.Healthcare() {
				healthcare++
			} else {
				outside++
			}
			last := m.ItemIndex(p.AwayItems[len(p.AwayItems)-1])
			require.Less(t, last+1, len(m.Agenda), "comes back")
			back := &m.Agenda[last+1]
			assert.True(t, back.Recap || back.Kind == meeting.ItemSummary, "comes back at a recap or the summary")
			assert.True(t, m.AttendsIndex(p, last+1))
			for _, id := range p.AwayItems {
				if m.Agenda[m.ItemIndex(id)].Sensitive {
					sensitiveAway++
				}
			}
		}
	}
	t.Logf("%d meetings of treatment then work; stepping out: %d outside healthcare (%d of sensitive items), %d healthcare",
		split, outside, sensitiveAway, healthcare)
	assert.Positive(t, split)
	assert.Positive(t, outside)
	assert.Positive(t, sensitiveAway)
	assert.Positive(t, healthcare)
}
