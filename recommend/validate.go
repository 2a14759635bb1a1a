package recommend

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/collabmeet/collabmeet/validation"
)

// ErrRuleSet is wrapped by the error of New and ValidateRules for a rule set
// that is not well-formed.
var ErrRuleSet = errors.New("invalid rule set")

// ValidateRules reports whether rules form a well-formed rule set, in the
// manner of analysis.Validate, listing every problem at once (the error is a
// *validation.Error wrapping ErrRuleSet whose paths are "rules[i]" or the ID):
//
//   - every ID is PREFIX-SUFFIX: PREFIX an upper-case letter followed by up to
//     nine upper-case letters or digits, SUFFIX up to 16 letters or digits
//     ("PC-05", "ACME-7", "OSLO2-A1"); IDs are unique;
//   - every rule has a Check function;
//   - Theme is a snake_case ID (Catalogue.Validate and New check that it is
//     one of the catalogue's themes); Severity and Phase are known values;
//     MinProfile is empty or known;
//   - every parameter has a snake_case name, unique within its rule, a known
//     unit and a default within its range; a name declared by several rules
//     (one namespace) has the same unit and default in each;
//   - every reason is snake_case and declared once.
//
// New also refuses custom rules (WithRules) whose prefix is one the
// catalogue's rules or themes use, rules whose texts are missing (see Texts), and
// rules whose Source is set in Go to another text than their message
// "<ID>.source" (see Recommendation.Source).
func ValidateRules(rules []Rule) error { return validateRules(nil, rules, len(rules), nil) }

// validateRules validates a catalogue's themes, rules and languages; the
// rules from index custom on are custom rules. With no themes, a rule's
// theme need only be snake_case.
func validateRules(themes []ThemeDef, rules []Rule, custom int, langs []Lang) error {
	var l validation.List
	ids := make(map[string]int, len(rules))
	prefixes := make(map[string]bool)
	themeIDs := make([]Theme, 0, len(themes))
	for i, d := range themes {
		path := fmt.Sprintf("themes[%d]", i)
		switch {
		case !snakeCase(string(d.ID)):
			l.Addf(path, "theme ID %s is not snake_case", validation.Quote(string(d.ID)))
		case slices.Contains(themeIDs, d.ID):
			l.Addf(path, "theme %s declared twice", d.ID)
		}
		themeIDs = append(themeIDs, d.ID)
		if d.Prefix != "" {
			if _, ok := splitID(d.Prefix + "-1"); !ok {
				l.Addf(path, "prefix %s is not an ID prefix (such as PC)", validation.Quote(d.Prefix))
			} else if prefixes[d.Prefix] {
				l.Addf(path, "prefix %s of two themes", d.Prefix)
			}
			prefixes[d.Prefix] = true
		}
	}
	for i, lang := range langs {
		if lang == (Lang{}) || lang.IsRoot() {
			l.Addf(fmt.Sprintf("langs[%d]", i), "not a language")
		}
	}
	for i := range rules[:custom] {
		if prefix, ok := splitID(rules[i].ID); ok {
			prefixes[prefix] = true
		}
	}
	shared := make(map[string]Param)
	for i := range rules {
		r := &rules[i]
		path := fmt.Sprintf("rules[%d]", i)
		if r.ID != "" {
			path = validation.Quote(r.ID)
		}
		prefix, ok := splitID(r.ID)
		switch {
		case r.ID == "":
			l.Addf(path, "ID is required")
		case !ok:
			l.Addf(path, "ID is not PREFIX-SUFFIX (such as ACME-01)")
		case i >= custom && prefixes[prefix]:
			l.Addf(path, "custom rule uses the catalogue prefix %s: choose a prefix of your own, such as ACME-01", prefix)
		}
		if j, dup := ids[r.ID]; dup && r.ID != "" {
			l.Addf(path, "duplicate ID (first at rules[%d])", j)
		} else {
			ids[r.ID] = i
		}
		if r.Check == nil {
			l.Addf(path, "Check function is required")
		}
		switch {
		case len(themes) > 0 && !slices.Contains(themeIDs, r.Theme):
			l.Addf(path, "unknown theme %s (want one of %s)", validation.Quote(string(r.Theme)), joinValues(themeIDs))
		case !snakeCase(string(r.Theme)):
			l.Addf(path, "theme %s is not snake_case", validation.Quote(string(r.Theme)))
		}
		if !r.Severity.Valid() {
			l.Addf(path, "unknown severity %s (want one of %s)", validation.Quote(string(r.Severity)), joinValues(Severities()))
		}
		if !r.Phase.Valid() {
			l.Addf(path, "unknown phase %s (want before or after)", validation.Quote(string(r.Phase)))
		}
		if r.MinProfile != "" && !r.MinProfile.Valid() {
			l.Addf(path, "unknown minimum profile %s (want one of %s)", validation.Quote(string(r.MinProfile)), joinValues(Profiles()))
		}
		for k, reason := range r.Fixes {
			if !snakeCase(reason) || slices.Contains(r.Fixes[:k], reason) {
				l.Addf(fmt.Sprintf("%s.fixes[%d]", path, k), "fix reason %s is not snake_case or declared twice", validation.Quote(reason))
			}
		}
		for k, reason := range r.Reasons {
			if !snakeCase(reason) {
				l.Addf(fmt.Sprintf("%s.reasons[%d]", path, k), "reason %s is not snake_case", validation.Quote(reason))
			} else if slices.Contains(r.Reasons[:k], reason) {
				l.Addf(fmt.Sprintf("%s.reasons[%d]", path, k), "reason %s declared twice", reason)
			}
		}
		for k, p := range r.Params {
			ppath := fmt.Sprintf("%s.params[%d]", path, k)
			if !snakeCase(p.Name) {
				l.Addf(ppath, "name %s is not snake_case", validation.Quote(p.Name))
			}
			if slices.ContainsFunc(r.Params[:k], func(q Param) bool { return q.Name == p.Name }) {
				l.Addf(ppath, "parameter %s declared twice", p.Name)
			}
			if code, kv := p.check(p.Default); code != "" {
				l.Addf(ppath, "parameter %s: default %s", p.Name, validation.Coded("", code, kv...).Message)
				continue
			}
			if q, seen := shared[p.Name]; seen {
				if q != p {
					l.Addf(ppath, "parameter %s is declared elsewhere with unit %s and default %d: one name, one unit and default", p.Name, q.Unit, q.Default)
				}
			} else {
				shared[p.Name] = p
			}
		}
	}
	if len(l.Problems) == 0 {
		return nil
	}
	return &validation.Error{Problems: l.Problems, Err: ErrRuleSet}
}

