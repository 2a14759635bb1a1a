package recommend_test

import (
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHostilePolicies: every hostile policy document is refused, by
// ReadPolicy (decoding) or by New (against the catalogue), with an error
// wrapping ErrPolicy whose first problem names the path and says what is
// wrong — in bounded time, without a panic.
func TestHostilePolicies(t *testing.T) {
	const later = `"2030-01-01T00:00:00Z"`
	waiver := func(id string) string {
		return `{"waivers": [{"id": "` + id + `", "meeting_id": "*", "reason": "agreed", "expires": ` + later + `}]}`
	}
	for _, tc := range []struct {
		name, doc string
		compile   bool // refused by New rather than by ReadPolicy
		path, msg string
	}{
		// Not a policy at all.
		{name: "empty", doc: "", msg: "policy is empty"},
		{name: "blank", doc: " \n\t", msg: "policy is empty"},
		{name: "array", doc: `[]`, msg: "want an object"},
		{name: "string", doc: `"standard"`, msg: "want an object"},
		{name: "number", doc: `1`, msg: "want an object"},
		{name: "null", doc: `null`, msg: "policy is null"},
		{name: "null with space", doc: " null\n", msg: "policy is null"},
		{name: "truncated", doc: `{"profile": "minimal"`, msg: "malformed JSON"},
		{name: "trailing data", doc: `{} {}`, msg: "malformed JSON at byte 3"},
		{name: "trailing garbage", doc: `{}x`, msg: "malformed JSON at byte 2"},
		{name: "byte-order mark", doc: "\xef\xbb\xbf{}", msg: "policy is not an object: want an object"},
		{name: "invalid UTF-8", doc: `{"profile": "x` + "\xff" + `"}`, path: "profile", msg: "malformed JSON"},
		{name: "unknown field", doc: `{"profil": "minimal"}`, path: "profil", msg: "unknown field"},
		{name: "field in the wrong case", doc: `{"Profile": "minimal"}`, path: "Profile", msg: "unknown field"},
		{name: "repeated key", doc: `{"disable": [], "disable": ["MC-08"]}`, path: "disable", msg: "repeated key"},
		{name: "deep nesting", doc: strings.Repeat(`{"params":`, 20_000), path: strings.Repeat("params.", 15) + "params…", msg: ""},

		// Unknown IDs, names and values.
		{name: "unknown ID", doc: `{"disable": ["MC-99"]}`, compile: true, path: "disable[0]", msg: `unknown recommendation "MC-99"`},
		{name: "ID in the wrong case", doc: `{"disable": ["mc-08"]}`, compile: true, path: "disable[0]", msg: "did you mean MC-08?"},
		{name: "empty ID", doc: `{"disable": [""]}`, compile: true, path: "disable[0]", msg: "empty recommendation ID"},
		{name: "null ID", doc: `{"disable": [null]}`, compile: true, path: "disable[0]", msg: "empty recommendation ID"},
		{name: "unknown severity ID", doc: `{"severity": {"XX-01": "advisory"}}`, compile: true, path: "severity.XX-01", msg: "unknown recommendation"},
		{name: "unknown severity", doc: `{"severity": {"MC-06": "low"}}`, compile: true, path: "severity.MC-06", msg: `unknown severity "low"`},
		{name: "severity in the wrong case", doc: `{"severity": {"MC-06": "REQUIRED"}}`, compile: true, path: "severity.MC-06", msg: "unknown severity"},
		{name: "unknown profile", doc: `{"profile": "Thorough"}`, compile: true, path: "profile", msg: `unknown profile "Thorough"`},
		{name: "unknown parameter", doc: `{"params": {"notice_weeks": 1}}`, compile: true, path: "params.notice_weeks", msg: "unknown parameter"},
		{name: "waiver of an unknown ID", doc: waiver("MC-99"), compile: true, path: "waivers[0].id", msg: "unknown recommendation"},

		// Wrong types.
		{name: "disable not a list", doc: `{"disable": "MC-08"}`, path: "disable", msg: "got a string, want an array"},
		{name: "ID a number", doc: `{"disable": [8]}`, path: "disable[0]", msg: "want a string"},
		{name: "severity a list", doc: `{"severity": []}`, path: "severity", msg: "want an object"},
		{name: "severity a number", doc: `{"severity": {"MC-06": 1}}`, path: "severity.MC-06", msg: "want a string"},
		{name: "params a list", doc: `{"params": [1]}`, path: "params", msg: "want an object"},
		{name: "waivers an object", doc: `{"waivers": {}}`, path: "waivers", msg: "got an object, want an array"},
		{name: "expires a number", doc: `{"waivers": [{"expires": 1}]}`, path: "waivers[0].expires", msg: "RFC 3339"},
		{name: "expires year 10000", doc: `{"waivers": [{"expires": "10000-01-01T00:00:00Z"}]}`, path: "waivers[0].expires", msg: "RFC 3339"},
		{name: "int parameter a string", doc: `{"params": {"notice_days": "3"}}`, compile: true, path: "params.notice_days", msg: "want a whole number, got a string"},
		{name: "int parameter a boolean", doc: `{"params": {"notice_days": true}}`, compile: true, path: "params.notice_days", msg: "got a boolean"},
		{name: "int parameter null", doc: `{"params": {"notice_days": null}}`, compile: true, path: "params.notice_days", msg: "got null"},
		{name: "int parameter an object", doc: `{"params": {"notice_days": {"days": 3}}}`, compile: true, path: "params.notice_days", msg: "got an object"},
		{name: "int parameter a list", doc: `{"params": {"notice_days": [3]}}`, compile: true, path: "params.notice_days", msg: "got an array"},
		{name: "bool parameter a number", doc: `{"params": {"allow_professionals_only": 1}}`, compile: true, path: "params.allow_professionals_only", msg: "want true or false"},
		{name: "bool parameter a string", doc: `{"params": {"allow_professionals_only": "false"}}`, compile: true, path: "params.allow_professionals_only", msg: "want true or false"},

		// Numbers.
		{name: "fraction", doc: `{"params": {"notice_days": 2.5}}`, compile: true, path: "params.notice_days", msg: "want a whole number, got 2.5"},
		{name: "negative", doc: `{"params": {"notice_days": -1}}`, compile: true, path: "params.notice_days", msg: "out of range: -1 days is outside 0–3650"},
		{name: "negative fraction", doc: `{"params": {"max_minutes": -0.5}}`, compile: true, path: "params.max_minutes", msg: "want a whole number"},
		{name: "huge", doc: `{"params": {"notice_days": 1e300}}`, compile: true, path: "params.notice_days", msg: "out of range"},
		{name: "overflows a duration", doc: `{"params":{"notice_days":106752}}`, compile: true, path: "params.notice_days", msg: "out of range: 106752 days is outside 0–3650"},
		{name: "one over the weeks", doc: `{"params": {"follow_up_weeks": 521}}`, compile: true, path: "params.follow_up_weeks", msg: "out of range: 521 weeks is outside 0–520"},
		{name: "beyond float64", doc: `{"params": {"notice_days": 1e400}}`, path: "params.notice_days", msg: "is out of range"},
		{name: "just over 2^31", doc: `{"params": {"notice_days": 2147483649}}`, compile: true, path: "params.notice_days", msg: "out of range"},
		{name: "2^53+1", doc: `{"params": {"horizon_days": 9007199254740993}}`, compile: true, path: "params.horizon_days", msg: "out of range"},

		// Protected recommendations: no waiver, no switching off, no lowering.
		{name: "waive PC-04", doc: waiver("PC-04"), compile: true, path: "waivers[0].id", msg: "PC-04 cannot be waived"},
		{name: "waive CS-01", doc: waiver("CS-01"), compile: true, path: "waivers[0].id", msg: "CS-01 cannot be waived"},
		{name: "waive CS-02", doc: waiver("CS-02"), compile: true, path: "waivers[0].id", msg: "CS-02 cannot be waived"},
		{name: "waive CS-03", doc: waiver("CS-03"), compile: true, path: "waivers[0].id", msg: "CS-03 cannot be waived"},
		{name: "waive CS-08", doc: waiver("CS-08"), compile: true, path: "waivers[0].id", msg: "CS-08 cannot be waived"},
		{name: "waive CS-08 for one meeting", doc: `{"waivers": [{"id": "CS-08", "meeting_id": "0d1c3a5e-2b7f-4c1a-9e8d-6f5a4b3c2d1e", "reason": "r", "expires": ` + later + `}]}`,
			compile: true, path: "waivers[0].id", msg: "cannot be waived"},
		{name: "disable PC-04", doc: `{"disable": ["MC-08", "PC-04"]}`, compile: true, path: "disable[1]", msg: "PC-04 cannot be disabled"},
		{name: "lower CS-01", doc: `{"severity": {"CS-01": "recommended"}}`, compile: true, path: "severity.CS-01", msg: "cannot be lowered"},
		{name: "lower CS-03 to advisory", doc: `{"severity": {"CS-03": "advisory"}}`, compile: true, path: "severity.CS-03", msg: "cannot be lowered"},

		// Waivers.
		{name: "waiver without reason", doc: `{"waivers": [{"id": "MC-06", "meeting_id": "*", "reason": "  ", "expires": ` + later + `}]}`, compile: true, path: "waivers[0].reason", msg: "is required"},
		{name: "waiver without expiry", doc: `{"waivers": [{"id": "MC-06", "meeting_id": "*", "reason": "r"}]}`, compile: true, path: "waivers[0].expires", msg: "must expire"},
		{name: "waiver expiring at year 1", doc: `{"waivers": [{"id": "MC-06", "meeting_id": "*", "reason": "r", "expires": "0001-01-01T00:00:00Z"}]}`, compile: true, path: "waivers[0].expires", msg: "must expire"},
		{name: "waiver null", doc: `{"waivers": [null]}`, compile: true, path: "waivers[0].id", msg: "is required"},
		{name: "meeting ID in braces", doc: `{"waivers": [{"id": "MC-06", "meeting_id": "{0d1c3a5e-2b7f-4c1a-9e8d-6f5a4b3c2d1e}", "reason": "r", "expires": ` + later + `}]}`,
			compile: true, path: "waivers[0].meeting_id", msg: "is not a UUID"},
		{name: "meeting ID as URN", doc: `{"waivers": [{"id": "MC-06", "meeting_id": "urn:uuid:0d1c3a5e-2b7f-4c1a-9e8d-6f5a4b3c2d1e", "reason": "r", "expires": ` + later + `}]}`,
			compile: true, path: "waivers[0].meeting_id", msg: "is not a UUID"},
		{name: "meeting ID all", doc: `{"waivers": [{"id": "MC-06", "meeting_id": "all", "reason": "r", "expires": ` + later + `}]}`,
			compile: true, path: "waivers[0].meeting_id", msg: "is not a UUID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := recommend.ReadPolicy(strings.NewReader(tc.doc))
			if err == nil {
				require.True(t, tc.compile, "ReadPolicy accepted the document")
				_, err = recommend.New(catalogue.Builtin(), p)
			} else {
				require.False(t, tc.compile, "ReadPolicy refused the document: %v", err)
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, recommend.ErrPolicy)
			var verr *validation.Error
			require.ErrorAs(t, err, &verr)
			require.NotEmpty(t, verr.Problems)
			assert.Equal(t, tc.path, verr.Problems[0].Path)
			assert.Contains(t, verr.Problems[0].Message, tc.msg)
			assert.Less(t, len(err.Error()), 1024, "the error stays short")
		})
	}
}

