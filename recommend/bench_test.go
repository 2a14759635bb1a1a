package recommend_test

import (
	stdjson "encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syntheticCase builds a compliant collaboration meeting in Go with the
// patient, one GP, one supervisor and n-3 specialists, an agenda of items
// (at least 6) and actions and consents as asked.
func syntheticCase(participants, items, actions int) *casedoc.Case {
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	id := func(kind string, i int) uuid.UUID {
		return uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "%s-%d", kind, i))
	}
	c := &casedoc.Case{Meeting: meeting.Meeting{
		ID: id("meeting", 0), PatientID: id("patient", 0), Kind: meeting.KindCollaboration, Status: meeting.StatusPlanned,
		Format: meeting.FormatDigital, Platform: "video", Start: start, DurationMinutes: 60,
	}}
	m := &c.Meeting
	roles := []meeting.Role{meeting.RolePainPhysician, meeting.RolePsychologist, meeting.RolePhysiotherapist, meeting.RoleNurse}
	m.Participants = append(m.Participants,
		meeting.Participant{ID: id("p", 0), Role: meeting.RolePatient, Sector: meeting.SectorPatient, Location: meeting.LocationHome, ChoseLocation: true},
		meeting.Participant{ID: id("p", 1), Role: meeting.RoleGP, Sector: meeting.SectorPrimaryHealth, Location: meeting.LocationGPOffice},
		meeting.Participant{ID: id("p", 2), Role: meeting.RoleSocialSecuritySupervisor, Sector: meeting.SectorSocialSecurity,
			Location: meeting.LocationOffice, PriorContact: true, Purpose: "benefits"})
	for k := 3; k < participants; k++ {
		m.Participants = append(m.Participants, meeting.Participant{ID: id("p", k), Role: roles[k%len(roles)],
			Sector: meeting.SectorSpecialistHealth, Location: meeting.LocationClinic})
	}
	lead := m.Participants[3].ID
	m.LeaderID, m.MinuteTakerID, m.PlanUpdaterID = lead, lead, lead
	kinds := []meeting.ItemKind{meeting.ItemIntroductions, meeting.ItemPatientPerspective, meeting.ItemDiscussion}
	for i := range items - 3 {
		m.Agenda = append(m.Agenda, meeting.AgendaItem{ID: id("item", i), Kind: kinds[min(i, 2)], Minutes: 10, LeadID: lead, PatientSpeaksFirst: true})
	}
	m.Agenda[1].LeadID = m.Participants[0].ID
	m.Agenda = append(m.Agenda,
		meeting.AgendaItem{ID: id("item", items-3), Kind: meeting.ItemDiscussion, Minutes: 10, LeadID: lead, PatientSpeaksFirst: true},
		meeting.AgendaItem{ID: id("item", items-2), Kind: meeting.ItemActionPlan, Minutes: 10, LeadID: lead, PatientSpeaksFirst: true},
		meeting.AgendaItem{ID: id("item", items-1), Kind: meeting.ItemSummary, Minutes: 5, LeadID: lead})
	m.DurationMinutes = min(max(m.AgendaMinutes(), 30), 90)
	if m.AgendaMinutes() > 90 {
		for i := range m.Agenda {
			m.Agenda[i].Minutes = 1
		}
		m.Agenda[1].Minutes, m.Agenda[len(m.Agenda)-2].Minutes, m.Agenda[len(m.Agenda)-3].Minutes = 10, 10, 15
	}
	all := make([]uuid.UUID, len(m.Participants))
	var healthcare []uuid.UUID
	for k := range m.Participants {
		all[k] = m.Participants[k].ID
		if m.Participants[k].Healthcare() || k == 0 {
			healthcare = append(healthcare, all[k])
		}
	}
	sent := start.Add(-7 * 24 * time.Hour)
	m.Preparation = &meeting.Preparation{AgendaSentAt: sent, ParticipantsSentAt: sent, SentTo: all,
		ClinicalNotesSentAt: sent, ClinicalNotesSentTo: healthcare}
	c.Consents = append(c.Consents, consent.Consent{ID: id("consent", 0), PatientID: m.PatientID, GranteeID: m.Participants[2].ID,
		Scopes: []consent.Scope{consent.ScopeAttend, consent.ScopeReceivePlan}, GivenAt: sent})
	c.Plan = &plan.Plan{ID: id("plan", 0), MeetingID: m.ID, Status: plan.StatusDraft, PatientGoals: []string{"goal"},
		FollowUp: &plan.FollowUp{Intensity: plan.IntensityRegular, NextContactAt: start.Add(30 * 24 * time.Hour),
			NextMeetingAt: start.Add(20 * 7 * 24 * time.Hour), ContactPersonID: m.Participants[1].ID, Initiator: plan.InitiatorService}}
	for i := range actions {
		c.Plan.Actions = append(c.Plan.Actions, plan.Action{ID: id("action", i), Kind: plan.ActionTreatment,
			OwnerID: m.Participants[1+i%(len(m.Participants)-1)].ID, Due: start.Add(time.Duration(10+i) * 24 * time.Hour)})
	}
	return c
}

