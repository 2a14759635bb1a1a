package meeting

// Kind is what a meeting is for.
type Kind string

// The meeting kinds.
const (
	KindCollaboration Kind = "collaboration" // the collaboration meeting across care levels
	KindFollowUp      Kind = "follow_up"     // a follow-up of an earlier meeting
	KindTransfer      Kind = "transfer"      // handing the patient over to another service
)

// Kinds lists every valid Kind, in documentation order.
var Kinds = []Kind{KindCollaboration, KindFollowUp, KindTransfer}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindCollaboration, KindFollowUp, KindTransfer:
		return true
	}
	return false
}

// Status is where a meeting is in its life.
type Status string

// The meeting statuses.
const (
	StatusPlanned   Status = "planned"
	StatusHeld      Status = "held"
	StatusCancelled Status = "cancelled"
)

// Statuses lists every valid Status.
var Statuses = []Status{StatusPlanned, StatusHeld, StatusCancelled}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusPlanned, StatusHeld, StatusCancelled:
		return true
	}
	return false
}

// Format is how people meet.
type Format string

// The meeting formats.
const (
	FormatDigital  Format = "digital"
	FormatInPerson Format = "in_person"
	FormatHybrid   Format = "hybrid"
)

// Formats lists every valid Format.
var Formats = []Format{FormatDigital, FormatInPerson, FormatHybrid}

// Valid reports whether f is one of Formats.
func (f Format) Valid() bool {
	switch f {
	case FormatDigital, FormatInPerson, FormatHybrid:
		return true
	}
	return false
}

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

// Sectors lists every valid Sector.
var Sectors = []Sector{
	SectorPatient, SectorSpecialistHealth, SectorPrimaryHealth, SectorSocialSecurity,
	SectorEmployer, SectorEducation, SectorOther,
}

// Valid reports whether s is one of Sectors.
func (s Sector) Valid() bool {
	switch s {
	case SectorPatient, SectorSpecialistHealth, SectorPrimaryHealth, SectorSocialSecurity,
		SectorEmployer, SectorEducation, SectorOther:
		return true
	}
	return false
}

// Healthcare reports whether s is specialist or primary health care.
func (s Sector) Healthcare() bool {
	return s == SectorSpecialistHealth || s == SectorPrimaryHealth
}

// OutsideHealthcare reports whether s is neither health care nor the patient side
// (social security, employer, education, other).
func (s Sector) OutsideHealthcare() bool {
	return s.Valid() && !s.Healthcare() && s != SectorPatient
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

// Roles lists every valid Role.
var Roles = []Role{
	RolePatient, RoleNextOfKin, RoleGP, RolePainPhysician, RolePsychologist, RolePhysiotherapist,
	RolePsychomotorPhysiotherapist, RoleNurse, RoleSocialWorker, RoleCoordinator, RoleMunicipalHealth,
	RoleSocialSecuritySupervisor, RoleEmployer, RoleSchool, RoleOther,
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	_, ok := r.sector()
	return ok
}

// sector returns the one sector a role belongs to, or "" for the roles that may
// be in any sector but the patient's; ok is false for an unknown role.
func (r Role) sector() (s Sector, ok bool) {
	switch r {
	case RolePatient, RoleNextOfKin:
		return SectorPatient, true
	case RoleGP, RoleMunicipalHealth:
		return SectorPrimaryHealth, true
	case RolePainPhysician, RolePsychologist, RolePhysiotherapist, RolePsychomotorPhysiotherapist, RoleNurse:
		return SectorSpecialistHealth, true
	case RoleSocialSecuritySupervisor:
		return SectorSocialSecurity, true
	case RoleEmployer:
		return SectorEmployer, true
	case RoleSchool:
		return SectorEducation, true
	case RoleOther, RoleCoordinator, RoleSocialWorker:
		return "", true
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

// Locations lists every valid Location.
var Locations = []Location{LocationHome, LocationClinic, LocationGPOffice, LocationOffice, LocationWorkplace}

// Valid reports whether l is one of Locations.
func (l Location) Valid() bool {
	switch l {
	case LocationHome, LocationClinic, LocationGPOffice, LocationOffice, LocationWorkplace:
		return true
	}
	return false
}

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

// ItemKinds lists every valid ItemKind, in the order a meeting usually follows.
var ItemKinds = []ItemKind{
	ItemIntroductions, ItemClinicalSummary, ItemPatientPerspective, ItemDiscussion,
	ItemActionPlan, ItemSummary, ItemOther,
}

// Valid reports whether k is one of ItemKinds.
func (k ItemKind) Valid() bool {
	switch k {
	case ItemIntroductions, ItemClinicalSummary, ItemPatientPerspective, ItemDiscussion,
		ItemActionPlan, ItemSummary, ItemOther:
		return true
	}
	return false
}
