//go:build ignore

package catalogue_test

import (
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
)

var pcCases = []ruleCase{
	// PC-01
	{id: "PC-01", name: "reference", outcome: outPass},
	{id: "PC-01", name: "patient joins at the action plan", mutate: joins(pPatient, iActionPlan), outcome: outPass},
	{id: "PC-01", name: "patient joins at the last item, missing the action plan", mutate: joins(pPatient, iSummary), outcome: outGap,
		paths: []string{"meeting.participants[0].joins_at_item"}},
	{id: "PC-01", name: "patient leaves before the summary", mutate: leaves(pPatient, iActionPlan), outcome: outGap,
		paths: []string{"meeting.participants[0].leaves_after_item"}},
	{id: "PC-01", name: "no patient", mutate: noPatient, outcome: outGap, paths: []string{"meeting.participants"}},

	// PC-02
	{id: "PC-02", name: "reference", outcome: outPass},
	{id: "PC-02", name: "professionals-only first item without the patient", mutate: steps(joins(pPatient, iClinical), func(c *casedoc.Case) {
		c.Meeting.Agenda[iIntro].ProfessionalsOnly = true
	}), outcome: outPass},
	{id: "PC-02", name: "professionals-only item when the policy forbids it", policy: withParams("allow_professionals_only", false),
		mutate:  steps(joins(pPatient, iClinical), func(c *casedoc.Case) { c.Meeting.Agenda[iIntro].ProfessionalsOnly = true }),
		outcome: outGap, paths: []string{"meeting.agenda[0].professionals_only"}},
	{id: "PC-02", name: "patient misses an item not marked professionals-only", mutate: joins(pPatient, iClinical), outcome: outGap,
		paths: []string{"meeting.participants[0].joins_at_item"}},
	{id: "PC-02", name: "patient leaves before the last two items", mutate: leaves(pPatient, iDiscussion), outcome: outGap,
		paths: []string{"meeting.participants[0].leaves_after_item", "meeting.participants[0].leaves_after_item"}},
	{id: "PC-02", name: "no patient", mutate: noPatient, outcome: outNA},

	// PC-03
	{id: "PC-03", name: "reference", outcome: outPass},
	{id: "PC-03", name: "patient did not choose", mutate: func(c *casedoc.Case) { c.Meeting.Participants[pPatient].ChoseLocation = false },
		outcome: outGap, paths: []string{"meeting.participants[0].chose_location"}},
	{id: "PC-03", name: "no patient", mutate: noPatient, outcome: outNA},

	// PC-04
	{id: "PC-04", name: "reference", outcome: outPass},
	{id: "PC-04", name: "consent withdrawn exactly at start", mutate: func(c *casedoc.Case) { c.Consents[0].WithdrawnAt = c.Meeting.Start },
		outcome: outGap, paths: []string{"meeting.participants[1]"}},
	{id: "PC-04", name: "consent withdrawn just after start", mutate: func(c *casedoc.Case) { c.Consents[0].WithdrawnAt = c.Meeting.Start.Add(time.Second) },
		outcome: outPass},
	{id: "PC-04", name: "consent given exactly at start is valid", mutate: func(c *casedoc.Case) { c.Consents[0].GivenAt = c.Meeting.Start },
		outcome: outPass},
	{id: "PC-04", name: "consent given after start", mutate: func(c *casedoc.Case) { c.Consents[0].GivenAt = c.Meeting.Start.Add(time.Second) },
		outcome: outGap, paths: []string{"meeting.participants[1]"}},
	{id: "PC-04", name: "consent expired exactly at start", mutate: func(c *casedoc.Case) { c.Consents[1].ExpiresAt = c.Meeting.Start },
		outcome: outGap, paths: []string{"meeting.participants[6]"}},
	{id: "PC-04", name: "no consent for the supervisor", mutate: func(c *casedoc.Case) { c.Consents = c.Consents[:1] },
		outcome: outGap, paths: []string{"meeting.participants[6]"}},
	{id: "PC-04", name: "consent without scope attend", mutate: func(c *casedoc.Case) { c.Consents[1].Scopes = []consent.Scope{consent.ScopeReceivePlan} },
		outcome: outGap, paths: []string{"meeting.participants[6]"}},

	// PC-05
	{id: "PC-05", name: "reference", outcome: outPass},
	{id: "PC-05", name: "exactly patient_minutes", policy: withParams("patient_minutes", 10), outcome: outPass},
	{id: "PC-05", name: "one minute short", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iPerspective].Minutes = 9 },
		outcome: outGap, paths: []string{"meeting.agenda[2].minutes"}},
	{id: "PC-05", name: "patient_minutes raised", policy: withParams("patient_minutes", 11), outcome: outGap, paths: []string{"meeting.agenda[2].minutes"}},
	{id: "PC-05", name: "led by the physician", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iPerspective].LeadID = pid(c, pPhysician) },
		outcome: outGap, paths: []string{"meeting.agenda[2].lead_id"}},
	{id: "PC-05", name: "no patient_perspective item", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iPerspective].Kind = meeting.ItemOther },
		outcome: outGap, paths: []string{"meeting.agenda"}},
	{id: "PC-05", name: "no patient", mutate: noPatient, outcome: outGap, paths: []string{"meeting.participants"}},

	// PC-06
	{id: "PC-06", name: "reference: five professionals", outcome: outPass},
	{id: "PC-06", name: "exactly max_professionals", policy: withParams("max_professionals", 5), outcome: outPass},
	{id: "PC-06", name: "one over max_professionals", policy: withParams("max_professionals", 4), outcome: outGap, paths: []string{"meeting.participants"}},

	// PC-07
	{id: "PC-07", name: "reference", outcome: outPass},
	{id: "PC-07", name: "sent exactly notice_days before start", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start.Add(-days(3))
		c.Meeting.Preparation.ParticipantsSentAt = c.Meeting.Start.Add(-days(3))
	}, outcome: outPass},
	{id: "PC-07", name: "agenda sent a second too late", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start.Add(-days(3) + time.Second)
	}, outcome: outGap, paths: []string{"meeting.preparation.agenda_sent_at"}},
	{id: "PC-07", name: "participant list not sent", mutate: func(c *casedoc.Case) { c.Meeting.Preparation.ParticipantsSentAt = time.Time{} },
		outcome: outGap, paths: []string{"meeting.preparation.participants_sent_at"}},
	{id: "PC-07", name: "notice_days raised", policy: withParams("notice_days", 8), outcome: outGap,
		paths: []string{"meeting.preparation.agenda_sent_at", "meeting.preparation.participants_sent_at"}},
	{id: "PC-07", name: "patient not among recipients", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.SentTo = removeID(c.Meeting.Preparation.SentTo, pid(c, pPatient))
	}, outcome: outGap, paths: []string{"meeting.preparation.sent_to"}},
	{id: "PC-07", name: "no preparation record", mutate: noPreparation, outcome: outGap, paths: []string{"meeting.preparation"}},
	{id: "PC-07", name: "no patient", mutate: noPatient, outcome: outGap, paths: []string{"meeting.participants"}},

	// PC-08
	{id: "PC-08", name: "reference", outcome: outPass},
	{id: "PC-08", name: "no goals", mutate: func(c *casedoc.Case) { c.Plan.PatientGoals = nil }, outcome: outGap, paths: []string{"plan.patient_goals"}},
	{id: "PC-08", name: "blank goal", mutate: func(c *casedoc.Case) { c.Plan.PatientGoals = []string{"  "} }, outcome: outGap, paths: []string{"plan.patient_goals"}},
	{id: "PC-08", name: "no plan", mutate: noPlan, outcome: outGap, paths: []string{"plan"}},

	// PC-09
	{id: "PC-09", name: "reference", outcome: outPass},
	{id: "PC-09", name: "patient not first on the action plan", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iActionPlan].PatientSpeaksFirst = false },
		outcome: outGap, paths: []string{"meeting.agenda[5].patient_speaks_first"}},
	{id: "PC-09", name: "not first on either", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[iActionPlan].PatientSpeaksFirst = false
		c.Meeting.Agenda[iDiscussion].PatientSpeaksFirst = false
	}, outcome: outGap, paths: []string{"meeting.agenda[4].patient_speaks_first", "meeting.agenda[5].patient_speaks_first"}},
}
