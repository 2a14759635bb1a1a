package fhir_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exampleCases reads every example case of the repository.
func exampleCases(t *testing.T) map[string]*casedoc.Case {
	t.Helper()
	files, err := filepath.Glob("../examples/cases/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files, "no example cases found")
	out := map[string]*casedoc.Case{}
	for _, f := range files {
		c, err := casedoc.ReadFile(f)
		require.NoError(t, err, f)
		out[filepath.Base(f)] = c
	}
	return out
}

// roundTrip converts c to Bundle JSON and back, and returns both.
func roundTrip(t *testing.T, c *casedoc.Case) ([]byte, *casedoc.Case) {
	t.Helper()
	data, err := fhir.MarshalCase(c)
	require.NoError(t, err)
	require.True(t, fhir.IsBundle(data))
	back, err := fhir.UnmarshalCase(data)
	require.NoError(t, err)
	return data, back
}

func TestRoundTripExamples(t *testing.T) {
	for name, c := range exampleCases(t) {
		t.Run(name, func(t *testing.T) {
			data, back := roundTrip(t, c)
			assert.Equal(t, c, back)
			again, err := fhir.MarshalCase(back)
			require.NoError(t, err)
			assert.Equal(t, string(data), string(again), "the same case gives the same Bundle")
		})
	}
}

var (
	oslo    = time.FixedZone("", 2*60*60)
	newYork = time.FixedZone("", -5*60*60)
)

func id(n int) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(n >> 8), byte(n)}) }

