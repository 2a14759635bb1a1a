package cdshooks_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCDSNorwegian(t *testing.T) {
	srv := newServer(t, recommend.Policy{})
	req := booking(t, withoutConsent(loadCase(t), meeting.RoleSocialSecuritySupervisor))
	english, ok := cardFor(call(t, srv, req).Cards, "PC-04")
	require.True(t, ok)
	for _, tc := range []struct{ header, lang string }{
		{"nb", "nb"},
		{"nb-NO,nb;q=0.9,en;q=0.5", "nb"},
		{"no", "nb"},
		{"nn-NO", "nb"},
		{"en-GB", "en"},
		{"de-DE", "en"},
		{"", "en"},
	} {
		t.Run(tc.header, func(t *testing.T) {
			rep := do(t, srv, http.MethodPost, servicePath, mustJSON(t, req), "Content-Type", "application/json", "Accept-Language", tc.header)
			require.Equal(t, http.StatusOK, rep.status)
			validateJSON(t, responseSchema, rep.body)
			assert.Equal(t, tc.lang, rep.header.Get("Content-Language"))
			var resp cdshooks.Response
			require.NoError(t, json.Unmarshal(rep.body, &resp))
			card, ok := cardFor(resp.Cards, "PC-04")
			require.True(t, ok)
			if tc.lang == "nb" {
				assert.Equal(t, "collabmeet-anbefaling PC-04", card.Source.Label)
				assert.True(t, strings.HasPrefix(card.Summary, "NAV-veileder (deltaker 7): "), card.Summary)
				assert.Contains(t, card.Detail, "må (påkrevd)")
				assert.Contains(t, card.Detail, "kan ikke overstyres")
				assert.NotContains(t, card.Detail, "consent to attend")
			} else {
				assert.Equal(t, "collabmeet recommendation PC-04", card.Source.Label)
				assert.Contains(t, card.Detail, "required")
			}
			assert.Equal(t, english.UUID, card.UUID, "the UUID does not depend on the language")
		})
	}
}