// validateTexts reports every text of a valid rule set that is missing in
// English, the source language of every message file.
func validateTexts(themes []ThemeDef, rules []Rule, t *Texts) error {
	var l validation.List
	need := func(path, id string) {
		if !t.Has(English, id) {
			l.Addf(path, "no English message %q", id)
		}
	}
	for i, d := range themes {
		need(fmt.Sprintf("themes[%d]", i), "theme."+string(d.ID))
	}
	params := make(map[string]bool)
	for i := range rules {
		r := &rules[i]
		for _, part := range []string{"title", "statement", "rationale"} {
			need(r.ID, r.ID+"."+part)
		}
		for _, reason := range r.Reasons {
			need(r.ID, r.Code(reason)+".message")
			need(r.ID, r.Code(reason)+".remedy")
		}
		for _, reason := range r.Fixes {
			need(r.ID, r.ID+".fix."+reason)
		}
		for _, p := range r.Params {
			if !params[p.Name] {
				params[p.Name] = true
				need(r.ID, "param."+p.Name)
			}
		}
	}
	if len(l.Problems) == 0 {
		return nil
	}
	return &validation.Error{Problems: l.Problems, Err: ErrRuleSet}
}

// sourcesFromTexts fills the Source of every rule whose source is a
// message, "<ID>.source", with its English text, and refuses a rule whose
// Source is set in Go to another text than that message: a text lives in
// one place (see Recommendation.Source).
func sourcesFromTexts(rules []Rule, t *Texts) error {
	var l validation.List
	for i := range rules {
		r := &rules[i].Recommendation
		id := r.ID + ".source"
		if !t.Has(English, id) {
			continue
		}
		switch msg := t.Text(English, id, nil); r.Source {
		case "":
			r.Source = msg
		case msg:
		default:
			l.Addf(validation.Quote(r.ID), "Source is set in Go to another text than the message %q: keep the source in the message files alone", id)
		}
	}
	if len(l.Problems) == 0 {
		return nil
	}
	return &validation.Error{Problems: l.Problems, Err: ErrRuleSet}
}

// splitID splits "PC-05" into its prefix and reports whether the ID is well-formed.
func splitID(id string) (prefix string, ok bool) {
	prefix, suffix, found := strings.Cut(id, "-")
	if !found || len(prefix) == 0 || len(prefix) > 10 || len(suffix) == 0 || len(suffix) > 16 {
		return prefix, false
	}
	if prefix[0] < 'A' || prefix[0] > 'Z' {
		return prefix, false
	}
	for i := 0; i < len(prefix); i++ {
		if c := prefix[i]; !(c >= 'A' && c <= 'Z' || isDigit(c)) {
			return prefix, false
		}
	}
	for i := 0; i < len(suffix); i++ {
		if c := suffix[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || isDigit(c)) {
			return prefix, false
		}
	}
	return prefix, true
}

func snakeCase(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || isDigit(c) || c == '_') {
			return false
		}
	}
	return true
}