// everyField is a hand-written case with the corner cases of the mapping:
// references that name no participant where the case allows them, a second
// participant with role patient, times in several offsets. The hostile tests
// edit its Bundle by entry index. That every field of the domain types is
// carried is held by everyFieldByReflection, which a new field cannot escape.
func everyField() *casedoc.Case {
	patient, patientP, kin, doctor, gp, nav, employer, teacher, coord := id(1), id(2), id(3), id(4), id(5), id(6), id(7), id(8), id(9)
	intro, clinical, discussion, plan1 := id(20), id(21), id(22), id(23)
	return &casedoc.Case{
		Meeting: meeting.Meeting{
			ID: id(10), PatientID: patient, Kind: meeting.KindTransfer, Status: meeting.StatusHeld,
			Format: meeting.FormatHybrid, Platform: "Video «ÆØÅ» service",
			Start:           time.Date(2026, 5, 4, 9, 0, 0, 0, oslo),
			DurationMinutes: 75,
			LeaderID:        doctor, MinuteTakerID: id(99), PlanUpdaterID: gp,
			Pathway: &meeting.Pathway{
				ReferralReceivedAt:  time.Date(2026, 1, 4, 9, 0, 0, 0, time.UTC),
				AssessmentStartedAt: time.Date(2026, 3, 5, 9, 30, 15, 123456789, newYork),
			},
			Participants: []meeting.Participant{
				{ID: patientP, Name: "Kari Nordmann", Role: meeting.RolePatient, Sector: meeting.SectorPatient,
					Location: meeting.LocationHome, ChoseLocation: true, Purpose: "Her own meeting"},
				{ID: kin, Name: "Ola Nordmann", Role: meeting.RoleNextOfKin, Sector: meeting.SectorPatient,
					Organization: "Family association", Location: meeting.LocationHome},
				{ID: doctor, Name: "Dr. Lien", Role: meeting.RolePainPhysician, Sector: meeting.SectorSpecialistHealth,
					Organization: "Pain centre", Location: meeting.LocationClinic, PriorContact: true,
					ChangingSoon: true, SuccessorID: id(98)},
				{ID: gp, Role: meeting.RoleGP, Sector: meeting.SectorPrimaryHealth, Organization: "Gran legekontor",
					Location: meeting.LocationGPOffice, LeavesAfterItem: discussion},
				{ID: nav, Name: "S. Vik", Role: meeting.RoleSocialSecuritySupervisor, Sector: meeting.SectorSocialSecurity,
					Organization: "NAV Trondheim", Location: meeting.LocationOffice, JoinsAtItem: clinical,
					LeavesAfterItem: plan1, AwayItems: []uuid.UUID{clinical, discussion}, Purpose: "Work assessment allowance"},
				{ID: employer, Role: meeting.RoleEmployer, Sector: meeting.SectorEmployer, Location: meeting.LocationWorkplace,
					SuccessorID: coord},
				{ID: teacher, Role: meeting.RoleSchool, Sector: meeting.SectorEducation},
				{ID: coord, Role: meeting.RoleCoordinator, Sector: meeting.SectorPrimaryHealth, Organization: "Pain centre"},
				{ID: id(11), Role: meeting.RoleOther, Sector: meeting.SectorOther},
				{ID: id(12), Role: meeting.RoleSocialWorker, Sector: meeting.SectorSocialSecurity},
				{ID: id(13), Role: meeting.RoleNextOfKin, Sector: meeting.SectorPatient, Name: "A second next of kin"},
			},
			Agenda: []meeting.AgendaItem{
				{ID: intro, Kind: meeting.ItemIntroductions, Title: "Welcome", Minutes: 5, LeadID: doctor},
				{ID: clinical, Kind: meeting.ItemClinicalSummary, Minutes: 0, LeadID: patientP, Sensitive: true,
					ProfessionalsOnly: true},
				{ID: discussion, Kind: meeting.ItemDiscussion, Title: "Work", Minutes: 30, Recap: true, PatientSpeaksFirst: true},
				{ID: plan1, Kind: meeting.ItemActionPlan},
				{ID: id(24), Kind: meeting.ItemOther, Title: "Other"},
			},
			Preparation: &meeting.Preparation{
				AgendaSentAt:           time.Date(2026, 4, 27, 9, 0, 0, 0, oslo),
				ParticipantsSentAt:     time.Date(2026, 4, 27, 10, 0, 0, 0, oslo),
				SentTo:                 []uuid.UUID{patientP, kin, doctor},
				ClinicalNotesSentAt:    time.Date(2026, 4, 29, 9, 0, 0, 0, oslo),
				ClinicalNotesSentTo:    []uuid.UUID{gp, patientP},
				SuggestedActionsSentAt: time.Date(2026, 4, 30, 9, 0, 0, 0, time.UTC),
				PreMeetingContact:      []uuid.UUID{nav},
			},
		},
		Consents: consent.Set{
			{ID: id(30), PatientID: patient, GranteeID: kin, Scopes: []consent.Scope{consent.ScopeAttend, consent.ScopeReceivePlan},
				GivenAt: time.Date(2026, 4, 24, 9, 0, 0, 0, oslo), Method: consent.MethodVerbal, RecordedBy: doctor},
			{ID: id(31), GranteeID: nav, Scopes: []consent.Scope{consent.ScopeHearClinicalInformation, consent.ScopeReceiveClinicalNotes},
				GivenAt: time.Date(2026, 4, 24, 9, 0, 0, 0, oslo), ExpiresAt: time.Date(2026, 12, 31, 23, 59, 59, 0, oslo),
				WithdrawnAt: time.Date(2026, 5, 1, 12, 0, 0, 0, oslo), Method: consent.MethodWritten},
			{ID: id(32), PatientID: patient, GranteeID: employer, Scopes: []consent.Scope{consent.ScopeAttend},
				GivenAt: time.Date(2026, 4, 25, 9, 0, 0, 0, time.UTC), Method: consent.MethodDigital},
		},
		Plan: &plan.Plan{
			ID: id(40), MeetingID: id(10), Status: plan.StatusAgreed,
			PatientGoals: []string{"Study part time from the autumn", "Walk to the shop"},
			Actions: []plan.Action{
				{ID: id(41), Kind: plan.ActionTreatment, Description: "Graded activity", OwnerID: doctor,
					Due: time.Date(2026, 6, 3, 9, 0, 0, 0, oslo)},
				{ID: id(42), Kind: plan.ActionHandover, OwnerID: id(97)},
				{ID: id(43)},
				{ID: id(44), Kind: plan.ActionWork, Description: "Adapt the workplace", OwnerID: patientP},
			},
			InformedOnlySectors: []string{"education", "employer"},
			FollowUp: &plan.FollowUp{
				Intensity: plan.IntensityClose, NextContactAt: time.Date(2026, 6, 1, 9, 0, 0, 0, oslo),
				NextMeetingAt: time.Date(2026, 10, 1, 9, 0, 0, 0, oslo), ContactPersonID: id(96),
				Initiator: plan.InitiatorPatient,
			},
			PatientAgreedAt: time.Date(2026, 5, 4, 10, 10, 0, 0, oslo),
			DistributedAt:   time.Date(2026, 5, 5, 8, 0, 0, 0, oslo),
			Recipients:      []uuid.UUID{patientP, gp, nav},
		},
	}
}

