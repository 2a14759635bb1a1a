package casedoc

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
)

// Validate reports every problem of c at once as a *validation.Error: missing
// required fields, unknown enum values, duplicate IDs, references to
// participants or agenda items that do not exist, agenda order, the role of
// each participant against its sector, more than one patient, a consent
// that is withdrawn or expires before it is given, durations over a day,
// times outside the years 0001-9999, and records of another patient or
// meeting. It returns nil for a valid case, and an error for a nil one.
//
// The references that a recommendation checks (leader_id, minute_taker_id,
// plan_updater_id, successor_id, an action's owner_id and the follow-up's
// contact_person_id) are not validated here: a dangling one is a finding of
// the engine, so that a half-planned meeting can still be checked.
func (c *Case) Validate() error {
	if c == nil {
		return &validation.Error{Problems: []validation.Problem{validation.Coded("", "no_case")}}
	}
	var l validation.List
	m := &c.Meeting
	if !tagsHoldMeeting(m) {
		l.Add(validation.Struct("meeting", m)...)
	}
	ix := newLookup(m)
	validateMeeting(&l, ix)
	validateConsents(&l, ix, c.Consents)
	if c.Plan != nil {
		if !tagsHoldPlan(c.Plan) {
			l.Add(validation.Struct("plan", c.Plan)...)
		}
		validatePlan(&l, ix, c.Plan)
	}
	validateTimes(&l, c)
	return l.Err()
}

// maxMinutes is the longest meeting or agenda item: a day (the validate
// tags of meeting.Meeting and meeting.AgendaItem say so too).
const maxMinutes = 24 * 60

// validateTimes records every time outside the years 0001-9999 (checked by
// code generated from the types, so that a new time field is checked too),
// and a meeting that would end outside them. Within these bounds and with
// durations of at most a day, no arithmetic on the case's times overflows.
func validateTimes(l *validation.List, c *Case) {
	if !timesInRangeCase(c) {
		timeProblemsCase(c, "", l)
	}
	m := &c.Meeting
	if m.DurationMinutes > 0 && m.DurationMinutes <= maxMinutes && timeInRange(m.Start) &&
		!timeInRange(m.Start.Add(time.Duration(m.DurationMinutes)*time.Minute)) {
		l.AddCoded("meeting.duration_minutes", "meeting_ends_out_of_range")
	}
}

// tagsHoldMeeting, tagsHoldConsent and tagsHoldPlan (decode_gen.go) report
// whether the `validate` tags of a type hold. They are generated from the
// tags (internal/gencasedoc) and check them as validator/v10 does, without
// reflection and without allocating; only when one says no does Validate
// ask validation.Struct for the problems, so that every message is the
// shared validator's.

// path is the JSON path of an element of a list, built only when a problem
// is recorded, so that a valid case costs no allocation for paths.
type path struct {
	list  string
	index int
}

func (p path) String() string { return p.list + "[" + strconv.Itoa(p.index) + "]" }

func (p path) field(name string) string { return p.String() + "." + name }

func validateMeeting(l *validation.List, ix lookup) {
	m := ix.m
	if !m.Kind.Valid() {
		enum(l, "meeting.kind", m.Kind, meeting.Kinds())
	}
	if !m.Status.Valid() {
		enum(l, "meeting.status", m.Status, meeting.Statuses())
	}
	if !m.Format.Valid() {
		enum(l, "meeting.format", m.Format, meeting.Formats())
	}

	duplicates(l, "meeting.participants", "participant", len(m.Participants), func(i int) uuid.UUID { return m.Participants[i].ID })
	// patient_id identifies the patient in the EHR. The participant who is
	// the patient may share it (in FHIR they are one Patient resource); no
	// one else may, nor the meeting.
	if m.PatientID != uuid.Nil {
		if m.PatientID == m.ID {
			l.Addf("meeting.patient_id", "is the meeting's id: give the patient's identifier in the EHR")
		}
		for i := range m.Participants {
			if p := &m.Participants[i]; p.ID == m.PatientID && p.Role != meeting.RolePatient {
				l.Addf("meeting.patient_id", "is the id of meeting.participants[%d], who is not the patient: give the patient's identifier in the EHR", i)
				break
			}
		}
	}
	patient := -1
	for i := range m.Participants {
		p := &m.Participants[i]
		at := path{"meeting.participants", i}
		if p.Role == meeting.RolePatient {
			// The case is about one patient: anyone else on the patient's
			// side is next of kin, who needs the patient's consent.
			if patient >= 0 {
				l.AddCoded(at.field("role"), "second_patient", "first", path{"meeting.participants", patient}.String())
			} else {
				patient = i
			}
		}
		if !p.Role.Valid() {
			enum(l, at.field("role"), p.Role, meeting.Roles())
		}
		if !p.Sector.Valid() {
			enum(l, at.field("sector"), p.Sector, meeting.Sectors())
		}
		if !p.Location.Valid() {
			enum(l, at.field("location"), p.Location, meeting.Locations())
		}
		if p.Role.Valid() && p.Sector.Valid() && !p.Role.AllowsSector(p.Sector) {
			l.AddCoded(at.field("sector"), "role_sector", "role_value", string(p.Role), "sector_value", string(p.Sector))
		}
		first := itemRef(l, ix, p.JoinsAtItem, at, "joins_at_item")
		last := itemRef(l, ix, p.LeavesAfterItem, at, "leaves_after_item")
		if first >= 0 && last >= 0 && last < first {
			l.AddCoded(at.field("leaves_after_item"), "leaves_before_joins")
		}
		if len(p.AwayItems) > 0 {
			awayItems(l, ix, p, at, first, last)
		}
	}

	duplicates(l, "meeting.agenda", "agenda_item", len(m.Agenda), func(i int) uuid.UUID { return m.Agenda[i].ID })
	for i := range m.Agenda {
		it := &m.Agenda[i]
		at := path{"meeting.agenda", i}
		if !it.Kind.Valid() {
			enum(l, at.field("kind"), it.Kind, meeting.ItemKinds())
		}
		if !ix.participant(it.LeadID) {
			l.AddCoded(at.field("lead_id"), "no_participant")
		}
	}

	if prep := m.Preparation; prep != nil {
		participantRefs(l, ix, prep.SentTo, "meeting.preparation.sent_to")
		participantRefs(l, ix, prep.ClinicalNotesSentTo, "meeting.preparation.clinical_notes_sent_to")
		participantRefs(l, ix, prep.PreMeetingContact, "meeting.preparation.pre_meeting_contact")
	}
}

