package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeFetchFlags runs `collabmeet serve` with the flags of fetching: an
// http origin starts with --fhir-allow-http; a fhirServer with a fragment
// is refused with 400 naming fhirServer and never fetched from; and
// --fhir-max-gets bounds the GETs of a request.
func TestServeFetchFlags(t *testing.T) {
	t.Run("--fhir-allow-http", func(t *testing.T) {
		cmd, _, stderr := serving(t, "--fhir-server", "http://ehr.example", "--fhir-allow-http")
		assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
	})

	const token = "serve-fetch-token-51d2"
	var sent map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(bookingBody(t), &sent))
	var prefetch map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(sent["prefetch"], &prefetch))
	var mu sync.Mutex
	gets := 0
	ehr := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gets++
		mu.Unlock()
		resource, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/fhir/"), "/")
		key := map[string]string{"Patient": "patient", "CareTeam": "careTeam", "Consent": "consents", "CarePlan": "carePlan"}[resource]
		w.Header().Set("Content-Type", "application/fhir+json")
		_, _ = w.Write(prefetch[key])
	}))
	defer ehr.Close()
	asked := func() int {
		mu.Lock()
		defer mu.Unlock()
		return gets
	}
	post := func(base, fhirServer string) (int, string) {
		req := map[string]json.RawMessage{}
		for k, v := range sent {
			req[k] = v
		}
		delete(req, "prefetch")
		req["fhirServer"], _ = json.Marshal(fhirServer)
		req["fhirAuthorization"], _ = json.Marshal(map[string]any{"access_token": token, "token_type": "Bearer"})
		body, err := json.Marshal(req)
		require.NoError(t, err)
		resp, err := http.Post(base+"/cds-services/collabmeet-appointment-book", "application/json", bytes.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}

	t.Run("a fhirServer with a fragment", func(t *testing.T) {
		cmd, base, stderr := serving(t, "--fhir-server", ehr.URL)
		for _, fhirServer := range []string{ehr.URL + "/fhir#", ehr.URL + "/fhir#x"} {
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
			assert.NotContains(t, body, token)
		}
		assert.Zero(t, asked(), "a fhirServer with a fragment was fetched from")
		assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
		assert.NotContains(t, stderr.String(), token)
	})
	t.Run("--fhir-max-gets", func(t *testing.T) {
		cmd, base, stderr := serving(t, "--fhir-server", ehr.URL, "--fhir-max-gets", "3")
		before := asked()
		status, body := post(base, ehr.URL+"/fhir")
		assert.Equal(t, http.StatusBadGateway, status, "%s", body)
		assert.Contains(t, body, "budget of 3")
		assert.LessOrEqual(t, asked()-before, 3)
		assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
		assert.Contains(t, stderr.String(), `"fetch_error":"budget"`)
	})
	t.Run("the default budget is enough for a booking", func(t *testing.T) {
		cmd, base, stderr := serving(t, "--fhir-server", ehr.URL)
		status, body := post(base, ehr.URL+"/fhir")
		assert.Equal(t, http.StatusOK, status, "%s", body)
		assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
	})
}
