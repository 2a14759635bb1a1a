package catalogue

import (
	"strings"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
)

// meetingClimate is the theme MC: a well-led meeting with a clear agenda.
func meetingClimate() []recommend.Rule {
	return []recommend.Rule{
		{Recommendation: recommend.Recommendation{
			ID:    "MC-01",
			Theme: ThemeMeetingClimate, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons: []string{"no_leader", "leader_not_participant", "leader_not_healthcare",
				"not_attending", "joins_late", "leaves_early", "steps_out"},
		}, Check: checkMC01},
		{Recommendation: recommend.Recommendation{
			ID:    "MC-02",
			Theme: ThemeMeetingClimate, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Params: []recommend.Param{paramPatientMinutes, paramFollowUpPatientMinutes, paramDiscussionMinutes,
				paramPlanMinutes, paramFollowUpPlanMinutes, paramMaxMinutes},
			Reasons: []string{"empty_agenda", "no_minutes", "agenda_too_long"},
			Fixes:   []string{"standard_agenda", "give_minutes", "lengthen_meeting"},
		}, Check: checkMC02},
		{Recommendation: recommend.Recommendation{
			ID:    "MC-03",
			Theme: ThemeMeetingClimate, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramMaxMinutes},
			Reasons: []string{"empty_agenda", "not_introductions"},
			Fixes:   []string{"add_item", "move_item"},
		}, Check: checkMC03},
		{Recommendation: recommend.Recommendation{
			ID:    "MC-04",
			Theme: ThemeMeetingClimate, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramMaxMinutes, paramMinSectorMinutes},
			Reasons: []string{"joins_without_recap", "returns_without_recap"},
			Fixes:   []string{"add_recap", "join_at_recap", "add_return_recap"},
		}, Check: checkMC04},
		{Recommendation: recommend.Recommendation{
			ID:    "MC-05",
			Theme: ThemeMeetingClimate, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons: []string{"no_platform"},
		}, Check: checkMC05},
		{Recommendation: recommend.Recommendation{
			ID:    "MC-06",
			Theme: ThemeMeetingClimate, Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamCount("max_colocated", 3)},
			Reasons: []string{"colocated"},
		}, Check: checkMC06},
		{Recommendation: recommend.Recommendation{
			ID:    "MC-07",
			Theme: ThemeMeetingClimate, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramMaxMinutes},
			Reasons: []string{"empty_agenda", "not_summary"},
			Fixes:   []string{"add_item", "move_item"},
		}, Check: checkMC07},
		{Recommendation: recommend.Recommendation{
			ID:    "MC-08",
			Theme: ThemeMeetingClimate, Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamMinutes("min_minutes", 30), paramMaxMinutes},
			Reasons: []string{"too_short", "too_long"},
		}, Check: checkMC08},
		{Recommendation: recommend.Recommendation{
			ID:    "MC-09",
			Theme: ThemeMeetingClimate, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramNoticeDays},
			Reasons: []string{"no_preparation", "agenda_not_sent", "agenda_late", "not_sent_to"},
		}, Check: checkMC09},
		{Recommendation: recommend.Recommendation{
			ID:    "MC-10",
			Theme: ThemeMeetingClimate, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons: []string{
				"no_minute_taker", "minute_taker_not_participant",
				"minute_taker_not_attending", "minute_taker_joins_late", "minute_taker_leaves_early", "minute_taker_steps_out",
				"no_plan_updater", "plan_updater_not_participant",
				"plan_updater_not_attending", "plan_updater_joins_late", "plan_updater_leaves_early", "plan_updater_steps_out",
			},
			Fixes: []string{"colleague_takes_minutes", "leader_takes_minutes", "leader_updates_plan"},
		}, Check: checkMC10},
	}
}

func checkMC01(pass *recommend.Pass) error {
	id := pass.Meeting.LeaderID
	if id == uuid.Nil {
		pass.ReportCase("meeting.leader_id", "no_leader", nil)
		return nil
	}
	k := pass.Participant(id)
	if k < 0 {
		pass.ReportCase("meeting.leader_id", "leader_not_participant", nil)
		return nil
	}
	if p := &pass.Meeting.Participants[k]; !p.Healthcare() {
		pass.ReportListed(k, "meeting.leader_id", "leader_not_healthcare", recommend.Args{"sector": p.Sector})
	}
	if len(pass.Meeting.Agenda) > 0 { // an empty agenda is MC-02's
		reportWhole(pass, k, nil)
	}
	return nil
}

