package fhir

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

//go:generate go run ./internal/conformancegen

// DefaultCanonical is the canonical base of the conformance resources that
// Conformance builds when its Canonical is "", and of the extensions and
// code systems that FromCase writes and ToCase reads (a Writer's or
// Reader's Canonical "").
const DefaultCanonical = Base

// ErrCanonical is wrapped by the error of a Writer or Reader whose Canonical
// is not a canonical base: an absolute http or https URL without user, query
// or fragment.
var ErrCanonical = errors.New("canonical base is not an absolute http or https URL without user, query or fragment")

// CanonicalBase returns the canonical base that a Canonical of a Writer or
// Reader stands for: DefaultCanonical for "", s without its trailing slash
// otherwise; an error wrapping ErrCanonical when s is no canonical base. It
// lets a caller refuse a configured base before reading anything.
func CanonicalBase(s string) (string, error) {
	if s == "" {
		return DefaultCanonical, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.HasSuffix(s, "#") {
		return "", fmt.Errorf("fhir: %w", ErrCanonical)
	}
	return strings.TrimSuffix(s, "/"), nil
}

// extensionURL is the URL of the extension of the mapping named name under
// the canonical base: the one place where an extension's URL is made.
func extensionURL(base, name string) string { return base + "/StructureDefinition/" + name }

// codeSystemURL is the URL of the code system id under the canonical base:
// the one place where a code system's URL is made.
func codeSystemURL(base, id string) string { return base + "/CodeSystem/" + id }

// Conformance builds the FHIR conformance resources that describe what
// collabmeet defines: a StructureDefinition per extension of the mapping, a
// CodeSystem per code system of the mapping, and CodeSystems of the caller's
// own (the codes of findings, say). The zero value uses DefaultCanonical.
//
// A Canonical other than DefaultCanonical publishes the resources under the
// caller's own base URL: the StructureDefinitions and CodeSystems then
// describe the extensions and code systems of a Writer or Reader with the
// same Canonical (their urls are ExtensionURL's and CodeSystemURL's), and
// the CodeSystems of the caller's own are named under it too.
type Conformance struct {
	// Canonical is the base URL: a resource's url is Canonical +
	// "/StructureDefinition/" or "/CodeSystem/" + its id. "" means
	// DefaultCanonical.
	Canonical string
	// Version is the business version of every resource; "" means "1".
	Version string
}

func (cf Conformance) canonical() string {
	if cf.Canonical == "" {
		return DefaultCanonical
	}
	return strings.TrimSuffix(cf.Canonical, "/")
}

// CodeSystemURL returns the URL of the code system id under Canonical:
// Canonical + "/CodeSystem/" + id, the url of its CodeSystem (NewCodeSystem)
// and, for a code system of the mapping (CodeSystems), the system of the
// codings that a Writer or Reader with the same Canonical writes and reads.
func (cf Conformance) CodeSystemURL(id string) string { return codeSystemURL(cf.canonical(), id) }

// ExtensionURL returns the URL of the extension of the mapping named name
// (ExtAgendaItem, say) under Canonical: Canonical + "/StructureDefinition/" +
// name, the url of its StructureDefinition and of the extensions that a
// Writer or Reader with the same Canonical writes and reads.
func (cf Conformance) ExtensionURL(name string) string { return extensionURL(cf.canonical(), name) }

func (cf Conformance) version() string {
	if cf.Version == "" {
		return "1"
	}
	return cf.Version
}

// StructureDefinition is a FHIR R4 StructureDefinition of an extension, with
// a differential only.
type StructureDefinition struct {
	ResourceType   string       `json:"resourceType"`
	ID             string       `json:"id"`
	URL            string       `json:"url"`
	Version        string       `json:"version"`
	Name           string       `json:"name"`
	Title          string       `json:"title"`
	Status         string       `json:"status"`
	Description    string       `json:"description"`
	FHIRVersion    string       `json:"fhirVersion"`
	Kind           string       `json:"kind"`
	Abstract       bool         `json:"abstract"`
	Context        []SDContext  `json:"context"`
	Type           string       `json:"type"`
	BaseDefinition string       `json:"baseDefinition"`
	Derivation     string       `json:"derivation"`
	Differential   Differential `json:"differential"`
}

// SDContext is one StructureDefinition.context: where the extension may be used.
type SDContext struct {
	Type       string `json:"type"`
	Expression string `json:"expression"`
}

// Differential is StructureDefinition.differential.
type Differential struct {
	Element []ElementDefinition `json:"element"`
}

// ElementDefinition is the subset of an R4 ElementDefinition that the
// extension definitions use.
type ElementDefinition struct {
	ID         string        `json:"id"`
	Path       string        `json:"path"`
	SliceName  string        `json:"sliceName,omitempty"`
	Slicing    *Slicing      `json:"slicing,omitempty"`
	Short      string        `json:"short,omitempty"`
	Definition string        `json:"definition,omitempty"`
	Min        *int          `json:"min,omitempty"`
	Max        string        `json:"max,omitempty"`
	Type       []ElementType `json:"type,omitempty"`
	FixedURI   string        `json:"fixedUri,omitempty"`
}

// Slicing is ElementDefinition.slicing.
type Slicing struct {
	Discriminator []Discriminator `json:"discriminator"`
	Rules         string          `json:"rules"`
}

// Discriminator is ElementDefinition.slicing.discriminator.
type Discriminator struct {
	Type string `json:"type"`
	Path string `json:"path"`
}

// ElementType is ElementDefinition.type.
type ElementType struct {
	Code          string   `json:"code"`
	TargetProfile []string `json:"targetProfile,omitempty"`
}

// CodeSystem is a FHIR R4 CodeSystem with all its concepts.
type CodeSystem struct {
	ResourceType  string `json:"resourceType"`
	ID            string `json:"id"`
	URL           string `json:"url"`
	Version       string `json:"version"`
	Name          string `json:"name"`
	Title         string `json:"title"`
	Status        string `json:"status"`
	Description   string `json:"description"`
	CaseSensitive bool   `json:"caseSensitive"`
	// HierarchyMeaning says what a concept's child concepts are to it
	// ("grouped-by": a recommendation groups its finding codes); only when
	// a concept has children.
	HierarchyMeaning string    `json:"hierarchyMeaning,omitempty"`
	Content          string    `json:"content"`
	Count            int       `json:"count"`
	Concept          []Concept `json:"concept"`
}

// Concept is one code of a CodeSystem, with the concepts below it in the
// hierarchy.
type Concept struct {
	Code       string    `json:"code"`
	Display    string    `json:"display,omitempty"`
	Definition string    `json:"definition,omitempty"`
	Concept    []Concept `json:"concept,omitempty"`
}

// HierarchyGroupedBy is the CodeSystem.hierarchyMeaning of a code system
// whose child concepts are grouped by their parent.
const HierarchyGroupedBy = "grouped-by"

// countConcepts counts the concepts, their children included.
func countConcepts(concepts []Concept) (n int, nested bool) {
	for _, c := range concepts {
		k, _ := countConcepts(c.Concept)
		n += 1 + k
		nested = nested || len(c.Concept) > 0
	}
	return n, nested
}

// Codes returns every code of the CodeSystem, its child concepts' included,
// parents before their children.
func (cs *CodeSystem) Codes() []string {
	var out []string
	var walk func([]Concept)
	walk = func(cc []Concept) {
		for _, c := range cc {
			out = append(out, c.Code)
			walk(c.Concept)
		}
	}
	walk(cs.Concept)
	return out
}

// TypeName returns "StructureDefinition".
func (*StructureDefinition) TypeName() string { return "StructureDefinition" }

// ResourceID returns the id.
func (s *StructureDefinition) ResourceID() string { return s.ID }

// TypeName returns "CodeSystem".
func (*CodeSystem) TypeName() string { return "CodeSystem" }

// ResourceID returns the id.
func (s *CodeSystem) ResourceID() string { return s.ID }

// NewCodeSystem builds a CodeSystem (status active, content complete, case
// sensitive) of the concepts, in order, at Canonical + "/CodeSystem/" + id.
// id is a FHIR id such as "finding"; the name is id in CamelCase. count is
// the number of concepts, their children included; a code system with
// child concepts has hierarchyMeaning grouped-by.
func (cf Conformance) NewCodeSystem(id, title, description string, concepts []Concept) CodeSystem {
	n, nested := countConcepts(concepts)
	cs := CodeSystem{
		ResourceType: "CodeSystem", ID: id, URL: cf.CodeSystemURL(id), Version: cf.version(),
		Name: camel(id), Title: title, Status: "active", Description: description,
		CaseSensitive: true, Content: "complete", Count: n, Concept: concepts,
	}
	if nested {
		cs.HierarchyMeaning = HierarchyGroupedBy
	}
	return cs
}

// camel turns "participant-role" or "meeting_kind" into "ParticipantRole" or "MeetingKind".
func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// display turns a code such as "pain_physician" into "Pain physician".
func display(code string) string {
	s := strings.ReplaceAll(code, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func conceptsOf[E ~string](all []E, definition func(E) string) []Concept {
	out := make([]Concept, len(all))
	for i, e := range all {
		out[i] = Concept{Code: string(e), Display: display(string(e))}
		if definition != nil {
			out[i].Definition = definition(e)
		}
	}
	return out
}

// CodeSystems returns the CodeSystems of the mapping: participant-role,
// sector, meeting-kind, consent-scope and action-kind, whose codes are the
// values of the case document.
func (cf Conformance) CodeSystems() []CodeSystem {
	return []CodeSystem{
		cf.NewCodeSystem(csParticipantRole, "collabmeet participant role",
			"The role in which someone takes part in a collaboration meeting (meeting.participants[].role of the case document).",
			conceptsOf(meeting.Roles(), nil)),
		cf.NewCodeSystem(csSector, "collabmeet sector",
			"The sector of services a participant belongs to (meeting.participants[].sector of the case document).",
			conceptsOf(meeting.Sectors(), nil)),
		cf.NewCodeSystem(csMeetingKind, "collabmeet meeting kind",
			"The kind of collaboration meeting (meeting.kind of the case document).",
			conceptsOf(meeting.Kinds(), nil)),
		cf.NewCodeSystem(csConsentScope, "collabmeet consent scope",
			"What a consent of the patient allows its grantee (consents[].scopes of the case document).",
			conceptsOf(consent.Scopes(), nil)),
		cf.NewCodeSystem(csActionKind, "collabmeet action kind",
			"The kind of an action of the common action plan (plan.actions[].kind of the case document).",
			conceptsOf(plan.ActionKinds(), nil)),
	}
}

// extDef describes one extension of the mapping: the table that
// StructureDefinitions turns into resources, and that a test holds against
// the extensions FromCase writes.
type extDef struct {
	name     string
	title    string
	context  []string // FHIRPath of the elements it may be on
	value    string   // value[x] type of a simple extension; "" for a complex one
	targets  []string // of a Reference value
	repeats  bool
	subs     []extDef // of a complex one
	required bool     // a sub-extension that must be present
}

var people = []string{"Patient", "Practitioner", "PractitionerRole", "RelatedPerson"}

func sub(name, value, title string, targets ...string) extDef {
	return extDef{name: name, value: value, title: title, targets: targets}
}

func subs(name, value, title string, targets ...string) extDef {
	d := sub(name, value, title, targets...)
	d.repeats = true
	return d
}

var emptySub = sub(subEmpty, "boolean", "Present, with no field set (always true)")

// extensionDefs are the extensions of the mapping (see the package
// documentation, # Extensions).
var extensionDefs = []extDef{
	{name: ExtMeetingFormat, title: "The format of the meeting: digital, in_person or hybrid", context: []string{"Appointment"}, value: "code"},
	{name: ExtVideoService, title: "The video service of a digital or hybrid meeting", context: []string{"Appointment"}, value: "string"},
	{name: ExtMeetingLeader, title: "The participant who leads the meeting", context: []string{"Appointment"}, value: "Reference", targets: people},
	{name: ExtMinuteTaker, title: "The participant who takes the minutes", context: []string{"Appointment"}, value: "Reference", targets: people},
	{name: ExtPlanUpdater, title: "The participant who updates the common action plan", context: []string{"Appointment"}, value: "Reference", targets: people},
	{name: ExtPathway, title: "The patient's pathway up to the meeting", context: []string{"Appointment"}, subs: []extDef{
		sub("referral-received-at", "dateTime", "When the referral was received"),
		sub("assessment-started-at", "dateTime", "When the assessment started"),
		emptySub,
	}},
	{name: ExtAgendaItem, title: "An item of the agenda, repeated in agenda order", context: []string{"Appointment"}, repeats: true, subs: []extDef{
		{name: "id", value: "uuid", title: "The item's id (urn:uuid)", required: true},
		{name: "kind", value: "code", title: "The kind of item", required: true},
		sub("title", "string", "The title"),
		sub("minutes", "unsignedInt", "The minutes planned"),
		sub("lead", "Reference", "The participant who leads the item", people...),
		sub("professionals-only", "boolean", "Only professionals take part"),
		sub("recap", "boolean", "Repeats introductions and purpose for late joiners"),
		sub("sensitive", "boolean", "Sensitive information is discussed"),
		sub("patient-speaks-first", "boolean", "The patient speaks first"),
		emptySub,
	}},
	{name: ExtPreparation, title: "What was sent to whom before the meeting", context: []string{"Appointment"}, subs: []extDef{
		sub("agenda-sent-at", "dateTime", "When the agenda was sent"),
		sub("participants-sent-at", "dateTime", "When the list of participants was sent"),
		subs("sent-to", "Reference", "A participant the agenda was sent to", people...),
		sub("clinical-notes-sent-at", "dateTime", "When clinical notes were sent"),
		subs("clinical-notes-sent-to", "Reference", "A participant clinical notes were sent to", people...),
		sub("suggested-actions-sent-at", "dateTime", "When suggested actions were sent"),
		subs("pre-meeting-contact", "Reference", "A participant contacted before the meeting", people...),
		emptySub,
	}},
	{name: ExtPurpose, title: "Why the participant is invited", context: []string{"Appointment.participant"}, value: "string"},
	{name: ExtLocation, title: "Where the participant takes part from: home, clinic, gp_office, office or workplace", context: []string{"Appointment.participant"}, value: "code"},
	{name: ExtJoinsAtItem, title: "The agenda item (urn:uuid) at which the participant joins", context: []string{"Appointment.participant"}, value: "uuid"},
	{name: ExtLeavesAfterItem, title: "The agenda item (urn:uuid) after which the participant leaves", context: []string{"Appointment.participant"}, value: "uuid"},
	{name: ExtAwayItem, title: "An agenda item (urn:uuid) inside the participant's attendance that the participant steps out of", context: []string{"Appointment.participant"}, value: "uuid", repeats: true},
	{name: ExtPriorContact, title: "The participant has met the patient before", context: []string{"Appointment.participant"}, value: "boolean"},
	{name: ExtChoseLocation, title: "The participant chose how to take part", context: []string{"Appointment.participant"}, value: "boolean"},
	{name: ExtChangingSoon, title: "The participant is about to be replaced", context: []string{"Appointment.participant"}, value: "boolean"},
	{name: ExtSuccessor, title: "The participant who takes over", context: []string{"Appointment.participant"}, value: "Reference", targets: people},
	{name: ExtNoParticipants, title: "Marks the placeholder participant of a meeting without participants", context: []string{"Appointment.participant"}, value: "boolean"},
	{name: ExtOrganization, title: "The organisation of a member who is no Practitioner", context: []string{"CareTeam.participant"}, value: "Reference", targets: []string{"Organization"}},
	{name: ExtWithdrawnAt, title: "When the patient withdrew the consent", context: []string{"Consent"}, value: "dateTime"},
	{name: ExtConsentMethod, title: "How the consent was given: verbal, written or digital", context: []string{"Consent"}, value: "code"},
	{name: ExtRecordedBy, title: "The participant who recorded the consent", context: []string{"Consent"}, value: "Reference", targets: people},
	{name: ExtInformedOnly, title: "A sector that is only informed of the plan", context: []string{"CarePlan"}, value: "code", repeats: true},
	{name: ExtFollowUp, title: "The follow-up of the plan", context: []string{"CarePlan"}, subs: []extDef{
		sub("intensity", "code", "close, regular or check_in"),
		sub("next-contact-at", "dateTime", "When the next contact is"),
		sub("next-meeting-at", "dateTime", "When the follow-up collaboration meeting is"),
		sub("contact-person", "Reference", "The participant who is the contact person", people...),
		sub("initiator", "code", "Who initiates the follow-up: patient or service"),
		emptySub,
	}},
	{name: ExtPatientAgreedAt, title: "When the patient agreed to the plan", context: []string{"CarePlan"}, value: "dateTime"},
	{name: ExtDistributedAt, title: "When the plan was distributed", context: []string{"CarePlan"}, value: "dateTime"},
	{name: ExtRecipient, title: "A participant the plan was distributed to", context: []string{"CarePlan"}, value: "Reference", targets: people, repeats: true},
}

// StructureDefinitions returns a StructureDefinition for every extension of
// the mapping, at Canonical + "/StructureDefinition/" + name.
func (cf Conformance) StructureDefinitions() []StructureDefinition {
	out := make([]StructureDefinition, 0, len(extensionDefs))
	for _, d := range extensionDefs {
		sd := StructureDefinition{
			ResourceType: "StructureDefinition", ID: d.name, URL: cf.ExtensionURL(d.name),
			Version: cf.version(), Name: camel(d.name), Title: d.title, Status: "active",
			Description: d.title + ". An extension of collabmeet's mapping of its case document to FHIR R4.",
			FHIRVersion: "4.0.1", Kind: "complex-type", Type: "Extension",
			BaseDefinition: "http://hl7.org/fhir/StructureDefinition/Extension", Derivation: "constraint",
		}
		for _, c := range d.context {
			sd.Context = append(sd.Context, SDContext{Type: "element", Expression: c})
		}
		max := "1"
		if d.repeats {
			max = "*"
		}
		el := []ElementDefinition{{ID: "Extension", Path: "Extension", Short: d.title, Definition: d.title + ".", Max: max}}
		el = append(el, extElements("Extension", sd.URL, d)...)
		sd.Differential.Element = el
		out = append(out, sd)
	}
	return out
}

// extElements are the elements below the root (at path) of extension d.
func extElements(path, url string, d extDef) []ElementDefinition {
	var el []ElementDefinition
	if d.value != "" {
		el = append(el,
			ElementDefinition{ID: path + ".extension", Path: stripSlices(path) + ".extension", Max: "0"},
			ElementDefinition{ID: path + ".url", Path: stripSlices(path) + ".url", FixedURI: url},
			ElementDefinition{ID: path + ".value[x]", Path: stripSlices(path) + ".value[x]", Min: ptr(1), Type: []ElementType{elementType(d)}})
		return el
	}
	el = append(el, ElementDefinition{ID: path + ".extension", Path: stripSlices(path) + ".extension", Min: ptr(1),
		Slicing: &Slicing{Discriminator: []Discriminator{{Type: "value", Path: "url"}}, Rules: "closed"}})
	for _, s := range d.subs {
		sp := path + ".extension:" + s.name
		min, max := 0, "1"
		if s.required {
			min = 1
		}
		if s.repeats {
			max = "*"
		}
		el = append(el, ElementDefinition{ID: sp, Path: stripSlices(path) + ".extension", SliceName: s.name,
			Short: s.title, Definition: s.title + ".", Min: ptr(min), Max: max})
		el = append(el, extElements(sp, s.name, s)...)
	}
	el = append(el,
		ElementDefinition{ID: path + ".url", Path: stripSlices(path) + ".url", FixedURI: url},
		ElementDefinition{ID: path + ".value[x]", Path: stripSlices(path) + ".value[x]", Max: "0"})
	return el
}

func elementType(d extDef) ElementType {
	t := ElementType{Code: d.value}
	for _, target := range d.targets {
		t.TargetProfile = append(t.TargetProfile, "http://hl7.org/fhir/StructureDefinition/"+target)
	}
	return t
}

// stripSlices turns an element id into its path: "Extension.extension:kind" → "Extension.extension".
func stripSlices(id string) string {
	parts := strings.Split(id, ".")
	for i, p := range parts {
		parts[i], _, _ = strings.Cut(p, ":")
	}
	return strings.Join(parts, ".")
}

// Files returns the conformance resources of the mapping as FHIR JSON, by
// file name: StructureDefinition-NAME.json and CodeSystem-NAME.json, as
// `go generate` writes them to the folder conformance.
func (cf Conformance) Files() (map[string][]byte, error) {
	out := map[string][]byte{}
	add := func(name string, v any) error {
		data, err := json.Marshal(v, json.Deterministic(true), jsontext.WithIndent("  "))
		if err != nil {
			return fmt.Errorf("fhir: encoding %s: %w", name, err)
		}
		out[name] = append(data, '\n')
		return nil
	}
	for _, sd := range cf.StructureDefinitions() {
		if err := add("StructureDefinition-"+sd.ID+".json", sd); err != nil {
			return nil, err
		}
	}
	for _, cs := range cf.CodeSystems() {
		if err := add("CodeSystem-"+cs.ID+".json", cs); err != nil {
			return nil, err
		}
	}
	return out, nil
}
