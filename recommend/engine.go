package recommend

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
)

// Engine checks cases against a rule set under one policy. New compiles the
// policy once; Check is then pure (no clock, no I/O) and safe for concurrent
// use by any number of goroutines.
type Engine struct {
	version string
	profile Profile
	rules   []compiledRule
	layout  reportLayout
}

// compiledRule is a rule with the policy applied: its effective severity,
// resolved parameters and waivers.
type compiledRule struct {
	rule     Rule
	severity Severity
	params   []paramValue
	waivers  []compiledWaiver

	// Decided once by compile rather than for every case:
	belowProfile bool // the policy's profile is below the rule's MinProfile
	afterOnly    bool // the rule applies only to a meeting that was held
	theme        int  // index of the rule's theme in Themes, -1 for none
}

// Option configures New.
type Option func(*config)

type config struct {
	catalogue []Rule
	replaced  bool
	extra     []Rule
	version   string
}

// WithRules adds custom rules after the catalogue, in the order given. Their
// IDs must not use a prefix of the catalogue (PC, AP, MC, CS, PW): choose one
// of your own, such as "ACME-01". Several WithRules options add up.
func WithRules(rules ...Rule) Option {
	return func(c *config) { c.extra = append(c.extra, rules...) }
}

// WithCatalogue replaces the built-in catalogue by rules (for example a
// subset of Catalogue(), or an organisation's own catalogue). Reports then
// carry the catalogue version "custom" unless WithCatalogueVersion says
// otherwise. Rules given here may use any valid ID, catalogue prefixes
// included.
func WithCatalogue(rules []Rule) Option {
	return func(c *config) {
		c.catalogue, c.replaced = slices.Clone(rules), true
	}
}

// WithCatalogueVersion sets the catalogue version written in every report;
// use it with WithCatalogue.
func WithCatalogueVersion(version string) Option {
	return func(c *config) { c.version = version }
}

// New compiles a policy against the rule set: the built-in catalogue
// (Catalogue) or the one given by WithCatalogue, followed by the rules of
// WithRules. It validates the rule set (ValidateRules; the error wraps
// ErrRuleSet) and the policy (every problem at once, in a *validation.Error
// wrapping ErrPolicy), resolves the parameters and drops disabled rules.
func New(policy Policy, opts ...Option) (*Engine, error) {
	cfg := config{}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	rules := cfg.catalogue
	version := CatalogueVersion
	if !cfg.replaced {
		rules = Catalogue()
	} else {
		version = "custom"
	}
	if cfg.version != "" {
		version = cfg.version
	}
	rules = append(slices.Clip(rules), cfg.extra...)
	if err := validateRules(rules, len(rules)-len(cfg.extra)); err != nil {
		return nil, err
	}
	return compile(policy, rules, version)
}

