package catalogue_test

import (
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pcSecondPatient adds a participant with role patient after the others, with
// no consent: the case format refuses it, the engine sees a third party.
func pcSecondPatient(c *casedoc.Case) {
	c.Meeting.Participants = append(c.Meeting.Participants, meeting.Participant{
		ID: uuid.MustParse("0b7c35a4-1f1e-4c55-9f0e-7f0fd9d7a0c1"), Role: meeting.RolePatient,
		Sector: meeting.SectorPatient, Location: meeting.LocationHome,
	})
}

var pcCases = []ruleCase{
	// PC-01
	{id: "PC-01", name: "reference", outcome: outPass},
	{id: "PC-01", name: "patient joins at the action plan", mutate: joins(refcase.Patient, refcase.ItemActionPlan), outcome: outPass},
	{id: "PC-01", name: "patient joins at the last item, missing the action plan", mutate: joins(refcase.Patient, refcase.ItemSummary), outcome: outGap,
		paths: []string{"meeting.participants[0].joins_at_item"}},
	{id: "PC-01", name: "patient leaves before the summary", mutate: leaves(refcase.Patient, refcase.ItemActionPlan), outcome: outGap,
		paths: []string{"meeting.participants[0].leaves_after_item"}},
	{id: "PC-01", name: "patient leaves before the action plan and the summary", mutate: leaves(refcase.Patient, refcase.ItemDiscussion), outcome: outGap,
		paths: []string{"meeting.participants[0].leaves_after_item", "meeting.participants[0].leaves_after_item"}},
	{id: "PC-01", name: "patient attends nothing", mutate: func(c *casedoc.Case) { c.Meeting.Participants[refcase.Patient].JoinsAtItem = dangling },
		outcome: outGap, paths: []string{"meeting.participants[0]", "meeting.participants[0]"}},
	{id: "PC-01", name: "no action plan or summary item to miss", mutate: steps(leaves(refcase.Patient, refcase.ItemDiscussion), func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemActionPlan].Kind = meeting.ItemOther
		c.Meeting.Agenda[refcase.ItemSummary].Kind = meeting.ItemOther
	}), outcome: outPass},
	{id: "PC-01", name: "no patient", mutate: noPatient, outcome: outGap, paths: []string{"meeting.participants"}},

	// PC-02
	{id: "PC-02", name: "reference", outcome: outPass},
	{id: "PC-02", name: "professionals-only first item without the patient", mutate: steps(joins(refcase.Patient, refcase.ItemClinical), func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemIntro].ProfessionalsOnly = true
	}), outcome: outPass},
	{id: "PC-02", name: "professionals-only last items without the patient", mutate: steps(leaves(refcase.Patient, refcase.ItemDiscussion), func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemActionPlan].ProfessionalsOnly = true
		c.Meeting.Agenda[refcase.ItemSummary].ProfessionalsOnly = true
	}), outcome: outPass},
	{id: "PC-02", name: "professionals-only item when the policy forbids it", policy: withParams("allow_professionals_only", false),
		mutate:  steps(joins(refcase.Patient, refcase.ItemClinical), func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemIntro].ProfessionalsOnly = true }),
		outcome: outGap, paths: []string{"meeting.agenda[0].professionals_only"}},
	{id: "PC-02", name: "professionals-only item the patient attends, when the policy forbids it", policy: withParams("allow_professionals_only", false),
		mutate:  func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemClinical].ProfessionalsOnly = true },
		outcome: outGap, paths: []string{"meeting.agenda[1].professionals_only"}},
	{id: "PC-02", name: "patient misses an item not marked professionals-only", mutate: joins(refcase.Patient, refcase.ItemClinical), outcome: outGap,
		paths: []string{"meeting.participants[0].joins_at_item"}},
	{id: "PC-02", name: "patient misses a professionals-only item and one that is not", mutate: steps(joins(refcase.Patient, refcase.ItemPerspective), func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemIntro].ProfessionalsOnly = true
	}), outcome: outGap, paths: []string{"meeting.participants[0].joins_at_item"}},
	{id: "PC-02", name: "patient leaves before the last two items: one finding", mutate: leaves(refcase.Patient, refcase.ItemDiscussion), outcome: outGap,
		paths: []string{"meeting.participants[0].leaves_after_item"}},
	{id: "PC-02", name: "patient joins late and leaves early", mutate: steps(joins(refcase.Patient, refcase.ItemClinical), leaves(refcase.Patient, refcase.ItemActionPlan)), outcome: outGap,
		paths: []string{"meeting.participants[0].joins_at_item", "meeting.participants[0].leaves_after_item"}},
	{id: "PC-02", name: "patient attends nothing", mutate: func(c *casedoc.Case) { c.Meeting.Participants[refcase.Patient].LeavesAfterItem = dangling },
		outcome: outGap, paths: []string{"meeting.participants[0]"}},
	{id: "PC-02", name: "patient attends nothing of an agenda for professionals only", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Patient].LeavesAfterItem = dangling
		for i := range c.Meeting.Agenda {
			c.Meeting.Agenda[i].ProfessionalsOnly = true
		}
	}, outcome: outPass},
	{id: "PC-02", name: "no patient", mutate: noPatient, outcome: outNA},

	// PC-03
	{id: "PC-03", name: "reference", outcome: outPass},
	{id: "PC-03", name: "patient did not choose", mutate: func(c *casedoc.Case) { c.Meeting.Participants[refcase.Patient].ChoseLocation = false },
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
	{id: "PC-04", name: "no consents at all", mutate: func(c *casedoc.Case) { c.Consents = nil },
		outcome: outGap, paths: []string{"meeting.participants[1]", "meeting.participants[6]"}},
	{id: "PC-04", name: "healthcare participants need no consent", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants = c.Meeting.Participants[:refcase.Supervisor]
		c.Meeting.Participants = append(c.Meeting.Participants[:refcase.NextOfKin], c.Meeting.Participants[refcase.Physician:]...)
		c.Consents = nil
	}, outcome: outPass},
	// a second participant with role patient is a third party.
	{id: "PC-04", name: "next of kin recorded as a second patient, without consent", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.NextOfKin].Role = meeting.RolePatient
		c.Consents = c.Consents[1:]
	}, outcome: outGap, paths: []string{"meeting.participants[1]"}},
	{id: "PC-04", name: "a second patient added last, without consent", mutate: pcSecondPatient,
		outcome: outGap, paths: []string{"meeting.participants[7]"}},
	{id: "PC-04", name: "a second patient whose consent was withdrawn at start", mutate: steps(pcSecondPatient,
		addConsent(7, consent.ScopeAttend, beforeStart(days(1))), func(c *casedoc.Case) { c.Consents[2].WithdrawnAt = c.Meeting.Start }),
		outcome: outGap, paths: []string{"meeting.participants[7]"}},
	{id: "PC-04", name: "a second patient with a consent to attend", mutate: steps(pcSecondPatient,
		addConsent(7, consent.ScopeAttend, beforeStart(days(1)))), outcome: outPass},

	// PC-05
	{id: "PC-05", name: "reference", outcome: outPass},
	{id: "PC-05", name: "exactly patient_minutes", policy: withParams("patient_minutes", 10), outcome: outPass},
	{id: "PC-05", name: "one minute short", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemPerspective].Minutes = 9 },
		outcome: outGap, paths: []string{"meeting.agenda[2].minutes"}},
	{id: "PC-05", name: "patient_minutes raised", policy: withParams("patient_minutes", 11), outcome: outGap, paths: []string{"meeting.agenda[2].minutes"}},
	{id: "PC-05", name: "led by the physician", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemPerspective].LeadID = pid(c, refcase.Physician) },
		outcome: outGap, paths: []string{"meeting.agenda[2].lead_id"}},
	{id: "PC-05", name: "short and led by the physician", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemPerspective].LeadID = pid(c, refcase.Physician)
		c.Meeting.Agenda[refcase.ItemPerspective].Minutes = 5
	}, outcome: outGap, paths: []string{"meeting.agenda[2].lead_id", "meeting.agenda[2].minutes"}},
	{id: "PC-05", name: "a second, good patient_perspective item is enough", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemPerspective].Minutes = 5
		c.Meeting.Agenda[refcase.ItemRecap].Kind = meeting.ItemPatientPerspective
		c.Meeting.Agenda[refcase.ItemRecap].Minutes = 10
		c.Meeting.Agenda[refcase.ItemRecap].LeadID = pid(c, refcase.Patient)
	}, outcome: outPass},
	{id: "PC-05", name: "no patient_perspective item", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemPerspective].Kind = meeting.ItemOther },
		outcome: outGap, paths: []string{"meeting.agenda"}},
	{id: "PC-05", name: "no patient", mutate: noPatient, outcome: outGap, paths: []string{"meeting.participants"}},
	// 2026.3: next of kin may lead for a patient who attends the item; a
	// follow-up meeting needs follow_up_patient_minutes.
	{id: "PC-05", name: "the patient asked her spouse to lead her item", mutate: spouseLeads, outcome: outPass},
	{id: "PC-05", name: "the spouse leads, the patient joins after the item", mutate: steps(spouseLeads, joins(refcase.Patient, refcase.ItemRecap)),
		outcome: outGap, paths: []string{"meeting.agenda[2].lead_id"}},
	{id: "PC-05", name: "the supervisor leads", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemPerspective].LeadID = pid(c, refcase.Supervisor) },
		outcome: outGap, paths: []string{"meeting.agenda[2].lead_id"}},
	{id: "PC-05", name: "a 20-minute check-in: 6 minutes are enough", mutate: checkInFollowUp, outcome: outPass},
	{id: "PC-05", name: "follow-up: exactly follow_up_patient_minutes", mutate: steps(checkInFollowUp, itemMinutes(1, 5)), outcome: outPass},
	{id: "PC-05", name: "follow-up: one minute short", mutate: steps(checkInFollowUp, itemMinutes(1, 4)),
		outcome: outGap, paths: []string{"meeting.agenda[1].minutes"}},
	{id: "PC-05", name: "follow-up: follow_up_patient_minutes raised", policy: withParams("follow_up_patient_minutes", 7), mutate: checkInFollowUp,
		outcome: outGap, paths: []string{"meeting.agenda[1].minutes"}},
	{id: "PC-05", name: "follow-up: patient_minutes does not apply", policy: withParams("patient_minutes", 30), mutate: checkInFollowUp, outcome: outPass},
	{id: "PC-05", name: "no patient and a short item", mutate: steps(noPatient, func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemPerspective].Minutes = 9 }),
		outcome: outGap, paths: []string{"meeting.agenda[2].minutes", "meeting.participants"}},

	// PC-06
	{id: "PC-06", name: "reference: five professionals", outcome: outPass},
	{id: "PC-06", name: "exactly max_professionals", policy: withParams("max_professionals", 5), outcome: outPass},
	{id: "PC-06", name: "one over max_professionals", policy: withParams("max_professionals", 4), outcome: outGap, paths: []string{"meeting.participants"}},
	{id: "PC-06", name: "next of kin do not count", policy: withParams("max_professionals", 5), mutate: func(c *casedoc.Case) {
		c.Meeting.Participants = append(c.Meeting.Participants, meeting.Participant{ID: uuid.New(), Role: meeting.RoleNextOfKin, Sector: meeting.SectorPatient})
	}, outcome: outPass},
	{id: "PC-06", name: "no one outside the patient side allowed", policy: withParams("max_professionals", 0), outcome: outGap, paths: []string{"meeting.participants"}},

	// PC-07
	{id: "PC-07", name: "reference", outcome: outPass},
	{id: "PC-07", name: "sent exactly notice_days before start", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start.Add(-days(3))
		c.Meeting.Preparation.ParticipantsSentAt = c.Meeting.Start.Add(-days(3))
	}, outcome: outPass},
	{id: "PC-07", name: "agenda sent a second too late", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start.Add(-days(3) + time.Second)
	}, outcome: outGap, paths: []string{"meeting.preparation.agenda_sent_at"}},
	{id: "PC-07", name: "agenda sent after the start", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start.Add(time.Hour)
	}, outcome: outGap, paths: []string{"meeting.preparation.agenda_sent_at"}},
	{id: "PC-07", name: "agenda not recorded as sent", mutate: func(c *casedoc.Case) { c.Meeting.Preparation.AgendaSentAt = time.Time{} },
		outcome: outGap, paths: []string{"meeting.preparation.agenda_sent_at"}},
	{id: "PC-07", name: "participant list not recorded as sent", mutate: func(c *casedoc.Case) { c.Meeting.Preparation.ParticipantsSentAt = time.Time{} },
		outcome: outGap, paths: []string{"meeting.preparation.participants_sent_at"}},
	{id: "PC-07", name: "participant list sent a second too late", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.ParticipantsSentAt = c.Meeting.Start.Add(-days(3) + time.Second)
	}, outcome: outGap, paths: []string{"meeting.preparation.participants_sent_at"}},
	{id: "PC-07", name: "notice_days raised", policy: withParams("notice_days", 8), outcome: outGap,
		paths: []string{"meeting.preparation.agenda_sent_at", "meeting.preparation.participants_sent_at"}},
	{id: "PC-07", name: "notice_days raised to exactly what was given", policy: withParams("notice_days", 7), outcome: outPass},
	{id: "PC-07", name: "patient not among recipients", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.SentTo = removeID(c.Meeting.Preparation.SentTo, pid(c, refcase.Patient))
	}, outcome: outGap, paths: []string{"meeting.preparation.sent_to"}},
	{id: "PC-07", name: "only the patient among recipients", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.SentTo = c.Meeting.Preparation.SentTo[:1]
	}, outcome: outPass},
	{id: "PC-07", name: "no preparation record", mutate: noPreparation, outcome: outGap, paths: []string{"meeting.preparation"}},
	{id: "PC-07", name: "no patient", mutate: noPatient, outcome: outGap, paths: []string{"meeting.participants"}},
	{id: "PC-07", name: "no patient and no preparation record", mutate: steps(noPatient, noPreparation), outcome: outGap,
		paths: []string{"meeting.participants", "meeting.preparation"}},

	// PC-08 (after: 2026.2)
	{id: "PC-08", name: "reference, held", mutate: held, outcome: outPass},
	{id: "PC-08", name: "planned: not yet applicable", outcome: outNA},
	{id: "PC-08", name: "planned without a plan: not yet applicable", mutate: noPlan, outcome: outNA},
	{id: "PC-08", name: "planned without goals: not yet applicable", mutate: func(c *casedoc.Case) { c.Plan.PatientGoals = nil }, outcome: outNA},
	{id: "PC-08", name: "held, no goals", mutate: steps(held, func(c *casedoc.Case) { c.Plan.PatientGoals = nil }), outcome: outGap,
		paths: []string{"plan.patient_goals"}},
	{id: "PC-08", name: "held, only a blank goal", mutate: steps(held, func(c *casedoc.Case) { c.Plan.PatientGoals = []string{"  ", "\t"} }), outcome: outGap,
		paths: []string{"plan.patient_goals"}},
	{id: "PC-08", name: "held, a blank goal and a real one", mutate: steps(held, func(c *casedoc.Case) {
		c.Plan.PatientGoals = []string{" ", "Walk to work"}
	}), outcome: outPass},
	{id: "PC-08", name: "held without a plan", mutate: steps(held, noPlan), outcome: outGap, paths: []string{"plan"}},

	// PC-09
	{id: "PC-09", name: "reference", outcome: outPass},
	{id: "PC-09", name: "patient not first on the action plan", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemActionPlan].PatientSpeaksFirst = false },
		outcome: outGap, paths: []string{"meeting.agenda[5].patient_speaks_first"}},
	{id: "PC-09", name: "not first on either", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemActionPlan].PatientSpeaksFirst = false
		c.Meeting.Agenda[refcase.ItemDiscussion].PatientSpeaksFirst = false
	}, outcome: outGap, paths: []string{"meeting.agenda[4].patient_speaks_first", "meeting.agenda[5].patient_speaks_first"}},
	{id: "PC-09", name: "other kinds need not", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemDiscussion].Kind = meeting.ItemOther
		c.Meeting.Agenda[refcase.ItemDiscussion].PatientSpeaksFirst = false
	}, outcome: outPass},
}

