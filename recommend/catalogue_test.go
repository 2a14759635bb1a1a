package recommend_test

import (
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ruleCase is the reference meeting with one thing changed, and what one
// recommendation must give for it.
type ruleCase struct {
	id      string
	name    string
	policy  recommend.Policy
	mutate  func(c *casedoc.Case)
	outcome recommend.Outcome
	paths   []string // the findings' paths, in order, for a gap
}

var (
	outPass = recommend.OutcomePass
	outGap  = recommend.OutcomeGap
	outNA   = recommend.OutcomeNotApplicable
)

// Mutations used by several cases.

func noPatient(c *casedoc.Case) { c.Meeting.Participants[pPatient].Role = meeting.RoleNextOfKin }

func held(c *casedoc.Case) {
	c.Meeting.Status = meeting.StatusHeld
	c.Plan.Status = plan.StatusAgreed
	c.Plan.PatientAgreedAt = c.Meeting.End()
	c.Plan.DistributedAt = c.Meeting.Start.Add(days(1))
	c.Plan.Recipients = nil
	for _, p := range c.Meeting.Participants {
		c.Plan.Recipients = append(c.Plan.Recipients, p.ID)
	}
}

func noPlan(c *casedoc.Case) { c.Plan = nil }

func noPreparation(c *casedoc.Case) { c.Meeting.Preparation = nil }

func joins(k, i int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Participants[k].JoinsAtItem = c.Meeting.Agenda[i].ID }
}

func leaves(k, i int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Participants[k].LeavesAfterItem = c.Meeting.Agenda[i].ID }
}

func steps(fs ...func(c *casedoc.Case)) func(c *casedoc.Case) {
	return func(c *casedoc.Case) {
		for _, f := range fs {
			f(c)
		}
	}
}

func pid(c *casedoc.Case, k int) uuid.UUID { return c.Meeting.Participants[k].ID }

var dangling = uuid.MustParse("c637ac02-fc06-5af5-ad6d-216121851551")

func withParams(kv ...any) recommend.Policy {
	p := recommend.Policy{Params: map[string]any{}}
	for i := 0; i < len(kv); i += 2 {
		p.Params[kv[i].(string)] = kv[i+1]
	}
	return p
}

