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
			Theme:    recommend.ThemeMeetingClimate,
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
