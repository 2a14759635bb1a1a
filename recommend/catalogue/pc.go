package catalogue

import (
	"cmp"
	"slices"
	"strings"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
)

// patientCentredness is the theme PC: the patient is at the centre of the meeting.
func patientCentredness() []recommend.Rule {
	return []recommend.Rule{
		{Recommendation: recommend.Recommendation{
			ID:    "PC-01",
			Theme: ThemePatientCentredness, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramMaxMinutes},
			Reasons: []string{"no_patient", "misses_item"},
			Fixes:   []string{"attend_items"},
		}, Check: checkPC01},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-02",
			Theme: ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamSwitch("allow_professionals_only", true)},
			Reasons: []string{"professionals_only_not_allowed", "not_attending", "joins_late", "leaves_early", "steps_out"},
		}, Check: checkPC02},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-03",
			Theme: ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Reasons: []string{"not_chosen"},
		}, Check: checkPC03},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-04",
			Theme: ThemePatientCentredness, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons:   []string{"no_valid_consent", "second_patient"},
			Protected: true,
		}, Check: checkPC04},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-05",
			Theme: ThemePatientCentredness, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramPatientMinutes, paramFollowUpPatientMinutes, paramMaxMinutes},
			Reasons: []string{"no_patient", "no_item", "too_short", "not_led_by_patient", "patient_not_attending"},
			Fixes:   []string{"add_item", "lengthen_item", "attend_item"},
		}, Check: checkPC05},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-06",
			Theme: ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamCount("max_professionals", 6)},
			Reasons: []string{"outnumbered"},
		}, Check: checkPC06},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-07",
			Theme: ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params: []recommend.Param{paramNoticeDays},
			Reasons: []string{"no_patient", "no_preparation", "agenda_not_sent", "agenda_late",
				"participants_not_sent", "participants_late", "patient_not_sent_to"},
		}, Check: checkPC07},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-08",
			Theme: ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseAfter,
			Reasons: []string{"no_plan", "no_goals"},
		}, Check: checkPC08},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-09",
			Theme: ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Reasons: []string{"patient_not_first"},
			Fixes:   []string{"speaks_first"},
		}, Check: checkPC09},
	}
}

func checkPC01(pass *recommend.Pass) error {
	k := pass.Patient()
	if k < 0 {
		pass.ReportCase("meeting.participants", "no_patient", nil)
		return nil
	}
	var fix lazyFix
	for i := range pass.Meeting.Agenda {
		if kind := pass.Meeting.Agenda[i].Kind; kind != meeting.ItemActionPlan && kind != meeting.ItemSummary {
			continue
		}
		if !pass.Attends(k, i) {
			pass.ReportParticipant(k, attendanceField(pass, k, i), "misses_item", itemArgs(pass, i))
			if !fix.done {
				fix.set(fixPC01(newFixer(pass)))
			}
			fix.attach(pass)
		}
	}
	return nil
}

// fixPC01 widens the patient's attendance to every action_plan and summary
// item, joining with a recap.
func fixPC01(f *fixer) (string, recommend.Args, []recommend.PatchOp) {
	d := f.draft("attend_items")
	if d == nil {
		return "", nil, nil
	}
	lo, hi, ok := d.patientNeeds()
	if !ok || !d.widenPatient(lo, hi) {
		return "", nil, nil
	}
	return "attend_items", nil, f.finish(d, vkey{"PC-01", -1}, "")
}

// checkPC02 reports at most one finding for what the patient misses before
// joining, one for what it misses after leaving and one for what it steps
// out of (away_items), each naming the first missed item that is not
// professionals_only, and one finding per
// professionals_only item when the policy forbids them.
func checkPC02(pass *recommend.Pass) error {
	k := pass.Patient()
	if k < 0 {
		pass.NotApplicable()
		return nil
	}
	agenda := pass.Meeting.Agenda
	if !pass.Bool("allow_professionals_only") {
		for i := range agenda {
			if agenda[i].ProfessionalsOnly {
				pass.ReportItem(i, "professionals_only", "professionals_only_not_allowed", nil)
			}
		}
	}
	// The first item not for professionals only in agenda[lo:hi], or -1.
	firstOpen := func(lo, hi int) int {
		for i := lo; i < hi; i++ {
			if !agenda[i].ProfessionalsOnly {
				return i
			}
		}
		return -1
	}
	first, last := pass.Span(k)
	if first > last {
		if firstOpen(0, len(agenda)) >= 0 {
			pass.ReportParticipant(k, "", "not_attending", nil)
		}
		return nil
	}
	if i := firstOpen(0, first); i >= 0 {
		pass.ReportParticipant(k, "joins_at_item", "joins_late", itemArgs(pass, i))
	}
	if i := firstOpen(last+1, len(agenda)); i >= 0 {
		pass.ReportParticipant(k, "leaves_after_item", "leaves_early", itemArgs(pass, i))
	}
	for _, i := range pass.Away(k) {
		if !agenda[i].ProfessionalsOnly {
			pass.ReportParticipant(k, "away_items", "steps_out", itemArgs(pass, i))
			break
		}
	}
	return nil
}

