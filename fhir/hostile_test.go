package fhir_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type object = map[string]any

type casedocCase = casedoc.Case

// goodBundle returns the Bundle of the every-field case as generic JSON.
func goodBundle(t *testing.T) object {
	t.Helper()
	data, err := fhir.MarshalCase(everyField())
	require.NoError(t, err)
	var b object
	require.NoError(t, json.Unmarshal(data, &b))
	return b
}

// entry returns the n-th resource of type typ in b, and its entry index.
func entry(b object, typ string, n int) (object, int) {
	for i, e := range b["entry"].([]any) {
		r := e.(object)["resource"].(object)
		if r["resourceType"] == typ {
			if n == 0 {
				return r, i
			}
			n--
		}
	}
	panic("no " + typ)
}

func list(v any) []any { return v.([]any) }
func obj(v any) object { return v.(object) }

// freeText is every free text of the every-field case: none may appear in an error.
func freeText() []string {
	c := everyField()
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	for _, p := range c.Meeting.Participants {
		add(p.Name)
		add(p.Purpose)
		add(p.Organization)
	}
	for _, it := range c.Meeting.Agenda {
		add(it.Title)
	}
	for _, a := range c.Plan.Actions {
		add(a.Description)
	}
	out = append(out, c.Plan.PatientGoals...)
	add(c.Meeting.Platform)
	return out
}

