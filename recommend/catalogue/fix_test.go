package catalogue_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/fix"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The suggested fixes of the catalogue (docs/fixes.md), one gap at a time on the
// reference meeting: the finding carries the fix expected, fix.Apply removes
// the gap and creates none, and on the same meeting held there is no fix
// and nothing changes.

// fixCase is the reference meeting with one gap of id, and the reason of
// the fix its first finding with a fix carries ("" when none may).
type fixCase struct {
	id, name string
	policy   recommend.Policy
	mutate   func(c *casedoc.Case)
	fix      string
	// left is true when the gap stays for people to close.
	left bool
}

// Mutations of the agenda of the reference meeting.

// dropItem removes agenda item i, and the joins and leaves at it.
func dropItem(i int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) {
		m := &c.Meeting
		id := m.Agenda[i].ID
		m.Agenda = slices.Delete(m.Agenda, i, i+1)
		for k := range m.Participants {
			if m.Participants[k].JoinsAtItem == id {
				m.Participants[k].JoinsAtItem = uuid.Nil
			}
			if m.Participants[k].LeavesAfterItem == id {
				m.Participants[k].LeavesAfterItem = uuid.Nil
			}
		}
	}
}

func swapItems(i, j int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) {
		c.Meeting.Agenda[i], c.Meeting.Agenda[j] = c.Meeting.Agenda[j], c.Meeting.Agenda[i]
	}
}

func itemMinutes(i, minutes int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Agenda[i].Minutes = minutes }
}

func emptyAgenda(c *casedoc.Case) {
	c.Meeting.Agenda = nil
	for k := range c.Meeting.Participants {
		c.Meeting.Participants[k].JoinsAtItem, c.Meeting.Participants[k].LeavesAfterItem = uuid.Nil, uuid.Nil
	}
}

func fromStart(k int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Participants[k].JoinsAtItem = uuid.Nil }
}

func noMinuteTaker(c *casedoc.Case) { c.Meeting.MinuteTakerID = uuid.Nil }

// onlyLeaderStays lets every healthcare participant but the leader leave
// before the summary.
func onlyLeaderStays(c *casedoc.Case) {
	for _, k := range []int{refcase.Psychologist, refcase.Physio, refcase.GP} {
		leaves(k, refcase.ItemActionPlan)(c)
	}
}

// hearsClinical gives the supervisor a consent to hear clinical information.
var hearsClinical = addConsent(refcase.Supervisor, consent.ScopeHearClinicalInformation, beforeStart(days(10)))

