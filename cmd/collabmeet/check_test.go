package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const casesDir = "../../examples/cases/"

var (
	compliantCase  = casesDir + "compliant-digital-meeting.json"
	requiredGaps   = casesDir + "follow-up-without-owner.json"         // AP-04, AP-06 (required), AP-11 (advisory)
	recommendedGap = casesDir + "patient-not-first-in-discussion.json" // PC-09 (recommended)
)

// cli runs the command line with args and returns the exit code, stdout and stderr.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}, args)
	return code, out.String(), errOut.String()
}

// variant writes the reference case with old replaced by new to a temporary file.
func variant(t *testing.T, name, old, new string) string {
	t.Helper()
	data, err := os.ReadFile(compliantCase)
	require.NoError(t, err)
	require.Contains(t, string(data), old)
	file := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o600))
	return file
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(file, []byte(content), 0o600))
	return file
}

func TestCheckExitCodes(t *testing.T) {
	advisoryGap := variant(t, "long.json", `"duration_minutes": 60`, `"duration_minutes": 120`) // MC-08
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"compliant", []string{compliantCase}, exitOK},
		{"required gaps", []string{requiredGaps}, exitGaps},
		{"one of several", []string{compliantCase, requiredGaps, compliantCase}, exitGaps},
		{"recommended gap, default fail-on", []string{recommendedGap}, exitOK},
		{"recommended gap, fail-on recommended", []string{"--fail-on", "recommended", recommendedGap}, exitGaps},
		{"recommended gap, fail-on advisory", []string{"--fail-on=advisory", recommendedGap}, exitGaps},
		{"advisory gap, fail-on recommended", []string{"--fail-on", "recommended", advisoryGap}, exitOK},
		{"advisory gap, fail-on advisory", []string{"-fail-on", "advisory", advisoryGap}, exitGaps},
		{"json format", []string{"--format", "json", requiredGaps}, exitGaps},
		{"no file", nil, exitBadInput},
		{"unknown format", []string{"--format", "yaml", compliantCase}, exitBadInput},
		{"unknown fail-on", []string{"--fail-on", "never", compliantCase}, exitBadInput},
		{"strict on a case document", []string{"--strict", compliantCase}, exitOK},
		{"strict after the file", []string{requiredGaps, "--strict"}, exitGaps},
		{"unknown flag", []string{"--no-such-flag", compliantCase}, exitBadInput},
		{"unknown lang", []string{"--lang", "de", compliantCase}, exitBadInput},
		{"missing file", []string{"missing.json"}, exitBadInput},
		{"bad file wins over gaps", []string{requiredGaps, "missing.json"}, exitBadInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := cli(t, append([]string{"check"}, tc.args...)...)
			assert.Equal(t, tc.code, code, stderr)
		})
	}
}

func TestCheckJSONIsNDJSONInArgumentOrder(t *testing.T) {
	files := []string{requiredGaps, compliantCase, recommendedGap}
	code, stdout, stderr := cli(t, append([]string{"check", "--format", "json"}, files...)...)
	require.Equal(t, exitGaps, code, stderr)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	require.Len(t, lines, 3)
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	for i, file := range files {
		c, err := casedoc.ReadFile(file)
		require.NoError(t, err)
		// The report of the library, with the file it was read from.
		wantRep := engine.Check(c)
		wantRep.Source = file
		want, err := json.Marshal(wantRep)
		require.NoError(t, err)
		assert.JSONEq(t, string(want), lines[i], file)
		var rep recommend.Report
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &rep))
		assert.Equal(t, recommend.ReportSchema, rep.Schema)
		assert.Equal(t, file, rep.Source)
		assert.Equal(t, recommend.English, rep.Lang)
		assert.Equal(t, catalogue.Version, rep.CatalogueVersion)
	}
	assert.Contains(t, lines[0], `"compliant":false`)
	assert.Contains(t, lines[1], `"compliant":true`)
}

func TestCheckBadFilesDoNotStopTheOthers(t *testing.T) {
	invalid := variant(t, "bad.json", `"role": "gp"`, `"role": "nav"`)
	malformed := writeFile(t, "malformed.json", `{"meeting": `)
	code, stdout, stderr := cli(t, "check", "--format", "json", invalid, compliantCase, "missing.json", malformed, requiredGaps)
	assert.Equal(t, exitBadInput, code)
	assert.Len(t, strings.Split(strings.TrimSuffix(stdout, "\n"), "\n"), 2, "the two good files are checked")
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	require.Len(t, lines, 3, stderr)
	assert.True(t, strings.HasPrefix(lines[0], invalid+": meeting.participants[5].role: unknown value \"nav\""), lines[0])
	assert.Equal(t, "missing.json: no such file or directory", lines[1])
	assert.True(t, strings.HasPrefix(lines[2], malformed+": "), lines[2])
}

