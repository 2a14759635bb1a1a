package catalogue

import (
	"strings"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
)

// meetingClimate is the theme MC: a well-led meeting with a clear agenda.
func meetingClimate() []recommend.Rule {
	return []recommend.Rule{
		{Recommendation: recommend.Recommendation{
			ID: "MC-01", Source: "N26 (well-led meetings)",
			Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons: []string{"no_leader", "leader_not_participant", "leader_not_healthcare",
				"not_attending", "joins_late", "leaves_early"},
		}, Check: checkMC01},
		{Recommendation: recommend.Recommendation{
			ID: "MC-02", Source: "N26 (clear agendas)",
			Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons: []string{"empty_agenda", "no_minutes", "agenda_too_long"},
		}, Check: checkMC02},
		{Recommendation: recommend.Recommendation{
			ID: "MC-03", Source: "H25 (not introduced)",
			Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Reasons: []string{"empty_agenda", "not_introductions"},
		}, Check: checkMC03},
		{Recommendation: recommend.Recommendation{
			ID: "MC-04", Source: "H25 (late joining broke the flow)",
			Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Reasons: []string{"joins_without_recap"},
		}, Check: checkMC04},
		{Recommendation: recommend.Recommendation{
			ID: "MC-05", Source: "N26 (digital meetings)",
			Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons: []string{"no_platform"},
		}, Check: checkMC05},
		{Recommendation: recommend.Recommendation{
			ID: "MC-06", Source: "H25 (on screen while others sat together)",
			Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamCount("max_colocated", 3)},
			Reasons: []string{"colocated"},
		}, Check: checkMC06},
		{Recommendation: recommend.Recommendation{
			ID: "MC-07", Source: "N26 (clear conclusions), H25",
			Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Reasons: []string{"empty_agenda", "not_summary"},
		}, Check: checkMC07},
		{Recommendation: recommend.Recommendation{
			ID: "MC-08", Source: "H25 (too little time; fatigue)",
			Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseBefore,
			Params: []recommend.Param{
				recommend.ParamMinutes("min_minutes", 30),
				recommend.ParamMinutes("max_minutes", 90),
			},
			Reasons: []string{"too_short", "too_long"},
		}, Check: checkMC08},
		{Recommendation: recommend.Recommendation{
			ID: "MC-09", Source: "N26 (clear agendas), H25 (knowing the focus)",
			Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramNoticeDays},
			Reasons: []string{"no_preparation", "agenda_not_sent", "agenda_late", "not_sent_to"},
		}, Check: checkMC09},
		{Recommendation: recommend.Recommendation{
			ID: "MC-10", Source: "SN",
			Theme: recommend.ThemeMeetingClimate, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons: []string{
				"no_minute_taker", "minute_taker_not_participant",
				"minute_taker_not_attending", "minute_taker_joins_late", "minute_taker_leaves_early",
				"no_plan_updater", "plan_updater_not_participant",
				"plan_updater_not_attending", "plan_updater_joins_late", "plan_updater_leaves_early",
			},
		}, Check: checkMC10},
	}
}

func checkMC01(pass *recommend.Pass) error {
	id := pass.Meeting.LeaderID
	if id == uuid.Nil {
		pass.ReportCase("meeting.leader_id", "no_leader", nil)
		return nil
	}
	k := pass.Participant(id)
	if k < 0 {
		pass.ReportCase("meeting.leader_id", "leader_not_participant", nil)
		return nil
	}
	if p := &pass.Meeting.Participants[k]; !p.Healthcare() {
		pass.ReportListed(k, "meeting.leader_id", "leader_not_healthcare", recommend.Args{"sector": p.Sector})
	}
	if len(pass.Meeting.Agenda) > 0 { // an empty agenda is MC-02's
		reportWhole(pass, k, nil)
	}
	return nil
}

func checkMC02(pass *recommend.Pass) error {
	m := pass.Meeting
	if len(m.Agenda) == 0 {
		pass.ReportCase("meeting.agenda", "empty_agenda", nil)
		return nil
	}
	for i := range m.Agenda {
		if m.Agenda[i].Minutes <= 0 {
			pass.ReportItem(i, "minutes", "no_minutes", nil)
		}
	}
	// AgendaMinutes saturates: a sum that would overflow is never short.
	if total := pass.AgendaMinutes(); total > m.DurationMinutes {
		pass.ReportCase("meeting.duration_minutes", "agenda_too_long",
			recommend.Args{"agenda_minutes": total, "duration_minutes": m.DurationMinutes})
	}
	return nil
}

func checkMC03(pass *recommend.Pass) error {
	agenda := pass.Meeting.Agenda
	switch {
	case len(agenda) == 0:
		pass.ReportCase("meeting.agenda", "empty_agenda", nil)
	case agenda[0].Kind != meeting.ItemIntroductions:
		pass.ReportItem(0, "kind", "not_introductions", recommend.Args{"item_kind": agenda[0].Kind})
	}
	return nil
}

