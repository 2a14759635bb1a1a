package casegen

import (
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
)

// The free text of generated cases: plausible, and clearly made up. The
// family names are Norwegian-sounding words for "test", "example" and "sample".

var firstNames = []string{
	"Kari", "Ola", "Ingrid", "Lars", "Sigrid", "Nils", "Astrid", "Per", "Marit", "Jon",
	"Silje", "Anders", "Hilde", "Erik", "Tone", "Bjørn", "Liv", "Geir", "Randi", "Odd",
}

var lastNames = []string{
	"Testesen", "Eksempelsen", "Prøvestad", "Demovik", "Fiktivdal", "Utkastmo", "Mønsterud",
	"Syntesen", "Øvingsli", "Prøveberg",
}

var organizations = map[meeting.Sector]string{
	meeting.SectorSpecialistHealth: "Example Pain Centre (synthetic)",
	meeting.SectorPrimaryHealth:    "Example Municipality Health Services (synthetic)",
	meeting.SectorSocialSecurity:   "Example Social Security Office (synthetic)",
	meeting.SectorEmployer:         "Example Workplace Ltd (synthetic)",
	meeting.SectorEducation:        "Example Upper Secondary School (synthetic)",
	meeting.SectorOther:            "Example Patient Association (synthetic)",
}

var purposes = map[meeting.Sector][]string{
	meeting.SectorSocialSecurity: {
		"Work assessment allowance and the way back to work (synthetic)",
		"Follow-up of sick leave and benefits (synthetic)",
		"Vocational rehabilitation options (synthetic)",
	},
	meeting.SectorEmployer: {
		"Adapted duties and working hours (synthetic)",
		"Graded return to work (synthetic)",
	},
	meeting.SectorEducation: {
		"Adapted study plan and attendance (synthetic)",
	},
	meeting.SectorOther: {
		"Peer support offered by the association (synthetic)",
	},
}

var platforms = []string{"Example Video (synthetic)", "Example Health Video Service (synthetic)"}

var titles = map[meeting.ItemKind][]string{
	meeting.ItemIntroductions:      {"Welcome, names and roles", "Introductions and purpose of the meeting"},
	meeting.ItemClinicalSummary:    {"Summary of the interprofessional assessment", "Findings from the assessment"},
	meeting.ItemPatientPerspective: {"What matters to you now", "Your everyday life and your wishes"},
	meeting.ItemDiscussion:         {"Options for work, study and treatment", "What could help, and what stands in the way"},
	meeting.ItemActionPlan:         {"Common action plan", "Who does what, and by when"},
	meeting.ItemSummary:            {"Summary and next meeting", "Round-up and follow-up"},
	meeting.ItemOther:              {"Practical matters", "Questions from the participants", "Aids and adaptations at home"},
}

var recapTitles = []string{"New participants join: introductions and recap", "Recap for those joining now"}

var goals = []string{
	"Walk to the shop without a break (synthetic goal)",
	"Work three days a week by the summer (synthetic goal)",
	"Sleep through most nights (synthetic goal)",
	"Take up choir singing again (synthetic goal)",
	"Study part time from the autumn (synthetic goal)",
}

var actionTexts = map[plan.ActionKind][]string{
	plan.ActionTreatment: {"Graded activity programme (synthetic)", "Review of pain medication (synthetic)", "Sleep school, group course (synthetic)"},
	plan.ActionWork:      {"Review the sick-leave certificate (synthetic)", "Adapted duties for four weeks (synthetic)"},
	plan.ActionBenefits:  {"Assess work assessment allowance (synthetic)", "Plan for vocational rehabilitation (synthetic)"},
	plan.ActionEducation: {"Adapted exam arrangements (synthetic)"},
	plan.ActionHandover:  {"Hand the follow-up over to the new supervisor (synthetic)"},
	plan.ActionOther:     {"Keep an activity diary (synthetic)", "Contact the patient association (synthetic)"},
}
