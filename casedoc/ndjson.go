package casedoc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/collabmeet/collabmeet/validation"
)

// Reader reads an NDJSON stream of case documents, one per line, in the style
// of bufio.Scanner. A bad line is an error for that line only: Next goes on
// with the following one. Blank lines are skipped.
//
//	r := casedoc.NewReader(f)
//	for r.Next() {
//		c, err := r.Case()
//		if err != nil {
//			log.Printf("line %d: %v", r.Line(), err)
//			continue
//		}
//		...
//	}
//	if err := r.Err(); err != nil { ... } // reading failed
type Reader struct {
	// Decoder decodes each line; its MaxBytes is also the longest line read.
	Decoder Decoder

	br      *bufio.Reader
	line    int
	buf     []byte
	tooLong bool
	err     error
}

// NewReader returns a Reader of r with the default Decoder. A nil r gives
// a Reader whose Err says so.
func NewReader(r io.Reader) *Reader {
	if r == nil {
		return &Reader{err: errNilReader}
	}
	return &Reader{br: bufio.NewReaderSize(r, 64<<10)}
}

// errNoReader is the error of a Reader that was not made by NewReader.
var errNoReader = errors.New("casedoc: Reader not made by NewReader")

// Next advances to the next non-blank line and reports whether there is one.
// It returns false at the end of the input or when reading fails (see Err),
// and for a nil Reader or one not made by NewReader.
//
// A line may be as long as the Decoder's MaxBytes, not counting its line
// ending (LF or CRLF).
func (r *Reader) Next() bool {
	if r == nil {
		return false
	}
	if r.err == nil && r.br == nil {
		r.err = errNoReader
	}
	if r.err != nil {
		return false
	}
	limit := r.Decoder.maxBytes()
	for {
		r.buf, r.tooLong = r.buf[:0], false
		r.line++
		for {
			chunk, err := r.br.ReadSlice('\n')
			if !r.tooLong {
				if int64(len(r.buf)+len(chunk)) > limit+2 { // +2: CRLF
					r.tooLong, r.buf = true, r.buf[:0]
				} else {
					r.buf = append(r.buf, chunk...)
				}
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err != nil && err != io.EOF {
				r.err = fmt.Errorf("reading line %d: %w", r.line, err)
				return false
			}
			if err == io.EOF && len(r.buf) == 0 && !r.tooLong {
				return false
			}
			break
		}
		if !r.tooLong && int64(len(content(r.buf))) > limit {
			r.tooLong, r.buf = true, r.buf[:0]
		}
		if r.tooLong || len(bytes.TrimSpace(r.buf)) > 0 {
			return true
		}
	}
}

// content is a line without its line ending, LF or CRLF.
func content(line []byte) []byte {
	line, _ = bytes.CutSuffix(line, []byte("\n"))
	line, _ = bytes.CutSuffix(line, []byte("\r"))
	return line
}

// Line returns the 1-based line number of the current line (0 for a nil Reader).
func (r *Reader) Line() int {
	if r == nil {
		return 0
	}
	return r.line
}

// Bytes returns the current line without its line ending, or nil when the
// line is over the size limit. The slice is valid until the next call to Next.
func (r *Reader) Bytes() []byte {
	if r == nil || r.tooLong {
		return nil
	}
	return bytes.TrimRight(r.buf, "\r\n")
}

// Case decodes and validates the current line. The error is a
// *validation.Error, as from Unmarshal; a line over the limit wraps ErrTooLarge.
func (r *Reader) Case() (*Case, error) {
	if r == nil {
		return nil, errNoReader
	}
	if r.tooLong {
		return nil, &validation.Error{
			Problems: []validation.Problem{validation.Coded("", "line_too_long", "bytes", strconv.FormatInt(r.Decoder.maxBytes(), 10))},
			Err:      ErrTooLarge,
		}
	}
	return r.Decoder.Unmarshal(r.Bytes())
}

// Err returns the error that stopped reading, if any; nil at a clean end of
// input. A nil Reader's error says so.
func (r *Reader) Err() error {
	if r == nil {
		return errNoReader
	}
	return r.err
}