func TestHostileBundles(t *testing.T) {
	tests := []struct {
		name string
		data string               // raw input; when "", the good Bundle after edit
		edit func(b object)       // changes the good Bundle
		want []validation.Problem // each must be among the problems (message: a prefix)
		is   error                // the sentinel the error wraps, if any
		// strict reads with Reader{Strict: true}, which refuses resources the mapping does not use.
		strict bool
	}{
		{name: "malformed JSON", data: `{"resourceType": "Bundle", "entry": [`,
			want: []validation.Problem{{Path: "Bundle.entry", Message: "malformed JSON at byte 37"}}, is: fhir.ErrSyntax},
		{name: "not an object", data: `[{"resourceType": "Bundle"}]`,
			want: []validation.Problem{{Path: "Bundle", Message: "got an array, want an object"}}, is: fhir.ErrSyntax},
		{name: "repeated key", data: `{"resourceType": "Bundle", "type": "collection", "type": "collection"}`,
			want: []validation.Problem{{Path: "Bundle.type", Message: "repeated key"}}, is: fhir.ErrSyntax},
		{name: "byte-order mark", data: "\xef\xbb\xbf{}",
			want: []validation.Problem{{Path: "Bundle", Message: "starts with a byte-order mark"}}, is: fhir.ErrSyntax},
		{name: "wrong resourceType", data: `{"resourceType": "Patient", "id": "x"}`,
			want: []validation.Problem{{Path: "Bundle.resourceType", Message: `is "Patient", want Bundle`}}, is: fhir.ErrMapping},
		{name: "no resourceType", data: `{"type": "collection"}`,
			want: []validation.Problem{{Path: "Bundle.resourceType", Message: "is empty, want Bundle"}}, is: fhir.ErrMapping},
		{name: "history Bundle", edit: func(b object) { b["type"] = "history" },
			want: []validation.Problem{{Path: "Bundle.type", Message: `is "history", want one of collection`}}, is: fhir.ErrMapping},
		{name: "wrong JSON type in a resource",
			edit: func(b object) { a, _ := entry(b, "Appointment", 0); a["participant"] = object{} },
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant", Message: "got an object, want an array"}}, is: fhir.ErrSyntax},
		{name: "fraction where a whole number is needed",
			edit: func(b object) { a, _ := entry(b, "Appointment", 0); a["minutesDuration"] = 7.5 },
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.minutesDuration", Message: "got a fraction or exponent, want a whole number"}}, is: fhir.ErrSyntax},
		{name: "resource type outside the subset",
			edit: func(b object) {
				b["entry"] = append(list(b["entry"]), object{"resource": object{"resourceType": "Observation", "id": "o"}})
			},
			want: []validation.Problem{{Path: "Bundle.entry[25].resource.resourceType", Message: `"Observation" is not mapped to the case`}}, is: fhir.ErrMapping, strict: true},
		{name: "resource type that is no name",
			edit: func(b object) {
				b["entry"] = append(list(b["entry"]), object{"fullUrl": "urn:x", "resource": object{"resourceType": "Kari Nordmann", "id": "o"}})
			},
			want: []validation.Problem{{Path: "Bundle.entry[25].resource.resourceType", Message: "is not the name of a resource type"}}, is: fhir.ErrMapping},
		{name: "reference to a resource the mapping does not use",
			edit: func(b object) {
				b["entry"] = append(list(b["entry"]), object{"fullUrl": "urn:x", "resource": object{"resourceType": "Device", "id": "o"}})
				a, _ := entry(b, "Appointment", 0)
				obj(obj(list(a["participant"])[1])["actor"])["reference"] = "urn:x"
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[1].actor.reference", Message: "refers to a Device, want Patient"}}, is: fhir.ErrMapping},
		{name: "resource without resourceType",
			edit: func(b object) { b["entry"] = append(list(b["entry"]), object{"resource": object{"id": "o"}}) },
			want: []validation.Problem{{Path: "Bundle.entry[25].resource.resourceType", Message: "is required"}}, is: fhir.ErrMapping},
		{name: "entry without resource",
			edit: func(b object) { b["entry"] = append(list(b["entry"]), object{"fullUrl": "urn:uuid:x"}) },
			want: []validation.Problem{{Path: "Bundle.entry[25].resource", Message: "is required"}}, is: fhir.ErrMapping},
		{name: "no Appointment",
			edit: func(b object) { b["entry"] = list(b["entry"])[1:] },
			want: []validation.Problem{{Path: "Bundle.entry", Message: "has no Appointment"}}, is: fhir.ErrMapping},
		{name: "two Appointments",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				second := object{}
				for k, v := range a {
					second[k] = v
				}
				second["id"] = "0b8f5c3e-3f5a-4a3b-8f7e-6b2a1c0d9e8f"
				b["entry"] = append(list(b["entry"]), object{"fullUrl": "urn:uuid:0b8f5c3e-3f5a-4a3b-8f7e-6b2a1c0d9e8f", "resource": second})
			},
			want: []validation.Problem{{Path: "Bundle.entry[25].resource", Message: "is a second Appointment (the first is Bundle.entry[0])"}}, is: fhir.ErrMapping},
		{name: "no CareTeam",
			edit: func(b object) {
				_, i := entry(b, "CareTeam", 0)
				e := list(b["entry"])
				b["entry"] = append(e[:i:i], e[i+1:]...)
			},
			want: []validation.Problem{{Path: "Bundle.entry", Message: "has no CareTeam"}}, is: fhir.ErrMapping},
		{name: "two fullUrls alike",
			edit: func(b object) { obj(list(b["entry"])[2])["fullUrl"] = obj(list(b["entry"])[1])["fullUrl"] },
			want: []validation.Problem{{Path: "Bundle.entry[2].fullUrl", Message: "is also the fullUrl of Bundle.entry[1]"}}, is: fhir.ErrMapping},
		{name: "reference to no entry",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				obj(obj(list(a["participant"])[1])["actor"])["reference"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[1].actor.reference", Message: "refers to no entry"}}, is: fhir.ErrMapping},
		{name: "reference to the wrong type",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				_, ct := entry(b, "CareTeam", 0)
				obj(obj(list(a["participant"])[1])["actor"])["reference"] = obj(list(b["entry"])[ct])["fullUrl"]
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[1].actor.reference", Message: "refers to a CareTeam, want Patient or Practitioner or PractitionerRole or RelatedPerson"}}, is: fhir.ErrMapping},
		{name: "participant without actor",
			edit: func(b object) { a, _ := entry(b, "Appointment", 0); delete(obj(list(a["participant"])[2]), "actor") },
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[2].actor", Message: "is required"}}, is: fhir.ErrMapping},
		{name: "unknown role code",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				cc := obj(list(obj(list(a["participant"])[2])["type"])[1])
				obj(list(cc["coding"])[0])["code"] = "surgeon"
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[2].type[1].coding[0].code", Message: `unknown code "surgeon" (want one of patient, next_of_kin`}}, is: fhir.ErrMapping},
		{name: "free text in a code is not echoed",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				cc := obj(list(obj(list(a["participant"])[2])["type"])[1])
				obj(list(cc["coding"])[0])["code"] = "Kari Nordmann"
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[2].type[1].coding[0].code", Message: "unknown code (a text that is not a code)"}}, is: fhir.ErrMapping},
		{name: "no role",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				obj(list(a["participant"])[2])["type"] = list(obj(list(a["participant"])[2])["type"])[:1]
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[2].type", Message: "needs a coding of system " + fhir.SystemParticipantRole}}, is: fhir.ErrMapping},
		{name: "away item that is no urn:uuid",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				x := obj(list(obj(list(a["participant"])[4])["extension"])[5])
				x["valueUuid"] = "urn:uuid:not-one"
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[4].extension[5].valueUuid", Message: "is not a urn:uuid"}}, is: fhir.ErrMapping},
		{name: "away item without a value",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				x := obj(list(obj(list(a["participant"])[4])["extension"])[4])
				delete(x, "valueUuid")
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[4].extension[4]", Message: "needs valueUuid"}}, is: fhir.ErrMapping},
		{name: "unknown appointment status",
			edit: func(b object) { a, _ := entry(b, "Appointment", 0); a["status"] = "noshow" },
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.status", Message: `code "noshow" has no meaning in the case (want one of cancelled, fulfilled, booked)`}}, is: fhir.ErrMapping},
		{name: "unknown participation status",
			edit: func(b object) { a, _ := entry(b, "Appointment", 0); obj(list(a["participant"])[0])["status"] = "maybe" },
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[0].status", Message: `unknown code "maybe"`}}, is: fhir.ErrMapping},
		{name: "no meeting kind",
			edit: func(b object) { a, _ := entry(b, "Appointment", 0); delete(a, "serviceType") },
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.serviceType", Message: "needs a coding of system " + fhir.SystemMeetingKind}}, is: fhir.ErrMapping},
		{name: "start without time",
			edit: func(b object) { a, _ := entry(b, "Appointment", 0); a["start"] = "2026-05-04" },
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.start", Message: "is a date without a time"}}, is: fhir.ErrMapping},
		{name: "end disagrees with minutesDuration",
			edit: func(b object) { a, _ := entry(b, "Appointment", 0); a["end"] = "2026-05-04T11:00:00+02:00" },
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.end", Message: "is not start + minutesDuration"}}, is: fhir.ErrMapping},
		{name: "duration from end, not whole minutes",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				delete(a, "minutesDuration")
				a["end"] = "2026-05-04T10:00:30+02:00"
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.end", Message: "must be a whole number of minutes after start"}}, is: fhir.ErrMapping},
		{name: "typo in a collabmeet extension URL",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				obj(list(a["extension"])[1])["url"] = fhir.Base + "/StructureDefinition/video-servise"
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.extension[1].url", Message: "is no collabmeet extension of this element"}}, is: fhir.ErrMapping},
		{name: "extension with the wrong value type",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				x := obj(list(a["extension"])[0])
				delete(x, "valueCode")
				x["valueString"] = "digital"
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.extension[0]", Message: "needs valueCode"}}, is: fhir.ErrMapping},
		{name: "unknown agenda sub-extension",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				item := obj(list(a["extension"])[6])
				item["extension"] = append(list(item["extension"]), object{"url": "colour", "valueCode": "red"})
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.extension[6].extension[5].url", Message: "is no sub-extension of this extension"}}, is: fhir.ErrMapping},
		{name: "modifier extension",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				a["modifierExtension"] = []any{object{"url": "https://example.org/not-really", "valueBoolean": true}}
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.modifierExtension", Message: "is not understood"}}, is: fhir.ErrMapping},
		{name: "extensions of other namespaces are ignored, but the CareTeam must know every participant",
			edit: func(b object) {
				a, _ := entry(b, "Appointment", 0)
				a["extension"] = append(list(a["extension"]), object{"url": "https://ehr.example/x", "valueString": "ignored"})
				ct, _ := entry(b, "CareTeam", 0)
				ct["participant"] = list(ct["participant"])[1:]
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[0].actor.reference", Message: "refers to no member of the CareTeam"}}, is: fhir.ErrMapping},
		{name: "CareTeam role contradicts the Appointment",
			edit: func(b object) {
				ct, _ := entry(b, "CareTeam", 0)
				cc := obj(list(obj(list(ct["participant"])[2])["role"])[0])
				obj(list(cc["coding"])[0])["code"] = "psychologist"
			},
			want: []validation.Problem{{Path: "Bundle.entry[16].resource.participant[2].role", Message: "contradicts the role in Bundle.entry[0].resource.participant[2].type"}}, is: fhir.ErrMapping},
		{name: "withdrawn without a time",
			edit: func(b object) {
				c, _ := entry(b, "Consent", 0)
				c["status"] = "inactive"
			},
			want: []validation.Problem{{Path: "Bundle.entry[17].resource.status", Message: "is inactive but has no extension"}}, is: fhir.ErrMapping},
		{name: "deny provision",
			edit: func(b object) { c, _ := entry(b, "Consent", 0); obj(c["provision"])["type"] = "deny" },
			want: []validation.Problem{{Path: "Bundle.entry[17].resource.provision.type", Message: `is "deny": only a permit maps`}}, is: fhir.ErrMapping},
		{name: "consent action without a collabmeet scope",
			edit: func(b object) {
				c, _ := entry(b, "Consent", 0)
				action := obj(list(obj(c["provision"])["action"])[0])
				action["coding"] = list(action["coding"])[:1]
			},
			want: []validation.Problem{{Path: "Bundle.entry[17].resource.provision.action[0]", Message: "needs a coding of system " + fhir.SystemConsentScope}}, is: fhir.ErrMapping},
		{name: "consent without grantee",
			edit: func(b object) { c, _ := entry(b, "Consent", 0); delete(obj(c["provision"]), "actor") },
			want: []validation.Problem{{Path: "Bundle.entry[17].resource.provision.actor", Message: "has 0 actors, want exactly 1"}}, is: fhir.ErrMapping},
		{name: "Task that is no activity",
			edit: func(b object) { p, _ := entry(b, "CarePlan", 0); p["activity"] = list(p["activity"])[1:] },
			want: []validation.Problem{{Path: "Bundle.entry[21].resource", Message: "is a Task that no CarePlan.activity refers to"}}, is: fhir.ErrMapping},
		{name: "activity detail",
			edit: func(b object) {
				p, _ := entry(b, "CarePlan", 0)
				obj(list(p["activity"])[0])["detail"] = object{"status": "not-started"}
			},
			want: []validation.Problem{{Path: "Bundle.entry[20].resource.activity[0].detail", Message: "is not mapped"}}, is: fhir.ErrMapping},
		{name: "goal without text",
			edit: func(b object) {
				p, _ := entry(b, "CarePlan", 0)
				obj(list(p["contained"])[0])["description"] = object{"coding": []any{object{"system": "http://snomed.info/sct", "code": "1"}}}
			},
			want: []validation.Problem{{Path: "Bundle.entry[20].resource.contained[0].description.text", Message: "is required"}}, is: fhir.ErrMapping},
		{name: "id that is not a FHIR id",
			edit: func(b object) { c, _ := entry(b, "Consent", 1); c["id"] = "consent 2" },
			want: []validation.Problem{{Path: "Bundle.entry[18].resource.id", Message: "is not a FHIR id"}}, is: fhir.ErrMapping},
		{name: "id too long for a FHIR id",
			edit: func(b object) { c, _ := entry(b, "Consent", 1); c["id"] = strings.Repeat("a", 65) },
			want: []validation.Problem{{Path: "Bundle.entry[18].resource.id", Message: "is not a FHIR id"}}, is: fhir.ErrMapping},
		{name: "id shaped like a fødselsnummer",
			edit: func(b object) { p, _ := entry(b, "Patient", 0); p["id"] = canaryFnr },
			want: []validation.Problem{{Path: "Bundle.entry[1].resource.id", Message: "looks like a personal identifier"}}, is: fhir.ErrMapping},
		{name: "fullUrl ending in a fødselsnummer",
			edit: func(b object) { obj(list(b["entry"])[1])["fullUrl"] = "https://ehr.example/fhir/Patient/" + canaryFnr },
			want: []validation.Problem{{Path: "Bundle.entry[1].fullUrl", Message: "looks like it holds a personal identifier"}}, is: fhir.ErrMapping},
		{name: "id that is the HPR-nummer of the resource",
			edit: func(b object) {
				p, _ := entry(b, "Practitioner", 0)
				p["id"] = "9144900"
				p["identifier"] = []any{object{"system": fhir.SystemHPRNummer, "value": "9144900"}}
			},
			want: []validation.Problem{{Path: "Bundle.entry[3].resource.id", Message: "looks like a personal identifier"}}, is: fhir.ErrMapping},
		{name: "Type/id of two entries",
			edit: func(b object) {
				e := list(b["entry"])
				p, _ := entry(b, "Practitioner", 0)
				q, _ := entry(b, "Practitioner", 1)
				q["id"] = p["id"]
				obj(e[5])["fullUrl"] = "https://other.example/Practitioner/x"
				a, _ := entry(b, "Appointment", 0)
				obj(obj(list(a["participant"])[2])["actor"])["reference"] = "Practitioner/" + p["id"].(string)
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.participant[2].actor.reference", Message: "refers to more than one entry (by type and id)"}}, is: fhir.ErrMapping},
		{name: "maps to an invalid case",
			edit: func(b object) {
				ct, _ := entry(b, "CareTeam", 0)
				cc := obj(list(obj(list(ct["participant"])[3])["role"])[1])
				obj(list(cc["coding"])[0])["code"] = "social_security"
			},
			want: []validation.Problem{{Path: "meeting.participants[3].sector", Message: "role gp cannot be in sector social_security"}}},
	}
	secrets := freeText()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.data)
			if tt.data == "" {
				b := goodBundle(t)
				tt.edit(b)
				var err error
				data, err = json.Marshal(b)
				require.NoError(t, err)
			}
			ve, _ := requireRefused(t, data, tt.strict, tt.want)
			if tt.is != nil {
				assert.ErrorIs(t, ve, tt.is)
			}
			for _, s := range secrets {
				assert.NotContains(t, ve.Error(), s, "an error message quotes free text")
			}
		})
	}
}

// requireRefused reads data with a Reader (strict or not): it must not
// panic, and must refuse the Bundle with a *validation.Error that has each
// problem of want (the message as a prefix).
func requireRefused(t *testing.T, data []byte, strict bool, want []validation.Problem) (*validation.Error, *fhir.Source) {
	t.Helper()
	var c *casedoc.Case
	var src *fhir.Source
	var err error
	require.NotPanics(t, func() { c, src, err = fhir.Reader{Strict: strict}.Read(data) })
	require.Error(t, err)
	assert.Nil(t, c)
	var ve *validation.Error
	require.True(t, errors.As(err, &ve), "want a *validation.Error, got %T", err)
	for _, w := range want {
		assert.True(t, hasProblem(ve.Problems, w), "want problem %q among:\n%v", w, err)
	}
	return ve, src
}

func hasProblem(ps []validation.Problem, want validation.Problem) bool {
	for _, p := range ps {
		if p.Path == want.Path && strings.HasPrefix(p.Message, want.Message) {
			return true
		}
	}
	return false
}

// FuzzParseDateTime checks that what ParseDateTime accepts matches the FHIR
// grammar and writes back as the same instant with the same offset.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2026-05-04T09:00:00+02:00", "2026-05-04T09:00:00.5Z", "2026-05-04", "2026-05-04T09:00:00+24:00", "2026-05-04T9:00:00Z", "2026-05-04T09:00:00,5Z", "2026-05-04T09:00:00+02:60", "9999-12-31T23:59:60-14:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := fhir.ParseDateTime(s)
		if err != nil {
			// Either not the grammar, or a date the calendar or the case cannot take.
			require.True(t, !dateTimeRE.MatchString(s) || len(s) < 20 || strings.Contains(err.Error(), "day") || strings.Contains(err.Error(), "leap second") ||
				strings.Contains(err.Error(), "first instant"), "%v", err)
			return
		}
		require.True(t, dateTimeRE.MatchString(s))
		out, err := fhir.FormatDateTime(tm)
		require.NoError(t, err)
		again, err := fhir.ParseDateTime(out)
		require.NoError(t, err)
		require.True(t, tm.Equal(again))
		_, off1 := tm.Zone()
		_, off2 := again.Zone()
		require.Equal(t, off1, off2)
	})
}

// dateTimeRE is the FHIR R4 dateTime grammar, written out again here.
var dateTimeRE = regexp.MustCompile(`^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$`)

func TestToCaseNil(t *testing.T) {
	_, err := fhir.ToCase(nil)
	assert.ErrorIs(t, err, fhir.ErrMapping)
}

// TestReadBundleNilResources: a Bundle built in Go whose entry holds a nil
// pointer of a resource type reads as an entry without resource, with no
// panic, whatever the Bundle type.
func TestReadBundleNilResources(t *testing.T) {
	for _, res := range []fhir.Resource{(*fhir.Appointment)(nil), (*fhir.Patient)(nil), (*fhir.Composition)(nil),
		(*fhir.MessageHeader)(nil), (*fhir.OtherResource)(nil)} {
		for _, typ := range []string{"collection", "document", "message"} {
			t.Run(fmt.Sprintf("%T in a %s", res, typ), func(t *testing.T) {
				var err error
				require.NotPanics(t, func() {
					_, _, err = fhir.Reader{}.ReadBundle(&fhir.Bundle{ResourceType: "Bundle", Type: typ, Entry: []fhir.Entry{{Resource: res}}})
				})
				var ve *validation.Error
				require.True(t, errors.As(err, &ve), "want a *validation.Error, got %v", err)
				assert.True(t, hasProblem(ve.Problems, validation.Problem{Path: "Bundle.entry[0].resource", Message: "is required"}), "%v", err)
				assert.ErrorIs(t, err, fhir.ErrMapping)
			})
		}
	}
}

// FuzzUnmarshalCase checks that no input makes the decoder or the mapping panic,
// at the default canonical base and at another, and that whatever maps to a
// case maps back to an equal one.
func FuzzUnmarshalCase(f *testing.F) {
	data, err := fhir.MarshalCase(everyField())
	require.NoError(f, err)
	f.Add(data)
	atHospital, err := fhir.Writer{Canonical: hospitalBase}.Marshal(everyField())
	require.NoError(f, err)
	f.Add(atHospital)
	f.Add([]byte(`{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Appointment"}}]}`))
	f.Add([]byte(`[]`))
	f.Add(practitionerRoleSeed(f))
	f.Add([]byte(`{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"https://ehr.example/fhir/Appointment/a","resource":{"resourceType":"Appointment","id":"a","start":"2026-05-04T09:00:00+02:00"}},{"resource":{"resourceType":"Observation","id":"o"}}]}`))
	for _, seed := range documentAndMessageSeeds(f, data) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if hc, _, err := (fhir.Reader{Canonical: hospitalBase}).Read(data); err == nil {
			out, err := fhir.Writer{Canonical: hospitalBase}.Marshal(hc)
			require.NoError(t, err)
			back, _, err := fhir.Reader{Canonical: hospitalBase}.Read(out)
			require.NoError(t, err)
			nilEmptySlices(reflectValue(hc))
			require.Equal(t, hc, back)
		}
		strictCase, _, strictErr := fhir.Reader{Strict: true}.Read(data)
		c, src, err := fhir.Reader{}.Read(data)
		if strictErr == nil {
			require.NoError(t, err, "what the strict reader reads, the lenient one reads")
			require.Equal(t, strictCase, c)
		}
		if err != nil {
			return
		}
		_ = src.Expression("meeting.participants[0].role")
		_, back := roundTrip(t, c)
		nilEmptySlices(reflectValue(c))
		require.Equal(t, c, back)
	})
}
