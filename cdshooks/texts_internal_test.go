package cdshooks

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCDSCardTextsCached: the texts that are the same on every request are
// rendered once per language and then taken from the service's cache (the
// cache of the answer's language fills; TestCDSAnswersGolden holds that
// the answers are those rendered without it), and a second answer is the
// first byte for byte.
func TestCDSCardTextsCached(t *testing.T) {
	svc, err := New(recommend.Policy{})
	require.NoError(t, err)
	body, err := os.ReadFile("testdata/booking-empty-agenda.json")
	require.NoError(t, err)
	for _, lang := range svc.langs {
		t.Run(lang.String(), func(t *testing.T) {
			var answers [][]byte
			for range 2 {
				req := httptest.NewRequest(http.MethodPost, "/cds-services/"+ServiceID, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept-Language", lang.String())
				rec := httptest.NewRecorder()
				svc.ServeHTTP(rec, req)
				require.Equal(t, http.StatusOK, rec.Code, "%s", rec.Body.Bytes())
				answers = append(answers, rec.Body.Bytes())
			}
			assert.Equal(t, string(answers[0]), string(answers[1]))
			n := 0
			svc.cardTexts[lang].m.Range(func(_, _ any) bool { n++; return true })
			assert.Positive(t, n, "no text of the cards in %s was cached", lang)
		})
	}
}
