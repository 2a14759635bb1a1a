package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const exampleCase = "../../examples/cases/compliant-digital-meeting.json"

// convertCLI runs the CLI with args and stdin, and returns the exit code,
// stdout and stderr.
func convertCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(&env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}, args)
	return code, out.String(), errOut.String()
}

// bundleFile writes the Bundle of the example case to a file and returns its name.
func bundleFile(t *testing.T) string {
	t.Helper()
	c, err := casedoc.ReadFile(exampleCase)
	require.NoError(t, err)
	data, err := fhir.MarshalCase(c)
	require.NoError(t, err)
	name := filepath.Join(t.TempDir(), "bundle.json")
	require.NoError(t, os.WriteFile(name, data, 0o644))
	return name
}

func TestConvert(t *testing.T) {
	want, err := casedoc.ReadFile(exampleCase)
	require.NoError(t, err)
	caseJSON, err := os.ReadFile(exampleCase)
	require.NoError(t, err)
	bundle := bundleFile(t)
	bundleJSON, err := os.ReadFile(bundle)
	require.NoError(t, err)

	tests := []struct {
		name  string
		stdin string
		args  []string
		to    string // the format expected on stdout
	}{
		{"case to fhir", "", []string{"convert", "--to", "fhir", exampleCase}, "fhir"},
		{"fhir to case", "", []string{"convert", "--to", "case", bundle}, "case"},
		{"case to case", "", []string{"convert", "--to", "case", exampleCase}, "case"},
		{"fhir to fhir", "", []string{"convert", "--to=fhir", bundle}, "fhir"},
		{"flag after the file", "", []string{"convert", bundle, "--to", "case"}, "case"},
		{"case from stdin", string(caseJSON), []string{"convert", "--to", "fhir", "-"}, "fhir"},
		{"bundle from stdin", string(bundleJSON), []string{"convert", "--to", "case", "-"}, "case"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := convertCLI(t, tt.stdin, tt.args...)
			require.Equal(t, exitOK, code, errOut)
			assert.Empty(t, errOut)
			var got *casedoc.Case
			if tt.to == "fhir" {
				require.True(t, fhir.IsBundle([]byte(out)))
				got, err = fhir.UnmarshalCase([]byte(out))
			} else {
				require.False(t, fhir.IsBundle([]byte(out)))
				got, err = casedoc.Unmarshal([]byte(out))
			}
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestConvertBadInput(t *testing.T) {
	bundle := bundleFile(t)
	data, err := os.ReadFile(bundle)
	require.NoError(t, err)
	dir := t.TempDir()
	write := func(name, content string) string {
		f := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(f, []byte(content), 0o644))
		return f
	}
	broken := write("broken.json", strings.Replace(string(data), `"reference": "urn:uuid:c522076e`, `"reference": "urn:uuid:00000000`, 1))
	patient := write("patient.json", `{"resourceType": "Patient", "id": "x"}`)
	malformed := write("malformed.json", `{"resourceType": "Bundle", "entry": [`)
	badCase := write("case.json", `{"meeting": {"id": "x"}}`)

	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []string // lines that stderr must contain
	}{
		{"no --to", "", []string{"convert", bundle}, []string{"collabmeet convert: --to is required", "usage: collabmeet convert"}},
		{"unknown --to", "", []string{"convert", "--to", "hl7v2", bundle}, []string{"collabmeet convert: --to must be fhir or case"}},
		{"no file", "", []string{"convert", "--to", "case"}, []string{"collabmeet convert: want one FILE, got 0"}},
		{"two files", "", []string{"convert", "--to", "case", bundle, bundle}, []string{"collabmeet convert: want one FILE, got 2"}},
		{"unknown flag", "", []string{"convert", "--from", "fhir", bundle}, []string{"collabmeet convert: flag provided but not defined: -from", "usage: collabmeet convert --to fhir|case FILE"}},
		{"missing file", "", []string{"convert", "--to", "case", filepath.Join(dir, "nope.json")}, []string{filepath.Join(dir, "nope.json") + ": no such file or directory"}},
		{"reference to no entry", "", []string{"convert", "--to", "case", broken},
			[]string{broken + ": Bundle.entry[0].resource.extension[3].valueReference.reference: refers to no entry"}},
		{"a FHIR resource that is no Bundle", "", []string{"convert", "--to", "case", patient},
			[]string{patient + ": resourceType: is a FHIR resource but not a Bundle"}},
		{"malformed Bundle", "", []string{"convert", "--to", "fhir", malformed}, []string{malformed + ": Bundle.entry: malformed JSON"}},
		{"invalid case", "", []string{"convert", "--to", "fhir", badCase}, []string{badCase + ": meeting.id: is not a UUID"}},
		{"invalid case on stdin", `{"meeting": {}}`, []string{"convert", "--to", "fhir", "-"}, []string{"stdin: meeting.patient_id: is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := convertCLI(t, tt.stdin, tt.args...)
			assert.Equal(t, exitBadInput, code)
			assert.Empty(t, out)
			lines := strings.Split(errOut, "\n")
			for _, w := range tt.want {
				assert.True(t, containsPrefix(lines, w), "want a line starting %q in:\n%s", w, errOut)
			}
		})
	}
}

func containsPrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// TestReadCaseDetectsBundle checks what every command (check included) reads:
// a Bundle file gives the same case as the case file it was made from.
func TestReadCaseDetectsBundle(t *testing.T) {
	e := &env{stdin: strings.NewReader("")}
	fromCase, err := readCase(e, exampleCase, true)
	require.NoError(t, err)
	fromBundle, err := readCase(e, bundleFile(t), true)
	require.NoError(t, err)
	assert.Equal(t, fromCase.c, fromBundle.c)
	assert.Nil(t, fromCase.source)
	assert.NotNil(t, fromBundle.source)
}
