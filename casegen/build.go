package casegen

import (
	"math/rand/v2"
	"slices"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
)

// builder builds one case from a spec, compliant with the default policy
// (apart from what the size forces: a large meeting outnumbers the patient,
// a four-item agenda has no discussion), and remembers where things are so
// that defects can be applied afterwards.
type builder struct {
	r *rand.Rand
	s spec
	c *casedoc.Case

	patient, leader int
	nextOfKin       []int
	outside         []int // participants outside healthcare
	healthcare      []int

	intro, clinical, perspective, recap, summary int // agenda indexes, -1 when absent
	discussions, actionPlans                     []int

	changingSoon bool
	// checkIn: a short follow-up meeting to hear how it goes, with
	// check_in follow-up (catalogue 2026.3: PC-05 and AP-01 ask less of it).
	checkIn bool
}

func newBuilder(r *rand.Rand, s spec) *builder {
	return &builder{r: r, s: s, c: &casedoc.Case{}, clinical: -1, recap: -1}
}

func (b *builder) build() *casedoc.Case {
	m := &b.c.Meeting
	m.ID = newID(b.r)
	m.PatientID = newID(b.r)
	m.Kind, m.Status, m.Format, m.Start = b.s.kind, b.s.status, b.s.format, b.s.start
	// Half the follow-up meetings are check-ins, of at most five items.
	// Decided by a bit of the meeting ID, drawn already, so that the
	// generator's sequence of draws stays as it was up to the agenda.
	b.checkIn = !b.s.typical && b.s.kind == meeting.KindFollowUp && m.ID[15]&1 == 0
	if m.Format.Remote() {
		m.Platform = pick(b.r, platforms)
	}
	b.participants()
	b.agenda()
	b.splitTreatmentWork()
	b.attendance()
	b.roles()
	b.stepOut()
	b.pathway()
	b.consents()
	b.preparation()
	b.plan()
	return b.c
}

// participantRoles chooses the roles: those the meeting kind needs, then a
// realistic mix up to the size.
func (b *builder) participantRoles() []meeting.Role {
	if b.s.roles != nil {
		return b.s.roles
	}
	var roles []meeting.Role
	switch b.s.kind {
	case meeting.KindCollaboration:
		roles = []meeting.Role{meeting.RolePatient, meeting.RoleGP, meeting.RolePainPhysician, meeting.RolePsychologist}
	case meeting.KindTransfer:
		roles = []meeting.Role{meeting.RolePatient, meeting.RolePainPhysician, meeting.RoleMunicipalHealth, meeting.RoleGP}
	default:
		roles = []meeting.Role{meeting.RolePatient, meeting.RoleGP, meeting.RolePhysiotherapist}
	}
	limit := map[meeting.Role]int{
		meeting.RoleNextOfKin: 2, meeting.RoleSocialSecuritySupervisor: 2, meeting.RoleEmployer: 1,
		meeting.RoleSchool: 1, meeting.RoleOther: 1, meeting.RoleCoordinator: 1, meeting.RoleGP: 1,
		meeting.RolePainPhysician: 2, meeting.RolePsychologist: 2, meeting.RoleSocialWorker: 1,
	}
	count := func(role meeting.Role) int {
		n := 0
		for _, x := range roles {
			if x == role {
				n++
			}
		}
		return n
	}
	for len(roles) < b.s.participants {
		role := pick(b.r, rolePool)
		if max, ok := limit[role]; ok && count(role) >= max {
			continue
		}
		roles = append(roles, role)
	}
	return roles
}

// rolePool weighs the roles that fill a meeting: the common ones appear more often.
var rolePool = []meeting.Role{
	meeting.RoleNextOfKin, meeting.RoleNextOfKin, meeting.RoleNextOfKin,
	meeting.RolePhysiotherapist, meeting.RolePhysiotherapist,
	meeting.RoleSocialSecuritySupervisor, meeting.RoleSocialSecuritySupervisor, meeting.RoleSocialSecuritySupervisor,
	meeting.RoleNurse, meeting.RoleNurse,
	meeting.RolePsychomotorPhysiotherapist, meeting.RolePsychologist, meeting.RolePainPhysician,
	meeting.RoleEmployer, meeting.RoleEmployer,
	meeting.RoleMunicipalHealth, meeting.RoleCoordinator, meeting.RoleSocialWorker,
	meeting.RoleSchool, meeting.RoleOther,
}

