package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// messagesOf reads the message files NAME.LANG.json of fsys in lang, by ID;
// a plural message is left out (none of the command line's is one).
func messagesOf(t *testing.T, fsys fs.FS, lang recommend.Lang) map[string]string {
	t.Helper()
	files, err := fs.Glob(fsys, "*."+lang.String()+".json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	all := map[string]string{}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(data, &m), f)
		for id, v := range m {
			if s, ok := v.(string); ok {
				all[id] = s
			}
		}
	}
	return all
}

// placeholder is a template action of a message ("{{.arg}}").
var placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)

// foreignPhrases are the phrases of the messages of the command line and
// of the problems of documents in lang that are not in other: the literal
// parts between placeholders, without the backquotes of flag.UnquoteUsage,
// of a message worded differently in other, that have at least two words
// and are in no message of other. None of them may appear in output that
// is in other.
func foreignPhrases(t *testing.T, lang, other recommend.Lang) []string {
	t.Helper()
	mine, theirs := map[string]string{}, map[string]string{}
	for _, fsys := range []fs.FS{cliMessagesFS(), validation.Messages()} {
		maps.Copy(mine, messagesOf(t, fsys, lang))
		maps.Copy(theirs, messagesOf(t, fsys, other))
	}
	unquote := strings.NewReplacer("`", "")
	var theirTexts []string
	for _, s := range theirs {
		theirTexts = append(theirTexts, unquote.Replace(s))
	}
	phrases := map[string]bool{}
	for id, text := range mine {
		if theirs[id] == text {
			continue
		}
		for _, part := range placeholder.Split(unquote.Replace(text), -1) {
			part = strings.TrimSpace(strings.Trim(strings.TrimSpace(part), ".,:;()"))
			if len(part) < 8 || !strings.Contains(part, " ") {
				continue
			}
			if !slices.ContainsFunc(theirTexts, func(s string) bool { return strings.Contains(s, part) }) {
				phrases[part] = true
			}
		}
	}
	require.NotEmpty(t, phrases)
	return slices.Sorted(maps.Keys(phrases))
}

