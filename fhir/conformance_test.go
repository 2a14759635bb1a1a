package fhir_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConformanceFilesUpToDate fails when the files in conformance/ are not
// what `go generate` writes from the Go definitions.
func TestConformanceFilesUpToDate(t *testing.T) {
	want, err := fhir.Conformance{}.Files()
	require.NoError(t, err)
	onDisk, err := filepath.Glob(filepath.Join("conformance", "*.json"))
	require.NoError(t, err)
	var names []string
	for _, f := range onDisk {
		names = append(names, filepath.Base(f))
	}
	var wantNames []string
	for name := range want {
		wantNames = append(wantNames, name)
	}
	slices.Sort(wantNames)
	require.Equal(t, wantNames, names, "conformance/ is stale: run go generate ./fhir")
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join("conformance", name))
		require.NoError(t, err)
		assert.Equal(t, string(data), string(got), "conformance/%s is stale: run go generate ./fhir", name)
	}
}

// TestEveryExtensionWrittenIsDefined holds the StructureDefinitions against
// the Bundles FromCase writes: every extension URL (and every sub-extension
// of a complex one) has its definition, and every definition is used.
func TestEveryExtensionWrittenIsDefined(t *testing.T) {
	defined := map[string][]string{} // url → slice names of sub-extensions
	for _, sd := range (fhir.Conformance{}).StructureDefinitions() {
		var slicesOf []string
		for _, e := range sd.Differential.Element {
			if e.SliceName != "" {
				slicesOf = append(slicesOf, e.SliceName)
			}
		}
		defined[sd.URL] = slicesOf
	}
	used := map[string]bool{}
	var walk func(v any, parent string)
	walk = func(v any, parent string) {
		switch x := v.(type) {
		case map[string]any:
			if url, ok := x["url"].(string); ok && strings.HasPrefix(url, fhir.Base+"/StructureDefinition/") {
				subs, ok := defined[url]
				assert.True(t, ok, "extension %s has no StructureDefinition", url)
				used[url] = true
				for _, s := range asList(x["extension"]) {
					assert.Contains(t, subs, s.(map[string]any)["url"], "sub-extension of %s", url)
				}
			}
			for _, val := range x {
				walk(val, parent)
			}
		case []any:
			for _, val := range x {
				walk(val, parent)
			}
		}
	}
	for _, c := range handBuilt() {
		data, err := fhir.MarshalCase(c)
		require.NoError(t, err)
		var b any
		require.NoError(t, json.Unmarshal(data, &b))
		walk(b, "")
	}
	for url := range defined {
		assert.True(t, used[url], "StructureDefinition %s describes no extension the hand-built cases use", url)
	}
}

func asList(v any) []any { l, _ := v.([]any); return l }

func TestConformanceCanonical(t *testing.T) {
	cf := fhir.Conformance{Canonical: "https://fhir.example.no/collab/", Version: "2.1"}
	cs := cf.NewCodeSystem("finding", "Findings", "The codes of findings.", []fhir.Concept{
		{Code: "PC-05", Display: "The patient speaks first", Definition: "The patient is asked to speak first."},
	})
	assert.Equal(t, "https://fhir.example.no/collab/CodeSystem/finding", cs.URL)
	assert.Equal(t, "Finding", cs.Name)
	assert.Equal(t, "2.1", cs.Version)
	assert.Equal(t, 1, cs.Count)
	for _, sd := range cf.StructureDefinitions() {
		assert.True(t, strings.HasPrefix(sd.URL, "https://fhir.example.no/collab/StructureDefinition/"), sd.URL)
	}
	def := fhir.Conformance{}.NewCodeSystem("finding", "Findings", "d", nil)
	assert.Equal(t, fhir.DefaultCanonical+"/CodeSystem/finding", def.URL)
	assert.Equal(t, "1", def.Version)
}

func TestOperationOutcome(t *testing.T) {
	tests := []struct {
		name   string
		issues []fhir.Issue
		want   string
	}{
		{name: "no issues", want: `{
  "resourceType": "OperationOutcome",
  "issue": [
    {
      "severity": "information",
      "code": "informational",
      "diagnostics": "No issues found"
    }
  ]
}
`},
		{name: "a gap", issues: []fhir.Issue{{
			Severity:    fhir.SeverityError,
			Details:     fhir.Coding{System: fhir.DefaultCanonical + "/CodeSystem/finding", Code: "PC-05", Display: "Patient speaks first"},
			Diagnostics: "The patient does not speak first.",
			Expression:  []string{"Bundle.entry[0].resource.extension[8]"},
		}, {Severity: fhir.SeverityInformation, Type: "informational"}}, want: `{
  "resourceType": "OperationOutcome",
  "issue": [
    {
      "severity": "error",
      "code": "business-rule",
      "details": {
        "coding": [
          {
            "system": "https://collabmeet.example/fhir/CodeSystem/finding",
            "code": "PC-05",
            "display": "Patient speaks first"
          }
        ]
      },
      "diagnostics": "The patient does not speak first.",
      "expression": [
        "Bundle.entry[0].resource.extension[8]"
      ]
    },
    {
      "severity": "information",
      "code": "informational"
    }
  ]
}
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := fhir.MarshalOperationOutcome(fhir.NewOperationOutcome(tt.issues))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(data))
		})
	}
}

func TestMarshalOperationOutcomeRefuses(t *testing.T) {
	tests := []struct {
		name string
		o    fhir.OperationOutcome
		want string
	}{
		{"no issue", fhir.OperationOutcome{}, "OperationOutcome.issue: is required"},
		{"unknown severity", fhir.NewOperationOutcome([]fhir.Issue{{Severity: "required"}}), `OperationOutcome.issue[0].severity: unknown code "required"`},
		{"no code", fhir.OperationOutcome{Issue: []fhir.OperationOutcomeIssue{{Severity: fhir.SeverityWarning}}}, "OperationOutcome.issue[0].code: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fhir.MarshalOperationOutcome(tt.o)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	for _, s := range fhir.IssueSeverities() {
		assert.True(t, s.Valid())
	}
	assert.False(t, fhir.IssueSeverity("Error").Valid())
}
