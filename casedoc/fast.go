package casedoc

import (
	"errors"
	"time"
	"unsafe"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/go-json-experiment/json"
	"github.com/google/uuid"
)

// The fast path of decoding. Decoding with an unmarshaler of UUIDs
// registered through json.WithUnmarshalers makes jsonv2 look every value's
// type up in a synchronized map, for about 15 % of the time of a document.
// A valid document is decoded instead into the types below: the case's
// types, field for field, with strictUUID in place of uuid.UUID, whose own
// method jsonv2 calls directly. The memory layouts are identical
// (TestFastTypesMirrorCase checks every field's name, tag, type and offset),
// so the document is decoded straight into the *Case, seen as a *fastCase.
// A document that fails on the fast path, for any reason, is decoded again
// on the strict path of unmarshal, which reports every problem: the errors
// are the same as if there were no fast path, and so is every value
// accepted.

// strictUUID is a uuid.UUID that decodes only from its canonical
// 36-character form, as decodeUUID accepts it (jsonv2 unescapes the string
// first, as decodeUUID does).
type strictUUID uuid.UUID

var errNotCanonicalUUID = errors.New("not a UUID in canonical form")

// UnmarshalText decodes a UUID in canonical form.
func (u *strictUUID) UnmarshalText(b []byte) error {
	if len(b) != 36 {
		return errNotCanonicalUUID
	}
	id, err := uuid.ParseBytes(b)
	if err != nil {
		return errNotCanonicalUUID
	}
	*u = strictUUID(id)
	return nil
}

// fastOptions are the options of the fast path: strict, without unmarshalers.
var fastOptions = json.RejectUnknownMembers(true)

// asFast views c as the mirror type of the fast path.
func asFast(c *Case) *fastCase { return (*fastCase)(unsafe.Pointer(c)) }

type fastCase struct {
	Meeting  fastMeeting   `json:"meeting"`
	Consents []fastConsent `json:"consents,omitzero"`
	Plan     *fastPlan     `json:"plan,omitzero"`
}

type fastMeeting struct {
	ID              strictUUID        `json:"id"`
	PatientID       strictUUID        `json:"patient_id"`
	Kind            meeting.Kind      `json:"kind"`
	Status          meeting.Status    `json:"status"`
	Format          meeting.Format    `json:"format"`
	Platform        string            `json:"platform,omitzero"`
	Start           time.Time         `json:"start"`
	DurationMinutes int               `json:"duration_minutes"`
	LeaderID        strictUUID        `json:"leader_id,omitzero"`
	MinuteTakerID   strictUUID        `json:"minute_taker_id,omitzero"`
	PlanUpdaterID   strictUUID        `json:"plan_updater_id,omitzero"`
	Pathway         *fastPathway      `json:"pathway,omitzero"`
	Participants    []fastParticipant `json:"participants,omitzero"`
	Agenda          []fastAgendaItem  `json:"agenda,omitzero"`
	Preparation     *fastPreparation  `json:"preparation,omitzero"`
}

type fastPathway struct {
	ReferralReceivedAt  time.Time `json:"referral_received_at,omitzero"`
	AssessmentStartedAt time.Time `json:"assessment_started_at,omitzero"`
}

type fastParticipant struct {
	ID              strictUUID       `json:"id"`
	Name            string           `json:"name,omitzero"`
	Role            meeting.Role     `json:"role"`
	Sector          meeting.Sector   `json:"sector"`
	Organization    string           `json:"organization,omitzero"`
	Purpose         string           `json:"purpose,omitzero"`
	Location        meeting.Location `json:"location,omitzero"`
	JoinsAtItem     strictUUID       `json:"joins_at_item,omitzero"`
	LeavesAfterItem strictUUID       `json:"leaves_after_item,omitzero"`
	PriorContact    bool             `json:"prior_contact,omitzero"`
	ChoseLocation   bool             `json:"chose_location,omitzero"`
	ChangingSoon    bool             `json:"changing_soon,omitzero"`
	SuccessorID     strictUUID       `json:"successor_id,omitzero"`
}

type fastAgendaItem struct {
	ID                 strictUUID       `json:"id"`
	Kind               meeting.ItemKind `json:"kind"`
	Title              string           `json:"title,omitzero"`
	Minutes            int              `json:"minutes,omitzero"`
	LeadID             strictUUID       `json:"lead_id,omitzero"`
	ProfessionalsOnly  bool             `json:"professionals_only,omitzero"`
	Recap              bool             `json:"recap,omitzero"`
	Sensitive          bool             `json:"sensitive,omitzero"`
	PatientSpeaksFirst bool             `json:"patient_speaks_first,omitzero"`
}

type fastPreparation struct {
	AgendaSentAt           time.Time    `json:"agenda_sent_at,omitzero"`
	ParticipantsSentAt     time.Time    `json:"participants_sent_at,omitzero"`
	SentTo                 []strictUUID `json:"sent_to,omitzero"`
	ClinicalNotesSentAt    time.Time    `json:"clinical_notes_sent_at,omitzero"`
	ClinicalNotesSentTo    []strictUUID `json:"clinical_notes_sent_to,omitzero"`
	SuggestedActionsSentAt time.Time    `json:"suggested_actions_sent_at,omitzero"`
	PreMeetingContact      []strictUUID `json:"pre_meeting_contact,omitzero"`
}

type fastConsent struct {
	ID          strictUUID      `json:"id"`
	PatientID   strictUUID      `json:"patient_id,omitzero"`
	GranteeID   strictUUID      `json:"grantee_id"`
	Scopes      []consent.Scope `json:"scopes"`
	GivenAt     time.Time       `json:"given_at"`
	ExpiresAt   time.Time       `json:"expires_at,omitzero"`
	WithdrawnAt time.Time       `json:"withdrawn_at,omitzero"`
	Method      consent.Method  `json:"method,omitzero"`
	RecordedBy  strictUUID      `json:"recorded_by,omitzero"`
}

type fastPlan struct {
	ID                  strictUUID    `json:"id"`
	MeetingID           strictUUID    `json:"meeting_id,omitzero"`
	Status              plan.Status   `json:"status"`
	PatientGoals        []string      `json:"patient_goals,omitzero"`
	Actions             []fastAction  `json:"actions,omitzero"`
	InformedOnlySectors []string      `json:"informed_only_sectors,omitzero"`
	FollowUp            *fastFollowUp `json:"follow_up,omitzero"`
	PatientAgreedAt     time.Time     `json:"patient_agreed_at,omitzero"`
	DistributedAt       time.Time     `json:"distributed_at,omitzero"`
	Recipients          []strictUUID  `json:"recipients,omitzero"`
}

type fastAction struct {
	ID          strictUUID      `json:"id"`
	Kind        plan.ActionKind `json:"kind,omitzero"`
	Description string          `json:"description,omitzero"`
	OwnerID     strictUUID      `json:"owner_id,omitzero"`
	Due         time.Time       `json:"due,omitzero"`
}

type fastFollowUp struct {
	Intensity       plan.Intensity `json:"intensity,omitzero"`
	NextContactAt   time.Time      `json:"next_contact_at,omitzero"`
	NextMeetingAt   time.Time      `json:"next_meeting_at,omitzero"`
	ContactPersonID strictUUID     `json:"contact_person_id,omitzero"`
	Initiator       plan.Initiator `json:"initiator,omitzero"`
}