func sectorOf(role meeting.Role) meeting.Sector {
	switch role {
	case meeting.RolePatient, meeting.RoleNextOfKin:
		return meeting.SectorPatient
	case meeting.RoleGP, meeting.RoleMunicipalHealth, meeting.RoleSocialWorker:
		return meeting.SectorPrimaryHealth
	case meeting.RoleSocialSecuritySupervisor:
		return meeting.SectorSocialSecurity
	case meeting.RoleEmployer:
		return meeting.SectorEmployer
	case meeting.RoleSchool:
		return meeting.SectorEducation
	case meeting.RoleOther:
		return meeting.SectorOther
	}
	return meeting.SectorSpecialistHealth // the pain clinic, and its coordinator
}

func (b *builder) participants() {
	m := &b.c.Meeting
	roles := b.participantRoles()
	shared := map[meeting.Location]int{}
	for _, role := range roles {
		p := meeting.Participant{
			ID:     newID(b.r),
			Role:   role,
			Sector: sectorOf(role),
		}
		p.Name = b.name(role)
		p.Organization = organizations[p.Sector]
		p.Location = b.location(role, shared)
		i := len(m.Participants)
		switch {
		case role == meeting.RolePatient:
			b.patient = i
			p.ChoseLocation = true
			p.Organization = ""
		case role == meeting.RoleNextOfKin:
			b.nextOfKin = append(b.nextOfKin, i)
			p.Organization = ""
		case p.Sector.Healthcare():
			b.healthcare = append(b.healthcare, i)
			p.PriorContact = true
		default:
			b.outside = append(b.outside, i)
			p.Purpose = pick(b.r, purposes[p.Sector])
			p.PriorContact = b.s.typical || b.r.IntN(10) < 7
		}
		m.Participants = append(m.Participants, p)
	}
}

// location seats a participant. In a hybrid meeting at most two people
// share a clinic or a GP office (MC-06); the others join from an office.
func (b *builder) location(role meeting.Role, shared map[meeting.Location]int) meeting.Location {
	if b.s.format == meeting.FormatInPerson {
		return meeting.LocationClinic
	}
	var l meeting.Location
	switch sectorOf(role) {
	case meeting.SectorPatient:
		l = meeting.LocationHome
	case meeting.SectorSpecialistHealth:
		l = meeting.LocationClinic
	case meeting.SectorPrimaryHealth:
		l = meeting.LocationGPOffice
	case meeting.SectorEmployer:
		l = meeting.LocationWorkplace
	default:
		l = meeting.LocationOffice
	}
	if b.s.format == meeting.FormatHybrid && l.Shared() {
		if shared[l] >= 2 {
			return meeting.LocationOffice
		}
		shared[l]++
	}
	return l
}

func (b *builder) name(role meeting.Role) string {
	first, last := pick(b.r, firstNames), pick(b.r, lastNames)
	switch role {
	case meeting.RoleGP, meeting.RolePainPhysician:
		return "Dr. " + first + " " + last
	}
	return first + " " + last
}

