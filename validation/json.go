package validation

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// JSONError turns an error of github.com/go-json-experiment/json (the
// upstream of encoding/json/v2, which every decoder of collabmeet uses) into
// an *Error with one problem at the JSON path of the error, below root ("" for
// none, "Bundle" for a FHIR bundle), wrapping sentinel. The message says what
// is wrong — an unknown field, a repeated key, a value of the wrong type or
// out of range, malformed JSON — and never quotes a value of the document.
func JSONError(err error, root string, sentinel error) *Error {
	problem := func(path, msg string) *Error {
		return &Error{Problems: []Problem{{Path: path, Message: msg}}, Err: sentinel}
	}
	var serr *json.SemanticError
	var xerr *jsontext.SyntacticError
	switch {
	case errors.As(err, &serr):
		path := JSONPath(root, serr.JSONPointer)
		switch {
		case errors.Is(serr.Err, json.ErrUnknownName):
			return problem(MemberPath(root, serr.JSONPointer), "unknown field")
		case errors.Is(serr.Err, jsontext.ErrDuplicateName):
			return problem(MemberPath(root, serr.JSONPointer), repeatedKey)
		case serr.JSONKind == 0 && errors.Is(serr.Err, io.ErrUnexpectedEOF):
			return problem(path, "unexpected end of document")
		}
		return problem(path, typeMessage(serr))
	case errors.As(err, &xerr):
		path := JSONPath(root, xerr.JSONPointer)
		if errors.Is(xerr.Err, jsontext.ErrDuplicateName) {
			return problem(MemberPath(root, xerr.JSONPointer), repeatedKey)
		}
		return problem(path, fmt.Sprintf("malformed JSON at byte %d: %s", xerr.ByteOffset, syntaxReason(xerr.Err)))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return problem(root, "unexpected end of document")
	}
	return problem(root, "cannot be decoded")
}

const repeatedKey = "repeated key: a later value would silently replace the earlier one"

// syntaxReason words a syntactic error of jsontext without echoing input.
// jsontext's own messages quote the text where the document stops being
// JSON, up to a dozen bytes of a string for an escape sequence: only the
// shapes below are kept, and of the input at most the one character of
// "invalid character"; anything else is worded as "invalid JSON".
func syntaxReason(err error) string {
	if err == nil {
		return "invalid JSON"
	}
	msg := err.Error()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of document"
	case strings.Contains(msg, "UTF-8"):
		return "invalid UTF-8"
	case strings.Contains(msg, "after top-level value"):
		return "data after the end of the document"
	case strings.Contains(msg, "max depth"), strings.Contains(msg, "nesting depth"):
		return "nested too deeply"
	}
	msg = strings.TrimPrefix(msg, "jsontext: ")
	for _, r := range fixedSyntaxReasons {
		if strings.HasPrefix(msg, r.prefix) {
			return r.reason
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid character "); ok {
		if char, where, ok := oneQuotedRune(rest); ok && knownWhere(where) {
			return "invalid character " + char + " " + where
		}
		return "invalid character"
	}
	return "invalid JSON"
}

// fixedSyntaxReasons word the messages of jsontext that quote nothing of
// the input, and those whose quoted part is dropped (an escape sequence
// quotes up to a dozen bytes of a string).
var fixedSyntaxReasons = []struct{ prefix, reason string }{
	{"invalid escape sequence", "invalid escape sequence in a string"},
	{"invalid surrogate pair", "invalid surrogate pair in a string"},
	{"missing value after object name", "missing value after object name"},
	{"mismatching structural token", "mismatching structural token for object or array"},
	{"object member name must be a string", "object member name must be a string"},
}

// knownWheres are the places jsontext names after an invalid character.
var knownWheres = []string{
	"at start of value",
	"after object name (expecting ':')",
	"after object value (expecting ',' or '}')",
	"after array element (expecting ',' or ']')",
	"after array value (expecting ',' or ']')",
	"at start of string (expecting '\"')",
	"in string (expecting non-control character)",
	"after string value",
}

func knownWhere(where string) bool {
	if strings.HasPrefix(where, "in literal ") {
		// "in literal true (expecting 'r')": the literal and the character
		// expected are jsontext's, not the document's.
		lit, _, _ := strings.Cut(strings.TrimPrefix(where, "in literal "), " ")
		return lit == "true" || lit == "false" || lit == "null"
	}
	for _, w := range knownWheres {
		if where == w {
			return true
		}
	}
	return false
}

