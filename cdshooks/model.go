package cdshooks

import (
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json/jsontext"
)

// The service of this package: its id in the discovery response (the last
// segment of its URL) and the hook it answers.
const (
	ServiceID = "collabmeet-appointment-book"
	Hook      = "appointment-book"
)

// The prefetch keys of the service (see Prefetch). The CDS client sends each
// key it satisfied, with a FHIR resource, a searchset Bundle, or null when it
// has no such data.
const (
	PrefetchPatient  = "patient"  // the Patient: required
	PrefetchCareTeam = "careTeam" // the patient's active CareTeams, with their members: required
	PrefetchConsents = "consents" // the patient's Consents: required
	PrefetchCarePlan = "carePlan" // the patient's CarePlans, with their Tasks: optional
)

// Prefetch returns the prefetch templates of the service, by key: FHIR
// queries with the prefetch token {{context.patientId}}. The Organizations
// that CareTeam members act for are not asked for (R4 has no search
// parameter that includes them): a reference to one that the prefetch does
// not hold is left out, since no recommendation reads it.
func Prefetch() map[string]string {
	return map[string]string{
		PrefetchPatient:  "Patient/{{context.patientId}}",
		PrefetchCareTeam: "CareTeam?patient={{context.patientId}}&status=active&_include=CareTeam:participant",
		PrefetchConsents: "Consent?patient={{context.patientId}}",
		PrefetchCarePlan: "CarePlan?patient={{context.patientId}}&_include=CarePlan:activity-reference",
	}
}

// requiredPrefetch are the keys without which a meeting cannot be checked:
// the people of the meeting and their consents. Without the care plan a
// planned meeting is checked as one whose plan is still to be made.
var requiredPrefetch = []string{PrefetchPatient, PrefetchCareTeam, PrefetchConsents}

// Services is the body of the discovery endpoint, GET /cds-services.
type Services struct {
	Services []ServiceDescription `json:"services"`
}

// ServiceDescription describes one CDS service in the discovery response.
type ServiceDescription struct {
	Hook              string            `json:"hook"`
	Title             string            `json:"title,omitempty"`
	Description       string            `json:"description"`
	ID                string            `json:"id"`
	Prefetch          map[string]string `json:"prefetch,omitempty"`
	UsageRequirements string            `json:"usageRequirements,omitempty"`
}

// Request is the body of a call to the service (CDS Hooks 2.0, "Calling a
// CDS Service"), for the appointment-book hook.
type Request struct {
	Hook         string `json:"hook"`
	HookInstance string `json:"hookInstance"`
	FHIRServer   string `json:"fhirServer,omitempty"`
	// FHIRAuthorization is used only when the service fetches a missing
	// prefetch key from FHIRServer (WithFHIRServers): its access_token is
	// then sent there as a Bearer token. It is never logged nor shown.
	FHIRAuthorization jsontext.Value          `json:"fhirAuthorization,omitempty"`
	Context           *AppointmentBookContext `json:"context"`
	// Prefetch holds the prefetched data by key: a resource, a Bundle, or
	// null (no data). A key that is missing is fetched from FHIRServer when
	// the service may (WithFHIRServers).
	Prefetch  map[string]jsontext.Value `json:"prefetch,omitempty"`
	Extension jsontext.Value            `json:"extension,omitempty"`
}

// AppointmentBookContext is the context of the appointment-book hook.
type AppointmentBookContext struct {
	// UserID is who books, such as "PractitionerRole/123".
	UserID string `json:"userId"`
	// PatientID is the FHIR id of the patient of the appointments.
	PatientID   string `json:"patientId"`
	EncounterID string `json:"encounterId,omitempty"`
	// Appointments is a FHIR Bundle of the Appointments being booked (an
	// array of Appointments is accepted too).
	Appointments jsontext.Value `json:"appointments"`
}

// Response is the body of the service's answer: the cards, an empty array
// when the meeting follows the recommendations.
type Response struct {
	Cards []Card `json:"cards"`
}

// Indicator is the urgency of a card.
type Indicator string

// The indicators, in order of increasing urgency. The service gives info to
// an advisory recommendation, warning to a recommended one and critical to a
// required one.
const (
	IndicatorInfo     Indicator = "info"
	IndicatorWarning  Indicator = "warning"
	IndicatorCritical Indicator = "critical"
)

// MaxSummary is the most characters of a card's summary: CDS Hooks asks for
// a summary of less than 140 characters; a longer one is cut at a word and
// ends with "…".
const MaxSummary = 139

// Card is one card of a Response: one recommendation with a gap.
type Card struct {
	// UUID identifies the card in feedback; it is derived from the
	// hookInstance, the Appointment and the recommendation ID, so the same
	// call always gives the same cards.
	UUID      string    `json:"uuid,omitempty"`
	Summary   string    `json:"summary"`
	Detail    string    `json:"detail,omitempty"`
	Indicator Indicator `json:"indicator"`
	Source    Source    `json:"source"`
	// Suggestions carry the fixes of the gap, when it has any, as an update
	// of the Appointment; SelectionBehavior is then "at-most-one".
	Suggestions       []Suggestion `json:"suggestions,omitempty"`
	SelectionBehavior string       `json:"selectionBehavior,omitempty"`
	// OverrideReasons are offered for a recommendation a policy may waive,
	// never for one that protects the patient's consent and privacy.
	OverrideReasons []Coding `json:"overrideReasons,omitempty"`
	Links           []Link   `json:"links,omitempty"`
}

// Source is the source of a card: the recommendation, with a link to its
// documentation, and its ID as the topic.
type Source struct {
	Label string  `json:"label"`
	URL   string  `json:"url,omitempty"`
	Icon  string  `json:"icon,omitempty"`
	Topic *Coding `json:"topic,omitempty"`
}

