package recommend_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/internal/refcase"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// acmeMessages are the English texts of the custom rules of these tests.
var acmeMessages = fstest.MapFS{"acme.en.json": {Data: []byte(`{
  "ACME-01.title": "Meetings are at most 75 minutes",
  "ACME-01.statement": "duration_minutes is at most max_acme_minutes.",
  "ACME-01.rationale": "Long meetings tire the patient.",
  "ACME-01.too_long.message": "The meeting is longer than {{.minutes}}.",
  "ACME-01.too_long.remedy": "Shorten it to {{.minutes}} or less.",
  "ACME-01.x.message": "Something at {{.n}}.",
  "ACME-01.x.remedy": "Fix it.",
  "param.max_acme_minutes": "Most minutes of a meeting.",
  "theme.patient_centredness": "Patient-centredness",
  "theme.common_action_plan": "A common action plan",
  "theme.meeting_climate": "A good meeting climate",
  "theme.cross_sector": "Cross-sector participation, consent and continuity",
  "theme.pathway": "Pathway timing"
}`)}}

// customRule is a valid rule of a clinic's own: every meeting is at most 75
// minutes (reason too_long). It also declares the reason x, which the tests
// of the engine report freely.
func customRule() recommend.Rule {
	return recommend.Rule{
		Recommendation: recommend.Recommendation{
			ID: "ACME-01", Source: "ACME", Theme: catalogue.ThemeMeetingClimate,
			Severity: recommend.SeverityRecommended, Phase: recommend.PhaseBefore,
			Params:  []recommend.Param{recommend.ParamMinutes("max_acme_minutes", 75)},
			Reasons: []string{"too_long", "x"},
		},
		Check: func(p *recommend.Pass) error {
			if max := p.Int("max_acme_minutes"); p.Meeting.DurationMinutes > max {
				p.ReportCase("meeting.duration_minutes", "too_long", recommend.Args{"minutes": max})
			}
			return nil
		},
	}
}

// withCheck returns customRule with another ID and check.
func withCheck(id string, check func(p *recommend.Pass) error) recommend.Rule {
	r := customRule()
	r.ID, r.Check = id, check
	return r
}

// acmeEngine compiles rules alone (a catalogue of its own, with acmeMessages).
func acmeEngine(t testing.TB, p recommend.Policy, rules ...recommend.Rule) *recommend.Engine {
	t.Helper()
	e, err := recommend.New(recommend.Catalogue{Themes: catalogue.Themes(), Rules: rules, Messages: acmeTexts("ACME-01", "ACME-02")}, p)
	require.NoError(t, err)
	return e
}

// acmeTexts is acmeMessages with ACME-01 renamed to id, for rules of other
// IDs.
func acmeTexts(ids ...string) fstest.MapFS {
	data := string(acmeMessages["acme.en.json"].Data)
	fs := fstest.MapFS{}
	for _, id := range ids {
		fs[strings.ToLower(id)+".en.json"] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(data, "ACME-01", id))}
	}
	return fs
}

func TestCustomRules(t *testing.T) {
	builtin := builtinCount()
	c := reference(t)
	c.Meeting.DurationMinutes = 80
	e := mustEngine(t, recommend.Policy{}, recommend.WithRules(customRule()), recommend.WithMessages(acmeMessages))
	rep := e.Check(c)
	require.Len(t, rep.Results, builtin+1)
	last := rep.Results[builtin]
	assert.Equal(t, "ACME-01", last.ID)
	assert.Equal(t, "Meetings are at most 75 minutes", last.Title)
	require.Equal(t, recommend.OutcomeGap, last.Outcome)
	require.Len(t, last.Findings, 1)
	f := last.Findings[0]
	assert.Equal(t, "ACME-01.too_long", f.Code)
	assert.Equal(t, recommend.Args{"minutes": 75}, f.Args)
	assert.Equal(t, "The meeting is longer than 75 minutes.", f.Message)
	assert.Equal(t, "Shorten it to 75 minutes or less.", f.Remedy)
	assert.Equal(t, "the meeting", f.Subject)
	r, ok := e.Recommendation("ACME-01")
	require.True(t, ok)
	assert.Empty(t, r.Doc)
	r, ok = e.Recommendation("PW-01")
	require.True(t, ok)
	assert.Equal(t, catalogue.DocURL+"#pw-01", r.Doc)

	// A policy may set its parameter, disable and override it.
	opts := []recommend.Option{recommend.WithRules(customRule()), recommend.WithMessages(acmeMessages)}
	rep = mustEngine(t, recommend.Policy{Params: map[string]any{"max_acme_minutes": 80}}, opts...).Check(c)
	assert.Equal(t, recommend.OutcomePass, rep.Results[builtin].Outcome)
	rep = mustEngine(t, recommend.Policy{Disable: []string{"ACME-01"}}, opts...).Check(c)
	assert.Len(t, rep.Results, builtin)
	rep = mustEngine(t, recommend.Policy{Severity: map[string]recommend.Severity{"ACME-01": recommend.SeverityRequired}}, opts...).Check(c)
	assert.False(t, rep.Compliant)

	// A catalogue of one's own.
	e = acmeEngine(t, recommend.Policy{}, customRule())
	rep = e.Check(c)
	assert.Len(t, rep.Results, 1)
	assert.Equal(t, "custom", rep.CatalogueVersion)
	e, err := recommend.New(recommend.Catalogue{Themes: catalogue.Themes(), Version: "acme.3", Rules: []recommend.Rule{customRule()}, Messages: acmeMessages}, recommend.Policy{})
	require.NoError(t, err)
	assert.Equal(t, "acme.3", e.Check(c).CatalogueVersion)
	// Without the built-in catalogue, its IDs and parameters are unknown to a policy.
	_, err = recommend.New(recommend.Catalogue{Themes: catalogue.Themes(), Rules: []recommend.Rule{customRule()}, Messages: acmeMessages},
		recommend.Policy{Disable: []string{"PW-01"}})
	assert.ErrorContains(t, err, `unknown recommendation "PW-01"`)
}

