package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureAggregate folds the fixture reports, moved to three months, and
// two invalid inputs.
func fixtureAggregate() *recommend.Aggregate {
	var agg recommend.Aggregate
	for i, month := range []time.Month{time.April, time.May, time.May, time.July} {
		for _, rep := range []*recommend.Report{mixedReport(), compliantReport()} {
			if i%2 == 1 && !rep.Compliant {
				continue
			}
			rep.MeetingStart = time.Date(2026, month, 4+i, 9, 0, 0, 0, time.UTC)
			agg.Add(rep)
		}
	}
	agg.AddInvalid()
	agg.AddInvalid()
	return &agg
}

// generatedAggregate checks n synthetic cases with the engine.
func generatedAggregate(t *testing.T, n int) (*recommend.Aggregate, report.Options) {
	t.Helper()
	engine := newEngine(t, recommend.English)
	g := casegen.New(7)
	var agg recommend.Aggregate
	for range n {
		agg.Add(engine.Check(g.Case()))
	}
	return &agg, report.Options{}
}

func TestGoldenAggregate(t *testing.T) {
	tests := []struct {
		golden string
		render report.AggregateFunc
		opts   report.Options
		agg    *recommend.Aggregate
	}{
		{"aggregate-text.golden", report.AggregateText, fixtureOptions(), fixtureAggregate()},
		{"aggregate-text-color.golden", report.AggregateText, colorOptions(), fixtureAggregate()},
		{"aggregate-markdown.golden", report.AggregateMarkdown, fixtureOptions(), fixtureAggregate()},
		{"aggregate-json.golden", report.AggregateJSON, fixtureOptions(), fixtureAggregate()},
		{"aggregate-csv.golden", report.AggregateCSV, fixtureOptions(), fixtureAggregate()},
		{"aggregate-html.golden", report.AggregateHTML, fixtureOptions(), fixtureAggregate()},
		{"aggregate-empty-text.golden", report.AggregateText, report.Options{}, &recommend.Aggregate{}},
		{"aggregate-empty-html.golden", report.AggregateHTML, report.Options{}, &recommend.Aggregate{}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, tt.render(&buf, tt.opts, tt.agg))
			golden(t, tt.golden, buf.Bytes())

			var again bytes.Buffer
			require.NoError(t, tt.render(&again, tt.opts, tt.agg))
			assert.Equal(t, buf.Bytes(), again.Bytes(), "identical input, byte-identical output")
		})
	}
}

// aggregateFormats are the formats that render aggregates.
func aggregateFormats() []report.Format {
	var out []report.Format
	for _, f := range report.Formats() {
		if f.Aggregate != nil {
			out = append(out, f)
		}
	}
	return out
}

func TestAggregateFormats(t *testing.T) {
	for _, format := range aggregateFormats() {
		t.Run(format.Name, func(t *testing.T) {
			f := format.Aggregate
			assert.ErrorIs(t, f(&bytes.Buffer{}, report.Options{}, nil), report.ErrNilAggregate)
			for _, n := range []int{0, 10, 300} {
				assert.ErrorIs(t, f(&failingWriter{n: n}, fixtureOptions(), fixtureAggregate()), errDiskFull, "after %d bytes", n)
			}
		})
	}
}

func TestAggregateJSONRoundTrips(t *testing.T) {
	agg := fixtureAggregate()
	var buf bytes.Buffer
	require.NoError(t, report.AggregateJSON(&buf, report.Options{}, agg))
	var back recommend.Aggregate
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, recommend.AggregateSchema, back.Schema)
	assert.Equal(t, agg.Cases, back.Cases)
	assert.Equal(t, agg.Invalid, back.Invalid)
	assert.Equal(t, agg.Months(), back.Months())
	var again bytes.Buffer
	require.NoError(t, report.AggregateJSON(&again, report.Options{}, &back))
	assert.Equal(t, buf.String(), again.String())
}

func TestAggregateCSVParsesBack(t *testing.T) {
	agg := fixtureAggregate()
	var buf bytes.Buffer
	require.NoError(t, report.AggregateCSV(&buf, report.Options{}, agg))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)

	kinds := map[string]int{}
	for _, row := range rows[1:] {
		require.Len(t, row, len(rows[0]))
		kinds[row[0]]++
	}
	assert.Equal(t, map[string]int{
		"summary":        1,
		"recommendation": len(agg.Recommendations),
		"theme":          len(agg.Themes),
		"severity":       len(agg.Severities),
		"month":          len(agg.Months()),
	}, kinds)
	assert.Equal(t, []string{"summary", "2026.1", "", "", "6", "4", "2", "", "", "", "", "", "", "0.6667"}, rows[1])
}

func TestAggregateCSVDefusesFormulas(t *testing.T) {
	var agg recommend.Aggregate
	rep := compliantReport()
	rep.Results[0].ID = "=HYPERLINK(\"x\")"
	agg.Add(rep)
	var buf bytes.Buffer
	require.NoError(t, report.AggregateCSV(&buf, report.Options{}, &agg))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, "'=HYPERLINK(\"x\")", rows[2][1])
}

func TestAggregateEscapesText(t *testing.T) {
	var agg recommend.Aggregate
	agg.Add(hostileReport())
	opts := hostileOptions()

	out := renderAggregate(t, report.AggregateHTML, opts, &agg)
	assert.NotContains(t, out, "<script")
	assert.NotContains(t, out, `" onmouseover="`)

	md := renderAggregate(t, report.AggregateMarkdown, opts, &agg)
	assert.Empty(t, unescapedAngle.FindAllString(md, -1))
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| [PC-05]") {
			assert.Equal(t, 11, cellCount(line), "a title's pipe does not add a cell: %s", line)
		}
	}
}

func renderAggregate(t *testing.T, f report.AggregateFunc, opts report.Options, agg *recommend.Aggregate) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, f(&buf, opts, agg))
	return buf.String()
}

func TestAggregateOfGeneratedCases(t *testing.T) {
	agg, opts := generatedAggregate(t, 300)
	require.Equal(t, 300, agg.Cases)
	for _, f := range aggregateFormats() {
		out := renderAggregate(t, f.Aggregate, opts, agg)
		for _, r := range agg.Recommendations {
			assert.Contains(t, out, r.ID, "%s shows every recommendation", f.Name)
		}
		for _, m := range agg.Months() {
			assert.Contains(t, out, m.Month, "%s shows every month", f.Name)
		}
		assert.NotContains(t, out, "report.", "%s: a message ID shows", f.Name)
	}
}
