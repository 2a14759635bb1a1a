package recommend_test

import (
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// attendance is what the Pass says of every participant's attendance.
type attendance struct {
	attends  [][]bool
	whole    []bool
	minutes  []int
	attended [][]int // Attended over every agenda index
	away     [][]int
}

// passAttendance runs a custom rule on c that records what the Pass's
// attendance queries answer.
func passAttendance(t *testing.T, c *casedoc.Case) attendance {
	t.Helper()
	var got attendance
	r := withCheck("ACME-01", func(p *recommend.Pass) error {
		all := make([]int, len(p.Meeting.Agenda))
		for i := range all {
			all[i] = i
		}
		for k := range p.Meeting.Participants {
			row := make([]bool, len(p.Meeting.Agenda))
			for i := range row {
				row[i] = p.Attends(k, i)
			}
			got.attends = append(got.attends, row)
			got.whole = append(got.whole, p.AttendsWhole(k))
			got.minutes = append(got.minutes, p.AttendedMinutes(k))
			got.attended = append(got.attended, append([]int{}, p.Attended(k, all)...))
			got.away = append(got.away, append([]int{}, p.Away(k)...))
		}
		return nil
	})
	acmeEngine(t, recommend.Policy{}, r).Check(c)
	return got
}

// domainAttendance is what the domain methods say of the same.
func domainAttendance(m *meeting.Meeting) attendance {
	var want attendance
	for k := range m.Participants {
		p := &m.Participants[k]
		row := make([]bool, len(m.Agenda))
		attended, away := []int{}, []int{}
		first, last := m.Span(p)
		for i := range row {
			row[i] = m.AttendsIndex(p, i)
			if row[i] {
				attended = append(attended, i)
			} else if i >= first && i <= last {
				away = append(away, i)
			}
		}
		want.attends = append(want.attends, row)
		want.whole = append(want.whole, m.AttendsAll(p))
		want.minutes = append(want.minutes, m.AttendedMinutes(p.ID))
		want.attended = append(want.attended, attended)
		want.away = append(want.away, away)
	}
	return want
}

// TestPassAttendanceHonoursAway: the Pass's attendance queries answer as
// the domain methods, away_items included, on the reference case with
// participants stepping out, and on generated cases (which step out too).
func TestPassAttendanceHonoursAway(t *testing.T) {
	c := reference(t)
	ag := c.Meeting.Agenda
	c.Meeting.Participants[refcase.Patient].AwayItems = []uuid.UUID{ag[refcase.ItemClinical].ID}
	c.Meeting.Participants[refcase.Supervisor].AwayItems = []uuid.UUID{ag[refcase.ItemSummary].ID, ag[refcase.ItemDiscussion].ID}
	c.Meeting.Participants[refcase.GP].AwayItems = []uuid.UUID{ag[refcase.ItemIntro].ID}
	require.NoError(t, c.Validate())
	got := passAttendance(t, c)
	assert.Equal(t, domainAttendance(&c.Meeting), got)
	assert.Equal(t, []int{refcase.ItemDiscussion, refcase.ItemSummary}, got.away[refcase.Supervisor], "ascending, whatever the order listed")
	assert.False(t, got.whole[refcase.Patient])

	g := casegen.New(11)
	stepping := 0
	for range 300 {
		c, _ := g.Next()
		for k := range c.Meeting.Participants {
			if len(c.Meeting.Participants[k].AwayItems) > 0 {
				stepping++
			}
		}
		assert.Equal(t, domainAttendance(&c.Meeting), passAttendance(t, c))
	}
	assert.Positive(t, stepping, "the generator steps participants out")
}
