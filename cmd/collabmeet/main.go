// Command collabmeet checks digital collaboration meetings against the
// recommendation catalogue, aggregates compliance across many meetings,
// suggests fixes, and explains the catalogue.
//
// Usage:
//
//	collabmeet check [--policy FILE] [--format text|json|markdown|html|junit|fhir] [--fail-on required|recommended|advisory] [--lang en|nb] CASE.json...
//	collabmeet report [--policy FILE] [--format text|json|markdown|html|csv] [--fail-on SEVERITY] [--workers N] [--lang en|nb] [FILE.ndjson | -]...
//	collabmeet fix [--patch] [--policy FILE] [--lang en|nb] CASE.json
//	collabmeet catalogue [--format text|json|markdown] [--lang en|nb]
//	collabmeet explain [--lang en|nb] ID
//	collabmeet convert --to fhir|case FILE
//	collabmeet generate [-n N] [--seed S] [--typical]
//	collabmeet serve [--addr HOST:PORT] [--policy FILE] [--fhir-server ORIGIN]... [--trusted-issuer ISS=JWKS_URL... --audience URL]
//	collabmeet version
//	collabmeet help [COMMAND]
//
// Flags may come before or after the arguments. -h, --help and help COMMAND
// print a command's usage on stdout and exit 0. Without --lang, the language
// comes from LC_ALL, LC_MESSAGES or LANG (nb_NO.UTF-8, no, nn: Norwegian
// bokmål), else English.
//
// Exit codes: 0 when every case is compliant, 1 when one is not, 2 on unusable
// input or usage. Errors go to stderr, one line each, starting with the file
// name and the JSON path.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
)

// env is what a command reads from and writes to, so that tests can run it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// The exit codes of every command.
const (
	exitOK       = 0 // every case compliant
	exitGaps     = 1 // a case is not compliant
	exitBadInput = 2 // unusable input or usage
)

// command is one subcommand: its name, the arguments its usage shows, what
// it does, and how it runs.
type command struct {
	name, args, summary string
	run                 func(e *env, name string, args []string) int
}

// commands lists the subcommands in the order help shows them.
func commands() []command {
	return []command{
		{"check", "[flags] CASE.json...", "check case files (or FHIR Bundles) against the catalogue", runCheck},
		{"report", "[flags] [FILE.ndjson | -]...", "aggregate NDJSON streams of cases into a compliance report", runReport},
		{"fix", "[flags] CASE.json", "apply the suggested fixes to a planned meeting", runFix},
		{"catalogue", "[flags]", "print the recommendation catalogue", runCatalogue},
		{"explain", "[flags] ID", "explain one recommendation", runExplain},
		{"convert", "--to fhir|case FILE", "convert a case to a FHIR R4 Bundle and back", runConvert},
		{"generate", "[flags]", "write synthetic cases as NDJSON", runGenerate},
		{"serve", "[--addr HOST:PORT] [--policy FILE] [--fhir-server ORIGIN]... [--trusted-issuer ISS=JWKS_URL... --audience URL]", "serve the CDS Hooks service for EHRs (appointment-book)", runServe},
		{"version", "", "print the version of collabmeet and of its catalogue", runVersion},
	}
}

func main() {
	os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:]))
}

func run(e *env, args []string) int {
	if e.getenv == nil {
		e.getenv = func(string) string { return "" }
	}
	if len(args) == 0 {
		usage(e.stderr)
		return exitBadInput
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(e.stdout)
		return exitOK
	case "help":
		if len(args) == 1 {
			usage(e.stdout)
			return exitOK
		}
		if cmd, ok := lookup(args[1]); ok {
			return cmd.run(e, cmd.name, []string{"-h"})
		}
		fmt.Fprintf(e.stderr, "collabmeet help: unknown command %s\n", quoteArg(args[1]))
		return exitBadInput
	}
	cmd, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(e.stderr, "collabmeet: unknown command %s\n", quoteArg(args[0]))
		usage(e.stderr)
		return exitBadInput
	}
	return cmd.run(e, cmd.name, args[1:])
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: collabmeet COMMAND [flags] [args]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\ncollabmeet help COMMAND (or COMMAND -h) shows a command's flags.")
}

