package main

import (
	"fmt"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// runConvert converts a case document or a FHIR R4 Bundle (detected as
// readCase does) to the format asked for with --to, on stdout: "fhir" writes
// a Bundle, "case" a case document. Problems go to stderr as "FILE: path:
// message" lines, with exit code 2. --canonical-base is the base of the
// extensions of a Bundle, read and written: that of the EHR's or the CDS
// Hooks service's (serve --canonical-base).
func runConvert(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	to := fs.String("to", "", "the output `format`: fhir (a FHIR R4 Bundle) or case (a case document)")
	strict := fs.Bool("strict", false, "refuse a FHIR Bundle with resources the mapping does not use (default: skip them, with a warning)")
	canonical := fs.String("canonical-base", fhir.DefaultCanonical,
		"canonical base `URL` of the FHIR extensions and code systems of a Bundle read or written, as the conformance resources at that base name them")
	files, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	switch {
	case *to == "":
		return fs.usageError("--to is required")
	case *to != "fhir" && *to != "case":
		return fs.usageError("--to must be fhir or case")
	case len(files) != 1:
		return fs.usageError("want one FILE, got %d", len(files))
	}
	if _, err := fhir.CanonicalBase(*canonical); err != nil {
		return fs.usageError("--canonical-base: %v", err)
	}

	name = files[0]
	in, err := readCaseWith(e, name, fhir.Reader{Strict: *strict, Canonical: *canonical})
	if name == "-" {
		name = "stdin"
	}
	if err != nil {
		printProblems(e.stderr, e.lang(), name, err)
		return exitBadInput
	}
	for _, w := range in.warnings {
		fmt.Fprintf(e.stderr, "%s: warning: %s\n", name, w)
	}
	c := in.c
	var out []byte
	if *to == "fhir" {
		out, err = fhir.Writer{Canonical: *canonical}.Marshal(c)
	} else {
		out, err = marshalCase(c)
	}
	if err != nil {
		printProblems(e.stderr, e.lang(), name, err)
		return exitBadInput
	}
	if _, err := e.stdout.Write(out); err != nil {
		fmt.Fprintf(e.stderr, "collabmeet convert: writing: %v\n", err)
		return exitBadInput
	}
	return exitOK
}

// marshalCase encodes a case document as indented JSON.
func marshalCase(c *casedoc.Case) ([]byte, error) {
	data, err := json.Marshal(c, json.Deterministic(true), jsontext.WithIndent("  "))
	if err != nil {
		return nil, fmt.Errorf("encoding the case: %w", err)
	}
	return append(data, '\n'), nil
}
