// Package recommendtest helps users of collabmeet write policy checks in
// their own tests, in the manner of net/http/httptest and testing/fstest: a
// meeting their system books, or a template it offers, must stay compliant
// with the catalogue (and with the organisation's own rules) as the code
// around it changes.
//
// Compliant means one thing: recommend.Report.Compliant, no
// required result is a gap or an error. Check and AssertCompliant both test
// it, through recommend.Result.Fails; FailOn sets another threshold.
//
// Check returns one error listing every gap, which tests can inspect with
// errors.As. AssertCompliant, AssertGap and AssertNoGap report through the
// minimal TestingT interface, which *testing.T, *testing.B, *testing.F and
// testify's mocks all satisfy, so plain `testing` users need nothing else.
//
//	func TestBookedMeetingIsCompliant(t *testing.T) {
//		c := bookMeeting(...)
//		recommendtest.AssertCompliant(t, c, recommendtest.WithPolicy(clinicPolicy))
//	}
//
// Failure messages list the gaps as a person reads them: the ID, title and
// severity, then each finding's subject, message and remedy, and its path.
// They are rendered from the findings' codes and args: never a name or
// other free text of the case. Their frame ("meeting … is not compliant",
// "no result for …") comes from this package's message files (Messages), in
// the engine's language, and a catalogue's own message files come first (see
// recommend.Texts.Label): a clinic's catalogue in German brings German
// failure messages. CheckLang checks that a catalogue's language is whole.
package recommendtest

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/internal/cataloguedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
)

// TestingT is the part of *testing.T that the assertions use. *testing.T,
// *testing.B, *testing.F and testify's mock.TestingT implementations satisfy it.
type TestingT interface {
	Errorf(format string, args ...any)
	Helper()
}

// Option configures the engine that checks the case, or the threshold.
type Option func(*config)

type config struct {
	catalogue *recommend.Catalogue
	policy    recommend.Policy
	opts      []recommend.Option
	engine    *recommend.Engine
	failOn    recommend.Severity
	changed   bool // the engine differs from the default one
}

// WithPolicy checks under policy instead of the default policy.
func WithPolicy(policy recommend.Policy) Option {
	return func(c *config) { c.policy, c.changed = policy, true }
}

// WithRules adds the organisation's own rules after the catalogue (see
// recommend.WithRules); give their texts with WithMessages.
func WithRules(rules ...recommend.Rule) Option {
	return func(c *config) { c.opts, c.changed = append(c.opts, recommend.WithRules(rules...)), true }
}

// WithMessages adds message files for the organisation's rules (see
// recommend.WithMessages).
func WithMessages(fsys fs.FS) Option {
	return func(c *config) { c.opts, c.changed = append(c.opts, recommend.WithMessages(fsys)), true }
}

// WithLang writes the texts of failure messages in lang (see recommend.WithLang).
func WithLang(lang recommend.Lang) Option {
	return func(c *config) { c.opts, c.changed = append(c.opts, recommend.WithLang(lang)), true }
}

// WithCatalogue checks against cat instead of the built-in catalogue.
func WithCatalogue(cat recommend.Catalogue) Option {
	return func(c *config) { c.catalogue, c.changed = &cat, true }
}

// WithEngine checks with an engine compiled beforehand (for example once in
// TestMain); WithCatalogue, WithPolicy, WithRules, WithMessages and WithLang
// are then ignored.
func WithEngine(e *recommend.Engine) Option {
	return func(c *config) { c.engine = e }
}

// FailOn sets the threshold: the least severity whose gaps (and errors)
// count. The default is recommend.SeverityRequired, the one meaning of
// compliant in collabmeet (recommend.Report.Compliant); with
// SeverityRecommended recommended gaps count too, with SeverityAdvisory
// every gap. A result counts when recommend.Result.Fails(threshold).
func FailOn(severity recommend.Severity) Option {
	return func(c *config) { c.failOn = severity }
}

//go:embed messages/*.json
var messageFiles embed.FS

// Messages returns this package's own message files
// (recommendtest.LANG.json: the frame of the failure messages), for a
// catalogue that brings a language of its own to check that it translates
// them all (see CheckLang).
func Messages() fs.FS {
	sub, err := fs.Sub(messageFiles, "messages")
	if err != nil {
		panic("recommendtest: the embedded message files are broken: " + err.Error()) // cannot happen: the directory is embedded
	}
	return sub
}

