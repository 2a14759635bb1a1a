// Package meeting models a digital collaboration meeting across healthcare
// levels and services: who takes part, in which role and sector, the
// patient-centred agenda, and how the meeting was prepared.
//
// The types marshal to the case document of collabmeet (see casedoc). Free-text
// fields (Name, Purpose, Title) may hold personal data: keep them out of logs.
package meeting

import (
	"time"

	"github.com/google/uuid"
)

// Meeting is one planned or held collaboration meeting.
type Meeting struct {
	ID uuid.UUID `json:"id" validate:"required"`
	// PatientID is the patient's identifier in the EHR (a UUID, never a
	// fødselsnummer): the same patient across meetings, consents and plans.
	// Only the participant who is the patient may share it (in FHIR they
	// are one Patient resource); it is no other participant's ID, nor the
	// meeting's; every consent's patient_id must equal it
	// (docs/case-format.md).
	PatientID       uuid.UUID     `json:"patient_id" validate:"required"`
	Kind            Kind          `json:"kind" validate:"required"`
	Status          Status        `json:"status" validate:"required"`
	Format          Format        `json:"format" validate:"required"`
	Platform        string        `json:"platform,omitzero" validate:"-"` // the video service
	Start           time.Time     `json:"start" validate:"required"`
	DurationMinutes int           `json:"duration_minutes" validate:"gt=0,lte=1440"` // at most a day
	LeaderID        uuid.UUID     `json:"leader_id,omitzero" validate:"-"`
	MinuteTakerID   uuid.UUID     `json:"minute_taker_id,omitzero" validate:"-"`
	PlanUpdaterID   uuid.UUID     `json:"plan_updater_id,omitzero" validate:"-"`
	Pathway         *Pathway      `json:"pathway,omitzero" validate:"-"`
	Participants    []Participant `json:"participants,omitzero" validate:"dive"`
	Agenda          []AgendaItem  `json:"agenda,omitzero" validate:"dive"`
	Preparation     *Preparation  `json:"preparation,omitzero" validate:"-"`
}

// Pathway holds the dates of the national pain pathway that lead up to the meeting.
type Pathway struct {
	ReferralReceivedAt  time.Time `json:"referral_received_at,omitzero" validate:"-"`
	AssessmentStartedAt time.Time `json:"assessment_started_at,omitzero" validate:"-"`
}

// Participant is one person taking part in a meeting.
type Participant struct {
	ID           uuid.UUID `json:"id" validate:"required"`
	Name         string    `json:"name,omitzero" validate:"-"` // personal data
	Role         Role      `json:"role" validate:"required"`
	Sector       Sector    `json:"sector" validate:"required"`
	Organization string    `json:"organization,omitzero" validate:"-"`
	Purpose      string    `json:"purpose,omitzero" validate:"-"` // why they are invited; free text
	Location     Location  `json:"location,omitzero" validate:"-"`
	// JoinsAtItem is the first agenda item attended; zero means from the start.
	JoinsAtItem uuid.UUID `json:"joins_at_item,omitzero" validate:"-"`
	// LeavesAfterItem is the last agenda item attended; zero means to the end.
	LeavesAfterItem uuid.UUID `json:"leaves_after_item,omitzero" validate:"-"`
	// AwayItems are agenda items inside the span (JoinsAtItem to
	// LeavesAfterItem) that the participant steps out of: attending the span
	// with gaps. Each must be on the agenda, inside the span, and listed once.
	AwayItems     []uuid.UUID `json:"away_items,omitzero" validate:"-"`
	PriorContact  bool        `json:"prior_contact,omitzero" validate:"-"`  // has met the patient before
	ChoseLocation bool        `json:"chose_location,omitzero" validate:"-"` // chose how to take part
	ChangingSoon  bool        `json:"changing_soon,omitzero" validate:"-"`  // is about to be replaced
	SuccessorID   uuid.UUID   `json:"successor_id,omitzero" validate:"-"`
}

// AgendaItem is one point on the agenda.
type AgendaItem struct {
	ID                 uuid.UUID `json:"id" validate:"required"`
	Kind               ItemKind  `json:"kind" validate:"required"`
	Title              string    `json:"title,omitzero" validate:"-"`                // free text
	Minutes            int       `json:"minutes,omitzero" validate:"min=0,max=1440"` // at most a day
	LeadID             uuid.UUID `json:"lead_id,omitzero" validate:"-"`
	ProfessionalsOnly  bool      `json:"professionals_only,omitzero" validate:"-"`
	Recap              bool      `json:"recap,omitzero" validate:"-"` // repeats introductions and purpose for late joiners
	Sensitive          bool      `json:"sensitive,omitzero" validate:"-"`
	PatientSpeaksFirst bool      `json:"patient_speaks_first,omitzero" validate:"-"`
}

// Preparation records what was sent out before the meeting, and to whom.
type Preparation struct {
	AgendaSentAt           time.Time   `json:"agenda_sent_at,omitzero" validate:"-"`
	ParticipantsSentAt     time.Time   `json:"participants_sent_at,omitzero" validate:"-"`
	SentTo                 []uuid.UUID `json:"sent_to,omitzero" validate:"-"`
	ClinicalNotesSentAt    time.Time   `json:"clinical_notes_sent_at,omitzero" validate:"-"`
	ClinicalNotesSentTo    []uuid.UUID `json:"clinical_notes_sent_to,omitzero" validate:"-"`
	SuggestedActionsSentAt time.Time   `json:"suggested_actions_sent_at,omitzero" validate:"-"`
	PreMeetingContact      []uuid.UUID `json:"pre_meeting_contact,omitzero" validate:"-"`
}

