package main

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/internal/cataloguedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/recommendtest"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// builtinTexts returns every text of the built-in catalogue that a person
// may read in a report: its theme titles, rule titles and documentation
// link, in every language. None may show in the clinic's output.
func builtinTexts(t *testing.T) []string {
	t.Helper()
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	out := []string{catalogue.DocURL}
	for _, lang := range e.Langs() {
		for _, d := range e.Themes() {
			out = append(out, e.Texts().Theme(lang, d.ID))
		}
		for _, r := range e.Recommendations() {
			out = append(out, r.ID+" ", e.Text(lang, r.ID+".title", nil))
		}
	}
	require.NotEmpty(t, out)
	return out
}

// assertClinicOnly checks that out shows the clinic's texts and none of the
// built-in catalogue's.
func assertClinicOnly(t *testing.T, out string, builtin []string, msgAndArgs ...any) {
	t.Helper()
	for _, s := range builtin {
		assert.NotContains(t, out, s, msgAndArgs...)
	}
	assert.Contains(t, out, "ROOM-01", msgAndArgs...)
}

func TestCatalogueIsComplete(t *testing.T) {
	cat, err := Catalogue()
	require.NoError(t, err)
	require.NoError(t, cat.Validate())
	require.NoError(t, recommend.CheckMessages(os.DirFS("messages"), recommendtest.LabelMessages()...), "every text in English and German")
	e, err := recommend.New(cat, recommend.Policy{})
	require.NoError(t, err)
	assert.Equal(t, language.German, e.Lang(), "the catalogue's default language")
	assert.Equal(t, []recommend.Lang{recommend.English, language.German}, e.Langs(), "a German message file makes German available")
	_, err = recommend.New(cat, recommend.Policy{}, recommend.WithLang(recommend.Bokmal))
	assert.ErrorContains(t, err, `no message file in language "nb"`, "the clinic brings no Norwegian")
	for _, lang := range e.Langs() {
		for _, r := range e.Recommendations() {
			_, err := e.Texts().Render(lang, r.ID+".title", nil)
			assert.NoError(t, err, "%s %s", lang, r.ID)
		}
	}
	_, err = e.Texts().Render(language.German, "no.such.message", nil)
	assert.ErrorIs(t, err, recommend.ErrNoMessage)
}

func TestCheckInEveryFormat(t *testing.T) {
	builtin := builtinTexts(t)
	cat, err := Catalogue()
	require.NoError(t, err)
	for _, lang := range []recommend.Lang{language.German, recommend.English} {
		e, err := recommend.New(cat, recommend.Policy{}, recommend.WithLang(lang))
		require.NoError(t, err)
		rep := e.Check(Case())
		require.Len(t, rep.Results, len(cat.Rules))
		require.Len(t, rep.Summary.Themes, len(cat.Themes))
		for i, d := range cat.Themes {
			assert.Equal(t, d.ID, rep.Summary.Themes[i].Theme, "the scores are the catalogue's themes, in order")
		}
		assert.Equal(t, DocURL+"#room-01", rep.Results[0].Doc, "the catalogue's DocURL and the anchor")
		assert.Equal(t, cat.Rules[1].Doc, rep.Results[1].Doc, "a rule's own Doc")
		opts := report.Options{Engine: e}
		for _, f := range report.Formats() {
			if f.Report != nil {
				var out bytes.Buffer
				require.NoError(t, f.Report(&out, opts, rep), f.Name)
				assertClinicOnly(t, out.String(), builtin, "%s %s", lang, f.Name)
				if f.Name != "json" && f.Name != "fhir" && f.Name != "junit" {
					assert.Contains(t, out.String(), e.Texts().Theme(lang, ThemeRooms), "%s %s: the clinic's theme title", lang, f.Name)
				}
			}
			if f.Aggregate != nil {
				agg := &recommend.Aggregate{}
				agg.Add(rep)
				var out bytes.Buffer
				require.NoError(t, f.Aggregate(&out, report.Options{Engine: e, Lang: lang}, agg), f.Name)
				assertClinicOnly(t, out.String(), builtin, "%s aggregate %s", lang, f.Name)
			}
		}
		assert.Empty(t, e.Texts().Missing(), "no text shows its message ID")
	}
}

func TestExplain(t *testing.T) {
	builtin := builtinTexts(t)
	cat, err := Catalogue()
	require.NoError(t, err)
	e, err := recommend.New(cat, recommend.Policy{})
	require.NoError(t, err)
	for _, lang := range e.Langs() {
		for _, r := range e.Recommendations() {
			var out bytes.Buffer
			require.NoError(t, cataloguedoc.Explain(&out, e, lang, r))
			got := out.String()
			assert.Contains(t, got, e.Text(lang, r.ID+".statement", nil))
			assert.Contains(t, got, e.Texts().Theme(lang, r.Theme))
			if r.ID == "ROOM-01" {
				assertClinicOnly(t, got, builtin, "%s %s", lang, r.ID)
			}
		}
		var out bytes.Buffer
		require.NoError(t, cataloguedoc.Text(&out, e, lang))
		for _, s := range builtin[1:] { // the catalogue's heading names collabmeet, not a built-in text
			assert.NotContains(t, out.String(), s, lang)
		}
	}
}

func TestRecommendtest(t *testing.T) {
	cat, err := Catalogue()
	require.NoError(t, err)
	opt := recommendtest.WithCatalogue(cat)
	recommendtest.AssertGap(t, Case(), "ROOM-01", opt)
	recommendtest.AssertGap(t, Case(), "REC-01", opt)
	err = recommendtest.Check(Case(), opt, recommendtest.WithLang(language.German))
	var gaps *recommendtest.GapError
	require.True(t, errors.As(err, &gaps), "%v", err)
	assert.Contains(t, err.Error(), "Es ist kein Videoraum angegeben.")
	for _, s := range builtinTexts(t) {
		assert.NotContains(t, err.Error(), s)
	}

	c := Case()
	c.Meeting.Platform, c.Meeting.DurationMinutes = "klinik-video-3", 45
	recommendtest.AssertCompliant(t, c, opt)
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	got := out.String()
	assert.Contains(t, got, "Ein digitales Treffen nennt seinen Videoraum  (Räume und Plattformen)")
	assert.Contains(t, got, "A digital meeting names its video room  (Rooms and platforms)")
	assert.Equal(t, 2, strings.Count(got, DocURL+"#room-01"))
}
