package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
)

// view sorts the results of one report into what every format shows: the
// gaps grouped by severity (most serious first), then the waived results, the
// errors, the passes (the evidence) and the recommendations that did not apply.
type view struct {
	rep           *recommend.Report
	gaps          []severityGroup // one per severity, required first; only groups with gaps after the known three
	waived        []recommend.Result
	errors        []recommend.Result
	passes        []recommend.Result
	notApplicable []recommend.Result
}

// severityGroup is the gaps of one severity.
type severityGroup struct {
	severity recommend.Severity
	results  []recommend.Result
}

// findings counts the findings of the group.
func (g severityGroup) findings() int {
	n := 0
	for _, r := range g.results {
		n += len(r.Findings)
	}
	return n
}

func newView(rep *recommend.Report) *view {
	v := &view{rep: rep}
	for _, s := range recommend.Severities {
		v.gaps = append(v.gaps, severityGroup{severity: s})
	}
	for _, r := range rep.Results {
		switch r.Outcome {
		case recommend.OutcomePass:
			v.passes = append(v.passes, r)
		case recommend.OutcomeNotApplicable:
			v.notApplicable = append(v.notApplicable, r)
		case recommend.OutcomeWaived:
			v.waived = append(v.waived, r)
		case recommend.OutcomeGap:
			v.addGap(r)
		default: // error, or an outcome this version does not know
			v.errors = append(v.errors, r)
		}
	}
	return v
}

func (v *view) addGap(r recommend.Result) {
	for i := range v.gaps {
		if v.gaps[i].severity == r.Severity {
			v.gaps[i].results = append(v.gaps[i].results, r)
			return
		}
	}
	v.gaps = append(v.gaps, severityGroup{severity: r.Severity, results: []recommend.Result{r}})
}

// gapCount is the number of results with outcome gap.
func (v *view) gapCount() int {
	n := 0
	for _, g := range v.gaps {
		n += len(g.results)
	}
	return n
}

// subject names the subject of a finding by role and ID, "meeting" when the
// meeting as a whole is the subject.
func subject(f recommend.Finding) string {
	switch {
	case f.SubjectID == uuid.Nil && f.SubjectRole == "":
		return "meeting"
	case f.SubjectID == uuid.Nil:
		return string(f.SubjectRole)
	case f.SubjectRole == "":
		return f.SubjectID.String()
	}
	return string(f.SubjectRole) + " " + f.SubjectID.String()
}

// severityTitle is the heading of a severity group.
func severityTitle(s recommend.Severity) string {
	switch s {
	case "":
		return "Unknown severity"
	case recommend.SeverityRequired, recommend.SeverityRecommended, recommend.SeverityAdvisory:
		return strings.ToUpper(string(s[:1])) + string(s[1:])
	}
	return "Severity " + string(s)
}

// themeTitle is how a theme is shown to people.
func themeTitle(t recommend.Theme) string {
	switch t {
	case recommend.ThemePatientCentredness:
		return "Patient-centredness"
	case recommend.ThemeCommonActionPlan:
		return "Common action plan"
	case recommend.ThemeMeetingClimate:
		return "Meeting climate"
	case recommend.ThemeCrossSector:
		return "Cross-sector"
	case recommend.ThemePathway:
		return "Pathway"
	}
	return string(t)
}

// themeScores lists the theme scores of the summary in catalogue order.
func themeScores(s recommend.Summary) []themeScore {
	return []themeScore{
		{recommend.ThemePatientCentredness, s.Themes.PatientCentredness},
		{recommend.ThemeCommonActionPlan, s.Themes.CommonActionPlan},
		{recommend.ThemeMeetingClimate, s.Themes.MeetingClimate},
		{recommend.ThemeCrossSector, s.Themes.CrossSector},
		{recommend.ThemePathway, s.Themes.Pathway},
	}
}

// themeScore is one theme's score with its theme.
type themeScore struct {
	theme recommend.Theme
	recommend.ThemeScore
}

// percent is the score as a whole percentage in [0, 100]; a score outside
// [0, 1] or NaN is clamped.
func percent(score float64) int {
	if math.IsNaN(score) || score < 0 {
		return 0
	}
	if score > 1 {
		return 100
	}
	return int(math.Round(score * 100))
}

// verdict is "compliant" or "not compliant".
func verdict(rep *recommend.Report) string {
	if rep.Compliant {
		return "compliant"
	}
	return "not compliant"
}

// summaryLine is the one-line summary of a report that text and Markdown end with.
func summaryLine(rep *recommend.Report) string {
	s := rep.Summary
	return fmt.Sprintf("%s: gaps %d required, %d recommended, %d advisory; %d passed, %d not applicable, %d waived, %s",
		verdict(rep), s.Gaps.Required, s.Gaps.Recommended, s.Gaps.Advisory,
		s.Outcomes.Pass, s.Outcomes.NotApplicable, s.Outcomes.Waived, plural(s.Outcomes.Error, "error", "errors"))
}

// oneLine folds line breaks and tabs into spaces so that a message cannot break
// a line-oriented layout.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t\v\f") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// clean makes s safe for a line-oriented, terminal or Markdown layout: line
// breaks and tabs become spaces, and other control characters (which could
// drive a terminal, e.g. ESC) become U+FFFD.
func clean(s string) string {
	s = oneLine(s)
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
}
