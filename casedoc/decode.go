package casedoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// DefaultMaxBytes is the size limit of one case document when a Decoder sets none.
// A typical case is under 10 KiB.
const DefaultMaxBytes = 4 << 20

// ErrTooLarge is wrapped by the error for a document over the size limit.
var ErrTooLarge = errors.New("case document too large")

// ErrSyntax is wrapped by the error for a document that is not well-formed
// JSON or does not fit the case's shape (an unknown field, a repeated key, a
// wrong type). Validation problems wrap no sentinel.
var ErrSyntax = errors.New("case document cannot be decoded")

// Decoder decodes case documents with limits. The zero value uses
// DefaultMaxBytes.
//
// Limits: a document (or an NDJSON line) over MaxBytes is refused before it
// is parsed, with an error that wraps ErrTooLarge; nesting deeper than 10,000
// levels is a syntax error; every list is bounded by the size limit, and
// validation is linear in the size of the document. Raise MaxBytes for the
// rare huge meeting; lower it where input comes from outside.
type Decoder struct {
	// MaxBytes is the largest document accepted; 0 means DefaultMaxBytes.
	MaxBytes int64
	// SkipValidation returns the decoded case without calling Validate.
	SkipValidation bool
}

func (d Decoder) maxBytes() int64 {
	if d.MaxBytes > 0 {
		return d.MaxBytes
	}
	return DefaultMaxBytes
}

// Unmarshal decodes a case from JSON with the default Decoder, and validates it.
func Unmarshal(data []byte) (*Case, error) { return Decoder{}.Unmarshal(data) }

// Decode reads one case document from r with the default Decoder, and validates it.
func Decode(r io.Reader) (*Case, error) { return Decoder{}.Decode(r) }

// ReadFile reads and validates the case document in the named file.
func ReadFile(name string) (*Case, error) { return Decoder{}.ReadFile(name) }

// ReadFile reads and validates the case document in the named file.
func (d Decoder) ReadFile(name string) (*Case, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return d.Decode(f)
}

// Decode reads r to its end and decodes it as one case document.
func (d Decoder) Decode(r io.Reader) (*Case, error) {
	limit := d.maxBytes()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading case: %w", err)
	}
	return d.Unmarshal(data)
}

// Unmarshal decodes data as one case document. Every error is a
// *validation.Error; one that is not about validation wraps ErrTooLarge or
// ErrSyntax. Invalid UUIDs are all reported together with the validation
// problems; other decoding errors stop at the first.
func (d Decoder) Unmarshal(data []byte) (*Case, error) {
	c := new(Case)
	if err := d.decode(data, c); err != nil {
		return nil, err
	}
	return c, nil
}

// UnmarshalInto is Unmarshal decoding into c, for a caller that reads many
// cases one after another (a stream into an aggregate) and is done with
// each before the next: every field of c is overwritten, and the memory of
// its lists of participants, agenda items and consents is reused, so that
// decoding allocates less. A list that is empty in the document is left nil.
// Slices taken from c before the call must not be used after it. On error,
// c holds an unspecified part of the document.
func (d Decoder) UnmarshalInto(data []byte, c *Case) error {
	participants, agenda, consents := c.Meeting.Participants[:0], c.Meeting.Agenda[:0], c.Consents[:0]
	*c = Case{}
	// jsonv2 appends to a slice's memory, zeroing each element before it
	// decodes into it: nothing of the previous case remains in the new one.
	c.Meeting.Participants, c.Meeting.Agenda, c.Consents = participants, agenda, consents
	err := d.decode(data, c)
	if len(c.Meeting.Participants) == 0 {
		c.Meeting.Participants = nil
	}
	if len(c.Meeting.Agenda) == 0 {
		c.Meeting.Agenda = nil
	}
	if len(c.Consents) == 0 {
		c.Consents = nil
	}
	return err
}

// decode decodes data into c, a zero case apart from the memory of its lists.
func (d Decoder) decode(data []byte, c *Case) error {
	if limit := d.maxBytes(); int64(len(data)) > limit {
		return &validation.Error{
			Problems: []validation.Problem{{Message: fmt.Sprintf("document is larger than the limit of %d bytes", limit)}},
			Err:      ErrTooLarge,
		}
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return syntaxError("", "document starts with a byte-order mark; send UTF-8 without one")
	}
	var ids validation.List
	if err := unmarshal(data, c, &ids); err != nil {
		return validation.JSONError(err, "", ErrSyntax)
	}
	if d.SkipValidation {
		return ids.Err()
	}
	if verr := c.Validate(); verr != nil {
		var ve *validation.Error
		errors.As(verr, &ve)
		for _, p := range ve.Problems {
			if !reported(ids.Problems, p.Path) { // a bad UUID is not also "required"
				ids.Add(p)
			}
		}
	}
	return ids.Err()
}

