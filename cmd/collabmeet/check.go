package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
)

// checkRun is what one `collabmeet check` gives to its output format: the
// engine (for titles and documentation links), and the files that could be
// checked with their reports, in argument order.
type checkRun struct {
	engine  *recommend.Engine
	files   []string
	reports []*recommend.Report
}

// checkFormat writes the reports of one run to w.
type checkFormat func(w io.Writer, run *checkRun) error

// checkFormats maps the names --format accepts to their writers. A renderer
// of recommend/report plugs in with an adapter such as
//
//	"markdown": func(w io.Writer, run *checkRun) error {
//		return report.Markdown(w, report.Options{Title: run.engine.Title, DocURL: run.engine.DocURL}, run.reports...)
//	},
var checkFormats = map[string]checkFormat{
	"text":     writeCheckText,
	"json":     writeCheckJSON,
	"markdown": rendered(report.Markdown),
	"html":     rendered(report.HTML),
	"junit":    rendered(report.JUnit),
}

// rendered adapts a renderer of recommend/report to a checkFormat, with the
// titles and documentation links of the run's engine.
func rendered(render report.Func) checkFormat {
	return func(w io.Writer, run *checkRun) error {
		return render(w, report.Options{Title: run.engine.Title, DocURL: run.engine.DocURL}, run.reports...)
	}
}

// runCheck is `collabmeet check [--policy FILE] [--format F] [--fail-on S] CASE.json...`.
//
// It checks every file, in order; a file that cannot be read or is not a
// valid case is reported on stderr, one line per problem ("FILE: path:
// message"), and the others are still checked. Exit codes: 2 when a file or
// the policy is unusable or on a usage error (2 wins over 1); 1 when a case
// has a gap of the --fail-on severity or more serious (required: the case is
// not compliant); 0 otherwise.
func runCheck(e *env, args []string) int {
	fs := flag.NewFlagSet("collabmeet check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	policyFile := fs.String("policy", "", "policy `FILE` (JSON); default: the default policy")
	format := fs.String("format", "text", "output `format`: "+strings.Join(formatNames(), ", "))
	failOn := fs.String("fail-on", "required", "exit 1 on a gap of this `severity` or a more serious one: required, recommended or advisory")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: collabmeet check [--policy FILE] [--format %s] [--fail-on required|recommended|advisory] CASE.json...\n",
			strings.Join(formatNames(), "|"))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitBadInput
	}
	write, ok := checkFormats[*format]
	if !ok {
		fmt.Fprintf(e.stderr, "collabmeet check: unknown format %q (want one of %s)\n", *format, strings.Join(formatNames(), ", "))
		return exitBadInput
	}
	level := recommend.Severity(*failOn)
	if !level.Valid() {
		fmt.Fprintf(e.stderr, "collabmeet check: unknown --fail-on %q (want required, recommended or advisory)\n", *failOn)
		return exitBadInput
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "collabmeet check: no case file given")
		fs.Usage()
		return exitBadInput
	}

	engine := checkEngine(e, *policyFile)
	if engine == nil {
		return exitBadInput
	}
	run := &checkRun{engine: engine}
	code := exitOK
	for _, name := range fs.Args() {
		c, err := readCase(name)
		if err != nil {
			printProblems(e.stderr, name, err)
			code = exitBadInput
			continue
		}
		rep := engine.Check(c)
		run.files = append(run.files, name)
		run.reports = append(run.reports, rep)
		if code == exitOK && fails(rep, level) {
			code = exitGaps
		}
	}
	if err := write(e.stdout, run); err != nil {
		fmt.Fprintf(e.stderr, "collabmeet check: writing %s: %v\n", *format, err)
		return exitBadInput
	}
	return code
}

// checkEngine compiles the policy in file (the default policy when file is
// empty); on failure it prints every problem, prefixed by the file, and
// returns nil.
func checkEngine(e *env, file string) *recommend.Engine {
	var policy recommend.Policy
	if file != "" {
		p, err := recommend.LoadPolicy(file)
		if err != nil {
			printProblems(e.stderr, file, err)
			return nil
		}
		policy = p
	}
	engine, err := recommend.New(policy)
	if err != nil {
		printProblems(e.stderr, file, err)
		return nil
	}
	return engine
}

// fails reports whether rep has a gap or a rule error of severity level or
// a more serious one.
func fails(rep *recommend.Report, level recommend.Severity) bool {
	if level == recommend.SeverityRequired {
		return !rep.Compliant
	}
	for _, r := range rep.Results {
		if (r.Outcome == recommend.OutcomeGap || r.Outcome == recommend.OutcomeError) && r.Severity.Rank() <= level.Rank() {
			return true
		}
	}
	return false
}

// formatNames lists the keys of checkFormats, text and json first.
func formatNames() []string {
	names := make([]string, 0, len(checkFormats))
	for name := range checkFormats {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		rank := func(s string) int {
			switch s {
			case "text":
				return 0
			case "json":
				return 1
			}
			return 2
		}
		if ri, rj := rank(names[i]), rank(names[j]); ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	return names
}

// writeCheckJSON writes one report per line (NDJSON), in argument order.
func writeCheckJSON(w io.Writer, run *checkRun) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, rep := range run.reports {
		if err := enc.Encode(rep); err != nil {
			return err
		}
	}
	return nil
}

// writeCheckText writes the reports for people (report.Text): per case, its
// file name, then the verdict, the gaps grouped by severity with each
// finding's subject, JSON path, what is missing, how to fix it and the
// catalogue link. Colour only on a terminal with NO_COLOR unset.
func writeCheckText(w io.Writer, run *checkRun) error {
	opts := report.Options{Title: run.engine.Title, DocURL: run.engine.DocURL, Color: colorOut(w)}
	for n, rep := range run.reports {
		sep := ""
		if n > 0 {
			sep = "\n"
		}
		if _, err := fmt.Fprintf(w, "%s%s\n", sep, run.files[n]); err != nil {
			return err
		}
		if err := report.Text(w, opts, rep); err != nil {
			return err
		}
	}
	return nil
}