func checkPC03(pass *recommend.Pass) error {
	k := pass.Patient()
	if k < 0 {
		pass.NotApplicable()
		return nil
	}
	if !pass.Meeting.Participants[k].ChoseLocation {
		pass.ReportParticipant(k, "chose_location", "not_chosen", nil)
	}
	return nil
}

// checkPC04 asks a consent to attend of every third party, as
// Pass.ThirdParty decides it: a second participant with role patient is one
// too (the case is about one patient), reported with its own reason.
func checkPC04(pass *recommend.Pass) error {
	for k := range pass.Meeting.Participants {
		if !pass.ThirdParty(k) {
			continue
		}
		p := &pass.Meeting.Participants[k]
		d := pass.Allows(p.ID, consent.ScopeAttend, pass.Start)
		if d.Allowed() {
			continue
		}
		if p.Role == meeting.RolePatient {
			pass.ReportParticipant(k, "", "second_patient", recommend.Args{"decision": decisionCode(d)})
			continue
		}
		pass.ReportParticipant(k, "", "no_valid_consent", recommend.Args{"decision": decisionCode(d), "party": partyCode(p)})
	}
	return nil
}

// checkPC05: an item for the patient's perspective of at least
// patient_minutes (follow_up_patient_minutes in a follow_up meeting), led by
// the patient, or by next of kin speaking for a patient who attends it.
func checkPC05(pass *recommend.Pass) error {
	k := pass.Patient()
	if k < 0 {
		pass.ReportCase("meeting.participants", "no_patient", nil)
	}
	want := patientMinutes(pass)
	items := pass.Items(meeting.ItemPatientPerspective)
	// With a patient, the gap is fixed by an item led as PC-05 asks; an
	// empty agenda is MC-02's to fill.
	var fix lazyFix
	fix.done = k < 0 || len(pass.Meeting.Agenda) == 0
	if len(items) == 0 {
		pass.ReportCase("meeting.agenda", "no_item", recommend.Args{"minutes": want})
		if !fix.done {
			fix.set(fixPC05(newFixer(pass), want))
		}
		fix.attach(pass)
		return nil
	}
	agenda := pass.Meeting.Agenda
	for _, i := range items {
		if agenda[i].Minutes >= want && k >= 0 && pc05Lead(pass, k, i) == "" {
			return nil // one such item is enough
		}
	}
	for _, i := range items {
		if agenda[i].Minutes < want {
			pass.ReportItem(i, "minutes", "too_short", recommend.Args{"minutes": want, "item_minutes": agenda[i].Minutes})
			if !fix.done {
				fix.set(fixPC05(newFixer(pass), want))
			}
			fix.attach(pass)
		}
		if k < 0 {
			continue
		}
		if reason := pc05Lead(pass, k, i); reason != "" {
			pass.ReportItem(i, "lead_id", reason, nil)
			if !fix.done {
				fix.set(fixPC05(newFixer(pass), want))
			}
			fix.attach(pass)
		}
	}
	return nil
}

// pc05Lead returns "" when agenda item i is led as PC-05 asks: by the
// patient (participant k), or by next of kin when the patient attends the
// item (the patient may ask a spouse to speak for them). Otherwise it
// returns the reason: patient_not_attending for next of kin leading without
// the patient, not_led_by_patient for anyone else.
func pc05Lead(pass *recommend.Pass, k, i int) string {
	lead := pass.Meeting.Agenda[i].LeadID
	if lead == pass.Meeting.Participants[k].ID {
		return ""
	}
	if j := pass.Participant(lead); j >= 0 && pass.Meeting.Participants[j].Role == meeting.RoleNextOfKin {
		if pass.Attends(k, i) {
			return ""
		}
		return "patient_not_attending"
	}
	return "not_led_by_patient"
}

