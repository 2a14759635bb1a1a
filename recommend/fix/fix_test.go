package fix_test

import (
	stdjson "encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/fix"
	"github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The properties of fix.Apply over generated planned cases (docs/fixes.md):
// after Apply, no gap that was not there before; no must-fix gap left where
// the case allows it (see excused); consents, preparation, plan and
// participants (but for joins_at_item, leaves_after_item and away_items) byte for byte
// as they were; a second Apply changes nothing; the same case gives the
// same patch; and the patch, applied by an independent RFC 6902
// implementation (applyPatch, below) to the case document, gives exactly
// the fixed case.

// mustFix are the recommendations whose gaps must have a fix (docs/fixes.md).
var mustFix = []string{"PC-01", "PC-05", "PC-09", "AP-01", "AP-02", "MC-02", "MC-03", "MC-04", "MC-07", "MC-10", "CS-01", "CS-04", "CS-07"}

func mustEngine(t testing.TB, opts ...recommend.Option) *recommend.Engine {
	t.Helper()
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, opts...)
	require.NoError(t, err)
	return e
}

func gapIDs(rep *recommend.Report) []string {
	ids := []string{}
	for _, r := range rep.Results {
		if r.Outcome == recommend.OutcomeGap {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// excused says why a must-fix gap of the fixed case c is left for people,
// or "" when it should have been fixed. The case does not allow a fix when:
//   - PC-01, PC-05: there is no patient to attend or lead (people must
//     invite the patient);
//   - PC-05: no patient_perspective item is led by the patient or next of
//     kin, and an item of the patient's own does not fit in the meeting nor
//     in max_minutes (a fix never changes who leads an item);
//   - MC-10: no healthcare participant attends the whole meeting to take
//     the minutes, or no leader does to update the plan (the fix names the
//     leader for that), or the one named does not attend the whole meeting
//     (a person's decision: who takes the minutes);
//   - MC-02: the agenda is longer than max_minutes (people must cut).
//
// Every other must-fix gap of a generated case is fixed.
func excused(c *casedoc.Case, r recommend.Result) string {
	m := &c.Meeting
	switch r.ID {
	case "PC-01", "PC-05":
		if m.PatientIndex() < 0 {
			return "no patient"
		}
		if r.ID == "PC-05" && !patientLedItem(m) && m.AgendaMinutes()+patientMinutes(m) > max(m.DurationMinutes, 90) {
			return "no item of the patient's own fits"
		}
	case "MC-10":
		leader := m.Participant(m.LeaderID)
		leaderStays := leader != nil && m.AttendsAll(leader)
		for _, f := range r.Findings {
			code, _ := strings.CutPrefix(f.Code, "MC-10.")
			switch {
			case code == "no_minute_taker" && (leaderStays || colleagueStays(m)):
				return ""
			case code == "no_plan_updater" && leaderStays:
				return ""
			}
		}
		return "no one to name attending the whole meeting, or the one named does not"
	case "MC-02":
		if m.AgendaMinutes() > max(m.DurationMinutes, 90) {
			return "longer than max_minutes"
		}
	}
	return ""
}

// patientLedItem reports whether a patient_perspective item is led by the
// patient or by next of kin.
func patientLedItem(m *meeting.Meeting) bool {
	for _, it := range m.Agenda {
		if p := m.Participant(it.LeadID); it.Kind == meeting.ItemPatientPerspective && p != nil &&
			(p.Role == meeting.RolePatient || p.Role == meeting.RoleNextOfKin) {
			return true
		}
	}
	return false
}

// patientMinutes is the default least length of the patient's item in m.
func patientMinutes(m *meeting.Meeting) int {
	if m.Kind == meeting.KindFollowUp {
		return 5
	}
	return 10
}

// colleagueStays reports whether a healthcare participant other than the
// leader attends the whole meeting (the MC-10 fix names one minute-taker).
func colleagueStays(m *meeting.Meeting) bool {
	for k := range m.Participants {
		if p := &m.Participants[k]; p.Healthcare() && p.ID != m.LeaderID && m.AttendsAll(p) {
			return true
		}
	}
	return false
}

// stats counts what the properties saw.
type stats struct {
	cases, fixed, ops int
	left              map[string]int // must-fix gaps left, by finding code (stress cases)
}

// checkFix checks every property of Apply on c; strict asks that no
// must-fix gap be left but those excused.
func checkFix(t *testing.T, e *recommend.Engine, c *casedoc.Case, strict bool, st *stats) {
	t.Helper()
	orig, err := json.Marshal(c, json.Deterministic(true))
	require.NoError(t, err)
	before := e.Check(c)
	res, err := fix.Apply(e, c)
	require.NoError(t, err, "%s", orig)
	st.cases++
	if len(res.Patch) > 0 {
		st.fixed++
		st.ops += len(res.Patch)
	}
	fail := func(format string, args ...any) {
		t.Helper()
		patch, _ := json.Marshal(res.Patch)
		t.Fatalf(format+"\ncase: %s\npatch: %s", append(args, orig, patch)...)
	}

	// No new gap.
	for _, id := range gapIDs(res.Report) {
		if !slices.Contains(gapIDs(before), id) {
			fail("a new gap %s", id)
		}
	}
	// No must-fix gap left where the case allows it, and none with a fix.
	for _, r := range res.Report.Results {
		if r.Outcome != recommend.OutcomeGap || !slices.Contains(mustFix, r.ID) {
			continue
		}
		for _, f := range r.Findings {
			if len(f.Fixes) > 0 {
				fail("%s is left with a fix", f.Code)
			}
			if st.left != nil {
				st.left[f.Code]++
			}
		}
		if why := excused(res.Case, r); strict && why == "" {
			fail("%s is left: %+v", r.ID, r.Findings)
		}
	}
	// The fixed case is valid, and what the document says.
	fixedDoc, err := json.Marshal(res.Case, json.Deterministic(true))
	require.NoError(t, err)
	decoded, err := casedoc.Unmarshal(fixedDoc)
	if err != nil {
		fail("the fixed case is invalid: %v", err)
	}
	assert.Equal(t, res.Case, decoded)
	// Only what a fix may change changed.
	assertUnchanged(t, c, res.Case)
	// Idempotent: a second Apply changes nothing.
	again, err := fix.Apply(e, res.Case)
	require.NoError(t, err)
	if len(again.Patch) > 0 {
		fail("a second Apply changes the case: %+v", again.Patch)
	}
	// Deterministic: the same case, decoded afresh, gives the same patch.
	fresh, err := casedoc.Unmarshal(orig)
	require.NoError(t, err)
	same, err := fix.Apply(e, fresh)
	require.NoError(t, err)
	p1, err := json.Marshal(res.Patch, json.Deterministic(true))
	require.NoError(t, err)
	p2, err := json.Marshal(same.Patch, json.Deterministic(true))
	require.NoError(t, err)
	if string(p1) != string(p2) {
		fail("two patches for one case:\n%s\n%s", p1, p2)
	}
	// An independent RFC 6902 implementation gives the same document.
	got, err := applyPatchJSON(orig, p1)
	if err != nil {
		fail("the patch does not apply: %v", err)
	}
	var want any
	require.NoError(t, stdjson.Unmarshal(fixedDoc, &want))
	if !assert.Equal(t, want, got, "the patch applied by another RFC 6902 implementation") {
		fail("documents differ")
	}
}

// assertUnchanged holds that a fix changed only the agenda, the duration,
// the minute-taker and plan updater, and participants' joins_at_item,
// leaves_after_item and away_items: consents, preparation, plan and participants are byte
// for byte the same.
func assertUnchanged(t *testing.T, before, after *casedoc.Case) {
	t.Helper()
	enc := func(v any) string {
		data, err := json.Marshal(v, json.Deterministic(true))
		require.NoError(t, err)
		return string(data)
	}
	assert.Equal(t, enc(before.Consents), enc(after.Consents), "consents")
	assert.Equal(t, enc(before.Plan), enc(after.Plan), "plan")
	assert.Equal(t, enc(before.Meeting.Preparation), enc(after.Meeting.Preparation), "preparation")
	rest := func(c *casedoc.Case) string {
		m := c.Meeting
		m.Agenda, m.DurationMinutes, m.MinuteTakerID, m.PlanUpdaterID = nil, 0, uuid.Nil, uuid.Nil
		m.Participants = slices.Clone(m.Participants)
		for k := range m.Participants {
			m.Participants[k].JoinsAtItem, m.Participants[k].LeavesAfterItem = uuid.Nil, uuid.Nil
			m.Participants[k].AwayItems = nil
		}
		return enc(m)
	}
	assert.Equal(t, rest(before), rest(after), "the meeting but its agenda, length, tasks and attendance")
	for _, it := range after.Meeting.Agenda {
		if before.Meeting.ItemIndex(it.ID) < 0 {
			assert.Empty(t, it.Title, "an item a fix adds has no text of its own")
		}
	}
	for i := range before.Meeting.Agenda {
		old := before.Meeting.Agenda[i]
		if j := after.Meeting.ItemIndex(old.ID); assert.GreaterOrEqual(t, j, 0, "no item is removed") {
			assert.Equal(t, old.Title, after.Meeting.Agenda[j].Title, "no title is changed")
			assert.Equal(t, old.Sensitive, after.Meeting.Agenda[j].Sensitive)
			assert.Equal(t, old.ProfessionalsOnly, after.Meeting.Agenda[j].ProfessionalsOnly)
		}
	}
	assert.GreaterOrEqual(t, after.Meeting.DurationMinutes, before.Meeting.DurationMinutes, "a meeting is never shortened")
}

// planned returns the planned cases among the next n of g.
func planned(g *casegen.Generator, n int) []*casedoc.Case {
	var out []*casedoc.Case
	for range n {
		if c := g.Case(); c.Meeting.Status == meeting.StatusPlanned {
			out = append(out, c)
		}
	}
	return out
}

// withEmptyAgenda is c with its participants and an empty agenda: the input
// of the agenda builder.
func withEmptyAgenda(c *casedoc.Case) *casedoc.Case {
	data, _ := json.Marshal(c)
	out, _ := casedoc.Unmarshal(data)
	out.Meeting.Agenda = nil
	for k := range out.Meeting.Participants {
		out.Meeting.Participants[k].JoinsAtItem, out.Meeting.Participants[k].LeavesAfterItem = uuid.Nil, uuid.Nil
		out.Meeting.Participants[k].AwayItems = nil
	}
	return out
}

func sizes() (generated int) {
	if testing.Short() {
		return 400
	}
	return 2000
}

// TestApplyGeneratedCases: the properties over the planned cases of
// casegen (compliant ones and ones with the studies' defects).
func TestApplyGeneratedCases(t *testing.T) {
	e := mustEngine(t)
	st := &stats{}
	for _, c := range planned(casegen.New(13), sizes()) {
		checkFix(t, e, c, true, st)
	}
	t.Logf("%d planned cases, %d fixed, %d operations", st.cases, st.fixed, st.ops)
	assert.Positive(t, st.fixed)
}

// TestApplyEmptyAgenda: the agenda builder. Generated planned cases with
// their participants and an empty agenda, and the typical case: after
// Apply, a compliant agenda but for what the case does not allow.
func TestApplyEmptyAgenda(t *testing.T) {
	e := mustEngine(t)
	st := &stats{}
	cases := []*casedoc.Case{withEmptyAgenda(casegen.Typical())}
	g := casegen.New(17)
	for range 20 {
		cases = append(cases, withEmptyAgenda(g.Typical()))
	}
	for _, c := range planned(casegen.New(19), sizes()) {
		cases = append(cases, withEmptyAgenda(c))
	}
	for _, c := range cases {
		checkFix(t, e, c, true, st)
	}
	t.Logf("%d cases with an empty agenda, %d fixed, %d operations", st.cases, st.fixed, st.ops)
	assert.Equal(t, st.cases, st.fixed, "every empty agenda gets one")
}

// TestApplyStress: the properties but "no must-fix gap left" over planned
// cases mutated at random into agendas no planner would write (items
// shuffled, dropped, given no minutes or marked sensitive; attendance at
// random; no consent to hear clinical information; short meetings; tasks
// named at random). Gaps are left here where every edit would create a new
// gap: a recap or an item that does not fit in max_minutes; a supervisor
// whose first discussion comes before a clinical summary it may not hear;
// an empty agenda whose named minute-taker is outside healthcare without
// consent to hear the clinical summary of the standard skeleton (it could
// not attend the whole meeting: people must name another or ask for
// consent); ... Their counts are logged.
func TestApplyStress(t *testing.T) {
	e := mustEngine(t)
	st := &stats{left: map[string]int{}}
	r := rand.New(rand.NewPCG(3, 5))
	n := sizes() * 3
	for _, c := range planned(casegen.New(23), n) {
		mutate(r, c)
		data, err := json.Marshal(c)
		require.NoError(t, err)
		valid, err := casedoc.Unmarshal(data)
		if err != nil {
			continue // a mutation made it invalid (a leave before a join)
		}
		if r.IntN(4) == 0 {
			valid = withEmptyAgenda(valid)
		}
		checkFix(t, e, valid, false, st)
	}
	t.Logf("%d mutated cases, %d fixed, %d operations", st.cases, st.fixed, st.ops)
	codes := make([]string, 0, len(st.left))
	for code := range st.left {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		t.Logf("left for people: %s in %d findings", code, st.left[code])
	}
}

// mutate changes a case at random, keeping it a case the engine can check.
func mutate(r *rand.Rand, c *casedoc.Case) {
	m := &c.Meeting
	for range 1 + r.IntN(4) {
		switch r.IntN(10) {
		case 0:
			r.Shuffle(len(m.Agenda), func(i, j int) { m.Agenda[i], m.Agenda[j] = m.Agenda[j], m.Agenda[i] })
		case 1:
			if len(m.Agenda) > 1 {
				i := r.IntN(len(m.Agenda))
				id := m.Agenda[i].ID
				m.Agenda = slices.Delete(m.Agenda, i, i+1)
				for k := range m.Participants {
					if m.Participants[k].JoinsAtItem == id {
						m.Participants[k].JoinsAtItem = uuid.Nil
					}
					if m.Participants[k].LeavesAfterItem == id {
						m.Participants[k].LeavesAfterItem = uuid.Nil
					}
				}
			}
		case 2:
			if len(m.Agenda) > 0 {
				m.Agenda[r.IntN(len(m.Agenda))].Minutes = 0
			}
		case 3:
			if len(m.Agenda) > 0 {
				k := r.IntN(len(m.Participants))
				a, b := r.IntN(len(m.Agenda)), r.IntN(len(m.Agenda))
				m.Participants[k].JoinsAtItem = m.Agenda[min(a, b)].ID
				if r.IntN(2) == 0 {
					m.Participants[k].LeavesAfterItem = m.Agenda[max(a, b)].ID
				}
			}
		case 4:
			if len(m.Agenda) > 0 {
				it := &m.Agenda[r.IntN(len(m.Agenda))]
				if r.IntN(2) == 0 {
					it.Sensitive = true
				} else {
					it.ProfessionalsOnly = true
				}
			}
		case 5:
			for j := range c.Consents {
				c.Consents[j].Scopes = slices.DeleteFunc(slices.Clone(c.Consents[j].Scopes), func(s consent.Scope) bool {
					return s == consent.ScopeHearClinicalInformation
				})
				if len(c.Consents[j].Scopes) == 0 {
					c.Consents[j].Scopes = []consent.Scope{consent.ScopeAttend}
				}
			}
		case 6:
			m.DurationMinutes = 20 + r.IntN(60)
		case 7:
			if k := r.IntN(len(m.Participants)); r.IntN(2) == 0 {
				m.MinuteTakerID = m.Participants[k].ID
			} else {
				m.MinuteTakerID, m.PlanUpdaterID = uuid.Nil, uuid.Nil
			}
		case 8:
			for i := range m.Agenda {
				m.Agenda[i].PatientSpeaksFirst = false
				if r.IntN(2) == 0 {
					m.Agenda[i].Recap = false
				}
			}
		case 9:
			if len(m.Agenda) > 0 {
				m.Agenda[r.IntN(len(m.Agenda))].Kind = meeting.ItemKinds()[r.IntN(len(meeting.ItemKinds()))]
			}
		}
	}
}

// TestApplyHeld: a held meeting is never changed, whatever its gaps.
func TestApplyHeld(t *testing.T) {
	e := mustEngine(t)
	g := casegen.New(29)
	n := 0
	for range sizes() {
		c, defects := g.Next()
		if c.Meeting.Status != meeting.StatusHeld {
			continue
		}
		n++
		if n%3 == 0 {
			c.Meeting.Agenda = nil // an empty agenda is history too
			for k := range c.Meeting.Participants {
				c.Meeting.Participants[k].JoinsAtItem, c.Meeting.Participants[k].LeavesAfterItem = uuid.Nil, uuid.Nil
			}
		}
		rep := e.Check(c)
		for _, r := range rep.Results {
			for _, f := range r.Findings {
				require.Empty(t, f.Fixes, "%s has a fix on a held meeting (defects %v)", f.Code, defects)
			}
		}
		res, err := fix.Apply(e, c)
		require.NoError(t, err)
		assert.Same(t, c, res.Case)
		assert.Empty(t, res.Patch)
		assert.Empty(t, res.Fixed)
	}
	t.Logf("%d held cases", n)
	assert.Positive(t, n)
}

// TestApplyRefusesForbiddenPatch: a rule whose fix would touch a consent is
// refused, whatever it says.
func TestApplyRefusesForbiddenPatch(t *testing.T) {
	msgs := fstest.MapFS{"x.en.json": {Data: []byte(`{
		"X-01.title": "t", "X-01.statement": "s", "X-01.rationale": "r",
		"X-01.r.message": "m", "X-01.r.remedy": "r", "X-01.fix.f": "f", "theme.x": "x"}`)}}
	c := casegen.Typical()
	whole, err := json.Marshal(c)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, stdjson.Unmarshal(whole, &doc))
	for _, op := range []recommend.PatchOp{
		{Op: "remove", Path: "/consents/0/scopes"},
		{Op: "remove", Path: "/meeting/participants/0/role"},
		{Op: "remove", Path: "/meeting/preparation/sent_to"},
		{Op: "replace", Path: "/plan/status", Value: "agreed"},
		{Op: "replace", Path: "/meeting/status", Value: "held"},
		{Op: "add", Path: "/meeting/participants/-", Value: map[string]any{"id": uuid.NewString(), "role": "gp", "sector": "primary_health"}},
		{Op: "replace", Path: "", Value: doc}, // the whole document
		{Op: "move", From: "/consents/0", Path: "/meeting/agenda/0"},
		{Op: "copy", From: "/meeting/agenda/0", Path: "/consents/0"},
	} {
		rule := recommend.Rule{Recommendation: recommend.Recommendation{
			ID: "X-01", Theme: "x", Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
			Reasons: []string{"r"}, Fixes: []string{"f"},
		}, Check: func(pass *recommend.Pass) error {
			pass.ReportCase("meeting", "r", nil)
			pass.Fix("f", nil, op)
			return nil
		}}
		e, err := recommend.New(recommend.Catalogue{Themes: []recommend.ThemeDef{{ID: "x"}}, Rules: []recommend.Rule{rule}, Messages: msgs}, recommend.Policy{})
		require.NoError(t, err)
		_, err = fix.Apply(e, c)
		assert.ErrorIs(t, err, fix.ErrForbidden, "%s %q from %q", op.Op, op.Path, op.From)
	}
}

// An RFC 6902 implementation of the tests' own, over the values of
// encoding/json, to check the patches of fix.Apply (made with
// evanphx/json-patch) independently.

// applyPatchJSON applies the patch (a JSON array of operations) to the
// document and returns the result as encoding/json decodes it.
func applyPatchJSON(doc, patch []byte) (any, error) {
	var v any
	if err := stdjson.Unmarshal(doc, &v); err != nil {
		return nil, err
	}
	var ops []map[string]any
	if err := stdjson.Unmarshal(patch, &ops); err != nil {
		return nil, err
	}
	return applyPatch(v, ops)
}

func applyPatch(doc any, ops []map[string]any) (any, error) {
	for i, op := range ops {
		path, _ := op["path"].(string)
		from, _ := op["from"].(string)
		value, hasValue := op["value"]
		var err error
		switch op["op"] {
		case "add":
			if !hasValue {
				return nil, fmt.Errorf("op %d: add without a value", i)
			}
			doc, err = addAt(doc, path, deepCopy(value))
		case "remove":
			doc, _, err = removeAt(doc, path)
		case "replace":
			if !hasValue {
				return nil, fmt.Errorf("op %d: replace without a value", i)
			}
			if _, err = getAt(doc, path); err == nil {
				doc, _, err = removeAt(doc, path)
			}
			if err == nil {
				doc, err = addAt(doc, path, deepCopy(value))
			}
		case "move":
			if from == path {
				continue
			}
			if strings.HasPrefix(path, from+"/") {
				return nil, fmt.Errorf("op %d: move into itself", i)
			}
			var v any
			if doc, v, err = removeAt(doc, from); err == nil {
				doc, err = addAt(doc, path, v)
			}
		case "copy":
			var v any
			if v, err = getAt(doc, from); err == nil {
				doc, err = addAt(doc, path, deepCopy(v))
			}
		case "test":
			var v any
			if v, err = getAt(doc, path); err == nil && !jsonEqual(v, value) {
				err = fmt.Errorf("test failed at %s", path)
			}
		default:
			err = fmt.Errorf("unknown op %v", op["op"])
		}
		if err != nil {
			return nil, fmt.Errorf("op %d (%v %s): %w", i, op["op"], path, err)
		}
	}
	return doc, nil
}

// tokens splits a JSON pointer (RFC 6901).
func tokens(ptr string) ([]string, error) {
	if ptr == "" {
		return nil, nil
	}
	if ptr[0] != '/' {
		return nil, fmt.Errorf("pointer %q does not start with /", ptr)
	}
	parts := strings.Split(ptr[1:], "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

// index parses an array index token for an array of length n; end allows
// n itself (and "-") for add.
func index(tok string, n int, end bool) (int, error) {
	if tok == "-" && end {
		return n, nil
	}
	if tok == "" || len(tok) > 1 && tok[0] == '0' || strings.TrimLeft(tok, "0123456789") != "" {
		return 0, fmt.Errorf("bad array index %q", tok)
	}
	var i int
	if _, err := fmt.Sscan(tok, &i); err != nil {
		return 0, err
	}
	if i > n || i == n && !end {
		return 0, fmt.Errorf("index %d out of range (%d)", i, n)
	}
	return i, nil
}

func getAt(doc any, ptr string) (any, error) {
	toks, err := tokens(ptr)
	if err != nil {
		return nil, err
	}
	for _, tok := range toks {
		switch c := doc.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("no member %q", tok)
			}
			doc = v
		case []any:
			i, err := index(tok, len(c), false)
			if err != nil {
				return nil, err
			}
			doc = c[i]
		default:
			return nil, fmt.Errorf("%q: not a container", tok)
		}
	}
	return doc, nil
}

// update replaces the container at toks[:len-1] of doc with what f makes
// of it and the last token, and returns the new doc.
func update(doc any, toks []string, f func(container any, tok string) (any, error)) (any, error) {
	if len(toks) == 1 {
		return f(doc, toks[0])
	}
	switch c := doc.(type) {
	case map[string]any:
		child, ok := c[toks[0]]
		if !ok {
			return nil, fmt.Errorf("no member %q", toks[0])
		}
		next, err := update(child, toks[1:], f)
		if err != nil {
			return nil, err
		}
		c[toks[0]] = next
		return c, nil
	case []any:
		i, err := index(toks[0], len(c), false)
		if err != nil {
			return nil, err
		}
		next, err := update(c[i], toks[1:], f)
		if err != nil {
			return nil, err
		}
		c[i] = next
		return c, nil
	}
	return nil, fmt.Errorf("%q: not a container", toks[0])
}

func addAt(doc any, ptr string, v any) (any, error) {
	toks, err := tokens(ptr)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return v, nil
	}
	return update(doc, toks, func(container any, tok string) (any, error) {
		switch c := container.(type) {
		case map[string]any:
			c[tok] = v
			return c, nil
		case []any:
			i, err := index(tok, len(c), true)
			if err != nil {
				return nil, err
			}
			return slices.Insert(c, i, v), nil
		}
		return nil, fmt.Errorf("%q: not a container", tok)
	})
}

func removeAt(doc any, ptr string) (any, any, error) {
	toks, err := tokens(ptr)
	if err != nil {
		return nil, nil, err
	}
	if len(toks) == 0 {
		return nil, nil, fmt.Errorf("removing the whole document")
	}
	var removed any
	doc, err = update(doc, toks, func(container any, tok string) (any, error) {
		switch c := container.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("no member %q to remove", tok)
			}
			removed = v
			delete(c, tok)
			return c, nil
		case []any:
			i, err := index(tok, len(c), false)
			if err != nil {
				return nil, err
			}
			removed = c[i]
			return slices.Delete(slices.Clone(c), i, i+1), nil
		}
		return nil, fmt.Errorf("%q: not a container", tok)
	})
	return doc, removed, err
}

