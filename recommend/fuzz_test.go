package recommend_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	jsonv2 "github.com/go-json-experiment/json"
)

// fuzzCaseSeeds adds the example cases (valid and invalid: the fuzzer
// mutates invalid ones into valid ones too) and a few generated ones.
func fuzzCaseSeeds(f *testing.F) {
	for _, pattern := range []string{"../examples/cases/*.json", "../examples/invalid/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	g := casegen.New(6)
	for range 4 {
		data, err := jsonv2.Marshal(g.Case())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// fuzzEngines are the engines FuzzCheck checks every valid case with: the
// default policy, the thorough profile, and a policy that disables, waives
// (a waiver for every meeting and one that has expired) and overrides.
func fuzzEngines(f *testing.F) []*recommend.Engine {
	policies := []recommend.Policy{
		{},
		{Profile: recommend.ProfileThorough},
		{
			Profile:  recommend.ProfileMinimal,
			Disable:  []string{"MC-08", "PW-02"},
			Severity: map[string]recommend.Severity{"MC-06": recommend.SeverityRequired, "PC-09": recommend.SeverityAdvisory},
			Params:   map[string]any{"notice_days": 1, "max_professionals": 3},
			Waivers: []recommend.Waiver{
				{ID: "AP-04", MeetingID: recommend.WaiverAllMeetings, Reason: "r", Expires: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)},
				{ID: "PC-05", MeetingID: recommend.WaiverAllMeetings, Reason: "r", Expires: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)},
			},
		},
	}
	var engines []*recommend.Engine
	for _, p := range policies {
		e, err := recommend.New(catalogue.Builtin(), p)
		if err != nil {
			f.Fatal(err)
		}
		engines = append(engines, e)
	}
	return engines
}

// FuzzCheck decodes any input; for every valid case, under several policies,
// no catalogue rule may fail (outcome error), the report must hold its
// invariants (checkReportInvariants), and its JSON must be the same for a
// second check and for the case after an encode/decode round trip.
func FuzzCheck(f *testing.F) {
	fuzzCaseSeeds(f)
	engines := fuzzEngines(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := casedoc.Decoder{MaxBytes: 1 << 20}.Unmarshal(data)
		if err != nil {
			return
		}
		again, err := jsonv2.Marshal(c)
		if err != nil {
			t.Fatalf("an accepted case does not encode: %v", err)
		}
		c2, err := casedoc.Unmarshal(again)
		if err != nil {
			t.Fatalf("an accepted case does not decode after encoding: %v", err)
		}
		for n, e := range engines {
			rep := e.Check(c)
			if err := checkReportInvariants(e, rep); err != nil {
				t.Fatalf("engine %d: %v", n, err)
			}
			a, err := json.Marshal(rep)
			if err != nil {
				t.Fatalf("engine %d: the report does not encode: %v", n, err)
			}
			b, _ := json.Marshal(e.Check(c))
			if !bytes.Equal(a, b) {
				t.Fatalf("engine %d: two checks of the same case differ", n)
			}
			b, _ = json.Marshal(e.Check(c2))
			if !bytes.Equal(a, b) {
				t.Fatalf("engine %d: the case after an encode/decode round trip gives another report:\n%s\n%s", n, a, b)
			}
		}
	})
}

