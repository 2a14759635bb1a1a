package casedoc_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHostileInput feeds documents that a careless or hostile sender could
// produce. Each must give a clear error naming its path (or the document as
// a whole, path ""), never a panic, and never quote the document's text.
func TestHostileInput(t *testing.T) {
	ref, err := os.ReadFile(reference)
	require.NoError(t, err)
	replace := func(old, new string) []byte {
		t.Helper()
		require.Contains(t, string(ref), old)
		return bytes.Replace(ref, []byte(old), []byte(new), 1)
	}
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	tests := []struct {
		name    string
		doc     []byte
		path    string
		message string
	}{
		{"empty", nil, "", "unexpected end"},
		{"only whitespace", []byte(" \n\t "), "", "unexpected end"},
		{"null", []byte("null"), "", "got null, want an object"},
		{"null with spaces", []byte(" null\n"), "", "got null, want an object"},
		{"null then data", []byte("null {}"), "", "after the end"},
		{"a number", []byte("42"), "", "want an object"},
		{"a string", []byte(`"case"`), "", "want an object"},
		{"an array", []byte(`[{"meeting": {}}]`), "", "want an object"},
		{"empty object", []byte(`{}`), "meeting.start", "is required"},
		{"truncated", ref[:len(ref)/2], "*", "unexpected end"},
		{"trailing data", append(bytes.Clone(ref), "\n{}"...), "", "after the end"},
		{"trailing garbage", append(bytes.Clone(ref), "xyz"...), "", "malformed JSON"},
		{"meeting is an array", []byte(`{"meeting": []}`), "meeting", "want an object"},
		{"participants is an object", []byte(`{"meeting": {"participants": {}}}`), "meeting.participants", "want an array"},
		{"consents is a string", []byte(`{"meeting": {}, "consents": "none"}`), "consents", "want an array"},
		{"null inside participants", replace(`"participants": [`, `"participants": [null, `), "meeting.participants[0].id", "is required"},
		{"null inside agenda", replace(`"agenda": [`, `"agenda": [null, `), "meeting.agenda[0].id", "is required"},
		{"null inside sent_to", replace(`"sent_to": [`, `"sent_to": [null, `), "meeting.preparation.sent_to[0]", "is required"},
		{"wrong type for a bool", replace(`"chose_location": true`, `"chose_location": "yes"`), "meeting.participants[0].chose_location", "want true or false"},
		{"wrong type for a string", replace(`"platform": "Helsenett video"`, `"platform": 7`), "meeting.platform", "want a string"},
		{"fraction", replace(`"duration_minutes": 60`, `"duration_minutes": 59.5`), "meeting.duration_minutes", "whole number"},
		{"exponent", replace(`"duration_minutes": 60`, `"duration_minutes": 6e1`), "meeting.duration_minutes", "whole number"},
		{"huge number", replace(`"duration_minutes": 60`, `"duration_minutes": 123456789012345678901234567890`), "meeting.duration_minutes", "out of range"},
		{"negative minutes", replace(`"minutes": 12`, `"minutes": -12`), "meeting.agenda[4].minutes", "negative"},
		{"invalid UTF-8 in a name", replace(`"Kari Nordmann"`, "\"Kari \xc3\x28 Nordmann\""), "meeting.participants[0].name", "invalid UTF-8"},
		{"byte-order mark", append([]byte("\xef\xbb\xbf"), ref...), "", "byte-order mark"},
		{"deep nesting in a known field", []byte(`{"meeting": {"platform": ` + deep + `}}`), "*", "nested too deeply"},
		{"deep nesting in an unknown field", []byte(`{"extra": ` + deep + `}`), "extra", "unknown field"},
		{"repeated key at the top", []byte(`{"meeting": {}, "meeting": {}}`), "meeting", "repeated key"},
		{"repeated key in a participant", replace(`"role": "gp",`, `"role": "gp", "role": "patient",`), "meeting.participants[5].role", "repeated key"},
		{"key differing only in case", replace(`"duration_minutes": 60`, `"duration_minutes": 60, "Duration_Minutes": 60`), "meeting.Duration_Minutes", "unknown field"},
		{"time without offset", replace(`"given_at": "2026-04-24T09:00:00+02:00"`, `"given_at": "2026-04-24 09:00"`), "consents[0].given_at", "RFC 3339"},
		{"ID with braces", replace(`"id": "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"`, `"id": "{0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5}"`), "meeting.id", "not a UUID"},
		{"ID as a URN", replace(`"id": "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"`, `"id": "urn:uuid:0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"`), "meeting.id", "not a UUID"},
		{"empty ID", replace(`"id": "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"`, `"id": ""`), "meeting.id", "not a UUID"},
		{"ID as a number", replace(`"id": "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"`, `"id": 12`), "meeting.id", "want a UUID string"},
		{"grantee not a UUID", replace(`"grantee_id": "776bfd06-4c5f-5076-a5c7-d022bdf0512c"`, `"grantee_id": "Ola"`), "consents[0].grantee_id", "not a UUID"},
		{"dangling lead_id", replace(`"lead_id": "10927a11-c11a-5c97-8e26-de4a06205b7b"`, `"lead_id": "00000000-0000-4000-8000-000000000001"`), "meeting.agenda[2].lead_id", "does not exist"},
		{"dangling joins_at_item", replace(`"joins_at_item": "7291ebd8-5efa-5046-a4d2-738407024de2"`, `"joins_at_item": "00000000-0000-4000-8000-000000000001"`), "meeting.participants[6].joins_at_item", "does not exist"},
		{"dangling grantee_id", replace(`"grantee_id": "776bfd06-4c5f-5076-a5c7-d022bdf0512c"`, `"grantee_id": "00000000-0000-4000-8000-000000000001"`), "consents[0].grantee_id", "does not exist"},
		{"dangling recorded_by", replace(`"recorded_by": "f2da45f4-6d89-5448-b53b-9934d89e6a2f"`, `"recorded_by": "00000000-0000-4000-8000-000000000001"`), "consents[0].recorded_by", "does not exist"},
		{"dangling sent_to", replace(`"sent_to": [`, `"sent_to": ["00000000-0000-4000-8000-000000000001", `), "meeting.preparation.sent_to[0]", "does not exist"},
		{"dangling clinical_notes_sent_to", replace(`"clinical_notes_sent_to": [`, `"clinical_notes_sent_to": ["00000000-0000-4000-8000-000000000001", `), "meeting.preparation.clinical_notes_sent_to[0]", "does not exist"},
		{"plan of another meeting", replace(`"meeting_id": "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"`, `"meeting_id": "00000000-0000-4000-8000-000000000001"`), "plan.meeting_id", "another meeting"},
		{"consent of another patient", replace(`"patient_id": "7d89225d-2d53-52fa-aad8-57b002628bc3",
      "grantee_id"`, `"patient_id": "00000000-0000-4000-8000-000000000001",
      "grantee_id"`), "consents[0].patient_id", "another patient"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := casedoc.Unmarshal(tt.doc)
			require.Error(t, err)
			if tt.path == "*" { // where decoding stopped: any path will do
				assert.ErrorContains(t, err, tt.message)
			} else {
				assertPath(t, err, tt.path, tt.message)
			}
			assert.NotContains(t, err.Error(), "Nordmann")
			assert.Less(t, len(err.Error()), 400, "an error stays readable")
		})
	}
}

