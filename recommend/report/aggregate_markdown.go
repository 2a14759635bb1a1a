package report

import (
	"io"

	"github.com/collabmeet/collabmeet/recommend"
)

// AggregateMarkdown writes agg as GitHub-flavoured Markdown, in opts.Lang: a
// level-2 heading, the counts of cases, compliant cases and invalid inputs,
// and tables of compliance by severity, by theme, by recommendation (linked
// to its catalogue entry, with its title) and by month. Text is escaped as in
// [Markdown].
func AggregateMarkdown(w io.Writer, opts Options, agg *recommend.Aggregate) error {
	if agg == nil {
		return ErrNilAggregate
	}
	ew := &errWriter{w: w}
	x := newTr(opts, opts.Lang)
	v := newAggView(opts, agg)
	c := func(id string) string { return mdText(x.s(id)) }

	ew.print("## " + mdText(x.n("report.agg.heading", agg.Cases)) + "\n\n")
	if agg.CatalogueVersion != "" {
		ew.print(mdText(upperFirst(x.s("report.meta.catalogue", "version", agg.CatalogueVersion))) + ". ")
	}
	ew.print(mdText(x.s("report.agg.headline", "compliant", agg.Compliant, "cases", agg.Cases,
		"rate", x.rateOrNA(agg.Rate(), agg.Cases), "invalid", x.n("report.agg.invalid", agg.Invalid))) + "\n")

	if len(v.severities) > 0 {
		ew.printf("\n### %s\n\n| %s | %s | %s | %s | %s |\n|---|---:|---:|---:|---:|\n", c("report.agg.by_severity"),
			c("report.col.severity"), c("report.col.applicable"), c("report.col.passed"), c("report.col.gaps"), c("report.col.rate"))
		for _, s := range v.severities {
			ew.printf("| %s | %d | %d | %d | %s |\n", mdText(x.severity(s.severity)), s.Applicable, s.Passed, s.Gaps, mdText(x.rateOrNA(s.Rate, s.Applicable)))
		}
	}
	if len(v.themes) > 0 {
		ew.printf("\n### %s\n\n| %s | %s | %s | %s |\n|---|---:|---:|---:|\n", c("report.agg.by_theme"),
			c("report.col.theme"), c("report.col.applicable"), c("report.col.passed"), c("report.col.rate"))
		for _, t := range v.themes {
			ew.printf("| %s | %d | %d | %s |\n", mdText(x.theme(t.theme)), t.Applicable, t.Passed, mdText(x.rateOrNA(t.Rate, t.Applicable)))
		}
	}
	if len(agg.Recommendations) > 0 {
		ew.printf("\n### %s\n\n| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n",
			c("report.agg.by_recommendation"), c("report.col.recommendation"), c("report.col.theme"), c("report.col.severity"),
			c("report.col.applicable"), c("report.col.passed"), c("report.col.gaps"), mdText(upperFirst(x.outcome(recommend.OutcomeWaived))),
			c("report.col.errors"), mdText(upperFirst(x.outcome(recommend.OutcomeNotApplicable))), c("report.col.rate"))
		for _, r := range agg.Recommendations {
			label := mdRecommendation(opts, x, recommend.Result{ID: r.ID, Title: r.Title})
			ew.printf("| %s | %s | %s | %d | %d | %d | %d | %d | %d | %s |\n", label, mdText(x.theme(r.Theme)), mdText(x.severity(r.Severity)),
				r.Applicable, r.Passed, r.Gaps, r.Waived, r.Errors, r.NotApplicable, mdText(x.rateOrNA(r.Rate, r.Applicable)))
		}
	}
	if len(v.months) > 0 {
		ew.printf("\n### %s\n\n| %s | %s | %s | %s |\n|---|---:|---:|---:|\n", c("report.agg.by_month_long"),
			c("report.col.month"), c("report.col.cases"), c("report.col.compliant"), c("report.col.rate"))
		for _, m := range v.months {
			ew.printf("| %s | %d | %d | %s |\n", mdText(m.Month), m.Cases, m.Compliant, mdText(x.rateOrNA(m.rate, m.Cases)))
		}
	}
	return ew.err
}
