package recommend_test

import (
	"embed"
	"fmt"
	"io/fs"
	"log"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
)

// Check a case against the built-in catalogue under a policy, and list its
// gaps by path.
func Example() {
	c, err := casedoc.ReadFile("../examples/cases/patient-given-no-voice.json")
	if err != nil {
		log.Fatal(err)
	}
	policy := recommend.Policy{
		Profile: recommend.ProfileStandard,
		Disable: []string{"MC-08"},
		Params:  map[string]any{"notice_days": 5},
	}
	engine, err := recommend.New(catalogue.Builtin(), policy) // compile once, check many cases
	if err != nil {
		log.Fatal(err)
	}
	rep := engine.Check(c)
	fmt.Println("compliant:", rep.Compliant)
	for _, r := range rep.Results {
		if r.Outcome != recommend.OutcomeGap {
			continue
		}
		fmt.Println(r.ID, r.Severity)
		for _, f := range r.Findings {
			fmt.Printf("  %s\n", f.Path)
		}
	}
	// Output:
	// compliant: false
	// PC-05 required
	//   meeting.agenda[2].lead_id
	//   meeting.agenda[2].minutes
}

// The texts of the example's custom rule: testdata/acme/acme.en.json.
//
//go:embed testdata/acme/*.json
var acmeFiles embed.FS

// A clinic adds a rule of its own, with its own ID prefix, a parameter that
// its policy can change, a reason, and its texts in a message file.
func ExampleWithRules() {
	shortMeetings := recommend.Rule{
		Recommendation: recommend.Recommendation{
			ID:       "ACME-01",
			Source:   "ACME clinic guideline 4",
			Theme:    catalogue.ThemeMeetingClimate,
			Severity: recommend.SeverityRecommended,
			Phase:    recommend.PhaseBefore,
			Params:   []recommend.Param{recommend.ParamMinutes("acme_max_minutes", 45)},
			Reasons:  []string{"too_long"},
		},
		Check: func(pass *recommend.Pass) error {
			if max := pass.Int("acme_max_minutes"); pass.Meeting.DurationMinutes > max {
				pass.ReportCase("meeting.duration_minutes", "too_long", recommend.Args{"minutes": max})
			}
			return nil
		},
	}
	messages, err := fs.Sub(acmeFiles, "testdata/acme")
	if err != nil {
		log.Fatal(err)
	}
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{},
		recommend.WithRules(shortMeetings), recommend.WithMessages(messages))
	if err != nil {
		log.Fatal(err)
	}
	c, err := casedoc.ReadFile("../examples/cases/compliant-digital-meeting.json")
	if err != nil {
		log.Fatal(err)
	}
	rep := engine.Check(c)
	last := rep.Results[len(rep.Results)-1]
	fmt.Println(last.ID, last.Outcome, last.Title)
	f := last.Findings[0]
	fmt.Println(f.Code, f.Path)
	fmt.Println(f.Message)
	fmt.Println("compliant:", rep.Compliant)
	// Output:
	// ACME-01 gap Meetings are at most 45 minutes
	// ACME-01.too_long meeting.duration_minutes
	// The meeting is longer than 45 minutes.
	// compliant: true
}

// A policy is data: load it from JSON; New says what is wrong with it.
func ExampleReadPolicy() {
	policy, err := recommend.UnmarshalPolicy([]byte(`{"disable": ["CS-08"], "params": {"notice_days": "three"}}`))
	if err != nil {
		log.Fatal(err)
	}
	_, err = recommend.New(catalogue.Builtin(), policy)
	fmt.Println(err)
	// Output:
	// disable[0]: CS-08 cannot be disabled: it protects the patient's consent and privacy
	// params.notice_days: wrong type: want a whole number, got a string
}

// Fold many reports into an aggregate, as a quality team's monthly report
// does: workers may each fold their own and merge them at the end.
func ExampleAggregate() {
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithoutTexts())
	if err != nil {
		log.Fatal(err)
	}
	var agg recommend.Aggregate
	for _, name := range []string{"compliant-digital-meeting", "patient-given-no-voice", "follow-up-without-owner"} {
		c, err := casedoc.ReadFile("../examples/cases/" + name + ".json")
		if err != nil {
			agg.AddInvalid()
			continue
		}
		agg.Add(engine.Check(c))
	}
	fmt.Printf("%d cases, %d compliant (%.0f %%)\n", agg.Cases, agg.Compliant, 100*agg.Rate())
	for _, r := range agg.Recommendations {
		if r.Gaps > 0 {
			fmt.Printf("%s: %d of %d applicable passed\n", r.ID, r.Passed, r.Applicable)
		}
	}
	for _, m := range agg.Months() {
		fmt.Println(m.Month, m.Cases)
	}
	// Output:
	// 3 cases, 1 compliant (33 %)
	// PC-05: 2 of 3 applicable passed
	// AP-04: 0 of 1 applicable passed
	// AP-06: 0 of 1 applicable passed
	// AP-11: 0 of 1 applicable passed
	// 2026-05 3
}