// agendaKinds lays out the agenda: the core (introductions, the patient's
// perspective, discussion, action plan, summary), then extras in the order
// they are usually added, sorted into the usual running order.
func (b *builder) agendaKinds() []meeting.ItemKind {
	n := b.s.items
	if b.checkIn {
		n = min(n, 5)
	}
	core := []meeting.ItemKind{meeting.ItemIntroductions, meeting.ItemPatientPerspective, meeting.ItemDiscussion, meeting.ItemActionPlan, meeting.ItemSummary}
	if n < len(core) {
		core = slices.Delete(core, 2, 3) // no room to discuss: AP-02 will say so
	}
	kinds := core
	extras := []meeting.ItemKind{meeting.ItemClinicalSummary, "recap", meeting.ItemDiscussion, meeting.ItemOther, meeting.ItemActionPlan, meeting.ItemDiscussion, meeting.ItemOther, meeting.ItemOther}
	if b.s.typical {
		extras = []meeting.ItemKind{meeting.ItemClinicalSummary, "recap", meeting.ItemOther}
	}
	for _, k := range extras {
		if len(kinds) >= n {
			break
		}
		if k == "recap" && len(b.outside) == 0 {
			continue
		}
		kinds = append(kinds, k)
	}
	for len(kinds) < n {
		kinds = append(kinds, meeting.ItemOther)
	}
	order := map[meeting.ItemKind]int{
		meeting.ItemIntroductions: 0, meeting.ItemClinicalSummary: 1, meeting.ItemPatientPerspective: 2,
		"recap": 3, meeting.ItemDiscussion: 4, meeting.ItemOther: 5, meeting.ItemActionPlan: 6, meeting.ItemSummary: 7,
	}
	slices.SortStableFunc(kinds, func(x, y meeting.ItemKind) int { return order[x] - order[y] })
	return kinds
}

// The lengths of the agenda items the generator picks from: those of a
// check-in are shorter (each list as long as its usual one, so that the
// draws stay the same).
var (
	itemMinutes    = map[meeting.ItemKind][]int{meeting.ItemPatientPerspective: {10, 15}, meeting.ItemDiscussion: {10, 15, 20}, meeting.ItemActionPlan: {10, 15}, meeting.ItemSummary: {5, 10}}
	checkInMinutes = map[meeting.ItemKind][]int{meeting.ItemPatientPerspective: {5, 8}, meeting.ItemDiscussion: {5, 8, 10}, meeting.ItemActionPlan: {5, 8}, meeting.ItemSummary: {3, 5}}
)

func (b *builder) agenda() {
	m := &b.c.Meeting
	b.leader = b.pickLeader()
	leaderID := m.Participants[b.leader].ID
	patientID := m.Participants[b.patient].ID
	// The patient may ask next of kin to speak for them (PC-05): now and
	// then, by a bit of the meeting ID, next of kin leads the patient's item.
	if len(b.nextOfKin) > 0 && !b.s.typical && m.ID[14]&3 == 0 {
		patientID = m.Participants[b.nextOfKin[0]].ID
	}
	lengths, intro := itemMinutes, 5
	if b.checkIn {
		lengths, intro = checkInMinutes, 3
	}
	total := 0
	for i, k := range b.agendaKinds() {
		it := meeting.AgendaItem{ID: newID(b.r), Kind: k, LeadID: leaderID}
		switch k {
		case meeting.ItemIntroductions:
			b.intro, it.Minutes = i, intro
		case meeting.ItemClinicalSummary:
			b.clinical, it.Minutes = i, pick(b.r, []int{10, 15})
		case meeting.ItemPatientPerspective:
			b.perspective, it.Minutes, it.LeadID = i, pick(b.r, lengths[k]), patientID
		case "recap":
			b.recap, it.Minutes, it.Kind, it.Recap = i, 5, meeting.ItemOther, true
		case meeting.ItemDiscussion:
			b.discussions = append(b.discussions, i)
			it.Minutes, it.PatientSpeaksFirst = pick(b.r, lengths[k]), true
		case meeting.ItemActionPlan:
			b.actionPlans = append(b.actionPlans, i)
			it.Minutes, it.PatientSpeaksFirst = pick(b.r, lengths[k]), true
		case meeting.ItemSummary:
			b.summary, it.Minutes = i, pick(b.r, lengths[k])
		default:
			it.Minutes = pick(b.r, []int{5, 10})
		}
		it.Title = pick(b.r, titles[it.Kind])
		if it.Recap {
			it.Title = pick(b.r, recapTitles)
		}
		total += it.Minutes
		m.Agenda = append(m.Agenda, it)
	}
	// Planners trim long agendas: extra items shrink to their shortest.
	for i := len(m.Agenda) - 1; i >= 0 && total > 90; i-- {
		it := &m.Agenda[i]
		least := it.Minutes
		switch {
		case it.Kind == meeting.ItemOther && !it.Recap:
			least = 5
		case it.Kind == meeting.ItemDiscussion && i != b.discussions[0]:
			least = 10
		}
		total -= it.Minutes - least
		it.Minutes = least
	}
	slack := 0
	if !b.s.typical {
		slack = min(5*b.r.IntN(4), max(0, 90-total)) // room to breathe, within 90 minutes
	}
	m.DurationMinutes = max(30, (total+slack+4)/5*5)
	if b.checkIn {
		m.DurationMinutes = max(15, (total+4)/5*5) // a check-in is as short as its agenda
	}
}

