package catalogue

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
)

// The suggested fixes of the catalogue (the contract docs/fixes.md): edits of
// a planned meeting's agenda, attendance (joins_at_item, leaves_after_item),
// length, minute-taker and plan updater, as RFC 6902 operations on the case
// document as it is now.
//
// A fix is built on a draft: a copy of what a fix may change, edited with
// the operations recorded as they are made, so that the operations apply in
// order to the document the rule saw. Before a fix is offered, the draft is
// settled and guarded:
//
//   - settle repairs what the edit itself broke, with the same repairs the
//     rules offer as fixes of their own: an action_plan or summary item
//     added where the patient does not attend it (PC-01), a discussion or
//     action_plan added before a social security participant joins (CS-04),
//     a clinical summary added where someone outside healthcare without
//     consent would hear it (CS-01), a join point that lost its recap (MC-04);
//   - guard refuses the fix when the draft has a violation that the meeting
//     did not have before (see violations): a fix creates no new gap, and
//     fixes applied one after the other, each checked again, reach a fixed
//     point (each removes its own gap and adds none).
//
// A fix never changes a consent, a record of what happened, who is invited,
// or free text: the items it adds have no title, and IDs derived from the
// meeting ID and the fix (uuid.NewSHA1), so the same case gives the same
// patch. A held meeting gets none (Pass.Fix drops them, and the rules do not
// compute them).

// Lengths of the items a fix adds that no parameter sets: introductions,
// summary and recap items as the standard skeleton has them (docs/fixes.md), and
// its clinical summary.
const (
	shortItemMinutes    = 5
	clinicalItemMinutes = 10
)

// maxFixes is the most fixes one rule computes for one case: fix.Apply
// applies one fix at a time and checks again, so the findings after the
// first ones get theirs in a later round, and a hostile case with thousands
// of findings costs no more than a bounded multiple of its size.
const maxFixes = 16

// vkey is one violation a draft can have: a rule (or a part of one, such as
// "MC-02.fit") and the participant concerned, -1 for the meeting.
type vkey struct {
	rule string
	k    int
}

// fixer computes the fixes of one rule's check of one case: the parameters
// its guard reads, the violations of the case as it is, and the consents.
// A nil fixer (a meeting that is not planned) computes none.
type fixer struct {
	pass                  *recommend.Pass
	maxMinutes, minSector int
	hasMax, hasSector     bool

	hear   []bool // hear[k]: participant k holds hear_clinical_information valid at start; nil until used
	before map[vkey]bool
	count  int
}

// newFixer returns the fixer of the rule being checked, or nil when the
// engine keeps no fixes (Pass.WantsFixes): the meeting is not planned (a held
// meeting's record is never changed), or nobody reads them (WithoutFixes).
func newFixer(pass *recommend.Pass) *fixer {
	if !pass.WantsFixes() {
		return nil
	}
	f := &fixer{pass: pass}
	f.maxMinutes, f.hasMax = declaredParam(pass, "max_minutes")
	f.minSector, f.hasSector = declaredParam(pass, "min_sector_minutes")
	return f
}

// declaredParam returns the parameter name when the recommendation being
// checked declares it.
func declaredParam(pass *recommend.Pass, name string) (int, bool) {
	if _, ok := pass.Recommendation.Param(name); !ok {
		return 0, false
	}
	return pass.Int(name), true
}

// draft starts a fix with the given reason, or returns nil when f computes
// no more fixes.
func (f *fixer) draft(reason string) *draft {
	if f == nil || f.count >= maxFixes {
		return nil
	}
	f.count++
	return f.newDraft(reason)
}

// newDraft returns a draft of the case as it is, for a fix with the given
// reason.
func (f *fixer) newDraft(reason string) *draft {
	m := f.pass.Meeting
	d := &draft{
		f:           f,
		code:        f.pass.Recommendation.ID + ".fix." + reason,
		agenda:      slices.Clone(m.Agenda),
		joins:       make([]uuid.UUID, len(m.Participants)),
		leaves:      make([]uuid.UUID, len(m.Participants)),
		away:        make([][]uuid.UUID, len(m.Participants)),
		duration:    m.DurationMinutes,
		minuteTaker: m.MinuteTakerID,
		planUpdater: m.PlanUpdaterID,
	}
	for k := range m.Participants {
		d.joins[k], d.leaves[k] = m.Participants[k].JoinsAtItem, m.Participants[k].LeavesAfterItem
		d.away[k] = slices.Clone(m.Participants[k].AwayItems)
	}
	return d
}

// violationsBefore returns the violations of the case as the rule sees it.
func (f *fixer) violationsBefore() map[vkey]bool {
	if f.before == nil {
		f.before = f.newDraft("").violations()
	}
	return f.before
}

// hears reports whether participant k holds a consent to hear clinical
// information, valid at the start.
func (f *fixer) hears(k int) bool {
	if f.hear == nil {
		ps := f.pass.Meeting.Participants
		f.hear = make([]bool, len(ps))
		for j := range ps {
			f.hear[j] = f.pass.Allows(ps[j].ID, consent.ScopeHearClinicalInformation, f.pass.Start).Allowed()
		}
	}
	return f.hear[k]
}

