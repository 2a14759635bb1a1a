//go:build ignore

package recommend

import (
	"fmt"
	"strings"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/google/uuid"
)

// meetingClimate is the theme MC: a well-led meeting with a clear agenda.
func meetingClimate() []Rule {
	return []Rule{
		{Recommendation: Recommendation{
			ID: "MC-01", Title: "A healthcare professional leads the whole meeting",
			Statement: "A leader is named (`leader_id`), is a participant from health care (`specialist_health` or `primary_health`), and attends the whole meeting.",
			Rationale: "Well-led meetings keep to the agenda and let everyone speak.",
			Source:    "N26 (well-led meetings)",
			Theme:     ThemeMeetingClimate, Severity: SeverityRequired, Phase: PhaseBefore,
		}, Check: checkMC01},
		{Recommendation: Recommendation{
			ID: "MC-02", Title: "The agenda fits the time",
			Statement: "The agenda is not empty, every item has `minutes` > 0, and their sum is at most `duration_minutes`.",
			Rationale: "A clear agenda with time for each point is a condition for a good meeting.",
			Source:    "N26 (clear agendas)",
			Theme:     ThemeMeetingClimate, Severity: SeverityRequired, Phase: PhaseBefore,
		}, Check: checkMC02},
		{Recommendation: Recommendation{
			ID: "MC-03", Title: "The meeting starts with introductions",
			Statement: "The first agenda item is of kind `introductions`.",
			Rationale: "Participants who were not introduced did not know who they were talking to.",
			Source:    "H25 (not introduced)",
			Theme:     ThemeMeetingClimate, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkMC03},
		{Recommendation: Recommendation{
			ID: "MC-04", Title: "Late joiners are brought up to date",
			Statement: "Every participant who joins after the start joins at an item of kind `introductions` or `summary`, or at an item with `recap: true`.",
			Rationale: "Supervisors who joined midway, after the clinical summary, broke the flow of the meeting.",
			Source:    "H25 (late joining broke the flow)",
			Theme:     ThemeMeetingClimate, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkMC04},
		{Recommendation: Recommendation{
			ID: "MC-05", Title: "A digital meeting names its platform",
			Statement: "A `digital` or `hybrid` meeting names its `platform` (the video service). Not applicable to in-person meetings.",
			Rationale: "Everyone must know in advance how to join a digital meeting.",
			Source:    "N26 (digital meetings)",
			Theme:     ThemeMeetingClimate, Severity: SeverityRequired, Phase: PhaseBefore,
		}, Check: checkMC05},
		{Recommendation: Recommendation{
			ID: "MC-06", Title: "Remote participants are not left at the edge",
			Statement: "A `hybrid` meeting with at least one participant at `home` or `office` does not have `max_colocated` or more participants at one shared location (`clinic` or `gp_office`). Not applicable to other formats.",
			Rationale: "Those on screen while others sat together in one room drifted to the edge of the conversation.",
			Source:    "H25 (on screen while others sat together)",
			Theme:     ThemeMeetingClimate, Severity: SeverityAdvisory, Phase: PhaseBefore,
			Params: []Param{{Name: "max_colocated", Default: 3,
				Doc: "Number of participants at one shared location from which a hybrid meeting leaves remote participants at the edge."}},
		}, Check: checkMC06},
		{Recommendation: Recommendation{
			ID: "MC-07", Title: "The meeting ends with a summary",
			Statement: "The last agenda item is of kind `summary`.",
			Rationale: "A summary makes clear conclusions: who does what, and when.",
			Source:    "N26 (clear conclusions), H25",
			Theme:     ThemeMeetingClimate, Severity: SeverityRecommended, Phase: PhaseBefore,
		}, Check: checkMC07},
		{Recommendation: Recommendation{
			ID: "MC-08", Title: "The meeting is neither too short nor too long",
			Statement: "`duration_minutes` is between `min_minutes` and `max_minutes`, both included.",
			Rationale: "Too little time leaves points undiscussed; too long a meeting tires patients with chronic pain or fatigue.",
			Source:    "H25 (too little time; fatigue)",
			Theme:     ThemeMeetingClimate, Severity: SeverityAdvisory, Phase: PhaseBefore,
			Params: []Param{
				{Name: "min_minutes", Default: 30, Doc: "Least duration of the meeting in minutes."},
				{Name: "max_minutes", Default: 90, Doc: "Most duration of the meeting in minutes."},
			},
		}, Check: checkMC08},
		{Recommendation: Recommendation{
			ID: "MC-09", Title: "Everyone received the agenda in time",
			Statement: "`preparation.agenda_sent_at` is at least `notice_days` days before the start, and `preparation.sent_to` holds every participant. A gap without a preparation record.",
			Rationale: "Knowing the focus of the meeting in advance lets every participant prepare.",
			Source:    "N26 (clear agendas), H25 (knowing the focus)",
			Theme:     ThemeMeetingClimate, Severity: SeverityRecommended, Phase: PhaseBefore,
			Params: []Param{paramNoticeDays},
		}, Check: checkMC09},
		{Recommendation: Recommendation{
			ID: "MC-10", Title: "A minute-taker and a plan updater are named",
			Statement: "`minute_taker_id` and `plan_updater_id` name participants who attend the whole meeting (one person may hold both).",
			Rationale: "The procedure agrees at the start who writes the minutes and who updates the plan.",
			Source:    "SN",
			Theme:     ThemeMeetingClimate, Severity: SeverityRequired, Phase: PhaseBefore,
		}, Check: checkMC10},
	}
}

// checkNamedRole checks a participant reference that the meeting names for a
// task (leader, minute-taker, plan updater): set, existing, and attending
// the whole meeting. It returns the participant's index, or -1.
func checkNamedRole(pass *Pass, id uuid.UUID, field, who string) int {
	if id == uuid.Nil {
		pass.ReportMeeting("meeting."+field, "no "+who+" is named", "Name the "+who+" ("+field+").")
		return -1
	}
	k := pass.index.participant(id)
	if k < 0 {
		pass.ReportMeeting("meeting."+field, "the "+who+" is not a participant of the meeting",
			"Name a participant of the meeting as "+who+" ("+field+").")
		return -1
	}
	if !attendsWhole(pass, k) {
		reportWhole(pass, k, "the "+who)
	}
	return k
}

func checkMC01(pass *Pass) {
	m := pass.Meeting
	k := checkNamedRole(pass, m.LeaderID, "leader_id", "leader")
	if k >= 0 && !pass.index.is(k, healthcare) {
		pass.ReportParticipant(k, "meeting.leader_id", "the leader is not a participant from health care",
			"Let a participant from specialist or primary health care lead the meeting.")
	}
}

func checkMC02(pass *Pass) {
	m := pass.Meeting
	if len(m.Agenda) == 0 {
		pass.ReportMeeting("meeting.agenda", "the agenda is empty", "Write an agenda with the time for each point.")
		return
	}
	for i := range m.Agenda {
		if m.Agenda[i].Minutes <= 0 {
			pass.Report(Finding{SubjectID: m.Agenda[i].ID, Path: itemField(i, "minutes"),
				Message: itemLabel(m, i) + " has no time",
				Remedy:  "Give every agenda item its minutes."})
		}
	}
	if total := m.AgendaMinutes(); total > m.DurationMinutes {
		pass.ReportMeeting("meeting.duration_minutes",
			fmt.Sprintf("the agenda adds up to %d minutes, more than the %d minutes of the meeting", total, m.DurationMinutes),
			"Shorten the agenda, or book a longer meeting.")
	}
}

func checkMC03(pass *Pass) {
	m := pass.Meeting
	switch {
	case len(m.Agenda) == 0:
		pass.ReportMeeting("meeting.agenda", "the agenda is empty, so it does not start with introductions",
			"Start the agenda with an item of kind introductions.")
	case m.Agenda[0].Kind != meeting.ItemIntroductions:
		pass.Report(Finding{SubjectID: m.Agenda[0].ID, Path: itemField(0, "kind"),
			Message: "the first agenda item is " + string(m.Agenda[0].Kind) + ", not introductions",
			Remedy:  "Start the meeting with a round of names and roles (an item of kind introductions)."})
	}
}

func checkMC04(pass *Pass) {
	m := pass.Meeting
	for k := range m.Participants {
		p := &m.Participants[k]
		if p.JoinsAtItem == uuid.Nil {
			continue
		}
		i := pass.index.item(p.JoinsAtItem)
		if i <= 0 {
			continue // from the start, or not on the agenda (an invalid case)
		}
		it := &m.Agenda[i]
		if it.Kind == meeting.ItemIntroductions || it.Kind == meeting.ItemSummary || it.Recap {
			continue
		}
		pass.ReportParticipant(k, participantField(k, "joins_at_item"),
			"joins at "+itemLabel(m, i)+", which neither introduces nor recaps",
			"Let the participant join at an item with recap (introductions and purpose repeated), an introductions or a summary item.")
	}
}

func checkMC05(pass *Pass) {
	m := pass.Meeting
	if !m.Format.Remote() {
		pass.NotApplicable()
		return
	}
	if strings.TrimSpace(m.Platform) == "" {
		pass.ReportMeeting("meeting.platform", "the "+string(m.Format)+" meeting names no video platform",
			"Name the video service the meeting uses (platform).")
	}
}

func checkMC06(pass *Pass) {
	m := pass.Meeting
	if m.Format != meeting.FormatHybrid {
		pass.NotApplicable()
		return
	}
	remote := false
	for k := range m.Participants {
		if l := m.Participants[k].Location; l == meeting.LocationHome || l == meeting.LocationOffice {
			remote = true
			break
		}
	}
	if !remote {
		return
	}
	limit := pass.Int("max_colocated")
	for _, loc := range [...]meeting.Location{meeting.LocationClinic, meeting.LocationGPOffice} {
		n := 0
		for k := range m.Participants {
			if m.Participants[k].Location == loc {
				n++
			}
		}
		if n >= limit {
			pass.ReportMeeting("meeting.participants",
				fmt.Sprintf("%d participants sit together at %s while others join remotely; the limit is fewer than %d", n, loc, limit),
				"Let the participants at the shared location join from their own screens, or meet in person.")
		}
	}
}

func checkMC07(pass *Pass) {
	m := pass.Meeting
	n := len(m.Agenda)
	switch {
	case n == 0:
		pass.ReportMeeting("meeting.agenda", "the agenda is empty, so it does not end with a summary",
			"End the agenda with an item of kind summary.")
	case m.Agenda[n-1].Kind != meeting.ItemSummary:
		pass.Report(Finding{SubjectID: m.Agenda[n-1].ID, Path: itemField(n-1, "kind"),
			Message: "the last agenda item is " + string(m.Agenda[n-1].Kind) + ", not summary",
			Remedy:  "End the meeting with a summary: who does what, and when you meet again."})
	}
}

func checkMC08(pass *Pass) {
	m := pass.Meeting
	lo, hi := pass.Int("min_minutes"), pass.Int("max_minutes")
	if m.DurationMinutes < lo || m.DurationMinutes > hi {
		pass.ReportMeeting("meeting.duration_minutes",
			fmt.Sprintf("the meeting lasts %d minutes, outside %d to %d", m.DurationMinutes, lo, hi),
			fmt.Sprintf("Plan between %d and %d minutes.", lo, hi))
	}
}

func checkMC09(pass *Pass) {
	m := pass.Meeting
	prep := m.Preparation
	if prep == nil {
		pass.ReportMeeting("meeting.preparation", "no preparation record: it is not known that the agenda was sent",
			"Record when the agenda was sent, and to whom (meeting.preparation).")
		return
	}
	if !sentInTime(prep.AgendaSentAt, pass.Start, pass.Days("notice_days")) {
		pass.ReportMeeting("meeting.preparation.agenda_sent_at", lateMessage("the agenda", prep.AgendaSentAt.IsZero(), pass.Int("notice_days")),
			fmt.Sprintf("Send the agenda to every participant at least %d days before the meeting.", pass.Int("notice_days")))
	}
	for k := range m.Participants {
		if !pass.index.sentTo.has(m.Participants[k].ID) {
			pass.ReportParticipant(k, "meeting.preparation.sent_to", participantLabel(m, k)+" is not among those the agenda was sent to",
				"Send the agenda to every participant, and record them (sent_to).")
		}
	}
}

func checkMC10(pass *Pass) {
	m := pass.Meeting
	checkNamedRole(pass, m.MinuteTakerID, "minute_taker_id", "minute-taker")
	checkNamedRole(pass, m.PlanUpdaterID, "plan_updater_id", "plan updater")
}
