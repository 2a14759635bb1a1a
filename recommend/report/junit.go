package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
)

// JUnit writes reps as JUnit XML for CI dashboards: a <testsuites> element
// with the total counts, holding one <testsuite> per report (named by its
// Source, the file it came from, when set, else by the meeting ID; with the
// meeting ID, catalogue version, language, phase, profile, policy digest and
// verdict as properties) and in it one <testcase> per recommendation (named
// by its ID and title; classname is the suite name + "." + theme).
//
// Outcomes map to JUnit as follows, with every message in the report's
// language:
//   - pass: a passing test case;
//   - gap with severity required or recommended: <failure>, type = severity,
//     with every finding (subject, path, code, message, what to do, whether
//     it can be fixed automatically) in its text;
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
	x := newTr(opts, rep.Lang)
	id := rep.MeetingID.String()
	name := id
	if rep.Source != "" {
		name = clean(rep.Source)
	}
	s := junitTestSuite{
		Name: name,
		Properties: []junitProperty{
			{"meeting_id", id},
			{"catalogue_version", clean(rep.CatalogueVersion)},
			{"lang", x.lang.String()},
			{"phase", string(rep.Phase)},
			{"profile", string(rep.Profile)},
			{"policy_digest", clean(rep.PolicyDigest)},
			{"compliant", fmt.Sprint(rep.Compliant)},
		},
	}
	for _, r := range rep.Results {
		c := junitCase{Name: clean(strings.TrimSpace(r.ID + " " + r.Title)), Classname: name + "." + string(r.Theme)}
		switch r.Outcome {
		case recommend.OutcomePass:
		case recommend.OutcomeGap:
			if r.Severity == recommend.SeverityAdvisory {
				c.SystemOut = &junitText{xmlText(x.s("report.junit.advisory_note") + "\n" + findingsText(x, r))}
				break
			}
			c.Failure = &junitProblem{Message: gapMessage(x, r), Type: string(r.Severity), Text: xmlText(findingsText(x, r))}
			s.Failures++
		case recommend.OutcomeNotApplicable:
			c.Skipped = &junitSkip{Message: x.outcome(r.Outcome)}
			s.Skipped++
		case recommend.OutcomeWaived:
			reason := clean(r.WaiverReason)
			if reason == "" {
				reason = x.s("report.no_reason")
			}
			c.Skipped = &junitSkip{Message: x.s("report.junit.waived", "outcome", x.outcome(r.Outcome), "reason", reason)}
			s.Skipped++
		default:
			msg := x.problem(r)
			c.Error = &junitProblem{Message: clean(msg), Type: "error", Text: xmlText(msg)}
			s.Errors++
		}
		s.Cases = append(s.Cases, c)
	}
	s.Tests = len(s.Cases)
	return s
}

// gapMessage is the one-line message of a failure: the severity and the first
// finding's message, with the number of further findings.
func gapMessage(x tr, r recommend.Result) string {
	if len(r.Findings) == 0 {
		return x.s("report.junit.gap", "severity", r.Severity)
	}
	msg := x.s("report.junit.gap_with", "severity", r.Severity, "message", clean(r.Findings[0].Message))
	if n := len(r.Findings) - 1 + r.Omitted; n > 0 {
		msg = x.n("report.junit.gap_more", n, "gap", msg)
	}
	return msg
}

// findingsText lists the findings of a result, one block each.
func findingsText(x tr, r recommend.Result) string {
	var b strings.Builder
	if r.WaiverExpired {
		b.WriteString(x.s("report.waiver_expired") + "\n")
	}
	for _, f := range r.Findings {
		b.WriteString(x.s("report.junit.finding", "subject", clean(f.Subject), "path", clean(f.Path),
			"code", clean(f.Code), "message", clean(f.Message)) + "\n")
		if f.Remedy != "" {
			b.WriteString("  " + x.s("report.label.remedy") + " " + clean(f.Remedy) + "\n")
		}
		if fx := x.fixable(f); fx != "" {
			b.WriteString("  " + clean(fx) + "\n")
		}
	}
	if r.Omitted > 0 {
		b.WriteString(x.n("report.omitted", r.Omitted) + "\n")
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
