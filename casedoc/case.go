// Package casedoc is the case document that collabmeet checks: one meeting,
// the patient's consents and the common action plan, as one JSON document
// (or one line of an NDJSON stream).
//
// Decoding is strict: an unknown field, a repeated key, a wrong type or a
// value that is not a UUID is an error naming its JSON path, and Validate
// reports every problem in the document at once as a *validation.Error.
// Error messages never quote free text (names, purposes, titles, goals,
// descriptions): they may hold personal data.
package casedoc

import (
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
)

// Case is one meeting with the patient's consents and its action plan. Plan is
// nil when no plan has been made yet; Meeting.Preparation is nil when nothing
// was recorded about the preparation.
type Case struct {
	Meeting  meeting.Meeting `json:"meeting"`
	Consents consent.Set     `json:"consents,omitzero"`
	Plan     *plan.Plan      `json:"plan,omitzero"`
}
