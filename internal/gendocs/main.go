// Command gendocs writes docs/catalogue.md from the built-in catalogue in
// code. It is run by go generate in package recommend/catalogue:
//
//	go generate ./recommend/catalogue
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/collabmeet/collabmeet/internal/cataloguedoc"
	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/recommend/catalogue"
)

func main() {
	out := flag.String("o", "docs/catalogue.md", "file to write")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func write(name string) error {
	engine, err := recommend.New(catalogue.Builtin(), recommend.Policy{})
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := cataloguedoc.Markdown(&b, engine, recommend.English); err != nil {
		return err
	}
	return os.WriteFile(name, b.Bytes(), 0o644)
}