// End is the planned end of the meeting: Start plus DurationMinutes.
func (m *Meeting) End() time.Time {
	return m.Start.Add(time.Duration(m.DurationMinutes) * time.Minute)
}

// Patient returns the first participant with role patient (the patient of
// the meeting), or nil.
func (m *Meeting) Patient() *Participant {
	if i := m.PatientIndex(); i >= 0 {
		return &m.Participants[i]
	}
	return nil
}

// Participant returns the participant with the given ID, or nil.
func (m *Meeting) Participant(id uuid.UUID) *Participant {
	if i := m.ParticipantIndex(id); i >= 0 {
		return &m.Participants[i]
	}
	return nil
}

// ParticipantIndex returns the index of the participant with the given ID, or -1.
func (m *Meeting) ParticipantIndex(id uuid.UUID) int {
	if id == uuid.Nil {
		return -1
	}
	for i := range m.Participants {
		if m.Participants[i].ID == id {
			return i
		}
	}
	return -1
}

// ItemIndex returns the agenda index of the item with the given ID, or -1.
func (m *Meeting) ItemIndex(id uuid.UUID) int {
	if id == uuid.Nil {
		return -1
	}
	for i := range m.Agenda {
		if m.Agenda[i].ID == id {
			return i
		}
	}
	return -1
}

// FirstItem returns the index of the first agenda item of kind k, or -1.
func (m *Meeting) FirstItem(k ItemKind) int {
	for i := range m.Agenda {
		if m.Agenda[i].Kind == k {
			return i
		}
	}
	return -1
}

// Span returns the agenda indexes of the first and the last item of p's
// attendance, both included (see SpanOf): from JoinsAtItem (or the first
// item) to LeavesAfterItem (or the last). Items in p's AwayItems are inside
// the span but not attended (see AttendsIndex). When p attends nothing — an empty
// agenda, a reference to an item that is not on it, or leaving before
// joining — first > last.
func (m *Meeting) Span(p *Participant) (first, last int) {
	return SpanOf(len(m.Agenda), m.itemRef(p.JoinsAtItem), m.itemRef(p.LeavesAfterItem))
}

// itemRef resolves an agenda reference for SpanOf.
func (m *Meeting) itemRef(id uuid.UUID) int {
	if id == uuid.Nil {
		return Unset
	}
	if i := m.ItemIndex(id); i >= 0 {
		return i
	}
	return Missing
}

// AttendsIndex reports whether p attends the agenda item at index i: inside
// its span (see Span) and not one of its AwayItems.
func (m *Meeting) AttendsIndex(p *Participant, i int) bool {
	first, last := m.Span(p)
	return i >= first && i <= last && !m.AwayIndex(p, i)
}

// AwayIndex reports whether p lists the agenda item at index i in its
// AwayItems (whether or not the item is inside its span).
func (m *Meeting) AwayIndex(p *Participant, i int) bool {
	if i < 0 || i >= len(m.Agenda) {
		return false
	}
	id := m.Agenda[i].ID
	for _, a := range p.AwayItems {
		if a == id && id != uuid.Nil {
			return true
		}
	}
	return false
}

// AttendsAll reports whether p attends every item on a non-empty agenda:
// from the first item to the last, stepping out of none.
func (m *Meeting) AttendsAll(p *Participant) bool {
	first, last := m.Span(p)
	if len(m.Agenda) == 0 || first != 0 || last != len(m.Agenda)-1 {
		return false
	}
	for _, a := range p.AwayItems {
		if m.ItemIndex(a) >= 0 {
			return false
		}
	}
	return true
}

// Attends reports whether the participant with participantID attends the
// agenda item with itemID (see AttendsIndex: an item in its AwayItems is not
// attended). It is false when either does not exist.
func (m *Meeting) Attends(participantID, itemID uuid.UUID) bool {
	p := m.Participant(participantID)
	i := m.ItemIndex(itemID)
	if p == nil || i < 0 {
		return false
	}
	return m.AttendsIndex(p, i)
}

// AttendedMinutes returns the sum of the minutes of the agenda items that the
// participant with the given ID attends: its span without its AwayItems (0
// for an unknown participant).
func (m *Meeting) AttendedMinutes(participantID uuid.UUID) int {
	p := m.Participant(participantID)
	if p == nil {
		return 0
	}
	first, last := m.Span(p)
	total := 0
	for i := first; i <= last && i < len(m.Agenda); i++ {
		if !m.AwayIndex(p, i) {
			total += m.Agenda[i].Minutes
		}
	}
	return total
}

// AgendaMinutes returns the sum of the minutes of every agenda item.
func (m *Meeting) AgendaMinutes() int {
	total := 0
	for i := range m.Agenda {
		total += m.Agenda[i].Minutes
	}
	return total
}

// Healthcare reports whether p belongs to specialist or primary health care.
func (p *Participant) Healthcare() bool { return p.Sector.Healthcare() }

// PatientSide reports whether p is the patient or next of kin (sector patient).
func (p *Participant) PatientSide() bool { return p.Sector == SectorPatient }

// OutsideHealthcare reports whether p is neither health care nor patient side:
// social security, employer, education or other.
func (p *Participant) OutsideHealthcare() bool { return p.Sector.OutsideHealthcare() }
