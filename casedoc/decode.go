package casedoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/collabmeet/collabmeet/validation"
)

// DefaultMaxBytes is the size limit of one case document when a Decoder sets none.
// A typical case is under 10 KiB.
const DefaultMaxBytes = 4 << 20

// ErrTooLarge is wrapped by the error for a document over the size limit.
var ErrTooLarge = errors.New("case document too large")

// errNilReader is the error for a nil io.Reader.
var errNilReader = errors.New("casedoc: nil io.Reader")

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
	if r == nil {
		return nil, errNilReader
	}
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
// c holds an unspecified part of the document. A nil c is an error.
func (d Decoder) UnmarshalInto(data []byte, c *Case) error {
	if c == nil {
		return &validation.Error{Problems: []validation.Problem{validation.Coded("", "no_case_to_decode")}}
	}
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
			Problems: []validation.Problem{validation.Coded("", "too_large", "bytes", strconv.FormatInt(limit, 10))},
			Err:      ErrTooLarge,
		}
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return syntaxError(validation.Coded("", "byte_order_mark"))
	}
	var ids validation.List
	if err := unmarshal(data, c, &ids); err != nil {
		if errors.Is(err, errNullDocument) {
			return syntaxError(validation.Coded("", "wrong_type", "got", "null", "want", "object"))
		}
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

func reported(ps []validation.Problem, path string) bool {
	for _, p := range ps {
		if p.Path == path {
			return true
		}
	}
	return false
}

func syntaxError(p validation.Problem) error {
	return &validation.Error{Problems: []validation.Problem{p}, Err: ErrSyntax}
}
