package cdshooks

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/fix"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// fixed is what the fixes of a report make of the Appointment.
type fixed struct {
	// ids are the recommendations whose gaps the fixes close.
	ids []string
	// resource is the updated Appointment: the request's, with what the
	// fixes change.
	resource jsontext.Value
}

// mapping is package fhir's mapping at the canonical base of the service
// (WithCanonicalBase): the base its Reader and Writer read and write the
// extensions at, and the URLs of the extensions the service handles itself.
type mapping struct {
	canonical string
	// The extensions of an Appointment that fixes may change (fix.Apply
	// allows nothing else: the agenda, the meeting's length, the
	// minute-taker and plan updater, and when each participant joins,
	// leaves and steps out).
	agendaItem, minuteTaker, planUpdater, joinsAtItem, leavesAfterItem, awayItem string
	// organization is the organisation of a CareTeam member, which
	// assemble leaves out when it resolves to no entry.
	organization string
}

// mappingAt returns the mapping at a canonical base (checkCanonical's).
func mappingAt(canonical string) mapping {
	cf := fhir.Conformance{Canonical: canonical}
	return mapping{
		canonical:       canonical,
		agendaItem:      cf.ExtensionURL(fhir.ExtAgendaItem),
		minuteTaker:     cf.ExtensionURL(fhir.ExtMinuteTaker),
		planUpdater:     cf.ExtensionURL(fhir.ExtPlanUpdater),
		joinsAtItem:     cf.ExtensionURL(fhir.ExtJoinsAtItem),
		leavesAfterItem: cf.ExtensionURL(fhir.ExtLeavesAfterItem),
		awayItem:        cf.ExtensionURL(fhir.ExtAwayItem),
		organization:    cf.ExtensionURL(fhir.ExtOrganization),
	}
}

// reader is the fhir.Reader of requests.
func (m *mapping) reader() fhir.Reader { return fhir.Reader{Canonical: m.canonical} }

// fix applies the fixes of rep, the report on c, (fix.Apply, which does not
// check c again) and turns the fixed
// case into an update of the request's Appointment. The update is not read
// back here: TestCDSSuggestionReadsBack holds that every update the service
// offers reads back, with the same prefetch, as the fixed meeting.
func (s *Service) fix(c *casedoc.Case, rep *recommend.Report, a *appointment, as *assembled, src *fhir.Source) (*fixed, error) {
	res, err := fix.Apply(s.fixer, c, fix.WithReport(rep))
	if err != nil {
		return nil, err
	}
	if len(res.Fixed) == 0 {
		return nil, nil
	}
	raw, err := updatedAppointment(a, as, c, res.Case, src)
	if err != nil {
		return nil, err
	}
	return &fixed{ids: res.Fixed, resource: raw}, nil
}

// updatedAppointment returns the request's Appointment with what changed
// from orig to fixed: the agenda-item, minute-taker and plan-updater
// extensions, end and minutesDuration, and the joins-at-item and
// leaves-after-item extensions of participants. Every other element stays as
// the request has it (status, ids, references, elements the mapping does not
// know), and references in the new extensions are written as the request
// wrote the resources they point at ("Practitioner/abc").
func updatedAppointment(a *appointment, as *assembled, orig, fixedCase *casedoc.Case, src *fhir.Source) (jsontext.Value, error) {
	ext := &as.mapping
	fa, err := fhir.Writer{Canonical: ext.canonical}.Appointment(fixedCase)
	if err != nil {
		return nil, err
	}
	raw, err := a.raw.json()
	if err != nil {
		return nil, err
	}
	obj, err := objectMembers(raw)
	if err != nil {
		return nil, err
	}
	om, fm := &orig.Meeting, &fixedCase.Meeting
	if len(om.Participants) != len(fm.Participants) || len(fa.Participant) != len(fm.Participants) {
		return nil, errors.New("cdshooks: a fix changed who takes part")
	}
	refs := requestForms(a, as, fa, src)
	replace := map[string]bool{}
	if !slices.Equal(om.Agenda, fm.Agenda) {
		replace[ext.agendaItem] = true
		// An item the fixes left as it was keeps its extension as the
		// request has it.
		unchanged := map[string]bool{}
		for _, it := range om.Agenda {
			if i := slices.IndexFunc(fm.Agenda, func(x meeting.AgendaItem) bool { return x.ID == it.ID }); i >= 0 && fm.Agenda[i] == it {
				unchanged["urn:uuid:"+it.ID.String()] = true
			}
		}
		refs.unchangedItems = unchanged
	}
	if om.MinuteTakerID != fm.MinuteTakerID {
		replace[ext.minuteTaker] = true
	}
	if om.PlanUpdaterID != fm.PlanUpdaterID {
		replace[ext.planUpdater] = true
	}
	if len(replace) > 0 {
		if err := obj.replaceExtensions(replace, fa.Extension, refs); err != nil {
			return nil, err
		}
	}
	if om.DurationMinutes != fm.DurationMinutes {
		if err := obj.setJSON("end", fa.End); err != nil {
			return nil, err
		}
		if _, ok := obj.get("minutesDuration"); ok && fa.MinutesDuration != nil {
			if err := obj.setJSON("minutesDuration", *fa.MinutesDuration); err != nil {
				return nil, err
			}
		}
	}
	var participants []jsontext.Value
	for k := range fm.Participants {
		if om.Participants[k].JoinsAtItem == fm.Participants[k].JoinsAtItem &&
			om.Participants[k].LeavesAfterItem == fm.Participants[k].LeavesAfterItem &&
			slices.Equal(om.Participants[k].AwayItems, fm.Participants[k].AwayItems) {
			continue
		}
		if participants == nil {
			v, ok := obj.get("participant")
			if !ok {
				return nil, errors.New("cdshooks: the Appointment has no participant")
			}
			if participants, err = elements(v); err != nil {
				return nil, err
			}
		}
		j, ok := as.requestParticipant(src.Expression(fmt.Sprintf("meeting.participants[%d]", k)))
		if !ok || j >= len(participants) {
			return nil, fmt.Errorf("cdshooks: participant %d has no element of the Appointment", k)
		}
		p, err := objectMembers(participants[j])
		if err != nil {
			return nil, err
		}
		attendance := map[string]bool{ext.joinsAtItem: true, ext.leavesAfterItem: true, ext.awayItem: true}
		if err := p.replaceExtensions(attendance, fa.Participant[k].Extension, refs); err != nil {
			return nil, err
		}
		if participants[j], err = p.encode(); err != nil {
			return nil, err
		}
	}
	if participants != nil {
		obj.set("participant", array(participants))
	}
	return obj.encode()
}

