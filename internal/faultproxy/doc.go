// Package faultproxy is a switchable TCP/HTTP proxy that Lumen's
// integration tests put between a function and a real backend (the
// OpenTelemetry Collector, a Pushgateway, Prometheus' remote write
// receiver), so that a test can break the path in one of the ways a
// telemetry backend fails, then heal it, while the function keeps running.
//
// A [Proxy] listens on a free 127.0.0.1 port and forwards every connection
// to its upstream until told otherwise with [Proxy.Set]:
//
//   - [Healthy] forwards bytes both ways (any protocol, HTTP/2 included);
//   - [Refused] closes the listener, so connections are refused as by a
//     host where nothing listens; healing opens it again on the same port;
//   - [Blackholed] accepts connections and reads them, and never answers;
//   - [Slow] answers each HTTP request after a delay (5 s in the fault
//     matrix) by forwarding it then, unless the caller gave up first;
//   - [Answer] answers every HTTP request itself with a status (a 5xx, a
//     429 with Retry-After, or a 200 whose body is not what the caller
//     expects), without forwarding;
//   - [Garbage] answers bytes that are not HTTP and closes the connection.
//
// Switching closes every connection open under the previous fault, so a
// kept-alive connection cannot carry the old behaviour into the new one,
// and nothing is forwarded late after a heal. [Proxy.Waiting] tells how
// many requests the proxy holds without answering (blackholed connections,
// slow requests), which lets a test see that a caller is stuck on it
// without timing anything.
package faultproxy
