package cdshooks_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCDSDiscovery(t *testing.T) {
	srv := newServer(t, recommend.Policy{})
	for _, tc := range []struct {
		name, lang, title string
	}{
		{"English", "", "collabmeet: check a collaboration meeting while it is booked"},
		{"Norwegian", "nb-NO, en;q=0.5", "collabmeet: sjekk et samarbeidsmøte mens det bookes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := do(t, srv, http.MethodGet, "/cds-services", nil, "Accept-Language", tc.lang)
			require.Equal(t, http.StatusOK, rep.status)
			assert.Equal(t, "application/json", rep.header.Get("Content-Type"))
			validateJSON(t, servicesSchema, rep.body)
			var got cdshooks.Services
			require.NoError(t, json.Unmarshal(rep.body, &got))
			require.Len(t, got.Services, 1)
			s := got.Services[0]
			assert.Equal(t, cdshooks.ServiceID, s.ID)
			assert.Equal(t, cdshooks.Hook, s.Hook)
			assert.Equal(t, tc.title, s.Title)
			assert.Contains(t, s.Description, "fhirServer", "the description says the service does not fetch")
			assert.Contains(t, s.UsageRequirements, "412")
			assert.Equal(t, cdshooks.Prefetch(), s.Prefetch)
			for _, key := range []string{cdshooks.PrefetchPatient, cdshooks.PrefetchCareTeam, cdshooks.PrefetchConsents, cdshooks.PrefetchCarePlan} {
				assert.Contains(t, s.Prefetch[key], "{{context.patientId}}", key)
			}
			assert.True(t, strings.HasPrefix(s.Prefetch[cdshooks.PrefetchCareTeam], "CareTeam?patient={{context.patientId}}&status=active"))
		})
	}
	t.Run("a trailing slash and HEAD", func(t *testing.T) {
		assert.Equal(t, http.StatusOK, do(t, srv, http.MethodGet, "/cds-services/", nil).status)
		assert.Equal(t, http.StatusOK, do(t, srv, http.MethodHead, "/cds-services", nil).status)
	})
}

func TestCDSCompliantBooking(t *testing.T) {
	srv := newServer(t, recommend.Policy{})
	req := booking(t, loadCase(t))
	rep := do(t, srv, http.MethodPost, servicePath, mustJSON(t, req), "Content-Type", "application/json")
	require.Equal(t, http.StatusOK, rep.status, "%s", rep.body)
	validateJSON(t, responseSchema, rep.body)
	assert.JSONEq(t, `{"cards":[]}`, string(rep.body))
	assert.Equal(t, "en", rep.header.Get("Content-Language"))
}

// withoutConsent removes the consents of the participant with the role.
func withoutConsent(c *casedoc.Case, role meeting.Role) *casedoc.Case {
	for _, p := range c.Meeting.Participants {
		if p.Role == role {
			c.Consents = slices.DeleteFunc(c.Consents, func(x consent.Consent) bool { return x.GranteeID == p.ID })
		}
	}
	return c
}

func TestCDSSupervisorWithoutConsent(t *testing.T) {
	srv := newServer(t, recommend.Policy{})
	resp := call(t, srv, booking(t, withoutConsent(loadCase(t), meeting.RoleSocialSecuritySupervisor)))
	require.NotEmpty(t, resp.Cards)
	card, ok := cardFor(resp.Cards, "PC-04")
	require.True(t, ok, "cards: %v", topics(resp.Cards))
	rec, ok := catalogue.Lookup("PC-04")
	require.True(t, ok)
	require.True(t, rec.Protected)

	assert.Equal(t, cdshooks.IndicatorCritical, card.Indicator)
	assert.Empty(t, card.OverrideReasons, "a protected recommendation cannot be overridden")
	assert.Empty(t, card.Suggestions, "a fix never creates a consent")
	assert.Equal(t, catalogue.DocURL+"#"+rec.Anchor(), card.Source.URL)
	assert.Equal(t, cdshooks.TopicSystem, card.Source.Topic.System)
	assert.Equal(t, "collabmeet recommendation PC-04", card.Source.Label)
	assert.Equal(t, "NAV supervisor (participant 7): This third party holds no consent to attend that is valid at the start of the meeting: there is no consent.", card.Summary)
	assert.Contains(t, card.Detail, "**NAV supervisor (participant 7)**")
	assert.Contains(t, card.Detail, "`PC-04.no_valid_consent`")
	assert.Contains(t, card.Detail, "cannot be overridden")
	assert.Contains(t, card.Detail, "`Practitioner/2f386db2-7c36-56a1-9bd2-1bd40afc9dc6`", "the finding names the EHR's record")

	// The card is the same on every call: its UUID comes from the hookInstance.
	again := call(t, srv, booking(t, withoutConsent(loadCase(t), meeting.RoleSocialSecuritySupervisor)))
	assert.Equal(t, resp, again)
}
