package fhir_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDateTime(t *testing.T) {
	tests := []struct {
		in      string
		want    string // RFC 3339 of the result; "" when refused
		wantErr string
	}{
		{in: "2026-05-04T09:00:00+02:00", want: "2026-05-04T09:00:00+02:00"},
		{in: "2026-05-04T09:00:00Z", want: "2026-05-04T09:00:00Z"},
		{in: "2026-05-04T09:00:00+00:00", want: "2026-05-04T09:00:00Z"},
		{in: "2026-05-04T09:00:00-00:00", want: "2026-05-04T09:00:00Z"},
		{in: "2026-05-04T09:00:00.5-05:30", want: "2026-05-04T09:00:00.5-05:30"},
		{in: "2026-05-04T09:00:00.123456789123+14:00", want: "2026-05-04T09:00:00.123456789+14:00"},
		{in: "0001-01-01T00:00:00Z", wantErr: "first instant of year 1"}, // the case reads it as unset
		{in: "0001-01-01T00:00:00.000000001Z", want: "0001-01-01T00:00:00.000000001Z"},
		{in: "0001-01-01T01:00:00+01:00", wantErr: "first instant of year 1"},
		{in: "9999-12-31T23:59:59-14:00", want: "9999-12-31T23:59:59-14:00"},
		{in: "2024-02-29T12:00:00Z", want: "2024-02-29T12:00:00Z"},
		{in: "2026-05-04T09:00:00+24:00", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04T09:00:00+14:01", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04T9:00:00+02:00", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04T09:00:00,5+02:00", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04T09:00:00+02:60", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04T09:00:00+0200", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04t09:00:00Z", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04 09:00:00Z", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04T09:00:00", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04T24:00:00Z", wantErr: "is not a FHIR dateTime"},
		{in: "0000-05-04T09:00:00Z", wantErr: "is not a FHIR dateTime"},
		{in: "12026-05-04T09:00:00Z", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04T09:00:00.Z", wantErr: "is not a FHIR dateTime"},
		{in: " 2026-05-04T09:00:00Z", wantErr: "is not a FHIR dateTime"},
		{in: "", wantErr: "is not a FHIR dateTime"},
		{in: "2026-05-04", wantErr: "is a date without a time"},
		{in: "2026-05", wantErr: "is a date without a time"},
		{in: "2026", wantErr: "is a date without a time"},
		{in: "2026-02-30T09:00:00Z", wantErr: "is a day that the month does not have"},
		{in: "2025-02-29T09:00:00Z", wantErr: "is a day that the month does not have"},
		{in: "2016-12-31T23:59:60Z", wantErr: "is a leap second"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := fhir.ParseDateTime(tt.in)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				if len(tt.in) > 4 && !strings.Contains("2026-05-04T09:00:00+02:00", tt.in) { // the example in the message
					assert.NotContains(t, err.Error(), tt.in, "the error quotes the value")
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Format(time.RFC3339Nano))
			assert.NotSame(t, time.Local, got.Location())
		})
	}
}

// TestParseDateTimeKeepsOffsetOnAnOsloMachine reads times whose offset is the
// machine's local one: time.Parse would give them time.Local, whose offset
// changes with daylight saving time, so that an end computed across the
// change, or a time written back, would have another offset than was read.
func TestParseDateTimeKeepsOffsetOnAnOsloMachine(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	require.NoError(t, err)
	saved := time.Local
	time.Local = oslo
	t.Cleanup(func() { time.Local = saved })

	for _, s := range []string{"2026-03-29T01:30:00+01:00", "2026-10-25T02:30:00+02:00", "2026-05-04T09:00:00+02:00", "2026-01-04T09:00:00+01:00"} {
		got, err := fhir.ParseDateTime(s)
		require.NoError(t, err)
		assert.NotSame(t, time.Local, got.Location(), s)
		again, err := fhir.FormatDateTime(got)
		require.NoError(t, err)
		assert.Equal(t, s, again)
		end, err := fhir.FormatDateTime(got.Add(90 * time.Minute))
		require.NoError(t, err)
		assert.Equal(t, s[len(s)-6:], end[len(end)-6:], "an end 90 minutes later keeps the offset as written")
	}

	// A whole Bundle with Oslo offsets on both sides of the change to summer time.
	c := everyField()
	c.Meeting.Start = time.Date(2026, 3, 29, 1, 30, 0, 0, time.FixedZone("", 3600))
	c.Meeting.DurationMinutes = 120
	data, err := fhir.MarshalCase(c)
	require.NoError(t, err)
	back, err := fhir.UnmarshalCase(data)
	require.NoError(t, err)
	assert.Equal(t, c, back)
	again, err := fhir.MarshalCase(back)
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again))
	assert.Contains(t, string(data), `"end": "2026-03-29T03:30:00+01:00"`)
}

func TestFormatDateTimeRefuses(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"year 10000", time.Date(10000, 1, 1, 0, 30, 0, 0, time.UTC), "year is outside 0001-9999"},
		{"year 0", time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC), "year is outside 0001-9999"},
		{"offset +15:00", time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 15*3600)), "offset is beyond"},
		{"offset with seconds", time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600+30)), "not a whole number of minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fhir.FormatDateTime(tt.t)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	s, err := fhir.FormatDateTime(time.Time{})
	require.NoError(t, err)
	assert.Empty(t, s)
}

