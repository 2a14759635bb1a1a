package recommend

import (
	"time"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/google/uuid"
)

// Finding is one thing missing from a case. Its Code says what, language-free;
// Args hold the details (codes, numbers, IDs, times — never free text of the
// case); Message, Remedy and Subject are rendered from them in the report's
// language. It names its subject by ID, role and JSON path, never by name, so
// that reports can go into logs and tickets.
type Finding struct {
	// SubjectID is the participant, agenda item, consent or action concerned;
	// uuid.Nil when the meeting as a whole is the subject.
	SubjectID uuid.UUID `json:"subject_id,omitzero"`
	// SubjectRole is the role of the participant, when the subject is one.
	SubjectRole meeting.Role `json:"subject_role,omitempty"`
	// Path is the JSON path of what is missing or wrong, e.g. "meeting.participants[4]".
	Path string `json:"path"`
	// Reference is the subject's own record in the system the case came from,
	// such as "Practitioner/abc" for a FHIR Bundle; empty otherwise.
	Reference string `json:"reference,omitempty"`
	// Expression is the element of the system the case came from that Path
	// names, such as "Bundle.entry[4].resource.participant[2]" for a FHIR
	// Bundle; empty otherwise.
	Expression string `json:"expression,omitempty"`
	// Subject says for people who or what is concerned, in the report's
	// language: "NAV-veileder", "agenda item 4 (discussion)".
	Subject string `json:"subject"`
	// Code is stable and language-free: the recommendation ID and a reason,
	// such as "AP-04.owner_not_participant".
	Code string `json:"code"`
	// Args are the details of the finding that its texts show.
	Args Args `json:"args,omitempty"`
	// Message says what is missing and Remedy what would fix it, in the
	// report's language.
	Message string `json:"message"`
	Remedy  string `json:"remedy"`
	// Fixes are edits that would fix the finding, on a planned meeting only.
	Fixes []Fix `json:"fixes,omitempty"`

	order int // the position of the subject in its list, for ordering
}

// Args are the details of a finding: names in snake_case, values of the kinds
// Arg makes. In JSON an object.
type Args map[string]any

// Code is an arg value from a closed list that the domain packages do not
// name, such as a consent decision ("withdrawn"). Args hold codes, never free
// text: see validArg.
type Code string

// Fix is a suggested edit that fixes a finding: RFC 6902 JSON Patch
// operations on the case document, and what it does, in the report's language.
type Fix struct {
	Code    string    `json:"code"`
	Args    Args      `json:"args,omitempty"`
	Message string    `json:"message"`
	Patch   []PatchOp `json:"patch"`
}

// PatchOp is one RFC 6902 operation.
type PatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	From  string `json:"from,omitempty"`
	Value any    `json:"value,omitempty"`
}

// validArg reports whether v is of a kind that args may hold: an int, a
// bool, a UUID, a time, a Code, or a code of the domain packages (a string
// type with a Valid method, such as meeting.Role).
func validArg(v any) bool {
	switch v.(type) {
	case int, bool, uuid.UUID, time.Time, Code:
		return true
	case interface{ Valid() bool }:
		return true
	}
	return false
}
