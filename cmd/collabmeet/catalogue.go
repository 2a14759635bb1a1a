package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/collabmeet/collabmeet/internal/cataloguedoc"
	"github.com/collabmeet/collabmeet/recommend"
)

// catalogueFormats are the output formats of catalogue.
var catalogueFormats = map[string]func(io.Writer, *recommend.Engine, recommend.Lang) error{
	"text":     cataloguedoc.Text,
	"json":     cataloguedoc.JSON,
	"markdown": cataloguedoc.Markdown,
}

// catalogueFormatNames names the formats of catalogue, sorted.
func catalogueFormatNames() []string { return slices.Sorted(maps.Keys(catalogueFormats)) }

// runCatalogue is `collabmeet catalogue [--format text|json|markdown]
// [--lang L]`: the built-in catalogue as a table, as data, or as
// docs/catalogue.md.
func runCatalogue(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	format := fs.str("format", "text", recommend.Args{"list": strings.Join(catalogueFormatNames(), ", ")})
	fs.langFlag()
	rest, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return fs.usageError("cli.error.unexpected_argument", recommend.Args{"arg": rest[0]})
	}
	write, ok := catalogueFormats[*format]
	if !ok {
		return fs.usageError("cli.error.unknown_format", recommend.Args{"arg": *format, "list": strings.Join(catalogueFormatNames(), ", ")})
	}
	lang, ok := fs.language()
	if !ok {
		return exitBadInput
	}
	engine := loadEngine(e, "", lang)
	if engine == nil {
		return exitBadInput
	}
	if err := write(e.stdout, engine, lang); err != nil {
		fmt.Fprintf(e.stderr, "collabmeet catalogue: %v\n", err)
		return exitBadInput
	}
	return exitOK
}

// runExplain is `collabmeet explain [--lang L] ID`: one recommendation of the
// built-in catalogue in full, with its parameters, finding codes and the
// link to its documentation. The ID may be given in any case (pc-05). An
// unknown ID exits 2.
func runExplain(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	fs.langFlag()
	rest, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return fs.usageError("cli.error.want_one_id", nil)
	}
	lang, ok := fs.language()
	if !ok {
		return exitBadInput
	}
	engine := loadEngine(e, "", lang)
	if engine == nil {
		return exitBadInput
	}
	r, ok := engine.Recommendation(strings.ToUpper(strings.TrimSpace(rest[0])))
	if !ok {
		fmt.Fprintf(e.stderr, "collabmeet explain: %s\n", say(lang, "cli.error.unknown_recommendation", recommend.Args{"arg": quoteArg(lang, rest[0])}))
		return exitBadInput
	}
	if err := cataloguedoc.Explain(e.stdout, engine, lang, r); err != nil {
		fmt.Fprintf(e.stderr, "collabmeet explain: %v\n", err)
		return exitBadInput
	}
	return exitOK
}
