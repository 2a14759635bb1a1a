package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
)

// AggregateCSV writes agg as one CSV table (RFC 4180, comma-separated, with
// a header row) for spreadsheets. The first column, kind, says what a row
// counts: one "summary" row (key = catalogue version; cases, compliant,
// invalid and the compliant rate), then one "recommendation" row per
// recommendation in catalogue order (key = ID), one "theme" row per theme,
// one "severity" row per severity, and one "month" row per month of the
// meeting start in calendar order (rate = compliant / cases). Columns that do
// not apply to a kind are empty. Rates have four decimals. A text cell that
// a spreadsheet would take for a formula (starting with =, +, -, @, tab or
// carriage return) is prefixed with an apostrophe. opts is not used.
func AggregateCSV(w io.Writer, opts Options, agg *recommend.Aggregate) error {
	if agg == nil {
		return ErrNilAggregate
	}
	v := newAggView(opts, agg)
	itoa := strconv.Itoa
	ftoa := func(f float64) string { return strconv.FormatFloat(clampRate(f), 'f', 4, 64) }
	rows := [][]string{
		{"kind", "key", "theme", "severity", "cases", "compliant", "invalid", "applicable", "passed", "gaps", "waived", "errors", "not_applicable", "rate"},
		{"summary", agg.CatalogueVersion, "", "", itoa(agg.Cases), itoa(agg.Compliant), itoa(agg.Invalid), "", "", "", "", "", "", ftoa(agg.Rate())},
	}
	for _, r := range agg.Recommendations {
		rows = append(rows, []string{"recommendation", r.ID, string(r.Theme), string(r.Severity), "", "", "",
			itoa(r.Applicable), itoa(r.Passed), itoa(r.Gaps), itoa(r.Waived), itoa(r.Errors), itoa(r.NotApplicable), ftoa(r.Rate)})
	}
	for _, t := range v.themes {
		rows = append(rows, []string{"theme", string(t.theme), string(t.theme), "", "", "", "", itoa(t.Applicable), itoa(t.Passed), "", "", "", "", ftoa(t.Rate)})
	}
	for _, s := range v.severities {
		rows = append(rows, []string{"severity", string(s.severity), "", string(s.severity), "", "", "", itoa(s.Applicable), itoa(s.Passed), itoa(s.Gaps), "", "", "", ftoa(s.Rate)})
	}
	for _, m := range v.months {
		rows = append(rows, []string{"month", m.Month, "", "", itoa(m.Cases), itoa(m.Compliant), "", "", "", "", "", "", "", ftoa(m.rate)})
	}
	for _, row := range rows[1:] {
		for i := 1; i <= 3; i++ { // key, theme, severity: the text columns
			row[i] = csvCell(row[i])
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil { // WriteAll flushes
		return err
	}
	return cw.Error()
}

// csvCell defuses a cell that a spreadsheet would evaluate as a formula.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
