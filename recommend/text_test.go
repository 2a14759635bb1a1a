package recommend_test

import (
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
)

// The completeness of the engine's message files (recommend/messages): the
// report labels, subjects, units and vocabularies. English is the source;
// every other language has the same messages, the same placeholders and the
// same plural structure, and reads as itself (no text left in English).

// engineMessage is one message of a message file: a text, or its CLDR
// plural forms ("one", "other").
type engineMessage struct {
	forms  map[string]string
	plural bool
}

// engineMessageFile is a message file NAME.LANG.json (or LANG.json) read
// from the engine's message directory.
type engineMessageFile struct {
	name     string // the file name
	base     string // NAME, "" for LANG.json
	lang     recommend.Lang
	messages map[string]engineMessage
}

// engineMessageFiles reads every *.json file of the engine's message
// directory, as a translator sees it.
func engineMessageFiles(t *testing.T) []engineMessageFile {
	t.Helper()
	fsys := os.DirFS("messages")
	names, err := fs.Glob(fsys, "*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no message files in recommend/messages: %v", err)
	}
	var files []engineMessageFile
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
		f := engineMessageFile{name: name, messages: map[string]engineMessage{}}
		if i := strings.LastIndexByte(stem, '.'); i >= 0 {
			f.base, f.lang = stem[:i], recommend.Lang(stem[i+1:])
		} else {
			f.lang = recommend.Lang(stem)
		}
		if !f.lang.Valid() {
			t.Errorf("%s: language %q is not one of %v", name, f.lang, recommend.Langs())
		}
		for id, v := range raw {
			var s string
			if err := json.Unmarshal(v, &s); err == nil {
				f.messages[id] = engineMessage{forms: map[string]string{"other": s}}
				continue
			}
			var forms map[string]string
			if err := json.Unmarshal(v, &forms); err != nil {
				t.Errorf("%s: %s is neither a text nor plural forms: %v", name, id, err)
				continue
			}
			f.messages[id] = engineMessage{forms: forms, plural: true}
		}
		files = append(files, f)
	}
	return files
}

