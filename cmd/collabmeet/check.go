package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
)

// runCheck is `collabmeet check [--policy FILE] [--format F] [--fail-on S]
// [--lang L] CASE.json...`.
//
// It checks every file, in order; a file that cannot be read, is not a valid
// case, or whose report cannot be written is reported on stderr, one line
// per problem ("FILE: path: message"), and the others are still checked and
// written. Each report names its file (Source). Exit codes: 2 when a file or
// the policy is unusable or on a usage error (2 wins over 1); 1 when a case
// fails at the --fail-on severity (Report.Fails; required: the case is not
// compliant); 0 otherwise.
func runCheck(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	policyFile := fs.str("policy", "", nil)
	format := fs.str("format", "text", recommend.Args{"list": strings.Join(reportFormats(), ", ")})
	failOn := fs.str("fail-on", "required", nil)
	strict := fs.boolean("strict")
	canonical := fs.str("canonical-base", fhir.DefaultCanonical, nil)
	fs.langFlag()
	files, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	f, ok := report.Lookup(*format)
	if !ok || f.Report == nil {
		return fs.usageError("cli.error.unknown_format", recommend.Args{"arg": *format, "list": strings.Join(reportFormats(), ", ")})
	}
	level := recommend.Severity(*failOn)
	if !level.Valid() {
		return fs.usageError("cli.error.unknown_fail_on", recommend.Args{"arg": *failOn})
	}
	lang, ok := fs.language()
	if !ok {
		return exitBadInput
	}
	if len(files) == 0 {
		return fs.usageError("cli.error.no_case_file", nil)
	}
	if _, err := fhir.CanonicalBase(*canonical); err != nil {
		return fs.usageError("cli.error.canonical_base", nil)
	}
	engine := loadEngine(e, *policyFile, lang)
	if engine == nil {
		return exitBadInput
	}
	opts := report.Options{Engine: engine, Color: *format == "text" && colorOut(e.stdout), Lang: lang}
	var reports []*recommend.Report
	code = exitOK
	for _, file := range files {
		in, err := readCaseWith(e, file, fhir.Reader{Strict: *strict, Canonical: *canonical})
		if err != nil {
			printProblems(e.stderr, lang, file, err)
			code = exitBadInput
			continue
		}
		for _, w := range in.warnings {
			fmt.Fprintf(e.stderr, "%s: %s\n", file, say(lang, "cli.warning", recommend.Args{"text": problemText(lang, w)}))
		}
		rep := engine.Check(in.c)
		rep.Source = file
		in.annotate(rep)
		// A report that cannot be written is named here, and the others are
		// still written.
		if err := f.Report(io.Discard, opts, rep); err != nil {
			fmt.Fprintf(e.stderr, "%s: writing %s: %v\n", file, *format, err)
			code = exitBadInput
			continue
		}
		reports = append(reports, rep)
		if code == exitOK && rep.Fails(level) {
			code = exitGaps
		}
	}
	if len(reports) > 0 {
		if err := f.Report(e.stdout, opts, reports...); err != nil {
			fmt.Fprintf(e.stderr, "collabmeet check: writing %s: %v\n", *format, err)
			return exitBadInput
		}
	}
	return code
}

// reportFormats names the formats of one report, in the registry's order.
func reportFormats() []string {
	var names []string
	for _, f := range report.Formats() {
		if f.Report != nil {
			names = append(names, f.Name)
		}
	}
	return names
}

// aggregateFormats names the formats of an aggregate, in the registry's order.
func aggregateFormats() []string {
	var names []string
	for _, f := range report.Formats() {
		if f.Aggregate != nil {
			names = append(names, f.Name)
		}
	}
	return names
}

// loadEngine compiles the policy in file (the default policy when file is
// empty) over the built-in catalogue; on failure it prints every problem,
// prefixed by the file, and returns nil.
func loadEngine(e *env, file string, lang recommend.Lang, opts ...recommend.Option) *recommend.Engine {
	var policy recommend.Policy
	if file != "" {
		p, err := recommend.LoadPolicy(file)
		if err != nil {
			printProblems(e.stderr, lang, file, err)
			return nil
		}
		policy = p
	}
	engine, err := recommend.New(catalogue.Builtin(), policy, append(opts, recommend.WithLang(lang))...)
	if err != nil {
		name := file
		if name == "" {
			name = "collabmeet"
		}
		printProblems(e.stderr, lang, name, err)
		return nil
	}
	return engine
}
