package casedoc

import (
	"fmt"
	"strings"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
)

// Validate reports every problem of c at once as a *validation.Error: missing
// required fields, unknown enum values, duplicate IDs, references to
// participants or agenda items that do not exist, agenda order, the role of
// each participant against its sector, and records of another patient or
// meeting. It returns nil for a valid case.
//
// The references that a recommendation checks (leader_id, minute_taker_id,
// plan_updater_id, successor_id, an action's owner_id and the follow-up's
// contact_person_id) are not validated here: a dangling one is a finding of
// the engine, so that a half-planned meeting can still be checked.
func (c *Case) Validate() error {
	var l validation.List
	m := &c.Meeting
	l.Add(validation.Struct("meeting", m)...)
	validateMeeting(&l, m)
	validateConsents(&l, m, c.Consents)
	if c.Plan != nil {
		l.Add(validation.Struct("plan", c.Plan)...)
		validatePlan(&l, m, c.Plan)
	}
	return l.Err()
}

func validateMeeting(l *validation.List, m *meeting.Meeting) {
	enum(l, "meeting.kind", m.Kind, m.Kind.Valid(), meeting.Kinds)
	enum(l, "meeting.status", m.Status, m.Status.Valid(), meeting.Statuses)
	enum(l, "meeting.format", m.Format, m.Format.Valid(), meeting.Formats)

	seen := make(map[uuid.UUID]int, len(m.Participants))
	for i := range m.Participants {
		p := &m.Participants[i]
		path := fmt.Sprintf("meeting.participants[%d]", i)
		enum(l, path+".role", p.Role, p.Role.Valid(), meeting.Roles)
		enum(l, path+".sector", p.Sector, p.Sector.Valid(), meeting.Sectors)
		enum(l, path+".location", p.Location, p.Location.Valid(), meeting.Locations)
		if p.Role.Valid() && p.Sector.Valid() && !p.Role.AllowsSector(p.Sector) {
			l.Addf(path+".sector", "role %s cannot be in sector %s", p.Role, p.Sector)
		}
		duplicate(l, seen, p.ID, i, path+".id", "participant", "meeting.participants[%d]")
		first := itemRef(l, m, p.JoinsAtItem, path+".joins_at_item")
		last := itemRef(l, m, p.LeavesAfterItem, path+".leaves_after_item")
		if first >= 0 && last >= 0 && last < first {
			l.Addf(path+".leaves_after_item", "is before joins_at_item in agenda order")
		}
	}

	items := make(map[uuid.UUID]int, len(m.Agenda))
	for i := range m.Agenda {
		it := &m.Agenda[i]
		path := fmt.Sprintf("meeting.agenda[%d]", i)
		enum(l, path+".kind", it.Kind, it.Kind.Valid(), meeting.ItemKinds)
		duplicate(l, items, it.ID, i, path+".id", "agenda item", "meeting.agenda[%d]")
		participantRef(l, m, it.LeadID, path+".lead_id")
	}

	if prep := m.Preparation; prep != nil {
		participantRefs(l, m, prep.SentTo, "meeting.preparation.sent_to")
		participantRefs(l, m, prep.ClinicalNotesSentTo, "meeting.preparation.clinical_notes_sent_to")
		participantRefs(l, m, prep.PreMeetingContact, "meeting.preparation.pre_meeting_contact")
	}
}

func validateConsents(l *validation.List, m *meeting.Meeting, consents consent.Set) {
	seen := make(map[uuid.UUID]int, len(consents))
	for i := range consents {
		c := &consents[i]
		path := fmt.Sprintf("consents[%d]", i)
		l.Add(validation.Struct(path, c)...)
		duplicate(l, seen, c.ID, i, path+".id", "consent", "consents[%d]")
		if c.PatientID != uuid.Nil && m.PatientID != uuid.Nil && c.PatientID != m.PatientID {
			l.Addf(path+".patient_id", "is not the meeting's patient_id: a consent of another patient never counts")
		}
		participantRef(l, m, c.GranteeID, path+".grantee_id")
		participantRef(l, m, c.RecordedBy, path+".recorded_by")
		for j, s := range c.Scopes {
			enum(l, fmt.Sprintf("%s.scopes[%d]", path, j), s, s.Valid(), consent.Scopes)
		}
		enum(l, path+".method", c.Method, c.Method.Valid(), consent.Methods)
		if !c.WithdrawnAt.IsZero() && !c.GivenAt.IsZero() && c.WithdrawnAt.Before(c.GivenAt) {
			l.Addf(path+".withdrawn_at", "is before given_at")
		}
	}
}