// pcFindings checks c with the default policy (or p) and returns the
// findings of id.
func pcFindings(t *testing.T, c *casedoc.Case, id string, p ...recommend.Policy) []recommend.Finding {
	t.Helper()
	var policy recommend.Policy
	if len(p) > 0 {
		policy = p[0]
	}
	return resultFor(t, mustEngine(t, policy).Check(c), id).Findings
}

// TestPC04ReasonsAndArgs pins the codes, args and texts of PC-04, including
// a second participant with role patient, who is a third party.
func TestPC04ReasonsAndArgs(t *testing.T) {
	c := reference(t)
	c.Meeting.Participants[refcase.NextOfKin].Role = meeting.RolePatient
	c.Consents[0].WithdrawnAt = c.Meeting.Start
	c.Consents = c.Consents[:1]
	fs := pcFindings(t, c, "PC-04")
	require.Len(t, fs, 2)
	assert.Equal(t, "PC-04.second_patient", fs[0].Code)
	assert.Equal(t, recommend.Args{"decision": recommend.Code("withdrawn")}, fs[0].Args)
	assert.Contains(t, fs[0].Message, "the consent is withdrawn by then")
	assert.Equal(t, pid(c, refcase.NextOfKin), fs[0].SubjectID)
	assert.Equal(t, "PC-04.no_valid_consent", fs[1].Code)
	assert.Equal(t, recommend.Args{"decision": recommend.Code("no_consent"), "party": recommend.Code("third_party")}, fs[1].Args)
	assert.Equal(t, "This third party holds no consent to attend that is valid at the start of the meeting: there is no consent.", fs[1].Message)

	c = reference(t)
	c.Consents[1].GivenAt = c.Meeting.Start.Add(time.Second)
	fs = pcFindings(t, c, "PC-04")
	require.Len(t, fs, 1)
	assert.Equal(t, recommend.Args{"decision": recommend.Code("not_yet_given"), "party": recommend.Code("third_party")}, fs[0].Args)
	assert.Equal(t, "This third party holds no consent to attend that is valid at the start of the meeting: the consent is only given later.", fs[0].Message)

	c = reference(t)
	c.Consents[1].ExpiresAt = c.Meeting.Start
	fs = pcFindings(t, c, "PC-04")
	require.Len(t, fs, 1)
	assert.Equal(t, recommend.Args{"decision": recommend.Code("expired"), "party": recommend.Code("third_party")}, fs[0].Args)
}

