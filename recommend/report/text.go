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
// line. A block starts with the meeting ID and the verdict, lists the gaps
// grouped by severity (required, recommended, advisory), each recommendation
// with its findings: subject path and role + ID aligned in columns, then the
// message and the remedy ("fix:"), and the link to its catalogue entry. Waived results (with their reason),
// rule errors, and the IDs that passed or did not apply follow, and the block
// ends with a one-line summary.
//
// Colour (ANSI) is written only when opts.Color is set; see [ColorEnabled].
// Control characters in messages are replaced, so a report cannot drive the
// terminal.
func Text(w io.Writer, opts Options, reps ...*recommend.Report) error {
	if err := checkReports(reps); err != nil {
		return err
	}
	ew := &errWriter{w: w}
	t := &textWriter{ew: ew, opts: opts}
	for i, rep := range reps {
		if i > 0 {
			ew.print("\n")
		}
		t.report(rep)
	}
	return ew.err
}

type textWriter struct {
	ew   *errWriter
	opts Options
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
	ew := t.ew
	v := newView(rep)

	verdictColor := ansiBold + ansiGreen
	if !rep.Compliant {
		verdictColor = ansiBold + ansiRed
	}
	ew.printf("Meeting %s  %s\n", rep.MeetingID, t.paint(verdictColor, strings.ToUpper(verdict(rep))))
	meta := []string{}
	if rep.Phase != "" {
		meta = append(meta, "phase "+clean(string(rep.Phase)))
	}
	if rep.Profile != "" {
		meta = append(meta, "profile "+clean(string(rep.Profile)))
	}
	if rep.CatalogueVersion != "" {
		meta = append(meta, "catalogue "+clean(rep.CatalogueVersion))
	}
	if !rep.MeetingStart.IsZero() {
		meta = append(meta, "start "+rep.MeetingStart.Format("2006-01-02 15:04 -07:00"))
	}
	if len(meta) > 0 {
		ew.print(t.paint(ansiDim, strings.Join(meta, " · ")) + "\n")
	}

	// Column widths shared by every gap of the report.
	idWidth, pathWidth := 5, 0
	for _, g := range v.gaps {
		for _, r := range g.results {
			idWidth = max(idWidth, utf8.RuneCountInString(clean(r.ID)))
			for _, f := range r.Findings {
				pathWidth = max(pathWidth, utf8.RuneCountInString(clean(f.Path)))
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
		heading := strings.ToUpper(severityTitle(g.severity))
		count := "none"
		if n := len(g.results); n > 0 {
			count = plural(n, "gap", "gaps")
		}
		ew.printf("%s  %s\n", t.paint(t.severityColor(g.severity), heading), count)
		for _, r := range g.results {
			t.resultLine(r, idWidth)
			if len(r.Findings) == 0 {
				ew.printf("%s%s\n", indent, "(no findings given)")
			}
			for _, f := range r.Findings {
				path := clean(f.Path)
				if path == "" {
					path = "-"
				}
				ew.printf("%s%s  %s\n", indent, t.paint(ansiBold, pad(path, pathWidth)), subjectText(f))
				if m := clean(f.Message); m != "" {
					ew.printf("%s  %s\n", indent, m)
				}
				if fix := clean(f.Remedy); fix != "" {
					ew.printf("%s  %s %s\n", indent, t.paint(ansiGreen, "fix:"), fix)
				}
			}
			if doc := clean(t.opts.docURL(r.ID)); doc != "" {
				ew.printf("%s%s %s\n", indent, t.paint(ansiDim, "see"), doc)
			}
		}
	}

	if len(v.waived) > 0 {
		ew.printf("\n%s  %d\n", t.paint(ansiBold, "WAIVED"), len(v.waived))
		for _, r := range v.waived {
			t.resultLine(r, idWidth)
			reason := clean(r.WaiverReason)
			if reason == "" {
				reason = "(no reason given)"
			}
			ew.printf("%sreason: %s\n", indent, reason)
		}
	}
	if len(v.errors) > 0 {
		ew.printf("\n%s  %d\n", t.paint(ansiBold+ansiRed, "ERRORS"), len(v.errors))
		for _, r := range v.errors {
			t.resultLine(r, idWidth)
			msg := clean(r.Error)
			if r.Outcome != recommend.OutcomeError {
				msg = fmt.Sprintf("unknown outcome %q", clean(string(r.Outcome)))
			}
			if msg == "" {
				msg = "(no error message given)"
			}
			ew.printf("%s%s\n", indent, msg)
		}
	}

	ew.print("\n")
	t.scores(rep)
	t.idList("passed", v.passes)
	t.idList("not applicable", v.notApplicable)
	ew.print(t.paint(verdictColor, summaryLine(rep)) + "\n")
}

// resultLine writes the ID (padded), the title and notes of one result.
func (t *textWriter) resultLine(r recommend.Result, idWidth int) {
	line := "  " + t.paint(ansiBold, pad(clean(r.ID), idWidth))
	if title := clean(t.opts.title(r.ID)); title != "" {
		line += "  " + title
	}
	if r.Theme != "" {
		line += "  " + t.paint(ansiDim, "("+clean(string(r.Theme))+")")
	}
	if r.WaiverExpired {
		line += "  " + t.paint(ansiYellow, "[a waiver for it expired]")
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
	head := fmt.Sprintf("%s (%d):", label, len(rs))
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

// subjectText is the subject of a finding for the text format.
func subjectText(f recommend.Finding) string {
	return clean(subject(f))
}

// plural returns "1 gap" or "n gaps".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// scores writes the theme scores on one line: "scores: patient_centredness
// 2/5 40 %, …", with "n/a" for a theme where nothing applied.
func (t *textWriter) scores(rep *recommend.Report) {
	parts := make([]string, 0, len(recommend.Themes))
	for _, ts := range themeScores(rep.Summary) {
		if ts.Applicable == 0 {
			parts = append(parts, string(ts.theme)+" n/a")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d/%d %d %%", ts.theme, ts.Passed, ts.Applicable, percent(ts.Score)))
	}
	t.ew.print("scores: " + strings.Join(parts, ", ") + "\n")
}