// TestRuleMisuseIsAnError: a rule that reports an undeclared reason or free
// text in an arg, reads an undeclared parameter, returns an error or panics
// gives the outcome error for its recommendation only.
func TestRuleMisuseIsAnError(t *testing.T) {
	for _, tc := range []struct {
		name  string
		check func(p *recommend.Pass) error
		msg   string
	}{
		{"undeclared reason", func(p *recommend.Pass) error {
			p.ReportCase("meeting", "too_short", nil)
			return nil
		}, `undeclared reason "too_short"`},
		{"undeclared reason with the ID", func(p *recommend.Pass) error {
			p.ReportCase("meeting", "ACME-02.nope", nil)
			return nil
		}, `undeclared reason "nope"`},
		{"free text in an arg", func(p *recommend.Pass) error {
			p.ReportParticipant(0, "", "x", recommend.Args{"n": p.Meeting.Participants[0].Name})
			return nil
		}, `arg "n" is a string`},
		{"free text after a good finding", func(p *recommend.Pass) error {
			p.ReportCase("meeting", "x", recommend.Args{"n": 1})
			p.ReportCase("meeting", "x", recommend.Args{"n": "free text"})
			return nil
		}, `arg "n" is a string`},
		{"a float arg", func(p *recommend.Pass) error {
			p.ReportCase("meeting", "x", recommend.Args{"n": 1.5})
			return nil
		}, `arg "n" is a float64`},
		{"returns an error", func(p *recommend.Pass) error {
			return errors.New("cannot judge this case")
		}, "cannot judge this case"},
		{"panics", func(p *recommend.Pass) error {
			var m map[string]int
			m["x"]++ // a nil map write panics
			return nil
		}, "panic: assignment to entry in nil map"},
		{"undeclared parameter", func(p *recommend.Pass) error {
			p.Int("nowhere")
			return nil
		}, `undeclared parameter "nowhere"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := reference(t)
			e := acmeEngine(t, recommend.Policy{}, withCheck("ACME-02", tc.check), customRule())
			rep := e.Check(c)
			require.Len(t, rep.Results, 2)
			res := rep.Results[0]
			assert.Equal(t, recommend.OutcomeError, res.Outcome)
			assert.Contains(t, res.Error, "rule ACME-02 failed")
			assert.Contains(t, res.Error, tc.msg)
			assert.Empty(t, res.Findings, "a failed rule shows no findings")
			assert.NotContains(t, res.Error, c.Meeting.Participants[0].Name, "the error shows no free text of the case")
			assert.Equal(t, recommend.OutcomePass, rep.Results[1].Outcome, "the next rule is unaffected")
			assert.Equal(t, 1, rep.Summary.Outcomes.Error)
			assert.True(t, rep.Compliant, "an error of a recommended rule does not break compliance")
			assert.True(t, res.Fails(recommend.SeverityRecommended))

			// A required rule that fails makes the case non-compliant.
			failing := withCheck("ACME-02", tc.check)
			failing.Severity = recommend.SeverityRequired
			rep = acmeEngine(t, recommend.Policy{}, failing).Check(c)
			assert.Equal(t, recommend.OutcomeError, rep.Results[0].Outcome)
			assert.False(t, rep.Compliant)
		})
	}
}

// TestFindingsAreCapped: a result keeps a number of findings linear in the
// size of the case, and counts the rest in Omitted.
func TestFindingsAreCapped(t *testing.T) {
	const reported = 100_000
	flood := withCheck("ACME-02", func(p *recommend.Pass) error {
		for i := range reported {
			p.ReportCase("meeting", "x", recommend.Args{"n": i})
		}
		return nil
	})
	e := acmeEngine(t, recommend.Policy{}, flood)
	for _, tc := range []struct {
		name string
		c    *casedoc.Case
	}{
		{"typical", reference(t)},
		{"crowded", crowdedCase(t, 100)},
		{"large", crowdedCase(t, 1000)},
		{"empty", &casedoc.Case{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e.Check(tc.c).Results[0]
			require.Equal(t, recommend.OutcomeGap, res.Outcome)
			size := len(tc.c.Meeting.Participants) + len(tc.c.Meeting.Agenda) + len(tc.c.Consents)
			if tc.c.Plan != nil {
				size += len(tc.c.Plan.Actions)
			}
			assert.Positive(t, res.Omitted)
			assert.Equal(t, reported, len(res.Findings)+res.Omitted, "every finding is kept or counted")
			assert.LessOrEqual(t, len(res.Findings), 16+size, "the findings kept are linear in the size of the case")
			assert.GreaterOrEqual(t, len(res.Findings), size, "every subject of the case can have a finding")
		})
	}
	// Below the cap, nothing is omitted.
	res := resultFor(t, acmeEngine(t, recommend.Policy{}, customRule()).Check(func() *casedoc.Case {
		c := reference(t)
		c.Meeting.DurationMinutes = 200
		return c
	}()), "ACME-01")
	assert.Len(t, res.Findings, 1)
	assert.Zero(t, res.Omitted)
}

func TestNotApplicableWins(t *testing.T) {
	r := withCheck("ACME-01", func(p *recommend.Pass) error {
		p.ReportCase("meeting", "x", nil)
		p.NotApplicable()
		return nil
	})
	rep := acmeEngine(t, recommend.Policy{}, r).Check(reference(t))
	assert.Equal(t, recommend.OutcomeNotApplicable, rep.Results[0].Outcome)
	assert.Empty(t, rep.Results[0].Findings)
}

func TestFindingsSortedByPath(t *testing.T) {
	r := withCheck("ACME-01", func(p *recommend.Pass) error {
		for _, path := range []string{"meeting.participants[10]", "plan", "meeting.participants[9].role", "meeting.agenda[2]", "meeting.participants[9]"} {
			p.ReportCase(path, "x", nil)
		}
		return nil
	})
	rep := acmeEngine(t, recommend.Policy{}, r).Check(reference(t))
	assert.Equal(t, []string{"meeting.agenda[2]", "meeting.participants[9]", "meeting.participants[9].role", "meeting.participants[10]", "plan"},
		findingPaths(rep.Results[0]))
}

func TestComparePaths(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"a[9]", "a[10]", -1}, {"a[10]", "a[9]", 1}, {"a[10]", "a[10]", 0}, {"a[010]", "a[10]", 0},
		{"a", "a[0]", -1}, {"meeting.agenda", "meeting.participants", -1}, {"a[2].b", "a[10]", -1},
		{"", "", 0}, {"plan", "meeting", 1},
	} {
		assert.Equal(t, tc.want, recommend.ComparePaths(tc.a, tc.b), "%s vs %s", tc.a, tc.b)
	}
}

// TestPassQueries: a custom rule sees what a built-in one sees, and the
// findings of each Report method name their subject by role and position.
func TestPassQueries(t *testing.T) {
	c := reference(t)
	joins(refcase.Supervisor, refcase.ItemRecap)(c)
	var seen struct {
		patient, span0, span1, attended int
		third                           []bool
		whole                           bool
	}
	r := withCheck("ACME-01", func(p *recommend.Pass) error {
		seen.patient = p.Patient()
		seen.span0, seen.span1 = p.Span(refcase.Supervisor)
		seen.whole = p.AttendsWhole(refcase.Supervisor)
		seen.attended = p.AttendedMinutes(refcase.Supervisor)
		seen.third = nil
		for k := range p.Meeting.Participants {
			seen.third = append(seen.third, p.ThirdParty(k))
		}
		p.ReportParticipant(refcase.Supervisor, "joins_at_item", "x", recommend.Args{"n": 1})
		p.ReportItem(refcase.ItemDiscussion, "", "x", recommend.Args{"n": 2})
		p.ReportAction(0, "owner_id", "x", recommend.Args{"n": 3})
		p.ReportListed(refcase.GP, "meeting.preparation.sent_to", "x", recommend.Args{"n": 4})
		return nil
	})
	res := acmeEngine(t, recommend.Policy{}, r).Check(c).Results[0]
	assert.Equal(t, refcase.Patient, seen.patient)
	assert.Equal(t, []int{refcase.ItemRecap, refcase.ItemSummary}, []int{seen.span0, seen.span1})
	assert.False(t, seen.whole)
	want := 0
	for i := refcase.ItemRecap; i <= refcase.ItemSummary; i++ {
		want += c.Meeting.Agenda[i].Minutes
	}
	assert.Equal(t, want, seen.attended)
	for k := range c.Meeting.Participants {
		assert.Equal(t, c.Meeting.ThirdParty(k), seen.third[k], "participant %d", k)
	}
	require.Len(t, res.Findings, 4)
	type got struct {
		path, subject string
		role          meeting.Role
	}
	var all []got
	for _, f := range res.Findings {
		all = append(all, got{f.Path, f.Subject, f.SubjectRole})
	}
	assert.Equal(t, []got{
		{"meeting.agenda[4]", "agenda item 5 (discussion)", ""},
		{"meeting.participants[6].joins_at_item", "NAV supervisor (participant 7)", meeting.RoleSocialSecuritySupervisor},
		{"meeting.preparation.sent_to", "GP (participant 6)", meeting.RoleGP},
		{"plan.actions[0].owner_id", "action 1 in the action plan", ""},
	}, all)
}
