package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
)

// flags is the flag set of one command. The help of each flag is a message
// of the message files (see help), read when the usage is printed, in the
// language of its reader: the files are the one source of every text.
type flags struct {
	*flag.FlagSet
	e     *env
	name  string
	lang  *string
	helps map[string]flagHelp // by flag name

	// failed is the flag whose value was refused by its last Set, with the
	// value and the error (see checkedValue).
	failed              *flag.Flag
	failedValue         string
	failedErr           error
	wrapped             bool
	defaultIsQuotedText map[string]bool
}

// flagHelp is the message of a flag's help and its args.
type flagHelp struct {
	id   string
	args recommend.Args
}

// newFlags returns the flag set of the named command.
func newFlags(e *env, name string) *flags {
	fs := &flags{FlagSet: flag.NewFlagSet("collabmeet "+name, flag.ContinueOnError), e: e, name: name,
		helps: map[string]flagHelp{}, defaultIsQuotedText: map[string]bool{}}
	fs.SetOutput(io.Discard)
	return fs
}

// help records the help of flag name: the message cli.flag.COMMAND.NAME
// when the files have one, else the shared cli.flag.NAME (--policy, --lang
// and --strict mean the same on every command). A backquoted word of the
// message names the flag's value in the usage (flag.UnquoteUsage). It
// returns the English text, which flag.FlagSet keeps as the flag's Usage.
func (fs *flags) help(name string, args recommend.Args) string {
	id := "cli.flag." + fs.name + "." + name
	if t, err := cliTexts(); err != nil || !t.Has(recommend.English, id) {
		id = "cli.flag." + name
	}
	fs.helps[name] = flagHelp{id: id, args: args}
	return say(recommend.English, id, args)
}

// str defines a string flag whose help is a message (see help).
func (fs *flags) str(name, value string, args recommend.Args) *string {
	fs.defaultIsQuotedText[name] = true
	return fs.String(name, value, fs.help(name, args))
}

// boolean defines a bool flag whose help is a message (see help).
func (fs *flags) boolean(name string) *bool { return fs.Bool(name, false, fs.help(name, nil)) }

// integer defines an int flag whose help is a message (see help).
func (fs *flags) integer(name string, value int, args recommend.Args) *int {
	return fs.Int(name, value, fs.help(name, args))
}

// int64Flag defines an int64 flag whose help is a message (see help).
func (fs *flags) int64Flag(name string, value int64) *int64 {
	return fs.Int64(name, value, fs.help(name, nil))
}

// uint64Flag defines a uint64 flag whose help is a message (see help).
func (fs *flags) uint64Flag(name string, value uint64) *uint64 {
	return fs.Uint64(name, value, fs.help(name, nil))
}

// duration defines a duration flag whose help is a message (see help).
func (fs *flags) duration(name string, value time.Duration) *time.Duration {
	return fs.Duration(name, value, fs.help(name, nil))
}

// function defines a flag that calls set with each value (flag.Func), whose
// help is a message (see help). An error of set that is a *sayError is
// shown in the reader's language.
func (fs *flags) function(name string, set func(string) error) {
	fs.Func(name, fs.help(name, nil), set)
}

// sayError is an error worded by a message of the message files.
type sayError struct {
	id   string
	args recommend.Args
}

func (s *sayError) Error() string { return say(recommend.English, s.id, s.args) }

// langFlag adds --lang.
func (fs *flags) langFlag() {
	fs.lang = fs.str("lang", "", recommend.Args{"list": orList(recommend.English, langNames())})
	fs.helps["lang"] = flagHelp{id: "cli.flag.lang"} // the list is in the reader's language (see printUsage)
}

// langNames are the tags of the languages of the built-in catalogue.
func langNames() []string {
	langs := catalogue.Builtin().Langs
	names := make([]string, len(langs))
	for i, l := range langs {
		names[i] = l.String()
	}
	return names
}

// parseLang is the language of --lang, when it is given and known.
func (fs *flags) parseLang() (recommend.Lang, bool) {
	if fs.lang == nil || *fs.lang == "" {
		return recommend.Lang{}, false
	}
	l, err := recommend.ParseLang(strings.ToLower(*fs.lang))
	if err != nil || !slices.Contains(catalogue.Builtin().Langs, l) {
		return recommend.Lang{}, false
	}
	return l, true
}

// uiLang is the language of the lines for people written while the flags
// are read: --lang when it was read and is known, else the environment's.
func (fs *flags) uiLang() recommend.Lang {
	if l, ok := fs.parseLang(); ok {
		return l
	}
	return fs.e.lang()
}

// language is --lang, or the language of the environment; an unknown --lang
// is reported on stderr, and ok is false.
func (fs *flags) language() (recommend.Lang, bool) {
	if fs.lang == nil || *fs.lang == "" {
		return fs.e.lang(), true
	}
	l, ok := fs.parseLang()
	if !ok {
		lang := fs.e.lang()
		fmt.Fprintf(fs.e.stderr, "collabmeet %s: %s\n", fs.name, say(lang, "cli.error.unknown_lang",
			recommend.Args{"arg": quoteArg(lang, *fs.lang), "list": orList(lang, langNames())}))
		return recommend.Lang{}, false
	}
	return l, true
}

// printUsage writes the command's usage and flags to w in lang, in the
// layout of flag.PrintDefaults.
func (fs *flags) printUsage(w io.Writer, lang recommend.Lang) {
	args := ""
	if t, err := cliTexts(); err == nil && t.Has(recommend.English, "cli.cmd."+fs.name+".args") {
		args = say(lang, "cli.cmd."+fs.name+".args", nil)
	}
	line := strings.TrimRight(say(lang, "cli.usage.command", recommend.Args{"command": fs.name, "args": args}), " ")
	fmt.Fprintf(w, "%s\n\n%s.\n", line, say(lang, "cli.cmd."+fs.name+".summary", nil))
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintf(w, "\n%s\n", say(lang, "cli.usage.flags", nil))
			first = false
		}
		fmt.Fprint(w, fs.flagUsage(f, lang))
	})
}