// TestHostilePolicyOverTheLimit: a policy over 1 MiB is refused before it is
// decoded.
func TestHostilePolicyOverTheLimit(t *testing.T) {
	doc := `{"disable": [` + strings.Repeat(`"MC-08", `, 200_000) + `"MC-08"]}`
	require.Greater(t, len(doc), 1<<20)
	_, err := recommend.ReadPolicy(strings.NewReader(doc))
	assert.ErrorIs(t, err, recommend.ErrPolicy)
	assert.ErrorContains(t, err, "larger than 1 MiB")
}

// TestPoliciesAcceptedAsDefault: documents that are accepted and mean the
// default policy: {}, null members, an empty profile, and the same ID
// disabled twice. (A null policy is refused: see TestHostilePolicies.)
func TestPoliciesAcceptedAsDefault(t *testing.T) {
	for _, doc := range []string{`{}`, `{"profile": null, "disable": null, "severity": null, "params": null, "waivers": null}`,
		`{"profile": ""}`, `{"disable": [], "severity": {}, "params": {}, "waivers": []}`, `{"params": {"notice_days": -0}}`} {
		p, err := recommend.ReadPolicy(strings.NewReader(doc))
		require.NoError(t, err, doc)
		e, err := recommend.New(catalogue.Builtin(), p)
		require.NoError(t, err, doc)
		assert.Equal(t, recommend.ProfileStandard, e.Profile(), doc)
		assert.Len(t, e.Recommendations(), builtinCount(), doc)
	}
	p, err := recommend.ReadPolicy(strings.NewReader(`{"disable": ["MC-08", "MC-08"]}`))
	require.NoError(t, err)
	e, err := recommend.New(catalogue.Builtin(), p)
	require.NoError(t, err)
	assert.Len(t, e.Recommendations(), builtinCount()-1)
}

