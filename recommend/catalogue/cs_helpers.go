package catalogue

import (
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/recommend"
)

// decisionCode is the code of a refused consent decision as findings give
// it in the arg "decision" (shown by the vocabulary "decision.CODE"):
// no_consent, not_yet_given, withdrawn or expired.
func decisionCode(d consent.Decision) recommend.Code {
	switch d {
	case consent.NotYetGiven:
		return "not_yet_given"
	case consent.Withdrawn:
		return "withdrawn"
	case consent.Expired:
		return "expired"
	}
	return "no_consent"
}
