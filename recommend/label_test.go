package recommend_test

import (
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// TestLabelFallback: a package's label is the catalogue's before the
// package's own, in the language asked for, then in the catalogue's default
// language, then in English; one in none shows its ID and is missing.
func TestLabelFallback(t *testing.T) {
	own, err := recommend.NewTexts(fstest.MapFS{
		"l.en.json": {Data: []byte(`{"l.a": "label A", "l.b": "label B", "severity.required": "own required"}`)},
		"l.nb.json": {Data: []byte(`{"l.a": "etikett A", "l.b": "etikett B", "severity.required": "egen må"}`)},
		"l.de.json": {Data: []byte(`{"l.a": "Etikett A"}`)},
	})
	require.NoError(t, err)
	cat := catalogue.Builtin()
	cat.Langs = []recommend.Lang{recommend.Bokmal, recommend.English} // bokmål is the default
	e, err := recommend.New(cat, recommend.Policy{}, recommend.WithoutFixes())
	require.NoError(t, err)
	require.Equal(t, recommend.Bokmal, e.Texts().Default())
	tests := []struct {
		name string
		lang recommend.Lang
		id   string
		want string
	}{
		{"the package's, in the language", language.German, "l.a", "Etikett A"},
		{"the package's, in the default language", language.German, "l.b", "etikett B"},
		{"a language none has: the default language", language.French, "l.b", "etikett B"},
		{"the catalogue's before the package's", recommend.English, "severity.required", "required"},
		{"the catalogue's in its default language before the package's in English", language.German, "severity.required", "må (påkrevd)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, e.Texts().Label(own, tt.lang, tt.id, nil))
		})
	}
	english, err := recommend.NewTexts(fstest.MapFS{"l.en.json": {Data: []byte(`{"l.c": "label C"}`)}})
	require.NoError(t, err)
	assert.Equal(t, "label C", e.Texts().Label(english, language.German, "l.c", nil), "English is the last fallback")
	assert.Equal(t, "l.none", e.Texts().Label(own, recommend.Bokmal, "l.none", nil))
	assert.Contains(t, e.Texts().Missing(), "l.none")
	assert.Equal(t, "label A", own.Label(nil, recommend.English, "l.a", nil), "no package: the texts alone")
}

// TestCheckLang: a language is complete when every English message of the
// engine, the label files and the catalogue is in it, with the same args.
func TestCheckLang(t *testing.T) {
	engineNB, err := fs.ReadFile(recommend.EngineMessages(), "nb.json")
	require.NoError(t, err)
	labels := fstest.MapFS{
		"l.en.json": {Data: []byte(`{"l.a": "{{.n}} late", "l.b": {"one": "{{.count}} day", "other": "{{.count}} days"}}`)},
		"l.nb.json": {Data: []byte(`{"l.a": "{{.n}} for sent", "l.b": {"one": "{{.count}} dag", "other": "{{.count}} dager"}}`)},
	}
	const catEN = `{"c.x": "Clinic"}`
	tests := []struct {
		name string
		de   string // the catalogue's c.de.json, after the engine's messages in "German"
		want string // in the error; "" for none
	}{
		{"complete", `"l.a": "{{.n}} zu spät", "l.b": {"one": "{{.count}} Tag", "other": "{{.count}} Tage"}, "c.x": "Klinik"`, ""},
		{"a label missing", `"l.b": {"one": "{{.count}} Tag", "other": "{{.count}} Tage"}, "c.x": "Klinik"`, "l.en.json: l.a: missing in de"},
		{"a catalogue text missing", `"l.a": "{{.n}} zu spät", "l.b": {"one": "{{.count}} Tag", "other": "{{.count}} Tage"}`, "c.en.json: c.x: missing in de"},
		{"an arg renamed", `"l.a": "{{.m}} zu spät", "l.b": {"one": "{{.count}} Tag", "other": "{{.count}} Tage"}, "c.x": "Klinik"`, "c.de.json: l.a: (other) reads [m], the English text reads [n]"},
		{"plural lost", `"l.a": "{{.n}} zu spät", "l.b": "{{.count}} Tage", "c.x": "Klinik"`, "c.de.json: l.b: plural forms in English: true, here: false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat := fstest.MapFS{
				"c.en.json":      {Data: []byte(catEN)},
				"c.de.json":      {Data: []byte(fmt.Sprintf("{%s}", tt.de))},
				"engine.de.json": {Data: engineNB}, // the engine's texts, as if German
			}
			err := recommend.CheckLang(language.German, cat, labels)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.NoError(t, recommend.CheckLang(recommend.Bokmal, nil, labels), "the engine's and the labels' own bokmål")
	err = recommend.CheckLang(language.German, nil, labels)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "en.json: severity.required: missing in de", "the engine's own labels count")
}

// TestCheckMessagesOfLabels: a catalogue's translation of the engine's or a
// package's messages is checked against their English file.
func TestCheckMessagesOfLabels(t *testing.T) {
	engineNB, err := fs.ReadFile(recommend.EngineMessages(), "nb.json")
	require.NoError(t, err)
	labels := fstest.MapFS{"l.en.json": {Data: []byte(`{"l.a": "{{.n}} late", "l.b": "early"}`)}}
	tests := []struct {
		name  string
		files map[string]string
		want  string // in the error; "" for none
	}{
		{"complete", map[string]string{"de.json": string(engineNB), "l.de.json": `{"l.a": "{{.n}} zu spät", "l.b": "früh"}`}, ""},
		{"a label missing", map[string]string{"l.de.json": `{"l.a": "{{.n}} zu spät"}`}, "l.de.json: l.b: missing (it is in l.en.json)"},
		{"an ID the labels lack", map[string]string{"l.de.json": `{"l.a": "{{.n}} zu spät", "l.b": "früh", "l.c": "x"}`}, "l.de.json: l.c: is not in l.en.json"},
		{"an arg renamed", map[string]string{"l.de.json": `{"l.a": "{{.m}} zu spät", "l.b": "früh"}`}, "l.de.json: l.a: (other) reads [m]"},
		{"an engine message missing", map[string]string{"de.json": `{"time.layout": "02.01.2006 15:04"}`}, "de.json: unit.days: missing (it is in en.json)"},
		{"no English anywhere", map[string]string{"m.de.json": `{"m.a": "x"}`}, "no English file m.en.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			err := recommend.CheckMessages(fsys, labels)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
