package report

import (
	"slices"
	"strconv"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
)

// aggView is what the aggregate renderers show, in the order they show it:
// themes and severities in catalogue order (only those seen), months in
// calendar order.
type aggView struct {
	agg        *recommend.Aggregate
	themes     []aggTheme
	severities []aggSeverity
	months     []aggMonth
}

type aggTheme struct {
	theme recommend.Theme
	recommend.RateStats
}

type aggSeverity struct {
	severity recommend.Severity
	recommend.SeverityStats
}

type aggMonth struct {
	recommend.MonthStats
	rate float64 // compliant / cases, 1 when there were none
}

func newAggView(opts Options, agg *recommend.Aggregate) *aggView {
	v := &aggView{agg: agg}
	var themes []recommend.Theme
	for _, d := range opts.engine().Themes() {
		themes = append(themes, d.ID)
	}
	for _, t := range ordered(agg.Themes, themes) {
		v.themes = append(v.themes, aggTheme{t, agg.Themes[t]})
	}
	for _, s := range ordered(agg.Severities, recommend.Severities()) {
		v.severities = append(v.severities, aggSeverity{s, agg.Severities[s]})
	}
	for _, m := range agg.Months() {
		rate := 1.0
		if m.Cases > 0 {
			rate = float64(m.Compliant) / float64(m.Cases)
		}
		v.months = append(v.months, aggMonth{m, rate})
	}
	return v
}

// ordered returns the keys of m: first those of known, in its order, then
// any others sorted, so that map order never shows in the output.
func ordered[K ~string, V any](m map[K]V, known []K) []K {
	keys := make([]K, 0, len(m))
	for _, k := range known {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	var rest []K
	for k := range m {
		if !slices.Contains(known, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

// ratePercent formats a rate as a percentage with one decimal, as the
// language writes it: "66.7 %", "66,7 %".
func (x tr) ratePercent(rate float64) string {
	s := strconv.FormatFloat(100*clampRate(rate), 'f', 1, 64)
	return x.s("report.percent", "percent", strings.Replace(s, ".", x.s("report.decimal_separator"), 1))
}

// rateOrNA is ratePercent, or "n/a" when the denominator n is 0.
func (x tr) rateOrNA(rate float64, n int) string {
	if n == 0 {
		return x.s("report.n_a")
	}
	return x.ratePercent(rate)
}

// clampRate keeps a rate in [0, 1]; NaN is 0.
func clampRate(rate float64) float64 {
	switch {
	case rate != rate || rate < 0: // NaN or negative
		return 0
	case rate > 1:
		return 1
	}
	return rate
}
