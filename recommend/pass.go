package recommend

import (
	"strconv"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
)

// Day and Week are the units of the parameters named *_days and *_weeks: whole
// 24-hour days and 7 such days, so that no calendar or time zone is involved.
const (
	Day  = 24 * time.Hour
	Week = 7 * Day
)

// Pass is what one Check function sees: the case, the policy's profile, the
// resolved parameters of its recommendation, and Report for what it finds.
//
// The engine reuses a Pass for every rule of one Check call and recycles it
// afterwards: a Check function must not keep it, nor anything it returns.
type Pass struct {
	// Recommendation is the recommendation being checked.
	Recommendation *Recommendation
	// Case is the whole case; Meeting, Consents and Plan are its parts.
	Case     *casedoc.Case
	Meeting  *meeting.Meeting
	Consents consent.Set
	// Plan is nil when the case has no plan.
	Plan *plan.Plan
	// Profile is the policy's preparedness profile (never empty).
	Profile Profile
	// Start is the reference time of every check: the meeting start.
	Start time.Time

	params        []paramValue
	findings      []Finding
	notApplicable bool
	patient       int // index of the patient participant, or -1
}

// paramValue is a resolved parameter of one rule.
type paramValue struct {
	name string
	kind string // "int" or "bool"
	i    int
	b    bool
}

// Int returns the value of the int parameter name, as resolved from the
// policy and the default. Reading a parameter the recommendation does not
// declare is a programming error: it panics, and the outcome is error.
func (p *Pass) Int(name string) int {
	for i := range p.params {
		if p.params[i].name == name && p.params[i].kind == "int" {
			return p.params[i].i
		}
	}
	panic("recommend: " + p.Recommendation.ID + " reads undeclared int parameter " + strconv.Quote(name))
}

// Bool returns the value of the bool parameter name; see Int.
func (p *Pass) Bool(name string) bool {
	for i := range p.params {
		if p.params[i].name == name && p.params[i].kind == "bool" {
			return p.params[i].b
		}
	}
	panic("recommend: " + p.Recommendation.ID + " reads undeclared bool parameter " + strconv.Quote(name))
}

// Days returns the int parameter name as a duration of whole days.
func (p *Pass) Days(name string) time.Duration { return time.Duration(p.Int(name)) * Day }

// Weeks returns the int parameter name as a duration of whole weeks.
func (p *Pass) Weeks(name string) time.Duration { return time.Duration(p.Int(name)) * Week }

// Report records a finding: something missing from the case. A finding must
// never carry free text of the case (names, purposes, titles, goals,
// descriptions, organizations): IDs, roles, JSON paths and numbers only.
func (p *Pass) Report(f Finding) { p.findings = append(p.findings, f) }

// ReportMeeting records a finding about the meeting or the case as a whole.
func (p *Pass) ReportMeeting(path, message, remedy string) {
	p.Report(Finding{Path: path, Message: message, Remedy: remedy})
}

// ReportParticipant records a finding whose subject is the participant at
// index i of meeting.participants: the finding carries its ID and role.
func (p *Pass) ReportParticipant(i int, path, message, remedy string) {
	f := Finding{Path: path, Message: message, Remedy: remedy}
	if i >= 0 && i < len(p.Meeting.Participants) {
		f.SubjectID = p.Meeting.Participants[i].ID
		f.SubjectRole = p.Meeting.Participants[i].Role
	}
	p.Report(f)
}

// NotApplicable marks the recommendation as not applicable to this case;
// findings reported before or after are dropped.
func (p *Pass) NotApplicable() { p.notApplicable = true }

// Patient returns the first participant with role patient and its index, or
// nil and -1.
func (p *Pass) Patient() (*meeting.Participant, int) {
	if p.patient < 0 {
		return nil, -1
	}
	return &p.Meeting.Participants[p.patient], p.patient
}

// emptyCase stands in for a nil case.
var emptyCase casedoc.Case

// reset points p at a case for a new Check call.
func (p *Pass) reset(c *casedoc.Case, profile Profile) {
	if c == nil {
		c = &emptyCase
	}
	p.Case, p.Meeting, p.Consents, p.Plan = c, &c.Meeting, c.Consents, c.Plan
	p.Profile, p.Start = profile, c.Meeting.Start
	p.patient = -1
	for i := range c.Meeting.Participants {
		if c.Meeting.Participants[i].Role == meeting.RolePatient {
			p.patient = i
			break
		}
	}
}

// begin prepares p for one rule.
func (p *Pass) begin(r *Recommendation, params []paramValue) {
	p.Recommendation, p.params = r, params
	p.findings = p.findings[:0]
	p.notApplicable = false
}

// release drops every reference to the case, so that a pooled Pass keeps
// nothing alive.
func (p *Pass) release() {
	clear(p.findings[:cap(p.findings)])
	*p = Pass{findings: p.findings[:0]}
}
