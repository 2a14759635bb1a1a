package recommend_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// expectation is what checking one example case must give: exactly these
// gaps, or, for an invalid case, errors at these paths. Policy, when set, is
// the file name of a policy (next to the case) or a policy object.
type expectation struct {
	Gaps         []string        `json:"gaps"`
	InvalidPaths []string        `json:"invalid_paths"`
	Policy       json.RawMessage `json:"policy"`
}

// TestExampleCases checks every case in examples/cases against
// examples/cases/expected/NAME.json.
func TestExampleCases(t *testing.T) {
	dir := filepath.Join(moduleRoot(t), "examples", "cases")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			checkExpectation(t, dir, file, filepath.Join(dir, "expected", name))
		})
	}
}

// TestSharedCases holds that examples/cases carries the project's shared
// case set (the catalogue contract, kept beside the repository in
// cases) byte for byte, with the same expectations, so that
// TestExampleCases checks the contract in every clone. Outside the
// project's workspace there is no shared set to compare with, and the
// examples alone are checked.
func TestSharedCases(t *testing.T) {
	shared := filepath.Join(moduleRoot(t), "..", "shared", "cases")
	files, _ := filepath.Glob(filepath.Join(shared, "*.json"))
	if len(files) == 0 {
		t.Logf("no shared case set at %s: TestExampleCases checks the copies in examples/cases", shared)
		return
	}
	examples := filepath.Join(moduleRoot(t), "examples", "cases")
	for _, file := range files {
		name := filepath.Base(file)
		copyName := filepath.Join(examples, name)
		if base, ok := strings.CutSuffix(name, ".expect.json"); ok {
			copyName = filepath.Join(examples, "expected", base+".json")
		}
		want, err := os.ReadFile(file)
		require.NoError(t, err)
		got, err := os.ReadFile(copyName)
		require.NoError(t, err, "examples/cases lacks the shared %s", name)
		assert.Equal(t, string(want), string(got), "examples/cases differs from the shared %s", name)
	}
}

func checkExpectation(t *testing.T, dir, caseFile, expectFile string) {
	t.Helper()
	data, err := os.ReadFile(expectFile)
	require.NoError(t, err, "every case needs its expectation")
	var want expectation
	require.NoError(t, json.Unmarshal(data, &want))

	policy := recommend.Policy{}
	if len(want.Policy) > 0 {
		var file string
		if json.Unmarshal(want.Policy, &file) == nil {
			policy, err = recommend.LoadPolicy(filepath.Join(dir, file))
		} else {
			policy, err = recommend.UnmarshalPolicy(want.Policy)
		}
		require.NoError(t, err)
	}

	c, err := casedoc.ReadFile(caseFile)
	if want.InvalidPaths != nil {
		var verr *validation.Error
		require.ErrorAs(t, err, &verr, "the case must be invalid")
		for _, p := range want.InvalidPaths {
			assert.Contains(t, verr.Paths(), p)
		}
		return
	}
	require.NoError(t, err)
	rep := mustEngine(t, policy).Check(c)
	if want.Gaps == nil {
		want.Gaps = []string{}
	}
	assert.ElementsMatch(t, want.Gaps, gapIDs(rep), "gaps")
	for _, r := range rep.Results {
		assert.NotEqual(t, recommend.OutcomeError, r.Outcome, "%s: %s", r.ID, r.Error)
	}
}
