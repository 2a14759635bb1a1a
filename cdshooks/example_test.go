package cdshooks_test

import (
	"bytes"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
)

// An EHR written in Go mounts the service on its own mux; every other EHR
// calls `collabmeet serve`. Discovery lists the one service and its
// prefetch templates.
func ExampleNew() {
	svc, err := cdshooks.New(recommend.Policy{},
		cdshooks.WithLogger(slog.New(slog.DiscardHandler)), // slog.NewJSONHandler(os.Stderr, nil) in production
		cdshooks.WithMaxBodyBytes(1<<20))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/cds-services", svc)
	mux.Handle("/cds-services/", svc)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/cds-services")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var d cdshooks.Services
	if err := json.UnmarshalRead(resp.Body, &d); err != nil {
		log.Fatal(err)
	}
	s := d.Services[0]
	fmt.Println(s.ID, s.Hook)
	keys := make([]string, 0, len(s.Prefetch))
	for k := range s.Prefetch {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Printf("%s: %s\n", k, s.Prefetch[k])
	}
	// Output:
	// collabmeet-appointment-book appointment-book
	// carePlan: CarePlan?patient={{context.patientId}}&_include=CarePlan:activity-reference
	// careTeam: CareTeam?patient={{context.patientId}}&status=active&_include=CareTeam:participant
	// consents: Consent?patient={{context.patientId}}
	// patient: Patient/{{context.patientId}}
}

// A booking of a meeting that a NAV supervisor attends without the
// patient's consent gets a critical card, in the language the EHR asks
// for; it has no override reasons, since consent cannot be waived.
func ExampleService_booking() {
	svc, err := cdshooks.New(recommend.Policy{})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	defer srv.Close()

	body, err := os.ReadFile("testdata/booking-supervisor-without-consent.json")
	if err != nil {
		log.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/cds-services/"+cdshooks.ServiceID, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "nb-NO, en;q=0.5")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var answer cdshooks.Response
	if err := json.UnmarshalRead(resp.Body, &answer); err != nil {
		log.Fatal(err)
	}
	for _, card := range answer.Cards {
		fmt.Println(card.Indicator, card.Source.Topic.Code, card.Source.Label)
		fmt.Println(card.Summary)
		fmt.Println("override reasons:", len(card.OverrideReasons))
	}
	// Output:
	// critical PC-04 collabmeet-anbefaling PC-04
	// NAV-veileder (deltaker 7): Denne tredjeparten har ikke gyldig samtykke til å delta ved møtestart: det er ikke gitt noe samtykke.
	// override reasons: 0
}

// The service can live under a prefix of the EHR's own URLs.
func ExampleService_prefix() {
	svc, err := cdshooks.New(recommend.Policy{})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/cds/", http.StripPrefix("/cds", svc))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/cds/cds-services")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	// Output:
	// 200 application/json
}