func deepCopy(v any) any {
	data, _ := stdjson.Marshal(v)
	var out any
	_ = stdjson.Unmarshal(data, &out)
	return out
}

func jsonEqual(a, b any) bool {
	x, _ := stdjson.Marshal(a)
	y, _ := stdjson.Marshal(b)
	return string(x) == string(y)
}

// TestApplyPatchImplementation checks the tests' RFC 6902 implementation
// on the examples of RFC 6902, appendix A.
func TestApplyPatchImplementation(t *testing.T) {
	for _, tc := range []struct{ doc, patch, want string }{
		{`{"foo":"bar"}`, `[{"op":"add","path":"/baz","value":"qux"}]`, `{"baz":"qux","foo":"bar"}`},
		{`{"foo":["bar","baz"]}`, `[{"op":"add","path":"/foo/1","value":"qux"}]`, `{"foo":["bar","qux","baz"]}`},
		{`{"baz":"qux","foo":"bar"}`, `[{"op":"remove","path":"/baz"}]`, `{"foo":"bar"}`},
		{`{"foo":["bar","qux","baz"]}`, `[{"op":"remove","path":"/foo/1"}]`, `{"foo":["bar","baz"]}`},
		{`{"baz":"qux","foo":"bar"}`, `[{"op":"replace","path":"/baz","value":"boo"}]`, `{"baz":"boo","foo":"bar"}`},
		{`{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}`, `[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]`,
			`{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}`},
		{`{"foo":["all","grass","cows","eat"]}`, `[{"op":"move","from":"/foo/1","path":"/foo/3"}]`, `{"foo":["all","cows","eat","grass"]}`},
		{`{"foo":["bar"]}`, `[{"op":"add","path":"/foo/-","value":["abc","def"]}]`, `{"foo":["bar",["abc","def"]]}`},
		{`{"foo":"bar"}`, `[{"op":"copy","from":"/foo","path":"/baz"}]`, `{"baz":"bar","foo":"bar"}`},
		{`{"/":9,"~1":10}`, `[{"op":"test","path":"/~01","value":10}]`, `{"/":9,"~1":10}`},
	} {
		got, err := applyPatchJSON([]byte(tc.doc), []byte(tc.patch))
		require.NoError(t, err, tc.patch)
		var want any
		require.NoError(t, stdjson.Unmarshal([]byte(tc.want), &want))
		assert.Equal(t, want, got, tc.patch)
	}
	for _, tc := range []struct{ doc, patch string }{
		{`{"foo":"bar"}`, `[{"op":"add","path":"/baz/bat","value":"qux"}]`},
		{`{"foo":"bar"}`, `[{"op":"remove","path":"/baz"}]`},
		{`{"foo":[1]}`, `[{"op":"add","path":"/foo/2","value":1}]`},
		{`{"foo":[1]}`, `[{"op":"add","path":"/foo/01","value":1}]`},
		{`{"baz":"qux"}`, `[{"op":"test","path":"/baz","value":"bar"}]`},
		{`{"foo":"bar"}`, `[{"op":"replace","path":"/baz","value":1}]`},
	} {
		_, err := applyPatchJSON([]byte(tc.doc), []byte(tc.patch))
		assert.Error(t, err, tc.patch)
	}
}

