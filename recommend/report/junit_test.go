package report_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The JUnit document as a CI server reads it.
type parsedSuites struct {
	XMLName  xml.Name      `xml:"testsuites"`
	Tests    int           `xml:"tests,attr"`
	Failures int           `xml:"failures,attr"`
	Errors   int           `xml:"errors,attr"`
	Skipped  int           `xml:"skipped,attr"`
	Suites   []parsedSuite `xml:"testsuite"`
}

type parsedSuite struct {
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Cases    []parsedCase `xml:"testcase"`
}

type parsedCase struct {
	Name    string `xml:"name,attr"`
	Failure *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	} `xml:"failure"`
	Error *struct {
		Message string `xml:"message,attr"`
	} `xml:"error"`
	Skipped *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
	SystemOut string `xml:"system-out"`
}

// expectedCounts counts what JUnit must report for rep, from its results.
func expectedCounts(rep *recommend.Report) (tests, failures, errors, skipped int) {
	for _, r := range rep.Results {
		tests++
		switch r.Outcome {
		case recommend.OutcomeGap:
			if r.Severity != recommend.SeverityAdvisory {
				failures++
			}
		case recommend.OutcomeNotApplicable, recommend.OutcomeWaived:
			skipped++
		case recommend.OutcomeError:
			errors++
		}
	}
	return
}

func TestJUnitParsesBackWithMatchingCounts(t *testing.T) {
	tests := []struct {
		name string
		reps []*recommend.Report
	}{
		{"mixed", []*recommend.Report{mixedReport()}},
		{"compliant", []*recommend.Report{compliantReport()}},
		{"two cases", []*recommend.Report{mixedReport(), compliantReport()}},
		{"hostile", []*recommend.Report{hostileReport()}},
		{"none", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, report.JUnit(&buf, fixtureOptions(), tt.reps...))

			var doc parsedSuites
			require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), buf.String())
			require.Len(t, doc.Suites, len(tt.reps))

			var all [4]int
			for i, rep := range tt.reps {
				s := doc.Suites[i]
				tests, failures, errors, skipped := expectedCounts(rep)
				name := rep.Source
				if name == "" {
					name = rep.MeetingID.String()
				}
				assert.Equal(t, name, s.Name, "a suite is named by its source, else by its meeting ID")
				assert.Equal(t, [4]int{tests, failures, errors, skipped}, [4]int{s.Tests, s.Failures, s.Errors, s.Skipped}, "suite attributes: tests, failures, errors, skipped")

				// The elements agree with the attributes.
				var got [4]int
				for j, c := range s.Cases {
					got[0]++
					if c.Failure != nil {
						got[1]++
					}
					if c.Error != nil {
						got[2]++
					}
					if c.Skipped != nil {
						got[3]++
					}
					assert.True(t, strings.HasPrefix(c.Name, rep.Results[j].ID), "test case %q is named by its ID", c.Name)
				}
				assert.Equal(t, [4]int{tests, failures, errors, skipped}, got, "elements: testcase, failure, error, skipped")
				for k := range all {
					all[k] += got[k]
				}
			}
			assert.Equal(t, all, [4]int{doc.Tests, doc.Failures, doc.Errors, doc.Skipped}, "testsuites attributes")
		})
	}
}

func TestJUnitMapsOutcomes(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.JUnit(&buf, fixtureOptions(), mixedReport()))
	var doc parsedSuites
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
	cases := map[string]parsedCase{}
	for _, c := range doc.Suites[0].Cases {
		cases[strings.Fields(c.Name)[0]] = c
	}

	tests := []struct {
		id                             string
		failure, error, skipped, noted bool
		contains                       string
	}{
		{id: "PC-01"},
		{id: "PC-04", failure: true, contains: "NAV supervisor (participant 6) at meeting.participants[5] (PC-04.no_consent)"},
		{id: "PC-05", failure: true, contains: "can be fixed automatically"},
		{id: "PC-07", failure: true, contains: "a waiver for it expired before the meeting"},
		{id: "AP-11", noted: true, contains: "advisory gap"},
		{id: "AP-08", skipped: true, contains: "not applicable"},
		{id: "MC-06", skipped: true, contains: "waived: room booked by the clinic"},
		{id: "CLINIC-01", error: true, contains: "rule panicked"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c, ok := cases[tt.id]
			require.True(t, ok)
			assert.Equal(t, tt.failure, c.Failure != nil, "failure")
			assert.Equal(t, tt.error, c.Error != nil, "error")
			assert.Equal(t, tt.skipped, c.Skipped != nil, "skipped")
			assert.Equal(t, tt.noted, c.SystemOut != "", "system-out")
			var text string
			switch {
			case c.Failure != nil:
				text = c.Failure.Message + "\n" + c.Failure.Text
				assert.Contains(t, []string{"required", "recommended"}, c.Failure.Type)
			case c.Error != nil:
				text = c.Error.Message
			case c.Skipped != nil:
				text = c.Skipped.Message
			default:
				text = c.SystemOut
			}
			assert.Contains(t, text, tt.contains)
		})
	}
	assert.Equal(t, "PC-05 The patient has room to speak", doc.Suites[0].Cases[2].Name, "name = ID + title")
}
