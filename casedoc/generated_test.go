package casedoc

import (
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/internal/gencasedoc"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratedFileIsFresh runs the generator into memory: decode_gen.go
// must be what it writes for the types as they are. After changing a type
// of the case, run go generate ./casedoc.
func TestGeneratedFileIsFresh(t *testing.T) {
	want, err := gencasedoc.Generate(reflect.TypeFor[Case]())
	require.NoError(t, err)
	got, err := os.ReadFile("decode_gen.go")
	require.NoError(t, err)
	assert.True(t, string(want) == string(got), "decode_gen.go is stale: run go generate ./casedoc")
}

// goodCase is a small valid case whose every tagged field holds its tags.
func goodCase() *Case {
	id := func(b byte) uuid.UUID { return uuid.UUID{15: b} }
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	return &Case{
		Meeting: meeting.Meeting{ID: id(1), PatientID: id(2), Kind: "collaboration", Status: "planned", Format: "digital",
			Start: start, DurationMinutes: 60,
			Participants: []meeting.Participant{{ID: id(3), Role: "patient", Sector: "patient"}},
			Agenda:       []meeting.AgendaItem{{ID: id(4), Kind: "introductions", Minutes: 5}}},
		Consents: consent.Set{{ID: id(5), GranteeID: id(3), Scopes: []consent.Scope{"attend"}, GivenAt: start}},
		Plan:     &plan.Plan{ID: id(6), Status: "draft", Actions: []plan.Action{{ID: id(7)}}},
	}
}

// breakings returns, for every `validate` tag of the case's types found by
// reflection, values of its field that break it: the zero value for
// required, a value just over or under each bound (a number, or the length
// of a string or a list); after dive, a list of one element that breaks the
// rest of the tag.
func breakings(t *testing.T, typ reflect.Type, tag string) []reflect.Value {
	t.Helper()
	var out []reflect.Value
	parts := strings.Split(tag, ",")
	for i, part := range parts {
		op, param, _ := strings.Cut(part, "=")
		n, _ := strconv.Atoi(param)
		switch op {
		case "required":
			out = append(out, reflect.Zero(typ))
		case "gt", "min", "gte":
			if op == "gt" {
				n++
			}
			switch typ.Kind() {
			case reflect.Int:
				out = append(out, reflect.ValueOf(n-1).Convert(typ), reflect.ValueOf(-1<<62).Convert(typ))
			case reflect.String, reflect.Slice:
				if n > 0 {
					out = append(out, ofLength(typ, n-1))
				}
			default:
				require.Failf(t, "no breaking", "%s on %s", op, typ)
			}
		case "lte", "max", "lt":
			if op == "lt" {
				n--
			}
			switch typ.Kind() {
			case reflect.Int:
				out = append(out, reflect.ValueOf(n+1).Convert(typ), reflect.ValueOf(1<<62).Convert(typ))
			case reflect.String, reflect.Slice:
				out = append(out, ofLength(typ, n+1))
			default:
				require.Failf(t, "no breaking", "%s on %s", op, typ)
			}
		case "dive":
			require.Equal(t, reflect.Slice, typ.Kind(), "dive on %s", typ)
			for _, bad := range breakings(t, typ.Elem(), strings.Join(parts[i+1:], ",")) {
				list := reflect.MakeSlice(typ, 1, 1)
				list.Index(0).Set(bad)
				out = append(out, list)
			}
			return out
		case "omitempty", "":
		default:
			require.Failf(t, "unknown tag", "%q", op)
		}
	}
	return out
}

// ofLength is a string of n letters, or a list of n zero elements.
func ofLength(typ reflect.Type, n int) reflect.Value {
	if typ.Kind() == reflect.String {
		return reflect.ValueOf(strings.Repeat("x", n)).Convert(typ)
	}
	return reflect.MakeSlice(typ, n, n)
}

// TestTagsHoldAgreeWithValidator breaks each tagged field of each type in
// turn (found by reflection): whenever the shared validator reports a
// problem, the generated check says no, and on the good case both agree
// that all is well.
func TestTagsHoldAgreeWithValidator(t *testing.T) {
	holds := func(c *Case) bool {
		return tagsHoldMeeting(&c.Meeting) && tagsHoldConsent(&c.Consents[0]) && tagsHoldPlan(c.Plan)
	}
	validatorFails := func(c *Case) bool {
		return len(validation.Struct("meeting", &c.Meeting)) > 0 || len(validation.Struct("", &c.Consents[0])) > 0 ||
			len(validation.Struct("plan", c.Plan)) > 0
	}
	require.True(t, holds(goodCase()))
	require.False(t, validatorFails(goodCase()))
	// Each struct of the good case, found from the case by the same path each time.
	structs := map[string]func(c *Case) reflect.Value{
		"meeting":     func(c *Case) reflect.Value { return reflect.ValueOf(&c.Meeting).Elem() },
		"participant": func(c *Case) reflect.Value { return reflect.ValueOf(&c.Meeting.Participants[0]).Elem() },
		"agenda item": func(c *Case) reflect.Value { return reflect.ValueOf(&c.Meeting.Agenda[0]).Elem() },
		"consent":     func(c *Case) reflect.Value { return reflect.ValueOf(&c.Consents[0]).Elem() },
		"plan":        func(c *Case) reflect.Value { return reflect.ValueOf(c.Plan).Elem() },
		"action":      func(c *Case) reflect.Value { return reflect.ValueOf(&c.Plan.Actions[0]).Elem() },
	}
	tested := 0
	for what, at := range structs {
		typ := at(goodCase()).Type()
		for i := range typ.NumField() {
			f := typ.Field(i)
			tag := f.Tag.Get("validate")
			if tag == "-" || tag == "" {
				continue
			}
			for _, bad := range breakings(t, f.Type, tag) {
				c := goodCase()
				at(c).Field(i).Set(bad)
				tested++
				assert.True(t, validatorFails(c), "%s.%s = %v: the validator sees no problem", what, f.Name, bad)
				assert.False(t, holds(c), "%s.%s = %v: the generated check sees no problem", what, f.Name, bad)
			}
		}
	}
	assert.Greater(t, tested, 20)
	// Every struct with tags is among those broken above.
	for _, typ := range []reflect.Type{
		reflect.TypeFor[meeting.Pathway](), reflect.TypeFor[meeting.Preparation](), reflect.TypeFor[plan.FollowUp](),
	} {
		for f := range typ.Fields() {
			assert.Equal(t, "-", f.Tag.Get("validate"), "%s.%s has a tag this test does not break", typ, f.Name)
		}
	}
}
