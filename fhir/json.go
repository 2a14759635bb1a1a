package fhir

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// MaxExpansion bounds the bytes of a Bundle, as MarshalCase writes it, per
// byte of the case document in compact JSON, part by part, as
// TestExpansionPerPart measures it: a participant grows at most 23.3 times
// (a next of kin: a RelatedPerson, an Appointment.participant and a
// CareTeam.participant for some 86 bytes), an informed-only sector 19.1
// times, a consent 16.2, an action 13.3, an agenda item 6.4. The one part
// that grows more is a very short patient goal: each goal becomes a contained
// Goal of about 500 bytes, so goals of fewer than 20 bytes on average can make
// a case near the case limit too large a Bundle (MarshalCase says so).
const MaxExpansion = 24

// DefaultMaxBytes is the largest Bundle that Unmarshal accepts: the case
// limit (casedoc.DefaultMaxBytes, 4 MiB) times MaxExpansion, 96 MiB, so that
// the Bundle of every case within the case limit (short goals aside) reads
// back. A Bundle of a typical case is under 40 KiB.
const DefaultMaxBytes = casedoc.DefaultMaxBytes * MaxExpansion

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

// MarshalCase converts a case to a Bundle with FromCase and encodes it with
// Marshal. A Bundle larger than DefaultMaxBytes, which Unmarshal would not
// read back, is an error wrapping ErrUnwritable. MarshalCase is
// Writer{}.Marshal.
func MarshalCase(c *casedoc.Case) ([]byte, error) { return Writer{}.Marshal(c) }

// Marshal converts a case to a Bundle with the Writer's Bundle and encodes
// it with Marshal, as MarshalCase does.
func (wr Writer) Marshal(c *casedoc.Case) ([]byte, error) {
	b, err := wr.Bundle(c)
	if err != nil {
		return nil, err
	}
	data, err := Marshal(b)
	if err != nil {
		return nil, err
	}
	if len(data) > DefaultMaxBytes {
		return nil, &validation.Error{Problems: []validation.Problem{{Path: "Bundle",
			Message: fmt.Sprintf("would be larger than the limit of %d bytes that Unmarshal reads (see MaxExpansion)", DefaultMaxBytes)}}, Err: ErrUnwritable}
	}
	return data, nil
}

// UnmarshalCase decodes a Bundle with Unmarshal and converts it with ToCase.
func UnmarshalCase(data []byte) (*casedoc.Case, error) {
	c, _, err := Reader{}.Read(data)
	return c, err
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
var bundleTypes = []string{"collection", "searchset", "transaction", "batch", "document", "message"}

// headerTypes are the Bundle types whose first entry is a resource of their
// own (FHIR rules bdl-11 and bdl-12), and that resource's type.
var headerTypes = map[string]string{"document": "Composition", "message": "MessageHeader"}

// newHeader returns an empty header resource when the resource of entry i of
// a Bundle of type bundleType is the Bundle's header (the Composition first
// in a document, the MessageHeader first in a message), and nil otherwise: a
// Composition or a MessageHeader anywhere else is an *OtherResource, which the
// mapping does not use.
func newHeader(bundleType string, i int, resourceType string) Resource {
	if i != 0 || headerTypes[bundleType] != resourceType {
		return nil
	}
	switch resourceType {
	case "Composition":
		return &Composition{}
	case "MessageHeader":
		return &MessageHeader{}
	}
	return nil
}

// Unmarshal decodes a FHIR R4 Bundle in JSON, of type collection, searchset,
// transaction, batch, document or message. Elements outside the subset of
// this package are ignored; a resource of a type outside it is kept as an
// *OtherResource, for the Reader to skip or refuse. The first entry of a
// document, when it is a Composition, is a *Composition, and the first entry
// of a message, when it is a MessageHeader, a *MessageHeader: each keeps the
// resource as it was read, for Marshal to write back. Every
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
		return nil, validation.JSONError(err, "Bundle", ErrSyntax)
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
			ID           string `json:"id"`
		}
		if err := json.Unmarshal(e.Resource, &probe); err != nil {
			l.Add(validation.JSONError(err, path, ErrSyntax).Problems...)
			syntax = true
			continue
		}
		res := newResource(probe.ResourceType)
		if h := newHeader(w.Type, i, probe.ResourceType); h != nil {
			res = h
		}
		if res == nil {
			if probe.ResourceType == "" {
				l.Addf(path+".resourceType", "is required")
				continue
			}
			if typeName(probe.ResourceType) != probe.ResourceType {
				l.Addf(path+".resourceType", "is not the name of a resource type")
				continue
			}
			b.Entry[i].Resource = &OtherResource{Type: probe.ResourceType, ID: probe.ID, JSON: e.Resource}
			continue
		}
		if err := json.Unmarshal(e.Resource, res); err != nil {
			l.Add(validation.JSONError(err, path, ErrSyntax).Problems...)
			syntax = true
			continue
		}
		switch h := res.(type) {
		case *Composition:
			h.JSON = e.Resource
		case *MessageHeader:
			h.JSON = e.Resource
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

func syntaxError(path, msg string) error {
	return &validation.Error{Problems: []validation.Problem{{Path: path, Message: msg}}, Err: ErrSyntax}
}
