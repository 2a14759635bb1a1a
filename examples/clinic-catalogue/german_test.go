package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/collabmeet/collabmeet/internal/cataloguedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/recommendtest"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// messageTexts reads every message of the files of fsys in lang: ID →
// its texts (one, or a plural's forms).
func messageTexts(t *testing.T, fsys fs.FS, lang string) map[string][]string {
	t.Helper()
	names, err := fs.Glob(fsys, "*.json")
	require.NoError(t, err)
	out := map[string][]string{}
	for _, name := range names {
		if !strings.HasSuffix(name, "."+lang+".json") && name != lang+".json" {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		require.NoError(t, err)
		var file map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(data, &file), name)
		for id, raw := range file {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				out[id] = []string{s}
				continue
			}
			var forms map[string]string
			require.NoError(t, json.Unmarshal(raw, &forms), "%s: %s", name, id)
			out[id] = slices.Sorted(maps.Values(forms))
		}
	}
	return out
}

var templateAction = regexp.MustCompile(`\{\{.*?\}\}`)

// englishFragments returns the English of collabmeet's own message files
// that must not show in the clinic's German output: each text of the
// engine, the report renderers, recommendtest, the catalogue's
// documentation and the built-in catalogue, cut at its placeholders into
// the fragments a reader would see. Left out are fragments the clinic's
// German text of the same ID has too ("{{.percent}} %"), fragments of
// fewer than three letters (signs, numbers, "at"), and fragments that are a
// code (an ID's last part: "gap", "required", "minutes"), which machine
// formats write as codes.
func englishFragments(t *testing.T) []string {
	t.Helper()
	de := messageTexts(t, os.DirFS("messages"), "de")
	sources := append(recommendtest.LabelMessages(), catalogue.Builtin().Messages)
	english := map[string][]string{}
	for _, fsys := range sources {
		maps.Copy(english, messageTexts(t, fsys, "en"))
	}
	codes := map[string]bool{}
	for id := range english {
		for part := range strings.SplitSeq(id, ".") {
			codes[part] = true
			codes[strings.ReplaceAll(part, "_", " ")] = true
		}
	}
	set := map[string]bool{}
	for id, texts := range english {
		german := strings.Join(de[id], "\n")
		for _, text := range texts {
			for _, frag := range templateAction.Split(text, -1) {
				frag = strings.TrimFunc(frag, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
				letters := 0
				for _, r := range frag {
					if unicode.IsLetter(r) {
						letters++
					}
				}
				if letters >= 3 && !codes[frag] && !strings.Contains(german, frag) {
					set[frag] = true
				}
			}
		}
	}
	require.Greater(t, len(set), len(english)/2, "most texts give a fragment")
	return slices.Sorted(maps.Keys(set))
}

// builtinIDs returns the IDs of the built-in catalogue's recommendations.
func builtinIDs(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, r := range catalogue.Builtin().Rules {
		out = append(out, r.ID)
	}
	require.NotEmpty(t, out)
	return out
}

// wordChar is a rune that continues a word, or a code or path
// ("duration_minutes", "meeting.platform").
func wordChar(s string, i int, next bool) bool {
	r, n := utf8.DecodeRuneInString(s[i:])
	if !next {
		r, n = utf8.DecodeLastRuneInString(s[:i+1])
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
		return true
	}
	if r != '.' {
		return false
	}
	// a dot between letters is a path's
	if next {
		r2, _ := utf8.DecodeRuneInString(s[i+n:])
		return unicode.IsLetter(r2)
	}
	r2, _ := utf8.DecodeLastRuneInString(s[:i+1-n])
	return unicode.IsLetter(r2)
}

// containsWord reports whether s has word as a whole word (not part of a
// longer word, code or path).
func containsWord(s, word string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], word)
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(word)
		if (start == 0 || !wordChar(s, start-1, false)) && (end == len(s) || !wordChar(s, end, true)) {
			return true
		}
		off = start + 1
	}
}

