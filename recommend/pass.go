package recommend

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
)

// Day and Week are the units of the parameters named *_days and *_weeks: whole
// 24-hour days and 7 such days, so that no calendar or time zone is involved.
const (
	Day  = 24 * time.Hour
	Week = 7 * Day
)

// Pass is what one Check function sees: the case, the policy's profile, the
// resolved parameters of its recommendation, and Report for what it finds.
//
// The engine reuses a Pass for every rule of one Check call and recycles it
// afterwards: a Check function must not keep it, nor anything it returns.
type Pass struct {
	// Recommendation is the recommendation being checked.
	Recommendation *Recommendation
	// Case is the whole case; Meeting, Consents and Plan are its parts.
	Case     *casedoc.Case
	Meeting  *meeting.Meeting
	Consents consent.Set
	// Plan is nil when the case has no plan.
	Plan *plan.Plan
	// Profile is the policy's preparedness profile (never empty).
	Profile Profile
	// Start is the reference time of every check: the meeting start.
	Start time.Time

	rules         []compiledRule // the engine's, set once per Check
	rule          int            // the index in rules of the rule being checked
	findings      []Finding
	notApplicable bool
	patient       int // index of the patient participant, or -1

	// What every rule would otherwise compute again, once per Check: see
	// caseIndex. Slices keep their memory from one pooled use to the next;
	// maps are built only for large cases and dropped by release.
	index caseIndex
}

// paramValue is a resolved parameter of one rule.
type paramValue struct {
	name string
	kind string // "int" or "bool"
	i    int
	b    bool
}

// Int returns the value of the int parameter name, as resolved from the
// policy and the default. Reading a parameter the recommendation does not
// declare is a programming error: it panics, and the outcome is error.
func (p *Pass) Int(name string) int {
	params := p.rules[p.rule].params
	for i := range params {
		if params[i].name == name && params[i].kind == "int" {
			return params[i].i
		}
	}
	panic("recommend: " + p.Recommendation.ID + " reads undeclared int parameter " + strconv.Quote(name))
}

// Bool returns the value of the bool parameter name; see Int.
func (p *Pass) Bool(name string) bool {
	params := p.rules[p.rule].params
	for i := range params {
		if params[i].name == name && params[i].kind == "bool" {
			return params[i].b
		}
	}
	panic("recommend: " + p.Recommendation.ID + " reads undeclared bool parameter " + strconv.Quote(name))
}

// Days returns the int parameter name as a duration of whole days.
func (p *Pass) Days(name string) time.Duration { return time.Duration(p.Int(name)) * Day }

// Weeks returns the int parameter name as a duration of whole weeks.
func (p *Pass) Weeks(name string) time.Duration { return time.Duration(p.Int(name)) * Week }

// Report records a finding: something missing from the case. A finding must
// never carry free text of the case (names, purposes, titles, goals,
// descriptions, organizations): IDs, roles, JSON paths and numbers only.
func (p *Pass) Report(f Finding) { p.findings = append(p.findings, f) }

// ReportMeeting records a finding about the meeting or the case as a whole.
func (p *Pass) ReportMeeting(path, message, remedy string) {
	p.Report(Finding{Path: path, Message: message, Remedy: remedy})
}

// ReportParticipant records a finding whose subject is the participant at
// index i of meeting.participants: the finding carries its ID and role.
func (p *Pass) ReportParticipant(i int, path, message, remedy string) {
	f := Finding{Path: path, Message: message, Remedy: remedy}
	if i >= 0 && i < len(p.Meeting.Participants) {
		f.SubjectID = p.Meeting.Participants[i].ID
		f.SubjectRole = p.Meeting.Participants[i].Role
	}
	p.Report(f)
}

// NotApplicable marks the recommendation as not applicable to this case;
// findings reported before or after are dropped.
func (p *Pass) NotApplicable() { p.notApplicable = true }

// Patient returns the first participant with role patient and its index, or
// nil and -1.
func (p *Pass) Patient() (*meeting.Participant, int) {
	if p.patient < 0 {
		return nil, -1
	}
	return &p.Meeting.Participants[p.patient], p.patient
}

