package catalogue_test

import (
	"testing"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/go-json-experiment/json"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/fix"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Attendance with gaps (away_items, 2026.3): the rule cases of every
// recommendation that asks who attends an item, each of which the 2026.2
// rules (reading the span alone) decided otherwise.

// away lets participant k step out of the agenda items items.
func away(k int, items ...int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) {
		for _, i := range items {
			c.Meeting.Participants[k].AwayItems = append(c.Meeting.Participants[k].AwayItems, c.Meeting.Agenda[i].ID)
		}
	}
}

// kind sets the kind of agenda item i.
func kind(i int, k meeting.ItemKind) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Agenda[i].Kind = k }
}

const (
	patientAway    = "meeting.participants[0].away_items"
	supervisorAway = "meeting.participants[6].away_items"
)

var awayCases = []ruleCase{
	// PC-01: the patient is in the room for the plan and the summary.
	{id: "PC-01", name: "patient steps out of the action plan", mutate: away(refcase.Patient, refcase.ItemActionPlan),
		outcome: outGap, paths: []string{patientAway}},
	{id: "PC-01", name: "patient steps out of the recap only", mutate: away(refcase.Patient, refcase.ItemRecap), outcome: outPass},

	// PC-02: stepping out of an item not for professionals only is missing it.
	{id: "PC-02", name: "patient steps out of the discussion", mutate: away(refcase.Patient, refcase.ItemDiscussion),
		outcome: outGap, paths: []string{patientAway}},
	{id: "PC-02", name: "patient steps out of an item for professionals only", mutate: steps(away(refcase.Patient, refcase.ItemRecap),
		func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemRecap].ProfessionalsOnly = true }), outcome: outPass},

	// CS-01: the clinical summary one steps out of is not heard.
	{id: "CS-01", name: "supervisor from the start, steps out of the clinical summary",
		mutate: steps(fromStart(refcase.Supervisor), away(refcase.Supervisor, refcase.ItemClinical)), outcome: outPass},
	{id: "CS-01", name: "supervisor from the start, steps out of the perspective only",
		mutate: steps(fromStart(refcase.Supervisor), away(refcase.Supervisor, refcase.ItemPerspective)), outcome: outGap,
		paths: []string{"meeting.participants[6]"}},

	// CS-04: any discussion and any action plan item, not the first.
	{id: "CS-04", name: "a discussion before the supervisor joins, one after", mutate: kind(refcase.ItemPerspective, meeting.ItemDiscussion),
		outcome: outPass},
	{id: "CS-04", name: "supervisor steps out of the only discussion", mutate: away(refcase.Supervisor, refcase.ItemDiscussion),
		outcome: outGap, paths: []string{supervisorAway}},
	{id: "CS-04", name: "supervisor steps out of one of two action plan items", mutate: steps(kind(refcase.ItemRecap, meeting.ItemActionPlan),
		joins(refcase.Supervisor, refcase.ItemPerspective), away(refcase.Supervisor, refcase.ItemActionPlan)), outcome: outPass},

	// CS-07: the minutes stepped out of do not count.
	{id: "CS-07", name: "supervisor steps out of the discussion and the plan", mutate: away(refcase.Supervisor, refcase.ItemDiscussion, refcase.ItemActionPlan),
		outcome: outGap, paths: []string{"meeting.participants[6]"}},

	// CS-08: the sensitive item one steps out of is not attended.
	{id: "CS-08", name: "supervisor steps out of the sensitive discussion", mutate: steps(sensitive(refcase.ItemDiscussion),
		away(refcase.Supervisor, refcase.ItemDiscussion)), outcome: outPass},
	{id: "CS-08", name: "supervisor steps out of the other item", mutate: steps(sensitive(refcase.ItemDiscussion),
		away(refcase.Supervisor, refcase.ItemActionPlan)), outcome: outGap, paths: []string{"meeting.participants[6]"}},

	// MC-01 and MC-10: leading, taking the minutes and updating the plan
	// take the whole meeting.
	{id: "MC-01", name: "leader steps out of the recap", mutate: away(refcase.Physician, refcase.ItemRecap),
		outcome: outGap, paths: []string{"meeting.participants[2].away_items"}},
	{id: "MC-10", name: "minute-taker steps out of the discussion", mutate: away(refcase.Psychologist, refcase.ItemDiscussion),
		outcome: outGap, paths: []string{"meeting.participants[3].away_items"}},
	{id: "MC-10", name: "plan updater steps out of the perspective", mutate: away(refcase.Physician, refcase.ItemPerspective),
		outcome: outGap, paths: []string{"meeting.participants[2].away_items"}},

	// MC-04: coming back is a late join at the item one comes back to.
	{id: "MC-04", name: "supervisor comes back at the action plan", mutate: away(refcase.Supervisor, refcase.ItemDiscussion),
		outcome: outGap, paths: []string{supervisorAway}},
	{id: "MC-04", name: "supervisor comes back at the summary", mutate: away(refcase.Supervisor, refcase.ItemDiscussion, refcase.ItemActionPlan),
		outcome: outPass},
	{id: "MC-04", name: "patient comes back at the recap", mutate: away(refcase.Patient, refcase.ItemPerspective), outcome: outPass},
	{id: "MC-04", name: "patient steps out twice", mutate: away(refcase.Patient, refcase.ItemClinical, refcase.ItemDiscussion),
		outcome: outGap, paths: []string{patientAway, patientAway}},
	{id: "MC-04", name: "steps out of the last item: no coming back", mutate: away(refcase.GP, refcase.ItemSummary), outcome: outPass},
}

