package meeting_test

import (
	"testing"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
)

var (
	item0, item1, item2, item3 = uuid.New(), uuid.New(), uuid.New(), uuid.New()
	patientID, nurseID, navID  = uuid.New(), uuid.New(), uuid.New()
)

func agendaMeeting() *meeting.Meeting {
	return &meeting.Meeting{
		Agenda: []meeting.AgendaItem{
			{ID: item0, Kind: meeting.ItemIntroductions, Minutes: 5},
			{ID: item1, Kind: meeting.ItemClinicalSummary, Minutes: 10},
			{ID: item2, Kind: meeting.ItemDiscussion, Minutes: 15},
			{ID: item3, Kind: meeting.ItemSummary, Minutes: 5},
		},
		Participants: []meeting.Participant{
			{ID: patientID, Role: meeting.RolePatient, Sector: meeting.SectorPatient},
			{ID: nurseID, Role: meeting.RoleNurse, Sector: meeting.SectorSpecialistHealth, LeavesAfterItem: item1},
			{ID: navID, Role: meeting.RoleSocialSecuritySupervisor, Sector: meeting.SectorSocialSecurity, JoinsAtItem: item2},
		},
	}
}

func TestAttendance(t *testing.T) {
	m := agendaMeeting()
	tests := []struct {
		name        string
		participant uuid.UUID
		item        uuid.UUID
		want        bool
	}{
		{"whole meeting, first item", patientID, item0, true},
		{"whole meeting, last item", patientID, item3, true},
		{"leaves after item 1: attends it", nurseID, item1, true},
		{"leaves after item 1: not the next", nurseID, item2, false},
		{"joins at item 2: not before", navID, item1, false},
		{"joins at item 2: attends it", navID, item2, true},
		{"joins at item 2: to the end", navID, item3, true},
		{"unknown participant", uuid.New(), item0, false},
		{"unknown item", patientID, uuid.New(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, m.Attends(tt.participant, tt.item))
		})
	}
}

func TestAttendedMinutes(t *testing.T) {
	m := agendaMeeting()
	assert.Equal(t, 35, m.AttendedMinutes(patientID))
	assert.Equal(t, 15, m.AttendedMinutes(nurseID))
	assert.Equal(t, 20, m.AttendedMinutes(navID))
	assert.Equal(t, 0, m.AttendedMinutes(uuid.New()))
	assert.Equal(t, 35, m.AgendaMinutes())
}

// TestAwayItems: an item in away_items is inside the span but not
// attended, its minutes do not count, and the participant no longer
// attends the whole meeting.
func TestAwayItems(t *testing.T) {
	m := agendaMeeting()
	m.Participants[0].AwayItems = []uuid.UUID{item1}
	m.Participants[2].AwayItems = []uuid.UUID{item3}
	patient, nav := &m.Participants[0], &m.Participants[2]
	tests := []struct {
		name        string
		participant uuid.UUID
		item        uuid.UUID
		want        bool
	}{
		{"steps out of item 1", patientID, item1, false},
		{"back for item 2", patientID, item2, true},
		{"before stepping out", patientID, item0, true},
		{"steps out of the last item of the span", navID, item3, false},
		{"attends the rest of the span", navID, item2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, m.Attends(tt.participant, tt.item))
		})
	}
	assert.Equal(t, 25, m.AttendedMinutes(patientID))
	assert.Equal(t, 15, m.AttendedMinutes(navID))
	assert.False(t, m.AttendsAll(patient), "stepping out is not attending the whole meeting")
	assert.True(t, m.AwayIndex(nav, 3))
	assert.False(t, m.AwayIndex(nav, 4), "an index off the agenda")

	first, last := m.Span(patient)
	assert.Equal(t, []int{0, 3}, []int{first, last}, "the span is unchanged")

	patient.AwayItems = []uuid.UUID{uuid.New()}
	assert.True(t, m.AttendsAll(patient), "an ID off the agenda (invalid) steps out of nothing")
}

func TestSpan(t *testing.T) {
	m := agendaMeeting()
	first, last := m.Span(&m.Participants[2])
	assert.Equal(t, []int{2, 3}, []int{first, last})
	assert.True(t, m.AttendsAll(&m.Participants[0]))
	assert.False(t, m.AttendsAll(&m.Participants[1]))

	dangling := meeting.Participant{JoinsAtItem: uuid.New()}
	first, last = m.Span(&dangling)
	assert.Greater(t, first, last, "a dangling reference attends nothing")

	var empty meeting.Meeting
	assert.False(t, empty.AttendsAll(&meeting.Participant{}), "nobody attends all of an empty agenda")
}

func TestLookups(t *testing.T) {
	m := agendaMeeting()
	assert.Equal(t, patientID, m.Patient().ID)
	assert.Equal(t, navID, m.Participant(navID).ID)
	assert.Nil(t, m.Participant(uuid.Nil))
	assert.Equal(t, 2, m.ItemIndex(item2))
	assert.Equal(t, -1, m.ItemIndex(uuid.Nil))
	assert.Equal(t, 3, m.FirstItem(meeting.ItemSummary))
	assert.Equal(t, -1, m.FirstItem(meeting.ItemActionPlan))
	var zero meeting.Meeting
	assert.Nil(t, zero.Patient())
}

