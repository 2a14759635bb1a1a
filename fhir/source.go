package fhir

import (
	"strings"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
)

// IDNamespace is the name space of the version 5 UUIDs that a Reader gives
// to resources whose id is not a UUID: the UUID of a resource is
// uuid.NewSHA1(IDNamespace, []byte(fullUrl)), or of "Type/id" when the entry
// has no fullUrl. IDNamespace itself is the version 5 UUID of the URL
// Base + "/sid/resource-id" in the URL name space of RFC 4122, so the same
// Bundle always maps to the same case.
var IDNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte(Base+"/sid/resource-id"))

// Reader reads FHIR R4 Bundles as EHRs send them. The zero value is ready to
// use: it skips resources the mapping does not use, with a warning.
type Reader struct {
	// Strict refuses a Bundle with a resource of a type the mapping does not
	// use (an Observation, an Encounter, …) instead of skipping it, and
	// whatever else the zero Reader skips with a warning (an Appointment of
	// a message that MessageHeader.focus does not name). The header of a
	// document or message (its Composition or MessageHeader) is read, not
	// skipped.
	Strict bool
	// Canonical is the canonical base of the extensions, code systems and
	// participant identifier system read: the URL of an extension is
	// Conformance{Canonical: Canonical}.ExtensionURL(name), of a code
	// system CodeSystemURL(id), as a Writer with the same Canonical writes
	// them. "" means DefaultCanonical; otherwise an absolute http or https
	// URL without user, query or fragment (ErrCanonical), whose trailing
	// slash is dropped. An extension
	// of the mapping under another base (its URL ends in
	// "/StructureDefinition/" + the name of one that the element may have)
	// is a mapping error at its path, not skipped: the EHR and collabmeet
	// were configured with different bases, and reading on without it would
	// check a meeting that is not the one booked.
	Canonical string
}

// Read decodes data with Unmarshal and maps the Bundle with ReadBundle.
func (rd Reader) Read(data []byte) (*casedoc.Case, *Source, error) {
	b, err := Unmarshal(data)
	if err != nil {
		return nil, nil, err
	}
	return rd.ReadBundle(b)
}

// ReadBundle maps a Bundle to a case, and validates the case with casedoc's
// Validate. The Source tells where in the Bundle each part of the case came
// from, and lists the warnings (the resources skipped); it is returned, with
// what it knows, also with an error. The errors are those of ToCase.
func (rd Reader) ReadBundle(b *Bundle) (*casedoc.Case, *Source, error) {
	src := &Source{refs: map[uuid.UUID]string{}, exprs: map[string]string{}}
	if b == nil {
		return nil, src, mappingError("Bundle", "is required")
	}
	base, err := CanonicalBase(rd.Canonical)
	if err != nil {
		return nil, src, err
	}
	r := newReader(b, rd.Strict, src, base)
	c := r.read()
	if err := r.problems.Err(); err != nil {
		err.(*validation.Error).Err = ErrMapping
		return nil, src, err
	}
	if err := c.Validate(); err != nil {
		return nil, src, err
	}
	return c, src, nil
}

// Source is where a case read from a Bundle came from: for a report to point
// an EHR at its own records. It holds ids, references and element paths of
// the Bundle, never free text or identifiers. A nil *Source knows nothing.
type Source struct {
	refs     map[uuid.UUID]string // case UUID → "Type/id" (or the fullUrl)
	exprs    map[string]string    // case path → FHIR expression
	warnings []validation.Problem
}

// Reference returns the reference in the Bundle of the resource that a case
// UUID came from, as "Type/id" ("Practitioner/abc"), or its fullUrl when the
// resource has no id; "" when the UUID came from no resource (the ID of a
// participant outside the Bundle, say).
func (s *Source) Reference(id uuid.UUID) string {
	if s == nil {
		return ""
	}
	return s.refs[id]
}

// Expression returns the FHIR element that the case path came from, as a
// FHIRPath expression rooted at the Bundle:
// "meeting.participants[3]" → "Bundle.entry[0].resource.participant[3]",
// "plan.actions[1].owner_id" → "Bundle.entry[21].resource.owner". A case path
// with no element of its own (a field the Bundle left out, which a finding
// may well be about) gives the expression of its nearest enclosing path that
// has one, down to "meeting", "consents[i]" and "plan"; "" when there is none.
func (s *Source) Expression(casePath string) string {
	if s == nil {
		return ""
	}
	for p := casePath; p != ""; p = parentPath(p) {
		if e, ok := s.exprs[p]; ok {
			return e
		}
	}
	return ""
}

// Warnings returns what was read but not used: one problem per skipped
// resource, at its entry ("Bundle.entry[5].resource"), naming only its type
// (and, for an Appointment of a message that is not the meeting, the entry
// of the one that is).
func (s *Source) Warnings() []validation.Problem {
	if s == nil {
		return nil
	}
	return s.warnings
}

// parentPath strips the last member or index of a case path:
// "a.b[2].c" → "a.b[2]" → "a.b" → "a" → "".
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}
