package fhir

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// extList reads a list of extensions at path: the extensions of an element
// (prefix is the URL of the extensions without their name: the canonical
// base + "/StructureDefinition/") or the sub-extensions of a complex one
// (prefix ""). Every extension read is marked; done reports the collabmeet
// ones left unread, so that a typo in a URL is never dropped silently, and
// those of the mapping under another canonical base. Other extensions are
// ignored, as FHIR allows.
type extList struct {
	r      *reader
	path   string
	prefix string
	// context is the element the extensions are on, as the extension
	// definitions' context names it ("Appointment.participant").
	context string
	exts    []Extension
	used    []bool
	// casePath is the case path of the element the extensions belong to
	// ("meeting.participants[2]"), under which each one read is recorded in
	// the Source; "" records nothing.
	casePath string
}

// extField is the case field of an extension or sub-extension whose name is
// not the field's JSON name with '-' for '_'.
var extField = map[string]string{
	ExtMeetingFormat: "format", ExtVideoService: "platform", ExtMeetingLeader: "leader_id",
	ExtMinuteTaker: "minute_taker_id", ExtPlanUpdater: "plan_updater_id", ExtAgendaItem: "agenda",
	ExtPurpose: "purpose", ExtLocation: "location", ExtSuccessor: "successor_id",
	ExtOrganization: "organization", ExtConsentMethod: "method", ExtInformedOnly: "informed_only_sectors",
	ExtAwayItem:  "away_items",
	ExtRecipient: "recipients", "lead": "lead_id", "contact-person": "contact_person_id",
	ExtNoParticipants: "", subEmpty: "",
}

// fieldPath is the case path of the extension name under l.casePath, "" when none.
func (l *extList) fieldPath(name string) string {
	f, ok := extField[name]
	if !ok {
		f = strings.ReplaceAll(name, "-", "_")
	}
	if l.casePath == "" || f == "" {
		return ""
	}
	return l.casePath + "." + f
}

// indexedExt is one extension with its path.
type indexedExt struct {
	ext  *Extension
	path string
}

// extensions reads the extensions exts of the element context
// ("Appointment", as the extension definitions name it) at path.
func (r *reader) extensions(context string, exts []Extension, path, casePath string) *extList {
	return &extList{r: r, path: path, prefix: r.extBase, context: context, exts: exts,
		used: make([]bool, len(exts)), casePath: casePath}
}

// extNames are the names of the extensions of the mapping, and
// extOnContext those that each element may have, from the extension
// definitions.
var extNames, extOnContext = func() (map[string]bool, map[string]map[string]bool) {
	names, on := map[string]bool{}, map[string]map[string]bool{}
	for _, d := range extensionDefs {
		names[d.name] = true
		for _, c := range d.context {
			if on[c] == nil {
				on[c] = map[string]bool{}
			}
			on[c][d.name] = true
		}
	}
	return names, on
}()

// underOtherBase returns the name of the extension of the mapping that url
// names under another canonical base than base, for an element context:
// "" when url ends in no "/StructureDefinition/" + the name of one the
// element may have, or has the base.
func underOtherBase(url, base, context string) string {
	const sd = "/StructureDefinition/"
	i := strings.LastIndex(url, sd)
	if i < 0 || url[:i] == base {
		return ""
	}
	if name := url[i+len(sd):]; extOnContext[context][name] {
		return name
	}
	return ""
}

// complex returns the sub-extensions of the complex extension x at path,
// which is the case's casePath.
func (r *reader) complex(x *Extension, path, casePath string) *extList {
	if len(x.Extension) == 0 {
		r.addf(path+".extension", "is required: the extension is complex")
	}
	l := &extList{r: r, path: path + ".extension", exts: x.Extension, used: make([]bool, len(x.Extension)), casePath: casePath}
	l.flag(subEmpty)
	return l
}

// find returns every extension named name, in order, marking them read.
func (l *extList) find(name string) []indexedExt {
	var out []indexedExt
	for k := range l.exts {
		if l.exts[k].URL == l.prefix+name {
			l.used[k] = true
			out = append(out, indexedExt{&l.exts[k], fmt.Sprintf("%s[%d]", l.path, k)})
		}
	}
	return out
}

// all returns every extension named name, in order: a repeated field, whose
// n-th value is recorded as the case path's [n].
func (l *extList) all(name string) []indexedExt {
	out := l.find(name)
	if fp := l.fieldPath(name); fp != "" {
		for n, x := range out {
			l.r.rec(fmt.Sprintf("%s[%d]", fp, n), x.path)
		}
	}
	return out
}

// one returns the extension named name, or nil; a second one is an error.
func (l *extList) one(name string) (*Extension, string) {
	found := l.find(name)
	if len(found) == 0 {
		return nil, ""
	}
	for _, x := range found[1:] {
		l.r.addf(x.path, "repeats the extension %s, which may appear once", name)
	}
	l.r.rec(l.fieldPath(name), found[0].path)
	return found[0].ext, found[0].path
}

// done reports the collabmeet extensions that were not read.
func (l *extList) done() {
	for k := range l.exts {
		if l.used[k] {
			continue
		}
		path := fmt.Sprintf("%s[%d].url", l.path, k)
		url := l.exts[k].URL
		name, ours := strings.CutPrefix(url, l.prefix)
		switch {
		case l.prefix == "":
			l.r.addf(path, "is no sub-extension of this extension")
		case l.r.base == DefaultCanonical && strings.HasPrefix(url, Base), ours && extNames[name]:
			// All of Base is collabmeet's; under a base of the
			// deployment's own, only the names of the mapping are.
			l.r.addf(path, "is no collabmeet extension of this element")
		default:
			if other := underOtherBase(url, l.r.base, l.context); other != "" {
				l.r.addf(path, "is the extension %s of collabmeet under another canonical base than %s, the one the Bundle is read with: "+
					"the sender and the reader must be configured with the same canonical base", other, l.r.base)
			}
		}
	}
}

