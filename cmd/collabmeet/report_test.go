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
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
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

// sequential is the aggregate of lines checked one by one with the default
// policy, without the pipeline.
func sequential(t *testing.T, lines []string) *recommend.Aggregate {
	t.Helper()
	e, err := recommend.New(recommend.Policy{})
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
			assert.Equal(t, exitOK, code, errOut)
			a := decodeAggregate(t, out)
			assert.Equal(t, 40, a.Cases)
			assert.Equal(t, 4, a.Invalid)
			seq := sequential(t, good)
			for range 4 {
				seq.AddInvalid()
			}
			want, err := json.Marshal(seq)
			require.NoError(t, err)
			got, err := json.Marshal(a)
			require.NoError(t, err)
			assert.JSONEq(t, string(want), string(got))

			// One line per problem, "FILE:LINE: path: message", in input order.
			var lines []int
			for _, l := range strings.Split(strings.TrimSpace(errOut), "\n") {
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
		require.Equal(t, exitOK, code, errOut)
		outs = append(outs, out)
	}
	assert.Equal(t, outs[0], outs[1])
	assert.Equal(t, outs[0], outs[2])
	a := decodeAggregate(t, outs[0])
	assert.Equal(t, 700, a.Cases)
	assert.Greater(t, len(a.Months), 6)
}

func TestReportExitCodes(t *testing.T) {
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.json")
	require.NoError(t, os.WriteFile(policy, []byte(`{"disable":["XX-99"]}`), 0o644))
	good := generatedLines(t, 1, 2)
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"empty input is an empty aggregate", "", []string{"--format", "json"}, exitOK, ""},
		{"blank lines only", "\n\n  \n", []string{"--format", "json"}, exitOK, ""},
		{"some bad lines", good[0] + "\nnope\n", []string{"--format", "json"}, exitOK, "stdin:2: "},
		{"every line bad", "nope\n{}\n", []string{"--format", "json"}, exitBadInput, "no valid case among 2 lines"},
		{"missing file", "", []string{filepath.Join(dir, "missing.ndjson")}, exitBadInput, "missing.ndjson: no such file"},
		{"unknown format", "", []string{"--format", "pdf"}, exitBadInput, `unknown format "pdf"`},
		{"two inputs", "", []string{"a", "b"}, exitBadInput, "one input at most"},
		{"unknown flag", "", []string{"--nope"}, exitBadInput, "flag provided but not defined"},
		{"bad policy", good[0], []string{"--policy", policy}, exitBadInput, policy + ": "},
		{"missing policy", good[0], []string{"--policy", filepath.Join(dir, "nope.json")}, exitBadInput, "nope.json: no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCommand(t, tt.stdin, append([]string{"report"}, tt.args...)...)
			assert.Equal(t, tt.code, code, errOut)
			if tt.stderr == "" {
				assert.Empty(t, errOut)
			} else {
				assert.Contains(t, errOut, tt.stderr)
			}
		})
	}
}

func TestReportPolicyApplies(t *testing.T) {
	policy := filepath.Join(t.TempDir(), "policy.json")
	require.NoError(t, os.WriteFile(policy, []byte(`{"disable":["MC-08"]}`), 0o644))
	code, out, errOut := runCommand(t, strings.Join(generatedLines(t, 2, 5), "\n"), "report", "--format", "json", "--policy", policy)
	require.Equal(t, exitOK, code, errOut)
	a := decodeAggregate(t, out)
	for _, r := range a.Recommendations {
		assert.NotEqual(t, "MC-08", r.ID)
	}
}

func TestReportCSV(t *testing.T) {
	code, out, errOut := runCommand(t, strings.Join(generatedLines(t, 3, 50), "\n")+"\nbad\n", "report", "--format", "csv")
	require.Equal(t, exitOK, code, errOut)
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
	for _, format := range []string{"text", "json", "markdown", "html", "csv"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := runCommand(t, input, "report", "--format", format)
			require.Equal(t, exitOK, code, errOut)
			assert.Empty(t, errOut)
			assert.NotEmpty(t, out)
			if format == "json" {
				assert.Equal(t, 3, decodeAggregate(t, out).Cases)
			}
		})
	}
	code, _, errOut := runCommand(t, input, "report", "--format", "pdf")
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, `unknown format "pdf"`)
}

func TestReportLineTooLong(t *testing.T) {
	e, err := recommend.New(recommend.Policy{})
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
	e, err := recommend.New(recommend.Policy{})
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
	require.Equal(t, exitOK, code, errOut)
	a := decodeAggregate(t, rep)
	assert.Equal(t, 25, a.Cases)
	assert.Zero(t, a.Invalid)

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

// streamMemory pushes n cases through the report pipeline and returns the
// bytes allocated per case and the peak heap in use while it ran.
func streamMemory(t testing.TB, lines [][]byte, n int) (allocPerCase float64, peakHeap uint64) {
	e, err := recommend.New(recommend.Policy{})
	require.NoError(t, err)
	s := &stream{name: "gen", engine: e, workers: runtime.GOMAXPROCS(0), problems: io.Discard}
	var handed atomic.Int64
	r := &repeatReader{lines: lines, left: n, read: &handed}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(50 * time.Millisecond)
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
	a, err := s.run(r)
	close(stop)
	wg.Wait()
	require.NoError(t, err)
	require.Equal(t, n, a.Cases)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if after.HeapInuse > peak.Load() {
		peak.Store(after.HeapInuse)
	}
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(n), peak.Load()
}

// TestReportMemoryIsFlat streams 10,000 and then 100,000 cases through the
// pipeline: the peak heap and the bytes allocated per case must not grow
// with the number of cases (ratios, never absolute times or sizes).
func TestReportMemoryIsFlat(t *testing.T) {
	small, large := 10_000, 100_000
	switch {
	case raceEnabled:
		small, large = 1_000, 10_000
	case testing.Short():
		small, large = 2_000, 20_000
	}
	var lines [][]byte
	for _, l := range generatedLines(t, 77, 500) {
		lines = append(lines, []byte(l+"\n"))
	}
	allocSmall, peakSmall := streamMemory(t, lines, small)
	allocLarge, peakLarge := streamMemory(t, lines, large)
	t.Logf("%d cases: %.0f B allocated per case, peak heap in use %.1f MiB", small, allocSmall, float64(peakSmall)/(1<<20))
	t.Logf("%d cases: %.0f B allocated per case, peak heap in use %.1f MiB", large, allocLarge, float64(peakLarge)/(1<<20))
	assert.Less(t, allocLarge/allocSmall, 1.25, "allocation per case grows with the number of cases")
	assert.Less(t, float64(peakLarge)/float64(peakSmall), 1.5, "peak heap grows with the number of cases")
}

func BenchmarkReportStream(b *testing.B) {
	var lines [][]byte
	size := 0
	for _, l := range generatedLines(b, 77, 500) {
		lines = append(lines, []byte(l+"\n"))
		size += len(l) + 1
	}
	e, err := recommend.New(recommend.Policy{})
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
