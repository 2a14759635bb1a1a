package meeting

// Resolved agenda references, as SpanOf takes them: an index into the
// agenda, or one of these.
const (
	// Unset is a reference that is not given (JoinsAtItem or LeavesAfterItem
	// is the zero UUID): from the first item, to the last.
	Unset = -1
	// Missing is a reference to an item that is not on the agenda: the
	// participant attends nothing.
	Missing = -2
)

// SpanOf is the attendance rule of the case format, on references already
// resolved to agenda indexes (see Unset and Missing): a participant attends
// the items from joins to leaves, both included, in agenda order; an unset
// joins means from the first item, an unset leaves to the last. When the
// participant attends nothing first > last. Meeting.Span applies it with
// ItemIndex; the engine applies it with an index it builds once per case.
func SpanOf(agendaLen, joins, leaves int) (first, last int) {
	first, last = 0, agendaLen-1
	switch {
	case joins == Missing || leaves == Missing:
		return 0, -1
	case joins != Unset:
		first = joins
	}
	if leaves != Unset {
		last = leaves
	}
	return first, last
}

// ThirdParty reports whether the participant at index k is neither a
// healthcare participant nor the patient of the meeting (the first
// participant with role patient, see PatientIndex): next of kin included,
// and so is a second participant with role patient, which the case format
// refuses. Third parties need the patient's consent.
func (m *Meeting) ThirdParty(k int) bool {
	return m.Participants[k].ThirdParty(k == m.PatientIndex())
}

// ThirdParty reports whether p is a third party, given whether p is the
// patient of its meeting (see Meeting.ThirdParty, which decides that).
func (p *Participant) ThirdParty(isPatient bool) bool {
	return !p.Healthcare() && !isPatient
}

// PatientIndex returns the index of the first participant with role patient,
// or -1.
func (m *Meeting) PatientIndex() int {
	for i := range m.Participants {
		if m.Participants[i].Role == RolePatient {
			return i
		}
	}
	return -1
}
