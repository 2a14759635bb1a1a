// Command agenda-builder turns the participants of a planned collaboration
// meeting into a compliant agenda: the meeting is built in Go with its
// participants and an empty agenda, the suggested fixes of the catalogue are
// applied to it (recommend/fix), and the agenda that comes out is printed in
// English and in Norwegian (bokmål), with what is left for people to do.
//
//	go run ./examples/agenda-builder
//
// The fixes give the empty agenda the standard skeleton (introductions, the
// clinical summary, the patient's perspective led by the patient, a
// discussion, the action plan, a summary), let the NAV supervisor, who has
// no consent to hear clinical information, join after the clinical summary
// at a recap, lengthen the meeting to hold the agenda, name the psychologist
// as minute-taker (leading and taking minutes are two jobs) and the leader as
// plan updater. Sending the agenda out is for people, and
// so is everything else that records a fact or a person's decision.
//
// Nothing personal is printed: participants are named by role and position.
package main

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/fix"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/google/uuid"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "agenda-builder:", err)
		os.Exit(1)
	}
}

// messages holds the texts of the example (messages/builder.LANG.json); a
// text missing in a language is shown in English.
//
//go:embed messages/*.json
var messages embed.FS

// id gives each thing of the example a fixed UUID, so the output is the same every run.
func id(name string) uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("collabmeet-example:agenda-builder:"+name))
}

func run(w io.Writer) error {
	c := participantsOnly()
	if err := c.Validate(); err != nil { // what casedoc.Unmarshal does for JSON input
		return err
	}
	texts, err := fs.Sub(messages, "messages")
	if err != nil {
		return err
	}
	engines := map[recommend.Lang]*recommend.Engine{}
	for _, lang := range []recommend.Lang{recommend.English, recommend.Bokmal} {
		e, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithLang(lang), recommend.WithMessages(texts))
		if err != nil {
			return err
		}
		engines[lang] = e
	}
	// The fixes do not depend on the language: apply them once.
	res, err := fix.Apply(engines[recommend.English], c)
	if err != nil {
		return err
	}
	for i, lang := range []recommend.Lang{recommend.English, recommend.Bokmal} {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "[%s]\n", lang)
		show(w, engines[lang], res)
	}
	return nil
}

// show writes the agenda of the fixed case, who joins when, who takes the
// minutes and updates the plan, the recommendations the fixes closed and
// the gaps left, in the engine's language.
func show(w io.Writer, e *recommend.Engine, res *fix.Result) {
	lang := e.Lang()
	text := func(id string, args recommend.Args) string { return e.Text(lang, id, args) }
	m := &res.Case.Meeting
	who := func(k int) string {
		return text("subject.participant", recommend.Args{"role": m.Participants[k].Role, "position": k + 1})
	}
	patient := m.PatientIndex()

	fmt.Fprintln(w, text("builder.heading", recommend.Args{"meeting_kind": m.Kind, "duration_minutes": m.DurationMinutes}))
	for i, it := range m.Agenda {
		line := text("builder.item", recommend.Args{"position": i + 1, "item_kind": it.Kind, "minutes": it.Minutes})
		var notes []string
		if patient >= 0 && it.LeadID == m.Participants[patient].ID {
			notes = append(notes, text("builder.led_by_patient", nil))
		}
		if it.PatientSpeaksFirst {
			notes = append(notes, text("builder.speaks_first", nil))
		}
		if it.Recap {
			notes = append(notes, text("builder.recap", nil))
		}
		if len(notes) > 0 {
			line += " (" + strings.Join(notes, "; ") + ")"
		}
		fmt.Fprintln(w, "  "+line)
	}
	for k := range m.Participants {
		first, last := m.Span(&m.Participants[k])
		if first > 0 {
			fmt.Fprintln(w, text("builder.joins", recommend.Args{"subject": recommend.Code(who(k)), "item": first + 1}))
		}
		if last >= 0 && last < len(m.Agenda)-1 {
			fmt.Fprintln(w, text("builder.leaves", recommend.Args{"subject": recommend.Code(who(k)), "item": last + 1}))
		}
	}
	if k := m.ParticipantIndex(m.MinuteTakerID); k >= 0 {
		fmt.Fprintln(w, text("builder.minute_taker", recommend.Args{"subject": recommend.Code(who(k))}))
	}
	if k := m.ParticipantIndex(m.PlanUpdaterID); k >= 0 {
		fmt.Fprintln(w, text("builder.plan_updater", recommend.Args{"subject": recommend.Code(who(k))}))
	}

	fmt.Fprintln(w, text("builder.fixed", nil))
	for _, id := range res.Fixed {
		fmt.Fprintf(w, "  %s %s\n", id, text(id+".title", nil))
	}
	rep := e.Check(res.Case) // the report on the fixed case, in this language
	fmt.Fprintln(w, text("builder.left", nil))
	for _, r := range rep.Results {
		if r.Outcome != recommend.OutcomeGap {
			continue
		}
		fmt.Fprintf(w, "  %s %s\n", r.ID, r.Title)
		for _, f := range r.Findings {
			fmt.Fprintf(w, "    %s: %s\n", f.Subject, f.Remedy)
		}
	}
	fmt.Fprintln(w, text("builder.verdict", recommend.Args{"verdict": recommend.Code(report.Verdict(lang, rep.Compliant))}))
}

