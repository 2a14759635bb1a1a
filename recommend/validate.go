package recommend

import (
	"errors"
	"fmt"
	"strings"

	"github.com/collabmeet/collabmeet/validation"
)

// ErrRuleSet is wrapped by the error of New and ValidateRules for a rule set
// that is not well-formed.
var ErrRuleSet = errors.New("invalid rule set")

// CataloguePrefixes are the ID prefixes of the built-in catalogue's themes.
// Custom rules added with WithRules must use a prefix of their own, so that
// a future catalogue entry can never collide with them.
var CataloguePrefixes = []string{"PC", "AP", "MC", "CS", "PW"}

// ValidateRules reports whether rules form a well-formed rule set, in the
// manner of analysis.Validate, listing every problem at once (the error is a
// *validation.Error wrapping ErrRuleSet whose paths are "rules[i]" or the ID):
//
//   - every ID is PREFIX-SUFFIX: PREFIX an upper-case letter followed by up to
//     nine upper-case letters or digits, SUFFIX up to 16 letters or digits
//     ("PC-05", "ACME-7", "OSLO2-A1"); IDs are unique;
//   - every rule has a Title and a Check function;
//   - Theme, Severity and Phase are known values; MinProfile is empty or known;
//   - every parameter has a snake_case name, unique within its rule, a Doc and
//     a default of type int (at least 0) or bool; a name declared by several
//     rules (one namespace) has the same type and default in each.
//
// New also refuses custom rules (WithRules) whose prefix is one of
// CataloguePrefixes.
func ValidateRules(rules []Rule) error { return validateRules(rules, len(rules)) }

// validateRules validates rules; those from index custom on are custom rules.
func validateRules(rules []Rule, custom int) error {
	var l validation.List
	ids := make(map[string]int, len(rules))
	shared := make(map[string]Param)
	for i := range rules {
		r := &rules[i]
		path := fmt.Sprintf("rules[%d]", i)
		if r.ID != "" {
			path = r.ID
		}
		prefix, ok := splitID(r.ID)
		switch {
		case r.ID == "":
			l.Addf(path, "ID is required")
		case !ok:
			l.Addf(path, "ID is not PREFIX-SUFFIX (such as ACME-01)")
		case i >= custom && isCataloguePrefix(prefix):
			l.Addf(path, "custom rule uses the catalogue prefix %s: choose a prefix of your own, such as ACME-01", prefix)
		}
		if j, dup := ids[r.ID]; dup && r.ID != "" {
			l.Addf(path, "duplicate ID (first at rules[%d])", j)
		} else {
			ids[r.ID] = i
		}
		if strings.TrimSpace(r.Title) == "" {
			l.Addf(path, "Title is required")
		}
		if r.Check == nil {
			l.Addf(path, "Check function is required")
		}
		if !r.Theme.Valid() {
			l.Addf(path, "unknown theme %q (want one of %s)", r.Theme, joinValues(Themes))
		}
		if !r.Severity.Valid() {
			l.Addf(path, "unknown severity %q (want one of %s)", r.Severity, joinValues(Severities))
		}
		if !r.Phase.Valid() {
			l.Addf(path, "unknown phase %q (want before or after)", r.Phase)
		}
		if r.MinProfile != "" && !r.MinProfile.Valid() {
			l.Addf(path, "unknown minimum profile %q (want one of %s)", r.MinProfile, joinValues(Profiles))
		}
		for k, p := range r.Params {
			ppath := fmt.Sprintf("%s.params[%d]", path, k)
			if !snakeCase(p.Name) {
				l.Addf(ppath, "name %q is not snake_case", p.Name)
			}
			for _, q := range r.Params[:k] {
				if q.Name == p.Name {
					l.Addf(ppath, "parameter %s declared twice", p.Name)
				}
			}
			if strings.TrimSpace(p.Doc) == "" {
				l.Addf(ppath, "parameter %s has no Doc", p.Name)
			}
			switch p.Kind() {
			case "":
				l.Addf(ppath, "parameter %s: default must be an int or a bool, not %T", p.Name, p.Default)
				continue
			case "int":
				if p.Default.(int) < 0 {
					l.Addf(ppath, "parameter %s: default must not be negative", p.Name)
				}
			}
			if q, seen := shared[p.Name]; seen {
				if q.Kind() != p.Kind() || q.Default != p.Default {
					l.Addf(ppath, "parameter %s is declared elsewhere with default %v: one name, one type and default", p.Name, q.Default)
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

func isCataloguePrefix(prefix string) bool {
	for _, p := range CataloguePrefixes {
		if p == prefix {
			return true
		}
	}
	return false
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