// compile checks the policy against a valid rule set and builds the engine.
func compile(policy Policy, rules []Rule, version string) (*Engine, error) {
	var l validation.List
	index := make(map[string]int, len(rules))
	for i := range rules {
		index[rules[i].ID] = i
	}
	lookup := func(path, id string) (*Rule, bool) {
		i, ok := index[id]
		if !ok {
			l.Addf(path, "%s", unknownID(id, index))
			return nil, false
		}
		return &rules[i], true
	}

	profile := policy.Profile
	if profile == "" {
		profile = ProfileStandard
	}
	if !profile.Valid() {
		l.Addf("profile", "unknown profile %q (want one of %s)", policy.Profile, joinValues(Profiles))
	}

	disabled := make(map[string]bool, len(policy.Disable))
	for i, id := range policy.Disable {
		path := fmt.Sprintf("disable[%d]", i)
		if r, ok := lookup(path, id); ok {
			if r.Protected {
				l.Addf(path, "%s cannot be disabled: it protects the patient's consent and privacy", id)
				continue
			}
			disabled[id] = true
		}
	}

	severity := make(map[string]Severity, len(policy.Severity))
	for _, id := range sortedKeys(policy.Severity) {
		path, s := "severity."+id, policy.Severity[id]
		r, ok := lookup(path, id)
		if !ok {
			continue
		}
		switch {
		case !s.Valid():
			l.Addf(path, "unknown severity %q (want one of %s)", s, joinValues(Severities))
		case r.Protected && s.Rank() > r.Severity.Rank():
			l.Addf(path, "the severity of %s cannot be lowered: it protects the patient's consent and privacy", id)
		default:
			severity[id] = s
		}
	}

	declared := make(map[string]Param)
	for i := range rules {
		for _, p := range rules[i].Params {
			declared[p.Name] = p
		}
	}
	values := make(map[string]paramValue, len(policy.Params))
	for _, name := range sortedKeys(policy.Params) {
		path := "params." + name
		d, ok := declared[name]
		if !ok {
			l.Addf(path, "unknown parameter (known: %s)", strings.Join(sortedKeys(declared), ", "))
			continue
		}
		v, msg := paramFromPolicy(d, policy.Params[name])
		if msg != "" {
			l.Addf(path, "%s", msg)
			continue
		}
		values[name] = v
	}

	waivers := make(map[string][]compiledWaiver)
	for i, w := range policy.Waivers {
		path := fmt.Sprintf("waivers[%d]", i)
		ok := true
		if w.ID == "" {
			l.Addf(path+".id", "is required")
			ok = false
		} else if r, found := lookup(path+".id", w.ID); !found {
			ok = false
		} else if r.Protected {
			l.Addf(path+".id", "%s cannot be waived: it protects the patient's consent and privacy", w.ID)
			ok = false
		}
		cw := compiledWaiver{reason: strings.TrimSpace(w.Reason), expires: w.Expires}
		switch w.MeetingID {
		case "":
			l.Addf(path+".meeting_id", `is required: a meeting's UUID, or "*" for every meeting`)
			ok = false
		case WaiverAllMeetings:
			cw.all = true
		default:
			id, err := uuid.Parse(w.MeetingID)
			if err != nil || len(w.MeetingID) != 36 {
				l.Addf(path+".meeting_id", `is not a UUID nor "*"`)
				ok = false
			}
			cw.meetingID = id
		}
		if cw.reason == "" {
			l.Addf(path+".reason", "is required: a waiver must say why")
			ok = false
		}
		if w.Expires.IsZero() {
			l.Addf(path+".expires", "is required: a waiver must expire")
			ok = false
		}
		if ok {
			waivers[w.ID] = append(waivers[w.ID], cw)
		}
	}

	if len(l.Problems) > 0 {
		return nil, &validation.Error{Problems: l.Problems, Err: ErrPolicy}
	}

	e := &Engine{version: version, profile: profile}
	for i := range rules {
		r := rules[i]
		if disabled[r.ID] {
			continue
		}
		cr := compiledRule{rule: r, severity: r.Severity, waivers: waivers[r.ID],
			belowProfile: r.MinProfile != "" && !profile.AtLeast(r.MinProfile),
			afterOnly:    r.Phase == PhaseAfter,
			theme:        themeSlot(r.Theme)}
		if s, ok := severity[r.ID]; ok {
			cr.severity = s
		}
		for _, p := range r.Params {
			v, ok := values[p.Name]
			if !ok {
				v, _ = paramFromPolicy(p, p.Default)
			}
			cr.params = append(cr.params, v)
		}
		e.rules = append(e.rules, cr)
	}
	e.layout = newReportLayout(len(e.rules))
	return e, nil
}

