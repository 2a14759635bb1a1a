//go:build casedocgen

// Command gencasedoc writes casedoc/decode_gen.go from the types of the
// case (see package gencasedoc). It is run by go generate in package casedoc,
// with the build tag casedocgen, under which casedoc builds without the
// generated file, so that a stale or broken one never stops the generator:
//
//	go generate ./casedoc
package main

import (
	"flag"
	"fmt"
	"os"
	"reflect"

	"github.com/collabmeet/collabmeet/casedoc"
	"github.com/collabmeet/collabmeet/internal/gencasedoc"
)

func main() {
	out := flag.String("o", "decode_gen.go", "file to write")
	flag.Parse()
	src, err := gencasedoc.Generate(reflect.TypeFor[casedoc.Case]())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencasedoc:", err)
		os.Exit(1)
	}
}
