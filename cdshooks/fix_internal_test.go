package cdshooks

import (
	"os"
	"testing"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/fix"
	"github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCDSSuggestionReadsBack holds what the service does not check on each
// request: the update it offers, put in place of the request's Appointment
// with the same prefetch, reads back as exactly the case that fix.Apply
// makes of the meeting.
func TestCDSSuggestionReadsBack(t *testing.T) {
	svc, err := New(recommend.Policy{})
	require.NoError(t, err)
	e := svc.fixer
	for _, file := range []string{"booking-empty-agenda.json", "booking-supervisor-without-consent.json", "booking-compliant.json"} {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + file)
			require.NoError(t, err)
			var req Request
			require.NoError(t, json.Unmarshal(data, &req))
			in, err := readInput(req.Context, req.Prefetch)
			require.NoError(t, err)
			for i := range in.appointments {
				a := &in.appointments[i]
				as, err := assemble(a, in.others, mappingAt(svc.canonical))
				require.NoError(t, err)
				c, src, err := fhir.Reader{}.ReadBundle(as.bundle)
				require.NoError(t, err)
				fx, err := svc.fix(c, e.Check(c), a, as, src)
				require.NoError(t, err)
				res, err := fix.Apply(e, c)
				require.NoError(t, err)
				if len(res.Fixed) == 0 {
					assert.Nil(t, fx)
					continue
				}
				require.NotNil(t, fx)
				assert.Equal(t, res.Fixed, fx.ids)

				var appt fhir.Appointment
				require.NoError(t, json.Unmarshal(fx.resource, &appt))
				back := appointment{part: part{entry: fhir.Entry{FullURL: a.entry.FullURL, Resource: &appt}, origin: a.origin}, raw: rawResource{value: fx.resource}}
				bas, err := assemble(&back, in.others, mappingAt(svc.canonical))
				require.NoError(t, err)
				got, _, err := fhir.Reader{}.ReadBundle(bas.bundle)
				require.NoError(t, err)
				want, err := json.Marshal(res.Case, json.Deterministic(true))
				require.NoError(t, err)
				have, err := json.Marshal(got, json.Deterministic(true))
				require.NoError(t, err)
				assert.JSONEq(t, string(want), string(have))
			}
		})
	}
}