// newPass returns a Pass whose index uses its own memory for a meeting of
// usual size.
func newPass() *Pass {
	p := new(Pass)
	ix, b := &p.index, &p.index.buf
	ix.spans, ix.classes, ix.minutes = b.spans[:0], b.classes[:0], b.minutes[:0]
	ix.clinical, ix.sensitive, ix.ownerSectors = b.clinical[:0], b.sensitive[:0], b.ownerSectors[:0]
	return p
}

// emptyCase stands in for a nil case.
var emptyCase casedoc.Case

// reset points p at a case for a new Check call.
func (p *Pass) reset(c *casedoc.Case, profile Profile) {
	if c == nil {
		c = &emptyCase
	}
	p.Case, p.Meeting, p.Consents, p.Plan = c, &c.Meeting, c.Consents, c.Plan
	p.Profile, p.Start = profile, c.Meeting.Start
	p.patient = -1
	for i := range c.Meeting.Participants {
		if c.Meeting.Participants[i].Role == meeting.RolePatient {
			p.patient = i
			break
		}
	}
	p.index.reset(c)
}

// begin prepares p for one rule.
//
// Only the Recommendation pointer is stored per rule (the parameters are
// found through the index of the rule): while the garbage collector marks,
// every pointer stored in the pooled Pass costs a write barrier.
func (p *Pass) begin(i int) {
	p.Recommendation, p.rule = &p.rules[i].rule.Recommendation, i
	p.findings = p.findings[:0]
	p.notApplicable = false
}

// release drops every reference to the case, so that a pooled Pass keeps
// nothing alive.
func (p *Pass) release() {
	clear(p.findings[:cap(p.findings)])
	p.index.release() // in place: the index holds the memory of its slices
	p.Recommendation, p.Case, p.Meeting, p.Consents, p.Plan = nil, nil, nil, nil, nil
	p.Profile, p.Start = "", time.Time{}
	p.rules, p.rule = nil, 0
	p.findings, p.notApplicable, p.patient = p.findings[:0], false, 0
}

// smallList is the length up to which the pass finds an ID in a list by
// scanning it: faster than building a map at that size, and without
// allocating. A longer list gets a map, built on first use, so that a check
// stays linear in the size of the case (a meeting of 100,000 participants
// included). It is a variable so that tests can force the maps.
var smallList = 64

// span is the agenda indexes of the first and last item that a participant
// attends, both included; first > last when it attends nothing.
type span struct{ first, last int }

// caseIndex is what the rules of one Check share about the case: the
// attendance span of every participant (meeting.Meeting.Span, computed once
// instead of by every rule), the running total of agenda minutes, the
// indexes of the items of the kinds that rules look for, and the lookups of
// participants, items, consents and ID lists. Everything answers exactly
// as the meeting, consent and plan methods it replaces.
type caseIndex struct {
	m         *meeting.Meeting
	classes   []class // of each participant
	spans     []span
	minutes   []int // minutes[i] is the sum of the minutes of agenda items before i
	clinical  []int // indexes of the clinical_summary items, in order
	sensitive []int // indexes of the items marked sensitive, in order

	participants map[uuid.UUID]int // large meetings only, built on first use
	items        map[uuid.UUID]int // large agendas only

	consents  consent.Set          // the case's consents
	byGrantee consent.Set          // large sets only: a copy, stably sorted by grantee
	grants    map[uuid.UUID][2]int // grantee → its run in byGrantee
	sentTo    idSet                // meeting.preparation.sent_to
	notesTo   idSet                // meeting.preparation.clinical_notes_sent_to
	contacted idSet                // meeting.preparation.pre_meeting_contact
	receivers idSet                // plan.recipients

	ownerSectors []meeting.Sector // sectors of the plan's action owners, once ownersFound
	ownersFound  bool

	// The memory of the slices above for a meeting of usual size, in the
	// Pass itself: a new Pass (the pool is emptied by every garbage
	// collection) is one allocation, as it was before the index.
	buf struct {
		spans        [16]span
		classes      [16]class
		minutes      [17]int
		clinical     [4]int
		sensitive    [4]int
		ownerSectors [16]meeting.Sector
	}
}

