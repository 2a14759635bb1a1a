package recommend_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withSource returns acmeMessages with the message ACME-01.source in
// English and bokmål; none when en is empty.
func withSource(en, nb string) fstest.MapFS {
	fsys := fstest.MapFS{"acme.en.json": acmeMessages["acme.en.json"]}
	if en == "" {
		return fsys
	}
	fsys["source.en.json"] = &fstest.MapFile{Data: []byte(`{"ACME-01.source": "` + en + `"}`)}
	fsys["source.nb.json"] = &fstest.MapFile{Data: []byte(`{"ACME-01.source": "` + nb + `"}`)}
	return fsys
}

// TestSourceOfRecommendation: a source set in Go is shown as it is, in
// every language; a source kept as the message "<ID>.source" fills Source
// in English and is shown in each language; both at once must be one text.
func TestSourceOfRecommendation(t *testing.T) {
	for _, tc := range []struct {
		name, goSource, enMsg, nbMsg string
		wantEN, wantNB               string
		wantErr                      bool
	}{
		{name: "Go field alone", goSource: "ACME routine 12.3", wantEN: "ACME routine 12.3", wantNB: "ACME routine 12.3"},
		{name: "message alone", enMsg: "ACME (long meetings)", nbMsg: "ACME (lange møter)", wantEN: "ACME (long meetings)", wantNB: "ACME (lange møter)"},
		{name: "both, the same text", goSource: "ACME (long meetings)", enMsg: "ACME (long meetings)", nbMsg: "ACME (lange møter)",
			wantEN: "ACME (long meetings)", wantNB: "ACME (lange møter)"},
		{name: "both, two texts", goSource: "ACME", enMsg: "ACME (long meetings)", nbMsg: "ACME (lange møter)", wantErr: true},
		{name: "neither"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := customRule()
			r.Source = tc.goSource
			e, err := recommend.New(recommend.Catalogue{Themes: catalogue.Themes(), Rules: []recommend.Rule{r}, Messages: withSource(tc.enMsg, tc.nbMsg)}, recommend.Policy{})
			if tc.wantErr {
				require.ErrorIs(t, err, recommend.ErrRuleSet)
				var verr *validation.Error
				require.True(t, errors.As(err, &verr))
				assert.Equal(t, []string{`"ACME-01"`}, verr.Paths())
				assert.Contains(t, err.Error(), `"ACME-01.source"`)
				return
			}
			require.NoError(t, err)
			rec, ok := e.Recommendation("ACME-01")
			require.True(t, ok)
			assert.Equal(t, tc.wantEN, rec.Source, "Source is the English text")
			assert.Equal(t, tc.wantEN, e.Texts().Source(recommend.English, &rec))
			assert.Equal(t, tc.wantNB, e.Texts().Source(recommend.Bokmal, &rec))
			assert.Equal(t, tc.goSource, r.Source, "New does not change the caller's rule")
		})
	}
}

// TestSourceOfBuiltin: the built-in catalogue keeps every source in its
// message files alone: Builtin and the engine fill Source from the English
// message, and the bokmål one is another message.
func TestSourceOfBuiltin(t *testing.T) {
	cat := catalogue.Builtin()
	texts, err := recommend.NewTexts(cat.Messages)
	require.NoError(t, err)
	e := mustEngine(t, recommend.Policy{})
	recs := e.Recommendations()
	require.Len(t, recs, len(cat.Rules))
	for i, r := range cat.Rules {
		id := r.ID + ".source"
		for _, lang := range recommend.EngineTexts().Langs() {
			require.True(t, texts.Has(lang, id), "%s: %s", lang, id)
		}
		assert.Empty(t, r.Source, "%s: the source is a message, New fills it", r.ID)
		assert.Equal(t, texts.Text(recommend.English, id, nil), recs[i].Source, r.ID)
		assert.Equal(t, texts.Text(recommend.Bokmal, id, nil), e.Texts().Source(recommend.Bokmal, &recs[i]), r.ID)
	}
	// Builtin's rules may go back to New as they are: their Source is the message.
	_, err = recommend.New(cat, recommend.Policy{})
	require.NoError(t, err)
	cat.Rules[0].Source = "edited in Go"
	_, err = recommend.New(cat, recommend.Policy{})
	require.ErrorIs(t, err, recommend.ErrRuleSet, "one text, one place")
}
