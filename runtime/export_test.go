package runtime

import "os"

// WithShutdownSignals replaces SIGTERM delivery with signals, so that tests
// run the shutdown sequence without signalling the test process.
func WithShutdownSignals(signals <-chan os.Signal) Option {
	return func(o *options) { o.shutdownSignals = signals }
}

// SetExit replaces os.Exit in Start and returns a function that restores
// it. Tests that use it must not run in parallel.
func SetExit(f func(code int)) (restore func()) {
	old := exitFunc
	exitFunc = f
	return func() { exitFunc = old }
}

// WithDefaults is what Start adds to the user's options.
var WithDefaults = withDefaults
