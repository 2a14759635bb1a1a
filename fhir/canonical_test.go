package fhir_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hospitalBase is a canonical base of a deployment's own, as a hospital
// network publishes its conformance resources under.
const hospitalBase = "https://fhir.sykehus.example/collab"

// canonicalCases are the cases the canonical base tests convert: the
// examples and the hand-built ones.
func canonicalCases(t *testing.T) map[string]*casedoc.Case {
	t.Helper()
	out := exampleCases(t)
	for name, c := range handBuilt() {
		out["hand-built "+name] = c
	}
	return out
}

// extensionURLs returns every extension url of a Bundle (sub-extensions
// left out), by where it is.
func extensionURLs(v any, path string, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "extension" {
				for i, e := range asList(val) {
					if url, ok := e.(map[string]any)["url"].(string); ok {
						out[fmt.Sprintf("%s.extension[%d]", path, i)] = url
					}
				}
				continue
			}
			extensionURLs(val, path+"."+k, out)
		}
	case []any:
		for i, val := range x {
			extensionURLs(val, fmt.Sprintf("%s[%d]", path, i), out)
		}
	}
}

// TestCanonicalRoundTrip converts every case to a Bundle and back at
// canonical bases other than the default: the case comes back the same, its
// JSON byte for byte, the Bundle is the same each time, every extension is
// under the base given, and nothing at all is under DefaultCanonical (the
// code systems and the participant identifier system move too).
func TestCanonicalRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name, canonical, base string
	}{
		{"deployment's own", hospitalBase, hospitalBase},
		{"trailing slash dropped", hospitalBase + "/", hospitalBase},
		{"http and a port", "http://fhir.kommune.example:8080/fhir/R4", "http://fhir.kommune.example:8080/fhir/R4"},
		{"default spelt out", fhir.DefaultCanonical, fhir.DefaultCanonical},
	} {
		w, r := fhir.Writer{Canonical: tc.canonical}, fhir.Reader{Canonical: tc.canonical}
		for name, c := range canonicalCases(t) {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				data, err := w.Marshal(c)
				require.NoError(t, err)
				back, _, err := r.Read(data)
				require.NoError(t, err)
				assert.Equal(t, c, back)
				want, err := json.Marshal(c)
				require.NoError(t, err)
				got, err := json.Marshal(back)
				require.NoError(t, err)
				assert.Equal(t, string(want), string(got), "the case's JSON is byte-identical")
				again, err := w.Marshal(back)
				require.NoError(t, err)
				assert.Equal(t, string(data), string(again), "the same case gives the same Bundle")

				var b any
				require.NoError(t, json.Unmarshal(data, &b))
				urls := map[string]string{}
				extensionURLs(b, "Bundle", urls)
				require.NotEmpty(t, urls)
				for at, url := range urls {
					assert.True(t, strings.HasPrefix(url, tc.base+"/StructureDefinition/"), "%s: %s", at, url)
				}
				if tc.base != fhir.DefaultCanonical {
					assert.NotContains(t, string(data), fhir.DefaultCanonical)
					assert.Contains(t, string(data), `"`+tc.base+"/CodeSystem/meeting-kind")
				}
			})
		}
	}
}

// TestWriterZeroValue holds that the zero Writer and Reader are FromCase,
// MarshalCase, AppointmentOf and ToCase: the output at DefaultCanonical is
// the one of before the canonical base was a setting.
func TestWriterZeroValue(t *testing.T) {
	for name, c := range canonicalCases(t) {
		t.Run(name, func(t *testing.T) {
			old, err := fhir.MarshalCase(c)
			require.NoError(t, err)
			for _, w := range []fhir.Writer{{}, {Canonical: fhir.DefaultCanonical}, {Canonical: fhir.DefaultCanonical + "/"}} {
				data, err := w.Marshal(c)
				require.NoError(t, err)
				assert.Equal(t, string(old), string(data))
				a, err := w.Appointment(c)
				require.NoError(t, err)
				want, err := fhir.AppointmentOf(c)
				require.NoError(t, err)
				assert.Equal(t, want, a)
			}
			b, err := fhir.Unmarshal(old)
			require.NoError(t, err)
			viaToCase, err := fhir.ToCase(b)
			require.NoError(t, err)
			viaReader, _, err := fhir.Reader{Canonical: fhir.DefaultCanonical}.ReadBundle(b)
			require.NoError(t, err)
			assert.Equal(t, viaToCase, viaReader)
		})
	}
}

