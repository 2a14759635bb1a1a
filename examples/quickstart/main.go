// Command quickstart builds a collaboration meeting in Go, checks it against
// the recommendation catalogue and prints the report as text.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/google/uuid"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// id gives each thing of the example a fixed UUID, so the output is the same every run.
func id(name string) uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("collabmeet-example:"+name))
}

func run(w io.Writer) error {
	c := buildMeeting()
	if err := c.Validate(); err != nil { // what casedoc.Unmarshal does for JSON input
		return err
	}
	// The built-in catalogue under the default policy: compile once, check many.
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	if err != nil {
		return err
	}
	rep := engine.Check(c)
	return report.Text(w, report.Options{}, rep)
}

// buildMeeting plans a digital collaboration meeting: the patient at home,
// the pain clinic's physician and psychologist, and the GP. The planners
// forgot to let the patient lead the item on her own perspective, and
// nobody was named to take the minutes.
func buildMeeting() *casedoc.Case {
	oslo := time.FixedZone("CEST", 2*60*60)
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, oslo)
	patient, physician, psychologist, gp := id("patient"), id("physician"), id("psychologist"), id("gp")
	everyone := []uuid.UUID{patient, physician, psychologist, gp}

	m := meeting.Meeting{
		ID: id("meeting"), PatientID: id("patient-record"),
		Kind: meeting.KindCollaboration, Status: meeting.StatusPlanned, Format: meeting.FormatDigital,
		Platform: "Example Video", Start: start, DurationMinutes: 60,
		LeaderID: physician, PlanUpdaterID: physician,
		Participants: []meeting.Participant{
			{ID: patient, Name: "Example Patient", Role: meeting.RolePatient, Sector: meeting.SectorPatient, Location: meeting.LocationHome, ChoseLocation: true},
			{ID: physician, Role: meeting.RolePainPhysician, Sector: meeting.SectorSpecialistHealth, Location: meeting.LocationClinic},
			{ID: psychologist, Role: meeting.RolePsychologist, Sector: meeting.SectorSpecialistHealth, Location: meeting.LocationClinic},
			{ID: gp, Role: meeting.RoleGP, Sector: meeting.SectorPrimaryHealth, Location: meeting.LocationGPOffice},
		},
		Agenda: []meeting.AgendaItem{
			{ID: id("intro"), Kind: meeting.ItemIntroductions, Minutes: 5, LeadID: physician},
			{ID: id("summary-of-assessment"), Kind: meeting.ItemClinicalSummary, Minutes: 10, LeadID: physician},
			{ID: id("perspective"), Kind: meeting.ItemPatientPerspective, Minutes: 10, LeadID: physician}, // should be the patient
			{ID: id("discussion"), Kind: meeting.ItemDiscussion, Minutes: 15, LeadID: physician, PatientSpeaksFirst: true},
			{ID: id("plan"), Kind: meeting.ItemActionPlan, Minutes: 10, LeadID: physician, PatientSpeaksFirst: true},
			{ID: id("summary"), Kind: meeting.ItemSummary, Minutes: 5, LeadID: physician},
		},
		Preparation: &meeting.Preparation{
			AgendaSentAt: start.AddDate(0, 0, -7), ParticipantsSentAt: start.AddDate(0, 0, -7), SentTo: everyone,
			ClinicalNotesSentAt: start.AddDate(0, 0, -5), ClinicalNotesSentTo: everyone,
		},
	}
	p := &plan.Plan{
		ID: id("plan-record"), MeetingID: m.ID, Status: plan.StatusDraft,
		PatientGoals: []string{"Walk to the shop without a break"},
		Actions: []plan.Action{
			{ID: id("action-1"), Kind: plan.ActionTreatment, OwnerID: physician, Due: start.AddDate(0, 1, 0)},
			{ID: id("action-2"), Kind: plan.ActionWork, OwnerID: gp, Due: start.AddDate(0, 0, 14)},
		},
		FollowUp: &plan.FollowUp{
			Intensity: plan.IntensityRegular, NextContactAt: start.AddDate(0, 0, 21),
			NextMeetingAt: start.AddDate(0, 5, 0), ContactPersonID: gp, Initiator: plan.InitiatorService,
		},
	}
	return &casedoc.Case{Meeting: m, Consents: consent.Set{}, Plan: p}
}
