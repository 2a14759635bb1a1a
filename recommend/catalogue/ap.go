package catalogue

import (
	"cmp"
	"slices"
	"strings"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
)

// commonActionPlan is the theme AP: the meeting ends with a common action
// plan, made together at the meeting. The checks of the plan's content are
// after the meeting: a planned meeting is never asked for a finished plan.
func commonActionPlan() []recommend.Rule {
	return []recommend.Rule{
		{Recommendation: recommend.Recommendation{
			ID:    "AP-01",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramPlanMinutes, paramFollowUpPlanMinutes, paramMaxMinutes},
			Reasons: []string{"no_item", "too_short"},
			Fixes:   []string{"add_item", "lengthen_item"},
		}, Check: checkAP01},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-02",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramDiscussionMinutes, paramMaxMinutes},
			Reasons: []string{"no_item", "after_plan", "too_short"},
			Fixes:   []string{"add_item", "lengthen_item", "move_item"},
		}, Check: checkAP02},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-03",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Phase: recommend.PhaseAfter,
			Reasons: []string{"no_plan"},
		}, Check: checkAP03},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-04",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Phase: recommend.PhaseAfter,
			Reasons: []string{"no_plan", "no_actions", "no_owner", "owner_not_participant"},
		}, Check: checkAP04},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-05",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Phase: recommend.PhaseAfter,
			Params:  []recommend.Param{recommend.ParamDays("horizon_days", 183)},
			Reasons: []string{"no_plan", "no_due", "due_not_after_start", "due_too_late"},
		}, Check: checkAP05},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-06",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Phase: recommend.PhaseAfter,
			Reasons: []string{"no_plan", "no_follow_up", "no_next_contact", "next_contact_not_after_start",
				"no_contact_person", "contact_person_not_participant", "no_initiator"},
		}, Check: checkAP06},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-07",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseAfter,
			Reasons: []string{"no_plan", "no_follow_up", "no_intensity", "not_close"},
		}, Check: checkAP07},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-08",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			MinProfile: recommend.ProfileThorough,
			Params:     []recommend.Param{paramNoticeDays},
			Reasons:    []string{"no_preparation", "not_sent", "sent_late"},
		}, Check: checkAP08},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-09",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Phase: recommend.PhaseAfter,
			Reasons: []string{"no_plan", "not_agreed", "no_agreement_time", "agreed_before_meeting"},
		}, Check: checkAP09},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-10",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseAfter,
			Params:  []recommend.Param{recommend.ParamDays("distribute_days", 7)},
			Reasons: []string{"no_plan", "not_distributed", "distributed_late", "not_recipient", "consented_not_recipient"},
		}, Check: checkAP10},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-11",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseAfter,
			Reasons: []string{"no_plan", "sector_without_part"},
		}, Check: checkAP11},
		{Recommendation: recommend.Recommendation{
			ID:    "AP-12",
			Theme: ThemeCommonActionPlan, Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseAfter,
			Params: []recommend.Param{
				recommend.ParamDays("close_contact_days", 14),
				recommend.ParamDays("regular_contact_days", 42),
				recommend.ParamDays("check_in_contact_days", 91),
			},
			Reasons: []string{"too_late"},
		}, Check: checkAP12},
	}
}

// checkAP01: an action_plan item of at least plan_minutes
// (follow_up_plan_minutes in a follow_up meeting). When no item is long
// enough, each action_plan item is reported as too short.
func checkAP01(pass *recommend.Pass) error {
	want := planMinutes(pass)
	items := pass.Items(meeting.ItemActionPlan)
	var fix lazyFix
	fix.done = len(pass.Meeting.Agenda) == 0 // an empty agenda is MC-02's to fill
	if len(items) == 0 {
		pass.ReportCase("meeting.agenda", "no_item", recommend.Args{"minutes": want})
		if !fix.done {
			fix.set(fixAP01(newFixer(pass), want))
		}
		fix.attach(pass)
		return nil
	}
	for _, i := range items {
		if pass.Meeting.Agenda[i].Minutes >= want {
			return nil
		}
	}
	for _, i := range items {
		pass.ReportItem(i, "minutes", "too_short",
			recommend.Args{"minutes": want, "item_minutes": pass.Meeting.Agenda[i].Minutes})
		if !fix.done {
			fix.set(fixAP01(newFixer(pass), want))
		}
		fix.attach(pass)
	}
	return nil
}