// TestEveryEnumInTheWrongCase: enum values are case-sensitive codes.
func TestEveryEnumInTheWrongCase(t *testing.T) {
	ref, err := os.ReadFile(reference)
	require.NoError(t, err)
	every, err := os.ReadFile("testdata/every-field.json")
	require.NoError(t, err)
	tests := []struct {
		doc       []byte
		old, path string
	}{
		{ref, `"kind": "collaboration"`, "meeting.kind"},
		{ref, `"status": "planned"`, "meeting.status"},
		{ref, `"format": "digital"`, "meeting.format"},
		{ref, `"role": "patient"`, "meeting.participants[0].role"},
		{ref, `"sector": "specialist_health"`, "meeting.participants[2].sector"},
		{ref, `"location": "home"`, "meeting.participants[0].location"},
		{ref, `"kind": "introductions"`, "meeting.agenda[0].kind"},
		{ref, `"attend"`, "consents[0].scopes[0]"},
		{ref, `"method": "verbal"`, "consents[0].method"},
		{ref, `"status": "draft"`, "plan.status"},
		{ref, `"kind": "treatment"`, "plan.actions[0].kind"},
		{ref, `"intensity": "regular"`, "plan.follow_up.intensity"},
		{ref, `"initiator": "service"`, "plan.follow_up.initiator"},
		{every, `"social_security"
    ]`, "plan.informed_only_sectors[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			require.Contains(t, string(tt.doc), tt.old)
			key, value, ok := strings.Cut(tt.old, ": ")
			upper := strings.ToUpper(tt.old)
			if ok {
				upper = key + ": " + strings.ToUpper(value)
			}
			doc := bytes.Replace(tt.doc, []byte(tt.old), []byte(upper), 1)
			_, err := casedoc.Unmarshal(doc)
			assertPath(t, err, tt.path, "unknown value")
		})
	}
}

