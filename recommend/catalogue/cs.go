package catalogue

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
)

// crossSector is the theme CS: participation across sectors, consent and
// continuity.
func crossSector() []recommend.Rule {
	return []recommend.Rule{
		{Recommendation: recommend.Recommendation{
			ID:    "CS-01",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Params:    []recommend.Param{paramMaxMinutes, paramMinSectorMinutes},
			Reasons:   []string{"without_consent"},
			Fixes:     []string{"join_after_clinical", "leave_before_clinical"},
			Protected: true,
		}, Check: checkCS01},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-02",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons:   []string{"not_participant", "no_time", "without_consent"},
			Protected: true,
		}, Check: checkCS02},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-03",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRequired, Phase: recommend.PhaseAfter,
			Reasons:   []string{"not_participant", "no_time", "without_consent"},
			Protected: true,
		}, Check: checkCS03},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-04",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramMaxMinutes},
			Reasons: []string{"misses_item"},
			Fixes:   []string{"widen_attendance"},
		}, Check: checkCS04},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-05",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Reasons: []string{"no_prior_contact"},
		}, Check: checkCS05},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-06",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Reasons: []string{"no_successor", "successor_not_participant", "own_successor"},
		}, Check: checkCS06},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-07",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{paramMinSectorMinutes, paramMaxMinutes},
			Reasons: []string{"too_short"},
			Fixes:   []string{"widen_attendance"},
		}, Check: checkCS07},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-08",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Params:    []recommend.Param{paramMaxMinutes, paramMinSectorMinutes},
			Reasons:   []string{"attends_sensitive"},
			Fixes:     []string{"step_out"},
			Protected: true,
		}, Check: checkCS08},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-09",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Reasons: []string{"no_purpose"},
		}, Check: checkCS09},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-10",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons: []string{"no_gp"},
		}, Check: checkCS10},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-11",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamCount("min_specialist_roles", 2)},
			Reasons: []string{"too_few_professions"},
		}, Check: checkCS11},
		{Recommendation: recommend.Recommendation{
			ID:    "CS-12",
			Theme: ThemeCrossSector, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			MinProfile: recommend.ProfileThorough,
			Params:     []recommend.Param{paramNoticeDays},
			Reasons:    []string{"no_preparation", "not_sent", "not_received", "no_time", "late"},
		}, Check: checkCS12},
	}
}

// checkCS01: every participant outside health care who attends a clinical
// summary holds a consent to hear clinical information, valid at the start.
// One finding per participant, about the first such item it attends.
func checkCS01(pass *recommend.Pass) error {
	clinical := pass.Items(meeting.ItemClinicalSummary)
	if len(clinical) == 0 {
		return nil
	}
	var f *fixer
	for k := range pass.Meeting.Participants {
		p := &pass.Meeting.Participants[k]
		if !p.OutsideHealthcare() {
			continue
		}
		attended := pass.Attended(k, clinical)
		if len(attended) == 0 {
			continue
		}
		if d := pass.Allows(p.ID, consent.ScopeHearClinicalInformation, pass.Start); !d.Allowed() {
			pass.ReportParticipant(k, "", "without_consent",
				recommend.Args{"item": attended[0] + 1, "decision": decisionCode(d)})
			if f == nil {
				f = newFixer(pass)
			}
			// Joining after the clinical summary, or else (a participant
			// who joins for a discussion before it) leaving before it.
			if !attendFix(pass, f, k, "join_after_clinical", (*draft).joinAfterClinical) {
				attendFix(pass, f, k, "leave_before_clinical", (*draft).leaveBeforeClinical)
			}
		}
	}
	return nil
}