// LabelMessages returns the message files of everything collabmeet writes
// for people besides a catalogue's own texts, one file system per package
// that owns them: the engine's (recommend.EngineMessages: subjects,
// vocabularies, severities, outcomes), the report renderers'
// (report.Messages), the catalogue's documentation's (the headings of
// collabmeet catalogue and explain) and this package's (Messages).
func LabelMessages() []fs.FS {
	return []fs.FS{recommend.EngineMessages(), report.Messages(), cataloguedoc.Messages(), Messages()}
}

// CheckLang checks that lang is complete for cat: every message of the
// catalogue's own files and of LabelMessages that is in English exists in
// lang — in the catalogue's message files, or in the files that have it in
// English — with the args and plural forms of its English source (see
// recommend.CheckLang). Then nothing a person reads in a report, a
// catalogue's documentation or a failure message of this package falls back
// to another language. A catalogue that brings a language of its own (a
// clinic's German) runs it in a test for that language:
//
//	require.NoError(t, recommendtest.CheckLang(clinicCatalogue, language.German))
func CheckLang(cat recommend.Catalogue, lang recommend.Lang) error {
	labels := LabelMessages()
	return recommend.CheckLang(lang, cat.Messages, labels[1:]...) // recommend.CheckLang reads the engine's own
}

// labels are this package's messages, read when first needed.
var labels = sync.OnceValue(func() *recommend.Texts {
	t, err := recommend.NewTexts(Messages())
	if err != nil {
		panic("recommendtest: the embedded message files are broken: " + err.Error()) // a test reads them
	}
	return t
})

// words renders this package's messages in the language of an engine, the
// catalogue's own before this package's (see recommend.Texts.Label). The
// zero words renders them in English.
type words struct {
	cat  *recommend.Texts // the engine's texts; nil: this package's alone
	lang recommend.Lang
}

func (w words) s(id string, args recommend.Args) string {
	if w.cat == nil {
		return labels().Label(nil, w.lang, id, args)
	}
	return w.cat.Label(labels(), w.lang, id, args)
}

// gaps is "1 gap", "3 gaps".
func (w words) gaps(n int) string { return w.s("recommendtest.gaps", recommend.Args{"count": n}) }

func (w words) severity(s recommend.Severity) string {
	if w.cat == nil {
		return string(s)
	}
	return w.cat.Severity(w.lang, s)
}

func (w words) outcome(o recommend.Outcome) string {
	if w.cat == nil {
		return strings.ReplaceAll(string(o), "_", " ")
	}
	return w.cat.Outcome(w.lang, o)
}

var defaultEngine = sync.OnceValues(func() (*recommend.Engine, error) {
	return recommend.New(catalogue.Builtin(), recommend.Policy{})
})

// checked is the report on a case, with the threshold and the words of the
// engine that made it.
type checked struct {
	rep    *recommend.Report
	failOn recommend.Severity
	w      words
}

// checkCase checks c with the engine the options describe.
func checkCase(c *casedoc.Case, opts []Option) (*checked, error) {
	cfg := config{failOn: recommend.SeverityRequired}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if !cfg.failOn.Valid() {
		return nil, fmt.Errorf("recommendtest: unknown severity %q for FailOn", cfg.failOn)
	}
	if c == nil {
		return nil, errors.New("recommendtest: nil case")
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("recommendtest: the case is invalid: %w", err)
	}
	e := cfg.engine
	if e == nil {
		var err error
		if cfg.changed {
			cat := cfg.catalogue
			if cat == nil {
				builtin := catalogue.Builtin()
				cat = &builtin
			}
			e, err = recommend.New(*cat, cfg.policy, cfg.opts...)
		} else {
			e, err = defaultEngine()
		}
		if err != nil {
			return nil, fmt.Errorf("recommendtest: %w", err)
		}
	}
	rep := e.Check(c)
	if missing := e.Texts().Missing(); len(missing) > 0 {
		// A text that shows its message ID is a bug of the rule set.
		return nil, fmt.Errorf("recommendtest: %w in every language: %s", recommend.ErrNoMessage, strings.Join(missing, ", "))
	}
	return &checked{rep: rep, failOn: cfg.failOn, w: words{cat: e.Texts(), lang: e.Lang()}}, nil
}