func checkMC02(pass *recommend.Pass) error {
	m := pass.Meeting
	// One fixer for the whole check (it bounds the fixes per case), made
	// only when a fix is needed: a check that passes allocates nothing.
	var f *fixer
	fixer := func() *fixer {
		if f == nil {
			f = newFixer(pass)
		}
		return f
	}
	if len(m.Agenda) == 0 {
		pass.ReportCase("meeting.agenda", "empty_agenda", nil)
		if ops := fixSkeleton(fixer()); ops != nil {
			pass.Fix("standard_agenda", recommend.Args{"meeting_kind": m.Kind}, ops...)
		}
		return nil
	}
	for i := range m.Agenda {
		if m.Agenda[i].Minutes <= 0 {
			pass.ReportItem(i, "minutes", "no_minutes", nil)
			// Every item needs a length; when the agenda then does not fit
			// in the meeting, the gap left is for people to cut.
			if d := fixer().draft("give_minutes"); d != nil {
				minutes := itemMinutes(pass, m.Agenda[i].Kind)
				d.setMinutes(i, minutes)
				if ops := f.finish(d, vkey{}, "MC-02."); ops != nil {
					pass.Fix("give_minutes", recommend.Args{"item": i + 1, "minutes": minutes}, ops...)
				}
			}
		}
	}
	// AgendaMinutes saturates: a sum that would overflow is never short.
	if total := pass.AgendaMinutes(); total > m.DurationMinutes {
		pass.ReportCase("meeting.duration_minutes", "agenda_too_long",
			recommend.Args{"agenda_minutes": total, "duration_minutes": m.DurationMinutes})
		// The meeting grows to hold its agenda up to max_minutes; beyond
		// it, people must cut.
		if d := fixer().draft("lengthen_meeting"); d != nil && total <= pass.Int("max_minutes") {
			d.setDuration(total)
			if ops := f.finish(d, vkey{}, ""); ops != nil {
				pass.Fix("lengthen_meeting", recommend.Args{"duration_minutes": total}, ops...)
			}
		}
	}
	return nil
}

// itemMinutes is the length a fix gives an item of kind k: what the
// recommendations ask of it in this kind of meeting (PC-05, AP-02, AP-01),
// and as the standard skeleton has it otherwise.
func itemMinutes(pass *recommend.Pass, k meeting.ItemKind) int {
	switch k {
	case meeting.ItemPatientPerspective:
		return orDefault(patientMinutes(pass))
	case meeting.ItemDiscussion:
		return orDefault(pass.Int("discussion_minutes"))
	case meeting.ItemActionPlan:
		return orDefault(planMinutes(pass))
	case meeting.ItemClinicalSummary:
		return clinicalItemMinutes
	}
	return shortItemMinutes
}

// fixSkeleton fills an empty agenda with the standard skeleton (docs/fixes.md):
// introductions, a clinical summary, the patient's perspective led by the
// patient, a discussion, the action plan and a summary for a collaboration
// meeting; a follow-up or transfer meeting leaves out the clinical summary
// and the discussion, which no recommendation asks of it. Then those
// outside healthcare without consent to hear clinical information join
// after the clinical summary, with a recap (CS-01, MC-04).
func fixSkeleton(f *fixer) []recommend.PatchOp {
	d := f.draft("standard_agenda")
	if d == nil {
		return nil
	}
	kinds := []meeting.ItemKind{meeting.ItemIntroductions, meeting.ItemPatientPerspective, meeting.ItemActionPlan, meeting.ItemSummary}
	if f.pass.Meeting.Kind == meeting.KindCollaboration {
		kinds = []meeting.ItemKind{meeting.ItemIntroductions, meeting.ItemClinicalSummary, meeting.ItemPatientPerspective,
			meeting.ItemDiscussion, meeting.ItemActionPlan, meeting.ItemSummary}
	}
	items := make([]meeting.AgendaItem, 0, len(kinds))
	for _, k := range kinds {
		it := d.newItem(k, itemMinutes(f.pass, k), "")
		if k == meeting.ItemPatientPerspective && f.pass.Patient() >= 0 {
			it.LeadID = f.pass.Meeting.Participants[f.pass.Patient()].ID
		}
		items = append(items, it)
	}
	d.fill(items)
	return f.finish(d, vkey{}, "")
}