// finish settles d and returns its operations when the guard lets it be
// offered: d changes something, has no violation the case did not have
// (those of rules starting with ignore aside), and no longer has target.
func (f *fixer) finish(d *draft, target vkey, ignore string) []recommend.PatchOp {
	if d == nil {
		return nil
	}
	before := f.violationsBefore()
	d.settle(before)
	if len(d.ops) == 0 {
		return nil
	}
	after := d.violations()
	if target.rule != "" && after[target] {
		return nil
	}
	for key := range after {
		if before[key] || ignore != "" && strings.HasPrefix(key.rule, ignore) {
			continue
		}
		return nil
	}
	return d.ops
}

// draft is what a fix may change of a meeting, with the RFC 6902
// operations that made it from the case document.
type draft struct {
	f                        *fixer
	code                     string // the fix's code, for the IDs of new items
	agenda                   []meeting.AgendaItem
	joins, leaves            []uuid.UUID   // by participant
	away                     [][]uuid.UUID // by participant: its away_items
	duration                 int
	minuteTaker, planUpdater uuid.UUID
	ops                      []recommend.PatchOp

	index map[uuid.UUID]int // item ID → index; nil when stale
}

// at returns the index of the agenda item id, or -1.
func (d *draft) at(id uuid.UUID) int {
	if id == uuid.Nil {
		return -1
	}
	if d.index == nil {
		d.index = make(map[uuid.UUID]int, len(d.agenda))
		for i := len(d.agenda) - 1; i >= 0; i-- {
			d.index[d.agenda[i].ID] = i
		}
	}
	if i, ok := d.index[id]; ok {
		return i
	}
	return -1
}

func (d *draft) ref(id uuid.UUID) int {
	if id == uuid.Nil {
		return meeting.Unset
	}
	if i := d.at(id); i >= 0 {
		return i
	}
	return meeting.Missing
}

// span returns the first and last index participant k attends.
func (d *draft) span(k int) (first, last int) {
	return meeting.SpanOf(len(d.agenda), d.ref(d.joins[k]), d.ref(d.leaves[k]))
}

// attends reports whether participant k attends item i: inside its span
// and not one of its away_items.
func (d *draft) attends(k, i int) bool {
	first, last := d.span(k)
	return i >= first && i <= last && !d.isAway(k, i)
}

// isAway reports whether participant k lists item i in its away_items.
func (d *draft) isAway(k, i int) bool {
	return i >= 0 && i < len(d.agenda) && slices.Contains(d.away[k], d.agenda[i].ID)
}

