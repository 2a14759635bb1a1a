package main

import (
	"fmt"

	"github.com/collabmeet/collabmeet/recommend"

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
	to := fs.str("to", "", nil)
	strict := fs.boolean("strict")
	canonical := fs.str("canonical-base", fhir.DefaultCanonical, nil)
	files, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	switch {
	case *to == "":
		return fs.usageError("cli.error.to_required", nil)
	case *to != "fhir" && *to != "case":
		return fs.usageError("cli.error.to_value", nil)
	case len(files) != 1:
		return fs.usageError("cli.error.want_one_file", recommend.Args{"given": len(files)})
	}
	if _, err := fhir.CanonicalBase(*canonical); err != nil {
		return fs.usageError("cli.error.canonical_base", nil)
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
		fmt.Fprintf(e.stderr, "%s: %s\n", name, say(e.lang(), "cli.warning", recommend.Args{"text": problemText(e.lang(), w)}))
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
