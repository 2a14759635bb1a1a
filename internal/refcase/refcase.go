// Package refcase gives the tests of collabmeet the reference meeting,
// examples/cases/compliant-digital-meeting.json: a compliant, planned digital
// collaboration meeting, and the indexes of its parts, so that a test
// changes one thing of it and checks what that gives.
package refcase

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/require"
)

// Indexes of the participants of the reference meeting. The pain physician
// leads and updates the plan, the psychologist takes the minutes, and the
// supervisor joins at the recap item (ItemRecap).
const (
	Patient = iota
	NextOfKin
	Physician
	Psychologist
	Physio
	GP
	Supervisor
)

// Indexes of the agenda items of the reference meeting. Its consents are,
// by index, the next of kin's and the supervisor's (attend, receive_plan);
// its plan's actions are owned by the physiotherapist, the GP and the
// supervisor.
const (
	ItemIntro = iota
	ItemClinical
	ItemPerspective
	ItemRecap
	ItemDiscussion
	ItemActionPlan
	ItemSummary
)

// Path is the file of the reference meeting.
var Path = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "cases", "compliant-digital-meeting.json")
}()

var data = sync.OnceValues(func() ([]byte, error) { return os.ReadFile(Path) })

// Case returns a fresh copy of the reference meeting.
func Case(t testing.TB) *casedoc.Case {
	t.Helper()
	b, err := data()
	require.NoError(t, err)
	c, err := casedoc.Unmarshal(b)
	require.NoError(t, err)
	return c
}

// Result returns the result of id in rep, failing the test when it is absent.
func Result(t testing.TB, rep *recommend.Report, id string) recommend.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.ID == id {
			return r
		}
	}
	require.Failf(t, "no result", "the report has no result for %s", id)
	return recommend.Result{}
}

// FindingPaths returns the paths of the findings of r, in order.
func FindingPaths(r recommend.Result) []string {
	out := []string{}
	for _, f := range r.Findings {
		out = append(out, f.Path)
	}
	return out
}

// Engine compiles a policy over the built-in catalogue, or fails the test.
func Engine(t testing.TB, p recommend.Policy, opts ...recommend.Option) *recommend.Engine {
	t.Helper()
	e, err := recommend.New(catalogue.Builtin(), p, opts...)
	require.NoError(t, err)
	return e
}
