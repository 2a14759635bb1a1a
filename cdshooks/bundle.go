package cdshooks

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// This file builds, for each Appointment being booked, the one FHIR Bundle
// that the fhir package reads into a case: the Appointment, and the
// prefetched resources that concern it. Every entry keeps where in the
// request it came from, so that problems and findings name the request's
// own elements (prefetch.careTeam.entry[2].resource.participant[1]) rather
// than the Bundle built here.

// part is one resource of the request.
type part struct {
	entry fhir.Entry
	// origin is where the resource is in the request, such as
	// "prefetch.careTeam.entry[2].resource" or "prefetch.patient".
	origin string
}

// appointment is one Appointment being booked.
type appointment struct {
	part
	// raw is the Appointment as the request has it: an update suggested for
	// it changes only what the fixes change, and keeps every other element.
	// It is found when needed (resourceJSON): most answers do not need it.
	raw rawResource
}

// rawResource is the JSON of a resource as the request has it: value, or
// else the resource of entry entry of the Bundle bundle, which is not split
// into its entries until someone asks (json).
type rawResource struct {
	value  jsontext.Value
	bundle jsontext.Value
	entry  int
}

// json returns the resource's JSON, a slice of the request.
func (r rawResource) json() (jsontext.Value, error) {
	if r.value != nil || r.bundle == nil {
		return r.value, nil
	}
	// The Bundle has been decoded: it is valid JSON (see split.go), read
	// here up to the end of the resource.
	s := &splitter{v: r.bundle}
	ok, err := s.seekMember("entry")
	if err == nil && ok {
		ok, err = s.seekElement(r.entry)
	}
	if err == nil && ok {
		ok, err = s.seekMember("resource")
	}
	if err != nil || !ok {
		return nil, errors.Join(errors.New("cdshooks: the Bundle has no such entry"), err)
	}
	return s.value()
}

// input is the FHIR data of a request.
type input struct {
	appointments []appointment
	// others are the resources of the request other than the Appointments
	// being booked, in the order of the prefetch keys.
	others []part
}

// MaxAppointments is the most Appointments one call may book: each is
// checked on its own, with the whole prefetch.
const MaxAppointments = 32

// prefetchOrder is the order in which the prefetched resources enter a
// Bundle. Two entries that are the same resource must hold the same data
// (see assemble): the order never decides which one counts.
var prefetchOrder = []string{PrefetchCareTeam, PrefetchPatient, PrefetchConsents, PrefetchCarePlan}

// readInput decodes context.appointments and the prefetch. Its errors are
// *validation.Error with paths in the request.
func readInput(ctx *AppointmentBookContext, prefetch map[string]jsontext.Value) (*input, error) {
	in := &input{}
	var l validation.List
	syntax := false
	add := func(err error) {
		l.Add(problemsOf(err)...)
		syntax = syntax || errors.Is(err, fhir.ErrSyntax)
	}
	parts, raws, err := decodeResources(ctx.Appointments, "context.appointments")
	if err != nil {
		add(err)
	}
	for i, p := range parts {
		if _, ok := p.entry.Resource.(*fhir.Appointment); ok {
			in.appointments = append(in.appointments, appointment{part: p, raw: raws[i]})
		} else {
			in.others = append(in.others, p)
		}
	}
	switch {
	case err != nil:
	case len(in.appointments) == 0:
		l.Addf("context.appointments", "has no Appointment: the hook sends the Appointments being booked")
	case len(in.appointments) > MaxAppointments:
		l.Addf("context.appointments", "has %d Appointments; one call checks at most %d", len(in.appointments), MaxAppointments)
	default:
		in.appointments = uniqueAppointments(in.appointments, &l)
	}
	for _, key := range prefetchOrder {
		v, ok := prefetch[key]
		if !ok {
			continue
		}
		parts, err := decodePrefetch(v, "prefetch."+key)
		if err != nil {
			add(err)
			continue
		}
		in.others = append(in.others, parts...)
	}
	if len(l.Problems) > 0 {
		err := &validation.Error{Problems: l.Problems, Err: fhir.ErrMapping}
		if syntax {
			err.Err = fhir.ErrSyntax
		}
		return nil, err
	}
	return in, nil
}

