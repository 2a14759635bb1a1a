package cdshooks_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/internal/medplumtest"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testToken is the access token of the requests of these tests; it must
// never be seen in an answer or a log.
const testToken = medplumtest.Token

// fakeFHIR is a FHIR server for the tests: it answers the queries of the
// service's prefetch templates for one patient with the prefetch of a
// request, as a FHIR server holding the same data would, and records what
// it was asked. handle, when set, answers instead.
type fakeFHIR struct {
	*httptest.Server
	patientID string
	data      map[string]jsontext.Value // by prefetch key
	conns     atomic.Int32              // connections accepted
	handle    func(w http.ResponseWriter, r *http.Request) bool

	mu       sync.Mutex
	requests []*http.Request // clones, without bodies
}

// newFakeFHIR serves the prefetch of req.
func newFakeFHIR(t testing.TB, req *cdshooks.Request) *fakeFHIR {
	t.Helper()
	f := &fakeFHIR{patientID: req.Context.PatientID, data: req.Prefetch}
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			f.conns.Add(1)
		}
	}
	f.Start()
	t.Cleanup(f.Close)
	return f
}

// base is the fhirServer of the fake: its URL with the path /fhir.
func (f *fakeFHIR) base() string { return f.URL + "/fhir" }

func (f *fakeFHIR) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Clone(r.Context()))
	f.mu.Unlock()
	if f.handle != nil && f.handle(w, r) {
		return
	}
	pid := url.QueryEscape(f.patientID)
	queries := map[string]string{
		"/fhir/Patient/" + url.PathEscape(f.patientID):                                   cdshooks.PrefetchPatient,
		"/fhir/CareTeam?patient=" + pid + "&status=active&_include=CareTeam:participant": cdshooks.PrefetchCareTeam,
		"/fhir/Consent?patient=" + pid:                                                   cdshooks.PrefetchConsents,
		"/fhir/CarePlan?patient=" + pid + "&_include=CarePlan:activity-reference":        cdshooks.PrefetchCarePlan,
	}
	key, ok := queries[r.URL.RequestURI()]
	if !ok || r.Method != http.MethodGet {
		w.Header().Set("Content-Type", "application/fhir+json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}`)
		return
	}
	v := f.data[key]
	if v.Kind() == 'n' || v.Kind() == 0 {
		v = jsontext.Value(`{"resourceType":"Bundle","type":"searchset","total":0}`) // a search that found nothing
	}
	w.Header().Set("Content-Type", "application/fhir+json; charset=utf-8")
	_, _ = w.Write(v)
}

// asked returns the requests the fake received.
func (f *fakeFHIR) asked() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.requests...)
}

// withoutPrefetch is req as an EHR sends it when it leaves the fetching to
// the service: no prefetch, fhirServer and fhirAuthorization.
func withoutPrefetch(t testing.TB, req *cdshooks.Request, fhirServer string, keys ...string) *cdshooks.Request {
	t.Helper()
	out := *req
	out.Prefetch = make(map[string]jsontext.Value)
	for k, v := range req.Prefetch {
		out.Prefetch[k] = v
	}
	if len(keys) == 0 {
		keys = []string{cdshooks.PrefetchPatient, cdshooks.PrefetchCareTeam, cdshooks.PrefetchConsents, cdshooks.PrefetchCarePlan}
	}
	for _, k := range keys {
		delete(out.Prefetch, k)
	}
	out.FHIRServer = fhirServer
	out.FHIRAuthorization = mustJSON(t, map[string]any{
		"access_token": testToken, "token_type": "Bearer", "expires_in": 300,
		"scope": "patient/Patient.read patient/CareTeam.read", "subject": "collabmeet",
	})
	return &out
}

// testdataRequest reads a request of testdata.
func testdataRequest(t testing.TB, file string) *cdshooks.Request {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	require.NoError(t, err)
	var req cdshooks.Request
	require.NoError(t, json.Unmarshal(data, &req))
	return &req
}

// post posts a request and returns the reply, unchecked.
func post(t testing.TB, srv *httptest.Server, req *cdshooks.Request) reply {
	t.Helper()
	return do(t, srv, http.MethodPost, servicePath, mustJSON(t, req), "Content-Type", "application/json")
}