func TestCheckPolicy(t *testing.T) {
	good := writeFile(t, "policy.json", `{"disable": ["PC-09"], "params": {"notice_days": 2}}`)
	code, stdout, stderr := cli(t, "check", "--policy", good, "--fail-on", "recommended", recommendedGap)
	assert.Equal(t, exitOK, code, stderr)
	assert.NotContains(t, stdout, "PC-09")

	bad := writeFile(t, "bad-policy.json", `{"disable": ["CS-08", "XX-01"], "severity": {"MC-06": "low"}}`)
	code, stdout, stderr = cli(t, "check", "--policy", bad, compliantCase)
	assert.Equal(t, exitBadInput, code)
	assert.Empty(t, stdout, "nothing is checked under an unusable policy")
	assert.Equal(t, bad+": disable[0]: CS-08 cannot be disabled: it protects the patient's consent and privacy\n"+
		bad+": disable[1]: unknown recommendation \"XX-01\" (see collabmeet catalogue)\n"+
		bad+": severity.MC-06: unknown severity \"low\" (want one of required, recommended, advisory)\n", stderr)

	strict := writeFile(t, "typo.json", `{"profil": "thorough"}`)
	code, _, stderr = cli(t, "check", "--policy", strict, compliantCase)
	assert.Equal(t, exitBadInput, code)
	assert.True(t, strings.HasPrefix(stderr, strict+": profil: unknown field"), stderr)

	code, _, stderr = cli(t, "check", "--policy", "nowhere.json", compliantCase)
	assert.Equal(t, exitBadInput, code)
	assert.Equal(t, "nowhere.json: no such file or directory\n", stderr)

	thorough := writeFile(t, "thorough.json", `{"profile": "thorough"}`)
	code, stdout, _ = cli(t, "check", "--policy", thorough, "--fail-on", "recommended", compliantCase)
	assert.Equal(t, exitGaps, code, "AP-08 applies with profile thorough")
	assert.Contains(t, stdout, "AP-08")
	assert.Contains(t, stdout, "profile thorough")
}

func TestCheckText(t *testing.T) {
	late := variant(t, "late.json", `"joins_at_item": "7291ebd8-5efa-5046-a4d2-738407024de2"`, `"joins_at_item": "1edb506d-9e1a-5140-b572-78cea2d82827"`)
	code, stdout, stderr := cli(t, "check", requiredGaps, late)
	require.Equal(t, exitGaps, code, stderr)
	// Per case, a verdict and a line naming its file (the renderer's, not a
	// line of check's own); reports apart by a blank line; gaps grouped by
	// severity, most serious first.
	first, second, ok := strings.Cut(stdout, "\n\nMeeting 0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5  COMPLIANT\n")
	require.True(t, ok, stdout)
	assert.True(t, strings.HasPrefix(first, "Meeting 0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5  NOT COMPLIANT\nfile "+requiredGaps+" · after the meeting · profile standard · catalogue "+catalogue.Version+" · "), first)
	for line := range strings.Lines(stdout) {
		assert.NotContains(t, []string{requiredGaps + "\n", late + "\n"}, line, "the file is named once, in the report")
	}
	assert.Contains(t, first, "not compliant: gaps 2 required, 0 recommended, 1 advisory")
	assert.Less(t, strings.Index(first, "REQUIRED  2 gaps"), strings.Index(first, "AP-04  Every action has an owner"))
	assert.Less(t, strings.Index(first, "AP-06"), strings.Index(first, "ADVISORY  1 gap"))
	assert.Less(t, strings.Index(first, "ADVISORY"), strings.Index(first, "AP-11"))
	assert.Contains(t, first, "plan.actions[0].owner_id          action 1 in the action plan       [AP-04.owner_not_participant]\n")
	assert.Contains(t, first, "The owner of the action is not a participant of the meeting.")
	assert.Contains(t, first, "what to do: Give the action to a participant of the meeting (owner_id).")
	assert.Contains(t, first, "see "+catalogue.DocURL+"#ap-04")
	assert.NotContains(t, stdout, "\x1b[", "no colour when the output is not a terminal")

	// A finding about a participant names its role and position.
	assert.True(t, strings.HasPrefix(second, "file "+late+" · before the meeting · "), second)
	assert.Contains(t, second, "RECOMMENDED  1 gap\n  MC-04  Late joiners are brought up to date")
	assert.Contains(t, second, "meeting.participants[6].joins_at_item  NAV supervisor (participant 7)  [MC-04.joins_without_recap]\n")
	// No free text of the case.
	for _, text := range []string{"Kari", "Nordmann", "NAV Trondheim", "Work assessment", "Welcome", "Graded activity", "autumn"} {
		assert.NotContains(t, stdout, text)
	}
}