// TestConformanceDescribesWriter holds the StructureDefinitions and
// CodeSystems of a Conformance against the Bundles of a Writer with the same
// Canonical: every extension and every coding of a system under the base
// has its resource, and every resource is used. The URLs come from one
// table, so they cannot drift apart.
func TestConformanceDescribesWriter(t *testing.T) {
	for _, base := range []string{"", hospitalBase} {
		t.Run("base "+base, func(t *testing.T) {
			defined := map[string]bool{}
			for _, sd := range (fhir.Conformance{Canonical: base}).StructureDefinitions() {
				defined[sd.URL] = true
				assert.Equal(t, fhir.Conformance{Canonical: base}.ExtensionURL(sd.ID), sd.URL)
			}
			systems := map[string][]string{} // CodeSystem url → its codes
			for _, cs := range (fhir.Conformance{Canonical: base}).CodeSystems() {
				systems[cs.URL] = cs.Codes()
				assert.Equal(t, fhir.Conformance{Canonical: base}.CodeSystemURL(cs.ID), cs.URL)
			}
			csBase := fhir.Conformance{Canonical: base}.CodeSystemURL("")
			used, usedSystems := map[string]bool{}, map[string]bool{}
			for name, c := range handBuilt() {
				data, err := fhir.Writer{Canonical: base}.Marshal(c)
				require.NoError(t, err, name)
				var b any
				require.NoError(t, json.Unmarshal(data, &b))
				urls := map[string]string{}
				extensionURLs(b, "Bundle", urls)
				for at, url := range urls {
					assert.True(t, defined[url], "%s: %s has no StructureDefinition at the same base", at, url)
					used[url] = true
				}
				for _, cd := range codings(b) {
					if !strings.HasPrefix(cd[0], csBase) {
						continue
					}
					codes, ok := systems[cd[0]]
					if assert.True(t, ok, "%s has no CodeSystem at the same base", cd[0]) {
						assert.Contains(t, codes, cd[1], cd[0])
					}
					usedSystems[cd[0]] = true
				}
			}
			assert.Equal(t, defined, used, "every StructureDefinition describes an extension the Writer writes")
			assert.Len(t, usedSystems, len(systems), "every CodeSystem of the mapping is used")
		})
	}
}

// codings returns the system and code of every coding in v.
func codings(v any) [][2]string {
	var out [][2]string
	switch x := v.(type) {
	case map[string]any:
		if s, ok := x["system"].(string); ok {
			if c, ok := x["code"].(string); ok {
				out = append(out, [2]string{s, c})
			}
		}
		for _, val := range x {
			out = append(out, codings(val)...)
		}
	case []any:
		for _, val := range x {
			out = append(out, codings(val)...)
		}
	}
	return out
}

// TestReaderRefusesOtherBase reads Bundles written at one canonical base
// with a Reader of another: every extension of the mapping is an error at
// its url, naming the extension and the Reader's base, never skipped.
func TestReaderRefusesOtherBase(t *testing.T) {
	c := everyField()
	for _, tc := range []struct{ name, written, read string }{
		{"default read at the deployment's", "", hospitalBase},
		{"deployment's read at the default", hospitalBase, ""},
		{"two deployments", hospitalBase, "https://fhir.kommune.example/fhir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := fhir.Writer{Canonical: tc.written}.Marshal(c)
			require.NoError(t, err)
			var b any
			require.NoError(t, json.Unmarshal(data, &b))
			urls := map[string]string{}
			extensionURLs(b, "Bundle", urls)
			require.NotEmpty(t, urls)

			_, _, err = fhir.Reader{Canonical: tc.read}.Read(data)
			require.ErrorIs(t, err, fhir.ErrMapping)
			var ve *validation.Error
			require.ErrorAs(t, err, &ve)
			readBase := fhir.Conformance{Canonical: tc.read}.ExtensionURL("")
			readBase = strings.TrimSuffix(readBase, "/StructureDefinition/")
			for at, url := range urls {
				name := url[strings.LastIndex(url, "/")+1:]
				assert.Contains(t, ve.Problems, validation.Problem{Path: at + ".url",
					Message: "is the extension " + name + " of collabmeet under another canonical base than " + readBase +
						", the one the Bundle is read with: the sender and the reader must be configured with the same canonical base"}, at)
			}
			for _, p := range ve.Problems {
				assert.NotContains(t, p.Message, "Nordmann", "no free text in errors")
			}
		})
	}
}