// fixAP01 lengthens the action_plan item that needs the fewest minutes
// added to want, or adds an action_plan item of want minutes before the
// closing summary (the patient attends it: PC-01).
func fixAP01(f *fixer, want int) (string, recommend.Args, []recommend.PatchOp) {
	if f == nil {
		return "", nil, nil
	}
	if items := f.pass.Items(meeting.ItemActionPlan); len(items) > 0 {
		return lengthenShortest(f, items, want, "lengthen_item")
	}
	d := f.draft("add_item")
	if d == nil {
		return "", nil, nil
	}
	pos := d.closing()
	d.insertAt(pos, d.newItem(meeting.ItemActionPlan, orDefault(want), ""))
	return "add_item", recommend.Args{"item": pos + 1, "minutes": want}, f.finish(d, vkey{}, "")
}

// lengthenShortest lengthens to want minutes the item of items that needs
// the fewest minutes added (the first of those), or the next when that one
// does not fit: the fix with the given reason.
func lengthenShortest(f *fixer, items []int, want int, reason string) (string, recommend.Args, []recommend.PatchOp) {
	if f == nil {
		return "", nil, nil
	}
	agenda := f.pass.Meeting.Agenda
	order := slices.Clone(items)
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(agenda[b].Minutes, agenda[a].Minutes) })
	for _, i := range order {
		d := f.draft(reason)
		if d == nil {
			break
		}
		d.setMinutes(i, orDefault(want))
		if ops := f.finish(d, vkey{}, ""); ops != nil {
			return reason, recommend.Args{"item": i + 1, "minutes": want}, ops
		}
	}
	return "", nil, nil
}

// checkAP02: a collaboration meeting discusses before it plans: a
// discussion item of at least discussion_minutes before the first
// action_plan item (anywhere when there is none: AP-01 reports that).
func checkAP02(pass *recommend.Pass) error {
	m := pass.Meeting
	if m.Kind != meeting.KindCollaboration {
		pass.NotApplicable()
		return nil
	}
	want := pass.Int("discussion_minutes")
	discussions := pass.Items(meeting.ItemDiscussion)
	var fix lazyFix
	fix.done = len(m.Agenda) == 0 // an empty agenda is MC-02's to fill
	if len(discussions) == 0 {
		pass.ReportCase("meeting.agenda", "no_item", recommend.Args{"minutes": want})
		if !fix.done {
			fix.set(fixAP02(newFixer(pass), want))
		}
		fix.attach(pass)
		return nil
	}
	firstPlan := len(m.Agenda)
	if plans := pass.Items(meeting.ItemActionPlan); len(plans) > 0 {
		firstPlan = plans[0]
	}
	for _, i := range discussions {
		if i < firstPlan && m.Agenda[i].Minutes >= want {
			return nil
		}
	}
	for _, i := range discussions {
		if i > firstPlan {
			pass.ReportItem(i, "", "after_plan", recommend.Args{"item": firstPlan + 1})
			if !fix.done {
				fix.set(fixAP02(newFixer(pass), want))
			}
			fix.attach(pass)
		}
		if m.Agenda[i].Minutes < want {
			pass.ReportItem(i, "minutes", "too_short",
				recommend.Args{"minutes": want, "item_minutes": m.Agenda[i].Minutes})
			if !fix.done {
				fix.set(fixAP02(newFixer(pass), want))
			}
			fix.attach(pass)
		}
	}
	return nil
}

// fixAP02 gives the meeting a discussion of want minutes before the first
// action_plan item: it lengthens one already there, or moves one from after
// the plan to just before it (when that changes no one's attendance), or
// adds one there (before the closing summary when there is no plan).
func fixAP02(f *fixer, want int) (string, recommend.Args, []recommend.PatchOp) {
	if f == nil {
		return "", nil, nil
	}
	agenda := f.pass.Meeting.Agenda
	firstPlan := len(agenda)
	if plans := f.pass.Items(meeting.ItemActionPlan); len(plans) > 0 {
		firstPlan = plans[0]
	}
	var before, after []int
	for _, i := range f.pass.Items(meeting.ItemDiscussion) {
		if i < firstPlan {
			before = append(before, i)
		} else {
			after = append(after, i)
		}
	}
	if len(before) > 0 {
		if reason, args, ops := lengthenShortest(f, before, want, "lengthen_item"); ops != nil {
			return reason, args, ops
		}
	}
	for _, i := range after {
		d := f.draft("move_item")
		if d == nil {
			break
		}
		if !d.safeMove(i, firstPlan) {
			continue
		}
		d.setMinutes(firstPlan, max(d.agenda[firstPlan].Minutes, orDefault(want)))
		if ops := f.finish(d, vkey{}, ""); ops != nil {
			return "move_item", recommend.Args{"from": i + 1, "item": firstPlan + 1, "minutes": want}, ops
		}
	}
	d := f.draft("add_item")
	if d == nil {
		return "", nil, nil
	}
	pos := firstPlan
	if pos == len(agenda) {
		pos = d.closing()
	}
	d.insertAt(pos, d.newItem(meeting.ItemDiscussion, orDefault(want), ""))
	return "add_item", recommend.Args{"item": pos + 1, "minutes": want}, f.finish(d, vkey{}, "")
}

