// Package terminology holds the words a Norwegian bokmål text of
// collabmeet never uses (the list below): they have a fixed,
// different meaning in Norwegian health and welfare services. The message
// tests of the engine and of the catalogue check their bokmål files with it.
package terminology

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"strings"
)

// wordsToAvoid maps each word to avoid to what finds it. "koordinator" is
// avoided alone: "forløpskoordinator" is the term.
var wordsToAvoid = map[string]*regexp.Regexp{
	"avvik":             regexp.MustCompile(`(?i)avvik`),
	"individuell plan":  regexp.MustCompile(`(?i)individuel\w*\s+plan`),
	"aktivitetsplan":    regexp.MustCompile(`(?i)aktivitetsplan`),
	"oppfølgingsplan":   regexp.MustCompile(`(?i)oppfølgingsplan`),
	"dialogmøte":        regexp.MustCompile(`(?i)dialogmøte`),
	"ansvarsgruppemøte": regexp.MustCompile(`(?i)ansvarsgruppemøte`),
	"koordinator alone": regexp.MustCompile(`(?i)(^|[^\p{L}])koordinator`),
}

// Avoided returns the words to avoid that text uses, sorted.
func Avoided(text string) []string {
	var out []string
	for word, re := range wordsToAvoid {
		if re.MatchString(text) {
			out = append(out, word)
		}
	}
	slices.Sort(out)
	return out
}

// CheckBokmal returns a line "FILE: ID uses WORD" for every message of the
// *.nb.json files of fsys (plural forms included) that uses a word to avoid.
func CheckBokmal(fsys fs.FS) ([]string, error) {
	names, err := fs.Glob(fsys, "*.nb.json")
	if err != nil {
		return nil, err
	}
	if plain, _ := fs.Glob(fsys, "nb.json"); len(plain) > 0 {
		names = append(names, plain...)
	}
	var problems []string
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, err
		}
		for id, v := range raw {
			var texts []string
			switch x := v.(type) {
			case string:
				texts = append(texts, x)
			case map[string]any:
				for _, form := range x {
					if s, ok := form.(string); ok {
						texts = append(texts, s)
					}
				}
			}
			for _, text := range texts {
				for _, word := range Avoided(text) {
					problems = append(problems, name+": "+id+" uses "+word+": "+strings.TrimSpace(text))
				}
			}
		}
	}
	slices.Sort(problems)
	return problems, nil
}
