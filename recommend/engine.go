package recommend

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/google/uuid"
)

// Engine checks cases against a catalogue under one policy. New compiles the
// policy once; Check is then pure (no clock, no I/O) and safe for concurrent
// use by any number of goroutines.
type Engine struct {
	version string
	profile Profile
	lang    Lang
	policy  Policy
	digest  string
	rules   []compiledRule
	themes  []ThemeDef
	docURL  string
	texts   *Texts
	// catRules counts the catalogue's rules, before those of WithRules.
	catRules int
	codes    bool // findings without texts: see WithoutTexts
	noFixes  bool // findings without fixes: see WithoutFixes
}

// compiledRule is a rule with the policy applied: its effective severity,
// resolved parameters and waivers.
type compiledRule struct {
	// result is every result of the rule as runFrom starts it: ID, title (in
	// the engine's language), theme and severity, the rest empty. One copy
	// writes it, rather than a store per field.
	result   Result
	rule     Rule
	severity Severity
	params   []int
	codes    []string // the codes of the rule's findings, in the order of its Reasons
	waivers  []compiledWaiver

	belowProfile bool // the policy's profile is below the rule's MinProfile
	afterOnly    bool // the rule applies only to a meeting that was held
	slot         int  // the theme's index in ThemeScores
	required     bool // a gap or an error is not compliant (severity required)
}

// Option configures New.
type Option func(*config)

type config struct {
	extra    []Rule
	messages []fs.FS
	lang     Lang
	langSet  bool
	codes    bool
	noFixes  bool
}

// WithRules adds custom rules after the catalogue's, in the order given.
// Their IDs must not use a prefix of the catalogue's rules or themes (PC,
// AP, ... for the built-in one): choose one of your own, such as "ACME-01";
// their themes are the catalogue's (a clinic with themes of its own writes
// a Catalogue). Give their texts with WithMessages. Several WithRules
// options add up.
func WithRules(rules ...Rule) Option {
	return func(c *config) { c.extra = append(c.extra, rules...) }
}

// WithMessages adds message files (see Texts) for custom rules, or
// translations of a catalogue into more languages: a file NAME.de.json makes
// German available to WithLang. A message given again replaces the
// catalogue's.
func WithMessages(fsys fs.FS) Option {
	return func(c *config) { c.messages = append(c.messages, fsys) }
}

// WithLang sets the language of the texts of every report: one of the
// languages of the catalogue's message files and of WithMessages (see
// Engine.Langs), or English. The default is the catalogue's default
// language (Catalogue.Langs), else English. A text missing in the language
// is shown in the catalogue's default language, then in English.
func WithLang(l Lang) Option {
	return func(c *config) { c.lang, c.langSet = l, true }
}

// WithoutTexts leaves the texts of findings out of reports: their codes,
// args, paths and subjects' IDs and roles are kept, but Message, Remedy,
// Subject and the messages of fixes are empty. It is for reports that no
// person reads finding by finding, such as those folded into an Aggregate,
// where rendering the texts would cost more than checking. Results have no
// Title either: New reads no message file at all (Engine.Texts reads them
// when first asked), so that a short-lived process that renders nothing
// does not pay for them.
func WithoutTexts() Option {
	return func(c *config) { c.codes = true }
}

// WithoutFixes leaves suggested fixes out of reports, and lets rules skip
// computing them (Pass.WantsFixes): findings keep everything else. It is for
// reports whose fixes nobody applies, such as those folded into an
// Aggregate, where computing a fix for every gap of a planned meeting would
// be work nobody reads. The outcomes are the same with or without it.
func WithoutFixes() Option {
	return func(c *config) { c.noFixes = true }
}