// quoteArg shows a command-line argument in an error: quoted when it is a
// plain word, described otherwise, so that control characters never reach
// the terminal.
func quoteArg(s string) string {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r > 0x7e {
			return "(an argument with special characters)"
		}
	}
	return fmt.Sprintf("%q", s)
}

// flags is the flag set of one command, with the usage line of help.
type flags struct {
	*flag.FlagSet
	e       *env
	name    string
	args    string
	summary string
	lang    *string
}

// newFlags returns the flag set of the named command.
func newFlags(e *env, name string) *flags {
	cmd, _ := lookup(name)
	fs := &flags{FlagSet: flag.NewFlagSet("collabmeet "+name, flag.ContinueOnError), e: e, name: name, args: cmd.args, summary: cmd.summary}
	fs.SetOutput(io.Discard)
	return fs
}

// langFlag adds --lang.
func (fs *flags) langFlag() {
	fs.lang = fs.String("lang", "", "language of the texts: en or nb (default: from LC_ALL, LC_MESSAGES or LANG)")
}

// lang is the language of the environment (LC_ALL, LC_MESSAGES, LANG),
// among those of the built-in catalogue: for the lines written before
// --lang is read, or by a command without it.
func (e *env) lang() recommend.Lang {
	return recommend.LangFromEnv(catalogue.Builtin().Langs, e.getenv)
}

// language is --lang, or the language of the environment.
func (fs *flags) language() (recommend.Lang, bool) {
	langs := catalogue.Builtin().Langs
	if fs.lang == nil || *fs.lang == "" {
		return fs.e.lang(), true
	}
	l, err := recommend.ParseLang(strings.ToLower(*fs.lang))
	if err != nil || !slices.Contains(langs, l) {
		names := make([]string, len(langs))
		for i, l := range langs {
			names[i] = l.String()
		}
		want := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
		fmt.Fprintf(fs.e.stderr, "collabmeet %s: unknown --lang %s (want %s)\n", fs.name, quoteArg(*fs.lang), want)
		return recommend.Lang{}, false
	}
	return l, true
}

// printUsage writes the command's usage and flags to w.
func (fs *flags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "usage: collabmeet %s %s\n\n%s.\n", fs.name, fs.args, fs.summary)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nflags (before or after the arguments):")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// parse parses flags anywhere among the arguments (a "--" ends the flags)
// and returns the other arguments in order. On -h or --help it prints the
// usage on stdout and returns exitOK and false; on a bad flag it prints the
// error and the usage on stderr and returns exitBadInput and false.
func (fs *flags) parse(args []string) ([]string, int, bool) {
	var rest []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.printUsage(fs.e.stdout)
			return nil, exitOK, false
		}
		if err != nil {
			fmt.Fprintf(fs.e.stderr, "collabmeet %s: %v\n", fs.name, err)
			fs.printUsage(fs.e.stderr)
			return nil, exitBadInput, false
		}
		left := fs.Args()
		if consumed := len(args) - len(left); consumed > 0 && args[consumed-1] == "--" {
			return append(rest, left...), exitOK, true
		}
		if len(left) == 0 {
			return rest, exitOK, true
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// usageError prints msg and the usage on stderr and returns exitBadInput.
func (fs *flags) usageError(format string, a ...any) int {
	fmt.Fprintf(fs.e.stderr, "collabmeet %s: %s\n", fs.name, fmt.Sprintf(format, a...))
	fs.printUsage(fs.e.stderr)
	return exitBadInput
}

// colorOut reports whether text written to w may use colour: w is a terminal,
// NO_COLOR is unset and TERM is not dumb (report.ColorEnabled).
func colorOut(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && report.ColorEnabled(f)
}
