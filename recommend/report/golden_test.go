package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./recommend/report/ -update")
	assert.Equal(t, string(want), string(got), "output differs from %s; if the change is intended, run go test ./recommend/report/ -update", path)
}

// colorOptions are fixtureOptions with colour on.
func colorOptions() report.Options {
	o := fixtureOptions()
	o.Color = true
	return o
}

func TestGolden(t *testing.T) {
	both := []*recommend.Report{mixedReport(), compliantReport()}
	tests := []struct {
		golden string
		render report.Func
		opts   report.Options
		reps   []*recommend.Report
	}{
		{"text.golden", report.Text, fixtureOptions(), both},
		{"text-color.golden", report.Text, colorOptions(), both},
		{"text-plain.golden", report.Text, report.Options{}, []*recommend.Report{mixedReport()}},
		{"markdown.golden", report.Markdown, fixtureOptions(), both},
		{"json.golden", report.JSON, fixtureOptions(), both},
		{"html.golden", report.HTML, fixtureOptions(), both},
		{"html-single.golden", report.HTML, fixtureOptions(), []*recommend.Report{mixedReport()}},
		{"junit.golden", report.JUnit, fixtureOptions(), both},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, tt.render(&buf, tt.opts, tt.reps...))
			golden(t, tt.golden, buf.Bytes())

			// Identical input, byte-identical output.
			var again bytes.Buffer
			require.NoError(t, tt.render(&again, tt.opts, tt.reps...))
			assert.Equal(t, buf.Bytes(), again.Bytes())
		})
	}
}