// uniqueAppointments keeps each Appointment being booked once: a second
// copy with the same JSON content (in canonical form) is left out, one
// that differs is a problem naming both places.
func uniqueAppointments(appts []appointment, l *validation.List) []appointment {
	if len(appts) < 2 {
		return appts
	}
	out := appts[:0:0]
	seen := map[string]int{}
	for _, a := range appts {
		dup := -1
		for _, k := range resourceKeys(a.entry) {
			if i, ok := seen[k]; ok {
				dup = i
				break
			}
		}
		if dup < 0 {
			for _, k := range resourceKeys(a.entry) {
				seen[k] = len(out)
			}
			out = append(out, a)
			continue
		}
		x, errX := a.raw.json()
		y, errY := out[dup].raw.json()
		x, y = x.Clone(), y.Clone()
		if errX != nil || errY != nil || x.Canonicalize() != nil || y.Canonicalize() != nil || !bytes.Equal(x, y) {
			l.Addf(a.origin, "is the Appointment at %s (the same fullUrl, or type and id) with other content: "+
				"differing copies of one Appointment are refused, since the answer must not depend on their order", out[dup].origin)
		}
	}
	return out
}

func problemsOf(err error) []validation.Problem {
	var verr *validation.Error
	if errors.As(err, &verr) {
		return verr.Problems
	}
	return []validation.Problem{{Message: err.Error()}}
}

// decodeResources reads a value of the request that holds FHIR resources:
// a Bundle, one resource, an array of resources, or null (none). It returns
// each resource with its origin below loc, and its JSON as it came.
func decodeResources(v jsontext.Value, loc string) ([]part, []rawResource, error) {
	switch v.Kind() {
	case 'n', 0:
		return nil, nil, nil
	case '[':
		var items []jsontext.Value
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, nil, validation.JSONError(err, loc, fhir.ErrSyntax)
		}
		origins := make([]string, len(items))
		raws := make([]rawResource, len(items))
		for i := range items {
			origins[i] = fmt.Sprintf("%s[%d]", loc, i)
			raws[i].value = items[i]
		}
		return decodeEntries(wrap(items), loc, origins, raws)
	case '{':
	default:
		return nil, nil, &validation.Error{Problems: []validation.Problem{{Path: loc, Message: "is not a FHIR resource, a Bundle or null"}}, Err: fhir.ErrSyntax}
	}
	switch fhir.ResourceTypeOf(v) {
	case "Bundle":
		b, err := fhir.Unmarshal(v)
		if err != nil {
			return nil, nil, relocate(err, loc, bundleOrigins(v, loc))
		}
		var parts []part
		var raws []rawResource
		for i, e := range b.Entry {
			if e.Resource == nil {
				continue // an entry without a resource, such as a search outcome placeholder
			}
			parts = append(parts, part{entry: e, origin: fmt.Sprintf("%s.entry[%d].resource", loc, i)})
			raws = append(raws, rawResource{bundle: v, entry: i})
		}
		return parts, raws, nil
	case "":
		return nil, nil, &validation.Error{Problems: []validation.Problem{{Path: loc + ".resourceType", Message: "is required: a FHIR resource or Bundle"}}, Err: fhir.ErrSyntax}
	}
	return decodeEntries(wrap([]jsontext.Value{v}), loc, []string{loc}, []rawResource{{value: v}})
}

// decodePrefetch reads a prefetch key as decodeResources does, without
// keeping each resource's JSON: only the Appointments' is needed. A Bundle is
// decoded once.
func decodePrefetch(v jsontext.Value, loc string) ([]part, error) {
	if v.Kind() != '{' || fhir.ResourceTypeOf(v) != "Bundle" {
		parts, _, err := decodeResources(v, loc)
		return parts, err
	}
	b, err := fhir.Unmarshal(v)
	if err != nil {
		return nil, relocate(err, loc, bundleOrigins(v, loc))
	}
	var parts []part
	for i, e := range b.Entry {
		if e.Resource == nil {
			continue // an entry without a resource, such as a search outcome placeholder
		}
		parts = append(parts, part{entry: e, origin: fmt.Sprintf("%s.entry[%d].resource", loc, i)})
	}
	return parts, nil
}

