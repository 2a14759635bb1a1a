package fhir_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Ids and fullUrls of the headers the tests put first.
const (
	compositionID   = "5f0c6a2e-8d1b-4c3a-9e7f-2b6d4a8c1e01"
	messageHeaderID = "5f0c6a2e-8d1b-4c3a-9e7f-2b6d4a8c1e02"
)

// withHeader returns the Bundle b (generic JSON, as a collection) as a
// Bundle of type typ with header first, and the fullUrls of b's entries
// unchanged. It copies b, which is left as it was.
func withHeader(t testing.TB, b object, typ string, header object) object {
	t.Helper()
	var out object
	data, err := json.Marshal(b)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &out))
	out["type"] = typ
	id := header["id"].(string)
	out["entry"] = append([]any{object{"fullUrl": "urn:uuid:" + id, "resource": header}}, list(out["entry"])...)
	return out
}

// fullURLOf returns the fullUrl of the n-th entry whose resource is of type
// typ, or "" when there is none.
func fullURLOf(b object, typ string, n int) string {
	for _, e := range list(b["entry"]) {
		if obj(obj(e)["resource"])["resourceType"] == typ {
			if n == 0 {
				return obj(e)["fullUrl"].(string)
			}
			n--
		}
	}
	return ""
}

// asDocument returns b as a FHIR document: a Composition first (bdl-11),
// whose subject is the CareTeam's subject and whose author the first
// Practitioner (the patient when there is none), with the identifier and
// timestamp a document needs (bdl-9, bdl-10), so that it is valid FHIR.
func asDocument(t testing.TB, b object) object {
	t.Helper()
	ct, _ := entry(b, "CareTeam", 0)
	subject := obj(ct["subject"])["reference"].(string)
	author := fullURLOf(b, "Practitioner", 0)
	if author == "" {
		author = subject
	}
	doc := withHeader(t, b, "document", object{
		"resourceType": "Composition", "id": compositionID, "status": "final",
		"type":    object{"coding": []any{object{"system": "http://loinc.org", "code": "11503-0", "display": "Medical records"}}},
		"subject": object{"reference": subject},
		"date":    "2026-05-04T12:00:00+02:00",
		"author":  []any{object{"reference": author}},
		"title":   "Samarbeidsmøte",
	})
	doc["identifier"] = object{"system": "https://ehr.example.no/fhir/sid/document", "value": "doc-1"}
	doc["timestamp"] = "2026-05-04T12:00:00+02:00"
	return doc
}

// asMessage returns b as a FHIR message: a MessageHeader first (bdl-12)
// whose focus is the given references (the Appointment's fullUrl when none
// is given).
func asMessage(t testing.TB, b object, focus ...string) object {
	t.Helper()
	if len(focus) == 0 {
		focus = []string{fullURLOf(b, "Appointment", 0)}
	}
	var refs []any
	for _, f := range focus {
		refs = append(refs, object{"reference": f})
	}
	return withHeader(t, b, "message", object{
		"resourceType": "MessageHeader", "id": messageHeaderID,
		"eventCoding": object{"system": "https://ehr.example.no/fhir/message-event", "code": "collaboration-meeting"},
		"source":      object{"endpoint": "https://ehr.example.no/fhir"},
		"focus":       refs,
	})
}

func parseObject(t testing.TB, data []byte) object {
	t.Helper()
	var b object
	require.NoError(t, json.Unmarshal(data, &b))
	return b
}

