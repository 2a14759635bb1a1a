// Package fix applies the suggested fixes of collabmeet's reports to a case:
// the agenda builder of docs/fixes.md. A fix is RFC 6902 JSON Patch operations on
// the case document, carried by a finding (recommend.Finding.Fixes); Apply
// applies the fixes of a report one at a time, checking the case again after
// each, until no finding has a fix, and returns the fixed case and the one
// patch that turns the original document into it.
//
// Fixes exist only for a planned meeting: a held meeting is returned
// unchanged. Fixes never touch a consent, a record of something that
// happened, who is invited, or free text (see docs/fixes.md); Apply refuses a
// patch that does, so that a faulty rule cannot falsify a record.
package fix

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// Result is what Apply did.
type Result struct {
	// Case is the fixed case (the original when nothing was fixed).
	Case *casedoc.Case
	// Patch turns the original case document into Case: the operations of
	// every fix applied, in order. Empty when nothing was fixed.
	Patch []recommend.PatchOp
	// Fixed lists the IDs of the recommendations whose gaps were fixed, in
	// report order; Left those with gaps left for people.
	Fixed, Left []string
	// Report is the report on the fixed case.
	Report *recommend.Report
}

// ErrForbidden is wrapped by the error of a fix that would change what a fix
// may never change (docs/fixes.md).
var ErrForbidden = errors.New("fix: the patch changes what a fix may never change")

// maxRounds bounds the fixes applied to one case: each round applies one
// fix, and a fix never undoes another, so a case needs at most a few per
// recommendation.
const maxRounds = 256

// Option configures Apply.
type Option func(*options)

type options struct {
	report *recommend.Report
}

// WithReport gives Apply the report on c that the caller has made already,
// so that Apply does not check c again: a report of an engine with the
// same catalogue, policy and rules as Apply's engine (its language and
// texts do not matter: Apply reads outcomes, IDs and fixes). Apply does
// not change it; Result.Report is it when nothing was fixed.
func WithReport(rep *recommend.Report) Option { return func(o *options) { o.report = rep } }

// Apply checks c with e and applies the fixes of the report, one at a time,
// each to the case as the fixes before it left it, until no finding has a
// fix. The same case and engine always give the same patch. c is not changed.
func Apply(e *recommend.Engine, c *casedoc.Case, opts ...Option) (*Result, error) {
	if c == nil {
		return nil, errors.New("fix: no case")
	}
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	res := &Result{Case: c, Report: o.report}
	if res.Report == nil {
		res.Report = e.Check(c)
	}
	before := gapIDs(res.Report)
	key, err := stateKey(c)
	if err != nil {
		return nil, fmt.Errorf("fix: encoding the case: %w", err)
	}
	seen := map[string]bool{key: true}
	for range maxRounds {
		fx, ok := firstFix(res.Report)
		if !ok {
			break
		}
		if err := allowed(fx.Patch); err != nil {
			return nil, fmt.Errorf("%s: %w", fx.Code, err)
		}
		fixed, err := edit(res.Case, fx.Patch)
		var invalid *invalidError
		if errors.As(err, &invalid) {
			return nil, fmt.Errorf("fix: %s gives an invalid case: %w", fx.Code, invalid.err)
		}
		if err != nil {
			return nil, fmt.Errorf("fix: applying %s: %w", fx.Code, err)
		}
		key, err := stateKey(fixed)
		if err != nil {
			return nil, fmt.Errorf("fix: applying %s: %w", fx.Code, err)
		}
		if seen[key] {
			break // the fix changes nothing, or undoes an earlier one
		}
		if err := fixed.Validate(); err != nil {
			return nil, fmt.Errorf("fix: %s gives an invalid case: %w", fx.Code, err)
		}
		seen[key] = true
		res.Case = fixed
		res.Patch = append(res.Patch, fx.Patch...)
		res.Report = e.Check(fixed)
	}
	after := gapIDs(res.Report)
	for _, id := range before {
		if !slices.Contains(after, id) {
			res.Fixed = append(res.Fixed, id)
		}
	}
	res.Left = after
	return res, nil
}

// stateKey identifies a case among the cases that fixes make of one
// case: the JSON of what a fix may change (mayChange, and the attendance
// of each participant), which is all that two of them can differ in (allowed
// refuses any other change). Two of them have the same key exactly when
// their documents are the same.
func stateKey(c *casedoc.Case) (string, error) {
	type attendance struct {
		JoinsAtItem     uuid.UUID   `json:"j"`
		LeavesAfterItem uuid.UUID   `json:"l"`
		AwayItems       []uuid.UUID `json:"a,omitzero"`
	}
	m := &c.Meeting
	k := struct {
		Agenda          []meeting.AgendaItem `json:"agenda,omitzero"`
		DurationMinutes int                  `json:"d"`
		MinuteTakerID   uuid.UUID            `json:"m"`
		PlanUpdaterID   uuid.UUID            `json:"p"`
		Attendance      []attendance         `json:"att"`
	}{Agenda: m.Agenda, DurationMinutes: m.DurationMinutes, MinuteTakerID: m.MinuteTakerID, PlanUpdaterID: m.PlanUpdaterID,
		Attendance: make([]attendance, len(m.Participants))}
	for i, p := range m.Participants {
		k.Attendance[i] = attendance{p.JoinsAtItem, p.LeavesAfterItem, p.AwayItems}
	}
	data, err := json.Marshal(k, json.Deterministic(true))
	return string(data), err
}

