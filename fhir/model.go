package fhir

import (
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// This file is the hand-written subset of FHIR R4 that the mapping uses. Each
// struct has the R4 element names as JSON names; elements outside the subset
// are ignored when decoding, as FHIR allows for content that is not a
// modifier. Times are kept as the FHIR strings (a dateTime may be partial) and
// parsed when mapping.

// Resource is one of the resources of the subset: *Appointment, *CareTeam,
// *Consent, *CarePlan, *Task, *Goal, *Patient, *Practitioner,
// *PractitionerRole, *RelatedPerson or *Organization; the header of a
// document or a message, *Composition or *MessageHeader; or an
// *OtherResource.
type Resource interface {
	// TypeName returns the FHIR resource type, such as "Appointment".
	TypeName() string
	// ResourceID returns the logical id of the resource ("" when absent).
	ResourceID() string
}

// Bundle is a FHIR R4 Bundle. FromCase writes one of type "collection".
type Bundle struct {
	ResourceType string  `json:"resourceType"`
	ID           string  `json:"id,omitempty"`
	Type         string  `json:"type"`
	Entry        []Entry `json:"entry,omitempty"`
}

// Entry is one Bundle.entry: a resource and the URL it is known by in the
// Bundle ("urn:uuid:…" for the resources FromCase writes).
type Entry struct {
	FullURL  string   `json:"fullUrl,omitempty"`
	Resource Resource `json:"resource,omitempty"`
}

// Coding is a code from a code system.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is a concept given by codings and text.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Identifier is a business identifier.
type Identifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// Reference points at another resource: by Reference (a fullUrl in the
// Bundle, or "Type/id"), or logically by Identifier.
type Reference struct {
	Reference  string      `json:"reference,omitempty"`
	Type       string      `json:"type,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

// Period is a time range; Start and End are FHIR dateTime strings.
type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// HumanName is a person's name; the mapping uses only Text.
type HumanName struct {
	Text string `json:"text,omitempty"`
}

// Extension is a FHIR extension: a simple one has one value[x], a complex one
// has sub-extensions. Only the value types the mapping uses are modelled.
type Extension struct {
	URL              string      `json:"url"`
	Extension        []Extension `json:"extension,omitempty"`
	ValueBoolean     *bool       `json:"valueBoolean,omitempty"`
	ValueCode        *string     `json:"valueCode,omitempty"`
	ValueDateTime    *string     `json:"valueDateTime,omitempty"`
	ValueString      *string     `json:"valueString,omitempty"`
	ValueUnsignedInt *int        `json:"valueUnsignedInt,omitempty"`
	ValueUUID        *string     `json:"valueUuid,omitempty"`
	ValueReference   *Reference  `json:"valueReference,omitempty"`
}

// Appointment is the meeting.
type Appointment struct {
	ResourceType      string                   `json:"resourceType"`
	ID                string                   `json:"id,omitempty"`
	Extension         []Extension              `json:"extension,omitempty"`
	ModifierExtension []Extension              `json:"modifierExtension,omitempty"`
	Status            string                   `json:"status,omitempty"`
	ServiceType       []CodeableConcept        `json:"serviceType,omitempty"`
	AppointmentType   *CodeableConcept         `json:"appointmentType,omitempty"`
	Start             string                   `json:"start,omitempty"`
	End               string                   `json:"end,omitempty"`
	MinutesDuration   *int                     `json:"minutesDuration,omitempty"`
	Participant       []AppointmentParticipant `json:"participant,omitempty"`
}

// AppointmentParticipant is one Appointment.participant.
type AppointmentParticipant struct {
	Extension         []Extension       `json:"extension,omitempty"`
	ModifierExtension []Extension       `json:"modifierExtension,omitempty"`
	Type              []CodeableConcept `json:"type,omitempty"`
	Actor             *Reference        `json:"actor,omitempty"`
	Status            string            `json:"status,omitempty"`
}

// CareTeam is the people of the meeting with their roles, sectors and organisations.
type CareTeam struct {
	ResourceType      string                `json:"resourceType"`
	ID                string                `json:"id,omitempty"`
	Extension         []Extension           `json:"extension,omitempty"`
	ModifierExtension []Extension           `json:"modifierExtension,omitempty"`
	Status            string                `json:"status,omitempty"`
	Subject           *Reference            `json:"subject,omitempty"`
	Participant       []CareTeamParticipant `json:"participant,omitempty"`
}

// CareTeamParticipant is one CareTeam.participant.
type CareTeamParticipant struct {
	Extension         []Extension       `json:"extension,omitempty"`
	ModifierExtension []Extension       `json:"modifierExtension,omitempty"`
	Role              []CodeableConcept `json:"role,omitempty"`
	Member            *Reference        `json:"member,omitempty"`
	OnBehalfOf        *Reference        `json:"onBehalfOf,omitempty"`
}

// Consent is one consent of the patient.
type Consent struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id,omitempty"`
	Extension         []Extension       `json:"extension,omitempty"`
	ModifierExtension []Extension       `json:"modifierExtension,omitempty"`
	Status            string            `json:"status,omitempty"`
	Scope             *CodeableConcept  `json:"scope,omitempty"`
	Category          []CodeableConcept `json:"category,omitempty"`
	Patient           *Reference        `json:"patient,omitempty"`
	DateTime          string            `json:"dateTime,omitempty"`
	PolicyRule        *CodeableConcept  `json:"policyRule,omitempty"`
	Provision         *ConsentProvision `json:"provision,omitempty"`
}

// ConsentProvision is Consent.provision; nested provisions are not mapped.
type ConsentProvision struct {
	ModifierExtension []Extension       `json:"modifierExtension,omitempty"`
	Type              string            `json:"type,omitempty"`
	Period            *Period           `json:"period,omitempty"`
	Actor             []ConsentActor    `json:"actor,omitempty"`
	Action            []CodeableConcept `json:"action,omitempty"`
	Purpose           []Coding          `json:"purpose,omitempty"`
	Provision         []jsontext.Value  `json:"provision,omitempty"`
}

// ConsentActor is one Consent.provision.actor: who the provision applies to.
type ConsentActor struct {
	Role      CodeableConcept `json:"role"`
	Reference Reference       `json:"reference"`
}

// CarePlan is the common action plan.
type CarePlan struct {
	ResourceType      string             `json:"resourceType"`
	ID                string             `json:"id,omitempty"`
	Contained         []Goal             `json:"contained,omitempty"`
	Extension         []Extension        `json:"extension,omitempty"`
	ModifierExtension []Extension        `json:"modifierExtension,omitempty"`
	Status            string             `json:"status,omitempty"`
	Intent            string             `json:"intent,omitempty"`
	Subject           *Reference         `json:"subject,omitempty"`
	CareTeam          []Reference        `json:"careTeam,omitempty"`
	SupportingInfo    []Reference        `json:"supportingInfo,omitempty"`
	Goal              []Reference        `json:"goal,omitempty"`
	Activity          []CarePlanActivity `json:"activity,omitempty"`
}

// CarePlanActivity is one CarePlan.activity; the mapping uses Reference (to a Task).
type CarePlanActivity struct {
	ModifierExtension []Extension    `json:"modifierExtension,omitempty"`
	Reference         *Reference     `json:"reference,omitempty"`
	Detail            jsontext.Value `json:"detail,omitempty"`
}

// Goal is one of the patient's goals, contained in the CarePlan.
type Goal struct {
	ResourceType      string          `json:"resourceType"`
	ID                string          `json:"id,omitempty"`
	ModifierExtension []Extension     `json:"modifierExtension,omitempty"`
	LifecycleStatus   string          `json:"lifecycleStatus,omitempty"`
	Description       CodeableConcept `json:"description"`
	Subject           *Reference      `json:"subject,omitempty"`
	ExpressedBy       *Reference      `json:"expressedBy,omitempty"`
}

// Task is one action of the plan.
type Task struct {
	ResourceType      string           `json:"resourceType"`
	ID                string           `json:"id,omitempty"`
	Extension         []Extension      `json:"extension,omitempty"`
	ModifierExtension []Extension      `json:"modifierExtension,omitempty"`
	BasedOn           []Reference      `json:"basedOn,omitempty"`
	Status            string           `json:"status,omitempty"`
	Intent            string           `json:"intent,omitempty"`
	Code              *CodeableConcept `json:"code,omitempty"`
	Description       string           `json:"description,omitempty"`
	For               *Reference       `json:"for,omitempty"`
	Owner             *Reference       `json:"owner,omitempty"`
	Restriction       *TaskRestriction `json:"restriction,omitempty"`
}

// TaskRestriction is Task.restriction; Period.End is when the task is due.
type TaskRestriction struct {
	Period *Period `json:"period,omitempty"`
}

// Patient is the patient (and the participant with role patient).
type Patient struct {
	ResourceType      string       `json:"resourceType"`
	ID                string       `json:"id,omitempty"`
	ModifierExtension []Extension  `json:"modifierExtension,omitempty"`
	Identifier        []Identifier `json:"identifier,omitempty"`
	Name              []HumanName  `json:"name,omitempty"`
}

// Practitioner is a participant taking part in a professional capacity.
type Practitioner struct {
	ResourceType      string       `json:"resourceType"`
	ID                string       `json:"id,omitempty"`
	ModifierExtension []Extension  `json:"modifierExtension,omitempty"`
	Identifier        []Identifier `json:"identifier,omitempty"`
	Name              []HumanName  `json:"name,omitempty"`
}

// PractitionerRole is a Practitioner in a role at an organisation, as many
// EHRs refer to the people taking part: the reader takes it for its
// practitioner (or, without one, for the participant itself) and for its
// organisation. FromCase writes none.
type PractitionerRole struct {
	ResourceType      string       `json:"resourceType"`
	ID                string       `json:"id,omitempty"`
	ModifierExtension []Extension  `json:"modifierExtension,omitempty"`
	Identifier        []Identifier `json:"identifier,omitempty"`
	Practitioner      *Reference   `json:"practitioner,omitempty"`
	Organization      *Reference   `json:"organization,omitempty"`
}

// RelatedPerson is a participant on the patient's side, such as next of kin.
type RelatedPerson struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id,omitempty"`
	ModifierExtension []Extension       `json:"modifierExtension,omitempty"`
	Identifier        []Identifier      `json:"identifier,omitempty"`
	Patient           *Reference        `json:"patient,omitempty"`
	Relationship      []CodeableConcept `json:"relationship,omitempty"`
	Name              []HumanName       `json:"name,omitempty"`
}

