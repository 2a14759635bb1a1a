package fhir

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
)

// careTeamSpace and organizationSpace are the name spaces of the version 5
// UUIDs FromCase derives for the resources the case has no ID for: the
// CareTeam (from the meeting ID) and each Organization (from its name).
var (
	careTeamSpace     = uuid.MustParse("6c0e1b8e-4d0f-5a7e-9d3c-2f1a8b7c6d5e")
	organizationSpace = uuid.MustParse("9a4f2c1d-7b3e-5c6a-8e1f-0d2b3a4c5e6f")
)

// ErrUnwritable is wrapped by the error of FromCase for a valid case that
// FHIR cannot carry as it is: see checkWritable's list in the package
// documentation (# Writing a Bundle).
var ErrUnwritable = errors.New("case cannot be written as FHIR R4")

// FromCase converts a case to a FHIR R4 Bundle of type collection. The case is
// validated first (casedoc's Validate): an invalid case is an error, a
// *validation.Error naming case paths. The same case always gives the same
// Bundle. FromCase is Writer{}.Bundle: its extensions are at
// DefaultCanonical.
func FromCase(c *casedoc.Case) (*Bundle, error) { return Writer{}.Bundle(c) }

// Writer converts cases to FHIR R4. The zero value writes the extensions of
// the mapping at DefaultCanonical, as FromCase, MarshalCase and AppointmentOf
// do.
type Writer struct {
	// Canonical is the canonical base of the extensions, code systems and
	// participant identifier system written: the URL of an extension is
	// Conformance{Canonical: Canonical}.ExtensionURL(name), of a code system
	// CodeSystemURL(id), of the identifier system Canonical +
	// "/sid/participant-id". "" means
	// DefaultCanonical; otherwise an absolute http or https URL without user,
	// query or fragment (ErrCanonical), whose trailing slash is dropped. A
	// Reader with the same Canonical reads the Bundles back.
	Canonical string
}

// Bundle converts a case to a FHIR R4 Bundle of type collection, as FromCase
// does, with the extensions at the Writer's Canonical.
func (wr Writer) Bundle(c *casedoc.Case) (*Bundle, error) {
	if c == nil {
		return nil, errors.New("fhir: nil case")
	}
	base, err := CanonicalBase(wr.Canonical)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if l := checkWritable(c); len(l.Problems) > 0 {
		return nil, &validation.Error{Problems: l.Problems, Err: ErrUnwritable}
	}
	w := newWriter(c, base)
	w.appointment()
	w.people()
	w.careTeam()
	for i := range c.Consents {
		w.consent(&c.Consents[i])
	}
	if c.Plan != nil {
		w.plan(c.Plan)
	}
	if err := w.problems.Err(); err != nil {
		return nil, err
	}
	return &Bundle{ResourceType: "Bundle", Type: "collection", Entry: w.entries}, nil
}

// writer builds the Bundle of one case.
type writer struct {
	c        *casedoc.Case
	base     string  // the canonical base of the extensions
	sys      systems // the code systems and identifier system under base
	m        *meeting.Meeting
	entries  []Entry
	urls     map[string]string // fullUrl → case path of what has it, to catch clashes
	problems validation.List

	// person is the fullUrl of the resource that stands for each participant.
	person map[uuid.UUID]string
	// patientParticipant is the index of the participant merged into the
	// patient's Patient resource, or -1.
	patientParticipant int
	patientURL         string
	careTeamURL        string
	orgURL             map[string]string // organisation name → fullUrl
}

func newWriter(c *casedoc.Case, base string) *writer {
	m := &c.Meeting
	w := &writer{
		c: c, m: m, base: base, sys: systemsAt(base),
		urls:               map[string]string{},
		person:             make(map[uuid.UUID]string, len(m.Participants)),
		patientParticipant: -1,
		orgURL:             map[string]string{},
	}
	w.patientURL = urnUUID(m.PatientID)
	// The participant who is the patient shares the patient's Patient
	// resource: the one whose ID is the patient's, or else the first with
	// role patient.
	for i := range m.Participants {
		if m.Participants[i].ID == m.PatientID {
			w.patientParticipant = i
		}
	}
	if w.patientParticipant < 0 {
		for i := range m.Participants {
			if m.Participants[i].Role == meeting.RolePatient {
				w.patientParticipant = i
				break
			}
		}
	}
	for i := range m.Participants {
		p := &m.Participants[i]
		if i == w.patientParticipant {
			w.person[p.ID] = w.patientURL
		} else {
			w.person[p.ID] = urnUUID(p.ID)
		}
	}
	return w
}

