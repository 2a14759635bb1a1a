package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/collabmeet/collabmeet/validation"
)

// runReport is `collabmeet report [--policy FILE] [--format F] [--fail-on S]
// [--workers N] [--lang L] [FILE.ndjson | -]...`.
//
// It streams NDJSON cases (one case a line; blank lines skipped) from each
// input in turn (stdin when none is given, or for "-") through a pool of
// workers: each worker decodes, validates and checks its lines and folds the
// reports into its own partial aggregate, and the partials are merged at the
// end, so memory stays flat however long the input. A bad line is reported
// on stderr as "FILE:LINE: path: message", one line per problem, in input
// order, and counted as invalid.
//
// Exit codes, as check's: 2 on a usage error, an unusable policy, an input
// that cannot be opened or read to its end, or when any line was not a
// valid case (the aggregate of the valid ones is still written, so that a
// CI gate never passes on a corrupt export); else 1 when a case fails at
// the --fail-on severity; else 0. An empty input gives an empty aggregate
// and 0. An aggregate without a valid case still names the catalogue version
// and every recommendation, with zero counts.
func runReport(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	policyFile := fs.str("policy", "", nil)
	format := fs.str("format", "text", recommend.Args{"list": strings.Join(aggregateFormats(), ", ")})
	failOn := fs.str("fail-on", "required", nil)
	workers := fs.integer("workers", runtime.GOMAXPROCS(0), recommend.Args{"max": maxWorkers})
	fs.langFlag()
	inputs, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	f, ok := report.Lookup(*format)
	if !ok || f.Aggregate == nil {
		return fs.usageError("cli.error.unknown_format", recommend.Args{"arg": *format, "list": strings.Join(aggregateFormats(), ", ")})
	}
	level := recommend.Severity(*failOn)
	if !level.Valid() {
		return fs.usageError("cli.error.unknown_fail_on", recommend.Args{"arg": *failOn})
	}
	if *workers < 1 || *workers > maxWorkers {
		return fs.usageError("cli.error.workers_range", recommend.Args{"given": *workers, "max": maxWorkers})
	}
	lang, ok := fs.language()
	if !ok {
		return exitBadInput
	}
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	// The aggregate counts outcomes: nobody reads the findings' texts or fixes.
	engine := loadEngine(e, *policyFile, lang, recommend.WithoutTexts(), recommend.WithoutFixes())
	if engine == nil {
		return exitBadInput
	}

	total := engine.NewAggregate()
	failed := false
	for _, input := range inputs {
		name, in, size := "stdin", e.stdin, int64(-1)
		if input != "-" {
			file, err := os.Open(input)
			if err != nil {
				printProblems(e.stderr, lang, input, err)
				return exitBadInput
			}
			defer file.Close()
			name, in = input, file
			if fi, err := file.Stat(); err == nil && fi.Mode().IsRegular() {
				size = fi.Size()
			}
		}
		s := &stream{name: name, engine: engine, workers: *workers, problems: e.stderr, failOn: level}
		if term, ok := e.stderr.(*os.File); ok && size > 0 && isTerminal(term) {
			stop := s.showProgress(term, size)
			defer stop()
		}
		agg, err := s.run(in)
		if err != nil {
			fmt.Fprintf(e.stderr, "%s: %v\n", name, err)
			return exitBadInput
		}
		if s.progressStop != nil {
			s.progressStop()
		}
		total.Merge(agg)
		failed = failed || s.failed.Load()
	}

	// The engine read no message file to check (WithoutTexts): the titles
	// are read now, once, for the people reading the aggregate.
	texts := engine.Texts()
	for i := range total.Recommendations {
		if r := &total.Recommendations[i]; r.Title == "" {
			r.Title = texts.Text(lang, r.ID+".title", nil)
		}
	}
	opts := report.Options{Engine: engine, Color: *format == "text" && colorOut(e.stdout), Lang: lang}
	if err := f.Aggregate(e.stdout, opts, total); err != nil {
		fmt.Fprintf(e.stderr, "collabmeet report: writing the report: %v\n", err)
		return exitBadInput
	}
	switch {
	case total.Cases == 0 && total.Invalid > 0:
		fmt.Fprintf(e.stderr, "collabmeet report: %s\n", say(lang, "cli.report.no_valid_case", recommend.Args{"total": total.Invalid}))
		return exitBadInput
	case total.Invalid > 0:
		fmt.Fprintf(e.stderr, "collabmeet report: %s\n", say(lang, "cli.report.invalid_lines", recommend.Args{"invalid": total.Invalid, "total": total.Invalid + total.Cases}))
		return exitBadInput
	case failed:
		return exitGaps
	}
	return exitOK
}