// reset indexes c; it must have been released (or be new).
func (ix *caseIndex) reset(c *casedoc.Case) {
	m := &c.Meeting
	ix.m, ix.consents = m, c.Consents
	ix.minutes = append(ix.minutes[:0], 0)
	ix.clinical, ix.sensitive = ix.clinical[:0], ix.sensitive[:0]
	total := 0
	for i := range m.Agenda {
		it := &m.Agenda[i]
		total += it.Minutes
		ix.minutes = append(ix.minutes, total)
		if it.Kind == meeting.ItemClinicalSummary {
			ix.clinical = append(ix.clinical, i)
		}
		if it.Sensitive {
			ix.sensitive = append(ix.sensitive, i)
		}
	}
	ix.spans, ix.classes = ix.spans[:0], ix.classes[:0]
	for k := range m.Participants {
		p := &m.Participants[k]
		ix.classes = append(ix.classes, classOf(p))
		s := span{0, len(m.Agenda) - 1}
		if p.JoinsAtItem != uuid.Nil {
			if s.first = ix.item(p.JoinsAtItem); s.first < 0 {
				s = span{0, -1}
			}
		}
		if p.LeavesAfterItem != uuid.Nil && s.first <= s.last {
			if s.last = ix.item(p.LeavesAfterItem); s.last < 0 {
				s = span{0, -1}
			}
		}
		ix.spans = append(ix.spans, s)
	}
	if prep := m.Preparation; prep != nil {
		ix.sentTo.reset(prep.SentTo)
		ix.notesTo.reset(prep.ClinicalNotesSentTo)
		ix.contacted.reset(prep.PreMeetingContact)
	}
	if c.Plan != nil {
		ix.receivers.reset(c.Plan.Recipients)
	}
}

// release drops every reference into the case, and the maps of a large one.
func (ix *caseIndex) release() {
	ix.m, ix.consents = nil, nil
	clear(ix.ownerSectors)
	ix.ownerSectors, ix.ownersFound = ix.ownerSectors[:0], false
	ix.participants, ix.items, ix.grants = nil, nil, nil
	clear(ix.byGrantee)
	ix.byGrantee = nil
	ix.sentTo.reset(nil)
	ix.notesTo.reset(nil)
	ix.contacted.reset(nil)
	ix.receivers.reset(nil)
}

// participant returns the index of the first participant with the given ID,
// or -1: meeting.Meeting.ParticipantIndex, in constant time for a large meeting.
func (ix *caseIndex) participant(id uuid.UUID) int {
	ps := ix.m.Participants
	if id == uuid.Nil {
		return -1
	}
	if len(ps) <= smallList {
		return ix.m.ParticipantIndex(id)
	}
	if ix.participants == nil {
		ix.participants = make(map[uuid.UUID]int, len(ps))
		for k := len(ps) - 1; k >= 0; k-- { // the first of duplicates wins
			ix.participants[ps[k].ID] = k
		}
	}
	if k, ok := ix.participants[id]; ok {
		return k
	}
	return -1
}

// item returns the index of the first agenda item with the given ID, or -1:
// meeting.Meeting.ItemIndex, in constant time for a long agenda.
func (ix *caseIndex) item(id uuid.UUID) int {
	agenda := ix.m.Agenda
	if id == uuid.Nil {
		return -1
	}
	if len(agenda) <= smallList {
		return ix.m.ItemIndex(id)
	}
	if ix.items == nil {
		ix.items = make(map[uuid.UUID]int, len(agenda))
		for i := len(agenda) - 1; i >= 0; i-- {
			ix.items[agenda[i].ID] = i
		}
	}
	if i, ok := ix.items[id]; ok {
		return i
	}
	return -1
}

// class says what a participant is, as the methods of meeting.Participant
// do, computed once per Check instead of by every rule.
type class uint8

const (
	healthcare        class = 1 << iota // meeting.Participant.Healthcare
	outsideHealthcare                   // meeting.Participant.OutsideHealthcare
	thirdParty                          // meeting.Participant.ThirdParty
	patientSide                         // meeting.Participant.PatientSide
)