func validatePlan(l *validation.List, m *meeting.Meeting, p *plan.Plan) {
	if p.MeetingID != uuid.Nil && m.ID != uuid.Nil && p.MeetingID != m.ID {
		l.Addf("plan.meeting_id", "is not the meeting's id: a plan of another meeting never counts")
	}
	enum(l, "plan.status", p.Status, p.Status.Valid(), plan.Statuses)
	seen := make(map[uuid.UUID]int, len(p.Actions))
	for i := range p.Actions {
		a := &p.Actions[i]
		path := fmt.Sprintf("plan.actions[%d]", i)
		duplicate(l, seen, a.ID, i, path+".id", "action", "plan.actions[%d]")
		enum(l, path+".kind", a.Kind, a.Kind.Valid(), plan.ActionKinds)
	}
	for i, s := range p.InformedOnlySectors {
		enum(l, fmt.Sprintf("plan.informed_only_sectors[%d]", i), meeting.Sector(s), meeting.Sector(s).Valid(), meeting.Sectors)
	}
	if f := p.FollowUp; f != nil {
		enum(l, "plan.follow_up.intensity", f.Intensity, f.Intensity.Valid(), plan.Intensities)
		enum(l, "plan.follow_up.initiator", f.Initiator, f.Initiator.Valid(), plan.Initiators)
	}
	participantRefs(l, m, p.Recipients, "plan.recipients")
}

// enum records an unknown value of a set enum field; an empty one is left to
// the required tags. The value is quoted only when it looks like a code, so
// that free text put in the wrong field is never echoed.
func enum[E ~string](l *validation.List, path string, v E, valid bool, all []E) {
	if v == "" || valid {
		return
	}
	want := make([]string, len(all))
	for i, e := range all {
		want[i] = string(e)
	}
	l.Addf(path, "unknown value %s (want one of %s)", quoteCode(string(v)), strings.Join(want, ", "))
}

// quoteCode quotes s when it is short and made of letters, digits, '_' and
// '-', as a code is; anything else is described, not shown.
func quoteCode(s string) string {
	if len(s) > 40 {
		return "(a long text)"
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return "(a text that is not a code)"
		}
	}
	return `"` + s + `"`
}

// duplicate records an id seen before at another index of the same list.
func duplicate(l *validation.List, seen map[uuid.UUID]int, id uuid.UUID, index int, path, what, firstFormat string) {
	if id == uuid.Nil {
		return
	}
	if first, ok := seen[id]; ok {
		l.Addf(path, "duplicate %s id (first at "+firstFormat+")", what, first)
		return
	}
	seen[id] = index
}

func itemRef(l *validation.List, m *meeting.Meeting, id uuid.UUID, path string) int {
	if id == uuid.Nil {
		return -1
	}
	i := m.ItemIndex(id)
	if i < 0 {
		l.Addf(path, "refers to an agenda item that does not exist")
	}
	return i
}

func participantRef(l *validation.List, m *meeting.Meeting, id uuid.UUID, path string) {
	if id != uuid.Nil && m.ParticipantIndex(id) < 0 {
		l.Addf(path, "refers to a participant who does not exist")
	}
}

func participantRefs(l *validation.List, m *meeting.Meeting, ids []uuid.UUID, path string) {
	for i, id := range ids {
		if id == uuid.Nil {
			l.Addf(fmt.Sprintf("%s[%d]", path, i), "is required")
			continue
		}
		participantRef(l, m, id, fmt.Sprintf("%s[%d]", path, i))
	}
}