// TestApplyWithReport: Apply given the report it would make itself, or one
// of an engine in another language with texts, gives the same result as
// Apply checking the case itself; and the fixed case, which Apply no longer
// encodes and decodes, is the case its own document decodes to (the same
// document again, the same report).
func TestApplyWithReport(t *testing.T) {
	e := mustEngine(t, recommend.WithoutTexts())
	nb := mustEngine(t, recommend.WithLang(recommend.Bokmal))
	cases := []*casedoc.Case{casegen.Typical(), withEmptyAgenda(casegen.Typical())}
	for _, c := range planned(casegen.New(23), 300) {
		cases = append(cases, c, withEmptyAgenda(c))
	}
	fixed := 0
	for i, c := range cases {
		want, err := fix.Apply(e, c)
		require.NoError(t, err, "case %d", i)
		for _, rep := range []*recommend.Report{e.Check(c), nb.Check(c)} {
			got, err := fix.Apply(e, c, fix.WithReport(rep))
			require.NoError(t, err, "case %d", i)
			assert.Equal(t, want.Patch, got.Patch, "case %d", i)
			assert.Equal(t, want.Fixed, got.Fixed, "case %d", i)
			assert.Equal(t, want.Left, got.Left, "case %d", i)
			assert.Equal(t, mustMarshal(t, want.Case), mustMarshal(t, got.Case), "case %d", i)
		}
		if len(want.Fixed) == 0 {
			continue
		}
		fixed++
		doc := mustMarshal(t, want.Case)
		decoded, err := casedoc.Unmarshal(doc)
		require.NoError(t, err, "case %d", i)
		assert.Equal(t, string(doc), string(mustMarshal(t, decoded)), "case %d", i)
		assert.Equal(t, e.Check(decoded).Results, want.Report.Results, "case %d", i)
	}
	assert.Positive(t, fixed)
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v, json.Deterministic(true))
	require.NoError(t, err)
	return data
}
