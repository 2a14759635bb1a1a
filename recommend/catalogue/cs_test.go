package catalogue_test

import (
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pSecondPatient is the index of the participant that secondPatient adds.
const pSecondPatient = refcase.Supervisor + 1

// secondPatient adds a second participant with role patient and
// lists them among the recipients of the clinical notes and of the
// plan. Only the meeting's patient (the first with the role) receives
// without consent: the second is a third party like any other.
func secondPatient(c *casedoc.Case) {
	id := uuid.MustParse("5b0e3c1d-7a52-4e0b-9f0e-2d6f1c8a9b31")
	c.Meeting.Participants = append(c.Meeting.Participants, meeting.Participant{
		ID: id, Name: "A. Second", Role: meeting.RolePatient, Sector: meeting.SectorPatient, Location: meeting.LocationHome,
	})
	c.Meeting.Preparation.ClinicalNotesSentTo = append(c.Meeting.Preparation.ClinicalNotesSentTo, id)
	c.Plan.Recipients = append(c.Plan.Recipients, id)
}

func notesTo(k int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) {
		p := c.Meeting.Preparation
		p.ClinicalNotesSentTo = append(p.ClinicalNotesSentTo, pid(c, k))
	}
}

func notesSentAt(c *casedoc.Case) time.Time { return c.Meeting.Preparation.ClinicalNotesSentAt }

func planSentAt(c *casedoc.Case) time.Time { return c.Plan.DistributedAt }

func atTime(d time.Duration, at func(c *casedoc.Case) time.Time) func(c *casedoc.Case) time.Time {
	return func(c *casedoc.Case) time.Time { return at(c).Add(d) }
}

func sensitive(i int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Agenda[i].Sensitive = true }
}

func changingSoon(k int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Participants[k].ChangingSoon = true }
}

func role(k int, r meeting.Role, s meeting.Sector) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Participants[k].Role, c.Meeting.Participants[k].Sector = r, s }
}

var (
	minimal  = recommend.Policy{Profile: recommend.ProfileMinimal}
	thorough = recommend.Policy{Profile: recommend.ProfileThorough}
)

// thoroughWith is the thorough profile with parameters set.
func thoroughWith(kv ...any) recommend.Policy {
	p := withParams(kv...)
	p.Profile = recommend.ProfileThorough
	return p
}

// noNotes records no sending of the clinical notes.
func noNotes(c *casedoc.Case) {
	c.Meeting.Preparation.ClinicalNotesSentTo, c.Meeting.Preparation.ClinicalNotesSentAt = nil, time.Time{}
}

const notesList = "meeting.preparation.clinical_notes_sent_to"

