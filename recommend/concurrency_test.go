package recommend_test

import (
	"bytes"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedEngine is an engine whose policy uses every part of a policy, so
// that concurrent checks read all of the compiled state.
func sharedEngine(t testing.TB) *recommend.Engine {
	return mustEngine(t, recommend.Policy{
		Profile:  recommend.ProfileThorough,
		Disable:  []string{"PW-02"},
		Severity: map[string]recommend.Severity{"MC-06": recommend.SeverityRecommended},
		Params:   map[string]any{"notice_days": 4, "allow_professionals_only": false},
		Waivers: []recommend.Waiver{
			{ID: "MC-08", MeetingID: recommend.WaiverAllMeetings, Reason: "r", Expires: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)},
			{ID: "AP-07", MeetingID: recommend.WaiverAllMeetings, Reason: "r", Expires: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		},
	})
}

// TestSharedEngine32Goroutines: one engine shared by 32 goroutines, each
// checking its own generated cases (Check and CheckInto, interleaved), gives
// for every case the report of a sequential check, byte for byte. Run it
// with -race.
func TestSharedEngine32Goroutines(t *testing.T) {
	const goroutines = 32
	perGoroutine := 40
	if testing.Short() || raceEnabled {
		perGoroutine = 12
	}
	e := sharedEngine(t)
	cases := make([][]*casedoc.Case, goroutines)
	want := make([][][]byte, goroutines)
	for g := range goroutines {
		gen := casegen.New(uint64(1000 + g))
		for range perGoroutine {
			c := gen.Case()
			b, err := json.Marshal(e.Check(c))
			require.NoError(t, err)
			cases[g] = append(cases[g], c)
			want[g] = append(want[g], b)
		}
	}
	got := make([][][]byte, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			var into recommend.Report
			for i, c := range cases[g] {
				var rep *recommend.Report
				if i%2 == 0 {
					rep = e.Check(c)
				} else {
					e.CheckInto(&into, c)
					rep = &into
				}
				b, _ := json.Marshal(rep)
				got[g] = append(got[g], b)
			}
		})
	}
	wg.Wait()
	for g := range goroutines {
		for i := range want[g] {
			if !bytes.Equal(want[g][i], got[g][i]) {
				t.Errorf("goroutine %d, case %d: the report differs from a sequential check", g, i)
			}
		}
	}
}

// TestParallelAggregateEqualsSequential: workers that take cases from one
// channel, check them with a shared engine and fold the reports into their
// own aggregates, merged at the end (as collabmeet report does), give the
// aggregate of one sequential pass, byte for byte — for any number of
// workers.
func TestParallelAggregateEqualsSequential(t *testing.T) {
	n := 2_000
	if testing.Short() || raceEnabled {
		n = 400
	}
	e := sharedEngine(t)
	gen := casegen.New(77)
	cases := make([]*casedoc.Case, n)
	var want recommend.Aggregate
	for i := range cases {
		cases[i] = gen.Case()
		want.Add(e.Check(cases[i]))
		if i%97 == 0 {
			want.AddInvalid()
		}
	}
	wantJSON, err := json.Marshal(&want)
	require.NoError(t, err)

	for _, workers := range []int{1, 2, 7, 32} {
		jobs := make(chan int)
		parts := make([]*recommend.Aggregate, workers)
		var wg sync.WaitGroup
		for w := range workers {
			parts[w] = new(recommend.Aggregate)
			wg.Go(func() {
				var rep recommend.Report
				for i := range jobs {
					e.CheckInto(&rep, cases[i])
					parts[w].Add(&rep)
					if i%97 == 0 {
						parts[w].AddInvalid()
					}
				}
			})
		}
		for i := range cases {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		var total recommend.Aggregate
		for _, p := range parts {
			total.Merge(p)
		}
		got, err := json.Marshal(&total)
		require.NoError(t, err)
		assert.JSONEq(t, string(wantJSON), string(got), "%d workers", workers)
		assert.Equal(t, string(wantJSON), string(got), "%d workers: byte for byte", workers)
	}
}
