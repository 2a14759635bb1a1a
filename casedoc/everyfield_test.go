package casedoc_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enumLists are the valid values of every enum type of the case, by type.
// The filler fails on an enum type (a string type with a Valid method)
// that is not here.
var enumLists = func() map[reflect.Type]reflect.Value {
	m := map[reflect.Type]reflect.Value{}
	for _, list := range []any{
		meeting.Kinds(), meeting.Statuses(), meeting.Formats(), meeting.Sectors(), meeting.Roles(), meeting.Locations(), meeting.ItemKinds(),
		consent.Scopes(), consent.Methods(), plan.Statuses(), plan.ActionKinds(), plan.Intensities(), plan.Initiators(),
	} {
		v := reflect.ValueOf(list)
		m[v.Type().Elem()] = v
	}
	return m
}()

// filler sets every field of a value to a non-zero value that is valid for
// its type: a UUID, a time in the years 0001-9999, a whole number of
// minutes within a day, true, a known value of an enum, text; two elements
// in every list. It works by reflection over the domain types, so that a
// new field is filled without a change here.
type filler struct {
	t *testing.T
	n int
}

var valider = reflect.TypeFor[interface{ Valid() bool }]()

func (f *filler) fill(v reflect.Value, path string) {
	f.n++
	switch typ := v.Type(); {
	case typ == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC).Add(time.Duration(f.n) * time.Hour)))
		return
	case typ == reflect.TypeFor[uuid.UUID]():
		v.Set(reflect.ValueOf(uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "every-field-%d", f.n))))
		return
	case typ.Kind() == reflect.String && typ.Implements(valider):
		list, ok := enumLists[typ]
		if !ok {
			f.t.Fatalf("%s: enum %s is not in enumLists", path, typ)
		}
		v.Set(list.Index(f.n % list.Len()))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("text %d", f.n))
	case reflect.Int:
		v.SetInt(int64(1 + f.n%60))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), path)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			f.fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	default:
		f.t.Fatalf("%s: cannot fill a %s", path, v.Type())
	}
}

// neverSet returns the fields (Type.Field) that are zero in every instance
// of their struct type within v.
func neverSet(v reflect.Value) []string {
	set := map[string]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			typ := v.Type()
			if typ == reflect.TypeFor[time.Time]() {
				return
			}
			for i := range v.NumField() {
				if !typ.Field(i).IsExported() {
					continue
				}
				name := typ.String() + "." + typ.Field(i).Name
				if _, ok := set[name]; !ok {
					set[name] = false
				}
				if !v.Field(i).IsZero() && (v.Field(i).Kind() != reflect.Slice || v.Field(i).Len() > 0) {
					set[name] = true
				}
				walk(v.Field(i))
			}
		}
	}
	walk(v)
	var out []string
	for name, ok := range set {
		if !ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// TestRoundTripEveryField: a case with every field of
// every type set (by reflection) comes back equal from its JSON, written by
// jsonv2 and by encoding/json, through every way of decoding, by the fast
// path alone: a field that decoding drops, or a new field the decoder does
// not know, fails here. (testdata/every-field.json is a realistic document
// for the other tests; this case is the one that has every field.)
func TestRoundTripEveryField(t *testing.T) {
	var c casedoc.Case
	(&filler{t: t}).fill(reflect.ValueOf(&c).Elem(), "case")
	require.Empty(t, neverSet(reflect.ValueOf(&c)), "the filler sets every field")

	v2, err := jsonv2.Marshal(&c)
	require.NoError(t, err)
	v1, err := json.Marshal(&c)
	require.NoError(t, err)
	dec := casedoc.Decoder{SkipValidation: true} // the values are valid one by one, not as a meeting
	for name, data := range map[string][]byte{"jsonv2": v2, "encoding/json": v1} {
		t.Run(name, func(t *testing.T) {
			assert.True(t, casedoc.Scanned(data), "the fast path decodes every field")
			got, err := dec.Unmarshal(data)
			require.NoError(t, err)
			assert.Equal(t, &c, got)

			var into casedoc.Case
			require.NoError(t, dec.UnmarshalInto(data, &into))
			require.NoError(t, dec.UnmarshalInto(data, &into), "a second time, into the memory of the first")
			assert.Equal(t, c, into)
		})
	}
}
