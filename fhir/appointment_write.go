package fhir

import (
	"errors"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/validation"
)

// AppointmentOf returns the Appointment that FromCase writes for the case,
// without writing the other resources: for a caller that needs only the
// meeting, such as the CDS Hooks service building an update of the
// Appointment being booked. Its references are those of FromCase's Bundle
// ("urn:uuid:…" of the participants' resources). Unlike FromCase it does not
// validate the whole case: c must be valid (casedoc.Unmarshal or Validate
// accepted it); the lengths the Appointment carries (duration, end, agenda
// minutes) are checked, an error naming case paths. AppointmentOf is
// Writer{}.Appointment.
func AppointmentOf(c *casedoc.Case) (*Appointment, error) { return Writer{}.Appointment(c) }

// Appointment returns the Appointment that the Writer's Bundle has for the
// case, as AppointmentOf does, with the extensions at the Writer's
// Canonical.
func (wr Writer) Appointment(c *casedoc.Case) (*Appointment, error) {
	if c == nil {
		return nil, errors.New("fhir: nil case")
	}
	base, err := CanonicalBase(wr.Canonical)
	if err != nil {
		return nil, err
	}
	var l validation.List
	checkLengths(&c.Meeting, &l)
	if len(l.Problems) > 0 {
		return nil, &validation.Error{Problems: l.Problems, Err: ErrUnwritable}
	}
	w := newWriter(c, base)
	w.appointment()
	if err := w.problems.Err(); err != nil {
		return nil, err
	}
	if len(w.entries) != 1 {
		return nil, errors.New("fhir: the meeting gave no Appointment")
	}
	return w.entries[0].Resource.(*Appointment), nil
}
