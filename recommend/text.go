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

// Lang is a language that reports are written in: a BCP 47 tag of
// golang.org/x/text/language. A language is not fixed by the engine: any
// catalogue's message files may bring one (a file NAME.de.json makes German
// available; see Texts). In JSON a language is its tag ("nb").
type Lang = language.Tag

// The languages of the engine's own messages (subjects and vocabularies).
// English is the source language of every message file and the last
// fallback of every text.
var (
	English = language.English
	Bokmal  = language.MustParse("nb") // Norwegian bokmål
)

// ParseLang parses a BCP 47 tag such as "nb" or "de-AT"; "" is an error.
func ParseLang(s string) (Lang, error) {
	if s == "" {
		return Lang{}, fmt.Errorf("empty language")
	}
	t, err := language.Parse(s)
	if err != nil {
		return Lang{}, fmt.Errorf("language %q: %w", s, err)
	}
	return t, nil
}

// MatchLang returns the language of langs (English when it is empty) that
// best serves the requested ones: BCP 47 tags ("nb-NO"), Accept-Language
// values ("nb, en;q=0.5") or POSIX locales ("nb_NO.UTF-8"). Norwegian in any
// form (nb, no, nn) is bokmål when langs has it; a language that none of
// langs serves, or nothing, is the first of langs.
func MatchLang(langs []Lang, requested ...string) Lang {
	if len(langs) == 0 {
		langs = []Lang{English}
	}
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
		base, _ := t.Base()
		b := base.String()
		if b == "nn" || b == "no" {
			b = "nb"
		}
		for _, l := range langs {
			if lb, _ := l.Base(); lb.String() == b {
				return l
			}
		}
	}
	if len(tags) == 0 {
		return langs[0]
	}
	_, i, conf := language.NewMatcher(langs).Match(tags...)
	if conf == language.No {
		return langs[0]
	}
	return langs[i]
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

// LangFromEnv returns the language of langs that the locale environment
// asks for, as POSIX programs read it: the first set of LC_ALL, LC_MESSAGES
// and LANG, matched by MatchLang; the first of langs when none is set.
// getenv is os.Getenv, or a fake in tests.
func LangFromEnv(langs []Lang, getenv func(string) string) Lang {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return MatchLang(langs, v)
		}
	}
	return MatchLang(langs)
}

//go:embed messages/*.json
var engineMessages embed.FS

// EngineMessages returns the engine's own message files (subjects,
// vocabularies, the labels of severities, outcomes, profiles and phases),
// at the root of the returned file system: the IDs a catalogue translates,
// besides its own, to bring a language whole (see CheckLang).
func EngineMessages() fs.FS {
	sub, err := fs.Sub(engineMessages, "messages")
	if err != nil {
		panic("recommend: the embedded message files are broken: " + err.Error()) // cannot happen: the directory is embedded
	}
	return sub
}

// Texts renders the texts for people of a catalogue in every language: the
// titles, statements and rationales of recommendations, the messages and
// remedies of findings, theme titles, and the engine's own subjects and
// vocabularies. The texts live in message files, NAME.LANG.json (LANG a BCP
// 47 tag: "pc.en.json", "clinic.de.json"), in the JSON format of
// github.com/nicksnyder/go-i18n/v2, with CLDR plural forms
// ({"one": ..., "other": ...}) and Go templates over a finding's args
// ("at least {{.days}}"). English is the source language: every message
// exists in it. Any other language is added by a file in it: a message
// file NAME.de.json makes German available.
//
// A message missing in the requested language is rendered in the default
// language of the catalogue (Catalogue.Langs[0]), then in English. A message
// that exists in no language is an error of Render; Text shows its ID and
// records it in Missing, which recommendtest and CheckMessages fail on.
//
// The packages that write for people besides the engine (the report
// renderers, recommendtest, the catalogue's documentation) have message
// files of their own, and render their labels by Label: the catalogue's
// message first, so that a catalogue may bring its own language for every
// text a person reads; CheckLang tells whether a language is complete.
//
// In a template, an int arg whose name ends in a unit that has a plural
// message "unit.NAME" is shown with it ("days": 3 → "3 days", "3 dager"); an
// arg holding a code is shown by its message "VOCABULARY.CODE" when there is
// one ("role": "gp" → "GP", "fastlege"), the vocabulary being the arg's name
// or its last part after "_"; a time is shown as its date and time of day
// (see Lang.FormatTime).
//
// The message files are read when a text is first asked for, not before: an
// engine made WithoutTexts reads none. A Texts is safe for concurrent use.
type Texts struct {
	fsys  []fs.FS // the engine's messages first
	langs []Lang  // see Langs
	def   Lang    // the default language: the fallback before English

	once   sync.Once
	err    error
	bundle *i18n.Bundle
	ids    map[Lang]map[string]bool
	loc    map[Lang]*i18n.Localizer

	missing sync.Map // message IDs rendered but found in no language
}

// ErrMessages is wrapped by the error of a message file that cannot be read.
var ErrMessages = errors.New("invalid message file")

