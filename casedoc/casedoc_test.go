package casedoc_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/validation"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const reference = "../examples/cases/compliant-digital-meeting.json"

// referenceCase returns a fresh copy of the reference meeting.
func referenceCase(t testing.TB) *casedoc.Case {
	t.Helper()
	c, err := casedoc.ReadFile(reference)
	require.NoError(t, err)
	return c
}

// problems returns the problems of err, which must be a *validation.Error.
func problems(t *testing.T, err error) []validation.Problem {
	t.Helper()
	var verr *validation.Error
	require.ErrorAs(t, err, &verr)
	return verr.Problems
}

func assertPath(t *testing.T, err error, path, message string) {
	t.Helper()
	require.Error(t, err)
	for _, p := range problems(t, err) {
		if p.Path == path && strings.Contains(p.Message, message) {
			return
		}
	}
	t.Errorf("no problem %q containing %q in:\n%v", path, message, err)
}

// TestDecodeRejects holds a case for each decoding rule of "What is invalid".
func TestDecodeRejects(t *testing.T) {
	ref, err := os.ReadFile(reference)
	require.NoError(t, err)
	replace := func(old, new string) []byte {
		require.Contains(t, string(ref), old)
		return bytes.Replace(ref, []byte(old), []byte(new), 1)
	}
	tests := []struct {
		name    string
		doc     []byte
		path    string
		message string
		is      error
	}{
		{"malformed JSON", []byte(`{"meeting": {`), "meeting", "unexpected end", casedoc.ErrSyntax},
		{"not an object", []byte(`[1, 2]`), "", "want an object", casedoc.ErrSyntax},
		{"unknown field", replace(`"chose_location": true`, `"chose_location": true, "favourite_colour": "blue"`),
			"meeting.participants[0].favourite_colour", "unknown field", casedoc.ErrSyntax},
		{"unknown top-level field", replace(`"consents": [`, `"consent": [], "consents": [`), "consent", "unknown field", casedoc.ErrSyntax},
		{"repeated key", replace(`"duration_minutes": 60`, `"duration_minutes": 60, "duration_minutes": 90`),
			"meeting.duration_minutes", "repeated key", casedoc.ErrSyntax},
		{"fraction for minutes", replace(`"minutes": 12`, `"minutes": 12.5`), "meeting.agenda[4].minutes", "whole number", casedoc.ErrSyntax},
		{"string for minutes", replace(`"duration_minutes": 60`, `"duration_minutes": "60"`), "meeting.duration_minutes", "got a string, want a whole number", casedoc.ErrSyntax},
		{"huge number", replace(`"duration_minutes": 60`, `"duration_minutes": 1e400`), "meeting.duration_minutes", "", casedoc.ErrSyntax},
		{"time without offset", replace(`"start": "2026-05-04T09:00:00+02:00"`, `"start": "2026-05-04T09:00:00"`), "meeting.start", "RFC 3339", casedoc.ErrSyntax},
		{"number for bool", replace(`"recap": true`, `"recap": 1`), "meeting.agenda[3].recap", "want true or false", casedoc.ErrSyntax},
		{"trailing data", append(bytes.Clone(ref), []byte(` {}`)...), "", "after the end", casedoc.ErrSyntax},
		{"invalid UTF-8", replace(`"Helsenett video"`, "\"Helsenett \xff video\""), "meeting.platform", "invalid UTF-8", casedoc.ErrSyntax},
		{"byte-order mark", append([]byte("\xef\xbb\xbf"), ref...), "", "byte-order mark", casedoc.ErrSyntax},
		{"ID not a UUID", replace(`"id": "10927a11-c11a-5c97-8e26-de4a06205b7b"`, `"id": "patient-1"`), "meeting.participants[0].id", "not a UUID", nil},
		{"reference not a UUID", replace(`"leader_id": "f2da45f4-6d89-5448-b53b-9934d89e6a2f"`, `"leader_id": "Dr. Lien"`), "meeting.leader_id", "not a UUID", nil},
		{"UUID without hyphens", replace(`"id": "0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"`, `"id": "0ba2cdb9ae7b51a095e2e3ff7a1e4ec5"`), "meeting.id", "not a UUID", nil},
		{"unknown enum value", replace(`"role": "social_security_supervisor"`, `"role": "nav"`), "meeting.participants[6].role", `unknown value "nav" (want one of patient, next_of_kin`, nil},
		{"enum in the wrong case", replace(`"kind": "collaboration"`, `"kind": "Collaboration"`), "meeting.kind", `unknown value "Collaboration"`, nil},
		{"null meeting", []byte(`{"meeting": null}`), "meeting.id", "is required", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := casedoc.Unmarshal(tt.doc)
			assertPath(t, err, tt.path, tt.message)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
		})
	}
}

