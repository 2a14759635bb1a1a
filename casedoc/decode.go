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
	if limit := d.maxBytes(); int64(len(data)) > limit {
		return nil, &validation.Error{
			Problems: []validation.Problem{{Message: fmt.Sprintf("document is larger than the limit of %d bytes", limit)}},
			Err:      ErrTooLarge,
		}
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return nil, syntaxError("", "document starts with a byte-order mark; send UTF-8 without one")
	}
	var (
		c   Case
		ids validation.List
	)
	if err := unmarshal(data, &c, &ids); err != nil {
		return nil, validation.JSONError(err, "", ErrSyntax)
	}
	if d.SkipValidation {
		if e := ids.Err(); e != nil {
			return nil, e
		}
		return &c, nil
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
	if e := ids.Err(); e != nil {
		return nil, e
	}
	return &c, nil
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
func unmarshal(data []byte, c *Case, ids *validation.List) error {
	d := decodings.Get().(*decoding)
	d.src = *bytes.NewBuffer(data)
	if d.dec == nil {
		d.dec = jsontext.NewDecoder(&d.src, d.opts)
	} else {
		d.dec.Reset(&d.src, d.opts)
	}
	d.ids = ids
	err := json.UnmarshalDecode(d.dec, c)
	if err == nil {
		// Like json.Unmarshal, nothing may follow the document.
		if _, terr := d.dec.ReadToken(); terr != io.EOF {
			err = terr
			if err == nil {
				err = &jsontext.SyntacticError{ByteOffset: d.dec.InputOffset(), Err: errTrailingData}
			}
		}
	}
	d.ids = nil
	d.src = bytes.Buffer{}
	d.dec.Reset(&d.src, d.opts) // drop the decoder's reference to data
	decodings.Put(d)
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
