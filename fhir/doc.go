// Package fhir reads and writes the case of collabmeet as an HL7 FHIR R4
// Bundle, so that EHRs can send a meeting to be checked and take the plan and
// the consents back as FHIR resources.
//
//	b, err := fhir.FromCase(c)   // case → Bundle (type collection)
//	c, err := fhir.ToCase(b)     // Bundle → case, validated with casedoc's Validate
//	data, err := fhir.MarshalCase(c)
//	c, err := fhir.UnmarshalCase(data)
//
// The package is a small hand-written subset of R4 (model.go) with no FHIR
// library. FromCase followed by ToCase gives back a case equal to the one put
// in, field for field: what FHIR has no element for goes into extensions of
// one namespace, Base (https://collabmeet.example/fhir). The one difference
// is one the case gives no meaning to: FHIR has no empty arrays, so an empty
// list (consents: []) reads back as an absent one (nil).
//
// # Resources
//
// Every resource has the case's UUID as its id and urn:uuid:ID as its fullUrl.
//
//	case                        FHIR R4
//	meeting                     Appointment (id = meeting.id)
//	meeting.patient_id          Patient (id = patient_id); CareTeam.subject, CarePlan.subject, Task.for
//	participants[i]             Appointment.participant[i] (order kept) and CareTeam.participant[i];
//	                            the person is a Patient, RelatedPerson or Practitioner (see below)
//	consents[i]                 Consent (id = consent id), in Bundle order
//	plan                        CarePlan (id = plan.id)
//	plan.actions[i]             Task (id = action id), CarePlan.activity[i].reference
//	plan.patient_goals[i]       Goal contained in the CarePlan, CarePlan.goal[i] = "#goal-N"
//	participants[].organization Organization (id: UUID v5 of the name), CareTeam.participant.onBehalfOf
//
// The plan is a CarePlan with one Task per action, rather than activities
// with a detail: an action has its own ID, an owner and a due date, and those
// are exactly Task.id, Task.owner ("responsible individual") and
// Task.restriction.period.end ("when fulfilment is sought"); EHRs track Tasks
// one by one in work lists, which CarePlan.activity.detail (no identity, a
// performer rather than an owner) cannot do. The CarePlan keeps what belongs to
// the plan as a whole: status, goals, follow-up, recipients, and links to the
// Tasks. Goals are contained Goals: the case gives them no identity, and they
// exist only as part of the plan.
//
// A participant is one resource, whose type follows the role: the patient is a
// Patient, next of kin a RelatedPerson (relationship v2-0131 N), and everyone
// taking part in a professional capacity — health care, social security,
// employer, school, coordinator, other — a Practitioner, in R4's broad sense.
// The participant who is the patient (the one whose ID is patient_id, or else
// the first with role patient) shares the patient's Patient resource, which
// then carries the participant's ID as an identifier of system
// SystemParticipantID. A reference that names no participant of the case
// (allowed for leader_id, minute_taker_id, plan_updater_id, successor_id,
// owner_id and contact_person_id, which recommendations check) is written as a
// Reference with only that identifier.
//
// # Elements
//
//	meeting.id, kind             Appointment.id; serviceType with SystemMeetingKind (appointmentType v2-0276
//	                             ROUTINE or FOLLOWUP is written for others to read, and ignored)
//	meeting.status               Appointment.status: planned→booked, held→fulfilled, cancelled→cancelled
//	meeting.start, duration      Appointment.start; end = start + duration_minutes; minutesDuration
//	participant role             Appointment.participant.type: v3-ParticipationType PART, and SystemParticipantRole;
//	                             CareTeam.participant.role: SystemParticipantRole and SystemSector
//	participant sector           CareTeam.participant.role (SystemSector)
//	participant status           Appointment.participant.status is always accepted (v3 ParticipationStatus)
//	participant name             HumanName.text of the person
//	consent patient_id           Consent.patient (left out when the case leaves it out)
//	consent grantee_id           Consent.provision.actor (role v3-ParticipationType IRCP)
//	consent scopes               Consent.provision.action: consentaction and SystemConsentScope (see below)
//	consent given_at, expires_at Consent.provision.period start and end; given_at also Consent.dateTime
//	consent withdrawn_at         Consent.status inactive (active otherwise) and extension withdrawn-at
//	consent (fixed)              scope consentscope patient-privacy, category LOINC 59284-0,
//	                             policyRule v3-ActCode OPTIN (invariant ppc-1), provision.type permit,
//	                             provision.purpose v3-ActReason CAREMGT
//	plan status                  CarePlan.status draft→draft, agreed→active; Goal.lifecycleStatus
//	                             proposed/accepted and Task.status draft/ready follow it
//	plan meeting_id              CarePlan.supportingInfo → the Appointment
//	action kind, description     Task.code (SystemActionKind), Task.description
//	action owner_id, due         Task.owner, Task.restriction.period.end
//
// # Extensions
//
// Every extension URL is Base + "/StructureDefinition/" + name. Complex
// extensions have sub-extensions with the plain names given. A complex one
// that is present with no field set (an empty pathway, say) has the one
// sub-extension "empty" = true, so that it reads back as present.
//
//	Appointment          meeting-format (valueCode: digital, in_person, hybrid), video-service (valueString),
//	                     meeting-leader, minute-taker, plan-updater (valueReference),
//	                     pathway (referral-received-at, assessment-started-at: valueDateTime),
//	                     agenda-item, repeated in agenda order (id: valueUuid, kind: valueCode,
//	                     title: valueString, minutes: valueUnsignedInt, lead: valueReference,
//	                     professionals-only, recap, sensitive, patient-speaks-first: valueBoolean),
//	                     preparation (agenda-sent-at, participants-sent-at, clinical-notes-sent-at,
//	                     suggested-actions-sent-at: valueDateTime; sent-to, clinical-notes-sent-to,
//	                     pre-meeting-contact: valueReference, repeated)
//	Appointment.participant  participant-purpose (valueString), participant-location (valueCode),
//	                     joins-at-item, leaves-after-item (valueUuid of the agenda item),
//	                     prior-contact, chose-location, changing-soon (valueBoolean), successor (valueReference),
//	                     no-participants (valueBoolean: FHIR needs one participant, so a meeting
//	                     without any has one placeholder without actor, status needs-action, marked so)
//	CareTeam.participant participant-organization (valueReference): the organisation of a member who is
//	                     no Practitioner, for whom R4 forbids onBehalfOf (invariant ctm-1)
//	Consent              withdrawn-at (valueDateTime), consent-method (valueCode: verbal, written,
//	                     digital), recorded-by (valueReference)
//	CarePlan             informed-only-sector (valueCode, repeated), follow-up (intensity, initiator:
//	                     valueCode; next-contact-at, next-meeting-at: valueDateTime; contact-person:
//	                     valueReference), patient-agreed-at, distributed-at (valueDateTime),
//	                     plan-recipient (valueReference, repeated)
//
// # Codes
//
// Standard code systems are used where one says what the case means; where
// none does, a code system of Base whose codes are the case's own values.
//
//	collabmeet value         standard coding written alongside         collabmeet system
//	role (15 values)         Appointment.participant.type: v3-ParticipationType PART      SystemParticipantRole
//	sector (7 values)        —                                                         SystemSector
//	meeting kind             appointmentType v2-0276: follow_up→FOLLOWUP, else ROUTINE  SystemMeetingKind
//	consent scope            consentaction: attend→access, hear_clinical_information→access,
//	                         receive_clinical_notes→disclose, receive_plan→disclose    SystemConsentScope
//	action kind              —                                                         SystemActionKind
//
// Roles and the resource and sector they map to (the sector is the case's own;
// coordinator, social_worker and other may be in any sector but patient):
//
//	role                         resource       sector
//	patient                      Patient        patient
//	next_of_kin                  RelatedPerson  patient
//	gp, municipal_health         Practitioner   primary_health
//	pain_physician, psychologist,
//	physiotherapist,
//	psychomotor_physiotherapist,
//	nurse                        Practitioner   specialist_health
//	social_security_supervisor   Practitioner   social_security
//	employer                     Practitioner   employer
//	school                       Practitioner   education
//	coordinator, social_worker,
//	other                        Practitioner   any but patient
//
// # Reading a Bundle
//
// ToCase is as strict as the case decoder, and names the FHIR element of each
// problem (Bundle.entry[3].resource.participant[1].actor.reference: refers to
// no entry); messages never quote free text. A Bundle needs exactly one
// Appointment and one CareTeam (whose subject is the patient), at most one
// CarePlan, and every Task must be an activity of the CarePlan. References are
// resolved by fullUrl or by "Type/id". A resource type outside the subset, a
// modifierExtension, an unknown code of a collabmeet system, an unknown
// collabmeet extension and a status with no meaning in the case are errors;
// elements outside the subset and extensions of other namespaces are ignored,
// as FHIR allows for content that is not a modifier. The codings of standard
// systems that FromCase writes alongside the collabmeet ones are not read. The
// case is then validated with casedoc's Validate, whose problems name case
// paths (meeting.participants[3].sector).
package fhir
