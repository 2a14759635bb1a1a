// Package recommendtest helps users of collabmeet write policy checks in
// their own tests, in the manner of net/http/httptest and testing/fstest: a
// meeting their system books, or a template it offers, must stay compliant
// with the catalogue (and with the organisation's own rules) as the code
// around it changes.
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
// Failure messages list the gaps as a person reads them, one finding a line:
//
//	PC-05 (required) at meeting.agenda[2]: the patient's perspective item is led by someone else: let the patient lead it
//
// They carry IDs, roles, severities and JSON paths only: never a name or
// other free text of the case.
package recommendtest

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
)

// TestingT is the part of *testing.T that the assertions use. *testing.T,
// *testing.B, *testing.F and testify's mock.TestingT implementations satisfy it.
type TestingT interface {
	Errorf(format string, args ...any)
	Helper()
}

// Option configures the engine that checks the case.
type Option func(*config)

type config struct {
	policy  recommend.Policy
	rules   []recommend.Rule
	engine  *recommend.Engine
	failOn  recommend.Severity
	changed bool // something other than failOn was set
}

// WithPolicy checks under policy instead of the default policy.
func WithPolicy(policy recommend.Policy) Option {
	return func(c *config) { c.policy, c.changed = policy, true }
}

// WithRules adds the organisation's own rules after the catalogue (see
// recommend.WithRules).
func WithRules(rules ...recommend.Rule) Option {
	return func(c *config) { c.rules, c.changed = append(c.rules, rules...), true }
}

// WithEngine checks with an engine compiled beforehand (for example once in
// TestMain); WithPolicy and WithRules are then ignored.
func WithEngine(e *recommend.Engine) Option {
	return func(c *config) { c.engine = e }
}

// FailOn sets the least severity that counts: with recommend.SeverityRequired
// only required gaps count, with SeverityRecommended required and
// recommended ones, with SeverityAdvisory every gap. Check counts every gap
// by default, AssertCompliant required gaps only. A result with outcome
// error counts whatever its severity.
func FailOn(severity recommend.Severity) Option {
	return func(c *config) { c.failOn = severity }
}

var defaultEngine = sync.OnceValues(func() (*recommend.Engine, error) {
	return recommend.New(recommend.Policy{})
})

// report checks c with the engine the options describe.
func report(c *casedoc.Case, opts []Option) (*recommend.Report, config, error) {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if c == nil {
		return nil, cfg, errors.New("recommendtest: nil case")
	}
	if err := c.Validate(); err != nil {
		return nil, cfg, fmt.Errorf("recommendtest: the case is invalid: %w", err)
	}
	e := cfg.engine
	if e == nil {
		var err error
		if cfg.changed {
			e, err = recommend.New(cfg.policy, recommend.WithRules(cfg.rules...))
		} else {
			e, err = defaultEngine()
		}
		if err != nil {
			return nil, cfg, fmt.Errorf("recommendtest: %w", err)
		}
	}
	return e.Check(c), cfg, nil
}

// Check checks c against the catalogue (with the options' policy and rules)
// and returns nil when no result counts as a failure — by default any gap
// or error of any severity; see FailOn. Otherwise it returns a *GapError
// listing every such result, in catalogue order. An invalid case, or a policy
// or rule set that the engine refuses, gives another error.
func Check(c *casedoc.Case, opts ...Option) error {
	rep, cfg, err := report(c, opts)
	if err != nil {
		return err
	}
	failOn := cfg.failOn
	if failOn == "" {
		failOn = recommend.SeverityAdvisory
	}
	return gapError(rep, failOn)
}

// gapError returns a *GapError for the results of rep at failOn or more
// serious, or nil when there are none.
func gapError(rep *recommend.Report, failOn recommend.Severity) error {
	e := &GapError{Report: rep}
	for i := range rep.Results {
		r := &rep.Results[i]
		switch {
		case r.Outcome == recommend.OutcomeError:
		case r.Outcome == recommend.OutcomeGap && r.Severity.Rank() <= failOn.Rank():
		default:
			continue
		}
		e.Gaps = append(e.Gaps, &Gap{Result: *r})
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

// Error describes the gap as a person reads it, one line per finding:
// "PC-05 (required) at meeting.agenda[2]: <what is missing>: <remedy>". A
// rule that failed gives "ACME-01 (required) error: <why>".
func (g *Gap) Error() string {
	head := fmt.Sprintf("%s (%s)", g.ID, g.Severity)
	if g.Outcome == recommend.OutcomeError {
		return head + " error: " + g.Result.Error
	}
	if len(g.Findings) == 0 {
		return head + " gap"
	}
	lines := make([]string, len(g.Findings))
	for i, f := range g.Findings {
		lines[i] = head + " " + finding(f)
	}
	return strings.Join(lines, "\n")
}

// finding words one finding: where, who (by role), what, and the remedy.
func finding(f recommend.Finding) string {
	var b strings.Builder
	b.WriteString("at ")
	if f.Path == "" {
		b.WriteString("the meeting")
	} else {
		b.WriteString(f.Path)
	}
	if f.SubjectRole != "" {
		fmt.Fprintf(&b, " (%s)", f.SubjectRole)
	}
	b.WriteString(": ")
	b.WriteString(f.Message)
	if f.Remedy != "" {
		b.WriteString(": ")
		b.WriteString(f.Remedy)
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
// c is compliant: no required gap and no rule error (with FailOn, gaps of
// lesser severities count too). It returns whether the assertion passed.
func AssertCompliant(t TestingT, c *casedoc.Case, opts ...Option) bool {
	t.Helper()
	rep, cfg, err := report(c, opts)
	if err != nil {
		t.Errorf("%v", err)
		return false
	}
	failOn := cfg.failOn
	if failOn == "" {
		failOn = recommend.SeverityRequired
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
	t.Errorf("meeting %s is not compliant: %s:\n%s", rep.MeetingID, plural(len(ge.Gaps), "gap"), strings.Join(lines, "\n"))
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