// participantsOnly plans a digital collaboration meeting of 30 minutes with
// its participants and no agenda yet: the patient at home, the pain
// clinic's physician (the leader), psychologist and physiotherapist, the
// GP, and a NAV supervisor, invited with the patient's consent to attend
// but not to hear clinical information. The patient was asked how to take
// part, and has met the supervisor before.
func participantsOnly() *casedoc.Case {
	oslo := time.FixedZone("CEST", 2*60*60)
	start := time.Date(2026, 6, 8, 9, 0, 0, 0, oslo)
	patient, physician, supervisor := id("patient"), id("physician"), id("supervisor")
	m := meeting.Meeting{
		ID: id("meeting"), PatientID: id("patient-record"),
		Kind: meeting.KindCollaboration, Status: meeting.StatusPlanned, Format: meeting.FormatDigital,
		Platform: "Example Video", Start: start, DurationMinutes: 30,
		LeaderID: physician,
		Participants: []meeting.Participant{
			{ID: patient, Name: "Example Patient", Role: meeting.RolePatient, Sector: meeting.SectorPatient,
				Location: meeting.LocationHome, ChoseLocation: true},
			{ID: physician, Name: "Example Physician", Role: meeting.RolePainPhysician, Sector: meeting.SectorSpecialistHealth,
				Location: meeting.LocationClinic, PriorContact: true},
			{ID: id("psychologist"), Name: "Example Psychologist", Role: meeting.RolePsychologist, Sector: meeting.SectorSpecialistHealth,
				Location: meeting.LocationClinic, PriorContact: true},
			{ID: id("physiotherapist"), Name: "Example Physiotherapist", Role: meeting.RolePhysiotherapist, Sector: meeting.SectorSpecialistHealth,
				Location: meeting.LocationClinic, PriorContact: true},
			{ID: id("gp"), Name: "Example GP", Role: meeting.RoleGP, Sector: meeting.SectorPrimaryHealth,
				Location: meeting.LocationGPOffice, PriorContact: true},
			{ID: supervisor, Name: "Example Supervisor", Role: meeting.RoleSocialSecuritySupervisor, Sector: meeting.SectorSocialSecurity,
				Location: meeting.LocationOffice, Purpose: "Example purpose: return to work", PriorContact: true},
		},
	}
	consents := consent.Set{{
		ID: id("consent-supervisor"), PatientID: m.PatientID, GranteeID: supervisor,
		Scopes: []consent.Scope{consent.ScopeAttend}, GivenAt: start.AddDate(0, 0, -14), Method: consent.MethodDigital, RecordedBy: physician,
	}}
	return &casedoc.Case{Meeting: m, Consents: consents}
}