// TestThirdPartyNamedByRole: a third party who is next of kin is named so
// ("pårørende"), anyone else a third party, in the messages of PC-04, CS-02
// and CS-03, in both languages.
func TestThirdPartyNamedByRole(t *testing.T) {
	withoutConsents := func(c *casedoc.Case) { c.Consents = nil }
	sendNotes := func(k int) func(c *casedoc.Case) {
		return func(c *casedoc.Case) {
			c.Consents = nil
			c.Meeting.Preparation.ClinicalNotesSentTo = []uuid.UUID{c.Meeting.Participants[k].ID}
			c.Meeting.Preparation.ClinicalNotesSentAt = c.Meeting.Start.Add(-72 * time.Hour)
		}
	}
	tests := []struct {
		name, id    string
		participant int
		mutate      func(int) func(*casedoc.Case)
		party       recommend.Code
		en, nb      string
	}{
		{"next of kin attends", "PC-04", refcase.NextOfKin, func(int) func(*casedoc.Case) { return withoutConsents },
			"next_of_kin", "This next of kin holds no consent to attend", "Denne pårørende har ikke gyldig samtykke til å delta ved møtestart"},
		{"supervisor attends", "PC-04", refcase.Supervisor, func(int) func(*casedoc.Case) { return withoutConsents },
			"third_party", "This third party holds no consent to attend", "Denne tredjeparten har ikke gyldig samtykke til å delta ved møtestart"},
		{"notes to next of kin", "CS-02", refcase.NextOfKin, sendNotes,
			"next_of_kin", "The clinical notes were sent to this next of kin without", "Journalopplysningene ble sendt til denne pårørende uten gyldig samtykke"},
		{"notes to supervisor", "CS-02", refcase.Supervisor, sendNotes,
			"third_party", "The clinical notes were sent to this third party without", "Journalopplysningene ble sendt til denne tredjeparten uten gyldig samtykke"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, lang := range catalogue.Builtin().Langs {
				c := reference(t)
				tc.mutate(tc.participant)(c)
				res := resultFor(t, mustEngine(t, recommend.Policy{}, recommend.WithLang(lang)).Check(c), tc.id)
				var found bool
				for _, f := range res.Findings {
					if f.SubjectID != pid(c, tc.participant) {
						continue
					}
					found = true
					assert.Equal(t, tc.party, f.Args["party"])
					want := map[recommend.Lang]string{recommend.English: tc.en, recommend.Bokmal: tc.nb}[lang]
					assert.Contains(t, f.Message, want, lang)
				}
				assert.True(t, found, "%s: no finding about participant %d", lang, tc.participant)
			}
		})
	}
}

