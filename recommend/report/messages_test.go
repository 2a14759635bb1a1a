package report_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// messageID matches a message ID of the renderers in their source and
// templates.
var messageID = regexp.MustCompile(`"(report\.[a-z_.]*[a-z_])"`)

// TestEveryMessageIDExists reads every message ID that the renderers use
// and checks that report.en.json has it, and that the file has no message
// that nothing uses.
func TestEveryMessageIDExists(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("messages", "report.en.json"))
	require.NoError(t, err)
	var file map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &file))

	used := map[string]bool{}
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	tmpls, err := filepath.Glob("*.tmpl")
	require.NoError(t, err)
	for _, f := range append(files, tmpls...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range messageID.FindAllSubmatch(src, -1) {
			used[string(m[1])] = true
		}
	}
	require.NotEmpty(t, used)
	require.NoError(t, recommend.CheckMessages(os.DirFS("messages")), "the renderers' messages, in every language")
	texts, err := recommend.NewTexts(os.DirFS("messages"))
	require.NoError(t, err)
	for id := range used {
		assert.Contains(t, file, id, "report.en.json lacks %s", id)
		for _, lang := range texts.Langs() {
			assert.True(t, texts.Has(lang, id), "the renderers' %s texts lack %s", lang, id)
		}
	}
	for id := range file {
		assert.True(t, strings.HasPrefix(id, "report."), "%s: the renderers' messages start with report.", id)
		assert.True(t, used[id], "%s is in report.en.json but no renderer uses it", id)
	}
}

// TestNoMessageIDShows renders the fixtures in every format: a message
// missing from the files would show as its ID.
func TestNoMessageIDShows(t *testing.T) {
	for _, f := range report.Formats() {
		if f.Report != nil {
			out := render(t, f.Report, fixtureOptions(), mixedReport(), compliantReport(), hostileReport())
			assert.NotContains(t, out, "report.", f.Name)
		}
		if f.Aggregate != nil {
			out := renderAggregate(t, f.Aggregate, fixtureOptions(), fixtureAggregate())
			assert.NotContains(t, out, "report.", "aggregate %s", f.Name)
		}
	}
}

func TestHTMLLangFromTheReport(t *testing.T) {
	rep := mixedReport()
	rep.Lang = recommend.Bokmal
	out := render(t, report.HTML, fixtureOptions(), rep, compliantReport())
	assert.Contains(t, out, `<html lang="nb">`, "the page is in the language of its first report")
	assert.Contains(t, out, `id="case-`+meetingA.String()+`" lang="nb"`)
	assert.Contains(t, out, `id="case-`+meetingB.String()+`" lang="en"`)

	rep = mixedReport()
	rep.Lang = recommend.Lang{}
	assert.Contains(t, render(t, report.HTML, fixtureOptions(), rep), `<html lang="en">`, "no language is English")

	var buf bytes.Buffer
	require.NoError(t, report.AggregateHTML(&buf, report.Options{Lang: recommend.Bokmal}, fixtureAggregate()))
	assert.Contains(t, buf.String(), `<html lang="nb">`, "an aggregate is in Options.Lang")
}

func TestFindingsShowSubjectCodeAndFixes(t *testing.T) {
	for _, name := range []string{"text", "markdown", "html", "junit"} {
		f, ok := report.Lookup(name)
		require.True(t, ok)
		out := render(t, f.Report, fixtureOptions(), mixedReport())
		for _, s := range []string{"NAV supervisor (participant 6)", "PC-04.no_consent", "meeting.participants[5]", "can be fixed automatically"} {
			assert.Contains(t, out, s, name)
		}
		assert.Equal(t, 1, strings.Count(out, "can be fixed automatically"), "%s: only the finding with a fix says so", name)
	}
	out := render(t, report.JSON, fixtureOptions(), mixedReport())
	for _, s := range []string{`"lang":"en"`, `"source":"cases/mixed.json"`, `"code":"PC-05.no_item"`, `"args":{"minutes":10}`,
		`"fixes":[{"code":"PC-05.fix.add_item"`, `"patch":[{"op":"add","path":"/meeting/agenda/2"`} {
		assert.Contains(t, out, s)
	}
}

// TestTextDropsBidiOverrides puts the bidirectional embeddings, overrides
// and isolates in a waiver reason: none reaches text output (a terminal, a
// ticket), where they could show text in another order than it is; they are
// removed, and the spaces around them fold into one.
func TestTextDropsBidiOverrides(t *testing.T) {
	bidi := []rune{0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
		0x2028, 0x2029, 0xfeff, 0x00ad, 0x200b, 0x200d, 0x061c, 0x1b, 0x9b} // and the other format characters and separators
	rep := mixedReport()
	rep.Results[11].WaiverReason = "ok " + string(bidi) + " done"
	rep.Results[1].Findings[0].Message = "msg \u202egnp.exe"
	var agg recommend.Aggregate
	agg.Add(rep)
	outs := map[string]string{
		"text":               render(t, report.Text, fixtureOptions(), rep),
		"markdown":           render(t, report.Markdown, fixtureOptions(), rep),
		"html":               render(t, report.HTML, fixtureOptions(), rep),
		"junit":              render(t, report.JUnit, fixtureOptions(), rep),
		"aggregate text":     renderAggregate(t, report.AggregateText, fixtureOptions(), &agg),
		"aggregate markdown": renderAggregate(t, report.AggregateMarkdown, fixtureOptions(), &agg),
	}
	for name, out := range outs {
		for _, r := range bidi {
			assert.NotContains(t, out, string(r), "%s: U+%04X", name, r)
		}
	}
	assert.Contains(t, outs["text"], "reason: ok done")
}

// TestAggregateHTMLFitsLargeCounts renders an aggregate of 123,456 cases:
// every value of the charts fits in the chart, at a generous estimate of
// the width of its text (the labels used to be clipped at 10,000 cases:
// "100.0 % (10000/1000").
func TestAggregateHTMLFitsLargeCounts(t *testing.T) {
	var agg recommend.Aggregate
	rep := compliantReport()
	for range 123456 {
		agg.Add(rep)
	}
	require.Equal(t, 123456, agg.Cases)
	out := renderAggregate(t, report.AggregateHTML, fixtureOptions(), &agg)
	assert.Contains(t, out, "100.0 % (123456/123456)")
	assert.Contains(t, out, "n=123456")

	svg := regexp.MustCompile(`(?s)<svg class="chart (chart-[a-z]+)"[^>]*viewBox="0 0 (\d+) \d+".*?</svg>`)
	value := regexp.MustCompile(`<text class="(?:value|axis(?: count)?|label)" x="(\d+)"[^>]*?(?: text-anchor="(middle|end)")?[^>]*>([^<]*)</text>`)
	charts := svg.FindAllStringSubmatch(out, -1)
	require.Len(t, charts, 2)
	for _, c := range charts {
		width, _ := strconv.Atoi(c[2])
		texts := value.FindAllStringSubmatch(c[0], -1)
		require.NotEmpty(t, texts, c[1])
		for _, m := range texts {
			x, _ := strconv.Atoi(m[1])
			w := 7 * len([]rune(m[3])) // 12–13px text: at most 7 units a character for digits and Latin text
			left, right := x, x+w
			switch m[2] {
			case "middle":
				left, right = x-w/2, x+w/2
			case "end":
				left, right = x-w, x
			}
			assert.True(t, left >= 0 && right <= width, "%s: %q at x=%d (%d wide) leaves the chart of width %d", c[1], m[3], x, w, width)
		}
	}
}