func checkMC04(pass *recommend.Pass) error {
	agenda := pass.Meeting.Agenda
	for k := range pass.Meeting.Participants {
		first, last := pass.Span(k)
		if first <= 0 || first > last {
			continue // from the start, or attending nothing (a reference off the agenda)
		}
		if it := &agenda[first]; it.Kind == meeting.ItemIntroductions || it.Kind == meeting.ItemSummary || it.Recap {
			continue
		}
		pass.ReportParticipant(k, "joins_at_item", "joins_without_recap", itemArgs(pass, first))
	}
	return nil
}

func checkMC05(pass *recommend.Pass) error {
	m := pass.Meeting
	if !m.Format.Remote() {
		pass.NotApplicable()
		return nil
	}
	if strings.TrimSpace(m.Platform) == "" {
		pass.ReportCase("meeting.platform", "no_platform", recommend.Args{"format": m.Format})
	}
	return nil
}

func checkMC06(pass *recommend.Pass) error {
	m := pass.Meeting
	if m.Format != meeting.FormatHybrid {
		pass.NotApplicable()
		return nil
	}
	remote := false
	var clinic, gpOffice int
	for k := range m.Participants {
		switch m.Participants[k].Location {
		case meeting.LocationHome, meeting.LocationOffice:
			remote = true
		case meeting.LocationClinic:
			clinic++
		case meeting.LocationGPOffice:
			gpOffice++
		}
	}
	if !remote {
		return nil
	}
	limit := pass.Int("max_colocated")
	for _, at := range [...]struct {
		loc meeting.Location
		n   int
	}{{meeting.LocationClinic, clinic}, {meeting.LocationGPOffice, gpOffice}} {
		if at.n > 0 && at.n >= limit {
			pass.ReportCase("meeting.participants", "colocated",
				recommend.Args{"location": at.loc, "participants": at.n, "colocated_participants": limit})
		}
	}
	return nil
}

func checkMC07(pass *recommend.Pass) error {
	agenda := pass.Meeting.Agenda
	n := len(agenda)
	switch {
	case n == 0:
		pass.ReportCase("meeting.agenda", "empty_agenda", nil)
	case agenda[n-1].Kind != meeting.ItemSummary:
		pass.ReportItem(n-1, "kind", "not_summary", recommend.Args{"item_kind": agenda[n-1].Kind})
	}
	return nil
}

// checkMC08 asks the minimum of collaboration meetings only (2026.2): a
// follow-up check-in may be short.
func checkMC08(pass *recommend.Pass) error {
	m := pass.Meeting
	lo, hi := pass.Int("min_minutes"), pass.Int("max_minutes")
	if m.Kind == meeting.KindCollaboration && m.DurationMinutes < lo {
		pass.ReportCase("meeting.duration_minutes", "too_short",
			recommend.Args{"duration_minutes": m.DurationMinutes, "min_minutes": lo})
	}
	if m.DurationMinutes > hi {
		pass.ReportCase("meeting.duration_minutes", "too_long",
			recommend.Args{"duration_minutes": m.DurationMinutes, "max_minutes": hi})
	}
	return nil
}

func checkMC09(pass *recommend.Pass) error {
	prep := pass.Meeting.Preparation
	if prep == nil {
		pass.ReportCase("meeting.preparation", "no_preparation", nil)
		return nil
	}
	reportNotice(pass, prep.AgendaSentAt, "meeting.preparation.agenda_sent_at", "agenda_not_sent", "agenda_late")
	for k := range pass.Meeting.Participants {
		if !pass.Listed(prep.SentTo, pass.Meeting.Participants[k].ID) {
			pass.ReportListed(k, "meeting.preparation.sent_to", "not_sent_to", nil)
		}
	}
	return nil
}

func checkMC10(pass *recommend.Pass) error {
	checkTask(pass, pass.Meeting.MinuteTakerID, "minute_taker")
	checkTask(pass, pass.Meeting.PlanUpdaterID, "plan_updater")
	return nil
}

// checkTask checks the participant that the meeting names for a task
// (minute_taker, plan_updater) in the field task + "_id": named, a
// participant, and attending the whole meeting. The reasons are the task's:
// no_TASK, TASK_not_participant, TASK_not_attending, TASK_joins_late and
// TASK_leaves_early.
func checkTask(pass *recommend.Pass, id uuid.UUID, task string) {
	field := "meeting." + task + "_id"
	if id == uuid.Nil {
		pass.ReportCase(field, "no_"+task, nil)
		return
	}
	k := pass.Participant(id)
	if k < 0 {
		pass.ReportCase(field, task+"_not_participant", nil)
		return
	}
	n := len(pass.Meeting.Agenda)
	if n == 0 {
		return // an empty agenda is MC-02's
	}
	first, last := pass.Span(k)
	if first > last {
		pass.ReportParticipant(k, "", task+"_not_attending", nil)
		return
	}
	if first > 0 {
		pass.ReportParticipant(k, "joins_at_item", task+"_joins_late", recommend.Args{"item": first + 1})
	}
	if last < n-1 {
		pass.ReportParticipant(k, "leaves_after_item", task+"_leaves_early", recommend.Args{"item": last + 1})
	}
}