// TestValidateRejects holds a case for each validation rule of "What is invalid".
func TestValidateRejects(t *testing.T) {
	other := uuid.MustParse("c637ac02-fc06-5af5-ad6d-216121851551")
	tests := []struct {
		name    string
		change  func(c *casedoc.Case)
		path    string
		message string
	}{
		{"missing meeting id", func(c *casedoc.Case) { c.Meeting.ID = uuid.Nil }, "meeting.id", "is required"},
		{"missing patient_id", func(c *casedoc.Case) { c.Meeting.PatientID = uuid.Nil }, "meeting.patient_id", "is required"},
		{"missing kind", func(c *casedoc.Case) { c.Meeting.Kind = "" }, "meeting.kind", "is required"},
		{"missing status", func(c *casedoc.Case) { c.Meeting.Status = "" }, "meeting.status", "is required"},
		{"missing format", func(c *casedoc.Case) { c.Meeting.Format = "" }, "meeting.format", "is required"},
		{"missing start", func(c *casedoc.Case) { c.Meeting.Start = time.Time{} }, "meeting.start", "is required"},
		{"zero duration", func(c *casedoc.Case) { c.Meeting.DurationMinutes = 0 }, "meeting.duration_minutes", "greater than 0"},
		{"negative duration", func(c *casedoc.Case) { c.Meeting.DurationMinutes = -5 }, "meeting.duration_minutes", "greater than 0"},
		{"participant without id", func(c *casedoc.Case) { c.Meeting.Participants[2].ID = uuid.Nil }, "meeting.participants[2].id", "is required"},
		{"participant without role", func(c *casedoc.Case) { c.Meeting.Participants[2].Role = "" }, "meeting.participants[2].role", "is required"},
		{"participant without sector", func(c *casedoc.Case) { c.Meeting.Participants[2].Sector = "" }, "meeting.participants[2].sector", "is required"},
		{"unknown location", func(c *casedoc.Case) { c.Meeting.Participants[0].Location = "sofa" }, "meeting.participants[0].location", "unknown value"},
		{"item without id", func(c *casedoc.Case) { c.Meeting.Agenda[1].ID = uuid.Nil }, "meeting.agenda[1].id", "is required"},
		{"item without kind", func(c *casedoc.Case) { c.Meeting.Agenda[1].Kind = "" }, "meeting.agenda[1].kind", "is required"},
		{"negative minutes", func(c *casedoc.Case) { c.Meeting.Agenda[1].Minutes = -1 }, "meeting.agenda[1].minutes", "negative"},
		{"consent without id", func(c *casedoc.Case) { c.Consents[0].ID = uuid.Nil }, "consents[0].id", "is required"},
		{"consent without grantee", func(c *casedoc.Case) { c.Consents[0].GranteeID = uuid.Nil }, "consents[0].grantee_id", "is required"},
		{"consent without scopes", func(c *casedoc.Case) { c.Consents[1].Scopes = nil }, "consents[1].scopes", "must not be empty"},
		{"consent with unknown scope", func(c *casedoc.Case) { c.Consents[1].Scopes[1] = "everything" }, "consents[1].scopes[1]", "unknown value"},
		{"consent without given_at", func(c *casedoc.Case) { c.Consents[0].GivenAt = time.Time{} }, "consents[0].given_at", "is required"},
		{"plan without status", func(c *casedoc.Case) { c.Plan.Status = "" }, "plan.status", "is required"},
		{"unknown plan status", func(c *casedoc.Case) { c.Plan.Status = "final" }, "plan.status", "unknown value"},
		{"unknown action kind", func(c *casedoc.Case) { c.Plan.Actions[0].Kind = "magic" }, "plan.actions[0].kind", "unknown value"},
		{"unknown intensity", func(c *casedoc.Case) { c.Plan.FollowUp.Intensity = "daily" }, "plan.follow_up.intensity", "unknown value"},
		{"unknown initiator", func(c *casedoc.Case) { c.Plan.FollowUp.Initiator = "gp" }, "plan.follow_up.initiator", "unknown value"},
		{"unknown informed-only sector", func(c *casedoc.Case) { c.Plan.InformedOnlySectors = []string{"nav"} }, "plan.informed_only_sectors[0]", "unknown value"},

		{"duplicate participant", func(c *casedoc.Case) { c.Meeting.Participants[3].ID = c.Meeting.Participants[2].ID }, "meeting.participants[3].id", "duplicate participant id (first at meeting.participants[2])"},
		{"duplicate agenda item", func(c *casedoc.Case) { c.Meeting.Agenda[6].ID = c.Meeting.Agenda[0].ID }, "meeting.agenda[6].id", "duplicate agenda item id"},
		{"duplicate consent", func(c *casedoc.Case) { c.Consents[1].ID = c.Consents[0].ID }, "consents[1].id", "duplicate consent id"},
		{"duplicate action", func(c *casedoc.Case) { c.Plan.Actions[2].ID = c.Plan.Actions[1].ID }, "plan.actions[2].id", "duplicate action id"},

		{"dangling joins_at_item", func(c *casedoc.Case) { c.Meeting.Participants[6].JoinsAtItem = other }, "meeting.participants[6].joins_at_item", "does not exist"},
		{"dangling leaves_after_item", func(c *casedoc.Case) { c.Meeting.Participants[1].LeavesAfterItem = other }, "meeting.participants[1].leaves_after_item", "does not exist"},
		{"dangling lead_id", func(c *casedoc.Case) { c.Meeting.Agenda[2].LeadID = other }, "meeting.agenda[2].lead_id", "does not exist"},
		{"dangling grantee_id", func(c *casedoc.Case) { c.Consents[1].GranteeID = other }, "consents[1].grantee_id", "does not exist"},
		{"dangling recorded_by", func(c *casedoc.Case) { c.Consents[0].RecordedBy = other }, "consents[0].recorded_by", "does not exist"},
		{"dangling sent_to", func(c *casedoc.Case) { c.Meeting.Preparation.SentTo[3] = other }, "meeting.preparation.sent_to[3]", "does not exist"},
		{"dangling clinical_notes_sent_to", func(c *casedoc.Case) { c.Meeting.Preparation.ClinicalNotesSentTo[0] = other }, "meeting.preparation.clinical_notes_sent_to[0]", "does not exist"},
		{"dangling pre_meeting_contact", func(c *casedoc.Case) { c.Meeting.Preparation.PreMeetingContact = []uuid.UUID{other} }, "meeting.preparation.pre_meeting_contact[0]", "does not exist"},
		{"dangling plan recipient", func(c *casedoc.Case) { c.Plan.Recipients = []uuid.UUID{c.Meeting.Participants[0].ID, other} }, "plan.recipients[1]", "does not exist"},

		{"leaves before joining", func(c *casedoc.Case) {
			c.Meeting.Participants[6].LeavesAfterItem = c.Meeting.Agenda[1].ID
		}, "meeting.participants[6].leaves_after_item", "before joins_at_item"},
		{"away item not on the agenda", func(c *casedoc.Case) {
			c.Meeting.Participants[6].AwayItems = []uuid.UUID{other}
		}, "meeting.participants[6].away_items[0]", "does not exist"},
		{"away item before the join", func(c *casedoc.Case) {
			c.Meeting.Participants[6].AwayItems = []uuid.UUID{c.Meeting.Agenda[4].ID, c.Meeting.Agenda[1].ID}
		}, "meeting.participants[6].away_items[1]", "before joins_at_item"},
		{"away item after the leave", func(c *casedoc.Case) {
			c.Meeting.Participants[2].LeavesAfterItem = c.Meeting.Agenda[4].ID
			c.Meeting.Participants[2].AwayItems = []uuid.UUID{c.Meeting.Agenda[6].ID}
		}, "meeting.participants[2].away_items[0]", "after leaves_after_item"},
		{"away item repeated", func(c *casedoc.Case) {
			c.Meeting.Participants[1].AwayItems = []uuid.UUID{c.Meeting.Agenda[3].ID, c.Meeting.Agenda[5].ID, c.Meeting.Agenda[3].ID}
		}, "meeting.participants[1].away_items[2]", "repeats the agenda item of meeting.participants[1].away_items[0]"},
		{"away item unset", func(c *casedoc.Case) {
			c.Meeting.Participants[1].AwayItems = []uuid.UUID{uuid.Nil}
		}, "meeting.participants[1].away_items[0]", "is required"},
		{"withdrawn before given", func(c *casedoc.Case) {
			c.Consents[0].WithdrawnAt = c.Consents[0].GivenAt.Add(-time.Hour)
		}, "consents[0].withdrawn_at", "before given_at"},
		{"consent of another patient", func(c *casedoc.Case) { c.Consents[1].PatientID = other }, "consents[1].patient_id", "another patient"},
		{"plan of another meeting", func(c *casedoc.Case) { c.Plan.MeetingID = other }, "plan.meeting_id", "another meeting"},
		{"gp in social security", func(c *casedoc.Case) { c.Meeting.Participants[5].Sector = meeting.SectorSocialSecurity }, "meeting.participants[5].sector", "role gp cannot be in sector social_security"},
		{"patient outside patient side", func(c *casedoc.Case) { c.Meeting.Participants[0].Sector = meeting.SectorPrimaryHealth }, "meeting.participants[0].sector", "role patient cannot be"},
		{"coordinator on the patient side", func(c *casedoc.Case) {
			c.Meeting.Participants[2].Role = meeting.RoleCoordinator
			c.Meeting.Participants[2].Sector = meeting.SectorPatient
		}, "meeting.participants[2].sector", "cannot be in sector patient"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := referenceCase(t)
			tt.change(c)
			err := c.Validate()
			assertPath(t, err, tt.path, tt.message)
			// The same through the decoder, where the case can be written.
			if data, merr := jsonv2.Marshal(c); merr == nil && c.Meeting.ID != uuid.Nil {
				_, derr := casedoc.Unmarshal(data)
				assertPath(t, derr, tt.path, tt.message)
			}
		})
	}
}

