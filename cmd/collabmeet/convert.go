package main

import (
	"flag"
	"fmt"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/fhir"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

const convertUsage = "usage: collabmeet convert --to fhir|case FILE   (FILE - reads stdin)"

// runConvert converts a case document or a FHIR R4 Bundle (detected as
// readCase does) to the format asked for with --to, on stdout: "fhir" writes
// a Bundle, "case" a case document. Problems go to stderr as "FILE: path:
// message" lines, with exit code 2.
func runConvert(e *env, args []string) int {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprintln(e.stderr, convertUsage) }
	to := fs.String("to", "", "the output format: fhir (a FHIR R4 Bundle) or case (a case document)")
	// Flags may come before or after the file.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return exitBadInput
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case *to != "fhir" && *to != "case":
		if *to == "" {
			fmt.Fprintln(e.stderr, "collabmeet convert: --to is required")
		} else {
			fmt.Fprintln(e.stderr, "collabmeet convert: --to must be fhir or case")
		}
		fmt.Fprintln(e.stderr, convertUsage)
		return exitBadInput
	case len(files) != 1:
		fmt.Fprintf(e.stderr, "collabmeet convert: want one FILE, got %d\n", len(files))
		fmt.Fprintln(e.stderr, convertUsage)
		return exitBadInput
	}

	name := files[0]
	var (
		c   *casedoc.Case
		err error
	)
	if name == "-" {
		name = "stdin"
		c, err = readCaseFrom(e.stdin)
	} else {
		c, err = readCase(name)
	}
	if err != nil {
		printProblems(e.stderr, name, err)
		return exitBadInput
	}
	var out []byte
	if *to == "fhir" {
		out, err = fhir.MarshalCase(c)
	} else {
		out, err = marshalCase(c)
	}
	if err != nil {
		printProblems(e.stderr, name, err)
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
