// Command policy-test shows collabmeet in a clinic's own CI. The clinic's
// scheduling code offers a template for collaboration meetings (Template);
// main_test.go uses recommend/recommendtest so that a change to the
// template that breaks a recommendation fails the build:
//
//	go test ./examples/policy-test
//
// Run it with `go run ./examples/policy-test` to print the template's report.
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
	"github.com/google/uuid"
)

// ClinicPolicy is how the clinic applies the catalogue: its meetings are an
// hour and a half at most, and it sends everything five days ahead.
var ClinicPolicy = recommend.Policy{
	Profile: recommend.ProfileStandard,
	Params:  map[string]any{"notice_days": 5, "max_minutes": 90},
}

// Invitees are who the planner invites besides the patient and the clinic team.
type Invitees struct {
	GP         uuid.UUID
	Supervisor uuid.UUID // a social security supervisor, or uuid.Nil
}

// Template plans the clinic's standard digital collaboration meeting. A
// supervisor joins after the clinical summary, at a recap item, with the
// patient's consent recorded beforehand.
func Template(meetingID, patientID uuid.UUID, start time.Time, inv Invitees) *casedoc.Case {
	id := func(what string) uuid.UUID { return uuid.NewSHA1(meetingID, []byte(what)) }
	patient, physician, psychologist := id("patient"), id("physician"), id("psychologist")
	sent := start.AddDate(0, 0, -7)

	m := meeting.Meeting{
		ID: meetingID, PatientID: patientID,
		Kind: meeting.KindCollaboration, Status: meeting.StatusPlanned, Format: meeting.FormatDigital,
		Platform: "Example Video", Start: start, DurationMinutes: 75,
		LeaderID: physician, MinuteTakerID: psychologist, PlanUpdaterID: physician,
		Participants: []meeting.Participant{
			{ID: patient, Role: meeting.RolePatient, Sector: meeting.SectorPatient, Location: meeting.LocationHome, ChoseLocation: true},
			{ID: physician, Role: meeting.RolePainPhysician, Sector: meeting.SectorSpecialistHealth, Location: meeting.LocationClinic},
			{ID: psychologist, Role: meeting.RolePsychologist, Sector: meeting.SectorSpecialistHealth, Location: meeting.LocationClinic},
			{ID: inv.GP, Role: meeting.RoleGP, Sector: meeting.SectorPrimaryHealth, Location: meeting.LocationGPOffice},
		},
		Agenda: []meeting.AgendaItem{
			{ID: id("intro"), Kind: meeting.ItemIntroductions, Minutes: 5, LeadID: physician},
			{ID: id("clinical"), Kind: meeting.ItemClinicalSummary, Minutes: 10, LeadID: physician},
			{ID: id("perspective"), Kind: meeting.ItemPatientPerspective, Minutes: 15, LeadID: patient},
			{ID: id("recap"), Kind: meeting.ItemOther, Minutes: 5, LeadID: physician, Recap: true},
			{ID: id("discussion"), Kind: meeting.ItemDiscussion, Minutes: 15, LeadID: physician, PatientSpeaksFirst: true},
			{ID: id("plan"), Kind: meeting.ItemActionPlan, Minutes: 15, LeadID: physician, PatientSpeaksFirst: true},
			{ID: id("summary"), Kind: meeting.ItemSummary, Minutes: 5, LeadID: physician},
		},
	}
	everyone := []uuid.UUID{patient, physician, psychologist, inv.GP}
	p := &plan.Plan{
		ID: id("plan-record"), MeetingID: meetingID, Status: plan.StatusDraft,
		PatientGoals: []string{"(filled in with the patient)"},
		Actions: []plan.Action{
			{ID: id("action-treatment"), Kind: plan.ActionTreatment, OwnerID: physician, Due: start.AddDate(0, 1, 0)},
			{ID: id("action-gp"), Kind: plan.ActionWork, OwnerID: inv.GP, Due: start.AddDate(0, 0, 14)},
		},
		FollowUp: &plan.FollowUp{
			Intensity: plan.IntensityRegular, NextContactAt: start.AddDate(0, 0, 21),
			NextMeetingAt: start.AddDate(0, 5, 0), ContactPersonID: inv.GP, Initiator: plan.InitiatorService,
		},
	}
	var consents consent.Set
	if inv.Supervisor != uuid.Nil {
		m.Participants = append(m.Participants, meeting.Participant{
			ID: inv.Supervisor, Role: meeting.RoleSocialSecuritySupervisor, Sector: meeting.SectorSocialSecurity,
			Location: meeting.LocationOffice, JoinsAtItem: id("recap"), PriorContact: true,
			Purpose: "(why the supervisor is invited)",
		})
		everyone = append(everyone, inv.Supervisor)
		p.Actions = append(p.Actions, plan.Action{ID: id("action-benefits"), Kind: plan.ActionBenefits, OwnerID: inv.Supervisor, Due: start.AddDate(0, 0, 21)})
		consents = append(consents, consent.Consent{
			ID: id("consent-supervisor"), PatientID: patientID, GranteeID: inv.Supervisor,
			Scopes:  []consent.Scope{consent.ScopeAttend, consent.ScopeReceivePlan},
			GivenAt: start.AddDate(0, 0, -14), Method: consent.MethodWritten, RecordedBy: physician,
		})
	}
	m.Preparation = &meeting.Preparation{
		AgendaSentAt: sent, ParticipantsSentAt: sent, SentTo: everyone,
		ClinicalNotesSentAt: sent, ClinicalNotesSentTo: everyone[:4], // the patient and healthcare
	}
	return &casedoc.Case{Meeting: m, Consents: consents, Plan: p}
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "policy-test:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	engine, err := recommend.New(catalogue.Builtin(), ClinicPolicy)
	if err != nil {
		return err
	}
	start := time.Date(2026, 9, 14, 10, 0, 0, 0, time.FixedZone("CEST", 2*60*60))
	c := Template(uuid.NewSHA1(uuid.NameSpaceURL, []byte("collabmeet-example:policy-test")), uuid.NewSHA1(uuid.NameSpaceURL, []byte("collabmeet-example:patient")),
		start, Invitees{GP: uuid.NewSHA1(uuid.NameSpaceURL, []byte("collabmeet-example:gp")), Supervisor: uuid.NewSHA1(uuid.NameSpaceURL, []byte("collabmeet-example:supervisor"))})
	rep := engine.Check(c)
	fmt.Fprintf(w, "template: compliant %v, %d gaps (run `go test ./examples/policy-test` for the checks)\n", rep.Compliant, rep.Summary.Outcomes.Gap)
	return nil
}
