package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
)

//go:embed html.tmpl aggregate.tmpl style.tmpl
var templateFiles embed.FS

// htmlTemplates holds the page of reports (html.tmpl), the page of an
// aggregate (aggregate.tmpl) and their shared style sheet, parsed once.
// html/template escapes every value for its context (text, attribute, URL),
// so report text cannot add markup or script.
var htmlTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"lower": strings.ToLower,
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}).ParseFS(templateFiles, "html.tmpl", "aggregate.tmpl", "style.tmpl"))

// HTML writes reps as ONE self-contained HTML page: inline CSS and inline SVG,
// no script, no external request (a Content-Security-Policy in the page
// forbids them), so the file can be mailed, archived or opened offline. Per
// report it shows the verdict, an SVG bar chart of the theme scores (an
// <svg class="score-bars"> with one <rect class="bar"> per theme), the gaps
// grouped by severity with their findings and remedies and links to the
// catalogue entries (opts.DocURL), the waived results and rule errors, and the
// passes listed as evidence. With more than one report the page starts with an
// overview table linking to each. Print styles start each report on a new
// page and keep the colours of the charts. Output is deterministic.
func HTML(w io.Writer, opts Options, reps ...*recommend.Report) error {
	if err := checkReports(reps); err != nil {
		return err
	}
	page := htmlPage{Title: "collabmeet check"}
	seen := make(map[string]bool, len(reps))
	for i, rep := range reps {
		c := newHTMLCase(opts, rep, htmlAnchor(rep, i, seen))
		if rep.Compliant {
			page.Compliant++
		}
		page.Cases = append(page.Cases, c)
	}
	if len(reps) == 1 {
		page.Title = "collabmeet check: meeting " + reps[0].MeetingID.String()
	}
	if err := htmlTemplates.ExecuteTemplate(w, "html.tmpl", page); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return nil
}

// htmlPage is what html.tmpl renders.
type htmlPage struct {
	Title     string
	Cases     []htmlCase
	Compliant int
}

type htmlCase struct {
	Anchor    string // id of the section, unique in the page
	MeetingID string
	Compliant bool
	Phase     string
	Profile   string
	Catalogue string
	Start     string
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
	Title    string
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
	Findings      []htmlFinding
}

type htmlFinding struct {
	Role      string
	SubjectID string
	Path      string
	Message   string
	Remedy    string
}

// htmlChart is the geometry of the theme score bars, in SVG user units.
type htmlChart struct {
	ID            string
	Width, Height int
	TrackX        int
	TrackWidth    int
	LabelX        int // right end of the theme labels
	ValueX        int // left end of the percentages
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
	v := newView(rep)
	c := htmlCase{
		Anchor:    anchor,
		MeetingID: rep.MeetingID.String(),
		Compliant: rep.Compliant,
		Phase:     clean(string(rep.Phase)),
		Profile:   clean(string(rep.Profile)),
		Catalogue: clean(rep.CatalogueVersion),
		Summary:   rep.Summary,
		GapCount:  v.gapCount(),
	}
	if !rep.MeetingStart.IsZero() {
		c.Start = rep.MeetingStart.Format("2006-01-02 15:04 -07:00")
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
			Label:      themeTitle(ts.theme),
			Y:          i*chartRow + (chartRow-chartBarHeight)/2,
			TextY:      i*chartRow + chartRow/2 + 5,
			Percent:    percent(ts.Score),
			Passed:     ts.Passed,
			Applicable: ts.Applicable,
		}
		switch {
		case ts.Applicable == 0:
			b.Level = "none"
		case b.Percent >= 90:
			b.Level = "good"
		case b.Percent >= 60:
			b.Level = "fair"
		default:
			b.Level = "poor"
		}
		if ts.Applicable > 0 {
			b.Width = chartTrackWidth * b.Percent / 100
		}
		c.Chart.Bars = append(c.Chart.Bars, b)
	}
	c.Chart.Height = len(c.Chart.Bars) * chartRow

	for _, g := range v.gaps {
		if len(g.results) == 0 && !g.severity.Valid() {
			continue
		}
		class := string(g.severity)
		if !g.severity.Valid() {
			class = "other"
		}
		hg := htmlGroup{Severity: class, Title: severityTitle(g.severity) + " gaps"}
		for _, r := range g.results {
			hg.Results = append(hg.Results, newHTMLResult(opts, r))
		}
		c.Groups = append(c.Groups, hg)
	}
	for _, r := range v.waived {
		c.Waived = append(c.Waived, newHTMLResult(opts, r))
	}
	for _, r := range v.errors {
		hr := newHTMLResult(opts, r)
		if r.Outcome != recommend.OutcomeError {
			hr.Error = fmt.Sprintf("unknown outcome %q", string(r.Outcome))
		}
		c.Errors = append(c.Errors, hr)
	}
	for _, r := range v.passes {
		c.Passes = append(c.Passes, newHTMLResult(opts, r))
	}
	for _, r := range v.notApplicable {
		c.NotApp = append(c.NotApp, newHTMLResult(opts, r))
	}
	return c
}

func newHTMLResult(opts Options, r recommend.Result) htmlResult {
	hr := htmlResult{
		ID:            clean(r.ID),
		Title:         clean(opts.title(r.ID)),
		URL:           opts.docURL(r.ID),
		Theme:         clean(themeTitle(r.Theme)),
		Severity:      clean(string(r.Severity)),
		Reason:        clean(r.WaiverReason),
		Error:         clean(r.Error),
		WaiverExpired: r.WaiverExpired,
	}
	for _, f := range r.Findings {
		hf := htmlFinding{Role: clean(string(f.SubjectRole)), Path: clean(f.Path), Message: clean(f.Message), Remedy: clean(f.Remedy)}
		if f.SubjectID != uuid.Nil {
			hf.SubjectID = f.SubjectID.String()
		}
		hr.Findings = append(hr.Findings, hf)
	}
	return hr
}