// flagUsage is the usage of one flag in lang, as flag.PrintDefaults
// words it: "  -name value\n    \thelp (default x)\n".
func (fs *flags) flagUsage(f *flag.Flag, lang recommend.Lang) string {
	text := f.Usage
	if h, ok := fs.helps[f.Name]; ok {
		args := h.args
		if f.Name == "lang" {
			args = recommend.Args{"list": orList(lang, langNames())}
		}
		text = say(lang, h.id, args)
	}
	shown := *f
	shown.Usage = text
	valueName, text := flag.UnquoteUsage(&shown)
	var b strings.Builder
	fmt.Fprintf(&b, "  -%s", f.Name)
	if valueName != "" {
		b.WriteString(" " + valueName)
	}
	if b.Len() <= 4 {
		b.WriteString("\t")
	} else {
		b.WriteString("\n    \t")
	}
	b.WriteString(strings.ReplaceAll(text, "\n", "\n    \t"))
	if d := f.DefValue; d != "" && d != "0" && d != "false" && d != "0s" {
		if fs.defaultIsQuotedText[f.Name] {
			d = fmt.Sprintf("%q", d)
		}
		b.WriteString(" " + say(lang, "cli.usage.default", recommend.Args{"value": d}))
	}
	b.WriteString("\n")
	return b.String()
}

// checkedValue is a flag's value that tells its flag set which value it
// refused, so that the error can be worded in the reader's language.
type checkedValue struct {
	flag.Value
	fs *flags
	f  *flag.Flag
}

func (v *checkedValue) Set(s string) error {
	err := v.Value.Set(s)
	if err != nil {
		v.fs.failed, v.fs.failedValue, v.fs.failedErr = v.f, s, err
	}
	return err
}

// IsBoolFlag keeps a bool flag one that needs no value.
func (v *checkedValue) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parse parses flags anywhere among the arguments (a "--" ends the flags)
// and returns the other arguments in order. On -h or --help it prints the
// usage on stdout and returns exitOK and false; on a bad flag it prints the
// error and the usage on stderr and returns exitBadInput and false. Both
// are in the language of --lang, wherever it is, else the environment's.
func (fs *flags) parse(args []string) ([]string, int, bool) {
	if !fs.wrapped {
		fs.VisitAll(func(f *flag.Flag) { f.Value = &checkedValue{Value: f.Value, fs: fs, f: f} })
		fs.wrapped = true
	}
	var rest []string
	for {
		err := fs.Parse(args)
		if err != nil && fs.lang != nil && *fs.lang == "" {
			*fs.lang = laterLang(args) // the usage is in the language of a --lang after -h too
		}
		if errors.Is(err, flag.ErrHelp) {
			fs.printUsage(fs.e.stdout, fs.uiLang())
			return nil, exitOK, false
		}
		if err != nil {
			lang := fs.uiLang()
			fmt.Fprintf(fs.e.stderr, "collabmeet %s: %s\n", fs.name, fs.flagError(lang, err))
			fs.printUsage(fs.e.stderr, lang)
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

// laterLang is the value of a --lang (or -lang) among args, before a "--":
// for the usage when Parse stopped at -h or a bad flag before reading it.
func laterLang(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		switch {
		case name != "lang":
		case hasValue:
			return value
		case i+1 < len(args):
			return args[i+1]
		}
	}
	return ""
}

// The errors of flag.FlagSet.Parse that name a flag, by their prefix: the
// formats of the flag package, stable since Go 1.
var flagErrors = []struct{ prefix, id, arg string }{
	{"flag provided but not defined: -", "cli.error.flag_undefined", "flag"},
	{"flag needs an argument: -", "cli.error.flag_needs_argument", "flag"},
	{"bad flag syntax: ", "cli.error.flag_syntax", "arg"},
}

// flagError words an error of Parse in lang.
func (fs *flags) flagError(lang recommend.Lang, err error) string {
	if fs.failed != nil {
		cause := fs.failedErr.Error()
		var s *sayError
		switch {
		case errors.As(fs.failedErr, &s):
			cause = say(lang, s.id, s.args)
		case cause == "parse error": // the flag package's errParse
			cause = say(lang, "cli.error.cause_parse", nil)
		case cause == "value out of range": // its errRange
			cause = say(lang, "cli.error.cause_range", nil)
		}
		return say(lang, "cli.error.flag_value", recommend.Args{"arg": quoteArg(lang, fs.failedValue), "flag": fs.failed.Name, "cause": cause})
	}
	msg := err.Error()
	for _, fe := range flagErrors {
		if v, ok := strings.CutPrefix(msg, fe.prefix); ok {
			if !plainArg(v) {
				v = say(lang, "cli.usage.special_argument", nil)
			}
			return say(lang, fe.id, recommend.Args{fe.arg: v})
		}
	}
	return msg
}

// usageError prints the message id with args and the usage on stderr, in
// the language of --lang or the environment's, and returns exitBadInput.
// The arg "arg" is an argument of the command line, shown by quoteArg.
func (fs *flags) usageError(id string, args recommend.Args) int {
	lang := fs.uiLang()
	if a, ok := args["arg"].(string); ok {
		args["arg"] = quoteArg(lang, a)
	}
	fmt.Fprintf(fs.e.stderr, "collabmeet %s: %s\n", fs.name, say(lang, id, args))
	fs.printUsage(fs.e.stderr, lang)
	return exitBadInput
}