// New compiles a policy against a catalogue (the built-in one is
// catalogue.Builtin in package recommend/catalogue) and the rules of
// WithRules. It validates the rule set and its texts (ValidateRules; the
// error wraps ErrRuleSet) and the policy (every problem at once, in a
// *validation.Error wrapping ErrPolicy), resolves the parameters and drops
// disabled rules.
func New(cat Catalogue, policy Policy, opts ...Option) (*Engine, error) {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	rules := append(slices.Clone(cat.Rules), cfg.extra...)
	if len(cat.Themes) == 0 {
		return nil, fmt.Errorf("recommend: %w: the catalogue declares no theme (Catalogue.Themes)", ErrRuleSet)
	}
	if err := validateRules(cat.Themes, rules, len(cat.Rules), cat.Langs); err != nil {
		return nil, err
	}
	def := English
	if len(cat.Langs) > 0 {
		def = cat.Langs[0]
	}
	texts, err := newTexts(def, append([]fs.FS{cat.Messages}, cfg.messages...))
	if err != nil {
		return nil, fmt.Errorf("recommend: %w", err)
	}
	lang := def
	if cfg.langSet {
		lang = cfg.lang
	}
	if !texts.HasLang(lang) {
		return nil, fmt.Errorf("recommend: no message file in language %q (want one of %v)", lang, texts.Langs())
	}
	if !cfg.codes {
		// An engine that renders texts checks them now; one WithoutTexts
		// reads no message file (see Texts).
		if err := texts.load(); err != nil {
			return nil, fmt.Errorf("recommend: %w", err)
		}
		if err := validateTexts(cat.Themes, rules, texts); err != nil {
			return nil, err
		}
		if err := sourcesFromTexts(rules, texts); err != nil {
			return nil, err
		}
	}
	version := cat.Version
	if version == "" {
		version = "custom"
	}
	e := &Engine{version: version, lang: lang, texts: texts, codes: cfg.codes, noFixes: cfg.noFixes,
		themes: slices.Clone(cat.Themes), docURL: cat.DocURL, catRules: len(cat.Rules)}
	if err := e.compile(policy, rules); err != nil {
		return nil, err
	}
	return e, nil
}

// Profile returns the preparedness profile of the engine's policy.
func (e *Engine) Profile() Profile { return e.profile }

// Lang returns the language of the engine's reports.
func (e *Engine) Lang() Lang { return e.lang }

// CatalogueVersion returns the version written in every report.
func (e *Engine) CatalogueVersion() string { return e.version }

// Texts returns the texts of the engine's rule set, in every language.
func (e *Engine) Texts() *Texts { return e.texts }

// Langs returns the languages the engine's reports can be written in: English
// and those of the catalogue's message files and of WithMessages (a fresh
// slice).
func (e *Engine) Langs() []Lang { return e.texts.Langs() }

// Themes returns the themes of the engine's catalogue, in order (a fresh
// slice).
func (e *Engine) Themes() []ThemeDef { return slices.Clone(e.themes) }

// DocURL returns where the engine's catalogue is documented (Catalogue.DocURL).
func (e *Engine) DocURL() string { return e.docURL }

// Recommendations returns the recommendations the engine checks, in report
// order, with the policy's severity applied; disabled ones are left out. The
// slice is a copy.
func (e *Engine) Recommendations() []Recommendation {
	out := make([]Recommendation, len(e.rules))
	for i := range e.rules {
		out[i] = e.rules[i].recommendation()
	}
	return out
}

// Recommendation returns the recommendation with the given ID among the
// engine's rules (with the policy's severity), and whether there is one.
func (e *Engine) Recommendation(id string) (Recommendation, bool) {
	for i := range e.rules {
		if e.rules[i].rule.ID == id {
			return e.rules[i].recommendation(), true
		}
	}
	return Recommendation{}, false
}

func (cr *compiledRule) recommendation() Recommendation {
	r := cr.rule.Recommendation
	r.Severity, r.Doc = cr.severity, cr.result.Doc
	r.Params = slices.Clone(r.Params)
	r.Reasons = slices.Clone(r.Reasons)
	return r
}

// Text renders the message id of the engine's rule set in lang (see
// Texts.Text): "PC-05.title", "theme.pathway", "label.compliant".
func (e *Engine) Text(lang Lang, id string, args Args) string { return e.texts.Text(lang, id, args) }

var passPool = sync.Pool{New: func() any { return new(Pass) }}

// Check checks one case and returns its report: one result per rule, in
// order. It reads nothing but c (the reference time is the meeting start),
// does not modify c, and is safe for concurrent use. A rule that panics or
// returns an error gives the outcome error for its recommendation only.
//
// Check assumes a valid case: give it one that casedoc decoded and
// validated, or use CheckValid, which validates first. On an invalid case the
// results may be meaningless, but Check does not fail and never panics; a
// nil case is checked as an empty one.
func (e *Engine) Check(c *casedoc.Case) *Report {
	rep := &Report{Results: make([]Result, len(e.rules))}
	e.CheckInto(rep, c)
	return rep
}