func checkMC03(pass *recommend.Pass) error {
	agenda := pass.Meeting.Agenda
	switch {
	case len(agenda) == 0:
		pass.ReportCase("meeting.agenda", "empty_agenda", nil)
	case agenda[0].Kind != meeting.ItemIntroductions:
		pass.ReportItem(0, "kind", "not_introductions", recommend.Args{"item_kind": agenda[0].Kind})
		if reason, args, ops := fixEnd(newFixer(pass), meeting.ItemIntroductions, 0); ops != nil {
			pass.Fix(reason, args, ops...)
		}
	}
	return nil
}

// fixEnd puts an item of kind k at the front (to 0) or at the end (to the
// last index): it moves the first (last) one there when that changes no
// one's attendance, or adds one of 5 minutes. A summary added at the end is
// attended by the patient (PC-01).
func fixEnd(f *fixer, k meeting.ItemKind, to int) (string, recommend.Args, []recommend.PatchOp) {
	if f == nil {
		return "", nil, nil
	}
	items := f.pass.Items(k)
	if len(items) > 0 {
		from := items[0]
		if to > 0 {
			from = items[len(items)-1]
		}
		if d := f.draft("move_item"); d != nil && d.safeMove(from, to) {
			if ops := f.finish(d, vkey{}, ""); ops != nil {
				return "move_item", recommend.Args{"from": from + 1, "item": to + 1}, ops
			}
		}
	}
	d := f.draft("add_item")
	if d == nil {
		return "", nil, nil
	}
	pos := 0
	if to > 0 {
		pos = len(d.agenda)
	}
	d.insertAt(pos, d.newItem(k, shortItemMinutes, ""))
	return "add_item", recommend.Args{"item": pos + 1, "minutes": shortItemMinutes}, f.finish(d, vkey{}, "")
}

// checkMC04: every participant who joins after the start joins at a
// recap, and so does every participant coming back after stepping out
// (away_items): the item it returns to is a late join too.
func checkMC04(pass *recommend.Pass) error {
	var f *fixer
	for k := range pass.Meeting.Participants {
		first, last := pass.Span(k)
		if first > last {
			continue // attending nothing (a reference off the agenda)
		}
		if first > 0 && !recapItem(pass, first) {
			pass.ReportParticipant(k, "joins_at_item", "joins_without_recap", itemArgs(pass, first))
			if f == nil {
				f = newFixer(pass)
			}
			if reason, args, ops := fixRecap(f, k, first); ops != nil {
				pass.Fix(reason, args, ops...)
			}
		}
		var fix lazyFix
		away := pass.Away(k)
		for j := range away {
			r := returnAt(away, j, last)
			if r < 0 || recapItem(pass, r) {
				continue
			}
			pass.ReportParticipant(k, "away_items", "returns_without_recap", itemArgs(pass, r))
			if !fix.done {
				if f == nil {
					f = newFixer(pass)
				}
				fix.set(fixReturns(f, k))
			}
			fix.attach(pass)
		}
	}
	return nil
}

// recapItem reports whether joining at agenda item i is joining with a
// recap (MC-04): introductions, a summary, or an item marked recap.
func recapItem(pass *recommend.Pass, i int) bool {
	it := &pass.Meeting.Agenda[i]
	return it.Kind == meeting.ItemIntroductions || it.Kind == meeting.ItemSummary || it.Recap
}

// returnAt returns the agenda item at which a participant comes back after
// stepping out of away[j] (its away items, ascending, inside a span ending
// at last): the item after it, when that is in the span and not away too;
// else -1.
func returnAt(away []int, j, last int) int {
	r := away[j] + 1
	if r > last || j+1 < len(away) && away[j+1] == r {
		return -1
	}
	return r
}

