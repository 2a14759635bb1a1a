package casedoc

import (
	"reflect"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTagsHoldCoversEveryTag lists every `validate` tag of the case's types:
// the hand-written *TagsHold checks must check each one. Adding a tag fails
// this test until the check (and this list) are updated.
func TestTagsHoldCoversEveryTag(t *testing.T) {
	want := map[string]string{
		"Meeting.ID": "required", "Meeting.PatientID": "required", "Meeting.Kind": "required",
		"Meeting.Status": "required", "Meeting.Format": "required", "Meeting.Start": "required",
		"Meeting.DurationMinutes": "gt=0", "Meeting.Participants": "dive", "Meeting.Agenda": "dive",
		"Participant.ID": "required", "Participant.Role": "required", "Participant.Sector": "required",
		"AgendaItem.ID": "required", "AgendaItem.Kind": "required", "AgendaItem.Minutes": "min=0",
		"Consent.ID": "required", "Consent.GranteeID": "required", "Consent.Scopes": "min=1",
		"Consent.GivenAt": "required",
		"Plan.ID":         "required", "Plan.Status": "required", "Plan.Actions": "dive",
		"Action.ID": "required",
	}
	got := map[string]string{}
	for _, typ := range []reflect.Type{
		reflect.TypeFor[meeting.Meeting](), reflect.TypeFor[meeting.Participant](), reflect.TypeFor[meeting.AgendaItem](),
		reflect.TypeFor[meeting.Preparation](), reflect.TypeFor[meeting.Pathway](),
		reflect.TypeFor[consent.Consent](), reflect.TypeFor[plan.Plan](), reflect.TypeFor[plan.Action](), reflect.TypeFor[plan.FollowUp](),
	} {
		for f := range typ.Fields() {
			tag, ok := f.Tag.Lookup("validate")
			require.True(t, ok, "%s.%s has no validate tag", typ.Name(), f.Name)
			if tag != "-" {
				got[typ.Name()+"."+f.Name] = tag
			}
		}
	}
	assert.Equal(t, want, got)
}

// TestTagsHoldAgreeWithValidator breaks each tagged field in turn: whenever
// the shared validator reports a problem, the hand-written check says no.
func TestTagsHoldAgreeWithValidator(t *testing.T) {
	good := func() *Case {
		id := func(b byte) uuid.UUID { return uuid.UUID{15: b} }
		start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
		return &Case{
			Meeting: meeting.Meeting{ID: id(1), PatientID: id(2), Kind: "collaboration", Status: "planned", Format: "digital",
				Start: start, DurationMinutes: 60,
				Participants: []meeting.Participant{{ID: id(3), Role: "patient", Sector: "patient"}},
				Agenda:       []meeting.AgendaItem{{ID: id(4), Kind: "introductions", Minutes: 5}}},
			Consents: consent.Set{{ID: id(5), GranteeID: id(3), Scopes: []consent.Scope{"attend"}, GivenAt: start}},
			Plan:     &plan.Plan{ID: id(6), Status: "draft", Actions: []plan.Action{{ID: id(7)}}},
		}
	}
	breaks := map[string]func(c *Case){
		"meeting.id":                func(c *Case) { c.Meeting.ID = uuid.Nil },
		"meeting.patient_id":        func(c *Case) { c.Meeting.PatientID = uuid.Nil },
		"meeting.kind":              func(c *Case) { c.Meeting.Kind = "" },
		"meeting.status":            func(c *Case) { c.Meeting.Status = "" },
		"meeting.format":            func(c *Case) { c.Meeting.Format = "" },
		"meeting.start":             func(c *Case) { c.Meeting.Start = time.Time{} },
		"meeting.duration_minutes":  func(c *Case) { c.Meeting.DurationMinutes = 0 },
		"participant.id":            func(c *Case) { c.Meeting.Participants[0].ID = uuid.Nil },
		"participant.role":          func(c *Case) { c.Meeting.Participants[0].Role = "" },
		"participant.sector":        func(c *Case) { c.Meeting.Participants[0].Sector = "" },
		"item.id":                   func(c *Case) { c.Meeting.Agenda[0].ID = uuid.Nil },
		"item.kind":                 func(c *Case) { c.Meeting.Agenda[0].Kind = "" },
		"item.minutes":              func(c *Case) { c.Meeting.Agenda[0].Minutes = -1 },
		"consent.id":                func(c *Case) { c.Consents[0].ID = uuid.Nil },
		"consent.grantee_id":        func(c *Case) { c.Consents[0].GranteeID = uuid.Nil },
		"consent.scopes":            func(c *Case) { c.Consents[0].Scopes = nil },
		"consent.given_at":          func(c *Case) { c.Consents[0].GivenAt = time.Time{} },
		"plan.id":                   func(c *Case) { c.Plan.ID = uuid.Nil },
		"plan.status":               func(c *Case) { c.Plan.Status = "" },
		"action.id":                 func(c *Case) { c.Plan.Actions[0].ID = uuid.Nil },
		"meeting.negative_duration": func(c *Case) { c.Meeting.DurationMinutes = -5 },
	}
	c := good()
	require.True(t, meetingTagsHold(&c.Meeting) && consentTagsHold(&c.Consents[0]) && planTagsHold(c.Plan))
	require.Empty(t, validation.Struct("meeting", &c.Meeting))
	for name, breakIt := range breaks {
		c := good()
		breakIt(c)
		validatorFails := len(validation.Struct("meeting", &c.Meeting)) > 0 ||
			len(validation.Struct("", &c.Consents[0])) > 0 || len(validation.Struct("plan", c.Plan)) > 0
		holds := meetingTagsHold(&c.Meeting) && consentTagsHold(&c.Consents[0]) && planTagsHold(c.Plan)
		assert.True(t, validatorFails, "%s: the validator sees no problem", name)
		assert.False(t, holds, "%s: the hand-written check sees no problem", name)
	}
}