// TestUsageSpeaksTheLanguage runs the built binary: the usage (-h, help
// COMMAND, COMMAND -h), the usage errors (an unknown flag or command, a
// bad flag value, a missing argument) and the problems of a policy are in
// bokmål under LANG=nb_NO.UTF-8, and in English under LANG=C, with no
// phrase of the other language's message files.
func TestUsageSpeaksTheLanguage(t *testing.T) {
	badPolicy := writeFile(t, "policy.json", `{"disable": ["pc-05"], "severity": {"PC-05": "low"}, "params": {"nope": 1}}`)
	fieldPolicy := writeFile(t, "field.json", `{"bogus": 1}`)
	missing := writeFile(t, "x", "") + ".missing"
	compliant, err := os.ReadFile(compliantCase)
	require.NoError(t, err)
	var line bytes.Buffer
	require.NoError(t, json.Compact(&line, compliant))
	stream := writeFile(t, "cases.ndjson", line.String()+"\nnope\n")
	nb, en := []string{"LANG=nb_NO.UTF-8"}, []string{"LANG=C"}
	tests := []struct {
		name   string
		args   []string
		code   int
		nb, en []string // lines or parts of lines of the output: stdout on exit 0, else stderr
	}{
		{"-h", []string{"-h"}, exitOK,
			[]string{"bruk: collabmeet KOMMANDO [flagg] [argumenter]\n", "kommandoer:\n", "  check      kontroller saksfiler (eller FHIR-bunter) mot anbefalingskatalogen\n"},
			[]string{"usage: collabmeet COMMAND [flags] [args]\n", "commands:\n", "  check      check case files (or FHIR Bundles) against the catalogue\n"}},
		{"help", []string{"help"}, exitOK,
			[]string{"collabmeet help KOMMANDO (eller KOMMANDO -h) viser flaggene til en kommando.\n"},
			[]string{"collabmeet help COMMAND (or COMMAND -h) shows a command's flags.\n"}},
		{"help check", []string{"help", "check"}, exitOK,
			[]string{"bruk: collabmeet check [flagg] SAK.json...\n", "flagg (før eller etter argumentene):\n", "  -policy FIL\n", "(standard: \"text\")"},
			[]string{"usage: collabmeet check [flags] CASE.json...\n", "flags (before or after the arguments):\n", "  -policy FILE\n", "(default \"text\")"}},
		{"check -h", []string{"check", "-h"}, exitOK,
			[]string{"bruk: collabmeet check [flagg] SAK.json...\n", "  -fail-on GRAD\n", "mangel med alvorlighetsgrad GRAD eller mer alvorlig"},
			[]string{"usage: collabmeet check [flags] CASE.json...\n", "exit 1 on a gap of this severity"}},
		{"serve -h", []string{"serve", "-h"}, exitOK,
			[]string{"  -timeout varighet\n", "(standard: " + cdshooks.DefaultTimeout.String() + ")"},
			[]string{"  -timeout duration\n", "(default " + cdshooks.DefaultTimeout.String() + ")"}},
		{"unknown flag", []string{"check", "--nope", compliantCase}, exitBadInput,
			[]string{"collabmeet check: flagget finnes ikke: -nope\n", "bruk: collabmeet check"},
			[]string{"collabmeet check: flag provided but not defined: -nope\n", "usage: collabmeet check"}},
		{"bad flag value", []string{"report", "--workers", "x"}, exitBadInput,
			[]string{`collabmeet report: ugyldig verdi "x" for flagget -workers: kan ikke tolkes` + "\n"},
			[]string{`collabmeet report: invalid value "x" for flag -workers: parse error` + "\n"}},
		{"bad value of a flag function", []string{"serve", "--trusted-issuer", "x"}, exitBadInput,
			[]string{`ugyldig verdi "x" for flagget -trusted-issuer: forventet ISS=JWKS_URL` + "\n"},
			[]string{`invalid value "x" for flag -trusted-issuer: want ISS=JWKS_URL` + "\n"}},
		{"flag without its value", []string{"check", compliantCase, "--format"}, exitBadInput,
			[]string{"collabmeet check: flagget trenger en verdi: -format\n"},
			[]string{"collabmeet check: flag needs an argument: -format\n"}},
		{"bad flag syntax", []string{"check", "---x", compliantCase}, exitBadInput,
			[]string{"collabmeet check: ugyldig flaggsyntaks: ---x\n"},
			[]string{"collabmeet check: bad flag syntax: ---x\n"}},
		{"flag with a control character", []string{"check", "--x\x1b[2J", compliantCase}, exitBadInput,
			[]string{"collabmeet check: flagget finnes ikke: -(et argument med spesialtegn)\n"},
			[]string{"collabmeet check: flag provided but not defined: -(an argument with special characters)\n"}},
		{"unknown command", []string{"nope"}, exitBadInput,
			[]string{"collabmeet: ukjent kommando \"nope\"\n", "kommandoer:\n"},
			[]string{"collabmeet: unknown command \"nope\"\n", "commands:\n"}},
		{"help of an unknown command", []string{"help", "nope"}, exitBadInput,
			[]string{"collabmeet help: ukjent kommando \"nope\"\n"},
			[]string{"collabmeet help: unknown command \"nope\"\n"}},
		{"missing argument", []string{"check"}, exitBadInput,
			[]string{"collabmeet check: ingen saksfil er oppgitt\n"},
			[]string{"collabmeet check: no case file given\n"}},
		{"unknown format", []string{"check", "--format", "yaml", compliantCase}, exitBadInput,
			[]string{`collabmeet check: ukjent format "yaml" (tillatt: text, json`},
			[]string{`collabmeet check: unknown format "yaml" (want one of text, json`}},
		{"bad policy", []string{"check", "--policy", badPolicy, compliantCase}, exitBadInput,
			[]string{
				badPolicy + `: disable[0]: ukjent anbefaling "pc-05" (ID-er skiller mellom store og små bokstaver: mente du PC-05?)` + "\n",
				badPolicy + `: severity.PC-05: ukjent alvorlighetsgrad "low" (tillatt: required, recommended, advisory)` + "\n",
				badPolicy + `: params.nope: ukjent parameter (kjente: `,
			},
			[]string{
				badPolicy + `: disable[0]: unknown recommendation "pc-05" (IDs are case-sensitive: did you mean PC-05?)` + "\n",
				badPolicy + `: severity.PC-05: unknown severity "low" (want one of required, recommended, advisory)` + "\n",
				badPolicy + `: params.nope: unknown parameter (known: `,
			}},
		{"policy with an unknown field", []string{"check", "--policy", fieldPolicy, compliantCase}, exitBadInput,
			[]string{fieldPolicy + ": bogus: ukjent felt (tillatt: profile, disable, severity, params, waivers"},
			[]string{fieldPolicy + ": bogus: unknown field (want profile, disable, severity, params, waivers"}},
		{"report with a bad line", []string{"report", "--format", "json", stream}, exitBadInput,
			[]string{stream + ":2: ugyldig JSON ved byte 1", "collabmeet report: 1 av 2 linjer var ikke gyldige saker\n"},
			[]string{stream + ":2: malformed JSON at byte 1", "collabmeet report: 1 of 2 lines were not valid cases\n"}},
		{"policy file missing", []string{"fix", "--policy", missing, compliantCase}, exitBadInput,
			[]string{missing + ": filen eller mappen finnes ikke\n"},
			[]string{missing + ": no such file or directory\n"}},
	}
	phrases := map[recommend.Lang][]string{
		recommend.English: foreignPhrases(t, recommend.English, recommend.Bokmal),
		recommend.Bokmal:  foreignPhrases(t, recommend.Bokmal, recommend.English),
	}
	for _, tc := range tests {
		for _, run := range []struct {
			lang  recommend.Lang
			env   []string
			want  []string
			never recommend.Lang
		}{
			{recommend.Bokmal, nb, tc.nb, recommend.English},
			{recommend.English, en, tc.en, recommend.Bokmal},
		} {
			t.Run(tc.name+" "+run.lang.String(), func(t *testing.T) {
				code, stdout, stderr := exe(t, run.env, tc.args...)
				require.Equal(t, tc.code, code, stderr)
				out := stdout
				if code == exitOK {
					assert.Empty(t, stderr, "help is on stdout")
				} else {
					// report writes the aggregate of the valid lines with exit 2 too.
					assert.Equal(t, tc.name == "report with a bad line", stdout != "", "a usage error is on stderr alone")
					out = stderr
				}
				for _, w := range run.want {
					assert.Contains(t, out, w)
				}
				assert.NotContains(t, out, "\x1b", "no control character of an argument reaches the terminal")
				for _, p := range phrases[run.never] {
					assert.NotContains(t, out, p, "a phrase of the %s message files", run.never)
				}
			})
		}
	}
}