// awayFixCases are the fixes of gaps in attendance with gaps: each keeps
// the away_items valid, and makes no one attend what they may not hear.
var awayFixCases = []fixCase{
	{id: "PC-01", name: "patient steps out of the action plan", mutate: away(refcase.Patient, refcase.ItemActionPlan), fix: "attend_items"},
	{id: "MC-04", name: "supervisor comes back at the action plan", mutate: away(refcase.Supervisor, refcase.ItemDiscussion), fix: "add_return_recap"},
	{id: "MC-04", name: "patient comes back twice without a recap", mutate: away(refcase.Patient, refcase.ItemClinical, refcase.ItemDiscussion),
		fix: "add_return_recap"},
	{id: "MC-04", name: "no room for a recap where the patient comes back",
		mutate: steps(away(refcase.Patient, refcase.ItemRecap), func(c *casedoc.Case) { c.Meeting.DurationMinutes = 57 }),
		policy: withParams("max_minutes", 57), left: true},
	{id: "CS-04", name: "supervisor steps out of the only discussion", mutate: away(refcase.Supervisor, refcase.ItemDiscussion), fix: "widen_attendance"},
	{id: "CS-04", name: "supervisor steps out of the sensitive discussion", mutate: steps(sensitive(refcase.ItemDiscussion),
		away(refcase.Supervisor, refcase.ItemDiscussion)), left: true},
	{id: "CS-07", name: "supervisor steps out of the discussion and the plan", mutate: away(refcase.Supervisor, refcase.ItemDiscussion, refcase.ItemActionPlan),
		fix: "widen_attendance"},
	{id: "CS-08", name: "supervisor attends the sensitive recap", mutate: sensitive(refcase.ItemRecap), fix: "step_out"},
	{id: "CS-08", name: "the only discussion sensitive: stepping out would miss it", mutate: sensitive(refcase.ItemDiscussion), left: true},
	{id: "CS-08", name: "supervisor attends a sensitive discussion, with a second one", mutate: steps(sensitive(refcase.ItemDiscussion),
		kind(refcase.ItemSummary-1, meeting.ItemActionPlan), func(c *casedoc.Case) {
			// a second discussion after the recap, so that the supervisor still takes part in one
			a := c.Meeting.Agenda
			extra := meeting.AgendaItem{ID: uuid.MustParse("6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"), Kind: meeting.ItemDiscussion, Minutes: 10, PatientSpeaksFirst: true}
			c.Meeting.Agenda = append(a[:refcase.ItemActionPlan:refcase.ItemActionPlan], append([]meeting.AgendaItem{extra}, a[refcase.ItemActionPlan:]...)...)
			c.Meeting.DurationMinutes = 75
		}), fix: "step_out"},
	{id: "CS-01", name: "supervisor from the start, steps out of the perspective",
		mutate: steps(fromStart(refcase.Supervisor), away(refcase.Supervisor, refcase.ItemPerspective)), fix: "join_after_clinical"},
}

// treatmentThenWork is the set-up of the studies: the meeting discusses
// treatment first (clinical summary, the patient's perspective, a
// discussion of treatment), then work, with the supervisor joining at a
// recap before the work part, without consent to hear clinical
// information.
func treatmentThenWork(c *casedoc.Case) {
	m := &c.Meeting
	a := m.Agenda
	treatment := meeting.AgendaItem{ID: uuid.MustParse("0d7c1f3e-55a4-4c1b-9a61-3b8e2f6d7a10"), Kind: meeting.ItemDiscussion,
		Minutes: 10, PatientSpeaksFirst: true}
	m.Agenda = []meeting.AgendaItem{a[refcase.ItemIntro], a[refcase.ItemClinical], a[refcase.ItemPerspective], treatment,
		a[refcase.ItemRecap], a[refcase.ItemDiscussion], a[refcase.ItemActionPlan], a[refcase.ItemSummary]}
	m.DurationMinutes = 70
	m.Participants[refcase.Supervisor].JoinsAtItem = a[refcase.ItemRecap].ID
}

