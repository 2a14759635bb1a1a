package fhir

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
)

// ErrMapping is wrapped by the error of ToCase and Unmarshal for a Bundle
// that is well-formed but cannot be mapped to a case: a missing or unknown
// resource, a reference to no entry, a code with no meaning in the case.
var ErrMapping = errors.New("FHIR Bundle cannot be mapped to a case")

// ToCase converts a FHIR R4 Bundle to a case, and validates the case with
// casedoc's Validate. A Bundle that cannot be mapped gives a
// *validation.Error wrapping ErrMapping, with every problem found, each at the
// path of its FHIR element (Bundle.entry[3].resource.participant[1].actor.reference);
// a Bundle that maps to an invalid case gives the *validation.Error of
// Validate, at case paths (meeting.participants[1].sector). Messages never
// quote free text.
//
// ToCase is Reader{}.ReadBundle without the Source: a resource the mapping
// does not use is skipped.
func ToCase(b *Bundle) (*casedoc.Case, error) {
	c, _, err := Reader{}.ReadBundle(b)
	return c, err
}

func mappingError(path, msg string) error {
	return &validation.Error{Problems: []validation.Problem{{Path: path, Message: msg}}, Err: ErrMapping}
}

// reader maps one Bundle to a case.
type reader struct {
	b        *Bundle
	strict   bool
	base     string  // the canonical base of the extensions
	sys      systems // the code systems and identifier system under base
	extBase  string  // the URL of an extension without its name: base + "/StructureDefinition/"
	src      *Source
	problems validation.List
	byURL    map[string]int // fullUrl → entry index
	byTypeID map[string]int // "Type/id" → entry index, ambiguous when two entries have it
	ids      map[int]uuid.UUID
	persons  map[int]uuid.UUID
	roles    map[int]int        // PractitionerRole entry → entry of its participant, -1 when it has none
	viaRole  map[uuid.UUID]bool // participant IDs whose Source reference is a PractitionerRole's
	patient  int                // entry index of the patient, or -1
	meeting  int                // entry index of the meeting's Appointment, or -1
	cur      int                // entry index of the resource being read, whose fullUrl relative references resolve against
}

// ambiguous marks a "Type/id" of more than one entry in reader.byTypeID.
const ambiguous = -2

func newReader(b *Bundle, strict bool, src *Source, base string) *reader {
	return &reader{b: b, strict: strict, src: src, base: base, sys: systemsAt(base), extBase: extensionURL(base, ""), byURL: map[string]int{}, byTypeID: map[string]int{},
		ids: map[int]uuid.UUID{}, persons: map[int]uuid.UUID{}, roles: map[int]int{}, viaRole: map[uuid.UUID]bool{}, patient: -1, meeting: -1}
}

// extURL returns the URL of the extension of the mapping named name.
func (r *reader) extURL(name string) string { return extensionURL(r.base, name) }

func (r *reader) addf(path, format string, args ...any) { r.problems.Addf(path, format, args...) }

// rec records that the case path came from the FHIR element at fhirPath.
func (r *reader) rec(casePath, fhirPath string) {
	if casePath != "" {
		r.src.exprs[casePath] = fhirPath
	}
}

// enter makes entry i the one being read, and returns what restores the
// one before.
func (r *reader) enter(i int) func() {
	old := r.cur
	r.cur = i
	return func() { r.cur = old }
}

// typeName is a resourceType as it may be printed: a name, or a description.
func typeName(s string) string {
	ok := s != "" && len(s) <= 64 && s[0] >= 'A' && s[0] <= 'Z'
	for _, c := range s {
		ok = ok && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
	}
	if !ok {
		return "(a resource type that is not a name)"
	}
	return s
}

func entryPath(i int) string { return fmt.Sprintf("Bundle.entry[%d].resource", i) }

func (r *reader) read() *casedoc.Case {
	b := r.b
	if b.ResourceType != "Bundle" && b.ResourceType != "" {
		r.addf("Bundle.resourceType", "is %s, want Bundle", quoteCode(b.ResourceType))
		return nil
	}
	var appts, teams, plans, tasks []int
	var consents []int
	header := -1 // the entry of the Composition of a document, or the MessageHeader of a message
	for i, e := range b.Entry {
		if isNil(e.Resource) {
			r.addf(fmt.Sprintf("Bundle.entry[%d].resource", i), "is required")
			continue
		}
		if e.FullURL != "" {
			if first, ok := r.byURL[e.FullURL]; ok {
				r.addf(fmt.Sprintf("Bundle.entry[%d].fullUrl", i), "is also the fullUrl of Bundle.entry[%d]", first)
			} else {
				r.byURL[e.FullURL] = i
			}
		}
		if id := e.Resource.ResourceID(); id != "" {
			key := e.Resource.TypeName() + "/" + id
			if _, ok := r.byTypeID[key]; ok {
				r.byTypeID[key] = ambiguous
			} else {
				r.byTypeID[key] = i
			}
		}
		switch e.Resource.(type) {
		case *Composition, *MessageHeader:
			if i == 0 && headerTypes[b.Type] == e.Resource.TypeName() {
				header = i
				r.modifiers(i)
				continue
			}
			// A Composition or MessageHeader that is not the header of its
			// Bundle is a resource the mapping does not use.
			r.unused(i)
			continue
		case *OtherResource:
			r.unused(i)
			continue
		}
		if personalIDIn(e.Resource.ResourceID(), identifiersOf(e.Resource)) {
			r.addf(entryPath(i)+".id", "looks like a personal identifier (a fødselsnummer, D-nummer or another Norwegian identifier of the resource): ids are kept to point at the EHR's records, so they must not be personal identifiers")
		} else if personalIDIn(e.FullURL, identifiersOf(e.Resource)) {
			r.addf(fmt.Sprintf("Bundle.entry[%d].fullUrl", i), "looks like it holds a personal identifier (a fødselsnummer, D-nummer or another Norwegian identifier of the resource): it is kept to point at the EHR's records, so it must not hold personal identifiers")
		}
		switch e.Resource.(type) {
		case *Appointment:
			appts = append(appts, i)
		case *CareTeam:
			teams = append(teams, i)
		case *Consent:
			consents = append(consents, i)
		case *CarePlan:
			plans = append(plans, i)
		case *Task:
			tasks = append(tasks, i)
		case *Patient, *Practitioner, *PractitionerRole, *RelatedPerson, *Organization, *Goal:
		default:
			r.addf(fmt.Sprintf("Bundle.entry[%d].resource.resourceType", i), "%s is not mapped to the case (want one of %s)",
				quoteCode(e.Resource.TypeName()), resourceTypes)
		}
		if _, isAppt := e.Resource.(*Appointment); !isAppt {
			r.modifiers(i) // an Appointment's below, unless it is skipped
		}
	}
	r.header(header)
	one := func(what string, found []int) int {
		switch len(found) {
		case 0:
			r.addf("Bundle.entry", "has no %s: a case needs exactly one", what)
			return -1
		case 1:
			return found[0]
		}
		r.addf(entryPath(found[1]), "is a second %s (the first is Bundle.entry[%d]): a case has exactly one", what, found[0])
		return -1
	}
	var ai int
	skipped := map[int]bool{}
	if focused, ok := r.focus(header, appts); ok {
		ai = focused
		for _, i := range appts {
			if ai >= 0 && i != ai {
				skipped[i] = true
				r.skip(i, fmt.Sprintf("is an Appointment that MessageHeader.focus does not name (the meeting is Bundle.entry[%d])", ai))
			}
		}
	} else {
		ai = one("Appointment", appts)
	}
	for _, i := range appts {
		if !skipped[i] {
			r.modifiers(i)
		}
	}
	r.meeting = ai
	ti := one("CareTeam", teams)
	if len(plans) > 1 {
		r.addf(entryPath(plans[1]), "is a second CarePlan (the first is Bundle.entry[%d]): a case has at most one", plans[0])
	}
	if ai < 0 || ti < 0 || len(r.problems.Problems) > 0 {
		return nil
	}
	c := &casedoc.Case{}
	team := r.careTeam(ti, &c.Meeting)
	r.compositionSubject(header)
	r.appointment(ai, &c.Meeting, team)
	for _, i := range consents {
		c.Consents = append(c.Consents, r.consent(i, len(c.Consents)))
	}
	if len(plans) == 1 {
		c.Plan = r.carePlan(plans[0], tasks)
	} else {
		for _, t := range tasks {
			r.addf(entryPath(t), "is a Task but the Bundle has no CarePlan: every Task must be an activity of the CarePlan")
		}
	}
	return c
}

