package casedoc_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/collabmeet/collabmeet/casedoc"
)

func typicalBytes(b testing.TB) []byte {
	data, err := os.ReadFile("testdata/typical.json")
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkDecode decodes (strictly, without validation) the typical case.
func BenchmarkDecode(b *testing.B) {
	data := typicalBytes(b)
	dec := casedoc.Decoder{SkipValidation: true}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := dec.Unmarshal(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate validates the decoded typical case.
func BenchmarkValidate(b *testing.B) {
	c, err := casedoc.Unmarshal(typicalBytes(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeValidate is what a caller pays to read a case: Unmarshal.
func BenchmarkDecodeValidate(b *testing.B) {
	data := typicalBytes(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := casedoc.Unmarshal(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdlibDecode is the yardstick: encoding/json decoding the same
// bytes into the same types, with no validation at all.
func BenchmarkStdlibDecode(b *testing.B) {
	data := typicalBytes(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var c casedoc.Case
		if err := json.Unmarshal(data, &c); err != nil {
			b.Fatal(err)
		}
	}
}
