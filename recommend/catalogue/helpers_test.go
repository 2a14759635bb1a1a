package catalogue_test

import (
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
)

// ruleCase is the reference meeting with one thing changed, and what one
// recommendation must give for it.
type ruleCase struct {
	id      string
	name    string
	policy  recommend.Policy
	mutate  func(c *casedoc.Case)
	outcome recommend.Outcome
	paths   []string // the findings' paths, in order, for a gap
}

var (
	outPass = recommend.OutcomePass
	outGap  = recommend.OutcomeGap
	outNA   = recommend.OutcomeNotApplicable
)

// Mutations used by several cases.

func noPatient(c *casedoc.Case) { c.Meeting.Participants[refcase.Patient].Role = meeting.RoleNextOfKin }

func held(c *casedoc.Case) {
	c.Meeting.Status = meeting.StatusHeld
	c.Plan.Status = plan.StatusAgreed
	c.Plan.PatientAgreedAt = c.Meeting.End()
	c.Plan.DistributedAt = c.Meeting.Start.Add(days(1))
	c.Plan.Recipients = nil
	for _, p := range c.Meeting.Participants {
		c.Plan.Recipients = append(c.Plan.Recipients, p.ID)
	}
}

func noPlan(c *casedoc.Case) { c.Plan = nil }

func noPreparation(c *casedoc.Case) { c.Meeting.Preparation = nil }

func joins(k, i int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Participants[k].JoinsAtItem = c.Meeting.Agenda[i].ID }
}

func leaves(k, i int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Participants[k].LeavesAfterItem = c.Meeting.Agenda[i].ID }
}

func steps(fs ...func(c *casedoc.Case)) func(c *casedoc.Case) {
	return func(c *casedoc.Case) {
		for _, f := range fs {
			f(c)
		}
	}
}

func pid(c *casedoc.Case, k int) uuid.UUID { return c.Meeting.Participants[k].ID }

var dangling = uuid.MustParse("c637ac02-fc06-5af5-ad6d-216121851551")

func withParams(kv ...any) recommend.Policy {
	p := recommend.Policy{Params: map[string]any{}}
	for i := 0; i < len(kv); i += 2 {
		p.Params[kv[i].(string)] = kv[i+1]
	}
	return p
}

func removeID(ids []uuid.UUID, id uuid.UUID) []uuid.UUID {
	var out []uuid.UUID
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// addConsent gives participant k a consent with the scope, given at the time.
func addConsent(k int, scope consent.Scope, given func(c *casedoc.Case) time.Time) func(c *casedoc.Case) {
	return func(c *casedoc.Case) {
		c.Consents = append(c.Consents, consent.Consent{
			ID: uuid.New(), PatientID: c.Meeting.PatientID, GranteeID: pid(c, k),
			Scopes: []consent.Scope{scope}, GivenAt: given(c),
		})
	}
}

func beforeStart(d time.Duration) func(c *casedoc.Case) time.Time {
	return func(c *casedoc.Case) time.Time { return c.Meeting.Start.Add(-d) }
}

// reference returns a fresh copy of the reference meeting (see refcase).
func reference(t testing.TB) *casedoc.Case { return refcase.Case(t) }

// mustEngine compiles a policy over the built-in catalogue or fails the test.
func mustEngine(t testing.TB, p recommend.Policy, opts ...recommend.Option) *recommend.Engine {
	t.Helper()
	return refcase.Engine(t, p, opts...)
}

// resultFor returns the result of id in rep, failing the test when it is absent.
func resultFor(t testing.TB, rep *recommend.Report, id string) recommend.Result {
	return refcase.Result(t, rep, id)
}

// findingPaths returns the paths of the findings of r.
func findingPaths(r recommend.Result) []string { return refcase.FindingPaths(r) }

func days(n int) time.Duration  { return time.Duration(n) * recommend.Day }
func weeks(n int) time.Duration { return time.Duration(n) * recommend.Week }