func removeID(ids []uuid.UUID, id uuid.UUID) []uuid.UUID {
	var out []uuid.UUID
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// addConsent gives participant k a consent with the scope, given at the time.
func addConsent(k int, scope consent.Scope, given func(c *casedoc.Case) time.Time) func(c *casedoc.Case) {
	return func(c *casedoc.Case) {
		c.Consents = append(c.Consents, consent.Consent{
			ID: uuid.New(), PatientID: c.Meeting.PatientID, GranteeID: pid(c, k),
			Scopes: []consent.Scope{scope}, GivenAt: given(c),
		})
	}
}

func beforeStart(d time.Duration) func(c *casedoc.Case) time.Time {
	return func(c *casedoc.Case) time.Time { return c.Meeting.Start.Add(-d) }
}

var ruleCases = []ruleCase{
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

	// AP-01
	{id: "AP-01", name: "reference: exactly plan_minutes", outcome: outPass},
	{id: "AP-01", name: "one minute short", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iActionPlan].Minutes = 9 },
		outcome: outGap, paths: []string{"meeting.agenda[5].minutes"}},
	{id: "AP-01", name: "no action_plan item", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iActionPlan].Kind = meeting.ItemDiscussion },
		outcome: outGap, paths: []string{"meeting.agenda"}},

	// AP-02
	{id: "AP-02", name: "reference", outcome: outPass},
	{id: "AP-02", name: "exactly discussion_minutes", policy: withParams("discussion_minutes", 12), outcome: outPass},
	{id: "AP-02", name: "discussion too short", policy: withParams("discussion_minutes", 13), outcome: outGap, paths: []string{"meeting.agenda[4].minutes"}},
	{id: "AP-02", name: "discussion after the action plan", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[iDiscussion].Kind, c.Meeting.Agenda[iActionPlan].Kind = meeting.ItemActionPlan, meeting.ItemDiscussion
	}, outcome: outGap, paths: []string{"meeting.agenda[5]"}},
	{id: "AP-02", name: "no discussion", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iDiscussion].Kind = meeting.ItemOther },
		outcome: outGap, paths: []string{"meeting.agenda"}},

	// AP-03
	{id: "AP-03", name: "reference: draft plan", outcome: outPass},
	{id: "AP-03", name: "no plan", mutate: noPlan, outcome: outGap, paths: []string{"plan"}},

	// AP-04
	{id: "AP-04", name: "reference", outcome: outPass},
	{id: "AP-04", name: "no actions", mutate: func(c *casedoc.Case) { c.Plan.Actions = nil }, outcome: outGap, paths: []string{"plan.actions"}},
	{id: "AP-04", name: "action without owner", mutate: func(c *casedoc.Case) { c.Plan.Actions[1].OwnerID = uuid.Nil },
		outcome: outGap, paths: []string{"plan.actions[1].owner_id"}},
	{id: "AP-04", name: "owner not a participant", mutate: func(c *casedoc.Case) { c.Plan.Actions[0].OwnerID = dangling },
		outcome: outGap, paths: []string{"plan.actions[0].owner_id"}},
	{id: "AP-04", name: "no plan", mutate: noPlan, outcome: outGap, paths: []string{"plan"}},

	// AP-05
	{id: "AP-05", name: "reference", outcome: outPass},
	{id: "AP-05", name: "due exactly horizon_days after start", mutate: func(c *casedoc.Case) { c.Plan.Actions[0].Due = c.Meeting.Start.Add(days(183)) },
		outcome: outPass},
	{id: "AP-05", name: "due a second after the horizon", mutate: func(c *casedoc.Case) {
		c.Plan.Actions[0].Due = c.Meeting.Start.Add(days(183) + time.Second)
	}, outcome: outGap, paths: []string{"plan.actions[0].due"}},
	{id: "AP-05", name: "due exactly at start", mutate: func(c *casedoc.Case) { c.Plan.Actions[2].Due = c.Meeting.Start },
		outcome: outGap, paths: []string{"plan.actions[2].due"}},
	{id: "AP-05", name: "no due date", mutate: func(c *casedoc.Case) { c.Plan.Actions[1].Due = time.Time{} },
		outcome: outGap, paths: []string{"plan.actions[1].due"}},
	{id: "AP-05", name: "no actions: nothing to date", mutate: func(c *casedoc.Case) { c.Plan.Actions = nil }, outcome: outPass},
	{id: "AP-05", name: "no plan", mutate: noPlan, outcome: outGap, paths: []string{"plan"}},

	// AP-06
	{id: "AP-06", name: "reference", outcome: outPass},
	{id: "AP-06", name: "no follow-up", mutate: func(c *casedoc.Case) { c.Plan.FollowUp = nil }, outcome: outGap, paths: []string{"plan.follow_up"}},
	{id: "AP-06", name: "next contact exactly at start", mutate: func(c *casedoc.Case) { c.Plan.FollowUp.NextContactAt = c.Meeting.Start },
		outcome: outGap, paths: []string{"plan.follow_up.next_contact_at"}},
	{id: "AP-06", name: "next contact just after start", mutate: func(c *casedoc.Case) {
		c.Plan.FollowUp.NextContactAt = c.Meeting.Start.Add(time.Second)
	}, outcome: outPass},
	{id: "AP-06", name: "contact person not a participant", mutate: func(c *casedoc.Case) { c.Plan.FollowUp.ContactPersonID = dangling },
		outcome: outGap, paths: []string{"plan.follow_up.contact_person_id"}},
	{id: "AP-06", name: "no initiator", mutate: func(c *casedoc.Case) { c.Plan.FollowUp.Initiator = "" },
		outcome: outGap, paths: []string{"plan.follow_up.initiator"}},
	{id: "AP-06", name: "no plan", mutate: noPlan, outcome: outGap, paths: []string{"plan"}},

	// AP-07
	{id: "AP-07", name: "reference", outcome: outPass},
	{id: "AP-07", name: "no intensity", mutate: func(c *casedoc.Case) { c.Plan.FollowUp.Intensity = "" },
		outcome: outGap, paths: []string{"plan.follow_up.intensity"}},
	{id: "AP-07", name: "someone changing soon, regular follow-up", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[pSupervisor].ChangingSoon = true
	}, outcome: outGap, paths: []string{"plan.follow_up.intensity"}},
	{id: "AP-07", name: "someone changing soon, close follow-up", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[pSupervisor].ChangingSoon = true
		c.Plan.FollowUp.Intensity = plan.IntensityClose
	}, outcome: outPass},
	{id: "AP-07", name: "no follow-up", mutate: func(c *casedoc.Case) { c.Plan.FollowUp = nil }, outcome: outGap, paths: []string{"plan.follow_up"}},

	// AP-08
	{id: "AP-08", name: "standard profile", outcome: outNA},
	{id: "AP-08", name: "minimal profile", policy: recommend.Policy{Profile: recommend.ProfileMinimal}, outcome: outNA},
	{id: "AP-08", name: "thorough: not sent", policy: recommend.Policy{Profile: recommend.ProfileThorough}, outcome: outGap,
		paths: []string{"meeting.preparation.suggested_actions_sent_at"}},
	{id: "AP-08", name: "thorough: sent exactly notice_days before", policy: recommend.Policy{Profile: recommend.ProfileThorough},
		mutate: func(c *casedoc.Case) { c.Meeting.Preparation.SuggestedActionsSentAt = c.Meeting.Start.Add(-days(3)) }, outcome: outPass},
	{id: "AP-08", name: "thorough: sent a second late", policy: recommend.Policy{Profile: recommend.ProfileThorough},
		mutate: func(c *casedoc.Case) {
			c.Meeting.Preparation.SuggestedActionsSentAt = c.Meeting.Start.Add(-days(3) + time.Second)
		}, outcome: outGap, paths: []string{"meeting.preparation.suggested_actions_sent_at"}},
	{id: "AP-08", name: "thorough: no preparation", policy: recommend.Policy{Profile: recommend.ProfileThorough},
		mutate: noPreparation, outcome: outGap, paths: []string{"meeting.preparation"}},

	// AP-09
	{id: "AP-09", name: "planned meeting", outcome: outNA},
	{id: "AP-09", name: "cancelled meeting", mutate: func(c *casedoc.Case) { c.Meeting.Status = meeting.StatusCancelled }, outcome: outNA},
	{id: "AP-09", name: "held and agreed", mutate: held, outcome: outPass},
	{id: "AP-09", name: "held, plan still a draft", mutate: steps(held, func(c *casedoc.Case) {
		c.Plan.Status, c.Plan.PatientAgreedAt = plan.StatusDraft, time.Time{}
	}), outcome: outGap, paths: []string{"plan.patient_agreed_at", "plan.status"}},
	{id: "AP-09", name: "held, no plan", mutate: steps(held, noPlan), outcome: outGap, paths: []string{"plan"}},

	// AP-10
	{id: "AP-10", name: "planned meeting", outcome: outNA},
	{id: "AP-10", name: "held, sent exactly distribute_days after", mutate: steps(held, func(c *casedoc.Case) {
		c.Plan.DistributedAt = c.Meeting.Start.Add(days(7))
	}), outcome: outPass},
	{id: "AP-10", name: "held, sent a second late", mutate: steps(held, func(c *casedoc.Case) {
		c.Plan.DistributedAt = c.Meeting.Start.Add(days(7) + time.Second)
	}), outcome: outGap, paths: []string{"plan.distributed_at"}},
	{id: "AP-10", name: "held, not sent", mutate: steps(held, func(c *casedoc.Case) { c.Plan.DistributedAt = time.Time{} }),
		outcome: outGap, paths: []string{"plan.distributed_at"}},
	{id: "AP-10", name: "held, the GP not a recipient", mutate: steps(held, func(c *casedoc.Case) {
		c.Plan.Recipients = removeID(c.Plan.Recipients, pid(c, pGP))
	}), outcome: outGap, paths: []string{"plan.recipients"}},

	// AP-11
	{id: "AP-11", name: "reference", outcome: outPass},
	{id: "AP-11", name: "social security owns nothing", mutate: func(c *casedoc.Case) { c.Plan.Actions[2].OwnerID = pid(c, pGP) },
		outcome: outGap, paths: []string{"plan.actions"}},
	{id: "AP-11", name: "social security only informed", mutate: func(c *casedoc.Case) {
		c.Plan.Actions[2].OwnerID = pid(c, pGP)
		c.Plan.InformedOnlySectors = []string{"social_security"}
	}, outcome: outPass},
	{id: "AP-11", name: "no plan", mutate: noPlan, outcome: outGap, paths: []string{"plan"}},

	// MC-01
	{id: "MC-01", name: "reference", outcome: outPass},
	{id: "MC-01", name: "no leader", mutate: func(c *casedoc.Case) { c.Meeting.LeaderID = uuid.Nil }, outcome: outGap, paths: []string{"meeting.leader_id"}},
	{id: "MC-01", name: "leader not a participant", mutate: func(c *casedoc.Case) { c.Meeting.LeaderID = dangling },
		outcome: outGap, paths: []string{"meeting.leader_id"}},
	{id: "MC-01", name: "leader outside health care, joining late", mutate: func(c *casedoc.Case) { c.Meeting.LeaderID = pid(c, pSupervisor) },
		outcome: outGap, paths: []string{"meeting.leader_id", "meeting.participants[6].joins_at_item"}},
	{id: "MC-01", name: "leader leaves before the summary", mutate: leaves(pPhysician, iActionPlan),
		outcome: outGap, paths: []string{"meeting.participants[2].leaves_after_item"}},
	{id: "MC-01", name: "the GP leads", mutate: func(c *casedoc.Case) { c.Meeting.LeaderID = pid(c, pGP) }, outcome: outPass},

	// MC-02
	{id: "MC-02", name: "reference", outcome: outPass},
	{id: "MC-02", name: "agenda exactly fills the meeting", mutate: func(c *casedoc.Case) { c.Meeting.DurationMinutes = 57 }, outcome: outPass},
	{id: "MC-02", name: "agenda a minute too long", mutate: func(c *casedoc.Case) { c.Meeting.DurationMinutes = 56 },
		outcome: outGap, paths: []string{"meeting.duration_minutes"}},
	{id: "MC-02", name: "item without minutes", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iRecap].Minutes = 0 },
		outcome: outGap, paths: []string{"meeting.agenda[3].minutes"}},
	{id: "MC-02", name: "empty agenda", mutate: func(c *casedoc.Case) { c.Meeting.Agenda = nil }, outcome: outGap, paths: []string{"meeting.agenda"}},

	// MC-03
	{id: "MC-03", name: "reference", outcome: outPass},
	{id: "MC-03", name: "first item not introductions", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iIntro].Kind = meeting.ItemOther },
		outcome: outGap, paths: []string{"meeting.agenda[0].kind"}},
	{id: "MC-03", name: "empty agenda", mutate: func(c *casedoc.Case) { c.Meeting.Agenda = nil }, outcome: outGap, paths: []string{"meeting.agenda"}},

	// MC-04
	{id: "MC-04", name: "reference: joins at a recap", outcome: outPass},
	{id: "MC-04", name: "joins at the discussion", mutate: joins(pSupervisor, iDiscussion), outcome: outGap,
		paths: []string{"meeting.participants[6].joins_at_item"}},
	{id: "MC-04", name: "joins at the last item, a summary", mutate: joins(pSupervisor, iSummary), outcome: outPass},
	{id: "MC-04", name: "joins at the first item", mutate: joins(pSupervisor, iIntro), outcome: outPass},

	// MC-05
	{id: "MC-05", name: "reference", outcome: outPass},
	{id: "MC-05", name: "digital without platform", mutate: func(c *casedoc.Case) { c.Meeting.Platform = "" }, outcome: outGap,
		paths: []string{"meeting.platform"}},
	{id: "MC-05", name: "hybrid with a blank platform", mutate: func(c *casedoc.Case) {
		c.Meeting.Format, c.Meeting.Platform = meeting.FormatHybrid, "  "
	}, outcome: outGap, paths: []string{"meeting.platform"}},
	{id: "MC-05", name: "in person", mutate: func(c *casedoc.Case) { c.Meeting.Format, c.Meeting.Platform = meeting.FormatInPerson, "" }, outcome: outNA},

	// MC-06
	{id: "MC-06", name: "digital meeting", outcome: outNA},
	{id: "MC-06", name: "hybrid, three at the clinic", mutate: func(c *casedoc.Case) { c.Meeting.Format = meeting.FormatHybrid },
		outcome: outGap, paths: []string{"meeting.participants"}},
	{id: "MC-06", name: "hybrid, three at the clinic, limit raised", policy: withParams("max_colocated", 4),
		mutate: func(c *casedoc.Case) { c.Meeting.Format = meeting.FormatHybrid }, outcome: outPass},
	{id: "MC-06", name: "hybrid, two at the clinic", mutate: func(c *casedoc.Case) {
		c.Meeting.Format = meeting.FormatHybrid
		c.Meeting.Participants[pPhysio].Location = meeting.LocationOffice
	}, outcome: outPass},
	{id: "MC-06", name: "hybrid, nobody remote", mutate: func(c *casedoc.Case) {
		c.Meeting.Format = meeting.FormatHybrid
		for k := range c.Meeting.Participants {
			c.Meeting.Participants[k].Location = meeting.LocationClinic
		}
	}, outcome: outPass},

	// MC-07
	{id: "MC-07", name: "reference", outcome: outPass},
	{id: "MC-07", name: "last item not a summary", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[iSummary].Kind = meeting.ItemOther },
		outcome: outGap, paths: []string{"meeting.agenda[6].kind"}},

	// MC-08
	{id: "MC-08", name: "reference", outcome: outPass},
	{id: "MC-08", name: "exactly min_minutes", mutate: func(c *casedoc.Case) { c.Meeting.DurationMinutes = 30 }, outcome: outPass},
	{id: "MC-08", name: "exactly max_minutes", mutate: func(c *casedoc.Case) { c.Meeting.DurationMinutes = 90 }, outcome: outPass},
	{id: "MC-08", name: "too short", mutate: func(c *casedoc.Case) { c.Meeting.DurationMinutes = 29 }, outcome: outGap,
		paths: []string{"meeting.duration_minutes"}},
	{id: "MC-08", name: "too long", mutate: func(c *casedoc.Case) { c.Meeting.DurationMinutes = 91 }, outcome: outGap,
		paths: []string{"meeting.duration_minutes"}},

	// MC-09
	{id: "MC-09", name: "reference", outcome: outPass},
	{id: "MC-09", name: "agenda sent exactly notice_days before", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start.Add(-days(3))
	}, outcome: outPass},
	{id: "MC-09", name: "agenda sent a nanosecond late", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start.Add(-days(3) + 1)
	}, outcome: outGap, paths: []string{"meeting.preparation.agenda_sent_at"}},
	{id: "MC-09", name: "supervisor did not get the agenda", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.SentTo = removeID(c.Meeting.Preparation.SentTo, pid(c, pSupervisor))
	}, outcome: outGap, paths: []string{"meeting.preparation.sent_to"}},
	{id: "MC-09", name: "no preparation record", mutate: noPreparation, outcome: outGap, paths: []string{"meeting.preparation"}},

	// MC-10
	{id: "MC-10", name: "reference", outcome: outPass},
	{id: "MC-10", name: "no minute-taker", mutate: func(c *casedoc.Case) { c.Meeting.MinuteTakerID = uuid.Nil }, outcome: outGap,
		paths: []string{"meeting.minute_taker_id"}},
	{id: "MC-10", name: "plan updater not a participant", mutate: func(c *casedoc.Case) { c.Meeting.PlanUpdaterID = dangling }, outcome: outGap,
		paths: []string{"meeting.plan_updater_id"}},
	{id: "MC-10", name: "minute-taker joins late", mutate: func(c *casedoc.Case) { c.Meeting.MinuteTakerID = pid(c, pSupervisor) }, outcome: outGap,
		paths: []string{"meeting.participants[6].joins_at_item"}},
	{id: "MC-10", name: "one person holds both", mutate: func(c *casedoc.Case) { c.Meeting.MinuteTakerID = c.Meeting.PlanUpdaterID }, outcome: outPass},

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

	// PW-01
	{id: "PW-01", name: "reference", outcome: outPass},
	{id: "PW-01", name: "exactly assessment_to_meeting_weeks", mutate: func(c *casedoc.Case) {
		c.Meeting.Pathway.AssessmentStartedAt = c.Meeting.Start.Add(-weeks(12))
	}, outcome: outPass},
	{id: "PW-01", name: "a second too late", mutate: func(c *casedoc.Case) {
		c.Meeting.Pathway.AssessmentStartedAt = c.Meeting.Start.Add(-weeks(12) - time.Second)
	}, outcome: outGap, paths: []string{"meeting.start"}},
	{id: "PW-01", name: "no assessment date", mutate: func(c *casedoc.Case) { c.Meeting.Pathway.AssessmentStartedAt = time.Time{} }, outcome: outNA},
	{id: "PW-01", name: "no pathway", mutate: func(c *casedoc.Case) { c.Meeting.Pathway = nil }, outcome: outNA},
	{id: "PW-01", name: "follow-up meeting", mutate: func(c *casedoc.Case) {
		c.Meeting.Kind = meeting.KindFollowUp
		c.Meeting.Pathway.AssessmentStartedAt = c.Meeting.Start.Add(-weeks(50))
	}, outcome: outNA},

	// PW-02
	{id: "PW-02", name: "reference", outcome: outPass},
	{id: "PW-02", name: "exactly referral_to_assessment_weeks", mutate: func(c *casedoc.Case) {
		c.Meeting.Pathway.AssessmentStartedAt = c.Meeting.Pathway.ReferralReceivedAt.Add(weeks(12))
	}, outcome: outPass},
	{id: "PW-02", name: "a second too late", mutate: func(c *casedoc.Case) {
		c.Meeting.Pathway.AssessmentStartedAt = c.Meeting.Pathway.ReferralReceivedAt.Add(weeks(12) + time.Second)
	}, outcome: outGap, paths: []string{"meeting.pathway.assessment_started_at"}},
	{id: "PW-02", name: "no referral date", mutate: func(c *casedoc.Case) { c.Meeting.Pathway.ReferralReceivedAt = time.Time{} }, outcome: outNA},

	// PW-03
	{id: "PW-03", name: "reference", outcome: outPass},
	{id: "PW-03", name: "exactly follow_up_weeks", mutate: func(c *casedoc.Case) { c.Plan.FollowUp.NextMeetingAt = c.Meeting.Start.Add(weeks(26)) },
		outcome: outPass},
	{id: "PW-03", name: "a second too late", mutate: func(c *casedoc.Case) {
		c.Plan.FollowUp.NextMeetingAt = c.Meeting.Start.Add(weeks(26) + time.Second)
	}, outcome: outGap, paths: []string{"plan.follow_up.next_meeting_at"}},
	{id: "PW-03", name: "not booked", mutate: func(c *casedoc.Case) { c.Plan.FollowUp.NextMeetingAt = time.Time{} }, outcome: outGap,
		paths: []string{"plan.follow_up.next_meeting_at"}},
	{id: "PW-03", name: "no plan", mutate: noPlan, outcome: outGap, paths: []string{"plan"}},
	{id: "PW-03", name: "follow-up meeting", mutate: steps(noPlan, func(c *casedoc.Case) { c.Meeting.Kind = meeting.KindFollowUp }), outcome: outNA},
}

