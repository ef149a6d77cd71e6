package runtime

import "os"

// WithShutdownSignals replaces SIGTERM delivery with signals, so that tests
// run the shutdown sequence without signalling the test process.
func WithShutdownSignals(signals <-chan os.Signal) Option {
	return func(o *options) { o.shutdownSignals = signals }
}
