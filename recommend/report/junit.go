package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
)

// JUnit writes reps as JUnit XML for CI dashboards: a <testsuites> element
// with the total counts, holding one <testsuite> per report (named by the
// meeting ID, with the catalogue version, phase, profile and verdict as
// properties) and in it one <testcase> per result (named by the ID and, when
// opts.Title gives one, the title; classname is meeting ID + "." + theme).
//
// Outcomes map to JUnit as follows:
//   - pass: a passing test case;
//   - gap with severity required or recommended: <failure>, type = severity,
//     with every finding (subject, path, message, remedy) in its text;
//   - gap with severity advisory: a PASSING test case whose <system-out>
//     holds the findings as a note, so that advisory gaps never fail a build;
//   - not_applicable and waived: <skipped>, with the waiver's reason;
//   - error (or an outcome this version does not know): <error>.
//
// The counts (tests, failures, errors, skipped) on each suite and on
// <testsuites> add up accordingly. encoding/xml escapes all text.
func JUnit(w io.Writer, opts Options, reps ...*recommend.Report) error {
	if err := checkReports(reps); err != nil {
		return err
	}
	doc := junitSuites{Name: "collabmeet"}
	for _, rep := range reps {
		s := newJUnitSuite(opts, rep)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("report: junit: %w", err)
	}
	ew := &errWriter{w: w}
	ew.print(xml.Header)
	ew.Write(out)
	ew.print("\n")
	return ew.err
}

// The JUnit XML document; its field order is the element order.
type junitSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Skipped  int              `xml:"skipped,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

type junitTestSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitSkip    `xml:"skipped"`
	SystemOut *junitText    `xml:"system-out"`
}

// junitText is element text written as CDATA, so that line breaks stay
// readable; xmlText makes it valid XML.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitSkip struct {
	Message string `xml:"message,attr"`
}

func newJUnitSuite(opts Options, rep *recommend.Report) junitTestSuite {
	id := rep.MeetingID.String()
	s := junitTestSuite{
		Name: id,
		Properties: []junitProperty{
			{"catalogue_version", rep.CatalogueVersion},
			{"phase", string(rep.Phase)},
			{"profile", string(rep.Profile)},
			{"compliant", fmt.Sprint(rep.Compliant)},
		},
	}
	for _, r := range rep.Results {
		c := junitCase{Name: opts.label(r.ID), Classname: id + "." + string(r.Theme)}
		switch r.Outcome {
		case recommend.OutcomePass:
		case recommend.OutcomeGap:
			if r.Severity == recommend.SeverityAdvisory {
				c.SystemOut = &junitText{xmlText("advisory gap (a note, not a failure):\n" + findingsText(r))}
				break
			}
			c.Failure = &junitProblem{Message: gapMessage(r), Type: string(r.Severity), Text: xmlText(findingsText(r))}
			s.Failures++
		case recommend.OutcomeNotApplicable:
			c.Skipped = &junitSkip{Message: "not applicable"}
			s.Skipped++
		case recommend.OutcomeWaived:
			c.Skipped = &junitSkip{Message: "waived: " + oneLine(r.WaiverReason)}
			s.Skipped++
		case recommend.OutcomeError:
			c.Error = &junitProblem{Message: oneLine(r.Error), Type: "error", Text: xmlText(r.Error)}
			s.Errors++
		default:
			msg := fmt.Sprintf("unknown outcome %q", string(r.Outcome))
			c.Error = &junitProblem{Message: msg, Type: "error", Text: msg}
			s.Errors++
		}
		s.Cases = append(s.Cases, c)
	}
	s.Tests = len(s.Cases)
	return s
}

// gapMessage is the one-line message of a failure: the severity and the first
// finding's message, with the number of further findings.
func gapMessage(r recommend.Result) string {
	msg := string(r.Severity) + " gap"
	if len(r.Findings) > 0 {
		msg += ": " + oneLine(r.Findings[0].Message)
	}
	if n := len(r.Findings) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// findingsText lists the findings of a result, one block each.
func findingsText(r recommend.Result) string {
	var b strings.Builder
	if r.WaiverExpired {
		b.WriteString("A waiver for this recommendation expired before the meeting.\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%s at %s: %s\n", subject(f), oneLine(f.Path), oneLine(f.Message))
		if f.Remedy != "" {
			fmt.Fprintf(&b, "  fix: %s\n", oneLine(f.Remedy))
		}
	}
	return b.String()
}

// xmlText replaces the characters that XML 1.0 does not allow (most control
// characters, surrogates, U+FFFE and U+FFFF) with U+FFFD. encoding/xml does so
// for escaped text but not for CDATA.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}