var fixCases = []fixCase{
	{id: "PC-01", name: "patient leaves before the plan", mutate: leaves(refcase.Patient, refcase.ItemDiscussion), fix: "attend_items"},
	{id: "PC-01", name: "patient joins at the summary", mutate: joins(refcase.Patient, refcase.ItemSummary), fix: "attend_items"},
	{id: "PC-01", name: "no patient", mutate: noPatient, left: true},

	{id: "PC-05", name: "no item", mutate: dropItem(refcase.ItemPerspective), fix: "add_item"},
	{id: "PC-05", name: "too short", mutate: itemMinutes(refcase.ItemPerspective, 5), fix: "lengthen_item"},
	{id: "PC-05", name: "led by the spouse, too short", mutate: steps(spouseLeads, itemMinutes(refcase.ItemPerspective, 5)), fix: "lengthen_item"},
	{id: "PC-05", name: "led by the spouse, the patient joins after it", mutate: steps(spouseLeads, joins(refcase.Patient, refcase.ItemRecap)),
		fix: "attend_item"},
	// The lead of an existing item is never changed: the patient gets an item of their own.
	{id: "PC-05", name: "led by the leader", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemPerspective].LeadID = pid(c, refcase.Physician) },
		fix: "add_item"},
	{id: "PC-05", name: "follow-up check-in, one minute short", mutate: steps(checkInFollowUp, itemMinutes(1, 4)), fix: "lengthen_item"},
	{id: "PC-05", name: "no patient", mutate: noPatient, left: true},

	{id: "PC-09", name: "discussion", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemDiscussion].PatientSpeaksFirst = false },
		fix: "speaks_first"},

	{id: "AP-01", name: "no item", mutate: dropItem(refcase.ItemActionPlan), fix: "add_item"},
	{id: "AP-01", name: "too short", mutate: itemMinutes(refcase.ItemActionPlan, 5), fix: "lengthen_item"},
	{id: "AP-01", name: "follow-up check-in, one minute short", mutate: steps(checkInFollowUp, itemMinutes(2, 4)), fix: "lengthen_item"},
	{id: "AP-01", name: "no time for it", mutate: steps(dropItem(refcase.ItemActionPlan), itemMinutes(refcase.ItemDiscussion, 75)), left: true},

	{id: "AP-02", name: "no item", mutate: dropItem(refcase.ItemDiscussion), fix: "add_item"},
	{id: "AP-02", name: "too short", mutate: itemMinutes(refcase.ItemDiscussion, 5), fix: "lengthen_item"},
	{id: "AP-02", name: "after the plan", mutate: swapItems(refcase.ItemDiscussion, refcase.ItemActionPlan), fix: "move_item"},

	{id: "MC-02", name: "empty agenda", mutate: emptyAgenda, fix: "standard_agenda"},
	{id: "MC-02", name: "empty agenda of a follow-up meeting", mutate: steps(emptyAgenda, func(c *casedoc.Case) {
		c.Meeting.Kind = meeting.KindFollowUp
		c.Meeting.DurationMinutes = 30
	}), fix: "standard_agenda"},
	{id: "MC-02", name: "empty agenda, supervisor without consent", mutate: steps(emptyAgenda,
		func(c *casedoc.Case) { c.Meeting.DurationMinutes = 30 }), fix: "standard_agenda"},
	{id: "MC-02", name: "no minutes", mutate: itemMinutes(refcase.ItemRecap, 0), fix: "give_minutes"},
	{id: "MC-02", name: "agenda longer than the meeting", mutate: func(c *casedoc.Case) { c.Meeting.DurationMinutes = 50 },
		fix: "lengthen_meeting"},
	{id: "MC-02", name: "agenda longer than max_minutes", mutate: itemMinutes(refcase.ItemDiscussion, 60), left: true},

	{id: "MC-03", name: "introductions second", mutate: swapItems(refcase.ItemIntro, refcase.ItemClinical), fix: "move_item"},
	{id: "MC-03", name: "no introductions", mutate: dropItem(refcase.ItemIntro), fix: "add_item"},

	{id: "MC-04", name: "supervisor joins at the discussion", mutate: joins(refcase.Supervisor, refcase.ItemDiscussion), fix: "join_at_recap"},
	{id: "MC-04", name: "supervisor joins at the action plan", mutate: steps(joins(refcase.Supervisor, refcase.ItemActionPlan)), fix: "add_recap"},

	{id: "MC-07", name: "no summary", mutate: dropItem(refcase.ItemSummary), fix: "add_item"},
	{id: "MC-07", name: "summary before the plan", mutate: swapItems(refcase.ItemActionPlan, refcase.ItemSummary), fix: "move_item"},

	{id: "MC-10", name: "no minute-taker: a colleague of the leader", mutate: noMinuteTaker, fix: "colleague_takes_minutes"},
	{id: "MC-10", name: "no minute-taker, no colleague stays: the leader", mutate: steps(noMinuteTaker, onlyLeaderStays), fix: "leader_takes_minutes"},
	{id: "MC-10", name: "no plan updater", mutate: func(c *casedoc.Case) { c.Meeting.PlanUpdaterID = uuid.Nil },
		fix: "leader_updates_plan"},
	{id: "MC-10", name: "no minute-taker, leader leaves early: a colleague", mutate: steps(noMinuteTaker, leaves(refcase.Physician, refcase.ItemActionPlan),
		func(c *casedoc.Case) { c.Meeting.PlanUpdaterID = pid(c, refcase.GP) }), fix: "colleague_takes_minutes"},
	{id: "MC-10", name: "no minute-taker, no one stays", mutate: steps(noMinuteTaker, onlyLeaderStays, leaves(refcase.Physician, refcase.ItemActionPlan)),
		left: true},

	{id: "CS-01", name: "supervisor from the start", mutate: fromStart(refcase.Supervisor), fix: "join_after_clinical"},
	{id: "CS-01", name: "supervisor from the start, no recap after the clinical summary",
		mutate: steps(fromStart(refcase.Supervisor), dropItem(refcase.ItemRecap)), fix: "join_after_clinical"},
	{id: "CS-01", name: "clinical summary after the plan", mutate: steps(fromStart(refcase.Supervisor),
		func(c *casedoc.Case) {
			a := c.Meeting.Agenda
			c.Meeting.Agenda = []meeting.AgendaItem{a[refcase.ItemIntro], a[refcase.ItemPerspective], a[refcase.ItemRecap], a[refcase.ItemDiscussion], a[refcase.ItemActionPlan], a[refcase.ItemClinical], a[refcase.ItemSummary]}
		}), fix: "leave_before_clinical"},

	{id: "CS-04", name: "supervisor leaves before the plan", mutate: leaves(refcase.Supervisor, refcase.ItemDiscussion), fix: "widen_attendance"},
	{id: "CS-04", name: "supervisor joins at the plan", mutate: joins(refcase.Supervisor, refcase.ItemActionPlan), fix: "widen_attendance"},
	{id: "CS-04", name: "discussion sensitive", mutate: steps(joins(refcase.Supervisor, refcase.ItemActionPlan),
		func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemDiscussion].Sensitive = true }), left: true},

	{id: "CS-07", name: "supervisor only at the recap", mutate: leaves(refcase.Supervisor, refcase.ItemRecap), fix: "widen_attendance"},
	{id: "CS-07", name: "supervisor only at the summary, the rest clinical", policy: withParams("min_sector_minutes", 30),
		mutate: steps(joins(refcase.Supervisor, refcase.ItemSummary), func(c *casedoc.Case) {
			for i := refcase.ItemIntro + 1; i < refcase.ItemSummary; i++ {
				c.Meeting.Agenda[i].Sensitive = true
			}
		}), left: true},
}

