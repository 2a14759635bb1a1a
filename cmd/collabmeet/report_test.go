package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCommand runs the CLI with args and stdin, and returns the exit code,
// stdout and stderr.
func runCommand(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(&env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}, args)
	return code, out.String(), errOut.String()
}

// generatedLines returns n generated cases as NDJSON lines.
func generatedLines(t testing.TB, seed uint64, n int) []string {
	t.Helper()
	g := casegen.New(seed)
	lines := make([]string, n)
	for i := range lines {
		data, err := jsonv2.Marshal(g.Case())
		require.NoError(t, err)
		lines[i] = string(data)
	}
	return lines
}

// typicalLines returns n compliant generated cases (casegen's typical
// shape) as NDJSON lines.
func typicalLines(t testing.TB, seed uint64, n int) []string {
	t.Helper()
	g := casegen.New(seed)
	lines := make([]string, n)
	for i := range lines {
		data, err := jsonv2.Marshal(g.Typical())
		require.NoError(t, err)
		lines[i] = string(data)
	}
	return lines
}

// exitFor is report's exit code for an aggregate of valid cases at the
// default --fail-on (required), as check's: 1 when a case is not compliant.
func exitFor(a recommend.Aggregate) int {
	if a.Compliant < a.Cases {
		return exitGaps
	}
	return exitOK
}

// sequential is the aggregate of lines checked one by one with the default
// policy, without the pipeline.
func sequential(t *testing.T, lines []string) *recommend.Aggregate {
	t.Helper()
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	var a recommend.Aggregate
	for _, l := range lines {
		s := &stream{name: "x", engine: e, workers: 1, problems: io.Discard}
		part, err := s.run(strings.NewReader(l))
		require.NoError(t, err)
		a.Merge(part)
	}
	return &a
}

func decodeAggregate(t *testing.T, out string) recommend.Aggregate {
	t.Helper()
	var a recommend.Aggregate
	require.NoError(t, json.Unmarshal([]byte(out), &a), out)
	return a
}

func TestReportGoodBadAndBlankLines(t *testing.T) {
	good := generatedLines(t, 11, 40)
	var input []string
	input = append(input, good[:10]...)                                           // lines 1-10
	input = append(input, "")                                                     // 11: blank
	input = append(input, `{"meeting":{"id":"not-a-uuid"}}`)                      // 12: invalid case
	input = append(input, "   \t")                                                // 13: blank
	input = append(input, `{"meeting":`)                                          // 14: malformed
	input = append(input, good[10]+"\r")                                          // 15: CRLF
	input = append(input, good[11:]...)                                           // 16-44
	input = append(input, `{"meeting":{},"unknown":1}`, good[0][:len(good[0])/2]) // 45, 46
	data := strings.Join(input, "\n") + "\n"
	file := filepath.Join(t.TempDir(), "cases.ndjson")
	require.NoError(t, os.WriteFile(file, []byte(data), 0o644))

	for _, workers := range []string{"1", "3", "16"} {
		t.Run("workers="+workers, func(t *testing.T) {
			code, out, errOut := runCommand(t, "", "report", "--format", "json", "--workers", workers, file)
			a := decodeAggregate(t, out)
			assert.Equal(t, 40, a.Cases)
			assert.Equal(t, 4, a.Invalid)
			require.Less(t, a.Compliant, a.Cases, "some generated cases are not compliant")
			assert.Equal(t, exitBadInput, code, "bad lines: exit 2, whatever the gaps\n%s", errOut)
			seq := sequential(t, good)
			for range 4 {
				seq.AddInvalid()
			}
			want, err := json.Marshal(seq)
			require.NoError(t, err)
			got, err := json.Marshal(a)
			require.NoError(t, err)
			assert.JSONEq(t, string(want), string(got))

			// One line per problem, "FILE:LINE: path: message", in input
			// order, then the count of bad lines.
			problems, last, _ := strings.Cut(strings.TrimSpace(errOut), "\ncollabmeet report: ")
			assert.Equal(t, "4 of 44 lines were not valid cases", last)
			var lines []int
			for _, l := range strings.Split(problems, "\n") {
				m := regexp.MustCompile(`^` + regexp.QuoteMeta(file) + `:(\d+): (\S.*)$`).FindStringSubmatch(l)
				require.NotNil(t, m, "stderr line %q", l)
				n, _ := strconv.Atoi(m[1])
				lines = append(lines, n)
			}
			assert.IsNonDecreasing(t, lines)
			assert.Equal(t, []int{12, 14, 45, 46}, compact(lines))
			assert.Contains(t, errOut, file+":12: meeting.id: is not a UUID")
			assert.Contains(t, errOut, file+":45: unknown: unknown field")
		})
	}
}