// TestCDSFetchFakeServerRedirectsAndHeaders checks, on a fake FHIR server
// (medplum's router neither redirects nor leaves out a token check), that
// a same-origin redirect is followed with the token and that a request
// without fhirAuthorization sends no Authorization header.
func TestCDSFetchFakeServerRedirectsAndHeaders(t *testing.T) {
	t.Run("no fhirAuthorization: no Authorization header", func(t *testing.T) {
		req := testdataRequest(t, "booking-compliant.json")
		fake := newFakeFHIR(t, req)
		srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL))
		r := withoutPrefetch(t, req, fake.base())
		r.FHIRAuthorization = nil
		call(t, srv, r)
		require.Len(t, fake.asked(), 4)
		for _, a := range fake.asked() {
			assert.Empty(t, a.Header.Get("Authorization"))
		}
	})
	t.Run("a same-origin redirect is followed", func(t *testing.T) {
		req := testdataRequest(t, "booking-compliant.json")
		fake := newFakeFHIR(t, req)
		fake.handle = func(w http.ResponseWriter, r *http.Request) bool {
			if strings.HasPrefix(r.URL.Path, "/old/") {
				http.Redirect(w, r, "/fhir/"+strings.TrimPrefix(r.URL.RequestURI(), "/old/"), http.StatusMovedPermanently)
				return true
			}
			return false
		}
		srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL))
		assert.Equal(t, call(t, srv, req), call(t, srv, withoutPrefetch(t, req, fake.URL+"/old")))
		require.Len(t, fake.asked(), 8, "four GETs, each redirected once")
		for _, a := range fake.asked() {
			assert.Equal(t, "Bearer "+testToken, a.Header.Get("Authorization"), "%s", a.URL)
		}
	})
}

// TestCDSFetchRefused checks, on fake FHIR servers that would answer, that
// a fhirServer outside the allow-list is never connected to.
func TestCDSFetchRefused(t *testing.T) {
	req := testdataRequest(t, "booking-compliant.json")
	allowed := newFakeFHIR(t, req)
	other := newFakeFHIR(t, req)
	u, err := url.Parse(allowed.URL)
	require.NoError(t, err)
	srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(allowed.URL, "https://ehr.example:8443"))
	for _, tc := range []struct {
		name, fhirServer string
	}{
		{"another port", other.base()},
		{"another scheme", "https://" + u.Host + "/fhir"},
		{"another host", "http://localhost:" + u.Port() + "/fhir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := post(t, srv, withoutPrefetch(t, req, tc.fhirServer))
			e := errorReply(t, rep, http.StatusPreconditionFailed, cdshooks.ErrCodePrefetchMissing)
			assert.Contains(t, paths(e.Problems), "fhirServer")
			assert.Contains(t, paths(e.Problems), "prefetch.careTeam")
			assert.NotContains(t, string(rep.body), testToken)
		})
	}
	// fhirServers that are not plain base URLs (user information naming the
	// allowed host, a query, a fragment, no host, no port) are refused with
	// 400 before the allow-list is looked at: TestCDSFetchRefusesFHIRServerTricks.
	assert.Zero(t, other.conns.Load(), "a server outside the allow-list was connected to")
	assert.Zero(t, allowed.conns.Load(), "the allowed server was connected to with a refused fhirServer")

	t.Run("no fhirServer", func(t *testing.T) {
		e := errorReply(t, post(t, srv, withoutPrefetch(t, req, "")), http.StatusPreconditionFailed, cdshooks.ErrCodePrefetchMissing)
		assert.Contains(t, e.Message, "no fhirServer")
	})
	t.Run("only the optional key missing, fhirServer not allowed: checked without it", func(t *testing.T) {
		plain := newServer(t, recommend.Policy{})
		r := withoutPrefetch(t, req, other.base(), cdshooks.PrefetchCarePlan)
		assert.Equal(t, call(t, plain, r), call(t, srv, r))
		assert.Zero(t, other.conns.Load())
	})
	t.Run("not configured: the 412 of before", func(t *testing.T) {
		plain := newServer(t, recommend.Policy{})
		e := errorReply(t, post(t, plain, withoutPrefetch(t, req, allowed.base())), http.StatusPreconditionFailed, cdshooks.ErrCodePrefetchMissing)
		assert.Contains(t, e.Message, "does not fetch FHIR data from fhirServer")
		assert.Zero(t, allowed.conns.Load())
	})
}