func TestFixes(t *testing.T) {
	for _, tc := range slices.Concat(fixCases, awayFixCases) {
		t.Run(tc.id+"/"+tc.name, func(t *testing.T) {
			e := mustEngine(t, tc.policy)
			c := reference(t)
			tc.mutate(c)
			require.NoError(t, c.Validate())
			rep := e.Check(c)
			res := resultFor(t, rep, tc.id)
			require.Equal(t, outGap, res.Outcome, "error: %s", res.Error)

			var fixes []recommend.Fix
			for _, f := range res.Findings {
				fixes = append(fixes, f.Fixes...)
			}
			if tc.left {
				assert.Empty(t, fixes, "a gap left for people has no fix")
			} else {
				require.NotEmpty(t, fixes)
				fx := fixes[0]
				assert.Equal(t, tc.id+".fix."+tc.fix, fx.Code)
				assert.NotEmpty(t, fx.Patch)
				assert.NotEmpty(t, fx.Message)
				assert.NotContains(t, fx.Message, "<no value>", "the message reads an arg the fix does not have")
				assert.NotContains(t, fx.Message, fx.Code, "the message is missing")
			}

			out, err := fix.Apply(e, c)
			require.NoError(t, err)
			after := resultFor(t, out.Report, tc.id)
			if tc.left {
				assert.Equal(t, outGap, after.Outcome)
			} else {
				assert.NotEqual(t, outGap, after.Outcome, "fixed: %+v", after.Findings)
				assert.Contains(t, out.Fixed, tc.id)
			}
			assert.Subset(t, gapIDs(rep), gapIDs(out.Report), "no new gap")
			require.NoError(t, out.Case.Validate())
			for _, it := range out.Case.Meeting.Agenda {
				if c.Meeting.ItemIndex(it.ID) < 0 {
					assert.Empty(t, it.Title, "an item a fix adds has no text of its own")
				}
			}

			// The same meeting, held: its record is never changed.
			h := reference(t)
			tc.mutate(h)
			held(h)
			hrep := e.Check(h)
			for _, r := range hrep.Results {
				for _, f := range r.Findings {
					assert.Empty(t, f.Fixes, "%s has a fix on a held meeting", f.Code)
				}
			}
			hout, err := fix.Apply(e, h)
			require.NoError(t, err)
			assert.Same(t, h, hout.Case)
			assert.Empty(t, hout.Patch)
		})
	}
}

