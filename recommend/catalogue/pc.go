//go:build ignore

package recommend

import (
	"fmt"
	"strings"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
)

// patientCentredness is the theme PC: the patient is at the centre of the meeting.
func patientCentredness() []Rule {
	return []Rule{
		{Recommendation: Recommendation{
			ID: "PC-01", Title: "The patient takes part in the plan and the summary",
			Statement: "A participant with role `patient` exists and attends every agenda item of kind `action_plan` and `summary`.",
			Rationale: "The plan is the patient's plan: it is made and concluded with the patient, not about the patient.",
			Source:    "N26 theme 1",
			Theme:     ThemePatientCentredness, Severity: SeverityRequired, Phase: PhaseBefore,
		}, Check: checkPC01},
		{Recommendation: Recommendation{
			ID: "PC-02", Title: "The patient attends the whole meeting",
			Statement: "The patient attends every agenda item except those marked `professionals_only`; such items are allowed only when `allow_professionals_only` is true, and when it is false any `professionals_only` item is a gap. Not applicable without a patient.",
			Rationale: "Whether the patient should be present while the professionals discuss the interprofessional assessment was debated: the default allows a marked professionals-only item, a policy can forbid it.",
			Source:    "N26 (debate on patient presence)",
			Theme:     ThemePatientCentredness, Severity: SeverityRecommended, Phase: PhaseBefore,
			Params: []Param{{Name: "allow_professionals_only", Default: true,
				Doc: "Whether agenda items marked professionals_only (without the patient) are allowed."}},
		}, Check: checkPC02},
		{Recommendation: Recommendation{
			ID: "PC-03", Title: "The patient chose how to take part",
			Statement: "The patient participant has `chose_location: true`: the patient chose between taking part digitally and in person. Not applicable without a patient.",
			Rationale: "Patients differ in whether a digital or an in-person meeting suits them; the choice is theirs.",
			Source:    "H25 (patient preference, digital vs in person)",
			Theme:     ThemePatientCentredness, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkPC03},
		{Recommendation: Recommendation{
			ID: "PC-04", Title: "Third parties attend with the patient's consent",
			Statement: "Every third-party participant (anyone neither a healthcare participant nor the patient; next of kin included) holds a consent with scope `attend` that is valid at the meeting start.",
			Rationale: "The patient decides who joins; consent is required before, for example, a social security supervisor takes part.",
			Source:    "H25 (patient decides who joins; consent before supervisor joins)",
			Theme:     ThemePatientCentredness, Severity: SeverityRequired, Phase: PhaseBefore, Protected: true,
		}, Check: checkPC04},
		{Recommendation: Recommendation{
			ID: "PC-05", Title: "The patient has room to speak",
			Statement: "There is an agenda item of kind `patient_perspective` of at least `patient_minutes` minutes, led by the patient (`lead_id` is the patient). A gap without a patient.",
			Rationale: "Patients described meetings with no room for them to speak; a point of their own, led by them, makes room.",
			Source:    "H25 (no room to speak), N26",
			Theme:     ThemePatientCentredness, Severity: SeverityRequired, Phase: PhaseBefore,
			Params: []Param{{Name: "patient_minutes", Default: 10,
				Doc: "Least length in minutes of the patient_perspective item."}},
		}, Check: checkPC05},
		{Recommendation: Recommendation{
			ID: "PC-06", Title: "The patient is not outnumbered",
			Statement: "The number of participants who are not on the patient side (sector `patient`) is at most `max_professionals`.",
			Rationale: "Patients felt outnumbered facing a row of professionals.",
			Source:    "H25 (outnumbered)",
			Theme:     ThemePatientCentredness, Severity: SeverityRecommended, Phase: PhaseBefore,
			Params: []Param{{Name: "max_professionals", Default: 6,
				Doc: "Most participants who are not on the patient side."}},
		}, Check: checkPC06},
		{Recommendation: Recommendation{
			ID: "PC-07", Title: "The patient knew the agenda and who would come",
			Statement: "`preparation.agenda_sent_at` and `preparation.participants_sent_at` are each at least `notice_days` days before the start, and the patient is in `preparation.sent_to`. A gap without a patient or a preparation record.",
			Rationale: "Knowing the focus and the people in advance lets the patient prepare.",
			Source:    "H25, N26 (preparedness)",
			Theme:     ThemePatientCentredness, Severity: SeverityRecommended, Phase: PhaseBefore,
			Params: []Param{paramNoticeDays},
		}, Check: checkPC07},
		{Recommendation: Recommendation{
			ID: "PC-08", Title: "The plan holds the patient's own goals",
			Statement: "The action plan records at least one goal in the patient's own words (`plan.patient_goals` non-empty). A gap without a plan.",
			Rationale: "A common plan starts from what matters to the patient.",
			Source:    "N26 theme 1/2",
			Theme:     ThemePatientCentredness, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkPC08},
		{Recommendation: Recommendation{
			ID: "PC-09", Title: "The patient speaks first",
			Statement: "Every agenda item of kind `discussion` and `action_plan` has `patient_speaks_first: true`.",
			Rationale: "The procedure of the pain network lets the patient speak first on each point, before the professionals.",
			Source:    "SN",
			Theme:     ThemePatientCentredness, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkPC09},
	}
}

const remedyAddPatient = "Add the patient as a participant with role patient."

func checkPC01(pass *Pass) {
	m := pass.Meeting
	patient, k := pass.Patient()
	if patient == nil {
		pass.ReportMeeting("meeting.participants", "no participant has role patient", remedyAddPatient)
		return
	}
	for i := range m.Agenda {
		if kind := m.Agenda[i].Kind; kind != meeting.ItemActionPlan && kind != meeting.ItemSummary {
			continue
		}
		if !pass.index.attends(k, i) {
			pass.ReportParticipant(k, attendanceField(pass, k, i),
				"the patient does not attend "+itemLabel(m, i),
				"Let the patient attend every action_plan and summary item.")
		}
	}
}

func checkPC02(pass *Pass) {
	m := pass.Meeting
	patient, k := pass.Patient()
	if patient == nil {
		pass.NotApplicable()
		return
	}
	allow := pass.Bool("allow_professionals_only")
	for i := range m.Agenda {
		it := &m.Agenda[i]
		switch {
		case it.ProfessionalsOnly && !allow:
			pass.Report(Finding{SubjectID: it.ID, Path: itemField(i, "professionals_only"),
				Message: itemLabel(m, i) + " is for professionals only, which the policy does not allow",
				Remedy:  "Discuss this point with the patient present, or change the policy (allow_professionals_only)."})
		case it.ProfessionalsOnly:
		case !pass.index.attends(k, i):
			pass.ReportParticipant(k, attendanceField(pass, k, i),
				"the patient does not attend "+itemLabel(m, i)+", which is not marked professionals_only",
				"Let the patient attend the whole meeting, or mark the item professionals_only if that is agreed.")
		}
	}
}

func checkPC03(pass *Pass) {
	patient, k := pass.Patient()
	if patient == nil {
		pass.NotApplicable()
		return
	}
	if !patient.ChoseLocation {
		pass.ReportParticipant(k, participantField(k, "chose_location"),
			"it is not recorded that the patient chose how to take part",
			"Ask the patient whether to take part digitally or in person, and record it (chose_location).")
	}
}

func checkPC04(pass *Pass) {
	m := pass.Meeting
	for k := range m.Participants {
		p := &m.Participants[k]
		if !pass.index.is(k, thirdParty) {
			continue
		}
		if d := pass.index.allows(p.ID, consent.ScopeAttend, pass.Start); !d.Allowed() {
			pass.ReportParticipant(k, participantPath(k),
				"third party without a consent valid at the start with scope attend ("+d.String()+")",
				"Record the patient's consent (scope attend) for this participant before the meeting, or do not invite them.")
		}
	}
}

func checkPC05(pass *Pass) {
	m := pass.Meeting
	patient, _ := pass.Patient()
	if patient == nil {
		pass.ReportMeeting("meeting.participants", "no participant has role patient, so no item can be led by the patient", remedyAddPatient)
	}
	want := pass.Int("patient_minutes")
	found := false
	for i := range m.Agenda {
		it := &m.Agenda[i]
		if it.Kind == meeting.ItemPatientPerspective {
			if it.Minutes >= want && patient != nil && it.LeadID == patient.ID {
				return // one good item is enough
			}
			found = true
		}
	}
	if !found {
		pass.ReportMeeting("meeting.agenda", "the agenda has no patient_perspective item",
			fmt.Sprintf("Add an item of kind patient_perspective of at least %d minutes, led by the patient.", want))
		return
	}
	for i := range m.Agenda {
		it := &m.Agenda[i]
		if it.Kind != meeting.ItemPatientPerspective {
			continue
		}
		if it.Minutes < want {
			pass.Report(Finding{SubjectID: it.ID, Path: itemField(i, "minutes"),
				Message: fmt.Sprintf("%s has %d minutes; at least %d are needed", itemLabel(m, i), it.Minutes, want),
				Remedy:  fmt.Sprintf("Give the patient's own point at least %d minutes.", want)})
		}
		if patient != nil && it.LeadID != patient.ID {
			pass.Report(Finding{SubjectID: it.ID, Path: itemField(i, "lead_id"),
				Message: itemLabel(m, i) + " is not led by the patient",
				Remedy:  "Let the patient lead the patient_perspective item (lead_id)."})
		}
	}
}

func checkPC06(pass *Pass) {
	m := pass.Meeting
	limit := pass.Int("max_professionals")
	n := 0
	for k := range m.Participants {
		if !pass.index.is(k, patientSide) {
			n++
		}
	}
	if n > limit {
		pass.ReportMeeting("meeting.participants",
			fmt.Sprintf("%d participants are not on the patient side; at most %d are recommended", n, limit),
			"Invite fewer professionals, or let some send their input in writing.")
	}
}

func checkPC07(pass *Pass) {
	m := pass.Meeting
	patient, k := pass.Patient()
	if patient == nil {
		pass.ReportMeeting("meeting.participants", "no participant has role patient, so no one can have sent the patient the agenda", remedyAddPatient)
	}
	prep := m.Preparation
	if prep == nil {
		pass.ReportMeeting("meeting.preparation", "no preparation record: it is not known that the patient received the agenda and the list of participants",
			"Record when the agenda and the list of participants were sent, and to whom (meeting.preparation).")
		return
	}
	d := pass.Days("notice_days")
	if !sentInTime(prep.AgendaSentAt, pass.Start, d) {
		pass.ReportMeeting("meeting.preparation.agenda_sent_at", lateMessage("the agenda", prep.AgendaSentAt.IsZero(), pass.Int("notice_days")),
			fmt.Sprintf("Send the agenda to the patient at least %d days before the meeting.", pass.Int("notice_days")))
	}
	if !sentInTime(prep.ParticipantsSentAt, pass.Start, d) {
		pass.ReportMeeting("meeting.preparation.participants_sent_at", lateMessage("the list of participants", prep.ParticipantsSentAt.IsZero(), pass.Int("notice_days")),
			fmt.Sprintf("Send the list of who will attend to the patient at least %d days before the meeting.", pass.Int("notice_days")))
	}
	if patient != nil && !pass.index.sentTo.has(patient.ID) {
		pass.ReportParticipant(k, "meeting.preparation.sent_to", "the patient is not among those the agenda was sent to",
			"Send the agenda and the list of participants to the patient, and record it (sent_to).")
	}
}

// lateMessage words a sending that is missing or too late.
func lateMessage(what string, missing bool, days int) string {
	if missing {
		return "it is not recorded when " + what + " was sent"
	}
	return fmt.Sprintf("%s was sent less than %d days before the start", what, days)
}

func checkPC08(pass *Pass) {
	if pass.Plan == nil {
		pass.ReportMeeting("plan", "the case has no action plan, so no goal of the patient is recorded",
			"Make the common action plan, starting from the patient's goals in the patient's own words.")
		return
	}
	for _, g := range pass.Plan.PatientGoals {
		if strings.TrimSpace(g) != "" {
			return
		}
	}
	pass.ReportMeeting("plan.patient_goals", "the plan records no goal in the patient's own words",
		"Write down at least one goal as the patient says it.")
}

func checkPC09(pass *Pass) {
	m := pass.Meeting
	for i := range m.Agenda {
		it := &m.Agenda[i]
		if (it.Kind == meeting.ItemDiscussion || it.Kind == meeting.ItemActionPlan) && !it.PatientSpeaksFirst {
			pass.Report(Finding{SubjectID: it.ID, Path: itemField(i, "patient_speaks_first"),
				Message: "the patient does not speak first on " + itemLabel(m, i),
				Remedy:  "Let the patient speak first on every discussion and action_plan item (patient_speaks_first)."})
		}
	}
}