// Organization is the organisation a participant acts on behalf of.
type Organization struct {
	ResourceType      string       `json:"resourceType"`
	ID                string       `json:"id,omitempty"`
	ModifierExtension []Extension  `json:"modifierExtension,omitempty"`
	Identifier        []Identifier `json:"identifier,omitempty"`
	Name              string       `json:"name,omitempty"`
}

// Composition is the first entry of a Bundle of type document (FHIR rule
// bdl-11). The Reader reads only its subject, which must be the meeting's
// patient when it is given, and maps nothing of it to the case. JSON, when
// set (Unmarshal sets it), is the resource as it was read, which Marshal
// writes back unchanged instead of the fields.
type Composition struct {
	ResourceType      string      `json:"resourceType"`
	ID                string      `json:"id,omitempty"`
	ModifierExtension []Extension `json:"modifierExtension,omitempty"`
	Subject           *Reference  `json:"subject,omitempty"`
	// JSON is the resource as it was read ("" when built in Go).
	JSON jsontext.Value `json:"-"`
}

// MessageHeader is the first entry of a Bundle of type message (FHIR rule
// bdl-12). The Reader reads only its focus, which must refer to entries of
// the Bundle and, when the Bundle has more than one Appointment, names the
// one that is the meeting; it maps nothing of it to the case. JSON, when set
// (Unmarshal sets it), is the resource as it was read, which Marshal writes
// back unchanged instead of the fields.
type MessageHeader struct {
	ResourceType      string      `json:"resourceType"`
	ID                string      `json:"id,omitempty"`
	ModifierExtension []Extension `json:"modifierExtension,omitempty"`
	Focus             []Reference `json:"focus,omitempty"`
	// JSON is the resource as it was read ("" when built in Go).
	JSON jsontext.Value `json:"-"`
}

