package catalogue_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/collabmeet/collabmeet/internal/terminology"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMessagesCatalogue: the catalogue's message files (THEME.LANG.json)
// are complete in every language, with the same placeholders and plural
// forms as English, none left in English, none using a word the bokmål
// terminology avoids.
func TestMessagesCatalogue(t *testing.T) {
	messages := catalogue.Builtin().Messages
	require.NoError(t, recommend.CheckMessages(messages))
	avoided, err := terminology.CheckBokmal(messages)
	require.NoError(t, err)
	assert.Empty(t, avoided)
}

// catTexts are the texts of the built-in catalogue.
func catTexts(t *testing.T) *recommend.Texts {
	t.Helper()
	texts, err := recommend.NewTexts(catalogue.Builtin().Messages)
	require.NoError(t, err)
	return texts
}

// TestMessagesCatalogueUsed holds that every message the rules use exists in
// every language: title, statement, rationale and source, the message and
// remedy of each reason, each fix, each parameter.
func TestMessagesCatalogueUsed(t *testing.T) {
	texts := catTexts(t)
	for _, r := range catalogue.Builtin().Rules {
		ids := []string{r.ID + ".title", r.ID + ".statement", r.ID + ".rationale", r.ID + ".source"}
		for _, reason := range r.Reasons {
			ids = append(ids, r.ID+"."+reason+".message", r.ID+"."+reason+".remedy")
		}
		for _, fix := range r.Fixes {
			ids = append(ids, r.ID+".fix."+fix)
		}
		for _, p := range r.Params {
			ids = append(ids, "param."+p.Name)
		}
		ids = append(ids, "theme."+string(r.Theme), "severity."+string(r.Severity), "phase."+string(r.Phase))
		for _, id := range ids {
			for _, lang := range recommend.EngineTexts().Langs() {
				if !texts.Has(lang, id) {
					t.Errorf("%s: %s uses %s, which is missing", lang, r.ID, id)
				}
			}
		}
	}
}

// TestMessagesCatalogueRendered checks every gap case of the rules in
// bokmål: each finding's subject, message, remedy and fixes render from
// the message files with the finding's args, and none is the English one.
func TestMessagesCatalogueRendered(t *testing.T) {
	for _, tc := range allCases() {
		if tc.outcome != outGap {
			continue
		}
		t.Run(tc.id+"/"+tc.name, func(t *testing.T) {
			texts := map[recommend.Lang][]string{}
			for _, lang := range recommend.EngineTexts().Langs() {
				c := reference(t)
				if tc.mutate != nil {
					tc.mutate(c)
				}
				res := resultFor(t, mustEngine(t, tc.policy, recommend.WithLang(lang)).Check(c), tc.id)
				for _, f := range res.Findings {
					out := []string{f.Subject, f.Message, f.Remedy}
					for _, fx := range f.Fixes {
						out = append(out, fx.Message)
					}
					for _, text := range out {
						if text == "" || strings.Contains(text, "<no value>") || strings.Contains(text, f.Code) {
							t.Errorf("%s: %s renders as %q", lang, f.Code, text)
						}
					}
					texts[lang] = append(texts[lang], out...)
				}
			}
			en := texts[recommend.English]
			for i, text := range texts[recommend.Bokmal] {
				if i < len(en) && text == en[i] && strings.ContainsFunc(text, unicode.IsLetter) {
					t.Errorf("nb: %q is the English text", text)
				}
			}
		})
	}
}
