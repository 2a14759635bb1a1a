package casedoc_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/validation"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referenceDoc returns the reference meeting's document with each of the
// replacements made once.
func referenceDoc(t *testing.T, oldNew ...string) []byte {
	t.Helper()
	ref, err := os.ReadFile(reference)
	require.NoError(t, err)
	for i := 0; i+1 < len(oldNew); i += 2 {
		require.Contains(t, string(ref), oldNew[i])
		ref = bytes.Replace(ref, []byte(oldNew[i]), []byte(oldNew[i+1]), 1)
	}
	return ref
}

// TestOnePatient: a second participant with role patient
// is neither the patient nor a third party, and would escape the consent
// rules: the case is invalid, at the second one's role.
func TestOnePatient(t *testing.T) {
	const second = `{"id":"11111111-1111-4111-8111-111111111111","role":"patient","sector":"patient"}`
	tests := []struct {
		name  string
		doc   func(t *testing.T) []byte
		paths []string
	}{
		{"the probe's reproducer", func(t *testing.T) []byte {
			return referenceDoc(t,
				`"participants": [`, `"participants": [`+second+`, `,
				`"sent_to": [`, `"sent_to": ["11111111-1111-4111-8111-111111111111", `,
				`"clinical_notes_sent_to": [`, `"clinical_notes_sent_to": ["11111111-1111-4111-8111-111111111111", `)
		}, []string{"meeting.participants[1].role"}},
		{"the next of kin as a second patient", func(t *testing.T) []byte {
			return referenceDoc(t, `"role": "next_of_kin"`, `"role": "patient"`)
		}, []string{"meeting.participants[1].role"}},
		{"three patients", func(t *testing.T) []byte {
			return referenceDoc(t, `"role": "next_of_kin"`, `"role": "patient"`, `"participants": [`, `"participants": [`+second+`, `)
		}, []string{"meeting.participants[1].role", "meeting.participants[2].role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := casedoc.Unmarshal(tt.doc(t))
			require.Error(t, err)
			ps := problems(t, err)
			var got []string
			for _, p := range ps {
				if strings.Contains(p.Message, "role patient") {
					got = append(got, p.Path)
					assert.Contains(t, p.Message, "first is at meeting.participants[0]")
				}
			}
			assert.Equal(t, tt.paths, got)
		})
	}
	assert.NoError(t, referenceCase(t).Validate(), "one patient is valid")
}

// TestConsentExpiresBeforeGiven: like a withdrawal, an expiry
// before the consent is given makes the case invalid.
func TestConsentExpiresBeforeGiven(t *testing.T) {
	tests := []struct {
		name    string
		expires time.Duration // from given_at
		valid   bool
	}{
		{"an hour before", -time.Hour, false},
		{"a second before", -time.Second, false},
		{"at the moment given", 0, true},
		{"a year after", 365 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := referenceCase(t)
			c.Consents[1].ExpiresAt = c.Consents[1].GivenAt.Add(tt.expires)
			err := c.Validate()
			if tt.valid {
				assert.NoError(t, err)
				return
			}
			assertPath(t, err, "consents[1].expires_at", "before given_at")
			data, merr := jsonv2.Marshal(c)
			require.NoError(t, merr)
			_, err = casedoc.Unmarshal(data)
			assertPath(t, err, "consents[1].expires_at", "before given_at")
		})
	}
}

// TestMinutesAndYearsBounded: minutes above a day and
// times outside the years 0001-9999 are invalid, so that no arithmetic on a
// valid case overflows.
func TestMinutesAndYearsBounded(t *testing.T) {
	tests := []struct {
		name          string
		old, new      string
		path, message string // "" for a valid case
	}{
		{"the probe's item of 9223372036854775756 minutes", `"minutes": 12`, `"minutes": 9223372036854775756`, "meeting.agenda[4].minutes", "at most 1440"},
		{"an item of a day and a minute", `"minutes": 12`, `"minutes": 1441`, "meeting.agenda[4].minutes", "at most 1440"},
		{"an item of a day", `"minutes": 12`, `"minutes": 1440`, "", ""},
		{"a meeting of a day and a minute", `"duration_minutes": 60`, `"duration_minutes": 1441`, "meeting.duration_minutes", "at most 1440"},
		{"a meeting of a billion minutes", `"duration_minutes": 60`, `"duration_minutes": 1000000000`, "meeting.duration_minutes", "at most 1440"},
		{"a meeting of a day", `"duration_minutes": 60`, `"duration_minutes": 1440`, "", ""},
		{"a start in year 0", `"start": "2026-05-04T09:00:00+02:00"`, `"start": "0000-05-04T09:00:00+02:00"`, "meeting.start", "outside the years 0001-9999"},
		{"a start in year 0 in UTC", `"start": "2026-05-04T09:00:00+02:00"`, `"start": "0001-01-01T01:00:00+02:00"`, "meeting.start", "outside the years 0001-9999"},
		{"a start early in year 1", `"start": "2026-05-04T09:00:00+02:00"`, `"start": "0001-01-01T09:00:00+02:00"`, "", ""},
		{"a meeting that ends in year 10000", `"start": "2026-05-04T09:00:00+02:00"`, `"start": "9999-12-31T23:30:00Z"`, "meeting.duration_minutes", "end outside the years 0001-9999"},
		{"a meeting that ends in year 10000 in UTC", `"start": "2026-05-04T09:00:00+02:00"`, `"start": "9999-12-31T22:30:00-01:00"`, "meeting.duration_minutes", "end outside the years 0001-9999"},
		{"a meeting that ends at the last minute", `"start": "2026-05-04T09:00:00+02:00"`, `"start": "9999-12-31T22:59:00Z"`, "", ""},
		{"a due date in year 10000 in UTC", `"due": "2026-06-03T09:00:00+02:00"`, `"due": "9999-12-31T23:30:00-02:00"`, "plan.actions[0].due", "outside the years 0001-9999"},
		{"a consent given in year 0", `"given_at": "2026-04-24T09:00:00+02:00"`, `"given_at": "0000-12-31T23:00:00Z"`, "consents[0].given_at", "outside the years 0001-9999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := referenceDoc(t, tt.old, tt.new)
			c, err := casedoc.Unmarshal(doc)
			if tt.path == "" {
				require.NoError(t, err)
				assert.NotNil(t, c)
				return
			}
			assertPath(t, err, tt.path, tt.message)
		})
	}
}

