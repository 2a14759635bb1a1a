package catalogue_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allCases is every rule case, theme by theme (each theme's cases are in its
// own test file, beside its rules).
func allCases() []ruleCase {
	return slices.Concat(pcCases, apCases, mcCases, csCases, pwCases, awayCases)
}

func TestEveryRecommendation(t *testing.T) {
	for _, tc := range allCases() {
		t.Run(tc.id+"/"+tc.name, func(t *testing.T) {
			c := reference(t)
			if tc.mutate != nil {
				tc.mutate(c)
			}
			rep := mustEngine(t, tc.policy).Check(c)
			res := resultFor(t, rep, tc.id)
			require.Equal(t, tc.outcome, res.Outcome, "error: %s, findings: %+v", res.Error, res.Findings)
			if tc.outcome != outGap {
				assert.Empty(t, res.Findings)
				return
			}
			assert.Equal(t, tc.paths, findingPaths(res))
			rec, ok := catalogue.Lookup(tc.id)
			require.True(t, ok)
			for _, f := range res.Findings {
				reason, found := strings.CutPrefix(f.Code, tc.id+".")
				assert.True(t, found, "code %s has the ID", f.Code)
				assert.Contains(t, rec.Reasons, reason)
				for _, text := range []string{f.Message, f.Remedy, f.Subject} {
					assert.NotEmpty(t, text)
					assert.NotContains(t, text, "<no value>", "a template reads an arg the finding does not have")
					assert.NotContains(t, text, f.Code, "a message is missing")
				}
			}
		})
	}
}

// TestEveryRecommendationHasCases holds the rule that every recommendation
// has at least one passing case and one gap case.
func TestEveryRecommendationHasCases(t *testing.T) {
	seen := map[string]map[recommend.Outcome]bool{}
	for _, tc := range allCases() {
		if seen[tc.id] == nil {
			seen[tc.id] = map[recommend.Outcome]bool{}
		}
		seen[tc.id][tc.outcome] = true
	}
	for _, r := range catalogue.Builtin().Rules {
		assert.True(t, seen[r.ID][outPass], "%s has no passing case", r.ID)
		assert.True(t, seen[r.ID][outGap], "%s has no gap case", r.ID)
	}
}

// TestEveryReasonIsReached holds that each declared reason of every
// recommendation is the code of a finding in some rule case: no dead
// reasons, no message file entries that nothing uses.
func TestEveryReasonIsReached(t *testing.T) {
	reached := map[string]bool{}
	for _, tc := range allCases() {
		if tc.outcome != outGap {
			continue
		}
		c := reference(t)
		if tc.mutate != nil {
			tc.mutate(c)
		}
		for _, f := range resultFor(t, mustEngine(t, tc.policy).Check(c), tc.id).Findings {
			reached[f.Code] = true
		}
	}
	for _, r := range catalogue.Builtin().Rules {
		for _, reason := range r.Reasons {
			assert.True(t, reached[r.Code(reason)], "no rule case reaches %s", r.Code(reason))
		}
	}
}

// TestFindingSubjects checks that findings about participants name them by
// ID, role and position, never by name.
func TestFindingSubjects(t *testing.T) {
	c := reference(t)
	c.Meeting.Participants[refcase.Supervisor].JoinsAtItem = c.Meeting.Agenda[refcase.ItemDiscussion].ID
	res := resultFor(t, mustEngine(t, recommend.Policy{}).Check(c), "MC-04")
	require.Len(t, res.Findings, 1)
	f := res.Findings[0]
	assert.Equal(t, c.Meeting.Participants[refcase.Supervisor].ID, f.SubjectID)
	assert.Equal(t, meeting.RoleSocialSecuritySupervisor, f.SubjectRole)
	assert.Equal(t, "meeting.participants[6].joins_at_item", f.Path)
	assert.Equal(t, "NAV supervisor (participant 7)", f.Subject)
}

// TestPlannedMeetingNeedsNoPlan: the common action plan is made at the
// meeting (2026.2), so a planned meeting without any plan is compliant
// under the default policy when nothing else is missing; the same meeting
// once held is not, and the plan's recommendations say why.
func TestPlannedMeetingNeedsNoPlan(t *testing.T) {
	c := reference(t)
	c.Plan = nil
	e := mustEngine(t, recommend.Policy{})
	planned := e.Check(c)
	assert.True(t, planned.Compliant)
	for _, r := range planned.Results {
		assert.NotEqual(t, recommend.OutcomeGap, r.Outcome, "%s on a planned meeting without a plan", r.ID)
	}
	c.Meeting.Status = meeting.StatusHeld
	held := e.Check(c)
	assert.False(t, held.Compliant)
	var gaps []string
	for _, r := range held.Results {
		if r.Outcome == recommend.OutcomeGap {
			gaps = append(gaps, r.ID)
		}
	}
	for _, id := range []string{"AP-03", "AP-04", "AP-05", "AP-06", "AP-09", "PW-03"} {
		assert.Contains(t, gaps, id, "a held meeting without a plan")
	}
}