// extURL returns the URL of the extension of the mapping named name.
func (w *writer) extURL(name string) string { return extensionURL(w.base, name) }

// add appends a resource under the fullUrl urn:uuid:ID; path is the case
// path of the ID, to report two resources that would share one fullUrl.
func (w *writer) add(r Resource, path string) {
	url := "urn:uuid:" + r.ResourceID()
	if first, ok := w.urls[url]; ok {
		w.problems.Addf(path, "is also the id at %s: two FHIR resources would share one fullUrl", first)
		return
	}
	w.urls[url] = path
	w.entries = append(w.entries, Entry{FullURL: url, Resource: r})
}

func urnUUID(id uuid.UUID) string { return "urn:uuid:" + id.String() }

// participantRef refers to a participant: to its resource when it is in the
// case, otherwise logically by its ID (a reference that a recommendation
// checks may name no participant).
func (w *writer) participantRef(id uuid.UUID) *Reference {
	if url, ok := w.person[id]; ok {
		return &Reference{Reference: url}
	}
	return &Reference{Identifier: &Identifier{System: w.sys.participantID, Value: urnUUID(id)}}
}

func (w *writer) patientRef() *Reference { return &Reference{Reference: w.patientURL} }

func (w *writer) appointment() {
	m := w.m
	a := &Appointment{
		ResourceType:    "Appointment",
		ID:              m.ID.String(),
		Status:          appointmentStatus[m.Status],
		ServiceType:     []CodeableConcept{{Coding: []Coding{{System: w.sys.kind, Code: string(m.Kind)}}}},
		Start:           formatTime(m.Start),
		End:             formatTime(m.End()),
		MinutesDuration: &m.DurationMinutes,
	}
	if t, ok := appointmentType[m.Kind]; ok {
		a.AppointmentType = &CodeableConcept{Coding: []Coding{t}}
	}
	var ext extensions
	ext.code(w.extURL(ExtMeetingFormat), string(m.Format))
	ext.str(w.extURL(ExtVideoService), m.Platform)
	ext.ref(w.extURL(ExtMeetingLeader), w.optionalRef(m.LeaderID))
	ext.ref(w.extURL(ExtMinuteTaker), w.optionalRef(m.MinuteTakerID))
	ext.ref(w.extURL(ExtPlanUpdater), w.optionalRef(m.PlanUpdaterID))
	if p := m.Pathway; p != nil {
		var sub extensions
		sub.time("referral-received-at", p.ReferralReceivedAt)
		sub.time("assessment-started-at", p.AssessmentStartedAt)
		ext.complex(w.extURL(ExtPathway), sub)
	}
	for i := range m.Agenda {
		it := &m.Agenda[i]
		var sub extensions
		sub.uuid("id", it.ID)
		sub.code("kind", string(it.Kind))
		sub.str("title", it.Title)
		if it.Minutes != 0 {
			sub.add(Extension{URL: "minutes", ValueUnsignedInt: ptr(it.Minutes)})
		}
		sub.ref("lead", w.optionalRef(it.LeadID))
		sub.flag("professionals-only", it.ProfessionalsOnly)
		sub.flag("recap", it.Recap)
		sub.flag("sensitive", it.Sensitive)
		sub.flag("patient-speaks-first", it.PatientSpeaksFirst)
		ext.add(Extension{URL: w.extURL(ExtAgendaItem), Extension: sub})
	}
	if p := m.Preparation; p != nil {
		var sub extensions
		sub.time("agenda-sent-at", p.AgendaSentAt)
		sub.time("participants-sent-at", p.ParticipantsSentAt)
		for _, id := range p.SentTo {
			sub.ref("sent-to", w.participantRef(id))
		}
		sub.time("clinical-notes-sent-at", p.ClinicalNotesSentAt)
		for _, id := range p.ClinicalNotesSentTo {
			sub.ref("clinical-notes-sent-to", w.participantRef(id))
		}
		sub.time("suggested-actions-sent-at", p.SuggestedActionsSentAt)
		for _, id := range p.PreMeetingContact {
			sub.ref("pre-meeting-contact", w.participantRef(id))
		}
		ext.complex(w.extURL(ExtPreparation), sub)
	}
	a.Extension = ext

	for i := range m.Participants {
		p := &m.Participants[i]
		ap := AppointmentParticipant{
			Type: []CodeableConcept{
				{Coding: []Coding{codingParticipation}},
				{Coding: []Coding{{System: w.sys.role, Code: string(p.Role)}}},
			},
			Actor:  w.participantRef(p.ID),
			Status: "accepted",
		}
		var pe extensions
		pe.str(w.extURL(ExtPurpose), p.Purpose)
		pe.code(w.extURL(ExtLocation), string(p.Location))
		pe.uuid(w.extURL(ExtJoinsAtItem), p.JoinsAtItem)
		pe.uuid(w.extURL(ExtLeavesAfterItem), p.LeavesAfterItem)
		for _, id := range p.AwayItems {
			pe.uuid(w.extURL(ExtAwayItem), id)
		}
		pe.flag(w.extURL(ExtPriorContact), p.PriorContact)
		pe.flag(w.extURL(ExtChoseLocation), p.ChoseLocation)
		pe.flag(w.extURL(ExtChangingSoon), p.ChangingSoon)
		pe.ref(w.extURL(ExtSuccessor), w.optionalRef(p.SuccessorID))
		ap.Extension = pe
		a.Participant = append(a.Participant, ap)
	}
	if len(m.Participants) == 0 {
		// FHIR needs at least one Appointment.participant: a meeting with no
		// participants yet gets one placeholder with no actor, marked so.
		a.Participant = []AppointmentParticipant{{
			Extension: []Extension{{URL: w.extURL(ExtNoParticipants), ValueBoolean: ptr(true)}},
			Type:      []CodeableConcept{{Coding: []Coding{codingParticipation}}},
			Status:    "needs-action",
		}}
	}
	w.add(a, "meeting.id")
}