var csCases = []ruleCase{
	// CS-01
	{id: "CS-01", name: "reference: supervisor joins after the clinical summary", outcome: outPass},
	{id: "CS-01", name: "supervisor hears the clinical summary without consent", mutate: joins(refcase.Supervisor, refcase.ItemIntro), outcome: outGap,
		paths: []string{"meeting.participants[6]"}},
	{id: "CS-01", name: "supervisor joins at the clinical summary", mutate: joins(refcase.Supervisor, refcase.ItemClinical), outcome: outGap,
		paths: []string{"meeting.participants[6]"}},
	{id: "CS-01", name: "consent given exactly at the start", mutate: steps(joins(refcase.Supervisor, refcase.ItemIntro),
		addConsent(refcase.Supervisor, consent.ScopeHearClinicalInformation, beforeStart(0))), outcome: outPass},
	{id: "CS-01", name: "consent given a second after the start", mutate: steps(joins(refcase.Supervisor, refcase.ItemIntro),
		addConsent(refcase.Supervisor, consent.ScopeHearClinicalInformation, beforeStart(-time.Second))), outcome: outGap,
		paths: []string{"meeting.participants[6]"}},
	{id: "CS-01", name: "consent withdrawn exactly at the start", mutate: steps(joins(refcase.Supervisor, refcase.ItemIntro),
		addConsent(refcase.Supervisor, consent.ScopeHearClinicalInformation, beforeStart(days(1))),
		func(c *casedoc.Case) { c.Consents[2].WithdrawnAt = c.Meeting.Start }), outcome: outGap, paths: []string{"meeting.participants[6]"}},
	{id: "CS-01", name: "consent expired before the start", mutate: steps(joins(refcase.Supervisor, refcase.ItemIntro),
		addConsent(refcase.Supervisor, consent.ScopeHearClinicalInformation, beforeStart(days(30))),
		func(c *casedoc.Case) { c.Consents[2].ExpiresAt = c.Meeting.Start.Add(-time.Hour) }), outcome: outGap,
		paths: []string{"meeting.participants[6]"}},
	{id: "CS-01", name: "the consent to attend does not cover clinical information", mutate: joins(refcase.Supervisor, refcase.ItemIntro), outcome: outGap,
		paths: []string{"meeting.participants[6]"}},
	{id: "CS-01", name: "next of kin is not outside health care", mutate: joins(refcase.NextOfKin, refcase.ItemIntro), outcome: outPass},
	{id: "CS-01", name: "no clinical summary on the agenda", mutate: steps(joins(refcase.Supervisor, refcase.ItemIntro), func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemClinical].Kind = meeting.ItemOther
	}), outcome: outPass},
	{id: "CS-01", name: "two clinical summaries: one finding", mutate: steps(joins(refcase.Supervisor, refcase.ItemIntro), func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemPerspective].Kind = meeting.ItemClinicalSummary
	}), outcome: outGap, paths: []string{"meeting.participants[6]"}},

	// CS-02: who received the clinical notes (sending them ahead is CS-12).
	{id: "CS-02", name: "reference: the patient and healthcare participants", outcome: outPass},
	{id: "CS-02", name: "no preparation record: nothing was sent", mutate: noPreparation, outcome: outPass},
	{id: "CS-02", name: "no one in the list: nothing was sent", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentTo, c.Meeting.Preparation.ClinicalNotesSentAt = nil, time.Time{}
	}, outcome: outPass},
	{id: "CS-02", name: "sent late: not CS-02's", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentAt = c.Meeting.Start.Add(-time.Hour)
	}, outcome: outPass},
	{id: "CS-02", name: "healthcare only, no time recorded", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentAt = time.Time{}
	}, outcome: outPass},
	{id: "CS-02", name: "next of kin without consent", mutate: notesTo(refcase.NextOfKin), outcome: outGap,
		paths: []string{notesList + "[5]"}},
	{id: "CS-02", name: "next of kin, consent given exactly when sent", mutate: steps(notesTo(refcase.NextOfKin),
		addConsent(refcase.NextOfKin, consent.ScopeReceiveClinicalNotes, notesSentAt)), outcome: outPass},
	{id: "CS-02", name: "next of kin, consent given a second after sending", mutate: steps(notesTo(refcase.NextOfKin),
		addConsent(refcase.NextOfKin, consent.ScopeReceiveClinicalNotes, atTime(time.Second, notesSentAt))), outcome: outGap,
		paths: []string{notesList + "[5]"}},
	{id: "CS-02", name: "next of kin, consent withdrawn exactly when sent", mutate: steps(notesTo(refcase.NextOfKin),
		addConsent(refcase.NextOfKin, consent.ScopeReceiveClinicalNotes, atTime(-days(2), notesSentAt)),
		func(c *casedoc.Case) { c.Consents[2].WithdrawnAt = notesSentAt(c) }), outcome: outGap, paths: []string{notesList + "[5]"}},
	{id: "CS-02", name: "supervisor without consent, minimal profile: applies at every profile", policy: minimal,
		mutate: notesTo(refcase.Supervisor), outcome: outGap, paths: []string{notesList + "[5]"}},
	{id: "CS-02", name: "supervisor with consent, no time recorded: no consent can cover it", mutate: steps(notesTo(refcase.Supervisor),
		addConsent(refcase.Supervisor, consent.ScopeReceiveClinicalNotes, beforeStart(days(30))),
		func(c *casedoc.Case) { c.Meeting.Preparation.ClinicalNotesSentAt = time.Time{} }), outcome: outGap,
		paths: []string{notesList + "[5]"}},
	{id: "CS-02", name: "sent to someone not in the meeting", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentTo = append(c.Meeting.Preparation.ClinicalNotesSentTo, dangling)
	}, outcome: outGap, paths: []string{notesList + "[5]"}},
	{id: "CS-02", name: "listed twice without consent: one finding per entry", mutate: steps(notesTo(refcase.Supervisor), notesTo(refcase.Supervisor)),
		outcome: outGap, paths: []string{notesList + "[5]", notesList + "[6]"}},
	// A second participant with role patient is a third party.
	{id: "CS-02", name: "a second patient without consent", mutate: secondPatient, outcome: outGap,
		paths: []string{notesList + "[5]"}},
	{id: "CS-02", name: "a second patient without consent, minimal profile", policy: minimal, mutate: secondPatient, outcome: outGap,
		paths: []string{notesList + "[5]"}},
	{id: "CS-02", name: "a second patient listed before the patient", mutate: steps(secondPatient, func(c *casedoc.Case) {
		p := c.Meeting.Preparation
		second := p.ClinicalNotesSentTo[len(p.ClinicalNotesSentTo)-1]
		p.ClinicalNotesSentTo = append([]uuid.UUID{second}, p.ClinicalNotesSentTo[:len(p.ClinicalNotesSentTo)-1]...)
	}), outcome: outGap, paths: []string{notesList + "[0]"}},
	{id: "CS-02", name: "a second patient with consent", mutate: steps(secondPatient,
		addConsent(pSecondPatient, consent.ScopeReceiveClinicalNotes, atTime(-days(1), notesSentAt))), outcome: outPass},

	// CS-03
	{id: "CS-03", name: "planned meeting: not yet applicable", outcome: outNA},
	{id: "CS-03", name: "planned, recipients without consent: not yet applicable", mutate: func(c *casedoc.Case) {
		c.Plan.Recipients, c.Plan.DistributedAt = []uuid.UUID{pid(c, refcase.NextOfKin), dangling}, time.Time{}
	}, outcome: outNA},
	{id: "CS-03", name: "held, third parties consented", mutate: held, outcome: outPass},
	{id: "CS-03", name: "held, supervisor's consent withdrawn exactly when the plan was sent", mutate: steps(held, func(c *casedoc.Case) {
		c.Consents[1].WithdrawnAt = c.Plan.DistributedAt
	}), outcome: outGap, paths: []string{"plan.recipients[6]"}},
	{id: "CS-03", name: "held, supervisor's consent withdrawn a second after the plan was sent", mutate: steps(held, func(c *casedoc.Case) {
		c.Consents[1].WithdrawnAt = c.Plan.DistributedAt.Add(time.Second)
	}), outcome: outPass},
	{id: "CS-03", name: "held, next of kin's consent expired", mutate: steps(held, func(c *casedoc.Case) {
		c.Consents[0].ExpiresAt = c.Meeting.Start
	}), outcome: outGap, paths: []string{"plan.recipients[1]"}},
	{id: "CS-03", name: "held, plan sent to no one", mutate: steps(held, func(c *casedoc.Case) {
		c.Plan.Recipients, c.Plan.DistributedAt = nil, time.Time{}
	}), outcome: outPass},
	{id: "CS-03", name: "held, no plan", mutate: steps(held, noPlan), outcome: outPass},
	{id: "CS-03", name: "held, healthcare and patient only, no date", mutate: steps(held, func(c *casedoc.Case) {
		c.Plan.Recipients = []uuid.UUID{pid(c, refcase.Patient), pid(c, refcase.Physician), pid(c, refcase.GP)}
		c.Plan.DistributedAt = time.Time{}
	}), outcome: outPass},
	{id: "CS-03", name: "held, third parties but no date", mutate: steps(held, func(c *casedoc.Case) { c.Plan.DistributedAt = time.Time{} }),
		outcome: outGap, paths: []string{"plan.recipients[1]", "plan.recipients[6]"}},
	{id: "CS-03", name: "held, sent to someone not in the meeting", mutate: steps(held, func(c *casedoc.Case) {
		c.Plan.Recipients = append(c.Plan.Recipients, dangling)
	}), outcome: outGap, paths: []string{"plan.recipients[7]"}},
	// A second participant with role patient.
	{id: "CS-03", name: "held, a second patient without consent", mutate: steps(held, secondPatient), outcome: outGap,
		paths: []string{"plan.recipients[7]"}},
	{id: "CS-03", name: "held, a second patient with consent", mutate: steps(held, secondPatient,
		addConsent(pSecondPatient, consent.ScopeReceivePlan, atTime(-days(1), planSentAt))), outcome: outPass},

	// CS-04
	{id: "CS-04", name: "reference", outcome: outPass},
	{id: "CS-04", name: "supervisor leaves before the action plan", mutate: leaves(refcase.Supervisor, refcase.ItemDiscussion), outcome: outGap,
		paths: []string{"meeting.participants[6].leaves_after_item"}},
	{id: "CS-04", name: "supervisor joins at the action plan", mutate: joins(refcase.Supervisor, refcase.ItemActionPlan), outcome: outGap,
		paths: []string{"meeting.participants[6].joins_at_item"}},
	{id: "CS-04", name: "supervisor joins at the summary: misses both", mutate: joins(refcase.Supervisor, refcase.ItemSummary), outcome: outGap,
		paths: []string{"meeting.participants[6].joins_at_item", "meeting.participants[6].joins_at_item"}},
	{id: "CS-04", name: "no discussion item: skipped", mutate: steps(joins(refcase.Supervisor, refcase.ItemActionPlan), func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemDiscussion].Kind = meeting.ItemOther
	}), outcome: outPass},
	{id: "CS-04", name: "two discussions, attends both", mutate: steps(leaves(refcase.Supervisor, refcase.ItemActionPlan), func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemSummary].Kind = meeting.ItemDiscussion
	}), outcome: outPass},
	{id: "CS-04", name: "no social security participant", mutate: steps(joins(refcase.Supervisor, refcase.ItemSummary),
		role(refcase.Supervisor, meeting.RoleEmployer, meeting.SectorEmployer)), outcome: outPass},

	// CS-05
	{id: "CS-05", name: "reference", outcome: outPass},
	{id: "CS-05", name: "no prior contact", mutate: func(c *casedoc.Case) { c.Meeting.Participants[refcase.Supervisor].PriorContact = false },
		outcome: outGap, paths: []string{"meeting.participants[6].prior_contact"}},
	{id: "CS-05", name: "contact arranged before the meeting", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Supervisor].PriorContact = false
		c.Meeting.Preparation.PreMeetingContact = []uuid.UUID{pid(c, refcase.Supervisor)}
	}, outcome: outPass},
	{id: "CS-05", name: "contact arranged with someone else", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Supervisor].PriorContact = false
		c.Meeting.Preparation.PreMeetingContact = []uuid.UUID{pid(c, refcase.GP)}
	}, outcome: outGap, paths: []string{"meeting.participants[6].prior_contact"}},
	{id: "CS-05", name: "no prior contact, no preparation record", mutate: steps(noPreparation, func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Supervisor].PriorContact = false
	}), outcome: outGap, paths: []string{"meeting.participants[6].prior_contact"}},

	// CS-06
	{id: "CS-06", name: "reference", outcome: outPass},
	{id: "CS-06", name: "changing soon without a successor", mutate: changingSoon(refcase.Supervisor),
		outcome: outGap, paths: []string{"meeting.participants[6].successor_id"}},
	{id: "CS-06", name: "successor not a participant", mutate: steps(changingSoon(refcase.Supervisor), func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Supervisor].SuccessorID = dangling
	}), outcome: outGap, paths: []string{"meeting.participants[6].successor_id"}},
	{id: "CS-06", name: "own successor", mutate: steps(changingSoon(refcase.Supervisor), func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Supervisor].SuccessorID = pid(c, refcase.Supervisor)
	}), outcome: outGap, paths: []string{"meeting.participants[6].successor_id"}},
	{id: "CS-06", name: "successor a participant", mutate: steps(changingSoon(refcase.Physio), func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Physio].SuccessorID = pid(c, refcase.Psychologist)
	}), outcome: outPass},
	{id: "CS-06", name: "handover action", mutate: steps(changingSoon(refcase.Supervisor), func(c *casedoc.Case) {
		c.Plan.Actions[2].Kind = plan.ActionHandover
	}), outcome: outPass},
	{id: "CS-06", name: "no plan, no successor", mutate: steps(changingSoon(refcase.Supervisor), noPlan),
		outcome: outGap, paths: []string{"meeting.participants[6].successor_id"}},

	// CS-07
	{id: "CS-07", name: "reference: 32 minutes", outcome: outPass},
	{id: "CS-07", name: "exactly min_sector_minutes", policy: withParams("min_sector_minutes", 32), outcome: outPass},
	{id: "CS-07", name: "one minute short", policy: withParams("min_sector_minutes", 33), outcome: outGap,
		paths: []string{"meeting.participants[6]"}},
	{id: "CS-07", name: "joins at the last item", mutate: joins(refcase.Supervisor, refcase.ItemSummary), outcome: outGap,
		paths: []string{"meeting.participants[6]"}},
	{id: "CS-07", name: "no social security participant", policy: withParams("min_sector_minutes", 100),
		mutate: role(refcase.Supervisor, meeting.RoleEmployer, meeting.SectorEmployer), outcome: outPass},

	// CS-08
	{id: "CS-08", name: "reference", outcome: outPass},
	{id: "CS-08", name: "supervisor attends a sensitive item", mutate: sensitive(refcase.ItemDiscussion),
		outcome: outGap, paths: []string{"meeting.participants[6]"}},
	{id: "CS-08", name: "supervisor attends three sensitive items: one finding", mutate: steps(sensitive(refcase.ItemDiscussion),
		sensitive(refcase.ItemActionPlan), sensitive(refcase.ItemSummary)), outcome: outGap, paths: []string{"meeting.participants[6]"}},
	{id: "CS-08", name: "sensitive item before the supervisor joins", mutate: sensitive(refcase.ItemPerspective), outcome: outPass},
	{id: "CS-08", name: "sensitive item after the supervisor leaves", mutate: steps(leaves(refcase.Supervisor, refcase.ItemActionPlan), sensitive(refcase.ItemSummary)),
		outcome: outPass},
	{id: "CS-08", name: "next of kin is not outside health care", mutate: sensitive(refcase.ItemIntro), outcome: outPass},
	{id: "CS-08", name: "an employer attends everything", mutate: steps(sensitive(refcase.ItemIntro), sensitive(refcase.ItemSummary),
		role(refcase.NextOfKin, meeting.RoleEmployer, meeting.SectorEmployer)), outcome: outGap,
		paths: []string{"meeting.participants[1]", "meeting.participants[6]"}},

	// CS-09
	{id: "CS-09", name: "reference", outcome: outPass},
	{id: "CS-09", name: "no purpose", mutate: func(c *casedoc.Case) { c.Meeting.Participants[refcase.Supervisor].Purpose = "" }, outcome: outGap,
		paths: []string{"meeting.participants[6].purpose"}},
	{id: "CS-09", name: "blank purpose", mutate: func(c *casedoc.Case) { c.Meeting.Participants[refcase.Supervisor].Purpose = " \t" }, outcome: outGap,
		paths: []string{"meeting.participants[6].purpose"}},
	{id: "CS-09", name: "next of kin needs no stated purpose", outcome: outPass},

	// CS-10
	{id: "CS-10", name: "reference", outcome: outPass},
	{id: "CS-10", name: "no GP", mutate: role(refcase.GP, meeting.RoleMunicipalHealth, meeting.SectorPrimaryHealth), outcome: outGap,
		paths: []string{"meeting.participants"}},
	{id: "CS-10", name: "follow-up meeting", mutate: steps(role(refcase.GP, meeting.RoleMunicipalHealth, meeting.SectorPrimaryHealth), func(c *casedoc.Case) {
		c.Meeting.Kind = meeting.KindFollowUp
	}), outcome: outNA},

	// CS-11: clinical professions only (2026.2).
	{id: "CS-11", name: "reference: three clinical professions", outcome: outPass},
	{id: "CS-11", name: "exactly min_specialist_roles", policy: withParams("min_specialist_roles", 3), outcome: outPass},
	{id: "CS-11", name: "one short of min_specialist_roles", policy: withParams("min_specialist_roles", 4), outcome: outGap,
		paths: []string{"meeting.participants"}},
	{id: "CS-11", name: "exactly two by default", mutate: role(refcase.Physio, meeting.RolePainPhysician, meeting.SectorSpecialistHealth), outcome: outPass},
	{id: "CS-11", name: "one profession", mutate: steps(role(refcase.Psychologist, meeting.RolePainPhysician, meeting.SectorSpecialistHealth),
		role(refcase.Physio, meeting.RolePainPhysician, meeting.SectorSpecialistHealth)), outcome: outGap, paths: []string{"meeting.participants"}},
	{id: "CS-11", name: "coordinators present no part of the assessment", mutate: steps(
		role(refcase.Psychologist, meeting.RoleCoordinator, meeting.SectorSpecialistHealth),
		role(refcase.Physio, meeting.RoleOther, meeting.SectorSpecialistHealth)), outcome: outGap, paths: []string{"meeting.participants"}},
	{id: "CS-11", name: "a social worker from primary health does not count", mutate: steps(
		role(refcase.Psychologist, meeting.RoleSocialWorker, meeting.SectorPrimaryHealth),
		role(refcase.Physio, meeting.RolePainPhysician, meeting.SectorSpecialistHealth)), outcome: outGap, paths: []string{"meeting.participants"}},
	{id: "CS-11", name: "nurse and social worker from specialist health", mutate: steps(
		role(refcase.Physician, meeting.RoleNurse, meeting.SectorSpecialistHealth),
		role(refcase.Psychologist, meeting.RoleSocialWorker, meeting.SectorSpecialistHealth),
		role(refcase.Physio, meeting.RoleNurse, meeting.SectorSpecialistHealth)), outcome: outPass},
	{id: "CS-11", name: "transfer meeting", mutate: func(c *casedoc.Case) { c.Meeting.Kind = meeting.KindTransfer }, policy: withParams("min_specialist_roles", 9),
		outcome: outNA},

	// CS-12: the clinical notes sent ahead (new in 2026.2); 2026.3: profile
	// thorough only, and only to healthcare outside specialist health (the
	// specialists wrote the notes).
	{id: "CS-12", name: "reference: sent 5 days ahead", policy: thorough, outcome: outPass},
	{id: "CS-12", name: "standard profile: not asked", mutate: noPreparation, outcome: outNA},
	{id: "CS-12", name: "exactly notice_days before", policy: thorough, mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentAt = c.Meeting.Start.Add(-days(3))
	}, outcome: outPass},
	{id: "CS-12", name: "a second late", policy: thorough, mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentAt = c.Meeting.Start.Add(-days(3) + time.Second)
	}, outcome: outGap, paths: []string{"meeting.preparation.clinical_notes_sent_at"}},
	{id: "CS-12", name: "notice_days raised", policy: thoroughWith("notice_days", 6), outcome: outGap,
		paths: []string{"meeting.preparation.clinical_notes_sent_at"}},
	{id: "CS-12", name: "sent late, minimal profile", policy: minimal,
		mutate: func(c *casedoc.Case) { c.Meeting.Preparation.ClinicalNotesSentAt = c.Meeting.Start.Add(-days(1)) }, outcome: outNA},
	{id: "CS-12", name: "the GP did not get the notes", policy: thorough, mutate: func(c *casedoc.Case) {
		p := c.Meeting.Preparation
		p.ClinicalNotesSentTo = removeID(p.ClinicalNotesSentTo, pid(c, refcase.GP))
	}, outcome: outGap, paths: []string{notesList}},
	{id: "CS-12", name: "the specialists did not get the notes: they wrote them", policy: thorough, mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentTo = []uuid.UUID{pid(c, refcase.Patient), pid(c, refcase.GP)}
	}, outcome: outPass},
	{id: "CS-12", name: "sent to the patient only: the GP is missing, not the specialists", policy: thorough, mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentTo = []uuid.UUID{pid(c, refcase.Patient)}
	}, outcome: outGap, paths: []string{notesList}},
	{id: "CS-12", name: "a municipal health participant did not get the notes", policy: thorough,
		mutate: steps(role(refcase.Physio, meeting.RoleMunicipalHealth, meeting.SectorPrimaryHealth), func(c *casedoc.Case) {
			p := c.Meeting.Preparation
			p.ClinicalNotesSentTo = removeID(p.ClinicalNotesSentTo, pid(c, refcase.Physio))
		}), outcome: outGap, paths: []string{notesList}},
	{id: "CS-12", name: "no healthcare outside specialist health: no one to send them to", policy: thorough, mutate: steps(
		role(refcase.GP, meeting.RoleOther, meeting.SectorOther), noNotes), outcome: outPass},
	{id: "CS-12", name: "recipients but no time", policy: thorough, mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ClinicalNotesSentAt = time.Time{}
	}, outcome: outGap, paths: []string{"meeting.preparation.clinical_notes_sent_at"}},
	{id: "CS-12", name: "not sent at all", policy: thorough, mutate: noNotes,
		outcome: outGap, paths: []string{"meeting.preparation.clinical_notes_sent_at"}},
	{id: "CS-12", name: "no preparation record", policy: thorough, mutate: noPreparation, outcome: outGap, paths: []string{"meeting.preparation"}},
	{id: "CS-12", name: "no preparation record, minimal profile", policy: minimal, mutate: noPreparation, outcome: outNA},
	{id: "CS-12", name: "third parties too are CS-02's", policy: thorough, mutate: notesTo(refcase.Supervisor), outcome: outPass},
}

