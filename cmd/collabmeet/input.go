package main

import (
	"github.com/collabmeet/collabmeet/casedoc"
)

// readCase reads and validates the case in the named file. Every input format
// the CLI accepts is detected here.
func readCase(name string) (*casedoc.Case, error) {
	return casedoc.ReadFile(name)
}