// TestProtectedRecommendations: exactly PC-04, CS-01, CS-02, CS-03 and CS-08
// are protected, and a policy may neither disable, lower nor waive any of
// them (for every meeting or for one).
func TestProtectedRecommendations(t *testing.T) {
	protected := []string{"PC-04", "CS-01", "CS-02", "CS-03", "CS-08"}
	var got []string
	for _, r := range catalogue.Builtin().Rules {
		if r.Protected {
			got = append(got, r.ID)
		}
	}
	assert.ElementsMatch(t, protected, got)
	expires := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, id := range protected {
		for name, p := range map[string]recommend.Policy{
			"disable":              {Disable: []string{id}},
			"lower to recommended": {Severity: map[string]recommend.Severity{id: recommend.SeverityRecommended}},
			"lower to advisory":    {Severity: map[string]recommend.Severity{id: recommend.SeverityAdvisory}},
			"waive for all":        {Waivers: []recommend.Waiver{{ID: id, MeetingID: "*", Reason: "r", Expires: expires}}},
			"waive for one":        {Waivers: []recommend.Waiver{{ID: id, MeetingID: "0d1c3a5e-2b7f-4c1a-9e8d-6f5a4b3c2d1e", Reason: "r", Expires: expires}}},
		} {
			_, err := recommend.New(catalogue.Builtin(), p)
			assert.ErrorIs(t, err, recommend.ErrPolicy, "%s %s", name, id)
			assert.ErrorContains(t, err, "protects the patient's consent and privacy", "%s %s", name, id)
		}
		// Keeping the severity, or raising it, is allowed.
		_, err := recommend.New(catalogue.Builtin(), recommend.Policy{Severity: map[string]recommend.Severity{id: recommend.SeverityRequired}})
		assert.NoError(t, err, id)
	}
}

