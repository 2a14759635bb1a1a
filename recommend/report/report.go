// Package report renders the reports of the recommendation engine for people
// and machines: text for terminals, Markdown for tickets and wikis, JSON (the
// stable collabmeet.report/v1 schema), one self-contained HTML page, and JUnit
// XML for CI dashboards; and it renders aggregates of many reports
// (recommend.Aggregate) as text, Markdown, JSON, CSV and an HTML page with
// charts.
//
// Every report renderer has the same shape, [Func]: it writes one or more
// reports to an [io.Writer] and returns the first error, so that a command
// can pick one by name from [Formats]. Aggregate renderers share
// [AggregateFunc] and are listed in [AggregateFormats]. [Options] carry the
// titles and documentation links, typically from the engine:
//
//	engine, _ := recommend.New(policy)
//	rep := engine.Check(c)
//	opts := report.Options{Title: engine.Title, DocURL: engine.DocURL, Color: report.ColorEnabled(os.Stdout)}
//	err := report.Text(os.Stdout, opts, rep)
//
// The renderers only ever see a [recommend.Report] or a
// [recommend.Aggregate], which by contract carry no free text of a case
// (names, purposes, titles, goals, descriptions): only IDs, roles, JSON paths
// and the engine's own messages. They add nothing from a case, and they escape
// what they write for the target format (HTML, XML, Markdown tables, CSV
// formulas, terminal control characters), so a report stays safe to paste
// into a ticket or a log.
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

// Func is the signature that every renderer of this package shares. It writes
// reps to w in its format and returns the first error, either a write error or
// [ErrNilReport].
type Func func(w io.Writer, opts Options, reps ...*recommend.Report) error

// Formats maps the names that the command line accepts (--format) to the
// renderers: "text", "markdown", "json", "html" and "junit".
var Formats = map[string]Func{
	"text":     Text,
	"markdown": Markdown,
	"json":     JSON,
	"html":     HTML,
	"junit":    JUnit,
}

// FormatNames lists the keys of [Formats] in the order that help texts show them.
var FormatNames = []string{"text", "json", "markdown", "html", "junit"}

// ErrNilReport is returned by a renderer that is given a nil report.
var ErrNilReport = errors.New("report: nil report")

// DefaultCatalogueURL is where the catalogue entries are documented; a
// recommendation's entry is this URL with its lower-case ID as the fragment
// (…/docs/catalogue.md#pc-05). See [Options.DocURL].
const DefaultCatalogueURL = recommend.CatalogueURL

// Options change how the renderers present a report. The zero value is
// usable: no titles, links to [DefaultCatalogueURL], no colour.
type Options struct {
	// Title returns the title of a recommendation by ID, e.g. from the
	// engine's catalogue; "" (or a nil Title) shows the ID alone. Custom
	// rules are looked up the same way.
	Title func(id string) string

	// DocURL returns the link to the documentation of a recommendation by
	// ID, or "" for no link (e.g. for a clinic's own rule). Nil means
	// [DefaultCatalogueURL] + "#" + the lower-case ID, for every ID.
	DocURL func(id string) string

	// Color lets [Text] use ANSI colours. Set it from [ColorEnabled] so
	// that colour is only written to a terminal. Other formats ignore it.
	Color bool
}

// title returns the title of id, or "".
func (o Options) title(id string) string {
	if o.Title == nil {
		return ""
	}
	return strings.TrimSpace(o.Title(id))
}

// docURL returns the documentation link of id, or "".
func (o Options) docURL(id string) string {
	if o.DocURL != nil {
		return o.DocURL(id)
	}
	return DefaultCatalogueURL + "#" + strings.ToLower(id)
}

// label is the ID followed by the title, when there is one.
func (o Options) label(id string) string {
	if t := o.title(id); t != "" {
		return id + " " + t
	}
	return id
}

// ColorEnabled reports whether colour should be written to f: only when f is
// a terminal (a character device) and the NO_COLOR environment variable is
// unset or empty (https://no-color.org).
func ColorEnabled(f *os.File) bool {
	if f == nil || os.Getenv("NO_COLOR") != "" {
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