func TestHugeStringOverTheLimit(t *testing.T) {
	ref, err := os.ReadFile(reference)
	require.NoError(t, err)
	huge := bytes.Replace(ref, []byte(`"Kari Nordmann"`), []byte(`"`+strings.Repeat("x", 10<<20)+`"`), 1)
	_, err = casedoc.Unmarshal(huge)
	assert.ErrorIs(t, err, casedoc.ErrTooLarge)
	var verr *validation.Error
	require.ErrorAs(t, err, &verr)
	assert.Contains(t, verr.Problems[0].Message, "limit")

	// A caller that raises the limit gets the case.
	c, err := casedoc.Decoder{MaxBytes: 16 << 20}.Unmarshal(huge)
	require.NoError(t, err)
	assert.Len(t, c.Meeting.Participants[0].Name, 10<<20)
}

// bigMeeting writes a valid case with n participants, each with a consent,
// and as many agenda items, all cross-referenced.
func bigMeeting(n int) []byte {
	var b bytes.Buffer
	id := func(kind, i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", kind, i) }
	b.WriteString(`{"meeting": {"id": "` + id(1, 0) + `", "patient_id": "` + id(2, 0) + `", "kind": "collaboration", "status": "planned", "format": "digital", "start": "2026-05-04T09:00:00+02:00", "duration_minutes": 60, "participants": [`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id": "%s", "role": "other", "sector": "other", "joins_at_item": "%s"}`, id(3, i), id(4, i))
	}
	b.WriteString(`], "agenda": [`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id": "%s", "kind": "discussion", "minutes": 0, "lead_id": "%s"}`, id(4, i), id(3, n-1-i))
	}
	b.WriteString(`]}, "consents": [`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id": "%s", "grantee_id": "%s", "scopes": ["attend"], "given_at": "2026-04-01T09:00:00Z"}`, id(5, i), id(3, i))
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// TestHundredThousandParticipants: over the default limit it is a clear
// error; with the limit raised it decodes and validates in linear time
// (the test would time out if validation were quadratic).
func TestHundredThousandParticipants(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	doc := bigMeeting(n)
	_, err := casedoc.Unmarshal(doc)
	assert.ErrorIs(t, err, casedoc.ErrTooLarge)

	c, err := casedoc.Decoder{MaxBytes: int64(len(doc))}.Unmarshal(doc)
	require.NoError(t, err)
	assert.Len(t, c.Meeting.Participants, n)

	// A duplicate among many is still found, with the first index.
	dup := bytes.Replace(doc, []byte(`"id": "00000003-0000-4000-8000-000000000007"`), []byte(`"id": "00000003-0000-4000-8000-000000000003"`), 1)
	_, err = casedoc.Decoder{MaxBytes: int64(len(dup))}.Unmarshal(dup)
	assertPath(t, err, "meeting.participants[7].id", "first at meeting.participants[3]")
}
