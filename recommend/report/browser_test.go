package report_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromiumPath is Debian's chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// requireChromium returns the browser to run, or stops the test: in CI (env
// CI set) a missing browser is a failure, elsewhere a loud skip.
func requireChromium(t *testing.T) string {
	t.Helper()
	path := chromiumPath
	if _, err := os.Stat(path); err != nil {
		p, lookErr := exec.LookPath("chromium")
		if lookErr != nil {
			msg := "chromium is not installed (looked for " + chromiumPath + " and chromium on PATH): " +
				"install Debian's package with `apt-get update && apt-get install -y chromium`"
			if os.Getenv("CI") != "" {
				t.Fatal("CI must open the HTML report in a real browser, but " + msg)
			}
			t.Skip("!!! THE BROWSER TEST DID NOT RUN: " + msg + " !!!")
		}
		path = p
	}
	return path
}

// browserRun is what headless Chromium did with one page.
type browserRun struct {
	dom     string   // the DOM after load (--dump-dom)
	console []string // console messages and uncaught errors, from its log
}

// consoleLine matches the log lines in which Chromium reports console
// messages (console.log/error, CSP violations, failed loads) and uncaught
// exceptions.
var consoleLine = regexp.MustCompile(`CONSOLE|Uncaught`)

// openInBrowser writes page to a temporary file, opens it in headless
// Chromium with the flags that keep it off the network (docs/design.md),
// and returns the DOM it dumped and the console lines of its log.
func openInBrowser(t *testing.T, chromium string, page []byte) browserRun {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	require.NoError(t, os.WriteFile(file, page, 0o644))

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		"--enable-logging=stderr", "--v=0",
		"--dump-dom", "file://"+file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, err, "chromium failed; its log:\n%s", stderr.String())

	var run browserRun
	run.dom = stdout.String()
	for _, line := range strings.Split(stderr.String(), "\n") {
		if consoleLine.MatchString(line) {
			run.console = append(run.console, line)
		}
	}
	require.NotEmpty(t, run.dom, "chromium dumped no DOM; its log:\n%s", stderr.String())
	return run
}

// TestBrowserSeesConsoleErrors makes sure that the check below can fail: a
// page with a console error and an uncaught exception is caught.
func TestBrowserSeesConsoleErrors(t *testing.T) {
	chromium := requireChromium(t)
	run := openInBrowser(t, chromium, []byte(`<!DOCTYPE html><html><head><title>probe</title></head><body><p>probe</p>`+
		`<script>console.error("collabmeet-probe"); notDefined();</script></body></html>`))
	joined := strings.Join(run.console, "\n")
	assert.Contains(t, joined, "collabmeet-probe")
	assert.Contains(t, joined, "Uncaught")
}

func TestHTMLInBrowser(t *testing.T) {
	chromium := requireChromium(t)
	engineReps, engineOpts := engineReports(t)
	_, cases := exampleCases(t)
	var norwegian []*recommend.Report
	for _, c := range cases {
		norwegian = append(norwegian, newEngine(t, recommend.Bokmal).Check(c))
	}
	tests := []struct {
		name string
		opts report.Options
		reps []*recommend.Report
	}{
		{"engine reports of the example cases", engineOpts, engineReps},
		{"the example cases in bokmål", report.Options{Lang: recommend.Bokmal}, norwegian},
		{"two reports", fixtureOptions(), []*recommend.Report{mixedReport(), compliantReport()}},
		{"zero options", report.Options{}, []*recommend.Report{compliantReport()}},
		// Would the escaping fail, this script would run and log to the console.
		{"hostile text", hostileOptions(), []*recommend.Report{scriptReport()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var page bytes.Buffer
			require.NoError(t, report.HTML(&page, tt.opts, tt.reps...))
			run := openInBrowser(t, chromium, page.Bytes())

			assert.Empty(t, run.console, "the page logged to the console (an error, a blocked request, a script)")
			dom := run.dom
			assert.Equal(t, len(tt.reps), strings.Count(dom, `<svg class="score-bars"`), "one chart per report")
			seen := map[string]bool{}
			for i, rep := range tt.reps {
				// The section of a report is "case-" + meeting ID, + "-" + its
				// 1-based index when the meeting ID was already used.
				id := rep.MeetingID.String()
				if seen[id] {
					id = fmt.Sprintf("%s-%d", id, i+1)
				}
				seen[id] = true
				assert.True(t, strings.Contains(dom, `id="case-`+id+`"`), "the section of %s is in the DOM", id)
				chart := regexp.MustCompile(`(?s)<svg class="score-bars" id="scores-` + id + `".*?</svg>`).FindString(dom)
				require.NotEmpty(t, chart, "the chart of %s is in the DOM", id)
				assert.Equal(t, len(themeIDs()), strings.Count(chart, `<rect class="bar `), "one bar per theme")
				for _, theme := range themeIDs() {
					assert.Contains(t, chart, fmt.Sprintf(`data-theme="%s"`, theme))
				}
				for _, r := range rep.Results {
					if r.Outcome == recommend.OutcomeGap && plainID.MatchString(r.ID) {
						assert.True(t, strings.Contains(dom, `id="case-`+id+`-`+strings.ToLower(r.ID)+`"`), "gap %s is shown", r.ID)
					}
				}
			}
			assert.Empty(t, activeMarkup.FindAllString(dom, -1), "no element or handler from the report's text")
		})
	}
}

