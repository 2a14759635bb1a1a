package recommend

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/collabmeet/collabmeet/internal/plaintext"
	"github.com/collabmeet/collabmeet/validation"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// ErrPolicy is wrapped by every error about a policy: one that cannot be
// decoded, or one that the rule set refuses (an unknown ID or parameter, a
// protected recommendation waived, ...). The error is a *validation.Error
// whose problems name the JSON path in the policy, such as "disable[0]".
var ErrPolicy = errors.New("invalid policy")

// Policy is how one organisation applies the catalogue: its preparedness
// profile, the recommendations it switches off, severity overrides,
// parameters and waivers. It is data, loaded from JSON (see ReadPolicy) and
// checked against the rule set by New. The zero Policy is the default: profile
// standard, every recommendation on, every default.
type Policy struct {
	// Profile is minimal, standard or thorough; empty means standard.
	Profile Profile `json:"profile,omitzero"`
	// Disable lists the IDs of recommendations left out of every report.
	Disable []string `json:"disable,omitzero"`
	// Severity overrides the severity of recommendations by ID.
	Severity map[string]Severity `json:"severity,omitzero"`
	// Params sets parameters by name: a number parameter takes a whole
	// number (int or a whole float64, as JSON decodes it) within the range of
	// its unit (see Unit.Range); a switch takes true or false.
	Params map[string]any `json:"params,omitzero"`
	// Waivers excuse gaps of one recommendation for one meeting (or all).
	Waivers []Waiver `json:"waivers,omitzero"`
}

// Waiver excuses the gaps of one recommendation: when it applies, a gap
// becomes waived (its findings are kept and the reason is shown).
type Waiver struct {
	// ID is the recommendation waived; protected ones cannot be.
	ID string `json:"id"`
	// MeetingID is the meeting's UUID, or "*" for every meeting.
	MeetingID string `json:"meeting_id"`
	// Reason is required: it is shown in every report the waiver applies to.
	Reason string `json:"reason"`
	// Expires is required: the waiver applies only to meetings that start
	// before it. A matching waiver that has expired is shown as such.
	Expires time.Time `json:"expires"`
}

// WaiverAllMeetings is the MeetingID of a waiver for every meeting.
const WaiverAllMeetings = "*"

// ReadPolicy decodes a policy from r strictly: an unknown field, a repeated
// key or a wrong type is an error (wrapping ErrPolicy) that names its path.
// Whether the IDs and parameters exist is checked by New, against the rule set.
func ReadPolicy(r io.Reader) (Policy, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20+1))
	if err != nil {
		return Policy{}, fmt.Errorf("reading policy: %w", err)
	}
	if len(data) > 1<<20 {
		return Policy{}, policyError("policy_too_large")
	}
	return UnmarshalPolicy(data)
}

// LoadPolicy reads the policy in the named file; see ReadPolicy.
func LoadPolicy(name string) (Policy, error) {
	f, err := os.Open(name)
	if err != nil {
		return Policy{}, err
	}
	defer f.Close()
	return ReadPolicy(f)
}

// UnmarshalPolicy decodes a policy from JSON; see ReadPolicy.
func UnmarshalPolicy(data []byte) (Policy, error) {
	var p Policy
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return p, policyError("policy_empty")
	case trimmed[0] != '{':
		if bytes.Equal(trimmed, []byte("null")) {
			return p, policyError("policy_null")
		}
		return p, policyError("policy_not_object")
	}
	if err := json.Unmarshal(data, &p, json.RejectUnknownMembers(true)); err != nil {
		return Policy{}, policyDecodeError(err)
	}
	return p, nil
}

// policyError is the error of a policy that is not a JSON object, by the
// code of its problem (validation.Messages).
func policyError(code string) error {
	return &validation.Error{Problems: []validation.Problem{validation.Coded("", code)}, Err: ErrPolicy}
}

// policyDecodeError names the path and the problem of a decoding error.
func policyDecodeError(err error) error {
	verr := validation.JSONError(err, "", ErrPolicy)
	if p := &verr.Problems[0]; p.Code == "unknown_field" {
		*p = validation.Coded(p.Path, "policy_unknown_field")
	}
	return verr
}

// compiledWaiver is a waiver checked and resolved by New.
type compiledWaiver struct {
	all       bool
	meetingID uuid.UUID
	reason    string
	expires   time.Time
}

// cleanReason is a waiver's reason on one line, without control or format
// characters (plaintext.Line, as every renderer shows it), so that a policy
// can neither rewrite a terminal nor reorder the text around its reason.
func cleanReason(s string) string { return plaintext.Line(s) }

// Digest identifies the policy: "sha256:" and the hex SHA-256 of its
// canonical JSON (Canonical). Two policies with the same digest check every
// case the same way; a report records it, so that an audit can replay a
// check with the same policy.
func (p Policy) Digest() (string, error) {
	data, err := p.Canonical()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Canonical returns the policy as canonical JSON: members in a fixed order,
// maps sorted by key, no insignificant space, an empty profile written as
// standard. UnmarshalPolicy reads it back to the same policy.
func (p Policy) Canonical() ([]byte, error) {
	c := p.clone()
	if c.Profile == "" {
		c.Profile = ProfileStandard
	}
	data, err := json.Marshal(c, json.Deterministic(true))
	if err != nil {
		return nil, fmt.Errorf("recommend: policy: %w", err)
	}
	v := jsontext.Value(data)
	if err := v.Canonicalize(); err != nil {
		return nil, fmt.Errorf("recommend: policy: %w", err)
	}
	return v, nil
}

// clone returns a deep copy of p, so that an engine keeps its policy
// whatever the caller changes afterwards.
func (p Policy) clone() Policy {
	c := p
	c.Disable = slices.Clone(p.Disable)
	c.Severity = maps.Clone(p.Severity)
	c.Params = maps.Clone(p.Params)
	c.Waivers = slices.Clone(p.Waivers)
	return c
}

// Policy returns the policy the engine was compiled with (a copy).
func (e *Engine) Policy() Policy { return e.policy.clone() }
