package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
)

//go:embed html.tmpl aggregate.tmpl style.tmpl
var templateFiles embed.FS

// htmlTemplates holds the page of reports (html.tmpl), the page of an
// aggregate (aggregate.tmpl) and their shared style sheet, parsed once.
// html/template escapes every value for its context (text, attribute, URL),
// so report text cannot add markup or script. Every text of the templates is
// a message: {{t "report.html.title"}}, or {{tn "report.count.gaps" .N}}
// for a plural, both in the page's language (.T).
var htmlTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"lower": strings.ToLower,
	"t":     func(x tr, id string, kv ...any) string { return x.s(id, kv...) },
	"tn":    func(x tr, id string, n int, kv ...any) string { return x.n(id, n, kv...) },
	"upper": upperFirst,
	"sev":   func(s string) recommend.Severity { return recommend.Severity(s) },
}).ParseFS(templateFiles, "html.tmpl", "aggregate.tmpl", "style.tmpl"))

// HTML writes reps as ONE self-contained HTML page: inline CSS and inline SVG,
// no script, no external request (a Content-Security-Policy in the page
// forbids them), so the file can be mailed, archived or opened offline. The
// page is in the language of its first report (<html lang="...">; each
// report's section in its own). Per report it shows the verdict, an SVG bar
// chart of the theme scores (an <svg class="score-bars"> with one <rect
// class="bar"> per theme), the gaps grouped by severity with their findings
// (subject for people, path, code, message, what to do, whether it can be
// fixed automatically) and links to the catalogue entries (opts.DocURL), the
// waived results and rule errors, and the passes listed as evidence. With
// more than one report the page starts with an overview table linking to
// each. Print styles start each report on a new page and keep the colours of
// the charts. Output is deterministic.
func HTML(w io.Writer, opts Options, reps ...*recommend.Report) error {
	if err := checkReports(reps); err != nil {
		return err
	}
	lang := opts.Lang
	if len(reps) > 0 {
		lang = reps[0].Lang
	}
	x := newTr(opts, lang)
	page := htmlPage{T: x, Lang: x.lang.String(), Title: x.s("report.html.title")}
	seen := make(map[string]bool, len(reps))
	for i, rep := range reps {
		c := newHTMLCase(opts, rep, htmlAnchor(rep, i, seen))
		if rep.Compliant {
			page.Compliant++
		}
		page.Cases = append(page.Cases, c)
	}
	if len(reps) == 1 {
		page.Title = x.s("report.html.title_one", "id", reps[0].MeetingID.String())
	}
	if err := htmlTemplates.ExecuteTemplate(w, "html.tmpl", page); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return nil
}

// htmlPage is what html.tmpl renders.
type htmlPage struct {
	T         tr
	Lang      string
	Title     string
	Cases     []htmlCase
	Compliant int
}

type htmlCase struct {
	T         tr
	Lang      string
	Anchor    string // id of the section, unique in the page
	Meta      []string
	Source    string
	MeetingID string
	Compliant bool
	Chart     htmlChart
	Groups    []htmlGroup
	Waived    []htmlResult
	Errors    []htmlResult
	Passes    []htmlResult
	NotApp    []htmlResult
	Summary   recommend.Summary
	GapCount  int
}

type htmlGroup struct {
	Severity string // class suffix: required, recommended, advisory, other
	Title    string // "Required gaps"
	Results  []htmlResult
}

type htmlResult struct {
	ID            string
	Title         string
	URL           string
	Theme         string
	Severity      string
	Reason        string
	Error         string
	WaiverExpired bool
	Omitted       int
	Findings      []htmlFinding
}

type htmlFinding struct {
	Subject   string
	SubjectID string
	Path      string
	Code      string
	Message   string
	Remedy    string
	Fixable   string // "can be fixed automatically: ...", or ""
}

// htmlChart is the geometry of the theme score bars, in SVG user units.
type htmlChart struct {
	ID            string
	Width, Height int
	TrackX        int
	TrackWidth    int
	LabelX        int // right end of the theme labels
	LabelWidth    int // of the longest label
	ValueX        int // left end of the percentages
	ValueWidth    int // of the longest value
	Bars          []htmlBar
}

type htmlBar struct {
	Theme      string
	Label      string
	Y, TextY   int
	Width      int // of the filled part
	Percent    int
	Passed     int
	Applicable int
	Level      string // good, fair, poor, none: the colour class
	Value      string // "40 % (2/5)", "n/a"
	Tooltip    string
}

// Chart geometry.
const (
	chartWidth      = 700
	chartRow        = 30
	chartTrackX     = 190
	chartTrackWidth = 360
	chartBarHeight  = 16
)

// htmlAnchor is the id of the section of the report at index i: "case-" and
// the meeting ID, with "-" and the 1-based index appended when the meeting
// ID is nil or already used in the page, so that ids stay unique.
func htmlAnchor(rep *recommend.Report, i int, seen map[string]bool) string {
	anchor := "case-" + rep.MeetingID.String()
	if rep.MeetingID == uuid.Nil || seen[anchor] {
		anchor = fmt.Sprintf("%s-%d", anchor, i+1)
	}
	seen[anchor] = true
	return anchor
}

