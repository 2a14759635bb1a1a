// Package consent models the patient's consents: who may attend the meeting,
// hear clinical information, receive clinical notes or receive the plan, and
// from when to when. Consent checks deny by default: no consent means no.
package consent

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Scope is what a consent allows its grantee.
type Scope string

// The consent scopes.
const (
	ScopeAttend                  Scope = "attend"                    // take part in the meeting
	ScopeHearClinicalInformation Scope = "hear_clinical_information" // be present at the clinical summary
	ScopeReceiveClinicalNotes    Scope = "receive_clinical_notes"    // receive clinical notes before the meeting
	ScopeReceivePlan             Scope = "receive_plan"              // receive the common action plan
)

// Scopes returns every valid Scope. (a fresh slice).
func Scopes() []Scope { return slices.Clone(scopesTable[:]) }

// scopesTable is the one list of the Scope values: Scopes and Valid read it.
var scopesTable = [...]Scope{ScopeAttend, ScopeHearClinicalInformation, ScopeReceiveClinicalNotes, ScopeReceivePlan}

// Valid reports whether s is one of Scopes.
func (s Scope) Valid() bool { return slices.Contains(scopesTable[:], s) }

// Method is how a consent was given.
type Method string

// The consent methods.
const (
	MethodVerbal  Method = "verbal"
	MethodWritten Method = "written"
	MethodDigital Method = "digital"
)

// Methods returns every valid Method. (a fresh slice).
func Methods() []Method { return slices.Clone(methodsTable[:]) }

// methodsTable is the one list of the Method values: Methods and Valid read it.
var methodsTable = [...]Method{MethodVerbal, MethodWritten, MethodDigital}

// Valid reports whether m is one of Methods.
func (m Method) Valid() bool { return slices.Contains(methodsTable[:], m) }

// Consent is one consent the patient gave to one grantee.
type Consent struct {
	ID          uuid.UUID `json:"id" validate:"required"`
	PatientID   uuid.UUID `json:"patient_id,omitzero" validate:"-"`
	GranteeID   uuid.UUID `json:"grantee_id" validate:"required"`
	Scopes      []Scope   `json:"scopes" validate:"min=1"`
	GivenAt     time.Time `json:"given_at" validate:"required"`
	ExpiresAt   time.Time `json:"expires_at,omitzero" validate:"-"`
	WithdrawnAt time.Time `json:"withdrawn_at,omitzero" validate:"-"`
	Method      Method    `json:"method,omitzero" validate:"-"`
	RecordedBy  uuid.UUID `json:"recorded_by,omitzero" validate:"-"`
}

// Covers reports whether c includes scope s.
func (c *Consent) Covers(s Scope) bool {
	for _, have := range c.Scopes {
		if have == s {
			return true
		}
	}
	return false
}

// At says whether c is valid at t, and if not, why: a consent is valid at t
// when given_at <= t and neither withdrawn_at nor expires_at is at or before t.
// Withdrawal is reported before expiry.
func (c *Consent) At(t time.Time) Decision {
	switch {
	case c.GivenAt.IsZero() || c.GivenAt.After(t):
		return NotYetGiven
	case !c.WithdrawnAt.IsZero() && !c.WithdrawnAt.After(t):
		return Withdrawn
	case !c.ExpiresAt.IsZero() && !c.ExpiresAt.After(t):
		return Expired
	}
	return Granted
}

// Decision is the answer to "may this grantee do this now?", with the reason.
type Decision uint8

// The decisions. The zero value is NoConsent: deny by default.
const (
	NoConsent   Decision = iota // no consent with this scope for this grantee
	NotYetGiven                 // the consent is given after the moment asked about
	Withdrawn                   // the patient withdrew it at or before that moment
	Expired                     // it expired at or before that moment
	Granted                     // a consent is valid at that moment
)

var decisionNames = [...]string{
	NoConsent:   "no consent",
	NotYetGiven: "not yet given",
	Withdrawn:   "withdrawn",
	Expired:     "expired",
	Granted:     "granted",
}

// Allowed reports whether d is Granted.
func (d Decision) Allowed() bool { return d == Granted }

// String returns the decision in words, such as "withdrawn".
func (d Decision) String() string {
	if int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return "unknown decision"
}

// Set is every consent of one patient. The zero value is an empty set that
// allows nothing.
type Set []Consent

// Allows says whether the grantee holds a consent with the scope that is valid
// at t. When several consents have the scope, any valid one grants; otherwise
// the reason is the one of the latest given (so a withdrawal is reported over
// an older expiry).
func (s Set) Allows(granteeID uuid.UUID, scope Scope, at time.Time) Decision {
	d, latest := NoConsent, time.Time{}
	for i := range s {
		c := &s[i]
		if c.GranteeID != granteeID || granteeID == uuid.Nil || !c.Covers(scope) {
			continue
		}
		got := c.At(at)
		if got == Granted {
			return Granted
		}
		if d == NoConsent || !c.GivenAt.Before(latest) {
			d, latest = got, c.GivenAt
		}
	}
	return d
}

// Grantee returns the consents given to the grantee, in set order.
func (s Set) Grantee(granteeID uuid.UUID) Set {
	var out Set
	for _, c := range s {
		if c.GranteeID == granteeID {
			out = append(out, c)
		}
	}
	return out
}
