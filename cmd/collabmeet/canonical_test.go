package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clinicBase is the canonical base of a hospital network's own.
const clinicBase = "https://fhir.clinic.example/collabmeet"

// fixableExample is an example meeting, planned, with a gap that a fix
// closes (the supervisor joins at the discussion and gets no recap).
const fixableExample = "../../examples/cases/supervisor-joins-at-discussion-without-recap.json"

// TestServeCanonicalBase runs the built binary with --canonical-base: a
// booking whose extensions are at that base gets cards whose topics are in
// the base's CodeSystem and a suggested update whose extensions are at the
// base; a booking at the default base is refused (422) at the paths of its
// extensions.
func TestServeCanonicalBase(t *testing.T) {
	cmd, base, stderr := serving(t, "--canonical-base", clinicBase+"/")
	post := func(body []byte) (int, []byte) {
		resp, err := http.Post(base+"/cds-services/collabmeet-appointment-book", "application/json", bytes.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, data
	}

	for _, tc := range []struct {
		name   string
		sentAt string
		status int
	}{
		{"the service's base", clinicBase, http.StatusOK},
		{"the default base", "", http.StatusUnprocessableEntity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(bookingBodyAt(t, fixableExample, tc.sentAt))
			require.Equal(t, tc.status, status, "%s", body)
			if status != http.StatusOK {
				var er struct {
					Code     string `json:"error"`
					Problems []struct{ Path, Message string }
				}
				require.NoError(t, json.Unmarshal(body, &er))
				assert.Equal(t, "unprocessable_fhir_data", er.Code)
				require.NotEmpty(t, er.Problems)
				refused := 0
				for _, p := range er.Problems {
					if strings.Contains(p.Message, "under another canonical base than "+clinicBase+",") {
						refused++
						assert.True(t, strings.HasSuffix(p.Path, ".url"), p.Path)
					}
				}
				assert.Positive(t, refused)
				return
			}
			var resp struct {
				Cards []struct {
					Source struct {
						Topic struct{ System, Code string }
					}
					Suggestions []struct {
						Actions []struct {
							Resource json.RawMessage
						}
					}
				}
			}
			require.NoError(t, json.Unmarshal(body, &resp))
			require.NotEmpty(t, resp.Cards)
			suggestions := 0
			for _, c := range resp.Cards {
				assert.Equal(t, clinicBase+"/CodeSystem/finding-code", c.Source.Topic.System)
				for _, s := range c.Suggestions {
					for _, a := range s.Actions {
						suggestions++
						urls := topExtensionURLs(t, a.Resource)
						require.NotEmpty(t, urls)
						for _, u := range urls {
							assert.True(t, strings.HasPrefix(u, clinicBase+"/StructureDefinition/"), u)
						}
					}
				}
			}
			assert.Equal(t, 1, suggestions, "one suggested update")
		})
	}
	assert.Equal(t, exitOK, stopped(t, cmd, syscall.SIGTERM), "%s", stderr)
}

// topExtensionURLs returns the urls of the extensions of a resource and of
// its participants.
func topExtensionURLs(t *testing.T, resource []byte) []string {
	t.Helper()
	var r struct {
		Extension   []struct{ URL string }
		Participant []struct {
			Extension []struct{ URL string }
		}
	}
	require.NoError(t, json.Unmarshal(resource, &r))
	var out []string
	for _, x := range r.Extension {
		out = append(out, x.URL)
	}
	for _, p := range r.Participant {
		for _, x := range p.Extension {
			out = append(out, x.URL)
		}
	}
	return out
}

// TestConvertCanonicalBase runs the built binary's convert with
// --canonical-base both ways: the Bundle's extensions are at the base, it
// converts back to the same case at that base, and is refused at another.
func TestConvertCanonicalBase(t *testing.T) {
	want, err := casedoc.ReadFile(exampleCase)
	require.NoError(t, err)
	code, bundle, errOut := exe(t, nil, "convert", "--to", "fhir", "--canonical-base", clinicBase, exampleCase)
	require.Equal(t, exitOK, code, errOut)
	require.True(t, fhir.IsBundle([]byte(bundle)))
	assert.Contains(t, bundle, `"`+clinicBase+"/StructureDefinition/meeting-format")
	assert.NotContains(t, bundle, fhir.DefaultCanonical+"/StructureDefinition/")
	file := filepath.Join(t.TempDir(), "bundle.json")
	require.NoError(t, os.WriteFile(file, []byte(bundle), 0o644))

	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		stderr  string // a part of stderr; "" for none
		roundTo bool   // stdout is the example case
	}{
		{"back at the same base", []string{"convert", "--to", "case", "--canonical-base", clinicBase, file}, exitOK, "", true},
		{"flag after the file", []string{"convert", file, "--to=case", "--canonical-base=" + clinicBase + "/"}, exitOK, "", true},
		{"at the default base", []string{"convert", "--to", "case", file}, exitBadInput,
			"is the extension meeting-format of collabmeet under another canonical base than " + fhir.DefaultCanonical, false},
		{"at another base", []string{"convert", "--to", "case", "--canonical-base", "https://fhir.kommune.example/fhir", file}, exitBadInput,
			"under another canonical base than https://fhir.kommune.example/fhir", false},
		{"a base that is no URL", []string{"convert", "--to", "fhir", "--canonical-base", "fhir.clinic.example", exampleCase}, exitBadInput,
			"--canonical-base", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := exe(t, nil, tc.args...)
			require.Equal(t, tc.code, code, errOut)
			if tc.stderr == "" {
				assert.Empty(t, errOut)
			} else {
				assert.Contains(t, errOut, tc.stderr)
			}
			if tc.roundTo {
				got, err := casedoc.Unmarshal([]byte(out))
				require.NoError(t, err)
				assert.Equal(t, want, got)
			} else {
				assert.Empty(t, out)
			}
		})
	}
}
