package cdshooks_test

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/cdshooks"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two rules of a clinic's own, with fixes, so that suggestions are tested
// whatever fixes the built-in catalogue has: TEST-01 gives an agenda item
// without a lead the meeting's leader (an agenda-item extension with a
// reference), TEST-02 lets a GP who joins late attend from the start (an
// attendance extension of a participant).
var (
	itemLead = recommend.Rule{
		Recommendation: recommend.Recommendation{
			ID: "TEST-01", Source: "tests", Theme: catalogue.ThemeMeetingClimate,
			Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Reasons: []string{"no_lead"}, Fixes: []string{"leader_leads"},
		},
		Check: func(p *recommend.Pass) error {
			for i, it := range p.Meeting.Agenda {
				if it.LeadID != uuid.Nil {
					continue
				}
				p.ReportItem(i, "lead_id", "no_lead", nil)
				if p.Meeting.LeaderID != uuid.Nil {
					p.Fix("leader_leads", nil, recommend.PatchOp{Op: "add", Path: fmt.Sprintf("/meeting/agenda/%d/lead_id", i), Value: p.Meeting.LeaderID.String()})
				}
			}
			return nil
		},
	}
	gpFromStart = recommend.Rule{
		Recommendation: recommend.Recommendation{
			ID: "TEST-02", Source: "tests", Theme: catalogue.ThemeCrossSector,
			Severity: recommend.SeverityAdvisory, Phase: recommend.PhaseBefore,
			Reasons: []string{"gp_joins_late"}, Fixes: []string{"gp_from_start"},
		},
		Check: func(p *recommend.Pass) error {
			for k, person := range p.Meeting.Participants {
				if person.Role == meeting.RoleGP && person.JoinsAtItem != uuid.Nil {
					p.ReportParticipant(k, "joins_at_item", "gp_joins_late", nil)
					p.Fix("gp_from_start", nil, recommend.PatchOp{Op: "remove", Path: fmt.Sprintf("/meeting/participants/%d/joins_at_item", k)})
				}
			}
			return nil
		},
	}
	testMessages = fstest.MapFS{
		"test.en.json": {Data: []byte(`{
  "TEST-01.title": "Every agenda item has a lead",
  "TEST-01.statement": "Every agenda item has a lead_id.",
  "TEST-01.rationale": "Someone keeps time.",
  "TEST-01.no_lead.message": "The item has no lead.",
  "TEST-01.no_lead.remedy": "Name who leads the item.",
  "TEST-01.fix.leader_leads": "Let the meeting's leader lead the item.",
  "TEST-02.title": "The GP attends the whole meeting",
  "TEST-02.statement": "A GP joins at the first item.",
  "TEST-02.rationale": "The GP follows the patient up.",
  "TEST-02.gp_joins_late.message": "The GP joins late.",
  "TEST-02.gp_joins_late.remedy": "Invite the GP from the start.",
  "TEST-02.fix.gp_from_start": "Let the GP attend from the first item."
}`)},
		"test.nb.json": {Data: []byte(`{
  "TEST-01.title": "Alle punkter på agendaen har en som leder dem",
  "TEST-01.no_lead.message": "Ingen leder punktet.",
  "TEST-01.no_lead.remedy": "Bestem hvem som leder punktet.",
  "TEST-01.fix.leader_leads": "La møtelederen lede punktet.",
  "TEST-02.title": "Fastlegen er med i hele møtet",
  "TEST-02.gp_joins_late.message": "Fastlegen kommer sent.",
  "TEST-02.gp_joins_late.remedy": "Inviter fastlegen fra starten.",
  "TEST-02.fix.gp_from_start": "La fastlegen være med fra første punkt."
}`)},
	}
	withTestRules = cdshooks.WithEngineOptions(recommend.WithRules(itemLead, gpFromStart), recommend.WithMessages(testMessages))
)

