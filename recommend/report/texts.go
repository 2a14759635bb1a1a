package report

import (
	"unicode"
	"unicode/utf8"

	"github.com/collabmeet/collabmeet/recommend"
)

// tr renders the messages of the renderers ("report.*") and the engine's
// vocabularies (theme.*, severity.*, outcome.*, ...) in one language: every
// text a person reads in a report comes through it, none is built in Go.
type tr struct {
	lang  recommend.Lang
	texts *recommend.Texts
}

// newTr returns the texts of lang; an empty or unknown language is English.
func newTr(lang recommend.Lang) tr {
	if !lang.Valid() {
		lang = recommend.English
	}
	return tr{lang: lang, texts: recommend.EngineTexts()}
}

// s renders the message id with args given as name, value pairs.
func (x tr) s(id string, kv ...any) string {
	var args recommend.Args
	if len(kv) > 0 {
		args = make(recommend.Args, len(kv)/2+1)
		for i := 0; i+1 < len(kv); i += 2 {
			args[kv[i].(string)] = kv[i+1]
		}
	}
	return x.texts.Text(x.lang, id, args)
}

// n renders the plural message id for count (CLDR plural forms), with the
// arg "count" and more args as pairs.
func (x tr) n(id string, count int, kv ...any) string {
	return x.s(id, append([]any{"count", count}, kv...)...)
}

// vocab is the name of a code for people, from the vocabulary prefix
// ("theme", "severity"): the code itself when the vocabulary lacks it (a
// custom theme, an outcome of a newer version), "" for "".
func (x tr) vocab(prefix, code string) string {
	if code == "" {
		return ""
	}
	id := prefix + "." + code
	if !x.texts.Has(recommend.English, id) {
		return code
	}
	return x.texts.Text(x.lang, id, nil)
}

func (x tr) theme(t recommend.Theme) string { return x.vocab("theme", string(t)) }

func (x tr) outcome(o recommend.Outcome) string { return x.vocab("outcome", string(o)) }

// severity is the name of a severity, or "unknown severity" for none.
func (x tr) severity(s recommend.Severity) string {
	if s == "" {
		return x.s("report.severity_unknown")
	}
	return x.vocab("severity", string(s))
}

// verdict is "compliant" or "not compliant".
func (x tr) verdict(compliant bool) string {
	if compliant {
		return x.s("report.verdict.compliant")
	}
	return x.s("report.verdict.not_compliant")
}

// upperFirst turns the first letter of s into upper case, for a heading
// made of a message that is lower case in a sentence.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
