package recommend_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/plan"
	"github.com/google/uuid"
)

// mutate applies the operations in ops to c, two bytes each (what, and an
// argument): moving who attends what, flags, minutes, kinds, the people
// named to roles, consents' dates, actions and the optional parts of a case.
// The result may be invalid; the caller validates it.
func mutate(c *casedoc.Case, ops []byte) {
	m := &c.Meeting
	person := func(a byte) uuid.UUID {
		if len(m.Participants) == 0 || a%8 == 7 {
			return uuid.Nil
		}
		return m.Participants[int(a)%len(m.Participants)].ID
	}
	item := func(a byte) uuid.UUID {
		if len(m.Agenda) == 0 || a%8 == 7 {
			return uuid.Nil
		}
		return m.Agenda[int(a)%len(m.Agenda)].ID
	}
	hours := func(a byte) time.Duration { return time.Duration(int(a)-128) * 6 * time.Hour }
	for len(ops) >= 2 {
		op, a := ops[0], ops[1]
		ops = ops[2:]
		np, ni, nc := len(m.Participants), len(m.Agenda), len(c.Consents)
		switch op % 24 {
		case 0:
			if np > 0 {
				m.Participants[int(a)%np].JoinsAtItem = item(a / 3)
			}
		case 1:
			if np > 0 {
				m.Participants[int(a)%np].LeavesAfterItem = item(a / 3)
			}
		case 2:
			if np > 0 {
				p := &m.Participants[int(a)%np]
				p.ChoseLocation, p.PriorContact, p.ChangingSoon = a&1 != 0, a&2 != 0, a&4 != 0
				p.Location = meeting.Locations()[int(a>>3)%len(meeting.Locations())]
			}
		case 3:
			if ni > 0 {
				it := &m.Agenda[int(a)%ni]
				it.ProfessionalsOnly, it.Recap, it.Sensitive, it.PatientSpeaksFirst = a&1 != 0, a&2 != 0, a&4 != 0, a&8 != 0
			}
		case 4:
			if ni > 0 {
				m.Agenda[int(a)%ni].Minutes = int(a) / 4
			}
		case 5:
			if ni > 0 {
				m.Agenda[int(a)%ni].Kind = meeting.ItemKinds()[int(a/7)%len(meeting.ItemKinds())]
			}
		case 6:
			if ni > 0 {
				m.Agenda[int(a)%ni].LeadID = person(a / 5)
			}
		case 7:
			m.DurationMinutes = 1 + int(a)
		case 8:
			m.LeaderID = person(a)
		case 9:
			m.MinuteTakerID, m.PlanUpdaterID = person(a), person(a/3)
		case 10:
			m.Kind = meeting.Kinds()[int(a)%len(meeting.Kinds())]
			m.Status = meeting.Statuses()[int(a/3)%len(meeting.Statuses())]
			m.Format = meeting.Formats()[int(a/9)%len(meeting.Formats())]
		case 11:
			if nc > 0 {
				k := &c.Consents[int(a)%nc]
				k.GivenAt = m.Start.Add(hours(a))
			}
		case 12:
			if nc > 0 {
				k := &c.Consents[int(a)%nc]
				k.WithdrawnAt = k.GivenAt.Add(time.Duration(a) * 12 * time.Hour)
			}
		case 13:
			if nc > 0 {
				k := &c.Consents[int(a)%nc]
				k.ExpiresAt = m.Start.Add(hours(a))
			}
		case 14:
			if nc > 0 {
				c.Consents = append(c.Consents[:int(a)%nc], c.Consents[int(a)%nc+1:]...)
			}
		case 15:
			if c.Plan != nil && len(c.Plan.Actions) > 0 {
				act := &c.Plan.Actions[int(a)%len(c.Plan.Actions)]
				act.OwnerID = person(a / 3)
				act.Due = m.Start.Add(hours(a) * 8)
				act.Kind = plan.ActionKinds()[int(a)%len(plan.ActionKinds())]
			}
		case 16:
			if c.Plan != nil && len(c.Plan.Actions) > 0 {
				i := int(a) % len(c.Plan.Actions)
				c.Plan.Actions = append(c.Plan.Actions[:i], c.Plan.Actions[i+1:]...)
			}
		case 17:
			if c.Plan != nil {
				if a%4 == 0 {
					c.Plan.FollowUp = nil
				} else if f := c.Plan.FollowUp; f != nil {
					f.ContactPersonID = person(a)
					f.NextContactAt = m.Start.Add(hours(a) * 4)
					f.NextMeetingAt = m.Start.Add(hours(a) * 40)
				}
			}
		case 18:
			if c.Plan != nil {
				c.Plan.Status = plan.Statuses()[int(a)%len(plan.Statuses())]
				c.Plan.DistributedAt = m.Start.Add(hours(a))
				if a&1 != 0 {
					c.Plan.PatientAgreedAt = time.Time{}
				}
			}
		case 19:
			if c.Plan != nil && np > 0 {
				c.Plan.Recipients = append(c.Plan.Recipients, person(a))
				if c.Plan.Recipients[len(c.Plan.Recipients)-1] == uuid.Nil {
					c.Plan.Recipients = c.Plan.Recipients[:0]
				}
			}
		case 20:
			if p := m.Preparation; p != nil && np > 0 {
				p.ClinicalNotesSentTo = append(p.ClinicalNotesSentTo, m.Participants[int(a)%np].ID)
				p.ClinicalNotesSentAt = m.Start.Add(hours(a))
			}
		case 21:
			if p := m.Preparation; p != nil {
				p.AgendaSentAt, p.SentTo = m.Start.Add(hours(a)), p.SentTo[:min(len(p.SentTo), int(a)%8)]
			}
		case 22:
			switch a % 4 {
			case 0:
				c.Plan = nil
			case 1:
				m.Preparation = nil
			case 2:
				m.Pathway = nil
			case 3:
				c.Consents = nil
			}
		case 23:
			if np > 1 {
				gone := m.Participants[int(a)%np].ID
				removeParticipants(c, func(p meeting.Participant) bool { return p.ID == gone })
			}
		}
	}
}