// bundleOrigins are the origins of the resources of the entries of a
// Bundle at loc, for the problems of one that does not decode.
func bundleOrigins(v jsontext.Value, loc string) []string {
	n := 0
	var w struct {
		Entry []jsontext.Value `json:"entry"`
	}
	if json.Unmarshal(v, &w) == nil {
		n = len(w.Entry)
	}
	origins := make([]string, n)
	for i := range origins {
		origins[i] = fmt.Sprintf("%s.entry[%d].resource", loc, i)
	}
	return origins
}

// wrap makes a Bundle of resources, for the fhir package to decode.
func wrap(resources []jsontext.Value) jsontext.Value {
	type entry struct {
		Resource jsontext.Value `json:"resource"`
	}
	b := struct {
		ResourceType string  `json:"resourceType"`
		Type         string  `json:"type"`
		Entry        []entry `json:"entry"`
	}{ResourceType: "Bundle", Type: "collection"}
	for _, r := range resources {
		b.Entry = append(b.Entry, entry{r})
	}
	data, _ := json.Marshal(b)
	return data
}

// decodeEntries decodes a Bundle with the fhir package, naming the problems
// by the origins of its entries.
func decodeEntries(bundle jsontext.Value, loc string, origins []string, raws []rawResource) ([]part, []rawResource, error) {
	b, err := fhir.Unmarshal(bundle)
	if err != nil {
		return nil, nil, relocate(err, loc, origins)
	}
	var parts []part
	var out []rawResource
	for i, e := range b.Entry {
		if e.Resource == nil {
			continue // an entry without a resource, such as a search outcome placeholder
		}
		parts = append(parts, part{entry: e, origin: origins[i]})
		out = append(out, raws[i])
	}
	return parts, out, nil
}

var entryPathRE = regexp.MustCompile(`^Bundle\.entry\[(\d+)\](\.resource)?`)

// relocate rewrites the paths of a *validation.Error about a Bundle into
// paths of the request: "Bundle.entry[2].resource.x" becomes the origin of
// entry 2 followed by ".x"; the rest of "Bundle..." is put below loc.
func relocate(err error, loc string, origins []string) error {
	var verr *validation.Error
	if !errors.As(err, &verr) {
		return &validation.Error{Problems: []validation.Problem{{Path: loc, Message: "cannot be read"}}}
	}
	out := &validation.Error{Err: verr.Err}
	for _, p := range verr.Problems {
		p.Path = relocatePath(p.Path, loc, func(i int) (string, bool) {
			if i < len(origins) {
				return origins[i], true
			}
			return "", false
		})
		out.Problems = append(out.Problems, p)
	}
	return out
}

// relocatePath rewrites one path (see relocate).
func relocatePath(p, loc string, origin func(int) (string, bool)) string {
	if m := entryPathRE.FindStringSubmatch(p); m != nil {
		i, _ := strconv.Atoi(m[1])
		if o, ok := origin(i); ok && m[2] != "" {
			return o + p[len(m[0]):]
		}
		if o, ok := origin(i); ok {
			// An element of the entry itself (fullUrl): the resource's origin
			// names the entry.
			return strings.TrimSuffix(o, ".resource") + p[len(m[0]):]
		}
	}
	if rest, ok := strings.CutPrefix(p, "Bundle"); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
		return loc + rest
	}
	if p == "" {
		return loc
	}
	return p
}

// assembled is the Bundle of one Appointment, ready for fhir.Reader.
type assembled struct {
	bundle *fhir.Bundle
	// origins[i] is where entry i came from in the request.
	origins []string
	// participants[k] is the index in the request's Appointment of
	// participant k of the Appointment in the Bundle, which leaves out
	// participants that are places or things (a Location, say).
	participants []int
	// skipped counts the references to organisations that could not be
	// resolved and were left out.
	skipped int
	// mapping is the mapping at the service's canonical base, which the
	// Bundle is read and the Appointment's update written with.
	mapping mapping
}