// TestUsageLangFlag: --lang before or after -h, or after the command of
// help, sets the language of the usage over the locale (not after "--");
// a bad flag before or after --lang is worded in its language too.
func TestUsageLangFlag(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		args []string
		code int
		want string
	}{
		{nil, []string{"check", "--lang", "nb", "-h"}, exitOK, "bruk: collabmeet check [flagg] SAK.json...\n"},
		{nil, []string{"help", "check", "--lang=nb"}, exitOK, "bruk: collabmeet check [flagg] SAK.json...\n"},
		{[]string{"LANG=nb_NO.UTF-8"}, []string{"check", "--lang", "en", "-h"}, exitOK, "usage: collabmeet check [flags] CASE.json...\n"},
		{nil, []string{"report", "--lang", "nb", "--nope"}, exitBadInput, "collabmeet report: flagget finnes ikke: -nope\n"},
		{nil, []string{"check", "-h", "--lang", "nb"}, exitOK, "bruk: collabmeet check [flagg] SAK.json...\n"},
		{nil, []string{"fix", "--nope", "x.json", "-lang=nb"}, exitBadInput, "collabmeet fix: flagget finnes ikke: -nope\n"},
		{[]string{"LANG=nb_NO.UTF-8"}, []string{"check", "-h", "--", "--lang", "en"}, exitOK, "bruk: collabmeet check [flagg] SAK.json...\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := exe(t, tc.env, tc.args...)
			require.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stdout+stderr, tc.want)
		})
	}
}

// TestFlagHelpFromMessages: every flag of every command has its help in
// the message files: the help lines of -h differ between English and
// bokmål for each flag, and each names the same flags.
func TestFlagHelpFromMessages(t *testing.T) {
	helps := func(out string) map[string]string {
		m := map[string]string{}
		lines := strings.Split(out, "\n")
		for i, l := range lines {
			if name, ok := strings.CutPrefix(l, "  -"); ok && i+1 < len(lines) {
				name, _, _ = strings.Cut(name, " ")
				m[name] = lines[i+1]
			}
		}
		return m
	}
	for _, cmd := range commands() {
		t.Run(cmd.name, func(t *testing.T) {
			code, en, _ := exe(t, []string{"LANG=C"}, cmd.name, "-h")
			require.Equal(t, exitOK, code)
			code, nb, _ := exe(t, []string{"LANG=nb_NO.UTF-8"}, cmd.name, "-h")
			require.Equal(t, exitOK, code)
			enHelp, nbHelp := helps(en), helps(nb)
			assert.Equal(t, slices.Sorted(maps.Keys(enHelp)), slices.Sorted(maps.Keys(nbHelp)))
			for name, h := range enHelp {
				assert.NotEqual(t, h, nbHelp[name], "the help of -%s is the same in both languages", name)
				assert.NotEmpty(t, strings.TrimSpace(h))
			}
		})
	}
}
