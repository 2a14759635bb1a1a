// Package cdshooks is a CDS Hooks 2.0 service for the appointment-book hook:
// an EHR that books a digital collaboration meeting asks collabmeet, at the
// moment of booking, whether the meeting follows the recommendations, and
// shows the answer as cards. Most EHRs are not written in Go; CDS Hooks is
// how they ask an outside service for advice.
//
// A Service is an http.Handler. A Go EHR mounts it; everyone else runs
// `collabmeet serve`:
//
//	svc, err := cdshooks.New(policy, cdshooks.WithLogger(logger))
//	mux.Handle("/cds-services", svc)
//	mux.Handle("/cds-services/", svc)
//
// # Endpoints
//
//	GET  /cds-services                                      discovery: the one service and its prefetch templates
//	POST /cds-services/collabmeet-appointment-book           the service: {"cards": [...]}
//	POST /cds-services/collabmeet-appointment-book/feedback  what the user did with the cards: logged, 200 {}
//
// # The request
//
// The hook's context holds userId, patientId and appointments, a Bundle of
// the Appointments being booked; the prefetch holds the keys of Prefetch:
// patient, careTeam (the CareTeam with its members), consents and, optional,
// carePlan. A key with the value null means the EHR has no such data (the
// patient has no consents). A required key that is missing is answered with
// 412 prefetch_missing, unless the service fetches it.
//
// # Fetching from fhirServer
//
// By default the service reads only what the request holds: it does not
// fetch from fhirServer, with or without fhirAuthorization. Made with
// WithFHIRServers, it fetches every key the request lacks (carePlan too)
// from the request's fhirServer when fhirServer is on one of the origins of
// that allow-list — a fhirServer elsewhere is never connected to, whoever
// sent it; an http origin is allowed only on a loopback host, unless
// WithFHIRAllowHTTP. A fhirServer that is not a plain base URL (a fragment,
// even an empty "#", user information, a query, or a path with ".", "..",
// "//" or percent-encoding) is refused with 400 naming fhirServer. It fills
// the key's template with the context (patientId escaped for its place in
// the query; a value that would change the query, such as "..", is refused
// with 400), and GETs fhirServer/query with Accept: application/fhir+json
// and fhirAuthorization's access_token as a Bearer token, which goes to no
// origin outside the allow-list. The keys are fetched concurrently; a
// search answered in pages is read to its last page, its entries as one
// Bundle. A request's fetches share its FetchBudget (WithFetchBudget;
// default DefaultFetchGETs GETs, pages and redirects included, and the body
// limit in bytes); each GET follows at most three redirects, all within
// fhirServer's origin, and every fetch ends with the request (WithTimeout)
// and with the client's own limit (WithFHIRClient, DefaultFHIRTimeout).
// What is fetched is read exactly as if the request had held it under its
// key: the same decoding, the same paths in problems
// ("prefetch.careTeam.entry[2].resource..."), the same cards.
//
// A FHIR server that is not allowed leaves the 412 prefetch_missing (with a
// problem at fhirServer); one that cannot be reached, is too slow or answers
// other than 2xx gives 412 fhir_fetch_failed, as CDS Hooks asks when the
// service cannot get the data; an answer that is not FHIR JSON, redirects or
// pages to another origin, goes beyond the budget (GETs or bytes) or is
// FHIR JSON of the wrong shape gives 502 fhir_bad_response. Every problem names the prefetch key, never
// the token, the fhirServer, an identifier or what the server answered but
// its status.
//
// Each Appointment is checked on its own: it and the prefetched resources
// that concern it become one FHIR Bundle, which package fhir reads into a
// case (see the fhir package for the extensions and codes the Appointment
// and the CareTeam carry). A resource given twice (the same fullUrl, or
// type and id; the Patient in the patient key and among the CareTeam's
// members, say) is read once when both copies hold the same FHIR data (what
// package fhir decodes of them; an Appointment: the same JSON); copies that
// differ (a Consent active in one, withdrawn in the other) are refused with
// 422, a problem at the second copy naming the place of the first
// ("prefetch.consents.entry[3].resource is the resource at
// prefetch.consents.entry[0].resource … with other content"), never
// resolved by their order. Of several
// CareTeams the one whose members are the Appointment's people is used; of
// the CarePlans the one whose supportingInfo is the Appointment, with its
// Tasks; of the Consents those whose grantee is a person of the Appointment.
// Appointment participants that are places, services or devices (a
// Location) are left out, and so are CareTeam members' organisations that
// the prefetch does not hold (no recommendation reads them, and R4 has no
// search parameter to include them). An Appointment in status proposed,
// pending or waitlist is checked as a planned meeting. The case must be
// about context.patientId.
//
// # The answer
//
// One card per recommendation with a gap, in catalogue order; no cards when
// the meeting follows the recommendations:
//
//   - indicator: critical for a required recommendation, warning for a
//     recommended one, info for an advisory one (under the server's policy);
//   - summary: the first finding, with its subject ("NAV supervisor
//     (participant 7): …"), at most MaxSummary characters, cut at a word;
//   - detail: Markdown — the recommendation, and per finding what is missing,
//     what would fix it, the suggested fix, its code and the EHR's own
//     reference of the subject ("Practitioner/abc");
//   - source: the label, the recommendation's documentation as url, and
//     its ID as topic: a code of the CodeSystem finding-code at the
//     service's canonical base (TopicSystem by default), in which each
//     recommendation ID is the parent concept of its finding codes
//     (docs/fhir/CodeSystem-finding-code.json, generated from the
//     catalogue by report.FindingCodes);
//   - uuid: a version 5 UUID of the hookInstance, the Appointment and the
//     recommendation, so that the same call always gives the same cards;
//   - overrideReasons: four reasons (the CodeSystem override-reason at the
//     canonical base, OverrideReasonSystem by default;
//     docs/fhir/CodeSystem-override-reason.json) on the card of a
//     recommendation a policy may waive, never on one that protects the
//     patient's consent and privacy (PC-04, CS-01, ...);
//   - suggestions: when fixes close gaps (docs/fixes.md), one suggestion with an
//     update action whose resource is the request's Appointment after every
//     fix of the meeting (recommend/fix.Apply): the agenda-item, minute-taker
//     and plan-updater extensions, end and minutesDuration, and the
//     attendance extensions of participants change, and nothing else — its
//     id, status, references, the agenda items no fix changed and the
//     elements collabmeet does not know stay as the EHR sent them, and every
//     reference it adds is written in the form the Appointment's
//     participant has it ("urn:uuid:…" or "Practitioner/abc", never a mix).
//     The update is offered once per Appointment, on one card: of the cards
//     whose gaps it closes the most severe (critical before warning before
//     info), the first in catalogue order among equals, with
//     selectionBehavior at-most-one; its description names every
//     recommendation it fixes. CDS Hooks 2.0 has no way for a card to refer
//     to another card's suggestion, so each other card it fixes ends its
//     detail with "The suggested update that fixes this is on the card of
//     PC-05: accept it there." Accepting it once applies every fix. The
//     service does not read its update back per request: a test
//     (TestCDSSuggestionReadsBack) holds that the update, with the same
//     prefetch, reads back as exactly the fixed meeting.
//
// # Canonical base
//
// WithCanonicalBase (`collabmeet serve --canonical-base URL`) sets the one
// canonical base of the service: the code systems the cards name (base +
// "/CodeSystem/finding-code" for topics, base +
// "/CodeSystem/override-reason" for override reasons) and the extensions and
// code systems of package fhir's mapping (base +
// "/StructureDefinition/agenda-item", base + "/CodeSystem/participant-role",
// …), which the service reads in the request's resources with
// fhir.Reader{Canonical: base} and writes in the suggestion's updated
// Appointment with fhir.Writer{Canonical: base}. fhir.Conformance{Canonical:
// base}, report.FindingCodes and Service.OverrideReasonCodeSystem build the
// resources to publish there. An extension of the mapping that the request
// has under another base (an EHR configured with another one) is refused as
// unprocessable FHIR data (422) at its path, never skipped. The default is
// DefaultCanonicalBase, fhir.DefaultCanonical
// (https://collabmeet.example/fhir), at which docs/fhir and fhir's
// conformance folder are generated. Discovery and the prefetch templates do
// not depend on the base.
//
// The texts follow Accept-Language (nb, no and nn: Norwegian bokmål; else
// English), and the answer says which in Content-Language.
//
// # Errors
//
// Every error is JSON, an ErrorResponse naming each problem at its path in
// the request ("prefetch.careTeam.entry[10].resource.participant[5].role"),
// never quoting a value of it:
//
//	400 malformed_json           not JSON, a value of the wrong type, FHIR JSON of the wrong shape
//	400 invalid_request          hookInstance (a UUID), context, userId, patientId or appointments missing or invalid;
//	                             when fetching, a fhirServer that is not a plain base URL, fhirAuthorization without a usable access_token, or a context that cannot fill a template
//	400 wrong_hook               hook is not appointment-book
//	401 unauthorized             WithClientAuth refused the client's JWT, or the function of WithAuthorizer refused the request;
//	                             with WWW-Authenticate: Bearer
//	404 not_found                no such service or endpoint
//	405 method_not_allowed       with an Allow header
//	412 prefetch_missing         patient, careTeam or consents not prefetched, and not to be fetched
//	412 fhir_fetch_failed        a missing key could not be fetched: fhirServer unreachable, too slow, or not 2xx
//	413 request_too_large        body over WithMaxBodyBytes (DefaultMaxBodyBytes)
//	415 unsupported_media_type   Content-Type is not application/json (or +json)
//	422 unprocessable_fhir_data  the FHIR data does not make a meeting (no CareTeam, a reference to nothing, ...)
//	500 internal_error           a panic, recovered
//	502 fhir_bad_response        what fhirServer answered is not FHIR JSON, beyond the fetch budget, a redirect or page elsewhere, or ill-formed FHIR
//	503 timeout                  slower than WithTimeout (DefaultTimeout), the upload included
//	503 busy                     as many requests in flight as WithMaxInFlight allows (DefaultMaxInFlight), or the
//	                             replay cache of WithClientAuth full; with Retry-After
//
// # Logs
//
// With WithLogger, one record per request: endpoint, method, status,
// hookInstance (when it is a UUID), language, numbers of appointments, cards
// and suggestions, the recommendation IDs of the cards, the error code and
// the duration; for feedback the card UUIDs, outcomes and this service's
// override reason codes; when it fetches, the keys fetched, the number of
// GETs (fhir_gets), why a fetch failed (fetch_error) and the FHIR server's
// status.
// Never a name, an identifier, a FHIR id, the userId or patientId, the
// fhirServer, the access token, a panic's value, or the user's comment.
//
// # A curl session
//
// The requests are in testdata: the example meeting
// (examples/cases/compliant-digital-meeting.json) booked as it is, without
// the NAV supervisor's consent, and with an empty agenda.
//
//	$ collabmeet serve --addr 127.0.0.1:8080 &
//	{"time":"…","level":"INFO","msg":"collabmeet serve: listening","addr":"127.0.0.1:8080",…}
//	$ S=http://127.0.0.1:8080/cds-services/collabmeet-appointment-book
//	$ curl -s -H 'Content-Type: application/json' --data @cdshooks/testdata/booking-compliant.json $S
//	{"cards":[]}
//	$ curl -s -H 'Content-Type: application/json' -H 'Accept-Language: nb' \
//	    --data @cdshooks/testdata/booking-supervisor-without-consent.json $S | jq '.cards[] | {indicator, summary, source}'
//	{
//	  "indicator": "critical",
//	  "summary": "NAV-veileder (deltaker 7): Denne tredjeparten har ikke gyldig samtykke til å delta ved møtestart: det er ikke gitt noe samtykke.",
//	  "source": {
//	    "label": "collabmeet-anbefaling PC-04",
//	    "url": "https://github.com/collabmeet/collabmeet/blob/main/docs/catalogue.md#pc-04",
//	    "topic": {
//	      "system": "https://collabmeet.example/fhir/CodeSystem/finding-code",
//	      "code": "PC-04",
//	      "display": "Tredjeparter deltar med pasientens samtykke"
//	    }
//	  }
//	}
//	$ curl -s -H 'Content-Type: application/json' --data @cdshooks/testdata/booking-empty-agenda.json $S |
//	    jq -c '.cards[] | [.indicator, .source.topic.code, (.suggestions | length)]'
//	["critical","PC-05",1]
//	["critical","AP-01",0]
//	["warning","AP-02",0]
//	["critical","MC-02",0]
//	["warning","MC-03",0]
//	["warning","MC-07",0]
//	["warning","CS-07",0]
//	$ jq 'del(.prefetch.consents)' cdshooks/testdata/booking-compliant.json |
//	    curl -s -H 'Content-Type: application/json' --data @- $S
//	{"status":412,"error":"prefetch_missing","message":"required prefetch is missing, and this service does not fetch FHIR data itself","problems":[{"path":"prefetch.consents","message":"is required: Consent?patient={{context.patientId}} (null when there is none)"}]}
//	$ kill %1
//
// Which gaps of the empty agenda have a suggestion depends on the fixes of
// the catalogue (docs/fixes.md); with those of 2026.3 the update adds the standard
// agenda and a recap for the supervisor who joins late.
//
// # Not done here
//
// Fetching from fhirServer unless WithFHIRServers allows it (the 412 above
// says so), TLS (a gateway's), and remembering cards between calls (the
// service is stateless: feedback is logged, not matched to cards).
//
// # Deploying
//
// WithClientAuth verifies the CDS client's JWT as CDS Hooks 2.0 "Trusting
// CDS Clients" asks (see ClientAuth) on the service and feedback endpoints;
// discovery stays open. WithMaxInFlight bounds the requests handled at
// once, and the body of each is read until WithTimeout after the request
// started (a read deadline through http.ResponseController), so stalled
// uploads cannot hold memory past the time limit. WithMetrics counts the
// requests for Prometheus (NewMetrics), WithCORSOrigins answers browsers of
// the origins given, and Ready says whether the service can answer.
// `collabmeet serve` puts /healthz, /readyz and /metrics beside it.
package cdshooks