func compact(xs []int) []int {
	var out []int
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func TestReportIsDeterministic(t *testing.T) {
	data := strings.Join(generatedLines(t, 5, 700), "\n")
	var outs []string
	for _, workers := range []string{"1", "2", "8"} {
		code, out, errOut := runCommand(t, data, "report", "--format", "json", "--workers", workers, "-")
		require.Equal(t, exitGaps, code, errOut)
		assert.Empty(t, errOut)
		outs = append(outs, out)
	}
	assert.Equal(t, outs[0], outs[1])
	assert.Equal(t, outs[0], outs[2])
	a := decodeAggregate(t, outs[0])
	assert.Equal(t, 700, a.Cases)
	assert.Equal(t, exitGaps, exitFor(a))
	assert.Greater(t, len(a.Months()), 6)
}

func TestReportExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		file := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(file, []byte(content), 0o644))
		return file
	}
	policy := write("policy.json", `{"disable":["XX-99"]}`)
	nullPolicy := write("null-policy.json", "null")
	rangePolicy := write("range-policy.json", `{"params":{"notice_days":106752}}`)
	requiredPolicy := write("required.json", `{"severity":{"PC-09":"required"}}`)
	compliant := oneLine(t, must(os.ReadFile(compliantCase)))
	gaps := oneLine(t, must(os.ReadFile(requiredGaps)))          // required gaps
	recommended := oneLine(t, must(os.ReadFile(recommendedGap))) // a recommended gap only
	okFile := write("ok.ndjson", compliant+"\n")
	gapsFile := write("gaps.ndjson", gaps+"\n")
	badFile := write("bad.ndjson", "nope\n")
	missing := filepath.Join(dir, "missing.ndjson")
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"empty input is an empty aggregate", "", []string{"--format", "json"}, exitOK, ""},
		{"blank lines only", "\n\n  \n", []string{"--format", "json"}, exitOK, ""},
		{"compliant", compliant + "\n", nil, exitOK, ""},
		{"compliant and bad lines", compliant + "\nnope\n", []string{"--format", "json"}, exitBadInput, "stdin:2: "},
		{"a required gap", compliant + "\n" + gaps + "\n", nil, exitGaps, ""},
		{"a required gap and bad lines", gaps + "\nnope\n", nil, exitBadInput, "collabmeet report: 1 of 2 lines were not valid cases\n"},
		{"a recommended gap, default fail-on", recommended, nil, exitOK, ""},
		{"a recommended gap, fail-on recommended", recommended, []string{"--fail-on", "recommended"}, exitGaps, ""},
		{"a recommended gap, fail-on after the input", recommended, []string{"-", "--fail-on=advisory"}, exitGaps, ""},
		{"a required gap, fail-on recommended", gaps, []string{"--fail-on", "recommended"}, exitGaps, ""},
		{"a policy makes the recommended gap required", recommended, []string{"--policy", requiredPolicy}, exitGaps, ""},
		{"the same policy, a compliant case", compliant, []string{"--policy", requiredPolicy}, exitOK, ""},
		{"every line bad", "nope\n{}\n", []string{"--format", "json"}, exitBadInput, "collabmeet report: no valid case among 2 lines\n"},
		{"every line of one input bad, a gap in another", "", []string{badFile, gapsFile}, exitBadInput, badFile + ":1: "},
		{"every line of every input bad", "", []string{badFile, badFile}, exitBadInput, "no valid case among 2 lines"},
		{"several inputs", "", []string{okFile, gapsFile}, exitGaps, ""},
		{"several inputs and stdin", compliant, []string{okFile, "-", okFile}, exitOK, ""},
		{"missing file", "", []string{missing}, exitBadInput, missing + ": no such file or directory\n"},
		{"missing file wins over gaps", "", []string{gapsFile, missing}, exitBadInput, missing + ": no such file or directory\n"},
		{"unknown format", "", []string{"--format", "pdf"}, exitBadInput, `collabmeet report: unknown format "pdf"`},
		{"junit is no aggregate format", "", []string{"--format", "junit"}, exitBadInput, `collabmeet report: unknown format "junit"`},
		{"unknown fail-on", "", []string{"--fail-on", "sometimes"}, exitBadInput, `collabmeet report: unknown --fail-on "sometimes"`},
		{"negative workers", compliant, []string{"--workers", "-3"}, exitBadInput, "collabmeet report: --workers -3 is outside 1 to 256\n"},
		{"no workers", compliant, []string{"--workers", "0"}, exitBadInput, "collabmeet report: --workers 0 is outside 1 to 256\n"},
		{"too many workers", compliant, []string{"--workers", "257"}, exitBadInput, "collabmeet report: --workers 257 is outside 1 to 256\n"},
		{"most workers", compliant, []string{"--workers", "256"}, exitOK, ""},
		{"one worker", gaps, []string{"--workers=1"}, exitGaps, ""},
		{"unknown lang", compliant, []string{"--lang", "de"}, exitBadInput, `collabmeet report: unknown --lang "de"`},
		{"unknown flag", "", []string{"--nope"}, exitBadInput, "collabmeet report: flag provided but not defined: -nope\n"},
		{"bad policy", compliant, []string{"--policy", policy}, exitBadInput, policy + ": "},
		{"null policy", compliant, []string{"--policy", nullPolicy}, exitBadInput, nullPolicy + ": "},
		{"parameter out of range", compliant, []string{"--policy", rangePolicy}, exitBadInput, rangePolicy + ": params.notice_days: "},
		{"missing policy", compliant, []string{"--policy", filepath.Join(dir, "nope.json")}, exitBadInput, "nope.json: no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCommand(t, tt.stdin, append([]string{"report"}, tt.args...)...)
			assert.Equal(t, tt.code, code, errOut)
			if tt.stderr == "" {
				assert.Empty(t, errOut)
			} else {
				assert.Contains(t, errOut, tt.stderr)
			}
			if tt.code != exitBadInput || strings.Contains(tt.name, "bad") && !strings.Contains(tt.name, "policy") {
				assert.NotEmpty(t, out, "the aggregate is written")
			} else {
				assert.Empty(t, out, "nothing is aggregated on a usage error or an unusable input")
			}
		})
	}
}

