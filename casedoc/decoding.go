package casedoc

//go:generate go run -tags casedocgen ../internal/gencasedoc/cmd/gencasedoc -o decode_gen.go

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// The decoders of case documents are generated from the Go types of the
// case (decode_gen.go, by internal/gencasedoc): one function per struct and
// per list type, which knows the type's JSON names, written twice from one
// template: for scanning (scan.go), the fast path that reads valid
// documents, and for decoding, which reads the tokens of jsontext and words
// the errors. The helpers of decoding below read one value each, with the
// same rules and the same errors as github.com/go-json-experiment/json
// decoding into the types strictly (RejectUnknownMembers): a null leaves a
// value zero, an unknown or repeated name stops decoding, a value of the
// wrong kind is a *json.SemanticError naming the Go type it was meant for,
// and every error of jsontext (malformed JSON, invalid UTF-8, nesting) is
// returned as it is. IDs that are not UUIDs in canonical form are recorded
// in ids, so that all of them are reported together with the validation
// problems.

// typeID names a Go type of the case in decoding errors (see goType in
// decode_gen.go): reflect is used only to word an error.
type typeID uint8

// decoding is the state of one decoding with jsontext, pooled. It runs only
// for a document that scanning gave up on, so it favours the errors over
// speed: jsontext's defaults check every object for repeated names, as
// jsonv2 does, also within a value of the wrong kind or where a name is due.
type decoding struct {
	src     bytes.Buffer // the document: jsontext parses a bytes.Buffer in place, without copying it
	dec     *jsontext.Decoder
	ids     *validation.List
	lists          // scratch lists (decode_gen.go)
	scratch []byte // unquoted strings with escapes
	codes   codeCache
}

var decodings = sync.Pool{New: func() any { return new(decoding) }}

// unmarshal decodes data into c strictly, recording IDs that are not UUIDs
// in ids. c must be a zero case, apart from the memory of its lists
// (UnmarshalInto). Like json.Unmarshal, nothing may follow the document.
// The fast path (scan) decodes a valid document; any other is decoded again
// from the start by jsontext (decodeWithJSONText), which words the error.
func unmarshal(data []byte, c *Case, ids *validation.List) error {
	participants, agenda, consents := c.Meeting.Participants, c.Meeting.Agenda, c.Consents
	if scan(data, c) == nil {
		return nil
	}
	*c = Case{}
	c.Meeting.Participants, c.Meeting.Agenda, c.Consents = participants, agenda, consents
	return decodeWithJSONText(data, c, ids)
}

// decodeWithJSONText decodes data into c with jsontext, as unmarshal does.
func decodeWithJSONText(data []byte, c *Case, ids *validation.List) error {
	d := decodings.Get().(*decoding)
	defer func() {
		d.ids = nil
		d.src = bytes.Buffer{}
		d.dec.Reset(&d.src) // drop the decoder's reference to data
		if cap(d.scratch) > 4<<10 {
			d.scratch = nil
		}
		d.lists.trim(1024)
		decodings.Put(d)
	}()
	d.src = *bytes.NewBuffer(data)
	if d.dec == nil {
		d.dec = jsontext.NewDecoder(&d.src)
	} else {
		d.dec.Reset(&d.src)
	}
	d.ids = ids
	if d.dec.PeekKind() == 'n' {
		// A document that is null has no meeting: one problem, not one
		// per required field.
		if _, err := d.dec.ReadToken(); err != nil {
			return err
		}
		if err := d.eof(); err != nil {
			return err
		}
		return errNullDocument
	}
	if err := d.decodeCase(c); err != nil {
		return err
	}
	return d.eof()
}

// errNullDocument is the error for a document that is null.
var errNullDocument = errors.New("got null, want an object")

// eof reports an error unless the document has ended.
func (d *decoding) eof() error {
	_, err := d.dec.ReadToken()
	switch {
	case err == io.EOF:
		return nil
	case err != nil:
		return err
	}
	return &jsontext.SyntacticError{ByteOffset: d.dec.InputOffset(), Err: errTrailingData}
}

