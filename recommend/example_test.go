package recommend_test

import (
	"fmt"
	"log"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
)

// Check a case against the catalogue under a policy, and list its gaps.
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
	engine, err := recommend.New(policy) // compile once, check many cases
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
			fmt.Printf("  %s: %s\n", f.Path, f.Message)
		}
	}
	// Output:
	// compliant: false
	// PC-05 required
	//   meeting.agenda[2].lead_id: meeting.agenda[2] (patient_perspective) is not led by the patient
	//   meeting.agenda[2].minutes: meeting.agenda[2] (patient_perspective) has 5 minutes; at least 10 are needed
}

// A clinic adds a rule of its own, with its own ID prefix and a parameter
// that its policy can change.
func ExampleWithRules() {
	shortMeetings := recommend.Rule{
		Recommendation: recommend.Recommendation{
			ID:        "ACME-01",
			Title:     "Meetings are at most 45 minutes",
			Statement: "duration_minutes is at most acme_max_minutes.",
			Theme:     recommend.ThemeMeetingClimate,
			Severity:  recommend.SeverityRecommended,
			Phase:     recommend.PhaseBefore,
			Params:    []recommend.Param{{Name: "acme_max_minutes", Default: 45, Doc: "Most minutes of a meeting."}},
		},
		Check: func(pass *recommend.Pass) {
			if pass.Meeting.DurationMinutes > pass.Int("acme_max_minutes") {
				pass.ReportMeeting("meeting.duration_minutes", "the meeting is longer than the clinic's limit",
					"Plan a shorter meeting.")
			}
		},
	}
	engine, err := recommend.New(recommend.Policy{}, recommend.WithRules(shortMeetings))
	if err != nil {
		log.Fatal(err)
	}
	c, err := casedoc.ReadFile("../examples/cases/compliant-digital-meeting.json")
	if err != nil {
		log.Fatal(err)
	}
	rep := engine.Check(c)
	last := rep.Results[len(rep.Results)-1]
	fmt.Println(last.ID, last.Outcome, last.Findings[0].Path)
	fmt.Println("compliant:", rep.Compliant)
	// Output:
	// ACME-01 gap meeting.duration_minutes
	// compliant: true
}

// A policy is data: load it from JSON; New says what is wrong with it.
func ExampleReadPolicy() {
	policy, err := recommend.UnmarshalPolicy([]byte(`{"disable": ["CS-08"], "params": {"notice_days": "three"}}`))
	if err != nil {
		log.Fatal(err)
	}
	_, err = recommend.New(policy)
	fmt.Println(err)
	// Output:
	// disable[0]: CS-08 cannot be disabled: it protects the patient's consent and privacy
	// params.notice_days: wrong type: want a whole number, got a string
}
