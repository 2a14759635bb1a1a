package fhir

import (
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
)

// Base is the namespace of what collabmeet defines for FHIR, by default
// (DefaultCanonical): the extensions (Base + "/StructureDefinition/NAME"),
// the code systems (Base + "/CodeSystem/NAME") and the participant
// identifier system (Base + "/sid/participant-id"). A Writer or Reader with
// a Canonical of its own puts all of them under that base instead. The
// .example domain is reserved (RFC 2606), so it can never clash with a real
// one.
const Base = "https://collabmeet.example/fhir"

// The ids of the code systems of the mapping: the CodeSystem of one is
// Conformance.CodeSystems', at the canonical base + "/CodeSystem/" + id.
const (
	csParticipantRole = "participant-role"
	csSector          = "sector"
	csMeetingKind     = "meeting-kind"
	csConsentScope    = "consent-scope"
	csActionKind      = "action-kind"
	participantIDPath = "/sid/participant-id" // the identifier system of participant IDs, under the base
)

// The code systems collabmeet defines, for what no standard code system
// says, at DefaultCanonical. Their codes are the values of the case
// document. A Writer or Reader with a Canonical of its own uses the same ids
// under its base (Conformance.CodeSystemURL).
const (
	SystemParticipantRole = Base + "/CodeSystem/" + csParticipantRole // meeting.Role
	SystemSector          = Base + "/CodeSystem/" + csSector          // meeting.Sector
	SystemMeetingKind     = Base + "/CodeSystem/" + csMeetingKind     // meeting.Kind
	SystemConsentScope    = Base + "/CodeSystem/" + csConsentScope    // consent.Scope
	SystemActionKind      = Base + "/CodeSystem/" + csActionKind      // plan.ActionKind
)

// SystemParticipantID is the identifier system of participant IDs at
// DefaultCanonical (a Writer or Reader with a Canonical of its own: that
// base + "/sid/participant-id"): a Reference with only an identifier of this
// system (value "urn:uuid:…") names a participant that is not in the Bundle,
// and a Patient that stands for a participant with another ID than the
// patient's carries one.
const SystemParticipantID = Base + participantIDPath

// systems are the code systems and the identifier system of the mapping
// under one canonical base.
type systems struct {
	role, sector, kind, scope, action, participantID string
}

// systemsAt returns the systems of the mapping under a canonical base.
func systemsAt(base string) systems {
	return systems{
		role:          codeSystemURL(base, csParticipantRole),
		sector:        codeSystemURL(base, csSector),
		kind:          codeSystemURL(base, csMeetingKind),
		scope:         codeSystemURL(base, csConsentScope),
		action:        codeSystemURL(base, csActionKind),
		participantID: base + participantIDPath,
	}
}

// The standard code systems used.
const (
	SystemParticipationType   = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
	SystemConsentScopeHL7     = "http://terminology.hl7.org/CodeSystem/consentscope"
	SystemConsentAction       = "http://terminology.hl7.org/CodeSystem/consentaction"
	SystemLOINC               = "http://loinc.org"
	SystemActCode             = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	SystemActReason           = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
	SystemAppointmentReason   = "http://terminology.hl7.org/CodeSystem/v2-0276"
	SystemContactRole         = "http://terminology.hl7.org/CodeSystem/v2-0131"
	participationStatusValues = "accepted, declined, tentative, needs-action"
)

// The extensions of the mapping, by name: the URL of one is
// Conformance{Canonical: base}.ExtensionURL(name), base +
// "/StructureDefinition/" + name, where base is the canonical base of the
// Writer or Reader (DefaultCanonical when it is ""). Sub-extensions of the
// complex ones (pathway, agenda-item, preparation, follow-up) have the plain
// names of the package documentation as their url. The table of what each
// one is (extensionDefs) is what Conformance's StructureDefinitions describe.
const (
	ExtMeetingFormat   = "meeting-format"           // Appointment: valueCode, meeting.Format
	ExtVideoService    = "video-service"            // Appointment: valueString, meeting.platform
	ExtMeetingLeader   = "meeting-leader"           // Appointment: valueReference
	ExtMinuteTaker     = "minute-taker"             // Appointment: valueReference
	ExtPlanUpdater     = "plan-updater"             // Appointment: valueReference
	ExtPathway         = "pathway"                  // Appointment: complex
	ExtAgendaItem      = "agenda-item"              // Appointment: complex, repeats in agenda order
	ExtPreparation     = "preparation"              // Appointment: complex
	ExtPurpose         = "participant-purpose"      // Appointment.participant: valueString
	ExtLocation        = "participant-location"     // Appointment.participant: valueCode
	ExtJoinsAtItem     = "joins-at-item"            // Appointment.participant: valueUuid
	ExtLeavesAfterItem = "leaves-after-item"        // Appointment.participant: valueUuid
	ExtAwayItem        = "away-item"                // Appointment.participant: valueUuid, repeats: an agenda item stepped out of
	ExtPriorContact    = "prior-contact"            // Appointment.participant: valueBoolean
	ExtChoseLocation   = "chose-location"           // Appointment.participant: valueBoolean
	ExtChangingSoon    = "changing-soon"            // Appointment.participant: valueBoolean
	ExtSuccessor       = "successor"                // Appointment.participant: valueReference
	ExtNoParticipants  = "no-participants"          // Appointment.participant: valueBoolean, the placeholder of a meeting without participants
	ExtOrganization    = "participant-organization" // CareTeam.participant: valueReference(Organization)
	ExtWithdrawnAt     = "withdrawn-at"             // Consent: valueDateTime
	ExtConsentMethod   = "consent-method"           // Consent: valueCode
	ExtRecordedBy      = "recorded-by"              // Consent: valueReference
	ExtInformedOnly    = "informed-only-sector"     // CarePlan: valueCode, repeats
	ExtFollowUp        = "follow-up"                // CarePlan: complex
	ExtPatientAgreedAt = "patient-agreed-at"        // CarePlan: valueDateTime
	ExtDistributedAt   = "distributed-at"           // CarePlan: valueDateTime
	ExtRecipient       = "plan-recipient"           // CarePlan: valueReference, repeats
)

