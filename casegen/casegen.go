// Package casegen generates realistic synthetic cases for tests, benchmarks,
// examples and demonstrations: meetings of varied sizes (3 to 20
// participants, 4 to 12 agenda items, 0 to 10 actions) with consents and an
// action plan, some compliant with the catalogue and some with the defects
// the studies describe (a patient given no voice, a supervisor joining
// midway without a recap, an action without an owner, a next of kin without
// consent, no plan, ...). Among them are short follow-up check-ins (at most
// five items, check_in follow-up) and patients who asked next of kin to lead
// their item.
//
// Generation is deterministic: the same seed gives the same sequence of
// cases, byte for byte once encoded. Every generated case is valid (see
// casedoc.Case.Validate). Names, purposes, titles, goals and descriptions are
// plausible but clearly synthetic; no real person or record is behind them.
//
// Meetings start on weekdays spread over 2026, in Norwegian local time (+01:00
// or +02:00 in summer), and defects become rarer as the year goes on, so
// that an aggregate over many cases shows a trend.
package casegen

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/google/uuid"
)

// size is how large a generated meeting is.
type size int

// The sizes.
const (
	sizeSmall   size = iota // 3 to 5 participants, 4 to 6 agenda items, 1 to 3 actions
	sizeTypical             // 6 to 9 participants, 6 to 9 agenda items, 3 to 7 actions
	sizeLarge               // 10 to 20 participants, 8 to 12 agenda items, 5 to 10 actions
)

// Generator produces synthetic cases. It is not safe for concurrent use:
// give each goroutine its own Generator (with its own seed).
type Generator struct {
	r *rand.Rand
}

// New returns a Generator whose sequence of cases is fixed by seed.
func New(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x636f6c6c61626d74))}
}

// Case returns the next synthetic case.
func (g *Generator) Case() *casedoc.Case {
	c, _ := g.Next()
	return c
}

// Next returns the next synthetic case and the defects it was given (none
// for a case meant to be compliant). A defect's Recommendation is the
// recommendation the engine reports a gap for.
func (g *Generator) Next() (*casedoc.Case, []Defect) {
	r := g.r
	s := spec{start: randomStart(r)}
	switch x := r.IntN(100); {
	case x < 25:
		s.size = sizeSmall
		s.participants, s.items, s.actions = 3+r.IntN(3), 4+r.IntN(3), 1+r.IntN(3)
	case x < 80:
		s.size = sizeTypical
		s.participants, s.items, s.actions = 6+r.IntN(4), 6+r.IntN(4), 3+r.IntN(5)
	default:
		s.size = sizeLarge
		s.participants, s.items, s.actions = 10+r.IntN(11), 8+r.IntN(5), 5+r.IntN(6)
	}
	switch x := r.IntN(100); {
	case s.participants < 4 || x >= 90:
		s.kind = meeting.KindFollowUp
	case x < 75:
		s.kind = meeting.KindCollaboration
	default:
		s.kind = meeting.KindTransfer
	}
	if s.kind == meeting.KindTransfer && s.participants < 4 {
		s.kind = meeting.KindFollowUp
	}
	s.status = meeting.StatusPlanned
	if r.IntN(2) == 0 {
		s.status = meeting.StatusHeld
	}
	switch x := r.IntN(100); {
	case x < 60:
		s.format = meeting.FormatDigital
	case x < 85:
		s.format = meeting.FormatHybrid
	default:
		s.format = meeting.FormatInPerson
	}
	b := newBuilder(r, s)
	c := b.build()

	// Defects get rarer over the year: 70 % of January's meetings have some,
	// 35 % of December's.
	month := int(s.start.Month()) - 1
	if r.Float64() >= 0.70-0.35*float64(month)/11 {
		return c, nil
	}
	want := 1
	if x := r.IntN(10); x >= 9 {
		want = 3
	} else if x >= 6 {
		want = 2
	}
	var applied []Defect
	for tries := 0; len(applied) < want && tries < 20; tries++ {
		d := pickDefect(r)
		if slices.Contains(applied, d) || d == NoActions && slices.ContainsFunc(applied, Defect.ofAnAction) {
			continue // removing the actions would remove the defect of one
		}
		if b.apply(d) {
			applied = append(applied, d)
		}
	}
	return c, applied
}

// Typical returns the typical case of the performance budgets: a compliant
// digital collaboration meeting with 8 participants (the patient, next of
// kin, three pain-clinic professionals, the GP, a social security supervisor
// and an employer), 8 agenda items, 6 actions and 3 consents. It returns a
// new copy on every call.
func Typical() *casedoc.Case {
	r := rand.New(rand.NewPCG(2026, 5))
	return newBuilder(r, typicalSpec(time.Date(2026, 5, 4, 9, 0, 0, 0, oslo(time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC))))).build()
}

// Typical returns the next case of the typical shape (see the function
// Typical): the same participants, agenda, actions and consents, compliant,
// with IDs, names, texts and a start drawn from the generator, as Next draws
// them. A stream of such cases is what the throughput budget of collabmeet
// report is measured on.
func (g *Generator) Typical() *casedoc.Case {
	return newBuilder(g.r, typicalSpec(randomStart(g.r))).build()
}

// typicalSpec is the spec of the typical case, starting at start.
func typicalSpec(start time.Time) spec {
	return spec{
		size:         sizeTypical,
		kind:         meeting.KindCollaboration,
		status:       meeting.StatusPlanned,
		format:       meeting.FormatDigital,
		start:        start,
		participants: 8,
		items:        8,
		actions:      6,
		roles: []meeting.Role{
			meeting.RolePatient, meeting.RoleGP, meeting.RolePainPhysician, meeting.RolePsychologist,
			meeting.RoleNextOfKin, meeting.RolePhysiotherapist, meeting.RoleSocialSecuritySupervisor,
			meeting.RoleEmployer,
		},
		typical: true,
	}
}

// spec is what a case will look like, drawn before it is built.
type spec struct {
	size                         size
	kind                         meeting.Kind
	status                       meeting.Status
	format                       meeting.Format
	start                        time.Time
	participants, items, actions int
	roles                        []meeting.Role // forced roles, for Typical
	typical                      bool           // no random optional parts
}

// randomStart is a weekday of 2026 at a whole or half hour between 08:00
// and 14:30, local time.
func randomStart(r *rand.Rand) time.Time {
	for {
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365))
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		return time.Date(2026, day.Month(), day.Day(), 8+r.IntN(7), 30*r.IntN(2), 0, 0, oslo(day))
	}
}

// oslo is the offset of Norwegian local time on the given day of 2026:
// summer time from 29 March to 24 October.
func oslo(day time.Time) *time.Location {
	summerFrom := time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)
	summerTo := time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC)
	if !day.Before(summerFrom) && day.Before(summerTo) {
		return time.FixedZone("", 2*3600)
	}
	return time.FixedZone("", 3600)
}

func newID(r *rand.Rand) uuid.UUID {
	var u uuid.UUID
	binary.LittleEndian.PutUint64(u[:8], r.Uint64())
	binary.LittleEndian.PutUint64(u[8:], r.Uint64())
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
