package fhir_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// asAnEHRSendsIt rewrites a Bundle of FromCase as EHRs send them: server ids
// that are not UUIDs, full URLs on the server, relative references
// (Practitioner/ehr-3), and resources the mapping does not use.
func asAnEHRSendsIt(t *testing.T, bundle []byte) []byte {
	t.Helper()
	var b struct {
		ResourceType string           `json:"resourceType"`
		Type         string           `json:"type"`
		Entry        []map[string]any `json:"entry"`
	}
	require.NoError(t, json.Unmarshal(bundle, &b))
	doc := string(bundle)
	for i, e := range b.Entry {
		res := e["resource"].(map[string]any)
		typ, id := res["resourceType"].(string), fmt.Sprintf("ehr-%d", i)
		old := e["fullUrl"].(string)
		doc = strings.ReplaceAll(doc, `"`+old+`"`, `"`+typ+"/"+id+`"`)
		doc = strings.ReplaceAll(doc, `"id": "`+strings.TrimPrefix(old, "urn:uuid:")+`"`, `"id": "`+id+`"`)
	}
	// The entries' fullUrls became Type/id references above: make them the
	// server's absolute URLs, as a FHIR server writes them.
	doc = strings.ReplaceAll(doc, `"fullUrl": "`, `"fullUrl": "https://ehr.example.no/fhir/`)
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(doc), &out))
	out["entry"] = append(out["entry"].([]any),
		map[string]any{"fullUrl": "https://ehr.example.no/fhir/Observation/pain-score", "resource": map[string]any{
			"resourceType": "Observation", "id": "pain-score", "status": "final", "code": map[string]any{"text": "pain"}}},
		map[string]any{"fullUrl": "https://ehr.example.no/fhir/Encounter/e1", "resource": map[string]any{
			"resourceType": "Encounter", "id": "e1", "status": "planned", "class": map[string]any{"code": "VR"}}})
	data, err := json.Marshal(out, json.Deterministic(true), jsontext.WithIndent("  "))
	require.NoError(t, err)
	return data
}

// TestSameGapsAsCaseAndAsEHRBundle: the same meeting given as a case and as
// a Bundle with string ids, extra resources and Oslo offsets gives the same
// gaps, codes and paths; the skipped resources are warnings.
func TestSameGapsAsCaseAndAsEHRBundle(t *testing.T) {
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join("..", "examples", "cases", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			c, err := casedoc.ReadFile(file)
			require.NoError(t, err)
			bundle, err := fhir.MarshalCase(c)
			require.NoError(t, err)
			ehr := asAnEHRSendsIt(t, bundle)
			require.NotContains(t, string(ehr), "urn:uuid:"+c.Meeting.ID.String())
			fromEHR, src, err := fhir.Reader{}.Read(ehr)
			require.NoError(t, err)
			assert.Len(t, src.Warnings(), 2, "the Observation and the Encounter are skipped, with a warning each")
			_, _, err = fhir.Reader{Strict: true}.Read(ehr)
			assert.Error(t, err, "strict refuses them")
			assert.Equal(t, c.Meeting.Start, fromEHR.Meeting.Start, "the offset is kept as written")
			want, got := engine.Check(c), engine.Check(fromEHR)
			assert.Equal(t, findingsOf(want), findingsOf(got))
			for _, r := range got.Results {
				for _, f := range r.Findings {
					if f.SubjectID != [16]byte{} && src.Reference(f.SubjectID) != "" {
						assert.Regexp(t, `^[A-Z][A-Za-z]+/ehr-\d+$|^https://ehr`, src.Reference(f.SubjectID))
					}
				}
			}
		})
	}
}

// findingsOf lists the outcome and the codes and paths of the findings of
// each result: what must not depend on the format the case came in.
func findingsOf(rep *recommend.Report) []string {
	var out []string
	for _, r := range rep.Results {
		out = append(out, r.ID+" "+string(r.Outcome))
		for _, f := range r.Findings {
			out = append(out, "  "+f.Code+" "+f.Path)
		}
	}
	return out
}