// fixable is the compliant meeting with gaps that TEST-01 and TEST-02 fix:
// the clinical summary has no lead, and the GP joins at the discussion.
func fixable(t testing.TB) *casedoc.Case {
	c := loadCase(t)
	m := &c.Meeting
	discussion := slices.IndexFunc(m.Agenda, func(it meeting.AgendaItem) bool { return it.Kind == meeting.ItemDiscussion })
	summary := slices.IndexFunc(m.Agenda, func(it meeting.AgendaItem) bool { return it.Kind == meeting.ItemClinicalSummary })
	gp := slices.IndexFunc(m.Participants, func(p meeting.Participant) bool { return p.Role == meeting.RoleGP })
	require.True(t, discussion >= 0 && summary >= 0 && gp >= 0)
	m.Agenda[summary].LeadID = uuid.Nil
	m.Participants[gp].JoinsAtItem = m.Agenda[discussion].ID
	return c
}

// ehrAppointment makes the request's Appointment look as an EHR's does: an
// element the mapping does not know, and a room among the participants.
func ehrAppointment(t testing.TB, req *cdshooks.Request) *cdshooks.Request {
	var b struct {
		ResourceType string `json:"resourceType"`
		Type         string `json:"type"`
		Entry        []struct {
			FullURL  string         `json:"fullUrl,omitempty"`
			Resource map[string]any `json:"resource"`
		} `json:"entry"`
	}
	require.NoError(t, json.Unmarshal(req.Context.Appointments, &b))
	appt := b.Entry[0].Resource
	appt["comment"] = "Bring the sick-leave papers"
	appt["participant"] = append([]any{map[string]any{
		"actor":  map[string]any{"reference": "Location/room-12", "display": "Room 12"},
		"status": "accepted",
	}}, appt["participant"].([]any)...)
	return withAppointment(t, req, mustJSON(t, appt))
}

func TestCDSFixableGaps(t *testing.T) {
	srv := newServer(t, recommend.Policy{}, withTestRules)
	for _, tc := range []struct {
		name string
		req  func(t testing.TB) *cdshooks.Request
		lang string
	}{
		{"from fhir.FromCase", func(t testing.TB) *cdshooks.Request { return booking(t, fixable(t)) }, ""},
		{"an EHR's Appointment", func(t testing.TB) *cdshooks.Request { return ehrAppointment(t, booking(t, fixable(t))) }, ""},
		{"in Norwegian", func(t testing.TB) *cdshooks.Request { return booking(t, fixable(t)) }, "nb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req(t)
			resp := call(t, srv, req, "Accept-Language", tc.lang)
			holder, fixedIDs := suggestionOf(t, resp.Cards, tc.lang)
			update := holder.Suggestions[0].Actions[0].Resource
			assert.Subset(t, fixedIDs, []string{"TEST-01", "TEST-02"}, "cards: %v", topics(resp.Cards))
			card, _ := cardFor(resp.Cards, "TEST-01")
			assert.NotEmpty(t, card.OverrideReasons, "a clinic's rule may be waived")
			if tc.lang == "nb" {
				assert.Equal(t, "Bruk de foreslåtte rettelsene", holder.Suggestions[0].Label)
				assert.Contains(t, card.Detail, "Forslag til retting: La møtelederen lede punktet.")
				assert.Equal(t, "Ikke relevant for dette møtet", card.OverrideReasons[0].Display)
			} else {
				assert.Equal(t, "Apply the suggested fixes", holder.Suggestions[0].Label)
				assert.Contains(t, card.Detail, "Suggested fix: Let the meeting's leader lead the item.")
			}

			// The update keeps what the EHR sent.
			var before, after map[string]any
			require.NoError(t, json.Unmarshal(appointmentOf(t, req), &before))
			require.NoError(t, json.Unmarshal(update, &after))
			for _, k := range []string{"resourceType", "id", "status", "start", "end", "comment", "serviceType"} {
				assert.Equal(t, before[k], after[k], k)
			}
			assert.Equal(t, "proposed", after["status"])
			assert.Len(t, after["participant"], len(before["participant"].([]any)))

			// Applied as an EHR applies it — the update replaces the
			// Appointment — the meeting has none of the gaps fixed, and no
			// gap it did not have.
			again := call(t, srv, withAppointment(t, req, update), "Accept-Language", tc.lang)
			for _, id := range fixedIDs {
				_, still := cardFor(again.Cards, id)
				assert.False(t, still, "%s is still a gap after its fix", id)
			}
			assert.Subset(t, topics(resp.Cards), topics(again.Cards))
		})
	}
}