// benchCases are the cases of BenchmarkCheck: small and large are built in
// Go, typical is the reference meeting (7 participants, 7 items, 3 actions, 2 consents).
func benchCases(tb testing.TB) []struct {
	name string
	c    *casedoc.Case
} {
	return []struct {
		name string
		c    *casedoc.Case
	}{
		{"small", syntheticCase(5, 6, 3)},
		{"typical", reference(tb)},
		{"large", syntheticCase(40, 40, 30)},
	}
}

func TestSyntheticCasesAreCompliant(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	for _, bc := range benchCases(t) {
		require.NoError(t, bc.c.Validate(), bc.name)
		rep := e.Check(bc.c)
		gaps := gapIDs(rep)
		if bc.name == "large" {
			assert.Equal(t, []string{"PC-06"}, gaps, "a large meeting outnumbers the patient")
			continue
		}
		assert.Empty(t, gaps, bc.name)
	}
}

// reportSink keeps the reports of the benchmarks alive, as a caller does:
// without it the compiler may put a report on the stack.
var reportSink *recommend.Report

// BenchmarkCheck is Check with the full catalogue on a small, the typical
// (the reference meeting) and a large case.
func BenchmarkCheck(b *testing.B) {
	e := mustEngine(b, recommend.Policy{})
	for _, bc := range benchCases(b) {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				reportSink = e.Check(bc.c)
			}
		})
	}
}

// BenchmarkDecodeTypical is the yardstick of the engine's cost: decoding the
// same reference case with encoding/json into the same types.
func BenchmarkDecodeTypical(b *testing.B) {
	data, err := os.ReadFile(refcase.Path)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		var c casedoc.Case
		if err := stdjson.Unmarshal(data, &c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckInto is Check reusing one report, as a stream does.
func BenchmarkCheckInto(b *testing.B) {
	e := mustEngine(b, recommend.Policy{})
	for _, bc := range benchCases(b) {
		b.Run(bc.name, func(b *testing.B) {
			var rep recommend.Report
			b.ReportAllocs()
			for b.Loop() {
				_ = e.CheckInto(&rep, bc.c)
			}
		})
	}
}

// TestCheckIntoReusesMemory checks that CheckInto gives what Check gives,
// case after case, and allocates nothing for a compliant case once its report
// has grown (a gap still allocates its messages).
func TestCheckIntoReusesMemory(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	gapCase := reference(t)
	gapCase.Plan = nil
	gapCase.Meeting.Agenda[refcase.ItemPerspective].Minutes = 1
	cases := []*casedoc.Case{reference(t), gapCase, syntheticCase(40, 40, 30), reference(t), gapCase}
	var rep recommend.Report
	for i, c := range cases {
		require.NoError(t, e.CheckInto(&rep, c))
		got, err := stdjson.Marshal(&rep)
		require.NoError(t, err)
		want, err := stdjson.Marshal(e.Check(c))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "case %d", i)
	}
	c := reference(t)
	require.NoError(t, e.CheckInto(&rep, c))
	if !raceEnabled {
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = e.CheckInto(&rep, c) }))
	}
}
