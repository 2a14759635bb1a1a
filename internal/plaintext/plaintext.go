// Package plaintext makes text from outside the program safe to print on one
// line of a terminal, a Markdown table, an HTML page, a JUnit message or a
// CSV cell: the one function every renderer of collabmeet and the policy
// loader use for text they did not write themselves, such as a waiver's
// reason.
package plaintext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s on one line, without the characters that could change how
// the text around it is shown:
//
//   - line breaks, tabs and the other white space (including U+0085, the
//     line separator U+2028 and the paragraph separator U+2029) become one
//     space, and runs of them fold into one; s is trimmed;
//   - the other control characters (Unicode category Cc: ESC, which could
//     drive a terminal, DEL, the C1 controls) are removed;
//   - the format characters (category Cf) are removed: the bidirectional
//     embeddings, overrides, isolates and marks (which could show text in
//     another order than it is), the zero-width spaces and joiners, the
//     soft hyphen U+00AD, the byte order mark U+FEFF, the interlinear
//     annotation characters, and the rest;
//   - invalid UTF-8 becomes U+FFFD.
//
// Text that needs none of this is returned as it is, without allocating.
func Line(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s { // an invalid byte reads as U+FFFD
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clean reports whether Line would return s unchanged: valid UTF-8, no
// white space but single ASCII spaces between other characters, no control
// or format character.
func clean(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case c < 0x20 || c == 0x7f:
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
		prevSpace = false
		i += n
	}
	return true
}