// FuzzCheckMutated checks generated cases changed by a sequence of
// operations (mutate): the fuzzer explores valid cases far faster than by
// mutating JSON. Every valid result holds the report invariants under each
// policy, and checking it twice, or after a JSON round trip, gives the same
// bytes.
func FuzzCheckMutated(f *testing.F) {
	f.Add(uint64(1), []byte{})
	f.Add(uint64(2), []byte{0, 5, 1, 3, 14, 0, 22, 0})
	f.Add(uint64(3), []byte{10, 4, 18, 1, 19, 2, 12, 1, 13, 200})
	f.Add(uint64(4), []byte{23, 0, 23, 1, 6, 7, 8, 7, 9, 7})
	f.Add(uint64(5), []byte{2, 255, 3, 255, 4, 0, 5, 9, 7, 0, 20, 3, 21, 1})
	engines := fuzzEngines(f)
	f.Fuzz(func(t *testing.T, seed uint64, ops []byte) {
		if len(ops) > 256 {
			return
		}
		c := casegen.New(seed).Case()
		mutate(c, ops)
		if c.Validate() != nil {
			return
		}
		c2 := cloneCase(t, c)
		for n, e := range engines {
			rep := e.Check(c)
			if err := checkReportInvariants(e, rep); err != nil {
				t.Fatalf("engine %d: %v", n, err)
			}
			a, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := json.Marshal(e.Check(c)); !bytes.Equal(a, b) {
				t.Fatalf("engine %d: two checks of the same case differ", n)
			}
			if b, _ := json.Marshal(e.Check(c2)); !bytes.Equal(a, b) {
				t.Fatalf("engine %d: the case after a JSON round trip gives another report", n)
			}
		}
	})
}
