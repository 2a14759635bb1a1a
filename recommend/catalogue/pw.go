package catalogue

import (
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
)

// pathway is the theme PW: the time limits of the national pathway for pain.
func pathway() []recommend.Rule {
	return []recommend.Rule{
		{Recommendation: recommend.Recommendation{
			ID:    "PW-01",
			Theme: ThemePathway, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamWeeks("assessment_to_meeting_weeks", 12)},
			Reasons: []string{"late"},
		}, Check: checkPW01},
		{Recommendation: recommend.Recommendation{
			ID:    "PW-02",
			Theme: ThemePathway, Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamWeeks("referral_to_assessment_weeks", 12)},
			Reasons: []string{"late"},
		}, Check: checkPW02},
		{Recommendation: recommend.Recommendation{
			ID:    "PW-03",
			Theme: ThemePathway, Severity: recommend.SeverityRequired, Phase: recommend.PhaseAfter,
			Params:  []recommend.Param{recommend.ParamWeeks("follow_up_weeks", 26)},
			Reasons: []string{"no_plan", "no_follow_up", "not_booked", "not_after_start", "too_late"},
		}, Check: checkPW03},
	}
}

func checkPW01(pass *recommend.Pass) error {
	m := pass.Meeting
	if m.Kind != meeting.KindCollaboration || m.Pathway == nil || m.Pathway.AssessmentStartedAt.IsZero() {
		pass.NotApplicable()
		return nil
	}
	if m.Start.After(m.Pathway.AssessmentStartedAt.Add(pass.Weeks("assessment_to_meeting_weeks"))) {
		pass.ReportCase("meeting.start", "late", recommend.Args{"weeks": pass.Int("assessment_to_meeting_weeks")})
	}
	return nil
}

func checkPW02(pass *recommend.Pass) error {
	pw := pass.Meeting.Pathway
	if pw == nil || pw.ReferralReceivedAt.IsZero() || pw.AssessmentStartedAt.IsZero() {
		pass.NotApplicable()
		return nil
	}
	if pw.AssessmentStartedAt.After(pw.ReferralReceivedAt.Add(pass.Weeks("referral_to_assessment_weeks"))) {
		pass.ReportCase("meeting.pathway.assessment_started_at", "late",
			recommend.Args{"weeks": pass.Int("referral_to_assessment_weeks")})
	}
	return nil
}

// checkPW03: a held collaboration meeting's plan books the follow-up
// collaboration meeting within follow_up_weeks. Not applicable to other
// meeting kinds, nor to a plan whose follow-up is a check-in (less frequent
// contact is needed: a disability benefit application, say).
func checkPW03(pass *recommend.Pass) error {
	if pass.Meeting.Kind != meeting.KindCollaboration {
		pass.NotApplicable()
		return nil
	}
	if reportNoPlan(pass) {
		return nil
	}
	if checkIn(pass.Plan) {
		pass.NotApplicable()
		return nil
	}
	weeks := pass.Int("follow_up_weeks")
	f := pass.Plan.FollowUp
	if f == nil {
		pass.ReportCase("plan.follow_up", "no_follow_up", recommend.Args{"weeks": weeks})
		return nil
	}
	if within(f.NextMeetingAt, pass.Start, pass.Weeks("follow_up_weeks")) {
		return nil
	}
	reason := "too_late"
	switch {
	case f.NextMeetingAt.IsZero():
		reason = "not_booked"
	case !f.NextMeetingAt.After(pass.Start):
		reason = "not_after_start"
	}
	pass.ReportCase("plan.follow_up.next_meeting_at", reason, recommend.Args{"weeks": weeks})
	return nil
}
