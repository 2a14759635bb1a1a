package catalogue_test

import (
	"encoding/json"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
)

// The completeness of the catalogue's message files (messages/THEME.LANG.json):
// every message the rules use exists in every language, with the same
// placeholders and plural structure as in English, and reads as the
// language itself (no text left in English, no word the terminology avoids).

// catMessage is one message of a message file: a text, or its CLDR plural
// forms ("one", "other").
type catMessage struct {
	forms  map[string]string
	plural bool
}

// catFile is a message file THEME.LANG.json of the built-in catalogue.
type catFile struct {
	name     string
	theme    string
	lang     recommend.Lang
	messages map[string]catMessage
}

// catFiles reads the message files of the built-in catalogue as it embeds them.
func catFiles(t *testing.T) []catFile {
	t.Helper()
	fsys := catalogue.Builtin().Messages
	names, err := fs.Glob(fsys, "*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("the catalogue has no message files: %v", err)
	}
	var files []catFile
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		stem := strings.TrimSuffix(name, ".json")
		i := strings.LastIndexByte(stem, '.')
		if i < 0 {
			t.Errorf("%s is not named THEME.LANG.json", name)
			continue
		}
		f := catFile{name: name, theme: stem[:i], lang: recommend.Lang(stem[i+1:]), messages: map[string]catMessage{}}
		if !f.lang.Valid() {
			t.Errorf("%s: language %q is not one of %v", name, f.lang, recommend.Langs())
		}
		for id, v := range raw {
			var s string
			if err := json.Unmarshal(v, &s); err == nil {
				f.messages[id] = catMessage{forms: map[string]string{"other": s}}
				continue
			}
			var forms map[string]string
			if err := json.Unmarshal(v, &forms); err != nil {
				t.Errorf("%s: %s is neither a text nor plural forms: %v", name, id, err)
				continue
			}
			f.messages[id] = catMessage{forms: forms, plural: true}
		}
		files = append(files, f)
	}
	return files
}

// catMessagesOf returns the messages of lang over every file, by ID, and
// the file that holds each.
func catMessagesOf(t *testing.T, files []catFile, lang recommend.Lang) (map[string]catMessage, map[string]string) {
	t.Helper()
	msgs, where := map[string]catMessage{}, map[string]string{}
	for _, f := range files {
		if f.lang != lang {
			continue
		}
		for id, m := range f.messages {
			if other, dup := where[id]; dup {
				t.Errorf("%s: %s is also in %s", f.name, id, other)
			}
			msgs[id], where[id] = m, f.name
		}
	}
	return msgs, where
}

