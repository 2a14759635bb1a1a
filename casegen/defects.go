package casegen

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
)

// Defect is one realistic way a meeting falls short of the catalogue, as the
// studies describe them. A generated case keeps valid whatever its defects.
type Defect string

// The defects the generator applies.
const (
	// PatientNoVoice: the patient's perspective item is five minutes long
	// and led by a professional (H25: no room for the patient to speak).
	PatientNoVoice Defect = "patient_no_voice"
	// PatientNotFirst: the patient does not speak first in the discussion (SN).
	PatientNotFirst Defect = "patient_not_first"
	// JoinsWithoutRecap: someone outside healthcare joins midway, at the
	// discussion, with no introductions or recap (H25).
	JoinsWithoutRecap Defect = "joins_without_recap"
	// ActionWithoutOwner: an action of the plan has no owner (H25: unclear responsibility).
	ActionWithoutOwner Defect = "action_without_owner"
	// NoActions: the plan has no actions at all.
	NoActions Defect = "no_actions"
	// FollowUpWithoutContact: the follow-up names no contact person and no
	// initiator (H25: patients lost afterwards).
	FollowUpWithoutContact Defect = "follow_up_without_contact"
	// NextOfKinWithoutConsent: a next of kin takes part without the patient's consent.
	NextOfKinWithoutConsent Defect = "next_of_kin_without_consent"
	// NoPlan: no action plan was made.
	NoPlan Defect = "no_plan"
	// NoLeader: nobody is named to lead the meeting.
	NoLeader Defect = "no_leader"
	// NoMinuteTaker: nobody is named to take the minutes.
	NoMinuteTaker Defect = "no_minute_taker"
	// NoPlatform: a digital or hybrid meeting names no video service.
	NoPlatform Defect = "no_platform"
	// HearsClinicalSummaryWithoutConsent: someone outside healthcare is
	// present for the clinical summary without consent to hear it (H25).
	HearsClinicalSummaryWithoutConsent Defect = "hears_clinical_summary_without_consent"
	// AgendaSentLate: the agenda and the list of participants went out the day before.
	AgendaSentLate Defect = "agenda_sent_late"
	// NoFollowUpMeeting: a collaboration meeting books no follow-up meeting.
	NoFollowUpMeeting Defect = "no_follow_up_meeting"
	// NoGP: a collaboration meeting without the GP.
	NoGP Defect = "no_gp"
	// PlanNotAgreed: a held meeting whose plan the patient never agreed to
	// (H25: decisions made beforehand).
	PlanNotAgreed Defect = "plan_not_agreed"
	// ActionDueTooLate: an action is due long after the six months of the pathway.
	ActionDueTooLate Defect = "action_due_too_late"
	// SensitiveWithOutsider: an item marked sensitive is attended by someone
	// outside healthcare (SN).
	SensitiveWithOutsider Defect = "sensitive_with_outsider"
	// NoPatientGoals: the plan records no goal in the patient's words.
	NoPatientGoals Defect = "no_patient_goals"
)

// Defects returns every Defect, most frequent first (a fresh slice).
func Defects() []Defect { return slices.Clone(defects[:]) }

var defects = [...]Defect{
	PatientNoVoice, JoinsWithoutRecap, ActionWithoutOwner, FollowUpWithoutContact, PatientNotFirst,
	NextOfKinWithoutConsent, NoPlan, AgendaSentLate, NoFollowUpMeeting, HearsClinicalSummaryWithoutConsent,
	NoLeader, NoMinuteTaker, NoPlatform, NoGP, PlanNotAgreed, ActionDueTooLate, SensitiveWithOutsider,
	NoPatientGoals, NoActions,
}

// defectWeights weighs Defects (same order): the studies' common findings come up most.
var defectWeights = []int{10, 8, 7, 7, 6, 5, 4, 4, 4, 3, 2, 2, 2, 2, 3, 2, 2, 3, 2}

// Recommendation is the ID of the recommendation that reports a gap for d
// under the default policy.
func (d Defect) Recommendation() string {
	switch d {
	case PatientNoVoice:
		return "PC-05"
	case PatientNotFirst:
		return "PC-09"
	case JoinsWithoutRecap:
		return "MC-04"
	case ActionWithoutOwner, NoActions:
		return "AP-04"
	case FollowUpWithoutContact:
		return "AP-06"
	case NextOfKinWithoutConsent:
		return "PC-04"
	case NoPlan:
		return "AP-03"
	case NoLeader:
		return "MC-01"
	case NoMinuteTaker:
		return "MC-10"
	case NoPlatform:
		return "MC-05"
	case HearsClinicalSummaryWithoutConsent:
		return "CS-01"
	case AgendaSentLate:
		return "PC-07"
	case NoFollowUpMeeting:
		return "PW-03"
	case NoGP:
		return "CS-10"
	case PlanNotAgreed:
		return "AP-09"
	case ActionDueTooLate:
		return "AP-05"
	case SensitiveWithOutsider:
		return "CS-08"
	case NoPatientGoals:
		return "PC-08"
	}
	return ""
}

// ofAnAction reports whether d is a defect of one action, which NoActions
// would remove with the actions.
func (d Defect) ofAnAction() bool { return d == ActionWithoutOwner || d == ActionDueTooLate }

// needsHeld reports whether d is a defect of the action plan's content,
// which the catalogue checks once the meeting is held (a planned meeting is
// never asked for a finished plan): the generator gives it to held
// meetings only.
func (d Defect) needsHeld() bool {
	switch d {
	case ActionWithoutOwner, NoActions, FollowUpWithoutContact, NoPlan, NoFollowUpMeeting, PlanNotAgreed,
		ActionDueTooLate, NoPatientGoals:
		return true
	}
	return false
}