// TestPolicyErrorsNameThePath: a null policy and a parameter out of range
// are refused by check and report with exit 2, naming the policy file.
func TestPolicyErrorsNameThePath(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"null", "null", ": policy is null"},
		{"notice_days out of range", `{"params":{"notice_days":106752}}`, ": params.notice_days: out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			policy := writeFile(t, "policy.json", tc.doc)
			for _, args := range [][]string{
				{"check", "--policy", policy, compliantCase},
				{"report", "--policy", policy},
				{"fix", "--policy", policy, compliantCase},
			} {
				code, stdout, stderr := runCommand(t, oneLine(t, must(os.ReadFile(compliantCase))), args...)
				assert.Equal(t, exitBadInput, code, "%v", args)
				assert.Empty(t, stdout, "%v", args)
				assert.True(t, strings.HasPrefix(stderr, policy+tc.want), "%v: %s", args, stderr)
				assert.Equal(t, 1, strings.Count(stderr, "\n"), "one problem, one line: %s", stderr)
			}
		})
	}
}

func TestReportPolicyApplies(t *testing.T) {
	policy := filepath.Join(t.TempDir(), "policy.json")
	require.NoError(t, os.WriteFile(policy, []byte(`{"disable":["MC-08"]}`), 0o644))
	code, out, errOut := runCommand(t, strings.Join(generatedLines(t, 2, 5), "\n"), "report", "--format", "json", "--policy", policy)
	a := decodeAggregate(t, out)
	require.Less(t, a.Compliant, a.Cases, "some generated cases are not compliant")
	require.Equal(t, exitGaps, code, errOut)
	require.NotEmpty(t, a.Recommendations)
	for _, r := range a.Recommendations {
		assert.NotEqual(t, "MC-08", r.ID)
	}

	// A policy that waives what fails lets the same stream pass.
	seq := sequential(t, generatedLines(t, 2, 5))
	var waivers []string
	for _, r := range seq.Recommendations {
		if r.Severity == recommend.SeverityRequired && r.Gaps+r.Errors > 0 {
			waivers = append(waivers, fmt.Sprintf(`{"id":%q,"meeting_id":"*","reason":"test","expires":"2100-01-01T00:00:00Z"}`, r.ID))
		}
	}
	require.NotEmpty(t, waivers)
	waiving := filepath.Join(t.TempDir(), "waiving.json")
	require.NoError(t, os.WriteFile(waiving, []byte(`{"waivers":[`+strings.Join(waivers, ",")+`]}`), 0o644))
	code, out, errOut = runCommand(t, strings.Join(generatedLines(t, 2, 5), "\n"), "report", "--format", "json", "--policy", waiving)
	assert.Equal(t, exitOK, code, errOut)
	a = decodeAggregate(t, out)
	assert.Equal(t, a.Cases, a.Compliant)
}

