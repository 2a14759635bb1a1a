// Package fhir reads and writes the case of collabmeet as an HL7 FHIR R4
// Bundle, so that EHRs can send a meeting to be checked and take the plan and
// the consents back as FHIR resources.
//
//	b, err := fhir.FromCase(c)   // case → Bundle (type collection)
//	c, err := fhir.ToCase(b)     // Bundle → case, validated with casedoc's Validate
//	data, err := fhir.MarshalCase(c)
//	c, err := fhir.UnmarshalCase(data)
//	c, src, err := fhir.Reader{}.Read(data) // and where each part came from, and the warnings
//
//	// Extensions under a canonical base of the deployment's own:
//	data, err := fhir.Writer{Canonical: "https://fhir.example.no"}.Marshal(c)
//	c, src, err := fhir.Reader{Canonical: "https://fhir.example.no"}.Read(data)
//
// It also builds the OperationOutcome of a check (NewOperationOutcome), and
// the StructureDefinitions and CodeSystems that describe its extensions and
// codes (Conformance; the files in the folder conformance are generated from
// them by go generate).
//
// The package is a small hand-written subset of R4 (model.go) with no FHIR
// library. FromCase followed by ToCase gives back a case equal to the one put
// in, field for field: what FHIR has no element for goes into extensions of
// one namespace, the canonical base (DefaultCanonical,
// https://collabmeet.example/fhir, unless the Writer and Reader say
// otherwise). The one difference
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
//	                            the person is a Patient, RelatedPerson or Practitioner (see below);
//	                            read also from a PractitionerRole (see Reading a Bundle)
//	consents[i]                 Consent (id = consent id), in Bundle order
//	plan                        CarePlan (id = plan.id)
//	plan.actions[i]             Task (id = action id), CarePlan.activity[i].reference
//	plan.patient_goals[i]       Goal contained in the CarePlan, CarePlan.goal[i] = "#goal-N"
//	participants[].organization Organization (id: UUID v5 of the name), CareTeam.participant.onBehalfOf;
//	                            read also from PractitionerRole.organization of a member that is one
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
//	participant name             HumanName.text of the person (read: practitioner.display of a
//	                             PractitionerRole that stands for the participant)
//	participant (read only)      any reference to a Practitioner (Appointment.participant.actor,
//	                             CareTeam.participant.member, Consent.provision.actor, Task.owner, the
//	                             person extensions) may be to a PractitionerRole instead: the participant
//	                             is its practitioner, a Practitioner of the Bundle, or the
//	                             PractitionerRole itself when it has no practitioner reference; role and
//	                             sector are read where they are for a Practitioner
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
// Every extension URL is the canonical base + "/StructureDefinition/" + name
// (Conformance.ExtensionURL; the names are the Ext constants). The base is
// DefaultCanonical unless a Writer or Reader sets its Canonical: a hospital
// network that publishes the conformance resources under its own base
// (Conformance{Canonical: base}) writes and reads the extensions there,
// and the code systems (base + "/CodeSystem/" + id,
// Conformance.CodeSystemURL) and the participant identifier system (base +
// "/sid/participant-id") with them: nothing of a Bundle is then under
// DefaultCanonical. (IDNamespace, which names no element of a Bundle, does
// not depend on the base.) Complex extensions have sub-extensions with the
// plain names given. A complex one that is present with no field set (an
// empty pathway, say) has the one sub-extension "empty" = true, so that it
// reads back as present.
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
// none does, a code system of the canonical base (Base by default; the
// System constants are at Base) whose codes are the case's own values.
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
// A Reader (ToCase and UnmarshalCase use the zero one) reads Bundles as EHRs
// send them, and names the FHIR element of each problem
// (Bundle.entry[3].resource.participant[1].actor.reference: refers to no
// entry); messages never quote free text or identifiers. A Bundle needs
// exactly one Appointment and one CareTeam (whose subject is the patient), at
// most one CarePlan, and every Task must be an activity of the CarePlan.
//
// Bundle types. A Bundle of type collection, searchset, transaction, batch,
// document or message is read; its entries are read alike, whatever the type.
// A document starts with its Composition (FHIR rule bdl-11) and a message
// with its MessageHeader (bdl-12): a first entry that is anything else is an
// error at Bundle.entry[0].resource. The header is read, not skipped (no
// warning; a strict Reader reads it too), and nothing of it is mapped to the
// case:
//
//   - Composition.subject, when given, must be an entry of the Bundle (FHIR's
//     rules for documents include every resource the Composition refers to; a
//     subject given only by identifier is an error, for identifiers are not
//     read) and the patient of the CareTeam: a document about another patient
//     is an error at Bundle.entry[0].resource.subject.reference, as a CarePlan
//     of another patient is.
//   - Every MessageHeader.focus must be an entry of the Bundle (an error at
//     Bundle.entry[0].resource.focus[i].reference otherwise). A message may
//     hold more than one Appointment (a rescheduled meeting and the one it
//     replaces): then the one Appointment that focus names is the meeting, the
//     others are skipped with a warning (refused by a strict Reader), and
//     CarePlan.supportingInfo is read for the meeting's Appointment before any
//     other. A focus that names none of them, or two, is an error. With one
//     Appointment, focus may name anything of the Bundle.
//
// A Composition or MessageHeader anywhere else (in a collection, or not
// first) is a resource the mapping does not use. Unmarshal keeps the header
// as it was read, so that Marshal writes all of it back.
//
// Ids. Any FHIR id ([A-Za-z0-9-.]{1,64}) is accepted. A resource whose id is
// a UUID keeps it as its case UUID; one without an id takes the UUID of its
// urn:uuid fullUrl; any other gets the version 5 UUID (name space
// IDNamespace) of its fullUrl, or of "Type/id" when it has no fullUrl, so the
// same Bundle always gives the same case. The Source that Reader.Read returns
// keeps the original reference of each such UUID (Source.Reference:
// "Practitioner/abc") and the FHIR element of each case path
// (Source.Expression: "meeting.participants[3]" →
// "Bundle.entry[0].resource.participant[3]"), so that a report can point the
// EHR at its own records.
//
// References resolve as FHIR's rules for Bundles say: a reference equal to an
// entry's fullUrl is to that entry; a relative one ("Type/id", with or
// without "/_history/v") resolves against the base of the RESTful fullUrl of
// the entry that holds it, and otherwise, or failing that, to the entry whose
// resource has that type and id (two such entries are an error).
//
// PractitionerRole. Many EHRs (Norwegian ones among them) refer to the people
// taking part by PractitionerRole. Wherever a Practitioner is accepted as a
// participant, a PractitionerRole is too, and it is read as the participant
// it stands for: the Practitioner its practitioner refers to, which must be an
// entry of the Bundle (a reference to no entry, to a Patient, to a
// PractitionerRole — itself or another — is an error at
// Bundle.entry[i].resource.practitioner.reference, reported once), so that the
// Practitioner and every PractitionerRole of it are one participant with the
// Practitioner's ID; or, when the PractitionerRole has no practitioner
// reference (none, or one with only a display or an identifier, which is not
// read), the PractitionerRole itself, with the ID its entry gives (or its
// participant-id identifier) and the name of practitioner.display. Role and
// sector come from Appointment.participant.type and CareTeam.participant.role,
// as for a Practitioner (PractitionerRole.code and specialty are not read).
// The organisation of a CareTeam member that is a PractitionerRole is its
// organization when the CareTeam.participant gives none (R4 allows onBehalfOf
// for a Practitioner member only, ctm-1); when both are given they must be the
// same Organization entry. The Source keeps the reference of the first
// PractitionerRole a participant came in as (Source.Reference:
// "PractitionerRole/abc"), the EHR's own record, not that of the Practitioner.
// FromCase writes no PractitionerRole.
//
// Resources the mapping does not use (an Observation, an Encounter, …) are
// skipped, each with a warning in Source.Warnings that names its entry and
// type only; Reader{Strict: true} refuses them instead, as it refuses
// everything the lenient Reader skips. A modifierExtension,
// an unknown code of a collabmeet system, an unknown collabmeet extension and
// a status with no meaning in the case are errors; elements outside the
// subset and extensions of other namespaces are ignored, as FHIR allows for
// content that is not a modifier. Under DefaultCanonical every URL under
// Base is collabmeet's, so a misspelt name is an error; under a base of the
// deployment's own only the names of the mapping are (the deployment's
// own extensions there are ignored). An extension whose URL ends in
// "/StructureDefinition/" + the name of one of the mapping that the element
// may have, under another base than the Reader's (an EHR configured with
// another canonical base), is an error at its path rather than ignored:
// reading on without it would check another meeting than the one booked. The codings of standard systems that
// FromCase writes alongside the collabmeet ones are not read. The case is
// then validated with casedoc's Validate, whose problems name case paths
// (meeting.participants[3].sector).
//
// Times. Every time is parsed by the grammar of FHIR's dateTime
// (ParseDateTime), not by time.Parse: an offset of +24:00 or +02:60, an hour
// of one digit, a comma before the fraction are errors naming the element.
// The offset is kept as written (a fixed zone, never time.Local), so a Bundle
// with Europe/Oslo's offsets writes back the same offsets on any machine.
// minutesDuration, end − start and an agenda item's minutes are at most
// MaxMinutes (a day); a consent period whose end is before its start
// (invariant per-1) is an error.
//
// # Norwegian identifiers
//
// The identifiers of HL7 Norway's basis profiles — fødselsnummer
// (urn:oid:2.16.578.1.12.4.1.4.1), D-nummer (…4.1.4.2), felles hjelpenummer
// (…4.1.4.3), HPR-nummer (…4.1.4.4), DUF-nummer (…4.1.4.5),
// organisasjonsnummer (…4.1.4.101), RESH-id (…4.1.4.102) and HER-id
// (urn:oid:2.16.578.1.12.4.1.2), see NorwegianIdentifierSystems — are
// recognised and carried into nothing: the case identifies people by UUID
// and needs no identifier (data minimisation), so no identifier of a
// Patient, Practitioner, PractitionerRole, RelatedPerson or Organization
// (nor the identifier of a logical reference, such as an HPR-nummer in
// PractitionerRole.practitioner) is read but the collabmeet participant-id. No value of an identifier is printed, in errors
// and warnings included; a code that has five digits or more is described,
// not quoted. Because the Source keeps ids to show them in reports, an entry
// whose id or fullUrl is shaped like a fødselsnummer or D-nummer (11 digits
// with valid check digits) or holds the value of one of the resource's
// Norwegian identifiers is refused, naming the element only. A test puts a
// fødselsnummer-shaped value in every identifier of a Bundle and checks that
// it reaches neither the case, nor its JSON, nor any error or warning.
//
// # Writing a Bundle
//
// FromCase refuses (ErrUnwritable, naming the case path) a valid case that
// FHIR cannot carry as it is, rather than write an invalid resource: a time
// outside years 0001–9999 or with an offset beyond ±14:00 or not in whole
// minutes; a meeting whose end, start + duration_minutes, is after year 9999
// (start 9999-12-31T23:30:00Z and 60 minutes); duration_minutes or an item's
// minutes above MaxMinutes; a consent whose expires_at is before its given_at
// (per-1: a Period's end is not before its start); an empty patient goal (a
// Goal needs its description). Every other invariant of the resources written
// holds (app-3: a booked Appointment has start and end; ppc-1: a policyRule;
// ctm-1: onBehalfOf only for a Practitioner; cpl-3: an activity has a
// reference and no detail; ext-1: an extension has a value or
// sub-extensions), and the Bundles of the tests pass medplum's R4 validator.
//
// # Limits
//
// DefaultMaxBytes, the largest Bundle Unmarshal reads (96 MiB), is the case
// limit (casedoc.DefaultMaxBytes, 4 MiB) times MaxExpansion (24), the largest
// growth from case document to Bundle that TestExpansionPerPart measures for
// a part of a case (a next of kin: 23.3 times). A case within the case limit
// converts both ways; the exception is a case made mostly of very short
// patient goals (each becomes a contained Goal of some 500 bytes), whose
// Bundle MarshalCase refuses when it is over DefaultMaxBytes.
package fhir
