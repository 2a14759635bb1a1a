package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// englishTexts are the texts for people of one JSON report: titles,
// subjects, messages, remedies and fix messages.
func englishTexts(t *testing.T, ndjson string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(ndjson), "\n") {
		var rep recommend.Report
		require.NoError(t, json.Unmarshal([]byte(line), &rep))
		for _, r := range rep.Results {
			if r.Outcome != recommend.OutcomeGap {
				continue
			}
			out = append(out, r.Title)
			for _, f := range r.Findings {
				out = append(out, f.Subject, f.Message, f.Remedy)
				for _, fx := range f.Fixes {
					out = append(out, fx.Message)
				}
			}
		}
	}
	return out
}

// TestNorwegianLeavesNoEnglish: for every example case with gaps, check
// --lang nb in every format shows none of the English texts of its
// findings, the HTML page is lang="nb", and a social security participant
// is a "NAV-veileder".
func TestNorwegianLeavesNoEnglish(t *testing.T) {
	files, err := filepath.Glob(casesDir + "*.json")
	require.NoError(t, err)
	sawSupervisor := false
	for _, file := range files {
		_, enJSON, _ := cli(t, "check", "--format", "json", file)
		english := englishTexts(t, enJSON)
		if len(english) == 0 {
			continue
		}
		for _, format := range reportFormats() {
			t.Run(filepath.Base(file)+"/"+format, func(t *testing.T) {
				_, nb, stderr := cli(t, "check", "--lang", "nb", "--format", format, file)
				require.NotEmpty(t, nb, stderr)
				for _, text := range english {
					if strings.TrimSpace(text) == "" {
						continue
					}
					assert.NotContains(t, nb, text, "English left in the Norwegian %s", format)
				}
				if format == "html" {
					assert.Contains(t, nb, `<html lang="nb"`)
				}
				if strings.Contains(enJSON, `"subject_role":"social_security_supervisor"`) && format != "json" && format != "fhir" {
					assert.Contains(t, nb, "NAV-veileder")
					sawSupervisor = true
				}
			})
		}
	}
	assert.True(t, sawSupervisor, "an example case has a finding about the NAV supervisor")
}