// TestNilArguments: nil arguments and receivers of the
// API give an error, never a panic.
func TestNilArguments(t *testing.T) {
	data := referenceDoc(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"UnmarshalInto a nil case", func() error { return casedoc.Decoder{}.UnmarshalInto(data, nil) }},
		{"Validate a nil case", func() error { var c *casedoc.Case; return c.Validate() }},
		{"Decode a nil reader", func() error { _, err := casedoc.Decode(nil); return err }},
		{"a Reader of a nil reader", func() error {
			r := casedoc.NewReader(nil)
			if r.Next() {
				return nil
			}
			return r.Err()
		}},
		{"a nil Reader", func() error {
			var r *casedoc.Reader
			if r.Next() || r.Line() != 0 || r.Bytes() != nil {
				return nil
			}
			_, err := r.Case()
			if err == nil {
				return nil
			}
			return r.Err()
		}},
		{"a Reader not made by NewReader", func() error {
			var r casedoc.Reader
			if r.Next() {
				return nil
			}
			return r.Err()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = tt.call() })
			assert.Error(t, err)
		})
	}
}

// TestNullDocument: a document that is null is one
// problem, not one per required field.
func TestNullDocument(t *testing.T) {
	for _, doc := range []string{"null", " null\n", "\tnull"} {
		_, err := casedoc.Unmarshal([]byte(doc))
		require.Error(t, err)
		ps := problems(t, err)
		require.Len(t, ps, 1, "%q", doc)
		assert.Equal(t, validation.Problem{Path: "", Message: "got null, want an object", Code: "wrong_type", Args: map[string]string{"got": "null", "want": "object"}}, ps[0])
		assert.ErrorIs(t, err, casedoc.ErrSyntax)
	}
}

// TestReaderLineAtTheLimit: a line of exactly the size
// limit is accepted whether it ends in LF, CRLF or nothing; one byte more
// is too long whatever the ending.
func TestReaderLineAtTheLimit(t *testing.T) {
	good := compactReference(t)
	limit := int64(len(good))
	tests := []struct {
		name    string
		line    string
		tooLong bool
	}{
		{"LF", string(good) + "\n", false},
		{"CRLF", string(good) + "\r\n", false},
		{"no ending, the last line", string(good), false},
		{"a space over, LF", string(good) + " \n", true},
		{"a space over, CRLF", string(good) + " \r\n", true},
		{"a space over, no ending, the last line", string(good) + " ", true},
		{"CR CR LF", string(good) + "\r\r\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			last := strings.HasSuffix(tt.name, "the last line")
			input := string(good) + "\n" + tt.line
			if !last {
				input += string(good) + "\r\n"
			}
			r := casedoc.NewReader(strings.NewReader(input))
			r.Decoder.MaxBytes = limit
			require.True(t, r.Next())
			_, err := r.Case()
			require.NoError(t, err, "the line before")
			require.True(t, r.Next())
			_, err = r.Case()
			if tt.tooLong {
				assert.ErrorIs(t, err, casedoc.ErrTooLarge)
			} else {
				assert.NoError(t, err)
			}
			if !last {
				require.True(t, r.Next(), "the next line is read")
				_, err = r.Case()
				assert.NoError(t, err)
			}
			assert.False(t, r.Next())
			assert.NoError(t, r.Err())
		})
	}
}

// TestExampleRoles keeps the role names used above in step with the domain.
func TestExampleRoles(t *testing.T) {
	assert.True(t, meeting.RolePatient.Valid())
	assert.True(t, meeting.RoleNextOfKin.Valid())
}