// fixPC05 gives the patient an item of their own without changing who leads
// any item: it lengthens to want an existing patient_perspective item led
// by the patient or by next of kin (the one that needs the fewest minutes
// added), letting the patient attend it; else it adds one of want minutes,
// led by the patient, after the last clinical summary, else after the
// introductions, else first, and the patient attends it.
func fixPC05(f *fixer, want int) (string, recommend.Args, []recommend.PatchOp) {
	if f == nil {
		return "", nil, nil
	}
	pass := f.pass
	p := pass.Patient()
	patient := pass.Meeting.Participants[p].ID
	agenda := pass.Meeting.Agenda
	var items []int
	for _, i := range pass.Items(meeting.ItemPatientPerspective) {
		if lead := pass.Participant(agenda[i].LeadID); lead == p || lead >= 0 && pass.Meeting.Participants[lead].Role == meeting.RoleNextOfKin {
			items = append(items, i)
		}
	}
	cost := func(i int) int { return max(0, want-agenda[i].Minutes) }
	slices.SortStableFunc(items, func(a, b int) int { return cmp.Compare(cost(a), cost(b)) })
	for _, i := range items {
		reason := "lengthen_item"
		if cost(i) == 0 {
			reason = "attend_item" // long enough, led by next of kin without the patient
		}
		d := f.draft(reason)
		if d == nil {
			break
		}
		id := agenda[i].ID
		d.setMinutes(i, max(agenda[i].Minutes, orDefault(want)))
		d.widenPatient(i, i)
		// The patient may not be able to attend it (an item for
		// professionals only, say): then the item does not close the gap.
		if j := d.at(id); j < 0 || !d.attends(p, j) && d.agenda[j].LeadID != patient {
			continue
		}
		if ops := f.finish(d, vkey{}, ""); ops != nil {
			return reason, recommend.Args{"item": i + 1, "minutes": want}, ops
		}
	}
	d := f.draft("add_item")
	if d == nil {
		return "", nil, nil
	}
	pos := 0
	if c := d.lastOf(meeting.ItemClinicalSummary); c >= 0 {
		pos = c + 1
	} else if in := d.lastOf(meeting.ItemIntroductions); in >= 0 {
		pos = in + 1
	}
	it := d.newItem(meeting.ItemPatientPerspective, orDefault(want), "")
	it.LeadID = patient
	d.insertAt(pos, it)
	d.widenPatient(pos, pos)
	return "add_item", recommend.Args{"item": pos + 1, "minutes": want}, f.finish(d, vkey{}, "")
}

func checkPC06(pass *recommend.Pass) error {
	limit := pass.Int("max_professionals")
	n := 0
	for k := range pass.Meeting.Participants {
		if !pass.Meeting.Participants[k].PatientSide() {
			n++
		}
	}
	if n > limit {
		pass.ReportCase("meeting.participants", "outnumbered", recommend.Args{"participants": n, "max_participants": limit})
	}
	return nil
}

func checkPC07(pass *recommend.Pass) error {
	k := pass.Patient()
	if k < 0 {
		pass.ReportCase("meeting.participants", "no_patient", nil)
	}
	prep := pass.Meeting.Preparation
	if prep == nil {
		pass.ReportCase("meeting.preparation", "no_preparation", nil)
		return nil
	}
	reportNotice(pass, prep.AgendaSentAt, "meeting.preparation.agenda_sent_at", "agenda_not_sent", "agenda_late")
	reportNotice(pass, prep.ParticipantsSentAt, "meeting.preparation.participants_sent_at", "participants_not_sent", "participants_late")
	if k >= 0 && !pass.Listed(prep.SentTo, pass.Meeting.Participants[k].ID) {
		pass.ReportListed(k, "meeting.preparation.sent_to", "patient_not_sent_to", nil)
	}
	return nil
}

func checkPC08(pass *recommend.Pass) error {
	if reportNoPlan(pass) {
		return nil
	}
	for _, g := range pass.Plan.PatientGoals {
		if strings.TrimSpace(g) != "" {
			return nil
		}
	}
	pass.ReportCase("plan.patient_goals", "no_goals", nil)
	return nil
}

func checkPC09(pass *recommend.Pass) error {
	var f *fixer
	for i := range pass.Meeting.Agenda {
		it := &pass.Meeting.Agenda[i]
		if (it.Kind == meeting.ItemDiscussion || it.Kind == meeting.ItemActionPlan) && !it.PatientSpeaksFirst {
			pass.ReportItem(i, "patient_speaks_first", "patient_not_first", nil)
			if f == nil {
				f = newFixer(pass)
			}
			// Marking an item changes nothing else: no guard needed.
			if d := f.draft("speaks_first"); d != nil {
				d.setSpeaksFirst(i)
				pass.Fix("speaks_first", recommend.Args{"item": i + 1}, d.ops...)
			}
		}
	}
	return nil
}
