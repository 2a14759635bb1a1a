package recommend

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Recommendation is one entry of a catalogue: what is checked, why, and how
// strictly. It is data: stable, documented, and the same for every case.
// Its texts for people — title, statement, rationale, and the message and
// remedy of every reason — are messages in the catalogue's message files
// (see Texts), keyed by ID: "PC-05.title", "PC-05.no_item.message"; so may
// its source be ("PC-05.source", see Source).
type Recommendation struct {
	// ID is stable and public, such as "PC-05": policies, waivers and tests
	// name recommendations by it. PREFIX-SUFFIX, see ValidateRules.
	ID string `json:"id"`
	// Source names where the recommendation comes from, in English: the
	// citation keys of its sources and a note ("H25 (outnumbered)").
	//
	// A rule set whose sources are read in several languages keeps each in
	// its message files instead, as the message "<ID>.source", and leaves
	// Source empty in Go: New fills Source from the English message, and
	// Texts.Source gives the source in each language. The built-in catalogue
	// does so (catalogue.Builtin fills Source the same way). A rule that sets
	// Source in Go and has a message "<ID>.source" too is refused by New
	// unless the two are the same text; a rule without the message keeps
	// its Source, in every language.
	Source   string   `json:"source"`
	Theme    Theme    `json:"theme"`
	Severity Severity `json:"severity"`
	Phase    Phase    `json:"phase"`
	// MinProfile is the least preparedness profile for which the
	// recommendation applies; below it the outcome is not_applicable. Empty
	// means every profile.
	MinProfile Profile `json:"min_profile,omitempty"`
	// Params are the parameters the check reads, with their defaults.
	Params []Param `json:"params,omitempty"`
	// Reasons are the reasons its findings can give: a finding's code is the
	// ID, a dot and the reason ("AP-04.owner_not_participant"). A check that
	// reports an undeclared reason fails with the outcome error.
	Reasons []string `json:"reasons"`
	// Fixes are the reasons of the fixes its check may suggest (Pass.Fix):
	// a fix's message is "<ID>.fix.<reason>" in the message files.
	Fixes []string `json:"fixes,omitempty"`
	// Protected recommendations protect the patient's consent and privacy: a
	// policy may not waive or disable them, nor lower their severity.
	Protected bool `json:"protected,omitempty"`
	// Doc links to the documentation of the recommendation; may be empty.
	Doc string `json:"doc,omitempty"`
}

// Waivable reports whether a policy may waive, disable or lower the
// recommendation: every recommendation that is not Protected.
func (r *Recommendation) Waivable() bool { return !r.Protected }

// Anchor is the fragment of the recommendation's entry in a catalogue's
// documentation: its ID in lower case, such as "pc-05".
func (r *Recommendation) Anchor() string { return strings.ToLower(r.ID) }

// Param returns the parameter declared with the given name.
func (r *Recommendation) Param(name string) (Param, bool) {
	i := slices.IndexFunc(r.Params, func(p Param) bool { return p.Name == name })
	if i < 0 {
		return Param{}, false
	}
	return r.Params[i], true
}

// Code returns the code of a finding of r with the given reason:
// r.ID + "." + reason.
func (r *Recommendation) Code(reason string) string { return r.ID + "." + reason }

// Rule is a recommendation with the function that checks it, in the manner of
// golang.org/x/tools/go/analysis: a value, not a class hierarchy.
//
// Check reads the case through the Pass and calls Pass.Report for each thing
// missing; when it reports nothing the outcome is pass. It may call
// Pass.NotApplicable. It returns an error when it cannot judge the case (the
// outcome is then error, as when it panics). It must not keep the Pass,
// modify the case, or read the clock.
type Rule struct {
	Recommendation
	Check func(*Pass) error
}

// Catalogue is the whole description of a rule set, in the manner of
// golang.org/x/tools/go/analysis: everything New needs to check cases
// against it and everything reports need to show it. The engine knows no
// theme, text or link of its own beyond it. The built-in catalogue is
// github.com/collabmeet/collabmeet/recommend/catalogue; a clinic's is a value
// of this type with its own themes, rules, message files and documentation.
type Catalogue struct {
	// Version is written in every report, so that an audit can replay a
	// check; empty means "custom".
	Version string
	// Themes are the catalogue's themes, in the order reports list and
	// score them (Summary.Themes). Every rule's Theme is one of them.
	Themes []ThemeDef
	// Rules in report order.
	Rules []Rule
	// Messages holds the message files of the catalogue (see Texts): files
	// named NAME.LANG.json, such as "pc.en.json" or "clinic.de.json", in the
	// format of github.com/nicksnyder/go-i18n/v2: the title of every theme
	// ("theme.<ID>") and the texts of every rule, in English and in every
	// other language the catalogue brings. A language is available as soon
	// as a file is in it.
	Messages fs.FS
	// DocURL is where the catalogue is documented: a result of one of Rules
	// links to DocURL + "#" + the recommendation's anchor
	// (Recommendation.Anchor) unless its rule has a Doc of its own; a
	// custom rule (WithRules) links to its own Doc only. Empty means no link.
	DocURL string
	// Langs are the languages the catalogue is written in, its default
	// first: the language of reports when New is given no WithLang, and the
	// fallback of a text missing in the language asked for (then English).
	// Empty means English first and every language of Messages.
	Langs []Lang
}

// Theme returns the declaration of theme t, and whether the catalogue has it.
func (c *Catalogue) Theme(t Theme) (ThemeDef, bool) {
	i := slices.IndexFunc(c.Themes, func(d ThemeDef) bool { return d.ID == t })
	if i < 0 {
		return ThemeDef{}, false
	}
	return c.Themes[i], true
}

// Doc returns the documentation link of recommendation r of the catalogue:
// r.Doc when set, else DocURL with r's anchor, or "" when neither is.
func (c *Catalogue) Doc(r *Recommendation) string {
	switch {
	case r.Doc != "":
		return r.Doc
	case c.DocURL != "":
		return c.DocURL + "#" + r.Anchor()
	}
	return ""
}

// Validate reports whether the catalogue is well-formed, listing every
// problem at once (a *validation.Error wrapping ErrRuleSet): its themes are
// unique snake_case IDs with unique prefixes, its rules form a well-formed
// rule set (ValidateRules) each of one of its themes, and its languages
// are valid tags. Texts are checked by New, and by CheckMessages in a test.
func (c *Catalogue) Validate() error {
	if len(c.Themes) == 0 {
		return fmt.Errorf("%w: the catalogue declares no theme (Catalogue.Themes)", ErrRuleSet)
	}
	return validateRules(c.Themes, c.Rules, len(c.Rules), c.Langs)
}
