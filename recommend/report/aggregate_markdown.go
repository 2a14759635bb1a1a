package report

import (
	"io"

	"github.com/collabmeet/collabmeet/recommend"
)

// AggregateMarkdown writes agg as GitHub-flavoured Markdown: a level-2
// heading, the counts of cases, compliant cases and invalid inputs, and
// tables of compliance by severity, by theme, by recommendation (linked to
// its catalogue entry, with its title) and by month. Text is escaped as in
// [Markdown].
func AggregateMarkdown(w io.Writer, opts Options, agg *recommend.Aggregate) error {
	if agg == nil {
		return ErrNilAggregate
	}
	ew := &errWriter{w: w}
	v := newAggView(agg)

	ew.print("## Compliance across " + plural(agg.Cases, "case", "cases") + "\n\n")
	if agg.CatalogueVersion != "" {
		ew.print("Catalogue " + mdText(agg.CatalogueVersion) + ". ")
	}
	ew.printf("**%d of %d** cases compliant (%s); %d invalid %s.\n",
		agg.Compliant, agg.Cases, rateOrNA(agg.Rate(), agg.Cases), agg.Invalid, pluralWord(agg.Invalid, "input", "inputs"))

	if len(v.severities) > 0 {
		ew.print("\n### By severity\n\n| Severity | Applicable | Passed | Gaps | Rate |\n|---|---:|---:|---:|---:|\n")
		for _, s := range v.severities {
			ew.printf("| %s | %d | %d | %d | %s |\n", mdText(string(s.severity)), s.Applicable, s.Passed, s.Gaps, rateOrNA(s.Rate, s.Applicable))
		}
	}
	if len(v.themes) > 0 {
		ew.print("\n### By theme\n\n| Theme | Applicable | Passed | Rate |\n|---|---:|---:|---:|\n")
		for _, t := range v.themes {
			ew.printf("| %s | %d | %d | %s |\n", mdText(themeTitle(t.theme)), t.Applicable, t.Passed, rateOrNA(t.Rate, t.Applicable))
		}
	}
	if len(agg.Recommendations) > 0 {
		ew.print("\n### By recommendation\n\n| Recommendation | Theme | Severity | Applicable | Passed | Gaps | Waived | Errors | Not applicable | Rate |\n" +
			"|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, r := range agg.Recommendations {
			label := mdRecommendation(opts, recommend.Result{ID: r.ID})
			ew.printf("| %s | %s | %s | %d | %d | %d | %d | %d | %d | %s |\n", label, mdText(themeTitle(r.Theme)), mdText(string(r.Severity)),
				r.Applicable, r.Passed, r.Gaps, r.Waived, r.Errors, r.NotApplicable, rateOrNA(r.Rate, r.Applicable))
		}
	}
	if len(v.months) > 0 {
		ew.print("\n### By month of the meeting\n\n| Month | Cases | Compliant | Rate |\n|---|---:|---:|---:|\n")
		for _, m := range v.months {
			ew.printf("| %s | %d | %d | %s |\n", mdText(m.Month), m.Cases, m.Compliant, rateOrNA(m.rate, m.Cases))
		}
	}
	return ew.err
}

// pluralWord is one or many by n.
func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
