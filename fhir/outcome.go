package fhir

import (
	"errors"
	"fmt"
	"slices"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// IssueSeverity is the severity of an OperationOutcome issue (R4 value set
// issue-severity).
type IssueSeverity string

// The severities of an issue. A report maps its required gaps to error,
// recommended ones to warning and advisory ones to information.
const (
	SeverityFatal       IssueSeverity = "fatal"
	SeverityError       IssueSeverity = "error"
	SeverityWarning     IssueSeverity = "warning"
	SeverityInformation IssueSeverity = "information"
)

// IssueSeverities returns every IssueSeverity (a fresh slice).
func IssueSeverities() []IssueSeverity { return slices.Clone(issueSeverities[:]) }

var issueSeverities = [...]IssueSeverity{SeverityFatal, SeverityError, SeverityWarning, SeverityInformation}

// Valid reports whether s is one of IssueSeverities.
func (s IssueSeverity) Valid() bool { return slices.Contains(issueSeverities[:], s) }

// IssueTypeBusinessRule is the issue type (R4 value set issue-type) of a
// finding: "business-rule", a rule of the content, not of the syntax.
const IssueTypeBusinessRule = "business-rule"

// Issue is one issue for NewOperationOutcome: what a renderer knows of a
// finding, without FHIR's nesting.
type Issue struct {
	// Severity is required.
	Severity IssueSeverity
	// Type is the code of R4's issue-type; "" means IssueTypeBusinessRule.
	Type string
	// Details is the code of the issue in a code system, such as the
	// finding's code in a CodeSystem of the project (see NewCodeSystem);
	// left out when Code is "".
	Details Coding
	// Diagnostics is the message for a person, in the report's language.
	// It is copied as it is: it must hold no personal data.
	Diagnostics string
	// Expression is where the issue is: FHIRPath expressions into the
	// Bundle read (see Source.Expression), or case paths otherwise.
	Expression []string
}

// OperationOutcome is a FHIR R4 OperationOutcome, the answer of $validate.
type OperationOutcome struct {
	ResourceType string                  `json:"resourceType"`
	ID           string                  `json:"id,omitempty"`
	Issue        []OperationOutcomeIssue `json:"issue"`
}

// OperationOutcomeIssue is one OperationOutcome.issue.
type OperationOutcomeIssue struct {
	Severity    IssueSeverity    `json:"severity"`
	Code        string           `json:"code"`
	Details     *CodeableConcept `json:"details,omitempty"`
	Diagnostics string           `json:"diagnostics,omitempty"`
	Expression  []string         `json:"expression,omitempty"`
}

// TypeName returns "OperationOutcome".
func (*OperationOutcome) TypeName() string { return "OperationOutcome" }

// ResourceID returns the id.
func (o *OperationOutcome) ResourceID() string { return o.ID }

// NewOperationOutcome builds an OperationOutcome with one issue per Issue, in
// order. FHIR needs at least one issue, so no issues give the one that
// $validate gives for a resource without problems: severity information,
// code informational, diagnostics "No issues found".
func NewOperationOutcome(issues []Issue) OperationOutcome {
	o := OperationOutcome{ResourceType: "OperationOutcome", Issue: make([]OperationOutcomeIssue, 0, max(len(issues), 1))}
	for _, is := range issues {
		oi := OperationOutcomeIssue{Severity: is.Severity, Code: is.Type, Diagnostics: is.Diagnostics, Expression: is.Expression}
		if oi.Code == "" {
			oi.Code = IssueTypeBusinessRule
		}
		if is.Details.Code != "" {
			oi.Details = &CodeableConcept{Coding: []Coding{is.Details}}
		}
		o.Issue = append(o.Issue, oi)
	}
	if len(o.Issue) == 0 {
		o.Issue = append(o.Issue, OperationOutcomeIssue{Severity: SeverityInformation, Code: "informational", Diagnostics: "No issues found"})
	}
	return o
}

// errOutcome is wrapped by the error of MarshalOperationOutcome.
var errOutcome = errors.New("fhir: invalid OperationOutcome")

// MarshalOperationOutcome encodes o as indented FHIR JSON, the same bytes for
// the same value. It refuses an OperationOutcome that FHIR would not accept:
// no issue, or an issue without a known severity or a code.
func MarshalOperationOutcome(o OperationOutcome) ([]byte, error) {
	if o.ResourceType == "" {
		o.ResourceType = "OperationOutcome"
	}
	if len(o.Issue) == 0 {
		return nil, fmt.Errorf("%w: OperationOutcome.issue: is required", errOutcome)
	}
	for i, is := range o.Issue {
		if !is.Severity.Valid() {
			return nil, fmt.Errorf("%w: OperationOutcome.issue[%d].severity: unknown code %s", errOutcome, i, quoteCode(string(is.Severity)))
		}
		if is.Code == "" {
			return nil, fmt.Errorf("%w: OperationOutcome.issue[%d].code: is required", errOutcome, i)
		}
	}
	data, err := json.Marshal(o, json.Deterministic(true), jsontext.WithIndent("  "))
	if err != nil {
		return nil, fmt.Errorf("fhir: encoding OperationOutcome: %w", err)
	}
	return append(data, '\n'), nil
}
