package report

import (
	"embed"
	"io/fs"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
)

//go:embed messages/*.json
var labelFiles embed.FS

// Messages returns the renderers' own message files (report.LANG.json: the
// "report.*" labels, headings and column names), for a catalogue that
// brings a language of its own to check that it translates them all (see
// recommend.CheckLang).
func Messages() fs.FS {
	sub, err := fs.Sub(labelFiles, "messages")
	if err != nil {
		panic("report: the embedded message files are broken: " + err.Error()) // cannot happen: the directory is embedded
	}
	return sub
}

// labels are the renderers' own messages ("report.*", messages/*.json)
// with the engine's, read when first needed.
var labels = sync.OnceValue(func() *recommend.Texts {
	t, err := recommend.NewTexts(Messages())
	if err == nil {
		return t
	}
	panic("report: the embedded message files are broken: " + err.Error()) // a test reads them
})

// builtin is the engine of the built-in catalogue, for Options without an
// Engine: it reads no message file until a text is asked for.
var builtin = sync.OnceValue(func() *recommend.Engine {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithoutTexts())
	if err != nil {
		panic("report: the built-in catalogue is broken: " + err.Error()) // a test builds it
	}
	return e
})

// tr renders the renderers' labels ("report.*", in this package's message
// files) and the catalogue's vocabularies (theme titles, severities,
// outcomes) in one language: every text a person reads in a report comes
// through it, none is built in Go. A label the catalogue's own message
// files have is the catalogue's (a clinic may bring its labels in German;
// see Messages and recommend.CheckLang); a label missing in the language
// falls back as recommend.Texts.Label says.
type tr struct {
	lang  recommend.Lang
	cat   *recommend.Texts // the catalogue's texts (Options.Engine)
	texts *recommend.Texts // the renderers' labels
}

// newTr returns the texts of lang for the catalogue of opts.
func newTr(opts Options, lang recommend.Lang) tr {
	if lang == (recommend.Lang{}) {
		lang = recommend.English // no language is English
	}
	return tr{lang: lang, cat: opts.engine().Texts(), texts: labels()}
}

// s renders the message id with args given as name, value pairs, by the
// rule of recommend.Texts.Label: the catalogue's message before the
// renderers' own, in the language, then in the catalogue's default
// language, then in English.
func (x tr) s(id string, kv ...any) string {
	var args recommend.Args
	if len(kv) > 0 {
		args = make(recommend.Args, len(kv)/2+1)
		for i := 0; i+1 < len(kv); i += 2 {
			args[kv[i].(string)] = kv[i+1]
		}
	}
	return x.cat.Label(x.texts, x.lang, id, args)
}

// n renders the plural message id for count (CLDR plural forms), with the
// arg "count" and more args as pairs.
func (x tr) n(id string, count int, kv ...any) string {
	return x.s(id, append([]any{"count", count}, kv...)...)
}

func (x tr) theme(t recommend.Theme) string { return x.cat.Theme(x.lang, t) }

func (x tr) outcome(o recommend.Outcome) string { return x.cat.Outcome(x.lang, o) }

// severity is the name of a severity, or "unknown severity" for none.
func (x tr) severity(s recommend.Severity) string {
	if s == "" {
		return x.s("report.severity_unknown")
	}
	return x.cat.Severity(x.lang, s)
}

// verdict is "compliant" or "not compliant".
func (x tr) verdict(compliant bool) string {
	if compliant {
		return x.s("report.verdict.compliant")
	}
	return x.s("report.verdict.not_compliant")
}

// Verdict returns the verdict on a case for people in lang, as the
// renderers write it: "compliant" or "not compliant" (a label of this
// package's message files; a language they lack is English).
func Verdict(lang recommend.Lang, compliant bool) string {
	return newTr(Options{}, lang).verdict(compliant)
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
