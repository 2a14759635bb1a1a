// Command custom-rule adds a clinic's own rules, with its own ID prefix,
// beside the built-in catalogue. They use the same public API as the
// catalogue's rules: parameters a policy sets, stable finding codes with
// args, texts in message files (English and Norwegian bokmål), the Pass's
// case queries, and a suggested fix.
//
//	go run ./examples/custom-rule
package main

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "custom-rule:", err)
		os.Exit(1)
	}
}

// messages holds the texts of the clinic's rules: acme.en.json and
// acme.nb.json, in the format of the catalogue's own message files.
//
//go:embed messages/*.json
var messages embed.FS

// OpeningHours is the clinic's rule ACME-01: meetings start within opening
// hours, which the clinic's policy may change. Its source, a reference to
// the clinic's routine, is set in Go and reads the same in every language;
// a source to translate goes in the message files instead, as
// "ACME-01.source", as the built-in catalogue's do.
var OpeningHours = recommend.Rule{
	Recommendation: recommend.Recommendation{
		ID: "ACME-01", Source: "ACME clinic routine 12.3",
		Theme: catalogue.ThemeMeetingClimate, Severity: recommend.SeverityRequired, Phase: recommend.PhaseBefore,
		Params: []recommend.Param{
			recommend.ParamCount("acme_opening_hour", 8),
			recommend.ParamCount("acme_last_start_hour", 14),
		},
		Reasons: []string{"too_early", "too_late"},
	},
	Check: func(p *recommend.Pass) error {
		// The reference time is the meeting start, in its own offset: never the clock.
		h := p.Start.Hour()
		switch {
		case h < p.Int("acme_opening_hour"):
			p.ReportCase("meeting.start", "too_early", recommend.Args{"hour": h, "opening_hour": p.Int("acme_opening_hour")})
		case h > p.Int("acme_last_start_hour"):
			p.ReportCase("meeting.start", "too_late", recommend.Args{"hour": h, "last_start_hour": p.Int("acme_last_start_hour")})
		}
		return nil
	},
}

// GPInDiscussion is the clinic's rule ACME-02: the GP attends every
// discussion item. It reads the case through the Pass's queries (items by
// kind, attendance spans) and suggests a fix: the GP joins from the first
// item.
var GPInDiscussion = recommend.Rule{
	Recommendation: recommend.Recommendation{
		ID: "ACME-02", Source: "ACME clinic routine 4.1",
		Theme: catalogue.ThemeCrossSector, Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
		Reasons: []string{"gp_misses_discussion"},
		Fixes:   []string{"gp_from_start"},
	},
	Check: func(p *recommend.Pass) error {
		discussions := p.Items(meeting.ItemDiscussion)
		for k, person := range p.Meeting.Participants {
			if person.Role != meeting.RoleGP {
				continue
			}
			for _, i := range discussions {
				if p.Attends(k, i) {
					continue
				}
				p.ReportParticipant(k, "joins_at_item", "gp_misses_discussion", recommend.Args{"item": i + 1})
				if first, _ := p.Span(k); first > 0 {
					p.Fix("gp_from_start", nil, recommend.PatchOp{Op: "remove", Path: fmt.Sprintf("/meeting/participants/%d/joins_at_item", k)})
				}
				break
			}
		}
		return nil
	},
}

func run(w io.Writer) error {
	texts, err := fs.Sub(messages, "messages")
	if err != nil {
		return err
	}
	c := casegen.Typical()
	start := c.Meeting.Start
	c.Meeting.Start = time.Date(start.Year(), start.Month(), start.Day(), 15, 30, 0, 0, start.Location())
	gp := -1
	for k, p := range c.Meeting.Participants {
		if p.Role == meeting.RoleGP {
			gp = k
		}
	}
	if gp >= 0 && len(c.Meeting.Agenda) > 0 {
		c.Meeting.Participants[gp].JoinsAtItem = c.Meeting.Agenda[len(c.Meeting.Agenda)-1].ID // the GP comes for the summary only
	}

	for _, run := range []struct {
		name   string
		policy recommend.Policy
		lang   recommend.Lang
	}{
		{"default hours", recommend.Policy{}, recommend.English},
		{"late opening on Mondays", recommend.Policy{Params: map[string]any{"acme_last_start_hour": 16}}, recommend.English},
		{"standard åpningstid", recommend.Policy{}, recommend.Bokmal},
	} {
		engine, err := recommend.New(catalogue.Builtin(), run.policy,
			recommend.WithRules(OpeningHours, GPInDiscussion), recommend.WithMessages(texts), recommend.WithLang(run.lang))
		if err != nil {
			return err
		}
		rep := engine.Check(c)
		fmt.Fprintf(w, "%s (%s): %d results; compliant: %v\n", run.name, rep.Lang, len(rep.Results), rep.Compliant)
		for _, r := range rep.Results[len(rep.Results)-2:] { // custom rules come after the catalogue
			fmt.Fprintf(w, "  %s %s: %s\n", r.ID, r.Title, r.Outcome)
			for _, f := range r.Findings {
				fmt.Fprintf(w, "    %s [%s] %s %s\n", f.Subject, f.Code, f.Message, f.Remedy)
				for _, fx := range f.Fixes {
					fmt.Fprintf(w, "    fix: %s (%d operations)\n", fx.Message, len(fx.Patch))
				}
			}
		}
	}

	// A rule that reuses a catalogue prefix is refused.
	bad := OpeningHours
	bad.ID = "MC-99"
	_, err = recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithRules(bad), recommend.WithMessages(texts))
	fmt.Fprintf(w, "a rule named MC-99: %v\n", err)
	return nil
}
