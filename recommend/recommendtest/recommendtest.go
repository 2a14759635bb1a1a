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
// other free text of the case.
package recommendtest

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
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

var defaultEngine = sync.OnceValues(func() (*recommend.Engine, error) {
	return recommend.New(catalogue.Builtin(), recommend.Policy{})
})

// report checks c with the engine the options describe.
func report(c *casedoc.Case, opts []Option) (*recommend.Report, recommend.Severity, error) {
	cfg := config{failOn: recommend.SeverityRequired}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if !cfg.failOn.Valid() {
		return nil, "", fmt.Errorf("recommendtest: unknown severity %q for FailOn", cfg.failOn)
	}
	if c == nil {
		return nil, "", errors.New("recommendtest: nil case")
	}
	if err := c.Validate(); err != nil {
		return nil, "", fmt.Errorf("recommendtest: the case is invalid: %w", err)
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
			return nil, "", fmt.Errorf("recommendtest: %w", err)
		}
	}
	rep := e.Check(c)
	if missing := e.Texts().Missing(); len(missing) > 0 {
		// A text that shows its message ID is a bug of the rule set.
		return nil, "", fmt.Errorf("recommendtest: %w in every language: %s", recommend.ErrNoMessage, strings.Join(missing, ", "))
	}
	return rep, cfg.failOn, nil
}

// Check checks c against the catalogue (with the options' policy and rules)
// and returns nil when no result fails at the threshold (see FailOn; by
// default: nil exactly when the report is compliant). Otherwise it returns a
// *GapError listing every result that fails, in catalogue order. An invalid
// case, or a policy or rule set that the engine refuses, gives another
// error.
func Check(c *casedoc.Case, opts ...Option) error {
	rep, failOn, err := report(c, opts)
	if err != nil {
		return err
	}
	return gapError(rep, failOn)
}

// gapError returns a *GapError for the results of rep that fail at the
// threshold, or nil when there are none.
func gapError(rep *recommend.Report, failOn recommend.Severity) error {
	e := &GapError{Report: rep}
	for i := range rep.Results {
		if r := &rep.Results[i]; r.Fails(failOn) {
			e.Gaps = append(e.Gaps, &Gap{Result: *r})
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
}

// Error lists the gaps, one finding a line, after a line counting them.
func (e *GapError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "meeting %s: %s", e.Report.MeetingID, plural(len(e.Gaps), "gap"))
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
}

// Error describes the gap as a person reads it: a line with the ID, the
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
	b.WriteString(g.ID)
	if g.Title != "" {
		b.WriteString(" " + g.Title)
	}
	fmt.Fprintf(&b, " (%s)", g.Severity)
	if g.WaiverExpired {
		b.WriteString(" — a waiver for it had expired by the meeting start")
	}
	if g.Outcome == recommend.OutcomeError {
		b.WriteString("\n  error: " + g.Result.Error)
		return b.String()
	}
	for _, f := range g.Findings {
		b.WriteString("\n  " + finding(f))
	}
	if g.Omitted > 0 {
		fmt.Fprintf(&b, "\n  and %s more", plural(g.Omitted, "finding"))
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

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
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
	rep, failOn, err := report(c, opts)
	if err != nil {
		t.Errorf("%v", err)
		return false
	}
	gerr := gapError(rep, failOn)
	if gerr == nil {
		return true
	}
	var ge *GapError
	errors.As(gerr, &ge)
	lines := make([]string, len(ge.Gaps))
	for i, g := range ge.Gaps {
		lines[i] = indent(g.Error())
	}
	t.Errorf("meeting %s is not compliant (threshold %s): %s:\n%s", rep.MeetingID, failOn, plural(len(ge.Gaps), "gap"), strings.Join(lines, "\n"))
	return false
}

// AssertGap reports a test failure through t unless the recommendation id
// has outcome gap for c. It returns whether the assertion passed.
func AssertGap(t TestingT, c *casedoc.Case, id string, opts ...Option) bool {
	t.Helper()
	rep, _, err := report(c, opts)
	if err != nil {
		t.Errorf("%v", err)
		return false
	}
	r := find(rep, id)
	switch {
	case r == nil:
		t.Errorf("meeting %s: no result for %s: not in the catalogue, or disabled by the policy", rep.MeetingID, id)
		return false
	case r.Outcome == recommend.OutcomeGap:
		return true
	case r.Outcome == recommend.OutcomeError:
		t.Errorf("meeting %s: want a gap for %s, but the rule failed: %s", rep.MeetingID, id, r.Error)
		return false
	}
	t.Errorf("meeting %s: want a gap for %s, got %s", rep.MeetingID, id, strings.ReplaceAll(string(r.Outcome), "_", " "))
	return false
}

// AssertNoGap reports a test failure through t, listing the findings, when
// the recommendation id has outcome gap (or error) for c. An ID that has no
// result (unknown, or disabled by the policy) is a failure too, so that a
// typo never passes silently. It returns whether the assertion passed.
func AssertNoGap(t TestingT, c *casedoc.Case, id string, opts ...Option) bool {
	t.Helper()
	rep, _, err := report(c, opts)
	if err != nil {
		t.Errorf("%v", err)
		return false
	}
	r := find(rep, id)
	switch {
	case r == nil:
		t.Errorf("meeting %s: no result for %s: not in the catalogue, or disabled by the policy", rep.MeetingID, id)
		return false
	case r.Outcome == recommend.OutcomeGap || r.Outcome == recommend.OutcomeError:
		t.Errorf("meeting %s: want no gap for %s, got:\n%s", rep.MeetingID, id, indent((&Gap{Result: *r}).Error()))
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
