// Command collabmeet checks digital collaboration meetings against the
// recommendation catalogue, aggregates compliance across many meetings, and
// explains the catalogue.
//
// Usage:
//
//	collabmeet check [--policy FILE] [--format text|json|markdown|html|junit] [--fail-on required|recommended|advisory] CASE.json...
//	collabmeet report [--policy FILE] [--format text|json|markdown|html|csv] [FILE.ndjson | -]
//	collabmeet catalogue [--format text|json|markdown]
//	collabmeet explain ID
//	collabmeet convert --to fhir|case FILE
//	collabmeet generate [-n N] [--seed S]
//
// Exit codes: 0 when every case is compliant, 1 when one is not, 2 on unusable
// input or usage. Errors go to stderr, one line each, starting with the file name.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/collabmeet/collabmeet/recommend/report"
)

// env is what a command reads from and writes to, so that tests can run it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// The exit codes of every command.
const (
	exitOK       = 0 // every case compliant
	exitGaps     = 1 // a case is not compliant
	exitBadInput = 2 // unusable input or usage
)

type command struct {
	run     func(e *env, args []string) int
	summary string
}

var commands = map[string]command{
	"check":     {runCheck, "check case files against the catalogue"},
	"report":    {runReport, "aggregate an NDJSON stream of cases into a compliance report"},
	"catalogue": {runCatalogue, "print the recommendation catalogue"},
	"explain":   {runExplain, "explain one recommendation"},
	"convert":   {runConvert, "convert a case to a FHIR R4 Bundle and back"},
	"generate":  {runGenerate, "write synthetic cases as NDJSON"},
}

func main() {
	os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

func run(e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		return exitBadInput
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "collabmeet: unknown command %q\n", args[0])
		usage(e.stderr)
		return exitBadInput
	}
	return cmd.run(e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: collabmeet COMMAND [flags] [args]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
}

// colorOut reports whether text written to w may use colour: w is a terminal
// and NO_COLOR is unset.
func colorOut(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && report.ColorEnabled(f)
}
