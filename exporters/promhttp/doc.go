// Package promhttp serves a Gatherer's metrics on an HTTP /metrics endpoint
// for local runs: under the Runtime Interface Emulator, in a container, or
// in a test, where a Prometheus can scrape the process. Inside Lambda the
// process is frozen between invocations and cannot be scraped; use the
// push, remote-write, OTLP or EMF exporters there.
//
// The endpoint is client_golang's promhttp handler: it negotiates the text,
// OpenMetrics and protobuf formats (native histograms need protobuf), and
// serves what it could gather when a collector fails. The server listens on
// 127.0.0.1:9464 unless told otherwise, starts with [Server.Start] and stops
// with [Server.Shutdown], both bounded by their context.
package promhttp