// TestParamRanges: every parameter of the catalogue is accepted at both ends
// of the range of its unit, and refused one past either end.
func TestParamRanges(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range catalogue.Builtin().Rules {
		for _, p := range r.Params {
			if seen[p.Name] {
				continue
			}
			seen[p.Name] = true
			lo, hi, ok := p.Unit.Range()
			require.True(t, ok, p.Name)
			type value struct {
				v  any
				ok bool
			}
			values := []value{{lo, true}, {hi, true}, {float64(hi), true}, {lo - 1, false}, {hi + 1, false}, {float64(hi + 1), false}}
			if p.Unit == recommend.UnitSwitch {
				values = []value{{true, true}, {false, true}, {0, false}, {1, false}}
			}
			for _, v := range values {
				_, err := recommend.New(catalogue.Builtin(), recommend.Policy{Params: map[string]any{p.Name: v.v}})
				if v.ok {
					assert.NoError(t, err, "%s = %v", p.Name, v.v)
					continue
				}
				assert.ErrorIs(t, err, recommend.ErrPolicy, "%s = %v", p.Name, v.v)
				var verr *validation.Error
				if assert.ErrorAs(t, err, &verr) {
					assert.Equal(t, []string{"params." + p.Name}, verr.Paths())
				}
			}
		}
	}
	assert.NotEmpty(t, seen)
	for _, tc := range []struct {
		unit   recommend.Unit
		lo, hi int
	}{{recommend.UnitDays, 0, 3650}, {recommend.UnitWeeks, 0, 520}, {recommend.UnitMinutes, 0, 1440}, {recommend.UnitCount, 0, 1000}, {recommend.UnitSwitch, 0, 1}} {
		lo, hi, ok := tc.unit.Range()
		assert.True(t, ok)
		assert.Equal(t, []int{tc.lo, tc.hi}, []int{lo, hi}, tc.unit)
	}
	_, _, ok := recommend.Unit("hours").Range()
	assert.False(t, ok)
}

