package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/collabmeet/collabmeet/recommend"
)

// ANSI escape sequences that Text writes when Options.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// Text writes reps for a terminal, one block per report, separated by a blank
// line, in each report's language. A block starts with the meeting ID and the
// verdict, lists the gaps grouped by severity (required, recommended,
// advisory), each recommendation with its title and its findings: path,
// subject (for people) and code aligned in columns, then the message, what to
// do, whether it can be fixed automatically, and the link to its catalogue
// entry. Waived results (with their reason), rule errors, the theme scores
// and the IDs that passed or did not apply follow, and the block ends with a
// one-line summary.
//
// Colour (ANSI) is written only when opts.Color is set; see [ColorEnabled].
// Control characters and bidirectional overrides in the report's text are
// replaced, so a report cannot drive the terminal nor reorder what it shows.
func Text(w io.Writer, opts Options, reps ...*recommend.Report) error {
	if err := checkReports(reps); err != nil {
		return err
	}
	ew := &errWriter{w: w}
	for i, rep := range reps {
		if i > 0 {
			ew.print("\n")
		}
		t := &textWriter{ew: ew, opts: opts, tr: newTr(opts, rep.Lang)}
		t.report(rep)
	}
	return ew.err
}

type textWriter struct {
	ew   *errWriter
	opts Options
	tr   tr
}

// paint wraps s in the colour code c when colour is on.
func (t *textWriter) paint(c, s string) string {
	if !t.opts.Color || s == "" {
		return s
	}
	return c + s + ansiReset
}

func (t *textWriter) severityColor(s recommend.Severity) string {
	switch s {
	case recommend.SeverityRequired:
		return ansiBold + ansiRed
	case recommend.SeverityRecommended:
		return ansiBold + ansiYellow
	case recommend.SeverityAdvisory:
		return ansiBold + ansiCyan
	}
	return ansiBold
}

// pad pads s with spaces to n columns (counting runes).
func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

func (t *textWriter) report(rep *recommend.Report) {
	ew, x := t.ew, t.tr
	v := newView(rep)

	verdictColor := ansiBold + ansiGreen
	if !rep.Compliant {
		verdictColor = ansiBold + ansiRed
	}
	ew.printf("%s  %s\n", clean(x.s("report.meeting", "id", rep.MeetingID.String())),
		t.paint(verdictColor, strings.ToUpper(x.verdict(rep.Compliant))))
	if meta := x.meta(rep); len(meta) > 0 {
		ew.print(t.paint(ansiDim, clean(strings.Join(meta, " · "))) + "\n")
	}

	// Column widths shared by every gap of the report.
	idWidth, pathWidth, subjectWidth := 5, 0, 0
	for _, g := range v.gaps {
		for _, r := range g.results {
			idWidth = max(idWidth, utf8.RuneCountInString(clean(r.ID)))
			for _, f := range r.Findings {
				pathWidth = max(pathWidth, utf8.RuneCountInString(clean(f.Path)))
				subjectWidth = max(subjectWidth, utf8.RuneCountInString(clean(f.Subject)))
			}
		}
	}
	for _, r := range append(v.waived[:len(v.waived):len(v.waived)], v.errors...) {
		idWidth = max(idWidth, utf8.RuneCountInString(clean(r.ID)))
	}
	indent := strings.Repeat(" ", 2+idWidth+2)

	for _, g := range v.gaps {
		if len(g.results) == 0 && !g.severity.Valid() {
			continue
		}
		ew.print("\n")
		heading := strings.ToUpper(clean(x.severity(g.severity)))
		count := x.s("report.none")
		if n := len(g.results); n > 0 {
			count = x.n("report.count.gaps", n)
		}
		ew.printf("%s  %s\n", t.paint(t.severityColor(g.severity), heading), clean(count))
		for _, r := range g.results {
			t.resultLine(r, idWidth)
			if len(r.Findings) == 0 {
				ew.printf("%s%s\n", indent, clean(x.s("report.no_findings")))
			}
			for _, f := range r.Findings {
				path := clean(f.Path)
				if path == "" {
					path = "-"
				}
				line := indent + t.paint(ansiBold, pad(path, pathWidth)) + "  " + pad(clean(f.Subject), subjectWidth)
				if f.Code != "" {
					line += "  " + t.paint(ansiDim, "["+clean(f.Code)+"]")
				}
				ew.print(strings.TrimRight(line, " ") + "\n")
				if m := clean(f.Message); m != "" {
					ew.printf("%s  %s\n", indent, m)
				}
				if remedy := clean(f.Remedy); remedy != "" {
					ew.printf("%s  %s %s\n", indent, t.paint(ansiGreen, clean(x.s("report.label.remedy"))), remedy)
				}
				if fx := clean(x.fixable(f)); fx != "" {
					ew.printf("%s  %s\n", indent, t.paint(ansiCyan, fx))
				}
			}
			if doc := clean(t.opts.resultDoc(&r)); doc != "" {
				ew.printf("%s%s %s\n", indent, t.paint(ansiDim, clean(x.s("report.label.see"))), doc)
			}
			if r.Omitted > 0 {
				ew.printf("%s%s\n", indent, clean(x.n("report.omitted", r.Omitted)))
			}
		}
	}

	if len(v.waived) > 0 {
		ew.printf("\n%s  %d\n", t.paint(ansiBold, strings.ToUpper(clean(x.outcome(recommend.OutcomeWaived)))), len(v.waived))
		for _, r := range v.waived {
			t.resultLine(r, idWidth)
			reason := clean(r.WaiverReason)
			if reason == "" {
				reason = clean(x.s("report.no_reason"))
			}
			ew.printf("%s%s %s\n", indent, clean(x.s("report.label.reason")), reason)
		}
	}
	if len(v.errors) > 0 {
		ew.printf("\n%s  %d\n", t.paint(ansiBold+ansiRed, strings.ToUpper(clean(x.s("report.heading.errors")))), len(v.errors))
		for _, r := range v.errors {
			t.resultLine(r, idWidth)
			ew.printf("%s%s\n", indent, clean(x.problem(r)))
		}
	}

	ew.print("\n")
	t.scores(rep)
	t.idList(x.s("report.passed"), v.passes)
	t.idList(x.outcome(recommend.OutcomeNotApplicable), v.notApplicable)
	ew.print(t.paint(verdictColor, clean(x.summaryLine(rep))) + "\n")
}