// checkAP03: once the meeting is held, it has a plan (a draft will do).
func checkAP03(pass *recommend.Pass) error {
	reportNoPlan(pass)
	return nil
}

// checkAP04: the plan has an action, and every action is owned by a
// participant of the meeting.
func checkAP04(pass *recommend.Pass) error {
	if reportNoPlan(pass) {
		return nil
	}
	actions := pass.Plan.Actions
	if len(actions) == 0 {
		pass.ReportCase("plan.actions", "no_actions", nil)
		return nil
	}
	for i := range actions {
		switch owner := actions[i].OwnerID; {
		case owner == uuid.Nil:
			pass.ReportAction(i, "owner_id", "no_owner", nil)
		case pass.Participant(owner) < 0:
			pass.ReportAction(i, "owner_id", "owner_not_participant", nil)
		}
	}
	return nil
}

// checkAP05: every action is due after the start and within horizon_days.
// A plan without actions passes (AP-04 asks for one). Not applicable to a
// plan whose follow-up is a check-in: less frequent contact is needed, and
// its actions (a disability benefit application, say) take the time they
// take.
func checkAP05(pass *recommend.Pass) error {
	if reportNoPlan(pass) {
		return nil
	}
	if checkIn(pass.Plan) {
		pass.NotApplicable()
		return nil
	}
	horizon := pass.Days("horizon_days")
	for i := range pass.Plan.Actions {
		due := pass.Plan.Actions[i].Due
		if within(due, pass.Start, horizon) {
			continue
		}
		reason := "due_too_late"
		switch {
		case due.IsZero():
			reason = "no_due"
		case !due.After(pass.Start):
			reason = "due_not_after_start"
		}
		pass.ReportAction(i, "due", reason, recommend.Args{"days": pass.Int("horizon_days")})
	}
	return nil
}

// checkIn reports whether the plan's follow-up is a check-in
// (plan.follow_up.intensity check_in).
func checkIn(pl *plan.Plan) bool {
	return pl != nil && pl.FollowUp != nil && pl.FollowUp.Intensity == plan.IntensityCheckIn
}

// apFollowUp reports a missing plan (no_plan) or follow-up (no_follow_up)
// and returns the follow-up, nil when it reported.
func apFollowUp(pass *recommend.Pass) *plan.FollowUp {
	if reportNoPlan(pass) {
		return nil
	}
	if pass.Plan.FollowUp == nil {
		pass.ReportCase("plan.follow_up", "no_follow_up", nil)
	}
	return pass.Plan.FollowUp
}

// checkAP06: the follow-up has a next contact after the start, a contact
// person among the participants, and an initiator.
func checkAP06(pass *recommend.Pass) error {
	f := apFollowUp(pass)
	if f == nil {
		return nil
	}
	switch {
	case f.NextContactAt.IsZero():
		pass.ReportCase("plan.follow_up.next_contact_at", "no_next_contact", nil)
	case !f.NextContactAt.After(pass.Start):
		pass.ReportCase("plan.follow_up.next_contact_at", "next_contact_not_after_start", nil)
	}
	switch {
	case f.ContactPersonID == uuid.Nil:
		pass.ReportCase("plan.follow_up.contact_person_id", "no_contact_person", nil)
	case pass.Participant(f.ContactPersonID) < 0:
		pass.ReportCase("plan.follow_up.contact_person_id", "contact_person_not_participant", nil)
	}
	if !f.Initiator.Valid() {
		pass.ReportCase("plan.follow_up.initiator", "no_initiator", nil)
	}
	return nil
}

// checkAP07: the intensity is set, and close while a social_security
// participant is changing soon (a change of supervisor).
func checkAP07(pass *recommend.Pass) error {
	f := apFollowUp(pass)
	if f == nil {
		return nil
	}
	if !f.Intensity.Valid() {
		pass.ReportCase("plan.follow_up.intensity", "no_intensity", nil)
		return nil
	}
	if f.Intensity == plan.IntensityClose {
		return nil
	}
	for k := range pass.Meeting.Participants {
		if p := &pass.Meeting.Participants[k]; p.Sector == meeting.SectorSocialSecurity && p.ChangingSoon {
			pass.ReportCase("plan.follow_up.intensity", "not_close",
				recommend.Args{"intensity": f.Intensity, "changing_role": p.Role})
			return nil
		}
	}
	return nil
}

