package cdshooks_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
)

// FuzzService posts any body to the service: the answer is 200 with cards
// that follow the response schema, or a 4xx ErrorResponse — never a 500,
// which would be a panic recovered. The seeds are whole bookings (40 KiB), so
// minimizing takes long: go test ./cdshooks -fuzz FuzzService
// -fuzzminimizetime 0s (800,000 inputs in two minutes, none failing, when it
// was written).
func FuzzService(f *testing.F) {
	files, _ := filepath.Glob("testdata/booking-*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"hook":"appointment-book","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"x","patientId":"p","appointments":[{"resourceType":"Appointment"}]},"prefetch":{"patient":null,"careTeam":null,"consents":null}}`))
	f.Add([]byte(`{"hook":"appointment-book","context":{"appointments":{"resourceType":"Bundle","type":"collection","entry":[{"resource":null}]}}}`))
	f.Add([]byte(`[]`))
	svc, err := cdshooks.New(recommend.Policy{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/cds-services/"+cdshooks.ServiceID, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, req)
		switch {
		case rec.Code == http.StatusOK:
			validateJSON(t, responseSchema, rec.Body.Bytes())
		case rec.Code >= 400 && rec.Code < 500:
			var e cdshooks.ErrorResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Status != rec.Code || e.Code == "" {
				t.Fatalf("status %d with body %s", rec.Code, rec.Body.Bytes())
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.Bytes())
		}
	})
}

// FuzzFetchedPrefetch lets a FHIR server answer one fetch of a configured
// service with any body (the others with the example booking's data): the
// service's answer is 200 with cards that follow the response schema, a
// 4xx or a 502 ErrorResponse — never a 500 — and never holds the token.
func FuzzFetchedPrefetch(f *testing.F) {
	req := testdataRequest(f, "booking-compliant.json")
	keys := []string{cdshooks.PrefetchPatient, cdshooks.PrefetchCareTeam, cdshooks.PrefetchConsents, cdshooks.PrefetchCarePlan}
	for i, k := range keys {
		if v := req.Prefetch[k]; v.Kind() == '{' {
			f.Add(uint8(i), []byte(v))
		}
	}
	f.Add(uint8(0), []byte(`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":null},{}]}`))
	f.Add(uint8(1), []byte(`{"resourceType":"Bundle","type":"searchset","total":0}`))
	f.Add(uint8(2), []byte(`{"resourceType":"Consent","id":"c","status":7}`))
	f.Add(uint8(3), []byte(`null`))

	var bodies sync.Map // the n of the path → the body of the input
	var next atomic.Int64
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/fhir+json")
		rest, ok := strings.CutPrefix(r.URL.Path, "/f/")
		n, rest, ok2 := strings.Cut(rest, "/")
		in, ok3 := bodies.Load(n)
		if !ok || !ok2 || !ok3 {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		input := in.(fuzzInput)
		resource, _, _ := strings.Cut(rest, "/")
		key := map[string]string{"Patient": cdshooks.PrefetchPatient, "CareTeam": cdshooks.PrefetchCareTeam,
			"Consent": cdshooks.PrefetchConsents, "CarePlan": cdshooks.PrefetchCarePlan}[resource]
		v := req.Prefetch[key]
		if key == input.key {
			v = input.body
		} else if v.Kind() != '{' {
			v = []byte(`{"resourceType":"Bundle","type":"searchset","total":0}`)
		}
		_, _ = w.Write(v)
	}))
	defer fake.Close()
	svc, err := cdshooks.New(recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, key uint8, body []byte) {
		n := strconv.FormatInt(next.Add(1), 10)
		bodies.Store(n, fuzzInput{key: keys[int(key)%len(keys)], body: body})
		defer bodies.Delete(n)
		r := withoutPrefetch(t, req, fake.URL+"/f/"+n)
		hr := httptest.NewRequest(http.MethodPost, "/cds-services/"+cdshooks.ServiceID, bytes.NewReader(mustJSON(t, r)))
		hr.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, hr)
		if bytes.Contains(rec.Body.Bytes(), []byte(testToken)) {
			t.Fatalf("the answer holds the token: %s", rec.Body.Bytes())
		}
		switch {
		case rec.Code == http.StatusOK:
			validateJSON(t, responseSchema, rec.Body.Bytes())
		case rec.Code >= 400 && rec.Code < 500 || rec.Code == http.StatusBadGateway:
			var e cdshooks.ErrorResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Status != rec.Code || e.Code == "" {
				t.Fatalf("status %d with body %s", rec.Code, rec.Body.Bytes())
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.Bytes())
		}
	})
}

type fuzzInput struct {
	key  string
	body []byte
}
