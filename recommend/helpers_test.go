package recommend_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

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

// gaps returns the IDs whose outcome is gap, in report order.
func gapIDs(rep *recommend.Report) []string {
	out := []string{}
	for _, r := range rep.Results {
		if r.Outcome == recommend.OutcomeGap {
			out = append(out, r.ID)
		}
	}
	return out
}

// findingPaths returns the paths of the findings of r.
func findingPaths(r recommend.Result) []string { return refcase.FindingPaths(r) }

// moduleRoot is the directory of go.mod, seen from the package directory.
func moduleRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	return root
}

func days(n int) time.Duration  { return time.Duration(n) * recommend.Day }
func weeks(n int) time.Duration { return time.Duration(n) * recommend.Week }

// held marks the reference case as held, with the plan agreed and sent to
// every participant.
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

// joins makes participant k join at agenda item i.
func joins(k, i int) func(c *casedoc.Case) {
	return func(c *casedoc.Case) { c.Meeting.Participants[k].JoinsAtItem = c.Meeting.Agenda[i].ID }
}

// pid is the ID of participant k.
func pid(c *casedoc.Case, k int) uuid.UUID { return c.Meeting.Participants[k].ID }

// builtinCount is the number of recommendations of the built-in catalogue.
func builtinCount() int { return len(catalogue.Builtin().Rules) }

var (
	outPass = recommend.OutcomePass
	outGap  = recommend.OutcomeGap
	outNA   = recommend.OutcomeNotApplicable
)

// dangling is an ID of nothing in the reference case.
var dangling = uuid.MustParse("c637ac02-fc06-5af5-ad6d-216121851551")

// themeIDs returns the IDs of the built-in catalogue's themes, in order.
func themeIDs() []recommend.Theme {
	var out []recommend.Theme
	for _, d := range catalogue.Themes() {
		out = append(out, d.ID)
	}
	return out
}
