package validation_test

import (
	"errors"
	"regexp"
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

// TestSyntaxErrorsShowNoStringContent: jsontext quotes up
// to a dozen bytes of a string after a bad escape; a syntax error shows at
// most the one character where the document stops being JSON.
func TestSyntaxErrorsShowNoStringContent(t *testing.T) {
	tests := []struct {
		name, in, message string
	}{
		{"lone surrogate", `{"items":[{"name":"\ud800Kari Nordmann"}]}`, "invalid surrogate pair in a string"},
		{"bad \\u escape", `{"items": [{"name": "\uKari"}]}`, "invalid escape sequence in a string"},
		{"surrogate then a bad low half", `{"items": [{"name": "\ud800\u0041Kari"}]}`, "invalid surrogate pair in a string"},
		{"bad escape letter", `{"items": [{"name": "Ka\qri"}]}`, "invalid escape sequence in a string"},
		{"bad escape in a key", `{"items": [{"\uKari": 1}]}`, "invalid escape sequence in a string"},
		{"bare word", `{"items": [{"name": Kari}]}`, "invalid character 'K' at start of value"},
		{"control character", "{\"items\": [{\"name\": \"Ka\x01ri\"}]}", `invalid character '\x01' in string`},
		{"missing colon", `{"items" [1]}`, "invalid character '[' after object name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d jsonDoc
			err := json.Unmarshal([]byte(tt.in), &d, json.RejectUnknownMembers(true))
			require.Error(t, err)
			verr := validation.JSONError(err, "", errBad)
			require.Len(t, verr.Problems, 1)
			assert.Contains(t, verr.Problems[0].Message, tt.message)
			assert.NotContains(t, verr.Error(), "Kari")
			assert.NotContains(t, verr.Error(), "Ka")
			assert.Regexp(t, syntaxMessage, verr.Problems[0].Message)
		})
	}
}

// syntaxMessage is every form a syntax error may take: fixed words, and at
// most one quoted character of the document.
var syntaxMessage = regexp.MustCompile(`^malformed JSON at byte \d+: (` +
	`unexpected end of document|invalid UTF-8|data after the end of the document|nested too deeply|` +
	`invalid escape sequence in a string|invalid surrogate pair in a string|missing value after object name|` +
	`mismatching structural token for object or array|object member name must be a string|invalid JSON|invalid character|` +
	`invalid character '(\\.|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|\\U[0-9a-f]{8}|[^\\'])' [a-z (),:'"\\{}\[\]-]+)$`)

// FuzzSyntaxErrorsShowNoStringContent: whatever the bytes inside a string
// (or anywhere else), a syntax error is one of the fixed forms, with at
// most one character of the document, and a marker placed after the
// fuzzed bytes never shows, in the message or the args.
func FuzzSyntaxErrorsShowNoStringContent(f *testing.F) {
	for _, s := range []string{`\ud800`, `\u`, `\uKa`, `\ud800\u00`, `\q`, "\x01", "\xff", `"`, `\`, `\ud83d\ude00`, `"}]`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		const marker = "QZXJVW"
		for _, doc := range []string{
			`{"items": [{"name": "` + s + marker + `"}]}`,
			`{"items": [{"` + s + marker + `": 1}]}`,
			s + marker,
		} {
			var d jsonDoc
			err := json.Unmarshal([]byte(doc), &d, json.RejectUnknownMembers(true))
			var xerr *jsontext.SyntacticError
			if !errors.As(err, &xerr) {
				continue
			}
			verr := validation.JSONError(err, "", errBad)
			msg := verr.Problems[0].Message
			if !syntaxMessage.MatchString(msg) {
				t.Fatalf("syntax error of unexpected form: %q (from %q)", msg, xerr.Error())
			}
			shown := []string{msg}
			for _, v := range verr.Problems[0].Args {
				shown = append(shown, v)
			}
			for _, text := range shown {
				for i := 0; i+2 <= len(marker); i++ {
					if strings.Contains(text, marker[i:i+2]) {
						t.Fatalf("syntax error shows the document's text: %q", text)
					}
				}
			}
			if code := verr.Problems[0].Code; !strings.HasPrefix(code, "malformed") {
				t.Fatalf("syntax error with code %q", code)
			}
		}
	})
}

// TestPathsNeverShowANumberAsAName: a member name that looks like a number
// is shown by its length, quoted, never as an index or as itself; an index
// stays an index.
func TestPathsNeverShowANumberAsAName(t *testing.T) {
	tests := []struct {
		name    string
		pointer jsontext.Pointer
		member  bool // the pointer ends at a member name
		want    string
	}{
		{"index", "/meeting/participants/3/role", false, "meeting.participants[3].role"},
		{"unknown name", "/meeting/participants/3/x", true, "meeting.participants[3].x"},
		{"fødselsnummer as a name", "/meeting/01017012345", true, `meeting["<11 digits>"]`},
		{"fødselsnummer in a value path", "/meeting/01017012345", false, `meeting["<11 digits>"]`},
		{"a short number as a name", "/meeting/0", true, `meeting["<1 digit>"]`},
		{"a short number in a value path is an index", "/meeting/participants/0", false, "meeting.participants[0]"},
		{"leading zero is no index", "/meeting/agenda/010170", false, `meeting.agenda["<6 digits>"]`},
		{"ten digits is no index", "/a/1234567890", false, `a["<10 digits>"]`},
		{"nine digits is an index", "/a/123456789", false, "a[123456789]"},
		{"a name that starts with a digit", "/meeting/2nd", true, `meeting["2nd"]`},
		{"at the root", "/12345678901", true, `["<11 digits>"]`},
		{"free text", "/meeting/a b", true, "meeting.?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.member {
				assert.Equal(t, tt.want, validation.MemberPath("", tt.pointer))
			} else {
				assert.Equal(t, tt.want, validation.JSONPath("", tt.pointer))
			}
		})
	}
	assert.Equal(t, `params["<11 digits>"]`, validation.Member("params", "01017012345"))
	assert.Equal(t, "params.notice_days", validation.Member("params", "notice_days"))
	assert.Equal(t, "(a number of 11 digits)", validation.Quote("01017012345"))
	assert.Equal(t, `"MC-06"`, validation.Quote("MC-06"))
}
