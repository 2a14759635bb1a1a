package cdshooks_test

import (
	"bytes"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/internal/medplumtest"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// matches counts the resources of a type among the entries of a prefetch
// Bundle: the matches of its search on a server holding the same data.
func matches(t testing.TB, v jsontext.Value, resourceType string) int {
	t.Helper()
	var b struct {
		Entry []struct {
			Resource struct {
				ResourceType string `json:"resourceType"`
			} `json:"resource"`
		} `json:"entry"`
	}
	require.NoError(t, json.Unmarshal(v, &b, json.RejectUnknownMembers(false)))
	n := 0
	for _, e := range b.Entry {
		if e.Resource.ResourceType == resourceType {
			n++
		}
	}
	return n
}

// searchTypes are the resource types the searches of the prefetch keys
// match (their _include entries aside).
var searchTypes = map[string]string{
	cdshooks.PrefetchCareTeam: "CareTeam", cdshooks.PrefetchConsents: "Consent", cdshooks.PrefetchCarePlan: "CarePlan",
}

// TestCDSFetchFromMedplum fetches the prefetch of every request of testdata
// from a real FHIR server holding its data (medplum), one match a page: the
// searches with their _include entries and every next page give the same
// cards as the prefetch sent.
func TestCDSFetchFromMedplum(t *testing.T) {
	m := medplumtest.Start(t)
	plain := newServer(t, recommend.Policy{})
	followed := 0 // next pages, of all the requests
	for _, rf := range requestFiles {
		t.Run(rf.file, func(t *testing.T) {
			req, resources := medplumtest.OnServer(t, testdataRequest(t, rf.file))
			const pageSize = 1
			m.Load(t, resources, pageSize)
			var logs bytes.Buffer
			fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL),
				cdshooks.WithFetchBudget(cdshooks.FetchBudget{GETs: 16}),
				cdshooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))

			want := call(t, plain, req)
			rep := post(t, fetching, withoutPrefetch(t, req, m.Base()))
			require.Equal(t, http.StatusOK, rep.status, "%s", rep.body)
			validateJSON(t, responseSchema, rep.body)
			var got cdshooks.Response
			require.NoError(t, json.Unmarshal(rep.body, &got))
			assert.Equal(t, want, got)
			assert.NotContains(t, string(rep.body), testToken)

			// One GET for the Patient, one per page of each search.
			gets, pages := 1, 0
			for key, typ := range searchTypes {
				n := max(matches(t, req.Prefetch[key], typ), 1)
				gets += (n + pageSize - 1) / pageSize
				pages += (n+pageSize-1)/pageSize - 1
			}
			followed += pages
			asked := m.Asked(t)
			assert.Len(t, asked, gets)
			next := 0
			for _, a := range asked {
				assert.Equal(t, "valid", a.Authorization, a.URL)
				if strings.Contains(a.URL, "_offset=") {
					next++
				}
			}
			assert.Equal(t, pages, next, "next pages followed")
			assert.Contains(t, logs.String(), `"fhir_gets":`+strconv.Itoa(gets))
			assert.Contains(t, logs.String(), `"fetched":["patient","careTeam","consents","carePlan"]`)
			for _, secret := range []string{testToken, req.Context.PatientID, "127.0.0.1"} {
				assert.NotContains(t, logs.String(), secret)
			}
		})
	}
	require.Positive(t, followed, "no search of the requests of testdata had more than one page")
	t.Run("one key missing: only it is fetched", func(t *testing.T) {
		req, resources := medplumtest.OnServer(t, testdataRequest(t, "booking-supervisor-without-consent.json"))
		m.Load(t, resources, 2)
		fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL))
		assert.Equal(t, call(t, plain, req), call(t, fetching, withoutPrefetch(t, req, m.Base()+"/", cdshooks.PrefetchConsents)))
		asked := m.Asked(t)
		require.NotEmpty(t, asked)
		for _, a := range asked {
			assert.True(t, strings.HasPrefix(a.URL, "/fhir/Consent?"), a.URL)
		}
	})
	t.Run("the prefetch sent: nothing is fetched", func(t *testing.T) {
		req, resources := medplumtest.OnServer(t, testdataRequest(t, "booking-compliant.json"))
		m.Load(t, resources, 2)
		fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL))
		r := withoutPrefetch(t, req, m.Base())
		r.Prefetch = req.Prefetch
		assert.Equal(t, call(t, plain, req), call(t, fetching, r))
		assert.Empty(t, m.Asked(t))
	})
	t.Run("a token the server refuses: 412 with its status", func(t *testing.T) {
		req, resources := medplumtest.OnServer(t, testdataRequest(t, "booking-compliant.json"))
		m.Load(t, resources, 2)
		fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL))
		r := withoutPrefetch(t, req, m.Base())
		r.FHIRAuthorization = mustJSON(t, map[string]any{"access_token": "another-token", "token_type": "Bearer"})
		e := errorReply(t, post(t, fetching, r), http.StatusPreconditionFailed, cdshooks.ErrCodeFetchFailed)
		require.Len(t, e.Problems, 4)
		for _, p := range e.Problems {
			assert.Contains(t, p.Message, "status 401", p.Path)
		}
		for _, a := range m.Asked(t) {
			assert.Equal(t, "wrong", a.Authorization)
		}
	})
	t.Run("no fhirAuthorization: no token, and the server refuses", func(t *testing.T) {
		req, resources := medplumtest.OnServer(t, testdataRequest(t, "booking-compliant.json"))
		m.Load(t, resources, 2)
		fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL))
		r := withoutPrefetch(t, req, m.Base())
		r.FHIRAuthorization = nil
		errorReply(t, post(t, fetching, r), http.StatusPreconditionFailed, cdshooks.ErrCodeFetchFailed)
		asked := m.Asked(t)
		require.Len(t, asked, 4)
		for _, a := range asked {
			assert.Equal(t, "none", a.Authorization)
		}
	})
}

