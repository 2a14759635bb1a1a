package casedoc

import (
	"errors"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// A document is decoded twice at most. First scanning reads it: a reader
// of JSON of its own, over the bytes of the document, as strict as jsontext
// in what it accepts, but which gives up on anything else (errSlow) without
// saying why. Almost every document is valid and is decoded there alone.
// For the rest, decoding (jsontext) reads it again from the start, and
// gives the error that says what is wrong, or records the IDs that are not
// UUIDs. The decoders of both are generated from one template
// (decode_gen.go), and TestScanningAgrees holds scanning to decoding.
//
// What scanning accepts, it accepts exactly as decoding does: whitespace
// of JSON only; strings of valid UTF-8 without control characters, with
// escapes unquoted by jsontext itself; numbers in JSON's grammar, that are
// whole and fit an int; true, false, null; times as parseTime reads them;
// UUIDs in canonical form; members and elements separated by single
// commas; nothing after the document. It knows no depth limit, because it
// reads only the nesting of the case's types: an unknown member, a
// repeated one or a value of the wrong kind makes it give up before any
// deeper value is read.

// errSlow is scanning giving up: the document is decoded again by decoding.
var errSlow = errors.New("casedoc: the document needs the decoder that words errors")

// scanning is the state of the fast decoding of one document, pooled.
type scanning struct {
	buf     []byte
	pos     int
	first   bool   // just after '{' or '[': the next member has no comma before it
	failed  bool   // a comma was missing: the next read fails, and so does eof
	lists          // scratch lists (decode_gen.go)
	scratch []byte // unquoted strings with escapes
	codes   codeCache
}

var scannings = sync.Pool{New: func() any { return new(scanning) }}

// scan decodes data into c on the fast path: nil, or errSlow.
func scan(data []byte, c *Case) error {
	s := scannings.Get().(*scanning)
	defer func() {
		s.buf = nil
		if cap(s.scratch) > 4<<10 {
			s.scratch = nil
		}
		s.lists.trim(1024)
		scannings.Put(s)
	}()
	s.buf, s.pos, s.first, s.failed = data, 0, false, false
	if s.peek() != '{' { // null, which has its own error, or no object
		return errSlow
	}
	if err := s.decodeCase(c); err != nil {
		return err
	}
	return s.eof()
}

// peek skips whitespace and returns the next byte, or 0 at the end.
func (s *scanning) peek() byte {
	for s.pos < len(s.buf) {
		switch c := s.buf[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c
		}
	}
	return 0
}

// literal consumes word (true, false, null) if it is next.
func (s *scanning) literal(word string) bool {
	if len(s.buf)-s.pos >= len(word) && string(s.buf[s.pos:s.pos+len(word)]) == word {
		s.pos += len(word)
		return true
	}
	return false
}

// eof reports errSlow unless the document has ended.
func (s *scanning) eof() error {
	if s.peek() != 0 || s.pos != len(s.buf) || s.failed {
		return errSlow
	}
	return nil
}

// beginObject reads the start of an object: false for null.
func (s *scanning) beginObject(typeID) (bool, error) { return s.begin('{') }

// beginArray reads the start of an array: false for null.
func (s *scanning) beginArray(typeID) (bool, error) { return s.begin('[') }

// begin reads open, the start of an object or an array: false for null.
func (s *scanning) begin(open byte) (bool, error) {
	switch s.peek() {
	case open:
		s.pos++
		s.first = true
		return true, nil
	case 'n':
		if s.literal("null") {
			return false, nil
		}
	}
	return false, errSlow
}

// more reports whether the object or array goes on, and reads the comma
// before its next member. A missing comma, or one before the end, is
// recorded (failed) and reported as true: the next read then fails.
func (s *scanning) more(end byte) bool {
	c := s.peek()
	if c == end {
		return false
	}
	if s.first {
		s.first = false
		return true
	}
	if c == ',' {
		s.pos++
		if next := s.peek(); next != end && next != ',' {
			return true
		}
	}
	s.failed = true
	s.pos = len(s.buf)
	return true
}

// end reads the end of an object or array, which more has just seen.
func (s *scanning) end() error {
	s.pos++
	s.first = false
	return nil
}

// null reads a null if one is next.
func (s *scanning) null() (bool, error) {
	if s.peek() != 'n' {
		return false, nil
	}
	if s.literal("null") {
		return true, nil
	}
	return false, errSlow
}

// name reads an object member name and its colon. The bytes are valid
// until the next read.
func (s *scanning) name() ([]byte, error) {
	if s.peek() != '"' {
		return nil, errSlow
	}
	b, err := s.str()
	if err != nil {
		return nil, err
	}
	if s.peek() != ':' {
		return nil, errSlow
	}
	s.pos++
	return b, nil
}

// plain marks the bytes that stand for themselves in a JSON string: ASCII
// from the space on, except the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str reads the string at s.pos (its opening quote) and returns its
// content: the bytes of the document when it has no escapes, else unquoted
// into scratch by jsontext. Control characters and invalid UTF-8 give up.
func (s *scanning) str() ([]byte, error) {
	start := s.pos + 1
	for i := start; i < len(s.buf); {
		c := s.buf[i]
		switch {
		case plain[c]:
			i++
		case c == '"':
			s.pos = i + 1
			return s.buf[start:i], nil
		case c == '\\':
			return s.escaped(start, i)
		case c < ' ':
			return nil, errSlow
		default:
			r, n := utf8.DecodeRune(s.buf[i:])
			if r == utf8.RuneError && n <= 1 {
				return nil, errSlow
			}
			i += n
		}
	}
	return nil, errSlow
}

// escaped unquotes the string that starts at start (after its quote) and
// has an escape at i, with jsontext's own rules.
func (s *scanning) escaped(start, i int) ([]byte, error) {
	for i < len(s.buf) {
		switch s.buf[i] {
		case '\\':
			i += 2
		case '"':
			var err error
			s.scratch, err = jsontext.AppendUnquote(s.scratch[:0], s.buf[start-1:i+1])
			if err != nil {
				return nil, errSlow
			}
			s.pos = i + 1
			return s.scratch, nil
		default:
			i++
		}
	}
	return nil, errSlow
}

// readString reads a string (null: ""). A code (intern) is taken from the
// cache of codes when it is there.
func (s *scanning) readString(_ typeID, intern bool) (string, error) {
	switch s.peek() {
	case '"':
		b, err := s.str()
		if err != nil {
			return "", err
		}
		if intern {
			return s.codes.intern(b), nil
		}
		return string(b), nil
	case 'n':
		if s.literal("null") {
			return "", nil
		}
	}
	return "", errSlow
}

// readInt reads a whole number in JSON's grammar that fits an int (null: 0).
// A fraction or an exponent gives up, as does anything after the digits
// that is not the end of the value (more and eof see to that).
func (s *scanning) readInt(typeID) (int, error) {
	c := s.peek()
	if c == 'n' {
		if s.literal("null") {
			return 0, nil
		}
		return 0, errSlow
	}
	i := s.pos
	if c == '-' {
		i++
	}
	switch {
	case i < len(s.buf) && s.buf[i] == '0':
		i++
	case i < len(s.buf) && '1' <= s.buf[i] && s.buf[i] <= '9':
		for i < len(s.buf) && '0' <= s.buf[i] && s.buf[i] <= '9' {
			i++
		}
	default:
		return 0, errSlow
	}
	if i < len(s.buf) && (s.buf[i] == '.' || s.buf[i] == 'e' || s.buf[i] == 'E') {
		return 0, errSlow
	}
	n, ok := parseInt(s.buf[s.pos:i])
	if !ok {
		return 0, errSlow
	}
	s.pos = i
	return n, nil
}

// readBool reads true or false (null: false).
func (s *scanning) readBool(typeID) (bool, error) {
	switch s.peek() {
	case 't':
		if s.literal("true") {
			return true, nil
		}
	case 'f':
		if s.literal("false") {
			return false, nil
		}
	case 'n':
		if s.literal("null") {
			return false, nil
		}
	}
	return false, errSlow
}

// readTime reads a time as decoding does (null: the zero time).
func (s *scanning) readTime(tt *time.Time) error {
	switch s.peek() {
	case '"':
		b, err := s.str()
		if err != nil {
			return err
		}
		if parseTime(tt, b) != nil {
			return errSlow
		}
		return nil
	case 'n':
		if s.literal("null") {
			*tt = time.Time{}
			return nil
		}
	}
	return errSlow
}

// readUUID reads a UUID in canonical form (null: unset).
// Anything else gives up: decoding records an ID that is not a UUID.
func (s *scanning) readUUID(id *uuid.UUID) error {
	const n = 36
	switch s.peek() {
	case '"':
		if end := s.pos + 1 + n; end < len(s.buf) && s.buf[end] == '"' {
			if u, ok := parseCanonicalUUID(s.buf[s.pos+1 : end]); ok {
				*id = u
				s.pos = end + 1
				return nil
			}
		}
		b, err := s.str() // with escapes
		if err != nil {
			return err
		}
		if u, ok := parseCanonicalUUID(b); ok {
			*id = u
			return nil
		}
	case 'n':
		if s.literal("null") {
			*id = uuid.Nil
			return nil
		}
	}
	return errSlow
}

// unknownName gives up on a member name the type does not have.
func (s *scanning) unknownName(typeID) error { return errSlow }

// repeatedName gives up on a member name given twice in one object.
func (s *scanning) repeatedName() error { return errSlow }