// TestValidateAwayItems: away_items inside the span are valid; a long
// list (found through a map) reports a repeat as a short one does.
func TestValidateAwayItems(t *testing.T) {
	c := referenceCase(t)
	nav := &c.Meeting.Participants[6] // joins at the recap (item 3)
	nav.AwayItems = []uuid.UUID{c.Meeting.Agenda[5].ID, c.Meeting.Agenda[4].ID}
	require.NoError(t, c.Validate(), "items inside the span, in any order")
	nav.AwayItems = []uuid.UUID{c.Meeting.Agenda[3].ID, c.Meeting.Agenda[6].ID}
	require.NoError(t, c.Validate(), "the join and the last item of the span")

	long := referenceCase(t)
	for i := range 40 {
		long.Meeting.Agenda = append(long.Meeting.Agenda, meeting.AgendaItem{
			ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i)}), Kind: meeting.ItemOther, Minutes: 1,
		})
	}
	ps := &long.Meeting.Participants[1]
	for i := 3; i < len(long.Meeting.Agenda); i++ {
		ps.AwayItems = append(ps.AwayItems, long.Meeting.Agenda[i].ID)
	}
	require.NoError(t, long.Validate())
	ps.AwayItems = append(ps.AwayItems, long.Meeting.Agenda[10].ID)
	assertPath(t, long.Validate(), "meeting.participants[1].away_items["+strconv.Itoa(len(ps.AwayItems)-1)+"]",
		"repeats the agenda item of meeting.participants[1].away_items[7]")
}

