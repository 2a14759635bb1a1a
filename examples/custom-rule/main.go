// Command custom-rule adds a clinic's own rule, with its own ID prefix,
// beside the catalogue: the clinic's staff only join meetings that start
// within its opening hours. The rule has a parameter that the clinic's
// policy sets, like those of the catalogue.
//
//	go run ./examples/custom-rule
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "custom-rule:", err)
		os.Exit(1)
	}
}

// OpeningHours is the clinic's rule ACME-01. Custom rules use the same Rule
// type as the catalogue; their ID uses a prefix of their own (the engine
// refuses PC, AP, MC, CS and PW).
var OpeningHours = recommend.Rule{
	Recommendation: recommend.Recommendation{
		ID:        "ACME-01",
		Title:     "The meeting starts within opening hours",
		Statement: "The meeting starts no earlier than opening_hour and no later than last_start_hour, local time of the meeting.",
		Rationale: "The pain clinic's staff and rooms are only available in opening hours.",
		Source:    "ACME clinic routine 12.3",
		Theme:     recommend.ThemeMeetingClimate,
		Severity:  recommend.SeverityRequired,
		Phase:     recommend.PhaseBefore,
		Params: []recommend.Param{
			{Name: "opening_hour", Default: 8, Doc: "first hour a meeting may start (0-23)"},
			{Name: "last_start_hour", Default: 14, Doc: "last hour a meeting may start (0-23)"},
		},
	},
	Check: func(p *recommend.Pass) {
		// The reference time is the meeting start, in its own offset: never the clock.
		h := p.Start.Hour()
		if h < p.Int("opening_hour") || h > p.Int("last_start_hour") {
			p.ReportMeeting("meeting.start",
				fmt.Sprintf("starts at %02d:%02d, outside opening hours", h, p.Start.Minute()),
				fmt.Sprintf("start between %02d:00 and %02d:59", p.Int("opening_hour"), p.Int("last_start_hour")))
		}
	},
}

func run(w io.Writer) error {
	c := casegen.Typical()
	start := c.Meeting.Start
	c.Meeting.Start = time.Date(start.Year(), start.Month(), start.Day(), 15, 30, 0, 0, start.Location())

	for _, p := range []struct {
		name   string
		policy recommend.Policy
	}{
		{"default hours", recommend.Policy{}},
		{"late opening on Mondays", recommend.Policy{Params: map[string]any{"last_start_hour": 16}}},
	} {
		engine, err := recommend.New(p.policy, recommend.WithRules(OpeningHours))
		if err != nil {
			return err
		}
		rep := engine.Check(c)
		last := rep.Results[len(rep.Results)-1] // custom rules come after the catalogue
		fmt.Fprintf(w, "%s: %d results, %s %s: %s", p.name, len(rep.Results), last.ID, engine.Title(last.ID), last.Outcome)
		for _, f := range last.Findings {
			fmt.Fprintf(w, " (%s: %s; %s)", f.Path, f.Message, f.Remedy)
		}
		fmt.Fprintf(w, "; compliant: %v\n", rep.Compliant)
	}

	// A rule that reuses a catalogue prefix is refused.
	bad := OpeningHours
	bad.ID = "MC-99"
	_, err := recommend.New(recommend.Policy{}, recommend.WithRules(bad))
	fmt.Fprintf(w, "a rule named MC-99: %v\n", err)
	return nil
}