// TestBundleTimesByTheGrammar puts each lenient time into
// each kind of time element of a Bundle: every one is refused, naming the
// element.
func TestBundleTimesByTheGrammar(t *testing.T) {
	bad := []string{"2026-05-04T09:00:00+24:00", "2026-05-04T9:00:00+02:00", "2026-05-04T09:00:00,5+02:00", "2026-05-04T09:00:00+02:60"}
	elements := []struct {
		name string
		path string
		set  func(b object, v string)
	}{
		{"Appointment.start", "Bundle.entry[0].resource.start", func(b object, v string) {
			a, _ := entry(b, "Appointment", 0)
			a["start"] = v
		}},
		{"Appointment.end", "Bundle.entry[0].resource.end", func(b object, v string) {
			a, _ := entry(b, "Appointment", 0)
			a["end"] = v
		}},
		{"Consent.provision.period.end", "Bundle.entry[18].resource.provision.period.end", func(b object, v string) {
			c, _ := entry(b, "Consent", 1)
			obj(obj(c["provision"])["period"])["end"] = v
		}},
		{"valueDateTime", "Bundle.entry[20].resource.extension[4].valueDateTime", func(b object, v string) {
			p, _ := entry(b, "CarePlan", 0)
			obj(list(p["extension"])[4])["valueDateTime"] = v
		}},
	}
	for _, el := range elements {
		for _, v := range bad {
			t.Run(el.name+" "+v, func(t *testing.T) {
				b := goodBundle(t)
				el.set(b, v)
				data, err := json.Marshal(b)
				require.NoError(t, err)
				_, err = fhir.UnmarshalCase(data)
				var ve *validation.Error
				require.True(t, errors.As(err, &ve), "want a *validation.Error, got %v", err)
				assert.True(t, hasProblem(ve.Problems, validation.Problem{Path: el.path, Message: "is not a FHIR dateTime"}), "%v", err)
				assert.NotContains(t, err.Error(), v)
			})
		}
	}
}

func TestFromCaseRefusesWhatFHIRCannotCarry(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *casedocCase)
		path string
		msg  string
	}{
		{"end in year 10000", func(c *casedocCase) {
			c.Meeting.Start = time.Date(9999, 12, 31, 23, 30, 0, 0, time.UTC)
			c.Meeting.DurationMinutes = 60
		}, "meeting.duration_minutes", "gives an end (start + duration_minutes) after year 9999"},
		{"end in year 10000 by a later offset", func(c *casedocCase) {
			c.Meeting.Start = time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", 3600))
			c.Meeting.DurationMinutes = 61
		}, "meeting.duration_minutes", "gives an end"},
		{"huge duration", func(c *casedocCase) { c.Meeting.DurationMinutes = 1_000_000_000 }, "meeting.duration_minutes", "is above 1440"},
		{"largest int duration", func(c *casedocCase) { c.Meeting.DurationMinutes = int(^uint(0) >> 1) }, "meeting.duration_minutes", "is above 1440"},
		{"huge item minutes", func(c *casedocCase) { c.Meeting.Agenda[2].Minutes = 9223372036854775756 }, "meeting.agenda[2].minutes", "is above 1440"},
		{"consent expires before it is given (per-1)", func(c *casedocCase) {
			c.Consents[1].ExpiresAt = c.Consents[1].GivenAt.Add(-time.Second)
		}, "consents[1].expires_at", "is before given_at"},
		{"offset beyond 14 hours", func(c *casedocCase) {
			c.Plan.DistributedAt = time.Date(2026, 5, 5, 8, 0, 0, 0, time.FixedZone("", 15*3600))
		}, "plan.distributed_at", "offset is beyond"},
		{"year 10000 in a time of the plan", func(c *casedocCase) {
			c.Plan.Actions[0].Due = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		}, "plan.actions[0].due", "year is outside"},
		{"empty goal", func(c *casedocCase) { c.Plan.PatientGoals[1] = "" }, "plan.patient_goals[1]", "is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := everyField()
			tt.edit(c)
			var err error
			require.NotPanics(t, func() { _, err = fhir.FromCase(c) })
			require.Error(t, err)
			var ve *validation.Error
			require.True(t, errors.As(err, &ve), "%v", err)
			if errors.Is(err, fhir.ErrUnwritable) { // not already refused by the case's own validation
				assert.Contains(t, ve.Error(), tt.path+": ")
				assert.Contains(t, ve.Error(), tt.msg)
			} else {
				assert.Contains(t, fmt.Sprint(ve.Paths()), tt.path)
			}
		})
	}
	// The per-1 boundary: a consent that expires the moment it is given is written.
	c := everyField()
	c.Consents[1].ExpiresAt = c.Consents[1].GivenAt
	c.Consents[1].WithdrawnAt = time.Time{}
	_, back := roundTrip(t, c)
	assert.Equal(t, c, back)
}
