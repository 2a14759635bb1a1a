package main

import "fmt"

// runExplain is being written; see the open issues.
func runExplain(e *env, args []string) int {
	fmt.Fprintln(e.stderr, "collabmeet explain: not implemented yet")
	return exitBadInput
}
