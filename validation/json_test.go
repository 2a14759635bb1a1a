package validation_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type jsonDoc struct {
	Items []struct {
		Minutes int       `json:"minutes"`
		At      time.Time `json:"at"`
		Ready   bool      `json:"ready"`
		Name    string    `json:"name"`
	} `json:"items"`
	Rate float64 `json:"rate"`
}

var errBad = errors.New("bad document")

func TestJSONError(t *testing.T) {
	tests := []struct {
		in, path, message string
	}{
		{`{"items": [{"minutes": 1.5}]}`, "items[0].minutes", "got a fraction or exponent, want a whole number"},
		{`{"items": [{"minutes": 99999999999999999999}]}`, "items[0].minutes", "got a number out of range, want a whole number"},
		{`{"items": [{"minutes": 300000000000}], "rate": 1e999}`, "rate", "is out of range"},
		{`{"items": [{"at": "tomorrow"}]}`, "items[0].at", "is not an RFC 3339 time"},
		{`{"items": [{"ready": "yes"}]}`, "items[0].ready", "got a string, want true or false"},
		{`{"items": [{"name": 5}]}`, "items[0].name", "got a number, want a string"},
		{`{"items": {}}`, "items", "got an object, want an array"},
		{`{"items": [{"nmae": "x"}]}`, "items[0].nmae", "unknown field"},
		{`{"items": [{"Kari Nordmann": "x"}]}`, "items[0].?", "unknown field"},
		{`{"rate": 1, "rate": 2}`, "rate", "repeated key"},
		{`{"items": [`, "items", "unexpected end of document"},
		{"{\"items\": [{\"name\": \"\xff\"}]}", "items[0].name", "invalid UTF-8"},
		{`{} {}`, "", "data after the end of the document"},
		{`{"items": [{"name": ` + strings.Repeat("[", 10001), "*", "nested too deeply"},
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 40)], func(t *testing.T) {
			var d jsonDoc
			err := json.Unmarshal([]byte(tt.in), &d, json.RejectUnknownMembers(true))
			require.Error(t, err)
			verr := validation.JSONError(err, "", errBad)
			require.Len(t, verr.Problems, 1)
			if tt.path != "*" { // "*": wherever the decoder stopped
				assert.Equal(t, tt.path, verr.Problems[0].Path)
			}
			assert.Contains(t, verr.Problems[0].Message, tt.message)
			assert.ErrorIs(t, verr, errBad)
			assert.NotContains(t, verr.Error(), "Kari")
			assert.NotContains(t, verr.Error(), "tomorrow")
		})
	}
}

func TestJSONPath(t *testing.T) {
	assert.Equal(t, "meeting.participants[3].role", validation.JSONPath("", "/meeting/participants/3/role"))
	assert.Equal(t, "Bundle.entry[2].resource", validation.JSONPath("Bundle", "/entry/2/resource"))
	assert.Equal(t, "severity.MC-06", validation.JSONPath("", "/severity/MC-06"))
	assert.Equal(t, "?", validation.JSONPath("", jsontext.Pointer("/"+"a b")))
	deep := jsontext.Pointer(strings.Repeat("/0", 100))
	assert.Equal(t, strings.Repeat("[0]", 16)+"…", validation.JSONPath("", deep))
}