// suggestionOf returns the one card of the answer that carries the
// suggested update, and the recommendation IDs whose gaps the update
// closes: that card's, and those of the cards whose detail says that their
// fix is on it. It checks the contract of suggestions: one suggestion with
// one update action, offered once, on the most severe of those cards (the
// first in catalogue order among equals).
func suggestionOf(t testing.TB, cards []cdshooks.Card, lang string) (cdshooks.Card, []string) {
	t.Helper()
	holder := -1
	for i, c := range cards {
		if len(c.Suggestions) == 0 {
			assert.Empty(t, c.SelectionBehavior)
			continue
		}
		require.Equal(t, -1, holder, "one card carries the update, not %s and %s", topics(cards)[max(holder, 0)], c.Source.Topic.Code)
		holder = i
		assert.Equal(t, "at-most-one", c.SelectionBehavior)
		require.Len(t, c.Suggestions, 1)
		s := c.Suggestions[0]
		require.Len(t, s.Actions, 1)
		assert.Equal(t, "update", s.Actions[0].Type)
		assert.NotEqual(t, c.UUID, s.UUID)
	}
	require.GreaterOrEqual(t, holder, 0, "no card has a suggestion: %v", topics(cards))
	h := cards[holder]
	pointer := "The suggested update that fixes this is on the card of " + h.Source.Topic.Code + ": accept it there."
	if lang == "nb" {
		pointer = "Forslaget til oppdatering som retter dette, står på kortet for " + h.Source.Topic.Code + ": godta det der."
	}
	rank := map[cdshooks.Indicator]int{cdshooks.IndicatorInfo: 0, cdshooks.IndicatorWarning: 1, cdshooks.IndicatorCritical: 2}
	ids := []string{h.Source.Topic.Code}
	for i, c := range cards {
		if i == holder || !strings.HasSuffix(c.Detail, pointer) {
			continue
		}
		ids = append(ids, c.Source.Topic.Code)
		assert.LessOrEqual(t, rank[c.Indicator], rank[h.Indicator], "%s is more severe than the card of the update", c.Source.Topic.Code)
		if rank[c.Indicator] == rank[h.Indicator] {
			assert.Greater(t, i, holder, "%s comes before the card of the update, with the same indicator", c.Source.Topic.Code)
		}
	}
	for _, id := range ids {
		assert.Contains(t, h.Suggestions[0].Actions[0].Description, id)
	}
	return h, ids
}

func appointmentOf(t testing.TB, req *cdshooks.Request) jsontext.Value {
	var b struct {
		Entry []struct {
			Resource jsontext.Value `json:"resource"`
		} `json:"entry"`
	}
	require.NoError(t, json.Unmarshal(req.Context.Appointments, &b))
	require.NotEmpty(t, b.Entry)
	return b.Entry[0].Resource
}