// copies is n Consents of the patient of req, copies of its first one with
// new ids: data that makes the consents search long.
func copies(t testing.TB, req *cdshooks.Request, n int) []jsontext.Value {
	t.Helper()
	var b struct {
		Entry []struct {
			Resource map[string]any `json:"resource"`
		} `json:"entry"`
	}
	require.NoError(t, json.Unmarshal(req.Prefetch[cdshooks.PrefetchConsents], &b, json.RejectUnknownMembers(false)))
	require.NotEmpty(t, b.Entry)
	var out []jsontext.Value
	for i := range n {
		c := maps.Clone(b.Entry[0].Resource)
		c["id"] = "extra-consent-" + strconv.Itoa(i)
		out = append(out, mustJSON(t, c))
	}
	return out
}

// TestCDSFetchMedplumBudget checks the fetch budget of a request against
// the paged searches of a real FHIR server: a search of more pages than the
// budget has GETs, and answers larger than its bytes, get 502 and no cards,
// and no more GETs are sent than the budget allows.
func TestCDSFetchMedplumBudget(t *testing.T) {
	m := medplumtest.Start(t)
	req, resources := medplumtest.OnServer(t, testdataRequest(t, "booking-compliant.json"))
	for _, tc := range []struct {
		name    string
		budget  cdshooks.FetchBudget
		extra   int // Consents added
		message string
	}{
		{"the default budget: more pages than GETs", cdshooks.FetchBudget{}, cdshooks.DefaultFetchGETs, "more GETs than the budget of 8"},
		{"a budget of 5 GETs", cdshooks.FetchBudget{GETs: 5}, 4, "more GETs than the budget of 5"},
		{"a budget of 4 KiB", cdshooks.FetchBudget{Bytes: 4 << 10}, 0, "larger than the budget of 4096 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m.Load(t, append(slices.Clone(resources), copies(t, req, tc.extra)...), 1)
			var logs bytes.Buffer
			fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL), cdshooks.WithFetchBudget(tc.budget),
				cdshooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			rep := post(t, fetching, withoutPrefetch(t, req, m.Base()))
			e := errorReply(t, rep, http.StatusBadGateway, cdshooks.ErrCodeBadResponse)
			var msgs []string
			for _, p := range e.Problems {
				msgs = append(msgs, p.Message)
			}
			assert.Contains(t, strings.Join(msgs, "\n"), tc.message)
			gets := tc.budget.GETs
			if gets == 0 {
				gets = cdshooks.DefaultFetchGETs
			}
			assert.LessOrEqual(t, len(m.Asked(t)), gets)
			assert.Contains(t, logs.String(), `"fetch_error":"budget"`)
		})
	}
	t.Run("within the budget: the same cards", func(t *testing.T) {
		// The same long search, with GETs enough for every page.
		const extra = 8
		m.Load(t, append(slices.Clone(resources), copies(t, req, extra)...), 2)
		fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL), cdshooks.WithFetchBudget(cdshooks.FetchBudget{GETs: 16}))
		rep := post(t, fetching, withoutPrefetch(t, req, m.Base()))
		require.Equal(t, http.StatusOK, rep.status, "%s", rep.body)
		consents := 0
		for _, a := range m.Asked(t) {
			if strings.HasPrefix(a.URL, "/fhir/Consent?") {
				consents++
			}
		}
		assert.Equal(t, (matches(t, req.Prefetch[cdshooks.PrefetchConsents], "Consent")+extra+1)/2, consents)
	})
}