// checkAP08: with the thorough profile, the suggested actions were sent at
// least notice_days before the start.
func checkAP08(pass *recommend.Pass) error {
	prep := pass.Meeting.Preparation
	switch {
	case prep == nil:
		pass.ReportCase("meeting.preparation", "no_preparation", noticeArgs(pass))
	case prep.SuggestedActionsSentAt.IsZero():
		pass.ReportCase("meeting.preparation.suggested_actions_sent_at", "not_sent", noticeArgs(pass))
	case !sentInTime(prep.SuggestedActionsSentAt, pass.Start, pass.Days("notice_days")):
		pass.ReportCase("meeting.preparation.suggested_actions_sent_at", "sent_late", noticeArgs(pass))
	}
	return nil
}

// checkAP09: the patient agreed to the plan at or after the start of the
// meeting: an agreement from before it is a decision made beforehand.
func checkAP09(pass *recommend.Pass) error {
	if reportNoPlan(pass) {
		return nil
	}
	p := pass.Plan
	if p.Status != plan.StatusAgreed {
		pass.ReportCase("plan.status", "not_agreed", nil)
	}
	switch {
	case p.PatientAgreedAt.IsZero():
		pass.ReportCase("plan.patient_agreed_at", "no_agreement_time", nil)
	case p.PatientAgreedAt.Before(pass.Start):
		pass.ReportCase("plan.patient_agreed_at", "agreed_before_meeting", nil)
	}
	return nil
}

// checkAP10: the plan was sent within distribute_days to everyone entitled
// to it: the patient, every healthcare participant, and every third party
// with a receive_plan consent valid at plan.distributed_at. A third party
// without that consent is never asked for (CS-03 guards against sending
// it); with no time recorded, no consent can cover the sending.
func checkAP10(pass *recommend.Pass) error {
	if reportNoPlan(pass) {
		return nil
	}
	p := pass.Plan
	switch {
	case p.DistributedAt.IsZero():
		pass.ReportCase("plan.distributed_at", "not_distributed", recommend.Args{"days": pass.Int("distribute_days")})
	case p.DistributedAt.After(pass.Start.Add(pass.Days("distribute_days"))):
		pass.ReportCase("plan.distributed_at", "distributed_late", recommend.Args{"days": pass.Int("distribute_days")})
	}
	for k := range pass.Meeting.Participants {
		id := pass.Meeting.Participants[k].ID
		reason := "not_recipient"
		if pass.ThirdParty(k) {
			if p.DistributedAt.IsZero() || !pass.Allows(id, consent.ScopeReceivePlan, p.DistributedAt).Allowed() {
				continue // not entitled: never ask to send it
			}
			reason = "consented_not_recipient"
		}
		if !pass.Listed(p.Recipients, id) {
			pass.ReportListed(k, "plan.recipients", reason, nil)
		}
	}
	return nil
}

// checkAP11: every sector at the meeting but the patient side owns an
// action or is named as informed only. One finding per sector, in the order
// the sectors first appear among the participants.
func checkAP11(pass *recommend.Pass) error {
	if reportNoPlan(pass) {
		return nil
	}
	m, p := pass.Meeting, pass.Plan
	// Small maps, on the stack: a check that passes allocates nothing.
	const sectors = 8
	covered := make(map[meeting.Sector]bool, sectors)
	for i := range p.Actions {
		if k := pass.Participant(p.Actions[i].OwnerID); k >= 0 {
			covered[m.Participants[k].Sector] = true
		}
	}
	for _, s := range p.InformedOnlySectors {
		covered[meeting.Sector(strings.TrimSpace(s))] = true
	}
	seen := make(map[meeting.Sector]bool, sectors)
	for k := range m.Participants {
		s := m.Participants[k].Sector
		if s == meeting.SectorPatient || seen[s] {
			continue
		}
		seen[s] = true
		if !covered[s] {
			pass.ReportCase("plan.actions", "sector_without_part", recommend.Args{"sector": s})
		}
	}
	return nil
}

// checkAP12: the next contact is no later than the days its intensity
// allows after the start. Not applicable without a plan (AP-03 reports
// it), an intensity or a next contact (AP-06 and AP-07 report those).
func checkAP12(pass *recommend.Pass) error {
	if pass.Plan == nil {
		pass.NotApplicable()
		return nil
	}
	f := pass.Plan.FollowUp
	if f == nil || f.NextContactAt.IsZero() {
		pass.NotApplicable()
		return nil
	}
	var param string
	switch f.Intensity {
	case plan.IntensityClose:
		param = "close_contact_days"
	case plan.IntensityRegular:
		param = "regular_contact_days"
	case plan.IntensityCheckIn:
		param = "check_in_contact_days"
	default:
		pass.NotApplicable()
		return nil
	}
	if f.NextContactAt.After(pass.Start.Add(pass.Days(param))) {
		pass.ReportCase("plan.follow_up.next_contact_at", "too_late",
			recommend.Args{"days": pass.Int(param), "intensity": f.Intensity})
	}
	return nil
}