// firstFix returns the first fix of the report, in report order.
func firstFix(rep *recommend.Report) (recommend.Fix, bool) {
	for _, r := range rep.Results {
		if r.Outcome != recommend.OutcomeGap {
			continue
		}
		for _, f := range r.Findings {
			if len(f.Fixes) > 0 {
				return f.Fixes[0], true
			}
		}
	}
	return recommend.Fix{}, false
}

func gapIDs(rep *recommend.Report) []string {
	var ids []string
	for _, r := range rep.Results {
		if r.Outcome == recommend.OutcomeGap {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// edit applies ops to the case c and returns the result, a new case (c
// is not changed). The operations the built-in catalogue makes are applied
// as typed edits of a copy of c (see typed); any other is applied by an RFC
// 6902 implementation to c's document (as json.Marshal, deterministic,
// writes it), and the result decoded and validated.
func edit(c *casedoc.Case, ops []recommend.PatchOp) (*casedoc.Case, error) {
	if work, ok := typed(c, ops); ok {
		return work, nil
	}
	doc, err := json.Marshal(c, json.Deterministic(true))
	if err != nil {
		return nil, fmt.Errorf("encoding the case: %w", err)
	}
	next, err := patch(doc, ops)
	if err != nil {
		return nil, err
	}
	fixed, err := casedoc.Unmarshal(next)
	if err != nil {
		return nil, &invalidError{err}
	}
	return fixed, nil
}

// invalidError is the error of edit when the patched document is not a
// valid case.
type invalidError struct{ err error }

func (e *invalidError) Error() string { return e.err.Error() }
func (e *invalidError) Unwrap() error { return e.err }

// patch applies ops to doc with an RFC 6902 implementation.
func patch(doc []byte, ops []recommend.PatchOp) ([]byte, error) {
	raw, err := json.Marshal(ops)
	if err != nil {
		return nil, err
	}
	p, err := jsonpatch.DecodePatch(raw)
	if err != nil {
		return nil, err
	}
	out, err := p.Apply(doc)
	if err != nil {
		return nil, err
	}
	v := jsontext.Value(out)
	if err := v.Compact(); err != nil {
		return nil, err
	}
	return v, nil
}

// mayChange are the only places a fix may change (docs/fixes.md): the agenda, who
// attends which item, the meeting's length, and who takes the minutes and
// updates the plan.
var mayChange = []string{"/meeting/agenda", "/meeting/duration_minutes", "/meeting/minute_taker_id", "/meeting/plan_updater_id"}

// allowed refuses a patch that reaches beyond mayChange, except the
// attendance fields of a participant (joins_at_item, leaves_after_item,
// away_items): at its path, and at its from (move,
// copy) when it has one. The path "" is the whole document, never allowed.
func allowed(ops []recommend.PatchOp) error {
	for _, op := range ops {
		for i, path := range []string{op.Path, op.From} {
			if i == 1 && path == "" {
				continue // no from
			}
			if !allowedPath(path) {
				return fmt.Errorf("%w: %s %q", ErrForbidden, op.Op, path)
			}
		}
	}
	return nil
}

func allowedPath(path string) bool {
	for _, p := range mayChange {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(path, "/meeting/participants/"); ok {
		_, field, _ := strings.Cut(rest, "/")
		return field == "joins_at_item" || field == "leaves_after_item" ||
			field == "away_items" || strings.HasPrefix(field, "away_items/")
	}
	return false
}

// typed applies ops to a copy of c as typed edits, and reports whether it
// could: the operations of the catalogue's fixes (recommend/catalogue),
// whose values are Go values of the case's own types, on a case where each
// applies as RFC 6902 says it would to the case document. Anything else
// (another path or value type, an index out of range, a remove or replace
// of a member the document does not have) is left to the RFC 6902
// implementation, which gives its error where there is one. c is not
// changed: the copy has its own agenda and participants, the only lists a
// fix edits, and shares the rest with c.
func typed(c *casedoc.Case, ops []recommend.PatchOp) (*casedoc.Case, bool) {
	work := *c
	m := &work.Meeting
	m.Agenda = slices.Clone(m.Agenda)
	m.Participants = slices.Clone(m.Participants)
	for _, op := range ops {
		if !typedOp(m, op) {
			return nil, false
		}
	}
	return &work, true
}

// typedOp applies one operation to m (see typed).
func typedOp(m *meeting.Meeting, op recommend.PatchOp) bool {
	switch {
	case op.Path == "/meeting/agenda" && op.Op == "add":
		items, ok := op.Value.([]meeting.AgendaItem)
		if ok {
			m.Agenda = slices.Clone(items)
		}
		return ok
	case op.Path == "/meeting/duration_minutes" && op.Op == "replace":
		n, ok := op.Value.(int)
		if !ok || m.DurationMinutes == 0 || n == 0 { // replace needs the member; 0 is not written
			return false
		}
		m.DurationMinutes = n
		return true
	case (op.Path == "/meeting/minute_taker_id" || op.Path == "/meeting/plan_updater_id") && op.Op == "add":
		id, ok := op.Value.(uuid.UUID)
		if !ok || id == uuid.Nil {
			return false
		}
		if op.Path == "/meeting/minute_taker_id" {
			m.MinuteTakerID = id
		} else {
			m.PlanUpdaterID = id
		}
		return true
	}
	if rest, ok := strings.CutPrefix(op.Path, "/meeting/agenda/"); ok {
		return typedAgendaOp(m, op, rest)
	}
	if rest, ok := strings.CutPrefix(op.Path, "/meeting/participants/"); ok {
		k, field, _ := strings.Cut(rest, "/")
		i, ok := index(k, len(m.Participants)-1)
		if !ok {
			return false
		}
		p := &m.Participants[i]
		if field == "away_items" {
			switch op.Op {
			case "remove":
				if p.AwayItems == nil || op.Value != nil {
					return false
				}
				p.AwayItems = nil
				return true
			case "add":
				ids, ok := op.Value.([]uuid.UUID)
				if !ok || len(ids) == 0 {
					return false
				}
				p.AwayItems = slices.Clone(ids)
				return true
			}
			return false
		}
		var at *uuid.UUID
		switch field {
		case "joins_at_item":
			at = &p.JoinsAtItem
		case "leaves_after_item":
			at = &p.LeavesAfterItem
		default:
			return false
		}
		switch op.Op {
		case "remove":
			if *at == uuid.Nil || op.Value != nil {
				return false
			}
			*at = uuid.Nil
			return true
		case "add":
			id, ok := op.Value.(uuid.UUID)
			if !ok || id == uuid.Nil {
				return false
			}
			*at = id
			return true
		}
	}
	return false
}

// typedAgendaOp applies an operation below /meeting/agenda/: rest is the
// path after it.
func typedAgendaOp(m *meeting.Meeting, op recommend.PatchOp, rest string) bool {
	idx, field, hasField := strings.Cut(rest, "/")
	if !hasField {
		switch op.Op {
		case "add":
			it, ok := op.Value.(meeting.AgendaItem)
			if !ok || len(m.Agenda) == 0 { // the document has no agenda member to add to
				return false
			}
			i := len(m.Agenda)
			if idx != "-" {
				if i, ok = index(idx, len(m.Agenda)); !ok {
					return false
				}
			}
			m.Agenda = slices.Insert(m.Agenda, i, it)
			return true
		case "move":
			from, ok := strings.CutPrefix(op.From, "/meeting/agenda/")
			if !ok {
				return false
			}
			f, ok1 := index(from, len(m.Agenda)-1)
			t, ok2 := index(idx, len(m.Agenda)-1)
			if !ok1 || !ok2 {
				return false
			}
			it := m.Agenda[f]
			m.Agenda = slices.Insert(slices.Delete(m.Agenda, f, f+1), t, it)
			return true
		}
		return false
	}
	i, ok := index(idx, len(m.Agenda)-1)
	if !ok || op.Op != "add" {
		return false
	}
	it := &m.Agenda[i]
	switch field {
	case "minutes":
		n, ok := op.Value.(int)
		if ok {
			it.Minutes = n
		}
		return ok
	case "lead_id":
		id, ok := op.Value.(uuid.UUID)
		if ok && id != uuid.Nil {
			it.LeadID = id
		}
		return ok && id != uuid.Nil
	case "patient_speaks_first", "recap", "professionals_only", "sensitive":
		b, ok := op.Value.(bool)
		if !ok {
			return false
		}
		switch field {
		case "patient_speaks_first":
			it.PatientSpeaksFirst = b
		case "recap":
			it.Recap = b
		case "professionals_only":
			it.ProfessionalsOnly = b
		default:
			it.Sensitive = b
		}
		return true
	}
	return false
}

// index parses an array index of a JSON Pointer ("0", "12"; no leading
// zeros, as RFC 6901 writes them) that is at most last.
func index(s string, last int) (int, bool) {
	if s == "" || len(s) > 9 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n <= last
}
