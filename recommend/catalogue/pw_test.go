package catalogue_test

import (
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
)

var pwCases = []ruleCase{
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
	{id: "PW-03", name: "reference, held", mutate: held, outcome: outPass},
	{id: "PW-03", name: "planned without a plan: not yet applicable", mutate: noPlan, outcome: outNA},
	{id: "PW-03", name: "exactly follow_up_weeks", mutate: steps(held, func(c *casedoc.Case) { c.Plan.FollowUp.NextMeetingAt = c.Meeting.Start.Add(weeks(26)) }),
		outcome: outPass},
	{id: "PW-03", name: "a second too late", mutate: steps(held, func(c *casedoc.Case) {
		c.Plan.FollowUp.NextMeetingAt = c.Meeting.Start.Add(weeks(26) + time.Second)
	}), outcome: outGap, paths: []string{"plan.follow_up.next_meeting_at"}},
	{id: "PW-03", name: "at the start", mutate: steps(held, func(c *casedoc.Case) { c.Plan.FollowUp.NextMeetingAt = c.Meeting.Start }),
		outcome: outGap, paths: []string{"plan.follow_up.next_meeting_at"}},
	{id: "PW-03", name: "not booked", mutate: steps(held, func(c *casedoc.Case) { c.Plan.FollowUp.NextMeetingAt = time.Time{} }), outcome: outGap,
		paths: []string{"plan.follow_up.next_meeting_at"}},
	{id: "PW-03", name: "no follow-up", mutate: steps(held, func(c *casedoc.Case) { c.Plan.FollowUp = nil }), outcome: outGap,
		paths: []string{"plan.follow_up"}},
	{id: "PW-03", name: "held without a plan", mutate: steps(held, noPlan), outcome: outGap, paths: []string{"plan"}},
	// 2026.3: not applicable to a check-in follow-up.
	{id: "PW-03", name: "held, a disability benefit application with a check-in", mutate: disabilityCheckIn, outcome: outNA},
	{id: "PW-03", name: "held, the same application with close follow-up", mutate: steps(disabilityCheckIn, apNextContact(plan.IntensityClose, days(10))),
		outcome: outGap, paths: []string{"plan.follow_up.next_meeting_at"}},
	{id: "PW-03", name: "held, check-in without a plan", mutate: steps(disabilityCheckIn, noPlan), outcome: outGap, paths: []string{"plan"}},
	{id: "PW-03", name: "follow-up meeting", mutate: steps(held, noPlan, func(c *casedoc.Case) { c.Meeting.Kind = meeting.KindFollowUp }), outcome: outNA},
}
