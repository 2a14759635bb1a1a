package cdshooks_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clinicBase is the canonical base of a hospital network's own.
const clinicBase = "https://fhir.clinic.example/collabmeet"

// atBase returns req as an EHR configured with the canonical base base sends
// it: every URL of the mapping (extensions, code systems, the participant
// identifier system: at fhir.DefaultCanonical in booking's requests) under
// base instead. Nothing else changes.
func atBase(t testing.TB, req *cdshooks.Request, base string) *cdshooks.Request {
	t.Helper()
	from := []byte(`"` + fhir.DefaultCanonical + "/")
	to := []byte(`"` + base + "/")
	move := func(v jsontext.Value) jsontext.Value {
		require.True(t, bytes.Contains(v, from) || bytes.Equal(v, []byte("null")) || !bytes.Contains(v, []byte("extension")))
		return bytes.ReplaceAll(v, from, to)
	}
	out := *req
	ctx := *req.Context
	ctx.Appointments = move(ctx.Appointments)
	out.Context = &ctx
	out.Prefetch = map[string]jsontext.Value{}
	for k, v := range req.Prefetch {
		out.Prefetch[k] = move(v)
	}
	return &out
}

// extensionURLsOf returns every extension url (sub-extensions too) of a
// FHIR resource.
func extensionURLsOf(t testing.TB, resource jsontext.Value) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(resource, &v))
	var urls []string
	var walk func(v any, inExtension bool)
	walk = func(v any, inExtension bool) {
		switch x := v.(type) {
		case map[string]any:
			if u, ok := x["url"].(string); ok && inExtension && strings.Contains(u, "/") {
				urls = append(urls, u)
			}
			for k, val := range x {
				walk(val, k == "extension")
			}
		case []any:
			for _, val := range x {
				walk(val, inExtension)
			}
		}
	}
	walk(v, false)
	return urls
}

// TestCDSExtensionsAtCanonicalBase: a service made with WithCanonicalBase
// reads the extensions of a request from an EHR configured with the same
// base, answers with the same cards as the default service gives the same
// request at the default base, and writes the suggestion's updated
// Appointment with its extensions at that base, which reads back without the
// gaps it fixes. A request at another base is refused (422) at the path of
// each extension, naming neither data nor the base it came with; discovery
// does not depend on the base.
func TestCDSExtensionsAtCanonicalBase(t *testing.T) {
	def := newServer(t, recommend.Policy{}, withTestRules)
	clinic := newServer(t, recommend.Policy{}, cdshooks.WithCanonicalBase(clinicBase), withTestRules)
	other := newServer(t, recommend.Policy{}, cdshooks.WithCanonicalBase("https://fhir.kommune.example/fhir"), withTestRules)
	ext := fhir.Conformance{Canonical: clinicBase}.ExtensionURL("")

	t.Run("cards and suggestion at the base", func(t *testing.T) {
		atDefault := booking(t, fixable(t))
		req := atBase(t, atDefault, clinicBase)
		want := call(t, def, atDefault)
		got := call(t, clinic, req)
		assert.Equal(t, topics(want.Cards), topics(got.Cards), "the same meeting, the same gaps")

		holder, fixedIDs := suggestionOf(t, got.Cards, "")
		update := holder.Suggestions[0].Actions[0].Resource
		assert.Subset(t, fixedIDs, []string{"TEST-01", "TEST-02"})
		urls := extensionURLsOf(t, update)
		require.NotEmpty(t, urls)
		for _, u := range urls {
			assert.True(t, strings.HasPrefix(u, ext), "the update's extension %s is at the service's base", u)
		}
		defHolder, _ := suggestionOf(t, want.Cards, "")
		assert.Equal(t, string(defHolder.Suggestions[0].Actions[0].Resource),
			strings.ReplaceAll(string(update), `"`+clinicBase+"/", `"`+fhir.DefaultCanonical+"/"),
			"the update is the default service's, at the service's base")

		again := call(t, clinic, withAppointment(t, req, update))
		for _, id := range fixedIDs {
			_, still := cardFor(again.Cards, id)
			assert.False(t, still, "%s is still a gap after its fix", id)
		}
	})

	for _, tc := range []struct {
		name       string
		srv        *httptest.Server
		sent, base string // the base the EHR sends at, and the one the service reads at
	}{
		{"the default base to a clinic's service", clinic, fhir.DefaultCanonical, clinicBase},
		{"a clinic's base to the default service", def, clinicBase, fhir.DefaultCanonical},
		{"a clinic's base to another's service", other, clinicBase, "https://fhir.kommune.example/fhir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := atBase(t, booking(t, fixable(t)), tc.sent)
			rep := do(t, tc.srv, http.MethodPost, servicePath, mustJSON(t, req), "Content-Type", "application/json")
			require.Equal(t, http.StatusUnprocessableEntity, rep.status, "%s", rep.body)
			var er cdshooks.ErrorResponse
			require.NoError(t, json.Unmarshal(rep.body, &er))
			assert.Equal(t, cdshooks.ErrCodeUnprocessable, er.Code)
			refused := 0
			for _, p := range er.Problems {
				if strings.Contains(p.Message, "under another canonical base") {
					refused++
					assert.True(t, strings.HasPrefix(p.Path, "context.appointments.entry[0].resource.") || strings.HasPrefix(p.Path, "prefetch."), p.Path)
					assert.True(t, strings.HasSuffix(p.Path, ".url"), p.Path)
					assert.Contains(t, p.Message, "than "+tc.base+",")
				}
			}
			assert.Positive(t, refused)
			assert.NotContains(t, string(rep.body), tc.sent+"/StructureDefinition", "the request's URLs are not echoed")
		})
	}

	t.Run("discovery does not depend on the base", func(t *testing.T) {
		a := do(t, def, http.MethodGet, "/cds-services", nil)
		b := do(t, clinic, http.MethodGet, "/cds-services", nil)
		require.Equal(t, http.StatusOK, a.status)
		assert.Equal(t, string(a.body), string(b.body))
	})
}
