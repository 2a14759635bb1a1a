package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/fhir"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mixedDirectory fills a directory with good and bad inputs and returns the
// arguments for `collabmeet check` (every entry of the directory, as a
// shell glob gives them, and a file that does not exist), the good files
// with their meetings' IDs, and the bad files.
func mixedDirectory(t *testing.T) (args []string, good map[string]uuid.UUID, bad []string) {
	t.Helper()
	dir := t.TempDir()
	good = map[string]uuid.UUID{}
	put := func(name string, data []byte) string {
		file := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(file, data, 0o600))
		return file
	}
	// Good: the example cases, generated cases, and a FHIR Bundle.
	examples, err := filepath.Glob(casesDir + "*.json")
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	for _, ex := range examples {
		data, err := os.ReadFile(ex)
		require.NoError(t, err)
		c, err := casedoc.Unmarshal(data)
		require.NoError(t, err)
		good[put("example-"+filepath.Base(ex), data)] = c.Meeting.ID
	}
	gen := casegen.New(11)
	for i := range 4 {
		c := gen.Case()
		data, err := jsonv2.Marshal(c)
		require.NoError(t, err)
		good[put("generated-"+string(rune('a'+i))+".json", data)] = c.Meeting.ID
	}
	c := gen.Case()
	bundle, err := fhir.MarshalCase(c)
	require.NoError(t, err)
	good[put("bundle.fhir.json", bundle)] = c.Meeting.ID

	// Bad: every way a file can be unusable.
	ref, err := os.ReadFile(compliantCase)
	require.NoError(t, err)
	bad = []string{
		put("malformed.json", []byte(`{"meeting": {"id": `)),
		put("invalid-role.json", []byte(strings.Replace(string(ref), `"role": "gp"`, `"role": "nav"`, 1))),
		put("invalid-many.json", []byte(strings.Replace(strings.Replace(string(ref), `"duration_minutes": 60`, `"duration_minutes": 0`, 1), `"sector": "primary_health"`, `"sector": "social_security"`, 1))),
		put("unknown-field.json", []byte(strings.Replace(string(ref), `"status": "planned"`, `"status": "planned", "statuz": 1`, 1))),
		put("empty.json", nil),
		put("blank.json", []byte(" \n")),
		put("null.json", []byte("null")),
		put("array.json", []byte("[]")),
		put("patient.fhir.json", []byte(`{"resourceType": "Patient", "id": "p"}`)),
		put("bad-bundle.fhir.json", []byte(strings.Replace(string(bundle), `"resourceType": "Appointment"`, `"resourceType": "Appointmen"`, 1))),
		put("notes.txt", []byte("Meeting notes, not JSON\n")),
		put("too-large.json", []byte(`{"meeting": {"platform": "`+strings.Repeat("x", casedoc.DefaultMaxBytes)+`"}}`)),
	}
	require.False(t, bytes.Equal(bundle, must(os.ReadFile(bad[9]))), "the bundle has an Appointment to break")
	sub := filepath.Join(dir, "subdirectory")
	require.NoError(t, os.Mkdir(sub, 0o700))
	bad = append(bad, sub)

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		args = append(args, filepath.Join(dir, e.Name()))
	}
	missing := filepath.Join(dir, "missing.json")
	args = append(args, missing)
	bad = append(bad, missing)
	require.Len(t, args, len(good)+len(bad))
	return args, good, bad
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestCheckMixedDirectory runs `collabmeet check` over a directory of good
// and bad files (in the order a shell glob gives them, plus a missing file):
// every good file is checked and reported, in argument order; every bad one
// is reported on stderr with its name; nothing else is on stderr; the exit
// code is 2; no file is skipped silently — the reports and the names on
// stderr add up to the arguments.
func TestCheckMixedDirectory(t *testing.T) {
	args, good, bad := mixedDirectory(t)

	code, stdout, stderr := cli(t, append([]string{"check", "--format", "json"}, args...)...)
	assert.Equal(t, exitBadInput, code)

	// stdout: one report per good file, in argument order.
	var wantIDs []uuid.UUID
	var wantSources []string
	for _, a := range args {
		if id, ok := good[a]; ok {
			wantIDs = append(wantIDs, id)
			wantSources = append(wantSources, a)
		}
	}
	var gotIDs []uuid.UUID
	var gotSources []string
	for line := range strings.Lines(stdout) {
		var rep struct {
			Source    string    `json:"source"`
			MeetingID uuid.UUID `json:"meeting_id"`
			Results   []any     `json:"results"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &rep))
		assert.NotEmpty(t, rep.Results)
		gotIDs = append(gotIDs, rep.MeetingID)
		gotSources = append(gotSources, rep.Source)
	}
	assert.Equal(t, wantIDs, gotIDs, "one report per good file, in argument order")
	assert.Equal(t, wantSources, gotSources, "each report names its file")

	// stderr: every line starts with a bad file's name; every bad file has
	// at least one line; no good file is named.
	named := map[string]int{}
	for line := range strings.Lines(stderr) {
		var file string
		for _, b := range bad {
			if strings.HasPrefix(line, b+": ") && len(b) > len(file) {
				file = b
			}
		}
		if assert.NotEmpty(t, file, "a line on stderr names no bad file: %q", line) {
			named[file]++
			assert.Greater(t, len(strings.TrimSpace(strings.TrimPrefix(line, file+": "))), 3, "the line says what is wrong: %q", line)
		}
	}
	for _, b := range bad {
		assert.Positive(t, named[b], "%s is not reported", filepath.Base(b))
	}
	for g := range good {
		assert.NotContains(t, stderr, g+":", "a good file is reported as bad")
	}
	assert.Equal(t, len(args), len(gotIDs)+len(named), "every argument is either checked or reported")
	assert.GreaterOrEqual(t, named[bad[2]], 2, "every problem of a file is reported")

	// The text format names every good file, in argument order, in the
	// line under each report's verdict ("file NAME · phase · ...").
	code, stdout, stderr2 := cli(t, append([]string{"check"}, args...)...)
	assert.Equal(t, exitBadInput, code)
	assert.Equal(t, stderr, stderr2, "the same problems whatever the format")
	var headers []string
	for line := range strings.Lines(stdout) {
		if rest, ok := strings.CutPrefix(line, "file "); ok {
			name, _, ok := strings.Cut(rest, " · ")
			require.True(t, ok, line)
			_, isGood := good[name]
			assert.True(t, isGood, "a report names a file that is not good: %q", line)
			headers = append(headers, name)
		}
	}
	var wantHeaders []string
	for _, a := range args {
		if _, ok := good[a]; ok {
			wantHeaders = append(wantHeaders, a)
		}
	}
	assert.Equal(t, wantHeaders, headers)

	// The other formats check the same files.
	for _, format := range []string{"markdown", "html", "junit"} {
		code, stdout, stderr := cli(t, append([]string{"check", "--format", format}, args...)...)
		assert.Equal(t, exitBadInput, code, format)
		assert.Equal(t, stderr2, stderr, format)
		for _, id := range wantIDs {
			assert.Contains(t, stdout, id.String(), "%s: a good file's meeting is missing", format)
		}
		if format == "junit" {
			for _, file := range wantSources {
				assert.Contains(t, stdout, `<testsuite name="`+file+`"`, "a JUnit suite is named by its file")
			}
		}
	}
	assert.True(t, slices.Contains(args, bad[len(bad)-1]))
}