func newHTMLCase(opts Options, rep *recommend.Report, anchor string) htmlCase {
	x := newTr(opts, rep.Lang)
	v := newView(rep)
	c := htmlCase{
		T:         x,
		Lang:      x.lang.String(),
		Anchor:    anchor,
		Meta:      x.meta(rep),
		Source:    clean(rep.Source),
		MeetingID: rep.MeetingID.String(),
		Compliant: rep.Compliant,
		Summary:   rep.Summary,
		GapCount:  v.gapCount(),
	}
	for i := range c.Meta {
		c.Meta[i] = clean(c.Meta[i])
	}

	c.Chart = htmlChart{
		ID:         "scores-" + strings.TrimPrefix(anchor, "case-"),
		Width:      chartWidth,
		TrackX:     chartTrackX,
		TrackWidth: chartTrackWidth,
		LabelX:     chartTrackX - 12,
		ValueX:     chartTrackX + chartTrackWidth + 10,
	}
	for i, ts := range themeScores(rep.Summary) {
		b := htmlBar{
			Theme:      string(ts.theme),
			Label:      clean(x.theme(ts.theme)),
			Y:          i*chartRow + (chartRow-chartBarHeight)/2,
			TextY:      i*chartRow + chartRow/2 + 5,
			Percent:    percent(ts.Score),
			Passed:     ts.Passed,
			Applicable: ts.Applicable,
		}
		switch {
		case ts.Applicable == 0:
			b.Level = "none"
			b.Value = x.s("report.n_a")
			b.Tooltip = x.s("report.html.bar_none", "theme", b.Label)
		case b.Percent >= 90:
			b.Level = "good"
		case b.Percent >= 60:
			b.Level = "fair"
		default:
			b.Level = "poor"
		}
		if ts.Applicable > 0 {
			b.Width = chartTrackWidth * b.Percent / 100
			b.Value = x.s("report.rate_of", "rate", x.s("report.percent", "percent", b.Percent), "passed", ts.Passed, "applicable", ts.Applicable)
			b.Tooltip = x.s("report.html.bar", "theme", b.Label, "passed", ts.Passed, "applicable", ts.Applicable, "percent", b.Percent)
		}
		c.Chart.ValueWidth = max(c.Chart.ValueWidth, textWidth(b.Value))
		c.Chart.LabelWidth = max(c.Chart.LabelWidth, textWidth(b.Label))
		c.Chart.Bars = append(c.Chart.Bars, b)
	}
	// Room for the longest label and value: shift the track right, and
	// widen the chart, rather than clip them.
	if c.Chart.LabelWidth+12 > c.Chart.TrackX {
		c.Chart.TrackX = c.Chart.LabelWidth + 12
		c.Chart.LabelX = c.Chart.TrackX - 12
		c.Chart.ValueX = c.Chart.TrackX + chartTrackWidth + 10
	}
	c.Chart.Width = max(chartWidth, c.Chart.ValueX+c.Chart.ValueWidth+4)
	c.Chart.Height = len(c.Chart.Bars) * chartRow

	for _, g := range v.gaps {
		if len(g.results) == 0 && !g.severity.Valid() {
			continue
		}
		class := string(g.severity)
		if !g.severity.Valid() {
			class = "other"
		}
		hg := htmlGroup{Severity: class, Title: clean(upperFirst(x.s("report.heading.gaps_of", "severity", x.severity(g.severity))))}
		for _, r := range g.results {
			hg.Results = append(hg.Results, newHTMLResult(opts, x, r))
		}
		c.Groups = append(c.Groups, hg)
	}
	for _, r := range v.waived {
		c.Waived = append(c.Waived, newHTMLResult(opts, x, r))
	}
	for _, r := range v.errors {
		hr := newHTMLResult(opts, x, r)
		hr.Error = clean(x.problem(r))
		c.Errors = append(c.Errors, hr)
	}
	for _, r := range v.passes {
		c.Passes = append(c.Passes, newHTMLResult(opts, x, r))
	}
	for _, r := range v.notApplicable {
		c.NotApp = append(c.NotApp, newHTMLResult(opts, x, r))
	}
	return c
}

func newHTMLResult(opts Options, x tr, r recommend.Result) htmlResult {
	hr := htmlResult{
		ID:            clean(r.ID),
		Title:         clean(r.Title),
		URL:           opts.resultDoc(&r),
		Theme:         clean(x.theme(r.Theme)),
		Severity:      clean(x.severity(r.Severity)),
		Reason:        clean(r.WaiverReason),
		Error:         clean(r.Error),
		WaiverExpired: r.WaiverExpired,
		Omitted:       r.Omitted,
	}
	for _, f := range r.Findings {
		hf := htmlFinding{Subject: clean(f.Subject), Path: clean(f.Path), Code: clean(f.Code),
			Message: clean(f.Message), Remedy: clean(f.Remedy), Fixable: clean(x.fixable(f))}
		if f.SubjectID != uuid.Nil {
			hf.SubjectID = f.SubjectID.String()
		}
		hr.Findings = append(hr.Findings, hf)
	}
	return hr
}

// textWidth estimates the width of s in SVG user units at the charts' font
// size (13px): 8 units a character, more than the average of a
// proportional font, so that an estimate never clips.
func textWidth(s string) int { return 8 * utf8.RuneCountInString(s) }