// Check checks c against the catalogue (with the options' policy and rules)
// and returns nil when no result fails at the threshold (see FailOn; by
// default: nil exactly when the report is compliant). Otherwise it returns a
// *GapError listing every result that fails, in catalogue order. An invalid
// case, or a policy or rule set that the engine refuses, gives another
// error.
func Check(c *casedoc.Case, opts ...Option) error {
	ch, err := checkCase(c, opts)
	if err != nil {
		return err
	}
	return gapError(ch)
}

// gapError returns a *GapError for the results of rep that fail at the
// threshold, or nil when there are none.
func gapError(ch *checked) error {
	e := &GapError{Report: ch.rep, w: ch.w}
	for i := range ch.rep.Results {
		if r := &ch.rep.Results[i]; r.Fails(ch.failOn) {
			e.Gaps = append(e.Gaps, &Gap{Result: *r, w: ch.w})
		}
	}
	if len(e.Gaps) == 0 {
		return nil
	}
	return e
}

// GapError lists the gaps of one case. Its Unwrap returns each *Gap, so
// errors.As(err, &gap) finds the first one; Has and IDs answer the usual
// questions.
type GapError struct {
	// Report is the full report the gaps come from.
	Report *recommend.Report
	// Gaps holds the results that count, in catalogue order.
	Gaps []*Gap

	w words // the engine's language; zero: English
}

// Error lists the gaps, one finding a line, after a line counting them, in
// the language of the engine that checked the case.
func (e *GapError) Error() string {
	var b strings.Builder
	b.WriteString(e.w.s("recommendtest.meeting_gaps", recommend.Args{"meeting": e.Report.MeetingID, "gaps": e.w.gaps(len(e.Gaps))}))
	for _, g := range e.Gaps {
		b.WriteString("\n")
		b.WriteString(g.Error())
	}
	return b.String()
}

// Unwrap returns every gap as an error.
func (e *GapError) Unwrap() []error {
	out := make([]error, len(e.Gaps))
	for i, g := range e.Gaps {
		out[i] = g
	}
	return out
}

// Has reports whether the recommendation with the given ID is among the gaps.
func (e *GapError) Has(id string) bool { return e.Gap(id) != nil }

// Gap returns the gap of the recommendation with the given ID, or nil.
func (e *GapError) Gap(id string) *Gap {
	for _, g := range e.Gaps {
		if g.ID == id {
			return g
		}
	}
	return nil
}

// IDs returns the IDs of the gaps, in catalogue order.
func (e *GapError) IDs() []string {
	out := make([]string, len(e.Gaps))
	for i, g := range e.Gaps {
		out[i] = g.ID
	}
	return out
}

// Gap is one recommendation with outcome gap (or error) for a case.
type Gap struct {
	recommend.Result

	w words // the engine's language; zero: English
}

// Error describes the gap as a person reads it, in the language of the
// engine that checked the case: a line with the ID, the
// title and the severity, then one line per finding with its subject, what
// is missing and what would fix it, and its path:
//
//	PC-05 The patient has room to speak (required)
//	  agenda item 3 (the patient's perspective): The item is not led by the patient. Let the patient lead it. [meeting.agenda[2].lead_id]
//
// A rule that failed gives "error: <why>"; a waiver that had expired by the
// meeting start is said, since it is why the gap counts.
func (g *Gap) Error() string {
	var b strings.Builder
	b.WriteString(g.w.s("recommendtest.gap", recommend.Args{"recommendation": g.ID + strings.TrimRight(" "+g.Title, " "), "severity": g.w.severity(g.Severity)}))
	if g.WaiverExpired {
		b.WriteString(" — " + g.w.s("recommendtest.waiver_expired", nil))
	}
	if g.Outcome == recommend.OutcomeError {
		b.WriteString("\n  " + g.w.s("recommendtest.rule_error", recommend.Args{"error": g.Result.Error}))
		return b.String()
	}
	for _, f := range g.Findings {
		b.WriteString("\n  " + finding(f))
	}
	if g.Omitted > 0 {
		b.WriteString("\n  " + g.w.s("recommendtest.more_findings", recommend.Args{"count": g.Omitted}))
	}
	return b.String()
}