// TestSameCaseAsCollectionDocumentAndMessage: the same meeting given as a
// collection, as a document and as a message — each as FromCase writes it and
// as an EHR sends it — reads as the same case with the same gaps and the same
// warnings; the header is read, not skipped, so a strict Reader reads the
// document and the message as it reads the collection; the Source points at
// the entries where they now are.
func TestSameCaseAsCollectionDocumentAndMessage(t *testing.T) {
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	cases := exampleCases(t)
	cases["every-field"] = everyField()
	for name, c := range cases {
		bundle, err := fhir.MarshalCase(c)
		require.NoError(t, err)
		for _, style := range []string{"FromCase", "EHR"} {
			collection := bundle
			if style == "EHR" {
				collection = asAnEHRSendsIt(t, bundle)
			}
			want, wantSrc, err := fhir.Reader{}.Read(collection)
			require.NoError(t, err)
			_, _, strictErr := fhir.Reader{Strict: true}.Read(collection)
			b := parseObject(t, collection)
			for _, form := range []struct {
				typ string
				b   object
			}{{"document", asDocument(t, b)}, {"message", asMessage(t, b)}} {
				t.Run(fmt.Sprintf("%s/%s/%s", name, style, form.typ), func(t *testing.T) {
					data := marshalObject(t, form.b)
					got, src, err := fhir.Reader{}.Read(data)
					require.NoError(t, err)
					assert.Equal(t, want, got, "the same case")
					assert.Equal(t, findingsOf(engine.Check(want)), findingsOf(engine.Check(got)), "the same gaps")
					assert.Equal(t, shifted(wantSrc.Warnings()), problemStrings(src.Warnings()), "the same warnings, one entry later")
					_, _, err = fhir.Reader{Strict: true}.Read(data)
					assert.Equal(t, strictErr == nil, err == nil, "strict reads it as it reads the collection: %v", err)
					_, ai := entry(form.b, "Appointment", 0)
					assert.Equal(t, fmt.Sprintf("Bundle.entry[%d].resource", ai), src.Expression("meeting"))
					assert.Equal(t, wantSrc.Reference(want.Meeting.ID), src.Reference(got.Meeting.ID))
				})
			}
		}
	}
}

// shifted is the warnings of a collection as they read once an entry is put
// before all others.
func shifted(ps []validation.Problem) []string {
	out := []string{}
	for _, p := range ps {
		var n int
		_, err := fmt.Sscanf(p.Path, "Bundle.entry[%d]", &n)
		if err == nil {
			p.Path = strings.Replace(p.Path, fmt.Sprintf("[%d]", n), fmt.Sprintf("[%d]", n+1), 1)
		}
		out = append(out, p.String())
	}
	return out
}

// copyAppointment appends to b a copy of its Appointment with a new id and
// fullUrl, starting at start (with the same duration), and returns the
// copy's fullUrl.
func copyAppointment(b object, newID, start string) string {
	a, _ := entry(b, "Appointment", 0)
	var second object
	data, _ := json.Marshal(a)
	_ = json.Unmarshal(data, &second)
	second["id"] = newID
	begin, err := time.Parse(time.RFC3339, start)
	if err != nil {
		panic(err)
	}
	second["start"] = start
	second["end"] = begin.Add(time.Duration(second["minutesDuration"].(float64)) * time.Minute).Format(time.RFC3339)
	full := "urn:uuid:" + newID
	b["entry"] = append(list(b["entry"]), object{"fullUrl": full, "resource": second})
	return full
}

