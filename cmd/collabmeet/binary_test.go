package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binary is the collabmeet command built once by TestMain, so that the
// tests below run it as a user does: its flags, exit codes and streams.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "collabmeet-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "collabmeet")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		panic("building collabmeet: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// exe runs the built binary with args and environment variables env
// ("LANG=nb_NO.UTF-8"); the locale variables of the test's own environment
// are cleared, so that English is the default.
func exe(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "LANG" && k != "LC_ALL" && k != "LC_MESSAGES" && k != "NO_COLOR" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return code, out.String(), errOut.String()
}

// TestHelpConvention holds Go's convention for every command: -h, --help
// and help COMMAND print that command's usage on stdout and exit 0; a bad
// flag prints to stderr and exits 2.
func TestHelpConvention(t *testing.T) {
	for _, cmd := range commands() {
		for _, args := range [][]string{{cmd.name, "-h"}, {cmd.name, "--help"}, {"help", cmd.name}, {cmd.name, "-help"}} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				code, out, errOut := exe(t, nil, args...)
				assert.Equal(t, exitOK, code)
				assert.Contains(t, out, "usage: collabmeet "+cmd.name)
				assert.Empty(t, errOut)
			})
		}
		t.Run(cmd.name+" bad flag", func(t *testing.T) {
			code, out, errOut := exe(t, nil, cmd.name, "--no-such-flag")
			assert.Equal(t, exitBadInput, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, "usage: collabmeet "+cmd.name)
		})
	}
	for _, args := range [][]string{{"-h"}, {"--help"}, {"-help"}, {"help"}} {
		code, out, _ := exe(t, nil, args...)
		assert.Equal(t, exitOK, code, args)
		assert.Contains(t, out, "commands:")
	}
	code, _, errOut := exe(t, nil)
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, "commands:")
}

func TestVersion(t *testing.T) {
	code, out, _ := exe(t, nil, "version")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "collabmeet ")
	assert.Contains(t, out, "revision ")
	assert.Contains(t, out, "catalogue 2026.")
	assert.Contains(t, out, "go1.")
}

// TestFlagsAnywhere: flags may follow the file arguments, in every command.
func TestFlagsAnywhere(t *testing.T) {
	code, out, errOut := exe(t, nil, "check", requiredGaps, "--format", "json")
	require.Equal(t, exitGaps, code, errOut)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "the output is one JSON report")
	code, out2, _ := exe(t, nil, "check", "--format=json", requiredGaps)
	assert.Equal(t, exitGaps, code)
	assert.Equal(t, out2, out)
	code, _, errOut = exe(t, nil, "check", "--", "--format")
	assert.Equal(t, exitBadInput, code, "after --, --format is a file name")
	assert.Contains(t, errOut, "--format")
}

// TestCheckJSONNamesItsSource: reports of several files can be told apart.
func TestCheckJSONNamesItsSource(t *testing.T) {
	files := []string{compliantCase, requiredGaps, recommendedGap}
	_, out, _ := exe(t, nil, append([]string{"check", "--format", "json"}, files...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, len(files))
	for i, line := range lines {
		var rep struct {
			Source string `json:"source"`
			Lang   string `json:"lang"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &rep))
		assert.Equal(t, files[i], rep.Source)
		assert.Equal(t, "en", rep.Lang)
	}
	_, junit, _ := exe(t, nil, append([]string{"check", "--format", "junit"}, files...)...)
	for _, f := range files {
		assert.Contains(t, junit, `testsuite name="`+f+`"`)
	}
}

// TestLanguageFromLocale: LANG=nb_NO.UTF-8 gives Norwegian without a flag,
// --lang wins over the locale, and codes do not change with the language.
func TestLanguageFromLocale(t *testing.T) {
	_, en, _ := exe(t, nil, "check", "--format", "json", requiredGaps)
	_, nb, _ := exe(t, []string{"LANG=nb_NO.UTF-8"}, "check", "--format", "json", requiredGaps)
	_, forced, _ := exe(t, []string{"LANG=nb_NO.UTF-8"}, "check", "--lang", "en", "--format", "json", requiredGaps)
	assert.Equal(t, en, forced)
	var enRep, nbRep struct {
		Lang    string `json:"lang"`
		Results []struct {
			Findings []struct {
				Code string         `json:"code"`
				Args map[string]any `json:"args"`
			} `json:"findings"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(en), &enRep))
	require.NoError(t, json.Unmarshal([]byte(nb), &nbRep))
	assert.Equal(t, "nb", nbRep.Lang)
	assert.Equal(t, enRep.Results, nbRep.Results, "codes and args do not depend on the language")
	for _, env := range [][]string{{"LC_ALL=nn_NO.UTF-8"}, {"LC_MESSAGES=no"}, {"LANG=en_US.UTF-8", "LC_ALL=nb"}} {
		_, out, _ := exe(t, env, "check", "--format", "json", requiredGaps)
		assert.Contains(t, out, `"lang":"nb"`, env)
	}
	code, _, errOut := exe(t, nil, "check", "--lang", "de", requiredGaps)
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, "--lang")
}

