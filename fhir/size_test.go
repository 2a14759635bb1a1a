package fhir_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	gojson "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sizes returns the size of c as a compact case document and as a Bundle.
func sizes(t *testing.T, c *casedoc.Case) (caseBytes, bundleBytes int) {
	t.Helper()
	cj, err := gojson.Marshal(c)
	require.NoError(t, err)
	b, err := fhir.MarshalCase(c)
	require.NoError(t, err)
	return len(cj), len(b)
}

// TestExpansionPerPart measures, for each part of a case that a list can
// repeat, the bytes its Bundle grows by per byte the case document grows by,
// at its most compact: each stays within fhir.MaxExpansion, which is what
// DefaultMaxBytes is derived from.
func TestExpansionPerPart(t *testing.T) {
	const n = 500
	longGoal := strings.Repeat("g", 20)
	parts := map[string]func(c *casedoc.Case, i int){
		"participant, next of kin": func(c *casedoc.Case, i int) {
			c.Meeting.Participants = append(c.Meeting.Participants, meeting.Participant{ID: id(1000 + i), Role: meeting.RoleNextOfKin, Sector: meeting.SectorPatient})
		},
		"participant, gp": func(c *casedoc.Case, i int) {
			c.Meeting.Participants = append(c.Meeting.Participants, meeting.Participant{ID: id(1000 + i), Role: meeting.RoleGP, Sector: meeting.SectorPrimaryHealth})
		},
		"participant, other with an organisation of its own": func(c *casedoc.Case, i int) {
			c.Meeting.Participants = append(c.Meeting.Participants, meeting.Participant{ID: id(1000 + i), Role: meeting.RoleOther, Sector: meeting.SectorOther, Organization: fmt.Sprint(i)})
		},
		"agenda item": func(c *casedoc.Case, i int) {
			c.Meeting.Agenda = append(c.Meeting.Agenda, meeting.AgendaItem{ID: id(1000 + i), Kind: meeting.ItemOther})
		},
		"consent": func(c *casedoc.Case, i int) {
			c.Consents = append(c.Consents, consent.Consent{ID: id(1000 + i), GranteeID: id(3), Scopes: consent.Scopes(), GivenAt: c.Consents[0].GivenAt})
		},
		"action":               func(c *casedoc.Case, i int) { c.Plan.Actions = append(c.Plan.Actions, plan.Action{ID: id(1000 + i)}) },
		"informed-only sector": func(c *casedoc.Case, i int) { c.Plan.InformedOnlySectors = append(c.Plan.InformedOnlySectors, "other") },
		"recipient":            func(c *casedoc.Case, i int) { c.Plan.Recipients = append(c.Plan.Recipients, id(3)) },
		"sent_to": func(c *casedoc.Case, i int) {
			c.Meeting.Preparation.SentTo = append(c.Meeting.Preparation.SentTo, id(3))
		},
		"patient goal of 20 bytes": func(c *casedoc.Case, i int) {
			c.Plan.PatientGoals = append(c.Plan.PatientGoals, longGoal)
		},
	}
	c0, b0 := sizes(t, everyField())
	for name, grow := range parts {
		t.Run(name, func(t *testing.T) {
			c := everyField()
			for i := range n {
				grow(c, i)
			}
			c1, b1 := sizes(t, c)
			factor := float64(b1-b0) / float64(c1-c0)
			t.Logf("case +%.1f B, Bundle +%.1f B per part: factor %.1f", float64(c1-c0)/n, float64(b1-b0)/n, factor)
			assert.LessOrEqual(t, factor, float64(fhir.MaxExpansion))
		})
	}
}

// TestNearLimitCaseRoundTrips: a valid case of 11,000
// participants just under the case limit converts to a Bundle within
// DefaultMaxBytes, and back to the same case.
func TestNearLimitCaseRoundTrips(t *testing.T) {
	c := everyField()
	roles := []struct {
		role   meeting.Role
		sector meeting.Sector
	}{
		{meeting.RoleNextOfKin, meeting.SectorPatient}, {meeting.RoleGP, meeting.SectorPrimaryHealth},
		{meeting.RoleNurse, meeting.SectorSpecialistHealth}, {meeting.RoleEmployer, meeting.SectorEmployer},
	}
	const n = 11_000
	for i := range n {
		r := roles[i%len(roles)]
		c.Meeting.Participants = append(c.Meeting.Participants, meeting.Participant{
			ID: id(1000 + i), Role: r.role, Sector: r.sector, Name: fmt.Sprintf("Participant %d", i),
			Organization: fmt.Sprintf("Organisation %d", i%50), Location: meeting.LocationOffice,
			Purpose: strings.Repeat("p", 200),
		})
	}
	caseBytes, bundleBytes := sizes(t, c)
	require.LessOrEqual(t, caseBytes, casedoc.DefaultMaxBytes)
	require.Greater(t, caseBytes, casedoc.DefaultMaxBytes*9/10, "the case is near the case limit")
	t.Logf("case %d bytes, Bundle %d bytes (%.1f times), limit %d", caseBytes, bundleBytes, float64(bundleBytes)/float64(caseBytes), fhir.DefaultMaxBytes)
	assert.LessOrEqual(t, bundleBytes, fhir.DefaultMaxBytes)
	_, back := roundTrip(t, c)
	assert.Equal(t, c, back)
}
