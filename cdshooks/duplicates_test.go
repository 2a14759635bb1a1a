package cdshooks_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// supervisorConsent returns the index in c.Consents of the NAV
// supervisor's consent.
func supervisorConsent(t testing.TB, c *casedoc.Case) int {
	t.Helper()
	k := slices.IndexFunc(c.Meeting.Participants, func(p meeting.Participant) bool {
		return p.Role == meeting.RoleSocialSecuritySupervisor
	})
	require.GreaterOrEqual(t, k, 0)
	i := slices.IndexFunc(c.Consents, func(x consent.Consent) bool { return x.GranteeID == c.Meeting.Participants[k].ID })
	require.GreaterOrEqual(t, i, 0)
	return i
}

// entryOf returns the entry of a prefetch key's Bundle with the fullUrl.
func entryOf(t testing.TB, req *cdshooks.Request, key, fullURL string) fhirEntry {
	t.Helper()
	var b fhirBundle
	require.NoError(t, json.Unmarshal(req.Prefetch[key], &b))
	i := slices.IndexFunc(b.Entry, func(e fhirEntry) bool { return e.FullURL == fullURL })
	require.GreaterOrEqual(t, i, 0, "no entry %s in %s", fullURL, key)
	return b.Entry[i]
}

// withEntry puts e into the Bundle of a prefetch key: first or last.
func withEntry(t testing.TB, req *cdshooks.Request, key string, e fhirEntry, first bool) *cdshooks.Request {
	t.Helper()
	var b fhirBundle
	require.NoError(t, json.Unmarshal(req.Prefetch[key], &b))
	if first {
		b.Entry = append([]fhirEntry{e}, b.Entry...)
	} else {
		b.Entry = append(b.Entry, e)
	}
	out := *req
	out.Prefetch = make(map[string]jsontext.Value, len(req.Prefetch)+1)
	maps.Copy(out.Prefetch, req.Prefetch)
	out.Prefetch[key] = mustJSON(t, b)
	return &out
}

// withPatientChanged is req with its patient key holding the Patient of
// its careTeam Bundle with one member set to v: the same resource (type and
// id) as that entry, other content.
func withPatientChanged(t testing.TB, req *cdshooks.Request, member string, v any) *cdshooks.Request {
	t.Helper()
	var team fhirBundle
	require.NoError(t, json.Unmarshal(req.Prefetch[cdshooks.PrefetchCareTeam], &team))
	k := slices.IndexFunc(team.Entry, func(e fhirEntry) bool { return strings.Contains(string(e.Resource), `"resourceType":"Patient"`) })
	require.GreaterOrEqual(t, k, 0)
	out := *req
	out.Prefetch = make(map[string]jsontext.Value, len(req.Prefetch)+1)
	maps.Copy(out.Prefetch, req.Prefetch)
	out.Prefetch[cdshooks.PrefetchPatient] = changed(t, team.Entry[k].Resource, member, v)
	return &out
}

// changed returns the resource with one member set to v.
func changed(t testing.TB, resource jsontext.Value, member string, v any) jsontext.Value {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(resource, &m))
	m[member] = v
	return mustJSON(t, m)
}

