package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/collabmeet/collabmeet/recommend"
)

// AggregateText writes agg for a terminal, in opts.Lang: a headline with the
// number of cases, the compliant share and the invalid inputs, then aligned
// tables of compliance by severity, by theme, by recommendation (catalogue
// order, with its title last) and by month of the meeting start. With
// opts.Color, rates are coloured: green from 90 %, yellow from 60 %, red
// below.
func AggregateText(w io.Writer, opts Options, agg *recommend.Aggregate) error {
	if agg == nil {
		return ErrNilAggregate
	}
	ew := &errWriter{w: w}
	x := newTr(opts, opts.Lang)
	t := &textWriter{ew: ew, opts: opts, tr: x}
	v := newAggView(opts, agg)

	head := clean(x.n("report.agg.heading", agg.Cases))
	if agg.CatalogueVersion != "" {
		head += "  " + t.paint(ansiDim, "("+clean(x.s("report.meta.catalogue", "version", agg.CatalogueVersion))+")")
	}
	ew.print(t.paint(ansiBold, head) + "\n")
	ew.print(clean(x.s("report.agg.headline", "compliant", agg.Compliant, "cases", agg.Cases,
		"rate", x.rateOrNA(agg.Rate(), agg.Cases), "invalid", x.n("report.agg.invalid", agg.Invalid))) + "\n")

	up := func(id string) string { return strings.ToUpper(clean(x.s(id))) }
	col := func(id string) string { return clean(x.s(id)) }
	if len(v.severities) > 0 {
		rows := [][]string{{up("report.agg.by_severity"), col("report.col.applicable"), col("report.col.passed"), col("report.col.gaps"), col("report.col.rate")}}
		for _, s := range v.severities {
			rows = append(rows, []string{clean(x.severity(s.severity)), itoa(s.Applicable), itoa(s.Passed), itoa(s.Gaps), t.rateOf(s.Rate, s.Applicable)})
		}
		t.table(rows, 1, nil)
	}
	if len(v.themes) > 0 {
		rows := [][]string{{up("report.agg.by_theme"), col("report.col.applicable"), col("report.col.passed"), col("report.col.rate")}}
		for _, th := range v.themes {
			rows = append(rows, []string{clean(x.theme(th.theme)), itoa(th.Applicable), itoa(th.Passed), t.rateOf(th.Rate, th.Applicable)})
		}
		t.table(rows, 1, nil)
	}
	if len(agg.Recommendations) > 0 {
		rows := [][]string{{up("report.agg.by_recommendation"), col("report.col.severity"), col("report.col.applicable"), col("report.col.passed"),
			col("report.col.gaps"), col("outcome.waived"), col("report.col.errors"), col("report.n_a"), col("report.col.rate")}}
		var titles []string
		for _, r := range agg.Recommendations {
			rows = append(rows, []string{clean(r.ID), clean(x.severity(r.Severity)), itoa(r.Applicable), itoa(r.Passed),
				itoa(r.Gaps), itoa(r.Waived), itoa(r.Errors), itoa(r.NotApplicable), t.rateOf(r.Rate, r.Applicable)})
			titles = append(titles, clean(r.Title))
		}
		t.table(rows, 2, titles)
	}
	if len(v.months) > 0 {
		rows := [][]string{{up("report.agg.by_month"), col("report.col.cases"), col("report.col.compliant"), col("report.col.rate")}}
		for _, m := range v.months {
			rows = append(rows, []string{clean(m.Month), itoa(m.Cases), itoa(m.Compliant), t.rateOf(m.rate, m.Cases)})
		}
		t.table(rows, 1, nil)
	}
	return ew.err
}

func itoa(n int) string { return fmt.Sprint(n) }

// rateOf is rate, or "n/a" when the denominator n is 0.
func (t *textWriter) rateOf(r float64, n int) string {
	if n == 0 {
		return clean(t.tr.s("report.n_a"))
	}
	return t.rate(r)
}

// rate formats a rate as a percentage, coloured when colour is on.
func (t *textWriter) rate(r float64) string {
	s := clean(t.tr.ratePercent(r))
	switch c := clampRate(r); {
	case c >= 0.9:
		return t.paint(ansiGreen, s)
	case c >= 0.6:
		return t.paint(ansiYellow, s)
	}
	return t.paint(ansiRed, s)
}

// table writes rows after a blank line: the first row is the heading (bold),
// the first left columns are left-aligned (data rows indented), the others
// right-aligned; tails, when given, follow each data row unaligned (a title).
func (t *textWriter) table(rows [][]string, left int, tails []string) {
	for _, row := range rows[1:] {
		row[0] = "  " + row[0]
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], visibleWidth(cell))
		}
	}
	t.ew.print("\n")
	for r, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-visibleWidth(cell))
			switch {
			case i == 0 && r == 0:
				b.WriteString(t.paint(ansiBold, cell) + pad)
			case i == 0:
				b.WriteString(cell + pad)
			case i < left:
				b.WriteString("  " + cell + pad)
			default:
				b.WriteString("  " + pad + cell)
			}
		}
		if r > 0 && r-1 < len(tails) && tails[r-1] != "" {
			b.WriteString("  " + tails[r-1])
		}
		t.ew.print(strings.TrimRight(b.String(), " ") + "\n")
	}
}

// visibleWidth counts the runes of s that a terminal shows, leaving out ANSI
// colour sequences.
func visibleWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			if j := strings.IndexByte(s[i:], 'm'); j >= 0 {
				i += j + 1
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}