// outputs renders everything a person reads about the clinic's case in
// lang: check in every report format and aggregate format, the catalogue and
// explain of each recommendation, and recommendtest's failure messages.
func outputs(t *testing.T, lang recommend.Lang) map[string]string {
	t.Helper()
	cat, err := Catalogue()
	require.NoError(t, err)
	e, err := recommend.New(cat, recommend.Policy{}, recommend.WithLang(lang))
	require.NoError(t, err)
	rep := e.Check(Case())
	out := map[string]string{}
	opts := report.Options{Engine: e, Lang: lang}
	for _, f := range report.Formats() {
		if f.Report != nil {
			var b bytes.Buffer
			require.NoError(t, f.Report(&b, opts, rep), f.Name)
			out["check "+f.Name] = b.String()
		}
		if f.Aggregate != nil {
			agg := &recommend.Aggregate{}
			agg.Add(rep)
			var b bytes.Buffer
			require.NoError(t, f.Aggregate(&b, opts, agg), f.Name)
			out["aggregate "+f.Name] = b.String()
		}
	}
	for _, r := range e.Recommendations() {
		var b bytes.Buffer
		require.NoError(t, cataloguedoc.Explain(&b, e, lang, r))
		out["explain "+r.ID] = b.String()
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"catalogue text":     func(b *bytes.Buffer) error { return cataloguedoc.Text(b, e, lang) },
		"catalogue markdown": func(b *bytes.Buffer) error { return cataloguedoc.Markdown(b, e, lang) },
		"catalogue json":     func(b *bytes.Buffer) error { return cataloguedoc.JSON(b, e, lang) },
	} {
		var b bytes.Buffer
		require.NoError(t, write(&b))
		out[name] = b.String()
	}

	withEngine := recommendtest.WithEngine(e)
	out["recommendtest Check"] = fmt.Sprint(recommendtest.Check(Case(), withEngine))
	compliant := Case()
	compliant.Meeting.Platform, compliant.Meeting.DurationMinutes = "klinik-video-3", 45
	for name, fails := range map[string]func(recommendtest.TestingT) bool{
		"AssertCompliant": func(ft recommendtest.TestingT) bool { return recommendtest.AssertCompliant(ft, Case(), withEngine) },
		"AssertGap on a pass": func(ft recommendtest.TestingT) bool {
			return recommendtest.AssertGap(ft, compliant, "ROOM-01", withEngine)
		},
		"AssertGap on no result": func(ft recommendtest.TestingT) bool {
			return recommendtest.AssertGap(ft, Case(), "ROOM-99", withEngine)
		},
		"AssertNoGap on a gap": func(ft recommendtest.TestingT) bool {
			return recommendtest.AssertNoGap(ft, Case(), "REC-01", withEngine)
		},
		"AssertCompliant FailOn": func(ft recommendtest.TestingT) bool {
			return recommendtest.AssertCompliant(ft, Case(), withEngine, recommendtest.FailOn(recommend.SeverityAdvisory))
		},
	} {
		ft := &fakeT{}
		require.False(t, fails(ft), name)
		require.Len(t, ft.errors, 1, name)
		out["recommendtest "+name] = ft.errors[0]
	}
	assert.Empty(t, e.Texts().Missing(), "no text shows its message ID")
	return out
}

// fakeT records the failures of recommendtest's assertions.
type fakeT struct{ errors []string }

func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeT) Helper() {}

