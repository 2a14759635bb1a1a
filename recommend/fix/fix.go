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
	"github.com/collabmeet/collabmeet/recommend"
	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
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

// Apply checks c with e and applies the fixes of the report, one at a time,
// each to the case as the fixes before it left it, until no finding has a
// fix. The same case and engine always give the same patch. c is not changed.
func Apply(e *recommend.Engine, c *casedoc.Case) (*Result, error) {
	if c == nil {
		return nil, errors.New("fix: no case")
	}
	doc, err := json.Marshal(c, json.Deterministic(true))
	if err != nil {
		return nil, fmt.Errorf("fix: encoding the case: %w", err)
	}
	res := &Result{Case: c, Report: e.Check(c)}
	before := gapIDs(res.Report)
	seen := map[string]bool{string(doc): true}
	for range maxRounds {
		fx, ok := firstFix(res.Report)
		if !ok {
			break
		}
		if err := allowed(fx.Patch); err != nil {
			return nil, fmt.Errorf("%s: %w", fx.Code, err)
		}
		next, err := patch(doc, fx.Patch)
		if err != nil {
			return nil, fmt.Errorf("fix: applying %s: %w", fx.Code, err)
		}
		if seen[string(next)] {
			break // the fix changes nothing, or undoes an earlier one
		}
		fixed, err := casedoc.Unmarshal(next)
		if err != nil {
			return nil, fmt.Errorf("fix: %s gives an invalid case: %w", fx.Code, err)
		}
		seen[string(next)] = true
		doc, res.Case = next, fixed
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