// TestFixesReachEveryReason holds that every fix reason the catalogue
// declares is the fix of some case above.
func TestFixesReachEveryReason(t *testing.T) {
	reached := map[string]bool{}
	for _, tc := range slices.Concat(fixCases, awayFixCases) {
		if !tc.left {
			reached[tc.id+".fix."+tc.fix] = true
		}
	}
	for _, r := range mustEngine(t, recommend.Policy{}).Recommendations() {
		for _, reason := range r.Fixes {
			assert.True(t, reached[r.ID+".fix."+reason], "no case reaches %s.fix.%s", r.ID, reason)
		}
	}
}

// TestFixPatches pins the operations of some fixes: on the document as it
// is, with the fields absent when unset.
func TestFixPatches(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	firstFix := func(t *testing.T, c *casedoc.Case, id string) recommend.Fix {
		t.Helper()
		for _, f := range resultFor(t, e.Check(c), id).Findings {
			if len(f.Fixes) > 0 {
				return f.Fixes[0]
			}
		}
		require.Failf(t, "no fix", "%s has no fix", id)
		return recommend.Fix{}
	}

	t.Run("PC-09", func(t *testing.T) {
		c := reference(t)
		c.Meeting.Agenda[refcase.ItemDiscussion].PatientSpeaksFirst = false
		fx := firstFix(t, c, "PC-09")
		assert.Equal(t, []recommend.PatchOp{{Op: "add", Path: "/meeting/agenda/4/patient_speaks_first", Value: true}}, fx.Patch)
		assert.Equal(t, "Mark agenda item 5 so that the patient speaks first (patient_speaks_first).", fx.Message)
	})
	t.Run("MC-10", func(t *testing.T) {
		c := reference(t)
		c.Meeting.MinuteTakerID = uuid.Nil
		fx := firstFix(t, c, "MC-10")
		assert.Equal(t, []recommend.PatchOp{{Op: "add", Path: "/meeting/minute_taker_id", Value: pid(c, refcase.Psychologist)}}, fx.Patch)
		assert.Equal(t, "Name participant 4 (psychologist), who attends the whole meeting, as the minute-taker, so that the leader can lead.", fx.Message)

		onlyLeaderStays(c)
		fx = firstFix(t, c, "MC-10")
		assert.Equal(t, []recommend.PatchOp{{Op: "add", Path: "/meeting/minute_taker_id", Value: c.Meeting.LeaderID}}, fx.Patch)
	})
	t.Run("PC-05 keeps the lead", func(t *testing.T) {
		c := reference(t)
		steps(spouseLeads, itemMinutes(refcase.ItemPerspective, 6))(c)
		fx := firstFix(t, c, "PC-05")
		assert.Equal(t, []recommend.PatchOp{{Op: "add", Path: "/meeting/agenda/2/minutes", Value: 10}}, fx.Patch)
		assert.Equal(t, "Give agenda item 3, the patient's item, at least 10 minutes, with the patient attending it.", fx.Message)
	})
	t.Run("MC-02 length", func(t *testing.T) {
		c := reference(t)
		c.Meeting.DurationMinutes = 50
		fx := firstFix(t, c, "MC-02")
		assert.Equal(t, []recommend.PatchOp{{Op: "replace", Path: "/meeting/duration_minutes", Value: 57}}, fx.Patch)
		assert.Equal(t, "Lengthen the meeting to 57 minutes, the length of its agenda.", fx.Message)
	})
	t.Run("MC-04 recap", func(t *testing.T) {
		c := reference(t)
		joins(refcase.Supervisor, refcase.ItemDiscussion)(c)
		fx := firstFix(t, c, "MC-04")
		assert.Equal(t, []recommend.PatchOp{{Op: "add", Path: "/meeting/participants/6/joins_at_item", Value: c.Meeting.Agenda[refcase.ItemRecap].ID}}, fx.Patch)
	})
	t.Run("CS-01 existing recap", func(t *testing.T) {
		c := reference(t)
		fromStart(refcase.Supervisor)(c)
		fx := firstFix(t, c, "CS-01")
		assert.Equal(t, []recommend.PatchOp{{Op: "add", Path: "/meeting/participants/6/joins_at_item", Value: c.Meeting.Agenda[refcase.ItemRecap].ID}}, fx.Patch)
	})
	t.Run("MC-07 added summary", func(t *testing.T) {
		c := reference(t)
		dropItem(refcase.ItemSummary)(c)
		fx := firstFix(t, c, "MC-07")
		require.Len(t, fx.Patch, 1)
		op := fx.Patch[0]
		assert.Equal(t, "add", op.Op)
		assert.Equal(t, "/meeting/agenda/-", op.Path)
		it, ok := op.Value.(meeting.AgendaItem)
		require.True(t, ok, "%T", op.Value)
		assert.Equal(t, meeting.ItemSummary, it.Kind)
		assert.Equal(t, 5, it.Minutes)
		assert.Empty(t, it.Title)
		assert.Equal(t, uuid.NewSHA1(c.Meeting.ID, []byte("collabmeet.fix/MC-07.fix.add_item/summary")), it.ID,
			"the ID is derived from the meeting and the fix")
	})
}

