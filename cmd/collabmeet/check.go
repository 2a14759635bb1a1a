package main

import "fmt"

// runCheck is being written; see the open issues.
func runCheck(e *env, args []string) int {
	fmt.Fprintln(e.stderr, "collabmeet check: not implemented yet")
	return exitBadInput
}
