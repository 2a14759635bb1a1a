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
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apHeld is the held reference meeting with more changes.
func apHeld(fs ...func(c *casedoc.Case)) func(c *casedoc.Case) {
	return steps(append([]func(c *casedoc.Case){held}, fs...)...)
}

// apNextContact sets the follow-up's intensity and next contact, d after start.
func apNextContact(in plan.Intensity, d time.Duration) func(c *casedoc.Case) {
	return func(c *casedoc.Case) {
		c.Plan.FollowUp.Intensity = in
		c.Plan.FollowUp.NextContactAt = c.Meeting.Start.Add(d)
	}
}

// apNotRecipient removes participant k from the plan's recipients.
func apNotRecipient(k int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Plan.Recipients = removeID(c.Plan.Recipients, pid(c, k)) }
}

// apConsentSupervisor is the index of the supervisor's consent in the
// reference case (the next of kin's is 0).
const apConsentSupervisor = 1

var apThorough = recommend.Policy{Profile: recommend.ProfileThorough}

var apCases = []ruleCase{
	// AP-01
	{id: "AP-01", name: "reference: exactly plan_minutes", outcome: outPass},
	{id: "AP-01", name: "one minute short", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemActionPlan].Minutes = 9 },
		outcome: outGap, paths: []string{"meeting.agenda[5].minutes"}},
	{id: "AP-01", name: "longer plan_minutes", policy: withParams("plan_minutes", 11),
		outcome: outGap, paths: []string{"meeting.agenda[5].minutes"}},
	{id: "AP-01", name: "two short action_plan items", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemActionPlan].Minutes = 9
		c.Meeting.Agenda[refcase.ItemSummary].Kind = meeting.ItemActionPlan
	}, outcome: outGap, paths: []string{"meeting.agenda[5].minutes", "meeting.agenda[6].minutes"}},
	{id: "AP-01", name: "one of two action_plan items long enough", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemSummary].Kind = meeting.ItemActionPlan
	}, outcome: outPass},
	{id: "AP-01", name: "no action_plan item", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemActionPlan].Kind = meeting.ItemDiscussion },
		outcome: outGap, paths: []string{"meeting.agenda"}},
	{id: "AP-01", name: "held: still checked", mutate: held, outcome: outPass},
	// 2026.3: a follow-up meeting needs follow_up_plan_minutes.
	{id: "AP-01", name: "a 20-minute check-in: 7 minutes are enough", mutate: checkInFollowUp, outcome: outPass},
	{id: "AP-01", name: "follow-up: exactly follow_up_plan_minutes", mutate: steps(checkInFollowUp, itemMinutes(2, 5)), outcome: outPass},
	{id: "AP-01", name: "follow-up: one minute short", mutate: steps(checkInFollowUp, itemMinutes(2, 4)),
		outcome: outGap, paths: []string{"meeting.agenda[2].minutes"}},
	{id: "AP-01", name: "follow-up: follow_up_plan_minutes raised", policy: withParams("follow_up_plan_minutes", 8), mutate: checkInFollowUp,
		outcome: outGap, paths: []string{"meeting.agenda[2].minutes"}},
	{id: "AP-01", name: "transfer meeting: plan_minutes", mutate: steps(checkInFollowUp, mcKind(meeting.KindTransfer)),
		outcome: outGap, paths: []string{"meeting.agenda[2].minutes"}},

	// AP-02
	{id: "AP-02", name: "reference", outcome: outPass},
	{id: "AP-02", name: "exactly discussion_minutes", policy: withParams("discussion_minutes", 12), outcome: outPass},
	{id: "AP-02", name: "discussion a minute short", policy: withParams("discussion_minutes", 13), outcome: outGap,
		paths: []string{"meeting.agenda[4].minutes"}},
	{id: "AP-02", name: "discussion after the action plan", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemDiscussion].Kind, c.Meeting.Agenda[refcase.ItemActionPlan].Kind = meeting.ItemActionPlan, meeting.ItemDiscussion
	}, outcome: outGap, paths: []string{"meeting.agenda[5]"}},
	{id: "AP-02", name: "discussion after the action plan and short", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemDiscussion].Kind, c.Meeting.Agenda[refcase.ItemActionPlan].Kind = meeting.ItemActionPlan, meeting.ItemDiscussion
		c.Meeting.Agenda[refcase.ItemActionPlan].Minutes = 9
	}, outcome: outGap, paths: []string{"meeting.agenda[5]", "meeting.agenda[5].minutes"}},
	{id: "AP-02", name: "no action_plan item: a discussion anywhere", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemActionPlan].Kind = meeting.ItemOther
	}, outcome: outPass},
	{id: "AP-02", name: "no discussion", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemDiscussion].Kind = meeting.ItemOther },
		outcome: outGap, paths: []string{"meeting.agenda"}},
	{id: "AP-02", name: "follow-up meeting without a discussion", mutate: func(c *casedoc.Case) {
		c.Meeting.Kind = meeting.KindFollowUp
		c.Meeting.Agenda[refcase.ItemDiscussion].Kind = meeting.ItemOther
	}, outcome: outNA},
	{id: "AP-02", name: "transfer meeting without a discussion", mutate: func(c *casedoc.Case) {
		c.Meeting.Kind = meeting.KindTransfer
		c.Meeting.Agenda[refcase.ItemDiscussion].Kind = meeting.ItemOther
	}, outcome: outNA},

	// AP-03
	{id: "AP-03", name: "planned: not yet applicable", outcome: outNA},
	{id: "AP-03", name: "planned without a plan: not asked for one", mutate: noPlan, outcome: outNA},
	{id: "AP-03", name: "held", mutate: held, outcome: outPass},
	{id: "AP-03", name: "held, the plan a draft", mutate: apHeld(func(c *casedoc.Case) { c.Plan.Status = plan.StatusDraft }),
		outcome: outPass},
	{id: "AP-03", name: "held without a plan", mutate: apHeld(noPlan), outcome: outGap, paths: []string{"plan"}},

	// AP-04
	{id: "AP-04", name: "planned without actions: not yet applicable", mutate: func(c *casedoc.Case) { c.Plan.Actions = nil },
		outcome: outNA},
	{id: "AP-04", name: "held", mutate: held, outcome: outPass},
	{id: "AP-04", name: "held, no actions", mutate: apHeld(func(c *casedoc.Case) { c.Plan.Actions = nil }),
		outcome: outGap, paths: []string{"plan.actions"}},
	{id: "AP-04", name: "held, an action without owner", mutate: apHeld(func(c *casedoc.Case) { c.Plan.Actions[1].OwnerID = uuid.Nil }),
		outcome: outGap, paths: []string{"plan.actions[1].owner_id"}},
	{id: "AP-04", name: "held, owner not a participant", mutate: apHeld(func(c *casedoc.Case) { c.Plan.Actions[0].OwnerID = dangling }),
		outcome: outGap, paths: []string{"plan.actions[0].owner_id"}},
	{id: "AP-04", name: "held without a plan", mutate: apHeld(noPlan), outcome: outGap, paths: []string{"plan"}},

	// AP-05
	{id: "AP-05", name: "planned, due at start: not yet applicable", mutate: func(c *casedoc.Case) { c.Plan.Actions[2].Due = c.Meeting.Start },
		outcome: outNA},
	{id: "AP-05", name: "held", mutate: held, outcome: outPass},
	{id: "AP-05", name: "held, due exactly horizon_days after start", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.Actions[0].Due = c.Meeting.Start.Add(days(183))
	}), outcome: outPass},
	{id: "AP-05", name: "held, due a second after the horizon", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.Actions[0].Due = c.Meeting.Start.Add(days(183) + time.Second)
	}), outcome: outGap, paths: []string{"plan.actions[0].due"}},
	{id: "AP-05", name: "held, a shorter horizon_days", policy: withParams("horizon_days", 20), mutate: held,
		outcome: outGap, paths: []string{"plan.actions[0].due", "plan.actions[2].due"}},
	{id: "AP-05", name: "held, due exactly at start", mutate: apHeld(func(c *casedoc.Case) { c.Plan.Actions[2].Due = c.Meeting.Start }),
		outcome: outGap, paths: []string{"plan.actions[2].due"}},
	{id: "AP-05", name: "held, due a second after start", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.Actions[2].Due = c.Meeting.Start.Add(time.Second)
	}), outcome: outPass},
	{id: "AP-05", name: "held, no due date", mutate: apHeld(func(c *casedoc.Case) { c.Plan.Actions[1].Due = time.Time{} }),
		outcome: outGap, paths: []string{"plan.actions[1].due"}},
	{id: "AP-05", name: "held, no actions: nothing to date", mutate: apHeld(func(c *casedoc.Case) { c.Plan.Actions = nil }),
		outcome: outPass},
	{id: "AP-05", name: "held without a plan", mutate: apHeld(noPlan), outcome: outGap, paths: []string{"plan"}},
	// 2026.3: not applicable to a check-in follow-up.
	{id: "AP-05", name: "held, a disability benefit application with a check-in", mutate: disabilityCheckIn, outcome: outNA},
	{id: "AP-05", name: "held, the same application with regular follow-up", mutate: steps(disabilityCheckIn, apNextContact(plan.IntensityRegular, days(30))),
		outcome: outGap, paths: []string{"plan.actions[2].due"}},
	{id: "AP-05", name: "held, check-in without a plan", mutate: steps(disabilityCheckIn, noPlan), outcome: outGap, paths: []string{"plan"}},

	// AP-06
	{id: "AP-06", name: "planned without follow-up: not yet applicable", mutate: func(c *casedoc.Case) { c.Plan.FollowUp = nil },
		outcome: outNA},
	{id: "AP-06", name: "held", mutate: held, outcome: outPass},
	{id: "AP-06", name: "held, no follow-up", mutate: apHeld(func(c *casedoc.Case) { c.Plan.FollowUp = nil }),
		outcome: outGap, paths: []string{"plan.follow_up"}},
	{id: "AP-06", name: "held, next contact exactly at start", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.FollowUp.NextContactAt = c.Meeting.Start
	}), outcome: outGap, paths: []string{"plan.follow_up.next_contact_at"}},
	{id: "AP-06", name: "held, next contact a second after start", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.FollowUp.NextContactAt = c.Meeting.Start.Add(time.Second)
	}), outcome: outPass},
	{id: "AP-06", name: "held, next contact not dated", mutate: apHeld(func(c *casedoc.Case) { c.Plan.FollowUp.NextContactAt = time.Time{} }),
		outcome: outGap, paths: []string{"plan.follow_up.next_contact_at"}},
	{id: "AP-06", name: "held, contact person not a participant", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.FollowUp.ContactPersonID = dangling
	}), outcome: outGap, paths: []string{"plan.follow_up.contact_person_id"}},
	{id: "AP-06", name: "held, no contact person", mutate: apHeld(func(c *casedoc.Case) { c.Plan.FollowUp.ContactPersonID = uuid.Nil }),
		outcome: outGap, paths: []string{"plan.follow_up.contact_person_id"}},
	{id: "AP-06", name: "held, no initiator", mutate: apHeld(func(c *casedoc.Case) { c.Plan.FollowUp.Initiator = "" }),
		outcome: outGap, paths: []string{"plan.follow_up.initiator"}},
	{id: "AP-06", name: "held, nothing of the follow-up", mutate: apHeld(func(c *casedoc.Case) { c.Plan.FollowUp = &plan.FollowUp{} }),
		outcome: outGap, paths: []string{"plan.follow_up.contact_person_id", "plan.follow_up.initiator", "plan.follow_up.next_contact_at"}},
	{id: "AP-06", name: "held without a plan", mutate: apHeld(noPlan), outcome: outGap, paths: []string{"plan"}},

	// AP-07
	{id: "AP-07", name: "planned, supervisor changing: not yet applicable", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Supervisor].ChangingSoon = true
	}, outcome: outNA},
	{id: "AP-07", name: "held", mutate: held, outcome: outPass},
	{id: "AP-07", name: "held, no intensity", mutate: apHeld(func(c *casedoc.Case) { c.Plan.FollowUp.Intensity = "" }),
		outcome: outGap, paths: []string{"plan.follow_up.intensity"}},
	{id: "AP-07", name: "held, supervisor changing soon, regular follow-up", mutate: apHeld(func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Supervisor].ChangingSoon = true
	}), outcome: outGap, paths: []string{"plan.follow_up.intensity"}},
	{id: "AP-07", name: "held, supervisor changing soon, check-in follow-up", mutate: apHeld(func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Supervisor].ChangingSoon = true
		c.Plan.FollowUp.Intensity = plan.IntensityCheckIn
	}), outcome: outGap, paths: []string{"plan.follow_up.intensity"}},
	{id: "AP-07", name: "held, supervisor changing soon, close follow-up", mutate: apHeld(func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Supervisor].ChangingSoon = true
		c.Plan.FollowUp.Intensity = plan.IntensityClose
	}), outcome: outPass},
	{id: "AP-07", name: "held, the GP changing soon: not social security", mutate: apHeld(func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.GP].ChangingSoon = true
	}), outcome: outPass},
	{id: "AP-07", name: "held, no follow-up", mutate: apHeld(func(c *casedoc.Case) { c.Plan.FollowUp = nil }),
		outcome: outGap, paths: []string{"plan.follow_up"}},
	{id: "AP-07", name: "held without a plan", mutate: apHeld(noPlan), outcome: outGap, paths: []string{"plan"}},

	// AP-08
	{id: "AP-08", name: "standard profile", outcome: outNA},
	{id: "AP-08", name: "minimal profile", policy: recommend.Policy{Profile: recommend.ProfileMinimal}, outcome: outNA},
	{id: "AP-08", name: "thorough: not sent", policy: apThorough, outcome: outGap,
		paths: []string{"meeting.preparation.suggested_actions_sent_at"}},
	{id: "AP-08", name: "thorough: sent exactly notice_days before", policy: apThorough,
		mutate: func(c *casedoc.Case) { c.Meeting.Preparation.SuggestedActionsSentAt = c.Meeting.Start.Add(-days(3)) }, outcome: outPass},
	{id: "AP-08", name: "thorough: sent a second late", policy: apThorough, mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.SuggestedActionsSentAt = c.Meeting.Start.Add(-days(3) + time.Second)
	}, outcome: outGap, paths: []string{"meeting.preparation.suggested_actions_sent_at"}},
	{id: "AP-08", name: "thorough: no preparation", policy: apThorough, mutate: noPreparation,
		outcome: outGap, paths: []string{"meeting.preparation"}},
	{id: "AP-08", name: "thorough, held: still checked", policy: apThorough, mutate: apHeld(func(c *casedoc.Case) {
		c.Meeting.Preparation.SuggestedActionsSentAt = c.Meeting.Start.Add(-days(5))
	}), outcome: outPass},

	// AP-09
	{id: "AP-09", name: "planned", outcome: outNA},
	{id: "AP-09", name: "cancelled", mutate: func(c *casedoc.Case) { c.Meeting.Status = meeting.StatusCancelled }, outcome: outNA},
	{id: "AP-09", name: "held and agreed", mutate: held, outcome: outPass},
	{id: "AP-09", name: "held, agreed exactly at start", mutate: apHeld(func(c *casedoc.Case) { c.Plan.PatientAgreedAt = c.Meeting.Start }),
		outcome: outPass},
	{id: "AP-09", name: "held, agreed a second before start", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.PatientAgreedAt = c.Meeting.Start.Add(-time.Second)
	}), outcome: outGap, paths: []string{"plan.patient_agreed_at"}},
	{id: "AP-09", name: "held, the plan still a draft", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.Status, c.Plan.PatientAgreedAt = plan.StatusDraft, time.Time{}
	}), outcome: outGap, paths: []string{"plan.patient_agreed_at", "plan.status"}},
	{id: "AP-09", name: "held, agreed without a time", mutate: apHeld(func(c *casedoc.Case) { c.Plan.PatientAgreedAt = time.Time{} }),
		outcome: outGap, paths: []string{"plan.patient_agreed_at"}},
	{id: "AP-09", name: "held without a plan", mutate: apHeld(noPlan), outcome: outGap, paths: []string{"plan"}},

	// AP-10
	{id: "AP-10", name: "planned", outcome: outNA},
	{id: "AP-10", name: "held: sent to everyone entitled", mutate: held, outcome: outPass},
	{id: "AP-10", name: "held, sent exactly distribute_days after", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.DistributedAt = c.Meeting.Start.Add(days(7))
	}), outcome: outPass},
	{id: "AP-10", name: "held, sent a second late", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.DistributedAt = c.Meeting.Start.Add(days(7) + time.Second)
	}), outcome: outGap, paths: []string{"plan.distributed_at"}},
	{id: "AP-10", name: "held, not sent: no third party asked for", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.DistributedAt = time.Time{}
		c.Plan.Recipients = removeID(removeID(c.Plan.Recipients, pid(c, refcase.NextOfKin)), pid(c, refcase.Supervisor))
	}), outcome: outGap, paths: []string{"plan.distributed_at"}},
	{id: "AP-10", name: "held, the GP not a recipient", mutate: apHeld(apNotRecipient(refcase.GP)),
		outcome: outGap, paths: []string{"plan.recipients"}},
	{id: "AP-10", name: "held, the patient not a recipient", mutate: apHeld(apNotRecipient(refcase.Patient)),
		outcome: outGap, paths: []string{"plan.recipients"}},
	{id: "AP-10", name: "held, consented next of kin not a recipient", mutate: apHeld(apNotRecipient(refcase.NextOfKin)),
		outcome: outGap, paths: []string{"plan.recipients"}},
	{id: "AP-10", name: "held, supervisor without receive_plan not a recipient", mutate: apHeld(apNotRecipient(refcase.Supervisor),
		func(c *casedoc.Case) { c.Consents[apConsentSupervisor].Scopes = []consent.Scope{consent.ScopeAttend} }), outcome: outPass},
	{id: "AP-10", name: "held, supervisor's consent withdrawn when sent", mutate: apHeld(apNotRecipient(refcase.Supervisor),
		func(c *casedoc.Case) { c.Consents[apConsentSupervisor].WithdrawnAt = c.Plan.DistributedAt }), outcome: outPass},
	{id: "AP-10", name: "held, supervisor's consent given a second after sending", mutate: apHeld(apNotRecipient(refcase.Supervisor),
		func(c *casedoc.Case) { c.Consents[apConsentSupervisor].GivenAt = c.Plan.DistributedAt.Add(time.Second) }), outcome: outPass},
	{id: "AP-10", name: "held, supervisor's consent given exactly when sent", mutate: apHeld(apNotRecipient(refcase.Supervisor),
		func(c *casedoc.Case) { c.Consents[apConsentSupervisor].GivenAt = c.Plan.DistributedAt }),
		outcome: outGap, paths: []string{"plan.recipients"}},
	{id: "AP-10", name: "held, no recipients", mutate: apHeld(func(c *casedoc.Case) { c.Plan.Recipients = nil }), outcome: outGap,
		paths: []string{"plan.recipients", "plan.recipients", "plan.recipients", "plan.recipients",
			"plan.recipients", "plan.recipients", "plan.recipients"}},
	{id: "AP-10", name: "held without a plan", mutate: apHeld(noPlan), outcome: outGap, paths: []string{"plan"}},

	// AP-11
	{id: "AP-11", name: "planned, a sector without a part: not yet applicable", mutate: func(c *casedoc.Case) {
		c.Plan.Actions[2].OwnerID = pid(c, refcase.GP)
	}, outcome: outNA},
	{id: "AP-11", name: "held", mutate: held, outcome: outPass},
	{id: "AP-11", name: "held, social security owns nothing", mutate: apHeld(func(c *casedoc.Case) { c.Plan.Actions[2].OwnerID = pid(c, refcase.GP) }),
		outcome: outGap, paths: []string{"plan.actions"}},
	{id: "AP-11", name: "held, social security only informed", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.Actions[2].OwnerID = pid(c, refcase.GP)
		c.Plan.InformedOnlySectors = []string{"social_security"}
	}), outcome: outPass},
	{id: "AP-11", name: "held, two sectors without a part", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.Actions[1].OwnerID = pid(c, refcase.Physio)
		c.Plan.Actions[2].OwnerID = dangling
	}), outcome: outGap, paths: []string{"plan.actions", "plan.actions"}},
	{id: "AP-11", name: "held, no actions: every sector informed only", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.Actions = nil
		c.Plan.InformedOnlySectors = []string{"specialist_health", "primary_health", "social_security"}
	}), outcome: outPass},
	{id: "AP-11", name: "held without a plan", mutate: apHeld(noPlan), outcome: outGap, paths: []string{"plan"}},

	// AP-12
	{id: "AP-12", name: "planned, next contact late: not yet applicable", mutate: apNextContact(plan.IntensityClose, days(60)),
		outcome: outNA},
	{id: "AP-12", name: "held: regular, next contact after 28 days", mutate: held, outcome: outPass},
	{id: "AP-12", name: "held, close exactly close_contact_days", mutate: apHeld(apNextContact(plan.IntensityClose, days(14))),
		outcome: outPass},
	{id: "AP-12", name: "held, close a second late", mutate: apHeld(apNextContact(plan.IntensityClose, days(14)+time.Second)),
		outcome: outGap, paths: []string{"plan.follow_up.next_contact_at"}},
	{id: "AP-12", name: "held, close within a longer close_contact_days", policy: withParams("close_contact_days", 30),
		mutate: apHeld(apNextContact(plan.IntensityClose, days(28))), outcome: outPass},
	{id: "AP-12", name: "held, regular exactly regular_contact_days", mutate: apHeld(apNextContact(plan.IntensityRegular, days(42))),
		outcome: outPass},
	{id: "AP-12", name: "held, regular a second late", mutate: apHeld(apNextContact(plan.IntensityRegular, days(42)+time.Second)),
		outcome: outGap, paths: []string{"plan.follow_up.next_contact_at"}},
	{id: "AP-12", name: "held, check-in exactly check_in_contact_days", mutate: apHeld(apNextContact(plan.IntensityCheckIn, days(91))),
		outcome: outPass},
	{id: "AP-12", name: "held, check-in a second late", mutate: apHeld(apNextContact(plan.IntensityCheckIn, days(91)+time.Second)),
		outcome: outGap, paths: []string{"plan.follow_up.next_contact_at"}},
	{id: "AP-12", name: "held, no intensity", mutate: apHeld(apNextContact("", days(200))), outcome: outNA},
	{id: "AP-12", name: "held, no next contact", mutate: apHeld(func(c *casedoc.Case) {
		c.Plan.FollowUp.Intensity = plan.IntensityClose
		c.Plan.FollowUp.NextContactAt = time.Time{}
	}), outcome: outNA},
	{id: "AP-12", name: "held, no follow-up", mutate: apHeld(func(c *casedoc.Case) { c.Plan.FollowUp = nil }), outcome: outNA},
	{id: "AP-12", name: "held without a plan: AP-03's", mutate: apHeld(noPlan), outcome: outNA},
}