// TestCDSFetchFakeServerFailures checks, on a fake FHIR server, answers that
// a real one does not give: cut connections, HTML, broken JSON, FHIR of the
// wrong shape, oversized answers and redirects.
func TestCDSFetchFakeServerFailures(t *testing.T) {
	req := testdataRequest(t, "booking-compliant.json")
	const limit = 256 << 10
	secret := "Kari Nordmann 12345678901"
	target := newFakeFHIR(t, req) // where a redirect leads
	for _, tc := range []struct {
		name    string
		handle  func(w http.ResponseWriter, r *http.Request) bool
		status  int
		code    string
		message string // in the problem of prefetch.patient
	}{
		{"unauthorized", func(w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, secret, http.StatusUnauthorized)
			return true
		}, 412, cdshooks.ErrCodeFetchFailed, "status 401"},
		{"not found", func(w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, secret, http.StatusNotFound)
			return true
		}, 412, cdshooks.ErrCodeFetchFailed, "status 404"},
		{"server error", func(w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, secret, http.StatusInternalServerError)
			return true
		}, 412, cdshooks.ErrCodeFetchFailed, "status 500"},
		{"a connection cut", func(w http.ResponseWriter, r *http.Request) bool {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return true
		}, 412, cdshooks.ErrCodeFetchFailed, "could not be reached"},
		{"HTML", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html>"+secret+"</html>")
			return true
		}, 502, cdshooks.ErrCodeBadResponse, "not FHIR JSON"},
		{"broken JSON", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Content-Type", "application/fhir+json")
			fmt.Fprint(w, `{"resourceType":"Patient","name":"`+secret)
			return true
		}, 502, cdshooks.ErrCodeBadResponse, "not a FHIR resource or Bundle"},
		{"a JSON array", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `["`+secret+`"]`)
			return true
		}, 502, cdshooks.ErrCodeBadResponse, "not a FHIR resource or Bundle"},
		{"FHIR of the wrong shape", func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasPrefix(r.URL.Path, "/fhir/Patient/") {
				return false
			}
			w.Header().Set("Content-Type", "application/fhir+json")
			fmt.Fprint(w, `{"resourceType":"Patient","id":5,"text":{"div":"`+secret+`"}}`)
			return true
		}, 502, cdshooks.ErrCodeBadResponse, ""},
		{"over the limit, with a Content-Length", func(w http.ResponseWriter, r *http.Request) bool {
			body := `{"resourceType":"Patient","id":"x","text":{"div":"` + strings.Repeat("a", 2*limit) + `"}}`
			w.Header().Set("Content-Type", "application/fhir+json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			fmt.Fprint(w, body)
			return true
		}, 502, cdshooks.ErrCodeBadResponse, "larger than the budget"},
		{"over the limit, chunked", func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Content-Type", "application/fhir+json")
			fmt.Fprint(w, `{"resourceType":"Patient","id":"x","text":{"div":"`)
			w.(http.Flusher).Flush()
			for range 2 * limit / 1024 {
				fmt.Fprint(w, strings.Repeat("a", 1024))
			}
			fmt.Fprint(w, `"}}`)
			return true
		}, 502, cdshooks.ErrCodeBadResponse, "larger than the budget"},
		{"a redirect to another origin", func(w http.ResponseWriter, r *http.Request) bool {
			http.Redirect(w, r, target.URL+r.URL.RequestURI(), http.StatusFound)
			return true
		}, 502, cdshooks.ErrCodeBadResponse, "another origin"},
		{"a redirect loop", func(w http.ResponseWriter, r *http.Request) bool {
			http.Redirect(w, r, r.URL.RequestURI(), http.StatusTemporaryRedirect)
			return true
		}, 502, cdshooks.ErrCodeBadResponse, "redirected more than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			fake := newFakeFHIR(t, req)
			fake.handle = tc.handle
			srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL, target.URL+"/"),
				cdshooks.WithMaxBodyBytes(limit), cdshooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))),
				// Enough GETs for every key to follow three redirects.
				cdshooks.WithFetchBudget(cdshooks.FetchBudget{GETs: 4 * 5}))
			rep := post(t, srv, withoutPrefetch(t, req, fake.base()))
			e := errorReply(t, rep, tc.status, tc.code)
			var patient string
			for _, p := range e.Problems {
				if p.Path == "prefetch.patient" || strings.HasPrefix(p.Path, "prefetch.patient.") {
					patient = p.Message
				}
			}
			require.NotEmpty(t, patient, "the problem names the key: %s", rep.body)
			assert.Contains(t, patient, tc.message)
			for _, s := range []string{testToken, "Kari", "12345678901", req.Context.PatientID} {
				assert.NotContains(t, string(rep.body), s)
				assert.NotContains(t, logs.String(), s)
			}
			assert.Contains(t, logs.String(), `"error":"`+tc.code+`"`)
		})
	}
	assert.Zero(t, target.conns.Load(), "a redirect to another origin was followed")

	t.Run("FHIR that does not make a meeting: as if sent", func(t *testing.T) {
		fake := newFakeFHIR(t, req)
		fake.data = map[string]jsontext.Value{cdshooks.PrefetchPatient: req.Prefetch[cdshooks.PrefetchPatient]}
		srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL))
		sent := req.Prefetch[cdshooks.PrefetchPatient]
		r := withoutPrefetch(t, req, fake.base())
		r.Prefetch[cdshooks.PrefetchPatient] = sent
		want := errorReply(t, post(t, newServer(t, recommend.Policy{}), withEmptySearches(r)), http.StatusUnprocessableEntity, cdshooks.ErrCodeUnprocessable)
		got := errorReply(t, post(t, srv, r), http.StatusUnprocessableEntity, cdshooks.ErrCodeUnprocessable)
		assert.Equal(t, want, got)
	})
}

