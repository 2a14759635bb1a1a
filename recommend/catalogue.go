package recommend

import (
	"slices"
	"strconv"
	"time"

	"github.com/collabmeet/collabmeet/meeting"
)

//go:generate go run ../internal/gendocs -o ../docs/catalogue.md

// CatalogueVersion is the version of the built-in catalogue, written in every
// report so that an audit can replay an old check.
const CatalogueVersion = "2026.1"

// Catalogue returns the built-in rules, in catalogue order: the themes PC,
// AP, MC, CS, PW, and the IDs in order within each. The slice and everything
// in it is a fresh copy that the caller may change.
func Catalogue() []Rule {
	var rules []Rule
	for _, theme := range [][]Rule{patientCentredness(), commonActionPlan(), meetingClimate(), crossSector(), pathway()} {
		rules = append(rules, theme...)
	}
	for i := range rules {
		rules[i].Doc = CatalogueURL + "#" + rules[i].Anchor()
		if rules[i].MinProfile == "" {
			rules[i].MinProfile = ProfileMinimal
		}
	}
	return rules
}

// Lookup returns the recommendation of the built-in catalogue with the given
// ID, and whether there is one.
func Lookup(id string) (Recommendation, bool) {
	rules := Catalogue()
	i := slices.IndexFunc(rules, func(r Rule) bool { return r.ID == id })
	if i < 0 {
		return Recommendation{}, false
	}
	return rules[i].Recommendation, true
}

// The parameters shared by several recommendations.
var (
	paramNoticeDays = Param{Name: "notice_days", Default: 3,
		Doc: "Whole days (24 h) before the meeting start by which the material must have been sent."}
)

// Paths and helpers shared by the checks. They are called only when a
// finding is reported, so that a passing check allocates nothing.

func participantPath(i int) string { return "meeting.participants[" + strconv.Itoa(i) + "]" }

func participantField(i int, field string) string { return participantPath(i) + "." + field }

func itemPath(i int) string { return "meeting.agenda[" + strconv.Itoa(i) + "]" }

func itemField(i int, field string) string { return itemPath(i) + "." + field }

func actionField(i int, field string) string {
	return "plan.actions[" + strconv.Itoa(i) + "]." + field
}

func indexPath(base string, i int) string { return base + "[" + strconv.Itoa(i) + "]" }

// itemLabel names an agenda item in a message by path and kind, never by title.
func itemLabel(m *meeting.Meeting, i int) string {
	return itemPath(i) + " (" + string(m.Agenda[i].Kind) + ")"
}

// participantLabel names a participant in a message by path and role, never by name.
func participantLabel(m *meeting.Meeting, i int) string {
	return participantPath(i) + " (" + string(m.Participants[i].Role) + ")"
}

// sentInTime reports whether t is set and at least d before start
// ("at least N days before" means t <= start - N days).
func sentInTime(t, start time.Time, d time.Duration) bool {
	return !t.IsZero() && !t.After(start.Add(-d))
}

// within reports whether t is after start and no later than start + d.
func within(t, start time.Time, d time.Duration) bool {
	return t.After(start) && !t.After(start.Add(d))
}

// attendsWhole reports whether participant k attends every agenda item (true
// for an empty agenda).
func attendsWhole(pass *Pass, k int) bool {
	s := pass.index.spans[k]
	return s.first == 0 && s.last == len(pass.Meeting.Agenda)-1
}

// attendanceField is the path to blame when the participant at index k does
// not attend the agenda item at index i: joins_at_item when it joins later,
// leaves_after_item when it leaves earlier, the participant when its span is
// empty.
func attendanceField(pass *Pass, k, i int) string {
	first, last := pass.index.spans[k].first, pass.index.spans[k].last
	switch {
	case first > last:
		return participantPath(k)
	case i < first:
		return participantField(k, "joins_at_item")
	}
	return participantField(k, "leaves_after_item")
}

// reportWhole reports each way in which the participant at index k does not
// attend the whole meeting.
func reportWhole(pass *Pass, k int, who string) {
	m := pass.Meeting
	first, last := pass.index.spans[k].first, pass.index.spans[k].last
	switch {
	case first > last:
		pass.ReportParticipant(k, participantPath(k), who+" attends no agenda item",
			"Fix joins_at_item and leaves_after_item so that "+who+" attends the whole meeting.")
		return
	}
	if first > 0 {
		pass.ReportParticipant(k, participantField(k, "joins_at_item"),
			who+" joins at "+itemLabel(m, first)+", after the start of the meeting",
			"Let "+who+" attend from the first agenda item, or name someone who does.")
	}
	if last < len(m.Agenda)-1 {
		pass.ReportParticipant(k, participantField(k, "leaves_after_item"),
			who+" leaves after "+itemLabel(m, last)+", before the end of the meeting",
			"Let "+who+" stay to the last agenda item, or name someone who does.")
	}
}

// hasParticipant reports whether ids contains the participant id.
func containsID[T comparable](ids []T, id T) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
