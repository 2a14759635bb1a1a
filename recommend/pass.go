package recommend

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
)

// Pass is what one Check function sees: the case, the policy's profile, the
// resolved parameters of its recommendation, the queries every rule needs,
// and Report for what it finds. Built-in and custom rules see the same Pass.
//
// The queries answer as the domain methods they are named after
// (meeting.Meeting.Span, ThirdParty, consent.Set.Allows, ...), from an index
// the engine builds once per case, so that a check stays linear in the size
// of the case. The engine reuses a Pass for every rule of one Check call and
// recycles it afterwards: a Check function must not keep it, nor anything it
// returns.
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

	params        []int    // of the rule being checked, in the order of its Params
	codes         []string // of the rule being checked, in the order of its Reasons
	findings      []Finding
	spares        [][]Finding // memory of findings no result holds any more (see spare)
	limit         int         // the most findings a result keeps
	omitted       int         // findings over the limit
	err           error       // a misuse of the Pass by the rule
	notApplicable bool
	noFixes       bool // the engine was made WithoutFixes

	index caseIndex
}

// Int returns the value of the parameter name (a switch gives 0 or 1), as
// resolved from the policy and the default. Reading a parameter the
// recommendation does not declare is a programming error: it panics, and
// the outcome is error.
func (p *Pass) Int(name string) int {
	declared := p.Recommendation.Params
	for i := range declared {
		if declared[i].Name == name {
			return p.params[i]
		}
	}
	panic("recommend: " + p.Recommendation.ID + " reads undeclared parameter " + strconv.Quote(name))
}

// Bool returns the switch parameter name; see Int.
func (p *Pass) Bool(name string) bool { return p.Int(name) != 0 }

// Days returns the parameter name as a duration of whole days. Parameters are
// bounded (see Unit.Range), so the duration never overflows.
func (p *Pass) Days(name string) time.Duration { return time.Duration(p.Int(name)) * Day }

// Weeks returns the parameter name as a duration of whole weeks.
func (p *Pass) Weeks(name string) time.Duration { return time.Duration(p.Int(name)) * Week }

// Report records a finding: something missing from the case. f.Code may be
// the reason alone ("owner_not_participant"): the engine prefixes the
// recommendation ID. The reason must be one the recommendation declares, and
// Args may hold only codes, numbers, IDs and times (never free text of the
// case); otherwise the outcome is error. The engine renders Message, Remedy
// and Subject, and fills SubjectRole from SubjectID.
func (p *Pass) Report(f Finding) {
	r := p.Recommendation
	reason, full := f.Code, false
	if len(reason) > len(r.ID) && reason[len(r.ID)] == '.' && reason[:len(r.ID)] == r.ID {
		reason, full = reason[len(r.ID)+1:], true
	}
	j := slices.Index(r.Reasons, reason)
	if j < 0 {
		p.fail(fmt.Errorf("reports undeclared reason %q", reason))
		return
	}
	for k, v := range f.Args {
		if !validArg(v) {
			p.fail(fmt.Errorf("reason %s: arg %q is a %T: args hold codes, numbers, IDs and times only", reason, k, v))
			return
		}
	}
	if !full {
		if j < len(p.codes) {
			f.Code = p.codes[j] // made once, when the engine was compiled
		} else {
			f.Code = r.Code(reason)
		}
	}
	if len(p.findings) >= p.limit {
		p.omitted++
		return
	}
	p.findings = append(p.findings, f)
}

