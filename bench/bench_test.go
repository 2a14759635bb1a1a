// Package bench compares the decoding of case documents with the fastest
// strict third-party decoder found, github.com/goccy/go-json's v2 API with
// unknown members rejected: the yardstick of the pipeline budget
// (docs/design.md, "Budgets"). It is a module of its own so that the library does not depend
// on goccy.
package bench

import (
	"bytes"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/go-json-experiment/json"
	goccy "github.com/goccy/go-json/v2"
)

var sink *casedoc.Case

// BenchmarkTypical is one interleaved run of the budget: per typical case,
// goccy's strict decode into a new casedoc.Case (the yardstick: no
// validation, and UUIDs in forms the case format refuses accepted), and
// collabmeet's decode + validate, into a new case (Unmarshal) and into one
// reused case (UnmarshalInto); and Pipeline, the whole path of collabmeet
// report per case on one goroutine, as its workers run it: the line read
// from NDJSON (casedoc.Reader), decoded and validated (UnmarshalInto, one
// case reused), checked (CheckInto with the built-in catalogue, WithoutTexts
// and WithoutFixes, one report reused) and added to an aggregate. The budget
// (docs/design.md, "Budgets") compares Pipeline with goccy.
func BenchmarkTypical(b *testing.B) {
	g := casegen.New(5)
	benchmarkPipeline(b, docs(b, g.Typical), true)
}

// BenchmarkMixed is BenchmarkTypical on mixed cases as collabmeet generate
// makes them (casegen.Generator.Case: 3 to 20 participants, some cases
// compliant and some with defects, so that the check finds gaps and, on
// planned meetings, could suggest fixes). The budget holds on these too.
func BenchmarkMixed(b *testing.B) {
	g := casegen.New(1) // collabmeet generate's default seed
	benchmarkPipeline(b, docs(b, g.Case), false)
}

// docs are 500 cases drawn from next, each encoded as one document. The
// benchmarks go round them, so that no branch predictor or cache learns
// one document.
func docs(b *testing.B, next func() *casedoc.Case) [][]byte {
	b.Helper()
	docs := make([][]byte, 500)
	for i := range docs {
		data, err := json.Marshal(next())
		if err != nil {
			b.Fatal(err)
		}
		docs[i] = data
	}
	return docs
}

// benchmarkPipeline runs goccy, Unmarshal, UnmarshalInto and Pipeline on
// docs. With allCompliant, Pipeline fails unless every case is compliant;
// without it, unless some case has a gap (mixed cases must exercise the
// findings).
func benchmarkPipeline(b *testing.B, docs [][]byte, allCompliant bool) {
	size := 0
	for _, d := range docs {
		size += len(d)
	}
	b.Run("goccy", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size / len(docs)))
		i := 0
		for b.Loop() {
			c := new(casedoc.Case)
			if err := goccy.Unmarshal(docs[i%len(docs)], c, goccy.RejectUnknownMembers(true)); err != nil {
				b.Fatal(err)
			}
			sink = c
			i++
		}
	})
	b.Run("Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size / len(docs)))
		i := 0
		for b.Loop() {
			c, err := casedoc.Unmarshal(docs[i%len(docs)])
			if err != nil {
				b.Fatal(err)
			}
			sink = c
			i++
		}
	})
	b.Run("UnmarshalInto", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size / len(docs)))
		var c casedoc.Case
		dec := casedoc.Decoder{}
		i := 0
		for b.Loop() {
			if err := dec.UnmarshalInto(docs[i%len(docs)], &c); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("CheckAdd", func(b *testing.B) {
		// The Pipeline's part after the decode: the check and the
		// aggregate, on cases decoded beforehand.
		p := newPipeline(b, docs)
		cases := make([]casedoc.Case, len(docs))
		for i, d := range docs {
			if err := (casedoc.Decoder{}).UnmarshalInto(d, &cases[i]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if err := p.e.CheckInto(&p.rep, &cases[i%len(cases)]); err != nil {
				b.Fatal(err)
			}
			p.agg.Add(&p.rep)
			i++
		}
		p.verify(b, allCompliant)
	})
	b.Run("Pipeline", func(b *testing.B) {
		p := newPipeline(b, docs)
		b.ReportAllocs()
		b.SetBytes(int64(size / len(docs)))
		for b.Loop() {
			p.next(b)
		}
		p.verify(b, allCompliant)
	})
}

// pipeline is what a worker of collabmeet report does per case, on one
// goroutine, over docs as one NDJSON stream gone round in turn.
type pipeline struct {
	docs   [][]byte
	ndjson []byte
	e      *recommend.Engine
	r      *casedoc.Reader
	c      casedoc.Case
	rep    recommend.Report
	agg    recommend.Aggregate
}

func newPipeline(b *testing.B, docs [][]byte) *pipeline {
	b.Helper()
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, pipelineOptions...)
	if err != nil {
		b.Fatal(err)
	}
	var ndjson bytes.Buffer
	for _, d := range docs {
		ndjson.Write(d)
		ndjson.WriteByte('\n')
	}
	p := &pipeline{docs: docs, ndjson: ndjson.Bytes(), e: e}
	p.r = casedoc.NewReader(bytes.NewReader(p.ndjson))
	return p
}

// next reads, decodes, validates, checks and aggregates the next case.
func (p *pipeline) next(b *testing.B) {
	if !p.r.Next() {
		p.r = casedoc.NewReader(bytes.NewReader(p.ndjson))
		p.r.Next()
	}
	if err := p.r.Decoder.UnmarshalInto(p.r.Bytes(), &p.c); err != nil {
		b.Fatal(err)
	}
	if err := p.e.CheckInto(&p.rep, &p.c); err != nil {
		b.Fatal(err)
	}
	p.agg.Add(&p.rep)
}

