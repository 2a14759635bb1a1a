package meeting

import "slices"

// Kind is what a meeting is for.
type Kind string

// The meeting kinds.
const (
	KindCollaboration Kind = "collaboration" // the collaboration meeting across care levels
	KindFollowUp      Kind = "follow_up"     // a follow-up of an earlier meeting
	KindTransfer      Kind = "transfer"      // handing the patient over to another service
)

// Kinds returns every valid Kind, in documentation order. (a fresh slice).
func Kinds() []Kind { return slices.Clone(kindsTable[:]) }

// kindsTable is the one list of the Kind values: Kinds and Valid read it.
var kindsTable = [...]Kind{KindCollaboration, KindFollowUp, KindTransfer}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(kindsTable[:], k) }

// Status is where a meeting is in its life.
type Status string

// The meeting statuses.
const (
	StatusPlanned   Status = "planned"
	StatusHeld      Status = "held"
	StatusCancelled Status = "cancelled"
)

// Statuses returns every valid Status. (a fresh slice).
func Statuses() []Status { return slices.Clone(statusesTable[:]) }

// statusesTable is the one list of the Status values: Statuses and Valid read it.
var statusesTable = [...]Status{StatusPlanned, StatusHeld, StatusCancelled}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { return slices.Contains(statusesTable[:], s) }

// Format is how people meet.
type Format string

// The meeting formats.
const (
	FormatDigital  Format = "digital"
	FormatInPerson Format = "in_person"
	FormatHybrid   Format = "hybrid"
)

// Formats returns every valid Format. (a fresh slice).
func Formats() []Format { return slices.Clone(formatsTable[:]) }

// formatsTable is the one list of the Format values: Formats and Valid read it.
var formatsTable = [...]Format{FormatDigital, FormatInPerson, FormatHybrid}

// Valid reports whether f is one of Formats.
func (f Format) Valid() bool { return slices.Contains(formatsTable[:], f) }

// Remote reports whether the format uses a video service (digital or hybrid).
func (f Format) Remote() bool { return f == FormatDigital || f == FormatHybrid }

// Sector is the service a participant belongs to.
type Sector string

// The sectors.
const (
	SectorPatient          Sector = "patient"           // the patient and next of kin
	SectorSpecialistHealth Sector = "specialist_health" // e.g. the pain clinic
	SectorPrimaryHealth    Sector = "primary_health"    // GP and municipal health services
	SectorSocialSecurity   Sector = "social_security"   // e.g. NAV in Norway
	SectorEmployer         Sector = "employer"
	SectorEducation        Sector = "education"
	SectorOther            Sector = "other"
)

// Sectors returns every valid Sector. (a fresh slice).
func Sectors() []Sector { return slices.Clone(sectorsTable[:]) }

// sectorsTable is the one list of the Sector values: Sectors and Valid read it.
var sectorsTable = [...]Sector{
	SectorPatient, SectorSpecialistHealth, SectorPrimaryHealth, SectorSocialSecurity,
	SectorEmployer, SectorEducation, SectorOther,
}

// Valid reports whether s is one of Sectors.
func (s Sector) Valid() bool { return slices.Contains(sectorsTable[:], s) }

// Healthcare reports whether s is specialist or primary health care.
func (s Sector) Healthcare() bool {
	return s == SectorSpecialistHealth || s == SectorPrimaryHealth
}

// OutsideHealthcare reports whether s is neither health care nor the patient side:
// social security, employer, education or other.
func (s Sector) OutsideHealthcare() bool {
	switch s {
	case SectorSocialSecurity, SectorEmployer, SectorEducation, SectorOther:
		return true
	}
	return false
}

// Role is what a participant is in the meeting.
type Role string

// The roles.
const (
	RolePatient                    Role = "patient"
	RoleNextOfKin                  Role = "next_of_kin"
	RoleGP                         Role = "gp"
	RolePainPhysician              Role = "pain_physician"
	RolePsychologist               Role = "psychologist"
	RolePhysiotherapist            Role = "physiotherapist"
	RolePsychomotorPhysiotherapist Role = "psychomotor_physiotherapist"
	RoleNurse                      Role = "nurse"
	RoleSocialWorker               Role = "social_worker"
	RoleCoordinator                Role = "coordinator"
	RoleMunicipalHealth            Role = "municipal_health"
	RoleSocialSecuritySupervisor   Role = "social_security_supervisor"
	RoleEmployer                   Role = "employer"
	RoleSchool                     Role = "school"
	RoleOther                      Role = "other"
)

