package recommend

import (
	"encoding/json"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/collabmeet/collabmeet/validation"
)

// CheckMessages checks a directory of message files (see Texts) as a
// translator's work is checked: every file NAME.en.json has a file
// NAME.LANG.json beside it for every language that any file of the
// directory is in (the languages of the catalogue), with the same message
// IDs; every text parses as a template, reads the same args
// (placeholders) as its English source and has the same plural structure
// (CLDR forms one and other); no translated text is empty or equal to its
// English source, unless that is only a code, a number, or abbreviations in
// capitals such as the citation keys of a source ("TR, N26"); and every message
// renders, in every language, with a value for each of its placeholders.
// It returns every problem at once, as a *validation.Error whose paths are
// "FILE: ID", or nil. Run it in a test over your own rules' messages.
//
// A catalogue may translate the messages of the engine and of the packages
// that write for people, to bring a language of its own whole (see
// CheckLang and Texts.Label): labels are their message files
// (recommendtest.LabelMessages), and the engine's own (EngineMessages,
// en.json) are always among them. A file of fsys whose English file is not
// beside it but among labels (de.json for the engine's en.json,
// report.de.json for report.en.json) is checked against that English file,
// as above.
func CheckMessages(fsys fs.FS, labels ...fs.FS) error {
	var l validation.List
	files := readMessageFiles(fsys, &l)
	byBase := map[string]map[Lang]messageFile{}
	langs := []Lang{English}
	for _, f := range files {
		if !slices.Contains(langs, f.lang) {
			langs = append(langs, f.lang)
		}
		if byBase[f.base] == nil {
			byBase[f.base] = map[Lang]messageFile{}
		}
		byBase[f.base][f.lang] = f
	}
	// The English files of the labels, for the translations of fsys that
	// have none beside them.
	labels = append([]fs.FS{EngineMessages()}, labels...)
	for _, lf := range labels {
		if lf == nil {
			continue
		}
		var ignore validation.List // the labels' files are their packages' to check
		for _, f := range readMessageFiles(lf, &ignore) {
			if files := byBase[f.base]; f.lang == English && files != nil && files[English].name == "" {
				files[English] = f
			}
		}
	}
	texts, err := NewTexts(append(labels[1:], fsys)...)
	if err != nil {
		l.Addf("", "%v", err)
	}
	for _, base := range slices.Sorted(maps.Keys(byBase)) {
		files := byBase[base]
		en, ok := files[English]
		if !ok {
			l.Addf(base, "no English file %s.en.json: English is the source of every message", base)
			continue
		}
		for _, lang := range langs {
			f, ok := files[lang]
			if !ok {
				l.Addf(en.name, "no %s file beside it (%s.%s.json)", lang, base, lang)
				continue
			}
			for _, id := range slices.Sorted(maps.Keys(en.messages)) {
				m, ok := f.messages[id]
				if !ok {
					l.Addf(f.name+": "+id, "missing (it is in %s)", en.name)
					continue
				}
				checkMessage(&l, f.name+": "+id, lang, en.messages[id], m)
				if texts != nil {
					renderMessage(&l, texts, f.name+": "+id, lang, id, m)
				}
			}
			for id := range f.messages {
				if _, ok := en.messages[id]; !ok {
					l.Addf(f.name+": "+id, "is not in %s", en.name)
				}
			}
		}
	}
	return l.Err()
}

// messageFile is one file NAME.LANG.json as a translator edits it.
type messageFile struct {
	name, base string
	lang       Lang
	messages   map[string]message
}

// message is a text, or its CLDR plural forms.
type message struct {
	forms  map[string]string
	plural bool
}

func readMessageFiles(fsys fs.FS, l *validation.List) []messageFile {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		l.Addf("", "%v", err)
		return nil
	}
	var files []messageFile
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			l.Addf(name, "%v", err)
			continue
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			l.Addf(name, "not a JSON object of messages: %v", err)
			continue
		}
		stem := strings.TrimSuffix(name, ".json")
		tag := messageFileLang(name)
		lang, err := ParseLang(tag)
		if err != nil {
			l.Addf(name, "%v", err)
			continue
		}
		f := messageFile{name: name, lang: lang, messages: map[string]message{}}
		f.base = strings.TrimSuffix(strings.TrimSuffix(stem, tag), ".")
		for id, v := range raw {
			var s string
			if json.Unmarshal(v, &s) == nil {
				f.messages[id] = message{forms: map[string]string{"other": s}}
				continue
			}
			var forms map[string]string
			if err := json.Unmarshal(v, &forms); err != nil {
				l.Addf(name+": "+id, "neither a text nor plural forms")
				continue
			}
			f.messages[id] = message{forms: forms, plural: true}
		}
		files = append(files, f)
	}
	return files
}