// printProblems prints err on w, one line per problem, each starting with
// prefix, in lang (see problemText).
func printProblems(w io.Writer, lang recommend.Lang, prefix string, err error) {
	var ve *validation.Error
	if errors.As(err, &ve) && len(ve.Problems) > 0 {
		for _, p := range ve.Problems {
			fmt.Fprintf(w, "%s: %s\n", prefix, problemText(lang, p))
		}
		return
	}
	fmt.Fprintf(w, "%s: %s\n", prefix, fileErrorText(lang, err))
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// The size of the batches of lines handed to the workers.
const (
	batchLines = 64
	batchBytes = 256 << 10
)

// stream checks an NDJSON stream of cases into one aggregate.
type stream struct {
	name     string
	engine   *recommend.Engine
	workers  int
	problems io.Writer // where bad lines are reported
	maxBytes int       // the longest line; 0 means casedoc.DefaultMaxBytes

	failOn recommend.Severity // a case that Fails at it sets failed
	failed atomic.Bool

	bytesRead    atomic.Int64 // bytes read, for the progress bar
	progressStop func()
	free         batchFree   // batches to reuse; made by run
	budget       *byteBudget // bytes of input in flight, whatever the number of workers
}

// maxWorkers is the most workers report accepts.
const maxWorkers = 256

// inFlightBytes bounds the bytes of input lines held in batches at any
// time, for any number of workers: with 4 MiB lines and 16 workers, memory
// stays near this budget plus what the workers decode, instead of growing
// with the workers times the channels' capacity.
const inFlightBytes = 32 << 20

// byteBudget is a counting semaphore over bytes.
type byteBudget struct {
	mu   sync.Mutex
	cond sync.Cond
	used int64
	max  int64
	// For tests: the most bytes ever in flight, and the bytes of the
	// requests waiting for room.
	peak, waiting int64
}

func newByteBudget(n int64) *byteBudget {
	b := &byteBudget{max: n}
	b.cond.L = &b.mu
	return b
}

// acquire waits until n more bytes fit, or nothing is in flight (so that a
// batch larger than the budget still passes, alone).
func (b *byteBudget) acquire(n int64) {
	b.mu.Lock()
	if b.used > 0 && b.used+n > b.max {
		b.waiting += n
		for b.used > 0 && b.used+n > b.max {
			b.cond.Wait()
		}
		b.waiting -= n
	}
	b.used += n
	b.peak = max(b.peak, b.used)
	b.mu.Unlock()
}

func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}

// batch is a run of non-blank lines, stored in one buffer.
type batch struct {
	seq      int
	held     int64 // bytes acquired from the budget
	buf      []byte
	lines    []line
	problems []string // filled by the worker, written in order by the collector
}

type line struct {
	number     int
	start, end int // the line in buf, without its line ending
	tooLong    bool
}

// batchFree recycles the batches of one stream: a bounded free list rather
// than a sync.Pool, which the garbage collector (and, at random, the race
// detector) empties, so that a long stream would allocate a new 1 MiB
// buffer every so often and its peak heap would depend on when the
// collector last ran.
type batchFree chan *batch