func pickDefect(r *rand.Rand) Defect {
	total := 0
	for _, w := range defectWeights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range defectWeights {
		if x < w {
			return defects[i]
		}
		x -= w
	}
	return defects[0]
}

// apply gives the case defect d, and reports false (changing nothing) when
// d does not fit the case (no next of kin to leave without consent, no plan
// to take an owner from, ...).
func (b *builder) apply(d Defect) bool {
	c := b.c
	m := &c.Meeting
	p := c.Plan
	if d.needsHeld() && m.Status != meeting.StatusHeld {
		return false
	}
	switch d {
	case PatientNoVoice:
		it := &m.Agenda[b.perspective]
		it.Minutes, it.LeadID = 5, m.Participants[b.leader].ID
	case PatientNotFirst:
		if len(b.discussions) == 0 {
			return false
		}
		m.Agenda[b.discussions[0]].PatientSpeaksFirst = false
	case JoinsWithoutRecap:
		if len(b.discussions) == 0 || b.recap < 0 {
			return false
		}
		i := b.firstLateJoiner()
		if i < 0 {
			return false
		}
		m.Participants[i].JoinsAtItem = m.Agenda[b.discussions[0]].ID
	case ActionWithoutOwner:
		if p == nil || len(p.Actions) == 0 {
			return false
		}
		p.Actions[b.r.IntN(len(p.Actions))].OwnerID = uuid.Nil
	case NoActions:
		if p == nil || len(p.Actions) == 0 {
			return false
		}
		p.Actions = nil
	case FollowUpWithoutContact:
		if p == nil || p.FollowUp == nil {
			return false
		}
		p.FollowUp.ContactPersonID, p.FollowUp.Initiator = uuid.Nil, ""
	case NextOfKinWithoutConsent:
		if len(b.nextOfKin) == 0 {
			return false
		}
		id := m.Participants[b.nextOfKin[0]].ID
		c.Consents = slices.DeleteFunc(c.Consents, func(x consent.Consent) bool { return x.GranteeID == id })
	case NoPlan:
		if p == nil {
			return false
		}
		c.Plan = nil
	case NoLeader:
		if m.LeaderID == uuid.Nil {
			return false
		}
		m.LeaderID = uuid.Nil
	case NoMinuteTaker:
		if m.MinuteTakerID == uuid.Nil {
			return false
		}
		m.MinuteTakerID = uuid.Nil
	case NoPlatform:
		if !m.Format.Remote() {
			return false
		}
		m.Platform = ""
	case HearsClinicalSummaryWithoutConsent:
		if b.clinical < 0 || m.Agenda[b.clinical].Sensitive {
			return false
		}
		i := b.firstLateJoiner()
		if i < 0 {
			return false
		}
		q := &m.Participants[i]
		q.JoinsAtItem = uuid.Nil
		for j := range c.Consents {
			if c.Consents[j].GranteeID == q.ID {
				c.Consents[j].Scopes = slices.DeleteFunc(slices.Clone(c.Consents[j].Scopes), func(s consent.Scope) bool {
					return s == consent.ScopeHearClinicalInformation
				})
			}
		}
	case AgendaSentLate:
		prep := m.Preparation
		if prep == nil {
			return false
		}
		prep.AgendaSentAt = m.Start.Add(-days(1))
		prep.ParticipantsSentAt = prep.AgendaSentAt
	case NoFollowUpMeeting:
		// A check-in needs no follow-up meeting booked (PW-03).
		if m.Kind != meeting.KindCollaboration || p == nil || p.FollowUp == nil || p.FollowUp.Intensity == plan.IntensityCheckIn {
			return false
		}
		p.FollowUp.NextMeetingAt = time.Time{}
	case NoGP:
		if m.Kind != meeting.KindCollaboration {
			return false
		}
		found := false
		for i := range m.Participants {
			if m.Participants[i].Role == meeting.RoleGP {
				m.Participants[i].Role = meeting.RoleMunicipalHealth
				found = true
			}
		}
		return found
	case PlanNotAgreed:
		if m.Status != meeting.StatusHeld || p == nil {
			return false
		}
		p.Status, p.PatientAgreedAt = plan.StatusDraft, time.Time{}
	case ActionDueTooLate:
		// A check-in's actions take the time they take (AP-05).
		if p == nil || len(p.Actions) == 0 || p.FollowUp != nil && p.FollowUp.Intensity == plan.IntensityCheckIn {
			return false
		}
		p.Actions[b.r.IntN(len(p.Actions))].Due = m.Start.Add(days(200 + b.r.IntN(100)))
	case SensitiveWithOutsider:
		if len(b.outside) == 0 || len(b.discussions) == 0 {
			return false
		}
		it := b.discussions[0]
		for _, i := range b.outside {
			if m.AttendsIndex(&m.Participants[i], it) {
				m.Agenda[it].Sensitive = true
				return true
			}
		}
		return false
	case NoPatientGoals:
		if p == nil || len(p.PatientGoals) == 0 {
			return false
		}
		p.PatientGoals = nil
	default:
		return false
	}
	return true
}

// firstLateJoiner is the first participant outside healthcare who joins at
// the recap item, or -1.
func (b *builder) firstLateJoiner() int {
	m := &b.c.Meeting
	if b.recap < 0 {
		return -1
	}
	for _, i := range b.outside {
		if m.Participants[i].JoinsAtItem == m.Agenda[b.recap].ID {
			return i
		}
	}
	return -1
}
