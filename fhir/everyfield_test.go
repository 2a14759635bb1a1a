package fhir_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enumValues are the values of every enum type of the domain packages, for
// the filler to choose valid ones. A new enum type must be added here: the
// filler fails on a named string type it has no values for.
var enumValues = map[reflect.Type][]string{
	reflect.TypeFor[meeting.Kind]():     strs(meeting.Kinds()),
	reflect.TypeFor[meeting.Status]():   strs(meeting.Statuses()),
	reflect.TypeFor[meeting.Format]():   strs(meeting.Formats()),
	reflect.TypeFor[meeting.Sector]():   strs(meeting.Sectors()),
	reflect.TypeFor[meeting.Role]():     strs(meeting.Roles()),
	reflect.TypeFor[meeting.Location](): strs(meeting.Locations()),
	reflect.TypeFor[meeting.ItemKind](): strs(meeting.ItemKinds()),
	reflect.TypeFor[consent.Scope]():    strs(consent.Scopes()),
	reflect.TypeFor[consent.Method]():   strs(consent.Methods()),
	reflect.TypeFor[plan.Status]():      strs(plan.Statuses()),
	reflect.TypeFor[plan.ActionKind]():  strs(plan.ActionKinds()),
	reflect.TypeFor[plan.Intensity]():   strs(plan.Intensities()),
	reflect.TypeFor[plan.Initiator]():   strs(plan.Initiators()),
}

func strs[E ~string](all []E) []string {
	out := make([]string, len(all))
	for i, e := range all {
		out[i] = string(e)
	}
	return out
}

var uuidType = reflect.TypeFor[uuid.UUID]()

// filler sets every field of a value, by reflection over its type, to a
// non-zero value: each UUID new, each time later than the one before (so
// that given_at < expires_at < withdrawn_at), every list two long, every
// enum the value of its index in the list.
type filler struct {
	t     *testing.T
	n     int
	clock time.Time
}

func (f *filler) fill(v reflect.Value, path string, index int) {
	f.n++
	switch {
	case v.Type() == uuidType:
		v.Set(reflect.ValueOf(id(5000 + f.n)))
		return
	case v.Type() == timeType:
		f.clock = f.clock.Add(time.Hour + time.Second + time.Millisecond)
		v.Set(reflect.ValueOf(f.clock))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), path, 0)
	case reflect.Struct:
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			if sf.IsExported() {
				f.fill(v.Field(i), path+"."+jsonName(sf), 0)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			f.fill(s.Index(i), fmt.Sprintf("%s[%d]", path, i), i)
		}
		v.Set(s)
	case reflect.String:
		if v.Type().PkgPath() == "" {
			v.SetString(fmt.Sprintf("free text %d", f.n))
			return
		}
		values, ok := enumValues[v.Type()]
		require.True(f.t, ok, "%s: no values known for enum type %s: add them to enumValues", path, v.Type())
		v.SetString(values[index%len(values)])
	case reflect.Int:
		v.SetInt(int64(5 + index))
	case reflect.Bool:
		v.SetBool(true)
	default:
		f.t.Fatalf("%s: the filler cannot set a %s: teach it", path, v.Type())
	}
}

var timeType = reflect.TypeFor[time.Time]()

func jsonName(sf reflect.StructField) string {
	name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
	if name == "" {
		return sf.Name
	}
	return name
}

// setRefs sets every UUID reachable from v whose field is not an "id" by what
// it refers to: an agenda item, the meeting, the patient, or else a participant.
func setRefs(v reflect.Value, name string, refs map[string]uuid.UUID, other uuid.UUID) {
	switch {
	case v.Type() == uuidType:
		if name == "id" {
			return
		}
		target, ok := refs[name]
		if !ok {
			target = other
		}
		v.Set(reflect.ValueOf(target))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			setRefs(v.Elem(), name, refs, other)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			return
		}
		for i := range v.NumField() {
			if sf := v.Type().Field(i); sf.IsExported() {
				setRefs(v.Field(i), jsonName(sf), refs, other)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			setRefs(v.Index(i), name, refs, other)
		}
	}
}

// everyFieldByReflection is a valid case with every field of every domain
// type set to a non-zero value, built by reflection over the types, so that
// a field added to a domain type is set without anyone editing this test.
// What the types cannot say — which UUID refers to what, the one patient,
// each role's sector, which strings are sector codes — is set after.
func everyFieldByReflection(t *testing.T) *casedoc.Case {
	t.Helper()
	c := &casedoc.Case{}
	f := &filler{t: t, clock: time.Date(2026, 5, 4, 9, 0, 0, 123456789, time.FixedZone("", 2*60*60))}
	f.fill(reflect.ValueOf(c).Elem(), "", 0)

	m := &c.Meeting
	m.Participants[0].Role, m.Participants[0].Sector = meeting.RolePatient, meeting.SectorPatient
	m.Participants[1].Role, m.Participants[1].Sector = meeting.RoleGP, meeting.SectorPrimaryHealth
	m.DurationMinutes = 90
	refs := map[string]uuid.UUID{
		"joins_at_item": m.Agenda[0].ID, "leaves_after_item": m.Agenda[1].ID,
		"meeting_id": m.ID, "patient_id": m.Participants[0].ID,
	}
	setRefs(reflect.ValueOf(c).Elem(), "", refs, m.Participants[1].ID)
	m.Participants[1].SuccessorID = m.Participants[0].ID
	for k := range m.Participants { // two items of the span, each once
		m.Participants[k].AwayItems = []uuid.UUID{m.Agenda[1].ID, m.Agenda[0].ID}
	}
	c.Plan.InformedOnlySectors = []string{string(meeting.SectorEmployer), string(meeting.SectorEducation)}
	require.NoError(t, c.Validate())
	assertNoZeroField(t, reflect.ValueOf(c).Elem(), "case")
	return c
}

// assertNoZeroField fails for every field reachable from v that is zero.
func assertNoZeroField(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	if v.IsZero() {
		t.Errorf("%s is zero", path)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		assertNoZeroField(t, v.Elem(), path)
	case reflect.Struct:
		if v.Type() == timeType {
			return
		}
		for i := range v.NumField() {
			if sf := v.Type().Field(i); sf.IsExported() {
				assertNoZeroField(t, v.Field(i), path+"."+jsonName(sf))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			assertNoZeroField(t, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	}
}

// TestRoundTripEveryFieldByReflection: a field added to any
// domain type is set here, and the round trip fails until the mapping
// carries it.
func TestRoundTripEveryFieldByReflection(t *testing.T) {
	c := everyFieldByReflection(t)
	_, back := roundTrip(t, c)
	assert.Equal(t, c, back)

	// The patient as a participant with an ID of its own, and every other role.
	c = everyFieldByReflection(t)
	c.Meeting.PatientID = id(4999)
	for i := range c.Consents {
		c.Consents[i].PatientID = c.Meeting.PatientID
	}
	require.NoError(t, c.Validate())
	_, back = roundTrip(t, c)
	assert.Equal(t, c, back)
}
