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
			Theme: recommend.ThemePatientCentredness, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramMaxMinutes},
			Reasons: []string{"no_patient", "misses_item"},
			Fixes:   []string{"attend_items"},
		}, Check: checkPC01},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-02",
			Theme: recommend.ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamSwitch("allow_professionals_only", true)},
			Reasons: []string{"professionals_only_not_allowed", "not_attending", "joins_late", "leaves_early"},
		}, Check: checkPC02},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-03",
			Theme: recommend.ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Reasons: []string{"not_chosen"},
		}, Check: checkPC03},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-04",
			Theme: recommend.ThemePatientCentredness, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons:   []string{"no_valid_consent", "second_patient"},
			Protected: true,
		}, Check: checkPC04},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-05",
			Theme: recommend.ThemePatientCentredness, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramPatientMinutes, paramMaxMinutes},
			Reasons: []string{"no_patient", "no_item", "too_short", "not_led_by_patient"},
			Fixes:   []string{"add_item", "fix_item"},
		}, Check: checkPC05},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-06",
			Theme: recommend.ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamCount("max_professionals", 6)},
			Reasons: []string{"outnumbered"},
		}, Check: checkPC06},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-07",
			Theme: recommend.ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params: []recommend.Param{paramNoticeDays},
			Reasons: []string{"no_patient", "no_preparation", "agenda_not_sent", "agenda_late",
				"participants_not_sent", "participants_late", "patient_not_sent_to"},
		}, Check: checkPC07},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-08",
			Theme: recommend.ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseAfter,
			Reasons: []string{"no_plan", "no_goals"},
		}, Check: checkPC08},
		{Recommendation: recommend.Recommendation{
			ID:    "PC-09",
			Theme: recommend.ThemePatientCentredness, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
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
// joining and one for what it misses after leaving, each naming the first
// missed item that is not professionals_only, and one finding per
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

func checkPC05(pass *recommend.Pass) error {
	k := pass.Patient()
	if k < 0 {
		pass.ReportCase("meeting.participants", "no_patient", nil)
	}
	want := pass.Int("patient_minutes")
	items := pass.Items(meeting.ItemPatientPerspective)
	// With a patient, the gap is fixed by an item led by the patient; an
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
	ledByPatient := func(i int) bool { return k >= 0 && agenda[i].LeadID == pass.Meeting.Participants[k].ID }
	for _, i := range items {
		if agenda[i].Minutes >= want && ledByPatient(i) {
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
		if k >= 0 && !ledByPatient(i) {
			pass.ReportItem(i, "lead_id", "not_led_by_patient", nil)
			if !fix.done {
				fix.set(fixPC05(newFixer(pass), want))
			}
			fix.attach(pass)
		}
	}
	return nil
}

// fixPC05 gives the patient an item of their own: it lengthens and lets the
// patient lead an existing patient_perspective item (the one that needs the
// fewest minutes added), or adds one of want minutes, led by the patient,
// after the last clinical summary, else after the introductions, else first.
// The patient attends it.
func fixPC05(f *fixer, want int) (string, recommend.Args, []recommend.PatchOp) {
	if f == nil {
		return "", nil, nil
	}
	pass := f.pass
	patient := pass.Meeting.Participants[pass.Patient()].ID
	items := slices.Clone(pass.Items(meeting.ItemPatientPerspective))
	agenda := pass.Meeting.Agenda
	cost := func(i int) int { return max(0, want-agenda[i].Minutes) }
	slices.SortStableFunc(items, func(a, b int) int {
		if c := cmp.Compare(cost(a), cost(b)); c != 0 {
			return c
		}
		return cmp.Compare(b2i(agenda[a].LeadID != patient), b2i(agenda[b].LeadID != patient))
	})
	for _, i := range items {
		d := f.draft("fix_item")
		if d == nil {
			break
		}
		d.setMinutes(i, max(agenda[i].Minutes, orDefault(want)))
		d.setLead(i, patient)
		d.widenPatient(i, i)
		if ops := f.finish(d, vkey{}, ""); ops != nil {
			return "fix_item", recommend.Args{"item": i + 1, "minutes": want}, ops
		}
	}
	if len(items) > 0 {
		return "", nil, nil
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

// b2i is 1 for true.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
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