// TestAP10FindingsInParticipantOrder holds that the missing recipients of a
// held meeting are reported in the order of the participants, whatever
// their reason: the next of kin (with consent) between the patient and the
// professionals, and a third party without consent never asked for.
func TestAP10FindingsInParticipantOrder(t *testing.T) {
	c := reference(t)
	held(c)
	c.Plan.Recipients = []uuid.UUID{pid(c, refcase.Psychologist)}
	c.Consents[apConsentSupervisor].Scopes = []consent.Scope{consent.ScopeAttend}
	res := resultFor(t, mustEngine(t, recommend.Policy{}).Check(c), "AP-10")
	require.Equal(t, outGap, res.Outcome)
	var subjects []uuid.UUID
	var codes []string
	for _, f := range res.Findings {
		assert.Equal(t, "plan.recipients", f.Path)
		subjects = append(subjects, f.SubjectID)
		codes = append(codes, f.Code)
	}
	assert.Equal(t, []uuid.UUID{pid(c, refcase.Patient), pid(c, refcase.NextOfKin), pid(c, refcase.Physician), pid(c, refcase.Physio), pid(c, refcase.GP)}, subjects)
	assert.Equal(t, []string{"AP-10.not_recipient", "AP-10.consented_not_recipient", "AP-10.not_recipient",
		"AP-10.not_recipient", "AP-10.not_recipient"}, codes)
	assert.Equal(t, "next of kin (participant 2)", res.Findings[1].Subject)
}
