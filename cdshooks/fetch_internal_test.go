package cdshooks

import (
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
