package recommend

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is a language that reports are written in.
type Lang string

// The languages. English is the default and the source language of every
// message file; a language is added by a message file per rule set (see
// Texts).
const (
	English Lang = "en"
	Bokmal  Lang = "nb" // Norwegian bokmål
)

// langTable is the one list of languages, in the order of Langs.
var langTable = [...]Lang{English, Bokmal}

// Langs returns every language reports can be written in (a fresh slice).
func Langs() []Lang { return slices.Clone(langTable[:]) }

// Valid reports whether l is one of Langs.
func (l Lang) Valid() bool { return slices.Contains(langTable[:], l) }

// timeLayouts are the layouts of a date and time of day in a text, in the
// order of langTable: ISO 8601 in English, the Norwegian style in bokmål
// (day.month.year, "kl." and a full stop between hours and minutes).
var timeLayouts = [len(langTable)]string{"2006-01-02 15:04", "02.01.2006 kl. 15.04"}

// FormatTime shows the date and time of day of t, in its own zone, as a
// text in l writes it: "2026-04-30 09:00" in English, "30.04.2026 kl. 09.00"
// in bokmål. A language not in Langs is English.
func (l Lang) FormatTime(t time.Time) string {
	i := max(slices.Index(langTable[:], l), 0)
	return t.Format(timeLayouts[i])
}

var langMatcher = language.NewMatcher([]language.Tag{language.English, language.MustParse("nb")})

// MatchLang returns the language of Langs that best serves the requested
// ones: BCP 47 tags ("nb-NO"), Accept-Language values ("nb, en;q=0.5") or
// POSIX locales ("nb_NO.UTF-8"). Norwegian in any form (nb, no, nn) is
// bokmål; anything else, or nothing, is English.
func MatchLang(requested ...string) Lang {
	var tags []language.Tag
	for _, r := range requested {
		r = posixLocale(r)
		if r == "" {
			continue
		}
		if ts, _, err := language.ParseAcceptLanguage(r); err == nil {
			tags = append(tags, ts...)
		}
	}
	for _, t := range tags {
		// nynorsk and the macrolanguage are read as bokmål: the reports have
		// no nynorsk, and a Norwegian reader reads bokmål.
		if base, _ := t.Base(); base.String() == "nn" || base.String() == "no" || base.String() == "nb" {
			return Bokmal
		}
		if base, _ := t.Base(); base.String() == "en" {
			return English
		}
	}
	if len(tags) == 0 {
		return English
	}
	_, i, conf := langMatcher.Match(tags...)
	if conf == language.No {
		return English
	}
	return langTable[i]
}

// posixLocale turns "nb_NO.UTF-8@euro" into "nb-NO"; "C" and "POSIX" into "".
func posixLocale(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	if s == "C" || s == "POSIX" {
		return ""
	}
	return strings.ReplaceAll(s, "_", "-")
}

// LangFromEnv returns the language of the locale environment, as POSIX
// programs read it: the first set of LC_ALL, LC_MESSAGES and LANG, matched
// by MatchLang. getenv is os.Getenv, or a fake in tests.
func LangFromEnv(getenv func(string) string) Lang {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return MatchLang(v)
		}
	}
	return English
}

//go:embed messages/*.json
var engineMessages embed.FS

// Texts renders the texts for people of a rule set in every language: the
// titles, statements and rationales of recommendations, the messages and
// remedies of findings, subjects, and the labels of reports. The texts live
// in message files, NAME.LANG.json, in the JSON format of
// github.com/nicksnyder/go-i18n/v2, with CLDR plural forms
// ({"one": ..., "other": ...}) and Go templates over a finding's args
// ("at least {{.days}}"). English is the source language: every message
// exists in it.
//
// In a template, an int arg whose name ends in a unit that has a plural
// message "unit.NAME" is shown with it ("days": 3 → "3 days", "3 dager"); an
// arg holding a code is shown by its message "VOCABULARY.CODE" when there is
// one ("role": "gp" → "GP", "fastlege"), the vocabulary being the arg's name
// or its last part after "_"; a time is shown as its date and time of day
// (see Lang.FormatTime).
//
// A Texts is safe for concurrent use.
type Texts struct {
	bundle *i18n.Bundle
	loc    [len(langTable)]*i18n.Localizer
	ids    [len(langTable)]map[string]bool
}

// ErrMessages is wrapped by the error of a message file that cannot be read.
var ErrMessages = errors.New("invalid message file")

// NewTexts reads the message files of the engine (report labels, subjects,
// vocabularies) and of every fsys given: each *.json file at its root.
func NewTexts(fsys ...fs.FS) (*Texts, error) {
	t := &Texts{bundle: i18n.NewBundle(language.English)}
	for i := range t.ids {
		t.ids[i] = make(map[string]bool)
	}
	sub, err := fs.Sub(engineMessages, "messages")
	if err != nil {
		return nil, err
	}
	for _, f := range append([]fs.FS{sub}, fsys...) {
		if f == nil {
			continue
		}
		if err := t.load(f); err != nil {
			return nil, err
		}
	}
	for i, l := range langTable {
		t.loc[i] = i18n.NewLocalizer(t.bundle, string(l), string(English))
	}
	return t, nil
}