// TestMessageFocusChoosesTheMeeting: in a message that holds more than one
// Appointment (a rescheduled meeting and the one it replaces, say), the
// Appointment in MessageHeader.focus is the meeting, and the others are
// skipped with a warning (refused by a strict Reader); with one Appointment,
// focus may name anything of the Bundle.
func TestMessageFocusChoosesTheMeeting(t *testing.T) {
	c := everyField()
	data, err := fhir.MarshalCase(c)
	require.NoError(t, err)
	const otherID = "0b8f5c3e-3f5a-4a3b-8f7e-6b2a1c0d9e8f"
	meetingURL := "urn:uuid:" + c.Meeting.ID.String()
	tests := []struct {
		name     string
		build    func(b object) object
		meeting  uuid.UUID // the meeting the case is of
		start    string    // its start, as FHIR writes it
		warnings []string  // the warnings, in order
	}{
		{name: "one Appointment, focus on it",
			build: func(b object) object { return asMessage(t, b) }, meeting: c.Meeting.ID, start: "2026-05-04T09:00:00+02:00"},
		{name: "one Appointment, focus on the CareTeam and the patient",
			build: func(b object) object {
				ct, _ := entry(b, "CareTeam", 0)
				return asMessage(t, b, fullURLOf(b, "CareTeam", 0), obj(ct["subject"])["reference"].(string))
			}, meeting: c.Meeting.ID, start: "2026-05-04T09:00:00+02:00"},
		{name: "one Appointment, no focus",
			build: func(b object) object {
				m := asMessage(t, b)
				delete(obj(obj(list(m["entry"])[0])["resource"]), "focus")
				return m
			}, meeting: c.Meeting.ID, start: "2026-05-04T09:00:00+02:00"},
		{name: "two Appointments, focus on the first",
			build: func(b object) object {
				copyAppointment(b, otherID, "2026-05-11T09:00:00+02:00")
				return asMessage(t, b, meetingURL)
			}, meeting: c.Meeting.ID, start: "2026-05-04T09:00:00+02:00",
			warnings: []string{"Bundle.entry[26].resource: is an Appointment that MessageHeader.focus does not name (the meeting is Bundle.entry[1]), and was skipped"}},
		{name: "two Appointments, focus on the second, the plan supports both",
			build: func(b object) object {
				other := copyAppointment(b, otherID, "2026-05-11T09:00:00+02:00")
				p, _ := entry(b, "CarePlan", 0)
				p["supportingInfo"] = append(list(p["supportingInfo"]), object{"reference": other})
				return asMessage(t, b, fullURLOf(b, "Patient", 0), other, other)
			}, meeting: uuid.MustParse(otherID), start: "2026-05-11T09:00:00+02:00",
			warnings: []string{"Bundle.entry[1].resource: is an Appointment that MessageHeader.focus does not name (the meeting is Bundle.entry[26]), and was skipped"}},
		{name: "two Appointments, focus by Type/id",
			build: func(b object) object {
				copyAppointment(b, otherID, "2026-05-11T09:00:00+02:00")
				return asMessage(t, b, "Appointment/"+c.Meeting.ID.String())
			}, meeting: c.Meeting.ID, start: "2026-05-04T09:00:00+02:00",
			warnings: []string{"Bundle.entry[26].resource: is an Appointment that MessageHeader.focus does not name (the meeting is Bundle.entry[1]), and was skipped"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := marshalObject(t, tt.build(parseObject(t, data)))
			got, src, err := fhir.Reader{}.Read(msg)
			require.NoError(t, err)
			assert.Equal(t, tt.meeting, got.Meeting.ID)
			assert.Equal(t, tt.meeting, got.Plan.MeetingID)
			start, err := fhir.FormatDateTime(got.Meeting.Start)
			require.NoError(t, err)
			assert.Equal(t, tt.start, start)
			assert.Equal(t, append([]string{}, tt.warnings...), problemStrings(src.Warnings()))
			if tt.meeting == c.Meeting.ID {
				assert.Equal(t, c, got, "the case of the focused Appointment, all of it")
			}
			_, _, err = fhir.Reader{Strict: true}.Read(msg)
			if len(tt.warnings) == 0 {
				assert.NoError(t, err)
				return
			}
			var ve *validation.Error
			require.True(t, errors.As(err, &ve), "a strict Reader skips nothing: %v", err)
			assert.True(t, hasProblem(ve.Problems, validation.Problem{Path: strings.SplitN(tt.warnings[0], ":", 2)[0],
				Message: "is an Appointment that MessageHeader.focus does not name"}), "%v", err)
		})
	}
}

// TestHeadersElsewhereAreSkipped: a Composition or MessageHeader that is not
// the header of its Bundle (in a collection, or not first) is a resource the
// mapping does not use, skipped with a warning, refused by a strict Reader.
func TestHeadersElsewhereAreSkipped(t *testing.T) {
	data, err := fhir.MarshalCase(everyField())
	require.NoError(t, err)
	tests := []struct {
		name    string
		build   func(b object) object
		warning string
	}{
		{name: "Composition in a collection",
			build: func(b object) object {
				d := asDocument(t, b)
				d["type"] = "collection"
				return d
			}, warning: `Bundle.entry[0].resource: "Composition" is not used by the mapping to a case, and was skipped`},
		{name: "MessageHeader in a collection",
			build: func(b object) object {
				m := asMessage(t, b)
				m["type"] = "collection"
				return m
			}, warning: `Bundle.entry[0].resource: "MessageHeader" is not used by the mapping to a case, and was skipped`},
		{name: "MessageHeader second in a message, after a Composition in a document",
			build: func(b object) object {
				m := asMessage(t, b)
				d := asDocument(t, b)
				d["entry"] = append(list(d["entry"])[:1:1], append([]any{list(m["entry"])[0]}, list(d["entry"])[1:]...)...)
				return d
			}, warning: `Bundle.entry[1].resource: "MessageHeader" is not used by the mapping to a case, and was skipped`},
		{name: "a second Composition in a document",
			build: func(b object) object {
				d := asDocument(t, b)
				second := parseObject(t, marshalObject(t, obj(obj(list(d["entry"])[0])["resource"])))
				second["id"] = "second"
				obj(second["subject"])["reference"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
				d["entry"] = append(list(d["entry"]), object{"fullUrl": "https://ehr.example/fhir/Composition/second", "resource": second})
				return d
			}, warning: `Bundle.entry[26].resource: "Composition" is not used by the mapping to a case, and was skipped`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := marshalObject(t, tt.build(parseObject(t, data)))
			got, src, err := fhir.Reader{}.Read(in)
			require.NoError(t, err)
			assert.Equal(t, everyField(), got)
			assert.Equal(t, []string{tt.warning}, problemStrings(src.Warnings()))
			_, _, err = fhir.Reader{Strict: true}.Read(in)
			assert.ErrorIs(t, err, fhir.ErrMapping)
		})
	}
}

