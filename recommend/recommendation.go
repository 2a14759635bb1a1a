package recommend

import (
	"strings"
)

// CatalogueURL is where the built-in catalogue is documented (docs/catalogue.md,
// generated from the catalogue in code). A recommendation's entry is this URL
// with its lower-case ID as the fragment: CatalogueURL + "#pc-05".
const CatalogueURL = "https://github.com/collabmeet/collabmeet/blob/main/docs/catalogue.md"

// CatalogueDoc is the path of the catalogue's documentation in the repository.
const CatalogueDoc = "docs/catalogue.md"

// Recommendation is one entry of the catalogue: what is checked, why, and how
// strictly. It is data: stable, documented, and the same for every case.
// Custom rules use the same type (see Rule and ValidateRules).
type Recommendation struct {
	// ID is stable and public, such as "PC-05": policies, waivers and tests
	// name recommendations by it. PREFIX-SUFFIX, see ValidateRules.
	ID string `json:"id"`
	// Title is a short name, such as "The patient has room to speak".
	Title string `json:"title"`
	// Statement says exactly what is checked.
	Statement string `json:"statement"`
	// Rationale says why it matters.
	Rationale string `json:"rationale"`
	// Source names where the recommendation comes from (N26, H25, SN, HD, TR).
	Source   string   `json:"source"`
	Theme    Theme    `json:"theme"`
	Severity Severity `json:"severity"`
	Phase    Phase    `json:"phase"`
	// MinProfile is the least preparedness profile for which the
	// recommendation applies; below it the outcome is not_applicable. Empty
	// means every profile.
	MinProfile Profile `json:"min_profile,omitempty"`
	// Params are the parameters the check reads, with their defaults. Names
	// share one namespace across the rule set: a policy sets notice_days once
	// for every recommendation that declares it.
	Params []Param `json:"params,omitempty"`
	// Protected recommendations protect the patient's consent and privacy: a
	// policy may not waive or disable them, nor lower their severity.
	Protected bool `json:"protected,omitempty"`
	// Doc links to the documentation of the recommendation. Catalogue sets
	// it to CatalogueURL#<anchor>; custom rules may leave it empty.
	Doc string `json:"doc,omitempty"`
}

// Waivable reports whether a policy may waive, disable or lower the
// recommendation: every recommendation that is not Protected.
func (r *Recommendation) Waivable() bool { return !r.Protected }

// Anchor is the fragment of the recommendation's entry in docs/catalogue.md:
// its ID in lower case, such as "pc-05".
func (r *Recommendation) Anchor() string { return strings.ToLower(r.ID) }

// Param returns the parameter declared with the given name.
func (r *Recommendation) Param(name string) (Param, bool) {
	for _, p := range r.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// Param is one parameter of a recommendation: a number or a switch that a
// policy may change.
type Param struct {
	// Name is snake_case, such as "notice_days".
	Name string `json:"name"`
	// Default is an int or a bool; it fixes the parameter's type.
	Default any `json:"default"`
	// Doc says what the parameter means, with its unit.
	Doc string `json:"doc"`
}

// Kind returns "int" or "bool" for the type of the parameter's default, and
// "" for any other type (refused by ValidateRules).
func (p Param) Kind() string {
	switch p.Default.(type) {
	case int:
		return "int"
	case bool:
		return "bool"
	}
	return ""
}

// Rule is a recommendation with the function that checks it, in the manner of
// golang.org/x/tools/go/analysis: a value, not a class hierarchy.
//
// Check reads the case from the Pass and calls Pass.Report for each thing
// missing; when it reports nothing the outcome is pass. It may call
// Pass.NotApplicable. It must not keep the Pass, modify the case, or read the
// clock; a Check that panics gives the outcome error for its recommendation
// only.
type Rule struct {
	Recommendation
	Check func(*Pass)
}
