package bench

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// The yardstick of the first budget (docs/design.md "Budgets", BENCHMARKS.md): the
// recommendations of catalogue 2026.3, checked by one hand-written
// function directly on the structs of the case, as a developer would write
// them inline without an engine: no Pass, no findings, no parameters to
// look up (the defaults are constants), no texts. It answers only which
// recommendations have a gap, one flag per recommendation in catalogue order.
// TestHandCheckAgrees holds it to the engine, so that BenchmarkHandCheck and
// BenchmarkEngineCheckInto compare equal work.

// The defaults of the parameters of catalogue 2026.3 (standard profile).
const (
	hDay                    = 24 * time.Hour
	hWeek                   = 7 * hDay
	hMaxMinutes             = 90
	hMinMinutes             = 30
	hPatientMinutes         = 10
	hPlanMinutes            = 10
	hFollowUpPatientMinutes = 5
	hFollowUpPlanMinutes    = 5
	hDiscussionMinutes      = 10
	hMinSectorMinutes       = 15
	hMaxProfessionals       = 6
	hMaxColocated           = 3
	hMinSpecialistRoles     = 2
	hNotice                 = 3 * hDay
	hHorizon                = 183 * hDay
	hDistribute             = 7 * hDay
	hCloseContact           = 14 * hDay
	hRegularContact         = 42 * hDay
	hCheckInContact         = 91 * hDay
	hAssessmentToMeeting    = 12 * hWeek
	hReferralToAssessment   = 12 * hWeek
	hFollowUp               = 26 * hWeek
	hAllowProfessionalsOnly = true
	hThorough               = false // the standard profile: AP-08 and CS-12 do not apply
)

// The flag of each recommendation in the result of handCheck: its index in
// catalogue order. TestHandCheckAgrees holds the list to the catalogue.
const (
	bPC01 = iota
	bPC02
	bPC03
	bPC04
	bPC05
	bPC06
	bPC07
	bPC08
	bPC09
	bAP01
	bAP02
	bAP03
	bAP04
	bAP05
	bAP06
	bAP07
	bAP08
	bAP09
	bAP10
	bAP11
	bAP12
	bMC01
	bMC02
	bMC03
	bMC04
	bMC05
	bMC06
	bMC07
	bMC08
	bMC09
	bMC10
	bCS01
	bCS02
	bCS03
	bCS04
	bCS05
	bCS06
	bCS07
	bCS08
	bCS09
	bCS10
	bCS11
	bCS12
	bPW01
	bPW02
	bPW03
	hRecommendations // how many recommendations handCheck checks
)

// handSpan is the agenda indexes a participant attends, both included.
type handSpan struct{ first, last int }