// Roles returns every valid Role (a fresh slice).
func Roles() []Role {
	out := make([]Role, len(rolesTable))
	for i, r := range rolesTable {
		out[i] = r.role
	}
	return out
}

// rolesTable is the one list of the roles, each with the one sector it
// belongs to, or "" for the roles that may be in any sector but the
// patient's: Roles, Valid and AllowsSector read it.
var rolesTable = [...]struct {
	role   Role
	sector Sector
}{
	{RolePatient, SectorPatient},
	{RoleNextOfKin, SectorPatient},
	{RoleGP, SectorPrimaryHealth},
	{RolePainPhysician, SectorSpecialistHealth},
	{RolePsychologist, SectorSpecialistHealth},
	{RolePhysiotherapist, SectorSpecialistHealth},
	{RolePsychomotorPhysiotherapist, SectorSpecialistHealth},
	{RoleNurse, SectorSpecialistHealth},
	{RoleSocialWorker, ""},
	{RoleCoordinator, ""},
	{RoleMunicipalHealth, SectorPrimaryHealth},
	{RoleSocialSecuritySupervisor, SectorSocialSecurity},
	{RoleEmployer, SectorEmployer},
	{RoleSchool, SectorEducation},
	{RoleOther, ""},
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	_, ok := r.sector()
	return ok
}

// sector returns the one sector a role belongs to, or "" for the roles that may
// be in any sector but the patient's; ok is false for an unknown role.
func (r Role) sector() (s Sector, ok bool) {
	for _, row := range rolesTable {
		if row.role == r {
			return row.sector, true
		}
	}
	return "", false
}

// AllowsSector reports whether a participant with role r may belong to sector s.
// Each role has one sector, except other, coordinator and social_worker, which
// may be in any sector but the patient's.
func (r Role) AllowsSector(s Sector) bool {
	want, ok := r.sector()
	if !ok || !s.Valid() {
		return false
	}
	if want == "" {
		return s != SectorPatient
	}
	return s == want
}

// Location is where a participant sits during the meeting.
type Location string

// The locations.
const (
	LocationHome      Location = "home"
	LocationClinic    Location = "clinic"
	LocationGPOffice  Location = "gp_office"
	LocationOffice    Location = "office"
	LocationWorkplace Location = "workplace"
)

// Locations returns every valid Location. (a fresh slice).
func Locations() []Location { return slices.Clone(locationsTable[:]) }

// locationsTable is the one list of the Location values: Locations and Valid read it.
var locationsTable = [...]Location{LocationHome, LocationClinic, LocationGPOffice, LocationOffice, LocationWorkplace}

// Valid reports whether l is one of Locations.
func (l Location) Valid() bool { return slices.Contains(locationsTable[:], l) }

// Shared reports whether several participants may sit together at l
// (a clinic or a GP office).
func (l Location) Shared() bool { return l == LocationClinic || l == LocationGPOffice }

// ItemKind is what an agenda item is for.
type ItemKind string

// The agenda item kinds.
const (
	ItemIntroductions      ItemKind = "introductions"
	ItemClinicalSummary    ItemKind = "clinical_summary"
	ItemPatientPerspective ItemKind = "patient_perspective"
	ItemDiscussion         ItemKind = "discussion"
	ItemActionPlan         ItemKind = "action_plan"
	ItemSummary            ItemKind = "summary"
	ItemOther              ItemKind = "other"
)

// ItemKinds returns every valid ItemKind, in the order a meeting usually follows. (a fresh slice).
func ItemKinds() []ItemKind { return slices.Clone(itemKindsTable[:]) }

// itemKindsTable is the one list of the ItemKind values: ItemKinds and Valid read it.
var itemKindsTable = [...]ItemKind{
	ItemIntroductions, ItemClinicalSummary, ItemPatientPerspective, ItemDiscussion,
	ItemActionPlan, ItemSummary, ItemOther,
}

// Valid reports whether k is one of ItemKinds.
func (k ItemKind) Valid() bool { return slices.Contains(itemKindsTable[:], k) }
