//go:build !race

package recommend_test

// raceEnabled is true under the race detector: large tests use smaller inputs.
const raceEnabled = false