// TestSecondPatientIsAThirdParty reproduces: the
// compliant reference, held, with a second participant with role patient
// who got the clinical notes and the plan. Only the meeting's patient may
// receive them without consent: CS-02 and CS-03 name the second one.
func TestSecondPatientIsAThirdParty(t *testing.T) {
	c := reference(t)
	held(c)
	secondPatient(c)
	second := pid(c, pSecondPatient)
	rep := mustEngine(t, recommend.Policy{}).Check(c)
	for id, path := range map[string]string{
		"CS-02": notesList + "[5]",
		"CS-03": "plan.recipients[7]",
	} {
		res := resultFor(t, rep, id)
		require.Equal(t, outGap, res.Outcome, id)
		require.Len(t, res.Findings, 1, id)
		f := res.Findings[0]
		assert.Equal(t, path, f.Path, id)
		assert.Equal(t, second, f.SubjectID, id)
		assert.Equal(t, meeting.RolePatient, f.SubjectRole, id)
		assert.Equal(t, id+".without_consent", f.Code, id)
		assert.Equal(t, recommend.Code("no_consent"), f.Args["decision"], id)
	}
	assert.False(t, rep.Compliant)

	// The patient of the meeting still receives both without consent.
	assert.Equal(t, 0, c.Meeting.PatientIndex())
}