// Coding is a code of a code system, with its display text.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

// Suggestion is a set of changes the user may accept.
type Suggestion struct {
	Label         string   `json:"label"`
	UUID          string   `json:"uuid,omitempty"`
	IsRecommended bool     `json:"isRecommended,omitzero"`
	Actions       []Action `json:"actions,omitempty"`
}

// Action is one change of a Suggestion: here an update of the Appointment
// being booked, holding the whole updated resource.
type Action struct {
	Type        string         `json:"type"`
	Description string         `json:"description"`
	Resource    jsontext.Value `json:"resource,omitempty"`
	ResourceID  string         `json:"resourceId,omitempty"`
}

// Link is a link of a card.
type Link struct {
	Label      string `json:"label"`
	URL        string `json:"url"`
	Type       string `json:"type"`
	AppContext string `json:"appContext,omitempty"`
}

// FeedbackRequest is the body of the feedback endpoint: what the user did
// with cards.
type FeedbackRequest struct {
	Feedback []Feedback `json:"feedback"`
}

// Feedback is what the user did with one card.
type Feedback struct {
	Card                string               `json:"card"`
	Outcome             string               `json:"outcome"`
	AcceptedSuggestions []AcceptedSuggestion `json:"acceptedSuggestions,omitempty"`
	OverrideReason      *OverrideReason      `json:"overrideReason,omitempty"`
	OutcomeTimestamp    string               `json:"outcomeTimestamp"`
}

// AcceptedSuggestion names a suggestion the user accepted.
type AcceptedSuggestion struct {
	ID string `json:"id"`
}

// OverrideReason is why the user overrode a card. The user's comment is
// free text: the service never logs it.
type OverrideReason struct {
	Reason      *Coding `json:"reason,omitempty"`
	UserComment string  `json:"userComment,omitempty"`
}

// ErrorResponse is the body of every error: the HTTP status, a stable code
// (see the Err constants), a message, and the problems of the request, each
// at its JSON path in the request (context.appointments.entry[0].resource.start).
// Messages never quote values of the request.
type ErrorResponse struct {
	Status   int                  `json:"status"`
	Code     string               `json:"error"`
	Message  string               `json:"message"`
	Problems []validation.Problem `json:"problems,omitempty"`
}

// The codes of ErrorResponse.
const (
	ErrCodeMalformed       = "malformed_json"          // 400: not JSON, or a value of the wrong type
	ErrCodeInvalid         = "invalid_request"         // 400: a required field missing or invalid
	ErrCodeWrongHook       = "wrong_hook"              // 400: hook is not appointment-book
	ErrCodeUnauthorized    = "unauthorized"            // 401: the Authorizer refused the request
	ErrCodeNotFound        = "not_found"               // 404: no such service or endpoint
	ErrCodeMethod          = "method_not_allowed"      // 405
	ErrCodePrefetchMissing = "prefetch_missing"        // 412: a required prefetch key is missing, and the service may not fetch it
	ErrCodeFetchFailed     = "fhir_fetch_failed"       // 412: a missing prefetch key could not be fetched from fhirServer
	ErrCodeTooLarge        = "request_too_large"       // 413
	ErrCodeMediaType       = "unsupported_media_type"  // 415: the body is not application/json
	ErrCodeUnprocessable   = "unprocessable_fhir_data" // 422: the FHIR data cannot be read as a meeting
	ErrCodeInternal        = "internal_error"          // 500
	ErrCodeBadResponse     = "fhir_bad_response"       // 502: what fhirServer answered to a fetch cannot be used
	ErrCodeTimeout         = "timeout"                 // 503: the request took longer than the limit
)

// The code systems of the cards under DefaultCanonicalBase: the topic of a
// card is the recommendation ID in TopicSystem (the code system of finding
// codes, whose recommendation IDs are the parents of their finding codes,
// as docs/fhir/CodeSystem-finding-code.json publishes it); override reasons
// are codes of OverrideReasonSystem. A service made with WithCanonicalBase
// uses the same paths under its own base.
const (
	TopicSystem          = DefaultCanonicalBase + "/CodeSystem/" + report.FindingCodeSystem
	OverrideReasonSystem = DefaultCanonicalBase + "/CodeSystem/" + overrideReasonSystemID
)

// overrideReasonSystemID is the id of the CodeSystem of override reasons.
const overrideReasonSystemID = "override-reason"

// codeSystemURL is the URL of the CodeSystem id under a canonical base, as
// fhir.Conformance names it.
func codeSystemURL(base, id string) string {
	return fhir.Conformance{Canonical: base}.CodeSystemURL(id)
}

// The override reasons offered on a card of a waivable recommendation.
var overrideReasons = []string{"not_relevant", "patient_preference", "handled_elsewhere", "fixed_later"}

// OverrideReasonCodeSystem returns the CodeSystem of the override reasons
// the service offers, at its canonical base, the displays in English, as
// `go generate ./recommend/catalogue` publishes it in docs/fhir.
func (s *Service) OverrideReasonCodeSystem() fhir.CodeSystem {
	e := s.engines[recommend.English]
	concepts := make([]fhir.Concept, len(overrideReasons))
	for i, code := range overrideReasons {
		concepts[i] = fhir.Concept{Code: code, Display: e.Text(recommend.English, "cdshooks.override."+code, nil)}
	}
	return fhir.Conformance{Canonical: s.canonical, Version: "1"}.NewCodeSystem(overrideReasonSystemID,
		"collabmeet CDS Hooks override reasons",
		"Why a user overrode a card of the collabmeet CDS Hooks service (the card's overrideReasons, and the feedback's overrideReason.reason). "+
			"They are offered on the cards of recommendations a policy may waive, never on those that protect the patient's consent and privacy.",
		concepts)
}
