// Package flush holds the benchmarks of the flush point's cost per exporter:
// each operation records one invocation's telemetry (a span with the
// attributes Lumen's runtime sets, a log record, or one invocation's
// metrics) and then calls the exporter's ForceFlush, as the runtime does
// after every response. The backends are on loopback: a UDP socket for the
// X-Ray daemon, an OTLP/HTTP sink, a fake and (when installed) the real
// Pushgateway; EMF goes to io.Discard.
package flush