// TestTreatmentThenWork: on the studies' set-up no cross-sector gap, and
// fixing the case never moves the supervisor earlier: 2026.2 asked the
// supervisor to attend the first discussion (of treatment), and its fix
// moved the join before it.
func TestTreatmentThenWork(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	c := reference(t)
	treatmentThenWork(c)
	require.NoError(t, c.Validate())
	rep := e.Check(c)
	for _, id := range []string{"CS-01", "CS-04", "CS-07", "CS-08", "MC-04"} {
		assert.Equal(t, outPass, resultFor(t, rep, id).Outcome, id)
	}
	join := c.Meeting.Participants[refcase.Supervisor].JoinsAtItem

	// With a gap that a fix widens the supervisor for (leaving before the
	// plan), the fixes keep the join where it is.
	leaves(refcase.Supervisor, 5)(c) // the work discussion
	require.Equal(t, meeting.ItemDiscussion, c.Meeting.Agenda[5].Kind)
	out, err := fix.Apply(e, c)
	require.NoError(t, err)
	got := out.Case.Meeting.Participants[refcase.Supervisor]
	assert.Equal(t, join, got.JoinsAtItem, "the supervisor is never moved earlier")
	assert.Contains(t, out.Fixed, "CS-04")
	assert.NotContains(t, gapIDs(out.Report), "CS-01")

	// Held, the same meeting is compliant across sectors too.
	h := reference(t)
	treatmentThenWork(h)
	held(h)
	for _, id := range []string{"CS-01", "CS-04"} {
		assert.Equal(t, outPass, resultFor(t, e.Check(h), id).Outcome, id)
	}
}

// TestFixNeverHearsWithoutConsent: the CS-04, CS-07 and MC-04 fixes never
// make a social security participant without consent attend a clinical
// summary or a sensitive item, whichever order they are applied in: on
// the studies' set-up with the supervisor's attendance cut in every way,
// the fixed case has the supervisor attend neither.
func TestFixNeverHearsWithoutConsent(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	cuts := map[string]func(c *casedoc.Case){
		"joins at the work discussion":              joins(refcase.Supervisor, 5),
		"joins at the action plan":                  joins(refcase.Supervisor, 6),
		"joins at the summary":                      joins(refcase.Supervisor, 7),
		"steps out of the work part":                away(refcase.Supervisor, 5, 6),
		"treatment sensitive, joins at the summary": steps(sensitive(3), joins(refcase.Supervisor, 7)),
	}
	for name, cut := range cuts {
		t.Run(name, func(t *testing.T) {
			c := reference(t)
			treatmentThenWork(c)
			cut(c)
			require.NoError(t, c.Validate())
			out, err := fix.Apply(e, c)
			require.NoError(t, err)
			m := &out.Case.Meeting
			nav := &m.Participants[refcase.Supervisor]
			for i := range m.Agenda {
				if m.Agenda[i].Kind == meeting.ItemClinicalSummary || m.Agenda[i].Sensitive {
					assert.False(t, m.AttendsIndex(nav, i), "item %d", i+1)
				}
			}
			assert.NotContains(t, gapIDs(out.Report), "CS-01")
			assert.NotContains(t, gapIDs(out.Report), "CS-08")
		})
	}
}

// TestFixOrderWithoutConsent: a supervisor without consent to hear clinical
// information who joins at the clinical summary has two gaps, MC-04 (no
// recap) and CS-01. MC-04's fix never moves the join earlier, to the
// introductions before the clinical summary (2026.2 did, and CS-01's fix
// then moved it back after): whichever of the two fixes a client applies
// first, the meeting ends the same, with the supervisor joining after the
// clinical summary.
func TestFixOrderWithoutConsent(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	c := reference(t)
	joins(refcase.Supervisor, refcase.ItemClinical)(c)
	rep := e.Check(c)
	clinical := c.Meeting.Agenda[refcase.ItemClinical].ID
	var ends []*casedoc.Case
	for _, id := range []string{"MC-04", "CS-01"} {
		res := resultFor(t, rep, id)
		require.Equal(t, outGap, res.Outcome, id)
		require.NotEmpty(t, res.Findings[0].Fixes, id)
		first := applyOps(t, c, res.Findings[0].Fixes[0].Patch)
		nav := &first.Meeting.Participants[refcase.Supervisor]
		assert.False(t, first.Meeting.Attends(nav.ID, clinical), "%s's fix leaves the supervisor hearing the clinical summary", id)
		out, err := fix.Apply(e, first)
		require.NoError(t, err)
		assert.NotContains(t, gapIDs(out.Report), "MC-04")
		assert.NotContains(t, gapIDs(out.Report), "CS-01")
		ends = append(ends, out.Case)
	}
	assert.Equal(t, ends[0], ends[1], "the order of the fixes does not matter")
}

// applyOps applies one fix's RFC 6902 operations to c's document and
// decodes the result (as a client applying that fix alone would).
func applyOps(t *testing.T, c *casedoc.Case, ops []recommend.PatchOp) *casedoc.Case {
	t.Helper()
	doc, err := json.Marshal(c)
	require.NoError(t, err)
	raw, err := json.Marshal(ops)
	require.NoError(t, err)
	p, err := jsonpatch.DecodePatch(raw)
	require.NoError(t, err)
	out, err := p.Apply(doc)
	require.NoError(t, err)
	fixed, err := casedoc.Unmarshal(out)
	require.NoError(t, err)
	return fixed
}