// TestCDSFetchTokenOnlyToAllowList checks that the access token never
// reaches a FHIR server outside the allow-list: a real one (medplum, which
// records every request and whether it carried the token) on an origin the
// service may not fetch from is never asked, whether it is the request's
// fhirServer or where an allowed server redirects or pages to.
func TestCDSFetchTokenOnlyToAllowList(t *testing.T) {
	m := medplumtest.Start(t)
	req, resources := medplumtest.OnServer(t, testdataRequest(t, "booking-compliant.json"))
	other, err := url.Parse(m.URL)
	require.NoError(t, err)
	// The allowed origin: a front that sends every request on to medplum's
	// origin, by a redirect or by a next link there.
	var mode atomic.Value
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch mode.Load() {
		case "redirect":
			http.Redirect(w, r, m.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
		case "next":
			w.Header().Set("Content-Type", "application/fhir+json")
			_, _ = w.Write(mustJSON(t, map[string]any{"resourceType": "Bundle", "type": "searchset",
				"link": []map[string]string{{"relation": "next", "url": m.URL + r.URL.RequestURI() + "&_offset=1"}}}))
		default:
			http.NotFound(w, r)
		}
	}))
	defer front.Close()
	srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(front.URL, "https://"+other.Host))
	for _, tc := range []struct {
		name, mode, fhirServer string
		status                 int
		code, message          string
	}{
		{"fhirServer on the other origin", "", m.Base(), http.StatusPreconditionFailed, cdshooks.ErrCodePrefetchMissing, ""},
		{"fhirServer on the other origin, by user information", "", "http://" + strings.TrimPrefix(front.URL, "http://") + "@" + other.Host + "/fhir",
			http.StatusBadRequest, cdshooks.ErrCodeInvalid, "user information"},
		{"a redirect to the other origin", "redirect", front.URL + "/fhir", http.StatusBadGateway, cdshooks.ErrCodeBadResponse, "another origin"},
		{"a next page on the other origin", "next", front.URL + "/fhir", http.StatusBadGateway, cdshooks.ErrCodeBadResponse, "not on the origin of fhirServer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m.Load(t, resources, 1)
			mode.Store(tc.mode)
			rep := post(t, srv, withoutPrefetch(t, req, tc.fhirServer))
			e := errorReply(t, rep, tc.status, tc.code)
			if tc.message != "" {
				var msgs []string
				for _, p := range e.Problems {
					msgs = append(msgs, p.Message)
				}
				assert.Contains(t, strings.Join(msgs, "\n"), tc.message)
			}
			assert.Empty(t, m.Asked(t), "the server outside the allow-list was asked")
		})
	}
}

// TestCDSFetchMedplumConcurrent books 24 meetings at once on one service
// (with -race in CI), every one fetching its prefetch, in pages, from the
// real FHIR server: each gets the cards of its prefetch, and each request
// has its own budget (a budget shared between requests would run out).
func TestCDSFetchMedplumConcurrent(t *testing.T) {
	m := medplumtest.Start(t)
	req, resources := medplumtest.OnServer(t, testdataRequest(t, "booking-compliant.json"))
	m.Load(t, resources, 1)
	gets := 1 // the Patient, and a GET per match of each search
	for key, typ := range searchTypes {
		gets += max(matches(t, req.Prefetch[key], typ), 1)
	}
	require.LessOrEqual(t, gets, cdshooks.DefaultFetchGETs)
	want := call(t, newServer(t, recommend.Policy{}), req)
	srv := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL))
	const n = 24
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			rep := post(t, srv, withoutPrefetch(t, req, m.Base()))
			if !assert.Equal(t, http.StatusOK, rep.status, "%s", rep.body) {
				return
			}
			var got cdshooks.Response
			if assert.NoError(t, json.Unmarshal(rep.body, &got)) {
				assert.Equal(t, want, got)
			}
		})
	}
	wg.Wait()
	assert.Len(t, m.Asked(t), n*gets)
}
