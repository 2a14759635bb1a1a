package casegen

import (
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/google/uuid"
)

// Attendance with gaps (away_items): the studies' set-up of a meeting that
// discusses treatment first and work after, with those outside healthcare
// joining at a recap before the work part, or present from the start and
// stepping out of the treatment part to come back at the recap; and
// healthcare professionals stepping out before the closing summary.
//
// Whether a case gets these is decided from bytes of its meeting ID, not
// from the generator's stream, so that the cases before this layout came
// about keep their other draws.

// splitTreatmentWork lays a collaboration meeting with a recap and two or
// more discussions out as treatment first, then work: the first discussion
// (of treatment) moves before the recap, so that late joiners miss it and
// take part in the second (of work). About half of such meetings.
func (b *builder) splitTreatmentWork() {
	m := &b.c.Meeting
	if b.s.typical || b.s.kind != meeting.KindCollaboration || b.recap < 0 || len(b.discussions) < 2 ||
		b.discussions[0] != b.recap+1 || m.ID[0]&1 == 0 {
		return
	}
	r := b.recap
	m.Agenda[r], m.Agenda[r+1] = m.Agenda[r+1], m.Agenda[r]
	b.discussions[0], b.recap = r, r+1
}

// stepOut gives some participants away_items, keeping the case compliant:
// in a meeting laid out as treatment then work, a participant outside
// healthcare who would join at the recap is there from the introductions
// instead, steps out of everything between them (the clinical summary and
// the treatment part) and comes back at the recap; the discussion of
// treatment is then sensitive when no one outside healthcare attends it. In
// other meetings a healthcare professional without a task steps out of the
// item before the closing summary and comes back for it.
func (b *builder) stepOut() {
	m := &b.c.Meeting
	if b.s.typical || len(m.Agenda) < 4 {
		return
	}
	if b.recap > 0 && len(b.discussions) > 1 && b.discussions[0] < b.recap {
		b.stepOutOfTreatment()
		return
	}
	if b.summary < 2 || m.ID[2]%3 != 0 {
		return
	}
	for _, i := range b.healthcare {
		p := &m.Participants[i]
		if p.ID == m.LeaderID || p.ID == m.MinuteTakerID || p.ID == m.PlanUpdaterID ||
			p.JoinsAtItem != uuid.Nil || p.LeavesAfterItem != uuid.Nil {
			continue
		}
		p.AwayItems = []uuid.UUID{m.Agenda[b.summary-1].ID}
		return
	}
}

// stepOutOfTreatment lets the first participant outside healthcare who
// joins at the recap step out of the treatment part instead (for two
// meetings in three), and marks the discussion of treatment sensitive when
// no one outside healthcare then attends it.
func (b *builder) stepOutOfTreatment() {
	m := &b.c.Meeting
	if b.intro != 0 || m.ID[1]%3 == 0 {
		return
	}
	recap := m.Agenda[b.recap].ID
	for _, i := range b.outside {
		p := &m.Participants[i]
		if p.JoinsAtItem != recap {
			continue
		}
		p.JoinsAtItem = uuid.Nil
		for j := 1; j < b.recap; j++ {
			p.AwayItems = append(p.AwayItems, m.Agenda[j].ID)
		}
		break
	}
	treatment := b.discussions[0]
	for _, i := range b.outside {
		if m.AttendsIndex(&m.Participants[i], treatment) {
			return
		}
	}
	m.Agenda[treatment].Sensitive = m.ID[3]&1 == 0
}