// withEmptySearches is r with an empty searchset for every missing key.
func withEmptySearches(r *cdshooks.Request) *cdshooks.Request {
	out := *r
	out.Prefetch = map[string]jsontext.Value{}
	for _, k := range []string{cdshooks.PrefetchPatient, cdshooks.PrefetchCareTeam, cdshooks.PrefetchConsents, cdshooks.PrefetchCarePlan} {
		out.Prefetch[k] = jsontext.Value(`{"resourceType":"Bundle","type":"searchset","total":0}`)
		if v, ok := r.Prefetch[k]; ok {
			out.Prefetch[k] = v
		}
	}
	return &out
}

// TestCDSFetchFakeServerSlow checks the time limits on a fake FHIR server
// that never answers.
func TestCDSFetchFakeServerSlow(t *testing.T) {
	req := testdataRequest(t, "booking-compliant.json")
	// The fake waits until the service gives up: no sleeping, no race with
	// the clock.
	slow := func(w http.ResponseWriter, r *http.Request) bool {
		<-r.Context().Done()
		return true
	}
	t.Run("the request's time limit", func(t *testing.T) {
		fake := newFakeFHIR(t, req)
		fake.handle = slow
		srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL), cdshooks.WithTimeout(50*time.Millisecond))
		errorReply(t, post(t, srv, withoutPrefetch(t, req, fake.base())), http.StatusServiceUnavailable, cdshooks.ErrCodeTimeout)
	})
	t.Run("the client's time limit", func(t *testing.T) {
		fake := newFakeFHIR(t, req)
		fake.handle = slow
		srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL),
			cdshooks.WithFHIRClient(&http.Client{Timeout: 50 * time.Millisecond}))
		e := errorReply(t, post(t, srv, withoutPrefetch(t, req, fake.base())), http.StatusPreconditionFailed, cdshooks.ErrCodeFetchFailed)
		assert.Len(t, e.Problems, 4)
		for _, p := range e.Problems {
			assert.Contains(t, p.Message, "did not answer in time", p.Path)
		}
	})
}