// TestCS08FindingsPerParticipant holds: CS-08 reports at
// most one finding per participant, so that 2,000 employers attending 2,000
// sensitive items give 2,000 findings, not 4,000,000.
func TestCS08FindingsPerParticipant(t *testing.T) {
	const outsiders, items = 2000, 2000
	c := reference(t)
	for i := range items {
		c.Meeting.Agenda = append(c.Meeting.Agenda, meeting.AgendaItem{ID: uuid.New(), Kind: meeting.ItemOther, Minutes: 1, Sensitive: true,
			LeadID: pid(c, refcase.Physician), Title: "sensitive " + string(rune('a'+i%26))})
	}
	for range outsiders {
		c.Meeting.Participants = append(c.Meeting.Participants, meeting.Participant{ID: uuid.New(), Role: meeting.RoleEmployer,
			Sector: meeting.SectorEmployer, Location: meeting.LocationWorkplace, Purpose: "work"})
	}
	res := resultFor(t, mustEngine(t, recommend.Policy{}).Check(c), "CS-08")
	require.Equal(t, outGap, res.Outcome)
	assert.LessOrEqual(t, len(res.Findings)+res.Omitted, len(c.Meeting.Participants), "findings grow with the participants")
	require.Equal(t, outsiders+1, len(res.Findings), "the supervisor and every employer, once each")
	assert.Zero(t, res.Omitted)
	first := len(c.Meeting.Agenda) - items // the first added item
	for _, f := range res.Findings {
		assert.Equal(t, first+1, f.Args["item"])
		assert.Equal(t, items, f.Args["count"])
		assert.Contains(t, f.Message, "attends 2000 agenda items marked sensitive, the first of them item 8")
	}
}

