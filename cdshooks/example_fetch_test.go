package cdshooks_test

import (
	"bytes"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// An EHR that does not prefetch sends its fhirServer and an access token
// instead; the service fetches the data of its prefetch templates from
// there, when fhirServer is on an origin it was told it may fetch from.
func ExampleWithFHIRServers() {
	// The booking of testdata, whose prefetch plays the EHR's FHIR server.
	data, err := os.ReadFile("testdata/booking-supervisor-without-consent.json")
	if err != nil {
		log.Fatal(err)
	}
	var booking cdshooks.Request
	if err := json.Unmarshal(data, &booking); err != nil {
		log.Fatal(err)
	}
	ehrData := booking.Prefetch
	var mu sync.Mutex
	var asked []string
	ehr := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path+" ("+r.Header.Get("Authorization")+")")
		mu.Unlock()
		resource, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/fhir/"), "/")
		key := map[string]string{"Patient": cdshooks.PrefetchPatient, "CareTeam": cdshooks.PrefetchCareTeam,
			"Consent": cdshooks.PrefetchConsents, "CarePlan": cdshooks.PrefetchCarePlan}[resource]
		w.Header().Set("Content-Type", "application/fhir+json")
		_, _ = w.Write(ehrData[key])
	}))
	defer ehr.Close()

	svc, err := cdshooks.New(recommend.Policy{}, cdshooks.WithFHIRServers(ehr.URL))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	defer srv.Close()

	booking.Prefetch = nil
	booking.FHIRServer = ehr.URL + "/fhir"
	booking.FHIRAuthorization = jsontext.Value(`{"access_token":"some-opaque-token","token_type":"Bearer","expires_in":300,"scope":"patient/*.read","subject":"collabmeet"}`)
	body, err := json.Marshal(&booking)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := http.Post(srv.URL+"/cds-services/"+cdshooks.ServiceID, "application/json", bytes.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var answer cdshooks.Response
	if err := json.UnmarshalRead(resp.Body, &answer); err != nil {
		log.Fatal(err)
	}
	slices.Sort(asked) // fetched concurrently
	for _, a := range asked {
		fmt.Println("GET", a)
	}
	for _, card := range answer.Cards {
		fmt.Println(resp.StatusCode, card.Indicator, card.Source.Topic.Code)
	}
	// Output:
	// GET /fhir/CarePlan (Bearer some-opaque-token)
	// GET /fhir/CareTeam (Bearer some-opaque-token)
	// GET /fhir/Consent (Bearer some-opaque-token)
	// GET /fhir/Patient/7d89225d-2d53-52fa-aad8-57b002628bc3 (Bearer some-opaque-token)
	// 200 critical PC-04
}
