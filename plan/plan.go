// Package plan models the common action plan agreed in a collaboration
// meeting: the patient's goals, the actions with an owner and a due date, and
// who follows up, when and how closely.
//
// Goals and action descriptions are free text in the patient's or the
// professionals' words: keep them out of logs and reports.
package plan

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Status is whether the patient has agreed to the plan.
type Status string

// The plan statuses.
const (
	StatusDraft  Status = "draft"
	StatusAgreed Status = "agreed"
)

// Statuses returns every valid Status. (a fresh slice).
func Statuses() []Status { return slices.Clone(statusesTable[:]) }

// statusesTable is the one list of the Status values: Statuses and Valid read it.
var statusesTable = [...]Status{StatusDraft, StatusAgreed}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { return slices.Contains(statusesTable[:], s) }

// ActionKind is what an action is about.
type ActionKind string

// The action kinds.
const (
	ActionTreatment ActionKind = "treatment"
	ActionWork      ActionKind = "work"
	ActionBenefits  ActionKind = "benefits"
	ActionEducation ActionKind = "education"
	ActionHandover  ActionKind = "handover" // hands the patient over to a successor
	ActionOther     ActionKind = "other"
)

// ActionKinds returns every valid ActionKind. (a fresh slice).
func ActionKinds() []ActionKind { return slices.Clone(actionKindsTable[:]) }

// actionKindsTable is the one list of the ActionKind values: ActionKinds and Valid read it.
var actionKindsTable = [...]ActionKind{ActionTreatment, ActionWork, ActionBenefits, ActionEducation, ActionHandover, ActionOther}

// Valid reports whether k is one of ActionKinds.
func (k ActionKind) Valid() bool { return slices.Contains(actionKindsTable[:], k) }

// Intensity is how closely the patient is followed up.
type Intensity string

// The follow-up intensities.
const (
	IntensityClose   Intensity = "close"
	IntensityRegular Intensity = "regular"
	IntensityCheckIn Intensity = "check_in"
)

// Intensities returns every valid Intensity. (a fresh slice).
func Intensities() []Intensity { return slices.Clone(intensitiesTable[:]) }

// intensitiesTable is the one list of the Intensity values: Intensities and Valid read it.
var intensitiesTable = [...]Intensity{IntensityClose, IntensityRegular, IntensityCheckIn}

// Valid reports whether i is one of Intensities.
func (i Intensity) Valid() bool { return slices.Contains(intensitiesTable[:], i) }

// Initiator is who takes the initiative for the next contact.
type Initiator string

// The initiators.
const (
	InitiatorPatient Initiator = "patient"
	InitiatorService Initiator = "service"
)

// Initiators returns every valid Initiator. (a fresh slice).
func Initiators() []Initiator { return slices.Clone(initiatorsTable[:]) }

// initiatorsTable is the one list of the Initiator values: Initiators and Valid read it.
var initiatorsTable = [...]Initiator{InitiatorPatient, InitiatorService}

// Valid reports whether i is one of Initiators.
func (i Initiator) Valid() bool { return slices.Contains(initiatorsTable[:], i) }

// Plan is the common action plan of one meeting.
type Plan struct {
	ID           uuid.UUID `json:"id" validate:"required"`
	MeetingID    uuid.UUID `json:"meeting_id,omitzero" validate:"-"`
	Status       Status    `json:"status" validate:"required"`
	PatientGoals []string  `json:"patient_goals,omitzero" validate:"-"` // in the patient's own words
	Actions      []Action  `json:"actions,omitzero" validate:"dive"`
	// InformedOnlySectors are sectors that take part without owning an action.
	InformedOnlySectors []string    `json:"informed_only_sectors,omitzero" validate:"-"`
	FollowUp            *FollowUp   `json:"follow_up,omitzero" validate:"-"`
	PatientAgreedAt     time.Time   `json:"patient_agreed_at,omitzero" validate:"-"`
	DistributedAt       time.Time   `json:"distributed_at,omitzero" validate:"-"`
	Recipients          []uuid.UUID `json:"recipients,omitzero" validate:"-"`
}

// Action is one thing someone will do, by a date.
type Action struct {
	ID          uuid.UUID  `json:"id" validate:"required"`
	Kind        ActionKind `json:"kind,omitzero" validate:"-"`
	Description string     `json:"description,omitzero" validate:"-"` // free text
	OwnerID     uuid.UUID  `json:"owner_id,omitzero" validate:"-"`
	Due         time.Time  `json:"due,omitzero" validate:"-"`
}

// FollowUp says who follows the patient up after the meeting, when and how.
type FollowUp struct {
	Intensity       Intensity `json:"intensity,omitzero" validate:"-"`
	NextContactAt   time.Time `json:"next_contact_at,omitzero" validate:"-"`
	NextMeetingAt   time.Time `json:"next_meeting_at,omitzero" validate:"-"` // the follow-up collaboration meeting
	ContactPersonID uuid.UUID `json:"contact_person_id,omitzero" validate:"-"`
	Initiator       Initiator `json:"initiator,omitzero" validate:"-"`
}

// ActionsOwnedBy returns the actions owned by the given participant, in plan order.
func (p *Plan) ActionsOwnedBy(ownerID uuid.UUID) []Action {
	var out []Action
	for _, a := range p.Actions {
		if a.OwnerID == ownerID {
			out = append(out, a)
		}
	}
	return out
}

// HasAction reports whether the plan has an action of kind k.
func (p *Plan) HasAction(k ActionKind) bool {
	for i := range p.Actions {
		if p.Actions[i].Kind == k {
			return true
		}
	}
	return false
}

// IsRecipient reports whether the participant is among the plan's recipients.
func (p *Plan) IsRecipient(id uuid.UUID) bool {
	for _, r := range p.Recipients {
		if r == id {
			return true
		}
	}
	return false
}