// TestCSMessages checks the texts of findings whose args the rule cases do
// not show: units, vocabularies and plural forms.
func TestCSMessages(t *testing.T) {
	for _, tc := range []struct {
		id, want string
		policy   recommend.Policy
		mutate   func(c *casedoc.Case)
	}{
		{"CS-01", "attends agenda item 2, the clinical summary, without a consent to hear clinical information that is valid at the start: there is no consent.",
			recommend.Policy{}, joins(refcase.Supervisor, refcase.ItemIntro)},
		{"CS-02", "without a consent to receive clinical notes that was valid when they were sent: the consent is only given later.",
			recommend.Policy{}, steps(notesTo(refcase.NextOfKin), addConsent(refcase.NextOfKin, consent.ScopeReceiveClinicalNotes, atTime(time.Second, notesSentAt)))},
		{"CS-03", "without a consent to receive it that was valid when it was sent: the consent is withdrawn by then.",
			recommend.Policy{}, steps(held, func(c *casedoc.Case) { c.Consents[1].WithdrawnAt = c.Plan.DistributedAt })},
		{"CS-04", "attends no discussion item (the first is agenda item 5).", recommend.Policy{}, joins(refcase.Supervisor, refcase.ItemActionPlan)},
		{"CS-07", "attends 5 minutes of the agenda; at least 15 minutes are needed.", recommend.Policy{}, joins(refcase.Supervisor, refcase.ItemSummary)},
		{"CS-08", "attends agenda item 5, which is marked sensitive.", recommend.Policy{}, sensitive(refcase.ItemDiscussion)},
		{"CS-08", "attends 2 agenda items marked sensitive, the first of them item 4.", recommend.Policy{}, steps(sensitive(refcase.ItemRecap), sensitive(refcase.ItemSummary))},
		{"CS-11", "takes part with 1 profession; at least 2 professions are needed.", recommend.Policy{}, steps(
			role(refcase.Psychologist, meeting.RolePainPhysician, meeting.SectorSpecialistHealth),
			role(refcase.Physio, meeting.RolePainPhysician, meeting.SectorSpecialistHealth))},
		{"CS-12", "sent less than 1 day before the meeting.", thoroughWith("notice_days", 1), func(c *casedoc.Case) {
			c.Meeting.Preparation.ClinicalNotesSentAt = c.Meeting.Start.Add(-time.Hour)
		}},
	} {
		c := reference(t)
		tc.mutate(c)
		res := resultFor(t, mustEngine(t, tc.policy).Check(c), tc.id)
		require.NotEmpty(t, res.Findings, tc.id)
		assert.Contains(t, res.Findings[0].Message, tc.want, tc.id)
	}
}