// fixReturns gives participant k a recap item just before every item it
// comes back to after stepping out without one (MC-04).
func fixReturns(f *fixer, k int) (string, recommend.Args, []recommend.PatchOp) {
	d := f.draft("add_return_recap")
	if d == nil || !d.recapReturns(k) {
		return "", nil, nil
	}
	ops := f.finish(d, vkey{"MC-04.return", k}, "")
	if ops == nil {
		return "", nil, nil
	}
	return "add_return_recap", nil, ops
}

// fixRecap gives participant k, joining at item first, a recap: joining at
// the item before when it is one, else at a recap item inserted before its
// join point, else at an earlier recap, else at a later one; never into an
// item k may not attend (CS-01, CS-08).
func fixRecap(f *fixer, k, first int) (string, recommend.Args, []recommend.PatchOp) {
	if d := f.draft("add_recap"); d != nil && d.joinWithRecap(k, first, d.tag(k)) {
		reason := "add_recap"
		if len(d.agenda) == len(f.pass.Meeting.Agenda) {
			reason = "join_at_recap"
		}
		if ops := f.finish(d, vkey{"MC-04", k}, ""); ops != nil {
			join, _ := d.span(k)
			return reason, recommend.Args{"item": join + 1}, ops
		}
	}
	if d := f.draft("join_at_recap"); d != nil && d.joinAtLaterRecap(k) {
		if ops := f.finish(d, vkey{"MC-04", k}, ""); ops != nil {
			join, _ := d.span(k)
			return "join_at_recap", recommend.Args{"item": join + 1}, ops
		}
	}
	return "", nil, nil
}

func checkMC05(pass *recommend.Pass) error {
	m := pass.Meeting
	if !m.Format.Remote() {
		pass.NotApplicable()
		return nil
	}
	if strings.TrimSpace(m.Platform) == "" {
		pass.ReportCase("meeting.platform", "no_platform", recommend.Args{"format": m.Format})
	}
	return nil
}

func checkMC06(pass *recommend.Pass) error {
	m := pass.Meeting
	if m.Format != meeting.FormatHybrid {
		pass.NotApplicable()
		return nil
	}
	// Remote: at home, at an office or at a workplace. The group in one
	// room counts those who are not patient side: a patient with a spouse
	// beside them is not people drifting to the edge.
	remote := false
	var clinic, gpOffice int
	for k := range m.Participants {
		p := &m.Participants[k]
		switch p.Location {
		case meeting.LocationHome, meeting.LocationOffice, meeting.LocationWorkplace:
			remote = true
		case meeting.LocationClinic:
			if !p.PatientSide() {
				clinic++
			}
		case meeting.LocationGPOffice:
			if !p.PatientSide() {
				gpOffice++
			}
		}
	}
	if !remote {
		return nil
	}
	limit := pass.Int("max_colocated")
	for _, at := range [...]struct {
		loc meeting.Location
		n   int
	}{{meeting.LocationClinic, clinic}, {meeting.LocationGPOffice, gpOffice}} {
		if at.n > 0 && at.n >= limit {
			pass.ReportCase("meeting.participants", "colocated",
				recommend.Args{"location": at.loc, "participants": at.n, "colocated_participants": limit})
		}
	}
	return nil
}

func checkMC07(pass *recommend.Pass) error {
	agenda := pass.Meeting.Agenda
	n := len(agenda)
	switch {
	case n == 0:
		pass.ReportCase("meeting.agenda", "empty_agenda", nil)
	case agenda[n-1].Kind != meeting.ItemSummary:
		pass.ReportItem(n-1, "kind", "not_summary", recommend.Args{"item_kind": agenda[n-1].Kind})
		if reason, args, ops := fixEnd(newFixer(pass), meeting.ItemSummary, n-1); ops != nil {
			pass.Fix(reason, args, ops...)
		}
	}
	return nil
}

// checkMC08 asks the minimum of collaboration meetings only (2026.2): a
// follow-up check-in may be short.
func checkMC08(pass *recommend.Pass) error {
	m := pass.Meeting
	lo, hi := pass.Int("min_minutes"), pass.Int("max_minutes")
	if m.Kind == meeting.KindCollaboration && m.DurationMinutes < lo {
		pass.ReportCase("meeting.duration_minutes", "too_short",
			recommend.Args{"duration_minutes": m.DurationMinutes, "min_minutes": lo})
	}
	if m.DurationMinutes > hi {
		pass.ReportCase("meeting.duration_minutes", "too_long",
			recommend.Args{"duration_minutes": m.DurationMinutes, "max_minutes": hi})
	}
	return nil
}

