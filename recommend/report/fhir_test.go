package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outcome is the part of an OperationOutcome the tests read.
type outcome struct {
	ResourceType string `json:"resourceType"`
	Issue        []struct {
		Severity string `json:"severity"`
		Code     string `json:"code"`
		Details  struct {
			Coding []struct{ System, Code, Display string } `json:"coding"`
		} `json:"details"`
		Diagnostics string   `json:"diagnostics"`
		Expression  []string `json:"expression"`
	} `json:"issue"`
}

// TestFHIROperationOutcome: one OperationOutcome per report, an issue per
// gap finding with the severity mapped, the finding code in the project's
// code system, diagnostics in the report's language and the case path as
// the expression (the Bundle element when the case came from one).
func TestFHIROperationOutcome(t *testing.T) {
	for _, lang := range recommend.EngineTexts().Langs() {
		engine := newEngine(t, lang)
		_, cases := exampleCases(t)
		var reps []*recommend.Report
		for _, c := range cases {
			reps = append(reps, engine.Check(c))
		}
		var buf bytes.Buffer
		require.NoError(t, report.FHIR(&buf, report.Options{}, reps...))
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		require.Len(t, lines, len(reps))
		for i, line := range lines {
			var o outcome
			require.NoError(t, json.Unmarshal([]byte(line), &o))
			assert.Equal(t, "OperationOutcome", o.ResourceType)
			var want []recommend.Finding
			var severities []string
			for _, r := range reps[i].Results {
				if r.Outcome == recommend.OutcomeGap {
					for _, f := range r.Findings {
						want = append(want, f)
						severities = append(severities, map[recommend.Severity]string{
							recommend.SeverityRequired: "error", recommend.SeverityRecommended: "warning", recommend.SeverityAdvisory: "information",
						}[r.Severity])
					}
				}
			}
			if len(want) == 0 {
				require.Len(t, o.Issue, 1, "a report without gaps has one informational issue")
				assert.Equal(t, "information", o.Issue[0].Severity)
				continue
			}
			require.Len(t, o.Issue, len(want))
			for k, f := range want {
				is := o.Issue[k]
				assert.Equal(t, severities[k], is.Severity)
				assert.Equal(t, "business-rule", is.Code)
				require.Len(t, is.Details.Coding, 1)
				assert.Equal(t, f.Code, is.Details.Coding[0].Code)
				assert.Equal(t, fhir.DefaultCanonical+"/CodeSystem/"+report.FindingCodeSystem, is.Details.Coding[0].System)
				assert.Contains(t, is.Diagnostics, f.Message)
				assert.Equal(t, []string{f.Path}, is.Expression)
			}
		}
	}
}

// TestFHIRExpressionFromBundle: a finding of a case read from a Bundle
// points at the Bundle's element.
func TestFHIRExpressionFromBundle(t *testing.T) {
	rep := &recommend.Report{Lang: recommend.English, Results: []recommend.Result{{
		ID: "PC-05", Title: "t", Severity: recommend.SeverityRequired, Outcome: recommend.OutcomeGap,
		Findings: []recommend.Finding{{Code: "PC-05.no_item", Path: "meeting.agenda", Expression: "Bundle.entry[0].resource", Message: "m", Remedy: "r", Subject: "s"}},
	}}}
	var buf bytes.Buffer
	require.NoError(t, report.FHIR(&buf, report.Options{Canonical: "https://example.org/fhir"}, rep))
	var o outcome
	require.NoError(t, json.Unmarshal(buf.Bytes(), &o))
	require.Len(t, o.Issue, 1)
	assert.Equal(t, []string{"Bundle.entry[0].resource"}, o.Issue[0].Expression)
	assert.Equal(t, "https://example.org/fhir/CodeSystem/finding-code", o.Issue[0].Details.Coding[0].System)
	assert.Equal(t, "s: m r", o.Issue[0].Diagnostics)
}