// TestGermanIsWhole: the clinic's German is complete (every message of the
// engine, the renderers, recommendtest and the catalogue's documentation
// has its German, with the same placeholders), and no English text of
// collabmeet's message files, no built-in recommendation ID and no
// built-in title shows in anything the clinic's German reader sees.
func TestGermanIsWhole(t *testing.T) {
	cat, err := Catalogue()
	require.NoError(t, err)
	require.NoError(t, recommendtest.CheckLang(cat, language.German), "the clinic's German is complete")
	require.NoError(t, recommendtest.CheckLang(cat, recommend.English))
	require.NoError(t, recommend.CheckMessages(os.DirFS("messages"), recommendtest.LabelMessages()...), "every text in English and German, the labels' German too")

	english := englishFragments(t)
	ids := builtinIDs(t)
	titles := builtinTexts(t)
	out := outputs(t, language.German)
	require.NotEmpty(t, out)
	for name, got := range out {
		t.Run(name, func(t *testing.T) {
			require.NotEmpty(t, got)
			read := readable(name, got)
			var found []string
			for _, s := range english {
				if containsWord(read, s) {
					found = append(found, s)
				}
			}
			assert.Empty(t, found, "English of collabmeet's messages in:\n%s", read)
			for _, id := range ids {
				assert.False(t, containsWord(got, id), "built-in ID %s", id)
			}
			for _, s := range titles {
				assert.NotContains(t, got, s)
			}
		})
	}
	assert.Contains(t, out["check text"], "So beheben Sie es:", "the renderers' labels are German")
	assert.Contains(t, out["recommendtest AssertCompliant"], "ist nicht konform (Schwelle verpflichtend): 1 Lücke:")
	assert.Contains(t, out["recommendtest AssertGap on a pass"], "erwartet eine Lücke bei ROOM-01, erhalten: erfüllt")
	assert.Contains(t, out["recommendtest AssertGap on no result"], "kein Ergebnis für ROOM-99")
	assert.Contains(t, out["explain ROOM-01"], "Was geprüft wird")
}

var (
	styleBlock = regexp.MustCompile(`(?s)<style>.*?</style>`)
	markupTag  = regexp.MustCompile(`(?s)<[^>]*>`)
	readAttr   = regexp.MustCompile(`\b(?:title|aria-label|alt|message|name)="([^"]*)"`)
)

// readable is what a person reads of an output: of JSON, the string values,
// not the keys, which are codes; of HTML and XML, the text and the
// attributes that are read (a title, a label, a JUnit message), not the
// style sheet, the tags and their classes, which are codes.
func readable(name, out string) string {
	if strings.HasSuffix(name, "json") || strings.HasSuffix(name, "fhir") {
		var values []string
		dec := json.NewDecoder(strings.NewReader(out))
		for {
			var v any
			if err := dec.Decode(&v); err != nil {
				return strings.Join(values, "\n")
			}
			values = append(values, jsonStrings(v)...)
		}
	}
	if !strings.HasSuffix(name, "html") && !strings.HasSuffix(name, "junit") {
		return out
	}
	out = styleBlock.ReplaceAllString(out, "")
	return markupTag.ReplaceAllStringFunc(out, func(tag string) string {
		var b strings.Builder
		for _, m := range readAttr.FindAllStringSubmatch(tag, -1) {
			b.WriteString(" " + m[1] + " ")
		}
		return b.String()
	})
}

// jsonStrings returns the string values in v, depth first.
func jsonStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, jsonStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			out = append(out, jsonStrings(x[k])...)
		}
		return out
	}
	return nil
}

// TestEnglishFragmentsShowInEnglish: the same check finds collabmeet's
// English in the clinic's English output, so it would find a label that
// falls back to English in German. (The CSV table and the aggregate JSON
// are codes and numbers only: they have no label in any language.)
func TestEnglishFragmentsShowInEnglish(t *testing.T) {
	english := englishFragments(t)
	out := outputs(t, recommend.English)
	for _, name := range []string{"check text", "check html", "check markdown", "check junit", "check fhir", "explain ROOM-01", "catalogue text", "recommendtest AssertCompliant"} {
		read := readable(name, out[name])
		found := slices.ContainsFunc(english, func(s string) bool { return containsWord(read, s) })
		assert.True(t, found, "%s: %s", name, out[name])
	}
}

func TestContainsWord(t *testing.T) {
	tests := []struct {
		s, word string
		want    bool
	}{
		{"What to do: x", "What to do", true},
		{"No results.", "No results", true},
		{"meeting.duration_minutes", "minutes", false},
		{"meeting.platform", "platform", false},
		{"Plattform", "platform", false},
		{"Gaps", "gaps", false},
		{"a gaps b", "gaps", true},
		{"Übergaps", "gaps", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, containsWord(tt.s, tt.word), "%q in %q", tt.word, tt.s)
	}
}
