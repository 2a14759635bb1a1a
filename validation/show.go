package validation

// Quote quotes s when it is short and made of letters, digits, '_' and '-',
// as a code or an ID is; anything else is described, not shown, so that free
// text and control characters never reach an error message or a terminal.
func Quote(s string) string {
	if len(s) > 40 {
		return "(a long text)"
	}
	if !identifier(s) {
		return "(a text that is not a code)"
	}
	return `"` + s + `"`
}

// Key shows a member name of a document as paths show it (see JSONPath): as
// it is when it is an identifier or a code, else "?".
func Key(s string) string {
	if identifier(s) {
		return s
	}
	return "?"
}
