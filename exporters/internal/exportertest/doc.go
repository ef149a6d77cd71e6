// Package exportertest holds the fakes the exporters' tests share: a drop
// counter that records, an HTTP server that never answers, a URL nothing
// listens on, and a small registry shaped like a function's metrics. It is
// imported by tests only.
package exportertest