var participantExprRE = regexp.MustCompile(`^Bundle\.entry\[0\]\.resource\.participant\[(\d+)\]$`)

// requestParticipant returns the index in the request's Appointment of the
// participant at a FHIR expression of the assembled Bundle.
func (as *assembled) requestParticipant(expr string) (int, bool) {
	m := participantExprRE.FindStringSubmatch(expr)
	if m == nil {
		return 0, false
	}
	k, _ := strconv.Atoi(m[1])
	if k >= len(as.participants) {
		return 0, false
	}
	return as.participants[k], true
}

// object is a JSON object with its members in order, their values as they
// came.
type object []member

type member struct {
	name  string
	value jsontext.Value
}

// array joins JSON values, valid already, into an array.
func array(values []jsontext.Value) jsontext.Value {
	n := 2
	for _, v := range values {
		n += len(v) + 1
	}
	out := make([]byte, 0, n)
	out = append(out, '[')
	for i, v := range values {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, v...)
	}
	return append(out, ']')
}

func (o object) get(name string) (jsontext.Value, bool) {
	for _, m := range o {
		if m.name == name {
			return m.value, true
		}
	}
	return nil, false
}

// set sets a member, in its place when the object has it, else at the end;
// a nil value removes it.
func (o *object) set(name string, v jsontext.Value) {
	for i, m := range *o {
		if m.name == name {
			if v == nil {
				*o = append((*o)[:i], (*o)[i+1:]...)
			} else {
				(*o)[i].value = v
			}
			return
		}
	}
	if v != nil {
		*o = append(*o, member{name, v})
	}
}

func (o *object) setJSON(name string, v any) error {
	data, err := json.Marshal(v, json.Deterministic(true))
	if err != nil {
		return err
	}
	o.set(name, data)
	return nil
}

func (o object) encode() (jsontext.Value, error) {
	// The values are valid JSON already (as decoded, or as encoded here):
	// they are copied, not checked and formatted again.
	n := 2
	for _, m := range o {
		n += len(m.name) + len(m.value) + 4
	}
	out := make([]byte, 0, n)
	out = append(out, '{')
	for i, m := range o {
		if i > 0 {
			out = append(out, ',')
		}
		var err error
		if out, err = jsontext.AppendQuote(out, m.name); err != nil {
			return nil, err
		}
		out = append(out, ':')
		out = append(out, m.value...)
	}
	return append(out, '}'), nil
}

// forms writes references as the request wrote them, and knows the
// agenda items that the fixes left unchanged.
type forms struct {
	// byRef is the reference of each participant's Appointment.participant
	// actor as the request wrote it ("urn:uuid:…", "Practitioner/abc" or an
	// absolute URL), by the reference fhir.FromCase writes for it.
	byRef map[string]string
	src   *fhir.Source
	// unchangedItems are the item ids ("urn:uuid:…") whose agenda-item
	// extension stays as the request has it.
	unchangedItems map[string]bool
	// agendaItem is the URL of the agenda-item extension.
	agendaItem string
}

