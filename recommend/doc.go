// Package recommend is the rule engine of collabmeet: it checks a case (a
// collaboration meeting, the patient's consents and the common action plan,
// see package casedoc) against a catalogue of recommendations and reports
// every gap.
//
// It has the shape of golang.org/x/tools/go/analysis. A [Rule] is data (a
// [Recommendation]: ID, theme, severity, phase, parameters, the reasons its
// findings give) and a Check function that reads the case through a [Pass]
// and reports [Finding]s. A [Catalogue] is the whole description of a rule
// set: version, themes, rules, message files, documentation URL and
// languages; the engine knows no theme, text or link beyond it, and each
// [Result] carries its documentation link (Result.Doc, like
// analysis.Diagnostic.URL). The built-in catalogue is package
// recommend/catalogue, written on this package's public API only; a clinic's
// own rules, or a whole catalogue of its own, use the same types:
//
//	engine, err := recommend.New(catalogue.Builtin(), policy,
//		recommend.WithRules(myRules...), recommend.WithMessages(myTexts), recommend.WithLang(recommend.Bokmal))
//	rep := engine.Check(c)       // pure: no clock, no I/O, safe for concurrent use
//	rep, err = engine.CheckValid(c) // validates a case built in Go first
//
// New compiles a [Policy] (profile, disabled recommendations, severities,
// parameters within their ranges, waivers) once; protected recommendations
// (the patient's consent and privacy) cannot be waived, disabled or lowered.
//
// A [Report] has one [Result] per recommendation in catalogue order, each an
// [Outcome] with its findings. A finding has a stable, language-free code
// ("AP-04.owner_not_participant") and args (codes, numbers, IDs, times —
// never free text of the case), its subject by ID, role and JSON path, and
// texts for people rendered from message files ([Texts]) in the report's
// language: a BCP 47 tag ([Lang] is a language.Tag) that the catalogue's
// message files bring (the built-in one: English and Norwegian bokmål). On a planned meeting a finding may
// carry [Fix]es: RFC 6902 operations on the case (package recommend/fix
// applies them). Report.Compliant is the one meaning of compliant: no
// required result is a gap or an error.
//
// An [Aggregate] folds any number of reports into compliance rates per
// recommendation, theme, severity and month, in constant memory; partial
// aggregates merge. Package recommend/report renders reports and aggregates;
// package recommend/recommendtest helps write policy checks in tests.
package recommend
