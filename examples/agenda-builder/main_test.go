package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/fix"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuild: participants in, a compliant agenda out.
func TestBuild(t *testing.T) {
	c := participantsOnly()
	require.NoError(t, c.Validate())
	require.Empty(t, c.Meeting.Agenda)
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	require.False(t, e.Check(c).Compliant, "an empty agenda is not compliant")

	res, err := fix.Apply(e, c)
	require.NoError(t, err)
	require.NoError(t, res.Case.Validate())
	assert.True(t, res.Report.Compliant)
	m := res.Case.Meeting
	var kinds []meeting.ItemKind
	for _, it := range m.Agenda {
		kinds = append(kinds, it.Kind)
		assert.Empty(t, it.Title, "a built item has no text of its own")
	}
	assert.Equal(t, []meeting.ItemKind{meeting.ItemIntroductions, meeting.ItemClinicalSummary, meeting.ItemOther,
		meeting.ItemPatientPerspective, meeting.ItemDiscussion, meeting.ItemActionPlan, meeting.ItemSummary}, kinds)
	assert.Equal(t, m.AgendaMinutes(), m.DurationMinutes)
	// Leading and taking minutes are two jobs: the psychologist, the first
	// healthcare participant after the leader who attends the whole meeting,
	// takes the minutes; the leader updates the plan.
	assert.Equal(t, m.Participants[2].ID, m.MinuteTakerID)
	assert.Equal(t, m.LeaderID, m.PlanUpdaterID)
	supervisor := &m.Participants[5]
	first, _ := m.Span(supervisor)
	assert.Equal(t, 2, first, "the supervisor joins at the recap, after the clinical summary")
	// What is left is for people: sending the agenda.
	for _, id := range res.Left {
		assert.Contains(t, []string{"PC-07", "MC-09"}, id)
	}
	// The same participants always give the same agenda.
	again, err := fix.Apply(e, participantsOnly())
	require.NoError(t, err)
	assert.Equal(t, res.Patch, again.Patch)
}

// TestRun: the agenda printed in English and in Norwegian (the Norwegian
// texts come from the translators; missing ones are shown in English, so
// no Norwegian wording is asserted), with no names.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	s := out.String()
	en, nb, found := strings.Cut(s, "\n[nb]\n")
	require.True(t, found, "a Norwegian part:\n%s", s)
	require.True(t, strings.HasPrefix(en, "[en]\n"))
	assert.Contains(t, en, "Agenda of the collaboration meeting, 55 minutes:")
	assert.Contains(t, en, "  1. introductions, 5 minutes")
	assert.Contains(t, en, "  4. the patient's perspective, 10 minutes (led by the patient)")
	assert.Contains(t, en, "NAV supervisor (participant 6) joins at item 3.")
	assert.Contains(t, en, "The planned meeting is compliant.")
	assert.Equal(t, 7, countItems(en), "seven agenda items:\n%s", en)
	for _, part := range []string{en, nb} {
		for _, id := range []string{"PC-05", "AP-01", "MC-02", "MC-03", "MC-07", "MC-10"} {
			assert.Contains(t, part, "  "+id+" ", "the fixes of %s are listed", id)
		}
	}
	for _, p := range participantsOnly().Meeting.Participants {
		if p.Name != "" {
			assert.NotContains(t, s, p.Name, "no names")
		}
		if p.Purpose != "" {
			assert.NotContains(t, s, p.Purpose, "no free text of the case")
		}
	}
	assert.NotContains(t, s, "<no value>")
	assert.NotContains(t, s, "builder.", "every text exists, in English at least")
}

// countItems counts the numbered agenda lines of one language's part.
func countItems(part string) int {
	n := 0
	for _, line := range strings.Split(part, "\n") {
		if len(line) > 3 && line[:2] == "  " && line[2] >= '1' && line[2] <= '9' && line[3] == '.' {
			n++
		}
	}
	return n
}