// handCheck marks the recommendations of catalogue 2026.3 with a gap in c
// under the default policy: gaps[i] for the i-th recommendation (gaps has
// hRecommendations flags; those of the recommendations without a gap are
// cleared).
func handCheck(c *casedoc.Case, gaps []bool) {
	clear(gaps)
	gap := func(b int) { gaps[b] = true }
	m := &c.Meeting
	ps, agenda, cs, pl, prep := m.Participants, m.Agenda, c.Consents, c.Plan, m.Preparation
	n := len(agenda)
	start := m.Start
	held := m.Status == meeting.StatusHeld
	collab := m.Kind == meeting.KindCollaboration
	patientMinutes, planMinutes := hPatientMinutes, hPlanMinutes
	if m.Kind == meeting.KindFollowUp {
		patientMinutes, planMinutes = hFollowUpPatientMinutes, hFollowUpPlanMinutes
	}
	checkIn := pl != nil && pl.FollowUp != nil && pl.FollowUp.Intensity == plan.IntensityCheckIn

	// What several recommendations read: the patient, each participant's
	// span, the agenda's minutes and the first items of some kinds.
	patient := -1
	var spanBuf [24]handSpan
	spans := spanBuf[:0]
	itemIndex := func(id uuid.UUID) int {
		for i := range agenda {
			if agenda[i].ID == id {
				return i
			}
		}
		return -1
	}
	for k := range ps {
		p := &ps[k]
		if patient < 0 && p.Role == meeting.RolePatient {
			patient = k
		}
		s := handSpan{0, n - 1}
		if p.JoinsAtItem != uuid.Nil {
			if s.first = itemIndex(p.JoinsAtItem); s.first < 0 {
				s = handSpan{0, -1}
			}
		}
		if p.LeavesAfterItem != uuid.Nil && s.first <= s.last {
			if i := itemIndex(p.LeavesAfterItem); i >= 0 {
				s.last = i
			} else {
				s = handSpan{0, -1}
			}
		}
		spans = append(spans, s)
	}
	// away: participant k steps out of agenda item i (away_items, 2026.3).
	away := func(k, i int) bool {
		for _, id := range ps[k].AwayItems {
			if id == agenda[i].ID {
				return true
			}
		}
		return false
	}
	attends := func(k, i int) bool { return i >= spans[k].first && i <= spans[k].last && !away(k, i) }
	whole := func(k int) bool {
		if spans[k].first != 0 || spans[k].last != n-1 {
			return false
		}
		for i := range agenda {
			if away(k, i) {
				return false
			}
		}
		return true
	}
	participant := func(id uuid.UUID) int {
		if id == uuid.Nil {
			return -1
		}
		for k := range ps {
			if ps[k].ID == id {
				return k
			}
		}
		return -1
	}
	listed := func(ids []uuid.UUID, id uuid.UUID) bool {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	third := func(k int) bool { return !ps[k].Healthcare() && k != patient }
	inTime := func(t time.Time) bool { return !t.IsZero() && !t.After(start.Add(-hNotice)) }
	within := func(t time.Time, d time.Duration) bool { return t.After(start) && !t.After(start.Add(d)) }
	total := 0
	firstPlan, firstDiscussion := -1, -1
	hasClinical, hasSensitive := false, false
	for i := range agenda {
		it := &agenda[i]
		if it.Minutes > 0 && total > math.MaxInt-it.Minutes {
			total = math.MaxInt // saturating: a sum that overflows is never short
		} else {
			total += it.Minutes
		}
		switch it.Kind {
		case meeting.ItemActionPlan:
			if firstPlan < 0 {
				firstPlan = i
			}
		case meeting.ItemDiscussion:
			if firstDiscussion < 0 {
				firstDiscussion = i
			}
		case meeting.ItemClinicalSummary:
			hasClinical = true
		}
		hasSensitive = hasSensitive || it.Sensitive
	}
	var patientID uuid.UUID
	if patient >= 0 {
		patientID = ps[patient].ID
	}

	// PC: patient-centredness.
	if patient < 0 {
		gap(bPC01)
		gap(bPC05)
		gap(bPC07)
	} else {
		for i := range agenda {
			if k := agenda[i].Kind; (k == meeting.ItemActionPlan || k == meeting.ItemSummary) && !attends(patient, i) {
				gap(bPC01)
				break
			}
		}
		for i := range agenda {
			if !hAllowProfessionalsOnly && agenda[i].ProfessionalsOnly ||
				!agenda[i].ProfessionalsOnly && !attends(patient, i) {
				gap(bPC02)
				break
			}
		}
		if !ps[patient].ChoseLocation {
			gap(bPC03)
		}
	}
	professionals := 0
	for k := range ps {
		if third(k) && !cs.Allows(ps[k].ID, consent.ScopeAttend, start).Allowed() {
			gap(bPC04)
		}
		if !ps[k].PatientSide() {
			professionals++
		}
	}
	// PC-05: led by the patient, or by next of kin for a patient who
	// attends the item.
	ownItem := false
	for i := range agenda {
		if agenda[i].Kind != meeting.ItemPatientPerspective || agenda[i].Minutes < patientMinutes || patient < 0 {
			continue
		}
		lead := participant(agenda[i].LeadID)
		if lead == patient || lead >= 0 && ps[lead].Role == meeting.RoleNextOfKin && attends(patient, i) {
			ownItem = true
			break
		}
	}
	if !ownItem {
		gap(bPC05)
	}
	if professionals > hMaxProfessionals {
		gap(bPC06)
	}
	if prep == nil || !inTime(prep.AgendaSentAt) || !inTime(prep.ParticipantsSentAt) ||
		patient >= 0 && !listed(prep.SentTo, patientID) {
		gap(bPC07)
	}
	if held {
		goals := false
		if pl != nil {
			for _, g := range pl.PatientGoals {
				if strings.TrimSpace(g) != "" {
					goals = true
					break
				}
			}
		}
		if !goals {
			gap(bPC08)
		}
	}
	for i := range agenda {
		if k := agenda[i].Kind; (k == meeting.ItemDiscussion || k == meeting.ItemActionPlan) && !agenda[i].PatientSpeaksFirst {
			gap(bPC09)
			break
		}
	}

	// AP: the common action plan.
	planItem := false
	discussionBeforePlan := false
	for i := range agenda {
		switch agenda[i].Kind {
		case meeting.ItemActionPlan:
			planItem = planItem || agenda[i].Minutes >= planMinutes
		case meeting.ItemDiscussion:
			discussionBeforePlan = discussionBeforePlan ||
				(firstPlan < 0 || i < firstPlan) && agenda[i].Minutes >= hDiscussionMinutes
		}
	}
	if !planItem {
		gap(bAP01)
	}
	if collab && !discussionBeforePlan {
		gap(bAP02)
	}
	if hThorough && (prep == nil || !inTime(prep.SuggestedActionsSentAt)) {
		gap(bAP08)
	}
	if held {
		if pl == nil {
			gap(bAP03)
			gap(bAP04)
			gap(bAP05)
			gap(bAP06)
			gap(bAP07)
			gap(bAP09)
			gap(bAP10)
			gap(bAP11)
		} else {
			if len(pl.Actions) == 0 {
				gap(bAP04)
			}
			for i := range pl.Actions {
				a := &pl.Actions[i]
				if participant(a.OwnerID) < 0 {
					gap(bAP04)
				}
				if !checkIn && !within(a.Due, hHorizon) {
					gap(bAP05)
				}
			}
			if f := pl.FollowUp; f == nil {
				gap(bAP06)
				gap(bAP07)
			} else {
				if !f.NextContactAt.After(start) || participant(f.ContactPersonID) < 0 || !f.Initiator.Valid() {
					gap(bAP06)
				}
				if !f.Intensity.Valid() {
					gap(bAP07)
				} else if f.Intensity != plan.IntensityClose {
					for k := range ps {
						if ps[k].Sector == meeting.SectorSocialSecurity && ps[k].ChangingSoon {
							gap(bAP07)
							break
						}
					}
				}
				var limit time.Duration
				switch f.Intensity {
				case plan.IntensityClose:
					limit = hCloseContact
				case plan.IntensityRegular:
					limit = hRegularContact
				case plan.IntensityCheckIn:
					limit = hCheckInContact
				}
				if limit > 0 && !f.NextContactAt.IsZero() && f.NextContactAt.After(start.Add(limit)) {
					gap(bAP12)
				}
			}
			if pl.Status != plan.StatusAgreed || pl.PatientAgreedAt.IsZero() || pl.PatientAgreedAt.Before(start) {
				gap(bAP09)
			}
			distributed := pl.DistributedAt
			if distributed.IsZero() || distributed.After(start.Add(hDistribute)) {
				gap(bAP10)
			}
			for k := range ps {
				if third(k) && (distributed.IsZero() || !cs.Allows(ps[k].ID, consent.ScopeReceivePlan, distributed).Allowed()) {
					continue
				}
				if !listed(pl.Recipients, ps[k].ID) {
					gap(bAP10)
					break
				}
			}
			// AP-11: every sector but the patient's owns an action or is
			// informed only.
		sectors:
			for k := range ps {
				s := ps[k].Sector
				if s == meeting.SectorPatient {
					continue
				}
				for i := range pl.Actions {
					if o := participant(pl.Actions[i].OwnerID); o >= 0 && ps[o].Sector == s {
						continue sectors
					}
				}
				for _, informed := range pl.InformedOnlySectors {
					if meeting.Sector(strings.TrimSpace(informed)) == s {
						continue sectors
					}
				}
				gap(bAP11)
				break
			}
		}
	}

	// MC: the meeting climate.
	if m.LeaderID == uuid.Nil {
		gap(bMC01)
	} else if k := participant(m.LeaderID); k < 0 || !ps[k].Healthcare() || n > 0 && !whole(k) {
		gap(bMC01)
	}
	if n == 0 {
		gap(bMC02)
		gap(bMC03)
		gap(bMC07)
	} else {
		if total > m.DurationMinutes {
			gap(bMC02)
		}
		for i := range agenda {
			if agenda[i].Minutes <= 0 {
				gap(bMC02)
				break
			}
		}
		if agenda[0].Kind != meeting.ItemIntroductions {
			gap(bMC03)
		}
		if agenda[n-1].Kind != meeting.ItemSummary {
			gap(bMC07)
		}
	}
	recap := func(i int) bool {
		it := &agenda[i]
		return it.Kind == meeting.ItemIntroductions || it.Kind == meeting.ItemSummary || it.Recap
	}
	for k := range ps {
		s := spans[k]
		if s.first > 0 && s.first <= s.last && !recap(s.first) {
			gap(bMC04)
			break
		}
		// Coming back after stepping out is joining late too.
		for i := s.first + 1; len(ps[k].AwayItems) > 0 && i <= s.last; i++ {
			if away(k, i-1) && !away(k, i) && !recap(i) {
				gap(bMC04)
			}
		}
	}
	if m.Format.Remote() && strings.TrimSpace(m.Platform) == "" {
		gap(bMC05)
	}
	if m.Format == meeting.FormatHybrid {
		remote := false
		clinic, gpOffice := 0, 0
		for k := range ps {
			switch ps[k].Location {
			case meeting.LocationHome, meeting.LocationOffice, meeting.LocationWorkplace:
				remote = true
			case meeting.LocationClinic:
				if !ps[k].PatientSide() {
					clinic++
				}
			case meeting.LocationGPOffice:
				if !ps[k].PatientSide() {
					gpOffice++
				}
			}
		}
		if remote && (clinic > 0 && clinic >= hMaxColocated || gpOffice > 0 && gpOffice >= hMaxColocated) {
			gap(bMC06)
		}
	}
	if collab && m.DurationMinutes < hMinMinutes || m.DurationMinutes > hMaxMinutes {
		gap(bMC08)
	}
	if prep == nil || !inTime(prep.AgendaSentAt) {
		gap(bMC09)
	} else {
		for k := range ps {
			if !listed(prep.SentTo, ps[k].ID) {
				gap(bMC09)
				break
			}
		}
	}
	for _, id := range [2]uuid.UUID{m.MinuteTakerID, m.PlanUpdaterID} {
		if id == uuid.Nil {
			gap(bMC10)
		} else if k := participant(id); k < 0 || n > 0 && !whole(k) {
			gap(bMC10)
		}
	}

	// CS: across sectors.
	var contacted []uuid.UUID
	if prep != nil {
		contacted = prep.PreMeetingContact
	}
	handover := pl != nil && pl.HasAction(plan.ActionHandover)
	gp, notesOwed := false, false
	var professions [6]bool
	nProfessions := 0
	for k := range ps {
		p := &ps[k]
		s := spans[k]
		if p.OutsideHealthcare() {
			// CS-01 and CS-08: the clinical and sensitive items it attends.
			clinical, sensitive := false, false
			for i := s.first; i <= s.last && (hasClinical || hasSensitive); i++ {
				if !away(k, i) {
					clinical = clinical || agenda[i].Kind == meeting.ItemClinicalSummary
					sensitive = sensitive || agenda[i].Sensitive
				}
			}
			if clinical && !cs.Allows(p.ID, consent.ScopeHearClinicalInformation, start).Allowed() {
				gap(bCS01)
			}
			if sensitive {
				gap(bCS08)
			}
			if strings.TrimSpace(p.Purpose) == "" {
				gap(bCS09)
			}
		}
		if p.Sector == meeting.SectorSocialSecurity {
			// CS-04 (2026.3): some discussion and some action plan item.
			discussion, actionPlan := false, false
			for i := s.first; i <= s.last; i++ {
				if attends(k, i) {
					discussion = discussion || agenda[i].Kind == meeting.ItemDiscussion
					actionPlan = actionPlan || agenda[i].Kind == meeting.ItemActionPlan
				}
			}
			if firstDiscussion >= 0 && !discussion || firstPlan >= 0 && !actionPlan {
				gap(bCS04)
			}
			if !p.PriorContact && !listed(contacted, p.ID) {
				gap(bCS05)
			}
			attended := 0
			for i := s.first; i <= s.last; i++ {
				if !away(k, i) {
					attended += agenda[i].Minutes
				}
			}
			if attended < hMinSectorMinutes {
				gap(bCS07)
			}
		}
		if p.ChangingSoon && !handover {
			if j := participant(p.SuccessorID); j < 0 || j == k {
				gap(bCS06)
			}
		}
		gp = gp || p.Role == meeting.RoleGP
		notesOwed = notesOwed || p.Healthcare() && p.Sector != meeting.SectorSpecialistHealth
		if p.Sector == meeting.SectorSpecialistHealth {
			j := -1
			switch p.Role {
			case meeting.RolePainPhysician:
				j = 0
			case meeting.RolePsychologist:
				j = 1
			case meeting.RolePhysiotherapist:
				j = 2
			case meeting.RolePsychomotorPhysiotherapist:
				j = 3
			case meeting.RoleNurse:
				j = 4
			case meeting.RoleSocialWorker:
				j = 5
			}
			if j >= 0 && !professions[j] {
				professions[j] = true
				nProfessions++
			}
		}
	}
	// CS-02 and CS-03: whoever received the notes or the plan may.
	recipientsOK := func(ids []uuid.UUID, scope consent.Scope, at time.Time) bool {
		for _, id := range ids {
			k := participant(id)
			if k < 0 || third(k) && (at.IsZero() || !cs.Allows(id, scope, at).Allowed()) {
				return false
			}
		}
		return true
	}
	if prep != nil && !recipientsOK(prep.ClinicalNotesSentTo, consent.ScopeReceiveClinicalNotes, prep.ClinicalNotesSentAt) {
		gap(bCS02)
	}
	if held && pl != nil && !recipientsOK(pl.Recipients, consent.ScopeReceivePlan, pl.DistributedAt) {
		gap(bCS03)
	}
	if collab && !gp {
		gap(bCS10)
	}
	if collab && nProfessions < hMinSpecialistRoles {
		gap(bCS11)
	}
	// CS-12: thorough only, to healthcare outside specialist health.
	switch {
	case !hThorough:
	case prep == nil:
		gap(bCS12)
	case notesOwed && !inTime(prep.ClinicalNotesSentAt):
		gap(bCS12)
	case notesOwed:
		for k := range ps {
			if ps[k].Healthcare() && ps[k].Sector != meeting.SectorSpecialistHealth && !listed(prep.ClinicalNotesSentTo, ps[k].ID) {
				gap(bCS12)
				break
			}
		}
	}

	// PW: the pathway.
	if pw := m.Pathway; pw != nil && !pw.AssessmentStartedAt.IsZero() {
		if collab && start.After(pw.AssessmentStartedAt.Add(hAssessmentToMeeting)) {
			gap(bPW01)
		}
		if !pw.ReferralReceivedAt.IsZero() && pw.AssessmentStartedAt.After(pw.ReferralReceivedAt.Add(hReferralToAssessment)) {
			gap(bPW02)
		}
	}
	if held && collab && !checkIn && (pl == nil || pl.FollowUp == nil || !within(pl.FollowUp.NextMeetingAt, hFollowUp)) {
		gap(bPW03)
	}
}

// engineGaps is the same answer from a report of the engine.
func engineGaps(t testing.TB, rep *recommend.Report) []bool {
	t.Helper()
	gaps := make([]bool, len(rep.Results))
	for i, r := range rep.Results {
		require.NotEqual(t, recommend.OutcomeError, r.Outcome, "%s: %s", r.ID, r.Error)
		gaps[i] = r.Outcome == recommend.OutcomeGap
	}
	return gaps
}

// gapNames names the recommendations flagged in gaps, for a failing test.
func gapNames(gaps []bool) []string {
	var ids []string
	for i, r := range catalogue.Builtin().Rules {
		if i < len(gaps) && gaps[i] {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// TestHandCheckAgrees holds handCheck to the engine, recommendation by
// recommendation (gap or not), on the typical case, the reference meeting
// and generated cases of every kind: so that the benchmarks compare the
// same work. handCheck checks as many recommendations as the catalogue has,
// in its order.
func TestHandCheckAgrees(t *testing.T) {
	require.Equal(t, "2026.3", catalogue.Version, "handCheck is written for catalogue 2026.3")
	rules := catalogue.Builtin().Rules
	require.Len(t, rules, hRecommendations, "handCheck has a flag for each recommendation of the catalogue")
	for b, id := range map[int]string{bPC01: "PC-01", bPC09: "PC-09", bAP01: "AP-01", bAP12: "AP-12",
		bMC01: "MC-01", bMC10: "MC-10", bCS01: "CS-01", bCS12: "CS-12", bPW01: "PW-01", bPW03: "PW-03"} {
		require.Equal(t, id, rules[b].ID, "the flags of handCheck follow the catalogue's order")
	}
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithoutTexts())
	require.NoError(t, err)
	var rep recommend.Report
	got := make([]bool, hRecommendations)
	same := func(name string, c *casedoc.Case) bool {
		t.Helper()
		require.NoError(t, e.CheckInto(&rep, c))
		handCheck(c, got)
		want := engineGaps(t, &rep)
		require.Equal(t, gapNames(want), gapNames(got), "%s: the gaps of the engine and of handCheck", name)
		return len(gapNames(got)) > 0
	}
	typical := casegen.Typical()
	require.False(t, same("typical", typical), "the typical case is compliant")
	same("reference", refcase.Case(t))
	g := casegen.New(17)
	anyGap := 0
	for i := range 3000 {
		c := g.Case()
		if i%3 == 0 {
			c = g.Typical()
		}
		if same("generated", c) {
			anyGap++
		}
	}
	require.Greater(t, anyGap, 100, "the generated cases have gaps")
}

// BenchmarkRules is the first budget: the rules on the typical case
// (casegen.Typical: 8 participants, 8 items, 6 actions, 3 consents) by the
// engine (CheckInto into a reused report, with texts and without, as
// collabmeet report checks) and by the hand-written loop.
func BenchmarkRules(b *testing.B) {
	c := casegen.Typical()
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		gaps := make([]bool, hRecommendations)
		for b.Loop() {
			handCheck(c, gaps)
		}
		if len(gapNames(gaps)) > 0 {
			b.Fatal("gaps in the typical case")
		}
	})
	for _, texts := range []bool{true, false} {
		name, opts := "engine", []recommend.Option(nil)
		if !texts {
			name, opts = "engine-without-texts", []recommend.Option{recommend.WithoutTexts()}
		}
		e, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, opts...)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			var rep recommend.Report
			b.ReportAllocs()
			for b.Loop() {
				_ = e.CheckInto(&rep, c)
			}
			if !rep.Compliant {
				b.Fatal("gaps in the typical case")
			}
		})
	}
}
