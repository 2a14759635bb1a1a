package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileReport carries, where a report has text (IDs, paths, messages,
// remedies, reasons, errors), strings that would break a format if written
// unescaped: markup and script, table pipes, CDATA ends, terminal escapes,
// line breaks, quotes that end attributes.
func hostileReport() *recommend.Report {
	rep := mixedReport()
	rep.CatalogueVersion = "2026.1<i>"
	rep.Results[1].ID = `PC-04" onmouseover="alert(1)`
	rep.Results[1].Findings[0].Message = "<script>alert('msg')</script> | pipe | \x1b[2J\nFAKE: injected line"
	rep.Results[1].Findings[0].Remedy = "]]><evil/> & `tick` *bold* [link](javascript:alert(1))"
	rep.Results[1].Findings[1].Path = "meeting.participants[5]|x`y"
	rep.Results[2].Findings[0].Message = "a | b || c \\| d"
	rep.Results[11].WaiverReason = "</td></tr><img src=x onerror=alert(1)>|"
	rep.Results[16].Error = "panic: <b>boom</b>\r\n]]>\x00 done"
	rep.Results[2].Title = "<script>alert('title')</script>|T"
	rep.Results[1].Findings[0].Subject = "<i>subject</i> | \u202eevil\u202c"
	rep.Source = "<evil>.json"
	return rep
}

// hostileOptions are the options of the hostile tests.
func hostileOptions() report.Options { return fixtureOptions() }

func render(t *testing.T, f report.Func, opts report.Options, reps ...*recommend.Report) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, f(&buf, opts, reps...))
	return buf.String()
}

func TestHTMLEscapesReportText(t *testing.T) {
	out := render(t, report.HTML, hostileOptions(), hostileReport())
	for _, raw := range []string{"<script", "<evil", "<img", "<b>boom", "<i>", `" onmouseover="`, `href="javascript`} {
		assert.NotContains(t, strings.ToLower(out), strings.ToLower(raw))
	}
	assert.Contains(t, out, "&lt;script&gt;alert(&#39;msg&#39;)&lt;/script&gt;")
	assert.Contains(t, out, "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;")
	assert.Contains(t, out, "&lt;/td&gt;&lt;/tr&gt;&lt;img src=x onerror=alert(1)&gt;")
	assert.NotContains(t, out, "\x1b", "no terminal escape in HTML")
}

// unescapedAngle matches an angle bracket that is not backslash-escaped.
var unescapedAngle = regexp.MustCompile(`(^|[^\\])((\\\\)*)[<>]`)

// cellCount counts the pipes of a Markdown table row that are not
// backslash-escaped: the cell borders.
func cellCount(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		if line[i] == '\\' {
			i++ // skip the escaped character
			continue
		}
		if line[i] == '|' {
			n++
		}
	}
	return n
}

func TestMarkdownEscapesReportText(t *testing.T) {
	out := render(t, report.Markdown, hostileOptions(), hostileReport())

	// Every table row has as many cell borders as its header.
	var header int
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			header = 0
			continue
		}
		if header == 0 {
			header = cellCount(line)
			continue
		}
		assert.Equal(t, header, cellCount(line), "row breaks its table: %s", line)
	}
	assert.Contains(t, out, `a \| b \|\| c \\\| d`)
	assert.Empty(t, unescapedAngle.FindAllString(out, -1), "every < and > from the report is escaped")
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\nFAKE", "a line break in a message does not start a line")
	assert.Contains(t, out, `\<script\>alert('msg')\</script\>`)
	assert.Contains(t, out, "`meeting.participants[5]\\|x'y`", "a path is code, with its pipe escaped and its backtick replaced")
}

func TestTextNeutralisesControlCharacters(t *testing.T) {
	for _, color := range []bool{false, true} {
		opts := hostileOptions()
		opts.Color = color
		out := render(t, report.Text, opts, hostileReport())
		assert.NotContains(t, out, "\x1b[2J", "a message cannot drive the terminal")
		assert.NotContains(t, out, "\x00")
		assert.NotContains(t, out, "\r")
		assert.NotContains(t, out, "\nFAKE", "a line break in a message does not start a line")
		assert.Equal(t, color, strings.Contains(out, "\x1b["), "ANSI codes only with Color")
	}
}

func TestJUnitEscapesReportText(t *testing.T) {
	out := render(t, report.JUnit, hostileOptions(), hostileReport())
	var doc parsedSuites
	require.NoError(t, xml.Unmarshal([]byte(out), &doc), "hostile text still gives well-formed XML")
	assert.NotContains(t, out, "\x00")

	// Only the elements of the JUnit format: markup in the report stays text.
	known := map[string]bool{"testsuites": true, "testsuite": true, "properties": true, "property": true,
		"testcase": true, "failure": true, "error": true, "skipped": true, "system-out": true}
	dec := xml.NewDecoder(strings.NewReader(out))
	for {
		tok, err := dec.Token()
		if err != nil {
			require.ErrorIs(t, err, io.EOF)
			break
		}
		if el, ok := tok.(xml.StartElement); ok {
			assert.True(t, known[el.Name.Local], "unexpected element <%s>", el.Name.Local)
		}
	}
	var found bool
	for _, c := range doc.Suites[0].Cases {
		if c.Failure != nil && strings.Contains(c.Failure.Text, "]]><evil/>") {
			found = true
		}
	}
	assert.True(t, found, "the CDATA end in a remedy survives as text")
}

func TestJSONRoundTripsHostileText(t *testing.T) {
	out := render(t, report.JSON, fixtureOptions(), hostileReport())
	var back recommend.Report
	require.NoError(t, json.Unmarshal([]byte(out), &back))
	want := hostileReport()
	for i := range want.Results {
		assert.Equal(t, want.Results[i].ID, back.Results[i].ID)
		assert.Equal(t, want.Results[i].WaiverReason, back.Results[i].WaiverReason)
		for j, f := range want.Results[i].Findings {
			assert.Equal(t, f.Message, back.Results[i].Findings[j].Message)
			assert.Equal(t, f.Subject, back.Results[i].Findings[j].Subject)
		}
	}
	again := render(t, report.JSON, fixtureOptions(), &back)
	assert.Equal(t, out, again, "decoding and encoding again gives the same bytes")
}