// optionalRef is participantRef for an ID that may be unset (nil then).
func (w *writer) optionalRef(id uuid.UUID) *Reference {
	if id == uuid.Nil {
		return nil
	}
	return w.participantRef(id)
}

// people adds the Patient, a resource per participant and the organisations.
func (w *writer) people() {
	m := w.m
	patient := &Patient{ResourceType: "Patient", ID: m.PatientID.String()}
	if i := w.patientParticipant; i >= 0 {
		p := &m.Participants[i]
		if p.ID != m.PatientID {
			patient.Identifier = []Identifier{{System: w.sys.participantID, Value: urnUUID(p.ID)}}
		}
		patient.Name = humanName(p.Name)
	}
	w.add(patient, "meeting.patient_id")
	for i := range m.Participants {
		p := &m.Participants[i]
		if i == w.patientParticipant {
			continue
		}
		id, name, path := p.ID.String(), humanName(p.Name), fmt.Sprintf("meeting.participants[%d].id", i)
		switch resourceForRole(p.Role) {
		case "Patient":
			w.add(&Patient{ResourceType: "Patient", ID: id, Name: name}, path)
		case "RelatedPerson":
			w.add(&RelatedPerson{
				ResourceType: "RelatedPerson", ID: id, Patient: w.patientRef(),
				Relationship: []CodeableConcept{{Coding: []Coding{codingNextOfKin}}},
				Name:         name,
			}, path)
		default:
			w.add(&Practitioner{ResourceType: "Practitioner", ID: id, Name: name}, path)
		}
	}
	for i := range m.Participants {
		p := &m.Participants[i]
		if p.Organization == "" {
			continue
		}
		if _, ok := w.orgURL[p.Organization]; ok {
			continue
		}
		id := uuid.NewSHA1(organizationSpace, []byte(p.Organization)).String()
		w.orgURL[p.Organization] = "urn:uuid:" + id
		w.add(&Organization{ResourceType: "Organization", ID: id, Name: p.Organization},
			fmt.Sprintf("meeting.participants[%d].organization", i))
	}
}

