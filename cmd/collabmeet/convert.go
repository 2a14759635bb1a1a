package main

import "fmt"

// runConvert is being written; see the open issues.
func runConvert(e *env, args []string) int {
	fmt.Fprintln(e.stderr, "collabmeet convert: not implemented yet")
	return exitBadInput
}
