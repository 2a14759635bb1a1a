package main

import (
	"fmt"

	"github.com/collabmeet/collabmeet/fhir"
	"github.com/collabmeet/collabmeet/meeting"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/fix"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// runFix is `collabmeet fix [--patch] [--policy FILE] [--lang L] CASE.json`
// (docs/fixes.md): it writes the fixed case to stdout (same strict format,
// valid), or with --patch the RFC 6902 patch that fixes it. On stderr, in
// the language of --lang or the locale, one line per fixed recommendation
// and one per gap left for people, by ID. A held meeting is written back
// unchanged, with a note. Exit 0 when the case
// could be read (fixed or not), 2 on unusable input or usage.
func runFix(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	asPatch := fs.boolean("patch")
	policyFile := fs.str("policy", "", nil)
	canonical := fs.str("canonical-base", fhir.DefaultCanonical, nil)
	fs.langFlag()
	files, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(files) != 1 {
		return fs.usageError("cli.error.want_one_case", recommend.Args{"given": len(files)})
	}
	if _, err := fhir.CanonicalBase(*canonical); err != nil {
		return fs.usageError("cli.error.canonical_base", nil)
	}
	lang, ok := fs.language()
	if !ok {
		return exitBadInput
	}
	engine := loadEngine(e, *policyFile, lang)
	if engine == nil {
		return exitBadInput
	}
	file := files[0]
	in, err := readCaseWith(e, file, fhir.Reader{Canonical: *canonical})
	if err != nil {
		printProblems(e.stderr, lang, file, err)
		return exitBadInput
	}
	c := in.c
	res, err := fix.Apply(engine, c)
	if err != nil {
		printProblems(e.stderr, lang, file, err)
		return exitBadInput
	}
	if c.Meeting.Status != meeting.StatusPlanned {
		fmt.Fprintln(e.stderr, say(lang, "cli.fix.not_planned", recommend.Args{"file": file, "status": c.Meeting.Status}))
	}
	for _, id := range res.Fixed {
		fmt.Fprintln(e.stderr, say(lang, "cli.fix.fixed", recommend.Args{"file": file, "id": id}))
	}
	for _, id := range res.Left {
		fmt.Fprintln(e.stderr, say(lang, "cli.fix.left", recommend.Args{"file": file, "id": id}))
	}
	var out []byte
	if *asPatch {
		out, err = json.Marshal(res.Patch, json.Deterministic(true), jsontext.WithIndent("  "), json.FormatNilSliceAsNull(false))
		out = append(out, '\n')
	} else {
		out, err = marshalCase(res.Case)
	}
	if err != nil {
		printProblems(e.stderr, lang, file, err)
		return exitBadInput
	}
	if _, err := e.stdout.Write(out); err != nil {
		fmt.Fprintf(e.stderr, "collabmeet fix: writing: %v\n", err)
		return exitBadInput
	}
	return exitOK
}
