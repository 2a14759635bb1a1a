package cdshooks_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errorReply checks that a reply is an ErrorResponse of the status and
// code, as JSON, and returns it.
func errorReply(t testing.TB, rep reply, status int, code string) cdshooks.ErrorResponse {
	t.Helper()
	assert.Equal(t, status, rep.status, "%s", rep.body)
	assert.Equal(t, "application/json", rep.header.Get("Content-Type"))
	var e cdshooks.ErrorResponse
	require.NoError(t, json.Unmarshal(rep.body, &e), "%s", rep.body)
	assert.Equal(t, status, e.Status)
	assert.Equal(t, code, e.Code)
	assert.NotEmpty(t, e.Message)
	return e
}

func paths(problems []validation.Problem) []string {
	var out []string
	for _, p := range problems {
		out = append(out, p.Path)
	}
	return out
}

func TestCDSErrors(t *testing.T) {
	const limit = 64 << 10
	srv := newServer(t, recommend.Policy{}, cdshooks.WithMaxBodyBytes(limit))
	valid := func(t testing.TB) *cdshooks.Request { return booking(t, loadCase(t)) }
	edit := func(change func(r *cdshooks.Request)) func(t testing.TB) []byte {
		return func(t testing.TB) []byte {
			r := valid(t)
			change(r)
			return mustJSON(t, r)
		}
	}
	raw := func(s string) func(testing.TB) []byte { return func(testing.TB) []byte { return []byte(s) } }
	jsonType := []string{"Content-Type", "application/json"}
	for _, tc := range []struct {
		name         string
		method, path string
		header       []string
		body         func(t testing.TB) []byte
		status       int
		code         string
		problem      string // the path of a problem the answer names
	}{
		{"malformed JSON", "POST", servicePath, jsonType, raw(`{"hook": "appointment-book",`), 400, cdshooks.ErrCodeMalformed, ""},
		{"not an object", "POST", servicePath, jsonType, raw(`["appointment-book"]`), 400, cdshooks.ErrCodeMalformed, ""},
		{"empty body", "POST", servicePath, jsonType, raw(``), 400, cdshooks.ErrCodeMalformed, ""},
		{"hookInstance of the wrong type", "POST", servicePath, jsonType, raw(`{"hook":"appointment-book","hookInstance":5}`), 400, cdshooks.ErrCodeMalformed, "hookInstance"},
		{"context of the wrong type", "POST", servicePath, jsonType, raw(`{"hook":"appointment-book","hookInstance":"` + hookInstance + `","context":"x"}`), 400, cdshooks.ErrCodeMalformed, "context"},
		{"a repeated key", "POST", servicePath, jsonType, raw(`{"hook":"appointment-book","hook":"patient-view"}`), 400, cdshooks.ErrCodeMalformed, "hook"},
		{"hookInstance missing", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) { r.HookInstance = "" }), 400, cdshooks.ErrCodeInvalid, "hookInstance"},
		{"hookInstance not a UUID", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) { r.HookInstance = "Kari Nordmann 12345678901" }), 400, cdshooks.ErrCodeInvalid, "hookInstance"},
		{"context missing", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) { r.Context = nil }), 400, cdshooks.ErrCodeInvalid, "context"},
		{"patientId missing", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) { r.Context.PatientID = "" }), 400, cdshooks.ErrCodeInvalid, "context.patientId"},
		{"appointments missing", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) { r.Context.Appointments = nil }), 400, cdshooks.ErrCodeInvalid, "context.appointments"},
		{"another hook", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) { r.Hook = "patient-view" }), 400, cdshooks.ErrCodeWrongHook, "hook"},
		{"consents not prefetched", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) { delete(r.Prefetch, cdshooks.PrefetchConsents) }), 412, cdshooks.ErrCodePrefetchMissing, "prefetch.consents"},
		{"no prefetch, a FHIR server", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) {
			r.Prefetch = nil
			r.FHIRServer = "https://ehr.example/fhir"
		}), 412, cdshooks.ErrCodePrefetchMissing, "prefetch.careTeam"},
		{"text/plain", "POST", servicePath, []string{"Content-Type", "text/plain"}, edit(func(*cdshooks.Request) {}), 415, cdshooks.ErrCodeMediaType, ""},
		{"a form (curl -d without -H)", "POST", servicePath, []string{"Content-Type", "application/x-www-form-urlencoded"}, edit(func(*cdshooks.Request) {}), 415, cdshooks.ErrCodeMediaType, ""},
		{"no content type", "POST", servicePath, nil, edit(func(*cdshooks.Request) {}), 415, cdshooks.ErrCodeMediaType, ""},
		{"an unknown service", "POST", "/cds-services/patient-greeter", jsonType, edit(func(*cdshooks.Request) {}), 404, cdshooks.ErrCodeNotFound, ""},
		{"an unknown path", "GET", "/index.html", nil, nil, 404, cdshooks.ErrCodeNotFound, ""},
		{"GET of the service", "GET", servicePath, nil, nil, 405, cdshooks.ErrCodeMethod, ""},
		{"POST to discovery", "POST", "/cds-services", jsonType, raw(`{}`), 405, cdshooks.ErrCodeMethod, ""},
		{"GET of feedback", "GET", servicePath + "/feedback", nil, nil, 405, cdshooks.ErrCodeMethod, ""},
		{"over the limit", "POST", servicePath, jsonType, raw(`{"hook":"` + strings.Repeat("a", 2*limit) + `"}`), 413, cdshooks.ErrCodeTooLarge, ""},
		{"no CareTeam", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) { r.Prefetch[cdshooks.PrefetchCareTeam] = jsontext.Value("null") }), 422, cdshooks.ErrCodeUnprocessable, "prefetch"},
		{"no Appointment", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) {
			r.Context.Appointments = jsontext.Value(`{"resourceType":"Bundle","type":"collection"}`)
		}), 422, cdshooks.ErrCodeUnprocessable, "context.appointments"},
		{"another patient", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) { r.Context.PatientID = "someone-else" }), 422, cdshooks.ErrCodeUnprocessable, "context.patientId"},
		{"a start of the wrong type", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) {
			r.Context.Appointments = jsontext.Value(`{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Appointment","start":20260504}}]}`)
		}), 400, cdshooks.ErrCodeMalformed, "context.appointments.entry[0].resource.start"},
		{"a prefetch that is no resource", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) { r.Prefetch[cdshooks.PrefetchPatient] = jsontext.Value(`"Patient/1"`) }), 400, cdshooks.ErrCodeMalformed, "prefetch.patient"},
		{"a CareTeam member not in the Bundle", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) {
			r.Prefetch[cdshooks.PrefetchCareTeam] = onlyCareTeam(t, r.Prefetch[cdshooks.PrefetchCareTeam])
		}), 422, cdshooks.ErrCodeUnprocessable, "prefetch.careTeam.entry[0].resource.participant[1].member.reference"},
		{"a GP in the sector of NAV", "POST", servicePath, jsonType, edit(func(r *cdshooks.Request) {
			r.Prefetch[cdshooks.PrefetchCareTeam] = jsontext.Value(strings.Replace(string(r.Prefetch[cdshooks.PrefetchCareTeam]),
				`"code":"primary_health"`, `"code":"social_security"`, 1))
		}), 422, cdshooks.ErrCodeUnprocessable, "prefetch.careTeam.entry[10].resource.participant[5].role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body []byte
			if tc.body != nil {
				body = tc.body(t)
			}
			rep := do(t, srv, tc.method, tc.path, body, tc.header...)
			e := errorReply(t, rep, tc.status, tc.code)
			if tc.problem != "" {
				assert.Contains(t, paths(e.Problems), tc.problem, "%s", rep.body)
			}
			if tc.status == http.StatusMethodNotAllowed {
				assert.NotEmpty(t, rep.header.Get("Allow"))
			}
			assert.False(t, containsAny(string(rep.body), "Kari", "Nordmann", "12345678901"), "the answer quotes the request: %s", rep.body)
		})
	}
	t.Run("over the limit without a Content-Length", func(t *testing.T) {
		body := io.MultiReader(strings.NewReader(`{"hook":"`), strings.NewReader(strings.Repeat("a", 2*limit)), strings.NewReader(`"}`))
		req, err := http.NewRequest(http.MethodPost, srv.URL+servicePath, struct{ io.Reader }{body})
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		errorReply(t, reply{status: resp.StatusCode, header: resp.Header, body: data}, http.StatusRequestEntityTooLarge, cdshooks.ErrCodeTooLarge)
	})
	t.Run("a missing prefetch with a FHIR server says it is not fetched", func(t *testing.T) {
		r := valid(t)
		r.Prefetch = nil
		r.FHIRServer = "https://ehr.example/fhir"
		e := errorReply(t, do(t, srv, "POST", servicePath, mustJSON(t, r), jsonType...), 412, cdshooks.ErrCodePrefetchMissing)
		assert.Contains(t, e.Message, "does not fetch FHIR data from fhirServer")
		assert.ElementsMatch(t, []string{"prefetch.patient", "prefetch.careTeam", "prefetch.consents"}, paths(e.Problems))
	})
}