// subEmpty is the sub-extension of a complex extension that is present but
// has no field set.
const subEmpty = "empty"

// resourceForRole is the resource that stands for a participant of a role:
// Patient for the patient, RelatedPerson for next of kin, and Practitioner
// for everyone taking part in a professional capacity.
func resourceForRole(r meeting.Role) string {
	switch r {
	case meeting.RolePatient:
		return "Patient"
	case meeting.RoleNextOfKin:
		return "RelatedPerson"
	}
	return "Practitioner"
}

// appointmentStatus maps the meeting status to Appointment.status.
var appointmentStatus = map[meeting.Status]string{
	meeting.StatusPlanned:   "booked",
	meeting.StatusHeld:      "fulfilled",
	meeting.StatusCancelled: "cancelled",
}

// carePlanStatus maps the plan status to CarePlan.status.
var carePlanStatus = map[plan.Status]string{
	plan.StatusDraft:  "draft",
	plan.StatusAgreed: "active",
}

// goalStatus maps the plan status to Goal.lifecycleStatus.
var goalStatus = map[plan.Status]string{
	plan.StatusDraft:  "proposed",
	plan.StatusAgreed: "accepted",
}

// taskStatus maps the plan status to Task.status.
var taskStatus = map[plan.Status]string{
	plan.StatusDraft:  "draft",
	plan.StatusAgreed: "ready",
}

// consentAction maps a consent scope to the nearest code of consentaction:
// being present and hearing is access (view only), receiving a document is
// disclose (transfer).
var consentAction = map[consent.Scope]Coding{
	consent.ScopeAttend:                  {System: SystemConsentAction, Code: "access", Display: "Access"},
	consent.ScopeHearClinicalInformation: {System: SystemConsentAction, Code: "access", Display: "Access"},
	consent.ScopeReceiveClinicalNotes:    {System: SystemConsentAction, Code: "disclose", Display: "Disclose"},
	consent.ScopeReceivePlan:             {System: SystemConsentAction, Code: "disclose", Display: "Disclose"},
}

// appointmentType maps the meeting kind to a code of v2-0276.
var appointmentType = map[meeting.Kind]Coding{
	meeting.KindCollaboration: {System: SystemAppointmentReason, Code: "ROUTINE", Display: "Routine appointment - default if not valued"},
	meeting.KindFollowUp:      {System: SystemAppointmentReason, Code: "FOLLOWUP", Display: "A follow up visit from a previous appointment"},
	meeting.KindTransfer:      {System: SystemAppointmentReason, Code: "ROUTINE", Display: "Routine appointment - default if not valued"},
}

var (
	codingParticipation  = Coding{System: SystemParticipationType, Code: "PART", Display: "Participation"}
	codingRecipient      = Coding{System: SystemParticipationType, Code: "IRCP", Display: "information recipient"}
	codingPrivacy        = Coding{System: SystemConsentScopeHL7, Code: "patient-privacy", Display: "Privacy Consent"}
	codingPatientConsent = Coding{System: SystemLOINC, Code: "59284-0", Display: "Patient Consent"}
	codingOptIn          = Coding{System: SystemActCode, Code: "OPTIN", Display: "opt-in"}
	codingCareManagement = Coding{System: SystemActReason, Code: "CAREMGT", Display: "care management"}
	codingNextOfKin      = Coding{System: SystemContactRole, Code: "N", Display: "Next-of-Kin"}
)

// codes returns the values of an enum as strings, for error messages.
func codes[E ~string](all []E) []string {
	out := make([]string, len(all))
	for i, e := range all {
		out[i] = string(e)
	}
	return out
}