var errTrailingData = errors.New("invalid character after top-level value")

// kindError is the error for a value of the wrong kind, just read.
func (d *decoding) kindError(k jsontext.Kind, t typeID) error {
	return &json.SemanticError{JSONPointer: d.dec.StackPointer(), JSONKind: k, GoType: goType(t)}
}

// valueKindError is the error for a whole value v of the wrong kind, just
// read (and checked whole by jsontext, repeated names within it too, as
// jsonv2 reads it before it says that the kind is wrong).
func (d *decoding) valueKindError(v jsontext.Value, t typeID) error {
	return d.kindError(v.Kind(), t)
}

// beginObject reads the start of an object: false without an error for null.
func (d *decoding) beginObject(t typeID) (bool, error) {
	tok, err := d.dec.ReadToken()
	if err != nil {
		return false, err
	}
	switch k := tok.Kind(); k {
	case '{':
		return true, nil
	case 'n':
		return false, nil
	default:
		return false, d.kindError(k, t)
	}
}

// beginArray reads the start of an array: false without an error for null.
func (d *decoding) beginArray(t typeID) (bool, error) {
	tok, err := d.dec.ReadToken()
	if err != nil {
		return false, err
	}
	switch k := tok.Kind(); k {
	case '[':
		return true, nil
	case 'n':
		return false, nil
	default:
		return false, d.kindError(k, t)
	}
}

// more reports whether the object or array goes on (the next token is not
// its end); at an error too, which the next read returns.
func (d *decoding) more(end jsontext.Kind) bool { return d.dec.PeekKind() != end }

// end reads the end of an object or array.
func (d *decoding) end() error {
	_, err := d.dec.ReadToken()
	return err
}

// null reads a null if one is next.
func (d *decoding) null() (bool, error) {
	if d.dec.PeekKind() != 'n' {
		return false, nil
	}
	_, err := d.dec.ReadToken()
	return err == nil, err
}

// name reads an object member name, unquoted. The bytes are valid until the
// next read.
func (d *decoding) name() ([]byte, error) {
	v, err := d.dec.ReadValue()
	if err != nil {
		return nil, err
	}
	return d.unquote(v)
}

// unquote returns the content of the string v (read and checked by jsontext).
func (d *decoding) unquote(v jsontext.Value) ([]byte, error) {
	raw := v[1 : len(v)-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw, nil
	}
	var err error
	d.scratch, err = jsontext.AppendUnquote(d.scratch[:0], v)
	return d.scratch, err
}

// unknownName is the error for a member name the type does not have.
func (d *decoding) unknownName(t typeID) error {
	return &json.SemanticError{JSONPointer: d.dec.StackPointer(), JSONKind: '"', GoType: goType(t), Err: json.ErrUnknownName}
}

// repeatedName is the error for a member name given twice in one object.
func (d *decoding) repeatedName() error {
	return &jsontext.SyntacticError{ByteOffset: d.dec.InputOffset(), JSONPointer: d.dec.StackPointer(), Err: jsontext.ErrDuplicateName}
}

// readString reads a string (null: ""). A code (intern) is taken from
// the cache of recent codes when it is there.
func (d *decoding) readString(t typeID, intern bool) (string, error) {
	v, err := d.dec.ReadValue()
	if err != nil {
		return "", err
	}
	switch k := v.Kind(); k {
	case '"':
		b, err := d.unquote(v)
		if err != nil {
			return "", err
		}
		if intern {
			return d.codes.intern(b), nil
		}
		return string(b), nil
	case 'n':
		return "", nil
	default:
		return "", d.valueKindError(v, t)
	}
}

// codeCache holds recent codes (enum values) by a hash of their bytes, so
// that a code read again is the same string, not a new one.
type codeCache [64]string

