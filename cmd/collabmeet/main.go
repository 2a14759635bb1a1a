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
// bokmål), else English. Every line for people is in that language: the
// usage, each flag's help and the usage errors (the messages of
// cmd/collabmeet/messages), and the problems of a case or a policy (those of
// validation/messages); the JSON logs of serve are not.
//
// Exit codes: 0 when every case is compliant, 1 when one is not, 2 on unusable
// input or usage. Errors go to stderr, one line each, starting with the file
// name and the JSON path.
package main

import (
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

// command is one subcommand: its name and how it runs. What its usage
// shows (its arguments and summary) are the messages cli.cmd.NAME.args and
// cli.cmd.NAME.summary of the message files, in the reader's language.
type command struct {
	name string
	run  func(e *env, name string, args []string) int
}

// commands lists the subcommands in the order help shows them.
func commands() []command {
	return []command{
		{"check", runCheck},
		{"report", runReport},
		{"fix", runFix},
		{"catalogue", runCatalogue},
		{"explain", runExplain},
		{"convert", runConvert},
		{"generate", runGenerate},
		{"serve", runServe},
		{"version", runVersion},
	}
}

func main() {
	os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:]))
}

func run(e *env, args []string) int {
	if e.getenv == nil {
		e.getenv = func(string) string { return "" }
	}
	lang := e.lang()
	if len(args) == 0 {
		usage(e.stderr, lang)
		return exitBadInput
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(e.stdout, lang)
		return exitOK
	case "help":
		if len(args) == 1 {
			usage(e.stdout, lang)
			return exitOK
		}
		if cmd, ok := lookup(args[1]); ok {
			// The flags after the command (--lang nb) are read before -h.
			return cmd.run(e, cmd.name, append(slices.Clone(args[2:]), "-h"))
		}
		fmt.Fprintf(e.stderr, "collabmeet help: %s\n", say(lang, "cli.error.unknown_command", recommend.Args{"arg": quoteArg(lang, args[1])}))
		return exitBadInput
	}
	cmd, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(e.stderr, "collabmeet: %s\n", say(lang, "cli.error.unknown_command", recommend.Args{"arg": quoteArg(lang, args[0])}))
		usage(e.stderr, lang)
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

// usage writes the list of commands to w in lang.
func usage(w io.Writer, lang recommend.Lang) {
	fmt.Fprintf(w, "%s\n\n%s\n", say(lang, "cli.usage.main", nil), say(lang, "cli.usage.commands", nil))
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, say(lang, "cli.cmd."+c.name+".summary", nil))
	}
	fmt.Fprintf(w, "\n%s\n", say(lang, "cli.usage.more", nil))
}

// quoteArg shows a command-line argument in an error: quoted when it is a
// plain word, described in lang otherwise, so that control characters never
// reach the terminal.
func quoteArg(lang recommend.Lang, s string) string {
	if !plainArg(s) {
		return say(lang, "cli.usage.special_argument", nil)
	}
	return fmt.Sprintf("%q", s)
}

// plainArg reports whether s is printable ASCII alone.
func plainArg(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r > 0x7e {
			return false
		}
	}
	return true
}

// lang is the language of the environment (LC_ALL, LC_MESSAGES, LANG),
// among those of the built-in catalogue: for the lines written before
// --lang is read, or by a command without it.
func (e *env) lang() recommend.Lang {
	return recommend.LangFromEnv(catalogue.Builtin().Langs, e.getenv)
}

// orList joins names for people in lang: "en or nb", "a, b or c".
func orList(lang recommend.Lang, names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + say(lang, "cli.usage.or", nil) + " " + names[len(names)-1]
}

// colorOut reports whether text written to w may use colour: w is a terminal,
// NO_COLOR is unset and TERM is not dumb (report.ColorEnabled).
func colorOut(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && report.ColorEnabled(f)
}