func TestReportCSV(t *testing.T) {
	code, out, errOut := runCommand(t, strings.Join(generatedLines(t, 3, 50), "\n")+"\nbad\n", "report", "--format", "csv")
	require.Equal(t, exitBadInput, code, errOut)
	assert.Equal(t, "stdin:51: malformed JSON at byte 0: invalid character 'b' at start of value\n"+
		"collabmeet report: 1 of 51 lines were not valid cases\n", errOut)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(rows), 2)
	header := rows[0]
	assert.Equal(t, []string{"kind", "key", "theme", "severity", "cases", "compliant", "invalid", "applicable", "passed", "gaps", "waived", "errors", "not_applicable", "rate"}, header)
	assert.Equal(t, "summary", rows[1][0])
	assert.Equal(t, "50", rows[1][4])
	assert.Equal(t, "1", rows[1][6])
	kinds := map[string]int{}
	for _, r := range rows[1:] {
		kinds[r[0]]++
		assert.Len(t, r, len(header))
	}
	assert.Equal(t, 5, kinds["theme"])
	assert.Equal(t, 3, kinds["severity"])
	assert.Positive(t, kinds["month"])
	assert.Equal(t, "PC-01", rows[2][1])
}

func TestReportEveryFormat(t *testing.T) {
	lines := generatedLines(t, 4, 3)
	input := strings.Join(lines, "\n")
	compliant := strings.Join(typicalLines(t, 4, 3), "\n")
	require.Less(t, sequential(t, lines).Compliant, 3)
	require.Equal(t, 3, sequential(t, typicalLines(t, 4, 3)).Compliant)
	for _, format := range aggregateFormats() {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := runCommand(t, input, "report", "--format", format)
			require.Equal(t, exitGaps, code, errOut)
			assert.Empty(t, errOut)
			assert.NotEmpty(t, out)
			if format == "json" {
				assert.Equal(t, 3, decodeAggregate(t, out).Cases)
			}
			// The exit code does not depend on the format.
			code, out, errOut = runCommand(t, compliant, "report", "--format", format)
			require.Equal(t, exitOK, code, errOut)
			assert.Empty(t, errOut)
			assert.NotEmpty(t, out)
		})
	}
	assert.Equal(t, []string{"text", "json", "markdown", "html", "csv"}, aggregateFormats())
	code, _, errOut := runCommand(t, input, "report", "--format", "pdf")
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, `unknown format "pdf"`)
}