// handBuilt is the table of hand-built cases: every field, and the corner
// cases of the mapping.
func handBuilt() map[string]*casedoc.Case {
	empty := everyField()
	empty.Meeting.Pathway = &meeting.Pathway{}
	empty.Meeting.Preparation = &meeting.Preparation{}
	empty.Plan.FollowUp = &plan.FollowUp{}

	minimal := &casedoc.Case{Meeting: meeting.Meeting{
		ID: id(1), PatientID: id(2), Kind: meeting.KindCollaboration, Status: meeting.StatusPlanned,
		Format: meeting.FormatInPerson, Start: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC), DurationMinutes: 1,
	}}

	patientIsParticipant := everyField()
	patientIsParticipant.Meeting.PatientID = patientIsParticipant.Meeting.Participants[0].ID
	patientIsParticipant.Consents[0].PatientID = patientIsParticipant.Meeting.PatientID
	patientIsParticipant.Consents[2].PatientID = patientIsParticipant.Meeting.PatientID
	patientIsParticipant.Meeting.Status = meeting.StatusCancelled
	patientIsParticipant.Plan.Status = plan.StatusDraft
	patientIsParticipant.Plan.MeetingID = uuid.Nil
	patientIsParticipant.Plan.Recipients = nil

	// (A participant who is not the patient cannot have the patient's ID:
	// such a case is invalid, see casedoc's validation of meeting.patient_id.)

	noPatientRole := everyField()
	noPatientRole.Meeting.Participants = noPatientRole.Meeting.Participants[1:10]
	noPatientRole.Meeting.Agenda[1].LeadID = uuid.Nil
	noPatientRole.Meeting.Preparation.SentTo = noPatientRole.Meeting.Preparation.SentTo[1:]
	noPatientRole.Meeting.Preparation.ClinicalNotesSentTo = noPatientRole.Meeting.Preparation.ClinicalNotesSentTo[:1]
	noPatientRole.Plan.Recipients = noPatientRole.Plan.Recipients[1:]
	noPatientRole.Plan.Actions[3].OwnerID = uuid.Nil

	emptyPlan := everyField()
	emptyPlan.Plan = &plan.Plan{ID: id(40), Status: plan.StatusDraft}
	emptyPlan.Consents = nil

	return map[string]*casedoc.Case{
		"every field": everyField(),
		"empty pathway, preparation and follow-up": empty,
		"minimal": minimal,
		"patient participant has the patient's id": patientIsParticipant,
		"no participant with role patient":         noPatientRole,
		"plan with status and id only":             emptyPlan,
	}
}

func TestRoundTripHandBuilt(t *testing.T) {
	for name, c := range handBuilt() {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, c.Validate())
			_, back := roundTrip(t, c)
			assert.Equal(t, c, back)
		})
	}
}

func TestRoundTripGenerated(t *testing.T) {
	n := 500
	if testing.Short() {
		n = 50
	}
	g := casegen.New(7)
	for i := range n {
		c := g.Case()
		_, back := roundTrip(t, c)
		// FHIR has no empty arrays: an empty list reads back as an absent one.
		nilEmptySlices(reflect.ValueOf(c))
		require.Equal(t, c, back, "generated case %d", i)
	}
}

// nilEmptySlices sets every empty slice reachable from v to nil.
func nilEmptySlices(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			nilEmptySlices(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				nilEmptySlices(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Len() == 0 && !v.IsNil() && v.CanSet() {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		for i := range v.Len() {
			nilEmptySlices(v.Index(i))
		}
	}
}

func TestFromCaseRejectsInvalidCase(t *testing.T) {
	c := everyField()
	c.Meeting.Participants[3].Sector = meeting.SectorSocialSecurity
	_, err := fhir.FromCase(c)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "meeting.participants[3].sector")

	_, err = fhir.FromCase(nil)
	assert.Error(t, err)
}

func TestFromCaseReportsSharedFullURL(t *testing.T) {
	c := everyField()
	c.Plan.ID = c.Meeting.ID // valid for the case, but two resources would share one fullUrl
	_, err := fhir.FromCase(c)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "plan.id: is also the id at meeting.id")
}

