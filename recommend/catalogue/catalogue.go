// Package catalogue is the built-in recommendation catalogue of collabmeet:
// the recommendations for digital collaboration meetings across healthcare
// levels and services for patients with chronic pain or fatigue, as rules of
// package recommend.
//
// It uses only the public API of recommend, as a custom rule does (in the
// manner of golang.org/x/tools/go/analysis/passes). A theme is a file
// (pc.go, ap.go, mc.go, cs.go, pw.go) and its texts a message file per
// language (messages/pc.en.json, messages/pc.nb.json, ...); the catalogue
// is documented in docs/catalogue.md, generated from it.
package catalogue

import (
	"embed"
	"io/fs"
	"time"

	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
)

//go:generate go run ../../internal/gendocs -o ../../docs

// Version is the version of the built-in catalogue, written in every report
// so that an audit can replay an old check.
const Version = "2026.3"

// DocURL is where the built-in catalogue is documented (docs/catalogue.md).
// A recommendation's entry is this URL with its anchor as the fragment:
// DocURL + "#pc-05".
const DocURL = "https://github.com/collabmeet/collabmeet/blob/main/docs/catalogue.md"

//go:embed messages/*.json
var messages embed.FS

// The themes of the built-in catalogue, in catalogue order (see Themes).
const (
	ThemePatientCentredness recommend.Theme = "patient_centredness"
	ThemeCommonActionPlan   recommend.Theme = "common_action_plan"
	ThemeMeetingClimate     recommend.Theme = "meeting_climate"
	ThemeCrossSector        recommend.Theme = "cross_sector"
	ThemePathway            recommend.Theme = "pathway"
)

// Themes returns the themes of the built-in catalogue in catalogue order,
// each with the ID prefix of its recommendations; their titles are the
// messages "theme.<ID>" (messages/themes.*.json). A fresh slice.
func Themes() []recommend.ThemeDef {
	return []recommend.ThemeDef{
		{ID: ThemePatientCentredness, Prefix: "PC"},
		{ID: ThemeCommonActionPlan, Prefix: "AP"},
		{ID: ThemeMeetingClimate, Prefix: "MC"},
		{ID: ThemeCrossSector, Prefix: "CS"},
		{ID: ThemePathway, Prefix: "PW"},
	}
}

// messageFiles are the message files of the catalogue, at the root.
func messageFiles() fs.FS {
	sub, err := fs.Sub(messages, "messages")
	if err != nil {
		panic("catalogue: " + err.Error()) // the embedded directory exists
	}
	return sub
}

// Builtin returns the built-in catalogue: its version, its themes, its rules
// in catalogue order (the themes PC, AP, MC, CS, PW, and the IDs in order
// within each), its message files in English and Norwegian bokmål, and
// DocURL. Everything in it is fresh: the caller may change it. It reads no
// message file.
//
// The texts of the recommendations are in the message files, their sources
// too ("PC-04.source", in every language): New fills each rule's Source
// from the English message (see recommend.Recommendation.Source), and the
// rules have no Doc of their own: each links to its entry at DocURL.
func Builtin() recommend.Catalogue {
	var rules []recommend.Rule
	for _, theme := range themes() {
		rules = append(rules, theme...)
	}
	return recommend.Catalogue{Version: Version, Themes: Themes(), Rules: rules, Messages: messageFiles(),
		DocURL: DocURL, Langs: []recommend.Lang{recommend.English, recommend.Bokmal}}
}

// themes returns the rules of each theme, in catalogue order, as they are
// defined.
func themes() [][]recommend.Rule {
	return [][]recommend.Rule{patientCentredness(), commonActionPlan(), meetingClimate(), crossSector(), pathway()}
}

// Lookup returns the recommendation of the built-in catalogue with the given
// ID, and whether there is one.
func Lookup(id string) (recommend.Recommendation, bool) {
	for _, r := range Builtin().Rules {
		if r.ID == id {
			return r.Recommendation, true
		}
	}
	return recommend.Recommendation{}, false
}

// paramNoticeDays is the parameter shared by the recommendations on sending
// material ahead.
var paramNoticeDays = recommend.ParamDays("notice_days", 3)