func (p *Pass) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// Fix attaches a suggested fix to the finding reported last (see
// docs/fixes.md): RFC 6902 operations on the case document as it is now, and the
// reason for its message, "<ID>.fix.<reason>" in the message files. The
// engine keeps fixes only for a planned meeting (a held meeting's record is
// never changed) and drops them from a finding that was left out. The
// reason must be declared in the recommendation's Fixes.
func (p *Pass) Fix(reason string, args Args, patch ...PatchOp) {
	r := p.Recommendation
	if !slices.Contains(r.Fixes, reason) {
		p.fail(fmt.Errorf("suggests undeclared fix %q", reason))
		return
	}
	for k, v := range args {
		if !validArg(v) {
			p.fail(fmt.Errorf("fix %s: arg %q is a %T: args hold codes, numbers, IDs and times only", reason, k, v))
			return
		}
	}
	if p.noFixes || p.Meeting.Status != meeting.StatusPlanned || p.omitted > 0 || len(p.findings) == 0 || len(patch) == 0 {
		return
	}
	f := &p.findings[len(p.findings)-1]
	f.Fixes = append(f.Fixes, Fix{Code: r.ID + ".fix." + reason, Args: args, Patch: patch})
}

// WantsFixes reports whether the engine keeps the fixes of this check: the
// meeting is planned and the engine was not made WithoutFixes. A rule whose
// fix costs work to compute computes it only then; Fix drops the fixes of a
// check that does not want them anyway.
func (p *Pass) WantsFixes() bool {
	return !p.noFixes && p.Meeting != nil && p.Meeting.Status == meeting.StatusPlanned
}

// ReportCase records a finding about the case at path, such as "plan" or
// "meeting.duration_minutes", with no participant or item as its subject.
func (p *Pass) ReportCase(path, reason string, args Args) {
	p.Report(Finding{Path: path, Code: reason, Args: args})
}

// ReportParticipant records a finding whose subject is the participant at
// index k: the path is meeting.participants[k], followed by "." + field when
// field is not empty.
func (p *Pass) ReportParticipant(k int, field, reason string, args Args) {
	f := Finding{Path: join(indexed(participantsPath, k), field), Code: reason, Args: args}
	if k >= 0 && k < len(p.Meeting.Participants) {
		f.SubjectID = p.Meeting.Participants[k].ID
	}
	p.Report(f)
}

// ReportListed records a finding about the participant at index k where
// it is (or should be) listed: the path is list (such as
// "meeting.preparation.sent_to"), the subject the participant.
func (p *Pass) ReportListed(k int, list, reason string, args Args) {
	f := Finding{Path: list, Code: reason, Args: args}
	if k >= 0 && k < len(p.Meeting.Participants) {
		f.SubjectID = p.Meeting.Participants[k].ID
	}
	p.Report(f)
}

// ReportItem records a finding whose subject is the agenda item at index i:
// the path is meeting.agenda[i], followed by "." + field when not empty.
func (p *Pass) ReportItem(i int, field, reason string, args Args) {
	f := Finding{Path: join(indexed(agendaPath, i), field), Code: reason, Args: args}
	if i >= 0 && i < len(p.Meeting.Agenda) {
		f.SubjectID = p.Meeting.Agenda[i].ID
	}
	p.Report(f)
}

// ReportAction records a finding whose subject is the action at index i of
// the plan: the path is plan.actions[i], followed by "." + field.
func (p *Pass) ReportAction(i int, field, reason string, args Args) {
	f := Finding{Path: join(indexed(actionsPath, i), field), Code: reason, Args: args}
	if p.Plan != nil && i >= 0 && i < len(p.Plan.Actions) {
		f.SubjectID = p.Plan.Actions[i].ID
	}
	p.Report(f)
}

// indexed is base + "[i]". The paths of the first elements of the case's
// lists are made once (indexPaths), not for every finding.
func indexed(base string, i int) string {
	if uint(i) < indexPaths {
		switch base {
		case participantsPath:
			return participantPaths[i]
		case agendaPath:
			return agendaPaths[i]
		case actionsPath:
			return actionPaths[i]
		}
	}
	return base + "[" + strconv.Itoa(i) + "]"
}

// The lists whose paths indexed makes once, up to indexPaths elements.
const (
	participantsPath = "meeting.participants"
	agendaPath       = "meeting.agenda"
	actionsPath      = "plan.actions"
	indexPaths       = 32
)

var participantPaths, agendaPaths, actionPaths = paths(participantsPath), paths(agendaPath), paths(actionsPath)

