package report_test

import (
	"fmt"
	"os"
	"time"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/google/uuid"
)

// exampleReport is a small report as the engine gives one: PC-05 has a gap,
// PC-01 passed, AP-09 does not apply to a planned meeting.
func exampleReport() *recommend.Report {
	return &recommend.Report{
		Schema:           recommend.ReportSchema,
		CatalogueVersion: "2026.3",
		Lang:             recommend.English,
		MeetingID:        uuid.MustParse("0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5"),
		MeetingStart:     time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC),
		Phase:            recommend.PhaseBefore,
		Profile:          recommend.ProfileStandard,
		Results: []recommend.Result{
			{ID: "PC-01", Theme: catalogue.ThemePatientCentredness, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomePass},
			{ID: "PC-05", Title: "The patient has room to speak", Theme: catalogue.ThemePatientCentredness, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomeGap,
				Findings: []recommend.Finding{{
					SubjectID:   uuid.MustParse("10927a11-c11a-5c97-8e26-de4a06205b7b"),
					SubjectRole: meeting.RolePatient,
					Path:        "meeting.agenda",
					Subject:     "the agenda",
					Code:        "PC-05.no_item",
					Args:        recommend.Args{"minutes": 10},
					Message:     "the agenda has no item for the patient's perspective",
					Remedy:      "add an item for the patient's perspective of 10 minutes, led by the patient",
				}}},
			{ID: "AP-09", Theme: catalogue.ThemeCommonActionPlan, Severity: recommend.SeverityRequired, Outcome: recommend.OutcomeNotApplicable},
		},
		Summary: recommend.Summary{
			Outcomes: recommend.OutcomeCounts{Pass: 1, Gap: 1, NotApplicable: 1},
			Gaps:     recommend.SeverityCounts{Required: 1},
			Themes: recommend.ThemeScores{
				{Theme: catalogue.ThemePatientCentredness, Applicable: 2, Passed: 1, Score: 0.5},
				{Theme: catalogue.ThemeCommonActionPlan, Score: 1},
				{Theme: catalogue.ThemeMeetingClimate, Score: 1},
				{Theme: catalogue.ThemeCrossSector, Score: 1},
				{Theme: catalogue.ThemePathway, Score: 1},
			},
		},
	}
}

func ExampleText() {
	rep := exampleReport() // in real use: engine.Check(c)
	opts := report.Options{
		Color: report.ColorEnabled(os.Stdout), // false here: the output is not a terminal
	}
	if err := report.Text(os.Stdout, opts, rep); err != nil {
		panic(err)
	}
	// Output:
	// Meeting 0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5  NOT COMPLIANT
	// before the meeting · profile standard · catalogue 2026.3 · starts 2026-05-04 09:00 +00:00
	//
	// REQUIRED  1 gap
	//   PC-05  The patient has room to speak  (Patient-centredness)
	//          meeting.agenda  the agenda  [PC-05.no_item]
	//            the agenda has no item for the patient's perspective
	//            what to do: add an item for the patient's perspective of 10 minutes, led by the patient
	//          see https://github.com/collabmeet/collabmeet/blob/main/docs/catalogue.md#pc-05
	//
	// RECOMMENDED  none
	//
	// ADVISORY  none
	//
	// scores: Patient-centredness 1/2 50 %; A common action plan n/a; A good meeting climate n/a; Cross-sector participation, consent and continuity n/a; Pathway timing n/a
	// passed (1): PC-01
	// not applicable (1): AP-09
	// not compliant: gaps 1 required, 0 recommended, 0 advisory; 1 passed, 1 not applicable, 0 waived, 0 errors
}

func ExampleJSON() {
	// One report gives one line of JSON in the collabmeet.report/v1 schema;
	// several give one line each (NDJSON).
	if err := report.JSON(os.Stdout, report.Options{}, exampleReport()); err != nil {
		panic(err)
	}
	// Output:
	// {"schema":"collabmeet.report/v1","catalogue_version":"2026.3","lang":"en","policy_digest":"","meeting_id":"0ba2cdb9-ae7b-51a0-95e2-e3ff7a1e4ec5","meeting_start":"2026-05-04T09:00:00Z","phase":"before","profile":"standard","compliant":false,"results":[{"id":"PC-01","title":"","theme":"patient_centredness","severity":"required","outcome":"pass"},{"id":"PC-05","title":"The patient has room to speak","theme":"patient_centredness","severity":"required","outcome":"gap","findings":[{"subject_id":"10927a11-c11a-5c97-8e26-de4a06205b7b","subject_role":"patient","path":"meeting.agenda","subject":"the agenda","code":"PC-05.no_item","args":{"minutes":10},"message":"the agenda has no item for the patient's perspective","remedy":"add an item for the patient's perspective of 10 minutes, led by the patient"}]},{"id":"AP-09","title":"","theme":"common_action_plan","severity":"required","outcome":"not_applicable"}],"summary":{"outcomes":{"pass":1,"gap":1,"not_applicable":1,"waived":0,"error":0},"gaps":{"required":1,"recommended":0,"advisory":0},"themes":{"patient_centredness":{"applicable":2,"passed":1,"score":0.5},"common_action_plan":{"applicable":0,"passed":0,"score":1},"meeting_climate":{"applicable":0,"passed":0,"score":1},"cross_sector":{"applicable":0,"passed":0,"score":1},"pathway":{"applicable":0,"passed":0,"score":1}}}}
}

func ExampleLookup() {
	// A command picks the renderer by the name given with --format, and
	// its help lists report.Formats().
	f, ok := report.Lookup("markdown")
	if !ok || f.Report == nil {
		panic("unknown format")
	}
	if err := f.Report(os.Stdout, report.Options{}, exampleReport()); err != nil {
		panic(err)
	}
}

func ExampleFormats() {
	for _, f := range report.Formats() {
		fmt.Printf("%-8s reports %-5v aggregates %-5v %s\n", f.Name, f.Report != nil, f.Aggregate != nil, f.Doc)
	}
	// Output:
	// text     reports true  aggregates true  for a terminal (colour when it is one)
	// json     reports true  aggregates true  collabmeet.report/v1 (one object per line) or collabmeet.aggregate/v1
	// markdown reports true  aggregates true  GitHub-flavoured Markdown for tickets and wikis
	// html     reports true  aggregates true  one self-contained HTML page with charts
	// junit    reports true  aggregates false JUnit XML for CI dashboards
	// fhir     reports true  aggregates false a FHIR R4 OperationOutcome per report (one per line), as $validate answers
	// csv      reports false aggregates true  one CSV table for spreadsheets
}

// Write the compliance report of an aggregate as one self-contained HTML
// page with charts, in Norwegian, for a quality team.
func ExampleAggregateHTML() {
	var agg recommend.Aggregate
	agg.Add(exampleReport())
	agg.Add(exampleReport())
	agg.AddInvalid()
	f, err := os.CreateTemp("", "compliance-*.html")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := report.AggregateHTML(f, report.Options{Lang: recommend.Bokmal}, &agg); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(agg.Cases, "cases,", agg.Invalid, "invalid input")
	// Output:
	// 2 cases, 1 invalid input
}
