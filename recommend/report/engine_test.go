package report_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exampleCases reads examples/cases/*.json, in file name order.
func exampleCases(t *testing.T) (names []string, cases []*casedoc.Case) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "cases", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "examples/cases/*.json")
	sort.Strings(files)
	for _, f := range files {
		c, err := casedoc.ReadFile(f)
		require.NoError(t, err, f)
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
		cases = append(cases, c)
	}
	return names, cases
}

// newEngine is the built-in catalogue under the default policy, in lang.
func newEngine(t *testing.T, lang recommend.Lang) *recommend.Engine {
	t.Helper()
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithLang(lang))
	require.NoError(t, err)
	return engine
}

// engineReports checks the example cases with the default policy. Their
// output is not compared with goldens (the catalogue's wording changes);
// the tests below check properties of it.
func engineReports(t *testing.T) ([]*recommend.Report, report.Options) {
	t.Helper()
	engine := newEngine(t, recommend.English)
	names, cases := exampleCases(t)
	reps := make([]*recommend.Report, len(cases))
	for i, c := range cases {
		reps[i] = engine.Check(c)
		reps[i].Source = names[i] + ".json"
	}
	return reps, report.Options{}
}

// TestEngineReportsInEveryFormat renders the engine's real reports of the
// example cases in every format, in every language: no message ID shows
// (a missing message), every gap's code and subject show in the formats
// for people.
func TestEngineReportsInEveryFormat(t *testing.T) {
	_, cases := exampleCases(t)
	for _, lang := range recommend.EngineTexts().Langs() {
		engine := newEngine(t, lang)
		var reps []*recommend.Report
		for _, c := range cases {
			reps = append(reps, engine.Check(c))
		}
		for _, f := range report.Formats() {
			if f.Report == nil {
				continue
			}
			t.Run(lang.String()+"/"+f.Name, func(t *testing.T) {
				out := render(t, f.Report, report.Options{}, reps...)
				assert.NotContains(t, out, "report.", "a message ID shows: its message is missing")
				if f.Name == "json" {
					return
				}
				for _, rep := range reps {
					for _, r := range rep.Results {
						for _, fd := range r.Findings {
							if r.Outcome == recommend.OutcomeGap {
								assert.Contains(t, out, fd.Code, "%s shows the code", f.Name)
							}
						}
					}
				}
			})
		}
	}
}

func TestJUnitCountsOfEngineReports(t *testing.T) {
	reps, opts := engineReports(t)
	var buf bytes.Buffer
	require.NoError(t, report.JUnit(&buf, opts, reps...))
	var doc parsedSuites
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
	require.Len(t, doc.Suites, len(reps))
	for i, rep := range reps {
		s := doc.Suites[i]
		tests, failures, errors, skipped := expectedCounts(rep)
		assert.Equal(t, [4]int{tests, failures, errors, skipped}, [4]int{s.Tests, s.Failures, s.Errors, s.Skipped}, s.Name)
		sum := rep.Summary
		assert.Equal(t, sum.Gaps.Required+sum.Gaps.Recommended, s.Failures, "failures are the required and recommended gaps of the summary")
		assert.Equal(t, sum.Outcomes.NotApplicable+sum.Outcomes.Waived, s.Skipped, "skipped are not_applicable and waived")
		assert.Equal(t, sum.Outcomes.Error, s.Errors)
		assert.Len(t, s.Cases, len(rep.Results))
	}
}

// freeTextSkipped are string fields of a case that hold codes, not free
// text: a renderer may legitimately show their values.
var freeTextSkipped = map[string]bool{"informed_only_sectors": true}

// fillFreeText sets every free-text field of v (every field of type string
// or []string, at any depth, except freeTextSkipped) to a marker naming the
// field, and returns the JSON names of the fields it filled.
func fillFreeText(v reflect.Value, marker string, filled map[string]bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			fillFreeText(v.Elem(), marker, filled)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fillFreeText(v.Index(i), marker, filled)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			fv := v.Field(i)
			switch {
			case freeTextSkipped[name]:
			case fv.Type() == reflect.TypeFor[string]():
				fv.SetString(fmt.Sprintf("%s-%s-%d", marker, name, i))
				filled[name] = true
			case fv.Type() == reflect.TypeFor[[]string]():
				fv.Set(reflect.ValueOf([]string{marker + "-" + name + "-a", marker + "-" + name + "-b"}))
				filled[name] = true
			default:
				fillFreeText(fv, marker, filled)
			}
		}
	}
}

// TestNoFreeTextInAnyFormat fills every free-text field of the example cases
// (names, organisations, purposes, titles, goals, descriptions, platform)
// with a marker, checks them with the engine, and searches every format's
// output for the marker.
func TestNoFreeTextInAnyFormat(t *testing.T) {
	const marker = "FREETEXTMARKER"
	engine := newEngine(t, recommend.English)
	_, cases := exampleCases(t)
	filled := map[string]bool{}
	var reps []*recommend.Report
	for _, c := range cases {
		fillFreeText(reflect.ValueOf(c), marker, filled)
		reps = append(reps, engine.Check(c))
	}
	for _, name := range []string{"name", "organization", "purpose", "title", "patient_goals", "description"} {
		assert.True(t, filled[name], "the test reached the free-text field %q", name)
	}
	opts := report.Options{}
	for _, f := range report.Formats() {
		if f.Report == nil {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, f.Report(&buf, opts, reps...))
			require.NotEmpty(t, buf.String())
			assert.False(t, strings.Contains(buf.String(), marker), "%s output carries free text of a case", f.Name)
		})
	}
	var agg recommend.Aggregate
	for _, rep := range reps {
		agg.Add(rep)
	}
	for _, f := range report.Formats() {
		if f.Aggregate == nil {
			continue
		}
		t.Run("aggregate "+f.Name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, f.Aggregate(&buf, opts, &agg))
			require.NotEmpty(t, buf.String())
			assert.False(t, strings.Contains(buf.String(), marker), "aggregate %s output carries free text of a case", f.Name)
		})
	}
}
