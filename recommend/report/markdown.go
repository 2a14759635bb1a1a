package report

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/collabmeet/collabmeet/recommend"
)

// Markdown writes reps as GitHub-flavoured Markdown for tickets and wikis, in
// each report's language: per report a level-2 heading with the meeting ID
// and the verdict, a table of theme scores, one table of gaps per severity
// (recommendation linked to its catalogue entry, subject for people, path and
// code, message, what to do, and whether it can be fixed automatically), the
// waived results and rule errors, the passes as evidence, and a closing
// summary line. Text from the report is escaped so that it cannot break a
// table or add markup: pipes, brackets, angle brackets, asterisks, backticks
// and line breaks.
func Markdown(w io.Writer, opts Options, reps ...*recommend.Report) error {
	if err := checkReports(reps); err != nil {
		return err
	}
	ew := &errWriter{w: w}
	for i, rep := range reps {
		if i > 0 {
			ew.print("\n")
		}
		markdownReport(ew, opts, newTr(opts, rep.Lang), rep)
	}
	return ew.err
}

func markdownReport(ew *errWriter, opts Options, x tr, rep *recommend.Report) {
	v := newView(rep)
	ew.printf("## %s: %s\n\n", x.s("report.meeting", "id", mdCode(rep.MeetingID.String())), mdText(x.verdict(rep.Compliant)))

	if meta := x.meta(rep); len(meta) > 0 {
		for i := range meta {
			meta[i] = mdText(meta[i])
		}
		ew.print(upperFirst(strings.Join(meta, " · ")) + "\n\n")
	}

	ew.printf("| %s | %s | %s | %s |\n|---|---:|---:|---:|\n", mdText(x.s("report.col.theme")), mdText(x.s("report.col.passed")),
		mdText(x.s("report.col.applicable")), mdText(x.s("report.col.score")))
	for _, ts := range themeScores(rep.Summary) {
		score := x.s("report.n_a")
		if ts.Applicable > 0 {
			score = x.s("report.percent", "percent", percent(ts.Score))
		}
		ew.printf("| %s | %d | %d | %s |\n", mdText(x.theme(ts.theme)), ts.Passed, ts.Applicable, mdText(score))
	}

	for _, g := range v.gaps {
		if len(g.results) == 0 && !g.severity.Valid() {
			continue
		}
		title := upperFirst(x.s("report.heading.gaps_of", "severity", x.severity(g.severity)))
		if len(g.results) == 0 {
			ew.printf("\n### %s\n\n%s\n", mdText(title), mdText(upperFirst(x.s("report.none"))+"."))
			continue
		}
		ew.printf("\n### %s (%d)\n\n", mdText(title), len(g.results))
		ew.printf("| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", mdText(x.s("report.col.recommendation")), mdText(x.s("report.col.subject")),
			mdText(x.s("report.col.path")), mdText(x.s("report.col.message")), mdText(x.s("report.col.remedy")))
		for _, r := range g.results {
			label := mdRecommendation(opts, x, r)
			if len(r.Findings) == 0 {
				ew.printf("| %s | | | %s | |\n", label, mdText(x.s("report.no_findings")))
			}
			for _, f := range r.Findings {
				remedy := mdText(f.Remedy)
				if fx := x.fixable(f); fx != "" {
					remedy += " **" + mdText(fx) + "**"
				}
				path := mdCode(f.Path)
				if f.Code != "" {
					path += " " + mdCode(f.Code)
				}
				ew.printf("| %s | %s | %s | %s | %s |\n", label, mdText(f.Subject), path, mdText(f.Message), strings.TrimSpace(remedy))
			}
			if r.Omitted > 0 {
				ew.printf("| %s | | | %s | |\n", label, mdText(x.n("report.omitted", r.Omitted)))
			}
		}
	}

	if len(v.waived) > 0 {
		ew.printf("\n### %s (%d)\n\n| %s | %s |\n|---|---|\n", mdText(upperFirst(x.outcome(recommend.OutcomeWaived))), len(v.waived),
			mdText(x.s("report.col.recommendation")), mdText(x.s("report.col.reason")))
		for _, r := range v.waived {
			ew.printf("| %s | %s |\n", mdRecommendation(opts, x, r), mdText(r.WaiverReason))
		}
	}
	if len(v.errors) > 0 {
		ew.printf("\n### %s (%d)\n\n| %s | %s |\n|---|---|\n", mdText(x.s("report.heading.errors")), len(v.errors),
			mdText(x.s("report.col.recommendation")), mdText(x.s("report.col.error")))
		for _, r := range v.errors {
			ew.printf("| %s | %s |\n", mdRecommendation(opts, x, r), mdText(x.problem(r)))
		}
	}
	if len(v.passes) > 0 {
		ew.printf("\n### %s (%d)\n\n", mdText(upperFirst(x.s("report.passed"))), len(v.passes))
		for _, r := range v.passes {
			ew.printf("- %s\n", mdRecommendation(opts, x, r))
		}
	}
	if len(v.notApplicable) > 0 {
		ids := make([]string, len(v.notApplicable))
		for i, r := range v.notApplicable {
			ids[i] = mdText(r.ID)
		}
		ew.printf("\n### %s (%d)\n\n%s\n", mdText(upperFirst(x.outcome(recommend.OutcomeNotApplicable))), len(v.notApplicable), strings.Join(ids, ", "))
	}
	ew.printf("\n**%s** %s\n", mdText(x.s("report.label.summary")), mdText(x.summaryLine(rep)))
}

// mdRecommendation is the ID (linked to its documentation) and the title.
func mdRecommendation(opts Options, x tr, r recommend.Result) string {
	id := mdText(r.ID)
	if u := opts.resultDoc(&r); u != "" {
		id = "[" + id + "](" + mdURL(u) + ")"
	}
	s := id
	if t := strings.TrimSpace(r.Title); t != "" {
		s += " " + mdText(t)
	}
	if r.WaiverExpired {
		s += " (" + mdText(x.s("report.waiver_expired")) + ")"
	}
	return s
}

// mdText escapes s for Markdown text, including table cells: line breaks
// become spaces, control characters U+FFFD, and characters that could start
// markup or end a cell are backslash-escaped. An underscore inside a word
// (patient_perspective) is left as it is, since it cannot start emphasis.
func mdText(s string) string {
	s = clean(s)
	var b strings.Builder
	prev := rune(0)
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '[', ']', '<', '>', '|', '&', '~':
			b.WriteByte('\\')
		case '_':
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if !isWordRune(prev) || !isWordRune(next) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// mdCode writes s as a code span that is also safe in a table cell: a
// backtick becomes an apostrophe and a pipe is escaped (GitHub removes the
// backslash in a table cell). The empty string gives "".
func mdCode(s string) string {
	s = clean(s)
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("`", "'", "|", `\|`).Replace(s)
	return "`" + s + "`"
}

// mdURL percent-encodes the characters that would end a Markdown link or a
// table cell.
func mdURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "|", "%7C", "<", "%3C", ">", "%3E", "\n", "", "\r", "").Replace(u)
}
