package catalogue_test

import (
	"math"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mcHybrid(c *casedoc.Case) { c.Meeting.Format = meeting.FormatHybrid }

// mcEmployer makes the supervisor an employer at the workplace.
func mcEmployer(c *casedoc.Case) {
	p := &c.Meeting.Participants[refcase.Supervisor]
	p.Role, p.Sector, p.Location = meeting.RoleEmployer, meeting.SectorEmployer, meeting.LocationWorkplace
}

func mcKind(k meeting.Kind) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Kind = k }
}

func mcDuration(n int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.DurationMinutes = n }
}

var mcCases = []ruleCase{
	// MC-01
	{id: "MC-01", name: "reference", outcome: outPass},
	{id: "MC-01", name: "no leader", mutate: func(c *casedoc.Case) { c.Meeting.LeaderID = uuid.Nil }, outcome: outGap, paths: []string{"meeting.leader_id"}},
	{id: "MC-01", name: "leader not a participant", mutate: func(c *casedoc.Case) { c.Meeting.LeaderID = dangling },
		outcome: outGap, paths: []string{"meeting.leader_id"}},
	{id: "MC-01", name: "leader outside health care, joining late", mutate: func(c *casedoc.Case) { c.Meeting.LeaderID = pid(c, refcase.Supervisor) },
		outcome: outGap, paths: []string{"meeting.leader_id", "meeting.participants[6].joins_at_item"}},
	{id: "MC-01", name: "next of kin leads", mutate: func(c *casedoc.Case) { c.Meeting.LeaderID = pid(c, refcase.NextOfKin) },
		outcome: outGap, paths: []string{"meeting.leader_id"}},
	{id: "MC-01", name: "leader leaves before the summary", mutate: leaves(refcase.Physician, refcase.ItemActionPlan),
		outcome: outGap, paths: []string{"meeting.participants[2].leaves_after_item"}},
	{id: "MC-01", name: "leader joins at the second item", mutate: joins(refcase.Physician, refcase.ItemClinical),
		outcome: outGap, paths: []string{"meeting.participants[2].joins_at_item"}},
	{id: "MC-01", name: "leader attends nothing", mutate: func(c *casedoc.Case) { c.Meeting.Participants[refcase.Physician].JoinsAtItem = dangling },
		outcome: outGap, paths: []string{"meeting.participants[2]"}},
	{id: "MC-01", name: "the GP leads", mutate: func(c *casedoc.Case) { c.Meeting.LeaderID = pid(c, refcase.GP) }, outcome: outPass},
	{id: "MC-01", name: "empty agenda: MC-02's", mutate: func(c *casedoc.Case) { c.Meeting.Agenda = nil }, outcome: outPass},

	// MC-02
	{id: "MC-02", name: "reference", outcome: outPass},
	{id: "MC-02", name: "agenda exactly fills the meeting", mutate: mcDuration(57), outcome: outPass},
	{id: "MC-02", name: "agenda a minute too long", mutate: mcDuration(56),
		outcome: outGap, paths: []string{"meeting.duration_minutes"}},
	{id: "MC-02", name: "item without minutes", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemRecap].Minutes = 0 },
		outcome: outGap, paths: []string{"meeting.agenda[3].minutes"}},
	{id: "MC-02", name: "item with negative minutes", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemRecap].Minutes = -100 },
		outcome: outGap, paths: []string{"meeting.agenda[3].minutes"}},
	{id: "MC-02", name: "empty agenda", mutate: func(c *casedoc.Case) { c.Meeting.Agenda = nil }, outcome: outGap, paths: []string{"meeting.agenda"}},
	// 52 + 9223372036854775756 = 2^63 wraps to a negative sum
	// in int arithmetic; the saturating sum never looks short.
	{id: "MC-02", name: "agenda minutes that overflow in a 60-minute meeting", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemRecap].Minutes = 9223372036854775756
	}, outcome: outGap, paths: []string{"meeting.duration_minutes"}},
	{id: "MC-02", name: "two items of math.MaxInt minutes", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemRecap].Minutes = math.MaxInt
		c.Meeting.Agenda[refcase.ItemSummary].Minutes = math.MaxInt
	}, outcome: outGap, paths: []string{"meeting.duration_minutes"}},

	// MC-03
	{id: "MC-03", name: "reference", outcome: outPass},
	{id: "MC-03", name: "first item not introductions", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemIntro].Kind = meeting.ItemOther },
		outcome: outGap, paths: []string{"meeting.agenda[0].kind"}},
	{id: "MC-03", name: "introductions second", mutate: func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemIntro], c.Meeting.Agenda[refcase.ItemClinical] = c.Meeting.Agenda[refcase.ItemClinical], c.Meeting.Agenda[refcase.ItemIntro]
	}, outcome: outGap, paths: []string{"meeting.agenda[0].kind"}},
	{id: "MC-03", name: "empty agenda", mutate: func(c *casedoc.Case) { c.Meeting.Agenda = nil }, outcome: outGap, paths: []string{"meeting.agenda"}},

	// MC-04
	{id: "MC-04", name: "reference: joins at a recap", outcome: outPass},
	{id: "MC-04", name: "joins at the discussion", mutate: joins(refcase.Supervisor, refcase.ItemDiscussion), outcome: outGap,
		paths: []string{"meeting.participants[6].joins_at_item"}},
	{id: "MC-04", name: "two join at the discussion", mutate: steps(joins(refcase.Supervisor, refcase.ItemDiscussion), joins(refcase.GP, refcase.ItemDiscussion)), outcome: outGap,
		paths: []string{"meeting.participants[5].joins_at_item", "meeting.participants[6].joins_at_item"}},
	{id: "MC-04", name: "joins at the last item, a summary", mutate: joins(refcase.Supervisor, refcase.ItemSummary), outcome: outPass},
	{id: "MC-04", name: "joins at the first item", mutate: joins(refcase.Supervisor, refcase.ItemIntro), outcome: outPass},
	{id: "MC-04", name: "joins at a second introductions item", mutate: steps(joins(refcase.Supervisor, refcase.ItemDiscussion), func(c *casedoc.Case) {
		c.Meeting.Agenda[refcase.ItemDiscussion].Kind = meeting.ItemIntroductions
	}), outcome: outPass},
	{id: "MC-04", name: "joins at an item off the agenda: not MC-04's", mutate: func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Supervisor].JoinsAtItem = dangling
	}, outcome: outPass},

	// MC-05
	{id: "MC-05", name: "reference", outcome: outPass},
	{id: "MC-05", name: "digital without platform", mutate: func(c *casedoc.Case) { c.Meeting.Platform = "" }, outcome: outGap,
		paths: []string{"meeting.platform"}},
	{id: "MC-05", name: "hybrid with a blank platform", mutate: func(c *casedoc.Case) {
		c.Meeting.Format, c.Meeting.Platform = meeting.FormatHybrid, "  "
	}, outcome: outGap, paths: []string{"meeting.platform"}},
	{id: "MC-05", name: "hybrid with a platform", mutate: mcHybrid, outcome: outPass},
	{id: "MC-05", name: "in person", mutate: func(c *casedoc.Case) { c.Meeting.Format, c.Meeting.Platform = meeting.FormatInPerson, "" }, outcome: outNA},

	// MC-06
	{id: "MC-06", name: "digital meeting", outcome: outNA},
	{id: "MC-06", name: "in person", mutate: func(c *casedoc.Case) { c.Meeting.Format = meeting.FormatInPerson }, outcome: outNA},
	{id: "MC-06", name: "hybrid, exactly max_colocated at the clinic", mutate: mcHybrid,
		outcome: outGap, paths: []string{"meeting.participants"}},
	{id: "MC-06", name: "hybrid, three at the clinic, limit raised", policy: withParams("max_colocated", 4),
		mutate: mcHybrid, outcome: outPass},
	{id: "MC-06", name: "hybrid, two at the clinic", mutate: steps(mcHybrid, func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Physio].Location = meeting.LocationOffice
	}), outcome: outPass},
	{id: "MC-06", name: "hybrid, one at each shared location, limit 1", policy: withParams("max_colocated", 1), mutate: steps(mcHybrid, func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Psychologist].Location = meeting.LocationOffice
		c.Meeting.Participants[refcase.Physio].Location = meeting.LocationOffice
	}), outcome: outGap, paths: []string{"meeting.participants", "meeting.participants"}},
	{id: "MC-06", name: "hybrid, three at the GP's office", mutate: steps(mcHybrid, func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Physician].Location = meeting.LocationGPOffice
		c.Meeting.Participants[refcase.Psychologist].Location = meeting.LocationGPOffice
		c.Meeting.Participants[refcase.Physio].Location = meeting.LocationOffice
	}), outcome: outGap, paths: []string{"meeting.participants"}},
	{id: "MC-06", name: "hybrid, nobody remote", mutate: steps(mcHybrid, func(c *casedoc.Case) {
		for k := range c.Meeting.Participants {
			c.Meeting.Participants[k].Location = meeting.LocationClinic
		}
	}), outcome: outPass},
	// 2026.3: a participant at the workplace is remote; the patient side
	// does not count in the group in one room.
	{id: "MC-06", name: "hybrid, the only remote participant an employer at the workplace", mutate: steps(mcHybrid, mcEmployer, func(c *casedoc.Case) {
		c.Meeting.Participants[refcase.Patient].Location = meeting.LocationClinic
		c.Meeting.Participants[refcase.NextOfKin].Location = meeting.LocationClinic
	}), outcome: outGap, paths: []string{"meeting.participants"}},
	{id: "MC-06", name: "hybrid, the patient and her spouse at the clinic with two professionals, an employer at the workplace",
		mutate: steps(mcHybrid, mcEmployer, func(c *casedoc.Case) {
			c.Meeting.Participants[refcase.Patient].Location = meeting.LocationClinic
			c.Meeting.Participants[refcase.NextOfKin].Location = meeting.LocationClinic
			c.Meeting.Participants[refcase.Physio].Location = meeting.LocationHome
		}), outcome: outPass},
	{id: "MC-06", name: "hybrid, the patient side counts at the GP's office neither", policy: withParams("max_colocated", 2),
		mutate: steps(mcHybrid, func(c *casedoc.Case) {
			c.Meeting.Participants[refcase.Patient].Location = meeting.LocationGPOffice
			c.Meeting.Participants[refcase.NextOfKin].Location = meeting.LocationGPOffice
			c.Meeting.Participants[refcase.Psychologist].Location = meeting.LocationOffice
			c.Meeting.Participants[refcase.Physio].Location = meeting.LocationOffice
		}), outcome: outPass},
	{id: "MC-06", name: "hybrid, limit 0, no one at a shared location", policy: withParams("max_colocated", 0), mutate: steps(mcHybrid, func(c *casedoc.Case) {
		for k := range c.Meeting.Participants {
			c.Meeting.Participants[k].Location = meeting.LocationHome
		}
	}), outcome: outPass},

	// MC-07
	{id: "MC-07", name: "reference", outcome: outPass},
	{id: "MC-07", name: "last item not a summary", mutate: func(c *casedoc.Case) { c.Meeting.Agenda[refcase.ItemSummary].Kind = meeting.ItemOther },
		outcome: outGap, paths: []string{"meeting.agenda[6].kind"}},
	{id: "MC-07", name: "empty agenda", mutate: func(c *casedoc.Case) { c.Meeting.Agenda = nil }, outcome: outGap, paths: []string{"meeting.agenda"}},

	// MC-08 (2026.2: the minimum is for collaboration meetings only)
	{id: "MC-08", name: "reference", outcome: outPass},
	{id: "MC-08", name: "exactly min_minutes", mutate: mcDuration(30), outcome: outPass},
	{id: "MC-08", name: "exactly max_minutes", mutate: mcDuration(90), outcome: outPass},
	{id: "MC-08", name: "a minute too short", mutate: mcDuration(29), outcome: outGap,
		paths: []string{"meeting.duration_minutes"}},
	{id: "MC-08", name: "a minute too long", mutate: mcDuration(91), outcome: outGap,
		paths: []string{"meeting.duration_minutes"}},
	{id: "MC-08", name: "a short follow-up check-in", mutate: steps(mcKind(meeting.KindFollowUp), mcDuration(15)), outcome: outPass},
	{id: "MC-08", name: "a short transfer meeting", mutate: steps(mcKind(meeting.KindTransfer), mcDuration(1)), outcome: outPass},
	{id: "MC-08", name: "a follow-up a minute too long", mutate: steps(mcKind(meeting.KindFollowUp), mcDuration(91)), outcome: outGap,
		paths: []string{"meeting.duration_minutes"}},
	{id: "MC-08", name: "min_minutes raised", policy: withParams("min_minutes", 61), outcome: outGap,
		paths: []string{"meeting.duration_minutes"}},
	{id: "MC-08", name: "max_minutes lowered", policy: withParams("max_minutes", 59), outcome: outGap,
		paths: []string{"meeting.duration_minutes"}},
	{id: "MC-08", name: "limits crossed: too short and too long", policy: withParams("min_minutes", 70, "max_minutes", 50), outcome: outGap,
		paths: []string{"meeting.duration_minutes", "meeting.duration_minutes"}},

	// MC-09
	{id: "MC-09", name: "reference", outcome: outPass},
	{id: "MC-09", name: "agenda sent exactly notice_days before", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start.Add(-days(3))
	}, outcome: outPass},
	{id: "MC-09", name: "agenda sent a nanosecond late", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start.Add(-days(3) + 1)
	}, outcome: outGap, paths: []string{"meeting.preparation.agenda_sent_at"}},
	{id: "MC-09", name: "agenda not recorded as sent", mutate: func(c *casedoc.Case) { c.Meeting.Preparation.AgendaSentAt = time.Time{} },
		outcome: outGap, paths: []string{"meeting.preparation.agenda_sent_at"}},
	{id: "MC-09", name: "notice_days 0: sent at the start is in time", policy: withParams("notice_days", 0), mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.AgendaSentAt = c.Meeting.Start
	}, outcome: outPass},
	{id: "MC-09", name: "supervisor did not get the agenda", mutate: func(c *casedoc.Case) {
		c.Meeting.Preparation.SentTo = removeID(c.Meeting.Preparation.SentTo, pid(c, refcase.Supervisor))
	}, outcome: outGap, paths: []string{"meeting.preparation.sent_to"}},
	{id: "MC-09", name: "sent to no one", mutate: func(c *casedoc.Case) { c.Meeting.Preparation.SentTo = nil }, outcome: outGap,
		paths: []string{"meeting.preparation.sent_to", "meeting.preparation.sent_to", "meeting.preparation.sent_to", "meeting.preparation.sent_to",
			"meeting.preparation.sent_to", "meeting.preparation.sent_to", "meeting.preparation.sent_to"}},
	{id: "MC-09", name: "no preparation record", mutate: noPreparation, outcome: outGap, paths: []string{"meeting.preparation"}},

	// MC-10
	{id: "MC-10", name: "reference", outcome: outPass},
	{id: "MC-10", name: "no minute-taker", mutate: func(c *casedoc.Case) { c.Meeting.MinuteTakerID = uuid.Nil }, outcome: outGap,
		paths: []string{"meeting.minute_taker_id"}},
	{id: "MC-10", name: "no one named", mutate: func(c *casedoc.Case) { c.Meeting.MinuteTakerID, c.Meeting.PlanUpdaterID = uuid.Nil, uuid.Nil },
		outcome: outGap, paths: []string{"meeting.minute_taker_id", "meeting.plan_updater_id"}},
	{id: "MC-10", name: "minute-taker not a participant", mutate: func(c *casedoc.Case) { c.Meeting.MinuteTakerID = dangling }, outcome: outGap,
		paths: []string{"meeting.minute_taker_id"}},
	{id: "MC-10", name: "plan updater not a participant", mutate: func(c *casedoc.Case) { c.Meeting.PlanUpdaterID = dangling }, outcome: outGap,
		paths: []string{"meeting.plan_updater_id"}},
	{id: "MC-10", name: "minute-taker joins late", mutate: func(c *casedoc.Case) { c.Meeting.MinuteTakerID = pid(c, refcase.Supervisor) }, outcome: outGap,
		paths: []string{"meeting.participants[6].joins_at_item"}},
	{id: "MC-10", name: "minute-taker leaves early", mutate: leaves(refcase.Psychologist, refcase.ItemActionPlan), outcome: outGap,
		paths: []string{"meeting.participants[3].leaves_after_item"}},
	{id: "MC-10", name: "minute-taker attends nothing", mutate: func(c *casedoc.Case) { c.Meeting.Participants[refcase.Psychologist].LeavesAfterItem = dangling },
		outcome: outGap, paths: []string{"meeting.participants[3]"}},
	{id: "MC-10", name: "plan updater joins late and leaves early", mutate: steps(joins(refcase.Physician, refcase.ItemClinical), leaves(refcase.Physician, refcase.ItemActionPlan)),
		outcome: outGap, paths: []string{"meeting.participants[2].joins_at_item", "meeting.participants[2].leaves_after_item"}},
	{id: "MC-10", name: "plan updater attends nothing", mutate: func(c *casedoc.Case) { c.Meeting.Participants[refcase.Physician].JoinsAtItem = dangling },
		outcome: outGap, paths: []string{"meeting.participants[2]"}},
	{id: "MC-10", name: "one person holds both", mutate: func(c *casedoc.Case) { c.Meeting.MinuteTakerID = c.Meeting.PlanUpdaterID }, outcome: outPass},
	{id: "MC-10", name: "one person holds both and joins late", mutate: func(c *casedoc.Case) {
		c.Meeting.MinuteTakerID, c.Meeting.PlanUpdaterID = pid(c, refcase.Supervisor), pid(c, refcase.Supervisor)
	}, outcome: outGap, paths: []string{"meeting.participants[6].joins_at_item", "meeting.participants[6].joins_at_item"}},
	{id: "MC-10", name: "empty agenda: MC-02's", mutate: func(c *casedoc.Case) { c.Meeting.Agenda = nil }, outcome: outPass},
}

