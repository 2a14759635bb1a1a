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

var mcCases = []ruleCase{
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
}
