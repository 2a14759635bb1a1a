package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
)

// AggregateHTML writes agg as ONE self-contained HTML page in opts.Lang
// (inline CSS and SVG, no script, no external request), with two charts and
// the tables behind them:
//   - compliance per recommendation: an <svg id="chart-recommendations"
//     class="chart chart-recommendations"> with one <rect class="bar …"> per
//     recommendation, in catalogue order under theme headings, each labelled
//     with its ID and title and linked to its entry (opts.DocURL);
//   - the trend per month: an <svg id="chart-months" class="chart
//     chart-months"> with one <rect class="column …"> per month of the
//     meeting start, its height the share of compliant cases.
//
// The charts are as wide as their longest label and value need, so that no
// count is clipped however many cases there are. Tables by severity, theme,
// recommendation and month follow, and print styles keep the charts whole.
// Output is deterministic.
func AggregateHTML(w io.Writer, opts Options, agg *recommend.Aggregate) error {
	if agg == nil {
		return ErrNilAggregate
	}
	page := newAggPage(opts, agg)
	if err := htmlTemplates.ExecuteTemplate(w, "aggregate.tmpl", page); err != nil {
		return fmt.Errorf("report: aggregate html: %w", err)
	}
	return nil
}

// aggPage is what aggregate.tmpl renders.
type aggPage struct {
	T               tr
	Lang            string
	Catalogue       string
	Cases           int
	Compliant       int
	Invalid         int
	Rate            string
	RecChart        recChart
	MonthChart      monthChart
	Severities      []aggRow
	Themes          []aggRow
	Recommendations []aggRecRow
	Months          []aggRow
}

type aggRow struct {
	Label                    string
	Cases, Compliant         int
	Applicable, Passed, Gaps int
	Rate                     string
	Level                    string
}

type aggRecRow struct {
	ID, Title, URL, Theme, Severity                         string
	Applicable, Passed, Gaps, Waived, Errors, NotApplicable int
	Rate                                                    string
	Level                                                   string
}

// recChart is the geometry of the chart of compliance per recommendation.
type recChart struct {
	Empty              string // "No results.", when there are none
	Width, Height      int
	LabelX             int
	TrackX, TrackWidth int
	ValueX             int
	Headings           []recHeading
	Bars               []recBar
}

type recHeading struct {
	Label string
	Y     int
}

type recBar struct {
	ID, Label, URL, Tooltip string
	Y, TextY, Width         int
	Value                   string
	Level                   string
}

// monthChart is the geometry of the trend per month.
type monthChart struct {
	Width, Height     int
	Left, Top, Bottom int // plot area: x from Left, y from Top (100 %) to Bottom (0 %)
	Right             int
	AxisX             int // right end of the axis labels
	Grid              []monthGrid
	Columns           []monthColumn
	Points            string // the polyline through the column tops
	Empty             string // "No cases.", when there are none
}

type monthGrid struct {
	Y     int
	Label string
}

type monthColumn struct {
	Month, Tooltip          string
	X, Y, Width, Height     int
	CenterX, ValueY, LabelY int
	CountY                  int
	Value, Count            string
	ShowLabel               bool
	Level                   string
}

// Chart geometry, in SVG user units.
const (
	recChartWidth   = 900
	recRow          = 22
	recHeadingRow   = 28
	recLabelWidth   = 340
	recTrackWidth   = 420
	recBarHeight    = 14
	recTitleRunes   = 36
	monthChartWidth = 900
	monthTop        = 24
	monthPlot       = 180
	monthLeft       = 48
	monthRight      = 16
)

// level is the colour class of a rate.
func level(rate float64, applicable bool) string {
	switch r := clampRate(rate); {
	case !applicable:
		return "none"
	case r >= 0.9:
		return "good"
	case r >= 0.6:
		return "fair"
	}
	return "poor"
}

func newAggPage(opts Options, agg *recommend.Aggregate) aggPage {
	x := newTr(opts, opts.Lang)
	v := newAggView(opts, agg)
	p := aggPage{
		T:         x,
		Lang:      x.lang.String(),
		Catalogue: clean(agg.CatalogueVersion),
		Cases:     agg.Cases,
		Compliant: agg.Compliant,
		Invalid:   agg.Invalid,
		Rate:      clean(x.rateOrNA(agg.Rate(), agg.Cases)),
	}
	for _, s := range v.severities {
		p.Severities = append(p.Severities, aggRow{Label: clean(x.severity(s.severity)), Applicable: s.Applicable, Passed: s.Passed,
			Gaps: s.Gaps, Rate: clean(x.rateOrNA(s.Rate, s.Applicable)), Level: level(s.Rate, s.Applicable > 0)})
	}
	for _, t := range v.themes {
		p.Themes = append(p.Themes, aggRow{Label: clean(x.theme(t.theme)), Applicable: t.Applicable, Passed: t.Passed,
			Rate: clean(x.rateOrNA(t.Rate, t.Applicable)), Level: level(t.Rate, t.Applicable > 0)})
	}
	for _, m := range v.months {
		p.Months = append(p.Months, aggRow{Label: clean(m.Month), Cases: m.Cases, Compliant: m.Compliant,
			Rate: clean(x.rateOrNA(m.rate, m.Cases)), Level: level(m.rate, m.Cases > 0)})
	}
	for _, r := range agg.Recommendations {
		p.Recommendations = append(p.Recommendations, aggRecRow{
			ID: clean(r.ID), Title: clean(r.Title), URL: opts.docURL(r.ID),
			Theme: clean(x.theme(r.Theme)), Severity: clean(x.severity(r.Severity)),
			Applicable: r.Applicable, Passed: r.Passed, Gaps: r.Gaps, Waived: r.Waived, Errors: r.Errors,
			NotApplicable: r.NotApplicable, Rate: clean(x.rateOrNA(r.Rate, r.Applicable)), Level: level(r.Rate, r.Applicable > 0),
		})
	}
	p.RecChart = newRecChart(x, p.Recommendations)
	p.MonthChart = newMonthChart(x, v.months)
	return p
}