func TestCDSFetchRequestProblems(t *testing.T) {
	req := testdataRequest(t, "booking-compliant.json")
	fake := newFakeFHIR(t, req)
	srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL))
	for _, tc := range []struct {
		name    string
		change  func(r *cdshooks.Request)
		problem string
	}{
		{"a patientId that would add to the query", func(r *cdshooks.Request) { r.Context.PatientID = "x&_include=*" }, "context.patientId"},
		{"a patientId that leaves the path", func(r *cdshooks.Request) { r.Context.PatientID = "../Practitioner/1" }, "context.patientId"},
		{"a patientId of ..", func(r *cdshooks.Request) { r.Context.PatientID = ".." }, "prefetch.patient"},
		{"a token with a line break", func(r *cdshooks.Request) {
			r.FHIRAuthorization = mustJSON(t, map[string]any{"access_token": testToken + "\r\nX-Evil: 1", "token_type": "Bearer"})
		}, "fhirAuthorization.access_token"},
		{"no access_token", func(r *cdshooks.Request) {
			r.FHIRAuthorization = mustJSON(t, map[string]any{"token_type": "Bearer"})
		}, "fhirAuthorization.access_token"},
		{"an access_token of the wrong type", func(r *cdshooks.Request) {
			r.FHIRAuthorization = jsontext.Value(`{"access_token":5}`)
		}, "fhirAuthorization"},
		{"another token type", func(r *cdshooks.Request) {
			r.FHIRAuthorization = mustJSON(t, map[string]any{"access_token": testToken, "token_type": "MAC"})
		}, "fhirAuthorization.token_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := withoutPrefetch(t, req, fake.base())
			ctx := *r.Context
			r.Context = &ctx
			tc.change(r)
			rep := post(t, srv, r)
			e := errorReply(t, rep, http.StatusBadRequest, cdshooks.ErrCodeInvalid)
			assert.Contains(t, paths(e.Problems), tc.problem, "%s", rep.body)
			assert.NotContains(t, string(rep.body), testToken)
		})
	}
	assert.Zero(t, fake.conns.Load(), "a request that cannot be fetched for was fetched for")
}

func TestCDSFetchDiscovery(t *testing.T) {
	srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers("https://ehr.example"))
	for _, lang := range []string{"en", "nb"} {
		rep := do(t, srv, http.MethodGet, "/cds-services", nil, "Accept-Language", lang)
		require.Equal(t, http.StatusOK, rep.status)
		validateJSON(t, servicesSchema, rep.body)
		var got cdshooks.Services
		require.NoError(t, json.Unmarshal(rep.body, &got))
		s := got.Services[0]
		assert.Contains(t, s.Description, "fhirServer")
		assert.NotContains(t, s.Description, "not fetch")
		assert.NotContains(t, s.Description, "henter ikke")
		assert.Contains(t, s.UsageRequirements, "412")
		assert.Contains(t, s.UsageRequirements, "502")
		assert.Equal(t, cdshooks.Prefetch(), s.Prefetch)
	}
}