// checkMessage compares a message with its English source.
func checkMessage(l *validation.List, path string, lang Lang, src, m message) {
	if src.plural != m.plural {
		l.Addf(path, "plural forms in English: %v, here: %v", src.plural, m.plural)
		return
	}
	if m.plural {
		if forms := slices.Sorted(maps.Keys(m.forms)); !slices.Equal(forms, []string{"one", "other"}) {
			l.Addf(path, "the plural forms are one and other, not %v", forms)
		}
	}
	for _, form := range slices.Sorted(maps.Keys(m.forms)) {
		text := m.forms[form]
		want, ok := src.forms[form]
		if !ok {
			want = src.forms["other"]
		}
		if strings.TrimSpace(text) == "" {
			l.Addf(path, "(%s) is empty", form)
			continue
		}
		if _, err := template.New("").Parse(text); err != nil {
			l.Addf(path, "(%s) is not a template: %v", form, err)
			continue
		}
		if got, wantP := placeholders(text), placeholders(want); !slices.Equal(got, wantP) {
			l.Addf(path, "(%s) reads %v, the English text reads %v", form, got, wantP)
		}
		if lang != English && text == want && !codeLike(want) {
			l.Addf(path, "(%s) is the English text", form)
		}
	}
}

// renderMessage renders a message with a value for each placeholder.
func renderMessage(l *validation.List, t *Texts, path string, lang Lang, id string, m message) {
	args := Args{}
	for _, text := range m.forms {
		for _, p := range placeholders(text) {
			args[p] = Code("x")
		}
	}
	for _, count := range []int{1, 2} {
		if m.plural {
			args["count"] = count
		}
		got, err := t.Render(lang, id, args)
		switch {
		case err != nil:
			l.Addf(path, "does not render: %v", err)
		case strings.Contains(got, "<no value>"):
			l.Addf(path, "renders as %q", got)
		}
	}
}

var (
	templateAction = regexp.MustCompile(`\{\{.*?\}\}`)
	actionField    = regexp.MustCompile(`(?:^|[^\w.)])\.([A-Za-z_]\w*)`)
	neutralText    = regexp.MustCompile("^(`[^`]+`|[0-9\\s.,:;/=()%+×−–-]*)$")
	// abbreviations are citation keys and acronyms, the same in every
	// language: "SN", "HD, SN, TR", "TR, N26", "NCT07331766".
	abbreviations = regexp.MustCompile(`^[A-Z][A-Z0-9]+(?:[\s,;/]+[A-Z][A-Z0-9]+)*$`)
)

// placeholders returns the sorted names of the args a template reads:
// "{{.days}} ({{.role}})" → [days role].
func placeholders(text string) []string {
	set := map[string]bool{}
	for _, action := range templateAction.FindAllString(text, -1) {
		for _, m := range actionField.FindAllStringSubmatch(action, -1) {
			set[m[1]] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// codeLike reports whether a text is only a code, numbers, signs and
// placeholders ("{{.percent}} %", "n={{.cases}}"), or only abbreviations in
// capitals ("HD, SN, TR"): the kinds of text a translation may leave as
// they are.
func codeLike(text string) bool {
	text = templateAction.ReplaceAllString(text, "")
	text = strings.TrimPrefix(strings.TrimSpace(text), "n=")
	return neutralText.MatchString(text) || abbreviations.MatchString(text)
}

// CheckLang checks that lang is complete for a catalogue whose message files
// are fsys: every message that fsys, the engine's own files
// (EngineMessages) or the label files given (each package's own: report's,
// recommendtest's) have in English exists in lang — in fsys, or in the
// files that have it in English — with the args (placeholders) and plural
// structure of its English source, as CheckMessages checks a translation.
// A complete language never falls back to another one (see Texts.Label for
// the fallback rule): a clinic that brings German in its own message files
// for the labels that the engine and its renderers have only in English and
// bokmål runs CheckLang(language.German, ...) in its tests. It returns
// every problem at once, as a *validation.Error whose paths are "FILE: ID",
// or nil.
func CheckLang(lang Lang, fsys fs.FS, labels ...fs.FS) error {
	var l validation.List
	type located struct {
		file string
		m    message
	}
	src := map[string]located{}  // the English source of every ID
	have := map[string]located{} // the message in lang: the catalogue's wins, as in rendering
	for _, f := range append(append([]fs.FS{EngineMessages()}, labels...), fsys) {
		if f == nil {
			continue
		}
		for _, file := range readMessageFiles(f, &l) {
			for id, m := range file.messages {
				if file.lang == English {
					if _, ok := src[id]; !ok {
						src[id] = located{file.name, m}
					}
				}
				if file.lang == lang {
					have[id] = located{file.name, m}
				}
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(src)) {
		m, ok := have[id]
		if !ok {
			l.Addf(src[id].file+": "+id, "missing in %s", lang)
			continue
		}
		checkMessage(&l, m.file+": "+id, lang, src[id].m, m.m)
	}
	return l.Err()
}