func paths(base string) (p [indexPaths]string) {
	for i := range p {
		p[i] = base + "[" + strconv.Itoa(i) + "]"
	}
	return p
}

func join(path, field string) string {
	if field == "" {
		return path
	}
	return path + "." + field
}

// NotApplicable marks the recommendation as not applicable to this case;
// findings reported before or after are dropped.
func (p *Pass) NotApplicable() { p.notApplicable = true }

// Patient returns the index of the patient of the meeting (see
// meeting.Meeting.PatientIndex), or -1.
func (p *Pass) Patient() int { return p.index.patient }

// Participant returns the index of the participant with the given ID, or -1
// (meeting.Meeting.ParticipantIndex).
func (p *Pass) Participant(id uuid.UUID) int { return p.index.participant(id) }

// Item returns the index of the agenda item with the given ID, or -1
// (meeting.Meeting.ItemIndex).
func (p *Pass) Item(id uuid.UUID) int { return p.index.item(id) }

// Span returns the first and last agenda index of participant k's
// attendance (meeting.Meeting.Span); first > last when it attends nothing.
// The items it steps out of (Away) are inside the span: ask Attends
// whether it attends an item.
func (p *Pass) Span(k int) (first, last int) {
	s := p.index.spans[k]
	return s.first, s.last
}

// Away returns the agenda indexes inside participant k's span that it steps
// out of (its away_items), ascending and each once; empty for most
// participants. The slice belongs to the Pass: read it, do not keep or
// change it.
func (p *Pass) Away(k int) []int {
	s := p.index.spans[k]
	return p.index.away[s.awayLo:s.awayHi]
}

// Attends reports whether participant k attends agenda item i: inside its
// span and not one it steps out of (meeting.Meeting.AttendsIndex).
func (p *Pass) Attends(k, i int) bool {
	s := p.index.spans[k]
	if i < s.first || i > s.last {
		return false
	}
	if s.awayLo == s.awayHi {
		return true
	}
	_, away := slices.BinarySearch(p.index.away[s.awayLo:s.awayHi], i)
	return !away
}

// AttendsWhole reports whether participant k attends every item of a
// non-empty agenda, stepping out of none (meeting.Meeting.AttendsAll).
func (p *Pass) AttendsWhole(k int) bool {
	s := p.index.spans[k]
	return len(p.Meeting.Agenda) > 0 && s.first == 0 && s.last == len(p.Meeting.Agenda)-1 && s.awayLo == s.awayHi
}

// AttendedMinutes is the sum of the minutes of the items participant k
// attends, its span without the items it steps out of
// (meeting.Meeting.AttendedMinutes), saturating at math.MaxInt.
func (p *Pass) AttendedMinutes(k int) int {
	s := p.index.spans[k]
	if s.first > s.last {
		return 0
	}
	minutes := p.index.minutes
	total := minutes[s.last+1] - minutes[s.first]
	if total == math.MaxInt || minutes[s.last+1] == math.MaxInt {
		return total // saturated: a sum that overflowed is never short
	}
	for _, i := range p.index.away[s.awayLo:s.awayHi] {
		total -= minutes[i+1] - minutes[i]
	}
	return total
}

// AgendaMinutes is the sum of the minutes of every agenda item
// (meeting.Meeting.AgendaMinutes), saturating at math.MaxInt.
func (p *Pass) AgendaMinutes() int { return p.index.minutes[len(p.index.minutes)-1] }

// ThirdParty reports whether participant k is a third party: neither a
// healthcare participant nor the patient (meeting.Meeting.ThirdParty).
func (p *Pass) ThirdParty(k int) bool { return p.index.third[k] }

// Items returns the indexes of the agenda items of kind k, ascending. The
// slice belongs to the Pass: read it, do not keep or change it.
func (p *Pass) Items(k meeting.ItemKind) []int { return p.index.ofKind(k) }

// SensitiveItems returns the indexes of the agenda items marked sensitive,
// ascending; see Items.
func (p *Pass) SensitiveItems() []int { return p.index.sensitive }

