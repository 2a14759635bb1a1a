package main

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/recommendtest"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	start      = time.Date(2026, 9, 14, 10, 0, 0, 0, time.FixedZone("CEST", 2*60*60))
	meetingID  = uuid.MustParse("3f9c1a2e-8d47-4b6a-9e21-5c0d7f3b8a11")
	patientID  = uuid.MustParse("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
	gp         = uuid.MustParse("11111111-2222-4333-8444-555555555555")
	supervisor = uuid.MustParse("66666666-7777-4888-9999-aaaaaaaaaaaa")
)

// The clinic's template must stay compliant under the clinic's policy,
// with and without a supervisor from social security.
func TestTemplateIsCompliant(t *testing.T) {
	for name, inv := range map[string]Invitees{
		"health care only": {GP: gp},
		"with supervisor":  {GP: gp, Supervisor: supervisor},
	} {
		t.Run(name, func(t *testing.T) {
			c := Template(meetingID, patientID, start, inv)
			recommendtest.AssertCompliant(t, c, recommendtest.WithPolicy(ClinicPolicy))
			// Stricter: not even a recommended gap.
			recommendtest.AssertCompliant(t, c, recommendtest.WithPolicy(ClinicPolicy), recommendtest.FailOn(recommend.SeverityRecommended))
		})
	}
}

// The points the clinic cares most about, one by one.
func TestTemplateGivesThePatientTheWord(t *testing.T) {
	c := Template(meetingID, patientID, start, Invitees{GP: gp, Supervisor: supervisor})
	for _, id := range []string{"PC-05", "PC-09", "MC-04", "CS-01"} {
		recommendtest.AssertNoGap(t, c, id, recommendtest.WithPolicy(ClinicPolicy))
	}
}

// Forgetting the supervisor's consent must be caught.
func TestSupervisorWithoutConsentIsAGap(t *testing.T) {
	c := Template(meetingID, patientID, start, Invitees{GP: gp, Supervisor: supervisor})
	c.Consents = nil
	recommendtest.AssertGap(t, c, "PC-04", recommendtest.WithPolicy(ClinicPolicy))

	// Check returns every gap in one error, to inspect in detail.
	err := recommendtest.Check(c, recommendtest.WithPolicy(ClinicPolicy))
	var gaps *recommendtest.GapError
	require.True(t, errors.As(err, &gaps))
	assert.Equal(t, []string{"PC-04"}, gaps.IDs())
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	assert.Contains(t, out.String(), "template: compliant true, 0 gaps")
}
