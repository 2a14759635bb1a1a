package cdshooks_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/require"
)

// The case of the tests: a planned digital collaboration meeting that
// follows every recommendation.
const compliantCase = "../examples/cases/compliant-digital-meeting.json"

// hookInstance is the hookInstance of the requests of the tests.
const hookInstance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"

func loadCase(t testing.TB) *casedoc.Case {
	t.Helper()
	c, err := casedoc.ReadFile(compliantCase)
	require.NoError(t, err)
	return c
}

// booking is the request an EHR sends when it books the meeting of c: the
// case as a FHIR Bundle (fhir.FromCase), split into context.appointments
// (the Appointment, in status proposed, as the hook sends it) and the
// prefetch of the service's templates, as searchset Bundles.
func booking(t testing.TB, c *casedoc.Case) *cdshooks.Request {
	t.Helper()
	b, err := fhir.FromCase(c)
	require.NoError(t, err)
	var appts, team, consents, plan []fhir.Entry
	var patient fhir.Resource
	for _, e := range b.Entry {
		switch r := e.Resource.(type) {
		case *fhir.Appointment:
			if r.Status == "booked" {
				r.Status = "proposed" // a planned meeting, being booked
			}
			appts = append(appts, e)
		case *fhir.Patient:
			patient = r
			team = append(team, e) // a member of the CareTeam: _include=CareTeam:participant brings it too
		case *fhir.CareTeam, *fhir.Practitioner, *fhir.RelatedPerson, *fhir.Organization:
			team = append(team, e)
		case *fhir.Consent:
			consents = append(consents, e)
		case *fhir.CarePlan, *fhir.Task:
			plan = append(plan, e)
		}
	}
	require.NotNil(t, patient)
	return &cdshooks.Request{
		Hook:         cdshooks.Hook,
		HookInstance: hookInstance,
		Context: &cdshooks.AppointmentBookContext{
			UserID:       "PractitionerRole/booking-clerk",
			PatientID:    patient.ResourceID(),
			Appointments: bundleJSON(t, "collection", appts),
		},
		Prefetch: map[string]jsontext.Value{
			cdshooks.PrefetchPatient:  mustJSON(t, patient),
			cdshooks.PrefetchCareTeam: bundleJSON(t, "searchset", team),
			cdshooks.PrefetchConsents: bundleJSON(t, "searchset", consents),
			cdshooks.PrefetchCarePlan: bundleJSON(t, "searchset", plan),
		},
	}
}

// bundleJSON is a Bundle of the entries, or null when there are none (as
// CDS Hooks sends a prefetch key without data).
func bundleJSON(t testing.TB, typ string, entries []fhir.Entry) jsontext.Value {
	t.Helper()
	if len(entries) == 0 {
		return jsontext.Value("null")
	}
	return mustJSON(t, &fhir.Bundle{ResourceType: "Bundle", Type: typ, Entry: entries})
}

func mustJSON(t testing.TB, v any) jsontext.Value {
	t.Helper()
	data, err := json.Marshal(v, json.Deterministic(true))
	require.NoError(t, err)
	return data
}

// newServer serves a Service made with opts.
func newServer(t testing.TB, policy recommend.Policy, opts ...cdshooks.Option) *httptest.Server {
	t.Helper()
	svc, err := cdshooks.New(policy, opts...)
	require.NoError(t, err)
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return srv
}

// reply is an HTTP response, read.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; header holds name, value pairs.
func do(t testing.TB, srv *httptest.Server, method, path string, body []byte, header ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

const servicePath = "/cds-services/" + cdshooks.ServiceID

// call posts a request to the service and decodes the 200 answer, after
// checking it against the CDS Hooks response schema.
func call(t testing.TB, srv *httptest.Server, req *cdshooks.Request, header ...string) cdshooks.Response {
	t.Helper()
	rep := do(t, srv, http.MethodPost, servicePath, mustJSON(t, req), append([]string{"Content-Type", "application/json"}, header...)...)
	require.Equal(t, http.StatusOK, rep.status, "%s", rep.body)
	validateJSON(t, responseSchema, rep.body)
	var resp cdshooks.Response
	require.NoError(t, json.Unmarshal(rep.body, &resp))
	return resp
}

// cardFor returns the card whose topic is the recommendation id.
func cardFor(cards []cdshooks.Card, id string) (cdshooks.Card, bool) {
	i := slices.IndexFunc(cards, func(c cdshooks.Card) bool { return c.Source.Topic != nil && c.Source.Topic.Code == id })
	if i < 0 {
		return cdshooks.Card{}, false
	}
	return cards[i], true
}

func topics(cards []cdshooks.Card) []string {
	var ids []string
	for _, c := range cards {
		ids = append(ids, c.Source.Topic.Code)
	}
	return ids
}

// withAppointment returns req with the Appointment in context.appointments
// replaced by resource, as an EHR does when it applies an update action.
func withAppointment(t testing.TB, req *cdshooks.Request, resource jsontext.Value) *cdshooks.Request {
	t.Helper()
	out := *req
	ctx := *req.Context
	var b struct {
		ResourceType string `json:"resourceType"`
		Type         string `json:"type"`
		Entry        []struct {
			FullURL  string         `json:"fullUrl,omitempty"`
			Resource jsontext.Value `json:"resource"`
		} `json:"entry"`
	}
	require.NoError(t, json.Unmarshal(ctx.Appointments, &b))
	require.Len(t, b.Entry, 1)
	b.Entry[0].Resource = resource
	ctx.Appointments = mustJSON(t, b)
	out.Context = &ctx
	return &out
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if sub != "" && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
