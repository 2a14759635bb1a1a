package recommend_test

import (
	"bytes"
	stdjson "encoding/json"
	"fmt"
	"math"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The performance budgets (docs/design.md "Budgets"), on the typical
// case: the reference meeting of examples/cases/compliant-digital-meeting.json.
// go test checks only what does not depend on the machine: allocation
// counts and how they grow with the case. Times are benchmarks
// (BenchmarkBudget, BenchmarkCheckScale), compared in BENCHMARKS.md, never in
// go test.
const (
	// maxCheckAllocs is what Check of the compliant typical case may allocate:
	// the report and its slices.
	maxCheckAllocs = 3
)

// Under the race detector, sync.Pool drops items at random, so allocation
// counts are the detector's rather than the code's: the tests below check
// them only when raceEnabled is false, and check the reports always.

// TestBudgetAllocations holds the allocation budget: Check of the compliant
// typical case allocates at most the report and its slices, and CheckInto,
// reusing a report, allocates nothing once in a steady state.
func TestBudgetAllocations(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	c := reference(t)
	rep := e.Check(c)
	require.True(t, rep.Compliant, "the typical case is compliant")
	var into recommend.Report
	require.NoError(t, e.CheckInto(&into, c))
	require.Equal(t, rep, &into, "CheckInto gives what Check gives")
	if raceEnabled {
		return
	}
	check := testing.AllocsPerRun(200, func() { reportSink = e.Check(c) })
	assert.LessOrEqual(t, check, float64(maxCheckAllocs), "Check of the typical case allocates %v times", check)
	checkInto := testing.AllocsPerRun(200, func() { _ = e.CheckInto(&into, c) })
	assert.Zero(t, checkInto, "CheckInto of the typical case allocates in a steady state")
}

// TestPassingRuleAllocatesNothing checks each recommendation alone on a case
// where it passes (or does not apply): CheckInto allocates nothing. So it
// does on the same case with participants stepping out (away_items): the
// supervisor from the start, out of the clinical summary and the patient's
// perspective and back at the recap; the next of kin likewise; the GP out
// of the action plan and back for the summary.
func TestPassingRuleAllocatesNothing(t *testing.T) {
	c := reference(t)
	held(c)
	c.Meeting.Preparation.SuggestedActionsSentAt = c.Meeting.Start.Add(-days(7))
	away := reference(t)
	held(away)
	away.Meeting.Preparation.SuggestedActionsSentAt = away.Meeting.Start.Add(-days(7))
	m := &away.Meeting
	outOf := func(i ...int) []uuid.UUID {
		var ids []uuid.UUID
		for _, j := range i {
			ids = append(ids, m.Agenda[j].ID)
		}
		return ids
	}
	m.Participants[refcase.Supervisor].JoinsAtItem = uuid.Nil
	m.Participants[refcase.Supervisor].AwayItems = outOf(refcase.ItemClinical, refcase.ItemPerspective)
	m.Participants[refcase.NextOfKin].AwayItems = outOf(refcase.ItemClinical, refcase.ItemPerspective)
	m.Participants[refcase.GP].AwayItems = outOf(refcase.ItemActionPlan)
	require.NoError(t, away.Validate())

	cat := catalogue.Builtin()
	require.NotEmpty(t, cat.Rules)
	for name, c := range map[string]*casedoc.Case{"": c, "/stepping out": away} {
		for _, r := range cat.Rules {
			t.Run(r.ID+name, func(t *testing.T) {
				e, err := recommend.New(recommend.Catalogue{Themes: catalogue.Themes(), Version: cat.Version, Rules: []recommend.Rule{r}, Messages: cat.Messages},
					recommend.Policy{Profile: recommend.ProfileThorough})
				require.NoError(t, err)
				var rep recommend.Report
				require.NoError(t, e.CheckInto(&rep, c))
				require.Contains(t, []recommend.Outcome{recommend.OutcomePass, recommend.OutcomeNotApplicable}, rep.Results[0].Outcome,
					"%s: %s %+v", r.ID, rep.Results[0].Error, rep.Results[0].Findings)
				if !raceEnabled {
					assert.Zero(t, testing.AllocsPerRun(50, func() { _ = e.CheckInto(&rep, c) }), "%s allocates when it passes", r.ID)
				}
			})
		}
	}
}

// BenchmarkBudget is what the budget compares (BENCHMARKS.md): Check of the
// typical case, decoding the same bytes with encoding/json into the same
// types, and casedoc's decode and validate. Compare with -cpu 1.
func BenchmarkBudget(b *testing.B) {
	data, err := os.ReadFile(refcase.Path)
	require.NoError(b, err)
	e := mustEngine(b, recommend.Policy{})
	c := reference(b)
	b.Run("check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			reportSink = e.Check(c)
		}
	})
	b.Run("check-into", func(b *testing.B) {
		var rep recommend.Report
		b.ReportAllocs()
		for b.Loop() {
			_ = e.CheckInto(&rep, c)
		}
	})
	b.Run("encoding-json-decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var c casedoc.Case
			if err := stdjson.Unmarshal(data, &c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("casedoc-decode-validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := casedoc.Unmarshal(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestCheckScalesLinearly checks a valid meeting of 100,000 participants and
// 1,000 agenda items, with 10,000 consents: the report is correct, and ten
// times the case allocates at most 15 times the bytes and the allocations,
// counted (times are BenchmarkCheckScale's). A rule that builds a set per
// participant, or copies a list per item, grows by 100.
func TestCheckScalesLinearly(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	n := 100_000
	if testing.Short() || raceEnabled {
		n = 10_000
	}
	small, large := scaleCase(n/10), scaleCase(n)
	require.NoError(t, small.Validate())
	require.NoError(t, large.Validate())

	for _, c := range []*casedoc.Case{small, large} {
		rep := e.Check(c)
		// A meeting this large outnumbers the patient (PC-06), and an
		// agenda of 100 items or more cannot fit the 90 minutes (MC-02):
		// the rest is compliant, consents included.
		want := []string{"PC-06"}
		if c.Meeting.AgendaMinutes() > c.Meeting.DurationMinutes {
			want = append(want, "MC-02")
		}
		assert.Equal(t, want, gapIDs(rep), "%d participants", len(c.Meeting.Participants))
		assert.Equal(t, recommend.OutcomePass, resultFor(t, rep, "PC-04").Outcome, "every third party holds a consent")
		assert.Equal(t, recommend.OutcomePass, resultFor(t, rep, "CS-07").Outcome)
	}
	// A third party without consent is found among them.
	noConsent := scaleCase(n)
	noConsent.Consents = noConsent.Consents[:len(noConsent.Consents)-1]
	pc04 := resultFor(t, e.Check(noConsent), "PC-04")
	assert.Equal(t, recommend.OutcomeGap, pc04.Outcome)
	assert.Len(t, pc04.Findings, 1)

	if raceEnabled {
		return // the detector's allocations are not the code's
	}
	smallBytes, smallAllocs := allocated(func() { reportSink = e.Check(small) })
	largeBytes, largeAllocs := allocated(func() { reportSink = e.Check(large) })
	t.Logf("Check of %d participants: %d bytes in %d allocations; of %d: %d bytes in %d allocations",
		n/10, smallBytes, smallAllocs, n, largeBytes, largeAllocs)
	assert.LessOrEqual(t, largeBytes, 15*smallBytes+64<<10, "the memory of Check does not grow linearly with the case")
	assert.LessOrEqual(t, largeAllocs, 15*smallAllocs+100, "the allocations of Check do not grow linearly with the case")
}

// allocated counts the bytes and the allocations of f, after a first call
// that fills the pools: the least of five calls, since a collection during
// a call empties the pools (sync.Pool) and the next call refills them.
func allocated(f func()) (bytes, allocs uint64) {
	f()
	bytes, allocs = math.MaxUint64, math.MaxUint64
	for range 5 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		bytes = min(bytes, after.TotalAlloc-before.TotalAlloc)
		allocs = min(allocs, after.Mallocs-before.Mallocs)
	}
	return bytes, allocs
}

// BenchmarkCheckScale is Check on meetings of 1,000 to 100,000 participants
// (one agenda item per 100 participants, one consent per 10).
func BenchmarkCheckScale(b *testing.B) {
	e := mustEngine(b, recommend.Policy{})
	for _, n := range []int{1_000, 10_000, 100_000} {
		c := scaleCase(n)
		b.Run(fmt.Sprintf("participants=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				reportSink = e.Check(c)
			}
		})
	}
}

// scaleCase is a valid meeting of n participants (n ≥ 1,000): the synthetic
// compliant meeting, with n/100 agenda items, 150 actions, and every tenth
// participant a social security supervisor holding a consent, who joins at
// the second item (a recap) and stays to the end.
func scaleCase(n int) *casedoc.Case {
	c := syntheticCase(n, n/100, min(n/100, 150))
	m := &c.Meeting
	recap := 1 // after the introductions, before the first discussion
	m.Agenda[recap].Recap = true
	for k := 10; k < n; k += 10 {
		p := &m.Participants[k]
		p.Role, p.Sector, p.Location = meeting.RoleSocialSecuritySupervisor, meeting.SectorSocialSecurity, meeting.LocationOffice
		p.PriorContact, p.Purpose, p.JoinsAtItem = true, "benefits", m.Agenda[recap].ID
		c.Consents = append(c.Consents, consent.Consent{
			ID:        uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "scale-consent-%d", k)),
			PatientID: m.PatientID, GranteeID: p.ID, GivenAt: m.Start.Add(-7 * 24 * time.Hour),
			Scopes: []consent.Scope{consent.ScopeAttend, consent.ScopeReceivePlan},
		})
	}
	// The social security participants now own actions too, and only the
	// patient and health care received the clinical notes.
	m.Preparation.ClinicalNotesSentTo = m.Preparation.ClinicalNotesSentTo[:0]
	for k := range m.Participants {
		if m.Participants[k].Healthcare() || k == 0 {
			m.Preparation.ClinicalNotesSentTo = append(m.Preparation.ClinicalNotesSentTo, m.Participants[k].ID)
		}
	}
	return c
}

