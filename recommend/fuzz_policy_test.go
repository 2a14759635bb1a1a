package recommend_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/validation"
	jsonv2 "github.com/go-json-experiment/json"
)

// policySeeds are policy documents for the fuzzer and the hostile-policy
// tests: the example of docs/report-format.md, the clinic policy of
// examples/policy-test, each profile, and a few broken ones.
var policySeeds = []string{
	`{
  "profile": "standard",
  "disable": ["MC-08"],
  "severity": {"MC-06": "recommended"},
  "params": {"max_professionals": 5, "notice_days": 2},
  "waivers": [
    {"id": "MC-06", "meeting_id": "*", "reason": "room booked by the clinic", "expires": "2026-12-31T00:00:00Z"}
  ]
}`,
	`{"profile": "standard", "params": {"notice_days": 5, "max_minutes": 90}}`,
	`{"profile": "minimal"}`,
	`{"profile": "thorough", "params": {"allow_professionals_only": false}}`,
	`{}`,
	`{"waivers": [{"id": "AP-04", "meeting_id": "0d1c3a5e-2b7f-4c1a-9e8d-6f5a4b3c2d1e", "reason": "x", "expires": "2030-01-01T00:00:00+02:00"}]}`,
	`{"disable": ["PC-04"], "severity": {"CS-01": "advisory"}, "waivers": [{"id": "CS-08", "meeting_id": "*", "reason": "x", "expires": "2030-01-01T00:00:00Z"}]}`,
	`{"params": {"notice_days": -1, "max_minutes": 1e300, "patient_minutes": 2.5, "unknown": 1}}`,
	`{"severity": {"pc-05": "Required"}}`,
	`null`,
	``,
}

// FuzzPolicy: decoding any policy never panics, and a refused one gives a
// *validation.Error wrapping ErrPolicy whose problems all have a message.
// An accepted policy either compiles with New or is refused the same way
// (every problem with a path); encoding it and decoding it again gives the
// same policy (the same bytes once more), which compiles to an engine that
// gives the same report.
func FuzzPolicy(f *testing.F) {
	for _, s := range policySeeds {
		f.Add([]byte(s))
	}
	c := reference(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := recommend.UnmarshalPolicy(data)
		if err != nil {
			requirePolicyError(t, err, false)
			return
		}
		encoded, err := jsonv2.Marshal(p, jsonv2.Deterministic(true))
		if err != nil {
			t.Fatalf("an accepted policy does not encode: %v", err)
		}
		p2, err := recommend.UnmarshalPolicy(encoded)
		if err != nil {
			t.Fatalf("an accepted policy, encoded, is refused: %v\n%s", err, encoded)
		}
		encoded2, err := jsonv2.Marshal(p2, jsonv2.Deterministic(true))
		if err != nil || !bytes.Equal(encoded, encoded2) {
			t.Fatalf("encoding is not stable (%v):\n%s\n%s", err, encoded, encoded2)
		}

		e, err := recommend.New(catalogue.Builtin(), p)
		e2, err2 := recommend.New(catalogue.Builtin(), p2)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("the policy and its round trip compile differently: %v / %v", err, err2)
		}
		if err != nil {
			requirePolicyError(t, err, true)
			if err.Error() != err2.Error() {
				t.Fatalf("the policy and its round trip are refused differently:\n%v\n%v", err, err2)
			}
			return
		}
		rep := e.Check(c)
		if err := checkReportInvariants(e, rep); err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(rep)
		b, _ := json.Marshal(e2.Check(c))
		if !bytes.Equal(a, b) {
			t.Fatalf("the policy and its round trip give different reports")
		}
	})
}

// requirePolicyError fails t unless err is a *validation.Error wrapping
// ErrPolicy whose problems all have a message (and a path, when
// withPath: every problem New finds is about some member of the policy).
func requirePolicyError(t *testing.T, err error, withPath bool) {
	t.Helper()
	if !errors.Is(err, recommend.ErrPolicy) {
		t.Fatalf("error does not wrap ErrPolicy: %v", err)
	}
	var verr *validation.Error
	if !errors.As(err, &verr) || len(verr.Problems) == 0 {
		t.Fatalf("error is not a *validation.Error with problems: %v", err)
	}
	for _, p := range verr.Problems {
		if strings.TrimSpace(p.Message) == "" {
			t.Fatalf("problem without a message at %q", p.Path)
		}
		if withPath && p.Path == "" {
			t.Fatalf("problem without a path: %s", p.Message)
		}
	}
}