// isNil reports whether res is nil, or a nil pointer of a resource type (in
// a Bundle built in Go), which the reader treats alike.
func isNil(res Resource) bool {
	if res == nil {
		return true
	}
	v := reflect.ValueOf(res)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// modifiers reports a modifierExtension anywhere in the subset of entry i:
// it may change the meaning of its element, so it cannot be ignored.
func (r *reader) modifiers(i int) {
	p := entryPath(i)
	check := func(path string, ext []Extension) {
		if len(ext) > 0 {
			r.addf(path+".modifierExtension", "is not understood: a modifier extension may change the meaning of its element")
		}
	}
	switch x := r.b.Entry[i].Resource.(type) {
	case *Appointment:
		check(p, x.ModifierExtension)
		for k := range x.Participant {
			check(fmt.Sprintf("%s.participant[%d]", p, k), x.Participant[k].ModifierExtension)
		}
	case *CareTeam:
		check(p, x.ModifierExtension)
		for k := range x.Participant {
			check(fmt.Sprintf("%s.participant[%d]", p, k), x.Participant[k].ModifierExtension)
		}
	case *Consent:
		check(p, x.ModifierExtension)
		if x.Provision != nil {
			check(p+".provision", x.Provision.ModifierExtension)
		}
	case *CarePlan:
		check(p, x.ModifierExtension)
		for k := range x.Contained {
			check(fmt.Sprintf("%s.contained[%d]", p, k), x.Contained[k].ModifierExtension)
		}
		for k := range x.Activity {
			check(fmt.Sprintf("%s.activity[%d]", p, k), x.Activity[k].ModifierExtension)
		}
	case *Task:
		check(p, x.ModifierExtension)
	case *Goal:
		check(p, x.ModifierExtension)
	case *Patient:
		check(p, x.ModifierExtension)
	case *Practitioner:
		check(p, x.ModifierExtension)
	case *PractitionerRole:
		check(p, x.ModifierExtension)
	case *RelatedPerson:
		check(p, x.ModifierExtension)
	case *Organization:
		check(p, x.ModifierExtension)
	case *Composition:
		check(p, x.ModifierExtension)
	case *MessageHeader:
		check(p, x.ModifierExtension)
	}
}

// headerRules are the FHIR invariants that put a Bundle's header first.
var headerRules = map[string]string{"document": "bdl-11", "message": "bdl-12"}

// unused skips entry i, a resource the mapping does not use: with a warning,
// or, for a strict Reader, as an error.
func (r *reader) unused(i int) {
	t := quoteCode(r.b.Entry[i].Resource.TypeName())
	if r.strict {
		r.addf(entryPath(i)+".resourceType", "%s is not mapped to the case (want one of %s)", t, resourceTypes)
		return
	}
	r.src.warnings = append(r.src.warnings, validation.Problem{Path: entryPath(i),
		Message: t + " is not used by the mapping to a case, and was skipped"})
}

// skip skips entry i, of a type the mapping uses, for the reason given
// ("is an Appointment that …"): with a warning, or, for a strict Reader,
// which skips nothing, as an error.
func (r *reader) skip(i int, why string) {
	if r.strict {
		r.addf(entryPath(i), "%s: a strict Reader skips nothing", why)
		return
	}
	r.src.warnings = append(r.src.warnings, validation.Problem{Path: entryPath(i), Message: why + ", and was skipped"})
}

// header reports a document without its Composition first (FHIR rule
// bdl-11) or a message without its MessageHeader first (bdl-12); h is the
// entry of the header found, -1 when none.
func (r *reader) header(h int) {
	want, ok := headerTypes[r.b.Type]
	if !ok || h >= 0 {
		return
	}
	rule := headerRules[r.b.Type]
	if len(r.b.Entry) == 0 {
		r.addf("Bundle.entry", "is empty: a %s Bundle starts with its %s (FHIR rule %s)", r.b.Type, want, rule)
		return
	}
	got := r.b.Entry[0].Resource
	switch {
	case isNil(got): // reported: Bundle.entry[0].resource is required
	case got.TypeName() == want:
		// An *OtherResource of the type, in a Bundle built in Go.
		r.addf(entryPath(0), "is a %s the Reader cannot read: give it as a *fhir.%s", want, want)
	default:
		r.addf(entryPath(0), "is %s, want the %s: a %s Bundle starts with its %s (FHIR rule %s)",
			withArticle(typeName(got.TypeName())), want, r.b.Type, want, rule)
	}
}

// withArticle puts "a" or "an" before a resource type name.
func withArticle(name string) string {
	switch {
	case name == "" || name[0] == '(': // a description, from typeName
		return name
	case strings.IndexByte("AEIOU", name[0]) >= 0:
		return "an " + name
	}
	return "a " + name
}

// focus reads MessageHeader.focus, when entry h is the MessageHeader of a
// message: every focus must be an entry of the Bundle. When the Bundle holds
// more than one Appointment, the one that focus names is the meeting: focus
// returns its entry (or -1, having reported that focus names none, or two)
// and true; otherwise it returns false, and the meeting is the one
// Appointment of the Bundle.
func (r *reader) focus(h int, appts []int) (int, bool) {
	mh, ok := r.entryResource(h).(*MessageHeader)
	if !ok {
		return -1, false
	}
	defer r.enter(h)()
	p := entryPath(h)
	chosen, chosenPath := -1, ""
	for k := range mh.Focus {
		fp := fmt.Sprintf("%s.focus[%d]", p, k)
		if mh.Focus[k].Reference == "" {
			// A focus by identifier only cannot be told from a record of
			// another patient: the message must carry what it is about.
			r.addf(fp+".reference", "is required: the focus of a message is an entry of the Bundle")
			continue
		}
		i, ok := r.resolve(&mh.Focus[k], fp)
		if !ok || len(appts) < 2 {
			continue
		}
		if _, isAppt := r.b.Entry[i].Resource.(*Appointment); !isAppt {
			continue
		}
		switch {
		case chosen < 0:
			chosen, chosenPath = i, fp
		case i != chosen:
			r.addf(fp+".reference", "is a second Appointment in focus (the first is in %s): the Bundle holds more than one, and focus must name the one meeting", chosenPath)
			return -1, true
		}
	}
	if len(appts) < 2 {
		return -1, false
	}
	if chosen < 0 {
		r.addf(p+".focus", "names none of the %d Appointments of the Bundle: a message with more than one names the meeting in focus", len(appts))
	}
	return chosen, true
}

// compositionSubject checks, when entry h is the Composition of a document
// with a subject, that the subject is the patient of the meeting (that of
// the CareTeam): a document about another patient must not be read as this
// patient's meeting. FHIR's rules for documents put every resource the
// Composition refers to in the Bundle, so the subject must be an entry.
func (r *reader) compositionSubject(h int) {
	comp, ok := r.entryResource(h).(*Composition)
	if !ok || comp.Subject == nil {
		return
	}
	defer r.enter(h)()
	p := entryPath(h) + ".subject"
	if comp.Subject.Reference == "" {
		r.addf(p+".reference", "is required: the subject of a document is an entry of the Bundle")
		return
	}
	if si, ok := r.resolveTo(comp.Subject, p, "Patient"); ok && r.patient >= 0 && si != r.patient {
		r.addf(p+".reference", "is not the patient of the CareTeam: the document is about another patient than the meeting")
	}
}

// fhirID is the grammar of a FHIR id.
var fhirID = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

// entryID is the case UUID of entry i: its id when that is a UUID, else its
// urn:uuid fullUrl when it has no id, else the version 5 UUID (IDNamespace)
// of its fullUrl, or of "Type/id" when it has no fullUrl. The Source keeps
// the original reference of the UUID.
func (r *reader) entryID(i int) (uuid.UUID, bool) {
	if id, ok := r.ids[i]; ok {
		return id, id != uuid.Nil
	}
	e := r.b.Entry[i]
	var id uuid.UUID
	s := e.Resource.ResourceID()
	switch {
	case s != "" && !fhirID.MatchString(s):
		r.addf(entryPath(i)+".id", "is not a FHIR id (1 to 64 letters, digits, '-' and '.')")
	case len(s) == 36 && uuid.Validate(s) == nil:
		id = uuid.MustParse(s)
	case s == "":
		if u, ok := parseURN(e.FullURL); ok {
			id = u
		} else if e.FullURL != "" {
			id = uuid.NewSHA1(IDNamespace, []byte(e.FullURL))
		} else {
			r.addf(entryPath(i)+".id", "is required: the case needs an id or a fullUrl to identify the resource")
		}
	case e.FullURL != "":
		id = uuid.NewSHA1(IDNamespace, []byte(e.FullURL))
	default:
		id = uuid.NewSHA1(IDNamespace, []byte(e.Resource.TypeName()+"/"+s))
	}
	r.ids[i] = id
	r.keepReference(id, i)
	return id, id != uuid.Nil
}

// keepReference records in the Source the original reference of a case UUID
// that came from entry i (the first entry to give it wins).
func (r *reader) keepReference(id uuid.UUID, i int) {
	if id == uuid.Nil {
		return
	}
	if _, ok := r.src.refs[id]; ok {
		return
	}
	r.src.refs[id] = r.original(i)
}

// original is the reference of entry i as the EHR knows it: "Type/id", or
// its fullUrl when the resource has no id.
func (r *reader) original(i int) string {
	e := r.b.Entry[i]
	if s := e.Resource.ResourceID(); s != "" {
		return e.Resource.TypeName() + "/" + s
	}
	return e.FullURL
}

// parseURN parses "urn:uuid:" followed by a UUID in its canonical form.
func parseURN(s string) (uuid.UUID, bool) {
	rest, ok := strings.CutPrefix(s, "urn:uuid:")
	if !ok || len(rest) != 36 {
		return uuid.Nil, false
	}
	u, err := uuid.Parse(rest)
	return u, err == nil
}

// relativeRef is a relative reference "Type/id", optionally with a version.
var relativeRef = regexp.MustCompile(`^([A-Z][A-Za-z]{0,63})/([A-Za-z0-9\-.]{1,64})(/_history/[A-Za-z0-9\-.]{1,64})?$`)

// restfulURL is a fullUrl that ends in "Type/id": what a relative reference
// of its resource resolves against.
var restfulURL = regexp.MustCompile(`^(https?://.+)/[A-Z][A-Za-z]{0,63}/[A-Za-z0-9\-.]{1,64}(/_history/[A-Za-z0-9\-.]{1,64})?$`)

// resolve returns the index of the entry that ref refers to, reporting a
// reference to no entry at path (the Reference element). It follows the
// rules of FHIR R4 for references in a Bundle: a reference that is a fullUrl
// of the Bundle is to that entry; a relative one ("Type/id", with or without
// "/_history/v") is resolved against the base of the fullUrl of the entry
// that holds it, when that fullUrl is a RESTful URL, and otherwise, or when
// that gives no entry, is to the entry whose resource has that type and id.
func (r *reader) resolve(ref *Reference, path string) (int, bool) {
	if ref.Reference == "" {
		r.addf(path+".reference", "is required")
		return -1, false
	}
	i, msg := r.lookup(ref.Reference)
	if msg != "" {
		r.addf(path+".reference", "%s", msg)
		return -1, false
	}
	return i, true
}

// lookup is resolve without reporting: the entry, or why there is none.
func (r *reader) lookup(ref string) (int, string) {
	if i, ok := r.byURL[ref]; ok {
		return i, ""
	}
	if m := relativeRef.FindStringSubmatch(ref); m != nil {
		typeID := m[1] + "/" + m[2]
		if r.cur >= 0 && r.cur < len(r.b.Entry) {
			if base := restfulURL.FindStringSubmatch(r.b.Entry[r.cur].FullURL); base != nil {
				if i, ok := r.byURL[base[1]+"/"+typeID]; ok {
					return i, ""
				}
			}
		}
		switch i, ok := r.byTypeID[typeID]; {
		case ok && i == ambiguous:
			return -1, "refers to more than one entry (by type and id): give the fullUrl"
		case ok:
			return i, ""
		}
	}
	return -1, "refers to no entry"
}

// resolveTo is resolve for a reference that must be to a resource of one of
// the named types.
func (r *reader) resolveTo(ref *Reference, path string, types ...string) (int, bool) {
	i, ok := r.resolve(ref, path)
	if !ok {
		return -1, false
	}
	got := r.b.Entry[i].Resource.TypeName()
	for _, t := range types {
		if got == t {
			return i, true
		}
	}
	r.addf(path+".reference", "refers to a %s, want %s", typeName(got), strings.Join(types, " or "))
	return -1, false
}

// person returns the participant ID that ref names: the participant of the
// Patient, Practitioner, PractitionerRole or RelatedPerson it refers to, or
// the participant-id identifier of a reference that names a participant
// outside the Bundle. entry is the index of the participant's resource (for a
// PractitionerRole, that of its Practitioner, or of the PractitionerRole
// itself when it has none), or -1.
func (r *reader) person(ref *Reference, path string) (id uuid.UUID, entry int, ok bool) {
	id, entry, _, ok = r.member(ref, path)
	return id, entry, ok
}

// member is person, and also gives the entry of the PractitionerRole that ref
// refers to (-1 when it refers to no PractitionerRole).
func (r *reader) member(ref *Reference, path string) (id uuid.UUID, entry, role int, ok bool) {
	if ref.Reference == "" && ref.Identifier != nil && ref.Identifier.System == r.sys.participantID {
		u, ok := parseURN(ref.Identifier.Value)
		if !ok {
			r.addf(path+".identifier.value", "is not a urn:uuid participant ID")
		}
		return u, -1, -1, ok
	}
	if ref.Reference == "" {
		r.addf(path, "has neither a reference nor an identifier of system %s", r.sys.participantID)
		return uuid.Nil, -1, -1, false
	}
	i, ok := r.resolveTo(ref, path, "Patient", "Practitioner", "PractitionerRole", "RelatedPerson")
	if !ok {
		return uuid.Nil, -1, -1, false
	}
	if _, isRole := r.b.Entry[i].Resource.(*PractitionerRole); !isRole {
		id, ok = r.personID(i)
		return id, i, -1, ok
	}
	e, ok := r.followRole(i)
	if !ok {
		return uuid.Nil, -1, -1, false
	}
	id, ok = r.personID(e)
	if ok && !r.viaRole[id] {
		// The participant came in as a PractitionerRole: the EHR's own
		// record of it is the PractitionerRole (the first one referred to).
		r.viaRole[id] = true
		r.src.refs[id] = r.original(i)
	}
	return id, e, i, ok
}

// followRole returns the entry of the participant that the PractitionerRole
// of entry i stands for: the Practitioner of the Bundle that its practitioner
// refers to, or the PractitionerRole itself when it has no practitioner
// reference (none, or only a display or an identifier, which is not read). A
// practitioner reference to no entry, or to anything but a Practitioner, is
// an error at the PractitionerRole's element, reported once.
func (r *reader) followRole(i int) (int, bool) {
	if e, ok := r.roles[i]; ok {
		return e, e >= 0
	}
	r.roles[i] = -1
	defer r.enter(i)()
	pr := r.b.Entry[i].Resource.(*PractitionerRole)
	e := i
	if pr.Practitioner != nil && pr.Practitioner.Reference != "" {
		pi, ok := r.resolveTo(pr.Practitioner, entryPath(i)+".practitioner", "Practitioner")
		if !ok {
			return -1, false
		}
		e = pi
	}
	r.roles[i] = e
	return e, true
}

// personID is the participant ID of the person in entry i: its identifier of
// system participant-id, or else the entry's UUID.
func (r *reader) personID(i int) (uuid.UUID, bool) {
	if id, ok := r.persons[i]; ok {
		return id, id != uuid.Nil
	}
	var ids []Identifier
	switch x := r.b.Entry[i].Resource.(type) {
	case *Patient:
		ids = x.Identifier
	case *Practitioner:
		ids = x.Identifier
	case *PractitionerRole: // one with no practitioner, which stands for the participant
		ids = x.Identifier
	case *RelatedPerson:
		ids = x.Identifier
	}
	var id uuid.UUID
	found := false
	for k, ident := range ids {
		if ident.System != r.sys.participantID {
			continue
		}
		path := fmt.Sprintf("%s.identifier[%d]", entryPath(i), k)
		if found {
			r.addf(path, "is a second identifier of system %s", r.sys.participantID)
			continue
		}
		found = true
		u, ok := parseURN(ident.Value)
		if !ok {
			r.addf(path+".value", "is not a urn:uuid participant ID")
		}
		id = u
		r.keepReference(id, i)
	}
	if !found {
		id, _ = r.entryID(i)
	}
	r.persons[i] = id
	return id, id != uuid.Nil
}

// entryResource is the resource of entry i, or nil when i is no entry.
func (r *reader) entryResource(i int) Resource {
	if i < 0 || i >= len(r.b.Entry) {
		return nil
	}
	return r.b.Entry[i].Resource
}

// nameElement is the element of entry i that personName reads.
func nameElement(b *Bundle, i int) string {
	if _, ok := b.Entry[i].Resource.(*PractitionerRole); ok {
		return entryPath(i) + ".practitioner.display"
	}
	return entryPath(i) + ".name"
}

func personName(res Resource) string {
	var names []HumanName
	switch x := res.(type) {
	case *Patient:
		names = x.Name
	case *Practitioner:
		names = x.Name
	case *RelatedPerson:
		names = x.Name
	case *PractitionerRole: // one with no practitioner in the Bundle: R4 gives it no name
		if x.Practitioner != nil {
			return x.Practitioner.Display
		}
	}
	for _, n := range names {
		if n.Text != "" {
			return n.Text
		}
	}
	return ""
}

// teamMember is what the CareTeam says about one person.
type teamMember struct {
	path     string // of the CareTeam.participant
	roles    string // of the CareTeam.participant.role
	orgPath  string // of the reference to the organisation, "" when none
	role     meeting.Role
	hasRole  bool
	sector   meeting.Sector
	org      string
	attended bool // is a participant of the Appointment
}

func (r *reader) careTeam(i int, m *meeting.Meeting) map[int]*teamMember {
	defer r.enter(i)()
	ct := r.b.Entry[i].Resource.(*CareTeam)
	p := entryPath(i)
	if ct.Subject == nil {
		r.addf(p+".subject", "is required: the patient of the case")
	} else if pi, ok := r.resolveTo(ct.Subject, p+".subject", "Patient"); ok {
		r.patient = pi
		m.PatientID, _ = r.entryID(pi)
		r.rec("meeting.patient_id", p+".subject")
	}
	team := map[int]*teamMember{}
	for k := range ct.Participant {
		cp := &ct.Participant[k]
		pp := fmt.Sprintf("%s.participant[%d]", p, k)
		if cp.Member == nil {
			r.addf(pp+".member", "is required")
			continue
		}
		_, e, role, ok := r.member(cp.Member, pp+".member")
		if !ok {
			continue
		}
		if e < 0 {
			r.addf(pp+".member.reference", "is required: a member of the CareTeam is an entry of the Bundle")
			continue
		}
		if _, dup := team[e]; dup {
			r.addf(pp+".member.reference", "refers to a member listed before in the CareTeam")
			continue
		}
		tm := &teamMember{path: pp, roles: pp + ".role"}
		if code, cpath, ok := r.code(cp.Role, pp+".role", r.sys.role, false); ok {
			tm.role, tm.hasRole = enumCode(r, cpath, code, meeting.Roles())
		}
		if code, cpath, ok := r.code(cp.Role, pp+".role", r.sys.sector, true); ok {
			tm.sector, _ = enumCode(r, cpath, code, meeting.Sectors())
		}
		ext := r.extensions("CareTeam.participant", cp.Extension, pp+".extension", "")
		orgRef, orgPath := cp.OnBehalfOf, pp+".onBehalfOf"
		if x, xp := ext.one(ExtOrganization); x != nil {
			if orgRef != nil {
				r.addf(xp, "contradicts onBehalfOf: give the organisation once")
			}
			orgRef, orgPath = r.valueReference(x, xp), xp+".valueReference"
			tm.orgPath = xp
		} else if orgRef != nil {
			tm.orgPath = orgPath
		}
		ext.done()
		oi, ok := -1, false
		if orgRef != nil {
			oi, ok = r.resolveTo(orgRef, orgPath, "Organization")
		}
		// A member that is a PractitionerRole may give the organisation as
		// PractitionerRole.organization (R4 allows onBehalfOf only for a
		// Practitioner member, ctm-1).
		if pr, isRole := r.entryResource(role).(*PractitionerRole); isRole && pr.Organization != nil {
			rp := entryPath(role) + ".organization"
			restore := r.enter(role)
			ri, rok := r.resolveTo(pr.Organization, rp, "Organization")
			restore()
			switch {
			case orgRef == nil:
				oi, ok, tm.orgPath = ri, rok, rp
			case ok && rok && ri != oi:
				r.addf(tm.orgPath, "contradicts %s: give the organisation once", rp)
			}
		}
		if ok {
			tm.org = r.b.Entry[oi].Resource.(*Organization).Name
			if tm.org == "" {
				r.addf(entryPath(oi)+".name", "is required: the organisation's name")
			}
		}
		team[e] = tm
	}
	return team
}

func (r *reader) appointment(i int, m *meeting.Meeting, team map[int]*teamMember) {
	defer r.enter(i)()
	a := r.b.Entry[i].Resource.(*Appointment)
	p := entryPath(i)
	r.rec("meeting", p)
	r.rec("meeting.id", p+".id")
	m.ID, _ = r.entryID(i)
	r.rec("meeting.status", p+".status")
	m.Status = reverse(r, p+".status", a.Status, appointmentStatus)
	r.rec("meeting.kind", p+".serviceType")
	if code, cpath, ok := r.code(a.ServiceType, p+".serviceType", r.sys.kind, true); ok {
		m.Kind, _ = enumCode(r, cpath, code, meeting.Kinds())
	}
	r.rec("meeting.start", p+".start")
	m.Start = r.time(a.Start, p+".start", true)
	r.duration(a, p, m)

	ext := r.extensions("Appointment", a.Extension, p+".extension", "meeting")
	if x, xp := ext.one(ExtMeetingFormat); x != nil {
		m.Format, _ = enumCode(r, xp+".valueCode", r.valueCode(x, xp), meeting.Formats())
	} else {
		r.addf(p+".extension", "needs the extension %s (the meeting format)", r.extURL(ExtMeetingFormat))
	}
	if x, xp := ext.one(ExtVideoService); x != nil {
		m.Platform = r.valueString(x, xp)
	}
	m.LeaderID = r.personExt(ext, ExtMeetingLeader)
	m.MinuteTakerID = r.personExt(ext, ExtMinuteTaker)
	m.PlanUpdaterID = r.personExt(ext, ExtPlanUpdater)
	if x, xp := ext.one(ExtPathway); x != nil {
		sub := r.complex(x, xp, "meeting.pathway")
		m.Pathway = &meeting.Pathway{
			ReferralReceivedAt:  sub.time("referral-received-at"),
			AssessmentStartedAt: sub.time("assessment-started-at"),
		}
		sub.done()
	}
	for _, ix := range ext.all(ExtAgendaItem) {
		sub := r.complex(ix.ext, ix.path, fmt.Sprintf("meeting.agenda[%d]", len(m.Agenda)))
		it := meeting.AgendaItem{ID: sub.uuid("id", true)}
		if x, xp := sub.one("kind"); x != nil {
			it.Kind, _ = enumCode(r, xp+".valueCode", r.valueCode(x, xp), meeting.ItemKinds())
		} else {
			r.addf(ix.path+".extension", "needs the sub-extension kind")
		}
		it.Title = sub.str("title")
		it.Minutes = sub.unsigned("minutes")
		it.LeadID = sub.person("lead")
		it.ProfessionalsOnly = sub.flag("professionals-only")
		it.Recap = sub.flag("recap")
		it.Sensitive = sub.flag("sensitive")
		it.PatientSpeaksFirst = sub.flag("patient-speaks-first")
		sub.done()
		m.Agenda = append(m.Agenda, it)
	}
	if x, xp := ext.one(ExtPreparation); x != nil {
		sub := r.complex(x, xp, "meeting.preparation")
		m.Preparation = &meeting.Preparation{
			AgendaSentAt:           sub.time("agenda-sent-at"),
			ParticipantsSentAt:     sub.time("participants-sent-at"),
			SentTo:                 sub.persons("sent-to"),
			ClinicalNotesSentAt:    sub.time("clinical-notes-sent-at"),
			ClinicalNotesSentTo:    sub.persons("clinical-notes-sent-to"),
			SuggestedActionsSentAt: sub.time("suggested-actions-sent-at"),
			PreMeetingContact:      sub.persons("pre-meeting-contact"),
		}
		sub.done()
	}
	ext.done()

	seen := map[int]int{}
	for k := range a.Participant {
		ap := &a.Participant[k]
		pp := fmt.Sprintf("%s.participant[%d]", p, k)
		if placeholder := r.extensions("Appointment.participant", ap.Extension, pp+".extension", ""); r.flagExt(placeholder, ExtNoParticipants) {
			if len(a.Participant) != 1 || ap.Actor != nil {
				r.addf(pp+".extension", "marks a placeholder for a meeting without participants, which must be the only participant and have no actor")
			}
			continue
		}
		var mp meeting.Participant
		mpath := fmt.Sprintf("meeting.participants[%d]", len(m.Participants))
		r.rec(mpath, pp)
		r.rec(mpath+".id", pp+".actor")
		r.rec(mpath+".role", pp+".type")
		if code, cpath, ok := r.code(ap.Type, pp+".type", r.sys.role, true); ok {
			mp.Role, _ = enumCode(r, cpath, code, meeting.Roles())
		}
		if ap.Status != "" && !strings.Contains(", "+participationStatusValues+", ", ", "+ap.Status+", ") {
			r.addf(pp+".status", "unknown code %s (want one of %s)", quoteCode(ap.Status), participationStatusValues)
		}
		if ap.Actor == nil {
			r.addf(pp+".actor", "is required: the participant")
		} else if id, e, ok := r.person(ap.Actor, pp+".actor"); ok {
			mp.ID = id
			switch {
			case e < 0:
				r.addf(pp+".actor.reference", "is required: a participant is an entry of the Bundle")
			case seen[e] > 0:
				r.addf(pp+".actor.reference", "refers to the actor of participant[%d] too", seen[e]-1)
			default:
				seen[e] = k + 1
				mp.Name = personName(r.b.Entry[e].Resource)
				r.rec(mpath+".name", nameElement(r.b, e))
				if tm := team[e]; tm == nil {
					r.addf(pp+".actor.reference", "refers to no member of the CareTeam, which gives the participant's sector")
				} else {
					tm.attended = true
					mp.Sector, mp.Organization = tm.sector, tm.org
					r.rec(mpath+".sector", tm.roles)
					if tm.orgPath != "" {
						r.rec(mpath+".organization", tm.orgPath)
					}
					if tm.hasRole && mp.Role != "" && tm.role != mp.Role {
						r.addf(tm.path+".role", "contradicts the role in %s.type", pp)
					}
				}
			}
		}
		pe := r.extensions("Appointment.participant", ap.Extension, pp+".extension", mpath)
		if x, xp := pe.one(ExtPurpose); x != nil {
			mp.Purpose = r.valueString(x, xp)
		}
		if x, xp := pe.one(ExtLocation); x != nil {
			mp.Location, _ = enumCode(r, xp+".valueCode", r.valueCode(x, xp), meeting.Locations())
		}
		mp.JoinsAtItem = r.uuidExt(pe, ExtJoinsAtItem)
		mp.LeavesAfterItem = r.uuidExt(pe, ExtLeavesAfterItem)
		mp.AwayItems = r.uuidsExt(pe, ExtAwayItem)
		mp.PriorContact = r.flagExt(pe, ExtPriorContact)
		mp.ChoseLocation = r.flagExt(pe, ExtChoseLocation)
		mp.ChangingSoon = r.flagExt(pe, ExtChangingSoon)
		mp.SuccessorID = r.personExt(pe, ExtSuccessor)
		r.flagExt(pe, ExtNoParticipants) // false here: read above
		pe.done()
		m.Participants = append(m.Participants, mp)
	}
	var unattended []*teamMember
	for _, tm := range team {
		if !tm.attended {
			unattended = append(unattended, tm)
		}
	}
	for _, tm := range sortedByPath(unattended) {
		r.addf(tm.path+".member.reference", "refers to no participant of the Appointment")
	}
}

// duration sets DurationMinutes from minutesDuration, or from end − start.
func (r *reader) duration(a *Appointment, p string, m *meeting.Meeting) {
	end := r.time(a.End, p+".end", false)
	if a.MinutesDuration != nil {
		r.rec("meeting.duration_minutes", p+".minutesDuration")
		m.DurationMinutes = *a.MinutesDuration
		if m.DurationMinutes <= 0 {
			r.addf(p+".minutesDuration", "must be greater than 0")
		} else if m.DurationMinutes > MaxMinutes {
			r.addf(p+".minutesDuration", "is above %d (a day), the longest meeting of the case format", MaxMinutes)
		} else if !end.IsZero() && !m.Start.IsZero() && !end.Equal(m.End()) {
			r.addf(p+".end", "is not start + minutesDuration")
		}
		return
	}
	if end.IsZero() || m.Start.IsZero() {
		if a.End == "" {
			r.addf(p+".end", "is required when minutesDuration is absent: the case needs the duration")
		}
		return
	}
	r.rec("meeting.duration_minutes", p+".end")
	d := end.Sub(m.Start)
	if d <= 0 || d%time.Minute != 0 {
		r.addf(p+".end", "must be a whole number of minutes after start")
		return
	}
	if d > MaxMinutes*time.Minute {
		r.addf(p+".end", "is more than %d minutes (a day) after start, the longest meeting of the case format", MaxMinutes)
		return
	}
	m.DurationMinutes = int(d / time.Minute)
}

func (r *reader) consent(i, n int) consent.Consent {
	defer r.enter(i)()
	fc := r.b.Entry[i].Resource.(*Consent)
	p := entryPath(i)
	cpath := fmt.Sprintf("consents[%d]", n)
	r.rec(cpath, p)
	r.rec(cpath+".id", p+".id")
	var c consent.Consent
	c.ID, _ = r.entryID(i)
	if fc.Patient != nil {
		r.rec(cpath+".patient_id", p+".patient")
		if pi, ok := r.resolveTo(fc.Patient, p+".patient", "Patient"); ok {
			c.PatientID, _ = r.entryID(pi)
		}
	}
	ext := r.extensions("Consent", fc.Extension, p+".extension", cpath)
	if x, xp := ext.one(ExtWithdrawnAt); x != nil {
		c.WithdrawnAt = r.time(r.valueDateTime(x, xp), xp+".valueDateTime", false)
	}
	if x, xp := ext.one(ExtConsentMethod); x != nil {
		c.Method, _ = enumCode(r, xp+".valueCode", r.valueCode(x, xp), consent.Methods())
	}
	c.RecordedBy = r.personExt(ext, ExtRecordedBy)
	ext.done()
	switch fc.Status {
	case "active":
		if !c.WithdrawnAt.IsZero() {
			r.addf(p+".status", "is active but the extension %s says the consent was withdrawn", r.extURL(ExtWithdrawnAt))
		}
	case "inactive":
		if c.WithdrawnAt.IsZero() {
			r.addf(p+".status", "is inactive but has no extension %s (when the patient withdrew it)", r.extURL(ExtWithdrawnAt))
		}
	case "":
		r.addf(p+".status", "is required")
	default:
		r.addf(p+".status", "unknown code %s (want active or inactive)", quoteCode(fc.Status))
	}
	pv := fc.Provision
	if pv == nil {
		r.addf(p+".provision", "is required: who the consent is for, and what it allows")
		return c
	}
	pp := p + ".provision"
	if pv.Type != "" && pv.Type != "permit" {
		r.addf(pp+".type", "is %s: only a permit maps to a consent of the case", quoteCode(pv.Type))
	}
	if len(pv.Provision) > 0 {
		r.addf(pp+".provision", "is not mapped: nested provisions have no meaning in the case")
	}
	if len(pv.Actor) != 1 {
		r.addf(pp+".actor", "has %d actors, want exactly 1 (the grantee)", len(pv.Actor))
	} else if id, _, ok := r.person(&pv.Actor[0].Reference, pp+".actor[0].reference"); ok {
		c.GranteeID = id
		r.rec(cpath+".grantee_id", pp+".actor[0].reference")
	}
	r.rec(cpath+".scopes", pp+".action")
	if len(pv.Action) == 0 {
		r.addf(pp+".action", "is required: what the consent allows")
	}
	for k := range pv.Action {
		ap := fmt.Sprintf("%s.action[%d]", pp, k)
		r.rec(fmt.Sprintf("%s.scopes[%d]", cpath, k), ap)
		if code, cpath, ok := r.code([]CodeableConcept{pv.Action[k]}, ap, r.sys.scope, true); ok {
			s, _ := enumCode(r, strings.Replace(cpath, ap+"[0]", ap, 1), code, consent.Scopes())
			c.Scopes = append(c.Scopes, s)
		}
	}
	if pv.Period != nil {
		r.rec(cpath+".given_at", pp+".period.start")
		r.rec(cpath+".expires_at", pp+".period.end")
		c.GivenAt = r.time(pv.Period.Start, pp+".period.start", false)
		c.ExpiresAt = r.time(pv.Period.End, pp+".period.end", false)
		if !c.GivenAt.IsZero() && !c.ExpiresAt.IsZero() && c.ExpiresAt.Before(c.GivenAt) {
			r.addf(pp+".period.end", "is before start (FHIR invariant per-1)")
		}
	}
	if c.GivenAt.IsZero() {
		if fc.DateTime != "" {
			r.rec(cpath+".given_at", p+".dateTime")
			c.GivenAt = r.time(fc.DateTime, p+".dateTime", true)
		} else if pv.Period == nil || pv.Period.Start == "" {
			r.addf(pp+".period.start", "is required: when the consent was given")
		}
	}
	return c
}

func (r *reader) carePlan(i int, tasks []int) *plan.Plan {
	defer r.enter(i)()
	cp := r.b.Entry[i].Resource.(*CarePlan)
	p := entryPath(i)
	r.rec("plan", p)
	r.rec("plan.id", p+".id")
	r.rec("plan.status", p+".status")
	pl := &plan.Plan{}
	pl.ID, _ = r.entryID(i)
	pl.Status = reverse(r, p+".status", cp.Status, carePlanStatus)
	if cp.Subject == nil {
		r.addf(p+".subject", "is required: the patient")
	} else if si, ok := r.resolveTo(cp.Subject, p+".subject", "Patient"); ok && r.patient >= 0 && si != r.patient {
		r.addf(p+".subject.reference", "is not the patient of the CareTeam")
	}
	meetingRef, meetingPath := -1, ""
	for k := range cp.SupportingInfo {
		ref := &cp.SupportingInfo[k]
		if ref.Reference == "" {
			continue
		}
		// Supporting information may be anything, in the Bundle or not:
		// only a reference to an Appointment is read, the meeting's before
		// any other (a message may hold more than one Appointment).
		si, msg := r.lookup(ref.Reference)
		if msg != "" || meetingRef >= 0 && meetingRef == r.meeting {
			continue
		}
		if _, isAppt := r.b.Entry[si].Resource.(*Appointment); isAppt && (meetingRef < 0 || si == r.meeting) {
			meetingRef, meetingPath = si, fmt.Sprintf("%s.supportingInfo[%d]", p, k)
		}
	}
	if meetingRef >= 0 {
		pl.MeetingID, _ = r.entryID(meetingRef)
		r.rec("plan.meeting_id", meetingPath)
	}
	contained := map[string]int{}
	for k := range cp.Contained {
		g := &cp.Contained[k]
		if g.ResourceType != "" && g.ResourceType != "Goal" {
			r.addf(fmt.Sprintf("%s.contained[%d].resourceType", p, k), "%s is not mapped: the plan contains only Goals", quoteCode(g.ResourceType))
			continue
		}
		contained["#"+g.ID] = k
	}
	for k := range cp.Goal {
		ref := &cp.Goal[k]
		gp := fmt.Sprintf("%s.goal[%d]", p, k)
		var g *Goal
		var descPath string
		if ci, ok := contained[ref.Reference]; ok && strings.HasPrefix(ref.Reference, "#") {
			g, descPath = &cp.Contained[ci], fmt.Sprintf("%s.contained[%d].description.text", p, ci)
		} else if strings.HasPrefix(ref.Reference, "#") {
			r.addf(gp+".reference", "refers to no contained resource")
			continue
		} else if gi, ok := r.resolveTo(ref, gp, "Goal"); ok {
			g, descPath = r.b.Entry[gi].Resource.(*Goal), entryPath(gi)+".description.text"
		} else {
			continue
		}
		if g.Description.Text == "" {
			r.addf(descPath, "is required: the goal in the patient's own words")
			continue
		}
		r.rec(fmt.Sprintf("plan.patient_goals[%d]", len(pl.PatientGoals)), gp)
		pl.PatientGoals = append(pl.PatientGoals, g.Description.Text)
	}

	ext := r.extensions("CarePlan", cp.Extension, p+".extension", "plan")
	for _, ix := range ext.all(ExtInformedOnly) {
		s, _ := enumCode(r, ix.path+".valueCode", r.valueCode(ix.ext, ix.path), meeting.Sectors())
		pl.InformedOnlySectors = append(pl.InformedOnlySectors, string(s))
	}
	if x, xp := ext.one(ExtFollowUp); x != nil {
		sub := r.complex(x, xp, "plan.follow_up")
		f := &plan.FollowUp{
			NextContactAt:   sub.time("next-contact-at"),
			NextMeetingAt:   sub.time("next-meeting-at"),
			ContactPersonID: sub.person("contact-person"),
		}
		if x, xp := sub.one("intensity"); x != nil {
			f.Intensity, _ = enumCode(r, xp+".valueCode", r.valueCode(x, xp), plan.Intensities())
		}
		if x, xp := sub.one("initiator"); x != nil {
			f.Initiator, _ = enumCode(r, xp+".valueCode", r.valueCode(x, xp), plan.Initiators())
		}
		sub.done()
		pl.FollowUp = f
	}
	if x, xp := ext.one(ExtPatientAgreedAt); x != nil {
		pl.PatientAgreedAt = r.time(r.valueDateTime(x, xp), xp+".valueDateTime", false)
	}
	if x, xp := ext.one(ExtDistributedAt); x != nil {
		pl.DistributedAt = r.time(r.valueDateTime(x, xp), xp+".valueDateTime", false)
	}
	for _, ix := range ext.all(ExtRecipient) {
		if ref := r.valueReference(ix.ext, ix.path); ref != nil {
			if id, _, ok := r.person(ref, ix.path+".valueReference"); ok {
				pl.Recipients = append(pl.Recipients, id)
			}
		}
	}
	ext.done()

	used := map[int]bool{}
	for k := range cp.Activity {
		act := &cp.Activity[k]
		ap := fmt.Sprintf("%s.activity[%d]", p, k)
		if len(act.Detail) > 0 {
			r.addf(ap+".detail", "is not mapped: each action of the plan is a Task that the activity refers to")
			continue
		}
		if act.Reference == nil {
			r.addf(ap+".reference", "is required: the Task of the action")
			continue
		}
		ti, ok := r.resolveTo(act.Reference, ap+".reference", "Task")
		if !ok {
			continue
		}
		if used[ti] {
			r.addf(ap+".reference.reference", "refers to a Task that an earlier activity refers to")
			continue
		}
		used[ti] = true
		r.rec(fmt.Sprintf("plan.actions[%d]", len(pl.Actions)), entryPath(ti))
		pl.Actions = append(pl.Actions, r.task(ti, len(pl.Actions)))
	}
	for _, t := range tasks {
		if !used[t] {
			r.addf(entryPath(t), "is a Task that no CarePlan.activity refers to: every Task must be an action of the plan")
		}
	}
	return pl
}

func (r *reader) task(i, n int) plan.Action {
	defer r.enter(i)()
	t := r.b.Entry[i].Resource.(*Task)
	p := entryPath(i)
	apath := fmt.Sprintf("plan.actions[%d]", n)
	r.rec(apath+".id", p+".id")
	r.rec(apath+".kind", p+".code")
	r.rec(apath+".description", p+".description")
	r.rec(apath+".owner_id", p+".owner")
	r.rec(apath+".due", p+".restriction.period.end")
	var a plan.Action
	a.ID, _ = r.entryID(i)
	if t.Code != nil {
		if code, cpath, ok := r.code([]CodeableConcept{*t.Code}, p+".code", r.sys.action, false); ok {
			a.Kind, _ = enumCode(r, strings.Replace(cpath, ".code[0]", ".code", 1), code, plan.ActionKinds())
		}
	}
	a.Description = t.Description
	if t.Owner != nil {
		a.OwnerID, _, _ = r.person(t.Owner, p+".owner")
	}
	if t.Restriction != nil && t.Restriction.Period != nil {
		a.Due = r.time(t.Restriction.Period.End, p+".restriction.period.end", false)
	}
	ext := r.extensions("Task", t.Extension, p+".extension", apath)
	ext.done()
	return a
}

// code finds the one coding of system among ccs (at path, a list of
// CodeableConcepts) and returns its code and the path of the code.
func (r *reader) code(ccs []CodeableConcept, path, system string, required bool) (code, codePath string, ok bool) {
	found := false
	for k := range ccs {
		for j, cd := range ccs[k].Coding {
			if cd.System != system {
				continue
			}
			cp := fmt.Sprintf("%s[%d].coding[%d].code", path, k, j)
			if found {
				r.addf(cp, "is a second code of system %s", system)
				return "", "", false
			}
			found, code, codePath = true, cd.Code, cp
		}
	}
	if !found {
		if required {
			r.addf(path, "needs a coding of system %s", system)
		}
		return "", "", false
	}
	if code == "" {
		r.addf(codePath, "is required")
		return "", "", false
	}
	return code, codePath, true
}

// enumCode checks that code is one of all, reporting it at path otherwise.
func enumCode[E ~string](r *reader, path, code string, all []E) (E, bool) {
	if code == "" {
		return "", false
	}
	for _, e := range all {
		if string(e) == code {
			return e, true
		}
	}
	r.addf(path, "unknown code %s (want one of %s)", quoteCode(code), strings.Join(codes(all), ", "))
	return "", false
}

// reverse maps a FHIR status code back to the case's value.
func reverse[E ~string](r *reader, path, code string, forward map[E]string) E {
	if code == "" {
		r.addf(path, "is required")
		return ""
	}
	var want []string
	for _, k := range sortedKeys(forward) {
		if forward[k] == code {
			return k
		}
		want = append(want, forward[k])
	}
	r.addf(path, "code %s has no meaning in the case (want one of %s)", quoteCode(code), strings.Join(want, ", "))
	return ""
}

// time parses a FHIR dateTime that the case needs as a full time with offset.
func (r *reader) time(s, path string, required bool) time.Time {
	if s == "" {
		if required {
			r.addf(path, "is required")
		}
		return time.Time{}
	}
	t, err := ParseDateTime(s)
	if err != nil {
		r.addf(path, "%v", err)
		return time.Time{}
	}
	return t
}

// quoteCode quotes s when it looks like a code (short; letters, digits, '_',
// '-', '.'; fewer than 5 digits); anything else is described, not shown, so
// that no free text and no identifier (a fødselsnummer, an HPR-nummer)
// reaches an error message.
func quoteCode(s string) string {
	if s == "" {
		return "empty"
	}
	if len(s) > 40 {
		return "(a long text)"
	}
	if strings.Count(s, "0")+strings.Count(s, "1")+strings.Count(s, "2")+strings.Count(s, "3")+strings.Count(s, "4")+
		strings.Count(s, "5")+strings.Count(s, "6")+strings.Count(s, "7")+strings.Count(s, "8")+strings.Count(s, "9") >= 5 {
		return "(a value with many digits, which may be an identifier)"
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return "(a text that is not a code)"
		}
	}
	return `"` + s + `"`
}
