package recommend_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The -update flag rewrites golden files; another test file of this binary
// may have registered it already.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func aggJSON(t *testing.T, a *recommend.Aggregate) []byte {
	t.Helper()
	data, err := json.MarshalIndent(a, "", "  ")
	require.NoError(t, err)
	return data
}

func result(id string, theme recommend.Theme, sev recommend.Severity, o recommend.Outcome) recommend.Result {
	return recommend.Result{ID: id, Theme: theme, Severity: sev, Outcome: o}
}

func handReport(start string, compliant bool, outcomes ...recommend.Outcome) *recommend.Report {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		panic(err)
	}
	r := &recommend.Report{
		Schema: recommend.ReportSchema, CatalogueVersion: "2026.1", MeetingStart: t, Compliant: compliant,
		Results: []recommend.Result{
			result("PC-05", catalogue.ThemePatientCentredness, recommend.SeverityRequired, outcomes[0]),
			result("AP-04", catalogue.ThemeCommonActionPlan, recommend.SeverityRequired, outcomes[1]),
			result("MC-08", catalogue.ThemeMeetingClimate, recommend.SeverityAdvisory, outcomes[2]),
		},
	}
	return r
}

func TestAggregateZeroValue(t *testing.T) {
	var a recommend.Aggregate
	assert.JSONEq(t, `{"schema":"collabmeet.aggregate/v1","catalogue_version":"","policy_digests":[],"cases":0,"invalid":0,"compliant":0,
		"recommendations":[],"themes":{},"severities":{},"months":[]}`, string(aggJSON(t, &a)))
	assert.Equal(t, 1.0, a.Rate())
	a.Merge(nil)
	a.Add(nil)
	assert.Zero(t, a.Cases)
}