func TestRoleSectors(t *testing.T) {
	tests := []struct {
		role   meeting.Role
		sector meeting.Sector
		want   bool
	}{
		{meeting.RolePatient, meeting.SectorPatient, true},
		{meeting.RoleNextOfKin, meeting.SectorPatient, true},
		{meeting.RoleNextOfKin, meeting.SectorOther, false},
		{meeting.RoleGP, meeting.SectorPrimaryHealth, true},
		{meeting.RoleGP, meeting.SectorSocialSecurity, false},
		{meeting.RoleMunicipalHealth, meeting.SectorPrimaryHealth, true},
		{meeting.RolePainPhysician, meeting.SectorSpecialistHealth, true},
		{meeting.RolePsychomotorPhysiotherapist, meeting.SectorSpecialistHealth, true},
		{meeting.RoleSocialSecuritySupervisor, meeting.SectorSocialSecurity, true},
		{meeting.RoleEmployer, meeting.SectorEmployer, true},
		{meeting.RoleSchool, meeting.SectorEducation, true},
		{meeting.RoleSchool, meeting.SectorEmployer, false},
		{meeting.RoleCoordinator, meeting.SectorPrimaryHealth, true},
		{meeting.RoleSocialWorker, meeting.SectorSocialSecurity, true},
		{meeting.RoleOther, meeting.SectorEmployer, true},
		{meeting.RoleOther, meeting.SectorPatient, false},
		{meeting.Role("nav"), meeting.SectorSocialSecurity, false},
		{meeting.RoleGP, meeting.Sector("health"), false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.role.AllowsSector(tt.sector), "%s in %s", tt.role, tt.sector)
	}
	for _, r := range meeting.Roles() {
		allowed := 0
		for _, s := range meeting.Sectors() {
			if r.AllowsSector(s) {
				allowed++
			}
		}
		assert.GreaterOrEqual(t, allowed, 1, "role %s has a sector", r)
	}
}

func TestEnumsValid(t *testing.T) {
	for _, v := range meeting.Kinds() {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range meeting.Statuses() {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range meeting.Formats() {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range meeting.Roles() {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range meeting.Sectors() {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range meeting.Locations() {
		assert.True(t, v.Valid(), v)
	}
	for _, v := range meeting.ItemKinds() {
		assert.True(t, v.Valid(), v)
	}
	assert.False(t, meeting.Kind("Collaboration").Valid())
	assert.False(t, meeting.Role("").Valid())
	assert.False(t, meeting.ItemKind("break").Valid())
}

func TestSides(t *testing.T) {
	patient := meeting.Participant{Role: meeting.RolePatient, Sector: meeting.SectorPatient}
	kin := meeting.Participant{Role: meeting.RoleNextOfKin, Sector: meeting.SectorPatient}
	gp := meeting.Participant{Role: meeting.RoleGP, Sector: meeting.SectorPrimaryHealth}
	nav := meeting.Participant{Role: meeting.RoleSocialSecuritySupervisor, Sector: meeting.SectorSocialSecurity}
	second := meeting.Participant{Role: meeting.RolePatient, Sector: meeting.SectorPatient}
	m := meeting.Meeting{Participants: []meeting.Participant{patient, kin, gp, nav, second}}
	third := []bool{false, true, false, true, true}
	for k, want := range third {
		assert.Equal(t, want, m.ThirdParty(k), "participant %d (%s)", k, m.Participants[k].Role)
	}
	assert.Equal(t, 0, m.PatientIndex())
	assert.False(t, kin.OutsideHealthcare())
	assert.True(t, kin.PatientSide())
	assert.True(t, gp.Healthcare())
	assert.True(t, nav.OutsideHealthcare())
}

func TestSpanOf(t *testing.T) {
	tests := []struct {
		name                string
		n, joins, leaves    int
		wantFirst, wantLast int
	}{
		{"whole meeting", 5, meeting.Unset, meeting.Unset, 0, 4},
		{"joins late", 5, 2, meeting.Unset, 2, 4},
		{"leaves early", 5, meeting.Unset, 1, 0, 1},
		{"missing join", 5, meeting.Missing, 3, 0, -1},
		{"missing leave", 5, 1, meeting.Missing, 0, -1},
		{"leaves before joining", 5, 3, 1, 3, 1},
		{"empty agenda", 0, meeting.Unset, meeting.Unset, 0, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, last := meeting.SpanOf(tt.n, tt.joins, tt.leaves)
			assert.Equal(t, [2]int{tt.wantFirst, tt.wantLast}, [2]int{first, last})
		})
	}
}

// TestListsAreCopies: the exported lists are fresh copies, so a caller that
// changes one changes neither validation nor the next caller's list.
func TestListsAreCopies(t *testing.T) {
	roles := meeting.Roles()
	roles[0] = "nav"
	assert.True(t, meeting.RolePatient.Valid())
	assert.False(t, meeting.Role("nav").Valid())
	assert.Equal(t, meeting.RolePatient, meeting.Roles()[0])
	assert.True(t, meeting.RoleGP.AllowsSector(meeting.SectorPrimaryHealth))
	assert.False(t, meeting.RoleGP.AllowsSector(meeting.SectorSocialSecurity))
	assert.True(t, meeting.RoleOther.AllowsSector(meeting.SectorSocialSecurity))
	assert.False(t, meeting.RoleOther.AllowsSector(meeting.SectorPatient))
}