// TestCDSConcurrent sends 100 requests at once (run it with -race): each
// answer is the one the same request gets alone.
func TestCDSConcurrent(t *testing.T) {
	// Every request at once: the limit of requests in flight lets them all in.
	srv := newServer(t, recommend.Policy{}, withTestRules, cdshooks.WithMaxInFlight(100))
	type probe struct {
		body []byte
		lang string
		want []byte
	}
	var probes []probe
	for _, req := range []*cdshooks.Request{
		booking(t, loadCase(t)),
		booking(t, withoutConsent(loadCase(t), meeting.RoleSocialSecuritySupervisor)),
		booking(t, fixable(t)),
	} {
		for _, lang := range []string{"en", "nb"} {
			body := mustJSON(t, req)
			rep := do(t, srv, http.MethodPost, servicePath, body, "Content-Type", "application/json", "Accept-Language", lang)
			require.Equal(t, http.StatusOK, rep.status)
			probes = append(probes, probe{body, lang, rep.body})
		}
	}
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			p := probes[i%len(probes)]
			req, err := http.NewRequest(http.MethodPost, srv.URL+servicePath, bytes.NewReader(p.body))
			if err != nil {
				errs <- err
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept-Language", p.lang)
			resp, err := srv.Client().Do(req)
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			var got bytes.Buffer
			if _, err := got.ReadFrom(resp.Body); err != nil {
				errs <- err
				return
			}
			if resp.StatusCode != http.StatusOK || !bytes.Equal(got.Bytes(), p.want) {
				errs <- fmt.Errorf("request %d: status %d, a different answer", i, resp.StatusCode)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCDSFeedback(t *testing.T) {
	var logs bytes.Buffer
	srv := newServer(t, recommend.Policy{}, cdshooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	const path = servicePath + "/feedback"
	card := "4e0a3a1e-3283-4575-ab82-028d55fe2719"
	for _, tc := range []struct {
		name     string
		body     string
		status   int
		problems []string
		logged   []string
	}{
		{"accepted", `{"feedback":[{"card":"` + card + `","outcome":"accepted","acceptedSuggestions":[{"id":"e56e1945-20b3-4393-8503-a1a20fd73152"}],"outcomeTimestamp":"2026-05-04T07:30:00Z"}]}`,
			200, nil, []string{`"accepted":1`, `"accepted_suggestions":1`, card}},
		{"overridden without a reason", `{"feedback":[{"card":"` + card + `","outcome":"overridden","outcomeTimestamp":"2026-05-04T07:30:00Z"}]}`,
			200, nil, []string{`"overridden":1`}},
		{"overridden with a reason and a comment", `{"feedback":[{"card":"` + card + `","outcome":"overridden","overrideReason":{"reason":{"system":"` + cdshooks.OverrideReasonSystem + `","code":"patient_preference","display":"The patient wants it otherwise"},"userComment":"Kari Nordmann will bring her brother"},"outcomeTimestamp":"2026-05-04T07:30:00.123Z"}]}`,
			200, nil, []string{`"override_reasons":["patient_preference"]`}},
		{"overridden with the client's own reason", `{"feedback":[{"card":"` + card + `","outcome":"overridden","overrideReason":{"reason":{"system":"https://ehr.example/reasons","code":"Kari"}},"outcomeTimestamp":"2026-05-04T07:30:00Z"}]}`,
			200, nil, []string{`"override_reasons":["other"]`}},
		{"no entries", `{"feedback":[]}`, 400, []string{"feedback"}, nil},
		{"a card that is not a UUID", `{"feedback":[{"card":"Kari","outcome":"overridden","outcomeTimestamp":"2026-05-04T07:30:00Z"}]}`, 400, []string{"feedback[0].card"}, nil},
		{"an unknown outcome", `{"feedback":[{"card":"` + card + `","outcome":"ignored","outcomeTimestamp":"2026-05-04T07:30:00Z"}]}`, 400, []string{"feedback[0].outcome"}, nil},
		{"accepted without suggestions", `{"feedback":[{"card":"` + card + `","outcome":"accepted","outcomeTimestamp":"2026-05-04T07:30:00Z"}]}`, 400, []string{"feedback[0].acceptedSuggestions"}, nil},
		{"an empty override reason", `{"feedback":[{"card":"` + card + `","outcome":"overridden","overrideReason":{},"outcomeTimestamp":"2026-05-04T07:30:00Z"}]}`, 400, []string{"feedback[0].overrideReason"}, nil},
		{"no timestamp", `{"feedback":[{"card":"` + card + `","outcome":"overridden"}]}`, 400, []string{"feedback[0].outcomeTimestamp"}, nil},
		{"a timestamp that is no time", `{"feedback":[{"card":"` + card + `","outcome":"overridden","outcomeTimestamp":"yesterday"}]}`, 400, []string{"feedback[0].outcomeTimestamp"}, nil},
		{"feedback of the wrong type", `{"feedback":{"card":"` + card + `"}}`, 400, []string{"feedback"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			rep := do(t, srv, http.MethodPost, path, []byte(tc.body), "Content-Type", "application/json")
			if tc.status == http.StatusOK {
				assert.Equal(t, http.StatusOK, rep.status, "%s", rep.body)
				assert.JSONEq(t, `{}`, string(rep.body))
			} else {
				e := errorReply(t, rep, tc.status, map[bool]string{true: cdshooks.ErrCodeMalformed, false: cdshooks.ErrCodeInvalid}[strings.Contains(tc.name, "wrong type")])
				for _, p := range tc.problems {
					assert.Contains(t, paths(e.Problems), p)
				}
			}
			for _, s := range tc.logged {
				assert.Contains(t, logs.String(), s)
			}
			assert.Contains(t, logs.String(), `"endpoint":"feedback"`)
			assert.NotContains(t, logs.String(), "Kari", "no free text of the request is logged")
			assert.NotContains(t, logs.String(), "brother")
		})
	}
	t.Run("not JSON", func(t *testing.T) {
		errorReply(t, do(t, srv, http.MethodPost, path, []byte(`feedback`), "Content-Type", "text/plain"), http.StatusUnsupportedMediaType, cdshooks.ErrCodeMediaType)
	})
}

// TestCDSLogs checks that a request's log record says what happened and
// holds nothing of the patient: no name, id, FHIR id or free text.
func TestCDSLogs(t *testing.T) {
	var logs bytes.Buffer
	srv := newServer(t, recommend.Policy{}, withTestRules, cdshooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	c := withoutConsent(fixable(t), meeting.RoleSocialSecuritySupervisor)
	req := booking(t, c)
	resp := call(t, srv, req, "Accept-Language", "nb")
	require.NotEmpty(t, resp.Cards)

	var rec map[string]any
	require.NoError(t, json.Unmarshal(bytes.TrimSpace(logs.Bytes()), &rec), "one record: %s", logs.Bytes())
	assert.Equal(t, "cds-hooks request", rec["msg"])
	assert.Equal(t, "service", rec["endpoint"])
	assert.Equal(t, float64(200), rec["status"])
	assert.Equal(t, hookInstance, rec["hook_instance"])
	assert.Equal(t, "nb", rec["lang"])
	assert.Equal(t, float64(1), rec["appointments"])
	assert.Equal(t, float64(len(resp.Cards)), rec["cards"])
	assert.Contains(t, rec["codes"], "PC-04")
	assert.Contains(t, rec, "duration")

	secrets := []string{req.Context.PatientID, req.Context.UserID, c.Meeting.ID.String(), c.Meeting.Platform}
	for _, p := range c.Meeting.Participants {
		secrets = append(secrets, p.ID.String(), p.Name, p.Purpose, p.Organization)
	}
	for _, it := range c.Meeting.Agenda {
		secrets = append(secrets, it.Title)
	}
	for _, s := range secrets {
		if s != "" {
			assert.NotContains(t, logs.String(), s)
		}
	}

	logs.Reset()
	r := booking(t, loadCase(t))
	r.Context.PatientID = "someone-else"
	rep := do(t, srv, http.MethodPost, servicePath, mustJSON(t, r), "Content-Type", "application/json")
	require.Equal(t, http.StatusUnprocessableEntity, rep.status)
	assert.Contains(t, logs.String(), `"error":"unprocessable_fhir_data"`)
	assert.Contains(t, logs.String(), `"level":"WARN"`)
	assert.NotContains(t, logs.String(), "someone-else")
}

// TestCDSSelection checks how the resources of the prefetch are chosen for
// the meeting: of several CareTeams the one of the meeting's people, the
// CarePlan of the Appointment, the consents of its people; and that two
// Appointments are checked one by one.
func TestCDSSelection(t *testing.T) {
	srv := newServer(t, recommend.Policy{})
	base := booking(t, withoutConsent(loadCase(t), meeting.RoleSocialSecuritySupervisor))
	baseCards := call(t, srv, base).Cards
	require.NotEmpty(t, baseCards)

	addEntries := func(t *testing.T, v jsontext.Value, resources ...string) jsontext.Value {
		var b map[string]any
		require.NoError(t, json.Unmarshal(v, &b))
		for _, r := range resources {
			var res map[string]any
			require.NoError(t, json.Unmarshal([]byte(r), &res))
			b["entry"] = append(b["entry"].([]any), map[string]any{"fullUrl": "https://ehr.example/fhir/" + res["resourceType"].(string) + "/" + res["id"].(string), "resource": res})
		}
		return mustJSON(t, b)
	}
	t.Run("another CareTeam, CarePlan and Consent of the patient", func(t *testing.T) {
		req := booking(t, withoutConsent(loadCase(t), meeting.RoleSocialSecuritySupervisor))
		patient := "urn:uuid:" + req.Context.PatientID
		req.Prefetch[cdshooks.PrefetchCareTeam] = addEntries(t, req.Prefetch[cdshooks.PrefetchCareTeam],
			`{"resourceType":"CareTeam","id":"gp-team","status":"active","subject":{"reference":"`+patient+`"},"participant":[{"member":{"reference":"Practitioner/other-gp"}}]}`,
			`{"resourceType":"Practitioner","id":"other-gp","name":[{"text":"Dr. Other"}]}`)
		req.Prefetch[cdshooks.PrefetchCarePlan] = addEntries(t, req.Prefetch[cdshooks.PrefetchCarePlan],
			`{"resourceType":"CarePlan","id":"old-plan","status":"completed","intent":"plan","subject":{"reference":"`+patient+`"},"activity":[{"reference":{"reference":"Task/old-task"}}]}`,
			`{"resourceType":"Task","id":"old-task","status":"completed","intent":"plan"}`)
		consent := func(id, grantee string) string {
			return `{"resourceType":"Consent","id":"` + id + `","status":"active","patient":{"reference":"` + patient + `"},"dateTime":"2025-01-10T10:00:00+01:00",` +
				`"provision":{"type":"permit","actor":[{"role":{"text":"grantee"},"reference":{"reference":"` + grantee + `"}}],` +
				`"action":[{"coding":[{"system":"` + fhir.SystemConsentScope + `","code":"attend"}]}]}}`
		}
		req.Prefetch[cdshooks.PrefetchConsents] = addEntries(t, req.Prefetch[cdshooks.PrefetchConsents],
			consent("gp-consent", "Practitioner/other-gp"),     // someone in the prefetch, not in the meeting
			consent("old-consent", "Practitioner/physio-2015")) // someone the prefetch does not hold
		got := call(t, srv, req).Cards
		assert.Equal(t, topics(baseCards), topics(got))
	})
	t.Run("an organisation that is not prefetched", func(t *testing.T) {
		req := booking(t, loadCase(t))
		var b fhirBundle
		require.NoError(t, json.Unmarshal(req.Prefetch[cdshooks.PrefetchCareTeam], &b))
		b.Entry = deleteType(b.Entry, "Organization")
		req.Prefetch[cdshooks.PrefetchCareTeam] = mustJSON(t, b)
		assert.Empty(t, call(t, srv, req).Cards)
	})
	t.Run("two Appointments", func(t *testing.T) {
		req := booking(t, withoutConsent(loadCase(t), meeting.RoleSocialSecuritySupervisor))
		var b fhirBundle
		require.NoError(t, json.Unmarshal(req.Context.Appointments, &b))
		var second map[string]any
		require.NoError(t, json.Unmarshal(b.Entry[0].Resource, &second))
		second["id"] = "follow-up-1"
		b.Entry = append(b.Entry, fhirEntry{FullURL: "https://ehr.example/fhir/Appointment/follow-up-1", Resource: mustJSON(t, second)})
		req.Context.Appointments = mustJSON(t, b)
		got := call(t, srv, req).Cards
		require.Len(t, got, 2*len(baseCards))
		assert.NotEqual(t, got[0].UUID, got[len(baseCards)].UUID)
		assert.Contains(t, got[len(baseCards)].Detail, "Appointment: `Appointment/follow-up-1`")
	})
}

type fhirEntry struct {
	FullURL  string         `json:"fullUrl,omitempty"`
	Resource jsontext.Value `json:"resource"`
}

type fhirBundle struct {
	ResourceType string      `json:"resourceType"`
	Type         string      `json:"type"`
	Entry        []fhirEntry `json:"entry"`
}

func deleteType(entries []fhirEntry, typ string) []fhirEntry {
	var out []fhirEntry
	for _, e := range entries {
		if fhir.ResourceTypeOf(e.Resource) != typ {
			out = append(out, e)
		}
	}
	return out
}

func TestCDSAppointmentsAsArray(t *testing.T) {
	// The hook's examples send context.appointments as an array of
	// Appointments; it is read as a Bundle of them.
	srv := newServer(t, recommend.Policy{})
	req := booking(t, withoutConsent(loadCase(t), meeting.RoleSocialSecuritySupervisor))
	var b fhirBundle
	require.NoError(t, json.Unmarshal(req.Context.Appointments, &b))
	req.Context.Appointments = mustJSON(t, []jsontext.Value{b.Entry[0].Resource})
	resp := call(t, srv, req)
	_, ok := cardFor(resp.Cards, "PC-04")
	assert.True(t, ok)

	var many []jsontext.Value
	for range cdshooks.MaxAppointments + 1 {
		many = append(many, b.Entry[0].Resource)
	}
	req.Context.Appointments = mustJSON(t, many)
	rep := do(t, srv, http.MethodPost, servicePath, mustJSON(t, req), "Content-Type", "application/json")
	e := errorReply(t, rep, http.StatusUnprocessableEntity, cdshooks.ErrCodeUnprocessable)
	assert.Contains(t, paths(e.Problems), "context.appointments")
}
