package report

import (
	"math"
	"strings"

	"github.com/collabmeet/collabmeet/internal/plaintext"
	"github.com/collabmeet/collabmeet/recommend"
)

// view sorts the results of one report into what every format shows: the
// gaps grouped by severity (most serious first), then the waived results, the
// errors, the passes (the evidence) and the recommendations that did not apply.
type view struct {
	rep           *recommend.Report
	gaps          []severityGroup // one per severity, required first; only groups with gaps after the known three
	waived        []recommend.Result
	errors        []recommend.Result
	passes        []recommend.Result
	notApplicable []recommend.Result
}

// severityGroup is the gaps of one severity.
type severityGroup struct {
	severity recommend.Severity
	results  []recommend.Result
}

// findings counts the findings of the group.
func (g severityGroup) findings() int {
	n := 0
	for _, r := range g.results {
		n += len(r.Findings)
	}
	return n
}

func newView(rep *recommend.Report) *view {
	v := &view{rep: rep}
	for _, s := range recommend.Severities() {
		v.gaps = append(v.gaps, severityGroup{severity: s})
	}
	for _, r := range rep.Results {
		switch r.Outcome {
		case recommend.OutcomePass:
			v.passes = append(v.passes, r)
		case recommend.OutcomeNotApplicable:
			v.notApplicable = append(v.notApplicable, r)
		case recommend.OutcomeWaived:
			v.waived = append(v.waived, r)
		case recommend.OutcomeGap:
			v.addGap(r)
		default: // error, or an outcome this version does not know
			v.errors = append(v.errors, r)
		}
	}
	return v
}

func (v *view) addGap(r recommend.Result) {
	for i := range v.gaps {
		if v.gaps[i].severity == r.Severity {
			v.gaps[i].results = append(v.gaps[i].results, r)
			return
		}
	}
	v.gaps = append(v.gaps, severityGroup{severity: r.Severity, results: []recommend.Result{r}})
}

// gapCount is the number of results with outcome gap.
func (v *view) gapCount() int {
	n := 0
	for _, g := range v.gaps {
		n += len(g.results)
	}
	return n
}

// themeScores lists the theme scores of the summary, in the order of the
// catalogue's themes (as the report has them).
func themeScores(s recommend.Summary) []themeScore {
	out := make([]themeScore, 0, len(s.Themes))
	for _, ts := range s.Themes {
		out = append(out, themeScore{ts.Theme, ts})
	}
	return out
}

// themeScore is one theme's score with its theme.
type themeScore struct {
	theme recommend.Theme
	recommend.ThemeScore
}

// meta is the line under a report's heading: where the case came from, its
// phase, profile, catalogue, start and policy, each a message.
func (x tr) meta(rep *recommend.Report) []string {
	var out []string
	if rep.Source != "" {
		out = append(out, x.s("report.meta.source", "source", rep.Source))
	}
	if rep.Phase != "" {
		out = append(out, x.s("report.meta.phase", "phase", rep.Phase))
	}
	if rep.Profile != "" {
		out = append(out, x.s("report.meta.profile", "profile", rep.Profile))
	}
	if rep.CatalogueVersion != "" {
		out = append(out, x.s("report.meta.catalogue", "version", rep.CatalogueVersion))
	}
	if !rep.MeetingStart.IsZero() {
		out = append(out, x.s("report.meta.start", "start", x.cat.FormatTime(x.lang, rep.MeetingStart)+rep.MeetingStart.Format(" -07:00")))
	}
	if rep.PolicyDigest != "" {
		out = append(out, x.s("report.meta.policy", "digest", shortDigest(rep.PolicyDigest)))
	}
	return out
}

// shortDigest shortens a policy digest for people: its first 12 hex digits,
// after the algorithm when it names one ("sha256:0123456789ab").
func shortDigest(d string) string {
	const n = 12
	algo, hex, ok := strings.Cut(d, ":")
	if !ok {
		algo, hex = "", d
	} else {
		algo += ":"
	}
	if len(hex) > n {
		hex = hex[:n]
	}
	return algo + hex
}

// summaryLine is the one-line summary of a report that text and Markdown end with.
func (x tr) summaryLine(rep *recommend.Report) string {
	s := rep.Summary
	return x.s("report.summary",
		"verdict", x.verdict(rep.Compliant),
		"required", s.Gaps.Required, "recommended", s.Gaps.Recommended, "advisory", s.Gaps.Advisory,
		"passed", s.Outcomes.Pass, "not_applicable", s.Outcomes.NotApplicable, "waived", s.Outcomes.Waived,
		"errors", x.n("report.count.errors", s.Outcomes.Error))
}

// problem is what the errors section says of a result: the rule's error,
// or that its outcome is unknown to this version.
func (x tr) problem(r recommend.Result) string {
	if r.Outcome != recommend.OutcomeError {
		return x.s("report.unknown_outcome", "outcome", string(r.Outcome))
	}
	if r.Error == "" {
		return x.s("report.no_error_message")
	}
	return r.Error
}

// fixable says that a finding can be fixed automatically, with what the
// fixes do; "" when it has no fix.
func (x tr) fixable(f recommend.Finding) string {
	if len(f.Fixes) == 0 {
		return ""
	}
	var msgs []string
	for _, fx := range f.Fixes {
		if m := strings.TrimSpace(fx.Message); m != "" {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 {
		return x.s("report.fixable")
	}
	return x.s("report.fixable_with", "fixes", strings.Join(msgs, "; "))
}

// percent is the score as a whole percentage in [0, 100]; a score outside
// [0, 1] or NaN is clamped.
func percent(score float64) int {
	if math.IsNaN(score) || score < 0 {
		return 0
	}
	if score > 1 {
		return 100
	}
	return int(math.Round(score * 100))
}

// clean makes text safe for a line-oriented, terminal, Markdown, HTML or XML
// layout: plaintext.Line, the one function every renderer uses for text,
// whoever wrote it (a waiver's reason from a policy, a custom rule's
// message, a title). Line breaks and other white space fold into one space;
// control and format characters (ESC, the bidirectional overrides, U+2028,
// U+FEFF, U+00AD, ...) are removed.
func clean(s string) string { return plaintext.Line(s) }
