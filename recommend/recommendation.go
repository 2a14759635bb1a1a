package recommend

import (
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

// Catalogue is a rule set with its version and the texts of its messages:
// what New checks cases against. The built-in one is
// github.com/collabmeet/collabmeet/recommend/catalogue.
type Catalogue struct {
	// Version is written in every report, so that an audit can replay a check.
	Version string
	// Rules in report order.
	Rules []Rule
	// Messages holds the message files of the rules (see Texts): files named
	// NAME.LANG.json, such as "pc.en.json", in the format of
	// github.com/nicksnyder/go-i18n/v2.
	Messages fs.FS
}