// decoding is the state of one Unmarshal call, pooled: the JSON decoder, its
// options and the problems found in IDs. Each decoding builds its options
// once, with an unmarshaler of UUIDs bound to it, so that decodeUUID finds
// where to record problems without a shared map of decoders in use (a
// sync.Map store and delete per document was 5 % of a stream's time).
type decoding struct {
	src  bytes.Buffer // the document: jsontext parses a bytes.Buffer in place, without copying it
	dec  *jsontext.Decoder
	opts json.Options
	ids  *validation.List
}

var decodings = sync.Pool{New: func() any {
	d := new(decoding)
	d.opts = json.JoinOptions(
		json.RejectUnknownMembers(true),
		json.WithUnmarshalers(json.UnmarshalFromFunc(d.decodeUUID)),
	)
	return d
}}

// unmarshal decodes data into c strictly, recording IDs that are not UUIDs in ids.
// c must be a zero case, apart from the memory of its lists (UnmarshalInto).
// A document is first decoded on the fast path (see fast.go); only one that
// fails there is decoded again, strictly, reporting every problem.
func unmarshal(data []byte, c *Case, ids *validation.List) error {
	d := decodings.Get().(*decoding)
	defer func() {
		d.ids = nil
		d.src = bytes.Buffer{}
		d.dec.Reset(&d.src, d.opts) // drop the decoder's reference to data
		decodings.Put(d)
	}()
	d.src = *bytes.NewBuffer(data)
	if d.dec == nil {
		d.dec = jsontext.NewDecoder(&d.src, fastOptions)
	} else {
		d.dec.Reset(&d.src, fastOptions)
	}
	if err := decodeAll(d.dec, asFast(c)); err == nil {
		return nil
	}

	participants, agenda, consents := c.Meeting.Participants[:0], c.Meeting.Agenda[:0], c.Consents[:0]
	*c = Case{}
	c.Meeting.Participants, c.Meeting.Agenda, c.Consents = participants, agenda, consents
	d.src = *bytes.NewBuffer(data)
	d.dec.Reset(&d.src, d.opts)
	d.ids = ids
	return decodeAll(d.dec, c)
}

// decodeAll decodes the document of dec into v: like json.Unmarshal,
// nothing may follow the document.
func decodeAll(dec *jsontext.Decoder, v any) error {
	err := json.UnmarshalDecode(dec, v)
	if err == nil {
		if _, terr := dec.ReadToken(); terr != io.EOF {
			err = terr
			if err == nil {
				err = &jsontext.SyntacticError{ByteOffset: dec.InputOffset(), Err: errTrailingData}
			}
		}
	}
	return err
}

var errTrailingData = errors.New("invalid character after top-level value")

// decodeUUID reads a UUID in its canonical 36-character form. A string that is
// not one is recorded as a problem (and left as uuid.Nil), so that every bad
// ID of a document is reported at once; null leaves the ID unset.
func (d *decoding) decodeUUID(dec *jsontext.Decoder, id *uuid.UUID) error {
	if dec.PeekKind() != '"' {
		return errors.ErrUnsupported // null or a wrong type: the default decoding handles it
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	raw := []byte(v)
	if bytes.IndexByte(raw, '\\') >= 0 { // escaped characters: unquote first
		if unq, uerr := jsontext.AppendUnquote(nil, raw); uerr == nil {
			raw = append(append([]byte{'"'}, unq...), '"')
		}
	}
	if len(raw) == 38 && raw[0] == '"' && raw[37] == '"' {
		if u, perr := uuid.ParseBytes(raw[1:37]); perr == nil {
			*id = u
			return nil
		}
	}
	if d.ids == nil {
		return errors.New("is not a UUID")
	}
	d.ids.Addf(validation.JSONPath("", dec.StackPointer()), "is not a UUID")
	return nil
}

func reported(ps []validation.Problem, path string) bool {
	for _, p := range ps {
		if p.Path == path {
			return true
		}
	}
	return false
}

func syntaxError(path, msg string) error {
	return &validation.Error{Problems: []validation.Problem{{Path: path, Message: msg}}, Err: ErrSyntax}
}