// resultLine writes the ID (padded), the title and notes of one result.
func (t *textWriter) resultLine(r recommend.Result, idWidth int) {
	line := "  " + t.paint(ansiBold, pad(clean(r.ID), idWidth))
	if title := clean(r.Title); title != "" {
		line += "  " + title
	}
	if r.Theme != "" {
		line += "  " + t.paint(ansiDim, "("+clean(t.tr.theme(r.Theme))+")")
	}
	if r.WaiverExpired {
		line += "  " + t.paint(ansiYellow, "["+clean(t.tr.s("report.waiver_expired"))+"]")
	}
	t.ew.print(line + "\n")
}

// idList writes "label (n): ID ID ID" wrapped at 100 columns, or nothing when
// rs is empty.
func (t *textWriter) idList(label string, rs []recommend.Result) {
	if len(rs) == 0 {
		return
	}
	const width = 100
	head := fmt.Sprintf("%s (%d):", clean(label), len(rs))
	line, col := head, utf8.RuneCountInString(head)
	for _, r := range rs {
		id := clean(r.ID)
		n := utf8.RuneCountInString(id)
		if col+1+n > width {
			t.ew.print(line + "\n")
			line, col = "   ", 3
		}
		line += " " + id
		col += 1 + n
	}
	t.ew.print(line + "\n")
}

// scores writes the theme scores on one line: "scores: Patient-centredness
// 2/5 40 %, …", with "n/a" for a theme where nothing applied.
func (t *textWriter) scores(rep *recommend.Report) {
	x := t.tr
	var parts []string
	for _, ts := range themeScores(rep.Summary) {
		if ts.Applicable == 0 {
			parts = append(parts, x.s("report.score.none", "theme", x.theme(ts.theme)))
			continue
		}
		parts = append(parts, x.s("report.score", "theme", x.theme(ts.theme), "passed", ts.Passed, "applicable", ts.Applicable, "percent", percent(ts.Score)))
	}
	t.ew.print(clean(x.s("report.scores", "scores", strings.Join(parts, "; "))) + "\n")
}