// TestCDSDuplicateResources: two copies of one resource in the request
// (the same fullUrl, or type and id) are read once when they hold the same
// data, and refused with 422 naming both places when they differ, whatever
// their order. The withdrawn copy of a consent given with the active one
// must not make the answer depend on which comes first.
func TestCDSDuplicateResources(t *testing.T) {
	srv := newServer(t, recommend.Policy{})
	c := loadCase(t)
	i := supervisorConsent(t, c)
	req := booking(t, c)
	withdrawnCase := loadCase(t)
	withdrawnCase.Consents[i].WithdrawnAt = withdrawnCase.Meeting.Start.Add(-24 * time.Hour)
	withdrawnReq := booking(t, withdrawnCase)

	// The consent as the request has it, and its withdrawn copy (same
	// fullUrl and id, status inactive, withdrawn-at): the one entry the two
	// requests differ in.
	var consents, withdrawnConsents fhirBundle
	require.NoError(t, json.Unmarshal(req.Prefetch[cdshooks.PrefetchConsents], &consents))
	require.NoError(t, json.Unmarshal(withdrawnReq.Prefetch[cdshooks.PrefetchConsents], &withdrawnConsents))
	require.Len(t, withdrawnConsents.Entry, len(consents.Entry))
	fullURL, at := "", -1
	for k, e := range consents.Entry {
		if string(e.Resource) != string(withdrawnConsents.Entry[k].Resource) {
			require.Equal(t, -1, at)
			fullURL, at = e.FullURL, k
		}
	}
	require.NotEmpty(t, fullURL)
	i = at
	active := entryOf(t, req, cdshooks.PrefetchConsents, fullURL)
	withdrawn := entryOf(t, withdrawnReq, cdshooks.PrefetchConsents, fullURL)
	require.NotEqual(t, string(active.Resource), string(withdrawn.Resource))
	require.Contains(t, string(withdrawn.Resource), "withdrawn-at")

	// Without duplicates: the active consent gives no card, the withdrawn
	// one a critical PC-04.
	assert.Empty(t, call(t, srv, req).Cards)
	pc04, ok := cardFor(call(t, srv, withdrawnReq).Cards, "PC-04")
	require.True(t, ok)
	assert.Equal(t, cdshooks.IndicatorCritical, pc04.Indicator)

	n := len(consents.Entry)
	otherName := []any{map[string]any{"family": "Testesen", "given": []any{"Kari"}}}
	consentAt := func(k int) string { return fmt.Sprintf("prefetch.consents.entry[%d].resource", k) }
	for _, tc := range []struct {
		name     string
		req      *cdshooks.Request
		problems map[string]string // path: the place the message names
	}{
		{"withdrawn first", withEntry(t, req, cdshooks.PrefetchConsents, withdrawn, true),
			map[string]string{consentAt(i + 1): consentAt(0)}},
		{"active first", withEntry(t, withdrawnReq, cdshooks.PrefetchConsents, active, true),
			map[string]string{consentAt(i + 1): consentAt(0)}},
		{"withdrawn last", withEntry(t, req, cdshooks.PrefetchConsents, withdrawn, false),
			map[string]string{consentAt(n): consentAt(i)}},
		{"a Patient that differs from the patient key", withPatientChanged(t, req, "name", otherName), map[string]string{"prefetch.patient": "prefetch.careTeam.entry"}},
		{"a Practitioner given twice, differing", func() *cdshooks.Request {
			var team fhirBundle
			require.NoError(t, json.Unmarshal(req.Prefetch[cdshooks.PrefetchCareTeam], &team))
			k := slices.IndexFunc(team.Entry, func(e fhirEntry) bool { return strings.Contains(string(e.Resource), `"resourceType":"Practitioner"`) })
			require.GreaterOrEqual(t, k, 0)
			e := team.Entry[k]
			e.Resource = changed(t, e.Resource, "name", otherName)
			return withEntry(t, req, cdshooks.PrefetchCareTeam, e, false)
		}(), map[string]string{fmt.Sprintf("prefetch.careTeam.entry[%d].resource", countEntries(t, req, cdshooks.PrefetchCareTeam)): "prefetch.careTeam.entry"}},
		{"an Appointment given twice, differing", func() *cdshooks.Request {
			var b fhirBundle
			require.NoError(t, json.Unmarshal(req.Context.Appointments, &b))
			e := b.Entry[0]
			e.Resource = changed(t, e.Resource, "minutesDuration", 5)
			b.Entry = append(b.Entry, e)
			out := *req
			ctx := *req.Context
			ctx.Appointments = mustJSON(t, b)
			out.Context = &ctx
			return &out
		}(), map[string]string{"context.appointments.entry[1].resource": "context.appointments.entry[0].resource"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := mustJSON(t, tc.req)
			rep := do(t, srv, http.MethodPost, servicePath, body, "Content-Type", "application/json")
			e := errorReply(t, rep, http.StatusUnprocessableEntity, cdshooks.ErrCodeUnprocessable)
			require.Len(t, e.Problems, len(tc.problems), "%s", rep.body)
			for path, other := range tc.problems {
				k := slices.IndexFunc(e.Problems, func(p validation.Problem) bool { return p.Path == path })
				require.GreaterOrEqual(t, k, 0, "no problem at %s: %s", path, rep.body)
				assert.Contains(t, e.Problems[k].Message, other)
				assert.Contains(t, e.Problems[k].Message, "other content")
			}
			assert.False(t, containsAny(string(rep.body), append(personalData(t, c), "Testesen")...), "%s", rep.body)
		})
	}

	// Identical copies are read once: the answer is that of one copy.
	for _, tc := range []struct {
		name  string
		req   *cdshooks.Request
		cards []string
	}{
		{"the active consent twice", withEntry(t, req, cdshooks.PrefetchConsents, active, true), nil},
		{"the withdrawn consent twice", withEntry(t, withdrawnReq, cdshooks.PrefetchConsents, withdrawn, false), topics(call(t, srv, withdrawnReq).Cards)},
		{"a Patient that differs only in what the mapping does not read", withPatientChanged(t, req, "gender", "unknown"), nil},
		{"the Appointment twice", func() *cdshooks.Request {
			var b fhirBundle
			require.NoError(t, json.Unmarshal(withdrawnReq.Context.Appointments, &b))
			b.Entry = append(b.Entry, b.Entry[0])
			out := *withdrawnReq
			ctx := *withdrawnReq.Context
			ctx.Appointments = mustJSON(t, b)
			out.Context = &ctx
			return &out
		}(), topics(call(t, srv, withdrawnReq).Cards)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.cards, topics(call(t, srv, tc.req).Cards))
		})
	}
}

func countEntries(t testing.TB, req *cdshooks.Request, key string) int {
	t.Helper()
	var b fhirBundle
	require.NoError(t, json.Unmarshal(req.Prefetch[key], &b))
	return len(b.Entry)
}

// personalData are the names and free texts of the case, which no error may
// quote.
func personalData(t testing.TB, c *casedoc.Case) []string {
	t.Helper()
	var out []string
	for _, p := range c.Meeting.Participants {
		out = append(out, p.Name)
	}
	return out
}
