package fhir

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/validation"
)

// MaxMinutes is the largest duration_minutes of a meeting and minutes of an
// agenda item that the mapping writes or reads: a day, the bound of the case
// format. It keeps every sum of a time and minutes far from overflowing.
const MaxMinutes = 1440

var timeType = reflect.TypeFor[time.Time]()

// checkWritable reports, at case paths, what of a valid case FHIR cannot
// carry: a time FormatDateTime refuses, minutes above MaxMinutes, a meeting
// whose end (start + duration_minutes) is after year 9999, a consent that
// expires before it is given (FHIR invariant per-1: a Period's end is not
// before its start), and an empty patient goal (FHIR has no empty strings).
func checkWritable(c *casedoc.Case) *validation.List {
	var l validation.List
	walkTimes(reflect.ValueOf(c).Elem(), "", func(path string, t time.Time) {
		if _, err := FormatDateTime(t); err != nil {
			l.Addf(path, "%v", err)
		}
	})
	checkLengths(&c.Meeting, &l)
	for i := range c.Consents {
		k := &c.Consents[i]
		if !k.ExpiresAt.IsZero() && k.ExpiresAt.Before(k.GivenAt) {
			l.Addf(fmt.Sprintf("consents[%d].expires_at", i), "is before given_at: FHIR requires a period's end not to be before its start (invariant per-1)")
		}
	}
	if c.Plan != nil {
		for i, g := range c.Plan.PatientGoals {
			if g == "" {
				l.Addf(fmt.Sprintf("plan.patient_goals[%d]", i), "is empty: FHIR has no empty strings, and a Goal needs its description")
			}
		}
	}
	return &l
}

// walkTimes calls f with the case path (JSON names) of every non-zero
// time.Time reachable from v.
func walkTimes(v reflect.Value, path string, f func(string, time.Time)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkTimes(v.Elem(), path, f)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			if t := v.Interface().(time.Time); !t.IsZero() {
				f(path, t)
			}
			return
		}
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			if !sf.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				name = sf.Name
			}
			if path != "" {
				name = path + "." + name
			}
			walkTimes(v.Field(i), name, f)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkTimes(v.Index(i), fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

// checkLengths adds the problems of a meeting's lengths that FHIR cannot
// carry: a duration or an item's minutes above MaxMinutes, an end after
// year 9999.
func checkLengths(m *meeting.Meeting, l *validation.List) {
	if m.DurationMinutes > MaxMinutes {
		l.Addf("meeting.duration_minutes", "is above %d (a day)", MaxMinutes)
	} else if !m.Start.IsZero() && m.End().Year() > lastFHIRYear {
		l.Addf("meeting.duration_minutes", "gives an end (start + duration_minutes) after year 9999, which Appointment.end cannot carry")
	}
	for i := range m.Agenda {
		if m.Agenda[i].Minutes > MaxMinutes {
			l.Addf(fmt.Sprintf("meeting.agenda[%d].minutes", i), "is above %d (a day)", MaxMinutes)
		}
	}
}