func validateConsents(l *validation.List, ix lookup, consents consent.Set) {
	m := ix.m
	duplicates(l, "consents", "consent", len(consents), func(i int) uuid.UUID { return consents[i].ID })
	for i := range consents {
		c := &consents[i]
		at := path{"consents", i}
		if !tagsHoldConsent(c) {
			for _, p := range validation.Struct("", c) {
				p.Path = at.field(p.Path)
				l.Add(p)
			}
		}
		if c.PatientID != uuid.Nil && m.PatientID != uuid.Nil && c.PatientID != m.PatientID {
			l.AddCoded(at.field("patient_id"), "other_patient")
		}
		if !ix.participant(c.GranteeID) {
			l.AddCoded(at.field("grantee_id"), "no_participant")
		}
		if !ix.participant(c.RecordedBy) {
			l.AddCoded(at.field("recorded_by"), "no_participant")
		}
		for j, s := range c.Scopes {
			if !s.Valid() {
				enum(l, at.field("scopes")+"["+strconv.Itoa(j)+"]", s, consent.Scopes())
			}
		}
		if !c.Method.Valid() {
			enum(l, at.field("method"), c.Method, consent.Methods())
		}
		if !c.WithdrawnAt.IsZero() && !c.GivenAt.IsZero() && c.WithdrawnAt.Before(c.GivenAt) {
			l.AddCoded(at.field("withdrawn_at"), "before_given")
		}
		if !c.ExpiresAt.IsZero() && !c.GivenAt.IsZero() && c.ExpiresAt.Before(c.GivenAt) {
			l.AddCoded(at.field("expires_at"), "before_given")
		}
	}
}

func validatePlan(l *validation.List, ix lookup, p *plan.Plan) {
	m := ix.m
	if p.MeetingID != uuid.Nil && m.ID != uuid.Nil && p.MeetingID != m.ID {
		l.AddCoded("plan.meeting_id", "other_meeting")
	}
	if !p.Status.Valid() {
		enum(l, "plan.status", p.Status, plan.Statuses())
	}
	duplicates(l, "plan.actions", "action", len(p.Actions), func(i int) uuid.UUID { return p.Actions[i].ID })
	for i := range p.Actions {
		a := &p.Actions[i]
		at := path{"plan.actions", i}
		if !a.Kind.Valid() {
			enum(l, at.field("kind"), a.Kind, plan.ActionKinds())
		}
	}
	for i, s := range p.InformedOnlySectors {
		if sector := meeting.Sector(s); !sector.Valid() {
			enum(l, path{"plan.informed_only_sectors", i}.String(), sector, meeting.Sectors())
		}
	}
	if f := p.FollowUp; f != nil {
		if !f.Intensity.Valid() {
			enum(l, "plan.follow_up.intensity", f.Intensity, plan.Intensities())
		}
		if !f.Initiator.Valid() {
			enum(l, "plan.follow_up.initiator", f.Initiator, plan.Initiators())
		}
	}
	participantRefs(l, ix, p.Recipients, "plan.recipients")
}