// classOf decides the class of p with one switch on its sector, where the
// methods compare it with each sector in turn (TestClassOf checks that they
// agree).
func classOf(p *meeting.Participant) class {
	var c class
	switch p.Sector {
	case meeting.SectorSpecialistHealth, meeting.SectorPrimaryHealth:
		return healthcare
	case meeting.SectorPatient:
		c = patientSide
	case meeting.SectorSocialSecurity, meeting.SectorEmployer, meeting.SectorEducation, meeting.SectorOther:
		c = outsideHealthcare
	}
	if p.Role != meeting.RolePatient {
		c |= thirdParty
	}
	return c
}

// is reports whether participant k is of class c.
func (ix *caseIndex) is(k int, c class) bool { return ix.classes[k]&c != 0 }

// attends reports whether participant k attends agenda item i.
func (ix *caseIndex) attends(k, i int) bool {
	s := ix.spans[k]
	return i >= s.first && i <= s.last
}

// attendedMinutes is the sum of the minutes of the items participant k attends.
func (ix *caseIndex) attendedMinutes(k int) int {
	s := ix.spans[k]
	if s.first > s.last {
		return 0
	}
	return ix.minutes[s.last+1] - ix.minutes[s.first]
}

// inSpan returns the run of the sorted item indexes items that participant
// k attends, in time logarithmic in len(items).
func (ix *caseIndex) inSpan(items []int, k int) []int {
	s := ix.spans[k]
	if s.first > s.last {
		return nil
	}
	lo, _ := slices.BinarySearch(items, s.first)
	hi, found := slices.BinarySearch(items, s.last)
	if found {
		hi++
	}
	return items[lo:hi]
}

// allows is consent.Set.Allows on the case's consents, in time proportional
// to the grantee's own consents for a large set.
func (ix *caseIndex) allows(grantee uuid.UUID, scope consent.Scope, at time.Time) consent.Decision {
	if len(ix.consents) <= smallList {
		return ix.consents.Allows(grantee, scope, at)
	}
	if ix.grants == nil {
		// Sorted by grantee, then by position in the set, so that each
		// grantee's consents keep their order and Allows on its run decides
		// as on the whole set. The positions are sorted, not the consents:
		// moving ints is cheaper, and the consents are copied once.
		order := make([]int, len(ix.consents))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(i, j int) int {
			if c := bytes.Compare(ix.consents[i].GranteeID[:], ix.consents[j].GranteeID[:]); c != 0 {
				return c
			}
			return cmp.Compare(i, j)
		})
		ix.byGrantee = make(consent.Set, len(order))
		for i, k := range order {
			ix.byGrantee[i] = ix.consents[k]
		}
		ix.grants = make(map[uuid.UUID][2]int)
		for lo := 0; lo < len(ix.byGrantee); {
			hi := lo + 1
			for hi < len(ix.byGrantee) && ix.byGrantee[hi].GranteeID == ix.byGrantee[lo].GranteeID {
				hi++
			}
			ix.grants[ix.byGrantee[lo].GranteeID] = [2]int{lo, hi}
			lo = hi
		}
	}
	run, ok := ix.grants[grantee]
	if !ok {
		return consent.NoConsent
	}
	return ix.byGrantee[run[0]:run[1]].Allows(grantee, scope, at)
}

// idSet answers "is this ID in the list?" by scanning a short list and
// through a map, built on first use, for a long one.
type idSet struct {
	ids []uuid.UUID
	m   map[uuid.UUID]struct{}
}

func (s *idSet) reset(ids []uuid.UUID) { s.ids, s.m = ids, nil }

func (s *idSet) has(id uuid.UUID) bool {
	if len(s.ids) <= smallList {
		return containsID(s.ids, id)
	}
	if s.m == nil {
		s.m = make(map[uuid.UUID]struct{}, len(s.ids))
		for _, x := range s.ids {
			s.m[x] = struct{}{}
		}
	}
	_, ok := s.m[id]
	return ok
}