// attendFix attaches the fix that changes the attendance of participant k
// with edit (a repair of the draft), when it removes the gap of the rule
// being checked for k and creates none. Its args are the items k then
// joins at and leaves after. It reports whether it attached one.
func attendFix(pass *recommend.Pass, f *fixer, k int, reason string, edit func(*draft, int) bool) bool {
	reason, args, ops := attendOps(pass, f, k, reason, edit)
	if ops != nil {
		pass.Fix(reason, args, ops...)
	}
	return ops != nil
}

// attendOps computes the fix of attendFix.
func attendOps(pass *recommend.Pass, f *fixer, k int, reason string, edit func(*draft, int) bool) (string, recommend.Args, []recommend.PatchOp) {
	if f == nil {
		return "", nil, nil
	}
	d := f.draft(reason)
	if d == nil || !edit(d, k) {
		return "", nil, nil
	}
	ops := f.finish(d, vkey{pass.Recommendation.ID, k}, "")
	first, last := d.span(k)
	return reason, recommend.Args{"item": first + 1, "last_item": last + 1}, ops
}

// checkCS02: whoever received the clinical notes may receive them. It
// judges only what was sent: with no preparation record or no recipients
// it passes (sending the notes ahead is CS-12's).
func checkCS02(pass *recommend.Pass) error {
	prep := pass.Meeting.Preparation
	if prep == nil {
		return nil
	}
	checkRecipients(pass, prep.ClinicalNotesSentTo, "meeting.preparation.clinical_notes_sent_to",
		consent.ScopeReceiveClinicalNotes, prep.ClinicalNotesSentAt)
	return nil
}

// checkCS03: every third party the plan went to holds a consent to receive
// it, valid when it was sent. With no plan or no recipients it passes (the
// sending is AP-10's).
func checkCS03(pass *recommend.Pass) error {
	if pass.Plan == nil {
		return nil
	}
	checkRecipients(pass, pass.Plan.Recipients, "plan.recipients", consent.ScopeReceivePlan, pass.Plan.DistributedAt)
	return nil
}

// sectorKinds are the kinds of agenda item of which every social security
// participant attends at least one (CS-04): where decisions are made.
var sectorKinds = [...]meeting.ItemKind{meeting.ItemDiscussion, meeting.ItemActionPlan}

// checkCS04: every social security participant attends at least one
// discussion item and at least one action plan item (any of them: a meeting
// may discuss treatment first and work after, with social security taking
// part in the second); a kind the agenda lacks is skipped. The finding
// names the first item of the kind, to which the participant could come.
func checkCS04(pass *recommend.Pass) error {
	var f *fixer
	for k := range pass.Meeting.Participants {
		if pass.Meeting.Participants[k].Sector != meeting.SectorSocialSecurity {
			continue
		}
		var fix lazyFix
		for _, kind := range sectorKinds {
			items := pass.Items(kind)
			if len(items) == 0 || len(pass.Attended(k, items)) > 0 {
				continue
			}
			pass.ReportParticipant(k, attendanceField(pass, k, items[0]), "misses_item",
				recommend.Args{"item": items[0] + 1, "item_kind": kind})
			if !fix.done {
				if f == nil {
					f = newFixer(pass)
				}
				fix.set(attendOps(pass, f, k, "widen_attendance", (*draft).widenSector))
			}
			fix.attach(pass)
		}
	}
	return nil
}

// checkCS05: the patient has met every social security participant before,
// or a contact is arranged before the meeting.
func checkCS05(pass *recommend.Pass) error {
	var contacted []uuid.UUID
	if prep := pass.Meeting.Preparation; prep != nil {
		contacted = prep.PreMeetingContact
	}
	for k := range pass.Meeting.Participants {
		p := &pass.Meeting.Participants[k]
		if p.Sector != meeting.SectorSocialSecurity || p.PriorContact || pass.Listed(contacted, p.ID) {
			continue
		}
		pass.ReportParticipant(k, "prior_contact", "no_prior_contact", nil)
	}
	return nil
}

