package main

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeRefusesConflictingConsentCopies: two copies of one Consent in
// the prefetch (same fullUrl and id), one active and one withdrawn, are
// refused by the running service with 422 naming both entries, whichever
// comes first; an identical copy is read once. Order never decides.
func TestServeRefusesConflictingConsentCopies(t *testing.T) {
	c, err := casedoc.ReadFile("../../examples/cases/compliant-digital-meeting.json")
	require.NoError(t, err)
	k := slices.IndexFunc(c.Meeting.Participants, func(p meeting.Participant) bool {
		return p.Role == meeting.RoleSocialSecuritySupervisor
	})
	require.GreaterOrEqual(t, k, 0)
	i := slices.IndexFunc(c.Consents, func(x consent.Consent) bool { return x.GranteeID == c.Meeting.Participants[k].ID })
	require.GreaterOrEqual(t, i, 0)
	withdrawn, err := casedoc.ReadFile("../../examples/cases/compliant-digital-meeting.json")
	require.NoError(t, err)
	withdrawn.Consents[i].WithdrawnAt = withdrawn.Meeting.Start.Add(-24 * time.Hour)

	// The one entry the two Bundles differ in: the consent, and its
	// withdrawn copy (same fullUrl and id, status inactive, withdrawn-at).
	var active, copyOf fhir.Entry
	a, err := fhir.FromCase(c)
	require.NoError(t, err)
	w, err := fhir.FromCase(withdrawn)
	require.NoError(t, err)
	require.Len(t, w.Entry, len(a.Entry))
	for j := range a.Entry {
		aj, err := json.Marshal(a.Entry[j].Resource)
		require.NoError(t, err)
		wj, err := json.Marshal(w.Entry[j].Resource)
		require.NoError(t, err)
		if string(aj) != string(wj) {
			require.Empty(t, copyOf.FullURL, "one entry differs")
			active, copyOf = a.Entry[j], w.Entry[j]
			require.Equal(t, active.FullURL, copyOf.FullURL)
			require.Contains(t, string(wj), "withdrawn-at")
		}
	}
	require.NotEmpty(t, copyOf.FullURL)

	cmd, base, stderr := serving(t)
	post := func(body []byte) (int, string) {
		resp, err := http.Post(base+servicePath, "application/json", bytes.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(data)
	}
	for _, tc := range []struct {
		name  string
		first bool
		extra fhir.Entry
	}{
		{"withdrawn copy first", true, copyOf},
		{"withdrawn copy last", false, copyOf},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(bookingWith(t, c, tc.extra, tc.first))
			assert.Equal(t, http.StatusUnprocessableEntity, status, "%s", body)
			assert.Contains(t, body, cdshooks.ErrCodeUnprocessable)
			assert.NotContains(t, body, `"cards"`)
			// The problem is at the later copy and names the earlier one:
			// with the copy first, the earlier one is entry 0.
			m := regexp.MustCompile(`"path":"prefetch\.\w+\.entry\[(\d+)\]\.resource","message":"is the resource at prefetch\.\w+\.entry\[(\d+)\]\.resource`).FindStringSubmatch(body)
			require.NotNil(t, m, "the answer names both entries: %s", body)
			later, earlier := m[1], m[2]
			assert.NotEqual(t, later, earlier)
			if tc.first {
				assert.Equal(t, "0", earlier)
			}
		})
	}
	// The withdrawn copy alone is read: the same request without the
	// active copy gets PC-04's card, not a 422.
	status, body := post(bookingWith(t, withdrawn, fhir.Entry{}, false))
	assert.Equal(t, http.StatusOK, status, "%s", body)
	assert.Contains(t, body, "PC-04")
	// An identical copy is read once: the meeting is compliant, no card.
	status, body = post(bookingWith(t, c, active, true))
	assert.Equal(t, http.StatusOK, status, "%s", body)
	assert.JSONEq(t, `{"cards":[]}`, body)
	assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
}
