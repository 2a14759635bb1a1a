package recommend_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/consent"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// consentNeed is a situation of the reference case where one third party
// needs one consent at one moment, and nothing else decides the outcome of
// the recommendation.
type consentNeed struct {
	id      string // the recommendation
	who     string
	grantee int // participant index
	scope   consent.Scope
	prepare func(c *casedoc.Case)           // makes the consent needed
	at      func(c *casedoc.Case) time.Time // when it is needed
	path    string                          // the finding's path when it is missing
}

// withoutScope removes scope from every consent of the grantee (and drops a
// consent left without any scope).
func withoutScope(scope consent.Scope) func(c *casedoc.Case, id uuid.UUID) {
	return func(c *casedoc.Case, id uuid.UUID) {
		c.Consents = slices.DeleteFunc(c.Consents, func(k consent.Consent) bool {
			if k.GranteeID != id {
				return false
			}
			return len(slices.DeleteFunc(slices.Clone(k.Scopes), func(s consent.Scope) bool { return s == scope })) == 0
		})
		for i := range c.Consents {
			if c.Consents[i].GranteeID == id {
				c.Consents[i].Scopes = slices.DeleteFunc(c.Consents[i].Scopes, func(s consent.Scope) bool { return s == scope })
			}
		}
	}
}

var consentNeeds = []consentNeed{
	{id: "PC-04", who: "next of kin attends", grantee: refcase.NextOfKin, scope: consent.ScopeAttend,
		prepare: func(*casedoc.Case) {}, at: func(c *casedoc.Case) time.Time { return c.Meeting.Start },
		path: "meeting.participants[1]"},
	{id: "PC-04", who: "supervisor attends", grantee: refcase.Supervisor, scope: consent.ScopeAttend,
		prepare: func(*casedoc.Case) {}, at: func(c *casedoc.Case) time.Time { return c.Meeting.Start },
		path: "meeting.participants[6]"},
	{id: "CS-01", who: "supervisor hears the clinical summary", grantee: refcase.Supervisor, scope: consent.ScopeHearClinicalInformation,
		prepare: joins(refcase.Supervisor, refcase.ItemIntro), at: func(c *casedoc.Case) time.Time { return c.Meeting.Start },
		path: "meeting.participants[6]"},
	{id: "CS-02", who: "next of kin gets the clinical notes", grantee: refcase.NextOfKin, scope: consent.ScopeReceiveClinicalNotes,
		prepare: func(c *casedoc.Case) {
			p := c.Meeting.Preparation
			p.ClinicalNotesSentTo = append(p.ClinicalNotesSentTo, pid(c, refcase.NextOfKin))
		},
		at:   func(c *casedoc.Case) time.Time { return c.Meeting.Preparation.ClinicalNotesSentAt },
		path: "meeting.preparation.clinical_notes_sent_to[5]"},
	{id: "CS-02", who: "supervisor gets the clinical notes", grantee: refcase.Supervisor, scope: consent.ScopeReceiveClinicalNotes,
		prepare: func(c *casedoc.Case) {
			p := c.Meeting.Preparation
			p.ClinicalNotesSentTo = append(p.ClinicalNotesSentTo, pid(c, refcase.Supervisor))
		},
		at:   func(c *casedoc.Case) time.Time { return c.Meeting.Preparation.ClinicalNotesSentAt },
		path: "meeting.preparation.clinical_notes_sent_to[5]"},
	{id: "CS-03", who: "next of kin gets the plan", grantee: refcase.NextOfKin, scope: consent.ScopeReceivePlan,
		prepare: held, at: func(c *casedoc.Case) time.Time { return c.Plan.DistributedAt },
		path: "plan.recipients[1]"},
	{id: "CS-03", who: "supervisor gets the plan", grantee: refcase.Supervisor, scope: consent.ScopeReceivePlan,
		prepare: held, at: func(c *casedoc.Case) time.Time { return c.Plan.DistributedAt },
		path: "plan.recipients[6]"},
}