// TestValidateAllowsCheckedReferences: references that a recommendation checks
// are findings, not errors.
func TestValidateAllowsCheckedReferences(t *testing.T) {
	other := uuid.New()
	c := referenceCase(t)
	c.Meeting.LeaderID = other
	c.Meeting.MinuteTakerID = other
	c.Meeting.PlanUpdaterID = other
	c.Meeting.Participants[6].SuccessorID = other
	c.Plan.Actions[0].OwnerID = other
	c.Plan.FollowUp.ContactPersonID = other
	assert.NoError(t, c.Validate())
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	c := referenceCase(t)
	c.Meeting.Kind = "workshop"
	c.Meeting.Participants[1].Role = "cousin"
	c.Consents[0].Scopes = nil
	c.Plan.Status = ""
	err := c.Validate()
	var verr *validation.Error
	require.ErrorAs(t, err, &verr)
	assert.ElementsMatch(t, []string{
		"meeting.kind", "meeting.participants[1].role", "consents[0].scopes", "plan.status",
	}, verr.Paths())
}

func TestUnmarshalReportsEveryBadUUIDAtOnce(t *testing.T) {
	ref, err := os.ReadFile(reference)
	require.NoError(t, err)
	doc := bytes.Replace(ref, []byte(`"10927a11-c11a-5c97-8e26-de4a06205b7b"`), []byte(`"not-a-uuid"`), -1)
	_, err = casedoc.Unmarshal(doc)
	var verr *validation.Error
	require.ErrorAs(t, err, &verr)
	assert.Subset(t, verr.Paths(), []string{
		"meeting.participants[0].id", "meeting.agenda[2].lead_id",
		"meeting.preparation.sent_to[0]", "meeting.preparation.clinical_notes_sent_to[0]",
	})
	for _, p := range verr.Problems {
		assert.NotContains(t, p.Message, "is required", "a bad UUID is reported once, as a bad UUID: %v", p)
	}
}