// TestOverflowingParamIsRefused is notice_days 106752 was
// accepted, overflowed a duration and turned protected recommendations'
// gaps into passes. It is now a policy error; at the greatest value
// accepted the checks still judge, and a case that misses them still fails.
func TestOverflowingParamIsRefused(t *testing.T) {
	p, err := recommend.UnmarshalPolicy([]byte(`{"params":{"notice_days":106752}}`))
	require.NoError(t, err, "it decodes: the range is the rule set's")
	e, err := recommend.New(catalogue.Builtin(), p)
	assert.True(t, e == nil, "no engine")
	require.ErrorIs(t, err, recommend.ErrPolicy)
	assert.ErrorContains(t, err, "params.notice_days: out of range: 106752 days is outside 0–3650")

	// At the top of the range, a case whose agenda went out a week ahead
	// is judged late, not on time.
	e = mustEngine(t, recommend.Policy{Params: map[string]any{"notice_days": 3650}})
	rep := e.Check(reference(t))
	assert.Equal(t, outGap, resultFor(t, rep, "MC-09").Outcome)
	for _, r := range rep.Results {
		assert.NotEqual(t, recommend.OutcomeError, r.Outcome, r.ID)
	}
}

// TestPolicyErrorsShowNoTerminalEscapes: a key of the policy that is not an
// identifier is shown as ?, so that an error message cannot rewrite the
// terminal it is printed on; a waiver's reason loses its control and bidi
// characters.
func TestPolicyErrorsShowNoTerminalEscapes(t *testing.T) {
	for _, doc := range []string{
		`{"severity":{"\u001b[2J\u001b[31mPWNED":"required"}}`,
		`{"params":{"\u001b]0;title\u0007":1}}`,
		`{"disable":["\u001b[2J"]}`,
		`{"severity":{"MC-06":"\u001b[31mred"}}`,
	} {
		p, err := recommend.UnmarshalPolicy([]byte(doc))
		require.NoError(t, err, doc)
		_, err = recommend.New(catalogue.Builtin(), p)
		require.ErrorIs(t, err, recommend.ErrPolicy, doc)
		msg := err.Error()
		assert.NotContains(t, msg, "\x1b", doc)
		assert.NotContains(t, msg, "\a", doc)
		assert.NotContains(t, msg, "PWNED", doc)
	}
	p, err := recommend.UnmarshalPolicy([]byte(`{"severity":{"\u001b[2J\u001b[31mPWNED":"required"}}`))
	require.NoError(t, err)
	_, err = recommend.New(catalogue.Builtin(), p)
	var verr *validation.Error
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, []string{"severity.?"}, verr.Paths())

	for _, tc := range []struct{ reason, want string }{
		{"agreed with the patient", "agreed with the patient"},
		{`\u202Eevil\u202C reversed`, "evil reversed"},
		{`\u001b[2J\u001b[31mcleared`, "[2J[31mcleared"},
		{`line\nbreak\ttab`, "line break tab"},
		{`\u200Fmarks\u200E\u2066isolated\u2069`, "marksisolated"},
		{"  spaced  ", "spaced"},
	} {
		p, err := recommend.UnmarshalPolicy([]byte(`{"waivers":[{"id":"PW-02","meeting_id":"*","reason":"` + tc.reason + `","expires":"2100-01-01T00:00:00Z"}]}`))
		require.NoError(t, err, tc.reason)
		c := reference(t)
		start := c.Meeting.Start // PW-02 gap: the assessment started 25 weeks after the referral
		c.Meeting.Pathway = &meeting.Pathway{ReferralReceivedAt: start.Add(-weeks(30)), AssessmentStartedAt: start.Add(-weeks(5))}
		res := resultFor(t, mustEngine(t, p).Check(c), "PW-02")
		require.Equal(t, recommend.OutcomeWaived, res.Outcome, tc.reason)
		assert.Equal(t, tc.want, res.WaiverReason, tc.reason)
	}
	// A reason of nothing but control characters is no reason.
	p, err = recommend.UnmarshalPolicy([]byte(`{"waivers":[{"id":"PW-02","meeting_id":"*","reason":"\u202E\u001b","expires":"2100-01-01T00:00:00Z"}]}`))
	require.NoError(t, err)
	_, err = recommend.New(catalogue.Builtin(), p)
	assert.ErrorContains(t, err, "a waiver must say why")
}