func TestCheckTextWaivers(t *testing.T) {
	long := variant(t, "long.json", `"duration_minutes": 60`, `"duration_minutes": 120`)
	policy := writeFile(t, "policy.json", `{"waivers": [
		{"id": "MC-08", "meeting_id": "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5", "reason": "double session agreed", "expires": "2027-01-01T00:00:00Z"},
		{"id": "MC-03", "meeting_id": "*", "reason": "old", "expires": "2026-01-01T00:00:00Z"}]}`)
	code, stdout, stderr := cli(t, "check", "--policy", policy, "--fail-on", "advisory", long)
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "WAIVED  1\n  MC-08  The meeting is neither too short nor too long")
	assert.Contains(t, stdout, "reason: double session agreed")
}

func TestCheckFormatsAreListed(t *testing.T) {
	code, _, stderr := cli(t, "check", "--format", "yaml", compliantCase)
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, stderr, `unknown format "yaml" (want one of text, json`)
	assert.Equal(t, []string{"text", "json"}, reportFormats()[:2])
}

func TestCatalogueCommand(t *testing.T) {
	rules := catalogue.Builtin().Rules
	require.NotEmpty(t, rules)
	code, stdout, stderr := cli(t, "catalogue")
	require.Equal(t, exitOK, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, fmt.Sprintf("collabmeet recommendation catalogue %s (%d recommendations)\n", catalogue.Version, len(rules))), stdout)
	assert.Contains(t, stdout, "Patient-centredness\n  PC-01  required         The patient takes part")
	assert.Contains(t, stdout, "AP-08  recommended      Suggested actions were sent before the meeting [thorough only]\n")
	assert.Contains(t, stdout, "CS-03  required         The plan reaches third parties only with consent [after the meeting; not waivable]\n")
	for _, r := range rules {
		assert.Contains(t, stdout, "  "+r.ID+"  ", "every recommendation is listed")
	}

	code, stdout, stderr = cli(t, "catalogue", "--format", "json")
	require.Equal(t, exitOK, code, stderr)
	var doc struct {
		CatalogueVersion string                     `json:"catalogue_version"`
		Lang             recommend.Lang             `json:"lang"`
		Recommendations  []recommend.Recommendation `json:"recommendations"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, catalogue.Version, doc.CatalogueVersion)
	assert.Equal(t, recommend.English, doc.Lang)
	require.Len(t, doc.Recommendations, len(rules))
	for i, r := range rules {
		assert.Equal(t, r.ID, doc.Recommendations[i].ID, "catalogue order")
	}
	assert.Equal(t, "PC-05", doc.Recommendations[4].ID)
	assert.Equal(t, recommend.Param{Name: "patient_minutes", Unit: recommend.UnitMinutes, Default: 10}, doc.Recommendations[4].Params[0])
	assert.True(t, doc.Recommendations[3].Protected)

	code, stdout, stderr = cli(t, "catalogue", "--format", "markdown")
	require.Equal(t, exitOK, code, stderr)
	file, err := os.ReadFile("../../docs/catalogue.md")
	require.NoError(t, err)
	assert.Equal(t, string(file), stdout, "the same document as docs/catalogue.md")

	code, _, stderr = cli(t, "catalogue", "--format", "html")
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, stderr, `unknown format "html"`)
	code, _, _ = cli(t, "catalogue", "extra")
	assert.Equal(t, exitBadInput, code)
}

func TestExplainCommand(t *testing.T) {
	for _, id := range []string{"PC-05", "pc-05"} {
		code, stdout, stderr := cli(t, "explain", id)
		require.Equal(t, exitOK, code, stderr)
		assert.True(t, strings.HasPrefix(stdout, "PC-05  The patient has room to speak\n"), stdout)
		assert.Contains(t, stdout, "\n  Severity:      required\n")
		assert.Contains(t, stdout, "\n  patient_minutes = 10\n")
		assert.Contains(t, stdout, "\nFinding codes\n  PC-05.no_patient\n")
		assert.Contains(t, stdout, catalogue.DocURL+"#pc-05")
	}
	code, stdout, _ := cli(t, "explain", "CS-08")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "\n  Waivable:      no: it protects the patient's consent and privacy\n")
	code, stdout, _ = cli(t, "explain", "AP-09")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "\n  Phase:         after the meeting\n")

	code, stdout, stderr := cli(t, "explain", "XX-01")
	assert.Equal(t, exitBadInput, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "collabmeet explain: unknown recommendation \"XX-01\"; collabmeet catalogue lists them all\n", stderr)
	code, _, stderr = cli(t, "explain")
	assert.Equal(t, exitBadInput, code)
	assert.Equal(t, "collabmeet explain: want one recommendation ID, such as PC-05\n", strings.SplitAfter(stderr, "\n")[0])
	assert.Contains(t, stderr, "usage: collabmeet explain [flags] ID\n")
	code, _, _ = cli(t, "explain", "PC-01", "PC-02")
	assert.Equal(t, exitBadInput, code)
}