// TestCSProtected: CS-01, CS-02, CS-03 and CS-08 protect the patient's
// consent and privacy; CS-12, the sending ahead that N26 debated, may be
// waived.
func TestCSProtected(t *testing.T) {
	for _, r := range catalogue.Builtin().Rules {
		if r.Theme != catalogue.ThemeCrossSector {
			continue
		}
		switch r.ID {
		case "CS-01", "CS-02", "CS-03", "CS-08":
			assert.True(t, r.Protected, r.ID)
		default:
			assert.False(t, r.Protected, r.ID)
		}
	}
	c := reference(t)
	c.Meeting.Preparation.ClinicalNotesSentAt = time.Time{}
	waiver := recommend.Waiver{ID: "CS-12", MeetingID: "*", Reason: "notes presented at the meeting", Expires: c.Meeting.Start.Add(days(1))}
	res := resultFor(t, mustEngine(t, recommend.Policy{Profile: recommend.ProfileThorough, Waivers: []recommend.Waiver{waiver}}).Check(c), "CS-12")
	assert.Equal(t, recommend.OutcomeWaived, res.Outcome)

	waiver.ID = "CS-02"
	_, err := recommend.New(catalogue.Builtin(), recommend.Policy{Waivers: []recommend.Waiver{waiver}})
	assert.ErrorIs(t, err, recommend.ErrPolicy)
}
