package main

import (
	"bufio"
	"fmt"

	"github.com/collabmeet/collabmeet/recommend"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/go-json-experiment/json"
)

// runGenerate is `collabmeet generate [-n N] [--seed S] [--typical]`: it
// writes N synthetic cases (see casegen) to stdout as NDJSON, one case a
// line; with --typical, only compliant cases of the typical shape
// (casegen.Generator.Typical). The same seed gives the same bytes. Exit code 0, or 2 on a usage error or
// when stdout cannot be written.
func runGenerate(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	n := fs.integer("n", 100, nil)
	seed := fs.uint64Flag("seed", 1)
	typical := fs.boolean("typical")
	rest, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return fs.usageError("cli.error.unexpected_argument", recommend.Args{"arg": rest[0]})
	}
	if *n < 0 {
		return fs.usageError("cli.error.n_negative", nil)
	}
	w := bufio.NewWriterSize(e.stdout, 256<<10)
	g := casegen.New(*seed)
	next := g.Case
	if *typical {
		next = g.Typical
	}
	for range *n {
		data, err := json.Marshal(next())
		if err == nil {
			_, err = w.Write(append(data, '\n'))
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "collabmeet generate: %v\n", err)
			return exitBadInput
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "collabmeet generate: %v\n", err)
		return exitBadInput
	}
	return exitOK
}
