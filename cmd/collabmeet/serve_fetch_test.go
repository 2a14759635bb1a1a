package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"syscall"
	"testing"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/internal/medplumtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onMedplum loads the compliant example booking into the FHIR server of
// the tests (medplumtest: medplum's FHIR router, a real server), its
// searches answering pageSize matches a page, and returns the server with
// the booking without prefetch, to be fetched from fhirServer with
// medplumtest.Token.
func onMedplum(t *testing.T, pageSize int) (*medplumtest.Server, func(fhirServer string) []byte) {
	t.Helper()
	m := medplumtest.Start(t)
	var req cdshooks.Request
	require.NoError(t, json.Unmarshal(bookingBody(t), &req))
	onServer, resources := medplumtest.OnServer(t, &req)
	m.Load(t, resources, pageSize)
	return m, func(fhirServer string) []byte {
		r := *onServer
		r.Prefetch = nil
		r.FHIRServer = fhirServer
		auth, err := json.Marshal(map[string]any{"access_token": medplumtest.Token, "token_type": "Bearer",
			"expires_in": 300, "scope": "patient/*.read", "subject": "collabmeet"})
		require.NoError(t, err)
		r.FHIRAuthorization = auth
		body, err := json.Marshal(&r)
		require.NoError(t, err)
		return body
	}
}

// postBooking posts a booking to the service at base.
func postBooking(t *testing.T, base string, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(base+servicePath, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

// TestServeFetchFlags runs `collabmeet serve` with the flags of fetching: an
// http origin starts with --fhir-allow-http; a fhirServer with a fragment
// is refused with 400 naming fhirServer and never fetched from; and
// --fhir-max-gets bounds the GETs of a request.
func TestServeFetchFlags(t *testing.T) {
	t.Run("--fhir-allow-http", func(t *testing.T) {
		cmd, _, stderr := serving(t, "--fhir-server", "http://ehr.example", "--fhir-allow-http")
		assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
	})

	m, booking := onMedplum(t, 1)
	post := func(base, fhirServer string) (int, string) { return postBooking(t, base, booking(fhirServer)) }

	t.Run("a fhirServer with a fragment", func(t *testing.T) {
		cmd, base, stderr := serving(t, "--fhir-server", m.URL)
		for _, fhirServer := range []string{m.Base() + "#", m.Base() + "#x"} {
			status, body := post(base, fhirServer)
			assert.Equal(t, http.StatusBadRequest, status, "%s", body)
			var e struct {
				Error    string `json:"error"`
				Problems []struct {
					Path string `json:"path"`
				} `json:"problems"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &e), "%s", body)
			assert.Equal(t, "invalid_request", e.Error)
			require.Len(t, e.Problems, 1)
			assert.Equal(t, "fhirServer", e.Problems[0].Path)
			assert.NotContains(t, body, medplumtest.Token)
		}
		assert.Empty(t, m.Asked(t), "a fhirServer with a fragment was fetched from")
		assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
		assert.NotContains(t, stderr.String(), medplumtest.Token)
	})
	t.Run("--fhir-max-gets", func(t *testing.T) {
		cmd, base, stderr := serving(t, "--fhir-server", m.URL, "--fhir-max-gets", "3")
		before := len(m.Asked(t))
		status, body := post(base, m.Base())
		assert.Equal(t, http.StatusBadGateway, status, "%s", body)
		assert.Contains(t, body, "budget of 3")
		assert.LessOrEqual(t, len(m.Asked(t))-before, 3)
		assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
		assert.Contains(t, stderr.String(), `"fetch_error":"budget"`)
	})
	t.Run("the default budget is enough for a booking", func(t *testing.T) {
		// One page a search (the server pages 1 match a page above).
		_, booking := onMedplum(t, 100)
		cmd, base, stderr := serving(t, "--fhir-server", m.URL)
		status, body := postBooking(t, base, booking(m.Base()))
		assert.Equal(t, http.StatusOK, status, "%s", body)
		assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
	})
}