func TestReportLineTooLong(t *testing.T) {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	good := generatedLines(t, 9, 3)
	limit := max(len(good[0]), len(good[1]), len(good[2])) + 10
	long := `{"meeting":{"id":"` + strings.Repeat("x", limit) + `"}}`
	var problems bytes.Buffer
	s := &stream{name: "big.ndjson", engine: e, workers: 2, problems: &problems, maxBytes: limit}
	a, err := s.run(strings.NewReader(good[0] + "\n" + long + "\n" + good[1] + "\n" + good[2]))
	require.NoError(t, err)
	assert.Equal(t, 3, a.Cases)
	assert.Equal(t, 1, a.Invalid)
	assert.Equal(t, fmt.Sprintf("big.ndjson:2: line is longer than the limit of %d bytes\n", s.maxBytes), problems.String())
}

func TestReportReadError(t *testing.T) {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	s := &stream{name: "x", engine: e, workers: 2, problems: io.Discard}
	_, err = s.run(io.MultiReader(strings.NewReader(generatedLines(t, 1, 1)[0]+"\n"), failingReader{}))
	assert.ErrorContains(t, err, "reading line 2: disk on fire")
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, fmt.Errorf("disk on fire") }

func TestProgressBar(t *testing.T) {
	assert.Equal(t, "[>         ]   0%  0.0 MB of 1.0 MB", progressBar(0, 1e6, 10))
	assert.Equal(t, "[=====>    ]  50%  0.5 MB of 1.0 MB", progressBar(5e5, 1e6, 10))
	assert.Equal(t, "[==========] 100%  1.0 MB of 1.0 MB", progressBar(2e6, 1e6, 10))
}

func TestGenerate(t *testing.T) {
	code, out, errOut := runCommand(t, "", "generate", "-n", "25", "--seed", "7")
	require.Equal(t, exitOK, code, errOut)
	_, again, _ := runCommand(t, "", "generate", "-n", "25", "--seed", "7")
	assert.Equal(t, out, again, "deterministic by seed")
	_, other, _ := runCommand(t, "", "generate", "-n", "25", "--seed", "8")
	assert.NotEqual(t, out, other)
	assert.Equal(t, 25, strings.Count(out, "\n"))

	code, rep, errOut := runCommand(t, out, "report", "--format", "json")
	a := decodeAggregate(t, rep)
	assert.Equal(t, 25, a.Cases)
	assert.Zero(t, a.Invalid)
	require.Less(t, a.Compliant, a.Cases, "generate writes non-compliant cases too")
	assert.Equal(t, exitGaps, code, errOut)

	// --typical: only compliant cases, so report exits 0.
	code, out, errOut = runCommand(t, "", "generate", "-n", "25", "--seed", "7", "--typical")
	require.Equal(t, exitOK, code, errOut)
	code, rep, errOut = runCommand(t, out, "report", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	a = decodeAggregate(t, rep)
	assert.Equal(t, 25, a.Cases)
	assert.Equal(t, 25, a.Compliant)

	code, _, errOut = runCommand(t, "", "generate", "-n", "-1")
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, "usage: collabmeet generate")
	code, _, _ = runCommand(t, "", "generate", "extra")
	assert.Equal(t, exitBadInput, code)
}

