package main

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// collabmeet fix [--patch] CASE.json (docs/fixes.md): the fixed case or the
// patch on stdout, a line per fixed recommendation and per gap left on
// stderr, a held meeting unchanged, exit 0 when the case could be read and
// 2 otherwise.

func fixEngine(t *testing.T) *recommend.Engine {
	t.Helper()
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	return e
}

// gapsIn returns the IDs of the recommendations with a gap.
func gapsIn(rep *recommend.Report) []string {
	var ids []string
	for _, r := range rep.Results {
		if r.Outcome == recommend.OutcomeGap {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// emptyAgendaCase writes the reference meeting with its participants and an
// empty agenda: the input of the agenda builder.
func emptyAgendaCase(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(compliantCase)
	require.NoError(t, err)
	c, err := casedoc.Unmarshal(data)
	require.NoError(t, err)
	c.Meeting.Agenda = nil
	for k := range c.Meeting.Participants {
		c.Meeting.Participants[k].JoinsAtItem, c.Meeting.Participants[k].LeavesAfterItem = uuid.Nil, uuid.Nil
	}
	out, err := marshalCase(c)
	require.NoError(t, err)
	return writeFile(t, "empty-agenda.json", string(out))
}

func TestFixCommand(t *testing.T) {
	e := fixEngine(t)
	for _, tc := range []struct {
		name  string
		file  func(t *testing.T) string
		fixed []string // recommendations the fix closes
	}{
		{"patient given no voice", func(*testing.T) string { return casesDir + "patient-given-no-voice.json" }, []string{"PC-05"}},
		{"supervisor joins without recap", func(*testing.T) string { return casesDir + "supervisor-joins-at-discussion-without-recap.json" },
			[]string{"MC-04"}},
		{"patient not first", func(*testing.T) string { return recommendedGap }, []string{"PC-09"}},
		{"empty agenda", emptyAgendaCase, []string{"PC-05", "AP-01", "AP-02", "MC-02", "MC-03", "MC-07", "CS-07"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file(t)
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			orig, err := casedoc.Unmarshal(data)
			require.NoError(t, err)
			before := gapsIn(e.Check(orig))
			for _, id := range tc.fixed {
				require.Contains(t, before, id)
			}

			code, stdout, stderr := cli(t, "fix", file)
			require.Equal(t, exitOK, code, stderr)
			fixed, err := casedoc.Unmarshal([]byte(stdout))
			require.NoError(t, err, "the fixed case is valid in the strict format")
			rep := e.Check(fixed)
			after := gapsIn(rep)
			for _, id := range tc.fixed {
				assert.NotContains(t, after, id)
				assert.Contains(t, stderr, file+": fixed "+id+"\n")
			}
			for _, id := range after {
				assert.Contains(t, before, id, "no new gap")
				assert.Contains(t, stderr, file+": left for people "+id+"\n")
			}
			assert.True(t, rep.Compliant, "gaps left: %v", after)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			assert.Len(t, lines, len(slicesWithout(before, after))+len(after), "one line per recommendation:\n%s", stderr)

			// --patch: the RFC 6902 patch that turns the case into the fixed one.
			code, patch, stderr2 := cli(t, "fix", "--patch", file)
			require.Equal(t, exitOK, code, stderr2)
			assert.Equal(t, stderr, stderr2)
			var ops []map[string]any
			require.NoError(t, json.Unmarshal([]byte(patch), &ops))
			require.NotEmpty(t, ops)
			p, err := jsonpatch.DecodePatch([]byte(patch))
			require.NoError(t, err)
			doc, err := marshalCase(orig)
			require.NoError(t, err)
			got, err := p.Apply(doc)
			require.NoError(t, err)
			assert.JSONEq(t, stdout, string(got))
		})
	}
}

// slicesWithout returns the elements of a not in b.
func slicesWithout(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// TestFixCommandCompliant: a compliant case is written back as it is, with
// an empty patch.
func TestFixCommandCompliant(t *testing.T) {
	code, stdout, stderr := cli(t, "fix", compliantCase)
	require.Equal(t, exitOK, code, stderr)
	assert.Empty(t, stderr)
	data, err := os.ReadFile(compliantCase)
	require.NoError(t, err)
	assert.JSONEq(t, string(data), stdout)

	code, stdout, _ = cli(t, "fix", "--patch", compliantCase)
	require.Equal(t, exitOK, code)
	assert.Equal(t, "[]\n", stdout)
}

// TestFixCommandHeld: a held meeting's record is not changed, whatever its
// gaps; stderr says so.
func TestFixCommandHeld(t *testing.T) {
	file := variant(t, "held.json", `"status": "planned"`, `"status": "held"`)
	file = rewrite(t, file, func(c *casedoc.Case) { c.Meeting.Agenda[4].PatientSpeaksFirst = false }) // PC-09: fixable were it planned
	data, err := os.ReadFile(file)
	require.NoError(t, err)

	code, stdout, stderr := cli(t, "fix", file)
	require.Equal(t, exitOK, code, stderr)
	assert.JSONEq(t, string(data), stdout, "unchanged")
	assert.Contains(t, stderr, file+": the meeting is held, not planned: its record is not changed\n")
	assert.NotContains(t, stderr, ": fixed ")
	assert.Contains(t, stderr, file+": left for people PC-09\n")

	code, stdout, _ = cli(t, "fix", "--patch", file)
	require.Equal(t, exitOK, code)
	assert.Equal(t, "[]\n", stdout)
}

// rewrite decodes the case in file, changes it and writes it to a new file.
func rewrite(t *testing.T, file string, change func(c *casedoc.Case)) string {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	c, err := casedoc.Unmarshal(data)
	require.NoError(t, err)
	change(c)
	out, err := marshalCase(c)
	require.NoError(t, err)
	return writeFile(t, "rewritten.json", string(out))
}

func TestFixCommandExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no file", nil, exitBadInput, "want one CASE.json"},
		{"two files", []string{compliantCase, compliantCase}, exitBadInput, "want one CASE.json"},
		{"missing file", []string{"missing.json"}, exitBadInput, "missing.json"},
		{"malformed", []string{writeFile(t, "bad.json", `{"meeting":`)}, exitBadInput, ""},
		{"invalid", []string{variant(t, "invalid.json", `"duration_minutes": 60`, `"duration_minutes": 0`)}, exitBadInput, "duration_minutes"},
		{"unknown flag", []string{"--no-such-flag", compliantCase}, exitBadInput, ""},
		{"unknown lang", []string{"--lang", "de", compliantCase}, exitBadInput, ""},
		{"flags after the file", []string{compliantCase, "--patch"}, exitOK, ""},
		{"bokmål", []string{"--lang", "nb", recommendedGap}, exitOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, append([]string{"fix"}, tc.args...)...)
			assert.Equal(t, tc.code, code, "stderr: %s", stderr)
			assert.Contains(t, stderr, tc.err)
			if code != exitOK {
				assert.Empty(t, stdout)
			}
		})
	}
}