// bookedStatuses are the statuses of an Appointment being booked, which the
// case calls planned; the fhir package reads "booked" as planned.
var bookedStatuses = []string{"proposed", "pending", "waitlist", "booked"}

// notPeople are the actor types of an Appointment.participant that are no
// person of the meeting (a room, a service, a device): the case has no place
// for them, and they are left out.
var notPeople = []string{"Location", "HealthcareService", "Device"}

// assemble builds the Bundle of appointment a with the other resources of
// the request that concern it:
//   - one entry per resource: a resource given twice with the same content
//     (the Patient in the patient key and among the CareTeam's members, say)
//     is kept once; two copies that differ (a Consent active in one and
//     withdrawn in the other) are refused with a problem naming both
//     places, never resolved by their order; other Appointments are left
//     out;
//   - of several CareTeams, the one whose members include every person of
//     the Appointment;
//   - of the CarePlans, the one whose supportingInfo is the Appointment, with
//     its Tasks; none when no CarePlan refers to the Appointment;
//   - the Consents whose actor is a person of the Appointment (the others
//     are about someone who is not in the meeting);
//   - CareTeam members' organisations that are not in the Bundle are left
//     out (no recommendation reads them, and R4 cannot prefetch them).
//
// m is the mapping at the service's canonical base.
func assemble(a *appointment, others []part, m mapping) (*assembled, error) {
	appt := *a.entry.Resource.(*fhir.Appointment)
	if slices.Contains(bookedStatuses, appt.Status) {
		appt.Status = "booked"
	}
	out := &assembled{mapping: m}
	appt.Participant = nil
	for k, p := range a.entry.Resource.(*fhir.Appointment).Participant {
		if p.Actor != nil && isNotPerson(p.Actor) {
			continue
		}
		appt.Participant = append(appt.Participant, p)
		out.participants = append(out.participants, k)
	}
	parts := []part{{entry: fhir.Entry{FullURL: a.entry.FullURL, Resource: &appt}, origin: a.origin}}
	originals := []fhir.Resource{a.entry.Resource} // the resources of parts as the request has them
	seen := map[string]int{}
	for _, k := range resourceKeys(parts[0].entry) {
		seen[k] = 0
	}
	var conflicts validation.List
	for _, p := range others {
		if _, ok := p.entry.Resource.(*fhir.Appointment); ok {
			continue
		}
		dup := -1
		for _, k := range resourceKeys(p.entry) {
			if i, ok := seen[k]; ok {
				dup = i
				break
			}
		}
		if dup >= 0 {
			if !sameResource(originals[dup], p.entry.Resource) {
				conflicts.Addf(p.origin, "is the resource at %s (the same fullUrl, or type and id) with other content: "+
					"differing copies of one resource are refused, since the answer must not depend on their order", parts[dup].origin)
				continue
			}
			if parts[dup].entry.FullURL == "" && p.entry.FullURL != "" {
				if _, taken := seen[p.entry.FullURL]; !taken {
					parts[dup].entry.FullURL = p.entry.FullURL
					seen[p.entry.FullURL] = dup
				}
			}
			continue
		}
		for _, k := range resourceKeys(p.entry) {
			seen[k] = len(parts)
		}
		parts = append(parts, p)
		originals = append(originals, p.entry.Resource)
	}
	if len(conflicts.Problems) > 0 {
		return nil, &validation.Error{Problems: conflicts.Problems, Err: fhir.ErrMapping}
	}

	idx := newIndex(parts)
	keep := make([]bool, len(parts))
	for i := range keep {
		keep[i] = true
	}
	selectCareTeam(parts, idx, &appt, keep)
	selectCarePlan(parts, idx, keep)
	people := map[int]bool{}
	for _, p := range appt.Participant {
		if i := idx.resolve(p.Actor); i >= 0 {
			people[i] = true
		}
	}
	for i, p := range parts {
		c, ok := p.entry.Resource.(*fhir.Consent)
		if ok && !concernsMeeting(c, idx, people) {
			keep[i] = false
		}
	}
	b := &fhir.Bundle{ResourceType: "Bundle", Type: "collection"}
	for i, p := range parts {
		if !keep[i] {
			continue
		}
		if ct, ok := p.entry.Resource.(*fhir.CareTeam); ok {
			var n int
			p.entry.Resource, n = withoutLostOrganizations(ct, idx, m.organization)
			out.skipped += n
		}
		b.Entry = append(b.Entry, p.entry)
		out.origins = append(out.origins, p.origin)
	}
	out.bundle = b
	return out, nil
}

