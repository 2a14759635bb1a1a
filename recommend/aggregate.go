package recommend

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"
)

// AggregateSchema is the schema name of an Aggregate in JSON.
const AggregateSchema = "collabmeet.aggregate/v1"

// monthLayout formats the month of a meeting start: "2026-05".
const monthLayout = "2006-01"

// Aggregate folds many reports into compliance rates per recommendation,
// theme, severity and month of the meeting start, and counts cases,
// compliant cases and invalid inputs.
//
// Its memory is constant in the number of cases: it holds counters keyed by
// recommendation ID, theme, severity and month, never the reports. Partial
// aggregates merge, so that workers can fold reports in parallel and
// combine their aggregates at the end; merging is associative and
// commutative, and gives the same aggregate as adding every report to one.
//
// The zero value is an empty aggregate ready to use. Every rate is kept
// final after each Add, AddInvalid and Merge, so the exported fields can be
// read (and rendered) at any time. An Aggregate is not safe for concurrent
// use; give each goroutine its own and merge them.
//
// Order: Recommendations are in catalogue order. Each recommendation
// remembers the largest index it had in the results of any report added
// (directly or through Merge), and Recommendations is sorted by that index,
// then by ID. Reports from one engine list every recommendation in catalogue
// order at the same index, so the order is the catalogue order; a report
// that leaves some out (a policy that disables them) only moves later
// entries to smaller indexes, which the largest index ignores. Because a
// maximum does not depend on the order in which reports arrive, any
// partition of the reports into merged partials gives the same order. Months
// (the method) are in calendar order.
//
// Every Add, AddInvalid and Merge costs time independent of the number of
// cases and months seen; Months sorts once after a change.
type Aggregate struct {
	// Schema is AggregateSchema; JSON output always carries it, even for the zero value.
	Schema string `json:"schema"`
	// CatalogueVersion is the catalogue version of the reports added. Should
	// reports disagree, the greatest version (as a string) is kept, so that
	// the result does not depend on the order of the reports.
	CatalogueVersion string `json:"catalogue_version"`
	// PolicyDigests lists the digests of the policies the reports added were
	// checked under (Report.PolicyDigest), sorted: one for reports of one
	// engine. An audit replays the check with the policy of that digest.
	PolicyDigests []string `json:"policy_digests"`
	// Cases counts valid cases checked.
	Cases int `json:"cases"`
	// Invalid counts inputs that could not be read or validated.
	Invalid int `json:"invalid"`
	// Compliant counts the cases whose report was compliant.
	Compliant int `json:"compliant"`
	// Recommendations holds one entry per recommendation seen, in catalogue order.
	Recommendations []RecommendationStats `json:"recommendations"`
	// Themes holds the rate of each theme seen.
	Themes map[Theme]RateStats `json:"themes"`
	// Severities holds the rate of each severity seen, as the policy set it.
	Severities map[Severity]SeverityStats `json:"severities"`

	index      map[string]int // recommendation ID → position in Recommendations
	months     []MonthStats   // in the order first seen; see Months
	monthIndex map[string]int // month → position in months
	sorted     bool           // months is in calendar order
}

// RecommendationStats counts the outcomes of one recommendation over every case.
type RecommendationStats struct {
	ID string `json:"id"`
	// Title is the title in the language of the reports added.
	Title    string   `json:"title,omitempty"`
	Theme    Theme    `json:"theme"`
	Severity Severity `json:"severity"`
	// Applicable counts the pass, gap and error outcomes (as in a report's theme score).
	Applicable    int `json:"applicable"`
	Passed        int `json:"passed"`
	Gaps          int `json:"gaps"`
	Waived        int `json:"waived"`
	Errors        int `json:"errors"`
	NotApplicable int `json:"not_applicable"`
	// Rate is Passed/Applicable, 1 when nothing was applicable.
	Rate float64 `json:"rate"`

	pos int // largest index in the results of a report; orders Recommendations
}