func TestCDSFetchNewRefusesBadOrigins(t *testing.T) {
	for _, o := range []string{"", "ehr.example", "ftp://ehr.example", "https://", "https://ehr.example/fhir",
		"https://user@ehr.example", "https://@ehr.example", "https://ehr.example?x", "https://ehr.example#x", "https://ehr.example#",
		"https://ehr.example:0", "https://ehr.example:65536", "mailto:x@ehr.example", "https://ehr.example:https",
		"http://ehr.example", "http://10.0.0.7:8080", "http://localhost.ehr.example"} {
		_, err := cdshooks.New(recommend.Policy{}, cdshooks.WithFHIRServers(o))
		assert.Error(t, err, "%q", o)
	}
	for _, o := range []string{"https://ehr.example", "https://EHR.example:8443/", "http://127.0.0.1:8080", "http://127.3.4.5",
		"http://[::1]:8080", "http://localhost:8080", "http://LOCALHOST"} {
		_, err := cdshooks.New(recommend.Policy{}, cdshooks.WithFHIRServers(o))
		assert.NoError(t, err, "%q", o)
	}
	t.Run("http on other hosts only when allowed", func(t *testing.T) {
		_, err := cdshooks.New(recommend.Policy{}, cdshooks.WithFHIRServers("http://ehr.example"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "in clear")
		_, err = cdshooks.New(recommend.Policy{}, cdshooks.WithFHIRServers("http://ehr.example"), cdshooks.WithFHIRAllowHTTP(true))
		assert.NoError(t, err)
	})
	t.Run("a negative budget", func(t *testing.T) {
		for _, b := range []cdshooks.FetchBudget{{GETs: -1}, {Bytes: -1}} {
			_, err := cdshooks.New(recommend.Policy{}, cdshooks.WithFHIRServers("https://ehr.example"), cdshooks.WithFetchBudget(b))
			assert.Error(t, err, "%+v", b)
		}
	})
}

// TestCDSFetchRefusesFHIRServerTricks checks that a fhirServer on an allowed
// origin that is not a plain base URL — one that would send the queries
// elsewhere on the server, or to another origin — is refused with 400
// naming fhirServer, before anything is fetched.
func TestCDSFetchRefusesFHIRServerTricks(t *testing.T) {
	req := testdataRequest(t, "booking-compliant.json")
	fake := newFakeFHIR(t, req)
	srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL))
	host := strings.TrimPrefix(fake.URL, "http://")
	for _, tc := range []struct {
		name, fhirServer, message string
	}{
		{"an empty fragment", fake.base() + "#", "fragment"},
		{"a fragment", fake.base() + "#x", "fragment"},
		{"a fragment after a slash", fake.base() + "/#", "fragment"},
		{"user information", "http://user:pw@" + host + "/fhir", "user information"},
		{"user information naming an allowed origin", "http://" + host + "@ehr.example/fhir", "user information"},
		{"empty user information", "http://@" + host + "/fhir", "user information"},
		{"an empty query", fake.base() + "?", "query"},
		{"a query", fake.base() + "?_format=json", "query"},
		{"a .. segment", fake.base() + "/../admin", "not normalised"},
		{"a . segment", fake.URL + "/./fhir", "not normalised"},
		{"an encoded .. segment", fake.base() + "/%2e%2e/admin", "not normalised"},
		{"an encoded .. segment in capitals", fake.base() + "/%2E%2E/admin", "not normalised"},
		{"an encoded slash", fake.URL + "/fhir%2f..%2fadmin", "not normalised"},
		{"an encoded letter", fake.URL + "/fh%69r", "not normalised"},
		{"a backslash", fake.URL + "/fhir\\..\\admin", "not normalised"},
		{"an empty segment", fake.URL + "//fhir", "not normalised"},
		{"a space", fake.URL + "/fhir base", "not normalised"},
		{"no host", "http:///fhir", "http"},
		{"a port that is no port", "http://127.0.0.1:99999/fhir", "port"},
		{"no URL", "fhir", "http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := post(t, srv, withoutPrefetch(t, req, tc.fhirServer))
			e := errorReply(t, rep, http.StatusBadRequest, cdshooks.ErrCodeInvalid)
			require.Len(t, e.Problems, 1, "%s", rep.body)
			assert.Equal(t, "fhirServer", e.Problems[0].Path)
			assert.Contains(t, e.Problems[0].Message, tc.message)
			assert.NotContains(t, string(rep.body), host, "the problem describes fhirServer, it does not quote it")
		})
	}
	assert.Zero(t, fake.conns.Load(), "a refused fhirServer was fetched from")
	t.Run("plain base URLs are fetched from", func(t *testing.T) {
		for _, base := range []string{fake.base(), fake.base() + "/", fake.URL, fake.URL + "/", fake.URL + "/fhir/r4", fake.URL + "/api/fhir-r4~v1"} {
			rep := post(t, srv, withoutPrefetch(t, req, base))
			assert.NotEqual(t, http.StatusBadRequest, rep.status, "%s: %s", base, rep.body)
		}
		assert.Positive(t, fake.conns.Load())
	})
}

// pager answers the searches of careTeam, consents and carePlan one entry a page,
// with next links, some relative, some absolute; next changes the link of
// page k.
func pager(t testing.TB, fake *fakeFHIR, data map[string]jsontext.Value, next func(k int, link string) string) func(w http.ResponseWriter, r *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		var key string
		k := 0
		switch r.URL.Path {
		case "/fhir/CareTeam":
			key = cdshooks.PrefetchCareTeam
		case "/fhir/Consent":
			key = cdshooks.PrefetchConsents
		case "/fhir/CarePlan":
			key = cdshooks.PrefetchCarePlan
		case "/fhir/_page":
			key = r.URL.Query().Get("key")
			k, _ = strconv.Atoi(r.URL.Query().Get("page"))
		default:
			return false
		}
		var b struct {
			Entry []jsontext.Value `json:"entry"`
		}
		if err := json.Unmarshal(data[key], &b); err != nil {
			t.Errorf("%s: %v", key, err)
		}
		page := map[string]any{"resourceType": "Bundle", "type": "searchset", "total": len(b.Entry)}
		if k < len(b.Entry) {
			page["entry"] = []jsontext.Value{b.Entry[k]}
		}
		link := ""
		if k+1 < len(b.Entry) {
			link = "_page?key=" + key + "&page=" + strconv.Itoa(k+1)
			if k%2 == 1 {
				link = fake.URL + "/fhir/" + link
			}
		}
		if next != nil {
			link = next(k, link)
		}
		if link != "" {
			page["link"] = []map[string]string{{"relation": "self", "url": r.URL.String()}, {"relation": "next", "url": link}}
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		_, _ = w.Write(mustJSON(t, page))
		return true
	}
}