func TestAggregateCounts(t *testing.T) {
	const (
		pass = recommend.OutcomePass
		gap  = recommend.OutcomeGap
		na   = recommend.OutcomeNotApplicable
		wv   = recommend.OutcomeWaived
		er   = recommend.OutcomeError
	)
	tests := []struct {
		name    string
		reports []*recommend.Report
		invalid int
		want    string
	}{
		{
			name:    "nothing applicable rates 1",
			reports: []*recommend.Report{handReport("2026-05-04T09:00:00+02:00", true, na, wv, na)},
			want: `{"schema":"collabmeet.aggregate/v1","catalogue_version":"2026.1","policy_digests":[],"cases":1,"invalid":0,"compliant":1,
			"recommendations":[
			 {"id":"PC-05","theme":"patient_centredness","severity":"required","applicable":0,"passed":0,"gaps":0,"waived":0,"errors":0,"not_applicable":1,"rate":1},
			 {"id":"AP-04","theme":"common_action_plan","severity":"required","applicable":0,"passed":0,"gaps":0,"waived":1,"errors":0,"not_applicable":0,"rate":1},
			 {"id":"MC-08","theme":"meeting_climate","severity":"advisory","applicable":0,"passed":0,"gaps":0,"waived":0,"errors":0,"not_applicable":1,"rate":1}],
			"themes":{"common_action_plan":{"applicable":0,"passed":0,"rate":1},"meeting_climate":{"applicable":0,"passed":0,"rate":1},"patient_centredness":{"applicable":0,"passed":0,"rate":1}},
			"severities":{"advisory":{"applicable":0,"passed":0,"gaps":0,"rate":1},"required":{"applicable":0,"passed":0,"gaps":0,"rate":1}},
			"months":[{"month":"2026-05","cases":1,"compliant":1}]}`,
		},
		{
			name: "applicable is pass, gap and error; months in calendar order, in the meeting's own offset",
			reports: []*recommend.Report{
				handReport("2026-12-01T09:00:00+01:00", false, gap, pass, pass),
				handReport("2026-02-01T00:30:00+01:00", true, pass, pass, gap), // 2026-01-31 in UTC: February here
				handReport("2026-02-10T09:00:00+01:00", false, er, gap, na),
				handReport("2026-02-11T09:00:00+01:00", true, pass, wv, pass),
			},
			invalid: 2,
			want: `{"schema":"collabmeet.aggregate/v1","catalogue_version":"2026.1","policy_digests":[],"cases":4,"invalid":2,"compliant":2,
			"recommendations":[
			 {"id":"PC-05","theme":"patient_centredness","severity":"required","applicable":4,"passed":2,"gaps":1,"waived":0,"errors":1,"not_applicable":0,"rate":0.5},
			 {"id":"AP-04","theme":"common_action_plan","severity":"required","applicable":3,"passed":2,"gaps":1,"waived":1,"errors":0,"not_applicable":0,"rate":0.6666666666666666},
			 {"id":"MC-08","theme":"meeting_climate","severity":"advisory","applicable":3,"passed":2,"gaps":1,"waived":0,"errors":0,"not_applicable":1,"rate":0.6666666666666666}],
			"themes":{"common_action_plan":{"applicable":3,"passed":2,"rate":0.6666666666666666},"meeting_climate":{"applicable":3,"passed":2,"rate":0.6666666666666666},"patient_centredness":{"applicable":4,"passed":2,"rate":0.5}},
			"severities":{"advisory":{"applicable":3,"passed":2,"gaps":1,"rate":0.6666666666666666},"required":{"applicable":7,"passed":4,"gaps":2,"rate":0.5714285714285714}},
			"months":[{"month":"2026-02","cases":3,"compliant":2},{"month":"2026-12","cases":1,"compliant":0}]}`,
		},
		{
			name:    "only invalid inputs",
			invalid: 3,
			want: `{"schema":"collabmeet.aggregate/v1","catalogue_version":"","policy_digests":[],"cases":0,"invalid":3,"compliant":0,
			"recommendations":[],"themes":{},"severities":{},"months":[]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a recommend.Aggregate
			for _, r := range tt.reports {
				a.Add(r)
			}
			for range tt.invalid {
				a.AddInvalid()
			}
			assert.JSONEq(t, tt.want, string(aggJSON(t, &a)))

			// The same through merged halves, and through a JSON round trip.
			var left, right recommend.Aggregate
			for i, r := range tt.reports {
				if i%2 == 0 {
					left.Add(r)
				} else {
					right.Add(r)
				}
			}
			for i := range tt.invalid {
				if i%2 == 0 {
					right.AddInvalid()
				} else {
					left.AddInvalid()
				}
			}
			var decoded recommend.Aggregate
			require.NoError(t, json.Unmarshal(aggJSON(t, &right), &decoded))
			left.Merge(&decoded)
			assert.JSONEq(t, tt.want, string(aggJSON(t, &left)))
		})
	}
}

func TestAggregateMergeSelf(t *testing.T) {
	var a recommend.Aggregate
	a.Add(handReport("2026-05-04T09:00:00+02:00", true, recommend.OutcomePass, recommend.OutcomeGap, recommend.OutcomePass))
	a.AddInvalid()
	a.Merge(&a)
	assert.Equal(t, 2, a.Cases)
	assert.Equal(t, 2, a.Invalid)
	assert.Equal(t, 2, a.Recommendations[1].Gaps)
}

// TestAggregateOrder: recommendations keep the report's order, also when a
// partial aggregate saw only some of them, or saw a custom rule first.
func TestAggregateOrder(t *testing.T) {
	full := handReport("2026-05-04T09:00:00+02:00", true, recommend.OutcomePass, recommend.OutcomePass, recommend.OutcomePass)
	part := &recommend.Report{MeetingStart: full.MeetingStart, Results: []recommend.Result{full.Results[2]}}
	ids := func(a *recommend.Aggregate) []string {
		var out []string
		for _, r := range a.Recommendations {
			out = append(out, r.ID)
		}
		return out
	}
	var a, b recommend.Aggregate
	a.Add(part)
	b.Add(full)
	a.Merge(&b)
	assert.Equal(t, []string{"PC-05", "AP-04", "MC-08"}, ids(&a))
	var c recommend.Aggregate
	c.Add(part)
	c.Add(full)
	assert.Equal(t, ids(&a), ids(&c))
}

func newEngine(t testing.TB) *recommend.Engine {
	t.Helper()
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	return e
}

// TestAggregateMergeIsOrderIndependent folds generated cases one by one, and
// then in random partitions added in random order and merged in random
// order and grouping: every way gives the same aggregate.
func TestAggregateMergeIsOrderIndependent(t *testing.T) {
	e := newEngine(t)
	g := casegen.New(42)
	reports := make([]*recommend.Report, 600)
	for i := range reports {
		reports[i] = e.Check(g.Case())
	}
	var want recommend.Aggregate
	for i, r := range reports {
		want.Add(r)
		if i%50 == 0 {
			want.AddInvalid()
		}
	}
	wantJSON := aggJSON(t, &want)
	require.Len(t, want.Recommendations, len(reports[0].Results))
	for i, r := range want.Recommendations {
		assert.Equal(t, reports[0].Results[i].ID, r.ID, "catalogue order")
	}

	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 30 {
		k := 1 + rng.IntN(12)
		parts := make([]*recommend.Aggregate, k)
		for i := range parts {
			parts[i] = new(recommend.Aggregate)
		}
		order := rng.Perm(len(reports))
		for _, i := range order {
			p := parts[rng.IntN(k)]
			p.Add(reports[i])
			if i%50 == 0 {
				p.AddInvalid()
			}
		}
		// Merge in random pairs until one is left: random grouping and order.
		for len(parts) > 1 {
			i, j := rng.IntN(len(parts)), rng.IntN(len(parts)-1)
			if j >= i {
				j++
			}
			parts[i].Merge(parts[j])
			parts = slices.Delete(parts, j, j+1)
		}
		assert.Equal(t, string(wantJSON), string(aggJSON(t, parts[0])), "trial %d with %d parts", trial, k)
	}

	// Associativity, explicitly: (a+b)+c == a+(b+c).
	var a, b, c recommend.Aggregate
	for i, r := range reports {
		[]*recommend.Aggregate{&a, &b, &c}[i%3].Add(r)
	}
	left := a.Clone()
	left.Merge(&b)
	left.Merge(&c)
	bc := b.Clone()
	bc.Merge(&c)
	right := a.Clone()
	right.Merge(bc)
	assert.Equal(t, string(aggJSON(t, left)), string(aggJSON(t, right)))
}

// TestAggregateGolden aggregates the example cases of the repository under
// a small rule set of the test's own (ACME-01 at 60 minutes, so that some
// cases pass and some do not, and ACME-02 at 90), so that the golden file
// holds the aggregate's format, not the catalogue's contents.
func TestAggregateGolden(t *testing.T) {
	e := acmeEngine(t, recommend.Policy{Params: map[string]any{"max_acme_minutes": 60}}, customRule(), withCheck("ACME-02", func(p *recommend.Pass) error {
		if p.Meeting.DurationMinutes > 50 {
			p.ReportCase("meeting.duration_minutes", "too_long", recommend.Args{"minutes": 50})
		}
		return nil
	}))
	files, err := filepath.Glob(filepath.Join("..", "examples", "cases", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	slices.Sort(files)
	var a recommend.Aggregate
	for _, f := range files {
		c, err := casedoc.ReadFile(f)
		require.NoError(t, err, f)
		a.Add(e.Check(c))
	}
	a.AddInvalid()
	got := append(aggJSON(t, &a), '\n')
	golden := filepath.Join("testdata", "aggregate.golden.json")
	if updating() {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test -run TestAggregateGolden -update to create it")
	assert.Equal(t, string(want), string(got))
	assert.True(t, bytes.Contains(got, []byte(`"schema": "collabmeet.aggregate/v1"`)))
}

// TestNewAggregate: an engine's empty aggregate names its catalogue version
// and lists every recommendation it checks, in order, with zero counts;
// folding reports into it gives the same JSON as folding them into a zero
// Aggregate.
func TestNewAggregate(t *testing.T) {
	e := mustEngine(t, recommend.Policy{Disable: []string{"MC-08"}}, recommend.WithoutTexts())
	empty := e.NewAggregate()
	assert.Equal(t, recommend.AggregateSchema, empty.Schema)
	assert.Equal(t, e.CatalogueVersion(), empty.CatalogueVersion)
	assert.Zero(t, empty.Cases)
	recs := e.Recommendations()
	require.Len(t, empty.Recommendations, len(recs))
	for i, r := range recs {
		s := empty.Recommendations[i]
		assert.Equal(t, r.ID, s.ID)
		assert.Equal(t, r.Severity, s.Severity)
		assert.Equal(t, r.Theme, s.Theme)
		assert.Zero(t, s.Applicable+s.Passed+s.Gaps+s.Waived+s.Errors+s.NotApplicable, r.ID)
		assert.Equal(t, 1.0, s.Rate)
	}

	g := casegen.New(3)
	seeded, zero := e.NewAggregate(), &recommend.Aggregate{}
	for range 50 {
		rep := e.Check(g.Case())
		seeded.Add(rep)
		zero.Add(rep)
	}
	seeded.AddInvalid()
	zero.AddInvalid()
	want, err := json.Marshal(zero)
	require.NoError(t, err)
	got, err := json.Marshal(seeded)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}

// TestAppendMonth: the month an aggregate counts a case in is the one
// time.Format gives with the month's layout, for every year, in any
// location, digits of its own or not.
func TestAppendMonth(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		at   time.Time
	}{
		{"zero", time.Time{}},
		{"year 0", time.Date(0, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"year 9", time.Date(9, 12, 31, 23, 0, 0, 0, time.UTC)},
		{"year 999", time.Date(999, 7, 1, 0, 0, 0, 0, time.UTC)},
		{"new year in Oslo, old in UTC", time.Date(2027, 1, 1, 0, 30, 0, 0, oslo)},
		{"typical", time.Date(2026, 10, 5, 9, 0, 0, 0, oslo)},
		{"year 9999", time.Date(9999, 12, 31, 23, 59, 0, 0, time.UTC)},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"year -1", time.Date(-1, 6, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.at.Format(recommend.MonthLayout), string(recommend.AppendMonth(nil, tc.at)))
		})
	}
}
