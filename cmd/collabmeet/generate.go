package main

import "fmt"

// runGenerate is being written; see the open issues.
func runGenerate(e *env, args []string) int {
	fmt.Fprintln(e.stderr, "collabmeet generate: not implemented yet")
	return exitBadInput
}
