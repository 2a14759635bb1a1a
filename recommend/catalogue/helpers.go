package catalogue

import (
	"time"

	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
)

// decisionCode is a consent decision as an arg: the code of its message in
// the vocabulary "decision" (no_consent, not_yet_given, withdrawn, expired).
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

// partyCode names a third party in a message: the code of its message in
// the vocabulary "party", next_of_kin for a participant with that role
// ("pårørende" in bokmål) and third_party for anyone else. It is a code, not
// personal data: only the role decides it.
func partyCode(p *meeting.Participant) recommend.Code {
	if p.Role == meeting.RoleNextOfKin {
		return "next_of_kin"
	}
	return "third_party"
}

// reportNotice reports a sending recorded at t that is not at least
// notice_days before the start: at path, with the reason notSent when it is
// not recorded and late otherwise (args days and sent_at).
func reportNotice(pass *recommend.Pass, t time.Time, path, notSent, late string) {
	days := pass.Int("notice_days")
	switch {
	case t.IsZero():
		pass.ReportCase(path, notSent, recommend.Args{"days": days})
	case !sentInTime(t, pass.Start, pass.Days("notice_days")):
		pass.ReportCase(path, late, recommend.Args{"days": days, "sent_at": t})
	}
}

// itemArgs are the args that name agenda item i: its position and kind.
func itemArgs(pass *recommend.Pass, i int) recommend.Args {
	return recommend.Args{"item": i + 1, "item_kind": pass.Meeting.Agenda[i].Kind}
}

// noticeArgs are the args of a finding about notice_days. A function, not a
// value made before the check, so that a check that passes allocates
// nothing.
func noticeArgs(pass *recommend.Pass) recommend.Args {
	return recommend.Args{"days": pass.Int("notice_days")}
}