// TestPC02NamesTheFirstMissedOpenItem pins which item PC-02 names: the
// first missed item that is not for professionals only, on each side.
func TestPC02NamesTheFirstMissedOpenItem(t *testing.T) {
	c := reference(t)
	c.Meeting.Agenda[refcase.ItemIntro].ProfessionalsOnly = true
	c.Meeting.Agenda[refcase.ItemSummary].ProfessionalsOnly = true
	c.Meeting.Participants[refcase.Patient].JoinsAtItem = c.Meeting.Agenda[refcase.ItemPerspective].ID
	c.Meeting.Participants[refcase.Patient].LeavesAfterItem = c.Meeting.Agenda[refcase.ItemDiscussion].ID
	fs := pcFindings(t, c, "PC-02")
	require.Len(t, fs, 2)
	assert.Equal(t, "PC-02.joins_late", fs[0].Code)
	assert.Equal(t, recommend.Args{"item": refcase.ItemClinical + 1, "item_kind": meeting.ItemClinicalSummary}, fs[0].Args)
	assert.Equal(t, "The patient joins too late for agenda item 2 (clinical summary), which is not for professionals only.", fs[0].Message)
	assert.Equal(t, "PC-02.leaves_early", fs[1].Code)
	assert.Equal(t, recommend.Args{"item": refcase.ItemActionPlan + 1, "item_kind": meeting.ItemActionPlan}, fs[1].Args)
}

// TestPCTexts pins a few rendered texts with units and plurals.
func TestPCTexts(t *testing.T) {
	c := reference(t)
	c.Meeting.Agenda[refcase.ItemPerspective].Minutes = 1
	fs := pcFindings(t, c, "PC-05")
	require.Len(t, fs, 1)
	assert.Equal(t, "The patient's item has 1 minute; at least 10 minutes are needed.", fs[0].Message)

	fs = pcFindings(t, reference(t), "PC-06", withParams("max_professionals", 1))
	require.Len(t, fs, 1)
	assert.Equal(t, recommend.Args{"participants": 5, "max_participants": 1}, fs[0].Args)
	assert.Equal(t, "The meeting has 5 participants outside the patient side; the limit is 1 participant.", fs[0].Message)

	c = reference(t)
	c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start.Add(-days(1))
	fs = pcFindings(t, c, "PC-07")
	require.Len(t, fs, 1)
	assert.Equal(t, "PC-07.agenda_late", fs[0].Code)
	assert.Equal(t, "The agenda was sent at 2026-05-03 09:00, later than 3 days before the start.", fs[0].Message)
}