// paramFromPolicy converts a policy's value for the declared parameter d, or
// says what is wrong with it.
func paramFromPolicy(d Param, v any) (paramValue, string) {
	pv := paramValue{name: d.Name, kind: d.Kind()}
	switch pv.kind {
	case "bool":
		b, ok := v.(bool)
		if !ok {
			return pv, fmt.Sprintf("wrong type: want true or false, got %s", describe(v))
		}
		pv.b = b
		return pv, ""
	case "int":
		var n int64
		switch x := v.(type) {
		case int:
			n = int64(x)
		case int32:
			n = int64(x)
		case int64:
			n = x
		case float64:
			if x != math.Trunc(x) || math.IsInf(x, 0) || math.Abs(x) > 1<<31 {
				return pv, fmt.Sprintf("wrong type: want a whole number, got %v", x)
			}
			n = int64(x)
		default:
			return pv, fmt.Sprintf("wrong type: want a whole number, got %s", describe(v))
		}
		if n < 0 {
			return pv, fmt.Sprintf("must not be negative, got %d", n)
		}
		if n > 1<<31 {
			return pv, fmt.Sprintf("is too large, got %d", n)
		}
		pv.i = int(n)
		return pv, ""
	}
	return pv, "parameter of unknown type"
}

// describe names the JSON type of a decoded value.
func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case float64, int, int32, int64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// unknownID words the error for an ID that is not in the rule set.
func unknownID(id string, index map[string]int) string {
	if id == "" {
		return "empty recommendation ID"
	}
	for known := range index {
		if strings.EqualFold(known, id) {
			return fmt.Sprintf("unknown recommendation %q (IDs are case-sensitive: did you mean %s?)", id, known)
		}
	}
	return fmt.Sprintf("unknown recommendation %q (see collabmeet catalogue)", id)
}

func joinValues[E ~string](vs []E) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Profile returns the preparedness profile of the engine's policy.
func (e *Engine) Profile() Profile { return e.profile }

// CatalogueVersion returns the version written in every report.
func (e *Engine) CatalogueVersion() string { return e.version }

// Rules returns the rules the engine checks, in report order, with the
// policy's severity applied; disabled rules are left out. The slice is a copy.
func (e *Engine) Rules() []Rule {
	out := make([]Rule, len(e.rules))
	for i := range e.rules {
		out[i] = e.rules[i].rule
		out[i].Severity = e.rules[i].severity
		out[i].Params = slices.Clone(out[i].Params)
	}
	return out
}

// Recommendations returns the recommendations of Rules.
func (e *Engine) Recommendations() []Recommendation {
	out := make([]Recommendation, len(e.rules))
	for i := range e.rules {
		out[i] = e.rules[i].rule.Recommendation
		out[i].Severity = e.rules[i].severity
		out[i].Params = slices.Clone(out[i].Params)
	}
	return out
}

// Recommendation returns the recommendation with the given ID among the
// engine's rules (with the policy's severity), and whether there is one.
func (e *Engine) Recommendation(id string) (Recommendation, bool) {
	for i := range e.rules {
		if e.rules[i].rule.ID == id {
			r := e.rules[i].rule.Recommendation
			r.Severity = e.rules[i].severity
			r.Params = slices.Clone(r.Params)
			return r, true
		}
	}
	return Recommendation{}, false
}

// Title returns the title of the recommendation with the given ID, or "".
// It suits report.Options.Title.
func (e *Engine) Title(id string) string {
	for i := range e.rules {
		if e.rules[i].rule.ID == id {
			return e.rules[i].rule.Title
		}
	}
	return ""
}

// DocURL returns the documentation link of the recommendation with the given
// ID, or "". It suits report.Options.DocURL.
func (e *Engine) DocURL(id string) string {
	for i := range e.rules {
		if e.rules[i].rule.ID == id {
			return e.rules[i].rule.Doc
		}
	}
	return ""
}

var passPool = sync.Pool{New: func() any { return newPass() }}

// Check checks one case and returns its report: one result per rule, in
// order. It reads nothing but c (the reference time is the meeting start),
// does not modify c, and is safe for concurrent use. A rule that panics gives
// the outcome error for its recommendation only. A nil case is checked as
// an empty one.
//
// Check assumes a valid case (see casedoc): on an invalid one, results may
// be meaningless, but Check does not fail. It allocates the report and its
// results, and memory for the findings of gaps only.
func (e *Engine) Check(c *casedoc.Case) *Report {
	rep := e.layout.new()
	e.CheckInto(rep, c)
	return rep
}