func (t *Texts) load(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return err
	}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		mf, err := t.bundle.ParseMessageFileBytes(data, name)
		if err != nil {
			return fmt.Errorf("%s: %w: %w", name, ErrMessages, err)
		}
		i := slices.Index(langTable[:], Lang(mf.Tag.String()))
		if i < 0 {
			return fmt.Errorf("%s: %w: language %q is not one of %v", name, ErrMessages, mf.Tag, langTable)
		}
		for _, m := range mf.Messages {
			t.ids[i][m.ID] = true
		}
	}
	return nil
}

var defaultTexts = sync.OnceValues(func() (*Texts, error) { return NewTexts() })

// EngineTexts returns the texts of the engine alone: report labels,
// subjects and vocabularies, without any rule set's.
func EngineTexts() *Texts {
	t, err := defaultTexts()
	if err != nil {
		panic("recommend: the embedded message files are broken: " + err.Error())
	}
	return t
}

// Has reports whether the message id exists in lang itself (not through
// the English fallback).
func (t *Texts) Has(lang Lang, id string) bool {
	i := slices.Index(langTable[:], lang)
	return i >= 0 && t.ids[i][id]
}

// IDs returns the IDs of the messages of lang, sorted.
func (t *Texts) IDs(lang Lang) []string {
	i := slices.Index(langTable[:], lang)
	if i < 0 {
		return nil
	}
	out := make([]string, 0, len(t.ids[i]))
	for id := range t.ids[i] {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Text renders the message id in lang with args; a message missing in lang
// is rendered in English, and one missing in English too is the id itself,
// so that a missing text shows rather than hides. A message with plural
// forms takes its count from the arg "count".
func (t *Texts) Text(lang Lang, id string, args Args) string {
	i := slices.Index(langTable[:], lang)
	if i < 0 {
		i = 0
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		cfg.TemplateData = t.templateData(i, args)
		if n, ok := args["count"].(int); ok {
			cfg.PluralCount = n
		}
	}
	s, err := t.loc[i].Localize(cfg)
	if err != nil {
		if s == "" {
			return id
		}
	}
	return s
}

// Source returns the source of r for people in lang: the message
// "<ID>.source" when the message files have it (in English at least), else
// r.Source, the same in every language (see Recommendation.Source).
func (t *Texts) Source(lang Lang, r *Recommendation) string {
	if id := r.ID + ".source"; t.Has(English, id) {
		return t.Text(lang, id, nil)
	}
	return r.Source
}

// templateData shows args for people in language slot i.
func (t *Texts) templateData(i int, args Args) map[string]any {
	data := make(map[string]any, len(args))
	for k, v := range args {
		data[k] = t.show(i, k, v)
	}
	return data
}

// show is how a template shows arg k of value v.
func (t *Texts) show(i int, k string, v any) any {
	switch x := v.(type) {
	case int:
		if unit := vocabulary(k, func(u string) bool { return t.ids[0]["unit."+u] }); unit != "" {
			s, err := t.loc[i].Localize(&i18n.LocalizeConfig{MessageID: "unit." + unit, PluralCount: x,
				TemplateData: map[string]any{"count": x}})
			if err == nil {
				return s
			}
		}
		return x
	case time.Time:
		return langTable[i].FormatTime(x)
	case fmt.Stringer:
		return x.String()
	}
	if s, ok := codeString(v); ok {
		if voc := vocabulary(k, func(voc string) bool { return t.ids[0][voc+"."+s] }); voc != "" {
			return t.Text(langTable[i], voc+"."+s, nil)
		}
		return s
	}
	return v
}

// vocabulary returns the name, or the part after the last "_", or after the
// one before, for which has is true: "subject_role" → "role".
func vocabulary(name string, has func(string) bool) string {
	for s := name; ; {
		if has(s) {
			return s
		}
		i := strings.IndexByte(s, '_')
		if i < 0 {
			return ""
		}
		s = s[i+1:]
	}
}

// codeString returns the string of a code-like arg: a Code or a string type
// of the domain packages (which all have a Valid method).
func codeString(v any) (string, bool) {
	switch x := v.(type) {
	case Code:
		return string(x), true
	case interface{ Valid() bool }:
		s := fmt.Sprint(x)
		if _, err := strconv.Atoi(s); err == nil {
			return "", false
		}
		return s, true
	}
	return "", false
}

// messageFileLang returns the language of a message file name ("pc.en.json" → "en").
func messageFileLang(name string) Lang {
	name = strings.TrimSuffix(path.Base(name), ".json")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return Lang(name)
}