// oneQuotedRune splits s, which starts with a Go-quoted rune ('x', '\x00',
// '\u2028'), into the quoted rune and the rest after one space.
func oneQuotedRune(s string) (char, rest string, ok bool) {
	if len(s) < 3 || s[0] != '\'' {
		return "", "", false
	}
	for i := 1; i < len(s) && i < 16; i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == '\'' {
			char = s[:i+1]
			if _, err := strconv.Unquote(char); err != nil {
				return "", "", false
			}
			return char, strings.TrimPrefix(s[i+1:], " "), true
		}
	}
	return "", "", false
}

// typeMessage explains a value of the wrong JSON kind, or a number out of range.
func typeMessage(serr *json.SemanticError) string {
	want := wantOf(serr.GoType)
	got := "a value"
	switch serr.JSONKind {
	case '"':
		got = "a string"
	case '0':
		got = "a number"
		v := string(serr.JSONValue)
		if _, err := strconv.ParseInt(v, 10, 64); err != nil && v != "" {
			got = "a number out of range"
			if strings.ContainsAny(v, ".eE") {
				got = "a fraction or exponent"
			}
		}
	case 't', 'f':
		got = "a boolean"
	case 'n':
		got = "null"
	case '{':
		got = "an object"
	case '[':
		got = "an array"
	}
	switch {
	case got == "a string" && want == wantTime:
		return "is not " + want
	case serr.JSONKind == '0' && (want == "a whole number" && got == "a number" || want == "a number"):
		return "is out of range"
	}
	return fmt.Sprintf("got %s, want %s", got, want)
}

const wantTime = "an RFC 3339 time with offset, such as 2026-05-04T09:00:00+02:00"

// wantOf says what JSON a Go type takes.
func wantOf(t reflect.Type) string {
	if t == nil {
		return "a value of another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.String() {
	case "time.Time":
		return wantTime
	case "uuid.UUID":
		return "a UUID string"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a value of another type"
}

// maxPathTokens bounds the path of an error in a deeply nested document.
const maxPathTokens = 16

// JSONPath turns a JSON pointer ("/meeting/participants/3/role") below root
// into the path every error of collabmeet uses ("meeting.participants[3].role").
// A token is an array index when it is a whole number as JSON pointers write
// indexes (no leading zero) of at most 9 digits; any other token is a member
// name, shown as MemberName shows it: an identifier as it is
// ("meeting.platform"), a name that could be read as a number by its
// length only (`meeting["<11 digits>"]`), anything else as "?", so that
// neither free text nor a personal number used as a key ever leaks. A path
// deeper than 16 steps is cut short with "…". When the pointer ends at a
// member name (an unknown or repeated one), use MemberPath.
func JSONPath(root string, p jsontext.Pointer) string {
	return jsonPath(root, p, false)
}

// MemberPath is JSONPath for a pointer whose last token is a member name
// (the member is unknown, or repeated), even one that looks like an index:
// {"meeting":{"0":1}} has the unknown member `meeting["<1 digit>"]`, not
// the element meeting[0].
func MemberPath(root string, p jsontext.Pointer) string {
	return jsonPath(root, p, true)
}

func jsonPath(root string, p jsontext.Pointer, lastIsName bool) string {
	var b strings.Builder
	b.WriteString(root)
	n, last := 0, 0
	if lastIsName {
		for range p.Tokens() {
			last++
		}
	}
	for tok := range p.Tokens() {
		if n++; n > maxPathTokens {
			b.WriteString("…")
			break
		}
		if (!lastIsName || n < last) && arrayIndex(tok) {
			b.WriteString("[" + tok + "]")
			continue
		}
		name := MemberName(tok)
		if b.Len() > 0 && name[0] != '[' {
			b.WriteByte('.')
		}
		b.WriteString(name)
	}
	return b.String()
}

// maxIndexDigits is the most digits of an array index: no document
// collabmeet reads has a billion elements in one array, and a longer number
// is more likely a personal number (a fødselsnummer has 11 digits).
const maxIndexDigits = 9

// arrayIndex reports whether a pointer token can be an array index.
func arrayIndex(tok string) bool {
	if tok == "" || len(tok) > maxIndexDigits || len(tok) > 1 && tok[0] == '0' {
		return false
	}
	return allDigits(tok)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// MemberName shows a member name of a document as paths show it: an
// identifier that starts with a letter or '_' as it is ("platform",
// "MC-06"); a name that starts with a digit, which a reader would take for
// an index and which may be a personal number (a fødselsnummer, an HPR
// number), quoted in brackets, as its length when it is all digits
// (`["<11 digits>"]`) and as it is otherwise (`["2nd"]`); anything else
// (free text, control characters, a name over 64 bytes) as "?".
func MemberName(s string) string {
	switch {
	case !identifier(s):
		return "?"
	case allDigits(s):
		return `["<` + digits(len(s)) + `>"]`
	case s[0] >= '0' && s[0] <= '9':
		return `["` + s + `"]`
	}
	return s
}

func identifier(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
