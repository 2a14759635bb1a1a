package report_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failingWriter fails every write after the first n bytes.
type failingWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) <= w.n {
		w.n -= len(p)
		return len(p), nil
	}
	k := w.n
	w.n = 0
	return k, errDiskFull
}

// reportFormats are the formats that render reports.
func reportFormats() []report.Format {
	var out []report.Format
	for _, f := range report.Formats() {
		if f.Report != nil {
			out = append(out, f)
		}
	}
	return out
}

func TestRegistry(t *testing.T) {
	var names []string
	for _, f := range report.Formats() {
		names = append(names, f.Name)
		assert.NotEmpty(t, f.Doc, f.Name)
		assert.True(t, f.Report != nil || f.Aggregate != nil, "%s renders something", f.Name)
		g, ok := report.Lookup(f.Name)
		require.True(t, ok)
		assert.Equal(t, f.Name, g.Name)
	}
	assert.Equal(t, []string{"text", "json", "markdown", "html", "junit", "fhir", "csv"}, names)
	_, ok := report.Lookup("pdf")
	assert.False(t, ok)

	// The registry cannot be changed from outside.
	fs := report.Formats()
	fs[0].Name, fs[0].Report = "changed", nil
	f, ok := report.Lookup("text")
	require.True(t, ok)
	assert.NotNil(t, f.Report)
	assert.Equal(t, "text", report.Formats()[0].Name)
}

func TestFormats(t *testing.T) {
	for _, format := range reportFormats() {
		t.Run(format.Name, func(t *testing.T) {
			f := format.Report
			assert.NotEmpty(t, render(t, f, fixtureOptions(), mixedReport()))

			err := f(&strings.Builder{}, report.Options{}, mixedReport(), nil)
			assert.ErrorIs(t, err, report.ErrNilReport, "a nil report is an error")

			for _, n := range []int{0, 10, 200} {
				err := f(&failingWriter{n: n}, fixtureOptions(), mixedReport(), compliantReport())
				assert.ErrorIs(t, err, errDiskFull, "a write error is returned (after %d bytes)", n)
			}
		})
	}
}

func TestColorEnabled(t *testing.T) {
	regular, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	require.NoError(t, err)
	defer regular.Close()
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	defer pr.Close()
	defer pw.Close()
	// /dev/null is a character device, as a terminal is: the closest thing
	// to a terminal that a test without one can open.
	charDevice, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer charDevice.Close()

	tests := []struct {
		name    string
		f       *os.File
		noColor string
		term    string
		want    bool
	}{
		{"character device", charDevice, "", "xterm-256color", true},
		{"character device, no TERM", charDevice, "", "", true},
		{"character device with NO_COLOR", charDevice, "1", "xterm", false},
		{"character device, TERM=dumb", charDevice, "", "dumb", false},
		{"regular file", regular, "", "xterm", false},
		{"pipe", pw, "", "xterm", false},
		{"nil", nil, "", "xterm", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", tt.noColor)
			t.Setenv("TERM", tt.term)
			assert.Equal(t, tt.want, report.ColorEnabled(tt.f))
		})
	}
}

func TestZeroOptionsLinkToTheCatalogue(t *testing.T) {
	out := render(t, report.Markdown, report.Options{}, mixedReport())
	assert.Contains(t, out, "[PC-05]("+catalogue.DocURL+"#pc-05)")
	assert.Contains(t, out, "[CLINIC-01]("+catalogue.DocURL+"#clinic-01)", "without DocURL every ID links to the catalogue")

	out = render(t, report.HTML, fixtureOptions(), mixedReport())
	assert.Contains(t, out, `href="`+catalogue.DocURL+`#pc-05"`)
	assert.Contains(t, out, `<span class="id">CLINIC-01</span>`, "DocURL returning \"\" gives no link")
}

func TestRenderersAddNothingButTheReport(t *testing.T) {
	// A report is all a renderer sees; the only text it writes beyond the
	// report's own is its messages. So an
	// unknown word in a report's text appears exactly where the report has
	// it, in every format, and a renderer given a report without it never
	// writes it.
	const marker = "ZQXJ-MARKER"
	rep := mixedReport()
	for _, f := range reportFormats() {
		out := render(t, f.Report, fixtureOptions(), rep)
		assert.NotContains(t, out, marker, f.Name)
	}
	rep.Results[2].Findings[0].Message = "missing " + marker
	for _, f := range reportFormats() {
		out := render(t, f.Report, fixtureOptions(), rep)
		assert.Contains(t, out, marker, "%s shows the engine's message", f.Name)
	}
}

func TestNoReports(t *testing.T) {
	for _, f := range reportFormats() {
		t.Run(f.Name, func(t *testing.T) {
			var reps []*recommend.Report
			assert.NotPanics(t, func() { render(t, f.Report, report.Options{}, reps...) })
		})
	}
}
