package main

import "fmt"

// runCatalogue is being written; see the open issues.
func runCatalogue(e *env, args []string) int {
	fmt.Fprintln(e.stderr, "collabmeet catalogue: not implemented yet")
	return exitBadInput
}
