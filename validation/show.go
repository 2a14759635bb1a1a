package validation

import (
	"strconv"
	"strings"
)

// Quote quotes s when it is short and made of letters, digits, '_' and '-',
// as a code or an ID is; anything else is described, not shown, so that free
// text and control characters never reach an error message or a terminal.
//
// A number is shown by its length alone ("(a number of 11 digits)"): it may
// be a personal number, such as a fødselsnummer.
func Quote(s string) string {
	if id, args, ok := describedAs(s); ok {
		return renderEnglish(id, args)
	}
	return `"` + s + `"`
}

// Described returns the message of Messages, and its args, that Quote
// rendered in English as shown instead of a value it does not show
// ("quote.not_code" for "(a text that is not a code)"), so that a
// renderer can word the description in another language; ok is false for
// anything else, such as a quoted code.
func Described(shown string) (id string, args map[string]string, ok bool) {
	if !strings.HasPrefix(shown, "(") {
		return "", nil, false
	}
	for _, s := range []string{strings.Repeat("x", 41), "?", "1"} {
		if Quote(s) == shown {
			id, args, _ = describedAs(s)
			return id, args, true
		}
	}
	for n := 2; n <= 40; n++ {
		if s := strings.Repeat("1", n); Quote(s) == shown {
			id, args, _ = describedAs(s)
			return id, args, true
		}
	}
	return "", nil, false
}

// describedAs is the message that Quote shows for s, when it does not show s.
func describedAs(s string) (string, map[string]string, bool) {
	switch {
	case len(s) > 40:
		return "quote.long_text", nil, true
	case allDigits(s) && len(s) == 1:
		return "quote.digit", nil, true
	case allDigits(s):
		return "quote.digits", map[string]string{"n": strconv.Itoa(len(s))}, true
	case !identifier(s):
		return "quote.not_code", nil, true
	}
	return "", nil, false
}

// Key shows a member name of a document as paths show it (see MemberName):
// as it is when it is an identifier or a code, by its length when it is a
// number, else "?".
func Key(s string) string { return MemberName(s) }

// Member is the path of the member name below path, as JSONPath writes it:
// "params.notice_days", `params["<11 digits>"]`, "params.?".
func Member(path, name string) string {
	shown := MemberName(name)
	if path == "" || shown[0] == '[' {
		return path + shown
	}
	return path + "." + shown
}

// digits is "1 digit", "11 digits".
func digits(n int) string {
	if n == 1 {
		return "1 digit"
	}
	return strconv.Itoa(n) + " digits"
}