func newRecChart(x tr, rows []aggRecRow) recChart {
	c := recChart{
		LabelX:     0,
		TrackX:     recLabelWidth,
		TrackWidth: recTrackWidth,
		ValueX:     recLabelWidth + recTrackWidth + 10,
	}
	y, theme, valueWidth := 0, "\x00", 0
	for _, r := range rows {
		if r.Theme != theme {
			theme = r.Theme
			c.Headings = append(c.Headings, recHeading{Label: r.Theme, Y: y + recHeadingRow - 8})
			y += recHeadingRow
		}
		label := r.ID
		if r.Title != "" {
			label += "  " + truncate(r.Title, recTitleRunes)
		}
		b := recBar{
			ID:    r.ID,
			Label: label,
			URL:   r.URL,
			Y:     y + (recRow-recBarHeight)/2,
			TextY: y + recRow/2 + 4,
			Level: r.Level,
		}
		if r.Applicable > 0 {
			pct := clampRate(float64(r.Passed) / float64(r.Applicable))
			b.Width = int(float64(recTrackWidth)*pct + 0.5)
			b.Value = clean(x.s("report.rate_of", "rate", r.Rate, "passed", r.Passed, "applicable", r.Applicable))
		} else {
			b.Value = clean(x.s("report.n_a"))
		}
		b.Tooltip = clean(x.s("report.agg.bar", "recommendation", strings.TrimSpace(r.ID+" "+r.Title), "value", b.Value,
			"gaps", x.n("report.count.gaps", r.Gaps), "waived", r.Waived, "errors", x.n("report.count.errors", r.Errors),
			"not_applicable", r.NotApplicable))
		valueWidth = max(valueWidth, textWidth(b.Value))
		c.Bars = append(c.Bars, b)
		y += recRow
	}
	if len(rows) == 0 {
		c.Empty = clean(x.s("report.agg.no_results"))
	}
	// As wide as the longest value needs: "100.0 % (123456/123456)" is not clipped.
	c.Width = max(recChartWidth, c.ValueX+valueWidth+4)
	c.Height = max(y, recRow)
	return c
}

func newMonthChart(x tr, months []aggMonth) monthChart {
	c := monthChart{
		Width:  monthChartWidth,
		Left:   monthLeft,
		AxisX:  monthLeft - 8,
		Top:    monthTop,
		Bottom: monthTop + monthPlot,
		Height: monthTop + monthPlot + 44,
	}
	if len(months) == 0 {
		c.Empty = clean(x.s("report.agg.no_cases"))
	}
	// Each column's slot is as wide as its widest text (value, month,
	// count), so that 123,456 cases in a month fit under its column.
	slot := 0
	var cols []monthColumn
	for _, m := range months {
		col := monthColumn{
			Month: clean(m.Month),
			Value: clean(x.s("report.percent", "percent", int(100*clampRate(m.rate)+0.5))),
			Count: clean(x.s("report.agg.count", "cases", m.Cases)),
			Level: level(m.rate, m.Cases > 0),
		}
		col.Tooltip = clean(x.s("report.agg.month", "month", col.Month, "compliant", m.Compliant,
			"cases", x.n("report.agg.cases", m.Cases), "rate", x.ratePercent(m.rate)))
		slot = max(slot, textWidth(col.Month), textWidth(col.Value), textWidth(col.Count))
		cols = append(cols, col)
	}
	// Label one month in every "every" (at most 16 labels); each label has
	// room for its text, and the chart widens when the labels need it rather
	// than clip them (the page scales it down to fit).
	plot := monthChartWidth - monthLeft - monthRight
	need := slot + 8
	every := 1
	if n := len(months); n > 0 {
		every = max(1, (n+15)/16)
		slot = max(plot/n, (need+every-1)/every, 2)
	}
	c.Right = c.Left + slot*len(months)
	if len(months) == 0 {
		c.Right = c.Left + plot
	}
	c.Width = max(monthChartWidth, c.Right+monthRight)
	for _, pct := range []int{0, 50, 100} {
		c.Grid = append(c.Grid, monthGrid{Y: c.Bottom - monthPlot*pct/100, Label: clean(x.s("report.percent", "percent", pct))})
	}
	width := min(48, max(slot*7/10, 2))
	var points []string
	for i, m := range months {
		col := cols[i]
		h := int(float64(monthPlot)*clampRate(m.rate) + 0.5)
		center := c.Left + slot*i + slot/2
		col.X = center - width/2
		col.Y = c.Bottom - h
		col.Width = width
		col.Height = h
		col.CenterX = center
		col.ValueY = c.Bottom - h - 6
		col.LabelY = c.Bottom + 16
		col.CountY = c.Bottom + 32
		col.ShowLabel = i%every == 0
		c.Columns = append(c.Columns, col)
		points = append(points, fmt.Sprintf("%d,%d", center, col.Y))
	}
	c.Points = strings.Join(points, " ")
	return c
}

// truncate shortens s to at most n runes, ending with "…" when cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
