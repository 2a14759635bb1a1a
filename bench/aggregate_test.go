package bench

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/mixed-aggregate.golden.json from the current output")

// mixedCases is the size of the mixed corpus of TestMixedAggregate.
const mixedCases = 3000

// TestMixedAggregate holds the Pipeline's work on mixed cases (as
// collabmeet generate makes them, its default seed) to three things:
//
//   - each report that CheckInto writes into one reused report, under
//     WithoutTexts and WithoutFixes, equals the report Check gives for the
//     case afresh with the same engine (the memory CheckInto reuses leaks
//     nothing from one case into the next);
//   - the aggregate of those reports equals, byte for byte, the aggregate
//     of the reports of an engine that computes fixes (an aggregate does
//     not read them);
//   - the aggregate is the one in testdata/mixed-aggregate.golden.json,
//     written before the Pipeline was made faster (go test -update
//     rewrites it when the catalogue changes what it finds).
func TestMixedAggregate(t *testing.T) {
	bare, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, pipelineOptions...)
	require.NoError(t, err)
	withFixes, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithoutTexts())
	require.NoError(t, err)
	g := casegen.New(1) // collabmeet generate's default seed
	var ndjson bytes.Buffer
	for range mixedCases {
		data, err := jsonv2.Marshal(g.Case()) // as docs encodes them
		require.NoError(t, err)
		ndjson.Write(data)
		ndjson.WriteByte('\n')
	}
	var (
		c        casedoc.Case
		rep      recommend.Report
		got, ref recommend.Aggregate
		gaps     int
	)
	r := casedoc.NewReader(&ndjson)
	for r.Next() {
		require.NoError(t, r.Decoder.UnmarshalInto(r.Bytes(), &c), "line %d", r.Line())
		require.NoError(t, bare.CheckInto(&rep, &c))
		require.Equal(t, bare.Check(&c), &rep, "line %d: CheckInto into a reused report", r.Line())
		got.Add(&rep)
		ref.Add(withFixes.Check(&c))
		if !rep.Compliant {
			gaps++
		}
	}
	require.NoError(t, r.Err())
	require.Equal(t, mixedCases, got.Cases)
	require.Positive(t, gaps, "the mixed cases must have gaps")
	gotJSON, err := json.MarshalIndent(&got, "", "  ")
	require.NoError(t, err)
	refJSON, err := json.MarshalIndent(&ref, "", "  ")
	require.NoError(t, err)
	require.Equal(t, string(refJSON), string(gotJSON), "the aggregate depends on fixes")
	gotJSON = append(gotJSON, '\n')
	golden := filepath.Join("testdata", "mixed-aggregate.golden.json")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, gotJSON, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "go test -run TestMixedAggregate -update writes it")
	require.Equal(t, string(want), string(gotJSON))
}