func (l *extList) time(name string) time.Time {
	if x, xp := l.one(name); x != nil {
		return l.r.time(l.r.valueDateTime(x, xp), xp+".valueDateTime", false)
	}
	return time.Time{}
}

func (l *extList) str(name string) string {
	if x, xp := l.one(name); x != nil {
		return l.r.valueString(x, xp)
	}
	return ""
}

func (l *extList) flag(name string) bool {
	if x, xp := l.one(name); x != nil {
		if x.ValueBoolean == nil {
			l.r.addf(xp, "needs valueBoolean")
			return false
		}
		return *x.ValueBoolean
	}
	return false
}

func (l *extList) unsigned(name string) int {
	if x, xp := l.one(name); x != nil {
		if x.ValueUnsignedInt == nil {
			l.r.addf(xp, "needs valueUnsignedInt")
			return 0
		}
		if *x.ValueUnsignedInt < 0 {
			l.r.addf(xp+".valueUnsignedInt", "must not be negative")
			return 0
		}
		if *x.ValueUnsignedInt > MaxMinutes {
			l.r.addf(xp+".valueUnsignedInt", "is above %d (a day)", MaxMinutes)
			return 0
		}
		return *x.ValueUnsignedInt
	}
	return 0
}

func (l *extList) uuid(name string, required bool) uuid.UUID {
	x, xp := l.one(name)
	if x == nil {
		if required {
			l.r.addf(l.path, "needs the sub-extension %s", name)
		}
		return uuid.Nil
	}
	if x.ValueUUID == nil {
		l.r.addf(xp, "needs valueUuid")
		return uuid.Nil
	}
	u, ok := parseURN(*x.ValueUUID)
	if !ok {
		l.r.addf(xp+".valueUuid", "is not a urn:uuid")
	}
	return u
}

func (l *extList) person(name string) uuid.UUID {
	if x, xp := l.one(name); x != nil {
		if ref := l.r.valueReference(x, xp); ref != nil {
			id, _, _ := l.r.person(ref, xp+".valueReference")
			return id
		}
	}
	return uuid.Nil
}

func (l *extList) persons(name string) []uuid.UUID {
	var out []uuid.UUID
	for _, ix := range l.all(name) {
		if ref := l.r.valueReference(ix.ext, ix.path); ref != nil {
			if id, _, ok := l.r.person(ref, ix.path+".valueReference"); ok {
				out = append(out, id)
			}
		}
	}
	return out
}

func (r *reader) personExt(l *extList, name string) uuid.UUID {
	if x, xp := l.one(name); x != nil {
		if ref := r.valueReference(x, xp); ref != nil {
			id, _, _ := r.person(ref, xp+".valueReference")
			return id
		}
	}
	return uuid.Nil
}

func (r *reader) uuidExt(l *extList, name string) uuid.UUID {
	x, xp := l.one(name)
	if x == nil {
		return uuid.Nil
	}
	if x.ValueUUID == nil {
		r.addf(xp, "needs valueUuid")
		return uuid.Nil
	}
	u, ok := parseURN(*x.ValueUUID)
	if !ok {
		r.addf(xp+".valueUuid", "is not a urn:uuid")
	}
	return u
}

// uuidsExt returns the values of the repeated extension name, each a
// urn:uuid.
func (r *reader) uuidsExt(l *extList, name string) []uuid.UUID {
	var out []uuid.UUID
	for _, ix := range l.all(name) {
		if ix.ext.ValueUUID == nil {
			r.addf(ix.path, "needs valueUuid")
			continue
		}
		u, ok := parseURN(*ix.ext.ValueUUID)
		if !ok {
			r.addf(ix.path+".valueUuid", "is not a urn:uuid")
			continue
		}
		out = append(out, u)
	}
	return out
}

func (r *reader) flagExt(l *extList, name string) bool {
	x, xp := l.one(name)
	if x == nil {
		return false
	}
	if x.ValueBoolean == nil {
		r.addf(xp, "needs valueBoolean")
		return false
	}
	return *x.ValueBoolean
}

func (r *reader) valueCode(x *Extension, path string) string {
	if x.ValueCode == nil || *x.ValueCode == "" {
		r.addf(path, "needs valueCode")
		return ""
	}
	return *x.ValueCode
}

func (r *reader) valueString(x *Extension, path string) string {
	if x.ValueString == nil || *x.ValueString == "" {
		r.addf(path, "needs valueString")
		return ""
	}
	return *x.ValueString
}

func (r *reader) valueDateTime(x *Extension, path string) string {
	if x.ValueDateTime == nil {
		r.addf(path, "needs valueDateTime")
		return ""
	}
	return *x.ValueDateTime
}

func (r *reader) valueReference(x *Extension, path string) *Reference {
	if x.ValueReference == nil {
		r.addf(path, "needs valueReference")
	}
	return x.ValueReference
}

// sortedKeys returns the keys of m in order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortedByPath(ts []*teamMember) []*teamMember {
	slices.SortFunc(ts, func(a, b *teamMember) int { return cmp.Compare(a.path, b.path) })
	return ts
}