// resourceKeys are the keys by which two entries are one resource: its
// type and id, and its fullUrl.
func resourceKeys(e fhir.Entry) []string {
	var keys []string
	if id := e.Resource.ResourceID(); id != "" {
		keys = append(keys, e.Resource.TypeName()+"/"+id)
	}
	if e.FullURL != "" {
		keys = append(keys, e.FullURL)
	}
	return keys
}

// sameResource reports whether two copies of a resource hold the same
// FHIR data, as the fhir package decodes it: what the check reads of them
// is then the same, whichever is kept.
func sameResource(x, y fhir.Resource) bool {
	if x.TypeName() != y.TypeName() {
		return false
	}
	a, err1 := json.Marshal(x, json.Deterministic(true))
	b, err2 := json.Marshal(y, json.Deterministic(true))
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

func isNotPerson(ref *fhir.Reference) bool {
	t := ref.Type
	if m := refTypeID.FindStringSubmatch(ref.Reference); m != nil {
		t = m[1]
	}
	return slices.Contains(notPeople, t)
}

// refTypeID finds "Type/id" at the end of a relative or absolute reference.
var refTypeID = regexp.MustCompile(`(?:^|/)([A-Z][A-Za-z]{0,63})/([A-Za-z0-9\-.]{1,64})(?:/_history/[A-Za-z0-9\-.]{1,64})?$`)

// index resolves references among the entries of a Bundle being built, as
// the fhir package will: by fullUrl, or by type and id. It only selects what
// goes into the Bundle; the fhir package checks every reference again.
type index struct {
	byURL    map[string]int
	byTypeID map[string]int
}

func newIndex(parts []part) *index {
	x := &index{byURL: map[string]int{}, byTypeID: map[string]int{}}
	for i, p := range parts {
		if p.entry.FullURL != "" {
			x.byURL[p.entry.FullURL] = i
		}
		if id := p.entry.Resource.ResourceID(); id != "" {
			x.byTypeID[p.entry.Resource.TypeName()+"/"+id] = i
		}
	}
	return x
}

// resolve returns the entry a reference is to, or -1.
func (x *index) resolve(ref *fhir.Reference) int {
	if ref == nil || ref.Reference == "" {
		return -1
	}
	if i, ok := x.byURL[ref.Reference]; ok {
		return i
	}
	if m := refTypeID.FindStringSubmatch(ref.Reference); m != nil {
		if i, ok := x.byTypeID[m[1]+"/"+m[2]]; ok {
			return i
		}
	}
	return -1
}

// selectCareTeam keeps, of several CareTeams, the one whose members include
// every person of the Appointment. When none or several do, all stay, and the
// fhir package says there is more than one.
func selectCareTeam(parts []part, idx *index, appt *fhir.Appointment, keep []bool) {
	var teams []int
	for i, p := range parts {
		if _, ok := p.entry.Resource.(*fhir.CareTeam); ok {
			teams = append(teams, i)
		}
	}
	if len(teams) < 2 {
		return
	}
	var people []int
	for _, p := range appt.Participant {
		if i := idx.resolve(p.Actor); i >= 0 {
			people = append(people, i)
		}
	}
	var match []int
	for _, t := range teams {
		members := map[int]bool{}
		for _, p := range parts[t].entry.Resource.(*fhir.CareTeam).Participant {
			members[idx.resolve(p.Member)] = true
		}
		all := true
		for _, i := range people {
			all = all && members[i]
		}
		if all {
			match = append(match, t)
		}
	}
	if len(match) != 1 {
		return
	}
	for _, t := range teams {
		keep[t] = t == match[0]
	}
}

// selectCarePlan keeps the CarePlans whose supportingInfo is the
// Appointment (entry 0), and the Tasks that are their activities.
func selectCarePlan(parts []part, idx *index, keep []bool) {
	tasks := map[int]bool{}
	for i, p := range parts {
		cp, ok := p.entry.Resource.(*fhir.CarePlan)
		if !ok {
			continue
		}
		keep[i] = slices.ContainsFunc(cp.SupportingInfo, func(r fhir.Reference) bool { return idx.resolve(&r) == 0 })
		if keep[i] {
			for _, a := range cp.Activity {
				if t := idx.resolve(a.Reference); t >= 0 {
					tasks[t] = true
				}
			}
		}
	}
	for i, p := range parts {
		if _, ok := p.entry.Resource.(*fhir.Task); ok {
			keep[i] = tasks[i]
		}
	}
}

// concernsMeeting reports whether a consent may concern the meeting: its
// grantee is a person of the Appointment, or is not given by a reference at
// all (the fhir package then says what is wrong with it). The patient's
// consents for people outside the meeting are left out.
func concernsMeeting(c *fhir.Consent, idx *index, people map[int]bool) bool {
	if c.Provision == nil || len(c.Provision.Actor) == 0 {
		return true
	}
	for _, a := range c.Provision.Actor {
		if a.Reference.Reference == "" || people[idx.resolve(&a.Reference)] {
			return true
		}
	}
	return false
}

// withoutLostOrganizations returns the CareTeam without the organisation
// references (onBehalfOf, and the extension orgExt) that resolve to no
// entry, and how many it left out.
func withoutLostOrganizations(ct *fhir.CareTeam, idx *index, orgExt string) (*fhir.CareTeam, int) {
	n := 0
	out := *ct
	out.Participant = slices.Clone(ct.Participant)
	for k := range out.Participant {
		p := &out.Participant[k]
		if p.OnBehalfOf != nil && p.OnBehalfOf.Reference != "" && idx.resolve(p.OnBehalfOf) < 0 {
			p.OnBehalfOf = nil
			n++
		}
		if slices.ContainsFunc(p.Extension, func(x fhir.Extension) bool {
			return x.URL == orgExt && x.ValueReference != nil && x.ValueReference.Reference != "" && idx.resolve(x.ValueReference) < 0
		}) {
			p.Extension = slices.DeleteFunc(slices.Clone(p.Extension), func(x fhir.Extension) bool {
				return x.URL == orgExt && x.ValueReference != nil && x.ValueReference.Reference != "" && idx.resolve(x.ValueReference) < 0
			})
			n++
		}
	}
	return &out, n
}

// requestPath turns a path or FHIR expression of the assembled Bundle into
// one of the request: "Bundle.entry[3].resource.member" becomes
// "prefetch.careTeam.entry[1].resource.member", and a participant of the
// Appointment is named by its index in the request.
func (as *assembled) requestPath(p string) string {
	if p == "" {
		return ""
	}
	if m := apptParticipantRE.FindStringSubmatch(p); m != nil {
		k, _ := strconv.Atoi(m[1])
		if k < len(as.participants) {
			p = fmt.Sprintf("Bundle.entry[0].resource.participant[%d]", as.participants[k]) + p[len(m[0]):]
		}
	}
	if p == "Bundle" || p == "Bundle.entry" {
		return "prefetch"
	}
	return relocatePath(p, "prefetch", func(i int) (string, bool) {
		if i < len(as.origins) {
			return as.origins[i], true
		}
		return "", false
	})
}

var apptParticipantRE = regexp.MustCompile(`^Bundle\.entry\[0\]\.resource\.participant\[(\d+)\]`)