// TestReaderOwnBase holds what a Reader with a base of the deployment's own
// takes as collabmeet's: only the names of the mapping under its base.
func TestReaderOwnBase(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  string
		on   string // "appointment" or "participant"
		want *validation.Problem
	}{
		{name: "the deployment's own extension under the base is ignored", url: hospitalBase + "/StructureDefinition/local-note", on: "appointment"},
		{name: "another namespace is ignored", url: "http://hl7.no/fhir/StructureDefinition/no-basis-note", on: "appointment"},
		{name: "a name of the mapping the element may not have, under another base, is ignored",
			url: "https://other.example/fhir/StructureDefinition/follow-up", on: "appointment"},
		{name: "a name of the mapping on the wrong element is refused", url: hospitalBase + "/StructureDefinition/follow-up", on: "appointment",
			want: &validation.Problem{Message: "is no collabmeet extension of this element"}},
		{name: "the default base's name on a participant is refused", url: fhir.DefaultCanonical + "/StructureDefinition/joins-at-item", on: "participant",
			want: &validation.Problem{Message: "is the extension joins-at-item of collabmeet under another canonical base than " + hospitalBase +
				", the one the Bundle is read with: the sender and the reader must be configured with the same canonical base"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := fhir.Writer{Canonical: hospitalBase}.Marshal(everyField())
			require.NoError(t, err)
			var b object
			require.NoError(t, json.Unmarshal(data, &b))
			a, i := entry(b, "Appointment", 0)
			target := a
			path := fmt.Sprintf("Bundle.entry[%d].resource", i)
			if tc.on == "participant" {
				target = obj(list(a["participant"])[0])
				path += ".participant[0]"
			}
			exts := asList(target["extension"])
			path = fmt.Sprintf("%s.extension[%d].url", path, len(exts))
			target["extension"] = append(exts, object{"url": tc.url, "valueString": "x"})
			data, err = json.Marshal(b)
			require.NoError(t, err)
			_, _, err = fhir.Reader{Canonical: hospitalBase}.Read(data)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			var ve *validation.Error
			require.ErrorAs(t, err, &ve)
			assert.Contains(t, ve.Problems, validation.Problem{Path: path, Message: tc.want.Message})
		})
	}
}

// TestCanonicalRefused: a Canonical that is no canonical base is an error
// of the Writer and the Reader alike, before anything is read or written.
func TestCanonicalRefused(t *testing.T) {
	c := everyField()
	good, err := fhir.MarshalCase(c)
	require.NoError(t, err)
	for _, bad := range []string{"fhir.example.no", "/fhir", "ftp://fhir.example.no", "https://", "https://fhir.example.no/?v=1",
		"https://fhir.example.no/#x", "https://user@fhir.example.no", "https://fhir.example.no/?", "https://fhir.example.no/#", "https://fhir example.no"} {
		t.Run(bad, func(t *testing.T) {
			_, err := fhir.Writer{Canonical: bad}.Bundle(c)
			assert.ErrorIs(t, err, fhir.ErrCanonical)
			_, err = fhir.Writer{Canonical: bad}.Marshal(c)
			assert.ErrorIs(t, err, fhir.ErrCanonical)
			_, err = fhir.Writer{Canonical: bad}.Appointment(c)
			assert.ErrorIs(t, err, fhir.ErrCanonical)
			_, _, err = fhir.Reader{Canonical: bad}.Read(good)
			assert.ErrorIs(t, err, fhir.ErrCanonical)
			assert.False(t, errors.Is(err, fhir.ErrMapping))
		})
	}
}

// TestBundlesAtOtherBasePassFHIRValidator runs the FHIR R4 validator on the
// Bundles of the hand-built cases written at a deployment's own canonical
// base, and on the conformance resources under that base.
func TestBundlesAtOtherBasePassFHIRValidator(t *testing.T) {
	dir := t.TempDir()
	var files []string
	write := func(name string, data []byte) {
		f := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
		require.NoError(t, os.WriteFile(f, data, 0o644))
		files = append(files, f)
	}
	for name, c := range handBuilt() {
		data, err := fhir.Writer{Canonical: hospitalBase}.Marshal(c)
		require.NoError(t, err, name)
		write(name+".bundle", data)
	}
	conf, err := fhir.Conformance{Canonical: hospitalBase}.Files()
	require.NoError(t, err)
	for name, data := range conf {
		write(strings.TrimSuffix(name, ".json"), data)
	}
	runValidator(t, files)
}