// TestConsentDeniesByDefault: for each recommendation that protects consent
// (PC-04, CS-01, CS-02, CS-03) and each third party who needs a consent, the
// consent is granted only when one with the scope is valid at the moment it
// is needed. No consent, one without the scope, one withdrawn (before or
// exactly at that moment), one expired (before or exactly at it) and one
// given after it all give a gap naming the third party; one given exactly at
// the moment, or withdrawn or expiring after it, passes.
func TestConsentDeniesByDefault(t *testing.T) {
	e := mustEngine(t, recommend.Policy{})
	type variant struct {
		name    string
		consent func(at time.Time) *consent.Consent // nil: no consent
		pass    bool
	}
	valid := func(given time.Time) *consent.Consent { return &consent.Consent{GivenAt: given} }
	variants := []variant{
		{"valid", func(at time.Time) *consent.Consent { return valid(at.Add(-days(1))) }, true},
		{"given exactly when needed", func(at time.Time) *consent.Consent { return valid(at) }, true},
		{"withdrawn after", func(at time.Time) *consent.Consent {
			k := valid(at.Add(-days(2)))
			k.WithdrawnAt = at.Add(time.Second)
			return k
		}, true},
		{"expires after", func(at time.Time) *consent.Consent {
			k := valid(at.Add(-days(2)))
			k.ExpiresAt = at.Add(time.Second)
			return k
		}, true},
		{"no consent", func(time.Time) *consent.Consent { return nil }, false},
		{"withdrawn before", func(at time.Time) *consent.Consent {
			k := valid(at.Add(-days(2)))
			k.WithdrawnAt = at.Add(-days(1))
			return k
		}, false},
		{"withdrawn exactly when needed", func(at time.Time) *consent.Consent {
			k := valid(at.Add(-days(2)))
			k.WithdrawnAt = at
			return k
		}, false},
		{"expired before", func(at time.Time) *consent.Consent {
			k := valid(at.Add(-days(30)))
			k.ExpiresAt = at.Add(-time.Hour)
			return k
		}, false},
		{"expired exactly when needed", func(at time.Time) *consent.Consent {
			k := valid(at.Add(-days(30)))
			k.ExpiresAt = at
			return k
		}, false},
		{"given after", func(at time.Time) *consent.Consent { return valid(at.Add(time.Second)) }, false},
		{"given a day after", func(at time.Time) *consent.Consent { return valid(at.Add(days(1))) }, false},
	}
	for _, need := range consentNeeds {
		for _, v := range variants {
			t.Run(fmt.Sprintf("%s/%s/%s", need.id, need.who, v.name), func(t *testing.T) {
				c := reference(t)
				need.prepare(c)
				grantee := pid(c, need.grantee)
				withoutScope(need.scope)(c, grantee)
				if k := v.consent(need.at(c)); k != nil {
					k.ID, k.PatientID, k.GranteeID = uuid.New(), c.Meeting.PatientID, grantee
					k.Scopes = []consent.Scope{need.scope}
					c.Consents = append(c.Consents, *k)
				}
				require.NoError(t, c.Validate())
				res := resultFor(t, e.Check(c), need.id)
				if v.pass {
					assert.Equal(t, recommend.OutcomePass, res.Outcome, "%+v", res.Findings)
					return
				}
				require.Equal(t, recommend.OutcomeGap, res.Outcome)
				require.Len(t, res.Findings, 1)
				assert.Equal(t, need.path, res.Findings[0].Path)
				assert.Equal(t, grantee, res.Findings[0].SubjectID)
			})
		}
		t.Run(fmt.Sprintf("%s/%s/%s", need.id, need.who, "other scopes only"), func(t *testing.T) {
			c := reference(t)
			need.prepare(c)
			grantee := pid(c, need.grantee)
			withoutScope(need.scope)(c, grantee)
			var others []consent.Scope
			for _, s := range consent.Scopes() {
				if s != need.scope {
					others = append(others, s)
				}
			}
			c.Consents = append(c.Consents, consent.Consent{ID: uuid.New(), PatientID: c.Meeting.PatientID, GranteeID: grantee,
				Scopes: others, GivenAt: need.at(c).Add(-days(5))})
			require.NoError(t, c.Validate())
			res := resultFor(t, e.Check(c), need.id)
			assert.Equal(t, recommend.OutcomeGap, res.Outcome)
		})
	}
}
