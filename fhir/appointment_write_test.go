package fhir_test

import (
	"testing"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAppointmentOf: the Appointment of AppointmentOf is the one of
// FromCase's Bundle, for generated cases.
func TestAppointmentOf(t *testing.T) {
	g := casegen.New(31)
	n := 0
	for range 200 {
		c := g.Case()
		b, err := fhir.FromCase(c)
		if err != nil {
			continue // a case FHIR cannot carry: FromCase says why
		}
		got, err := fhir.AppointmentOf(c)
		require.NoError(t, err)
		want, ok := b.Entry[0].Resource.(*fhir.Appointment)
		require.True(t, ok)
		wj, err := json.Marshal(want, json.Deterministic(true))
		require.NoError(t, err)
		gj, err := json.Marshal(got, json.Deterministic(true))
		require.NoError(t, err)
		assert.Equal(t, string(wj), string(gj))
		n++
	}
	assert.Positive(t, n)
	_, err := fhir.AppointmentOf(nil)
	assert.Error(t, err)
	c := casegen.Typical()
	c.Meeting.DurationMinutes = fhir.MaxMinutes + 1
	_, err = fhir.AppointmentOf(c)
	assert.ErrorIs(t, err, fhir.ErrUnwritable)
}
