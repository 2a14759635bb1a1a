package fhir

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// DefaultMaxBytes is the largest Bundle that Unmarshal accepts. A Bundle of a
// typical case is under 40 KiB.
const DefaultMaxBytes = 16 << 20

// ErrSyntax is wrapped by the error of Unmarshal for data that is not
// well-formed JSON, or that does not fit the FHIR shapes (a wrong JSON type, a
// key repeated in one object), or is over DefaultMaxBytes.
var ErrSyntax = errors.New("FHIR Bundle cannot be decoded")

// Marshal encodes a Bundle as indented FHIR JSON. The same Bundle always gives
// the same bytes.
func Marshal(b *Bundle) ([]byte, error) {
	data, err := json.Marshal(b, json.Deterministic(true), jsontext.WithIndent("  "))
	if err != nil {
		return nil, fmt.Errorf("fhir: encoding Bundle: %w", err)
	}
	return append(data, '\n'), nil
}

// MarshalCase converts a case to a Bundle with FromCase and encodes it with Marshal.
func MarshalCase(c *casedoc.Case) ([]byte, error) {
	b, err := FromCase(c)
	if err != nil {
		return nil, err
	}
	return Marshal(b)
}

// UnmarshalCase decodes a Bundle with Unmarshal and converts it with ToCase.
func UnmarshalCase(data []byte) (*casedoc.Case, error) {
	b, err := Unmarshal(data)
	if err != nil {
		return nil, err
	}
	return ToCase(b)
}

// IsBundle reports whether data is a JSON object whose resourceType is
// "Bundle": how the CLI tells a Bundle from a case document.
func IsBundle(data []byte) bool { return ResourceTypeOf(data) == "Bundle" }

// ResourceTypeOf returns the resourceType of the JSON object in data, or ""
// when data is not a JSON object with a string resourceType. It reads only
// the top-level members.
func ResourceTypeOf(data []byte) string {
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return ""
	}
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return ""
		}
		if name.String() == "resourceType" {
			if dec.PeekKind() != '"' {
				return ""
			}
			v, err := dec.ReadToken()
			if err != nil {
				return ""
			}
			return v.String()
		}
		if err := dec.SkipValue(); err != nil {
			return ""
		}
	}
	return ""
}

// wireBundle is a Bundle with its resources still undecoded.
type wireBundle struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	Entry        []struct {
		FullURL  string         `json:"fullUrl"`
		Resource jsontext.Value `json:"resource"`
	} `json:"entry"`
}

// bundleTypes are the Bundle.type values whose entries Unmarshal reads.
var bundleTypes = []string{"collection", "searchset", "transaction", "batch"}

// Unmarshal decodes a FHIR R4 Bundle in JSON. Elements outside the subset of
// this package are ignored; a resource type outside it is an error. Every
// error is a *validation.Error whose problems name the FHIR element, such as
// Bundle.entry[2].resource.participant; it wraps ErrSyntax for data that is
// not JSON of the right shape and ErrMapping for a resource type or Bundle
// type that cannot be mapped.
func Unmarshal(data []byte) (*Bundle, error) {
	if len(data) > DefaultMaxBytes {
		return nil, &validation.Error{
			Problems: []validation.Problem{{Path: "Bundle", Message: fmt.Sprintf("is larger than the limit of %d bytes", DefaultMaxBytes)}},
			Err:      ErrSyntax,
		}
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return nil, syntaxError("Bundle", "starts with a byte-order mark; send UTF-8 without one")
	}
	var w wireBundle
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, decodeError("Bundle", err)
	}
	if w.ResourceType != "Bundle" {
		return nil, mappingError("Bundle.resourceType", fmt.Sprintf("is %s, want Bundle", quoteCode(w.ResourceType)))
	}
	var l validation.List
	known := false
	for _, t := range bundleTypes {
		known = known || w.Type == t
	}
	if !known {
		l.Addf("Bundle.type", "is %s, want one of %s", quoteCode(w.Type), strings.Join(bundleTypes, ", "))
	}
	b := &Bundle{ResourceType: w.ResourceType, ID: w.ID, Type: w.Type, Entry: make([]Entry, len(w.Entry))}
	syntax := false
	for i, e := range w.Entry {
		b.Entry[i].FullURL = e.FullURL
		if len(e.Resource) == 0 || e.Resource.Kind() == 'n' {
			continue
		}
		path := fmt.Sprintf("Bundle.entry[%d].resource", i)
		var probe struct {
			ResourceType string `json:"resourceType"`
		}
		if err := json.Unmarshal(e.Resource, &probe); err != nil {
			l.Add(problems(decodeError(path, err))...)
			syntax = true
			continue
		}
		res := newResource(probe.ResourceType)
		if res == nil {
			l.Addf(path+".resourceType", "%s is not mapped to the case (want one of %s)", quoteCode(probe.ResourceType), resourceTypes)
			continue
		}
		if err := json.Unmarshal(e.Resource, res); err != nil {
			l.Add(problems(decodeError(path, err))...)
			syntax = true
			continue
		}
		b.Entry[i].Resource = res
	}
	if len(l.Problems) > 0 {
		err := l.Err().(*validation.Error)
		err.Err = ErrMapping
		if syntax {
			err.Err = ErrSyntax
		}
		return nil, err
	}
	return b, nil
}