// checkCS06: a participant changing soon has a successor among the
// participants, or the plan has a handover action.
func checkCS06(pass *recommend.Pass) error {
	if pass.Plan != nil && pass.Plan.HasAction(plan.ActionHandover) {
		return nil
	}
	for k := range pass.Meeting.Participants {
		p := &pass.Meeting.Participants[k]
		if !p.ChangingSoon {
			continue
		}
		var reason string
		switch s := pass.Participant(p.SuccessorID); {
		case p.SuccessorID == uuid.Nil:
			reason = "no_successor"
		case s < 0:
			reason = "successor_not_participant"
		case s == k:
			reason = "own_successor"
		default:
			continue
		}
		pass.ReportParticipant(k, "successor_id", reason, nil)
	}
	return nil
}

// checkCS07: every social security participant attends at least
// min_sector_minutes of the agenda.
func checkCS07(pass *recommend.Pass) error {
	want := pass.Int("min_sector_minutes")
	var f *fixer
	for k := range pass.Meeting.Participants {
		if pass.Meeting.Participants[k].Sector != meeting.SectorSocialSecurity {
			continue
		}
		if got := pass.AttendedMinutes(k); got < want {
			pass.ReportParticipant(k, "", "too_short", recommend.Args{"minutes": want, "attended_minutes": got})
			if f == nil {
				f = newFixer(pass)
			}
			attendFix(pass, f, k, "widen_attendance", func(d *draft, k int) bool { return d.reachMinutes(k, want) })
		}
	}
	return nil
}

// checkCS08: no participant outside health care attends a sensitive item.
// The fix lets the participant step out of each sensitive item it attends
// (away_items) and come back at a recap, when its attendance otherwise
// stays as the recommendations ask.
// One finding per participant, naming the first sensitive item it attends
// and how many it attends, so that the findings grow with the participants,
// never with participants × items.
func checkCS08(pass *recommend.Pass) error {
	sensitive := pass.SensitiveItems()
	if len(sensitive) == 0 {
		return nil
	}
	var f *fixer
	for k := range pass.Meeting.Participants {
		if !pass.Meeting.Participants[k].OutsideHealthcare() {
			continue
		}
		if attended := pass.Attended(k, sensitive); len(attended) > 0 {
			pass.ReportParticipant(k, "", "attends_sensitive",
				recommend.Args{"item": attended[0] + 1, "count": len(attended)})
			if f == nil {
				f = newFixer(pass)
			}
			attendFix(pass, f, k, "step_out", (*draft).stepOutOfSensitive)
		}
	}
	return nil
}

// checkCS09: every participant outside health care has a stated purpose.
func checkCS09(pass *recommend.Pass) error {
	for k := range pass.Meeting.Participants {
		p := &pass.Meeting.Participants[k]
		if p.OutsideHealthcare() && strings.TrimSpace(p.Purpose) == "" {
			pass.ReportParticipant(k, "purpose", "no_purpose", nil)
		}
	}
	return nil
}

// checkCS10: a collaboration meeting has a GP.
func checkCS10(pass *recommend.Pass) error {
	m := pass.Meeting
	if m.Kind != meeting.KindCollaboration {
		pass.NotApplicable()
		return nil
	}
	if !slices.ContainsFunc(m.Participants, func(p meeting.Participant) bool { return p.Role == meeting.RoleGP }) {
		pass.ReportCase("meeting.participants", "no_gp", nil)
	}
	return nil
}

// clinicalProfessions are the roles that present a part of the
// interprofessional assessment (CS-11).
var clinicalProfessions = [...]meeting.Role{
	meeting.RolePainPhysician, meeting.RolePsychologist, meeting.RolePhysiotherapist,
	meeting.RolePsychomotorPhysiotherapist, meeting.RoleNurse, meeting.RoleSocialWorker,
}

