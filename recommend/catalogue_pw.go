package recommend

import (
	"fmt"

	"github.com/collabmeet/collabmeet/meeting"
)

// pathway is the theme PW: the time limits of the national pathway for pain.
func pathway() []Rule {
	return []Rule{
		{Recommendation: Recommendation{
			ID: "PW-01", Title: "The meeting is held within the pathway's time",
			Statement: "A `collaboration` meeting starts no later than `assessment_to_meeting_weeks` weeks after `meeting.pathway.assessment_started_at`. Not applicable to other meeting kinds, nor without that date.",
			Rationale: "The national pathway sets 12 weeks from the start of the interprofessional assessment to the summarising collaboration meeting.",
			Source:    "HD (the number is the source's)",
			Theme:     ThemePathway, Severity: SeverityRecommended, Phase: PhaseBefore,
			Params: []Param{{Name: "assessment_to_meeting_weeks", Default: 12,
				Doc: "Most whole weeks (7 × 24 h) from the start of the assessment to the collaboration meeting."}},
		}, Check: checkPW01},
		{Recommendation: Recommendation{
			ID: "PW-02", Title: "The assessment started within the pathway's time",
			Statement: "`meeting.pathway.assessment_started_at` is no later than `referral_to_assessment_weeks` weeks after `meeting.pathway.referral_received_at`. Not applicable without both dates.",
			Rationale: "The national pathway sets 12 weeks from referral to the start of the interprofessional assessment.",
			Source:    "HD",
			Theme:     ThemePathway, Severity: SeverityAdvisory, Phase: PhaseBefore,
			Params: []Param{{Name: "referral_to_assessment_weeks", Default: 12,
				Doc: "Most whole weeks (7 × 24 h) from the referral to the start of the assessment."}},
		}, Check: checkPW02},
		{Recommendation: Recommendation{
			ID: "PW-03", Title: "The follow-up collaboration meeting is booked",
			Statement: "A `collaboration` meeting's plan books the follow-up collaboration meeting: `plan.follow_up.next_meeting_at` is after the start and no later than `follow_up_weeks` weeks after it. A gap without a plan; not applicable to other meeting kinds.",
			Rationale: "The pathway and the trial follow the patient up for six months, with a follow-up collaboration meeting within 26 weeks.",
			Source:    "HD, SN, TR",
			Theme:     ThemePathway, Severity: SeverityRequired, Phase: PhaseBefore,
			Params: []Param{{Name: "follow_up_weeks", Default: 26,
				Doc: "Most whole weeks (7 × 24 h) from the meeting to the follow-up collaboration meeting."}},
		}, Check: checkPW03},
	}
}

func checkPW01(pass *Pass) {
	m := pass.Meeting
	if m.Kind != meeting.KindCollaboration || m.Pathway == nil || m.Pathway.AssessmentStartedAt.IsZero() {
		pass.NotApplicable()
		return
	}
	if m.Start.After(m.Pathway.AssessmentStartedAt.Add(pass.Weeks("assessment_to_meeting_weeks"))) {
		weeks := pass.Int("assessment_to_meeting_weeks")
		pass.ReportMeeting("meeting.start",
			fmt.Sprintf("the meeting starts more than %d weeks after the assessment started", weeks),
			fmt.Sprintf("Hold the collaboration meeting within %d weeks of the start of the assessment.", weeks))
	}
}

func checkPW02(pass *Pass) {
	pw := pass.Meeting.Pathway
	if pw == nil || pw.ReferralReceivedAt.IsZero() || pw.AssessmentStartedAt.IsZero() {
		pass.NotApplicable()
		return
	}
	if pw.AssessmentStartedAt.After(pw.ReferralReceivedAt.Add(pass.Weeks("referral_to_assessment_weeks"))) {
		weeks := pass.Int("referral_to_assessment_weeks")
		pass.ReportMeeting("meeting.pathway.assessment_started_at",
			fmt.Sprintf("the assessment started more than %d weeks after the referral was received", weeks),
			fmt.Sprintf("Start the interprofessional assessment within %d weeks of the referral.", weeks))
	}
}

func checkPW03(pass *Pass) {
	if pass.Meeting.Kind != meeting.KindCollaboration {
		pass.NotApplicable()
		return
	}
	f := reportNoFollowUp(pass)
	if f == nil {
		return
	}
	weeks := pass.Int("follow_up_weeks")
	if within(f.NextMeetingAt, pass.Start, pass.Weeks("follow_up_weeks")) {
		return
	}
	msg := "the follow-up collaboration meeting is not booked"
	switch {
	case f.NextMeetingAt.IsZero():
	case !f.NextMeetingAt.After(pass.Start):
		msg = "the follow-up collaboration meeting is at or before the start of this meeting"
	default:
		msg = fmt.Sprintf("the follow-up collaboration meeting is more than %d weeks after this one", weeks)
	}
	pass.ReportMeeting("plan.follow_up.next_meeting_at", msg,
		fmt.Sprintf("Book the follow-up collaboration meeting within %d weeks (next_meeting_at).", weeks))
}
