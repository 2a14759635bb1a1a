package cdshooks

import (
	"os"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// BenchmarkSplitBundle finds the Appointment's JSON in context.appointments
// of the empty-agenda booking (as the update needs it) with the splitter,
// against decoding the Bundle's entries as raw values with json.Unmarshal.
func BenchmarkSplitBundle(b *testing.B) {
	data, _ := os.ReadFile("testdata/booking-empty-agenda.json")
	var req Request
	if err := json.Unmarshal(data, &req); err != nil {
		b.Fatal(err)
	}
	v := req.Context.Appointments
	b.ReportAllocs()
	b.Run("splitter", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := (rawResource{bundle: v}).json(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var w struct {
				Entry []struct {
					Resource jsontext.Value `json:"resource"`
				} `json:"entry"`
			}
			if err := json.Unmarshal(v, &w); err != nil {
				b.Fatal(err)
			}
		}
	})
}
