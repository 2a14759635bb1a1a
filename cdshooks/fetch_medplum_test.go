package cdshooks_test

import (
	"bufio"
	"bytes"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// medplum is a real FHIR R4 server for the tests of fetching:
// @medplum/fhir-router's FhirRouter on its in-memory MemoryRepository
// behind node:http (testdata/fhirserver/server.mjs, installed there by
// `npm ci`). Its search parameters, _include, _count and _offset are
// medplum's; the wrapper pages every search (next links with _offset) and
// accepts only the bearer token testToken. One process serves the tests of
// the package, one test at a time: each loads its own data.
type medplum struct {
	URL   string         // http://127.0.0.1:port
	stdin io.WriteCloser // held open: the server ends when it closes
}

var (
	medplumOnce sync.Once
	medplumSrv  *medplum
	medplumErr  string
	// medplumMissing: node or the server's packages are not installed (as
	// opposed to installed and failing to start).
	medplumMissing bool
)

// startMedplum returns the package's FHIR server, started on first use.
// The tests of fetching run against a real FHIR server or not at all:
// without node or the installed packages a test fails when the environment
// variable CI is set (as .ci/run sets it) and is skipped, loudly, otherwise,
// as the FHIR validator's tests are; a server that is installed and does not
// start always fails the test.
func startMedplum(t testing.TB) *medplum {
	t.Helper()
	medplumOnce.Do(func() {
		dir, err := filepath.Abs(filepath.Join("testdata", "fhirserver"))
		if err != nil {
			medplumErr = err.Error()
			return
		}
		node, err := exec.LookPath("node")
		if err != nil {
			medplumErr = "THE FHIR SERVER DID NOT START: node is not on PATH (Node.js 20 or later is needed)."
			medplumMissing = true
			return
		}
		if _, err := os.Stat(filepath.Join(dir, "node_modules", "@medplum", "fhir-router")); err != nil {
			medplumErr = "THE FHIR SERVER DID NOT START: its packages are not installed. " +
				"Install them with: (cd cdshooks/testdata/fhirserver && npm ci --no-audit --no-fund)"
			medplumMissing = true
			return
		}
		cmd := exec.Command(node, "server.mjs", "--token", testToken)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		// The server ends when its stdin closes: when this test binary
		// exits, however it exits.
		stdin, err := cmd.StdinPipe()
		if err != nil {
			medplumErr = err.Error()
			return
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			medplumErr = err.Error()
			return
		}
		if err := cmd.Start(); err != nil {
			medplumErr = "THE FHIR SERVER DID NOT START: " + err.Error()
			return
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		port, ok := strings.CutPrefix(strings.TrimSpace(line), "port ")
		if err != nil || !ok {
			_ = cmd.Wait()
			medplumErr = "THE FHIR SERVER DID NOT START: " + stderr.String()
			return
		}
		go func() { _, _ = io.Copy(io.Discard, out) }()
		medplumSrv = &medplum{URL: "http://127.0.0.1:" + port, stdin: stdin}
	})
	if medplumSrv == nil {
		if medplumMissing && os.Getenv("CI") == "" {
			t.Skip("\n\n*** " + medplumErr + " The tests of fetching from a FHIR server did NOT run. ***\n")
		}
		t.Fatal(medplumErr)
	}
	return medplumSrv
}

// base is the fhirServer of the server.
func (m *medplum) base() string { return m.URL + "/fhir" }

// load replaces the server's data with resources; its searches answer in
// pages of pageSize matches.
func (m *medplum) load(t testing.TB, resources []jsontext.Value, pageSize int) {
	t.Helper()
	body, err := json.Marshal(resources)
	require.NoError(t, err)
	resp, err := http.Post(m.URL+"/load?page-size="+itoa(pageSize), "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
}

// medplumRequest is a request the server received under /fhir.
type medplumRequest struct {
	URL           string `json:"url"`
	Authorization string `json:"authorization"` // none, valid or wrong
}

// asked returns the requests the server received since the last load.
func (m *medplum) asked(t testing.TB) []medplumRequest {
	t.Helper()
	resp, err := http.Get(m.URL + "/requests")
	require.NoError(t, err)
	defer resp.Body.Close()
	var got []medplumRequest
	require.NoError(t, json.UnmarshalRead(resp.Body, &got))
	return got
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// onServer is a request of testdata as an EHR whose FHIR server holds its
// data would send it: the references among its resources are "Type/id",
// as a FHIR server stores them, instead of the urn:uuid fullUrls of the
// prefetch Bundles. It returns the request, with its prefetch, and the
// resources of its prefetch, each once, to load into the server.
func onServer(t testing.TB, req *cdshooks.Request) (*cdshooks.Request, []jsontext.Value) {
	t.Helper()
	data, err := json.Marshal(req)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	// Every fullUrl names its resource as Type/id.
	refs := map[string]string{}
	var collect func(v any)
	collect = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if full, ok := v["fullUrl"].(string); ok {
				if r, ok := v["resource"].(map[string]any); ok {
					refs[full] = r["resourceType"].(string) + "/" + r["id"].(string)
				}
			}
			for _, x := range v {
				collect(x)
			}
		case []any:
			for _, x := range v {
				collect(x)
			}
		}
	}
	collect(doc)
	if p, ok := doc["prefetch"].(map[string]any)[cdshooks.PrefetchPatient].(map[string]any); ok {
		refs["urn:uuid:"+p["id"].(string)] = "Patient/" + p["id"].(string)
	}
	var rewrite func(v any) any
	rewrite = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "reference" && refs[s] != "" {
					v[k] = refs[s]
				} else if k != "fullUrl" {
					v[k] = rewrite(x)
				}
			}
			delete(v, "fullUrl")
		case []any:
			for i, x := range v {
				v[i] = rewrite(x)
			}
		}
		return v
	}
	rewrite(doc)
	data, err = json.Marshal(doc)
	require.NoError(t, err)
	var out cdshooks.Request
	require.NoError(t, json.Unmarshal(data, &out))

	var resources []jsontext.Value
	seen := map[string]bool{}
	add := func(r jsontext.Value) {
		var head struct {
			ResourceType string `json:"resourceType"`
			ID           string `json:"id"`
		}
		require.NoError(t, json.Unmarshal(r, &head, json.RejectUnknownMembers(false)))
		if key := head.ResourceType + "/" + head.ID; !seen[key] {
			seen[key] = true
			resources = append(resources, r)
		}
	}
	for _, key := range []string{cdshooks.PrefetchPatient, cdshooks.PrefetchCareTeam, cdshooks.PrefetchConsents, cdshooks.PrefetchCarePlan} {
		v := out.Prefetch[key]
		if v.Kind() != '{' {
			continue
		}
		var b struct {
			ResourceType string `json:"resourceType"`
			Entry        []struct {
				Resource jsontext.Value `json:"resource"`
			} `json:"entry"`
		}
		require.NoError(t, json.Unmarshal(v, &b, json.RejectUnknownMembers(false)))
		if b.ResourceType != "Bundle" {
			add(v)
			continue
		}
		for _, e := range b.Entry {
			add(e.Resource)
		}
	}
	return &out, resources
}

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
	m := startMedplum(t)
	plain := newServer(t, recommend.Policy{})
	followed := 0 // next pages, of all the requests
	for _, rf := range requestFiles {
		t.Run(rf.file, func(t *testing.T) {
			req, resources := onServer(t, testdataRequest(t, rf.file))
			const pageSize = 1
			m.load(t, resources, pageSize)
			var logs bytes.Buffer
			fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL),
				cdshooks.WithFetchBudget(cdshooks.FetchBudget{GETs: 16}),
				cdshooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))

			want := call(t, plain, req)
			rep := post(t, fetching, withoutPrefetch(t, req, m.base()))
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
			asked := m.asked(t)
			assert.Len(t, asked, gets)
			next := 0
			for _, a := range asked {
				assert.Equal(t, "valid", a.Authorization, a.URL)
				if strings.Contains(a.URL, "_offset=") {
					next++
				}
			}
			assert.Equal(t, pages, next, "next pages followed")
			assert.Contains(t, logs.String(), `"fhir_gets":`+itoa(gets))
			assert.Contains(t, logs.String(), `"fetched":["patient","careTeam","consents","carePlan"]`)
			for _, secret := range []string{testToken, req.Context.PatientID, "127.0.0.1"} {
				assert.NotContains(t, logs.String(), secret)
			}
		})
	}
	require.Positive(t, followed, "no search of the requests of testdata had more than one page")
	t.Run("one key missing: only it is fetched", func(t *testing.T) {
		req, resources := onServer(t, testdataRequest(t, "booking-supervisor-without-consent.json"))
		m.load(t, resources, 2)
		fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL))
		assert.Equal(t, call(t, plain, req), call(t, fetching, withoutPrefetch(t, req, m.base()+"/", cdshooks.PrefetchConsents)))
		asked := m.asked(t)
		require.NotEmpty(t, asked)
		for _, a := range asked {
			assert.True(t, strings.HasPrefix(a.URL, "/fhir/Consent?"), a.URL)
		}
	})
	t.Run("the prefetch sent: nothing is fetched", func(t *testing.T) {
		req, resources := onServer(t, testdataRequest(t, "booking-compliant.json"))
		m.load(t, resources, 2)
		fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL))
		r := withoutPrefetch(t, req, m.base())
		r.Prefetch = req.Prefetch
		assert.Equal(t, call(t, plain, req), call(t, fetching, r))
		assert.Empty(t, m.asked(t))
	})
	t.Run("a token the server refuses: 412 with its status", func(t *testing.T) {
		req, resources := onServer(t, testdataRequest(t, "booking-compliant.json"))
		m.load(t, resources, 2)
		fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL))
		r := withoutPrefetch(t, req, m.base())
		r.FHIRAuthorization = mustJSON(t, map[string]any{"access_token": "another-token", "token_type": "Bearer"})
		e := errorReply(t, post(t, fetching, r), http.StatusPreconditionFailed, cdshooks.ErrCodeFetchFailed)
		require.Len(t, e.Problems, 4)
		for _, p := range e.Problems {
			assert.Contains(t, p.Message, "status 401", p.Path)
		}
		for _, a := range m.asked(t) {
			assert.Equal(t, "wrong", a.Authorization)
		}
	})
	t.Run("no fhirAuthorization: no token, and the server refuses", func(t *testing.T) {
		req, resources := onServer(t, testdataRequest(t, "booking-compliant.json"))
		m.load(t, resources, 2)
		fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL))
		r := withoutPrefetch(t, req, m.base())
		r.FHIRAuthorization = nil
		errorReply(t, post(t, fetching, r), http.StatusPreconditionFailed, cdshooks.ErrCodeFetchFailed)
		asked := m.asked(t)
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
		c["id"] = "extra-consent-" + itoa(i)
		out = append(out, mustJSON(t, c))
	}
	return out
}

