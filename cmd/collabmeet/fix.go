package main

// runFix is `collabmeet fix [--patch] CASE.json` (fixes.md): not built yet.
func runFix(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	return fs.usageError("not available in this build")
}
