// Command compliance-report is what a quality team runs: it generates many
// synthetic cases (casegen), checks them on every core, folds the reports
// into partial aggregates that it merges, prints the headline figures and
// writes the full aggregate to a file.
//
//	go run ./examples/compliance-report -n 20000 -o report.html
//
// The format follows the file's extension: .html is a self-contained page
// with charts (compliance per recommendation, the trend per month), .md
// Markdown, .csv a table, anything else the collabmeet.aggregate/v1 JSON.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/collabmeet/collabmeet/casegen"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
	"github.com/collabmeet/collabmeet/recommend/report"
)

func main() {
	n := flag.Int("n", 5000, "number of synthetic cases")
	seed := flag.Uint64("seed", 2026, "seed of the generator")
	out := flag.String("o", filepath.Join(os.TempDir(), "collabmeet-compliance.html"), "output `file`")
	flag.Parse()
	if err := run(os.Stdout, *n, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "compliance-report:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, n int, seed uint64, out string) error {
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	if err != nil {
		return err
	}
	agg := aggregate(engine, n, seed, 8)

	fmt.Fprintf(w, "%d cases, %d compliant (%.0f %%)\n", agg.Cases, agg.Compliant, 100*agg.Rate())
	fmt.Fprintln(w, "compliant cases per month:")
	for _, m := range agg.Months() {
		fmt.Fprintf(w, "  %s  %5.1f %%  (%d cases)\n", m.Month, 100*float64(m.Compliant)/float64(m.Cases), m.Cases)
	}
	weakest := slices.Clone(agg.Recommendations)
	slices.SortStableFunc(weakest, func(a, b recommend.RecommendationStats) int {
		switch {
		case a.Rate < b.Rate:
			return -1
		case a.Rate > b.Rate:
			return 1
		}
		return 0
	})
	fmt.Fprintln(w, "least followed recommendations:")
	for _, r := range weakest[:min(5, len(weakest))] {
		fmt.Fprintf(w, "  %-6s %-12s %5.1f %%  %s\n", r.ID, r.Severity, 100*r.Rate, r.Title)
	}

	format := "json"
	switch strings.ToLower(filepath.Ext(out)) {
	case ".html", ".htm":
		format = "html"
	case ".md":
		format = "markdown"
	case ".csv":
		format = "csv"
	}
	f, _ := report.Lookup(format)
	render := f.Aggregate
	file, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := render(file, report.Options{Lang: engine.Lang()}, agg); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return err
	}
	fmt.Fprintf(w, "report written to %s\n", out)
	return nil
}

// aggregate checks n generated cases in the given number of concurrent
// shards. Each shard has its own generator (seeded from seed and its number,
// so the cases do not depend on the machine) and its own partial aggregate;
// merging the partials gives the same result in any order.
func aggregate(engine *recommend.Engine, n int, seed uint64, workers int) *recommend.Aggregate {
	partials := make([]recommend.Aggregate, workers)
	var wg sync.WaitGroup
	for i := range workers {
		share := n / workers
		if i < n%workers {
			share++
		}
		wg.Go(func() {
			g := casegen.New(seed + uint64(i)*0x9e3779b97f4a7c15)
			for range share {
				partials[i].Add(engine.Check(g.Case()))
			}
		})
	}
	wg.Wait()
	var total recommend.Aggregate
	for i := range partials {
		total.Merge(&partials[i])
	}
	return &total
}
