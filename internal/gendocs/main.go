// Command gendocs writes docs/catalogue.md from the catalogue in code. It is
// run by go generate in package recommend:
//
//	go generate ./recommend
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/collabmeet/collabmeet/recommend"
)

func main() {
	out := flag.String("o", "docs/catalogue.md", "file to write")
	flag.Parse()
	rules := recommend.Catalogue()
	recs := make([]recommend.Recommendation, len(rules))
	for i := range rules {
		recs[i] = rules[i].Recommendation
	}
	var b bytes.Buffer
	if err := recommend.WriteCatalogueMarkdown(&b, recommend.CatalogueVersion, recs); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