// Attended returns the items of items (ascending agenda indexes, such as
// Items gives) that participant k attends, ascending: in time logarithmic
// in len(items) for a participant who steps out of nothing, and linear in
// the run inside its span otherwise. The slice belongs to the Pass and
// holds until the next call of Attended: read it, do not keep or change it.
func (p *Pass) Attended(k int, items []int) []int {
	s := p.index.spans[k]
	if s.first > s.last {
		return nil
	}
	lo, _ := slices.BinarySearch(items, s.first)
	hi, found := slices.BinarySearch(items, s.last)
	if found {
		hi++
	}
	run := items[lo:hi]
	if s.awayLo == s.awayHi || len(run) == 0 {
		return run
	}
	away := p.index.away[s.awayLo:s.awayHi]
	out := p.index.attended[:0]
	for _, i := range run {
		if _, found := slices.BinarySearch(away, i); !found {
			out = append(out, i)
		}
	}
	p.index.attended = out
	return out
}

// Allows says whether the grantee holds a consent with the scope valid at
// time at (consent.Set.Allows), in time proportional to the grantee's own
// consents.
func (p *Pass) Allows(grantee uuid.UUID, scope consent.Scope, at time.Time) consent.Decision {
	return p.index.allows(grantee, scope, at)
}

// Listed reports whether ids contains id: by scanning a short list, and
// through a set built once per case for a long one.
func (p *Pass) Listed(ids []uuid.UUID, id uuid.UUID) bool { return p.index.listed(ids, id) }

// smallList is the length up to which the pass finds an ID in a list by
// scanning it: faster than building a map at that size, and without
// allocating. A longer list gets a map, built on first use, so that a check
// stays linear in the size of the case. It is a variable so that tests can
// force the maps.
var smallList = 64

// span is the agenda indexes of the first and last item of a participant's
// attendance, both included (first > last when it attends nothing), and
// the run away[awayLo:awayHi] of the caseIndex: the items inside it that
// the participant steps out of.
type span struct{ first, last, awayLo, awayHi int }

// caseIndex is what the rules of one Check share about the case, computed
// once with the domain's rules: attendance spans (meeting.SpanOf), third
// parties (meeting.Meeting.ThirdParty), minutes, items by kind, and lookups
// that answer as the domain methods they replace.
type caseIndex struct {
	m         *meeting.Meeting
	patient   int
	third     []bool
	spans     []span
	away      []int // the away items of every participant, by span
	attended  []int // Attended's result for a participant with away items
	minutes   []int // minutes[i] is the sum of the minutes of agenda items before i
	sensitive []int
	kinds     []kindItems

	participants map[uuid.UUID]int // large meetings only, built on first use
	items        map[uuid.UUID]int // large agendas only

	consents  consent.Set
	byGrantee consent.Set                        // large sets only: stably sorted by grantee
	grants    map[uuid.UUID][2]int               // grantee → its run in byGrantee
	lists     map[listKey]map[uuid.UUID]struct{} // long lists only, built on first use
}

// listKey identifies a list of the case by its memory and length.
type listKey struct {
	first *uuid.UUID
	n     int
}

// kindItems is the indexes of the items of one kind, built on first use.
type kindItems struct {
	kind  meeting.ItemKind
	found bool
	items []int
}

// reset indexes c; it must have been released (or be new).
func (ix *caseIndex) reset(c *casedoc.Case) {
	m := &c.Meeting
	ix.m, ix.consents = m, c.Consents
	ix.patient = m.PatientIndex()
	ix.minutes = append(ix.minutes[:0], 0)
	ix.sensitive = ix.sensitive[:0]
	total := 0
	for i := range m.Agenda {
		it := &m.Agenda[i]
		total = addMinutes(total, it.Minutes)
		ix.minutes = append(ix.minutes, total)
		if it.Sensitive {
			ix.sensitive = append(ix.sensitive, i)
		}
	}
	for i := range ix.kinds {
		ix.kinds[i].found = false
	}
	ix.spans, ix.third, ix.away = ix.spans[:0], ix.third[:0], ix.away[:0]
	for k := range m.Participants {
		p := &m.Participants[k]
		first, last := meeting.SpanOf(len(m.Agenda), ix.ref(p.JoinsAtItem), ix.ref(p.LeavesAfterItem))
		lo := len(ix.away)
		if len(p.AwayItems) > 0 && first <= last {
			ix.addAway(p.AwayItems, first, last)
		}
		ix.spans = append(ix.spans, span{first, last, lo, len(ix.away)})
		ix.third = append(ix.third, p.ThirdParty(k == ix.patient))
	}
}