func checkMC09(pass *recommend.Pass) error {
	prep := pass.Meeting.Preparation
	if prep == nil {
		pass.ReportCase("meeting.preparation", "no_preparation", nil)
		return nil
	}
	reportNotice(pass, prep.AgendaSentAt, "meeting.preparation.agenda_sent_at", "agenda_not_sent", "agenda_late")
	for k := range pass.Meeting.Participants {
		if !pass.Listed(prep.SentTo, pass.Meeting.Participants[k].ID) {
			pass.ReportListed(k, "meeting.preparation.sent_to", "not_sent_to", nil)
		}
	}
	return nil
}

func checkMC10(pass *recommend.Pass) error {
	if !checkTask(pass, pass.Meeting.MinuteTakerID, "minute_taker", "meeting.minute_taker_id") {
		// Leading and taking minutes are two jobs: a colleague of the
		// leader takes them where one can, the leader only where none can.
		if k := minuteTaker(pass); k >= 0 {
			fixTask(pass, k, "colleague_takes_minutes", (*draft).setMinuteTaker)
		} else {
			fixTask(pass, pass.Participant(pass.Meeting.LeaderID), "leader_takes_minutes", (*draft).setMinuteTaker)
		}
	}
	if !checkTask(pass, pass.Meeting.PlanUpdaterID, "plan_updater", "meeting.plan_updater_id") {
		fixTask(pass, pass.Participant(pass.Meeting.LeaderID), "leader_updates_plan", (*draft).setPlanUpdater)
	}
	return nil
}

// minuteTaker returns the first healthcare participant other than the
// leader who attends the whole meeting, or -1.
func minuteTaker(pass *recommend.Pass) int {
	m := pass.Meeting
	for k := range m.Participants {
		if p := &m.Participants[k]; p.Healthcare() && p.ID != m.LeaderID && pass.AttendsWhole(k) {
			return k
		}
	}
	return -1
}

// fixTask names participant k for a task that no one is named for, when k
// is a participant who attends the whole meeting. The fix's args name k by
// position and role.
func fixTask(pass *recommend.Pass, k int, reason string, set func(*draft, uuid.UUID)) {
	if k < 0 || !pass.AttendsWhole(k) {
		return
	}
	f := newFixer(pass)
	if d := f.draft(reason); d != nil {
		p := &pass.Meeting.Participants[k]
		set(d, p.ID)
		if ops := f.finish(d, vkey{}, ""); ops != nil {
			pass.Fix(reason, recommend.Args{"participant": k + 1, "role": p.Role}, ops...)
		}
	}
}

// checkTask checks the participant that the meeting names for a task
// (minute_taker, plan_updater) in the field task + "_id": named, a
// participant, and attending the whole meeting. The reasons are the task's:
// no_TASK, TASK_not_participant, TASK_not_attending, TASK_joins_late,
// TASK_leaves_early and TASK_steps_out.
//
// It reports whether someone is named (a finding of no_TASK is false).
// field is the task's path, given whole so that a check that passes builds
// no string.
func checkTask(pass *recommend.Pass, id uuid.UUID, task, field string) bool {
	if id == uuid.Nil {
		pass.ReportCase(field, "no_"+task, nil)
		return false
	}
	k := pass.Participant(id)
	if k < 0 {
		pass.ReportCase(field, task+"_not_participant", nil)
		return true
	}
	n := len(pass.Meeting.Agenda)
	if n == 0 {
		return true // an empty agenda is MC-02's
	}
	first, last := pass.Span(k)
	if first > last {
		pass.ReportParticipant(k, "", task+"_not_attending", nil)
		return true
	}
	if first > 0 {
		pass.ReportParticipant(k, "joins_at_item", task+"_joins_late", recommend.Args{"item": first + 1})
	}
	if last < n-1 {
		pass.ReportParticipant(k, "leaves_after_item", task+"_leaves_early", recommend.Args{"item": last + 1})
	}
	if away := pass.Away(k); len(away) > 0 {
		pass.ReportParticipant(k, "away_items", task+"_steps_out", recommend.Args{"item": away[0] + 1})
	}
	return true
}