// verify fails unless cases were aggregated, all of them compliant with
// allCompliant, some of them not without it (mixed cases must exercise
// the findings).
func (p *pipeline) verify(b *testing.B, allCompliant bool) {
	b.Helper()
	agg := &p.agg
	switch {
	case agg.Cases == 0:
		b.Fatal("no case aggregated")
	case allCompliant && agg.Compliant != agg.Cases:
		b.Fatalf("%d cases aggregated, %d compliant", agg.Cases, agg.Compliant)
	case !allCompliant && agg.Cases >= len(p.docs) && agg.Compliant == agg.Cases:
		b.Fatalf("%d mixed cases aggregated, all compliant", agg.Cases)
	}
}

// BenchmarkPipelineRatio is the budget's own measure: goccy's strict
// decode and the Pipeline (see BenchmarkTypical) by turns on one
// goroutine, 50 cases each, over the same documents, reporting the ratios
// of their times (Pipeline/goccy): wall time, and the CPU time of the
// process (getrusage: every thread, the garbage collector's included).
// On a shared machine whose speed drifts, both see the same drift, so the
// ratio is what the budget is judged on. cpu-decode/goccy is the decode
// and validation alone (UnmarshalInto, 50 more cases each round) against
// goccy. ns/op is the time of one round of 3 × 50 cases.
func BenchmarkPipelineRatio(b *testing.B) {
	for _, kind := range []struct {
		name string
		next func(*casegen.Generator) func() *casedoc.Case
		all  bool
	}{
		{"typical", func(g *casegen.Generator) func() *casedoc.Case { return g.Typical }, true},
		{"mixed", func(g *casegen.Generator) func() *casedoc.Case { return g.Case }, false},
	} {
		seed := uint64(5)
		if !kind.all {
			seed = 1
		}
		docs := docs(b, kind.next(casegen.New(seed)))
		b.Run(kind.name, func(b *testing.B) {
			const batch = 50
			p := newPipeline(b, docs)
			b.ReportAllocs()
			var (
				goccyWall, pipeWall, goccyCPU, pipeCPU, decCPU time.Duration
				c                                              casedoc.Case
				dec                                            casedoc.Decoder
			)
			i := 0
			for b.Loop() {
				t0, c0 := time.Now(), cpuTime(b)
				for k := range batch {
					c := new(casedoc.Case)
					if err := goccy.Unmarshal(docs[(i+k)%len(docs)], c, goccy.RejectUnknownMembers(true)); err != nil {
						b.Fatal(err)
					}
					sink = c
				}
				t1, c1 := time.Now(), cpuTime(b)
				for range batch {
					p.next(b)
				}
				t2, c2 := time.Now(), cpuTime(b)
				for k := range batch {
					if err := dec.UnmarshalInto(docs[(i+k)%len(docs)], &c); err != nil {
						b.Fatal(err)
					}
				}
				c3 := cpuTime(b)
				i += batch
				goccyWall, pipeWall = goccyWall+t1.Sub(t0), pipeWall+t2.Sub(t1)
				goccyCPU, pipeCPU, decCPU = goccyCPU+c1-c0, pipeCPU+c2-c1, decCPU+c3-c2
			}
			p.verify(b, kind.all)
			b.ReportMetric(float64(pipeWall)/float64(goccyWall), "wall-pipeline/goccy")
			b.ReportMetric(float64(pipeCPU)/float64(goccyCPU), "cpu-pipeline/goccy")
			b.ReportMetric(float64(decCPU)/float64(goccyCPU), "cpu-decode/goccy")
		})
	}
}

// TestSameCase: goccy and collabmeet decode the documents of the benchmarks
// (typical and mixed) to equal cases, so that they are compared on the same
// work.
func TestSameCase(t *testing.T) {
	typical, mixed := casegen.New(5), casegen.New(1)
	for name, next := range map[string]func() *casedoc.Case{"typical": typical.Typical, "mixed": mixed.Case} {
		for range 50 {
			data, err := json.Marshal(next())
			if err != nil {
				t.Fatal(err)
			}
			want, err := casedoc.Unmarshal(data)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got := new(casedoc.Case)
			if err := goccy.Unmarshal(data, got, goccy.RejectUnknownMembers(true)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			a, _ := json.Marshal(want)
			c, _ := json.Marshal(got)
			if string(a) != string(c) {
				t.Fatalf("%s: goccy decodes another case:\n%s\n%s", name, a, c)
			}
		}
	}
}

// pipelineOptions configure the engine of Pipeline as collabmeet report
// configures its own: an aggregate reads neither texts nor fixes.
var pipelineOptions = []recommend.Option{recommend.WithoutTexts(), recommend.WithoutFixes()}

// BenchmarkNewWithoutTexts is what a short-lived `collabmeet report` pays
// before its first case: recommend.New over the built-in catalogue under
// WithoutTexts, which reads no message file (Texts are read when first
// asked for). BenchmarkNewWithTexts is New that checks and renders texts.
func BenchmarkNewWithoutTexts(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithoutTexts()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewWithTexts: see BenchmarkNewWithoutTexts.
func BenchmarkNewWithTexts(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := recommend.New(catalogue.Builtin(), recommend.Policy{}); err != nil {
			b.Fatal(err)
		}
	}
}