// ErrNoMessage is wrapped by the error of Render for a message that exists in
// no language.
var ErrNoMessage = errors.New("no such message")

// NewTexts reads the message files of the engine (subjects, vocabularies,
// the labels of severities, outcomes, profiles and phases) and of every fsys
// given: each *.json file at its root. It reads them at once and returns
// the first error.
func NewTexts(fsys ...fs.FS) (*Texts, error) {
	t, err := newTexts(English, fsys)
	if err != nil {
		return nil, err
	}
	if err := t.load(); err != nil {
		return nil, err
	}
	return t, nil
}

// newTexts makes the texts of the message files of fsys, with the default
// language def, reading only the names of their files: see load.
func newTexts(def Lang, fsys []fs.FS) (*Texts, error) {
	sub, err := fs.Sub(engineMessages, "messages")
	if err != nil {
		return nil, err
	}
	t := &Texts{def: def, fsys: []fs.FS{sub}}
	seen := map[Lang]bool{English: true}
	t.langs = []Lang{English}
	own := fsys
	if len(own) == 0 {
		own = t.fsys
	}
	for _, f := range own {
		if f == nil {
			continue
		}
		names, err := fs.Glob(f, "*.json")
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			lang, err := ParseLang(messageFileLang(name))
			if err != nil {
				return nil, fmt.Errorf("%s: %w: %w", name, ErrMessages, err)
			}
			if !seen[lang] {
				seen[lang] = true
				t.langs = append(t.langs, lang)
			}
		}
	}
	slices.SortFunc(t.langs[1:], func(a, b Lang) int { return strings.Compare(a.String(), b.String()) })
	if !seen[def] {
		t.def = English
	}
	for _, f := range fsys {
		if f != nil {
			t.fsys = append(t.fsys, f)
		}
	}
	return t, nil
}

// load reads the message files, once; it returns the error of the first
// that cannot be read.
func (t *Texts) load() error {
	t.once.Do(func() {
		t.bundle = i18n.NewBundle(English)
		t.ids = make(map[Lang]map[string]bool)
		for _, f := range t.fsys {
			if err := t.loadFS(f); err != nil {
				t.err = err
				return
			}
		}
		t.loc = make(map[Lang]*i18n.Localizer, len(t.ids))
		for lang := range t.ids {
			t.loc[lang] = i18n.NewLocalizer(t.bundle, lang.String(), t.def.String(), English.String())
		}
	})
	return t.err
}

func (t *Texts) loadFS(fsys fs.FS) error {
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
		ids := t.ids[mf.Tag]
		if ids == nil {
			ids = make(map[string]bool, len(mf.Messages))
			t.ids[mf.Tag] = ids
		}
		for _, m := range mf.Messages {
			ids[m.ID] = true
		}
	}
	return nil
}

var defaultTexts = sync.OnceValues(func() (*Texts, error) { return NewTexts() })

// EngineTexts returns the texts of the engine alone: subjects, vocabularies
// and the labels of severities, outcomes, profiles and phases, without any
// catalogue's.
func EngineTexts() *Texts {
	t, err := defaultTexts()
	if err != nil {
		panic("recommend: the embedded message files are broken: " + err.Error())
	}
	return t
}

// Langs returns the languages of the texts, English first, then the others
// sorted by tag: those of the message files given (of the engine's own when
// none are). A fresh slice.
func (t *Texts) Langs() []Lang { return slices.Clone(t.langs) }

// Default returns the default language of the texts: the first of the
// catalogue's Langs (English when it names none), the fallback before
// English.
func (t *Texts) Default() Lang { return t.def }

// HasLang reports whether lang is one of Langs.
func (t *Texts) HasLang(lang Lang) bool { return slices.Contains(t.langs, lang) }

// Err returns the error of a message file that cannot be read, or nil. The
// files are read when first needed: a Texts of New reports a broken file in
// New's error, unless the engine was made WithoutTexts.
func (t *Texts) Err() error { return t.load() }

// Has reports whether the message id exists in lang itself (not through a
// fallback).
func (t *Texts) Has(lang Lang, id string) bool {
	if t.load() != nil {
		return false
	}
	return t.ids[lang][id]
}