// repeatReader yields its lines again and again, n lines in all.
type repeatReader struct {
	lines [][]byte
	left  int
	cur   []byte
	i     int
	read  *atomic.Int64 // lines handed out
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.cur) == 0 {
			if r.left == 0 {
				if n == 0 {
					return 0, io.EOF
				}
				return n, nil
			}
			r.cur = r.lines[r.i%len(r.lines)]
			r.i++
			r.left--
			r.read.Add(1)
		}
		c := copy(p[n:], r.cur)
		r.cur = r.cur[c:]
		n += c
	}
	return n, nil
}

// streamAllocs pushes n cases through the report pipeline (4 workers) and
// returns the allocations and the bytes allocated per case. The counts come
// from testing.AllocsPerRun, which runs the pipeline twice (a warm-up, then
// the measured run) with GOMAXPROCS set to 1.
func streamAllocs(t *testing.T, e *recommend.Engine, lines [][]byte, n int) (allocsPerCase, bytesPerCase float64) {
	t.Helper()
	var (
		cases []int
		errs  []error
	)
	pipeline := func() {
		s := &stream{name: "gen", engine: e, workers: 4, problems: io.Discard}
		var handed atomic.Int64
		a, err := s.run(&repeatReader{lines: lines, left: n, read: &handed})
		errs = append(errs, err)
		if a != nil {
			cases = append(cases, a.Cases)
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	allocs := testing.AllocsPerRun(1, pipeline)
	runtime.ReadMemStats(&after)
	require.Equal(t, []error{nil, nil}, errs)
	require.Equal(t, []int{n, n}, cases)
	return allocs / float64(n), float64(after.TotalAlloc-before.TotalAlloc) / float64(2*n)
}

// TestReportAllocationIsFlat streams N and then 10·N cases through the
// pipeline: the allocations and the bytes allocated per case must not grow
// with the number of cases. It counts allocations, which do not depend on
// when the garbage collector runs (the peak heap it once compared
// before flaked); the heap is measured by BenchmarkReportMemory, and the
// bytes held at once are bounded by TestReportBytesInFlightAreBounded.
func TestReportAllocationIsFlat(t *testing.T) {
	n := 1_000
	switch {
	case raceEnabled:
		n = 200
	case testing.Short():
		n = 500
	}
	var lines [][]byte
	for _, l := range generatedLines(t, 77, 500) {
		lines = append(lines, []byte(l+"\n"))
	}
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	allocsSmall, bytesSmall := streamAllocs(t, e, lines, n)
	allocsLarge, bytesLarge := streamAllocs(t, e, lines, 10*n)
	t.Logf("%6d cases: %.1f allocations, %.0f B per case", n, allocsSmall, bytesSmall)
	t.Logf("%6d cases: %.1f allocations, %.0f B per case", 10*n, allocsLarge, bytesLarge)
	require.Positive(t, allocsSmall)
	// The larger stream spreads the fixed cost (channels, batch buffers)
	// over more cases, so it may only be cheaper per case: the margins allow
	// for batch buffers allocated when the free list ran dry.
	assert.LessOrEqual(t, allocsLarge, allocsSmall*1.05, "allocations per case grow with the number of cases")
	assert.LessOrEqual(t, bytesLarge, bytesSmall*1.25, "bytes allocated per case grow with the number of cases")
}

// paddedLine returns the JSON line l padded with spaces (after the
// document, which JSON allows) to exactly size bytes, without a line ending.
func paddedLine(t testing.TB, l string, size int) string {
	t.Helper()
	require.LessOrEqual(t, len(l), size)
	return l + strings.Repeat(" ", size-len(l))
}

// TestReportLineAtTheLimit: a line of exactly the size limit
// is a case whether it ends in LF, CRLF or the end of the input; a byte more
// is too long, whatever the line ending.
func TestReportLineAtTheLimit(t *testing.T) {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	good := generatedLines(t, 9, 1)[0]
	limit := len(good) + 100
	atLimit, overLimit := paddedLine(t, good, limit), paddedLine(t, good, limit+1)
	for _, tc := range []struct {
		name, input    string
		cases, invalid int
		problems       string
	}{
		{"LF", atLimit + "\n", 1, 0, ""},
		{"CRLF", atLimit + "\r\n", 1, 0, ""},
		{"end of input", atLimit, 1, 0, ""},
		{"CRLF, then LF", atLimit + "\r\n" + atLimit + "\n" + atLimit + "\r\n", 3, 0, ""},
		{"a byte over, LF", overLimit + "\n" + atLimit + "\n", 1, 1, "x:1: line is longer than the limit"},
		{"a byte over, CRLF", atLimit + "\r\n" + overLimit + "\r\n", 1, 1, "x:2: line is longer than the limit"},
		{"a byte over, end of input", atLimit + "\r\n" + overLimit, 1, 1, "x:2: line is longer than the limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var problems bytes.Buffer
			s := &stream{name: "x", engine: e, workers: 2, problems: &problems, maxBytes: limit}
			a, err := s.run(strings.NewReader(tc.input))
			require.NoError(t, err)
			assert.Equal(t, tc.cases, a.Cases)
			assert.Equal(t, tc.invalid, a.Invalid)
			if tc.problems == "" {
				assert.Empty(t, problems.String())
			} else {
				assert.Equal(t, fmt.Sprintf("%s of %d bytes\n", tc.problems, limit), problems.String())
			}
			// A line at the limit gives the aggregate of the case itself.
			want := sequential(t, slices.Repeat([]string{good}, tc.cases))
			for range tc.invalid {
				want.AddInvalid()
			}
			assert.Equal(t, want, a)
		})
	}
}

// blockingWriter blocks the first Write until release returns true (or a
// minute has passed, which fails the test), so that the collector of a
// stream stops and the batches pile up.
type blockingWriter struct {
	t       *testing.T
	release func() bool
	once    sync.Once
	buf     bytes.Buffer
}

func (w *blockingWriter) Write(p []byte) (int, error) {
	w.once.Do(func() {
		deadline := time.Now().Add(time.Minute)
		for !w.release() {
			if time.Now().After(deadline) {
				w.t.Errorf("the reader never filled the budget")
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
	return w.buf.Write(p)
}

// TestReportBytesInFlightAreBounded: with 16 workers and
// lines of 4 MiB, the bytes of input held in batches never exceed
// inFlightBytes. The collector is held at the first batch's problem, so that
// every batch read after it stays in flight until the reader cannot take
// one more: without the budget, the channels and workers would hold
// 2·16 + 16 + 2·16 batches, over 300 MiB.
func TestReportBytesInFlightAreBounded(t *testing.T) {
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(t, err)
	const size = casedoc.DefaultMaxBytes // the longest line report accepts
	n := 24
	if raceEnabled {
		n = 14
	}
	line := []byte(paddedLine(t, generatedLines(t, 5, 1)[0], size) + "\n")
	lines := [][]byte{[]byte("nope\n")} // a problem, for the collector to stop at
	for range n {
		lines = append(lines, line)
	}
	require.Greater(t, n*size, inFlightBytes, "more input than the budget")

	s := &stream{name: "big", engine: e, workers: 16}
	var blocked int64 // the bytes in flight and the batch waiting, when the reader had to wait
	var handed atomic.Int64
	w := &blockingWriter{t: t, release: func() bool {
		// Called by the collector, which run starts after it makes the budget.
		s.budget.mu.Lock()
		defer s.budget.mu.Unlock()
		if s.budget.waiting > 0 { // the reader waits for room
			blocked = s.budget.used + s.budget.waiting
			return true
		}
		// Without a budget, the reader reads to the end instead of waiting.
		return handed.Load() == int64(len(lines))
	}}
	s.problems = w
	a, err := s.run(&repeatReader{lines: lines, left: len(lines), read: &handed})
	require.NoError(t, err)
	assert.Equal(t, n, a.Cases)
	assert.Equal(t, 1, a.Invalid)
	assert.Equal(t, "big:1: malformed JSON at byte 1: invalid character 'o' in literal null (expecting 'u')\n", w.buf.String())
	t.Logf("peak in flight: %.1f MiB of %d MiB", float64(s.budget.peak)/(1<<20), inFlightBytes>>20)
	assert.LessOrEqual(t, s.budget.peak, int64(inFlightBytes), "bytes in flight exceed the budget")
	assert.Greater(t, blocked, int64(inFlightBytes), "the reader waited only when one more batch would exceed the budget")
	assert.Greater(t, s.budget.peak, int64(inFlightBytes/2), "the budget was filled")
	assert.Zero(t, s.budget.used, "every batch is released")
	assert.Zero(t, s.budget.waiting)
}

// TestByteBudget: acquire waits while the bytes would exceed the budget,
// except that a request passes alone when nothing is in flight.
func TestByteBudget(t *testing.T) {
	b := newByteBudget(10)
	b.acquire(6)
	got := make(chan struct{})
	go func() {
		b.acquire(6) // waits: 12 > 10
		close(got)
	}()
	for { // until the second acquire waits
		b.mu.Lock()
		waiting := b.waiting
		b.mu.Unlock()
		if waiting == 6 {
			break
		}
		select {
		case <-got:
			t.Fatal("acquire passed over the budget")
		default:
			runtime.Gosched()
		}
	}
	assert.Equal(t, int64(6), b.peak)
	b.release(6)
	<-got
	b.release(6)
	b.acquire(25) // over the budget, but alone
	b.release(25)
	assert.Equal(t, int64(25), b.peak)
	assert.Zero(t, b.used)
}

// BenchmarkReportMemory streams 10,000 and 100,000 cases and reports the
// peak heap in use while they ran and the bytes allocated per case. The
// heap depends on when the garbage collector runs, so it is measured here,
// never compared in a test.
func BenchmarkReportMemory(b *testing.B) {
	var lines [][]byte
	for _, l := range generatedLines(b, 77, 500) {
		lines = append(lines, []byte(l+"\n"))
	}
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(b, err)
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var peak atomic.Uint64
			for b.Loop() {
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() {
					tick := time.NewTicker(10 * time.Millisecond)
					defer tick.Stop()
					var ms runtime.MemStats
					for {
						select {
						case <-stop:
							return
						case <-tick.C:
							runtime.ReadMemStats(&ms)
							if ms.HeapInuse > peak.Load() {
								peak.Store(ms.HeapInuse)
							}
						}
					}
				})
				s := &stream{name: "gen", engine: e, workers: runtime.GOMAXPROCS(0), problems: io.Discard}
				var handed atomic.Int64
				a, err := s.run(&repeatReader{lines: lines, left: n, read: &handed})
				close(stop)
				wg.Wait()
				if err != nil || a.Cases != n {
					b.Fatalf("%d cases, %v", a.Cases, err)
				}
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		})
	}
}

func BenchmarkReportStream(b *testing.B) {
	var lines [][]byte
	size := 0
	for _, l := range generatedLines(b, 77, 500) {
		lines = append(lines, []byte(l+"\n"))
		size += len(l) + 1
	}
	e, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	require.NoError(b, err)
	b.SetBytes(int64(size / len(lines) * 1000))
	b.ReportAllocs()
	for b.Loop() {
		s := &stream{name: "gen", engine: e, workers: runtime.GOMAXPROCS(0), problems: io.Discard}
		var handed atomic.Int64
		if _, err := s.run(&repeatReader{lines: lines, left: 1000, read: &handed}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/case")
}