// engineMessagesOf returns the messages of lang over every file, by ID,
// and the file that holds each.
func engineMessagesOf(t *testing.T, files []engineMessageFile, lang recommend.Lang) (map[string]engineMessage, map[string]string) {
	t.Helper()
	msgs, where := map[string]engineMessage{}, map[string]string{}
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

var (
	engineAction      = regexp.MustCompile(`\{\{.*?\}\}`)
	engineActionField = regexp.MustCompile(`(?:^|[^\w.)])\.([A-Za-z_]\w*)`)
)

// enginePlaceholders returns the sorted names of the args a template
// reads: "{{.days}} ({{.role}})" → [days role].
func enginePlaceholders(text string) []string {
	set := map[string]bool{}
	for _, action := range engineAction.FindAllString(text, -1) {
		for _, m := range engineActionField.FindAllStringSubmatch(action, -1) {
			set[m[1]] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// engineNeutral matches a text that is only a code or numbers and signs.
var engineNeutral = regexp.MustCompile("^(`[^`]+`|[0-9\\s.,:;/=()%+×−–-]*)$")

// engineIsCode reports whether an English text is only a code, a number or
// placeholders between signs ("{{.percent}} %", "n={{.cases}}"): the one
// kind of text a translation may leave as it is.
func engineIsCode(text string) bool {
	text = engineAction.ReplaceAllString(text, "")
	text = strings.TrimPrefix(strings.TrimSpace(text), "n=")
	return engineNeutral.MatchString(text)
}

// engineWordsToAvoid are the words of ../shared/terminology-nb.md that a
// bokmål text never uses: they have a fixed, different meaning in
// Norwegian health and welfare services. "koordinator" is avoided alone
// ("forløpskoordinator" is the term).
var engineWordsToAvoid = map[string]*regexp.Regexp{
	"avvik":             regexp.MustCompile(`(?i)avvik`),
	"individuell plan":  regexp.MustCompile(`(?i)individuel\w*\s+plan`),
	"aktivitetsplan":    regexp.MustCompile(`(?i)aktivitetsplan`),
	"oppfølgingsplan":   regexp.MustCompile(`(?i)oppfølgingsplan`),
	"dialogmøte":        regexp.MustCompile(`(?i)dialogmøte`),
	"ansvarsgruppemøte": regexp.MustCompile(`(?i)ansvarsgruppemøte`),
	"koordinator alone": regexp.MustCompile(`(?i)(^|[^\p{L}])koordinator`),
}

func TestMessagesEngineFilesPaired(t *testing.T) {
	files := engineMessageFiles(t)
	have := map[[2]string]engineMessageFile{}
	for _, f := range files {
		have[[2]string{f.base, string(f.lang)}] = f
	}
	for _, f := range files {
		for _, lang := range recommend.Langs() {
			other, ok := have[[2]string{f.base, string(lang)}]
			if !ok {
				t.Errorf("%s has no %s file beside it", f.name, lang)
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

func TestMessagesEngineIDs(t *testing.T) {
	texts, err := recommend.NewTexts()
	if err != nil {
		t.Fatal(err)
	}
	engine := recommend.EngineTexts()
	files := engineMessageFiles(t)
	en := engine.IDs(recommend.English)
	if len(en) == 0 {
		t.Fatal("the engine has no English messages")
	}
	for _, lang := range recommend.Langs() {
		ids := engine.IDs(lang)
		if !slices.Equal(ids, texts.IDs(lang)) {
			t.Errorf("%s: EngineTexts and NewTexts() have different IDs", lang)
		}
		msgs, _ := engineMessagesOf(t, files, lang)
		if fileIDs := slices.Sorted(maps.Keys(msgs)); !slices.Equal(ids, fileIDs) {
			t.Errorf("%s: the IDs of the texts are not those of the files:\n texts %v\n files %v", lang, ids, fileIDs)
		}
		for _, id := range en {
			if !engine.Has(lang, id) {
				t.Errorf("%s: %s is missing", lang, id)
			}
		}
		for _, id := range ids {
			if !engine.Has(recommend.English, id) {
				t.Errorf("%s: %s is not an English message", lang, id)
			}
		}
	}
}

func TestMessagesEngineTemplates(t *testing.T) {
	files := engineMessageFiles(t)
	en, _ := engineMessagesOf(t, files, recommend.English)
	for _, lang := range recommend.Langs() {
		if lang == recommend.English {
			continue
		}
		msgs, where := engineMessagesOf(t, files, lang)
		for _, id := range slices.Sorted(maps.Keys(msgs)) {
			m, src := msgs[id], en[id]
			if src.forms == nil {
				continue // reported by TestMessagesEngineIDs
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
				if got, wantP := enginePlaceholders(text), enginePlaceholders(want); !slices.Equal(got, wantP) {
					t.Errorf("%s: %s (%s): placeholders %v, English has %v", where[id], id, form, got, wantP)
				}
				if text == want && !engineIsCode(want) {
					t.Errorf("%s: %s (%s) is the English text %q", where[id], id, form, text)
				}
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s: %s (%s) is empty", where[id], id, form)
				}
			}
		}
	}
}

func TestMessagesEngineWordsToAvoid(t *testing.T) {
	files := engineMessageFiles(t)
	msgs, where := engineMessagesOf(t, files, recommend.Bokmal)
	for _, id := range slices.Sorted(maps.Keys(msgs)) {
		for form, text := range msgs[id].forms {
			for word, re := range engineWordsToAvoid {
				if re.MatchString(text) {
					t.Errorf("%s: %s (%s) uses %q, a word to avoid (terminology-nb.md): %q", where[id], id, form, word, text)
				}
			}
		}
	}
}

// TestMessagesEngineRender renders every message in every language with an
// arg for each placeholder: no template error, no missing value.
func TestMessagesEngineRender(t *testing.T) {
	files := engineMessageFiles(t)
	engine := recommend.EngineTexts()
	for _, lang := range recommend.Langs() {
		msgs, where := engineMessagesOf(t, files, lang)
		for _, id := range slices.Sorted(maps.Keys(msgs)) {
			args := recommend.Args{}
			for _, text := range msgs[id].forms {
				for _, p := range enginePlaceholders(text) {
					args[p] = "X"
				}
			}
			for _, count := range []int{1, 2} {
				if msgs[id].plural {
					args["count"] = count
				}
				got := engine.Text(lang, id, args)
				if got == id || got == "" || strings.Contains(got, "<no value>") {
					t.Errorf("%s: %s renders as %q", where[id], id, got)
				}
			}
		}
	}
	if got := engine.Text(recommend.Bokmal, "subject.item", recommend.Args{"item_kind": meeting.ItemDiscussion, "position": 4}); got != "punkt 4 på agendaen (drøfting)" {
		t.Errorf("the subject of a discussion item is %q", got)
	}
	if got := engine.Text(recommend.Bokmal, "subject.participant", recommend.Args{"role": meeting.RoleSocialSecuritySupervisor, "position": 3}); got != "NAV-veileder (deltaker 3)" {
		t.Errorf("the subject of a social-security participant is %q", got)
	}
}