// TestCDSFetchFakeServerPages checks, on a fake FHIR server, the next links
// a real one does not write: to another origin, endless, or no URL. The
// pages of a real server's searches are read in TestCDSFetchFromMedplum.
func TestCDSFetchFakeServerPages(t *testing.T) {
	req := testdataRequest(t, "booking-supervisor-without-consent.json")
	for _, tc := range []struct {
		name    string
		next    func(other string) func(k int, link string) string
		message string
	}{
		{"a next page on another origin", func(other string) func(int, string) string {
			return func(k int, link string) string { return other + "/fhir/_page?key=consents&page=1" }
		}, "not on the origin of fhirServer"},
		{"endless pages", func(string) func(int, string) string {
			return func(k int, link string) string { return "_page?key=consents&page=" + strconv.Itoa(k+1) }
		}, "more GETs than the budget of 8"},
		{"a next page that is no URL", func(string) func(int, string) string {
			return func(k int, link string) string { return "http://[::1" }
		}, "not on the origin of fhirServer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := newFakeFHIR(t, req)
			fake := newFakeFHIR(t, req)
			fake.handle = pager(t, fake, req.Prefetch, tc.next(other.URL))
			srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL, other.URL))
			e := errorReply(t, post(t, srv, withoutPrefetch(t, req, fake.base(), cdshooks.PrefetchConsents)), http.StatusBadGateway, cdshooks.ErrCodeBadResponse)
			require.Len(t, e.Problems, 1)
			assert.Equal(t, "prefetch.consents", e.Problems[0].Path)
			assert.Contains(t, e.Problems[0].Message, tc.message)
			assert.Zero(t, other.conns.Load())
			assert.LessOrEqual(t, len(fake.asked()), 8)
		})
	}
	t.Run("pages over the limit together", func(t *testing.T) {
		fake := newFakeFHIR(t, req)
		big := map[string]jsontext.Value{cdshooks.PrefetchConsents: mustJSON(t, map[string]any{
			"entry": []any{
				map[string]any{"resource": map[string]any{"resourceType": "Consent", "id": "a", "text": map[string]any{"div": strings.Repeat("a", 40<<10)}}},
				map[string]any{"resource": map[string]any{"resourceType": "Consent", "id": "b", "text": map[string]any{"div": strings.Repeat("b", 40<<10)}}},
			},
		})}
		fake.handle = pager(t, fake, big, nil)
		srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(fake.URL), cdshooks.WithMaxBodyBytes(64<<10))
		e := errorReply(t, post(t, srv, withoutPrefetch(t, req, fake.base(), cdshooks.PrefetchConsents)), http.StatusBadGateway, cdshooks.ErrCodeBadResponse)
		require.Len(t, e.Problems, 1)
		assert.Contains(t, e.Problems[0].Message, "larger than the budget of 65536 bytes")
	})
}

// panickingTransport is a RoundTripper with a bug.
type panickingTransport struct{}

func (panickingTransport) RoundTrip(*http.Request) (*http.Response, error) { panic("Kari Nordmann") }

func TestCDSFetchPanicIsRecovered(t *testing.T) {
	// A fetch runs on its own goroutine, where a panic would end the
	// process; it is answered like any panic of the service.
	req := testdataRequest(t, "booking-compliant.json")
	var logs bytes.Buffer
	srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers("https://ehr.example"),
		cdshooks.WithFHIRClient(&http.Client{Transport: panickingTransport{}}),
		cdshooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	rep := post(t, srv, withoutPrefetch(t, req, "https://ehr.example/fhir"))
	errorReply(t, rep, http.StatusInternalServerError, cdshooks.ErrCodeInternal)
	assert.NotContains(t, string(rep.body), "Kari")
	assert.NotContains(t, logs.String(), "Kari")
	assert.Contains(t, logs.String(), `"panic":true`)
}