// awayIn returns the indexes of the items inside participant k's span that
// it steps out of, ascending.
func (d *draft) awayIn(k int) []int {
	if len(d.away[k]) == 0 {
		return nil
	}
	first, last := d.span(k)
	var out []int
	for _, id := range d.away[k] {
		if i := d.at(id); i >= first && i <= last && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// recapish reports whether joining at item i is joining with a recap
// (MC-04): introductions, a summary, or an item marked recap.
func (d *draft) recapish(i int) bool {
	it := &d.agenda[i]
	return it.Kind == meeting.ItemIntroductions || it.Kind == meeting.ItemSummary || it.Recap
}

// allowed reports whether participant k may be made to attend item i: not
// a clinical summary without consent to hear it (CS-01), nor a sensitive
// item (CS-08), for someone outside healthcare; not an item for
// professionals only, for the patient.
func (d *draft) allowed(k, i int) bool {
	p, it := &d.f.pass.Meeting.Participants[k], &d.agenda[i]
	if p.OutsideHealthcare() && (it.Sensitive || it.Kind == meeting.ItemClinicalSummary && !d.f.hears(k)) {
		return false
	}
	return !(k == d.f.pass.Patient() && it.ProfessionalsOnly)
}

// total is the sum of the minutes of the agenda.
func (d *draft) total() int {
	t := 0
	for i := range d.agenda {
		t = addMinutes(t, d.agenda[i].Minutes)
	}
	return t
}

func addMinutes(total, m int) int {
	if m > 0 && total > int(^uint(0)>>1)-m {
		return int(^uint(0) >> 1)
	}
	return total + m
}

// limit is the longest agenda that fits: the meeting's length, or
// max_minutes when longer (MC-02's fix lengthens the meeting up to it).
func (d *draft) limit() int {
	if d.f.hasMax && d.f.maxMinutes > d.duration {
		return d.f.maxMinutes
	}
	return d.duration
}

// canAdd reports whether an item of the given minutes fits in the meeting
// (never when the agenda does not fit already).
func (d *draft) canAdd(minutes int) bool { return addMinutes(d.total(), minutes) <= d.limit() }

// firstOf returns the index of the first item of kind k, or -1.
func (d *draft) firstOf(k meeting.ItemKind) int {
	return slices.IndexFunc(d.agenda, func(it meeting.AgendaItem) bool { return it.Kind == k })
}

// lastOf returns the index of the last item of kind k, or -1.
func (d *draft) lastOf(k meeting.ItemKind) int {
	for i := len(d.agenda) - 1; i >= 0; i-- {
		if d.agenda[i].Kind == k {
			return i
		}
	}
	return -1
}

// closing is where an item goes that comes before the closing summary: the
// index of the last item when it is a summary, else the end.
func (d *draft) closing() int {
	if n := len(d.agenda); n > 0 && d.agenda[n-1].Kind == meeting.ItemSummary {
		return n - 1
	}
	return len(d.agenda)
}

// Operations. Each changes the draft and records the RFC 6902 operation
// that makes the same change to the document as the operations before it
// left it. The document is the case marshalled with omitzero: an empty
// list and an unset field are absent, so a field is set with add (which
// replaces a member that is there) and cleared with remove only when set.

func (d *draft) op(op, path string, v any) {
	d.ops = append(d.ops, recommend.PatchOp{Op: op, Path: path, Value: v})
}

func itemPath(i int, field string) string {
	p := "/meeting/agenda/" + strconv.Itoa(i)
	if field != "" {
		p += "/" + field
	}
	return p
}

func participantPath(k int, field string) string {
	return "/meeting/participants/" + strconv.Itoa(k) + "/" + field
}

// newItem returns an item of kind with the given minutes and no title, with
// an ID derived from the meeting ID, the fix and tag, and not yet on the
// agenda.
func (d *draft) newItem(kind meeting.ItemKind, minutes int, tag string) meeting.AgendaItem {
	base := "collabmeet.fix/" + d.code + "/" + string(kind)
	if tag != "" {
		base += "/" + tag
	}
	ns := d.f.pass.Meeting.ID
	id := uuid.NewSHA1(ns, []byte(base))
	for n := 2; d.at(id) >= 0; n++ {
		id = uuid.NewSHA1(ns, []byte(base+"#"+strconv.Itoa(n)))
	}
	it := meeting.AgendaItem{ID: id, Kind: kind, Minutes: minutes}
	if kind == meeting.ItemDiscussion || kind == meeting.ItemActionPlan {
		it.PatientSpeaksFirst = true // PC-09
	}
	return it
}

// fill gives an empty agenda its items.
func (d *draft) fill(items []meeting.AgendaItem) {
	d.op("add", "/meeting/agenda", slices.Clone(items))
	d.agenda, d.index = slices.Clone(items), nil
}

// insert puts it at index pos.
func (d *draft) insert(pos int, it meeting.AgendaItem) {
	switch {
	case len(d.agenda) == 0:
		d.op("add", "/meeting/agenda", []meeting.AgendaItem{it})
	case pos == len(d.agenda):
		d.op("add", "/meeting/agenda/-", it)
	default:
		d.op("add", itemPath(pos, ""), it)
	}
	d.agenda, d.index = slices.Insert(d.agenda, pos, it), nil
}

// insertAt puts it at index pos, keeping who attended from the start or
// to the end doing so: at the front, whoever joined at the first item
// joins from the start; at the end, whoever left after the last item stays
// to the end; between two items a participant steps out of, they step out
// of the new one too.
func (d *draft) insertAt(pos int, it meeting.AgendaItem) {
	n := len(d.agenda)
	var first, last uuid.UUID
	if n > 0 {
		first, last = d.agenda[0].ID, d.agenda[n-1].ID
	}
	d.insert(pos, it)
	for k := range d.joins {
		if n > 0 && pos == 0 && d.joins[k] == first {
			d.setJoin(k, 0)
		}
		if n > 0 && pos == n && d.leaves[k] == last {
			d.setLeave(k, len(d.agenda)-1)
		}
		// Inside a stretch a participant steps out of, the new item is one
		// they step out of too: it does not call them back for a moment.
		if pos > 0 && pos < n && d.isAway(k, pos-1) && d.isAway(k, pos+1) {
			d.stepOut(k, pos)
		}
	}
}

// insertRecap puts a recap item (kind other, recap: true) at pos.
func (d *draft) insertRecap(pos int, tag string) {
	it := d.newItem(meeting.ItemOther, shortItemMinutes, "recap/"+tag)
	it.Recap = true
	d.insertAt(pos, it)
}

// move moves the item at from to index to (RFC 6902 move: removed, then
// added at to in the shorter list).
func (d *draft) move(from, to int) {
	if from == to {
		return
	}
	d.ops = append(d.ops, recommend.PatchOp{Op: "move", From: itemPath(from, ""), Path: itemPath(to, "")})
	it := d.agenda[from]
	d.agenda = slices.Insert(slices.Delete(d.agenda, from, from+1), to, it)
	d.index = nil
}

// safeMove moves the item at from to index to when that changes no one's
// attendance: the item is nobody's join or leave point nor in anybody's
// away_items, and the same
// participants attend it before and after. It reports whether it moved.
func (d *draft) safeMove(from, to int) bool {
	id := d.agenda[from].ID
	if slices.Contains(d.joins, id) || slices.Contains(d.leaves, id) ||
		slices.ContainsFunc(d.away, func(ids []uuid.UUID) bool { return slices.Contains(ids, id) }) {
		return false
	}
	was := make([]bool, len(d.joins))
	for k := range was {
		was[k] = d.attends(k, from)
	}
	d.move(from, to)
	for k := range was {
		if d.attends(k, to) != was[k] {
			return false
		}
	}
	return true
}

func (d *draft) setMinutes(i, minutes int) {
	if d.agenda[i].Minutes == minutes {
		return
	}
	d.agenda[i].Minutes = minutes
	d.op("add", itemPath(i, "minutes"), minutes)
}

func (d *draft) setLead(i int, id uuid.UUID) {
	if d.agenda[i].LeadID == id {
		return
	}
	d.agenda[i].LeadID = id
	d.op("add", itemPath(i, "lead_id"), id)
}

func (d *draft) setSpeaksFirst(i int) {
	if d.agenda[i].PatientSpeaksFirst {
		return
	}
	d.agenda[i].PatientSpeaksFirst = true
	d.op("add", itemPath(i, "patient_speaks_first"), true)
}

// setJoin lets participant k join at item i; at the first item is from the
// start (joins_at_item unset).
func (d *draft) setJoin(k, i int) {
	id := uuid.Nil
	if i > 0 {
		id = d.agenda[i].ID
	}
	d.setRef(d.joins, k, "joins_at_item", id)
}

// setLeave lets participant k leave after item i; after the last item is to
// the end (leaves_after_item unset).
func (d *draft) setLeave(k, i int) {
	id := uuid.Nil
	if i >= 0 && i < len(d.agenda)-1 {
		id = d.agenda[i].ID
	}
	d.setRef(d.leaves, k, "leaves_after_item", id)
}

// setRef sets a join or leave point of participant k, and keeps its
// away_items inside its span (see keepAway).
func (d *draft) setRef(refs []uuid.UUID, k int, field string, id uuid.UUID) {
	switch {
	case refs[k] == id:
		return
	case id == uuid.Nil:
		d.op("remove", participantPath(k, field), nil)
	default:
		d.op("add", participantPath(k, field), id)
	}
	refs[k] = id
	d.keepAway(k)
}

// keepAway drops from participant k's away_items every item that is no
// longer inside its span: a fix that moves a join or leave point keeps the
// case valid.
func (d *draft) keepAway(k int) {
	if len(d.away[k]) == 0 {
		return
	}
	first, last := d.span(k)
	kept := slices.DeleteFunc(slices.Clone(d.away[k]), func(id uuid.UUID) bool {
		i := d.at(id)
		return i < first || i > last
	})
	if len(kept) != len(d.away[k]) {
		d.setAway(k, kept)
	}
}

// setAway sets participant k's away_items to ids.
func (d *draft) setAway(k int, ids []uuid.UUID) {
	if slices.Equal(d.away[k], ids) {
		return
	}
	if len(ids) == 0 {
		d.op("remove", participantPath(k, "away_items"), nil)
		d.away[k] = nil
		return
	}
	d.op("add", participantPath(k, "away_items"), slices.Clone(ids))
	d.away[k] = slices.Clone(ids)
}

// stayFor lets participant k attend item i, inside its span, that it steps
// out of: removes it from its away_items.
func (d *draft) stayFor(k, i int) {
	id := d.agenda[i].ID
	d.setAway(k, slices.DeleteFunc(slices.Clone(d.away[k]), func(a uuid.UUID) bool { return a == id }))
}

// stepOut lets participant k step out of item i, inside its span: adds it
// to its away_items.
func (d *draft) stepOut(k, i int) {
	if d.isAway(k, i) {
		return
	}
	d.setAway(k, append(slices.Clone(d.away[k]), d.agenda[i].ID))
}

// returnsAt returns the items at which participant k comes back after
// stepping out: each item of its span that it attends right after one it
// steps out of, ascending.
func (d *draft) returnsAt(k int) []int {
	away := d.awayIn(k)
	_, last := d.span(k)
	var out []int
	for j, a := range away {
		if r := a + 1; r <= last && (j+1 == len(away) || away[j+1] != r) {
			out = append(out, r)
		}
	}
	return out
}

// recapReturns inserts a recap item just before every item at which
// participant k comes back after stepping out without a recap (MC-04),
// when they fit in the meeting. It reports whether k then comes back at a
// recap every time.
func (d *draft) recapReturns(k int) bool {
	rs := d.returnsAt(k)
	for j := len(rs) - 1; j >= 0; j-- { // from the end: the indexes before stay
		r := rs[j]
		if d.recapish(r) {
			continue
		}
		if !d.canAdd(shortItemMinutes) {
			return false
		}
		d.insertRecap(r, d.tag(k)+"/return/"+d.agenda[r].ID.String())
	}
	return true
}

func (d *draft) setDuration(minutes int) {
	if d.duration == minutes {
		return
	}
	d.duration = minutes
	d.op("replace", "/meeting/duration_minutes", minutes)
}

func (d *draft) setMinuteTaker(id uuid.UUID) {
	d.minuteTaker = id
	d.op("add", "/meeting/minute_taker_id", id)
}

func (d *draft) setPlanUpdater(id uuid.UUID) {
	d.planUpdater = id
	d.op("add", "/meeting/plan_updater_id", id)
}

// Repairs: the edits of the attendance fixes, shared by the rules that
// offer them and by settle.

// joinWithRecap lets participant k join at item j (or from the start when j
// is 0) with a recap (MC-04): at j when it is introductions, a summary or a
// recap; else at the item before when it is one and k may attend it; else
// at a recap item inserted before j when it fits in the meeting; else at the
// nearest earlier such item that k may attend, with everything between.
// Never while k attends, from j on, a clinical summary it lacks consent to
// hear (that join is CS-01's to move). It reports whether it could.
func (d *draft) joinWithRecap(k, j int, tag string) bool {
	if d.hearsWithoutConsent(k, max(j, 0)) {
		// Joining earlier than a clinical summary k may not hear, or at a
		// recap before it, would leave it there: CS-01's fix moves the join
		// after it, with a recap, whichever fix comes first.
		return false
	}
	switch {
	case j <= 0:
		if len(d.agenda) > 0 && !d.allowed(k, 0) {
			return false
		}
		d.setJoin(k, 0)
		return true
	case d.recapish(j):
		d.setJoin(k, j)
		return true
	case d.recapish(j-1) && d.allowed(k, j-1):
		d.setJoin(k, j-1)
		return true
	case d.canAdd(shortItemMinutes):
		d.insertRecap(j, tag)
		d.setJoin(k, j)
		return true
	}
	for r := j - 1; r >= 0 && d.allowed(k, r); r-- {
		if r == 0 || d.recapish(r) {
			d.setJoin(k, r)
			return true
		}
	}
	return false
}

// hearsWithoutConsent reports whether participant k, outside healthcare
// without consent to hear clinical information, attends a clinical summary
// at index from or later (CS-01).
func (d *draft) hearsWithoutConsent(k, from int) bool {
	if !d.f.pass.Meeting.Participants[k].OutsideHealthcare() {
		return false
	}
	_, last := d.span(k)
	for i := from; i <= last && i < len(d.agenda); i++ {
		if d.agenda[i].Kind == meeting.ItemClinicalSummary && d.attends(k, i) && !d.f.hears(k) {
			return true
		}
	}
	return false
}

// stepOutOfSensitive lets participant k step out of every sensitive item it
// attends (CS-08), with a recap where it comes back (MC-04). It reports
// whether k then comes back at a recap every time.
func (d *draft) stepOutOfSensitive(k int) bool {
	first, last := d.span(k)
	for i := first; i <= last; i++ {
		if d.agenda[i].Sensitive && !d.isAway(k, i) {
			d.stepOut(k, i)
		}
	}
	return d.recapReturns(k)
}

// patientNeeds returns the first and last action_plan or summary item
// (PC-01), or ok false when there is none.
func (d *draft) patientNeeds() (lo, hi int, ok bool) {
	lo, hi = len(d.agenda), -1
	for i := range d.agenda {
		if k := d.agenda[i].Kind; k == meeting.ItemActionPlan || k == meeting.ItemSummary {
			lo, hi = min(lo, i), max(hi, i)
		}
	}
	return lo, hi, hi >= 0
}

// widenPatient widens the patient's attendance to cover items lo to hi:
// leaving after hi, or later up to the end while no item is for
// professionals only; joining at lo, or earlier (from the start when
// possible) while no item is for professionals only, with a recap (MC-04);
// staying for the action_plan and summary items it steps out of, with a
// recap where it comes back.
func (d *draft) widenPatient(lo, hi int) bool {
	p := d.f.pass.Patient()
	if p < 0 || len(d.agenda) == 0 {
		return false
	}
	first, last := d.span(p)
	if first > last {
		return false
	}
	for _, i := range d.awayIn(p) {
		if k := d.agenda[i].Kind; k == meeting.ItemActionPlan || k == meeting.ItemSummary {
			d.stayFor(p, i)
		}
	}
	if hi > last {
		j := hi
		for j+1 < len(d.agenda) && !d.agenda[j+1].ProfessionalsOnly {
			j++
		}
		d.setLeave(p, j)
	}
	if lo < first {
		i := lo
		for i > 0 && !d.recapish(i) && !d.agenda[i-1].ProfessionalsOnly {
			i--
		}
		return d.joinWithRecap(p, i, "patient")
	}
	return true
}

// widenSector widens the attendance of social security participant k to
// at least one discussion and one action_plan item (CS-04), over items k
// may attend only (CS-01, CS-08): for each kind k attends none of, it stays
// for one it steps out of, else leaves later up to the nearest one after
// its span, else joins earlier at the nearest one before it (with a
// recap). It reports whether k then attends one of each kind the agenda
// has.
func (d *draft) widenSector(k int) bool {
	if first, last := d.span(k); first > last {
		return false
	}
	for _, kind := range sectorKinds {
		if !d.widenTo(k, kind) {
			return false
		}
	}
	return d.recapReturns(k)
}

// widenTo widens participant k's attendance to an item of kind (see
// widenSector); true when it attends one already or the agenda has none.
func (d *draft) widenTo(k int, kind meeting.ItemKind) bool {
	first, last := d.span(k)
	var candidates []int
	for i := range d.agenda {
		if d.agenda[i].Kind != kind {
			continue
		}
		if d.attends(k, i) {
			return true
		}
		candidates = append(candidates, i)
	}
	if len(candidates) == 0 {
		return true
	}
	for _, i := range candidates { // inside the span, stepped out of
		if i >= first && i <= last && d.allowed(k, i) {
			d.stayFor(k, i)
			return true
		}
	}
	for _, i := range candidates { // after the span, nearest first
		if i > last && d.allowedRun(k, last+1, i) {
			d.setLeave(k, i)
			return true
		}
	}
	for j := len(candidates) - 1; j >= 0; j-- { // before it, nearest first
		if i := candidates[j]; i < first && d.allowedRun(k, i, first-1) {
			return d.joinWithRecap(k, i, d.tag(k))
		}
	}
	return false
}

// allowedRun reports whether participant k may be made to attend every
// item from lo to hi (see allowed).
func (d *draft) allowedRun(k, lo, hi int) bool {
	for i := lo; i <= hi; i++ {
		if !d.allowed(k, i) {
			return false
		}
	}
	return true
}

// reachMinutes widens the attendance of participant k until it attends at
// least want minutes (CS-07): staying for items it steps out of first (in
// agenda order, so that it comes back where it did), then leaving later,
// then joining earlier with a recap, over items k may attend.
func (d *draft) reachMinutes(k, want int) bool {
	first, last := d.span(k)
	if first > last {
		return false
	}
	got := 0
	for i := first; i <= last; i++ {
		if !d.isAway(k, i) {
			got = addMinutes(got, d.agenda[i].Minutes)
		}
	}
	for _, i := range d.awayIn(k) {
		if got >= want {
			break
		}
		if d.allowed(k, i) {
			d.stayFor(k, i)
			got = addMinutes(got, d.agenda[i].Minutes)
		}
	}
	end := last
	for got < want && end+1 < len(d.agenda) && d.allowed(k, end+1) {
		end++
		got = addMinutes(got, d.agenda[end].Minutes)
	}
	if end > last {
		d.setLeave(k, end)
	}
	start := first
	for got < want && start > 0 && d.allowed(k, start-1) {
		start--
		got = addMinutes(got, d.agenda[start].Minutes)
	}
	if start < first {
		return d.joinWithRecap(k, start, d.tag(k))
	}
	return true
}

// joinAfterClinical moves the join of participant k to after the last
// clinical summary it attends (CS-01): to the item after it when that is a
// recap; else to a later recap, when k would miss no discussion or
// action_plan item on the way; else to a recap item inserted after the
// clinical summary, when it fits. It reports whether it could.
func (d *draft) joinAfterClinical(k int) bool {
	first, last := d.span(k)
	c := -1
	for i := last; i >= first; i-- {
		if d.agenda[i].Kind == meeting.ItemClinicalSummary && !d.isAway(k, i) {
			c = i
			break
		}
	}
	if c < 0 {
		return true
	}
	t := c + 1
	switch {
	case t > last:
		return false
	case d.recapish(t):
		d.setJoin(k, t)
		return true
	}
	if r := d.nearRecap(t, last); r >= 0 {
		d.setJoin(k, r)
		return true
	}
	if d.canAdd(shortItemMinutes) {
		d.insertRecap(t, d.tag(k))
		d.setJoin(k, t)
		return true
	}
	return false
}

// nearRecap returns the first item after from, up to last, that is
// introductions, a summary or a recap, with no discussion or action_plan
// item from from to it; or -1.
func (d *draft) nearRecap(from, last int) int {
	for r := from + 1; r <= last; r++ {
		switch {
		case d.recapish(r):
			return r
		case d.agenda[r-1].Kind == meeting.ItemDiscussion || d.agenda[r-1].Kind == meeting.ItemActionPlan:
			return -1
		}
	}
	return -1
}

// leaveBeforeClinical moves the leave of participant k to before the first
// clinical summary it attends: CS-01's other way, for someone who joins
// for a discussion that comes before the clinical summary. It reports
// whether k then attends anything.
func (d *draft) leaveBeforeClinical(k int) bool {
	first, last := d.span(k)
	for i := first; i <= last; i++ {
		if d.agenda[i].Kind == meeting.ItemClinicalSummary && !d.isAway(k, i) {
			if i == first {
				return false
			}
			d.setLeave(k, i-1)
			return true
		}
	}
	return true
}

// joinAtLaterRecap moves the join of participant k to the first later item
// that is introductions, a summary or a recap, when k would miss no
// discussion or action_plan item on the way, or only ones of a kind it
// still attends after (a meeting that discusses treatment first and work
// after): MC-04's last way, when no recap fits before its join point.
func (d *draft) joinAtLaterRecap(k int) bool {
	first, last := d.span(k)
	r := d.nearRecap(first, last)
	if r < 0 {
		r = d.laterRecap(k, first, last)
	}
	if r < 0 {
		return false
	}
	d.setJoin(k, r)
	return true
}

// laterRecap returns the first item after from, up to last, that is
// introductions, a summary or a recap, when participant k attends, from it
// to last, an item of the kind of every discussion or action_plan item it
// would miss on the way; or -1.
func (d *draft) laterRecap(k, from, last int) int {
	for r := from + 1; r <= last; r++ {
		if !d.recapish(r) {
			continue
		}
		for i := from; i < r; i++ {
			if kind := d.agenda[i].Kind; (kind == meeting.ItemDiscussion || kind == meeting.ItemActionPlan) && !d.attendsKind(k, kind, r, last) {
				return -1
			}
		}
		return r
	}
	return -1
}

// attendsKind reports whether participant k attends an item of kind from
// lo to hi.
func (d *draft) attendsKind(k int, kind meeting.ItemKind, lo, hi int) bool {
	for i := lo; i <= hi; i++ {
		if d.agenda[i].Kind == kind && d.attends(k, i) {
			return true
		}
	}
	return false
}

// tag is participant k's part of the IDs of the items a fix adds for it.
func (d *draft) tag(k int) string { return d.f.pass.Meeting.Participants[k].ID.String() }

// settle repairs, with the fixes' own repairs, each violation of d that
// the case did not have before and that a repair can remove: an
// action_plan or summary item the patient misses (PC-01), a kind of
// discussion or action_plan item a social security participant attends
// none of (CS-04), a clinical summary heard without consent (CS-01), a
// join point or a return after stepping out without a recap (MC-04).
func (d *draft) settle(before map[vkey]bool) {
	for range 4 {
		var todo []vkey
		for key := range d.violations() {
			if !before[key] {
				todo = append(todo, key)
			}
		}
		slices.SortFunc(todo, func(a, b vkey) int {
			if c := cmp.Compare(a.rule, b.rule); c != 0 {
				return c
			}
			return cmp.Compare(a.k, b.k)
		})
		changed := false
		for _, key := range todo {
			n := len(d.ops)
			switch key.rule {
			case "PC-01":
				if lo, hi, ok := d.patientNeeds(); ok {
					d.widenPatient(lo, hi)
				}
			case "CS-01":
				d.joinAfterClinical(key.k)
			case "CS-04":
				d.widenSector(key.k)
			case "MC-04":
				if first, last := d.span(key.k); first > 0 && first <= last {
					d.joinWithRecap(key.k, first, d.tag(key.k))
				}
			case "MC-04.return":
				d.recapReturns(key.k)
			}
			changed = changed || len(d.ops) > n
		}
		if !changed {
			return
		}
	}
}

// violations returns what the draft violates of the checks that a fix can
// affect: the attendance of the patient (PC-01, PC-02), the leader, the
// minute-taker and the plan updater (MC-01, MC-10), late joiners and those
// coming back after stepping out (MC-04),
// people outside healthcare (CS-01, CS-04, CS-07, CS-08: for a rule that
// does not read min_sector_minutes, any shortening of a social security
// participant's time); speaking first
// (PC-09); the agenda's shape (MC-03, MC-07) and time (MC-02: an empty
// agenda, an item without minutes, an agenda made longer when it is longer
// than the meeting can be made). Attendance is the span less the
// away_items. The checks of minutes that only grow (PC-05, AP-01, AP-02)
// and the duration, which grows only to max_minutes, are not among them.
func (d *draft) violations() map[vkey]bool {
	out := make(map[vkey]bool)
	add := func(rule string, k int) { out[vkey{rule, k}] = true }
	pass, n := d.f.pass, len(d.agenda)
	// Prefix sums over the agenda: minutes, clinical summaries, sensitive
	// items, items not for professionals only, discussions and action_plan
	// items.
	minutes := make([]int, n+1)
	clinical := make([]int, n+1)
	sensitive := make([]int, n+1)
	open := make([]int, n+1)
	discussions := make([]int, n+1)
	plans := make([]int, n+1)
	zero, silent := false, false
	for i := range d.agenda {
		it := &d.agenda[i]
		minutes[i+1] = addMinutes(minutes[i], it.Minutes)
		clinical[i+1], sensitive[i+1], open[i+1] = clinical[i], sensitive[i], open[i]
		discussions[i+1], plans[i+1] = discussions[i], plans[i]
		if it.Kind == meeting.ItemClinicalSummary {
			clinical[i+1]++
		}
		if it.Sensitive {
			sensitive[i+1]++
		}
		if !it.ProfessionalsOnly {
			open[i+1]++
		}
		switch it.Kind {
		case meeting.ItemDiscussion:
			discussions[i+1]++
		case meeting.ItemActionPlan:
			plans[i+1]++
		}
		if (it.Kind == meeting.ItemDiscussion || it.Kind == meeting.ItemActionPlan) && !it.PatientSpeaksFirst {
			silent = true
		}
		if it.Minutes <= 0 {
			zero = true
		}
	}
	// count is what participant k attends of a prefix sum: its span, less
	// the items it steps out of.
	count := func(sums []int, first, last int, away []int) int {
		c := sums[last+1] - sums[first]
		for _, i := range away {
			c -= sums[i+1] - sums[i]
		}
		return c
	}
	switch {
	case n == 0:
		add("MC-02.empty", -1)
	case d.agenda[0].Kind != meeting.ItemIntroductions:
		add("MC-03", -1)
	}
	if n > 0 && d.agenda[n-1].Kind != meeting.ItemSummary {
		add("MC-07", -1)
	}
	if zero {
		add("MC-02.zero", -1)
	}
	if minutes[n] > d.limit() && minutes[n] > pass.AgendaMinutes() {
		add("MC-02.fit", -1) // longer than the meeting can be made, and longer than it was
	}
	if silent {
		add("PC-09", -1)
	}
	whole := func(k int) bool {
		first, last := d.span(k)
		return n > 0 && first == 0 && last == n-1 && len(d.awayIn(k)) == 0
	}
	if k := pass.Participant(pass.Meeting.LeaderID); k >= 0 && n > 0 && !whole(k) {
		add("MC-01", -1)
	}
	if k := pass.Participant(d.minuteTaker); k >= 0 && n > 0 && !whole(k) {
		add("MC-10.minute_taker", -1)
	}
	if k := pass.Participant(d.planUpdater); k >= 0 && n > 0 && !whole(k) {
		add("MC-10.plan_updater", -1)
	}
	patient := pass.Patient()
	for k := range pass.Meeting.Participants {
		p := &pass.Meeting.Participants[k]
		first, last := d.span(k)
		attending := first <= last
		var away []int
		if attending {
			away = d.awayIn(k)
		}
		if k == patient {
			for i := range d.agenda {
				if kind := d.agenda[i].Kind; (kind == meeting.ItemActionPlan || kind == meeting.ItemSummary) && !d.attends(k, i) {
					add("PC-01", -1)
					break
				}
			}
			switch {
			case !attending:
				if open[n] > 0 {
					add("PC-02.none", -1)
				}
			default:
				if open[first] > 0 {
					add("PC-02.join", -1)
				}
				if open[n]-open[last+1] > 0 {
					add("PC-02.leave", -1)
				}
				if count(open, first, last, nil)-count(open, first, last, away) > 0 {
					add("PC-02.away", -1)
				}
			}
		}
		if attending && first > 0 && !d.recapish(first) {
			add("MC-04", k)
		}
		if len(away) > 0 {
			for _, r := range d.returnsAt(k) {
				if !d.recapish(r) {
					add("MC-04.return", k)
					break
				}
			}
		}
		if p.OutsideHealthcare() && attending {
			if count(clinical, first, last, away) > 0 && !d.f.hears(k) {
				add("CS-01", k)
			}
			if count(sensitive, first, last, away) > 0 {
				add("CS-08", k)
			}
		}
		if p.Sector == meeting.SectorSocialSecurity {
			for _, sums := range [...][]int{discussions, plans} {
				if sums[n] > 0 && (!attending || count(sums, first, last, away) == 0) {
					add("CS-04", k)
				}
			}
			got := 0
			if attending {
				got = count(minutes, first, last, away)
			}
			switch {
			case d.f.hasSector:
				if got < d.f.minSector {
					add("CS-07", k)
				}
			case got < d.f.pass.AttendedMinutes(k):
				// Without min_sector_minutes, a fix must not shorten the
				// participant's time at all.
				add("CS-07.shorter", k)
			}
		}
	}
	return out
}

// orDefault is the length of an item a fix adds for a minimum of want
// minutes: want, or a short item when the policy asks for none.
func orDefault(want int) int {
	if want > 0 {
		return want
	}
	return shortItemMinutes
}

// lazyFix is a fix computed once, when the first finding it belongs to is
// reported (a passing check computes none, and allocates nothing), and
// attached to every such finding:
//
//	if !fix.done {
//		fix.set(fixXX(newFixer(pass), ...))
//	}
//	fix.attach(pass)
type lazyFix struct {
	done   bool
	reason string
	args   recommend.Args
	ops    []recommend.PatchOp
}

func (l *lazyFix) set(reason string, args recommend.Args, ops []recommend.PatchOp) {
	l.done, l.reason, l.args, l.ops = true, reason, args, ops
}

// attach attaches the fix to the finding reported last.
func (l *lazyFix) attach(pass *recommend.Pass) {
	if len(l.ops) > 0 {
		pass.Fix(l.reason, l.args, l.ops...)
	}
}
