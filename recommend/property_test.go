package recommend_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Property tests over the synthetic case generator (casegen). Each property
// runs over hundreds of generated cases with fixed seeds, so a failure
// names a case that can be generated again: casegen.New(seed), case i.

// propertyCases is how many generated cases each property is checked on:
// fewer with -short or under the race detector (whose concurrency tests are
// elsewhere).
func propertyCases() int {
	if testing.Short() || raceEnabled {
		return 150
	}
	return 500
}

// propertyPolicies are the policies each property is checked under.
var propertyPolicies = map[string]recommend.Policy{
	"default":  {},
	"thorough": {Profile: recommend.ProfileThorough},
	"minimal":  {Profile: recommend.ProfileMinimal},
}

// cloneCase is a deep copy of a valid case, through its JSON.
func cloneCase(t testing.TB, c *casedoc.Case) *casedoc.Case {
	t.Helper()
	data, err := jsonv2.Marshal(c)
	require.NoError(t, err)
	c2, err := casedoc.Unmarshal(data)
	require.NoError(t, err)
	return c2
}

func byID(rep *recommend.Report) map[string]recommend.Result {
	m := make(map[string]recommend.Result, len(rep.Results))
	for _, r := range rep.Results {
		m[r.ID] = r
	}
	return m
}

func resultJSON(t testing.TB, r recommend.Result) string {
	t.Helper()
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return string(b)
}

// findingKey names a finding by everything it says.
func findingKey(f recommend.Finding) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s", f.SubjectID, f.SubjectRole, f.Path, f.Message, f.Remedy)
}

// TestPropertyValidConsentNeverAddsAGap: giving a third party (anyone who is
// neither a healthcare participant nor the patient) a consent with every
// scope, given before the meeting start and without expiry, never turns a
// result into a gap and never adds a finding to a gap. Consent only ever
// allows.
func TestPropertyValidConsentNeverAddsAGap(t *testing.T) {
	for name, policy := range propertyPolicies {
		t.Run(name, func(t *testing.T) {
			e := mustEngine(t, policy)
			g := casegen.New(101)
			rng := rand.New(rand.NewPCG(101, 1))
			tested := 0
			for i := range propertyCases() {
				c := g.Case()
				var third []int
				for k, p := range c.Meeting.Participants {
					if !p.Sector.Healthcare() && p.Role != meeting.RolePatient {
						third = append(third, k)
					}
				}
				if len(third) == 0 {
					continue
				}
				tested++
				before := byID(e.Check(c))
				c2 := cloneCase(t, c)
				grantee := c2.Meeting.Participants[third[rng.IntN(len(third))]]
				c2.Consents = append(c2.Consents, consent.Consent{
					ID: uuid.New(), PatientID: c2.Meeting.PatientID, GranteeID: grantee.ID,
					Scopes:  slices.Clone(consent.Scopes()),
					GivenAt: c2.Meeting.Start.Add(-time.Duration(1+rng.IntN(400*24)) * time.Hour),
					Method:  consent.MethodWritten,
				})
				require.NoError(t, c2.Validate(), "case %d", i)
				for _, r := range e.Check(c2).Results {
					if r.Outcome != recommend.OutcomeGap {
						continue
					}
					was := before[r.ID]
					if !assert.Equal(t, recommend.OutcomeGap, was.Outcome, "case %d: a consent for %s turned %s into a gap", i, grantee.Role, r.ID) {
						continue
					}
					old := map[string]bool{}
					for _, f := range was.Findings {
						old[findingKey(f)] = true
					}
					for _, f := range r.Findings {
						assert.True(t, old[findingKey(f)], "case %d: a consent for %s added a finding to %s: %+v", i, grantee.Role, r.ID, f)
					}
				}
			}
			assert.Greater(t, tested, propertyCases()/2, "too few generated cases have a third party")
		})
	}
}

// removeParticipants deletes the participants for which drop is true, and
// every reference to them that a valid case may not leave dangling (agenda
// leads, the lists of the preparation and the plan's recipients); the
// references that recommendations check (leader, owners, ...) may dangle.
func removeParticipants(c *casedoc.Case, drop func(meeting.Participant) bool) {
	m := &c.Meeting
	gone := map[uuid.UUID]bool{}
	for _, p := range m.Participants {
		if drop(p) {
			gone[p.ID] = true
		}
	}
	m.Participants = slices.DeleteFunc(m.Participants, drop)
	keep := func(ids []uuid.UUID) []uuid.UUID {
		return slices.DeleteFunc(ids, func(id uuid.UUID) bool { return gone[id] })
	}
	for i := range m.Agenda {
		if gone[m.Agenda[i].LeadID] {
			m.Agenda[i].LeadID = uuid.Nil
		}
	}
	if p := m.Preparation; p != nil {
		p.SentTo, p.ClinicalNotesSentTo, p.PreMeetingContact = keep(p.SentTo), keep(p.ClinicalNotesSentTo), keep(p.PreMeetingContact)
	}
	c.Consents = slices.DeleteFunc(c.Consents, func(k consent.Consent) bool { return gone[k.GranteeID] })
	for i := range c.Consents {
		if gone[c.Consents[i].RecordedBy] {
			c.Consents[i].RecordedBy = uuid.Nil
		}
	}
	if c.Plan != nil {
		c.Plan.Recipients = keep(c.Plan.Recipients)
	}
}

