package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
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

// citationKey finds the citation keys of a source (N26, H25, SN, HD, TR,
// NCT07331766), and other abbreviations: the same in every language.
var citationKey = regexp.MustCompile(`\b[A-Z][A-Z0-9]+\b`)

// lawReference is a reference to a Norwegian law: "helsepersonelloven § 22".
var lawReference = regexp.MustCompile(`\p{L}+loven §\s?\d+`)

// sourceLine returns the text of the line "  LABEL:  TEXT" of explain's output.
func sourceLine(t *testing.T, out, label string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "  "+label+":"); ok {
			return strings.TrimSpace(rest)
		}
	}
	t.Fatalf("no line %q in\n%s", label, out)
	return ""
}

// TestExplainSourceInBokmal: explain --lang nb shows the source of every
// recommendation in bokmål: its message "<ID>.source", with the citation
// keys of the English source kept and none of its English words; --lang en
// shows the English source, Recommendation.Source.
func TestExplainSourceInBokmal(t *testing.T) {
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	rules := engine.Recommendations() // with their sources, from the messages
	require.NotEmpty(t, rules)
	texts, err := recommend.NewTexts(catalogue.Builtin().Messages)
	require.NoError(t, err)
	for _, r := range rules {
		t.Run(r.ID, func(t *testing.T) {
			code, en, stderr := cli(t, "explain", "--lang", "en", r.ID)
			require.Equal(t, exitOK, code, stderr)
			assert.Equal(t, r.Source, sourceLine(t, en, "Source"))

			code, nb, stderr := cli(t, "explain", "--lang", "nb", r.ID)
			require.Equal(t, exitOK, code, stderr)
			got := sourceLine(t, nb, "Kilde")
			assert.Equal(t, texts.Text(recommend.Bokmal, r.ID+".source", nil), got)
			for _, kept := range append(citationKey.FindAllString(r.Source, -1), lawReference.FindAllString(r.Source, -1)...) {
				assert.Contains(t, got, kept, "citation keys and law references are kept")
			}
			if note := citationKey.ReplaceAllString(r.Source, ""); strings.ContainsFunc(note, unicode.IsLetter) {
				assert.NotEqual(t, r.Source, got, "the English source note is translated")
				assert.NotContains(t, nb, r.Source, "the English source is left in the bokmål output")
			} else {
				assert.Equal(t, r.Source, got, "citation keys alone are the same in every language")
			}
		})
	}
}
