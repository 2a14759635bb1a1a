package report

import (
	"fmt"
	"io"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/go-json-experiment/json"
)

// FindingCodeSystem is the id of the CodeSystem of finding codes
// ("PC-05.no_item", ...) that [FHIR] names in each issue's details, at
// Options.Canonical + "/CodeSystem/" + FindingCodeSystem.
const FindingCodeSystem = "finding-code"

// FindingCodes returns the CodeSystem FindingCodeSystem of the engine's
// catalogue at canonical ("" for fhir.DefaultCanonical), as `go generate`
// publishes it in docs/fhir: one concept per recommendation, its ID (the
// topic of a CDS Hooks card, the code of an issue whose rule failed), with
// its finding codes ("PC-05.no_item") as its child concepts (hierarchy
// grouped-by), in catalogue order, the displays in English.
func FindingCodes(e *recommend.Engine, canonical, version string) fhir.CodeSystem {
	var concepts []fhir.Concept
	for _, r := range e.Recommendations() {
		title := e.Text(recommend.English, r.ID+".title", nil)
		c := fhir.Concept{Code: r.ID, Display: r.ID + " " + title}
		for _, reason := range r.Reasons {
			c.Concept = append(c.Concept, fhir.Concept{Code: r.Code(reason), Display: r.ID + " " + title + " (" + reason + ")"})
		}
		concepts = append(concepts, c)
	}
	return fhir.Conformance{Canonical: canonical, Version: version}.NewCodeSystem(FindingCodeSystem, "collabmeet finding codes",
		"The recommendations of the collabmeet recommendation catalogue "+version+
			" and the codes of their findings (the recommendation ID and a reason), grouped by recommendation. "+
			"CDS Hooks cards name a recommendation as their topic; OperationOutcomes of collabmeet name a finding code, "+
			"or the recommendation of a rule that failed, in issue.details.", concepts)
}

// FHIR writes one FHIR R4 OperationOutcome per report, one compact object per
// line, as a FHIR server's $validate answers: an issue per finding of a gap,
// of severity error, warning or information for a required, recommended or
// advisory recommendation, type business-rule, details.coding the finding's
// code in the CodeSystem FindingCodeSystem, diagnostics in the report's
// language (subject, message and remedy), and expression the FHIR element
// when the case came from a Bundle (Finding.Expression), the case path
// otherwise. A rule that failed gives an issue of type exception. A report
// without gaps gives the one informational issue of
// [fhir.NewOperationOutcome].
func FHIR(w io.Writer, opts Options, reps ...*recommend.Report) error {
	if err := checkReports(reps); err != nil {
		return err
	}
	system := fhir.Conformance{Canonical: opts.Canonical}.NewCodeSystem(FindingCodeSystem, "", "", nil).URL
	for _, rep := range reps {
		var issues []fhir.Issue
		for _, r := range rep.Results {
			switch r.Outcome {
			case recommend.OutcomeGap:
				for _, f := range r.Findings {
					where := f.Expression
					if where == "" {
						where = f.Path
					}
					issues = append(issues, fhir.Issue{
						Severity:    issueSeverity(r.Severity),
						Details:     fhir.Coding{System: system, Code: f.Code, Display: clean(r.Title)},
						Diagnostics: clean(f.Subject + ": " + f.Message + " " + f.Remedy),
						Expression:  []string{where},
					})
				}
			case recommend.OutcomeError:
				issues = append(issues, fhir.Issue{
					Severity:    issueSeverity(r.Severity),
					Type:        "exception",
					Details:     fhir.Coding{System: system, Code: r.ID, Display: clean(r.Title)},
					Diagnostics: clean(newTr(opts, rep.Lang).s("report.rule_failed", "id", recommend.Code(r.ID))),
				})
			}
		}
		data, err := json.Marshal(fhir.NewOperationOutcome(issues), json.Deterministic(true))
		if err != nil {
			return fmt.Errorf("report: encode %s: %w", rep.MeetingID, err)
		}
		if _, err := w.Write(append(data, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// issueSeverity maps a recommendation's severity to an issue's.
func issueSeverity(s recommend.Severity) fhir.IssueSeverity {
	switch s {
	case recommend.SeverityRequired:
		return fhir.SeverityError
	case recommend.SeverityRecommended:
		return fhir.SeverityWarning
	}
	return fhir.SeverityInformation
}
