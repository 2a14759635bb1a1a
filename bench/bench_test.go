// Package bench compares the decoding of case documents with the fastest
// strict third-party decoder found, github.com/goccy/go-json's v2 API with
// unknown members rejected: the yardstick of the pipeline budget (DESIGN.md,
// issue 14). It is a module of its own so that the library does not depend
// on goccy.
package bench

import (
	"bytes"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/go-json-experiment/json"
	goccy "github.com/goccy/go-json/v2"
)

// typicalDocs are 500 typical cases as the throughput budget streams them
// (casegen.Generator.Typical: 8 participants, 8 items, 6 actions, 3
// consents; IDs, names, texts and starts drawn by the generator), each one
// document of about 7 KB. The benchmarks go round them, so that no branch
// predictor or cache learns one document.
func typicalDocs(b *testing.B) [][]byte {
	b.Helper()
	g := casegen.New(5)
	docs := make([][]byte, 500)
	for i := range docs {
		data, err := json.Marshal(g.Typical())
		if err != nil {
			b.Fatal(err)
		}
		docs[i] = data
	}
	return docs
}

var sink *casedoc.Case

// BenchmarkTypical is one interleaved run of the budget: per typical case,
// goccy's strict decode into a new casedoc.Case (the yardstick: no
// validation, and UUIDs in forms the case format refuses accepted), and
// collabmeet's decode + validate, into a new case (Unmarshal) and into one
// reused case (UnmarshalInto); and Pipeline, the whole path of collabmeet
// report per case on one goroutine, as its workers run it: the line read
// from NDJSON (casedoc.Reader), decoded and validated (UnmarshalInto, one
// case reused), checked (CheckInto with the built-in catalogue and
// WithoutTexts, one report reused) and added to an aggregate. The budget
// (DESIGN.md) compares Pipeline with goccy.
func BenchmarkTypical(b *testing.B) {
	docs := typicalDocs(b)
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
	b.Run("Pipeline", func(b *testing.B) {
		e, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithoutTexts())
		if err != nil {
			b.Fatal(err)
		}
		var ndjson bytes.Buffer
		for _, d := range docs {
			ndjson.Write(d)
			ndjson.WriteByte('\n')
		}
		var (
			c   casedoc.Case
			rep recommend.Report
			agg recommend.Aggregate
		)
		r := casedoc.NewReader(bytes.NewReader(ndjson.Bytes()))
		b.ReportAllocs()
		b.SetBytes(int64(size / len(docs)))
		for b.Loop() {
			if !r.Next() {
				r = casedoc.NewReader(bytes.NewReader(ndjson.Bytes()))
				r.Next()
			}
			if err := r.Decoder.UnmarshalInto(r.Bytes(), &c); err != nil {
				b.Fatal(err)
			}
			if err := e.CheckInto(&rep, &c); err != nil {
				b.Fatal(err)
			}
			agg.Add(&rep)
		}
		if agg.Cases == 0 || agg.Compliant != agg.Cases {
			b.Fatalf("%d cases aggregated, %d compliant", agg.Cases, agg.Compliant)
		}
	})
}

// TestSameCase: goccy and collabmeet decode the documents of the benchmark
// to equal cases, so that they are compared on the same work.
func TestSameCase(t *testing.T) {
	g := casegen.New(5)
	for range 50 {
		data, err := json.Marshal(g.Typical())
		if err != nil {
			t.Fatal(err)
		}
		want, err := casedoc.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		got := new(casedoc.Case)
		if err := goccy.Unmarshal(data, got, goccy.RejectUnknownMembers(true)); err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(want)
		c, _ := json.Marshal(got)
		if string(a) != string(c) {
			t.Fatalf("goccy decodes another case:\n%s\n%s", a, c)
		}
	}
}

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