// CheckValid validates c (casedoc.Case.Validate) and checks it: the validation
// error, listing every problem at once, instead of a report on an invalid
// case.
func (e *Engine) CheckValid(c *casedoc.Case) (*Report, error) {
	if c == nil {
		return nil, fmt.Errorf("recommend: no case")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return e.Check(c), nil
}

// emptyCase stands in for a nil case.
var emptyCase casedoc.Case

// CheckInto is Check writing into rep, for callers that check many cases one
// after another (a stream into an aggregate): it reuses the memory of rep's
// results and findings, so that in a steady state it allocates nothing for a
// case without gaps. Every field of rep is overwritten; slices taken from rep
// before the call must not be used after it. A nil rep is an error.
func (e *Engine) CheckInto(rep *Report, c *casedoc.Case) error {
	if rep == nil {
		return fmt.Errorf("recommend: CheckInto into a nil report")
	}
	if c == nil {
		c = &emptyCase
	}
	m := &c.Meeting
	results, themes := rep.Results, rep.Summary.Themes
	if cap(results) < len(e.rules) {
		results = make([]Result, len(e.rules))
	}
	*rep = Report{
		Schema:           ReportSchema,
		CatalogueVersion: e.version,
		Lang:             e.lang,
		PolicyDigest:     e.digest,
		MeetingID:        m.ID,
		MeetingStart:     m.Start,
		Phase:            PhaseBefore,
		Profile:          e.profile,
		Compliant:        true, // until runFrom counts a failing result
		Results:          results[:len(e.rules)],
	}
	rep.Summary.Themes = e.themeScores(themes)
	held := m.Status == meeting.StatusHeld
	if held {
		rep.Phase = PhaseAfter
	}
	pass := passPool.Get().(*Pass)
	pass.Case, pass.Meeting, pass.Consents, pass.Plan = c, m, c.Consents, c.Plan
	pass.Profile, pass.Start = e.profile, m.Start
	pass.limit = findingLimit(c)
	pass.noFixes = e.noFixes
	pass.index.reset(c)
	for i := 0; i < len(e.rules); {
		i = e.runFrom(pass, rep, i, held)
	}
	pass.index.release()
	*pass = Pass{findings: pass.findings[:0], spares: pass.spares, index: pass.index}
	passPool.Put(pass)
	for i := range rep.Summary.Themes {
		ts := &rep.Summary.Themes[i]
		ts.Score = rate(ts.Passed, ts.Applicable)
	}
	return nil
}

// themeScores returns the scores of the engine's themes, all zero, in
// memory of s when it is large enough (CheckInto).
func (e *Engine) themeScores(s ThemeScores) ThemeScores {
	if cap(s) < len(e.themes) {
		s = make(ThemeScores, len(e.themes))
	}
	s = s[:len(e.themes)]
	for i := range e.themes {
		s[i] = ThemeScore{Theme: e.themes[i].ID}
	}
	return s
}

// findingLimit is the most findings one result keeps for c: a report grows
// at most linearly with the case, whatever a rule reports.
func findingLimit(c *casedoc.Case) int {
	n := 16 + len(c.Meeting.Participants) + len(c.Meeting.Agenda) + len(c.Consents)
	if c.Plan != nil {
		n += len(c.Plan.Actions)
	}
	return n
}

// runFrom checks the rules from index from on, each into its result in
// rep, and returns len(e.rules) when every rule has run. It is one loop
// with no call per rule but the rule's own, under one deferred recover for
// all of them rather than one per rule (a tenth of CheckInto): a rule that
// panics gets the outcome error, and runFrom returns the index after it,
// for the caller to go on from there.
//
// Each result is counted in rep's summary and Compliant as it is written,
// rather than by a second pass over the results that compares outcome
// strings (a tenth of CheckInto). Between rules the pass is clean: no
// findings, nothing omitted, no error, not marked not applicable. Only a
// rule that leaves it otherwise, or panics, leaves the loop (finish).
func (e *Engine) runFrom(pass *Pass, rep *Report, from int, held bool) (next int) {
	i := from
	defer func() {
		if v := recover(); v != nil {
			cr, res := &e.rules[i], &rep.Results[i]
			*res = cr.result
			res.Outcome, res.Error = OutcomeError, fmt.Sprintf("rule %s failed: panic: %v", cr.rule.ID, v)
			pass.clean()
			rep.count(cr, OutcomeError) // a result is counted last: not yet
			next = i + 1
		}
	}()
	for ; i < len(e.rules); i++ {
		cr, res := &e.rules[i], &rep.Results[i]
		findings := res.Findings[:0] // memory to reuse (CheckInto)
		*res = cr.result
		if cr.belowProfile || cr.afterOnly && !held {
			res.Outcome = OutcomeNotApplicable
			rep.Summary.Outcomes.NotApplicable++
			continue
		}
		pass.Recommendation, pass.params, pass.codes = &cr.rule.Recommendation, cr.params, cr.codes
		err := cr.rule.Check(pass)
		if err != nil || pass.err != nil || pass.notApplicable || len(pass.findings) > 0 {
			e.finish(pass, rep, cr, res, findings, err)
			continue
		}
		if cap(findings) > 0 {
			pass.spare(findings)
		}
		res.Outcome = OutcomePass
		if len(cr.waivers) > 0 {
			cr.applyWaivers(pass.Meeting.ID, pass.Start, res) // an expired one is marked
		}
		// What count does for a pass, inline: a call to count for every
		// rule costs more than the counting.
		rep.Summary.Outcomes.Pass++
		rep.Summary.applicable(cr, true)
	}
	return i
}

// finish writes and counts the result of rule cr when its check did not
// simply pass (error, not applicable, gap or waived), and cleans the pass
// for the next rule. findings is memory to reuse for the result's findings.
func (e *Engine) finish(pass *Pass, rep *Report, cr *compiledRule, res *Result, findings []Finding, err error) {
	if err == nil {
		err = pass.err
	}
	switch {
	case err != nil:
		res.Outcome, res.Error = OutcomeError, fmt.Sprintf("rule %s failed: %v", cr.rule.ID, err)
	case pass.notApplicable:
		res.Outcome = OutcomeNotApplicable
	default:
		res.Outcome, res.Omitted = OutcomeGap, pass.omitted
		if cap(findings) == 0 {
			findings = pass.reuse()
		}
		res.Findings = append(findings, pass.findings...)
		for k := range res.Findings {
			e.render(pass, &res.Findings[k])
		}
		slices.SortStableFunc(res.Findings, compareFindings)
		if len(cr.waivers) > 0 {
			cr.applyWaivers(pass.Meeting.ID, pass.Start, res)
		}
	}
	if res.Findings == nil && cap(findings) > 0 {
		pass.spare(findings)
	}
	pass.clean()
	rep.count(cr, res.Outcome)
}

// spare keeps the memory of findings that a result no longer holds (its
// rule passed this time), cleared, for the next result that needs some:
// a report reused by CheckInto then allocates for findings only while it
// grows. It keeps a bounded number of short slices.
func (p *Pass) spare(findings []Finding) {
	if len(p.spares) < maxSpares && cap(findings) <= maxSpareCap {
		findings = findings[:cap(findings)]
		clear(findings)
		p.spares = append(p.spares, findings[:0])
	}
}

// reuse returns memory that spare kept, or nil.
func (p *Pass) reuse() []Finding {
	n := len(p.spares)
	if n == 0 {
		return nil
	}
	findings := p.spares[n-1]
	p.spares[n-1] = nil
	p.spares = p.spares[:n-1]
	return findings
}

// The most slices spare keeps, and the largest it keeps.
const maxSpares, maxSpareCap = 64, 64

// clean leaves the pass as runFrom expects it before each rule.
// The findings it drops are cleared, so that the pooled pass keeps no
// text of the case; only those that were used, so that a case with many
// findings costs nothing to the cases after it.
func (p *Pass) clean() {
	clear(p.findings)
	p.findings, p.omitted, p.err, p.notApplicable = p.findings[:0], 0, nil, false
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

// count adds a result of rule cr with outcome o to rep's summary and
// Compliant (see Report.Compliant). The scores of the themes are computed
// from the counts once every rule has run.
func (rep *Report) count(cr *compiledRule, o Outcome) {
	s := &rep.Summary
	switch o {
	case OutcomePass:
		s.Outcomes.Pass++
	case OutcomeGap:
		s.Outcomes.Gap++
		s.Gaps.add(cr.severity)
	case OutcomeError:
		s.Outcomes.Error++
	case OutcomeNotApplicable:
		s.Outcomes.NotApplicable++
		return
	case OutcomeWaived:
		s.Outcomes.Waived++
		return
	}
	s.applicable(cr, o == OutcomePass)
	if o != OutcomePass && cr.required {
		rep.Compliant = false
	}
}

// applicable counts an applicable result (pass, gap or error) of rule cr in
// the score of its theme.
func (s *Summary) applicable(cr *compiledRule, passed bool) {
	if cr.slot < 0 || cr.slot >= len(s.Themes) {
		return
	}
	ts := &s.Themes[cr.slot]
	ts.Applicable++
	if passed {
		ts.Passed++
	}
}

// compareFindings orders findings by JSON path (numbers in brackets compared
// as numbers: participants[10] after participants[9]), then by the position
// of the subject in the case, then by code.
func compareFindings(a, b Finding) int {
	if c := comparePaths(a.Path, b.Path); c != 0 {
		return c
	}
	if c := cmp.Compare(a.order, b.order); c != 0 {
		return c
	}
	return cmp.Compare(a.Code, b.Code)
}

// comparePaths compares two JSON paths such as "meeting.participants[10].role"
// byte by byte, except that runs of digits compare as numbers.
func comparePaths(a, b string) int {
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
