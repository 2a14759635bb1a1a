package cdshooks

import (
	"bytes"
	"errors"

	"github.com/go-json-experiment/json/jsontext"
)

// This file splits JSON that the request's decoder has checked already (the
// Appointment of context.appointments, and its parts) into its members and
// elements, as slices of it, without checking it a second time: the update
// of an Appointment changes a few of its members and copies the rest as
// they came. Malformed JSON gives an error, never a panic, but is not
// otherwise diagnosed.

// errSplit is the error of splitting JSON that is not what it should be.
var errSplit = errors.New("cdshooks: malformed JSON in an Appointment")

// splitter reads values of valid JSON.
type splitter struct {
	v []byte
	i int
}

func (s *splitter) space() {
	for s.i < len(s.v) {
		switch s.v[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next byte after whitespace, or 0 at the end.
func (s *splitter) peek() byte {
	s.space()
	if s.i < len(s.v) {
		return s.v[s.i]
	}
	return 0
}

// string skips a string that starts at s.i.
func (s *splitter) string() error {
	end, ok := skipString(s.v, s.i)
	if !ok {
		s.i = len(s.v)
		return errSplit
	}
	s.i = end
	return nil
}

// skipString returns the end of the string that starts at v[i] (a quote):
// after the first quote after it that an odd number of backslashes does not
// escape.
func skipString(v []byte, i int) (int, bool) {
	i++ // the opening quote
	for i < len(v) {
		j := bytes.IndexByte(v[i:], '"')
		if j < 0 {
			break
		}
		q := i + j
		i = q + 1
		n := 0
		for k := q - 1; k >= 0 && v[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return i, true
		}
	}
	return len(v), false
}

// skipContainer returns the end of the object or array that starts at v[i].
func skipContainer(v []byte, i int) (int, bool) {
	depth := 0
	for i < len(v) {
		c := v[i]
		if plain[c] {
			i++
			continue
		}
		switch c {
		case '"':
			var ok bool
			if i, ok = skipString(v, i); !ok {
				return i, false
			}
			continue
		case '{', '[':
			depth++
		default: // '}', ']'
			depth--
		}
		i++
		if depth == 0 {
			return i, true
		}
	}
	return i, false
}

// value returns the next value, a slice of s.v (capacity cut at its end).
func (s *splitter) value() ([]byte, error) {
	start := s.i
	switch s.peek() {
	case 0:
		return nil, errSplit
	case '"':
		start = s.i
		if err := s.string(); err != nil {
			return nil, err
		}
	case '{', '[':
		start = s.i
		end, ok := skipContainer(s.v, s.i)
		if !ok {
			s.i = len(s.v)
			return nil, errSplit
		}
		s.i = end
	default: // a number or a literal
		start = s.i
		for s.i < len(s.v) {
			c := s.v[s.i]
			if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				break
			}
			s.i++
		}
	}
	if s.i == start {
		return nil, errSplit
	}
	return s.v[start:s.i:s.i], nil
}

// plain are the bytes that neither begin a string nor open or close an
// object or array: the bytes value skips in one loop.
var plain = func() (p [256]bool) {
	for c := range p {
		p[c] = true
	}
	for _, c := range []byte(`"{}[]`) {
		p[c] = false
	}
	return p
}()

// seekMember moves s, at an object, to the value of its member name, and
// reports whether it has one; the members before it are skipped, the rest
// not read.
func (s *splitter) seekMember(name string) (bool, error) {
	if err := s.expect('{'); err != nil {
		return false, err
	}
	for first := true; s.peek() != '}'; first = false {
		if !first {
			if err := s.expect(','); err != nil {
				return false, err
			}
		}
		if s.peek() != '"' {
			return false, errSplit
		}
		raw, err := s.value()
		if err != nil {
			return false, err
		}
		if err := s.expect(':'); err != nil {
			return false, err
		}
		n, err := unquote(raw)
		if err != nil {
			return false, err
		}
		if n == name {
			s.space()
			return true, nil
		}
		if _, err := s.value(); err != nil {
			return false, err
		}
	}
	return false, nil
}

// seekElement moves s, at an array, to its element n, and reports whether
// it has one; the elements before it are skipped, the rest not read.
func (s *splitter) seekElement(n int) (bool, error) {
	if err := s.expect('['); err != nil {
		return false, err
	}
	for k := 0; s.peek() != ']'; k++ {
		if k > 0 {
			if err := s.expect(','); err != nil {
				return false, err
			}
		}
		if k == n {
			s.space()
			return true, nil
		}
		if _, err := s.value(); err != nil {
			return false, err
		}
	}
	return false, nil
}

// expect consumes the byte c after whitespace.
func (s *splitter) expect(c byte) error {
	if s.peek() != c {
		return errSplit
	}
	s.i++
	return nil
}

// objectMembers splits a JSON object into its members, in order; the values
// are slices of v, as they came.
func objectMembers(v jsontext.Value) (object, error) {
	s := &splitter{v: v}
	if err := s.expect('{'); err != nil {
		return nil, err
	}
	var obj object
	for first := true; ; first = false {
		if s.peek() == '}' {
			s.i++
			break
		}
		if !first {
			if err := s.expect(','); err != nil {
				return nil, err
			}
		}
		if s.peek() != '"' {
			return nil, errSplit
		}
		raw, err := s.value()
		if err != nil {
			return nil, err
		}
		name, err := unquote(raw)
		if err != nil {
			return nil, err
		}
		if err := s.expect(':'); err != nil {
			return nil, err
		}
		val, err := s.value()
		if err != nil {
			return nil, err
		}
		obj = append(obj, member{name, val})
	}
	if s.peek() != 0 {
		return nil, errSplit
	}
	return obj, nil
}

// elements splits a JSON array into its elements, slices of v.
func elements(v jsontext.Value) ([]jsontext.Value, error) {
	s := &splitter{v: v}
	if err := s.expect('['); err != nil {
		return nil, err
	}
	var out []jsontext.Value
	for first := true; ; first = false {
		if s.peek() == ']' {
			s.i++
			break
		}
		if !first {
			if err := s.expect(','); err != nil {
				return nil, err
			}
		}
		val, err := s.value()
		if err != nil {
			return nil, err
		}
		out = append(out, val)
	}
	if s.peek() != 0 {
		return nil, errSplit
	}
	return out, nil
}

// urlOf returns the member url of an extension, reading its members up to
// that one.
func urlOf(x jsontext.Value) (string, error) {
	s := &splitter{v: x}
	if err := s.expect('{'); err != nil {
		return "", err
	}
	for first := true; s.peek() != '}'; first = false {
		if !first {
			if err := s.expect(','); err != nil {
				return "", err
			}
		}
		if s.peek() != '"' {
			return "", errSplit
		}
		raw, err := s.value()
		if err != nil {
			return "", err
		}
		if err := s.expect(':'); err != nil {
			return "", err
		}
		v, err := s.value()
		if err != nil {
			return "", err
		}
		if name, err := unquote(raw); err != nil || name != "url" {
			if err != nil {
				return "", err
			}
			continue
		}
		if len(v) == 0 || v[0] != '"' {
			return "", errors.New("cdshooks: the url of an extension is not a string")
		}
		return unquote(v)
	}
	return "", nil
}

// unquote returns the string of a JSON string, quotes included.
func unquote(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", errSplit
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	out, err := jsontext.AppendUnquote(nil, raw)
	if err != nil {
		return "", errSplit
	}
	return string(out), nil
}
