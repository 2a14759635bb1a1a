package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/collabmeet/collabmeet/recommend"
)

// Markdown writes reps as GitHub-flavoured Markdown for tickets and wikis: per
// report a level-2 heading with the meeting ID and the verdict, a table of
// theme scores, one table of gaps per severity (recommendation linked to its
// catalogue entry, subject, path, message, remedy), the waived results and
// rule errors, the passes as evidence, and a closing summary line. Text from
// the report is escaped so that it cannot break a table or add markup: pipes,
// brackets, angle brackets, asterisks, backticks and line breaks.
func Markdown(w io.Writer, opts Options, reps ...*recommend.Report) error {
	if err := checkReports(reps); err != nil {
		return err
	}
	ew := &errWriter{w: w}
	for i, rep := range reps {
		if i > 0 {
			ew.print("\n")
		}
		markdownReport(ew, opts, rep)
	}
	return ew.err
}

func markdownReport(ew *errWriter, opts Options, rep *recommend.Report) {
	v := newView(rep)
	ew.printf("## Meeting %s: %s\n\n", mdCode(rep.MeetingID.String()), verdict(rep))

	var meta []string
	if rep.Phase != "" {
		meta = append(meta, "Phase "+mdText(string(rep.Phase)))
	}
	if rep.Profile != "" {
		meta = append(meta, "profile "+mdText(string(rep.Profile)))
	}
	if rep.CatalogueVersion != "" {
		meta = append(meta, "catalogue "+mdText(rep.CatalogueVersion))
	}
	if !rep.MeetingStart.IsZero() {
		meta = append(meta, "start "+rep.MeetingStart.Format("2006-01-02 15:04 -07:00"))
	}
	if len(meta) > 0 {
		ew.print(strings.Join(meta, " · ") + "\n\n")
	}

	ew.print("| Theme | Passed | Applicable | Score |\n|---|---:|---:|---:|\n")
	for _, ts := range themeScores(rep.Summary) {
		score := "n/a"
		if ts.Applicable > 0 {
			score = fmt.Sprintf("%d %%", percent(ts.Score))
		}
		ew.printf("| %s | %d | %d | %s |\n", mdText(themeTitle(ts.theme)), ts.Passed, ts.Applicable, score)
	}

	for _, g := range v.gaps {
		if len(g.results) == 0 && !g.severity.Valid() {
			continue
		}
		title := severityTitle(g.severity) + " gaps"
		if len(g.results) == 0 {
			ew.printf("\n### %s\n\nNone.\n", mdText(title))
			continue
		}
		ew.printf("\n### %s (%d)\n\n", mdText(title), len(g.results))
		ew.print("| Recommendation | Subject | Path | Message | Remedy |\n|---|---|---|---|---|\n")
		for _, r := range g.results {
			label := mdRecommendation(opts, r)
			if len(r.Findings) == 0 {
				ew.printf("| %s | | | (no findings given) | |\n", label)
			}
			for _, f := range r.Findings {
				ew.printf("| %s | %s | %s | %s | %s |\n", label, mdSubject(f), mdCode(f.Path), mdText(f.Message), mdText(f.Remedy))
			}
		}
	}

	if len(v.waived) > 0 {
		ew.printf("\n### Waived (%d)\n\n| Recommendation | Reason |\n|---|---|\n", len(v.waived))
		for _, r := range v.waived {
			ew.printf("| %s | %s |\n", mdRecommendation(opts, r), mdText(r.WaiverReason))
		}
	}
	if len(v.errors) > 0 {
		ew.printf("\n### Errors (%d)\n\n| Recommendation | Error |\n|---|---|\n", len(v.errors))
		for _, r := range v.errors {
			msg := r.Error
			if r.Outcome != recommend.OutcomeError {
				msg = fmt.Sprintf("unknown outcome %q", string(r.Outcome))
			}
			ew.printf("| %s | %s |\n", mdRecommendation(opts, r), mdText(msg))
		}
	}
	if len(v.passes) > 0 {
		ew.printf("\n### Passed (%d)\n\n", len(v.passes))
		for _, r := range v.passes {
			ew.printf("- %s\n", mdRecommendation(opts, r))
		}
	}
	if len(v.notApplicable) > 0 {
		ids := make([]string, len(v.notApplicable))
		for i, r := range v.notApplicable {
			ids[i] = mdText(r.ID)
		}
		ew.printf("\n### Not applicable (%d)\n\n%s\n", len(v.notApplicable), strings.Join(ids, ", "))
	}
	ew.printf("\n**Summary:** %s\n", mdText(summaryLine(rep)))
}

// mdRecommendation is the ID (linked to its documentation) and the title.
func mdRecommendation(opts Options, r recommend.Result) string {
	id := mdText(r.ID)
	if u := opts.docURL(r.ID); u != "" {
		id = "[" + id + "](" + mdURL(u) + ")"
	}
	s := id
	if t := opts.title(r.ID); t != "" {
		s += " " + mdText(t)
	}
	if r.WaiverExpired {
		s += " (a waiver for it expired)"
	}
	return s
}

// mdSubject is the subject of a finding: its role, and its ID as code.
func mdSubject(f recommend.Finding) string {
	s := subject(f)
	if role, id, ok := strings.Cut(s, " "); ok {
		return mdText(role) + " " + mdCode(id)
	}
	if f.SubjectID.String() == s {
		return mdCode(s)
	}
	return mdText(s)
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