func TestErrorsCarryNoFreeText(t *testing.T) {
	const marker = "CANARY-7f3a"
	ref, err := os.ReadFile(reference)
	require.NoError(t, err)
	docs := [][]byte{
		bytes.Replace(ref, []byte(`"role": "social_security_supervisor"`), []byte(`"role": "`+marker+` Nordmann"`), 1),
		bytes.Replace(ref, []byte(`"id": "10927a11-c11a-5c97-8e26-de4a06205b7b"`), []byte(`"id": "`+marker+`"`), 1),
		bytes.Replace(ref, []byte(`"name": "Kari Nordmann"`), []byte(`"name": "`+marker+`", "`+marker+` Nordmann": 1`), 1),
		bytes.Replace(ref, []byte(`"name": "Kari Nordmann"`), []byte(`"name": "Kari", "name": "`+marker+`"`), 1),
		bytes.Replace(ref, []byte(`"start": "2026-05-04T09:00:00+02:00"`), []byte(`"start": "`+marker+`"`), 1),
		bytes.Replace(ref, []byte(`"minutes": 12`), []byte(`"minutes": "`+marker+`"`), 1),
	}
	for i, doc := range docs {
		_, err := casedoc.Unmarshal(doc)
		require.Error(t, err, "document %d", i)
		assert.NotContains(t, err.Error(), marker, "document %d", i)
	}
}

