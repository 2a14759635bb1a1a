package validation

import "strconv"

// Quote quotes s when it is short and made of letters, digits, '_' and '-',
// as a code or an ID is; anything else is described, not shown, so that free
// text and control characters never reach an error message or a terminal.
//
// A number is shown by its length alone ("(a number of 11 digits)"): it may
// be a personal number, such as a fødselsnummer.
func Quote(s string) string {
	if len(s) > 40 {
		return "(a long text)"
	}
	if allDigits(s) {
		return "(a number of " + digits(len(s)) + ")"
	}
	if !identifier(s) {
		return "(a text that is not a code)"
	}
	return `"` + s + `"`
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
