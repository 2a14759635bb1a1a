// Package medplumtest starts a real FHIR R4 server for tests: medplum's
// FHIR router on its in-memory repository behind a small node:http wrapper
// (cdshooks/testdata/fhirserver), so that the tests of fetching prefetch,
// in package cdshooks and through the built collabmeet binary, meet a real
// server's search, _include and paging rather than a handler written to
// look like one.
package medplumtest

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/require"
)

// Token is the only bearer token the server accepts.
const Token = "eyJhbGciOiJub25lIn0.c2VjcmV0LXRva2VuLTQ3MTE.sig"

// serverDir is the directory of the server's wrapper and its npm packages.
func serverDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "cdshooks", "testdata", "fhirserver")
}

// Server is a real FHIR R4 server for the tests of fetching:
// @medplum/fhir-router's FhirRouter on its in-memory MemoryRepository
// behind node:http (cdshooks/testdata/fhirserver/server.mjs, installed there by
// `npm ci`). Its search parameters, _include, _count and _offset are
// medplum's; the wrapper pages every search (next links with _offset) and
// accepts only the bearer token Token. One process serves the tests of
// the package, one test at a time: each loads its own data.
type Server struct {
	URL   string         // http://127.0.0.1:port
	stdin io.WriteCloser // held open: the server ends when it closes
}

var (
	medplumOnce sync.Once
	medplumSrv  *Server
	medplumErr  string
	// medplumMissing: node or the server's packages are not installed (as
	// opposed to installed and failing to start).
	medplumMissing bool
)

// Start returns the package's FHIR server, started on first use.
// The tests of fetching run against a real FHIR server or not at all:
// without node or the installed packages a test fails when the environment
// variable CI is set (as .ci/run sets it) and is skipped, loudly, otherwise,
// as the FHIR validator's tests are; a server that is installed and does not
// start always fails the test.
func Start(t testing.TB) *Server {
	t.Helper()
	medplumOnce.Do(func() {
		dir := serverDir()
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
		cmd := exec.Command(node, "server.mjs", "--token", Token)
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
		medplumSrv = &Server{URL: "http://127.0.0.1:" + port, stdin: stdin}
	})
	if medplumSrv == nil {
		if medplumMissing && os.Getenv("CI") == "" {
			t.Skip("\n\n*** " + medplumErr + " The tests of fetching from a FHIR server did NOT run. ***\n")
		}
		t.Fatal(medplumErr)
	}
	return medplumSrv
}

// Base is the fhirServer of the server.
func (m *Server) Base() string { return m.URL + "/fhir" }

// Load replaces the server's data with resources; its searches answer in
// pages of pageSize matches.
func (m *Server) Load(t testing.TB, resources []jsontext.Value, pageSize int) {
	t.Helper()
	body, err := json.Marshal(resources)
	require.NoError(t, err)
	resp, err := http.Post(m.URL+"/load?page-size="+strconv.Itoa(pageSize), "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
}

// Request is a request the server received under /fhir.
type Request struct {
	URL           string `json:"url"`
	Authorization string `json:"authorization"` // none, valid or wrong
}

// Asked returns the requests the server received since the last load.
func (m *Server) Asked(t testing.TB) []Request {
	t.Helper()
	resp, err := http.Get(m.URL + "/requests")
	require.NoError(t, err)
	defer resp.Body.Close()
	var got []Request
	require.NoError(t, json.UnmarshalRead(resp.Body, &got))
	return got
}

// OnServer is a request of testdata as an EHR whose FHIR server holds its
// data would send it: the references among its resources are "Type/id",
// as a FHIR server stores them, instead of the urn:uuid fullUrls of the
// prefetch Bundles. It returns the request, with its prefetch, and the
// resources of its prefetch, each once, to load into the server.
func OnServer(t testing.TB, req *cdshooks.Request) (*cdshooks.Request, []jsontext.Value) {
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
