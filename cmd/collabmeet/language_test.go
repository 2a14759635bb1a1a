package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/internal/terminology"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMessagesCLI: the command line's own message files are complete in
// every language, with the same placeholders as English, none left in
// English, none using a word the bokmål terminology avoids.
func TestMessagesCLI(t *testing.T) {
	messages := cliMessagesFS()
	require.NotNil(t, messages)
	require.NoError(t, recommend.CheckMessages(messages))
	avoided, err := terminology.CheckBokmal(messages)
	require.NoError(t, err)
	assert.Empty(t, avoided)
	_, err = cliTexts()
	require.NoError(t, err)
}

// TestFixSpeaksTheLanguage runs the built binary: the stderr lines of fix
// (fixed, left for people, a meeting that is not planned) are in the
// language of --lang, else of the locale (LANG=nb_NO.UTF-8: bokmål), and
// --lang wins over the locale.
func TestFixSpeaksTheLanguage(t *testing.T) {
	planned := casesDir + "patient-given-no-voice.json" // PC-05, fixed
	held := variant(t, "held.json", `"status": "planned"`, `"status": "held"`)
	held = rewrite(t, held, func(c *casedoc.Case) { c.Meeting.Agenda[4].PatientSpeaksFirst = false }) // PC-09, left
	nb := []string{"LANG=nb_NO.UTF-8"}
	// The shapes of the lines of each language, after "FILE: ".
	shapes := map[recommend.Lang][]string{
		recommend.English: {"fixed ", "left for people ", "the meeting is "},
		recommend.Bokmal:  {"rettet ", "må rettes manuelt ", "møtet er "},
	}
	tests := []struct {
		name  string
		lang  recommend.Lang
		env   []string
		args  []string
		want  []string
		never []string
	}{
		{"LANG nb, fixed", recommend.Bokmal, nb, []string{"fix", planned},
			[]string{planned + ": rettet PC-05\n"}, []string{"fixed", "left for people"}},
		{"LANG nb, held", recommend.Bokmal, nb, []string{"fix", held},
			[]string{held + ": møtet er gjennomført, ikke planlagt: registreringen av møtet endres ikke\n", held + ": må rettes manuelt PC-09\n"},
			[]string{"the meeting is", "left for people"}},
		{"--lang en over LANG nb, fixed", recommend.English, nb, []string{"fix", "--lang", "en", planned},
			[]string{planned + ": fixed PC-05\n"}, []string{"rettet"}},
		{"--lang en over LANG nb, held", recommend.English, nb, []string{"fix", "--lang", "en", held},
			[]string{held + ": the meeting is held, not planned: its record is not changed\n", held + ": left for people PC-09\n"},
			[]string{"gjennomført", "manuelt"}},
		{"--lang nb without a locale", recommend.Bokmal, nil, []string{"fix", "--lang", "nb", held},
			[]string{held + ": må rettes manuelt PC-09\n"}, []string{"left for people"}},
		{"no locale: English", recommend.English, nil, []string{"fix", planned},
			[]string{planned + ": fixed PC-05\n"}, []string{"rettet"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := exe(t, tc.env, tc.args...)
			require.Equal(t, exitOK, code, stderr)
			assert.NotEmpty(t, stdout)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			for _, n := range tc.never {
				assert.NotContains(t, stderr, n)
			}
			file := tc.args[len(tc.args)-1]
			for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
				rest, ok := strings.CutPrefix(line, file+": ")
				require.True(t, ok, "a line names the file: %q", line)
				assert.True(t, slices.ContainsFunc(shapes[tc.lang], func(p string) bool { return strings.HasPrefix(rest, p) }),
					"%s: a line of another shape or language: %q", tc.lang, line)
			}
		})
	}
}

// TestProblemsSpeakTheLanguage runs the built binary on documents that
// cannot be used: under LANG=nb_NO.UTF-8 or --lang nb each problem is
// worded in bokmål, after the same file and JSON path; --lang en (and no
// locale) words it as the library does in English. Free text put in the
// wrong field is never shown, in either language.
func TestProblemsSpeakTheLanguage(t *testing.T) {
	unknownRole := variant(t, "role.json", `"role": "gp"`, `"role": "Kari Nordmann"`)
	badStatus := variant(t, "status.json", `"status": "planned"`, `"status": "plannedx"`)
	tests := []struct {
		name   string
		file   string
		nb, en string
	}{
		{"unknown field", writeFile(t, "field.json", `{"meeting": {"bogus": 1}}`),
			"meeting.bogus: ukjent felt", "meeting.bogus: unknown field"},
		{"malformed JSON", writeFile(t, "syntax.json", `{"meeting": }`),
			"meeting: ugyldig JSON ved byte 12: verdien mangler etter feltnavnet", "meeting: malformed JSON at byte 12: missing value after object name"},
		{"wrong type", writeFile(t, "type.json", `{"meeting": {"duration_minutes": "x"}}`),
			"meeting.duration_minutes: er en tekststreng, men skal være et heltall", "meeting.duration_minutes: got a string, want a whole number"},
		{"null document", writeFile(t, "null.json", `null`),
			": er null (ingen verdi), men skal være et objekt", ": got null, want an object"},
		{"unknown value", badStatus,
			`meeting.status: ukjent verdi "plannedx" (tillatt: planned, held, cancelled)`, `meeting.status: unknown value "plannedx" (want one of planned, held, cancelled)`},
		{"free text in a code field", unknownRole,
			"role: ukjent verdi (en tekst som ikke er en kode) (tillatt: ", "role: unknown value (a text that is not a code) (want one of "},
		{"required", writeFile(t, "required.json", `{"meeting": {}}`),
			"meeting.id: er påkrevd", "meeting.id: is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, run := range []struct {
				env         []string
				args        []string
				want, never string
			}{
				{[]string{"LANG=nb_NO.UTF-8"}, []string{"check", tc.file}, tc.nb, tc.en},
				{nil, []string{"check", "--lang", "nb", tc.file}, tc.nb, tc.en},
				{[]string{"LANG=nb_NO.UTF-8"}, []string{"check", "--lang", "en", tc.file}, tc.en, tc.nb},
				{nil, []string{"check", tc.file}, tc.en, tc.nb},
			} {
				code, stdout, stderr := exe(t, run.env, run.args...)
				assert.Equal(t, exitBadInput, code)
				assert.Empty(t, stdout)
				assert.Contains(t, stderr, tc.file+": ", "%v: the line names the file", run.args)
				assert.Contains(t, stderr, run.want, "%v %v", run.env, run.args)
				assert.NotContains(t, stderr, run.never, "%v %v: the other language", run.env, run.args)
				assert.NotContains(t, stderr, "Kari", "free text of the document is never shown")
			}
		})
	}
}
