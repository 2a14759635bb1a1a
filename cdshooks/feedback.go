package cdshooks

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/collabmeet/collabmeet/validation"
	"github.com/google/uuid"
)

// feedback answers POST /cds-services/collabmeet-appointment-book/feedback:
// it validates the body (CDS Hooks 2.0, "Feedback") and logs what the user
// did with the cards — card and suggestion UUIDs, outcomes and override
// reason codes of this service, never the user's comment — and answers 200
// with an empty object.
func (s *Service) feedback(w http.ResponseWriter, r *http.Request) {
	data, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var req FeedbackRequest
	if !decodeJSON(w, r, data, &req) {
		return
	}
	if problems := validateFeedback(&req); len(problems) > 0 {
		writeError(w, r, http.StatusBadRequest, ErrCodeInvalid, "the body is not valid CDS Hooks feedback", problems)
		return
	}
	cards, reasons := []string{}, []string{}
	accepted, overridden, suggestions := 0, 0, 0
	for i, f := range req.Feedback {
		if i < maxLoggedCards {
			cards = append(cards, f.Card)
		}
		switch f.Outcome {
		case "accepted":
			accepted++
			suggestions += len(f.AcceptedSuggestions)
		case "overridden":
			overridden++
			if f.OverrideReason != nil && f.OverrideReason.Reason != nil {
				reason := "other"
				if f.OverrideReason.Reason.System == OverrideReasonSystem && slices.Contains(overrideReasons, f.OverrideReason.Reason.Code) {
					reason = f.OverrideReason.Reason.Code
				}
				reasons = append(reasons, reason)
			}
		}
	}
	note(r, slog.Int("feedback", len(req.Feedback)), slog.Int("accepted", accepted),
		slog.Int("accepted_suggestions", suggestions), slog.Int("overridden", overridden),
		slog.Any("card_uuids", cards), slog.Any("override_reasons", reasons))
	writeJSON(w, http.StatusOK, struct{}{})
}

// maxLoggedCards bounds the card UUIDs one log record lists.
const maxLoggedCards = 50

// validateFeedback checks the feedback entries: a card UUID, an outcome of
// accepted (with the accepted suggestions) or overridden, an override reason
// with a reason or a comment, and a timestamp.
func validateFeedback(req *FeedbackRequest) []validation.Problem {
	var l validation.List
	if len(req.Feedback) == 0 {
		l.Addf("feedback", "is required: one entry or more")
	}
	for i, f := range req.Feedback {
		p := fmt.Sprintf("feedback[%d]", i)
		if !isUUID(f.Card) {
			l.Addf(p+".card", "is not the UUID of a card")
		}
		switch f.Outcome {
		case "accepted":
			if len(f.AcceptedSuggestions) == 0 {
				l.Addf(p+".acceptedSuggestions", "is required when the outcome is accepted")
			}
			for k, a := range f.AcceptedSuggestions {
				if !isUUID(a.ID) {
					l.Addf(fmt.Sprintf("%s.acceptedSuggestions[%d].id", p, k), "is not the UUID of a suggestion")
				}
			}
		case "overridden":
			if len(f.AcceptedSuggestions) > 0 {
				l.Addf(p+".acceptedSuggestions", "is only for the outcome accepted")
			}
		case "":
			l.Addf(p+".outcome", "is required")
		default:
			l.Addf(p+".outcome", "is %s, want accepted or overridden", validation.Quote(f.Outcome))
		}
		if o := f.OverrideReason; o != nil {
			if o.Reason == nil && o.UserComment == "" {
				l.Addf(p+".overrideReason", "needs a reason, a userComment, or both")
			}
			if o.Reason != nil && o.Reason.Code == "" {
				l.Addf(p+".overrideReason.reason.code", "is required")
			}
		}
		switch {
		case f.OutcomeTimestamp == "":
			l.Addf(p+".outcomeTimestamp", "is required")
		default:
			if _, err := time.Parse(time.RFC3339Nano, f.OutcomeTimestamp); err != nil {
				l.Addf(p+".outcomeTimestamp", "is not an ISO 8601 time in UTC (such as 2026-05-04T07:30:00Z)")
			}
		}
	}
	return l.Problems
}

func isUUID(s string) bool {
	return len(s) == 36 && uuid.Validate(s) == nil
}