// knownCodes holds the value of every enum of the case, from the list
// function of each (the types that Validate checks with Valid): a code that
// is one of them is decoded to the package's own string, not allocated,
// when the cache of recent codes misses it. An enum left out of this list
// is still decoded right, by allocating its values.
var knownCodes = func() map[string]string {
	m := map[string]string{}
	add := func(values ...string) {
		for _, v := range values {
			m[v] = v
		}
	}
	add(codes(meeting.Kinds())...)
	add(codes(meeting.Statuses())...)
	add(codes(meeting.Formats())...)
	add(codes(meeting.Sectors())...)
	add(codes(meeting.Roles())...)
	add(codes(meeting.Locations())...)
	add(codes(meeting.ItemKinds())...)
	add(codes(consent.Scopes())...)
	add(codes(consent.Methods())...)
	add(codes(plan.Statuses())...)
	add(codes(plan.ActionKinds())...)
	add(codes(plan.Intensities())...)
	add(codes(plan.Initiators())...)
	return m
}()

// codes converts the values of an enum to strings.
func codes[S ~[]E, E ~string](values S) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// intern returns b as a string: from the cache when it is there, else the
// package's own constant when b is a known code.
func (cc *codeCache) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	h := (uint(len(b))*31 + uint(b[0])*7 + uint(b[len(b)-1])*3 + uint(b[len(b)/2])) % uint(len(cc))
	if s := cc[h]; s == string(b) {
		return s
	}
	s, known := knownCodes[string(b)] // no allocation for the lookup
	if !known {
		s = string(b)
	}
	if len(s) <= 32 {
		cc[h] = s
	}
	return s
}

// readInt reads a whole number that fits an int64 (null: 0).
func (d *decoding) readInt(t typeID) (int, error) {
	v, err := d.dec.ReadValue()
	if err != nil {
		return 0, err
	}
	switch k := v.Kind(); k {
	case '0':
		if n, ok := parseInt(v); ok {
			return n, nil
		}
		return 0, &json.SemanticError{JSONPointer: d.dec.StackPointer(), JSONKind: k, JSONValue: v.Clone(), GoType: goType(t)}
	case 'n':
		return 0, nil
	default:
		return 0, d.valueKindError(v, t)
	}
}

// parseInt parses a JSON number (valid, as jsontext read it) that is an
// integer in the range of int64, as jsonv2 does: no fraction, no exponent.
func parseInt(v []byte) (int, bool) {
	neg := v[0] == '-'
	if neg {
		v = v[1:]
	}
	if len(v) == 0 || len(v) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	switch {
	case neg && n > 1<<63:
		return 0, false
	case !neg && n > 1<<63-1:
		return 0, false
	case neg:
		return int(-int64(n)), true // -1<<63 wraps to itself
	}
	return int(n), true
}

// readBool reads true or false (null: false).
func (d *decoding) readBool(t typeID) (bool, error) {
	tok, err := d.dec.ReadToken()
	if err != nil {
		return false, err
	}
	switch k := tok.Kind(); k {
	case 't':
		return true, nil
	case 'f', 'n':
		return false, nil
	default:
		return false, d.kindError(k, t)
	}
}

// readTime reads an RFC 3339 time with offset (null: the zero time), with
// the checks of jsonv2 that time.Time.UnmarshalText does not make.
func (d *decoding) readTime(tt *time.Time) error {
	v, err := d.dec.ReadValue()
	if err != nil {
		return err
	}
	switch k := v.Kind(); k {
	case '"':
		b, err := d.unquote(v)
		if err != nil {
			return err
		}
		if err := parseTime(tt, b); err != nil {
			return &json.SemanticError{JSONPointer: d.dec.StackPointer(), JSONKind: k, GoType: goType(timeTypeID), Err: err}
		}
		return nil
	case 'n':
		*tt = time.Time{}
		return nil
	default:
		return d.valueKindError(v, timeTypeID)
	}
}