// enum records an unknown value of a set enum field; an empty one is left to
// the required tags. The value is quoted only when it looks like a code, so
// that free text put in the wrong field is never echoed.
func enum[E ~string](l *validation.List, path string, v E, all []E) {
	if v == "" {
		return
	}
	want := make([]string, len(all))
	for i, e := range all {
		want[i] = string(e)
	}
	l.AddCoded(path, "unknown_value", "value", quoteCode(string(v)), "allowed", strings.Join(want, ", "))
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

// smallList is the length up to which a scan finds duplicates and references
// faster than a map, and without allocating.
const smallList = 32

// duplicates records every element of a list of n whose id an earlier
// element has; what is the code of the element in the vocabulary "what" of
// validation.Messages (participant, agenda_item, consent, action).
func duplicates(l *validation.List, list, what string, n int, idAt func(int) uuid.UUID) {
	if n <= smallList {
		for i := 1; i < n; i++ {
			id := idAt(i)
			for j := 0; j < i && id != uuid.Nil; j++ {
				if idAt(j) == id {
					l.AddCoded(path{list, i}.field("id"), "duplicate_id", "what", what, "first", path{list, j}.String())
					break
				}
			}
		}
		return
	}
	seen := make(map[uuid.UUID]int, n)
	for i := 0; i < n; i++ {
		id := idAt(i)
		if id == uuid.Nil {
			continue
		}
		if j, ok := seen[id]; ok {
			l.AddCoded(path{list, i}.field("id"), "duplicate_id", "what", what, "first", path{list, j}.String())
			continue
		}
		seen[id] = i
	}
}

// itemRef returns the agenda index of a set item reference, recording a
// problem when it refers to no item; -1 when unset or dangling.
func itemRef(l *validation.List, ix lookup, id uuid.UUID, at path, field string) int {
	if id == uuid.Nil {
		return -1
	}
	i := ix.item(id)
	if i < 0 {
		l.AddCoded(at.field(field), "no_item")
	}
	return i
}

// awayItems records every entry of p.AwayItems that is unset, not on the
// agenda, outside the participant's span (first and last are the resolved
// joins_at_item and leaves_after_item, -1 when unset or dangling), or a
// repeat of an earlier entry.
func awayItems(l *validation.List, ix lookup, p *meeting.Participant, at path, first, last int) {
	list := at.field("away_items")
	var seen map[uuid.UUID]int // long lists only
	if len(p.AwayItems) > smallList {
		seen = make(map[uuid.UUID]int, len(p.AwayItems))
	}
	for j, id := range p.AwayItems {
		entry := path{list, j}
		if id == uuid.Nil {
			l.Addf(entry.String(), "is required")
			continue
		}
		if prev := repeated(p.AwayItems, seen, j); prev >= 0 {
			l.Addf(entry.String(), "repeats the agenda item of %s", path{list, prev})
			continue
		}
		i := ix.item(id)
		switch {
		case i < 0:
			l.Addf(entry.String(), "refers to an agenda item that does not exist")
		case first >= 0 && i < first:
			l.Addf(entry.String(), "is before joins_at_item in agenda order: away_items lists items inside the participant's attendance")
		case last >= 0 && i > last:
			l.Addf(entry.String(), "is after leaves_after_item in agenda order: away_items lists items inside the participant's attendance")
		}
	}
}

// repeated returns the index of an earlier entry of ids equal to ids[j], or
// -1: by scanning when seen is nil, else through seen, which it fills.
func repeated(ids []uuid.UUID, seen map[uuid.UUID]int, j int) int {
	if seen == nil {
		return slices.Index(ids[:j], ids[j])
	}
	if prev, ok := seen[ids[j]]; ok {
		return prev
	}
	seen[ids[j]] = j
	return -1
}

// lookup finds participants and agenda items by ID: by scanning in a meeting
// of usual size, through maps built once in a large one, so that validating
// stays linear in the size of the document.
type lookup struct {
	m            *meeting.Meeting
	participants map[uuid.UUID]int
	items        map[uuid.UUID]int
}

func newLookup(m *meeting.Meeting) lookup {
	ix := lookup{m: m}
	if len(m.Participants) > smallList {
		ix.participants = make(map[uuid.UUID]int, len(m.Participants))
		for i := len(m.Participants) - 1; i >= 0; i-- { // the first of duplicates wins
			ix.participants[m.Participants[i].ID] = i
		}
	}
	if len(m.Agenda) > smallList {
		ix.items = make(map[uuid.UUID]int, len(m.Agenda))
		for i := len(m.Agenda) - 1; i >= 0; i-- {
			ix.items[m.Agenda[i].ID] = i
		}
	}
	return ix
}

// participant reports whether id is unset or names a participant.
func (ix lookup) participant(id uuid.UUID) bool {
	if id == uuid.Nil {
		return true
	}
	if ix.participants != nil {
		_, ok := ix.participants[id]
		return ok
	}
	return ix.m.ParticipantIndex(id) >= 0
}

// item returns the agenda index of the item with the given ID, or -1.
func (ix lookup) item(id uuid.UUID) int {
	if ix.items != nil {
		if i, ok := ix.items[id]; ok {
			return i
		}
		return -1
	}
	return ix.m.ItemIndex(id)
}

func participantRefs(l *validation.List, ix lookup, ids []uuid.UUID, list string) {
	for i, id := range ids {
		switch {
		case id == uuid.Nil:
			l.AddCoded(path{list, i}.String(), "required")
		case !ix.participant(id):
			l.AddCoded(path{list, i}.String(), "no_participant")
		}
	}
}
