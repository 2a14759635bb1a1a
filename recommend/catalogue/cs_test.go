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

var csCases = []ruleCase{
	// CS-01
	{id: "CS-01", name: "reference: supervisor joins after the clinical summary", outcome: outPass},
	{id: "CS-01", name: "supervisor hears the clinical summary without consent", mutate: joins(pSupervisor, iIntro), outcome: outGap,
		paths: []string{"meeting.participants[6]"}},
	{id: "CS-01", name: "with consent given exactly at start", mutate: steps(joins(pSupervisor, iIntro),
		addConsent(pSupervisor, consent.ScopeHearClinicalInformation, beforeStart(0))), outcome: outPass},
	{id: "CS-01", name: "with consent withdrawn exactly at start", mutate: steps(joins(pSupervisor, iIntro),
		addConsent(pSupervisor, consent.ScopeHearClinicalInformation, beforeStart(days(1))),
		func(c *casedoc.Case) { c.Consents[2].WithdrawnAt = c.Meeting.Start }), outcome: outGap, paths: []string{"meeting.participants[6]"}},
	{id: "CS-01", name: "next of kin is not outside health care", outcome: outPass},

	// CS-02
	{id: "CS-02", name: "reference", outcome: outPass},
	{id: "CS-02", name: "notes to next of kin without consent", mutate: func(c *casedoc.Case) {
		p := c.Meeting.Preparation
		p.ClinicalNotesSentTo = append(p.ClinicalNotesSentTo, pid(c, pNextOfKin))
	}, outcome: outGap, paths: []string{"meeting.preparation.clinical_notes_sent_to[5]"}},
	{id: "CS-02", name: "notes to next of kin with consent given exactly when sent", mutate: steps(func(c *casedoc.Case) {
		p := c.Meeting.Preparation
		p.ClinicalNotesSentTo = append(p.ClinicalNotesSentTo, pid(c, pNextOfKin))
	}, addConsent(pNextOfKin, consent.ScopeReceiveClinicalNotes, func(c *casedoc.Case) time.Time {
		return c.Meeting.Preparation.ClinicalNotesSentAt
	})), outcome: outPass},
	{id: "CS-02", name: "notes to next of kin with consent given after they were sent", mutate: steps(func(c *casedoc.Case) {
		p := c.Meeting.Preparation
		p.ClinicalNotesSentTo = append(p.ClinicalNotesSentTo, pid(c, pNextOfKin))
	}, addConsent(pNextOfKin, consent.ScopeReceiveClinicalNotes, beforeStart(days(1)))), outcome: outGap,
		paths: []string{"meeting.preparation.clinical_notes_sent_to[5]"}},
	{id: "CS-02", name: "notes to the supervisor under minimal profile, no consent", policy: recommend.Policy{Profile: recommend.ProfileMinimal},
		mutate: func(c *casedoc.Case) {
			p := c.Meeting.Preparation
			p.ClinicalNotesSentTo = append(p.ClinicalNotesSentTo, pid(c, pSupervisor))
		}, outcome: outGap, paths: []string{"meeting.preparation.clinical_notes_sent_to[5]"}},
	{id: "CS-02", name: "GP did not get the notes", mutate: func(c *casedoc.Case) {
		p := c.Meeting.Preparation
		p.ClinicalNotesSentTo = removeID(p.ClinicalNotesSentTo, pid(c, pGP))
	}, outcome: outGap, paths: []string{"meeting.preparation.clinical_notes_sent_to"}},
	{id: "CS-02", name: "GP did not get the notes, minimal profile", policy: recommend.Policy{Profile: recommend.ProfileMinimal},
		mutate: func(c *casedoc.Case) {
			p := c.Meeting.Preparation
			p.ClinicalNotesSentTo = removeID(p.ClinicalNotesSentTo, pid(c, pGP))
		}, outcome: outPass},
	{id: "CS-02", name: "notes sent exactly notice_days before", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentAt = c.Meeting.Start.Add(-days(3))
	}, outcome: outPass},
	{id: "CS-02", name: "notes sent a second late", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentAt = c.Meeting.Start.Add(-days(3) + time.Second)
	}, outcome: outGap, paths: []string{"meeting.preparation.clinical_notes_sent_at"}},
	{id: "CS-02", name: "notes sent late, thorough profile", policy: recommend.Policy{Profile: recommend.ProfileThorough},
		mutate:  func(c *casedoc.Case) { c.Meeting.Preparation.ClinicalNotesSentAt = c.Meeting.Start.Add(-days(1)) },
		outcome: outGap, paths: []string{"meeting.preparation.clinical_notes_sent_at"}},
	{id: "CS-02", name: "notes sent late, minimal profile", policy: recommend.Policy{Profile: recommend.ProfileMinimal},
		mutate: func(c *casedoc.Case) { c.Meeting.Preparation.ClinicalNotesSentAt = c.Meeting.Start.Add(-days(1)) }, outcome: outPass},
	{id: "CS-02", name: "no preparation record", mutate: noPreparation, outcome: outGap, paths: []string{"meeting.preparation"}},
	{id: "CS-02", name: "no preparation record, minimal profile", policy: recommend.Policy{Profile: recommend.ProfileMinimal},
		mutate: noPreparation, outcome: outPass},

	// CS-03
	{id: "CS-03", name: "planned meeting", outcome: outNA},
	{id: "CS-03", name: "held, third parties consented", mutate: held, outcome: outPass},
	{id: "CS-03", name: "held, supervisor's consent withdrawn exactly when the plan was sent", mutate: steps(held, func(c *casedoc.Case) {
		c.Consents[1].WithdrawnAt = c.Plan.DistributedAt
	}), outcome: outGap, paths: []string{"plan.recipients[6]"}},
	{id: "CS-03", name: "held, plan never sent to anyone", mutate: steps(held, func(c *casedoc.Case) {
		c.Plan.Recipients, c.Plan.DistributedAt = nil, time.Time{}
	}), outcome: outPass},
	{id: "CS-03", name: "held, recipients recorded but no date", mutate: steps(held, func(c *casedoc.Case) { c.Plan.DistributedAt = time.Time{} }),
		outcome: outGap, paths: []string{"plan.recipients[1]", "plan.recipients[6]"}},
	{id: "CS-03", name: "held, no plan", mutate: steps(held, noPlan), outcome: outGap, paths: []string{"plan"}},

	// CS-04
	{id: "CS-04", name: "reference", outcome: outPass},
	{id: "CS-04", name: "supervisor leaves before the action plan", mutate: leaves(pSupervisor, iDiscussion), outcome: outGap,
		paths: []string{"meeting.participants[6].leaves_after_item"}},
	{id: "CS-04", name: "supervisor joins at the action plan", mutate: joins(pSupervisor, iActionPlan), outcome: outGap,
		paths: []string{"meeting.participants[6].joins_at_item"}},
	{id: "CS-04", name: "no discussion item: skipped", mutate: steps(joins(pSupervisor, iActionPlan), func(c *casedoc.Case) {
		c.Meeting.Agenda[iDiscussion].Kind = meeting.ItemOther
	}), outcome: outPass},

	// CS-05
	{id: "CS-05", name: "reference", outcome: outPass},
	{id: "CS-05", name: "no prior contact", mutate: func(c *casedoc.Case) { c.Meeting.Participants[pSupervisor].PriorContact = false },
		outcome: outGap, paths: []string{"meeting.participants[6].prior_contact"}},
	{id: "CS-05", name: "contact arranged before the meeting", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[pSupervisor].PriorContact = false
		c.Meeting.Preparation.PreMeetingContact = []uuid.UUID{pid(c, pSupervisor)}
	}, outcome: outPass},
	{id: "CS-05", name: "no prior contact, no preparation record", mutate: steps(noPreparation, func(c *casedoc.Case) {
		c.Meeting.Participants[pSupervisor].PriorContact = false
	}), outcome: outGap, paths: []string{"meeting.participants[6].prior_contact"}},

	// CS-06
	{id: "CS-06", name: "reference", outcome: outPass},
	{id: "CS-06", name: "changing soon without successor", mutate: func(c *casedoc.Case) { c.Meeting.Participants[pSupervisor].ChangingSoon = true },
		outcome: outGap, paths: []string{"meeting.participants[6].successor_id"}},
	{id: "CS-06", name: "successor not a participant", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[pSupervisor].ChangingSoon = true
		c.Meeting.Participants[pSupervisor].SuccessorID = dangling
	}, outcome: outGap, paths: []string{"meeting.participants[6].successor_id"}},
	{id: "CS-06", name: "successor a participant", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[pPhysio].ChangingSoon = true
		c.Meeting.Participants[pPhysio].SuccessorID = pid(c, pPsychologist)
	}, outcome: outPass},
	{id: "CS-06", name: "handover action", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[pSupervisor].ChangingSoon = true
		c.Plan.Actions[2].Kind = plan.ActionHandover
	}, outcome: outPass},

	// CS-07
	{id: "CS-07", name: "reference: 32 minutes", outcome: outPass},
	{id: "CS-07", name: "exactly min_sector_minutes", policy: withParams("min_sector_minutes", 32), outcome: outPass},
	{id: "CS-07", name: "joins at the last item", mutate: joins(pSupervisor, iSummary), outcome: outGap, paths: []string{"meeting.participants[6]"}},
	{id: "CS-07", name: "one minute short", policy: withParams("min_sector_minutes", 33), outcome: outGap, paths: []string{"meeting.participants[6]"}},

	// CS-08
	{id: "CS-08", name: "reference", outcome: outPass},
	{id: "CS-08", name: "supervisor attends a sensitive item", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iDiscussion].Sensitive = true },
		outcome: outGap, paths: []string{"meeting.participants[6]"}},
	{id: "CS-08", name: "sensitive item before the supervisor joins", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iPerspective].Sensitive = true },
		outcome: outPass},

	// CS-09
	{id: "CS-09", name: "reference", outcome: outPass},
	{id: "CS-09", name: "no purpose", mutate: func(c *casedoc.Case) { c.Meeting.Participants[pSupervisor].Purpose = "" }, outcome: outGap,
		paths: []string{"meeting.participants[6].purpose"}},
	{id: "CS-09", name: "blank purpose", mutate: func(c *casedoc.Case) { c.Meeting.Participants[pSupervisor].Purpose = " \t" }, outcome: outGap,
		paths: []string{"meeting.participants[6].purpose"}},

	// CS-10
	{id: "CS-10", name: "reference", outcome: outPass},
	{id: "CS-10", name: "no GP", mutate: func(c *casedoc.Case) { c.Meeting.Participants[pGP].Role = meeting.RoleMunicipalHealth }, outcome: outGap,
		paths: []string{"meeting.participants"}},
	{id: "CS-10", name: "follow-up meeting", mutate: func(c *casedoc.Case) {
		c.Meeting.Kind = meeting.KindFollowUp
		c.Meeting.Participants[pGP].Role = meeting.RoleMunicipalHealth
	}, outcome: outNA},

	// CS-11
	{id: "CS-11", name: "reference: three specialist roles", outcome: outPass},
	{id: "CS-11", name: "exactly min_specialist_roles", policy: withParams("min_specialist_roles", 3), outcome: outPass},
	{id: "CS-11", name: "one role", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[pPsychologist].Role = meeting.RolePainPhysician
		c.Meeting.Participants[pPhysio].Role = meeting.RolePainPhysician
	}, outcome: outGap, paths: []string{"meeting.participants"}},
	{id: "CS-11", name: "transfer meeting", mutate: func(c *casedoc.Case) { c.Meeting.Kind = meeting.KindTransfer }, policy: withParams("min_specialist_roles", 9),
		outcome: outNA},
}
