package casedoc_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
)

// benchDocs are the documents of the benchmarks: "typical" is the reference
// meeting of the performance budgets (examples/cases/compliant-digital-meeting.json,
// a copy of ../examples/cases/compliant-digital-meeting.json: 7 participants,
// 7 agenda items, 3 actions, 2 consents); "generated" is casegen.Typical
// (testdata/typical.json: 8 participants, 8 items, 6 actions, 3 consents).
var benchDocs = []struct{ name, file string }{
	{"typical", "../examples/cases/compliant-digital-meeting.json"},
	{"generated", "testdata/typical.json"},
}

func readDoc(b testing.TB, file string) []byte {
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// sink keeps benchmark results alive, as a caller would.
var sink *casedoc.Case

// BenchmarkDecode decodes (strictly, without validation) each document.
func BenchmarkDecode(b *testing.B) {
	for _, d := range benchDocs {
		b.Run(d.name, func(b *testing.B) {
			data := readDoc(b, d.file)
			dec := casedoc.Decoder{SkipValidation: true}
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				c, err := dec.Unmarshal(data)
				if err != nil {
					b.Fatal(err)
				}
				sink = c
			}
		})
	}
}

// BenchmarkValidate validates each decoded document.
func BenchmarkValidate(b *testing.B) {
	for _, d := range benchDocs {
		b.Run(d.name, func(b *testing.B) {
			c, err := casedoc.Unmarshal(readDoc(b, d.file))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Validate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeValidate is what a caller pays to read a case: Unmarshal.
func BenchmarkDecodeValidate(b *testing.B) {
	for _, d := range benchDocs {
		b.Run(d.name, func(b *testing.B) {
			data := readDoc(b, d.file)
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				c, err := casedoc.Unmarshal(data)
				if err != nil {
					b.Fatal(err)
				}
				sink = c
			}
		})
	}
}

// BenchmarkStdlibDecode is the yardstick: encoding/json decoding the same
// bytes into the same types, with no validation at all.
func BenchmarkStdlibDecode(b *testing.B) {
	for _, d := range benchDocs {
		b.Run(d.name, func(b *testing.B) {
			data := readDoc(b, d.file)
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				c := new(casedoc.Case)
				if err := json.Unmarshal(data, c); err != nil {
					b.Fatal(err)
				}
				sink = c
			}
		})
	}
}