// finding words one finding: who or what (by role and position), what is
// missing, the remedy, and where.
func finding(f recommend.Finding) string {
	var b strings.Builder
	if f.Subject != "" {
		b.WriteString(f.Subject + ": ")
	}
	b.WriteString(f.Message)
	if f.Remedy != "" {
		b.WriteString(" " + f.Remedy)
	}
	if f.Path != "" {
		fmt.Fprintf(&b, " [%s]", f.Path)
	}
	return b.String()
}

// indent prefixes every line of s with a tab, for messages under a heading.
func indent(s string) string {
	return "\t" + strings.ReplaceAll(s, "\n", "\n\t")
}

// AssertCompliant reports a test failure through t, listing the gaps, unless
// c is compliant: recommend.Report.Compliant, no required result is a gap or
// an error (with FailOn, results of lesser severities count too). It fails
// exactly when Check with the same options returns a *GapError. It returns
// whether the assertion passed.
func AssertCompliant(t TestingT, c *casedoc.Case, opts ...Option) bool {
	t.Helper()
	ch, err := checkCase(c, opts)
	if err != nil {
		t.Errorf("%v", err)
		return false
	}
	gerr := gapError(ch)
	if gerr == nil {
		return true
	}
	var ge *GapError
	errors.As(gerr, &ge)
	lines := make([]string, len(ge.Gaps))
	for i, g := range ge.Gaps {
		lines[i] = indent(g.Error())
	}
	t.Errorf("%s\n%s", ch.w.s("recommendtest.not_compliant", recommend.Args{"meeting": ch.rep.MeetingID,
		"threshold": ch.w.severity(ch.failOn), "gaps": ch.w.gaps(len(ge.Gaps))}), strings.Join(lines, "\n"))
	return false
}

// AssertGap reports a test failure through t unless the recommendation id
// has outcome gap for c. It returns whether the assertion passed.
func AssertGap(t TestingT, c *casedoc.Case, id string, opts ...Option) bool {
	t.Helper()
	ch, err := checkCase(c, opts)
	if err != nil {
		t.Errorf("%v", err)
		return false
	}
	r, w := find(ch.rep, id), ch.w
	args := recommend.Args{"meeting": ch.rep.MeetingID, "id": id}
	switch {
	case r == nil:
		t.Errorf("%s", w.s("recommendtest.no_result", args))
		return false
	case r.Outcome == recommend.OutcomeGap:
		return true
	case r.Outcome == recommend.OutcomeError:
		args["error"] = r.Error
		t.Errorf("%s", w.s("recommendtest.want_gap_failed", args))
		return false
	}
	args["outcome"] = w.outcome(r.Outcome)
	t.Errorf("%s", w.s("recommendtest.want_gap_got", args))
	return false
}

// AssertNoGap reports a test failure through t, listing the findings, when
// the recommendation id has outcome gap (or error) for c. An ID that has no
// result (unknown, or disabled by the policy) is a failure too, so that a
// typo never passes silently. It returns whether the assertion passed.
func AssertNoGap(t TestingT, c *casedoc.Case, id string, opts ...Option) bool {
	t.Helper()
	ch, err := checkCase(c, opts)
	if err != nil {
		t.Errorf("%v", err)
		return false
	}
	r, w := find(ch.rep, id), ch.w
	args := recommend.Args{"meeting": ch.rep.MeetingID, "id": id}
	switch {
	case r == nil:
		t.Errorf("%s", w.s("recommendtest.no_result", args))
		return false
	case r.Outcome == recommend.OutcomeGap || r.Outcome == recommend.OutcomeError:
		t.Errorf("%s\n%s", w.s("recommendtest.want_no_gap", args), indent((&Gap{Result: *r, w: w}).Error()))
		return false
	}
	return true
}

func find(rep *recommend.Report, id string) *recommend.Result {
	for i := range rep.Results {
		if rep.Results[i].ID == id {
			return &rep.Results[i]
		}
	}
	return nil
}