// reportLayout allocates a report together with its results, in one block
// of memory: the type struct{ Report; [n]Result }, built once by New.
// Check then costs one allocation instead of two, and the results sit next
// to the report in the cache.
type reportLayout struct {
	typ    reflect.Type
	offset uintptr // of the results in typ
	n      int
}

func newReportLayout(n int) reportLayout {
	if n == 0 {
		return reportLayout{}
	}
	t := reflect.StructOf([]reflect.StructField{
		{Name: "Report", Type: reflect.TypeFor[Report]()},
		{Name: "Results", Type: reflect.ArrayOf(n, reflect.TypeFor[Result]())},
	})
	return reportLayout{typ: t, offset: t.Field(1).Offset, n: n}
}

// new returns a zero report whose Results has length n.
func (l reportLayout) new() *Report {
	if l.n == 0 {
		return &Report{Results: []Result{}}
	}
	p := reflect.New(l.typ).UnsafePointer()
	rep := (*Report)(p)
	// The results are the array that follows the report in the same
	// object: the slice keeps the whole object alive, as any interior
	// pointer does.
	rep.Results = unsafe.Slice((*Result)(unsafe.Add(p, l.offset)), l.n)
	return rep
}

// CheckInto is Check writing into rep, for callers that check many cases one
// after another (a stream into an aggregate): it reuses the memory of rep's
// results and findings, so that in a steady state it allocates nothing. Every
// field of rep is overwritten; slices taken from rep before the call must not
// be used after it. A result without findings may hold an empty, non-nil
// Findings slice.
func (e *Engine) CheckInto(rep *Report, c *casedoc.Case) {
	pass := passPool.Get().(*Pass)
	pass.reset(c, e.profile)
	pass.rules = e.rules
	m := pass.Meeting
	results := rep.Results
	if cap(results) < len(e.rules) {
		results = make([]Result, len(e.rules))
	}
	*rep = Report{
		Schema:           ReportSchema,
		CatalogueVersion: e.version,
		MeetingID:        m.ID,
		MeetingStart:     m.Start,
		Phase:            PhaseBefore,
		Profile:          e.profile,
		Results:          results[:len(e.rules)],
	}
	held := m.Status == meeting.StatusHeld
	if held {
		rep.Phase = PhaseAfter
	}
	for i := 0; i < len(e.rules); {
		i = e.runFrom(pass, rep.Results, i, held)
	}
	pass.release()
	passPool.Put(pass)
	rep.Compliant, rep.Summary = e.summarize(rep.Results)
}

// runFrom checks the rules from index i on into results and returns
// len(e.rules); when a rule panics, it records the outcome error for that
// rule and returns the index of the next one, so that the caller goes on.
// One deferred recover per Check costs less than one per rule.
func (e *Engine) runFrom(pass *Pass, results []Result, i int, held bool) (next int) {
	defer func() {
		if v := recover(); v != nil {
			res := &results[i]
			res.Outcome, res.Error = OutcomeError, fmt.Sprintf("rule %s panicked: %v", e.rules[i].rule.ID, v)
			res.Findings, res.WaiverReason, res.WaiverExpired = nil, "", false
			next = i + 1
		}
	}()
	// The loop checks one rule into each result; it is written out here
	// rather than called, which saves a call per rule.
	for ; i < len(e.rules); i++ {
		cr, res := &e.rules[i], &results[i]
		r := &cr.rule.Recommendation
		findings := res.Findings[:0] // memory to reuse (CheckInto)
		// Field by field, and only the fields that change: a composite
		// literal is built on the stack and copied (which stalls on store
		// forwarding), and while the garbage collector marks, every pointer
		// stored costs a write barrier. Check's fresh results are zero.
		res.ID, res.Theme, res.Severity = r.ID, r.Theme, cr.severity
		if res.WaiverReason != "" || res.WaiverExpired || res.Error != "" || res.Findings != nil {
			res.WaiverReason, res.WaiverExpired, res.Error, res.Findings = "", false, "", nil
		}
		if cr.belowProfile || cr.afterOnly && !held {
			res.Outcome = OutcomeNotApplicable
			continue
		}
		pass.begin(i)
		cr.rule.Check(pass)
		switch {
		case pass.notApplicable:
			res.Outcome = OutcomeNotApplicable
			continue
		case len(pass.findings) == 0:
			res.Outcome = OutcomePass
		default:
			res.Outcome = OutcomeGap
			res.Findings = append(findings, pass.findings...)
			slices.SortStableFunc(res.Findings, compareFindings)
		}
		if len(cr.waivers) > 0 {
			cr.applyWaivers(pass.Meeting.ID, pass.Start, res)
		}
	}
	return i
}