// TestPropertyNoPatientIsAPC01Gap: a case without a participant of role
// patient always has the gap PC-01, and PC-02 and PC-03 are not applicable
// (docs/catalogue.md, "No patient") — whether the patient is taken out of
// the meeting or their role is changed to next of kin.
func TestPropertyNoPatientIsAPC01Gap(t *testing.T) {
	isPatient := func(p meeting.Participant) bool { return p.Role == meeting.RolePatient }
	for name, policy := range propertyPolicies {
		t.Run(name, func(t *testing.T) {
			e := mustEngine(t, policy)
			g := casegen.New(202)
			for i := range propertyCases() {
				c := g.Case()
				removed := cloneCase(t, c)
				removeParticipants(removed, isPatient)
				require.NoError(t, removed.Validate(), "case %d", i)
				renamed := cloneCase(t, c)
				for k := range renamed.Meeting.Participants {
					if p := &renamed.Meeting.Participants[k]; p.Role == meeting.RolePatient {
						p.Role = meeting.RoleNextOfKin
					}
				}
				require.NoError(t, renamed.Validate(), "case %d", i)
				for variant, c := range map[string]*casedoc.Case{"removed": removed, "role changed": renamed} {
					rep := byID(e.Check(c))
					assert.Equal(t, recommend.OutcomeGap, rep["PC-01"].Outcome, "case %d, patient %s", i, variant)
					assert.Equal(t, recommend.OutcomeNotApplicable, rep["PC-02"].Outcome, "case %d, patient %s", i, variant)
					assert.Equal(t, recommend.OutcomeNotApplicable, rep["PC-03"].Outcome, "case %d, patient %s", i, variant)
					assert.False(t, e.Check(c).Compliant, "case %d, patient %s", i, variant)
				}
			}
		})
	}
}

// waivable returns the IDs of the rules of e that a policy may waive.
func waivable(e *recommend.Engine) []string {
	var ids []string
	for _, r := range e.Recommendations() {
		if r.Waivable() {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// TestPropertyWaiverChangesOnlyItsOwnResult: adding one waiver to a policy
// (for the meeting or for every meeting; valid or expired) changes no result
// but the waived recommendation's, and that one only as a waiver may: a gap
// becomes waived with its findings kept and the reason shown (or, when the
// waiver has expired, nothing changes but the expired mark on a pass or a
// gap; a not-applicable result is not marked).
func TestPropertyWaiverChangesOnlyItsOwnResult(t *testing.T) {
	base := mustEngine(t, recommend.Policy{})
	ids := waivable(base)
	g := casegen.New(303)
	rng := rand.New(rand.NewPCG(303, 1))
	waived := 0
	for i := range propertyCases() {
		c := g.Case()
		before := base.Check(c)
		id := ids[rng.IntN(len(ids))]
		w := recommend.Waiver{ID: id, MeetingID: recommend.WaiverAllMeetings, Reason: "agreed with the patient", Expires: c.Meeting.Start.AddDate(0, 1, 0)}
		if rng.IntN(2) == 0 {
			w.MeetingID = c.Meeting.ID.String()
		}
		expired := rng.IntN(4) == 0
		if expired {
			w.Expires = c.Meeting.Start.Add(-time.Duration(rng.IntN(1000)) * time.Hour)
		}
		after := mustEngine(t, recommend.Policy{Waivers: []recommend.Waiver{w}}).Check(c)
		require.Len(t, after.Results, len(before.Results))
		for k, r := range after.Results {
			was := before.Results[k]
			if r.ID != id {
				assert.Equal(t, resultJSON(t, was), resultJSON(t, r), "case %d: a waiver for %s changed %s", i, id, r.ID)
				continue
			}
			want := was
			switch {
			case expired && was.Outcome == recommend.OutcomeNotApplicable:
				// nothing to waive: no mark either
			case expired:
				want.WaiverExpired = true
			case was.Outcome == recommend.OutcomeGap:
				want.Outcome, want.WaiverReason = recommend.OutcomeWaived, w.Reason
				waived++
			}
			assert.Equal(t, resultJSON(t, want), resultJSON(t, r), "case %d: waiver for %s (expired %v)", i, id, expired)
		}
	}
	assert.Positive(t, waived, "no waiver ever applied to a gap")
}

// TestPropertyDisableRemovesOnlyItsResult: disabling one recommendation
// removes its result and changes no other.
func TestPropertyDisableRemovesOnlyItsResult(t *testing.T) {
	base := mustEngine(t, recommend.Policy{})
	ids := waivable(base)
	g := casegen.New(404)
	rng := rand.New(rand.NewPCG(404, 1))
	for i := range propertyCases() {
		c := g.Case()
		id := ids[rng.IntN(len(ids))]
		before := base.Check(c)
		after := mustEngine(t, recommend.Policy{Disable: []string{id}}).Check(c)
		var want []string
		for _, r := range before.Results {
			if r.ID != id {
				want = append(want, resultJSON(t, r))
			}
		}
		var got []string
		for _, r := range after.Results {
			got = append(got, resultJSON(t, r))
		}
		assert.Equal(t, want, got, "case %d: disabling %s", i, id)
	}
}

// TestPropertySameCaseSameBytes: the same case gives byte-identical report
// JSON from the same engine twice, from a new engine with the same policy,
// from the case after an encode/decode round trip, and from the same seed
// generated again.
func TestPropertySameCaseSameBytes(t *testing.T) {
	for name, policy := range propertyPolicies {
		t.Run(name, func(t *testing.T) {
			e := mustEngine(t, policy)
			g, again := casegen.New(505), casegen.New(505)
			for i := range propertyCases() {
				c := g.Case()
				want, err := json.Marshal(e.Check(c))
				require.NoError(t, err)
				for what, rep := range map[string]*recommend.Report{
					"same engine":  e.Check(c),
					"new engine":   mustEngine(t, policy).Check(c),
					"round trip":   e.Check(cloneCase(t, c)),
					"seed again":   e.Check(again.Case()),
					"check into":   checkInto(e, c),
					"nothing kept": e.Check(cloneCase(t, c)),
				} {
					got, err := json.Marshal(rep)
					require.NoError(t, err)
					if !bytes.Equal(want, got) {
						t.Fatalf("case %d: %s gives other bytes", i, what)
					}
				}
			}
		})
	}
}

// checkInto checks c into a report that held another case's results first.
func checkInto(e *recommend.Engine, c *casedoc.Case) *recommend.Report {
	rep := e.Check(casegen.New(9).Case())
	e.CheckInto(rep, c)
	return rep
}

// shuffleCase permutes the participants, the consents, the actions and
// every list of participant IDs of c — all lists whose order means nothing.
// The agenda keeps its order: it is the order of the meeting.
func shuffleCase(rng *rand.Rand, c *casedoc.Case) {
	shuffle := func(n int, swap func(i, j int)) { rng.Shuffle(n, swap) }
	ids := func(s []uuid.UUID) { shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] }) }
	m := &c.Meeting
	shuffle(len(m.Participants), func(i, j int) { m.Participants[i], m.Participants[j] = m.Participants[j], m.Participants[i] })
	shuffle(len(c.Consents), func(i, j int) { c.Consents[i], c.Consents[j] = c.Consents[j], c.Consents[i] })
	if p := m.Preparation; p != nil {
		ids(p.SentTo)
		ids(p.ClinicalNotesSentTo)
		ids(p.PreMeetingContact)
	}
	if p := c.Plan; p != nil {
		shuffle(len(p.Actions), func(i, j int) { p.Actions[i], p.Actions[j] = p.Actions[j], p.Actions[i] })
		ids(p.Recipients)
	}
}