// RateStats is how many applicable results passed.
type RateStats struct {
	// Applicable counts the pass, gap and error outcomes.
	Applicable int `json:"applicable"`
	Passed     int `json:"passed"`
	// Rate is Passed/Applicable, 1 when nothing was applicable.
	Rate float64 `json:"rate"`
}

// SeverityStats is how many applicable results of one severity passed, and
// how many were gaps.
type SeverityStats struct {
	// Applicable counts the pass, gap and error outcomes.
	Applicable int `json:"applicable"`
	Passed     int `json:"passed"`
	Gaps       int `json:"gaps"`
	// Rate is Passed/Applicable, 1 when nothing was applicable.
	Rate float64 `json:"rate"`
}

// MonthStats counts the cases whose meeting started in one month.
type MonthStats struct {
	// Month is the year and month of the meeting start, in its own offset: "2026-05".
	Month     string `json:"month"`
	Cases     int    `json:"cases"`
	Compliant int    `json:"compliant"`
}

// rate is passed/applicable, 1 when nothing was applicable.
func rate(passed, applicable int) float64 {
	if applicable == 0 {
		return 1
	}
	return float64(passed) / float64(applicable)
}

// NewAggregate returns an empty aggregate of the engine's reports: no case
// yet, but its schema, catalogue version and policy digest set, and every
// recommendation the engine checks listed in report order with zero counts
// (and its theme and severity with them). Folding reports of e into it gives
// the same aggregate as folding them into a zero Aggregate; an input with no
// valid case still says what it would have been checked against.
func (e *Engine) NewAggregate() *Aggregate {
	a := &Aggregate{Schema: AggregateSchema, CatalogueVersion: e.version}
	a.addDigest(e.digest)
	for i := range e.rules {
		res := &e.rules[i].result
		known := res.Theme != "" && res.Severity.Rank() < len(Severities())
		a.addRecommendation(RecommendationStats{ID: res.ID, Title: res.Title, Theme: res.Theme, Severity: res.Severity, pos: i}, known)
	}
	return a
}

// Add folds one report into the aggregate. A nil report is ignored.
func (a *Aggregate) Add(r *Report) {
	if r == nil {
		return
	}
	a.Schema = AggregateSchema
	a.CatalogueVersion = max(a.CatalogueVersion, r.CatalogueVersion)
	a.addDigest(r.PolicyDigest)
	a.Cases++
	if r.Compliant {
		a.Compliant++
	}
	compliant := 0
	if r.Compliant {
		compliant = 1
	}
	var buf [16]byte
	month := appendMonth(buf[:0], r.MeetingStart)
	if i, ok := a.monthIndex[string(month)]; ok {
		a.months[i].Cases++ // the month is known: no string to allocate
		a.months[i].Compliant += compliant
	} else {
		a.addMonth(MonthStats{Month: string(month), Cases: 1, Compliant: compliant})
	}
	// The counts of themes and severities are summed over the report first,
	// then added to their maps once each, rather than once per result.
	// A catalogue has a few themes: up to len(themes) are summed here, in
	// the order met; any more are added result by result.
	var themes [8]struct {
		theme Theme
		RateStats
	}
	nthemes := 0
	var severities [3]SeverityStats
	var severitySeen [3]bool
	recs := a.Recommendations
	for i := range r.Results {
		res := &r.Results[i]
		var applicable, passed, gaps, errs, waived, notApplicable int
		switch res.Outcome {
		case OutcomePass:
			passed, applicable = 1, 1
		case OutcomeGap:
			gaps, applicable = 1, 1
		case OutcomeError:
			errs, applicable = 1, 1
		case OutcomeWaived:
			waived = 1
		case OutcomeNotApplicable:
			notApplicable = 1
		}
		v := res.Severity.Rank()
		known := res.Theme != "" && v < len(severities)
		if known && i < len(recs) && recs[i].ID == res.ID && recs[i].pos >= i {
			// Where a report of the same engine puts it (as in
			// addRecommendation), counted in place: no RecommendationStats
			// built and copied for every result.
			rec := &recs[i]
			rec.Applicable += applicable
			rec.Passed += passed
			rec.Gaps += gaps
			rec.Waived += waived
			rec.Errors += errs
			rec.NotApplicable += notApplicable
			rec.Rate = rate(rec.Passed, rec.Applicable)
			if rec.Title == "" {
				rec.Title = res.Title
			}
		} else {
			a.addRecommendation(RecommendationStats{ID: res.ID, Title: res.Title, Theme: res.Theme, Severity: res.Severity, pos: i,
				Applicable: applicable, Passed: passed, Gaps: gaps, Waived: waived, Errors: errs, NotApplicable: notApplicable}, !known)
			recs = a.Recommendations
			if !known {
				continue
			}
		}
		t := 0
		for t < nthemes && themes[t].theme != res.Theme {
			t++
		}
		switch {
		case t < nthemes:
		case nthemes < len(themes):
			themes[t].theme = res.Theme
			nthemes++
		default:
			a.addTheme(res.Theme, applicable, passed)
			t = -1
		}
		if t >= 0 {
			themes[t].Applicable += applicable
			themes[t].Passed += passed
		}
		severitySeen[v] = true
		severities[v].Applicable += applicable
		severities[v].Passed += passed
		severities[v].Gaps += gaps
	}
	for t := range themes[:nthemes] {
		a.addTheme(themes[t].theme, themes[t].Applicable, themes[t].Passed)
	}
	for v := range severities {
		if severitySeen[v] {
			a.addSeverity(Severities()[v], severities[v].Applicable, severities[v].Passed, severities[v].Gaps)
		}
	}
}