// get returns a free batch, or a new one.
func (f batchFree) get(seq int) *batch {
	var b *batch
	select {
	case b = <-f:
	default:
		b = &batch{buf: make([]byte, 0, batchBytes+64<<10)}
	}
	b.seq, b.buf, b.lines, b.problems = seq, b.buf[:0], b.lines[:0], b.problems[:0]
	return b
}

// put recycles b, unless the list is full or b's buffer was grown by a
// huge line.
func (f batchFree) put(b *batch) {
	if cap(b.buf) > 2*batchBytes+64<<10 {
		return
	}
	select {
	case f <- b:
	default:
	}
}

func (s *stream) limit() int {
	if s.maxBytes > 0 {
		return s.maxBytes
	}
	return casedoc.DefaultMaxBytes
}

// run reads r to its end and returns the merged aggregate; an error means
// reading failed (bad lines are no error).
func (s *stream) run(r io.Reader) (*recommend.Aggregate, error) {
	// Batches are in the two channels, with the workers, the reader and
	// the collector: the free list holds them all.
	s.free = make(batchFree, 4*s.workers+4)
	s.budget = newByteBudget(inFlightBytes)
	batches := make(chan *batch, 2*s.workers)
	done := make(chan *batch, 2*s.workers)
	partials := make([]recommend.Aggregate, s.workers)

	var wg sync.WaitGroup
	for w := range s.workers {
		wg.Go(func() { s.work(&partials[w], batches, done) })
	}
	collected := make(chan struct{})
	go func() {
		s.collect(done)
		close(collected)
	}()

	err := s.read(r, batches)
	close(batches)
	wg.Wait()
	close(done)
	<-collected
	if err != nil {
		return nil, err
	}
	agg := &recommend.Aggregate{}
	for i := range partials {
		agg.Merge(&partials[i])
	}
	return agg, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// read splits r into batches of non-blank lines. A line over the limit is
// passed on marked too long, without its bytes.
func (s *stream) read(r io.Reader, out chan<- *batch) error {
	br := bufio.NewReaderSize(countingReader{r, &s.bytesRead}, 256<<10)
	limit := s.limit()
	seq, number := 0, 0
	b := s.free.get(seq)
	for {
		number++
		start, n, tooLong, eof := len(b.buf), 0, false, false
		for {
			chunk, err := br.ReadSlice('\n')
			n += len(chunk)
			if !tooLong {
				if n > limit+2 { // +2: the line ending, LF or CRLF
					tooLong, b.buf = true, b.buf[:start]
				} else {
					b.buf = append(b.buf, chunk...)
				}
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err != nil && err != io.EOF {
				s.free.put(b)
				return fmt.Errorf("reading line %d: %w", number, err)
			}
			eof = err == io.EOF
			break
		}
		if n == 0 && eof {
			break
		}
		text := bytes.TrimRight(b.buf[start:], "\r\n")
		if !tooLong && len(text) > limit {
			tooLong, text, b.buf = true, nil, b.buf[:start]
		}
		if !tooLong && len(bytes.TrimSpace(text)) == 0 {
			b.buf = b.buf[:start] // a blank line
		} else {
			b.lines = append(b.lines, line{number: number, start: start, end: start + len(text), tooLong: tooLong})
		}
		if len(b.lines) >= batchLines || len(b.buf) >= batchBytes {
			b.held = int64(cap(b.buf))
			s.budget.acquire(b.held)
			out <- b
			seq++
			b = s.free.get(seq)
		}
		if eof {
			break
		}
	}
	if len(b.lines) > 0 {
		b.held = int64(cap(b.buf))
		s.budget.acquire(b.held)
		out <- b
	} else {
		s.free.put(b)
	}
	return nil
}

// work decodes, checks and folds every line of the batches into agg.
func (s *stream) work(agg *recommend.Aggregate, in <-chan *batch, out chan<- *batch) {
	dec := casedoc.Decoder{MaxBytes: int64(s.limit())}
	var (
		c   casedoc.Case     // reused for every case: UnmarshalInto keeps the memory of its lists
		rep recommend.Report // reused for every case: CheckInto allocates nothing once it has grown
	)
	for b := range in {
		for _, l := range b.lines {
			if l.tooLong {
				agg.AddInvalid()
				tooLong := validation.Coded("", "line_too_long", "bytes", strconv.FormatInt(int64(s.limit()), 10))
				b.problems = append(b.problems, fmt.Sprintf("%s:%d: %s", s.name, l.number, problemText(s.engine.Lang(), tooLong)))
				continue
			}
			if err := dec.UnmarshalInto(b.buf[l.start:l.end], &c); err != nil {
				agg.AddInvalid()
				b.problems = appendProblems(b.problems, s.engine.Lang(), fmt.Sprintf("%s:%d", s.name, l.number), err)
				continue
			}
			if err := s.engine.CheckInto(&rep, &c); err != nil {
				agg.AddInvalid()
				b.problems = appendProblems(b.problems, s.engine.Lang(), fmt.Sprintf("%s:%d", s.name, l.number), err)
				continue
			}
			agg.Add(&rep)
			if rep.Fails(s.failOn) {
				s.failed.Store(true)
			}
		}
		out <- b
	}
}

// appendProblems appends the lines of err to dst, each starting with
// prefix, in lang (see problemText).
func appendProblems(dst []string, lang recommend.Lang, prefix string, err error) []string {
	var ve *validation.Error
	if errors.As(err, &ve) && len(ve.Problems) > 0 {
		for _, p := range ve.Problems {
			dst = append(dst, prefix+": "+problemText(lang, p))
		}
		return dst
	}
	return append(dst, prefix+": "+err.Error())
}

// collect writes the problems of the batches in input order, and recycles
// the batches. Only batches that finished early wait, with their problems.
func (s *stream) collect(in <-chan *batch) {
	w := bufio.NewWriter(s.problems)
	defer w.Flush()
	next := 0
	pending := map[int]*batch{}
	for b := range in {
		pending[b.seq] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			for _, p := range b.problems {
				w.WriteString(p)
				w.WriteByte('\n')
			}
			if len(b.problems) > 0 {
				w.Flush()
			}
			s.budget.release(b.held)
			s.free.put(b) // not a buffer grown by a huge line
		}
	}
}

// showProgress draws a progress bar on term (bytes read of size), at most
// five times a second, until the returned function is called, which erases it.
func (s *stream) showProgress(term io.Writer, size int64) func() {
	stop := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				fmt.Fprint(term, "\r\033[K")
				return
			case <-tick.C:
				fmt.Fprint(term, "\r"+progressBar(s.bytesRead.Load(), size, 30))
			}
		}
	})
	s.progressStop = func() {
		once.Do(func() {
			close(stop)
			wg.Wait()
		})
	}
	return s.progressStop
}

// progressBar draws "[=====>    ]  42%  12.0 MB of 28.5 MB".
func progressBar(done, size int64, width int) string {
	done = min(max(done, 0), size)
	filled := 0
	pct := 100
	if size > 0 {
		filled = int(done * int64(width) / size)
		pct = int(done * 100 / size)
	}
	bar := bytes.Repeat([]byte{' '}, width)
	for i := range filled {
		bar[i] = '='
	}
	if filled < width {
		bar[filled] = '>'
	}
	return fmt.Sprintf("[%s] %3d%%  %.1f MB of %.1f MB", bar, pct, float64(done)/1e6, float64(size)/1e6)
}

// fileErrorText words an error of opening or reading a file in lang: a
// missing file, a refused permission or a directory by the message of the
// message files, without the path the prefix already names; any other error
// as it is.
func fileErrorText(lang recommend.Lang, err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return say(lang, "cli.file.not_exist", nil)
	case errors.Is(err, os.ErrPermission):
		return say(lang, "cli.file.permission", nil)
	case errors.Is(err, syscall.EISDIR):
		return say(lang, "cli.file.is_directory", nil)
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error()
}
