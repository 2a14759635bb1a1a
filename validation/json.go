package validation

import (
	"errors"
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
	problem := func(p Problem) *Error {
		return &Error{Problems: []Problem{p}, Err: sentinel}
	}
	var serr *json.SemanticError
	var xerr *jsontext.SyntacticError
	switch {
	case errors.As(err, &serr):
		path := JSONPath(root, serr.JSONPointer)
		switch {
		case errors.Is(serr.Err, json.ErrUnknownName):
			return problem(Coded(MemberPath(root, serr.JSONPointer), "unknown_field"))
		case errors.Is(serr.Err, jsontext.ErrDuplicateName):
			return problem(Coded(MemberPath(root, serr.JSONPointer), "repeated_key"))
		case serr.JSONKind == 0 && errors.Is(serr.Err, io.ErrUnexpectedEOF):
			return problem(Coded(path, "unexpected_end"))
		}
		return problem(typeProblem(path, serr))
	case errors.As(err, &xerr):
		path := JSONPath(root, xerr.JSONPointer)
		if errors.Is(xerr.Err, jsontext.ErrDuplicateName) {
			return problem(Coded(MemberPath(root, xerr.JSONPointer), "repeated_key"))
		}
		return problem(syntaxProblem(path, strconv.FormatInt(xerr.ByteOffset, 10), xerr.Err))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return problem(Coded(root, "unexpected_end"))
	}
	return problem(Coded(root, "cannot_decode"))
}

// syntaxProblem words a syntactic error of jsontext at byte offset without
// echoing input: the code malformed with a reason, or malformed_character
// and malformed_literal for an invalid character. jsontext's own messages
// quote the text where the document stops being JSON, up to a dozen bytes
// of a string for an escape sequence: only the shapes below are kept, and
// of the input at most the one character of "invalid character"; anything
// else is worded as "invalid JSON".
func syntaxProblem(path, offset string, err error) Problem {
	malformed := func(reason string) Problem { return Coded(path, "malformed", "byte", offset, "reason", reason) }
	if err == nil {
		return malformed("invalid_json")
	}
	msg := err.Error()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("unexpected_end")
	case strings.Contains(msg, "UTF-8"):
		return malformed("invalid_utf8")
	case strings.Contains(msg, "after top-level value"):
		return malformed("after_end")
	case strings.Contains(msg, "max depth"), strings.Contains(msg, "nesting depth"):
		return malformed("too_deep")
	}
	msg = strings.TrimPrefix(msg, "jsontext: ")
	for _, r := range fixedSyntaxReasons {
		if strings.HasPrefix(msg, r.prefix) {
			return malformed(r.reason)
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid character "); ok {
		if char, where, ok := oneQuotedRune(rest); ok {
			if code, ok := whereCode(where); ok {
				return Coded(path, "malformed_character", "byte", offset, "char", char, "where", code)
			}
			if literal, expected, ok := inLiteral(where); ok {
				return Coded(path, "malformed_literal", "byte", offset, "char", char, "literal", literal, "expected", expected)
			}
		}
		return malformed("invalid_character")
	}
	return malformed("invalid_json")
}

// fixedSyntaxReasons name the messages of jsontext that quote nothing of
// the input, and those whose quoted part is dropped (an escape sequence
// quotes up to a dozen bytes of a string), by the code of their reason.
var fixedSyntaxReasons = []struct{ prefix, reason string }{
	{"invalid escape sequence", "invalid_escape"},
	{"invalid surrogate pair", "invalid_surrogate"},
	{"missing value after object name", "missing_value"},
	{"mismatching structural token", "mismatching_token"},
	{"object member name must be a string", "name_not_string"},
}

// knownWheres are the places jsontext names after an invalid character, by
// their code.
var knownWheres = []struct{ text, code string }{
	{"at start of value", "start_of_value"},
	{"after object name (expecting ':')", "after_name"},
	{"after object value (expecting ',' or '}')", "after_object_value"},
	{"after array element (expecting ',' or ']')", "after_array_element"},
	{"after array value (expecting ',' or ']')", "after_array_value"},
	{"at start of string (expecting '\"')", "start_of_string"},
	{"in string (expecting non-control character)", "in_string"},
	{"after string value", "after_string"},
}

func whereCode(where string) (string, bool) {
	for _, w := range knownWheres {
		if where == w.text {
			return w.code, true
		}
	}
	return "", false
}

// inLiteral splits "in literal true (expecting 'r')" into the literal and
// the quoted character expected: both jsontext's, not the document's.
func inLiteral(where string) (literal, expected string, ok bool) {
	rest, ok := strings.CutPrefix(where, "in literal ")
	if !ok {
		return "", "", false
	}
	literal, rest, _ = strings.Cut(rest, " ")
	if literal != "true" && literal != "false" && literal != "null" {
		return "", "", false
	}
	rest, ok = strings.CutPrefix(rest, "(expecting ")
	if !ok {
		return "", "", false
	}
	expected, tail, ok := oneQuotedRune(strings.TrimSuffix(rest, ")") + " ")
	if !ok || tail != "" || !strings.HasSuffix(rest, ")") {
		return "", "", false
	}
	return literal, expected, true
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

// typeProblem explains a value of the wrong JSON kind, or a number out of
// range: the codes wrong_type (args got and want), not_time and
// out_of_range.
func typeProblem(path string, serr *json.SemanticError) Problem {
	want := wantOf(serr.GoType)
	got := "value"
	switch serr.JSONKind {
	case '"':
		got = "string"
	case '0':
		got = "number"
		v := string(serr.JSONValue)
		if _, err := strconv.ParseInt(v, 10, 64); err != nil && v != "" {
			got = "number_out_of_range"
			if strings.ContainsAny(v, ".eE") {
				got = "fraction"
			}
		}
	case 't', 'f':
		got = "boolean"
	case 'n':
		got = "null"
	case '{':
		got = "object"
	case '[':
		got = "array"
	}
	switch {
	case got == "string" && want == "time":
		return Coded(path, "not_time")
	case serr.JSONKind == '0' && (want == "whole_number" && got == "number" || want == "number"):
		return Coded(path, "out_of_range")
	}
	return Coded(path, "wrong_type", "got", got, "want", want)
}

// wantOf says what JSON a Go type takes, as the code of its message in the
// vocabulary "want".
func wantOf(t reflect.Type) string {
	if t == nil {
		return "other"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.String() {
	case "time.Time":
		return "time"
	case "uuid.UUID":
		return "uuid"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "whole_number"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return "other"
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
