package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/collabmeet/collabmeet/recommend"
)

// runExplain is `collabmeet explain ID`: one recommendation of the built-in
// catalogue in full, with its parameters and the link to its documentation.
// The ID may be given in any case (pc-05). An unknown ID exits 2.
func runExplain(e *env, args []string) int {
	fs := flag.NewFlagSet("collabmeet explain", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: collabmeet explain ID   (for example: collabmeet explain PC-05)")
	}
	if err := fs.Parse(args); err != nil {
		return exitBadInput
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitBadInput
	}
	id := strings.ToUpper(strings.TrimSpace(fs.Arg(0)))
	r, ok := recommend.Lookup(id)
	if !ok {
		fmt.Fprintf(e.stderr, "collabmeet explain: unknown recommendation %q; collabmeet catalogue lists them all\n", fs.Arg(0))
		return exitBadInput
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s\n\n", r.ID, r.Title)
	fmt.Fprintf(&b, "  theme:     %s (%s)\n", recommend.ThemeTitle(r.Theme), r.Theme)
	fmt.Fprintf(&b, "  severity:  %s\n", r.Severity)
	phase := "before: applies to every case"
	if r.Phase == recommend.PhaseAfter {
		phase = "after: applies only when the meeting has been held"
	}
	fmt.Fprintf(&b, "  phase:     %s\n", phase)
	profile := "every profile"
	switch r.MinProfile {
	case recommend.ProfileStandard:
		profile = "standard and thorough; not applicable with minimal"
	case recommend.ProfileThorough:
		profile = "thorough only; not applicable with minimal and standard"
	}
	fmt.Fprintf(&b, "  profile:   %s\n", profile)
	waivable := "yes: a policy may waive or disable it, or change its severity"
	if r.Protected {
		waivable = "no: it protects the patient's consent and privacy"
	}
	fmt.Fprintf(&b, "  waivable:  %s\n", waivable)
	fmt.Fprintf(&b, "  source:    %s\n", r.Source)
	fmt.Fprintf(&b, "\nWhat is checked\n  %s\n", r.Statement)
	fmt.Fprintf(&b, "\nWhy\n  %s\n", r.Rationale)
	if len(r.Params) > 0 {
		b.WriteString("\nParameters (set them in a policy's \"params\")\n")
		for _, p := range r.Params {
			fmt.Fprintf(&b, "  %s = %v\n      %s\n", p.Name, p.Default, p.Doc)
		}
	}
	fmt.Fprintf(&b, "\nDocumentation\n  %s\n", r.Doc)
	fmt.Fprint(e.stdout, b.String())
	return exitOK
}
