//go:build ignore

package recommend

import (
	"fmt"
	"strings"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
)

// commonActionPlan is the theme AP: the meeting ends with a common action plan.
func commonActionPlan() []Rule {
	return []Rule{
		{Recommendation: Recommendation{
			ID: "AP-01", Title: "The agenda has time for the action plan",
			Statement: "There is an agenda item of kind `action_plan` of at least `plan_minutes` minutes.",
			Rationale: "A common action plan is the purpose of the meeting; it needs its own time on the agenda.",
			Source:    "N26 theme 2",
			Theme:     ThemeCommonActionPlan, Severity: SeverityRequired, Phase: PhaseBefore,
			Params: []Param{{Name: "plan_minutes", Default: 10,
				Doc: "Least length in minutes of the action_plan item."}},
		}, Check: checkAP01},
		{Recommendation: Recommendation{
			ID: "AP-02", Title: "Decide together: a discussion before the plan",
			Statement: "There is an item of kind `discussion` of at least `discussion_minutes` minutes placed before the first `action_plan` item (anywhere, when the agenda has no action_plan item).",
			Rationale: "Meetings that only passed on information, with decisions made beforehand, left the patient and the services out of the decision.",
			Source:    "H25 (information exchange or discussion)",
			Theme:     ThemeCommonActionPlan, Severity: SeverityRecommended, Phase: PhaseBefore,
			Params: []Param{{Name: "discussion_minutes", Default: 10,
				Doc: "Least length in minutes of the discussion item."}},
		}, Check: checkAP02},
		{Recommendation: Recommendation{
			ID: "AP-03", Title: "A plan exists",
			Statement: "The case has a plan (`plan` present, even as `status: draft`).",
			Rationale: "Without a written plan, the meeting's decisions are not shared.",
			Source:    "N26 theme 2",
			Theme:     ThemeCommonActionPlan, Severity: SeverityRequired, Phase: PhaseBefore,
		}, Check: checkAP03},
		{Recommendation: Recommendation{
			ID: "AP-04", Title: "Every action has an owner",
			Statement: "The plan has at least one action, and every action has an `owner_id` that is a participant of the meeting. A gap without a plan.",
			Rationale: "Unclear responsibility left actions undone: each one needs a person who takes it on.",
			Source:    "H25 (unclear responsibility)",
			Theme:     ThemeCommonActionPlan, Severity: SeverityRequired, Phase: PhaseBefore,
		}, Check: checkAP04},
		{Recommendation: Recommendation{
			ID: "AP-05", Title: "Every action has a due date within the pathway",
			Statement: "Every action has a `due` date after the meeting start and no later than `horizon_days` days after it. A gap without a plan; a plan without actions passes (see AP-04).",
			Rationale: "The pathway runs for six months; a date makes an action a commitment.",
			Source:    "H25, pathway of the trial NCT07331766",
			Theme:     ThemeCommonActionPlan, Severity: SeverityRequired, Phase: PhaseBefore,
			Params: []Param{{Name: "horizon_days", Default: 183,
				Doc: "Most whole days (24 h) after the meeting start by which an action is due."}},
		}, Check: checkAP05},
		{Recommendation: Recommendation{
			ID: "AP-06", Title: "Follow-up is defined",
			Statement: "`plan.follow_up` has `next_contact_at` after the start, `contact_person_id` naming a participant, and `initiator` (`patient` or `service`). A gap without a plan.",
			Rationale: "Patients were 'lost' after the meeting when nobody knew who would take the initiative, and when.",
			Source:    "H25 (patients 'lost' afterwards; who takes the initiative)",
			Theme:     ThemeCommonActionPlan, Severity: SeverityRequired, Phase: PhaseBefore,
		}, Check: checkAP06},
		{Recommendation: Recommendation{
			ID: "AP-07", Title: "The follow-up intensity fits",
			Statement: "`plan.follow_up.intensity` is set (`close`, `regular`, `check_in`); when any participant has `changing_soon: true`, it is `close`. A gap without a plan.",
			Rationale: "How closely the patient needs following up depends on the stage; a change of supervisor calls for close follow-up.",
			Source:    "H25 (intensity depends on stage; supervisor change)",
			Theme:     ThemeCommonActionPlan, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkAP07},
		{Recommendation: Recommendation{
			ID: "AP-08", Title: "Suggested actions were sent before the meeting",
			Statement: "`preparation.suggested_actions_sent_at` is at least `notice_days` days before the start. Applies with profile `thorough` only; a gap without a preparation record.",
			Rationale: "Preparedness can be flexible: a thorough preparation sends suggested actions so that everyone comes ready to decide.",
			Source:    "N26 (flexible preparedness)",
			Theme:     ThemeCommonActionPlan, Severity: SeverityRecommended, Phase: PhaseBefore, MinProfile: ProfileThorough,
			Params: []Param{paramNoticeDays},
		}, Check: checkAP08},
		{Recommendation: Recommendation{
			ID: "AP-09", Title: "The patient agreed to the plan",
			Statement: "After the meeting, `plan.status` is `agreed` and `plan.patient_agreed_at` is set. A gap without a plan.",
			Rationale: "A plan decided beforehand, without the patient's agreement, is not a common plan.",
			Source:    "N26, H25 (decisions made beforehand)",
			Theme:     ThemeCommonActionPlan, Severity: SeverityRequired, Phase: PhaseAfter,
		}, Check: checkAP09},
		{Recommendation: Recommendation{
			ID: "AP-10", Title: "The plan was sent to everyone",
			Statement: "After the meeting, `plan.distributed_at` is no later than `distribute_days` days after the start, and `plan.recipients` holds every participant. A gap without a plan.",
			Rationale: "Everyone who takes part needs the plan to do their part.",
			Source:    "N26 theme 2, H25",
			Theme:     ThemeCommonActionPlan, Severity: SeverityRecommended, Phase: PhaseAfter,
			Params: []Param{{Name: "distribute_days", Default: 7,
				Doc: "Most whole days (24 h) after the meeting start by which the plan is sent out."}},
		}, Check: checkAP10},
		{Recommendation: Recommendation{
			ID: "AP-11", Title: "Every sector has a part in the plan",
			Statement: "Every sector present at the meeting, other than the patient side, owns at least one action or is named in `plan.informed_only_sectors`. A gap without a plan.",
			Rationale: "Supervisors felt excluded from planning; a sector that takes part either acts or is knowingly only informed.",
			Source:    "H25 (supervisors excluded from planning)",
			Theme:     ThemeCommonActionPlan, Severity: SeverityAdvisory, Phase: PhaseBefore,
		}, Check: checkAP11},
	}
}

const remedyMakePlan = "Make the common action plan and record it in the case (plan)."

// reportNoPlan reports a missing plan and says whether it did.
func reportNoPlan(pass *Pass) bool {
	if pass.Plan != nil {
		return false
	}
	pass.ReportMeeting("plan", "the case has no action plan", remedyMakePlan)
	return true
}

func checkAP01(pass *Pass) {
	m := pass.Meeting
	want := pass.Int("plan_minutes")
	found := false
	for i := range m.Agenda {
		if m.Agenda[i].Kind == meeting.ItemActionPlan {
			if m.Agenda[i].Minutes >= want {
				return
			}
			found = true
		}
	}
	if !found {
		pass.ReportMeeting("meeting.agenda", "the agenda has no action_plan item",
			fmt.Sprintf("Add an item of kind action_plan of at least %d minutes.", want))
		return
	}
	for i := range m.Agenda {
		if it := &m.Agenda[i]; it.Kind == meeting.ItemActionPlan {
			pass.Report(Finding{SubjectID: it.ID, Path: itemField(i, "minutes"),
				Message: fmt.Sprintf("%s has %d minutes; at least %d are needed", itemLabel(m, i), it.Minutes, want),
				Remedy:  fmt.Sprintf("Give the action plan at least %d minutes.", want)})
		}
	}
}

func checkAP02(pass *Pass) {
	m := pass.Meeting
	want := pass.Int("discussion_minutes")
	firstPlan := m.FirstItem(meeting.ItemActionPlan)
	if firstPlan < 0 {
		firstPlan = len(m.Agenda)
	}
	found := false
	for i := range m.Agenda {
		if m.Agenda[i].Kind == meeting.ItemDiscussion {
			if i < firstPlan && m.Agenda[i].Minutes >= want {
				return
			}
			found = true
		}
	}
	if !found {
		pass.ReportMeeting("meeting.agenda", "the agenda has no discussion item",
			fmt.Sprintf("Add an item of kind discussion of at least %d minutes before the action plan.", want))
		return
	}
	for i := range m.Agenda {
		it := &m.Agenda[i]
		if it.Kind != meeting.ItemDiscussion {
			continue
		}
		if i > firstPlan {
			pass.Report(Finding{SubjectID: it.ID, Path: itemPath(i),
				Message: itemLabel(m, i) + " comes after the first action_plan item " + itemPath(firstPlan),
				Remedy:  "Discuss the options before making the action plan: move the discussion item before it."})
		}
		if it.Minutes < want {
			pass.Report(Finding{SubjectID: it.ID, Path: itemField(i, "minutes"),
				Message: fmt.Sprintf("%s has %d minutes; at least %d are needed", itemLabel(m, i), it.Minutes, want),
				Remedy:  fmt.Sprintf("Give the discussion at least %d minutes.", want)})
		}
	}
}

func checkAP03(pass *Pass) { reportNoPlan(pass) }

func checkAP04(pass *Pass) {
	if reportNoPlan(pass) {
		return
	}
	p := pass.Plan
	if len(p.Actions) == 0 {
		pass.ReportMeeting("plan.actions", "the plan has no action", "Agree at least one action, with an owner and a due date.")
		return
	}
	for i := range p.Actions {
		a := &p.Actions[i]
		switch {
		case a.OwnerID == uuid.Nil:
			pass.Report(Finding{SubjectID: a.ID, Path: actionField(i, "owner_id"),
				Message: "the action has no owner",
				Remedy:  "Name the participant who takes this action on (owner_id)."})
		case pass.index.participant(a.OwnerID) < 0:
			pass.Report(Finding{SubjectID: a.ID, Path: actionField(i, "owner_id"),
				Message: "the action's owner is not a participant of the meeting",
				Remedy:  "Give the action to a participant of the meeting (owner_id), or invite its owner."})
		}
	}
}

func checkAP05(pass *Pass) {
	if reportNoPlan(pass) {
		return
	}
	horizon := pass.Days("horizon_days")
	for i := range pass.Plan.Actions {
		a := &pass.Plan.Actions[i]
		if within(a.Due, pass.Start, horizon) {
			continue
		}
		msg := "the action has no due date"
		switch {
		case a.Due.IsZero():
		case !a.Due.After(pass.Start):
			msg = "the action is due at or before the meeting start"
		default:
			msg = fmt.Sprintf("the action is due more than %d days after the meeting start", pass.Int("horizon_days"))
		}
		pass.Report(Finding{SubjectID: a.ID, Path: actionField(i, "due"), Message: msg,
			Remedy: fmt.Sprintf("Set a due date after the meeting and within %d days of it.", pass.Int("horizon_days"))})
	}
}

// reportNoFollowUp reports a missing plan or follow-up and returns the follow-up.
func reportNoFollowUp(pass *Pass) *plan.FollowUp {
	if reportNoPlan(pass) {
		return nil
	}
	if pass.Plan.FollowUp == nil {
		pass.ReportMeeting("plan.follow_up", "the plan does not define the follow-up",
			"Agree who follows the patient up, when, how closely and who takes the initiative (plan.follow_up).")
	}
	return pass.Plan.FollowUp
}

func checkAP06(pass *Pass) {
	f := reportNoFollowUp(pass)
	if f == nil {
		return
	}
	if !f.NextContactAt.After(pass.Start) {
		msg := "the next contact is not dated"
		if !f.NextContactAt.IsZero() {
			msg = "the next contact is at or before the meeting start"
		}
		pass.ReportMeeting("plan.follow_up.next_contact_at", msg, "Agree the date of the next contact after the meeting.")
	}
	switch k := pass.index.participant(f.ContactPersonID); {
	case f.ContactPersonID == uuid.Nil:
		pass.ReportMeeting("plan.follow_up.contact_person_id", "no contact person is named",
			"Name the participant whom the patient contacts (contact_person_id).")
	case k < 0:
		pass.ReportMeeting("plan.follow_up.contact_person_id", "the contact person is not a participant of the meeting",
			"Name a participant of the meeting as contact person.")
	}
	if !f.Initiator.Valid() {
		pass.ReportMeeting("plan.follow_up.initiator", "it is not agreed who takes the initiative for the next contact",
			"Set initiator to patient or service.")
	}
}

func checkAP07(pass *Pass) {
	f := reportNoFollowUp(pass)
	if f == nil {
		return
	}
	if !f.Intensity.Valid() {
		pass.ReportMeeting("plan.follow_up.intensity", "the intensity of the follow-up is not set",
			"Set intensity to close, regular or check_in.")
		return
	}
	if f.Intensity == plan.IntensityClose {
		return
	}
	m := pass.Meeting
	for k := range m.Participants {
		if m.Participants[k].ChangingSoon {
			pass.ReportMeeting("plan.follow_up.intensity",
				participantLabel(m, k)+" is changing soon, but the follow-up is "+string(f.Intensity)+", not close",
				"Follow the patient up closely while a participant is being replaced (intensity close).")
			return
		}
	}
}

func checkAP08(pass *Pass) {
	prep := pass.Meeting.Preparation
	if prep == nil {
		pass.ReportMeeting("meeting.preparation", "no preparation record: it is not known that suggested actions were sent",
			"Record when the suggested actions were sent (meeting.preparation.suggested_actions_sent_at).")
		return
	}
	if !sentInTime(prep.SuggestedActionsSentAt, pass.Start, pass.Days("notice_days")) {
		pass.ReportMeeting("meeting.preparation.suggested_actions_sent_at",
			lateMessage("the suggested actions", prep.SuggestedActionsSentAt.IsZero(), pass.Int("notice_days")),
			fmt.Sprintf("Send the suggested actions at least %d days before the meeting.", pass.Int("notice_days")))
	}
}

func checkAP09(pass *Pass) {
	if reportNoPlan(pass) {
		return
	}
	if pass.Plan.Status != plan.StatusAgreed {
		pass.ReportMeeting("plan.status", "the plan is not agreed", "Go through the plan with the patient and record the agreement (status agreed).")
	}
	if pass.Plan.PatientAgreedAt.IsZero() {
		pass.ReportMeeting("plan.patient_agreed_at", "it is not recorded when the patient agreed to the plan",
			"Record when the patient agreed to the plan (patient_agreed_at).")
	}
}

func checkAP10(pass *Pass) {
	if reportNoPlan(pass) {
		return
	}
	p, m := pass.Plan, pass.Meeting
	days := pass.Int("distribute_days")
	switch {
	case p.DistributedAt.IsZero():
		pass.ReportMeeting("plan.distributed_at", "it is not recorded that the plan was sent out",
			fmt.Sprintf("Send the plan to every participant within %d days of the meeting, and record when (distributed_at).", days))
	case p.DistributedAt.After(pass.Start.Add(pass.Days("distribute_days"))):
		pass.ReportMeeting("plan.distributed_at", fmt.Sprintf("the plan was sent out more than %d days after the meeting start", days),
			fmt.Sprintf("Send the plan within %d days of the meeting.", days))
	}
	for k := range m.Participants {
		if !pass.index.receivers.has(m.Participants[k].ID) {
			pass.ReportParticipant(k, "plan.recipients", participantLabel(m, k)+" is not among the plan's recipients",
				"Send the plan to every participant and record them (recipients).")
		}
	}
}

func checkAP11(pass *Pass) {
	if reportNoPlan(pass) {
		return
	}
	m, p := pass.Meeting, pass.Plan
	large := len(m.Participants) > smallList || len(p.Actions) > smallList || len(p.InformedOnlySectors) > smallList
	var seen, covered map[meeting.Sector]bool
	if large {
		seen, covered = sectorsCovered(pass)
	}
	for k := range m.Participants {
		s := m.Participants[k].Sector
		if large {
			if s == meeting.SectorPatient || seen[s] || covered[s] {
				seen[s] = true
				continue
			}
			seen[s] = true
		} else {
			if s == meeting.SectorPatient || seenSectorBefore(m, k) {
				continue
			}
			if sectorOwnsAction(pass, s) || containsSector(p.InformedOnlySectors, s) {
				continue
			}
		}
		pass.ReportMeeting("plan.actions",
			"sector "+string(s)+" takes part but owns no action and is not listed in plan.informed_only_sectors",
			"Give "+string(s)+" an action, or list it in informed_only_sectors if it only needs to be informed.")
	}
}

// seenSectorBefore reports whether a participant before index k has the sector of participant k.
func seenSectorBefore(m *meeting.Meeting, k int) bool {
	for j := 0; j < k; j++ {
		if m.Participants[j].Sector == m.Participants[k].Sector {
			return true
		}
	}
	return false
}

// sectorOwnsAction reports whether a participant of sector s owns an action
// of the plan. The owners are looked up once per Check, not once per sector.
func sectorOwnsAction(pass *Pass, s meeting.Sector) bool {
	ix := &pass.index
	if !ix.ownersFound {
		ix.ownerSectors, ix.ownersFound = ix.ownerSectors[:0], true
		for i := range pass.Plan.Actions {
			if k := ix.participant(pass.Plan.Actions[i].OwnerID); k >= 0 {
				ix.ownerSectors = append(ix.ownerSectors, pass.Meeting.Participants[k].Sector)
			}
		}
	}
	for _, o := range ix.ownerSectors {
		if o == s {
			return true
		}
	}
	return false
}

func containsSector(sectors []string, s meeting.Sector) bool {
	for _, x := range sectors {
		if strings.TrimSpace(x) == string(s) {
			return true
		}
	}
	return false
}

// sectorsCovered returns an empty set of sectors seen, and the set of the
// sectors that own an action or are listed as informed only: what
// seenSectorBefore, sectorOwnsAction and containsSector find, in time linear
// in the size of a large case.
func sectorsCovered(pass *Pass) (seen, covered map[meeting.Sector]bool) {
	m, p := pass.Meeting, pass.Plan
	seen, covered = make(map[meeting.Sector]bool), make(map[meeting.Sector]bool)
	for i := range p.Actions {
		if k := pass.index.participant(p.Actions[i].OwnerID); k >= 0 {
			covered[m.Participants[k].Sector] = true
		}
	}
	for _, x := range p.InformedOnlySectors {
		covered[meeting.Sector(strings.TrimSpace(x))] = true
	}
	return seen, covered
}