// checkReportInvariants says what is wrong with a report of e, or nil:
//   - one result per rule of the engine, in the engine's (catalogue) order,
//     with the rule's theme and effective severity;
//   - no result is an error (the catalogue's rules never fail);
//   - a gap or a waived result has findings; other outcomes have none, and
//     only a waived result has a waiver reason;
//   - compliant iff no required result is a gap or an error;
//   - the summary's counts equal the results: outcomes, gaps by severity,
//     and per theme applicable (pass, gap, error), passed and the score.
func checkReportInvariants(e *recommend.Engine, rep *recommend.Report) error {
	rules := e.Recommendations()
	if len(rep.Results) != len(rules) {
		return fmt.Errorf("%d results for %d rules", len(rep.Results), len(rules))
	}
	if rep.Schema != recommend.ReportSchema || rep.CatalogueVersion != e.CatalogueVersion() || rep.Profile != e.Profile() {
		return fmt.Errorf("header %q %q %q", rep.Schema, rep.CatalogueVersion, rep.Profile)
	}
	var outcomes recommend.OutcomeCounts
	var gaps recommend.SeverityCounts
	type score struct{ applicable, passed int }
	themes := map[recommend.Theme]*score{}
	for _, th := range themeIDs() {
		themes[th] = &score{}
	}
	compliant := true
	for i, r := range rep.Results {
		rule := rules[i]
		if r.Title == "" || r.Title == r.ID+".title" {
			return fmt.Errorf("result %d (%s) has no title", i, r.ID)
		}
		if r.Omitted < 0 || r.Omitted > 0 && len(r.Findings) == 0 {
			return fmt.Errorf("%s: %d findings omitted of %d", r.ID, r.Omitted, len(r.Findings))
		}
		if r.ID != rule.ID || r.Theme != rule.Theme || r.Severity != rule.Severity {
			return fmt.Errorf("result %d is %s/%s/%s, want %s/%s/%s", i, r.ID, r.Theme, r.Severity, rule.ID, rule.Theme, rule.Severity)
		}
		ts := themes[r.Theme]
		switch r.Outcome {
		case recommend.OutcomePass:
			outcomes.Pass++
			ts.applicable++
			ts.passed++
		case recommend.OutcomeGap:
			outcomes.Gap++
			ts.applicable++
			switch r.Severity {
			case recommend.SeverityRequired:
				gaps.Required++
			case recommend.SeverityRecommended:
				gaps.Recommended++
			case recommend.SeverityAdvisory:
				gaps.Advisory++
			}
		case recommend.OutcomeError:
			return fmt.Errorf("%s failed: %s", r.ID, r.Error)
		case recommend.OutcomeNotApplicable:
			outcomes.NotApplicable++
		case recommend.OutcomeWaived:
			outcomes.Waived++
		default:
			return fmt.Errorf("%s: unknown outcome %q", r.ID, r.Outcome)
		}
		if r.Severity == recommend.SeverityRequired && (r.Outcome == recommend.OutcomeGap || r.Outcome == recommend.OutcomeError) {
			compliant = false
		}
		if r.Fails(recommend.SeverityRequired) != (r.Severity == recommend.SeverityRequired && (r.Outcome == recommend.OutcomeGap || r.Outcome == recommend.OutcomeError)) {
			return fmt.Errorf("%s: Fails(required) disagrees with its outcome %s and severity %s", r.ID, r.Outcome, r.Severity)
		}
		for _, f := range r.Findings {
			if f.Message == "" || f.Remedy == "" || f.Subject == "" || !strings.HasPrefix(f.Code, r.ID+".") {
				return fmt.Errorf("%s: finding %+v is incomplete", r.ID, f)
			}
		}
		hasFindings := r.Outcome == recommend.OutcomeGap || r.Outcome == recommend.OutcomeWaived
		if hasFindings != (len(r.Findings) > 0) {
			return fmt.Errorf("%s: outcome %s with %d findings", r.ID, r.Outcome, len(r.Findings))
		}
		if (r.Outcome == recommend.OutcomeWaived) != (r.WaiverReason != "") {
			return fmt.Errorf("%s: outcome %s with waiver reason %q", r.ID, r.Outcome, r.WaiverReason)
		}
		for j := 1; j < len(r.Findings); j++ {
			if recommend.ComparePaths(r.Findings[j-1].Path, r.Findings[j].Path) > 0 {
				return fmt.Errorf("%s: findings not ordered by path: %s before %s", r.ID, r.Findings[j-1].Path, r.Findings[j].Path)
			}
		}
	}
	if rep.Compliant != compliant {
		return fmt.Errorf("compliant is %v, the results say %v", rep.Compliant, compliant)
	}
	if rep.Summary.Outcomes != outcomes {
		return fmt.Errorf("summary outcomes %+v, counted %+v", rep.Summary.Outcomes, outcomes)
	}
	if rep.Summary.Gaps != gaps {
		return fmt.Errorf("summary gaps %+v, counted %+v", rep.Summary.Gaps, gaps)
	}
	if rep.Compliant == rep.Fails(recommend.SeverityRequired) {
		return fmt.Errorf("compliant is %v and Fails(required) is %v", rep.Compliant, rep.Fails(recommend.SeverityRequired))
	}
	for _, th := range themeIDs() {
		got := *rep.Summary.Themes.Of(th)
		want := themes[th]
		wantScore := 1.0
		if want.applicable > 0 {
			wantScore = float64(want.passed) / float64(want.applicable)
		}
		if got.Applicable != want.applicable || got.Passed != want.passed || got.Score != wantScore {
			return fmt.Errorf("theme %s: summary %+v, counted %+v (score %v)", th, got, *want, wantScore)
		}
		if got.Passed > got.Applicable || got.Score < 0 || got.Score > 1 {
			return fmt.Errorf("theme %s: inconsistent %+v", th, got)
		}
	}
	return nil
}
