package main

import (
	"fmt"
	"io"
	"os"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/validation"
)

// readCase reads and validates the case in the named file. Every input format
// the CLI accepts is detected here: a case document, or a FHIR R4 Bundle
// (told apart by its resourceType), which is converted to a case.
func readCase(name string) (*casedoc.Case, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readCaseFrom(f)
}

// readCaseFrom reads r to its end and decodes it as readCase does.
func readCaseFrom(r io.Reader) (*casedoc.Case, error) {
	// The larger limit of the two formats; each decoder applies its own.
	data, err := io.ReadAll(io.LimitReader(r, max(fhir.DefaultMaxBytes, casedoc.DefaultMaxBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	return decodeCase(data)
}

// decodeCase decodes data as a FHIR Bundle when its resourceType says so, and
// as a case document otherwise.
func decodeCase(data []byte) (*casedoc.Case, error) {
	switch fhir.ResourceTypeOf(data) {
	case "Bundle":
		return fhir.UnmarshalCase(data)
	case "":
		return casedoc.Unmarshal(data)
	}
	return nil, &validation.Error{Problems: []validation.Problem{{
		Path:    "resourceType",
		Message: "is a FHIR resource but not a Bundle: collabmeet reads a case document or a FHIR R4 Bundle",
	}}}
}