// onlyCareTeam keeps the CareTeam of a careTeam Bundle and drops its
// members, as a server that ignores _include answers.
func onlyCareTeam(t testing.TB, v jsontext.Value) jsontext.Value {
	var b map[string]any
	require.NoError(t, json.Unmarshal(v, &b))
	var keep []any
	for _, e := range b["entry"].([]any) {
		if e.(map[string]any)["resource"].(map[string]any)["resourceType"] == "CareTeam" {
			keep = append(keep, e)
		}
	}
	b["entry"] = keep
	return mustJSON(t, b)
}

func TestCDSNoConsentsIsNull(t *testing.T) {
	// A prefetch key of null is no data: the patient has no consents, so the
	// third parties attend without one.
	srv := newServer(t, recommend.Policy{})
	req := booking(t, loadCase(t))
	req.Prefetch[cdshooks.PrefetchConsents] = jsontext.Value("null")
	delete(req.Prefetch, cdshooks.PrefetchCarePlan) // optional
	resp := call(t, srv, req)
	card, ok := cardFor(resp.Cards, "PC-04")
	require.True(t, ok, "%v", topics(resp.Cards))
	assert.Equal(t, cdshooks.IndicatorCritical, card.Indicator)
	assert.Contains(t, card.Summary, "(and 1 more)", "the next of kin and the NAV supervisor")
}