// addAway appends to ix.away the agenda indexes of ids that are inside
// first to last, ascending and each once (the case format refuses the
// others; a case checked without validation ignores them).
func (ix *caseIndex) addAway(ids []uuid.UUID, first, last int) {
	lo := len(ix.away)
	for _, id := range ids {
		if i := ix.item(id); i >= first && i <= last {
			ix.away = append(ix.away, i)
		}
	}
	run := ix.away[lo:]
	slices.Sort(run)
	ix.away = ix.away[:lo+len(slices.Compact(run))]
}

// addMinutes adds minutes to a total, saturating: a sum of minutes never
// wraps around to look short.
func addMinutes(total, minutes int) int {
	if minutes > 0 && total > math.MaxInt-minutes {
		return math.MaxInt
	}
	return total + minutes
}

// ref resolves an agenda reference for meeting.SpanOf.
func (ix *caseIndex) ref(id uuid.UUID) int {
	if id == uuid.Nil {
		return meeting.Unset
	}
	if i := ix.item(id); i >= 0 {
		return i
	}
	return meeting.Missing
}

// release drops every reference into the case, and the maps of a large one.
func (ix *caseIndex) release() {
	ix.m, ix.consents = nil, nil
	ix.participants, ix.items, ix.grants, ix.lists = nil, nil, nil, nil
	clear(ix.byGrantee)
	ix.byGrantee = nil
}

func (ix *caseIndex) ofKind(k meeting.ItemKind) []int {
	var ki *kindItems
	for j := range ix.kinds {
		if ix.kinds[j].kind == k {
			ki = &ix.kinds[j]
			break
		}
	}
	if ki == nil {
		ix.kinds = append(ix.kinds, kindItems{kind: k})
		ki = &ix.kinds[len(ix.kinds)-1]
	}
	if !ki.found {
		items, agenda := ki.items[:0], ix.m.Agenda
		for i := range agenda {
			if agenda[i].Kind == k {
				items = append(items, i)
			}
		}
		ki.items, ki.found = items, true
	}
	return ki.items
}

func (ix *caseIndex) participant(id uuid.UUID) int {
	ps := ix.m.Participants
	if len(ps) <= smallList || id == uuid.Nil {
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

func (ix *caseIndex) item(id uuid.UUID) int {
	agenda := ix.m.Agenda
	if len(agenda) <= smallList || id == uuid.Nil {
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

func (ix *caseIndex) allows(grantee uuid.UUID, scope consent.Scope, at time.Time) consent.Decision {
	if len(ix.consents) <= smallList {
		return ix.consents.Allows(grantee, scope, at)
	}
	if ix.grants == nil {
		// Sorted by grantee, then by position, so that each grantee's
		// consents keep their order and Allows on its run decides as on
		// the whole set.
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

func (ix *caseIndex) listed(ids []uuid.UUID, id uuid.UUID) bool {
	if len(ids) <= smallList {
		return slices.Contains(ids, id)
	}
	key := listKey{&ids[0], len(ids)}
	set, ok := ix.lists[key]
	if !ok {
		if ix.lists == nil {
			ix.lists = make(map[listKey]map[uuid.UUID]struct{})
		}
		set = make(map[uuid.UUID]struct{}, len(ids))
		for _, x := range ids {
			set[x] = struct{}{}
		}
		ix.lists[key] = set
	}
	_, found := set[id]
	return found
}
