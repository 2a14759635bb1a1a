//go:build ignore

package recommend

import (
	"fmt"
	"strings"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
)

// crossSector is the theme CS: participation across sectors, consent and continuity.
func crossSector() []Rule {
	return []Rule{
		{Recommendation: Recommendation{
			ID: "CS-01", Title: "Clinical information is heard only with consent",
			Statement: "Every participant outside health care (sector `social_security`, `employer`, `education` or `other`) who attends an agenda item of kind `clinical_summary` holds a consent with scope `hear_clinical_information` valid at the meeting start.",
			Rationale: "The clinical summary is health information: a supervisor who joins for it needs the patient's consent; otherwise join after it.",
			Source:    "H25 (supervisor joined after the clinical summary)",
			Theme:     ThemeCrossSector, Severity: SeverityRequired, Phase: PhaseBefore, Protected: true,
		}, Check: checkCS01},
		{Recommendation: Recommendation{
			ID: "CS-02", Title: "Clinical notes go only where they may",
			Statement: "Every participant in `preparation.clinical_notes_sent_to` is a healthcare participant or the patient, or a third party holding a consent with scope `receive_clinical_notes` valid at `preparation.clinical_notes_sent_at`. With profile `standard` and above, also: the notes were sent to every healthcare participant at least `notice_days` days before the start (a gap without a preparation record).",
			Rationale: "Whether to send clinical notes before the meeting was debated: sending them prepares the professionals, and must never reach anyone without the patient's consent.",
			Source:    "N26 (send notes before?), privacy",
			Theme:     ThemeCrossSector, Severity: SeverityRequired, Phase: PhaseBefore, Protected: true,
			Params: []Param{paramNoticeDays},
		}, Check: checkCS02},
		{Recommendation: Recommendation{
			ID: "CS-03", Title: "The plan reaches third parties only with consent",
			Statement: "After the meeting, every third-party participant among `plan.recipients` holds a consent with scope `receive_plan` valid at `plan.distributed_at`. A gap without a plan.",
			Rationale: "The plan holds health information; the patient decides who outside health care receives it.",
			Source:    "privacy",
			Theme:     ThemeCrossSector, Severity: SeverityRequired, Phase: PhaseAfter, Protected: true,
		}, Check: checkCS03},
		{Recommendation: Recommendation{
			ID: "CS-04", Title: "Social security takes part in the decisions",
			Statement: "Every `social_security` participant attends the first `discussion` item and the first `action_plan` item (a kind the agenda lacks is skipped).",
			Rationale: "A supervisor who was only told the conclusion could not contribute to it.",
			Source:    "H25 (supervisor only told the conclusion)",
			Theme:     ThemeCrossSector, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkCS04},
		{Recommendation: Recommendation{
			ID: "CS-05", Title: "The patient has met the supervisor before",
			Statement: "Every `social_security` participant has `prior_contact: true`, or is listed in `preparation.pre_meeting_contact` (a contact with the patient arranged before the meeting).",
			Rationale: "Meeting a new supervisor for the first time in the meeting itself was hard for patients.",
			Source:    "H25 (first meeting with the supervisor in the meeting)",
			Theme:     ThemeCrossSector, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkCS05},
		{Recommendation: Recommendation{
			ID: "CS-06", Title: "A participant about to change has a successor",
			Statement: "Every participant with `changing_soon: true` has a `successor_id` naming another participant, or the plan has an action of kind `handover`.",
			Rationale: "Frequent changes of supervisor broke continuity; the successor should be known, or the handover planned.",
			Source:    "H25 (supervisor about to be replaced)",
			Theme:     ThemeCrossSector, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkCS06},
		{Recommendation: Recommendation{
			ID: "CS-07", Title: "Social security stays long enough",
			Statement: "Every `social_security` participant attends agenda items adding up to at least `min_sector_minutes` minutes.",
			Rationale: "The procedure for meetings where NAV takes part asks NAV to stay at least 15 minutes.",
			Source:    "SN (the number is the source's)",
			Theme:     ThemeCrossSector, Severity: SeverityRecommended, Phase: PhaseBefore,
			Params: []Param{{Name: "min_sector_minutes", Default: 15,
				Doc: "Least minutes of agenda that a social_security participant attends."}},
		}, Check: checkCS07},
		{Recommendation: Recommendation{
			ID: "CS-08", Title: "Sensitive topics are kept outside other sectors' time",
			Statement: "No participant outside health care attends an agenda item marked `sensitive: true`.",
			Rationale: "Sensitive topics that do not concern NAV are kept outside NAV's time.",
			Source:    "SN (sensitive topics outside NAV's time)",
			Theme:     ThemeCrossSector, Severity: SeverityRequired, Phase: PhaseBefore, Protected: true,
		}, Check: checkCS08},
		{Recommendation: Recommendation{
			ID: "CS-09", Title: "Participants outside health care know why they are invited",
			Statement: "Every participant outside health care has a stated `purpose`.",
			Rationale: "Clarifying roles: why a service is invited shapes what it can contribute.",
			Source:    "SN, H25 (clarifying roles)",
			Theme:     ThemeCrossSector, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkCS09},
		{Recommendation: Recommendation{
			ID: "CS-10", Title: "The GP takes part",
			Statement: "A `collaboration` meeting has a participant with role `gp`. Not applicable to other meeting kinds.",
			Rationale: "The collaboration is across care levels: the GP follows the patient up after the specialist service.",
			Source:    "TR, N26",
			Theme:     ThemeCrossSector, Severity: SeverityRequired, Phase: PhaseBefore,
		}, Check: checkCS10},
		{Recommendation: Recommendation{
			ID: "CS-11", Title: "The assessment is presented by its professions",
			Statement: "A `collaboration` meeting has at least `min_specialist_roles` distinct roles from `specialist_health`. Not applicable to other meeting kinds.",
			Rationale: "The interprofessional assessment is made by at least two professions, and they present it.",
			Source:    "TR",
			Theme:     ThemeCrossSector, Severity: SeverityRecommended, Phase: PhaseBefore,
			Params: []Param{{Name: "min_specialist_roles", Default: 2,
				Doc: "Least number of distinct specialist_health roles among the participants."}},
		}, Check: checkCS11},
	}
}

func checkCS01(pass *Pass) {
	m := pass.Meeting
	for k := range m.Participants {
		p := &m.Participants[k]
		if !pass.index.is(k, outsideHealthcare) {
			continue
		}
		attended := pass.index.inSpan(pass.index.clinical, k)
		if len(attended) == 0 {
			continue
		}
		i := attended[0] // one finding per participant, about the first such item
		if d := pass.index.allows(p.ID, consent.ScopeHearClinicalInformation, pass.Start); !d.Allowed() {
			pass.ReportParticipant(k, participantPath(k),
				"attends "+itemLabel(m, i)+" without a consent valid at the start with scope hear_clinical_information ("+d.String()+")",
				"Record the patient's consent (scope hear_clinical_information), or let the participant join after the clinical summary.")
		}
	}
}

func checkCS02(pass *Pass) {
	m := pass.Meeting
	prep := m.Preparation
	timing := pass.Profile.AtLeast(ProfileStandard)
	if prep == nil {
		if timing {
			pass.ReportMeeting("meeting.preparation", "no preparation record: it is not known that the clinical notes were sent in time",
				"Record when the clinical notes were sent, and to whom (meeting.preparation).")
		}
		return
	}
	for j, id := range prep.ClinicalNotesSentTo {
		k := pass.index.participant(id)
		if k < 0 {
			pass.ReportMeeting(indexPath("meeting.preparation.clinical_notes_sent_to", j),
				"clinical notes were sent to someone who is not a participant of the meeting",
				"Send clinical notes only to participants, and only with the patient's consent to third parties.")
			continue
		}
		p := &m.Participants[k]
		if pass.index.is(k, healthcare) || p.Role == meeting.RolePatient {
			continue
		}
		if d := pass.index.allows(id, consent.ScopeReceiveClinicalNotes, prep.ClinicalNotesSentAt); !d.Allowed() {
			pass.ReportParticipant(k, indexPath("meeting.preparation.clinical_notes_sent_to", j),
				"clinical notes were sent to a third party without a consent valid when they were sent, with scope receive_clinical_notes ("+d.String()+")",
				"Do not send clinical notes to third parties without the patient's consent (scope receive_clinical_notes).")
		}
	}
	if !timing {
		return
	}
	anyHealthcare := false
	for k := range m.Participants {
		p := &m.Participants[k]
		if !pass.index.is(k, healthcare) {
			continue
		}
		anyHealthcare = true
		if !pass.index.notesTo.has(p.ID) {
			pass.ReportParticipant(k, "meeting.preparation.clinical_notes_sent_to",
				participantLabel(m, k)+" did not receive the clinical notes",
				"Send the clinical notes to every healthcare participant before the meeting.")
		}
	}
	if anyHealthcare && !sentInTime(prep.ClinicalNotesSentAt, pass.Start, pass.Days("notice_days")) {
		pass.ReportMeeting("meeting.preparation.clinical_notes_sent_at",
			lateMessage("the clinical notes", prep.ClinicalNotesSentAt.IsZero(), pass.Int("notice_days")),
			fmt.Sprintf("Send the clinical notes at least %d days before the meeting.", pass.Int("notice_days")))
	}
}

func checkCS03(pass *Pass) {
	if reportNoPlan(pass) {
		return
	}
	p := pass.Plan
	for j, id := range p.Recipients {
		k := pass.index.participant(id)
		if k < 0 {
			pass.ReportMeeting(indexPath("plan.recipients", j), "the plan was sent to someone who is not a participant of the meeting",
				"Send the plan only to participants, and only with the patient's consent to third parties.")
			continue
		}
		if !pass.index.is(k, thirdParty) {
			continue
		}
		if d := pass.index.allows(id, consent.ScopeReceivePlan, p.DistributedAt); !d.Allowed() {
			pass.ReportParticipant(k, indexPath("plan.recipients", j),
				"the plan was sent to a third party without a consent valid when it was sent, with scope receive_plan ("+d.String()+")",
				"Record the patient's consent (scope receive_plan) before sending the plan to this participant, or do not send it.")
		}
	}
}

func checkCS04(pass *Pass) {
	m := pass.Meeting
	discussion, actionPlan := m.FirstItem(meeting.ItemDiscussion), m.FirstItem(meeting.ItemActionPlan)
	for k := range m.Participants {
		p := &m.Participants[k]
		if p.Sector != meeting.SectorSocialSecurity {
			continue
		}
		for _, i := range [...]int{discussion, actionPlan} {
			if i >= 0 && !pass.index.attends(k, i) {
				pass.ReportParticipant(k, attendanceField(pass, k, i),
					"does not attend "+itemLabel(m, i),
					"Let the social security participant take part in the discussion and the action plan, not only hear the conclusion.")
			}
		}
	}
}

func checkCS05(pass *Pass) {
	m := pass.Meeting
	for k := range m.Participants {
		p := &m.Participants[k]
		if p.Sector != meeting.SectorSocialSecurity || p.PriorContact {
			continue
		}
		if m.Preparation != nil && pass.index.contacted.has(p.ID) {
			continue
		}
		pass.ReportParticipant(k, participantField(k, "prior_contact"),
			"the patient has not met this social security participant before the meeting",
			"Arrange a contact between the patient and the supervisor before the meeting (preparation.pre_meeting_contact).")
	}
}

func checkCS06(pass *Pass) {
	m := pass.Meeting
	handover := pass.Plan != nil && pass.Plan.HasAction(plan.ActionHandover)
	for k := range m.Participants {
		p := &m.Participants[k]
		if !p.ChangingSoon || handover {
			continue
		}
		msg := "is changing soon, and neither a successor nor a handover action is named"
		switch s := pass.index.participant(p.SuccessorID); {
		case p.SuccessorID == uuid.Nil:
		case s < 0:
			msg = "is changing soon, and the successor named is not a participant of the meeting"
		case s == k:
			msg = "is changing soon, and is named as their own successor"
		default:
			continue
		}
		pass.ReportParticipant(k, participantField(k, "successor_id"), msg,
			"Invite the successor to the meeting and name them (successor_id), or add a handover action to the plan.")
	}
}

func checkCS07(pass *Pass) {
	m := pass.Meeting
	want := pass.Int("min_sector_minutes")
	for k := range m.Participants {
		p := &m.Participants[k]
		if p.Sector != meeting.SectorSocialSecurity {
			continue
		}
		if total := pass.index.attendedMinutes(k); total < want {
			pass.ReportParticipant(k, participantPath(k),
				fmt.Sprintf("attends %d minutes of the agenda; at least %d are needed", total, want),
				fmt.Sprintf("Let the social security participant stay at least %d minutes.", want))
		}
	}
}

func checkCS08(pass *Pass) {
	m := pass.Meeting
	for k := range m.Participants {
		if !pass.index.is(k, outsideHealthcare) {
			continue
		}
		for _, i := range pass.index.inSpan(pass.index.sensitive, k) {
			pass.ReportParticipant(k, participantPath(k),
				"attends "+itemLabel(m, i)+", which is marked sensitive",
				"Place sensitive topics outside the time of participants from outside health care (joins_at_item, leaves_after_item).")
		}
	}
}

func checkCS09(pass *Pass) {
	m := pass.Meeting
	for k := range m.Participants {
		p := &m.Participants[k]
		if pass.index.is(k, outsideHealthcare) && strings.TrimSpace(p.Purpose) == "" {
			pass.ReportParticipant(k, participantField(k, "purpose"),
				"no purpose is stated for this participant from outside health care",
				"State why the participant is invited (purpose).")
		}
	}
}

func checkCS10(pass *Pass) {
	m := pass.Meeting
	if m.Kind != meeting.KindCollaboration {
		pass.NotApplicable()
		return
	}
	for k := range m.Participants {
		if m.Participants[k].Role == meeting.RoleGP {
			return
		}
	}
	pass.ReportMeeting("meeting.participants", "no participant has role gp",
		"Invite the patient's GP: the collaboration meeting is across care levels.")
}

func checkCS11(pass *Pass) {
	m := pass.Meeting
	if m.Kind != meeting.KindCollaboration {
		pass.NotApplicable()
		return
	}
	want := pass.Int("min_specialist_roles")
	n := distinctSpecialistRoles(pass)
	if n < want {
		pass.ReportMeeting("meeting.participants",
			fmt.Sprintf("%d distinct specialist_health roles take part; at least %d are needed", n, want),
			"Let the professions who made the interprofessional assessment present it.")
	}
}

// distinctSpecialistRoles counts the distinct roles of the specialist_health
// participants: by scanning the earlier participants in a meeting of usual
// size, through a set in a large one.
func distinctSpecialistRoles(pass *Pass) int {
	m := pass.Meeting
	n := 0
	if len(m.Participants) > smallList {
		seen := make(map[meeting.Role]struct{})
		for k := range m.Participants {
			if p := &m.Participants[k]; p.Sector == meeting.SectorSpecialistHealth {
				seen[p.Role] = struct{}{}
			}
		}
		return len(seen)
	}
	for k := range m.Participants {
		p := &m.Participants[k]
		if p.Sector != meeting.SectorSpecialistHealth {
			continue
		}
		seen := false
		for j := 0; j < k; j++ {
			if q := &m.Participants[j]; q.Sector == meeting.SectorSpecialistHealth && q.Role == p.Role {
				seen = true
				break
			}
		}
		if !seen {
			n++
		}
	}
	return n
}
