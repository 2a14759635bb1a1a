package cataloguedoc_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/collabmeet/collabmeet/internal/cataloguedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// acmeSource is the source of a clinic's own rule, set in Go: it has no
// message "ACME-01.source".
const acmeSource = "ACME clinic routine 12.3"

// acmeMessages are the texts of the clinic's rule, in English and bokmål.
var acmeMessages = fstest.MapFS{
	"acme.en.json": {Data: []byte(`{"ACME-01.title": "Opening hours", "ACME-01.statement": "Within opening hours.",
		"ACME-01.rationale": "Staff.", "ACME-01.early.message": "Early.", "ACME-01.early.remedy": "Later."}`)},
	"acme.nb.json": {Data: []byte(`{"ACME-01.title": "Åpningstid", "ACME-01.statement": "Innenfor åpningstiden.",
		"ACME-01.rationale": "Ansatte.", "ACME-01.early.message": "Tidlig.", "ACME-01.early.remedy": "Senere."}`)},
}

// engine is the built-in catalogue with the clinic's rule.
func engine(t *testing.T) *recommend.Engine {
	t.Helper()
	rule := recommend.Rule{
		Recommendation: recommend.Recommendation{
			ID: "ACME-01", Source: acmeSource, Theme: catalogue.ThemeMeetingClimate,
			Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseBefore, Reasons: []string{"early"},
		},
		Check: func(*recommend.Pass) error { return nil },
	}
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithRules(rule), recommend.WithMessages(acmeMessages))
	require.NoError(t, err)
	return e
}

// TestSourcesInEachLanguage: explain, the Markdown catalogue and the JSON
// catalogue show a built-in recommendation's source in the language asked
// for (its message "<ID>.source"), and a custom rule's source set in Go as
// it is, in every language.
func TestSourcesInEachLanguage(t *testing.T) {
	e := engine(t)
	texts := e.Texts()
	builtin, ok := e.Recommendation("PC-04")
	require.True(t, ok)
	custom, ok := e.Recommendation("ACME-01")
	require.True(t, ok)
	require.Equal(t, acmeSource, custom.Source)
	for _, lang := range recommend.EngineTexts().Langs() {
		t.Run(lang.String(), func(t *testing.T) {
			label := cataloguedoc.Labels().Text(lang, "catalogue.source", nil)
			want := map[string]string{"PC-04": texts.Text(lang, "PC-04.source", nil), "ACME-01": acmeSource}
			for _, r := range []recommend.Recommendation{builtin, custom} {
				var out bytes.Buffer
				require.NoError(t, cataloguedoc.Explain(&out, e, lang, r))
				assert.Contains(t, out.String(), "  "+label+":", r.ID)
				assert.Contains(t, out.String(), " "+want[r.ID]+"\n", r.ID)
			}

			var md bytes.Buffer
			require.NoError(t, cataloguedoc.Markdown(&md, e, lang))
			for id, source := range want {
				assert.Contains(t, md.String(), "- **"+label+":** "+source+"\n", id)
			}

			var js bytes.Buffer
			require.NoError(t, cataloguedoc.JSON(&js, e, lang))
			var doc struct {
				Recommendations []recommend.Recommendation `json:"recommendations"`
			}
			require.NoError(t, json.Unmarshal(js.Bytes(), &doc))
			got := map[string]string{}
			for _, r := range doc.Recommendations {
				got[r.ID] = r.Source
			}
			for id, source := range want {
				assert.Equal(t, source, got[id], id)
			}
		})
	}
	assert.NotEqual(t, texts.Text(recommend.English, "PC-04.source", nil), texts.Text(recommend.Bokmal, "PC-04.source", nil))
	assert.True(t, strings.HasPrefix(texts.Text(recommend.Bokmal, "PC-04.source", nil), "H25 ("))
}