// TypeName returns "Composition".
func (*Composition) TypeName() string { return "Composition" }

// TypeName returns "MessageHeader".
func (*MessageHeader) TypeName() string { return "MessageHeader" }

// ResourceID returns the id.
func (r *Composition) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *MessageHeader) ResourceID() string { return r.ID }

// MarshalJSON returns the resource as it was read, or its fields when it was
// built in Go.
func (r *Composition) MarshalJSON() ([]byte, error) {
	if len(r.JSON) > 0 {
		return r.JSON, nil
	}
	type fields Composition
	f := fields(*r)
	f.ResourceType = "Composition"
	return json.Marshal(&f)
}

// MarshalJSON returns the resource as it was read, or its fields when it was
// built in Go.
func (r *MessageHeader) MarshalJSON() ([]byte, error) {
	if len(r.JSON) > 0 {
		return r.JSON, nil
	}
	type fields MessageHeader
	f := fields(*r)
	f.ResourceType = "MessageHeader"
	return json.Marshal(&f)
}

// TypeName returns "Appointment".
func (*Appointment) TypeName() string { return "Appointment" }

// TypeName returns "CareTeam".
func (*CareTeam) TypeName() string { return "CareTeam" }

// TypeName returns "Consent".
func (*Consent) TypeName() string { return "Consent" }

