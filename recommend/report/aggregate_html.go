package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
)

// AggregateHTML writes agg as ONE self-contained HTML page (inline CSS and
// SVG, no script, no external request), with two charts and the tables
// behind them:
//   - compliance per recommendation: an <svg id="chart-recommendations"
//     class="chart chart-recommendations"> with one <rect class="bar …"> per
//     recommendation, in catalogue order under theme headings, each labelled
//     with its ID and title (opts.Title) and linked to its entry
//     (opts.DocURL);
//   - the trend per month: an <svg id="chart-months" class="chart
//     chart-months"> with one <rect class="column …"> per month of the
//     meeting start, its height the share of compliant cases.
//
// Tables by severity, theme, recommendation and month follow, and print
// styles keep the charts whole. Output is deterministic.
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
	Empty             bool
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
	v := newAggView(agg)
	p := aggPage{
		Catalogue: clean(agg.CatalogueVersion),
		Cases:     agg.Cases,
		Compliant: agg.Compliant,
		Invalid:   agg.Invalid,
		Rate:      rateOrNA(agg.Rate(), agg.Cases),
	}
	for _, s := range v.severities {
		p.Severities = append(p.Severities, aggRow{Label: clean(string(s.severity)), Applicable: s.Applicable, Passed: s.Passed,
			Gaps: s.Gaps, Rate: rateOrNA(s.Rate, s.Applicable), Level: level(s.Rate, s.Applicable > 0)})
	}
	for _, t := range v.themes {
		p.Themes = append(p.Themes, aggRow{Label: clean(themeTitle(t.theme)), Applicable: t.Applicable, Passed: t.Passed,
			Rate: rateOrNA(t.Rate, t.Applicable), Level: level(t.Rate, t.Applicable > 0)})
	}
	for _, m := range v.months {
		p.Months = append(p.Months, aggRow{Label: clean(m.Month), Cases: m.Cases, Compliant: m.Compliant,
			Rate: rateOrNA(m.rate, m.Cases), Level: level(m.rate, m.Cases > 0)})
	}
	for _, r := range agg.Recommendations {
		p.Recommendations = append(p.Recommendations, aggRecRow{
			ID: clean(r.ID), Title: clean(opts.title(r.ID)), URL: opts.docURL(r.ID),
			Theme: clean(themeTitle(r.Theme)), Severity: clean(string(r.Severity)),
			Applicable: r.Applicable, Passed: r.Passed, Gaps: r.Gaps, Waived: r.Waived, Errors: r.Errors,
			NotApplicable: r.NotApplicable, Rate: rateOrNA(r.Rate, r.Applicable), Level: level(r.Rate, r.Applicable > 0),
		})
	}
	p.RecChart = newRecChart(p.Recommendations)
	p.MonthChart = newMonthChart(v.months)
	return p
}

func newRecChart(rows []aggRecRow) recChart {
	c := recChart{
		Width:      recChartWidth,
		LabelX:     0,
		TrackX:     recLabelWidth,
		TrackWidth: recTrackWidth,
		ValueX:     recLabelWidth + recTrackWidth + 10,
	}
	y, theme := 0, "\x00"
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
			b.Value = fmt.Sprintf("%s (%d/%d)", r.Rate, r.Passed, r.Applicable)
		} else {
			b.Value = "n/a"
		}
		b.Tooltip = fmt.Sprintf("%s: %s passed; %d gaps, %d waived, %d errors, %d not applicable",
			strings.TrimSpace(r.ID+" "+r.Title), b.Value, r.Gaps, r.Waived, r.Errors, r.NotApplicable)
		c.Bars = append(c.Bars, b)
		y += recRow
	}
	c.Height = max(y, recRow)
	return c
}

func newMonthChart(months []aggMonth) monthChart {
	c := monthChart{
		Width:  monthChartWidth,
		Left:   monthLeft,
		AxisX:  monthLeft - 8,
		Right:  monthChartWidth - monthRight,
		Top:    monthTop,
		Bottom: monthTop + monthPlot,
		Height: monthTop + monthPlot + 44,
		Empty:  len(months) == 0,
	}
	for _, pct := range []int{0, 50, 100} {
		c.Grid = append(c.Grid, monthGrid{Y: c.Bottom - monthPlot*pct/100, Label: fmt.Sprintf("%d %%", pct)})
	}
	if len(months) == 0 {
		return c
	}
	slot := (c.Right - c.Left) / len(months)
	width := min(48, max(slot*7/10, 2))
	every := (len(months) + 15) / 16 // at most 16 month labels
	var points []string
	for i, m := range months {
		h := int(float64(monthPlot)*clampRate(m.rate) + 0.5)
		center := c.Left + slot*i + slot/2
		col := monthColumn{
			Month:     clean(m.Month),
			X:         center - width/2,
			Y:         c.Bottom - h,
			Width:     width,
			Height:    h,
			CenterX:   center,
			ValueY:    c.Bottom - h - 6,
			LabelY:    c.Bottom + 16,
			CountY:    c.Bottom + 32,
			Value:     fmt.Sprintf("%.0f %%", 100*clampRate(m.rate)),
			Count:     fmt.Sprintf("n=%d", m.Cases),
			ShowLabel: i%every == 0 || i == len(months)-1,
			Level:     level(m.rate, m.Cases > 0),
		}
		col.Tooltip = fmt.Sprintf("%s: %d of %d cases compliant (%s)", col.Month, m.Compliant, m.Cases, ratePercent(m.rate))
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