// pickLeader names a pain-clinic professional as leader, or a GP in a
// follow-up meeting: a healthcare participant who attends the whole meeting.
func (b *builder) pickLeader() int {
	ps := b.c.Meeting.Participants
	prefer := []meeting.Role{meeting.RolePainPhysician, meeting.RolePhysiotherapist, meeting.RoleGP}
	if b.s.kind == meeting.KindFollowUp && b.r.IntN(2) == 0 {
		prefer = []meeting.Role{meeting.RoleGP, meeting.RolePhysiotherapist}
	}
	for _, role := range prefer {
		for i := range ps {
			if ps[i].Role == role {
				return i
			}
		}
	}
	return b.healthcare[0]
}

// attendance lets the participants outside healthcare join at the recap
// item, after the clinical summary (SN's practice); without a recap item
// they take part from the start. Some leave after the last action plan item.
func (b *builder) attendance() {
	m := &b.c.Meeting
	for _, i := range b.outside {
		p := &m.Participants[i]
		if b.recap >= 0 && (b.s.typical || b.r.IntN(10) < 9) {
			p.JoinsAtItem = m.Agenda[b.recap].ID
		}
		if !b.s.typical && p.Sector != meeting.SectorSocialSecurity && len(b.actionPlans) > 0 && b.r.IntN(10) < 3 {
			p.LeavesAfterItem = m.Agenda[b.actionPlans[len(b.actionPlans)-1]].ID
		}
	}
	// A sensitive clinical summary, kept outside the time of those outside
	// healthcare (CS-08).
	if b.clinical >= 0 && !b.s.typical && b.r.IntN(5) == 0 {
		sensitive := true
		for _, i := range b.outside {
			if m.AttendsIndex(&m.Participants[i], b.clinical) {
				sensitive = false
			}
		}
		m.Agenda[b.clinical].Sensitive = sensitive
	}
}

// roles names the minute-taker and the plan updater, and lets a supervisor
// be about to change, with a handover.
func (b *builder) roles() {
	m := &b.c.Meeting
	m.LeaderID = m.Participants[b.leader].ID
	m.MinuteTakerID = m.LeaderID
	m.PlanUpdaterID = m.LeaderID
	for _, i := range b.healthcare {
		switch m.Participants[i].Role {
		case meeting.RolePsychologist, meeting.RoleNurse:
			if m.MinuteTakerID == m.LeaderID {
				m.MinuteTakerID = m.Participants[i].ID
			}
		case meeting.RoleCoordinator:
			m.PlanUpdaterID = m.Participants[i].ID
		}
	}
	if b.s.typical || b.s.actions < 2 {
		return
	}
	for _, i := range b.outside {
		p := &m.Participants[i]
		if p.Sector == meeting.SectorSocialSecurity && b.r.IntN(10) == 0 {
			p.ChangingSoon = true
			b.changingSoon = true
			// A successor who is in the meeting, or else a handover action (see plan).
			for _, j := range b.outside {
				if j != i && m.Participants[j].Sector == meeting.SectorSocialSecurity {
					p.SuccessorID = m.Participants[j].ID
				}
			}
			break
		}
	}
}

func (b *builder) pathway() {
	m := &b.c.Meeting
	if b.s.kind != meeting.KindCollaboration && (b.s.typical || b.r.IntN(10) >= 3) {
		return
	}
	if b.s.kind == meeting.KindCollaboration && !b.s.typical && b.r.IntN(10) == 0 {
		return // outside the national pathway
	}
	assessment := m.Start.Add(-days(7 * (3 + b.r.IntN(8))))
	m.Pathway = &meeting.Pathway{
		AssessmentStartedAt: assessment,
		ReferralReceivedAt:  assessment.Add(-days(7 * (2 + b.r.IntN(9)))),
	}
}

