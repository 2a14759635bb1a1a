// Command scheduling-hook shows how a scheduling system or an EHR calls
// collabmeet before it books a collaboration meeting: the booking is refused
// while a required recommendation has a gap, and the refusal says why and
// what would fix it — with IDs and roles only, so it can be logged.
//
//	go run ./examples/scheduling-hook
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/google/uuid"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scheduling-hook:", err)
		os.Exit(1)
	}
}

// Scheduler books meetings; it compiles the clinic's policy once and is
// safe for concurrent use, as the engine is.
type Scheduler struct {
	engine *recommend.Engine
}

// NewScheduler returns a Scheduler that checks bookings under policy.
func NewScheduler(policy recommend.Policy) (*Scheduler, error) {
	e, err := recommend.New(catalogue.Builtin(), policy)
	if err != nil {
		return nil, err
	}
	return &Scheduler{engine: e}, nil
}

// Booking confirms a meeting, with the warnings the planners should see.
type Booking struct {
	MeetingID uuid.UUID
	Warnings  []string // recommended and advisory gaps: booked anyway
}

// RefusedError is why a booking was refused: the required gaps.
type RefusedError struct {
	MeetingID uuid.UUID
	Reasons   []string // one line per finding: "PC-04 meeting.participants[1] (next of kin (participant 2)) [PC-04.no_consent]: ... — fix: ..."
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("meeting %s not booked:\n  %s", e.MeetingID, strings.Join(e.Reasons, "\n  "))
}

// Book validates and checks the proposed meeting, and books it unless a
// required recommendation has a gap.
func (s *Scheduler) Book(c *casedoc.Case) (*Booking, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("invalid meeting: %w", err)
	}
	rep := s.engine.Check(c)
	var refused, warnings []string
	for _, r := range rep.Results {
		if r.Outcome != recommend.OutcomeGap && r.Outcome != recommend.OutcomeError {
			continue
		}
		lines := explain(r)
		if r.Severity == recommend.SeverityRequired || r.Outcome == recommend.OutcomeError {
			refused = append(refused, lines...)
		} else {
			warnings = append(warnings, lines...)
		}
	}
	if !rep.Compliant {
		return nil, &RefusedError{MeetingID: rep.MeetingID, Reasons: refused}
	}
	// ... store the booking, send the invitations ...
	return &Booking{MeetingID: rep.MeetingID, Warnings: warnings}, nil
}

func explain(r recommend.Result) []string {
	if r.Outcome == recommend.OutcomeError {
		return []string{fmt.Sprintf("%s could not be checked: %s", r.ID, r.Error)}
	}
	var out []string
	for _, f := range r.Findings {
		// Subject, Message and Remedy are in the engine's language
		// (recommend.WithLang); Path and Code are for the developers.
		line := fmt.Sprintf("%s %s (%s) [%s]: %s — fix: %s", r.ID, f.Path, f.Subject, f.Code, f.Message, f.Remedy)
		if len(f.Fixes) > 0 {
			line += " (can be fixed automatically)"
		}
		out = append(out, line)
	}
	return out
}

func run(w io.Writer) error {
	s, err := NewScheduler(recommend.Policy{})
	if err != nil {
		return err
	}

	// A well-prepared meeting is booked.
	good := casegen.Typical()
	b, err := s.Book(good)
	if err != nil {
		return fmt.Errorf("the typical meeting should be booked: %w", err)
	}
	fmt.Fprintf(w, "booked meeting %s (%d warnings)\n", b.MeetingID, len(b.Warnings))

	// The same meeting, but the patient's consent for the next of kin was
	// never recorded: collabmeet refuses it (PC-04 is required).
	bad := casegen.Typical()
	bad.Meeting.ID = uuid.NewSHA1(uuid.NameSpaceURL, []byte("collabmeet-example:second-meeting"))
	bad.Plan.MeetingID = bad.Meeting.ID
	kin := slices.IndexFunc(bad.Meeting.Participants, func(p meeting.Participant) bool { return p.Role == meeting.RoleNextOfKin })
	bad.Consents = slices.DeleteFunc(bad.Consents, func(c consent.Consent) bool {
		return c.GranteeID == bad.Meeting.Participants[kin].ID
	})
	_, err = s.Book(bad)
	var refused *RefusedError
	if !errors.As(err, &refused) {
		return fmt.Errorf("the meeting without consent should be refused, got %v", err)
	}
	fmt.Fprintln(w, refused)
	return nil
}