func TestEveryRecommendation(t *testing.T) {
	for _, tc := range ruleCases {
		t.Run(tc.id+"/"+tc.name, func(t *testing.T) {
			c := reference(t)
			if tc.mutate != nil {
				tc.mutate(c)
			}
			rep := mustEngine(t, tc.policy).Check(c)
			res := resultFor(t, rep, tc.id)
			require.Equal(t, tc.outcome, res.Outcome, "findings: %+v", res.Findings)
			if tc.outcome == outGap {
				assert.Equal(t, tc.paths, findingPaths(res))
				for _, f := range res.Findings {
					assert.NotEmpty(t, f.Message)
					assert.NotEmpty(t, f.Remedy)
				}
			} else {
				assert.Empty(t, res.Findings)
			}
		})
	}
}

// TestEveryRecommendationHasCases holds the rule that every recommendation
// has at least one passing case and one gap case in ruleCases.
func TestEveryRecommendationHasCases(t *testing.T) {
	seen := map[string]map[recommend.Outcome]bool{}
	for _, tc := range ruleCases {
		if seen[tc.id] == nil {
			seen[tc.id] = map[recommend.Outcome]bool{}
		}
		seen[tc.id][tc.outcome] = true
	}
	for _, r := range recommend.Catalogue() {
		assert.True(t, seen[r.ID][outPass], "%s has no passing case", r.ID)
		assert.True(t, seen[r.ID][outGap], "%s has no gap case", r.ID)
	}
}

// TestFindingSubjects checks that findings about participants name them by ID and role.
func TestFindingSubjects(t *testing.T) {
	c := reference(t)
	c.Meeting.Participants[pSupervisor].JoinsAtItem = c.Meeting.Agenda[iDiscussion].ID
	res := resultFor(t, mustEngine(t, recommend.Policy{}).Check(c), "MC-04")
	require.Len(t, res.Findings, 1)
	f := res.Findings[0]
	assert.Equal(t, c.Meeting.Participants[pSupervisor].ID, f.SubjectID)
	assert.Equal(t, meeting.RoleSocialSecuritySupervisor, f.SubjectRole)
	assert.Equal(t, "meeting.participants[6].joins_at_item", f.Path)
}
