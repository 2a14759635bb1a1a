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

var apCases = []ruleCase{
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
}