// parseTime is jsonv2's parsing of a time in its default format.
func parseTime(tt *time.Time, b []byte) error {
	if err := tt.UnmarshalText(b); err != nil {
		return err
	}
	switch {
	case b[len("2006-01-02T")+1] == ':': // hour must be two digits
		return errNotRFC3339
	case b[len("2006-01-02T15:04:05")] == ',': // sub-second separator must be a period
		return errNotRFC3339
	case b[len(b)-1] != 'Z':
		switch {
		case parseDec2(b[len(b)-len("07:00"):]) >= 24: // timezone hour must be in range
			return errNotRFC3339
		case parseDec2(b[len(b)-len("00"):]) >= 60: // timezone minute must be in range
			return errNotRFC3339
		}
	}
	return nil
}

var errNotRFC3339 = errors.New("not an RFC 3339 time")

func parseDec2(b []byte) byte {
	return 10*(b[0]-'0') + (b[1] - '0')
}

// readUUID reads a UUID in its canonical 36-character form. A string that is
// not one is recorded as a problem and leaves the ID unset, so that every
// bad ID of a document is reported at once; null leaves the ID unset.
func (d *decoding) readUUID(id *uuid.UUID) error {
	v, err := d.dec.ReadValue()
	if err != nil {
		return err
	}
	switch k := v.Kind(); k {
	case '"':
		if u, ok := parseCanonicalUUID(v[1 : len(v)-1]); ok {
			*id = u
			return nil
		}
		if bytes.IndexByte(v, '\\') >= 0 { // escaped characters: unquote first
			if b, err := d.unquote(v); err == nil {
				if u, ok := parseCanonicalUUID(b); ok {
					*id = u
					return nil
				}
			}
		}
		if d.ids != nil {
			d.ids.AddCoded(validation.JSONPath("", d.dec.StackPointer()), "not_uuid")
		}
		return nil
	case 'n':
		*id = uuid.Nil
		return nil
	default:
		return d.valueKindError(v, uuidTypeID)
	}
}

// The instants of the years 0001-9999, in UTC, and a day within them.
var (
	firstInstant = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	endInstant   = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	firstDayEnd  = firstInstant.Add(24 * time.Hour)
	lastDayStart = endInstant.Add(-24 * time.Hour)
)

// timeInRange reports whether t is within the years 0001-9999, both in UTC
// and in its own offset. The year is computed only within a day of a bound.
func timeInRange(t time.Time) bool {
	if t.Before(firstInstant) || !t.Before(endInstant) {
		return false
	}
	if t.Before(firstDayEnd) || !t.Before(lastDayStart) {
		y := t.Year()
		return y >= 1 && y <= 9999
	}
	return true
}

// joinPath is the path of a field below path ("" for the document).
func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// parseCanonicalUUID parses a UUID in its canonical 36-character form
// (hex digits of either case, hyphens at 8, 13, 18 and 23): what
// uuid.ParseBytes accepts of that length, and nothing else.
func parseCanonicalUUID(b []byte) (uuid.UUID, bool) {
	if len(b) != 36 {
		return uuid.UUID{}, false
	}
	a := (*[36]byte)(b) // constant offsets below: no bounds checks
	if a[8] != '-' || a[13] != '-' || a[18] != '-' || a[23] != '-' {
		return uuid.UUID{}, false
	}
	bad := byte(0)
	pair := func(i int) byte {
		hi, lo := hexValue[a[i]], hexValue[a[i+1]]
		bad |= hi | lo
		return hi<<4 | lo
	}
	u := uuid.UUID{
		pair(0), pair(2), pair(4), pair(6), pair(9), pair(11), pair(14), pair(16),
		pair(19), pair(21), pair(24), pair(26), pair(28), pair(30), pair(32), pair(34),
	}
	if bad&0xf0 != 0 {
		return uuid.UUID{}, false
	}
	return u, true
}

// hexValue is the value of each hex digit; 0xff for any other byte.
var hexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = byte(c-'a') + 10
		t[c-'a'+'A'] = byte(c-'a') + 10
	}
	return t
}()