func humanName(text string) []HumanName {
	if text == "" {
		return nil
	}
	return []HumanName{{Text: text}}
}

func (w *writer) careTeam() {
	m := w.m
	ct := &CareTeam{
		ResourceType: "CareTeam",
		ID:           uuid.NewSHA1(careTeamSpace, m.ID[:]).String(),
		Status:       "active",
		Subject:      w.patientRef(),
	}
	w.careTeamURL = "urn:uuid:" + ct.ID
	for i := range m.Participants {
		p := &m.Participants[i]
		cp := CareTeamParticipant{
			Role: []CodeableConcept{
				{Coding: []Coding{{System: w.sys.role, Code: string(p.Role)}}},
				{Coding: []Coding{{System: w.sys.sector, Code: string(p.Sector)}}},
			},
			Member: w.participantRef(p.ID),
		}
		if p.Organization != "" {
			org := &Reference{Reference: w.orgURL[p.Organization]}
			// CareTeam.participant.onBehalfOf is for Practitioners only (ctm-1).
			if resourceForRole(p.Role) == "Practitioner" && i != w.patientParticipant {
				cp.OnBehalfOf = org
			} else {
				cp.Extension = []Extension{{URL: w.extURL(ExtOrganization), ValueReference: org}}
			}
		}
		ct.Participant = append(ct.Participant, cp)
	}
	w.add(ct, "meeting.id")
}

func (w *writer) consent(c *consent.Consent) {
	fc := &Consent{
		ResourceType: "Consent",
		ID:           c.ID.String(),
		Status:       "active",
		Scope:        &CodeableConcept{Coding: []Coding{codingPrivacy}},
		Category:     []CodeableConcept{{Coding: []Coding{codingPatientConsent}}},
		DateTime:     formatTime(c.GivenAt),
		PolicyRule:   &CodeableConcept{Coding: []Coding{codingOptIn}},
		Provision: &ConsentProvision{
			Type:    "permit",
			Period:  &Period{Start: formatTime(c.GivenAt), End: formatTime(c.ExpiresAt)},
			Actor:   []ConsentActor{{Role: CodeableConcept{Coding: []Coding{codingRecipient}}, Reference: *w.participantRef(c.GranteeID)}},
			Purpose: []Coding{codingCareManagement},
		},
	}
	if c.PatientID != uuid.Nil {
		fc.Patient = &Reference{Reference: urnUUID(c.PatientID)}
	}
	if !c.WithdrawnAt.IsZero() {
		fc.Status = "inactive"
	}
	for _, s := range c.Scopes {
		fc.Provision.Action = append(fc.Provision.Action, CodeableConcept{Coding: []Coding{
			consentAction[s], {System: w.sys.scope, Code: string(s)},
		}})
	}
	var ext extensions
	ext.time(w.extURL(ExtWithdrawnAt), c.WithdrawnAt)
	ext.code(w.extURL(ExtConsentMethod), string(c.Method))
	ext.ref(w.extURL(ExtRecordedBy), w.optionalRef(c.RecordedBy))
	fc.Extension = ext
	w.add(fc, "consents.id")
}

