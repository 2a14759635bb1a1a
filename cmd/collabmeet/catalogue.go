package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
)

// catalogueFormats are the output formats of catalogue.
var catalogueFormats = map[string]func(w io.Writer, recs []recommend.Recommendation) error{
	"text":     writeCatalogueText,
	"json":     writeCatalogueJSON,
	"markdown": writeCatalogueMarkdown,
}

// runCatalogue is `collabmeet catalogue [--format text|json|markdown]`: the
// built-in catalogue as a table, as data, or as docs/catalogue.md.
func runCatalogue(e *env, args []string) int {
	fs := flag.NewFlagSet("collabmeet catalogue", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "text", "output `format`: text, json or markdown")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: collabmeet catalogue [--format text|json|markdown]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitBadInput
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "collabmeet catalogue: unexpected argument %q\n", fs.Arg(0))
		return exitBadInput
	}
	write, ok := catalogueFormats[*format]
	if !ok {
		fmt.Fprintf(e.stderr, "collabmeet catalogue: unknown format %q (want text, json or markdown)\n", *format)
		return exitBadInput
	}
	if err := write(e.stdout, catalogueRecommendations()); err != nil {
		fmt.Fprintf(e.stderr, "collabmeet catalogue: %v\n", err)
		return exitBadInput
	}
	return exitOK
}

// catalogueRecommendations returns the built-in catalogue, in order.
func catalogueRecommendations() []recommend.Recommendation {
	rules := recommend.Catalogue()
	recs := make([]recommend.Recommendation, len(rules))
	for i := range rules {
		recs[i] = rules[i].Recommendation
	}
	return recs
}

func writeCatalogueText(w io.Writer, recs []recommend.Recommendation) error {
	var b strings.Builder
	fmt.Fprintf(&b, "collabmeet recommendation catalogue %s (%d recommendations)\n", recommend.CatalogueVersion, len(recs))
	var theme recommend.Theme
	for _, r := range recs {
		if r.Theme != theme {
			theme = r.Theme
			fmt.Fprintf(&b, "\n%s\n", recommend.ThemeTitle(theme))
		}
		marks := ""
		if r.Phase == recommend.PhaseAfter {
			marks += " [after the meeting]"
		}
		if r.MinProfile == recommend.ProfileThorough || r.MinProfile == recommend.ProfileStandard {
			marks += " [profile " + string(r.MinProfile) + "]"
		}
		if r.Protected {
			marks += " [not waivable]"
		}
		fmt.Fprintf(&b, "  %-6s %-12s %s%s\n", r.ID, r.Severity, r.Title, marks)
	}
	b.WriteString("\ncollabmeet explain ID prints one recommendation in full.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCatalogueJSON(w io.Writer, recs []recommend.Recommendation) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		CatalogueVersion string                     `json:"catalogue_version"`
		Recommendations  []recommend.Recommendation `json:"recommendations"`
	}{recommend.CatalogueVersion, recs})
}

func writeCatalogueMarkdown(w io.Writer, recs []recommend.Recommendation) error {
	return recommend.WriteCatalogueMarkdown(w, recommend.CatalogueVersion, recs)
}