// TypeName returns "CarePlan".
func (*CarePlan) TypeName() string { return "CarePlan" }

// TypeName returns "Goal".
func (*Goal) TypeName() string { return "Goal" }

// TypeName returns "Task".
func (*Task) TypeName() string { return "Task" }

// TypeName returns "Patient".
func (*Patient) TypeName() string { return "Patient" }

// TypeName returns "Practitioner".
func (*Practitioner) TypeName() string { return "Practitioner" }

// TypeName returns "PractitionerRole".
func (*PractitionerRole) TypeName() string { return "PractitionerRole" }

// TypeName returns "RelatedPerson".
func (*RelatedPerson) TypeName() string { return "RelatedPerson" }

// TypeName returns "Organization".
func (*Organization) TypeName() string { return "Organization" }

// ResourceID returns the id.
func (r *Appointment) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *CareTeam) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *Consent) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *CarePlan) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *Goal) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *Task) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *Patient) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *Practitioner) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *PractitionerRole) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *RelatedPerson) ResourceID() string { return r.ID }

// ResourceID returns the id.
func (r *Organization) ResourceID() string { return r.ID }

// newResource returns an empty resource of the named type, or nil when the
// type is not in the subset.
func newResource(typeName string) Resource {
	switch typeName {
	case "Appointment":
		return &Appointment{}
	case "CareTeam":
		return &CareTeam{}
	case "Consent":
		return &Consent{}
	case "CarePlan":
		return &CarePlan{}
	case "Goal":
		return &Goal{}
	case "Task":
		return &Task{}
	case "Patient":
		return &Patient{}
	case "Practitioner":
		return &Practitioner{}
	case "PractitionerRole":
		return &PractitionerRole{}
	case "RelatedPerson":
		return &RelatedPerson{}
	case "Organization":
		return &Organization{}
	}
	return nil
}

// resourceTypes lists the types newResource knows, for error messages.
const resourceTypes = "Appointment, CareTeam, Consent, CarePlan, Goal, Task, Patient, Practitioner, PractitionerRole, RelatedPerson, Organization"

// OtherResource is a resource of a type outside the subset, such as an
// Observation or an Encounter, kept as it was read: the mapping does not use
// it, so a Reader skips it with a warning (or refuses it when Strict).
type OtherResource struct {
	// Type is the resourceType.
	Type string
	// ID is the logical id ("" when absent).
	ID string
	// JSON is the resource as it was read; Marshal writes it back unchanged.
	JSON jsontext.Value
}

// TypeName returns the resourceType.
func (r *OtherResource) TypeName() string { return r.Type }

// ResourceID returns the id.
func (r *OtherResource) ResourceID() string { return r.ID }

// MarshalJSON returns the resource as it was read.
func (r *OtherResource) MarshalJSON() ([]byte, error) {
	if len(r.JSON) == 0 {
		return json.Marshal(struct {
			ResourceType string `json:"resourceType"`
			ID           string `json:"id,omitempty"`
		}{r.Type, r.ID})
	}
	return r.JSON, nil
}