func problems(err error) []validation.Problem {
	var ve *validation.Error
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return []validation.Problem{{Message: err.Error()}}
}

func syntaxError(path, msg string) error {
	return &validation.Error{Problems: []validation.Problem{{Path: path, Message: msg}}, Err: ErrSyntax}
}

// decodeError turns an error of the JSON decoder into a *validation.Error at
// the FHIR path of the problem (root is the path of the decoded value), with
// a message that quotes nothing from the document.
func decodeError(root string, err error) error {
	var serr *json.SemanticError
	var xerr *jsontext.SyntacticError
	switch {
	case errors.As(err, &serr):
		path := pointerPath(root, serr.JSONPointer)
		if errors.Is(serr.Err, jsontext.ErrDuplicateName) {
			return syntaxError(path, "repeated key: a later value would silently replace the earlier one")
		}
		if serr.JSONKind == 0 && errors.Is(serr.Err, io.ErrUnexpectedEOF) {
			return syntaxError(path, "unexpected end of document")
		}
		return syntaxError(path, typeMessage(serr))
	case errors.As(err, &xerr):
		path := pointerPath(root, xerr.JSONPointer)
		if errors.Is(xerr.Err, jsontext.ErrDuplicateName) {
			return syntaxError(path, "repeated key: a later value would silently replace the earlier one")
		}
		return syntaxError(path, fmt.Sprintf("malformed JSON at byte %d", xerr.ByteOffset))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return syntaxError(root, "unexpected end of document")
	}
	return syntaxError(root, "cannot be decoded")
}

// typeMessage explains a value of the wrong JSON kind or out of range.
func typeMessage(serr *json.SemanticError) string {
	want := "a value of another type"
	if t := serr.GoType; t != nil {
		switch t.Kind().String() {
		case "string":
			want = "a string"
		case "int", "int64":
			want = "a whole number"
		case "bool":
			want = "true or false"
		case "slice", "array":
			want = "an array"
		case "struct", "ptr", "map", "interface":
			want = "an object"
		}
		if t.Kind().String() == "ptr" {
			switch t.Elem().Kind().String() {
			case "string":
				want = "a string"
			case "int":
				want = "a whole number"
			case "bool":
				want = "true or false"
			}
		}
	}
	got := map[jsontext.Kind]string{'"': "a string", '0': "a number", 't': "a boolean", 'f': "a boolean",
		'n': "null", '{': "an object", '[': "an array"}[serr.JSONKind]
	if got == "" {
		got = "a value"
	}
	if serr.JSONKind == '0' && want == "a whole number" {
		return "is not a whole number in range"
	}
	return fmt.Sprintf("got %s, want %s", got, want)
}

// pointerPath turns a JSON pointer ("/participant/1/actor") below root into
// a FHIR path ("Bundle.entry[0].resource.participant[1].actor"). A member
// name that is not a plain name is shown as "?", so that no text leaks.
func pointerPath(root string, p jsontext.Pointer) string {
	var b strings.Builder
	b.WriteString(root)
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		b.WriteByte('.')
		if plainName(tok) {
			b.WriteString(tok)
		} else {
			b.WriteString("?")
		}
	}
	return b.String()
}

func plainName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