// applyWaivers is the one code path for waivers: a waiver matching the
// meeting (or "*") that expires after the meeting start turns a gap into
// waived; one that has expired leaves the outcome and marks the result.
func (cr *compiledRule) applyWaivers(meetingID uuid.UUID, start time.Time, res *Result) {
	expired := false
	for i := range cr.waivers {
		w := &cr.waivers[i]
		if !w.all && w.meetingID != meetingID {
			continue
		}
		if !w.expires.After(start) {
			expired = true
			continue
		}
		if res.Outcome == OutcomeGap {
			res.Outcome, res.WaiverReason = OutcomeWaived, w.reason
		}
		return
	}
	res.WaiverExpired = expired
}

// summarize counts the results of the engine's rules and says whether they
// are compliant.
func (e *Engine) summarize(results []Result) (bool, Summary) {
	var s Summary
	compliant := true
	themes := [...]*ThemeScore{&s.Themes.PatientCentredness, &s.Themes.CommonActionPlan,
		&s.Themes.MeetingClimate, &s.Themes.CrossSector, &s.Themes.Pathway}
	for i := range results {
		r := &results[i]
		var ts *ThemeScore
		if t := e.rules[i].theme; t >= 0 {
			ts = themes[t]
		}
		switch r.Outcome {
		case OutcomePass:
			s.Outcomes.Pass++
			if ts != nil {
				ts.Applicable++
				ts.Passed++
			}
		case OutcomeGap, OutcomeError:
			if r.Outcome == OutcomeGap {
				s.Outcomes.Gap++
				switch r.Severity {
				case SeverityRequired:
					s.Gaps.Required++
				case SeverityRecommended:
					s.Gaps.Recommended++
				case SeverityAdvisory:
					s.Gaps.Advisory++
				}
			} else {
				s.Outcomes.Error++
			}
			if ts != nil {
				ts.Applicable++
			}
			if r.Severity == SeverityRequired {
				compliant = false
			}
		case OutcomeNotApplicable:
			s.Outcomes.NotApplicable++
		case OutcomeWaived:
			s.Outcomes.Waived++
		}
	}
	for _, ts := range []*ThemeScore{&s.Themes.PatientCentredness, &s.Themes.CommonActionPlan,
		&s.Themes.MeetingClimate, &s.Themes.CrossSector, &s.Themes.Pathway} {
		ts.Score = 1
		if ts.Applicable > 0 {
			ts.Score = float64(ts.Passed) / float64(ts.Applicable)
		}
	}
	return compliant, s
}

// compareFindings orders findings by JSON path (numbers in brackets compared
// as numbers: participants[10] after participants[9]), then subject, message.
func compareFindings(a, b Finding) int {
	if c := ComparePaths(a.Path, b.Path); c != 0 {
		return c
	}
	if c := slices.Compare(a.SubjectID[:], b.SubjectID[:]); c != 0 {
		return c
	}
	return cmp.Compare(a.Message, b.Message)
}

// ComparePaths compares two JSON paths such as "meeting.participants[10].role"
// byte by byte, except that runs of digits compare as numbers. It returns
// -1, 0 or +1.
func ComparePaths(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isDigit(a[i]) && isDigit(b[j]) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na := strings.TrimLeft(a[si:i], "0")
			nb := strings.TrimLeft(b[sj:j], "0")
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			continue
		}
		if a[i] != b[j] {
			return cmp.Compare(a[i], b[j])
		}
		i++
		j++
	}
	return cmp.Compare(len(a)-i, len(b)-j)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