func (w *writer) plan(p *plan.Plan) {
	cp := &CarePlan{
		ResourceType: "CarePlan",
		ID:           p.ID.String(),
		Status:       carePlanStatus[p.Status],
		Intent:       "plan",
		Subject:      w.patientRef(),
		CareTeam:     []Reference{{Reference: w.careTeamURL}},
	}
	if p.MeetingID != uuid.Nil {
		cp.SupportingInfo = []Reference{{Reference: urnUUID(p.MeetingID)}}
	}
	for i, g := range p.PatientGoals {
		id := "goal-" + strconv.Itoa(i+1)
		cp.Contained = append(cp.Contained, Goal{
			ResourceType:    "Goal",
			ID:              id,
			LifecycleStatus: goalStatus[p.Status],
			Description:     CodeableConcept{Text: g},
			Subject:         w.patientRef(),
			ExpressedBy:     w.patientRef(),
		})
		cp.Goal = append(cp.Goal, Reference{Reference: "#" + id})
	}
	var ext extensions
	for _, s := range p.InformedOnlySectors {
		ext.code(w.extURL(ExtInformedOnly), s)
	}
	if f := p.FollowUp; f != nil {
		var sub extensions
		sub.code("intensity", string(f.Intensity))
		sub.time("next-contact-at", f.NextContactAt)
		sub.time("next-meeting-at", f.NextMeetingAt)
		sub.ref("contact-person", w.optionalRef(f.ContactPersonID))
		sub.code("initiator", string(f.Initiator))
		ext.complex(w.extURL(ExtFollowUp), sub)
	}
	ext.time(w.extURL(ExtPatientAgreedAt), p.PatientAgreedAt)
	ext.time(w.extURL(ExtDistributedAt), p.DistributedAt)
	for _, id := range p.Recipients {
		ext.ref(w.extURL(ExtRecipient), w.participantRef(id))
	}
	cp.Extension = ext

	var tasks []*Task
	for i := range p.Actions {
		a := &p.Actions[i]
		t := &Task{
			ResourceType: "Task",
			ID:           a.ID.String(),
			BasedOn:      []Reference{{Reference: urnUUID(p.ID)}},
			Status:       taskStatus[p.Status],
			Intent:       "plan",
			Description:  a.Description,
			For:          w.patientRef(),
			Owner:        w.optionalRef(a.OwnerID),
		}
		if a.Kind != "" {
			t.Code = &CodeableConcept{Coding: []Coding{{System: w.sys.action, Code: string(a.Kind)}}}
		}
		if !a.Due.IsZero() {
			t.Restriction = &TaskRestriction{Period: &Period{End: formatTime(a.Due)}}
		}
		cp.Activity = append(cp.Activity, CarePlanActivity{Reference: &Reference{Reference: urnUUID(a.ID)}})
		tasks = append(tasks, t)
	}
	w.add(cp, "plan.id")
	for i, t := range tasks {
		w.add(t, fmt.Sprintf("plan.actions[%d].id", i))
	}
}

// formatTime writes t as a FHIR dateTime with its offset, "" for the zero
// time. FromCase has checked every time of the case with checkWritable.
func formatTime(t time.Time) string {
	s, _ := FormatDateTime(t)
	return s
}

func ptr[T any](v T) *T { return &v }

// extensions builds a list of extensions, leaving out unset values. Each
// method takes the url: w.extURL(name) for an extension, the plain name for a
// sub-extension of a complex one.
type extensions []Extension

func (e *extensions) add(x Extension) { *e = append(*e, x) }

func (e *extensions) str(name, v string) {
	if v != "" {
		e.add(Extension{URL: name, ValueString: &v})
	}
}

func (e *extensions) code(name, v string) {
	if v != "" {
		e.add(Extension{URL: name, ValueCode: &v})
	}
}

func (e *extensions) flag(name string, v bool) {
	if v {
		e.add(Extension{URL: name, ValueBoolean: &v})
	}
}

func (e *extensions) time(name string, t time.Time) {
	if !t.IsZero() {
		s := formatTime(t)
		e.add(Extension{URL: name, ValueDateTime: &s})
	}
}

func (e *extensions) uuid(name string, id uuid.UUID) {
	if id != uuid.Nil {
		s := urnUUID(id)
		e.add(Extension{URL: name, ValueUUID: &s})
	}
}

func (e *extensions) ref(name string, r *Reference) {
	if r != nil {
		e.add(Extension{URL: name, ValueReference: r})
	}
}

// complex adds a complex extension; one with no sub-extension set gets the
// sub-extension "empty" (true), so that an object present with no field set
// reads back as present.
func (e *extensions) complex(url string, sub extensions) {
	if len(sub) == 0 {
		sub.flag(subEmpty, true)
	}
	e.add(Extension{URL: url, Extension: sub})
}