// plainID matches the IDs of the catalogue and of custom rules.
var plainID = regexp.MustCompile(`^[A-Z0-9]+-[A-Z0-9]+$`)

// activeMarkup matches, in a serialised DOM, elements that the page itself
// never has (script, img, evil, i) and event-handler attributes on any
// element: what a report's text would bring if it were not escaped. Text and
// attribute values cannot match, since the DOM serialises their < and " as
// entities.
var activeMarkup = regexp.MustCompile(`(?i)<(script|img|evil|i)\b|<[a-z][a-z0-9-]*(\s+[^\s=<>"]+(="[^"]*")?)*\s+on[a-z]+=`)

// scriptReport is a report whose texts would run script if a renderer wrote
// them unescaped.
func scriptReport() *recommend.Report {
	rep := hostileReport()
	rep.Results[2].Findings[0].Message = `<script>console.error("collabmeet-injected")</script>`
	rep.Results[2].Findings[0].Remedy = `<img src=x onerror="console.error('collabmeet-injected')">`
	rep.Results[11].WaiverReason = `"><svg onload="console.error('collabmeet-injected')">`
	return rep
}

func TestActiveMarkupPattern(t *testing.T) {
	tests := []struct {
		dom    string
		active bool
	}{
		{`<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>`, false},
		{`<td>&lt;img src=x onerror="x()"&gt;</td>`, false},
		{`<article class="gap" id="a-pc-04&quot; onmouseover=&quot;alert(1)">`, false},
		{`<rect class="bar good" x="190" width="360"></rect>`, false},
		{`<script>alert(1)</script>`, true},
		{`<img src="x" onerror="x()">`, true},
		{`<article class="gap" id="a" onmouseover="alert(1)">`, true},
		{`<svg onload="x()">`, true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.active, activeMarkup.MatchString(tt.dom), tt.dom)
	}
}

func TestAggregateHTMLInBrowser(t *testing.T) {
	chromium := requireChromium(t)
	generated, engineOpts := generatedAggregate(t, 300)
	tests := []struct {
		name string
		opts report.Options
		agg  *recommend.Aggregate
	}{
		{"fixture aggregate", fixtureOptions(), fixtureAggregate()},
		{"300 generated cases", engineOpts, generated},
		{"empty aggregate", report.Options{}, &recommend.Aggregate{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var page bytes.Buffer
			require.NoError(t, report.AggregateHTML(&page, tt.opts, tt.agg))
			run := openInBrowser(t, chromium, page.Bytes())

			assert.Empty(t, run.console, "the page logged to the console (an error, a blocked request, a script)")
			recs := regexp.MustCompile(`(?s)<svg class="chart chart-recommendations" id="chart-recommendations".*?</svg>`).FindString(run.dom)
			require.NotEmpty(t, recs, "the chart of compliance per recommendation is in the DOM")
			assert.Equal(t, len(tt.agg.Recommendations), strings.Count(recs, `<rect class="bar `), "one bar per recommendation")
			for _, r := range tt.agg.Recommendations {
				assert.True(t, strings.Contains(recs, `data-id="`+r.ID+`"`), "bar of %s", r.ID)
			}
			months := regexp.MustCompile(`(?s)<svg class="chart chart-months" id="chart-months".*?</svg>`).FindString(run.dom)
			require.NotEmpty(t, months, "the chart of the trend per month is in the DOM")
			assert.Equal(t, len(tt.agg.Months()), strings.Count(months, `<rect class="column `), "one column per month")
			for _, m := range tt.agg.Months() {
				assert.True(t, strings.Contains(months, `data-month="`+m.Month+`"`), "column of %s", m.Month)
			}
		})
	}
}