// appendMonth appends the month of t as monthLayout formats it, with
// digits of its own for the years 0-9999 (a call of AppendFormat costs
// more than the rest of Add's bookkeeping of months).
func appendMonth(b []byte, t time.Time) []byte {
	y, m, _ := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, monthLayout)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-', byte('0'+m/10), byte('0'+m%10))
}

// AddInvalid counts one input that could not be read or validated.
func (a *Aggregate) AddInvalid() {
	a.Schema = AggregateSchema
	a.Invalid++
}

// Merge folds other into a, as if every report and invalid input added to
// other had been added to a. other is not changed; a nil other is ignored.
func (a *Aggregate) Merge(other *Aggregate) {
	if other == nil {
		return
	}
	if other == a {
		other = a.Clone()
	}
	a.Schema = AggregateSchema
	a.CatalogueVersion = max(a.CatalogueVersion, other.CatalogueVersion)
	for _, d := range other.PolicyDigests {
		a.addDigest(d)
	}
	a.Cases += other.Cases
	a.Invalid += other.Invalid
	a.Compliant += other.Compliant
	for _, m := range other.months {
		a.addMonth(m)
	}
	for _, s := range other.Recommendations {
		a.addRecommendation(s, true)
	}
}

// Clone returns a deep copy of a.
func (a *Aggregate) Clone() *Aggregate {
	c := &Aggregate{
		Schema:           a.Schema,
		CatalogueVersion: a.CatalogueVersion,
		PolicyDigests:    slices.Clone(a.PolicyDigests),
		Cases:            a.Cases,
		Invalid:          a.Invalid,
		Compliant:        a.Compliant,
		Recommendations:  slices.Clone(a.Recommendations),
		months:           slices.Clone(a.months),
		sorted:           a.sorted,
	}
	if a.Themes != nil {
		c.Themes = make(map[Theme]RateStats, len(a.Themes))
		for k, v := range a.Themes {
			c.Themes[k] = v
		}
	}
	if a.Severities != nil {
		c.Severities = make(map[Severity]SeverityStats, len(a.Severities))
		for k, v := range a.Severities {
			c.Severities[k] = v
		}
	}
	return c
}

