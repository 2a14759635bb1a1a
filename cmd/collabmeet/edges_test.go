package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTemp writes content to a file named name in a new temporary
// directory and returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(file, []byte(content), 0o644))
	return file
}

// TestBinaryReportCorruptExportFailsTheGate: report exits as check does on
// a bad file — 2 when any line is not a valid case, even when every valid
// line is compliant — and still writes the aggregate of the valid lines. An
// aggregate without a valid case names the catalogue version and lists
// every recommendation with zero counts.
func TestBinaryReportCorruptExportFailsTheGate(t *testing.T) {
	compliant := oneLine(t, must(os.ReadFile(compliantCase)))
	cat := catalogue.Builtin()
	tests := []struct {
		name          string
		lines         []string
		cases, invald int
		stderr        string
	}{
		{"compliant and a malformed line", []string{compliant, `{"meeting":`}, 1, 1, "1 of 2 lines were not valid cases"},
		{"compliant and an invalid case", []string{compliant, compliant, `{"meeting":{"id":"x"}}`}, 2, 1, "1 of 3 lines were not valid cases"},
		{"no valid line", []string{"nope", "{}"}, 0, 2, "no valid case among 2 lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeTemp(t, "cases.ndjson", strings.Join(tt.lines, "\n")+"\n")
			check, _, _ := exe(t, nil, "check", compliantCase, writeTemp(t, "bad.json", `{"meeting":`))
			require.Equal(t, exitBadInput, check, "check exits 2 on a bad file")

			code, out, errOut := exe(t, nil, "report", "--format", "json", file)
			assert.Equal(t, exitBadInput, code, errOut)
			assert.Contains(t, errOut, "collabmeet report: "+tt.stderr)
			a := decodeAggregate(t, out)
			assert.Equal(t, tt.cases, a.Cases)
			assert.Equal(t, tt.invald, a.Invalid)
			assert.Equal(t, tt.cases, a.Compliant)
			assert.Equal(t, cat.Version, a.CatalogueVersion)
			require.Len(t, a.Recommendations, len(cat.Rules))
			for i, r := range cat.Rules {
				s := a.Recommendations[i]
				assert.Equal(t, r.ID, s.ID)
				assert.Equal(t, r.Theme, s.Theme)
				if tt.cases == 0 {
					assert.Zero(t, s.Applicable+s.Passed+s.Gaps+s.Waived+s.Errors+s.NotApplicable, r.ID)
					assert.Equal(t, 1.0, s.Rate, r.ID)
				}
			}
		})
	}
}

// TestBinaryNumberKeysAreNotIndexes: a member name made of digits (a
// fødselsnummer used as a key) is never printed, nor shown as a list index:
// paths show it quoted, by its length alone.
func TestBinaryNumberKeysAreNotIndexes(t *testing.T) {
	const fnr = "01017012345"
	compliant := oneLine(t, must(os.ReadFile(compliantCase)))
	inMeeting := strings.Replace(compliant, `"meeting":{`, `"meeting":{"`+fnr+`":1,`, 1)
	inParticipant := strings.Replace(compliant, `"participants":[{`, `"participants":[{"`+fnr+`":"x",`, 1)
	require.NotEqual(t, compliant, inMeeting)
	require.NotEqual(t, compliant, inParticipant)
	policy := writeTemp(t, "policy.json", `{"params":{"`+fnr+`":1},"severity":{"`+fnr+`":"required"}}`)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"check, in the meeting", []string{"check", writeTemp(t, "a.json", inMeeting)}, []string{`: meeting["<11 digits>"]: unknown field`}},
		{"check, in a participant", []string{"check", writeTemp(t, "b.json", inParticipant)}, []string{`: meeting.participants[0]["<11 digits>"]: unknown field`}},
		{"check, at the root", []string{"check", writeTemp(t, "c.json", `{"`+fnr+`":{}}`)}, []string{`: ["<11 digits>"]: unknown field`}},
		{"report", []string{"report", writeTemp(t, "d.ndjson", compliant+"\n"+inMeeting+"\n")}, []string{`:2: meeting["<11 digits>"]: unknown field`}},
		{"policy", []string{"check", "--policy", policy, compliantCase}, []string{
			`: params["<11 digits>"]: unknown parameter`,
			`: severity["<11 digits>"]: unknown recommendation (a number of 11 digits)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := exe(t, nil, tt.args...)
			assert.Equal(t, exitBadInput, code, errOut)
			for _, w := range tt.want {
				assert.Contains(t, errOut, w)
			}
			assert.NotContains(t, errOut, fnr)
		})
	}
}

// TestBinaryWaiverReasonIsOneCleanLine: a waiver's reason with line and
// paragraph separators, format characters (byte order mark, soft hyphen,
// bidi override, zero-width joiner) and controls reaches no format of
// check: every renderer shows it on one line, without them.
func TestBinaryWaiverReasonIsOneCleanLine(t *testing.T) {
	bad := []string{"\u2028", "\u2029", "\ufeff", "\u00ad", "\u202e", "\u200d", "\u2066", "\x1b", "\u0085", "\u009b"}
	reason := "room\u2028booked\u2029by the\ufeff cli\u00adnic \u202eok\u200d\u2066 \x1b[2J\u0085\u009bdone"
	policy := writeTemp(t, "policy.json", `{"waivers":[{"id":"AP-11","meeting_id":"*","reason":`+
		string(must(json.Marshal(reason)))+`,"expires":"2100-01-01T00:00:00Z"}]}`)
	for _, format := range []string{"text", "markdown", "html", "junit", "json"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := exe(t, nil, "check", "--policy", policy, "--format", format, requiredGaps)
			require.Equal(t, exitGaps, code, errOut)
			assert.Contains(t, out, "clinic")
			for _, r := range bad {
				assert.NotContains(t, out, r, "%s: %+q", format, r)
			}
			// One line, spaces folded (U+0085 is white space), the rest
			// removed; Markdown escapes the bracket.
			assert.Contains(t, out, "room booked by the clinic ok ")
			assert.Contains(t, out, "2J done")
		})
	}
}

// TestBinaryPatientIDIsNoParticipantID: meeting.patient_id is the patient's
// identifier in the EHR; a case that gives the ID of a participant who is
// not the patient (or the meeting's) there is invalid, with an error naming
// meeting.patient_id. The patient participant may share it.
func TestBinaryPatientIDIsNoParticipantID(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(must(os.ReadFile(compliantCase)), &doc))
	m := doc["meeting"].(map[string]any)
	patient := m["patient_id"].(string)
	var participant, patientParticipant string
	for _, p := range m["participants"].([]any) {
		p := p.(map[string]any)
		if p["role"] == "patient" {
			patientParticipant = p["id"].(string)
		} else if participant == "" {
			participant = p["id"].(string)
		}
	}
	require.NotEmpty(t, participant)
	require.NotEmpty(t, patientParticipant)
	meetingID := m["id"].(string)
	for _, tt := range []struct{ name, id, want string }{
		{"a professional's id", participant, "meeting.patient_id: is the id of meeting.participants["},
		{"the meeting's id", meetingID, "meeting.patient_id: is the meeting's id"},
		{"the patient participant's id", patientParticipant, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.ReplaceAll(string(must(os.ReadFile(compliantCase))), patient, tt.id)
			code, _, errOut := exe(t, nil, "check", writeTemp(t, "case.json", data))
			if tt.want == "" {
				assert.Equal(t, exitOK, code, errOut)
				return
			}
			assert.Equal(t, exitBadInput, code, errOut)
			assert.Contains(t, errOut, tt.want)
		})
	}
}