func TestCDSRecoversFromPanics(t *testing.T) {
	var logs bytes.Buffer
	srv := newServer(t, recommend.Policy{}, cdshooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))),
		cdshooks.WithAuthorizer(func(*http.Request) error { panic("Kari Nordmann") }))
	rep := do(t, srv, http.MethodGet, "/cds-services", nil)
	errorReply(t, rep, http.StatusInternalServerError, cdshooks.ErrCodeInternal)
	assert.NotContains(t, rep.body, "Kari")
	assert.Contains(t, logs.String(), `"status":500`)
	assert.Contains(t, logs.String(), `"panic":true`)
	assert.NotContains(t, logs.String(), "Kari", "the panic value is not logged")
}

func TestCDSAuthorizer(t *testing.T) {
	srv := newServer(t, recommend.Policy{}, cdshooks.WithAuthorizer(func(r *http.Request) error {
		if r.Header.Get("Authorization") != "Bearer good" {
			return errors.New("no")
		}
		return nil
	}))
	errorReply(t, do(t, srv, http.MethodGet, "/cds-services", nil), http.StatusUnauthorized, cdshooks.ErrCodeUnauthorized)
	assert.Equal(t, http.StatusOK, do(t, srv, http.MethodGet, "/cds-services", nil, "Authorization", "Bearer good").status)
}

func TestCDSTimeout(t *testing.T) {
	// A request that takes longer than the limit gets 503 with a JSON body.
	// The slow part waits for the request's context, which the time limit
	// ends: no sleeping, no race with the clock.
	srv := newServer(t, recommend.Policy{}, cdshooks.WithTimeout(20*time.Millisecond),
		cdshooks.WithAuthorizer(func(r *http.Request) error {
			<-r.Context().Done()
			return r.Context().Err()
		}))
	errorReply(t, do(t, srv, http.MethodGet, "/cds-services", nil), http.StatusServiceUnavailable, cdshooks.ErrCodeTimeout)
}

func TestCDSNewRefusesBadOptions(t *testing.T) {
	_, err := cdshooks.New(recommend.Policy{Disable: []string{"PC-04"}})
	assert.Error(t, err, "a protected recommendation cannot be disabled")
	_, err = cdshooks.New(recommend.Policy{}, cdshooks.WithMaxBodyBytes(0))
	assert.Error(t, err)
	_, err = cdshooks.New(recommend.Policy{}, cdshooks.WithTimeout(-time.Second))
	assert.Error(t, err)
}