// addMonth adds the counts of m to its month, in constant time.
func (a *Aggregate) addMonth(m MonthStats) {
	if a.monthIndex == nil || len(a.monthIndex) != len(a.months) {
		// The index is missing (a zero value, or decoded).
		a.monthIndex = make(map[string]int, len(a.months)+1)
		for j, x := range a.months {
			a.monthIndex[x.Month] = j
		}
	}
	if i, ok := a.monthIndex[m.Month]; ok {
		a.months[i].Cases += m.Cases
		a.months[i].Compliant += m.Compliant
		return
	}
	a.monthIndex[m.Month] = len(a.months)
	a.sorted = len(a.months) == 0 || a.sorted && a.months[len(a.months)-1].Month < m.Month
	a.months = append(a.months, m)
}

// addDigest adds a policy digest to the sorted set PolicyDigests.
func (a *Aggregate) addDigest(d string) {
	if d == "" {
		return
	}
	if i, found := slices.BinarySearch(a.PolicyDigests, d); !found {
		a.PolicyDigests = slices.Insert(a.PolicyDigests, i, d)
	}
}

// Months returns the cases per month of the meeting start, in calendar
// order (a fresh slice).
func (a *Aggregate) Months() []MonthStats {
	if !a.sorted {
		if a.monthIndex == nil {
			a.monthIndex = make(map[string]int, len(a.months))
		}
		slices.SortFunc(a.months, func(x, y MonthStats) int { return cmp.Compare(x.Month, y.Month) })
		for j, x := range a.months {
			a.monthIndex[x.Month] = j
		}
		a.sorted = true
	}
	return slices.Clone(a.months)
}

// addRecommendation adds the counts of s to its recommendation (and, when
// rates is set, to its theme and severity), keeping Recommendations ordered
// by (pos, ID).
func (a *Aggregate) addRecommendation(s RecommendationStats, rates bool) {
	if j := s.pos; j < len(a.Recommendations) && a.Recommendations[j].ID == s.ID && a.Recommendations[j].pos >= j {
		// Where a report of the same engine puts it: no lookup, no reordering.
		r := &a.Recommendations[j]
		r.Applicable += s.Applicable
		r.Passed += s.Passed
		r.Gaps += s.Gaps
		r.Waived += s.Waived
		r.Errors += s.Errors
		r.NotApplicable += s.NotApplicable
		r.Rate = rate(r.Passed, r.Applicable)
		r.Title = cmp.Or(r.Title, s.Title)
		if rates {
			a.addTheme(s.Theme, s.Applicable, s.Passed)
			a.addSeverity(s.Severity, s.Applicable, s.Passed, s.Gaps)
		}
		return
	}
	i, ok := a.index[s.ID]
	if !ok || i >= len(a.Recommendations) || a.Recommendations[i].ID != s.ID {
		// The index is stale (zero value, decoded, or changed by the caller).
		a.reindex()
		i, ok = a.index[s.ID]
	}
	if ok {
		r := &a.Recommendations[i]
		r.Applicable += s.Applicable
		r.Passed += s.Passed
		r.Gaps += s.Gaps
		r.Waived += s.Waived
		r.Errors += s.Errors
		r.NotApplicable += s.NotApplicable
		r.Rate = rate(r.Passed, r.Applicable)
		r.Title = cmp.Or(r.Title, s.Title)
		if s.pos > r.pos {
			r.pos = s.pos
			a.sortRecommendations()
		}
	} else {
		s.Rate = rate(s.Passed, s.Applicable)
		i, _ = slices.BinarySearchFunc(a.Recommendations, s, compareRecommendations)
		a.Recommendations = slices.Insert(a.Recommendations, i, s)
		a.reindex()
	}
	if rates {
		a.addTheme(s.Theme, s.Applicable, s.Passed)
		a.addSeverity(s.Severity, s.Applicable, s.Passed, s.Gaps)
	}
}

