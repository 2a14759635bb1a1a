//go:build race

package main

// raceEnabled shrinks the streaming memory test: the race detector makes
// every case many times slower and its shadow memory muddies heap figures.
const raceEnabled = true