// TestCDSBuiltinFixes checks the suggestions of the built-in catalogue:
// the gaps docs/fixes.md says must have a fix have a suggestion, and every
// suggestion, applied, closes the gaps it names and opens none.
func TestCDSBuiltinFixes(t *testing.T) {
	srv := newServer(t, recommend.Policy{})
	for _, tc := range []struct {
		name   string
		change func(c *casedoc.Case)
		fixed  []string // gaps that must have a suggestion (docs/fixes.md)
	}{
		{"an empty agenda", func(c *casedoc.Case) {
			c.Meeting.Agenda = nil
			for k := range c.Meeting.Participants {
				c.Meeting.Participants[k].JoinsAtItem = uuid.Nil
				c.Meeting.Participants[k].LeavesAfterItem = uuid.Nil
			}
		}, []string{"PC-05", "AP-01", "MC-02", "MC-03", "MC-07"}},
		{"no introductions", func(c *casedoc.Case) {
			c.Meeting.Agenda = slices.DeleteFunc(c.Meeting.Agenda, func(it meeting.AgendaItem) bool { return it.Kind == meeting.ItemIntroductions })
		}, []string{"MC-03"}},
		{"the patient steps out of the action plan", func(c *casedoc.Case) {
			m := &c.Meeting
			i := m.FirstItem(meeting.ItemActionPlan)
			m.Participants[m.PatientIndex()].AwayItems = []uuid.UUID{m.Agenda[i].ID}
		}, []string{"PC-01"}},
		{"the patient steps out of a discussion and of the action plan", func(c *casedoc.Case) {
			m := &c.Meeting
			p := &m.Participants[m.PatientIndex()]
			p.AwayItems = []uuid.UUID{m.Agenda[m.FirstItem(meeting.ItemActionPlan)].ID, m.Agenda[m.FirstItem(meeting.ItemDiscussion)].ID}
		}, []string{"PC-01"}},
		{"the patient does not speak first", func(c *casedoc.Case) {
			for i := range c.Meeting.Agenda {
				c.Meeting.Agenda[i].PatientSpeaksFirst = false
			}
		}, []string{"PC-09"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := loadCase(t)
			tc.change(c)
			req := booking(t, c)
			resp := call(t, srv, req)
			holder, fixedIDs := suggestionOf(t, resp.Cards, "")
			update := holder.Suggestions[0].Actions[0].Resource
			assert.Subset(t, fixedIDs, tc.fixed, "gaps %v", topics(resp.Cards))
			again := call(t, srv, withAppointment(t, req, update))
			for _, id := range fixedIDs {
				_, still := cardFor(again.Cards, id)
				assert.False(t, still, "%s is still a gap after its fix", id)
			}
			assert.Subset(t, topics(resp.Cards), topics(again.Cards))
		})
	}
	t.Run("the standard agenda", func(t *testing.T) {
		// An empty agenda gets the skeleton of docs/fixes.md, with a recap for
		// the NAV supervisor, who joins after the clinical summary (CS-01).
		var req cdshooks.Request
		require.NoError(t, json.Unmarshal(readFile(t, "testdata/booking-empty-agenda.json"), &req))
		card, _ := suggestionOf(t, call(t, srv, &req).Cards, "")
		var appt struct {
			Extension []struct {
				URL       string `json:"url"`
				Extension []struct {
					URL       string `json:"url"`
					ValueCode string `json:"valueCode"`
				} `json:"extension"`
			} `json:"extension"`
		}
		require.NoError(t, json.Unmarshal(card.Suggestions[0].Actions[0].Resource, &appt))
		var kinds []string
		for _, x := range appt.Extension {
			for _, sub := range x.Extension {
				if strings.HasSuffix(x.URL, "/agenda-item") && sub.URL == "kind" {
					kinds = append(kinds, sub.ValueCode)
				}
			}
		}
		assert.Equal(t, []string{"introductions", "clinical_summary", "other", "patient_perspective", "discussion", "action_plan", "summary"}, kinds)
	})
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return data
}

func TestCDSHeldMeetingHasNoSuggestions(t *testing.T) {
	srv := newServer(t, recommend.Policy{}, withTestRules)
	c := fixable(t)
	c.Meeting.Status = meeting.StatusHeld
	req := booking(t, c)
	rep := do(t, srv, http.MethodPost, servicePath, mustJSON(t, req), "Content-Type", "application/json")
	require.Equal(t, http.StatusOK, rep.status, "%s", rep.body)
	var resp cdshooks.Response
	require.NoError(t, json.Unmarshal(rep.body, &resp))
	for _, card := range resp.Cards {
		assert.Empty(t, card.Suggestions, card.Source.Topic.Code)
	}
}