// pipelineLines returns n NDJSON lines of cases: the reference meeting with
// fresh IDs when typical is set, cases of casegen otherwise.
func pipelineLines(tb testing.TB, n int, typical bool) []byte {
	tb.Helper()
	var out bytes.Buffer
	g := casegen.New(5)
	for i := range n {
		var c *casedoc.Case
		if typical {
			c = reference(tb)
			c.Meeting.ID = uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "pipeline-%d", i))
			if c.Plan != nil {
				c.Plan.MeetingID = c.Meeting.ID
			}
		} else {
			c = g.Case()
		}
		data, err := stdjson.Marshal(c)
		require.NoError(tb, err)
		out.Write(data)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// BenchmarkPipeline is the path of collabmeet report for one case, on one
// core: an NDJSON line is read, decoded and validated (UnmarshalInto, one
// case reused), checked (CheckInto, one report reused) and added to an
// aggregate. typical streams the reference meeting (with varied IDs),
// generated the mix of casegen.
func BenchmarkPipeline(b *testing.B) {
	e := mustEngine(b, recommend.Policy{})
	for _, typical := range []bool{true, false} {
		name := "generated"
		if typical {
			name = "typical"
		}
		b.Run(name, func(b *testing.B) {
			data := pipelineLines(b, 500, typical)
			var (
				agg recommend.Aggregate
				rep recommend.Report
				c   casedoc.Case
			)
			r := casedoc.NewReader(bytes.NewReader(data))
			b.SetBytes(int64(len(data) / 500))
			b.ReportAllocs()
			for b.Loop() {
				if !r.Next() {
					r = casedoc.NewReader(bytes.NewReader(data))
					r.Next()
				}
				if err := r.Decoder.UnmarshalInto(r.Bytes(), &c); err != nil {
					b.Fatal(err)
				}
				e.CheckInto(&rep, &c)
				agg.Add(&rep)
			}
			if agg.Cases == 0 {
				b.Fatal("nothing aggregated")
			}
		})
	}
}

// BenchmarkAggregateAdd folds one report into an aggregate.
func BenchmarkAggregateAdd(b *testing.B) {
	e := mustEngine(b, recommend.Policy{})
	rep := e.Check(reference(b))
	var agg recommend.Aggregate
	b.ReportAllocs()
	for b.Loop() {
		agg.Add(rep)
	}
}

// BenchmarkAggregateMerge merges a worker's partial aggregate (1,000 cases
// of casegen, 12 months) into the total, as collabmeet report does for each
// worker at the end of a stream.
func BenchmarkAggregateMerge(b *testing.B) {
	e := mustEngine(b, recommend.Policy{})
	var partial recommend.Aggregate
	g := casegen.New(11)
	for range 1000 {
		partial.Add(e.Check(g.Case()))
	}
	var total recommend.Aggregate
	b.ReportAllocs()
	for b.Loop() {
		total.Merge(&partial)
	}
}