// checkCS11: a collaboration meeting has at least min_specialist_roles
// distinct clinical professions from the specialist health service.
func checkCS11(pass *recommend.Pass) error {
	m := pass.Meeting
	if m.Kind != meeting.KindCollaboration {
		pass.NotApplicable()
		return nil
	}
	var present [len(clinicalProfessions)]bool
	n := 0
	for k := range m.Participants {
		p := &m.Participants[k]
		if p.Sector != meeting.SectorSpecialistHealth {
			continue
		}
		if j := slices.Index(clinicalProfessions[:], p.Role); j >= 0 && !present[j] {
			present[j] = true
			n++
		}
	}
	if want := pass.Int("min_specialist_roles"); n < want {
		pass.ReportCase("meeting.participants", "too_few_professions",
			recommend.Args{"professions": want, "present_professions": n})
	}
	return nil
}

// needsNotes reports whether CS-12 asks for the clinical notes to be sent
// to p ahead: a healthcare participant outside specialist_health (the GP,
// municipal services); the specialists wrote them.
func needsNotes(p *meeting.Participant) bool {
	return p.Healthcare() && p.Sector != meeting.SectorSpecialistHealth
}

// checkCS12: the clinical notes were sent to every healthcare participant
// outside specialist_health at least notice_days before the start (profile
// thorough). Who else may receive them is CS-02's.

func checkCS12(pass *recommend.Pass) error {
	prep := pass.Meeting.Preparation
	if prep == nil {
		pass.ReportCase("meeting.preparation", "no_preparation", noticeArgs(pass))
		return nil
	}
	m := pass.Meeting
	if !slices.ContainsFunc(m.Participants, func(p meeting.Participant) bool { return needsNotes(&p) }) {
		return nil // no one to send them to
	}
	if prep.ClinicalNotesSentAt.IsZero() && len(prep.ClinicalNotesSentTo) == 0 {
		pass.ReportCase("meeting.preparation.clinical_notes_sent_at", "not_sent", noticeArgs(pass))
		return nil
	}
	const list = "meeting.preparation.clinical_notes_sent_to"
	for k := range m.Participants {
		p := &m.Participants[k]
		if needsNotes(p) && !pass.Listed(prep.ClinicalNotesSentTo, p.ID) {
			pass.ReportListed(k, list, "not_received", noticeArgs(pass))
		}
	}
	switch {
	case prep.ClinicalNotesSentAt.IsZero():
		pass.ReportCase("meeting.preparation.clinical_notes_sent_at", "no_time", noticeArgs(pass))
	case !sentInTime(prep.ClinicalNotesSentAt, pass.Start, pass.Days("notice_days")):
		pass.ReportCase("meeting.preparation.clinical_notes_sent_at", "late", noticeArgs(pass))
	}
	return nil
}

// checkRecipients checks that everyone in ids (the list at path) may
// receive what was sent to them at the time at: a healthcare participant or
// the patient, or a third party holding a consent with the scope valid at
// that time. With no time recorded no consent can cover the sending. The
// reasons are not_participant, no_time and without_consent.
//
// A third party is decided by Pass.ThirdParty, so a second participant with
// the role patient is a third party like any other: only the patient of the
// meeting receives without consent.
func checkRecipients(pass *recommend.Pass, ids []uuid.UUID, path string, scope consent.Scope, at time.Time) {
	entry := func(j int) string { return path + "[" + strconv.Itoa(j) + "]" }
	for j, id := range ids {
		k := pass.Participant(id)
		switch {
		case k < 0:
			pass.ReportCase(entry(j), "not_participant", nil)
		case !pass.ThirdParty(k):
		case at.IsZero():
			pass.ReportListed(k, entry(j), "no_time", recommend.Args{"party": partyCode(&pass.Meeting.Participants[k])})
		default:
			if d := pass.Allows(id, scope, at); !d.Allowed() {
				pass.ReportListed(k, entry(j), "without_consent", recommend.Args{
					"decision": decisionCode(d), "party": partyCode(&pass.Meeting.Participants[k])})
			}
		}
	}
}
