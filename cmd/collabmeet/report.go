package main

import "fmt"

// runReport is being written; see the open issues.
func runReport(e *env, args []string) int {
	fmt.Fprintln(e.stderr, "collabmeet report: not implemented yet")
	return exitBadInput
}