// IDs returns the IDs of the messages of lang, sorted.
func (t *Texts) IDs(lang Lang) []string {
	if t.load() != nil {
		return nil
	}
	out := make([]string, 0, len(t.ids[lang]))
	for id := range t.ids[lang] {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// localizer returns the localizer of lang, or of the default language when
// no message file is in lang.
func (t *Texts) localizer(lang Lang) (*i18n.Localizer, Lang) {
	if loc, ok := t.loc[lang]; ok {
		return loc, lang
	}
	if loc, ok := t.loc[t.def]; ok {
		return loc, t.def
	}
	return t.loc[English], English
}

// Render renders the message id in lang with args: a message missing in lang
// is rendered in the default language, then in English; one that exists in
// none is an error wrapping ErrNoMessage. A message with plural forms takes
// its count from the arg "count".
func (t *Texts) Render(lang Lang, id string, args Args) (string, error) {
	if err := t.load(); err != nil {
		return "", err
	}
	loc, lang := t.localizer(lang)
	if loc == nil || !t.ids[English][id] && !t.ids[lang][id] && !t.ids[t.def][id] {
		return "", fmt.Errorf("message %q: %w", id, ErrNoMessage)
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		cfg.TemplateData = t.templateData(lang, args)
		if n, ok := args["count"].(int); ok {
			cfg.PluralCount = n
		}
	}
	s, err := loc.Localize(cfg)
	if err != nil && s == "" {
		return "", fmt.Errorf("message %q in %s: %w", id, lang, err)
	}
	return s, nil
}

// Text is Render for a message that exists: a message missing in every
// language is shown as its id, so that it shows rather than hides, and is
// recorded in Missing (recommendtest fails a test on it).
func (t *Texts) Text(lang Lang, id string, args Args) string {
	s, err := t.Render(lang, id, args)
	if err != nil {
		t.missing.Store(id, true)
		return id
	}
	return s
}

// Label renders the message id of a package's own labels (own: the
// headings and column names of package report, the frame of recommendtest's
// failure messages, the labels of the catalogue's documentation) for a
// catalogue whose texts are t. The catalogue's message files come first, so
// a catalogue brings its own language for everything a person reads: the
// rule is
//
//  1. the message in lang, the catalogue's if it has it, else the package's;
//  2. else in the catalogue's default language (Default), the same way;
//  3. else in English, the same way.
//
// A message in none is shown as its ID and recorded in t's Missing. own may
// be nil (the catalogue's texts alone).
func (t *Texts) Label(own *Texts, lang Lang, id string, args Args) string {
	for _, l := range []Lang{lang, t.def, English} {
		if t.Has(l, id) {
			return t.Text(l, id, args)
		}
		if own != nil && own.Has(l, id) {
			return own.Text(l, id, args)
		}
	}
	return t.Text(lang, id, args)
}

// FormatTime shows the date and time of day of tm, in its own zone, as a
// text in lang writes it: by the Go layout of the message "time.layout"
// ("2006-01-02 15:04" in English, "02.01.2006 kl. 15.04" in bokmål, so
// "30.04.2026 kl. 09.00"), falling back as Render does.
func (t *Texts) FormatTime(lang Lang, tm time.Time) string {
	layout, err := t.Render(lang, "time.layout", nil)
	if err != nil || layout == "" {
		layout = "2006-01-02 15:04"
	}
	return tm.Format(layout)
}

// Missing returns the IDs of the messages that Text was asked for and found
// in no language (or could not render), sorted; none for a complete
// catalogue.
func (t *Texts) Missing() []string {
	var out []string
	t.missing.Range(func(k, _ any) bool {
		out = append(out, k.(string))
		return true
	})
	slices.Sort(out)
	return out
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

// Severity returns the name of severity s for people in lang ("required",
// "må"): the message "severity.<s>", or s itself for a severity no message
// names.
func (t *Texts) Severity(lang Lang, s Severity) string { return t.label(lang, "severity", string(s)) }

// Outcome returns the name of outcome o for people in lang ("not
// applicable", "ikke aktuelt"): the message "outcome.<o>", or o itself for
// an outcome no message names.
func (t *Texts) Outcome(lang Lang, o Outcome) string { return t.label(lang, "outcome", string(o)) }

// Theme returns the title of theme th in lang: the message "theme.<th>" of
// the catalogue, or th itself for a theme no message names.
func (t *Texts) Theme(lang Lang, th Theme) string { return t.label(lang, "theme", string(th)) }

// label is the message "vocabulary.code", or the code itself when there is none.
func (t *Texts) label(lang Lang, vocabulary, code string) string {
	if code == "" || !t.Has(English, vocabulary+"."+code) {
		return code
	}
	return t.Text(lang, vocabulary+"."+code, nil)
}

// templateData shows args for people in lang.
func (t *Texts) templateData(lang Lang, args Args) map[string]any {
	data := make(map[string]any, len(args))
	for k, v := range args {
		data[k] = t.show(lang, k, v)
	}
	return data
}

// show is how a template shows arg k of value v.
func (t *Texts) show(lang Lang, k string, v any) any {
	en := t.ids[English]
	switch x := v.(type) {
	case int:
		if unit := vocabulary(k, func(u string) bool { return en["unit."+u] }); unit != "" {
			loc, _ := t.localizer(lang)
			s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: "unit." + unit, PluralCount: x,
				TemplateData: map[string]any{"count": x}})
			if err == nil || s != "" { // s is the fallback's when lang lacks the unit
				return s
			}
		}
		return x
	case time.Time:
		return t.FormatTime(lang, x)
	case fmt.Stringer:
		return x.String()
	}
	if s, ok := codeString(v); ok {
		if voc := vocabulary(k, func(voc string) bool { return en[voc+"."+s] }); voc != "" {
			return t.Text(lang, voc+"."+s, nil)
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

// messageFileLang returns the language tag of a message file name ("pc.en.json" → "en").
func messageFileLang(name string) string {
	name = strings.TrimSuffix(path.Base(name), ".json")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return name
}
