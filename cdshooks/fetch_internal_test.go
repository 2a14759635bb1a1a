package cdshooks

import (
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFillTemplate(t *testing.T) {
	values := map[string]string{
		"context.patientId": "7d89225d-2d53-52fa-aad8-57b002628bc3",
		"context.userId":    "PractitionerRole/a b&c=d#e?f%g+h",
		"context.dot":       "..",
		"context.cr":        "a\r\nb",
		"context.empty":     "",
	}
	for _, tc := range []struct {
		name, template, want string
	}{
		{"every template of the service", Prefetch()[PrefetchCareTeam],
			"CareTeam?patient=7d89225d-2d53-52fa-aad8-57b002628bc3&status=active&_include=CareTeam:participant"},
		{"a read", Prefetch()[PrefetchPatient], "Patient/7d89225d-2d53-52fa-aad8-57b002628bc3"},
		{"a query value is escaped", "Task?owner={{context.userId}}&status=ready",
			"Task?owner=PractitionerRole%2Fa+b%26c%3Dd%23e%3Ff%25g%2Bh&status=ready"},
		{"spaces inside the braces", "Patient/{{ context.patientId }}", "Patient/7d89225d-2d53-52fa-aad8-57b002628bc3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := fillTemplate(tc.template, values)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			if i := strings.IndexByte(got, '?'); i >= 0 {
				q, err := url.ParseQuery(got[i+1:])
				require.NoError(t, err)
				if strings.Contains(tc.template, "context.userId") {
					assert.Equal(t, values["context.userId"], q.Get("owner"), "the value comes back whole")
					assert.Len(t, q, 2, "the query keeps its shape")
				}
			}
		})
	}
	for _, template := range []string{
		"Practitioner/{{context.userId}}",      // a "/" in a path
		"Patient/{{context.dot}}",              // ".." in a path
		"Patient?_id={{context.dot}}",          // "..": refused everywhere
		"Patient?name={{context.cr}}",          // a control character
		"Patient?name={{context.empty}}",       // empty
		"Patient?name={{context.encounterId}}", // no value
	} {
		_, err := fillTemplate(template, values)
		if assert.Error(t, err, template) {
			for _, v := range values {
				if v != "" && v != ".." {
					assert.NotContains(t, err.Error(), v, "the error names the token, not the value")
				}
			}
		}
	}
	// Every template of the service is filled from context.patientId alone.
	for key, template := range Prefetch() {
		_, err := fillTemplate(template, map[string]string{"context.patientId": "p"})
		assert.NoError(t, err, key)
	}
}

func TestCanonicalOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://EHR.example":       "https://ehr.example:443",
		"HTTPS://ehr.example:443/x": "https://ehr.example:443",
		"http://ehr.example":        "http://ehr.example:80",
		"http://[::1]:8080":         "http://[::1]:8080",
		"ftp://ehr.example":         "",
		"https:///x":                "",
		"https://ehr.example:0":     "",
	} {
		u, err := url.Parse(in)
		require.NoError(t, err)
		got, ok := canonicalOrigin(u)
		assert.Equal(t, want != "", ok, in)
		assert.Equal(t, want, got, in)
	}
}

func TestCheckFHIRServer(t *testing.T) {
	for _, tc := range []struct {
		fhirServer string
		ok         bool
	}{
		{"https://ehr.example/fhir", true},
		{"https://ehr.example/fhir/", true},
		{"https://ehr.example", true},
		{"https://ehr.example/", true},
		{"https://ehr.example:8443/api/fhir-r4~v1/R4", true},
		{"http://[::1]:8080/fhir", true},
		{"https://ehr.example/fhir#", false},
		{"https://ehr.example/fhir#x", false},
		{"https://ehr.example#", false},
		{"https://u@ehr.example/fhir", false},
		{"https://@ehr.example/fhir", false},
		{"https://ehr.example/fhir?", false},
		{"https://ehr.example/fhir?a=b", false},
		{"https://ehr.example/fhir/..", false},
		{"https://ehr.example/fhir/../x", false},
		{"https://ehr.example/./fhir", false},
		{"https://ehr.example/fhir/%2e%2e", false},
		{"https://ehr.example/fhir/%2E", false},
		{"https://ehr.example/fhir%2F..", false},
		{"https://ehr.example/fhir\\..", false},
		{"https://ehr.example//fhir", false},
		{"https://ehr.example/fhir//", false},
		{"https://ehr.example/fh ir", false},
		{"https://ehr.example:0/fhir", false},
		{"ftp://ehr.example/fhir", false},
		{"https:///fhir", false},
		{"https://[fe80::1%25eth0]/fhir", false},
	} {
		msg := checkFHIRServer(tc.fhirServer)
		assert.Equal(t, tc.ok, msg == "", "%q: %s", tc.fhirServer, msg)
		assert.NotContains(t, msg, "ehr.example", "the problem does not quote fhirServer")
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.255.0.9": true, "::1": true,
		"localhost.ehr.example": false, "10.0.0.1": false, "0.0.0.0": false, "::": false, "ehr.example": false, "": false,
	} {
		assert.Equal(t, want, isLoopback(host), host)
	}
}

func TestBudget(t *testing.T) {
	b := newBudget(FetchBudget{GETs: 2, Bytes: 10})
	assert.True(t, b.takeGET())
	assert.Equal(t, int64(1), b.sent(FetchBudget{GETs: 2}))
	assert.True(t, b.takeGET())
	assert.False(t, b.takeGET(), "the third GET of two")
	assert.False(t, b.takeGET())
	assert.Equal(t, int64(2), b.sent(FetchBudget{GETs: 2}), "a GET refused is not sent")

	data, err := io.ReadAll(budgetReader{r: strings.NewReader("0123456789"), b: b})
	require.NoError(t, err)
	assert.Len(t, data, 10)
	_, err = io.ReadAll(budgetReader{r: strings.NewReader("x"), b: b})
	assert.ErrorIs(t, err, errBudgetBytes)
}

// FuzzCheckFHIRServer checks that a fhirServer checkFHIRServer accepts
// makes, with any query of the service's templates after it, a URL on its
// own origin, under its own path, without a fragment, user information or
// a query of its own.
func FuzzCheckFHIRServer(f *testing.F) {
	for _, s := range []string{"https://ehr.example/fhir", "https://ehr.example/fhir#", "http://127.0.0.1:8080/a/b/",
		"https://ehr.example/fhir/%2e%2e", "https://u@ehr.example", "https://ehr.example/fhir?x", "https://ehr.example/a;b=c/d@e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, fhirServer string) {
		if checkFHIRServer(fhirServer) != "" {
			return
		}
		base, err := url.Parse(fhirServer)
		require.NoError(t, err)
		origin, ok := canonicalOrigin(base)
		require.True(t, ok)
		prefix := strings.TrimRight(base.EscapedPath(), "/") + "/"
		for _, template := range Prefetch() {
			query, err := fillTemplate(template, map[string]string{"context.patientId": "p-1"})
			require.NoError(t, err)
			u, err := url.Parse(strings.TrimRight(fhirServer, "/") + "/" + query)
			require.NoError(t, err)
			got, ok := canonicalOrigin(u)
			require.True(t, ok)
			assert.Equal(t, origin, got)
			assert.Nil(t, u.User)
			assert.Empty(t, u.Fragment)
			assert.True(t, strings.HasPrefix(u.EscapedPath(), prefix), "%q leaves %q", u.EscapedPath(), prefix)
		}
	})
}