// addTheme adds counts to the rate of theme t.
func (a *Aggregate) addTheme(theme Theme, applicable, passed int) {
	if a.Themes == nil {
		a.Themes = make(map[Theme]RateStats)
	}
	t := a.Themes[theme]
	t.Applicable += applicable
	t.Passed += passed
	t.Rate = rate(t.Passed, t.Applicable)
	a.Themes[theme] = t
}

// addSeverity adds counts to the rate of severity s.
func (a *Aggregate) addSeverity(s Severity, applicable, passed, gaps int) {
	if a.Severities == nil {
		a.Severities = make(map[Severity]SeverityStats, 3)
	}
	v := a.Severities[s]
	v.Applicable += applicable
	v.Passed += passed
	v.Gaps += gaps
	v.Rate = rate(v.Passed, v.Applicable)
	a.Severities[s] = v
}

func compareRecommendations(x, y RecommendationStats) int {
	return cmp.Or(cmp.Compare(x.pos, y.pos), cmp.Compare(x.ID, y.ID))
}

func (a *Aggregate) sortRecommendations() {
	slices.SortFunc(a.Recommendations, compareRecommendations)
	a.reindex()
}

func (a *Aggregate) reindex() {
	a.index = make(map[string]int, len(a.Recommendations))
	for i, r := range a.Recommendations {
		a.index[r.ID] = i
	}
}

// Rate is the share of compliant cases among the valid cases, 1 when there
// were none.
func (a *Aggregate) Rate() float64 { return rate(a.Compliant, a.Cases) }

// aggregateJSON is the JSON form of an Aggregate.
type aggregateJSON struct {
	Schema           string                     `json:"schema"`
	CatalogueVersion string                     `json:"catalogue_version"`
	PolicyDigests    []string                   `json:"policy_digests"`
	Cases            int                        `json:"cases"`
	Invalid          int                        `json:"invalid"`
	Compliant        int                        `json:"compliant"`
	Recommendations  []RecommendationStats      `json:"recommendations"`
	Themes           map[Theme]RateStats        `json:"themes"`
	Severities       map[Severity]SeverityStats `json:"severities"`
	Months           []MonthStats               `json:"months"`
}

// MarshalJSON writes the aggregate as the collabmeet.aggregate/v1 schema.
// Empty lists and maps are written as [] and {}, never null; the schema is
// always set.
func (a Aggregate) MarshalJSON() ([]byte, error) {
	p := aggregateJSON{AggregateSchema, a.CatalogueVersion, a.PolicyDigests, a.Cases, a.Invalid, a.Compliant,
		a.Recommendations, a.Themes, a.Severities, a.Months()}
	if p.PolicyDigests == nil {
		p.PolicyDigests = []string{}
	}
	if p.Recommendations == nil {
		p.Recommendations = []RecommendationStats{}
	}
	if p.Months == nil {
		p.Months = []MonthStats{}
	}
	if p.Themes == nil {
		p.Themes = map[Theme]RateStats{}
	}
	if p.Severities == nil {
		p.Severities = map[Severity]SeverityStats{}
	}
	return json.Marshal(p)
}

// UnmarshalJSON reads an aggregate written by MarshalJSON, so that saved
// partial aggregates can be merged. Recommendations keep the order they have
// in the JSON.
func (a *Aggregate) UnmarshalJSON(data []byte) error {
	var p aggregateJSON
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*a = Aggregate{Schema: p.Schema, CatalogueVersion: p.CatalogueVersion, PolicyDigests: p.PolicyDigests, Cases: p.Cases, Invalid: p.Invalid,
		Compliant: p.Compliant, Recommendations: p.Recommendations, Themes: p.Themes, Severities: p.Severities}
	for i := range a.Recommendations {
		a.Recommendations[i].pos = i
	}
	for _, m := range p.Months {
		a.addMonth(m)
	}
	return nil
}