// referencesIn returns every reference string in a JSON value.
func referencesIn(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "reference" {
				out = append(out, s)
			} else {
				out = append(out, referencesIn(e)...)
			}
		}
	case []any:
		for _, e := range x {
			out = append(out, referencesIn(e)...)
		}
	}
	return out
}

// typeIDRefs rewrites the references of the request's Appointment from
// the Bundle-local "urn:uuid:…" of fhir.FromCase to "Type/id", as many EHRs
// write them.
func typeIDRefs(t testing.TB, req *cdshooks.Request) *cdshooks.Request {
	t.Helper()
	byURL := map[string]string{}
	for _, v := range req.Prefetch {
		var b fhirBundle
		if json.Unmarshal(v, &b) != nil {
			continue
		}
		for _, e := range b.Entry {
			var head struct {
				ResourceType string `json:"resourceType"`
				ID           string `json:"id"`
			}
			require.NoError(t, json.Unmarshal(e.Resource, &head))
			if e.FullURL != "" && head.ID != "" {
				byURL[e.FullURL] = head.ResourceType + "/" + head.ID
			}
		}
	}
	var appt any
	require.NoError(t, json.Unmarshal(appointmentOf(t, req), &appt))
	var rewrite func(v any)
	rewrite = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && k == "reference" && byURL[s] != "" {
					x[k] = byURL[s]
				} else {
					rewrite(e)
				}
			}
		case []any:
			for _, e := range x {
				rewrite(e)
			}
		}
	}
	rewrite(appt)
	return withAppointment(t, req, mustJSON(t, appt))
}

// TestCDSSuggestionKeepsReferenceForms: the references of the suggested
// update are written as the request wrote those of its Appointment, whether
// Bundle-local ("urn:uuid:…") or "Type/id": never a mix of both.
func TestCDSSuggestionKeepsReferenceForms(t *testing.T) {
	srv := newServer(t, recommend.Policy{}, withTestRules)
	emptyAgenda := func(t testing.TB) *cdshooks.Request {
		var req cdshooks.Request
		require.NoError(t, json.Unmarshal(readFile(t, "testdata/booking-empty-agenda.json"), &req))
		return &req
	}
	for _, tc := range []struct {
		name   string
		req    func(t testing.TB) *cdshooks.Request
		prefix string // of every reference of the update
	}{
		{"urn:uuid, an empty agenda", emptyAgenda, "urn:uuid:"},
		{"Type/id, an empty agenda", func(t testing.TB) *cdshooks.Request { return typeIDRefs(t, emptyAgenda(t)) }, ""},
		{"urn:uuid, an item without a lead", func(t testing.TB) *cdshooks.Request { return booking(t, fixable(t)) }, "urn:uuid:"},
		{"Type/id, an item without a lead", func(t testing.TB) *cdshooks.Request { return typeIDRefs(t, booking(t, fixable(t))) }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req(t)
			var before, after any
			require.NoError(t, json.Unmarshal(appointmentOf(t, req), &before))
			holder, _ := suggestionOf(t, call(t, srv, req).Cards, "")
			require.NoError(t, json.Unmarshal(holder.Suggestions[0].Actions[0].Resource, &after))
			had, has := referencesIn(before), referencesIn(after)
			require.NotEmpty(t, has)
			for _, ref := range has {
				assert.Contains(t, had, ref, "a reference the request's Appointment does not have")
				if tc.prefix != "" {
					assert.True(t, strings.HasPrefix(ref, tc.prefix), ref)
				} else {
					assert.False(t, strings.HasPrefix(ref, "urn:uuid:"), ref)
				}
			}
		})
	}
}