func TestBundleShape(t *testing.T) {
	b, err := fhir.FromCase(everyField())
	require.NoError(t, err)
	assert.Equal(t, "Bundle", b.ResourceType)
	assert.Equal(t, "collection", b.Type)
	count := map[string]int{}
	for _, e := range b.Entry {
		count[e.Resource.TypeName()]++
		assert.Equal(t, "urn:uuid:"+e.Resource.ResourceID(), e.FullURL)
	}
	assert.Equal(t, map[string]int{
		"Appointment": 1, "CareTeam": 1, "CarePlan": 1, "Consent": 3, "Task": 4,
		"Patient": 1, "RelatedPerson": 2, "Practitioner": 8, "Organization": 4,
	}, count)

	a := b.Entry[0].Resource.(*fhir.Appointment)
	assert.Equal(t, "fulfilled", a.Status)
	assert.Equal(t, "2026-05-04T09:00:00+02:00", a.Start)
	assert.Equal(t, "2026-05-04T10:15:00+02:00", a.End)
	assert.Equal(t, 75, *a.MinutesDuration)
}

func TestStatusMapping(t *testing.T) {
	tests := []struct {
		meeting meeting.Status
		plan    plan.Status
		appt    string
		cp      string
	}{
		{meeting.StatusPlanned, plan.StatusDraft, "booked", "draft"},
		{meeting.StatusHeld, plan.StatusAgreed, "fulfilled", "active"},
		{meeting.StatusCancelled, plan.StatusDraft, "cancelled", "draft"},
	}
	for _, tt := range tests {
		t.Run(string(tt.meeting), func(t *testing.T) {
			c := everyField()
			c.Meeting.Status, c.Plan.Status = tt.meeting, tt.plan
			b, err := fhir.FromCase(c)
			require.NoError(t, err)
			for _, e := range b.Entry {
				switch r := e.Resource.(type) {
				case *fhir.Appointment:
					assert.Equal(t, tt.appt, r.Status)
				case *fhir.CarePlan:
					assert.Equal(t, tt.cp, r.Status)
				case *fhir.Consent:
					want := "active"
					if r.ID == id(31).String() {
						want = "inactive" // withdrawn
					}
					assert.Equal(t, want, r.Status)
				}
			}
		})
	}
}

func TestIsBundle(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"bundle", `{"resourceType":"Bundle","type":"collection"}`, "Bundle"},
		{"bundle after other members", `{"type":"collection","entry":[{"resource":{"resourceType":"Patient"}}],"resourceType":"Bundle"}`, "Bundle"},
		{"another resource", `{"resourceType":"Patient"}`, "Patient"},
		{"case document", `{"meeting":{"id":"x"}}`, ""},
		{"resourceType not a string", `{"resourceType":1}`, ""},
		{"array", `[{"resourceType":"Bundle"}]`, ""},
		{"malformed", `{"resourceType"`, ""},
		{"empty", ``, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, fhir.ResourceTypeOf([]byte(tt.data)))
			assert.Equal(t, tt.want == "Bundle", fhir.IsBundle([]byte(tt.data)))
		})
	}
}

// writeBundles writes the Bundle of every example and hand-built case to dir
// and returns the file names.
func writeBundles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	write := func(name string, c *casedoc.Case) {
		data, err := fhir.MarshalCase(c)
		require.NoError(t, err, name)
		f := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".bundle.json")
		require.NoError(t, os.WriteFile(f, data, 0o644))
		files = append(files, f)
	}
	for name, c := range exampleCases(t) {
		write(strings.TrimSuffix(name, ".json"), c)
	}
	for name, c := range handBuilt() {
		write(name, c)
	}
	write("every-field-by-reflection", everyFieldByReflection(t))
	ehr, _, _ := ehrBundle(t, everyField())
	data, err := json.Marshal(ehr)
	require.NoError(t, err)
	f := filepath.Join(dir, "ehr.bundle.json")
	require.NoError(t, os.WriteFile(f, data, 0o644))
	files = append(files, f)
	g := casegen.New(11)
	for i := range 20 {
		write("generated-"+string(rune('a'+i)), g.Case())
	}
	return files
}

func reflectValue(v any) reflect.Value { return reflect.ValueOf(v) }