// TestMC02SaturatesTheAgendaSum pins the sum that would
// overflow is reported saturated, never wrapped around.
func TestMC02SaturatesTheAgendaSum(t *testing.T) {
	c := reference(t)
	c.Meeting.Agenda[refcase.ItemRecap].Minutes = 9223372036854775756
	require.Equal(t, 60, c.Meeting.DurationMinutes)
	fs := pcFindings(t, c, "MC-02")
	require.Len(t, fs, 1)
	assert.Equal(t, "MC-02.agenda_too_long", fs[0].Code)
	assert.Equal(t, recommend.Args{"agenda_minutes": math.MaxInt, "duration_minutes": 60}, fs[0].Args)
}

// TestMCTexts pins a few rendered texts.
func TestMCTexts(t *testing.T) {
	c := reference(t)
	c.Meeting.DurationMinutes = 56
	fs := pcFindings(t, c, "MC-02")
	require.Len(t, fs, 1)
	assert.Equal(t, "The agenda adds up to 57 minutes, more than the 56 minutes of the meeting.", fs[0].Message)

	c = reference(t)
	c.Meeting.DurationMinutes = 29
	fs = pcFindings(t, c, "MC-08")
	require.Len(t, fs, 1)
	assert.Equal(t, "MC-08.too_short", fs[0].Code)
	assert.Equal(t, "The collaboration meeting lasts 29 minutes, less than 30 minutes.", fs[0].Message)

	c = reference(t)
	c.Meeting.Format = meeting.FormatHybrid
	fs = pcFindings(t, c, "MC-06")
	require.Len(t, fs, 1)
	assert.Equal(t, recommend.Args{"location": meeting.LocationClinic, "participants": 3, "colocated_participants": 3}, fs[0].Args)
	assert.Equal(t, "Some participants join remotely while the clinic has 3 participants in one room; from 3 participants in one room, those on screen drift to the edge.", fs[0].Message)

	c = reference(t)
	c.Meeting.Platform = ""
	fs = pcFindings(t, c, "MC-05")
	require.Len(t, fs, 1)
	assert.Equal(t, "The digital meeting names no video platform.", fs[0].Message)

	c = reference(t)
	c.Meeting.MinuteTakerID = pid(c, refcase.Supervisor)
	fs = pcFindings(t, c, "MC-10")
	require.Len(t, fs, 1)
	assert.Equal(t, "MC-10.minute_taker_joins_late", fs[0].Code)
	assert.Equal(t, "The minute-taker joins at agenda item 4, not at the start.", fs[0].Message)
}