// requestForms collects the references of the request's Appointment: each
// participant's actor as it was written, by the actor that fa (the fixed
// case's Appointment of fhir.FromCase) has for the same participant.
func requestForms(a *appointment, as *assembled, fa *fhir.Appointment, src *fhir.Source) *forms {
	f := &forms{byRef: make(map[string]string, len(fa.Participant)), src: src, agendaItem: as.mapping.agendaItem}
	appt := a.entry.Resource.(*fhir.Appointment)
	for k, p := range fa.Participant {
		if p.Actor == nil || p.Actor.Reference == "" {
			continue
		}
		j, ok := as.requestParticipant(src.Expression("meeting.participants[" + strconv.Itoa(k) + "]"))
		if ok && j < len(appt.Participant) && appt.Participant[j].Actor != nil && appt.Participant[j].Actor.Reference != "" {
			f.byRef[p.Actor.Reference] = appt.Participant[j].Actor.Reference
		}
	}
	return f
}

// reference is the request's reference for a reference of fhir.FromCase:
// as the Appointment's participant has it, else as the resource it came
// from is named (Source.Reference); "" when the request has none.
func (f *forms) reference(ref string) string {
	if r, ok := f.byRef[ref]; ok {
		return r
	}
	if id, ok := strings.CutPrefix(ref, "urn:uuid:"); ok {
		if u, err := uuid.Parse(id); err == nil {
			return f.src.Reference(u)
		}
	}
	return ""
}

// itemID returns the id ("urn:uuid:…") of an agenda-item extension.
func itemID(x fhir.Extension) string {
	for _, sub := range x.Extension {
		if sub.URL == "id" && sub.ValueUUID != nil {
			return *sub.ValueUUID
		}
	}
	return ""
}

// replaceExtensions replaces the object's extensions with the URLs in urls
// by those of from (in their order, where the first replaced one was), with
// their references written as the request wrote them; an agenda item left
// unchanged keeps the request's own extension.
func (o *object) replaceExtensions(urls map[string]bool, from []fhir.Extension, refs *forms) error {
	var exts []jsontext.Value
	if v, ok := o.get("extension"); ok {
		var err error
		if exts, err = elements(v); err != nil {
			return err
		}
	}
	var out []jsontext.Value
	kept := map[string]jsontext.Value{} // the request's agenda-item extensions, by item id
	at := -1                            // where the first replaced extension was: the new ones go there
	for _, x := range exts {
		url, err := urlOf(x)
		if err != nil {
			return err
		}
		if !urls[url] {
			out = append(out, x)
			continue
		}
		if at < 0 {
			at = len(out)
		}
		if url == refs.agendaItem && len(refs.unchangedItems) > 0 {
			var item fhir.Extension
			if err := json.Unmarshal(x, &item); err != nil {
				return err
			}
			if id := itemID(item); refs.unchangedItems[id] {
				kept[id] = x
			}
		}
	}
	if at < 0 {
		at = len(out)
	}
	var repl []jsontext.Value
	var news []fhir.Extension // the new extensions, encoded together
	var slots []int           // where each goes in repl
	for _, x := range from {
		if !urls[x.URL] {
			continue
		}
		if x.URL == refs.agendaItem {
			if raw, ok := kept[itemID(x)]; ok {
				repl = append(repl, raw)
				continue
			}
		}
		news = append(news, requestRefs(x, refs))
		slots = append(slots, len(repl))
		repl = append(repl, nil)
	}
	if len(news) > 0 {
		data, err := json.Marshal(news, json.Deterministic(true))
		if err != nil {
			return err
		}
		encoded, err := elements(data)
		if err != nil || len(encoded) != len(news) {
			return errors.Join(errors.New("cdshooks: the new extensions could not be encoded"), err)
		}
		for i, j := range slots {
			repl[j] = encoded[i]
		}
	}
	out = slices.Insert(out, at, repl...)
	if len(out) == 0 {
		o.set("extension", nil)
		return nil
	}
	o.set("extension", array(out))
	return nil
}

// requestRefs returns x with every reference to a case UUID
// ("urn:uuid:…", as fhir.FromCase writes them) replaced by the reference of
// the request (forms.reference).
func requestRefs(x fhir.Extension, refs *forms) fhir.Extension {
	if x.ValueReference != nil {
		if ref := refs.reference(x.ValueReference.Reference); ref != "" {
			r := *x.ValueReference
			r.Reference = ref
			x.ValueReference = &r
		}
	}
	if len(x.Extension) > 0 {
		subs := make([]fhir.Extension, len(x.Extension))
		for i := range x.Extension {
			subs[i] = requestRefs(x.Extension[i], refs)
		}
		x.Extension = subs
	}
	return x
}
