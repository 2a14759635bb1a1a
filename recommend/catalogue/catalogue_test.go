package catalogue_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The content of the built-in catalogue: its IDs, order, severities,
// phases, profiles, parameters and texts, as its recommendations were
// agreed. The engine's own tests (package recommend) hold for any catalogue.

// themePrefix returns the ID prefix of the built-in theme th.
func themePrefix(t *testing.T, th recommend.Theme) string {
	t.Helper()
	c := catalogue.Builtin()
	d, ok := c.Theme(th)
	require.True(t, ok, th)
	return d.Prefix
}

// contract is the catalogue as its recommendations were agreed, version
// 2026.3: each ID's severity and phase, and the profile it needs when it
// does not apply to every profile. The catalogue must hold each of these as
// the contract says; a new recommendation (a new ID) breaks none of the
// tests below, which read counts from the catalogue.
var contract = map[string]string{
	"PC-01": "required before", "PC-02": "recommended before", "PC-03": "recommended before",
	"PC-04": "required before", "PC-05": "required before", "PC-06": "recommended before",
	"PC-07": "recommended before", "PC-08": "recommended after", "PC-09": "recommended before",
	"AP-01": "required before", "AP-02": "recommended before", "AP-03": "required after",
	"AP-04": "required after", "AP-05": "required after", "AP-06": "required after",
	"AP-07": "recommended after", "AP-08": "recommended before thorough", "AP-09": "required after",
	"AP-10": "recommended after", "AP-11": "advisory after", "AP-12": "advisory after",
	"MC-01": "required before", "MC-02": "required before", "MC-03": "recommended before",
	"MC-04": "recommended before", "MC-05": "required before", "MC-06": "advisory before",
	"MC-07": "recommended before", "MC-08": "advisory before", "MC-09": "recommended before",
	"MC-10": "required before",
	"CS-01": "required before", "CS-02": "required before", "CS-03": "required after",
	"CS-04": "recommended before", "CS-05": "recommended before", "CS-06": "recommended before",
	"CS-07": "recommended before", "CS-08": "required before", "CS-09": "recommended before",
	"CS-10": "required before", "CS-11": "recommended before", "CS-12": "recommended before thorough",
	"PW-01": "recommended before", "PW-02": "advisory before", "PW-03": "required after",
}

func TestCatalogue(t *testing.T) {
	cat := catalogue.Builtin()
	assert.Equal(t, catalogue.Version, cat.Version)
	assert.Equal(t, "2026.3", cat.Version)
	e, err := recommend.New(cat, recommend.Policy{})
	require.NoError(t, err)
	rules := e.Recommendations()
	require.NoError(t, cat.Validate())
	ids := map[string]bool{}
	for _, r := range rules {
		ids[r.ID] = true
	}
	for id := range contract {
		assert.True(t, ids[id], "the catalogue has %s", id)
	}
	counts := map[recommend.Theme]int{}
	var protected []string
	for _, r := range rules {
		counts[r.Theme]++
		assert.Equal(t, fmt.Sprintf("%s-%02d", themePrefix(t, r.Theme), counts[r.Theme]), r.ID, "catalogue order")
		assert.NotEmpty(t, r.Source, r.ID)
		assert.NotEmpty(t, r.Reasons, r.ID)
		assert.Equal(t, catalogue.DocURL+"#"+strings.ToLower(r.ID), r.Doc)
		if r.Protected {
			protected = append(protected, r.ID)
		}
	}
	assert.Equal(t, []string{"PC-04", "CS-01", "CS-02", "CS-03", "CS-08"}, protected)

	// Every text exists in English (New checks it) and in bokmål.
	for _, r := range rules {
		for _, id := range []string{r.ID + ".title", r.ID + ".statement", r.ID + ".rationale"} {
			assert.True(t, e.Texts().Has(recommend.English, id), id)
		}
	}

	// A fresh copy each time.
	rules[0].Reasons[0] = "changed"
	again := catalogue.Builtin()
	assert.NotEqual(t, "changed", again.Rules[0].Reasons[0])

	r, ok := catalogue.Lookup("PC-05")
	require.True(t, ok)
	assert.Equal(t, recommend.SeverityRequired, r.Severity)
	assert.Equal(t, "pc-05", r.Anchor())
	p, ok := r.Param("patient_minutes")
	require.True(t, ok)
	assert.Equal(t, recommend.UnitMinutes, p.Unit)
	assert.Equal(t, 10, p.Default)
	_, ok = catalogue.Lookup("PC-99")
	assert.False(t, ok)
}

// Severities, phases and profiles from recommendations.md.
func TestCatalogueSeverities(t *testing.T) {
	got := map[string]string{}
	for _, r := range catalogue.Builtin().Rules {
		s := string(r.Severity) + " " + string(r.Phase)
		if r.MinProfile != "" && r.MinProfile != recommend.ProfileMinimal {
			s += " " + string(r.MinProfile)
		}
		got[r.ID] = s
	}
	for id, want := range contract {
		assert.Equal(t, want, got[id], id)
	}
}

func TestCatalogueParams(t *testing.T) {
	got := map[string]any{}
	for _, r := range catalogue.Builtin().Rules {
		for _, p := range r.Params {
			got[p.Name] = p.DefaultValue()
		}
	}
	// The defaults of docs/catalogue.md 2026.3.
	for name, want := range map[string]any{
		"allow_professionals_only": true, "patient_minutes": 10, "max_professionals": 6, "notice_days": 3,
		"plan_minutes": 10, "discussion_minutes": 10, "horizon_days": 183, "distribute_days": 7,
		"max_colocated": 3, "min_minutes": 30, "max_minutes": 90, "min_sector_minutes": 15,
		"min_specialist_roles": 2, "assessment_to_meeting_weeks": 12, "referral_to_assessment_weeks": 12,
		"follow_up_weeks": 26, "close_contact_days": 14, "regular_contact_days": 42, "check_in_contact_days": 91,
		"follow_up_patient_minutes": 5, "follow_up_plan_minutes": 5,
	} {
		assert.Equal(t, want, got[name], name)
	}
}