// thirdParties are the participants who need the patient's consent to take
// part: next of kin and everyone outside healthcare.
func (b *builder) thirdParties() []int {
	return append(slices.Clone(b.nextOfKin), b.outside...)
}

func (b *builder) consents() {
	m := &b.c.Meeting
	leader := m.Participants[b.leader].ID
	for _, i := range b.thirdParties() {
		p := &m.Participants[i]
		scopes := []consent.Scope{consent.ScopeAttend}
		if b.clinical >= 0 && m.AttendsIndex(p, b.clinical) {
			scopes = append(scopes, consent.ScopeHearClinicalInformation)
		}
		if p.Role == meeting.RoleNextOfKin && !b.s.typical && b.r.IntN(3) == 0 {
			scopes = append(scopes, consent.ScopeReceiveClinicalNotes)
		}
		scopes = append(scopes, consent.ScopeReceivePlan)
		given := m.Start.Add(-days(10 + b.r.IntN(21)))
		if !b.s.typical && b.r.IntN(10) == 0 {
			// An earlier consent, withdrawn and then given again.
			old := given.Add(-days(30 + b.r.IntN(30)))
			b.c.Consents = append(b.c.Consents, consent.Consent{
				ID: newID(b.r), PatientID: m.PatientID, GranteeID: p.ID,
				Scopes: slices.Clone(scopes), GivenAt: old, WithdrawnAt: old.Add(days(7)),
				Method: consent.MethodVerbal, RecordedBy: leader,
			})
		}
		c := consent.Consent{
			ID: newID(b.r), PatientID: m.PatientID, GranteeID: p.ID, Scopes: scopes,
			GivenAt: given, Method: pick(b.r, consent.Methods()), RecordedBy: leader,
		}
		if b.s.typical {
			c.Method = consent.MethodWritten
		} else if b.r.IntN(5) == 0 {
			c.ExpiresAt = m.Start.Add(days(180 + b.r.IntN(186)))
		}
		b.c.Consents = append(b.c.Consents, c)
	}
}

func (b *builder) preparation() {
	m := &b.c.Meeting
	sent := m.Start.Add(-days(4 + b.r.IntN(7)))
	prep := &meeting.Preparation{AgendaSentAt: sent, ParticipantsSentAt: sent}
	for i := range m.Participants {
		prep.SentTo = append(prep.SentTo, m.Participants[i].ID)
	}
	prep.ClinicalNotesSentAt = m.Start.Add(-days(4 + b.r.IntN(5)))
	prep.ClinicalNotesSentTo = append(prep.ClinicalNotesSentTo, m.Participants[b.patient].ID)
	for _, i := range b.healthcare {
		prep.ClinicalNotesSentTo = append(prep.ClinicalNotesSentTo, m.Participants[i].ID)
	}
	for _, c := range b.c.Consents {
		if c.Covers(consent.ScopeReceiveClinicalNotes) && c.WithdrawnAt.IsZero() {
			prep.ClinicalNotesSentTo = append(prep.ClinicalNotesSentTo, c.GranteeID)
		}
	}
	if !b.s.typical && b.r.IntN(2) == 0 {
		prep.SuggestedActionsSentAt = m.Start.Add(-days(4 + b.r.IntN(3)))
	}
	for _, i := range b.outside {
		if p := &m.Participants[i]; p.Sector == meeting.SectorSocialSecurity && !p.PriorContact {
			prep.PreMeetingContact = append(prep.PreMeetingContact, p.ID)
		}
	}
	m.Preparation = prep
}