// TestCDSFetchMedplumBudget checks the fetch budget of a request against
// the paged searches of a real FHIR server: a search of more pages than the
// budget has GETs, and answers larger than its bytes, get 502 and no cards,
// and no more GETs are sent than the budget allows.
func TestCDSFetchMedplumBudget(t *testing.T) {
	m := startMedplum(t)
	req, resources := onServer(t, testdataRequest(t, "booking-compliant.json"))
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
			m.load(t, append(slices.Clone(resources), copies(t, req, tc.extra)...), 1)
			var logs bytes.Buffer
			fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL), cdshooks.WithFetchBudget(tc.budget),
				cdshooks.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			rep := post(t, fetching, withoutPrefetch(t, req, m.base()))
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
			assert.LessOrEqual(t, len(m.asked(t)), gets)
			assert.Contains(t, logs.String(), `"fetch_error":"budget"`)
		})
	}
	t.Run("within the budget: the same cards", func(t *testing.T) {
		// The same long search, with GETs enough for every page.
		const extra = 8
		m.load(t, append(slices.Clone(resources), copies(t, req, extra)...), 2)
		fetching := newServer(t, recommend.Policy{}, cdshooks.WithFHIRServers(m.URL), cdshooks.WithFetchBudget(cdshooks.FetchBudget{GETs: 16}))
		rep := post(t, fetching, withoutPrefetch(t, req, m.base()))
		require.Equal(t, http.StatusOK, rep.status, "%s", rep.body)
		consents := 0
		for _, a := range m.asked(t) {
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
	m := startMedplum(t)
	req, resources := onServer(t, testdataRequest(t, "booking-compliant.json"))
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
		{"fhirServer on the other origin", "", m.base(), http.StatusPreconditionFailed, cdshooks.ErrCodePrefetchMissing, ""},
		{"fhirServer on the other origin, by user information", "", "http://" + strings.TrimPrefix(front.URL, "http://") + "@" + other.Host + "/fhir",
			http.StatusBadRequest, cdshooks.ErrCodeInvalid, "user information"},
		{"a redirect to the other origin", "redirect", front.URL + "/fhir", http.StatusBadGateway, cdshooks.ErrCodeBadResponse, "another origin"},
		{"a next page on the other origin", "next", front.URL + "/fhir", http.StatusBadGateway, cdshooks.ErrCodeBadResponse, "not on the origin of fhirServer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m.load(t, resources, 1)
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
			assert.Empty(t, m.asked(t), "the server outside the allow-list was asked")
		})
	}
}

// TestCDSFetchMedplumConcurrent books 24 meetings at once on one service
// (with -race in CI), every one fetching its prefetch, in pages, from the
// real FHIR server: each gets the cards of its prefetch, and each request
// has its own budget (a budget shared between requests would run out).
func TestCDSFetchMedplumConcurrent(t *testing.T) {
	m := startMedplum(t)
	req, resources := onServer(t, testdataRequest(t, "booking-compliant.json"))
	m.load(t, resources, 1)
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
			rep := post(t, srv, withoutPrefetch(t, req, m.base()))
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
	assert.Len(t, m.asked(t), n*gets)
}
