package main

import (
	"fmt"
	"io"
	"os"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/validation"
)

// input is one case as a command read it: the case, and for a FHIR Bundle
// the Source that maps it back to the Bundle's own records, and the
// warnings about resources the mapping skipped.
type input struct {
	c        *casedoc.Case
	source   *fhir.Source // nil for a case document
	warnings []validation.Problem
}

// readCase reads and validates the case in the named file ("-" is stdin).
// Every input format the CLI accepts is detected here: a case document, or
// a FHIR R4 Bundle (told apart by its resourceType), converted to a case;
// strict refuses a Bundle with resources the mapping does not use.
func readCase(e *env, name string, strict bool) (*input, error) {
	return readCaseWith(e, name, fhir.Reader{Strict: strict})
}

// readCaseWith is readCase with the fhir.Reader of Bundles (its Strict, and
// the Canonical base of the extensions).
func readCaseWith(e *env, name string, rd fhir.Reader) (*input, error) {
	var r io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	// The larger limit of the two formats; each decoder applies its own.
	data, err := io.ReadAll(io.LimitReader(r, max(fhir.DefaultMaxBytes, casedoc.DefaultMaxBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	return decodeCase(data, rd)
}

// decodeCase decodes data as a FHIR Bundle with rd when its resourceType
// says so, and as a case document otherwise.
func decodeCase(data []byte, rd fhir.Reader) (*input, error) {
	switch fhir.ResourceTypeOf(data) {
	case "Bundle":
		c, src, err := rd.Read(data)
		if err != nil {
			return nil, err
		}
		return &input{c: c, source: src, warnings: src.Warnings()}, nil
	case "":
		c, err := casedoc.Unmarshal(data)
		if err != nil {
			return nil, err
		}
		return &input{c: c}, nil
	}
	return nil, &validation.Error{Problems: []validation.Problem{validation.Coded("resourceType", "not_bundle")}}
}

// annotate points the findings of rep at the records of the Bundle the case
// came from: the original reference of each subject, and the FHIR element
// of each path.
func (in *input) annotate(rep *recommend.Report) {
	if in.source == nil {
		return
	}
	for i := range rep.Results {
		for k := range rep.Results[i].Findings {
			f := &rep.Results[i].Findings[k]
			f.Reference = in.source.Reference(f.SubjectID)
			f.Expression = in.source.Expression(f.Path)
		}
	}
}