func (b *builder) plan() {
	m := &b.c.Meeting
	p := &plan.Plan{ID: newID(b.r), MeetingID: m.ID, Status: plan.StatusDraft}
	b.c.Plan = p
	for range 1 + b.r.IntN(3) {
		p.PatientGoals = append(p.PatientGoals, pick(b.r, goals))
	}
	if b.s.typical {
		p.PatientGoals = p.PatientGoals[:1]
	}

	// One action for each sector present, as far as the actions go; the
	// sectors left are informed only (AP-11). The rest go to healthcare
	// participants and, now and then, to the patient.
	var owners []int
	covered := map[meeting.Sector]bool{}
	candidates := append(slices.Clone(b.healthcare), b.outside...)
	b.r.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	for _, i := range candidates {
		sec := m.Participants[i].Sector
		if len(owners) < b.s.actions && !covered[sec] {
			covered[sec] = true
			owners = append(owners, i)
		}
	}
	for len(owners) < b.s.actions {
		if !b.s.typical && b.r.IntN(6) == 0 {
			owners = append(owners, b.patient)
		} else {
			owners = append(owners, pick(b.r, b.healthcare))
		}
	}
	for _, i := range owners {
		owner := &m.Participants[i]
		kind := actionKind(owner.Role)
		if owner.ChangingSoon && owner.SuccessorID == uuid.Nil {
			kind = plan.ActionHandover
		}
		p.Actions = append(p.Actions, plan.Action{
			ID: newID(b.r), Kind: kind, Description: pick(b.r, actionTexts[kind]),
			OwnerID: owner.ID, Due: m.Start.Add(days(7 + b.r.IntN(144))),
		})
	}
	// A participant changing soon without a successor hands over in an action.
	for i := range m.Participants {
		q := &m.Participants[i]
		if q.ChangingSoon && q.SuccessorID == uuid.Nil && !p.HasAction(plan.ActionHandover) && len(p.Actions) > 0 {
			a := &p.Actions[len(p.Actions)-1]
			a.Kind, a.OwnerID, a.Description = plan.ActionHandover, q.ID, pick(b.r, actionTexts[plan.ActionHandover])
		}
	}
	owned := map[meeting.Sector]bool{}
	for _, a := range p.Actions {
		if q := m.Participant(a.OwnerID); q != nil {
			owned[q.Sector] = true
		}
	}
	for _, sec := range meeting.Sectors() {
		if sec == meeting.SectorPatient || owned[sec] {
			continue
		}
		for i := range m.Participants {
			if m.Participants[i].Sector == sec {
				p.InformedOnlySectors = append(p.InformedOnlySectors, string(sec))
				break
			}
		}
	}

	f := &plan.FollowUp{
		Intensity:       pick(b.r, plan.Intensities()),
		NextContactAt:   m.Start.Add(days(14 + b.r.IntN(47))),
		ContactPersonID: m.Participants[b.contactPerson()].ID,
		Initiator:       pick(b.r, plan.Initiators()),
	}
	if b.s.typical {
		f.Intensity, f.Initiator = plan.IntensityRegular, plan.InitiatorService
	}
	if b.checkIn {
		f.Intensity = plan.IntensityCheckIn
	}
	if b.changingSoon {
		f.Intensity = plan.IntensityClose
	}
	if b.s.kind == meeting.KindCollaboration || b.r.IntN(2) == 0 {
		f.NextMeetingAt = m.Start.Add(days(7 * (8 + b.r.IntN(17))))
	}
	p.FollowUp = f

	if m.Status == meeting.StatusHeld {
		p.Status = plan.StatusAgreed
		p.PatientAgreedAt = m.End()
		p.DistributedAt = m.Start.Add(days(1 + b.r.IntN(5)))
		for i := range m.Participants {
			p.Recipients = append(p.Recipients, m.Participants[i].ID)
		}
	}
}

// contactPerson is the GP, or else the coordinator, or else the leader.
func (b *builder) contactPerson() int {
	ps := b.c.Meeting.Participants
	for _, role := range []meeting.Role{meeting.RoleGP, meeting.RoleCoordinator} {
		for i := range ps {
			if ps[i].Role == role {
				return i
			}
		}
	}
	return b.leader
}

func actionKind(role meeting.Role) plan.ActionKind {
	switch role {
	case meeting.RoleSocialSecuritySupervisor:
		return plan.ActionBenefits
	case meeting.RoleEmployer:
		return plan.ActionWork
	case meeting.RoleSchool:
		return plan.ActionEducation
	case meeting.RolePatient, meeting.RoleOther, meeting.RoleCoordinator, meeting.RoleSocialWorker:
		return plan.ActionOther
	case meeting.RoleGP:
		return plan.ActionWork // sick-leave certificates and the like
	}
	return plan.ActionTreatment
}