// TestLangOnEveryRenderingCommand: --lang en|nb is a flag of every command
// that renders text for people, before or after the arguments; the texts
// change with it, and an unknown language is a usage error.
func TestLangOnEveryRenderingCommand(t *testing.T) {
	stream := writeFile(t, "cases.ndjson", strings.Join(generatedLines(t, 3, 5), "\n")+"\n")
	for _, tc := range []struct {
		args []string
		code int
		nb   string // a text of the Norwegian output; "" when the output has no texts
	}{
		{[]string{"check", requiredGaps}, exitGaps, "IKKE I SAMSVAR"},
		{[]string{"report", stream}, exitGaps, "anbefalingskatalog"},
		{[]string{"catalogue"}, exitOK, "anbefalingskatalog"},
		{[]string{"explain", "PC-05"}, exitOK, "Pasienten i sentrum"},
		{[]string{"fix", compliantCase}, exitOK, ""},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			code, en, errOut := exe(t, nil, append(tc.args, "--lang", "en")...)
			require.Equal(t, tc.code, code, errOut)
			code, nb, errOut := exe(t, nil, append([]string{tc.args[0], "--lang=nb"}, tc.args[1:]...)...)
			require.Equal(t, tc.code, code, errOut)
			if tc.nb != "" {
				assert.Contains(t, nb, tc.nb)
				assert.NotContains(t, en, tc.nb)
			} else {
				assert.Equal(t, en, nb)
			}
			code, out, errOut := exe(t, nil, append(tc.args, "--lang", "de")...)
			assert.Equal(t, exitBadInput, code)
			assert.Empty(t, out)
			assert.Equal(t, "collabmeet "+tc.args[0]+": unknown --lang \"de\" (want en or nb)\n", errOut)
		})
	}
	code, _, errOut := exe(t, nil, "help", "nope")
	assert.Equal(t, exitBadInput, code)
	assert.Equal(t, "collabmeet help: unknown command \"nope\"\n", errOut)
}

// TestReportSeveralInputsAndFailOn: report reads several inputs, validates
// its flags, and exits 1 on a failing case as check does.
func TestReportSeveralInputsAndFailOn(t *testing.T) {
	lines := generatedLines(t, 7, 20)
	a := writeFile(t, "a.ndjson", strings.Join(lines[:10], "\n")+"\n")
	b := writeFile(t, "b.ndjson", strings.Join(lines[10:], "\n")+"\n")
	code, out, errOut := exe(t, nil, "report", "--format", "json", a, b)
	var agg struct {
		Cases     int `json:"cases"`
		Invalid   int `json:"invalid"`
		Compliant int `json:"compliant"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &agg))
	assert.Equal(t, 20, agg.Cases)
	assert.Zero(t, agg.Invalid)
	require.Less(t, agg.Compliant, agg.Cases, "some generated cases are not compliant")
	assert.Equal(t, exitGaps, code, errOut)
	assert.Empty(t, errOut)
	// Two inputs give the aggregate of their lines read as one stream.
	_, whole, _ := exe(t, nil, "report", "--format", "json", writeFile(t, "ab.ndjson", strings.Join(lines, "\n")+"\n"))
	assert.JSONEq(t, whole, out)

	compliant, err := os.ReadFile(compliantCase)
	require.NoError(t, err)
	gaps, err := os.ReadFile(requiredGaps)
	require.NoError(t, err)
	ok := writeFile(t, "ok.ndjson", oneLine(t, compliant)+"\n")
	bad := writeFile(t, "gaps.ndjson", oneLine(t, gaps)+"\n")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{ok}, exitOK},
		{[]string{ok, bad}, exitGaps},
		{[]string{"--fail-on", "advisory", ok}, exitOK},
		{[]string{"--workers", "-3", ok}, exitBadInput},
		{[]string{"--workers", "0", ok}, exitBadInput},
		{[]string{"--workers", "100000", ok}, exitBadInput},
		{[]string{"--fail-on", "sometimes", ok}, exitBadInput},
		{[]string{ok, "--format", "csv"}, exitOK},
	} {
		code, _, errOut := exe(t, nil, append([]string{"report"}, tc.args...)...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, errOut)
	}
}

// oneLine compacts a JSON document to one NDJSON line.
func oneLine(t *testing.T, doc []byte) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, doc))
	return b.String()
}

// TestPolicyKeysNeverReachTheTerminal: a policy key with
// terminal escapes is shown as "?".
func TestPolicyKeysNeverReachTheTerminal(t *testing.T) {
	for _, policy := range []string{
		`{"severity":{"\u001b[2J\u001b[31mPWNED":"required"}}`,
		`{"params":{"\u001b[2J\u001b[31mPWNED":3}}`,
		`{"disable":["\u001b[2JPWNED"]}`,
	} {
		file := writeFile(t, "policy.json", policy)
		code, _, errOut := exe(t, nil, "check", "--policy", file, compliantCase)
		assert.Equal(t, exitBadInput, code)
		assert.NotContains(t, errOut, "\x1b")
		assert.NotContains(t, errOut, "PWNED")
	}
}

// TestBadFileDoesNotStopTheOthers: a file that cannot be
// read or written is named, and the files after it are still checked.
func TestBadFileDoesNotStopTheOthers(t *testing.T) {
	bad := writeFile(t, "tz24.json", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Appointment","status":"booked","start":"2026-05-04T09:00:00+24:00","end":"2026-05-04T10:00:00+24:00","participant":[{"status":"accepted"}]}}]}`)
	code, out, errOut := exe(t, nil, "check", "--format", "json", compliantCase, bad, compliantCase)
	assert.Equal(t, exitBadInput, code)
	assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 2, "both good files are reported")
	assert.Contains(t, errOut, "tz24.json")
}