// The parameters of the agenda, shared by the recommendations that check
// them and those whose fixes add or lengthen items (one name, one unit and
// default): the least minutes of the patient's item (PC-05), of the action
// plan (AP-01), of the discussion (AP-02) and of a social security
// participant's attendance (CS-07), and the longest meeting (MC-08), up to
// which MC-02's fix lengthens the meeting to hold its agenda.
var (
	paramPatientMinutes    = recommend.ParamMinutes("patient_minutes", 10)
	paramPlanMinutes       = recommend.ParamMinutes("plan_minutes", 10)
	paramDiscussionMinutes = recommend.ParamMinutes("discussion_minutes", 10)
	paramMinSectorMinutes  = recommend.ParamMinutes("min_sector_minutes", 15)
	paramMaxMinutes        = recommend.ParamMinutes("max_minutes", 90)
)

// The least minutes of the patient's item (PC-05) and of the action plan
// (AP-01) in a follow_up meeting: a check-in is short.
var (
	paramFollowUpPatientMinutes = recommend.ParamMinutes("follow_up_patient_minutes", 5)
	paramFollowUpPlanMinutes    = recommend.ParamMinutes("follow_up_plan_minutes", 5)
)

// patientMinutes is the least minutes of the patient's item in the meeting
// being checked: follow_up_patient_minutes for a follow_up meeting,
// patient_minutes otherwise. The recommendation being checked declares both.
func patientMinutes(pass *recommend.Pass) int {
	if pass.Meeting.Kind == meeting.KindFollowUp {
		return pass.Int("follow_up_patient_minutes")
	}
	return pass.Int("patient_minutes")
}

// planMinutes is the least minutes of the action plan item in the meeting
// being checked: follow_up_plan_minutes for a follow_up meeting,
// plan_minutes otherwise. The recommendation being checked declares both.
func planMinutes(pass *recommend.Pass) int {
	if pass.Meeting.Kind == meeting.KindFollowUp {
		return pass.Int("follow_up_plan_minutes")
	}
	return pass.Int("plan_minutes")
}

// sentInTime reports whether t is set and at least d before start ("at
// least N days before" means t <= start - N days).
func sentInTime(t, start time.Time, d time.Duration) bool {
	return !t.IsZero() && !t.After(start.Add(-d))
}

// within reports whether t is after start and no later than start + d.
func within(t, start time.Time, d time.Duration) bool {
	return t.After(start) && !t.After(start.Add(d))
}

// reportWhole reports each way in which participant k does not attend the
// whole meeting, with the reasons not_attending, joins_late, leaves_early
// and steps_out (naming the first item of its away_items) of the
// recommendation being checked.
func reportWhole(pass *recommend.Pass, k int, args recommend.Args) {
	first, last := pass.Span(k)
	if first > last {
		pass.ReportParticipant(k, "", "not_attending", args)
		return
	}
	if first > 0 {
		pass.ReportParticipant(k, "joins_at_item", "joins_late", with(args, "item", first+1))
	}
	if last < len(pass.Meeting.Agenda)-1 {
		pass.ReportParticipant(k, "leaves_after_item", "leaves_early", with(args, "item", last+1))
	}
	if away := pass.Away(k); len(away) > 0 {
		pass.ReportParticipant(k, "away_items", "steps_out", with(args, "item", away[0]+1))
	}
}

// attendanceField is the field to blame when participant k does not attend
// agenda item i: joins_at_item when it joins later, leaves_after_item when
// it leaves earlier, away_items when it steps out of it, none (the
// participant) when it attends nothing.
func attendanceField(pass *recommend.Pass, k, i int) string {
	first, last := pass.Span(k)
	switch {
	case first > last:
		return ""
	case i < first:
		return "joins_at_item"
	case i > last:
		return "leaves_after_item"
	}
	return "away_items"
}

// with returns a copy of args with k set to v.
func with(args recommend.Args, k string, v any) recommend.Args {
	out := make(recommend.Args, len(args)+1)
	for key, val := range args {
		out[key] = val
	}
	out[k] = v
	return out
}

// reportNoPlan reports a missing plan (reason no_plan) and says whether it did.
func reportNoPlan(pass *recommend.Pass) bool {
	if pass.Plan != nil {
		return false
	}
	pass.ReportCase("plan", "no_plan", nil)
	return true
}