// subjects is the sorted list of the subjects of a result's findings.
func subjects(r recommend.Result) []string {
	out := []string{}
	for _, f := range r.Findings {
		out = append(out, f.SubjectID.String()+"/"+string(f.SubjectRole))
	}
	slices.Sort(out)
	return out
}

// TestPropertyShuffleChangesNoOutcome: permuting the participants, the
// consents, the actions and the ID lists of the preparation and the plan
// changes no outcome, and every result's findings name the same subjects.
//
// What the property is, and is not: the findings' JSON paths name list
// positions (meeting.participants[4]), so they move with the permutation and
// findings may reorder; the property compares outcomes per recommendation
// ID and the multiset of findings' subjects, not paths. It holds for cases
// with exactly one participant of role patient (every generated case):
// with two, "the patient" is the first of them in list order, so shuffling
// may pick another one and change outcomes — that is the definition, not a
// fault. The agenda is never shuffled: its order is the meeting's.
func TestPropertyShuffleChangesNoOutcome(t *testing.T) {
	for name, policy := range propertyPolicies {
		t.Run(name, func(t *testing.T) {
			e := mustEngine(t, policy)
			g := casegen.New(606)
			rng := rand.New(rand.NewPCG(606, 1))
			for i := range propertyCases() {
				c := g.Case()
				patients := 0
				for _, p := range c.Meeting.Participants {
					if p.Role == meeting.RolePatient {
						patients++
					}
				}
				require.Equal(t, 1, patients, "case %d: the property is stated for one patient", i)
				before := e.Check(c)
				for range 3 {
					s := cloneCase(t, c)
					shuffleCase(rng, s)
					require.NoError(t, s.Validate(), "case %d", i)
					after := e.Check(s)
					require.Len(t, after.Results, len(before.Results))
					assert.Equal(t, before.Compliant, after.Compliant, "case %d", i)
					assert.Equal(t, before.Summary, after.Summary, "case %d", i)
					for k, r := range after.Results {
						was := before.Results[k]
						assert.Equal(t, was.Outcome, r.Outcome, "case %d: %s", i, r.ID)
						assert.Equal(t, subjects(was), subjects(r), "case %d: %s", i, r.ID)
					}
				}
			}
		})
	}
}