func TestSizeLimit(t *testing.T) {
	ref, err := os.ReadFile(reference)
	require.NoError(t, err)
	_, err = casedoc.Decoder{MaxBytes: int64(len(ref) - 1)}.Unmarshal(ref)
	assert.ErrorIs(t, err, casedoc.ErrTooLarge)
	_, err = casedoc.Decoder{MaxBytes: int64(len(ref))}.Decode(bytes.NewReader(ref))
	assert.NoError(t, err)
	_, err = casedoc.Decoder{MaxBytes: int64(len(ref) - 1)}.Decode(bytes.NewReader(ref))
	assert.ErrorIs(t, err, casedoc.ErrTooLarge)
}

type expectation struct {
	Gaps         []string `json:"gaps"`
	InvalidPaths []string `json:"invalid_paths"`
}

// TestExampleCases: every valid example decodes and validates, every invalid
// one fails naming the listed paths; the shared cases too, when present.
func TestExampleCases(t *testing.T) {
	dirs := []string{"../examples/cases", "../examples/invalid"}
	seen := 0
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, file := range files {
			if strings.HasSuffix(file, ".expect.json") {
				continue
			}
			seen++
			t.Run(file, func(t *testing.T) {
				want := readExpectation(t, file)
				c, err := casedoc.ReadFile(file)
				if len(want.InvalidPaths) == 0 {
					require.NoError(t, err)
					require.NotNil(t, c)
					return
				}
				require.Error(t, err)
				var verr *validation.Error
				require.ErrorAs(t, err, &verr)
				assert.Subset(t, verr.Paths(), want.InvalidPaths)
			})
		}
	}
	assert.GreaterOrEqual(t, seen, 10, "example cases found")
}

// readExpectation finds NAME.expect.json beside a shared case, or
// expected/NAME.json beside a project example.
func readExpectation(t *testing.T, file string) expectation {
	t.Helper()
	name := strings.TrimSuffix(filepath.Base(file), ".json")
	var want expectation
	for _, p := range []string{
		filepath.Join(filepath.Dir(file), name+".expect.json"),
		filepath.Join(filepath.Dir(file), "expected", name+".json"),
	} {
		if data, err := os.ReadFile(p); err == nil {
			require.NoError(t, json.Unmarshal(data, &want), p)
			return want
		}
	}
	t.Fatalf("no expectation for %s", file)
	return want
}

// TestRoundTrip: decode → encode → decode gives an equal case.
func TestRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../examples/cases/*.json")
	require.NotEmpty(t, files)
	files = append(files, "testdata/every-field.json")
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			first, err := casedoc.ReadFile(file)
			require.NoError(t, err)
			data, err := jsonv2.Marshal(first)
			require.NoError(t, err)
			second, err := casedoc.Unmarshal(data)
			require.NoError(t, err)
			assert.Equal(t, first, second)
			// encoding/json writes the same document.
			std, err := json.Marshal(first)
			require.NoError(t, err)
			third, err := casedoc.Unmarshal(std)
			require.NoError(t, err)
			assert.Equal(t, first, third)
		})
	}
}

func TestNullInsideArrays(t *testing.T) {
	_, err := casedoc.Unmarshal([]byte(`{"meeting": {"participants": [null]}}`))
	assertPath(t, err, "meeting.participants[0].id", "is required")
}

func TestGoBuiltCaseValidates(t *testing.T) {
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	patient := uuid.New()
	c := casedoc.Case{
		Meeting: meeting.Meeting{
			ID: uuid.New(), PatientID: uuid.New(), Kind: meeting.KindFollowUp, Status: meeting.StatusPlanned,
			Format: meeting.FormatInPerson, Start: start, DurationMinutes: 30,
			Participants: []meeting.Participant{{ID: patient, Role: meeting.RolePatient, Sector: meeting.SectorPatient}},
		},
		Consents: consent.Set{},
		Plan:     &plan.Plan{ID: uuid.New(), Status: plan.StatusDraft},
	}
	assert.NoError(t, c.Validate())
	var zero casedoc.Case
	err := zero.Validate()
	assertPath(t, err, "meeting.id", "is required")
	assert.True(t, errors.As(err, new(*validation.Error)))
}
