// Package report renders the reports of the recommendation engine for people
// and machines: text for terminals, Markdown for tickets and wikis, JSON (the
// stable collabmeet.report/v1 schema), one self-contained HTML page, and JUnit
// XML for CI dashboards; and it renders aggregates of many reports
// (recommend.Aggregate) as text, Markdown, JSON, CSV and an HTML page with
// charts.
//
// Every report renderer is a plain function of the same shape, [Func]; every
// aggregate renderer one of shape [AggregateFunc]. [Formats] is the one
// registry of output formats: a command picks a renderer by name with
// [Lookup], and its help lists [Formats]. Adding a format is one renderer and
// one line of the registry.
//
//	engine, _ := recommend.New(catalogue.Builtin(), policy, recommend.WithLang(recommend.Bokmal))
//	rep := engine.Check(c)
//	err := report.Text(os.Stdout, report.Options{Color: report.ColorEnabled(os.Stdout)}, rep)
//
// Every text a person reads is in the report's language (Report.Lang; for an
// aggregate, Options.Lang): the engine renders the titles, messages, remedies
// and subjects of a report, and this package's headings, labels and verdicts
// are messages ("report.*", see recommend.Texts) in this package's own
// message files (messages/report.*.json), with CLDR plural forms; theme
// titles and the names of severities and outcomes are the catalogue's
// (Options.Engine).
//
// The renderers only ever see a [recommend.Report] or a
// [recommend.Aggregate], which by contract carry no free text of a case
// (names, purposes, titles, goals, descriptions): only IDs, codes, roles,
// JSON paths and the engine's own messages. They add nothing from a case, and
// they escape what they write for the target format (HTML, XML, Markdown
// tables, CSV formulas, terminal control characters and bidirectional
// overrides), so a report stays safe to paste into a ticket or a log.
//
// Output is deterministic: identical input and options give byte-identical
// output in every format (no clock, no map order, no environment).
package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
)

// Func is the signature that every report renderer of this package shares.
// It writes reps to w in its format and returns the first error, either a
// write error or [ErrNilReport].
type Func func(w io.Writer, opts Options, reps ...*recommend.Report) error

// AggregateFunc is the signature that every aggregate renderer of this
// package shares: it writes agg to w in its format and returns the first
// error, either a write error or [ErrNilAggregate].
type AggregateFunc func(w io.Writer, opts Options, agg *recommend.Aggregate) error

// Format is an output format: its name on the command line (--format), a
// one-line description for help texts, and its renderers. Report is nil for
// a format that only renders aggregates (csv), Aggregate for one that only
// renders reports (junit).
type Format struct {
	Name      string
	Doc       string
	Report    Func
	Aggregate AggregateFunc
}

// formatTable is the one registry of output formats, in the order that help
// texts show them. Adding a format is one line.
var formatTable = [...]Format{
	{"text", "for a terminal (colour when it is one)", Text, AggregateText},
	{"json", "collabmeet.report/v1 (one object per line) or collabmeet.aggregate/v1", JSON, AggregateJSON},
	{"markdown", "GitHub-flavoured Markdown for tickets and wikis", Markdown, AggregateMarkdown},
	{"html", "one self-contained HTML page with charts", HTML, AggregateHTML},
	{"junit", "JUnit XML for CI dashboards", JUnit, nil},
	{"fhir", "a FHIR R4 OperationOutcome per report (one per line), as $validate answers", FHIR, nil},
	{"csv", "one CSV table for spreadsheets", nil, AggregateCSV},
}

// Formats returns every output format, in the order that help texts show
// them (a fresh slice).
func Formats() []Format { return append([]Format(nil), formatTable[:]...) }

// Lookup returns the format with the given name, and whether there is one.
// Check its Report or Aggregate for nil before use.
func Lookup(name string) (Format, bool) {
	for _, f := range formatTable {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// ErrNilReport is returned by a renderer that is given a nil report.
var ErrNilReport = errors.New("report: nil report")

// ErrNilAggregate is returned by an aggregate renderer given a nil aggregate.
var ErrNilAggregate = errors.New("report: nil aggregate")

// Options change how the renderers present a report. The zero value is
// usable: the built-in catalogue, no colour, aggregates in English.
type Options struct {
	// Engine is the engine the reports were checked by: its catalogue's
	// texts title the themes and name the severities and outcomes, its
	// themes order an aggregate's, and its DocURL links results that carry
	// no Doc (a report decoded from JSON). Nil means an engine of the
	// built-in catalogue (package recommend/catalogue).
	Engine *recommend.Engine

	// DocURL returns the link to the documentation of a recommendation by
	// ID, or "" for no link, for a result without a Doc of its own (see
	// recommend.Result.Doc) and for an aggregate's recommendations. Nil
	// means the DocURL of Engine's catalogue + "#" + the lower-case ID, or
	// no link when the catalogue has no DocURL.
	DocURL func(id string) string

	// Color lets the text renderers use ANSI colours. Set it from
	// [ColorEnabled] so that colour is only written to a terminal. Other
	// formats ignore it.
	Color bool

	// Lang is the language of an aggregate's labels (a report's language is
	// its own Lang); the zero value means English.
	Lang recommend.Lang

	// Canonical is the base URL of the code system of finding codes that
	// [FHIR] names; "" means fhir.DefaultCanonical.
	Canonical string
}

// engine returns Engine, or the built-in catalogue's.
func (o Options) engine() *recommend.Engine {
	if o.Engine != nil {
		return o.Engine
	}
	return builtin()
}

// docURL returns the documentation link of the recommendation id, or "".
func (o Options) docURL(id string) string {
	if o.DocURL != nil {
		return o.DocURL(id)
	}
	if base := o.engine().DocURL(); base != "" {
		return base + "#" + strings.ToLower(id)
	}
	return ""
}

// resultDoc returns the documentation link of a result: its Doc, else
// docURL.
func (o Options) resultDoc(r *recommend.Result) string {
	if r.Doc != "" {
		return r.Doc
	}
	return o.docURL(r.ID)
}

// ColorEnabled reports whether colour should be written to f: only when f is
// a terminal (a character device), the NO_COLOR environment variable is
// unset or empty (https://no-color.org), and TERM is not "dumb" (a terminal
// that says it understands no escape sequences, such as Emacs' shell).
func ColorEnabled(f *os.File) bool {
	if f == nil || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&os.ModeCharDevice != 0
}

// checkReports returns ErrNilReport when one of reps is nil.
func checkReports(reps []*recommend.Report) error {
	for i, r := range reps {
		if r == nil {
			return fmt.Errorf("%w (argument %d)", ErrNilReport, i)
		}
	}
	return nil
}

// errWriter remembers the first write error so that renderers can write
// without checking every call, and report it at the end.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}

func (e *errWriter) printf(format string, args ...any) {
	fmt.Fprintf(e, format, args...)
}

func (e *errWriter) print(s string) {
	io.WriteString(e, s)
}
