package recommend_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"golang.org/x/text/language"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMatchLang(t *testing.T) {
	langs := []recommend.Lang{recommend.English, recommend.Bokmal}
	for _, tc := range []struct {
		in   string
		want recommend.Lang
	}{
		{"nb", recommend.Bokmal}, {"no", recommend.Bokmal}, {"nn", recommend.Bokmal},
		{"nb-NO", recommend.Bokmal}, {"nb_NO.UTF-8", recommend.Bokmal}, {"nn_NO.UTF-8@euro", recommend.Bokmal},
		{"nb, en;q=0.5", recommend.Bokmal}, {"en, nb;q=0.5", recommend.English},
		{"en_US", recommend.English}, {"en_US.UTF-8", recommend.English}, {"fr", recommend.English},
		{"C", recommend.English}, {"POSIX", recommend.English}, {"", recommend.English}, {"%%%", recommend.English},
	} {
		assert.Equal(t, tc.want, recommend.MatchLang(langs, tc.in), "MatchLang(%q)", tc.in)
		env := map[string]string{"LANG": tc.in}
		assert.Equal(t, tc.want, recommend.LangFromEnv(langs, func(k string) string { return env[k] }), "LANG=%q", tc.in)
	}
	assert.Equal(t, recommend.English, recommend.MatchLang(langs))
	assert.Equal(t, recommend.Bokmal, recommend.MatchLang(langs, "", "fr", "nb"))
	// LC_ALL wins over LC_MESSAGES, which wins over LANG.
	for _, tc := range []struct {
		env  map[string]string
		want recommend.Lang
	}{
		{map[string]string{"LC_ALL": "nb_NO.UTF-8", "LANG": "en_US.UTF-8"}, recommend.Bokmal},
		{map[string]string{"LC_MESSAGES": "en_GB", "LANG": "nb_NO"}, recommend.English},
		{map[string]string{"LC_ALL": "", "LC_MESSAGES": "", "LANG": "no"}, recommend.Bokmal},
		{map[string]string{}, recommend.English},
	} {
		assert.Equal(t, tc.want, recommend.LangFromEnv(langs, func(k string) string { return tc.env[k] }), "%v", tc.env)
	}
	assert.Equal(t, langs, mustEngine(t, recommend.Policy{}).Langs())
	// A language the catalogue does not bring is its first.
	assert.Equal(t, recommend.English, recommend.MatchLang(nil, "de"))
	de := language.German
	assert.Equal(t, de, recommend.MatchLang([]recommend.Lang{recommend.English, de}, "de-AT, en;q=0.5"))
	assert.Equal(t, de, recommend.MatchLang([]recommend.Lang{de, recommend.English}, "fr"))
}

func TestPolicyDigest(t *testing.T) {
	expires := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	a := recommend.Policy{
		Severity: map[string]recommend.Severity{"MC-06": "recommended", "AP-11": "required", "PW-02": "recommended"},
		Params:   map[string]any{"notice_days": 5, "max_minutes": 60, "follow_up_weeks": 20},
		Waivers:  []recommend.Waiver{{ID: "MC-06", MeetingID: "*", Reason: "r", Expires: expires}},
	}
	// The same policy, its maps built in another order, its numbers as JSON decodes them.
	b := recommend.Policy{Profile: recommend.ProfileStandard, Severity: map[string]recommend.Severity{}, Params: map[string]any{}, Waivers: a.Waivers}
	for _, k := range []string{"PW-02", "AP-11", "MC-06"} {
		b.Severity[k] = a.Severity[k]
	}
	for _, k := range []string{"follow_up_weeks", "max_minutes", "notice_days"} {
		b.Params[k] = float64(a.Params[k].(int))
	}
	da, err := a.Digest()
	require.NoError(t, err)
	db, err := b.Digest()
	require.NoError(t, err)
	assert.Equal(t, da, db, "reordered maps, an explicit standard profile, numbers as floats")
	assert.True(t, strings.HasPrefix(da, "sha256:"))
	assert.Len(t, da, len("sha256:")+64)
	for range 20 {
		again, err := a.Digest()
		require.NoError(t, err)
		require.Equal(t, da, again, "stable")
	}
	ca, err := a.Canonical()
	require.NoError(t, err)
	cb, err := b.Canonical()
	require.NoError(t, err)
	assert.Equal(t, string(ca), string(cb))
	assert.NotContains(t, string(ca), " ", "no insignificant space")
	back, err := recommend.UnmarshalPolicy(ca)
	require.NoError(t, err)
	dback, err := back.Digest()
	require.NoError(t, err)
	assert.Equal(t, da, dback, "the canonical JSON reads back to the same policy")

	// Any change changes it.
	for name, p := range map[string]recommend.Policy{
		"profile":  {Profile: recommend.ProfileThorough, Severity: a.Severity, Params: a.Params, Waivers: a.Waivers},
		"param":    {Severity: a.Severity, Params: map[string]any{"notice_days": 6, "max_minutes": 60, "follow_up_weeks": 20}, Waivers: a.Waivers},
		"severity": {Severity: map[string]recommend.Severity{"MC-06": "advisory"}, Params: a.Params, Waivers: a.Waivers},
		"waiver":   {Severity: a.Severity, Params: a.Params},
	} {
		d, err := p.Digest()
		require.NoError(t, err)
		assert.NotEqual(t, da, d, name)
	}
	empty, err := recommend.Policy{}.Digest()
	require.NoError(t, err)
	standard, err := recommend.Policy{Profile: recommend.ProfileStandard}.Digest()
	require.NoError(t, err)
	assert.Equal(t, empty, standard, "an empty profile is standard")
}