// TestFixSkeleton checks the standard skeleton: for a collaboration
// meeting with participants and an empty agenda, the compliant draft of
// docs/fixes.md, with the supervisor (without consent to hear clinical
// information) joining after the clinical summary with a recap.
func TestFixSkeleton(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	for _, tc := range []struct {
		name     string
		kind     meeting.Kind
		kinds    []meeting.ItemKind
		duration int
	}{
		// 5 + 10 + 5 (recap) + 10 + 10 + 10 + 5: longer than the 30 minutes.
		{"collaboration", meeting.KindCollaboration, []meeting.ItemKind{meeting.ItemIntroductions, meeting.ItemClinicalSummary,
			meeting.ItemOther, meeting.ItemPatientPerspective, meeting.ItemDiscussion, meeting.ItemActionPlan, meeting.ItemSummary}, 55},
		// A check-in: 5 minutes each (follow_up_patient_minutes, follow_up_plan_minutes).
		{"follow-up", meeting.KindFollowUp, []meeting.ItemKind{meeting.ItemIntroductions, meeting.ItemPatientPerspective,
			meeting.ItemActionPlan, meeting.ItemSummary}, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := reference(t)
			emptyAgenda(c)
			c.Meeting.Kind = tc.kind
			c.Meeting.DurationMinutes = 30
			out, err := fix.Apply(e, c)
			require.NoError(t, err)
			m := out.Case.Meeting
			var kinds []meeting.ItemKind
			for _, it := range m.Agenda {
				kinds = append(kinds, it.Kind)
				assert.Empty(t, it.Title)
				assert.Positive(t, it.Minutes)
			}
			assert.Equal(t, tc.kinds, kinds)
			pp := m.Agenda[m.FirstItem(meeting.ItemPatientPerspective)]
			assert.Equal(t, pid(c, refcase.Patient), pp.LeadID)
			assert.Equal(t, tc.duration, m.DurationMinutes, "the meeting grows to hold its agenda, and only then")
			assert.LessOrEqual(t, m.AgendaMinutes(), m.DurationMinutes)
			for _, r := range out.Report.Results {
				if strings.HasPrefix(r.ID, "PW") {
					continue
				}
				assert.NotEqual(t, outGap, r.Outcome, "%s: %+v", r.ID, r.Findings)
			}
			if tc.kind == meeting.KindCollaboration {
				first, _ := m.Span(&m.Participants[refcase.Supervisor])
				assert.Equal(t, 2, first, "the supervisor joins at the recap after the clinical summary")
				assert.True(t, m.Agenda[2].Recap)
			}
		})
	}
}

func gapIDs(rep *recommend.Report) []string {
	ids := []string{}
	for _, r := range rep.Results {
		if r.Outcome == recommend.OutcomeGap {
			ids = append(ids, r.ID)
		}
	}
	return ids
}