// TestHostileDocumentsAndMessages: documents and messages that break the
// rules of their type, or the patient's, are refused with an error at the
// FHIR element, wrapping ErrMapping or ErrSyntax, that quotes no free text
// and no identifier; no input panics.
func TestHostileDocumentsAndMessages(t *testing.T) {
	data, err := fhir.MarshalCase(everyField())
	require.NoError(t, err)
	const otherID = "0b8f5c3e-3f5a-4a3b-8f7e-6b2a1c0d9e8f"
	other := "urn:uuid:" + otherID
	secondPatient := func(b object) string {
		p, _ := entry(b, "Patient", 0)
		q := parseObject(t, marshalObject(t, p))
		q["id"] = "another-patient"
		q["name"] = []any{object{"text": "Ola Nordmann"}}
		q["identifier"] = []any{object{"system": fhir.SystemFodselsnummer, "value": canaryFnr}}
		b["entry"] = append(list(b["entry"]), object{"fullUrl": "https://ehr.example/fhir/Patient/another-patient", "resource": q})
		return "https://ehr.example/fhir/Patient/another-patient"
	}
	tests := []struct {
		name   string
		data   string                                  // raw input; when "", build's Bundle
		build  func(b object) object                   // from the good collection
		want   []validation.Problem                    // each must be among the problems (message: a prefix)
		is     error                                   // the sentinel the error wraps
		strict bool                                    // read with Reader{Strict: true}
		secret []string                                // more texts that must not appear in the error
		check  func(t *testing.T, e *validation.Error) // more checks
	}{
		// Documents.
		{name: "document without a Composition first",
			build: func(b object) object {
				d := asDocument(t, b)
				e := list(d["entry"])
				e[0], e[1] = e[1], e[0]
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource", Message: "is an Appointment, want the Composition: a document Bundle starts with its Composition (FHIR rule bdl-11)"}}, is: fhir.ErrMapping},
		{name: "document without a Composition at all",
			build: func(b object) object { b["type"] = "document"; return b },
			want:  []validation.Problem{{Path: "Bundle.entry[0].resource", Message: "is an Appointment, want the Composition"}}, is: fhir.ErrMapping},
		{name: "document without entries",
			data: `{"resourceType": "Bundle", "type": "document"}`,
			want: []validation.Problem{{Path: "Bundle.entry", Message: "is empty: a document Bundle starts with its Composition (FHIR rule bdl-11)"}}, is: fhir.ErrMapping},
		{name: "document whose first entry is null",
			build: func(b object) object {
				d := asDocument(t, b)
				list(d["entry"])[0] = nil
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource", Message: "is required"}}, is: fhir.ErrMapping},
		{name: "document whose first resource is null",
			build: func(b object) object {
				d := asDocument(t, b)
				obj(list(d["entry"])[0])["resource"] = nil
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource", Message: "is required"}}, is: fhir.ErrMapping},
		{name: "Composition whose subject is another patient",
			build: func(b object) object {
				d := asDocument(t, b)
				obj(header(d)["subject"])["reference"] = secondPatient(d)
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.subject.reference", Message: "is not the patient of the CareTeam"}},
			is:   fhir.ErrMapping, secret: []string{"Ola Nordmann", "another-patient"}},
		{name: "Composition whose subject is another patient, by Type/id",
			build: func(b object) object {
				d := asDocument(t, b)
				secondPatient(d)
				obj(header(d)["subject"])["reference"] = "Patient/another-patient"
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.subject.reference", Message: "is not the patient of the CareTeam"}}, is: fhir.ErrMapping},
		{name: "Composition whose subject is no entry",
			build: func(b object) object {
				d := asDocument(t, b)
				obj(header(d)["subject"])["reference"] = "Patient/" + canaryFnr
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.subject.reference", Message: "refers to no entry"}}, is: fhir.ErrMapping},
		{name: "Composition whose subject is a fødselsnummer only",
			build: func(b object) object {
				d := asDocument(t, b)
				header(d)["subject"] = object{"identifier": object{"system": fhir.SystemFodselsnummer, "value": canaryFnr}}
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.subject.reference", Message: "is required: the subject of a document is an entry of the Bundle"}}, is: fhir.ErrMapping},
		{name: "Composition whose subject is a Practitioner",
			build: func(b object) object {
				d := asDocument(t, b)
				obj(header(d)["subject"])["reference"] = fullURLOf(d, "Practitioner", 0)
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.subject.reference", Message: "refers to a Practitioner, want Patient"}}, is: fhir.ErrMapping},
		{name: "Composition whose subject is of the wrong JSON type",
			build: func(b object) object {
				d := asDocument(t, b)
				header(d)["subject"] = []any{object{"reference": "Patient/x"}}
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.subject", Message: "got an array, want an object"}}, is: fhir.ErrSyntax},
		{name: "Composition with a modifier extension",
			build: func(b object) object {
				d := asDocument(t, b)
				header(d)["modifierExtension"] = []any{object{"url": "https://example.org/not-really", "valueBoolean": true}}
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.modifierExtension", Message: "is not understood"}}, is: fhir.ErrMapping},
		// Messages.
		{name: "message without a MessageHeader first",
			build: func(b object) object {
				m := asMessage(t, b)
				e := list(m["entry"])
				m["entry"] = append(e[1:], e[0])
				return m
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource", Message: "is an Appointment, want the MessageHeader: a message Bundle starts with its MessageHeader (FHIR rule bdl-12)"}}, is: fhir.ErrMapping},
		{name: "message that is a document",
			build: func(b object) object {
				d := asDocument(t, b)
				d["type"] = "message"
				return d
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource", Message: "is a Composition, want the MessageHeader"}}, is: fhir.ErrMapping},
		{name: "message whose focus does not resolve",
			build: func(b object) object { return asMessage(t, b, fullURLOf(b, "CareTeam", 0), other) },
			want:  []validation.Problem{{Path: "Bundle.entry[0].resource.focus[1].reference", Message: "refers to no entry"}}, is: fhir.ErrMapping},
		{name: "message whose focus is a fødselsnummer-shaped reference",
			build: func(b object) object { return asMessage(t, b, "Patient/"+canaryFnr) },
			want:  []validation.Problem{{Path: "Bundle.entry[0].resource.focus[0].reference", Message: "refers to no entry"}}, is: fhir.ErrMapping},
		{name: "message whose focus is an identifier only",
			build: func(b object) object {
				m := asMessage(t, b)
				header(m)["focus"] = []any{object{"identifier": object{"system": fhir.SystemFodselsnummer, "value": canaryFnr}}}
				return m
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.focus[0].reference", Message: "is required: the focus of a message is an entry of the Bundle"}}, is: fhir.ErrMapping},
		{name: "message whose focus is null",
			build: func(b object) object {
				m := asMessage(t, b)
				header(m)["focus"] = []any{nil}
				return m
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.focus[0].reference", Message: "is required"}}, is: fhir.ErrMapping},
		{name: "message whose focus is an object, not a list",
			build: func(b object) object {
				m := asMessage(t, b)
				header(m)["focus"] = object{"reference": fullURLOf(b, "Appointment", 0)}
				return m
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.focus", Message: "got an object, want an array"}}, is: fhir.ErrSyntax},
		{name: "message whose focus reference is a number",
			build: func(b object) object {
				m := asMessage(t, b)
				header(m)["focus"] = []any{object{"reference": 31929910020}}
				return m
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.focus[0].reference", Message: "got a number, want a string"}}, is: fhir.ErrSyntax},
		{name: "message with two Appointments and focus on a Patient only",
			build: func(b object) object {
				copyAppointment(b, otherID, "2026-05-11T09:00:00+02:00")
				return asMessage(t, b, fullURLOf(b, "Patient", 0))
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.focus", Message: "names none of the 2 Appointments of the Bundle"}}, is: fhir.ErrMapping},
		{name: "message with two Appointments and no focus",
			build: func(b object) object {
				copyAppointment(b, otherID, "2026-05-11T09:00:00+02:00")
				m := asMessage(t, b)
				delete(header(m), "focus")
				return m
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.focus", Message: "names none of the 2 Appointments of the Bundle"}}, is: fhir.ErrMapping},
		{name: "message with two Appointments, both in focus",
			build: func(b object) object {
				second := copyAppointment(b, otherID, "2026-05-11T09:00:00+02:00")
				return asMessage(t, b, fullURLOf(b, "Appointment", 0), second)
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.focus[1].reference", Message: "is a second Appointment in focus (the first is in Bundle.entry[0].resource.focus[0])"}}, is: fhir.ErrMapping},
		{name: "message with two Appointments, read strictly",
			build: func(b object) object {
				copyAppointment(b, otherID, "2026-05-11T09:00:00+02:00")
				return asMessage(t, b)
			},
			strict: true,
			want:   []validation.Problem{{Path: "Bundle.entry[26].resource", Message: "is an Appointment that MessageHeader.focus does not name (the meeting is Bundle.entry[1]): a strict Reader skips nothing"}}, is: fhir.ErrMapping},
		{name: "message whose focused Appointment is broken",
			build: func(b object) object {
				second := copyAppointment(b, otherID, "2026-05-11T09:00:00+02:00")
				m := asMessage(t, b, second)
				a, _ := entry(m, "Appointment", 1)
				a["modifierExtension"] = []any{object{"url": "https://example.org/not-really", "valueBoolean": true}}
				return m
			},
			want: []validation.Problem{{Path: "Bundle.entry[26].resource.modifierExtension", Message: "is not understood"}}, is: fhir.ErrMapping,
			check: func(t *testing.T, e *validation.Error) {
				assert.False(t, hasProblem(e.Problems, validation.Problem{Path: "Bundle.entry[1].resource.modifierExtension"}), "the skipped one is not read: %v", e)
			}},
		{name: "MessageHeader with a modifier extension",
			build: func(b object) object {
				m := asMessage(t, b)
				header(m)["modifierExtension"] = []any{object{"url": "https://example.org/not-really", "valueBoolean": true}}
				return m
			},
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.modifierExtension", Message: "is not understood"}}, is: fhir.ErrMapping},
		{name: "message with a null entry",
			build: func(b object) object {
				m := asMessage(t, b)
				m["entry"] = append(list(m["entry"]), nil)
				return m
			},
			want: []validation.Problem{{Path: "Bundle.entry[26].resource", Message: "is required"}}, is: fhir.ErrMapping},
		{name: "message without entries",
			data: `{"resourceType": "Bundle", "type": "message", "entry": []}`,
			want: []validation.Problem{{Path: "Bundle.entry", Message: "is empty: a message Bundle starts with its MessageHeader (FHIR rule bdl-12)"}}, is: fhir.ErrMapping},
		{name: "message whose header has no resourceType",
			data: `{"resourceType": "Bundle", "type": "message", "entry": [{"resource": {"focus": [{"reference": "Appointment/a"}]}}]}`,
			want: []validation.Problem{{Path: "Bundle.entry[0].resource.resourceType", Message: "is required"}}, is: fhir.ErrMapping},
	}
	secrets := append(freeText(), canaryFnr, canaryDNummer)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.data)
			if tt.data == "" {
				in = marshalObject(t, tt.build(parseObject(t, data)))
			}
			ve, src := requireRefused(t, in, tt.strict, tt.want)
			assert.ErrorIs(t, ve, tt.is)
			for _, s := range append(secrets, tt.secret...) {
				assert.NotContains(t, ve.Error(), s, "an error message quotes free text or an identifier")
				for _, w := range src.Warnings() {
					assert.NotContains(t, w.String(), s)
				}
			}
			if tt.check != nil {
				tt.check(t, ve)
			}
		})
	}
}

// TestHeaderWrittenBackAsRead: Unmarshal keeps a Composition or
// MessageHeader as it was read, so that Marshal writes back all of it (a
// Composition needs status, type, date, author and title, which the subset
// does not model); one built in Go is written from its fields.
func TestHeaderWrittenBackAsRead(t *testing.T) {
	data, err := fhir.MarshalCase(everyField())
	require.NoError(t, err)
	for _, typ := range []string{"document", "message"} {
		t.Run(typ, func(t *testing.T) {
			b := parseObject(t, data)
			in := asMessage(t, b)
			if typ == "document" {
				in = asDocument(t, b)
			}
			bundle, err := fhir.Unmarshal(marshalObject(t, in))
			require.NoError(t, err)
			out, err := fhir.Marshal(bundle)
			require.NoError(t, err)
			assert.Equal(t, header(in), obj(list(parseObject(t, out)["entry"])[0])["resource"])
		})
	}
	t.Run("built in Go", func(t *testing.T) {
		for _, res := range []fhir.Resource{
			&fhir.Composition{ID: "c", Subject: &fhir.Reference{Reference: "Patient/p"}},
			&fhir.MessageHeader{ID: "m", Focus: []fhir.Reference{{Reference: "Appointment/a"}}},
		} {
			out, err := fhir.Marshal(&fhir.Bundle{ResourceType: "Bundle", Type: "collection", Entry: []fhir.Entry{{Resource: res}}})
			require.NoError(t, err)
			got := obj(list(parseObject(t, out)["entry"])[0])["resource"]
			assert.Equal(t, res.TypeName(), obj(got)["resourceType"])
			assert.Equal(t, res.ResourceID(), obj(got)["id"])
		}
	})
}

// header is the resource of the first entry of b.
func header(b object) object { return obj(obj(list(b["entry"])[0])["resource"]) }

// TestDocumentsAndMessagesPassFHIRValidator runs medplum's validator on the
// documents and messages the tests above read as valid, so that they are
// what FHIR calls a document and a message (bdl-9 to bdl-12, the required
// elements of Composition and MessageHeader) rather than what this package
// happens to accept.
func TestDocumentsAndMessagesPassFHIRValidator(t *testing.T) {
	dir := t.TempDir()
	var files []string
	write := func(name string, b object) {
		f := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(f, marshalObject(t, b), 0o644))
		files = append(files, f)
	}
	cases := exampleCases(t)
	cases["every-field"] = everyField()
	for name, c := range cases {
		data, err := fhir.MarshalCase(c)
		require.NoError(t, err)
		b := parseObject(t, data)
		name = strings.TrimSuffix(name, ".json")
		write(name+".document.json", asDocument(t, b))
		write(name+".message.json", asMessage(t, b))
	}
	runValidator(t, files)
}

// documentAndMessageSeeds are documents and messages for the fuzz corpus,
// made from bundle (a collection of FromCase): a document and a message of
// it, a message with two Appointments and focus on the second, and small
// broken ones (a focus to no entry, null entries and focus, headers not
// first, a focus of the wrong JSON type).
func documentAndMessageSeeds(f *testing.F, bundle []byte) [][]byte {
	var out [][]byte
	add := func(b object) {
		data, err := json.Marshal(b)
		require.NoError(f, err)
		out = append(out, data)
	}
	add(asDocument(f, parseObject(f, bundle)))
	add(asMessage(f, parseObject(f, bundle)))
	b := parseObject(f, bundle)
	second := copyAppointment(b, "0b8f5c3e-3f5a-4a3b-8f7e-6b2a1c0d9e8f", "2026-05-11T09:00:00+02:00")
	add(asMessage(f, b, second, "urn:uuid:00000000-0000-4000-8000-000000000000"))
	for _, s := range []string{
		`{"resourceType":"Bundle","type":"document","entry":[{"fullUrl":"urn:uuid:c","resource":{"resourceType":"Composition","subject":{"reference":"Patient/p"}}},{"resource":{"resourceType":"Patient","id":"p"}},null]}`,
		`{"resourceType":"Bundle","type":"document","entry":[{"resource":{"resourceType":"Patient","id":"p"}},{"resource":{"resourceType":"Composition","subject":{"reference":"Patient/p"}}}]}`,
		`{"resourceType":"Bundle","type":"message","entry":[{"resource":{"resourceType":"MessageHeader","focus":[null,{"reference":"Appointment/a"},{"identifier":{"value":"x"}}]}},{"resource":{"resourceType":"Appointment","id":"a"}},{"resource":{"resourceType":"Appointment","id":"b"}}]}`,
		`{"resourceType":"Bundle","type":"message","entry":[{"resource":{"resourceType":"MessageHeader","focus":{"reference":"Appointment/a"}}}]}`,
		`{"resourceType":"Bundle","type":"message","entry":[null,{"resource":{"resourceType":"MessageHeader"}}]}`,
	} {
		out = append(out, []byte(s))
	}
	return out
}