func catTexts(t *testing.T) *recommend.Texts {
	t.Helper()
	texts, err := recommend.NewTexts(catalogue.Builtin().Messages)
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

var (
	catAction      = regexp.MustCompile(`\{\{.*?\}\}`)
	catActionField = regexp.MustCompile(`(?:^|[^\w.)])\.([A-Za-z_]\w*)`)
	catNeutral     = regexp.MustCompile("^(`[^`]+`|[0-9\\s.,:;/=()%+×−–-]*)$")
)

// catPlaceholders returns the sorted names of the args a template reads.
func catPlaceholders(text string) []string {
	set := map[string]bool{}
	for _, action := range catAction.FindAllString(text, -1) {
		for _, m := range catActionField.FindAllStringSubmatch(action, -1) {
			set[m[1]] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// catIsCode reports whether an English text is only a code, a number or
// placeholders between signs: the one kind a translation may keep.
func catIsCode(text string) bool {
	return catNeutral.MatchString(strings.TrimSpace(catAction.ReplaceAllString(text, "")))
}

// catWordsToAvoid are the words of ../shared/terminology-nb.md that a
// bokmål text never uses; "koordinator" is avoided alone.
var catWordsToAvoid = map[string]*regexp.Regexp{
	"avvik":             regexp.MustCompile(`(?i)avvik`),
	"individuell plan":  regexp.MustCompile(`(?i)individuel\w*\s+plan`),
	"aktivitetsplan":    regexp.MustCompile(`(?i)aktivitetsplan`),
	"oppfølgingsplan":   regexp.MustCompile(`(?i)oppfølgingsplan`),
	"dialogmøte":        regexp.MustCompile(`(?i)dialogmøte`),
	"ansvarsgruppemøte": regexp.MustCompile(`(?i)ansvarsgruppemøte`),
	"koordinator alone": regexp.MustCompile(`(?i)(^|[^\p{L}])koordinator`),
}

func TestMessagesCatalogueFilesPaired(t *testing.T) {
	files := catFiles(t)
	have := map[[2]string]catFile{}
	for _, f := range files {
		have[[2]string{f.theme, string(f.lang)}] = f
	}
	for _, f := range files {
		for _, lang := range recommend.Langs() {
			other, ok := have[[2]string{f.theme, string(lang)}]
			if !ok {
				t.Errorf("%s has no %s file beside it (%s.%s.json)", f.name, lang, f.theme, lang)
				continue
			}
			for id := range f.messages {
				if _, ok := other.messages[id]; !ok {
					t.Errorf("%s: %s is missing (it is in %s)", other.name, id, f.name)
				}
			}
		}
	}
}

func TestMessagesCatalogueIDs(t *testing.T) {
	texts := catTexts(t)
	files := catFiles(t)
	for _, lang := range recommend.Langs() {
		ids := texts.IDs(lang)
		msgs, where := catMessagesOf(t, files, lang)
		for _, id := range slices.Sorted(maps.Keys(msgs)) {
			if !slices.Contains(ids, id) {
				t.Errorf("%s: %s is not among the IDs of the texts", where[id], id)
			}
		}
		for _, id := range texts.IDs(recommend.English) {
			if !texts.Has(lang, id) {
				t.Errorf("%s: %s is missing", lang, id)
			}
		}
		for _, id := range ids {
			if !texts.Has(recommend.English, id) {
				t.Errorf("%s: %s is not an English message", lang, id)
			}
		}
	}
}

// TestMessagesCatalogueUsed holds that every message the rules use exists in
// every language: title, statement and rationale, the message and remedy of
// each reason, each fix, each parameter.
func TestMessagesCatalogueUsed(t *testing.T) {
	texts := catTexts(t)
	for _, r := range catalogue.Builtin().Rules {
		ids := []string{r.ID + ".title", r.ID + ".statement", r.ID + ".rationale"}
		for _, reason := range r.Reasons {
			ids = append(ids, r.ID+"."+reason+".message", r.ID+"."+reason+".remedy")
		}
		for _, fix := range r.Fixes {
			ids = append(ids, r.ID+".fix."+fix)
		}
		for _, p := range r.Params {
			ids = append(ids, "param."+p.Name)
		}
		ids = append(ids, "theme."+string(r.Theme), "severity."+string(r.Severity), "phase."+string(r.Phase))
		for _, id := range ids {
			for _, lang := range recommend.Langs() {
				if !texts.Has(lang, id) {
					t.Errorf("%s: %s uses %s, which is missing", lang, r.ID, id)
				}
			}
		}
	}
}

func TestMessagesCatalogueTemplates(t *testing.T) {
	files := catFiles(t)
	en, _ := catMessagesOf(t, files, recommend.English)
	for _, lang := range recommend.Langs() {
		if lang == recommend.English {
			continue
		}
		msgs, where := catMessagesOf(t, files, lang)
		for _, id := range slices.Sorted(maps.Keys(msgs)) {
			m, src := msgs[id], en[id]
			if src.forms == nil {
				continue // reported by TestMessagesCatalogueIDs
			}
			if src.plural != m.plural {
				t.Errorf("%s: %s: plural forms in English: %v, here: %v", where[id], id, src.plural, m.plural)
				continue
			}
			if m.plural && !slices.Equal(slices.Sorted(maps.Keys(m.forms)), []string{"one", "other"}) {
				t.Errorf("%s: %s: the plural forms of %s are one and other, not %v", where[id], id, lang, slices.Sorted(maps.Keys(m.forms)))
			}
			for form, text := range m.forms {
				want, ok := src.forms[form]
				if !ok {
					want = src.forms["other"]
				}
				if _, err := template.New(id).Parse(text); err != nil {
					t.Errorf("%s: %s: %v", where[id], id, err)
				}
				if got, wantP := catPlaceholders(text), catPlaceholders(want); !slices.Equal(got, wantP) {
					t.Errorf("%s: %s (%s): placeholders %v, English has %v", where[id], id, form, got, wantP)
				}
				if text == want && !catIsCode(want) {
					t.Errorf("%s: %s (%s) is the English text %q", where[id], id, form, text)
				}
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s: %s (%s) is empty", where[id], id, form)
				}
			}
		}
	}
}

func TestMessagesCatalogueWordsToAvoid(t *testing.T) {
	files := catFiles(t)
	msgs, where := catMessagesOf(t, files, recommend.Bokmal)
	for _, id := range slices.Sorted(maps.Keys(msgs)) {
		for form, text := range msgs[id].forms {
			for word, re := range catWordsToAvoid {
				if re.MatchString(text) {
					t.Errorf("%s: %s (%s) uses %q, a word to avoid (terminology-nb.md): %q", where[id], id, form, word, text)
				}
			}
		}
	}
}

// TestMessagesCatalogueRendered checks every gap case of the rules in
// bokmål: each finding's subject, message, remedy and fixes render from
// the message files with the finding's args, and none is the English one.
func TestMessagesCatalogueRendered(t *testing.T) {
	for _, tc := range allCases() {
		if tc.outcome != outGap {
			continue
		}
		t.Run(tc.id+"/"+tc.name, func(t *testing.T) {
			texts := map[recommend.Lang][]string{}
			for _, lang := range recommend.Langs() {
				c := reference(t)
				if tc.mutate != nil {
					tc.mutate(c)
				}
				res := resultFor(t, mustEngine(t, tc.policy, recommend.WithLang(lang)).Check(c), tc.id)
				for _, f := range res.Findings {
					out := []string{f.Subject, f.Message, f.Remedy}
					for _, fx := range f.Fixes {
						out = append(out, fx.Message)
					}
					for _, text := range out {
						if text == "" || strings.Contains(text, "<no value>") || strings.Contains(text, f.Code) {
							t.Errorf("%s: %s renders as %q", lang, f.Code, text)
						}
					}
					texts[lang] = append(texts[lang], out...)
				}
			}
			en := texts[recommend.English]
			for i, text := range texts[recommend.Bokmal] {
				if i < len(en) && text == en[i] && !catIsCode(text) {
					t.Errorf("nb: %q is the English text", text)
				}
			}
		})
	}
}
