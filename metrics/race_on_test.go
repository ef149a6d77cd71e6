//go:build race

package metrics_test

// raceEnabled reports a -race build, whose instrumentation allocates.
const raceEnabled = true