func TestThemeScoresJSON(t *testing.T) {
	var s recommend.ThemeScores
	for i, th := range themeIDs() {
		s = append(s, recommend.ThemeScore{Theme: th, Applicable: i + 2, Passed: i + 1, Score: float64(i+1) / float64(i+2)})
	}
	data, err := json.Marshal(s)
	require.NoError(t, err)
	var keys map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &keys))
	assert.Len(t, keys, len(themeIDs()))
	for _, th := range themeIDs() {
		assert.Contains(t, keys, string(th))
	}
	var back recommend.ThemeScores
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, s, back)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again), "byte-identical")

	for _, bad := range []string{`{"pathway": {"applicable": 1}, "pathway": {"applicable": 1}}`, `{"pathway": {"applicable": "x"}}`,
		`{"pathway": {"applied": 1}}`, `[]`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &back), bad)
	}
	// A report's summary round-trips with it.
	rep := mustEngine(t, recommend.Policy{}).Check(reference(t))
	data, err = json.Marshal(rep)
	require.NoError(t, err)
	var r2 recommend.Report
	require.NoError(t, json.Unmarshal(data, &r2))
	assert.Equal(t, rep.Summary, r2.Summary)
}

// TestAggregateManyMonths adds reports of 120,000 distinct months to two
// aggregates, merges them, and checks the months come out in calendar
// order; the cost is counted in allocations per report added, which a
// month index rebuilt on every Add (quadratic) would multiply.
func TestAggregateManyMonths(t *testing.T) {
	const months = 120_000
	rep := mustEngine(t, recommend.Policy{}).Check(reference(t))
	// Years 0000 to 9999: every month once, out of order (7919 is prime to 120,000).
	month := func(i int) time.Time { return time.Date(0, time.Month(1+(i*7919)%months), 15, 12, 0, 0, 0, time.UTC) }
	var a, b recommend.Aggregate
	adds := 0
	for i := range months {
		r := *rep
		r.MeetingStart = month(i)
		r.Compliant = i%3 == 0
		if i%2 == 0 {
			a.Add(&r)
		} else {
			b.Add(&r)
		}
		adds++
	}
	a.Merge(&b)
	assert.Equal(t, months, adds)
	assert.Equal(t, months, a.Cases)
	assert.Equal(t, (months+2)/3, a.Compliant)
	got := a.Months()
	require.Len(t, got, months, "every month is distinct")
	assert.True(t, slices.IsSortedFunc(got, func(x, y recommend.MonthStats) int { return strings.Compare(x.Month, y.Month) }), "calendar order")
	total := 0
	for _, m := range got {
		assert.Equal(t, 1, m.Cases, m.Month)
		total += m.Cases
	}
	assert.Equal(t, months, total)
	first, last := got[0].Month, got[len(got)-1].Month
	assert.Equal(t, "0000-01", first)
	assert.Equal(t, "9999-12", last)

	// Adding a report of a known month allocates nothing, however many
	// months the aggregate holds.
	if !raceEnabled {
		r := *rep
		r.MeetingStart = month(0)
		assert.Zero(t, testing.AllocsPerRun(100, func() { a.Add(&r) }), "a known month")
	}
}

// TestWithMessagesAddsALanguage: a German message file given to WithMessages
// makes German available to WithLang; a text it lacks is shown in the
// catalogue's default language (English for the built-in one).
func TestWithMessagesAddsALanguage(t *testing.T) {
	de := language.German
	_, err := recommend.New(catalogue.Builtin(), recommend.Policy{}, recommend.WithLang(de))
	require.ErrorContains(t, err, `no message file in language "de"`)
	german := fstest.MapFS{"pc.de.json": {Data: []byte(`{"PC-01.title": "Der Patient wirkt am Plan und an der Zusammenfassung mit"}`)}}
	e := mustEngine(t, recommend.Policy{}, recommend.WithMessages(german), recommend.WithLang(de))
	assert.Equal(t, de, e.Lang())
	assert.Contains(t, e.Langs(), de)
	rep := e.Check(reference(t))
	assert.Equal(t, de, rep.Lang)
	assert.Equal(t, "Der Patient wirkt am Plan und an der Zusammenfassung mit", rep.Results[0].Title)
	assert.Equal(t, e.Text(recommend.English, rep.Results[1].ID+".title", nil), rep.Results[1].Title, "English, where German is missing")
	data, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"lang":"de"`)
	assert.Empty(t, e.Texts().Missing())
}

// TestUnitInAFallbackLanguage: an arg with a unit is shown with the unit's
// message of the fallback language when the language lacks it.
func TestUnitInAFallbackLanguage(t *testing.T) {
	german := fstest.MapFS{"x.de.json": {Data: []byte(`{"PC-01.title": "In {{.days}}"}`)}}
	e := mustEngine(t, recommend.Policy{}, recommend.WithMessages(german))
	assert.Equal(t, "In 3 days", e.Text(language.German, "PC-01.title", recommend.Args{"days": 3}))
}
