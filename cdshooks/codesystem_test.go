package cdshooks_test

import (
	"os"
	"testing"

	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// publishedCodeSystem reads a CodeSystem of docs/fhir.
func publishedCodeSystem(t testing.TB, id string) fhir.CodeSystem {
	t.Helper()
	data, err := os.ReadFile("../docs/fhir/CodeSystem-" + id + ".json")
	require.NoError(t, err, "go generate ./recommend/catalogue writes it")
	var cs fhir.CodeSystem
	require.NoError(t, json.Unmarshal(data, &cs))
	return cs
}

// TestCDSTopicsAreInTheCodeSystem: every code a card can carry as its
// topic (the ID of every recommendation of the catalogue: a card is a
// recommendation with a gap, or whose rule failed) is a concept of the
// published CodeSystem of finding codes, a parent of its finding codes; and
// every override reason a card offers is a concept of the published
// CodeSystem of override reasons. The cards of the test requests name the
// two CodeSystems by their url.
func TestCDSTopicsAreInTheCodeSystem(t *testing.T) {
	findings := publishedCodeSystem(t, report.FindingCodeSystem)
	overrides := publishedCodeSystem(t, "override-reason")
	assert.Equal(t, cdshooks.TopicSystem, findings.URL)
	assert.Equal(t, cdshooks.OverrideReasonSystem, overrides.URL)
	assert.Equal(t, fhir.HierarchyGroupedBy, findings.HierarchyMeaning)
	assert.Equal(t, len(findings.Codes()), findings.Count)

	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	parents := map[string]fhir.Concept{}
	for _, c := range findings.Concept {
		parents[c.Code] = c
	}
	recs := e.Recommendations()
	require.Len(t, findings.Concept, len(recs), "one parent concept per recommendation")
	for _, r := range recs {
		c, ok := parents[r.ID]
		if !assert.True(t, ok, "%s is no concept of %s", r.ID, findings.URL) {
			continue
		}
		var children []string
		for _, k := range c.Concept {
			children = append(children, k.Code)
		}
		var want []string
		for _, reason := range r.Reasons {
			want = append(want, r.Code(reason))
		}
		assert.Equal(t, want, children, "the finding codes of %s", r.ID)
	}

	srv := newServer(t, recommend.Policy{})
	codes, reasons := findings.Codes(), overrides.Codes()
	seen := 0
	for _, rf := range requestFiles {
		var req cdshooks.Request
		require.NoError(t, json.Unmarshal(readFile(t, "testdata/"+rf.file), &req))
		for _, card := range call(t, srv, &req).Cards {
			seen++
			require.NotNil(t, card.Source.Topic)
			assert.Equal(t, findings.URL, card.Source.Topic.System)
			assert.Contains(t, codes, card.Source.Topic.Code)
			for _, o := range card.OverrideReasons {
				assert.Equal(t, overrides.URL, o.System)
				assert.Contains(t, reasons, o.Code)
			}
		}
	}
	assert.Positive(t, seen)
}

// TestCDSCanonicalBase: a service made with WithCanonicalBase names its
// code systems under that base, as the conformance resources built at the
// same base do, for a request whose extensions are at that base too; a base
// that is no http(s) URL is refused.
func TestCDSCanonicalBase(t *testing.T) {
	const base = "https://fhir.clinic.example/collabmeet"
	svc, err := cdshooks.New(recommend.Policy{}, cdshooks.WithCanonicalBase(base+"/"), withTestRules)
	require.NoError(t, err)
	assert.Equal(t, base, svc.CanonicalBase())
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithRules(itemLead, gpFromStart), recommend.WithMessages(testMessages))
	require.NoError(t, err)
	findings := report.FindingCodes(e, base, catalogue.Version)
	overrides := svc.OverrideReasonCodeSystem()
	assert.Equal(t, base+"/CodeSystem/"+report.FindingCodeSystem, findings.URL)
	assert.Equal(t, base+"/CodeSystem/override-reason", overrides.URL)

	srv := newServer(t, recommend.Policy{}, cdshooks.WithCanonicalBase(base), withTestRules)
	cards := call(t, srv, atBase(t, booking(t, fixable(t)), base)).Cards
	require.NotEmpty(t, cards)
	withOverrides := 0
	for _, card := range cards {
		assert.Equal(t, findings.URL, card.Source.Topic.System)
		assert.Contains(t, findings.Codes(), card.Source.Topic.Code, "a clinic's own rule is in its own CodeSystem")
		for _, o := range card.OverrideReasons {
			withOverrides++
			assert.Equal(t, overrides.URL, o.System)
			assert.Contains(t, overrides.Codes(), o.Code)
		}
	}
	assert.Positive(t, withOverrides)

	for _, bad := range []string{"collabmeet.example/fhir", "ftp://x.example/fhir", "https://x.example/fhir?x=1", "https://x.example/fhir#f", "https://user@x.example/fhir", "https://",
		"https://x.example/fhir?", "https://x.example/fhir#"} {
		_, err := cdshooks.New(recommend.Policy{}, cdshooks.WithCanonicalBase(bad))
		assert.ErrorIs(t, err, fhir.ErrCanonical, bad)
	}
	def, err := cdshooks.New(recommend.Policy{})
	require.NoError(t, err)
	assert.Equal(t, cdshooks.DefaultCanonicalBase, def.CanonicalBase())
	assert.Equal(t, fhir.DefaultCanonical, cdshooks.DefaultCanonicalBase)
}
