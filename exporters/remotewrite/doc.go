// Package remotewrite sends a Lambda function's Prometheus metrics to a
// Prometheus remote write endpoint (Prometheus with
// --web.enable-remote-write-receiver, Mimir, Thanos, Cortex, VictoriaMetrics
// and the like) at every flush.
//
// # Wire format
//
// Remote write 1.0: a snappy-compressed prometheus.WriteRequest protobuf,
// sent by client_golang's remote write client
// (github.com/prometheus/client_golang/exp/api/remote), which also retries
// network errors, 5xx and 429 with a short backoff inside the caller's
// context. Version 1.0 is what every receiver accepts, Prometheus 2.x
// included; client_golang ships Go types for 2.0 only, so Lumen encodes the
// 1.0 message itself, directly into a reused buffer.
//
// Each flush gathers the Gatherer and sends one sample per series, as a
// scrape would store it: counters, gauges and untyped metrics as they are;
// summaries as {quantile=...}, _sum and _count; histograms as classic
// _bucket{le=...} (with +Inf), _sum and _count. A histogram with native
// buckets only is sent as _sum and _count (native histograms over remote
// write need the receiver's native histogram support, which Prometheus 2.x
// keeps behind a feature flag).
//
// # One writer per series
//
// Every execution environment keeps its own counters from zero, so every
// series carries the target labels job (the function name) and instance
// (the environment's id), like a scrape would add; a metric label of the
// same name is kept as exported_<name>, as with honor_labels: false. With the
// instance label no two environments ever write the same series, and a
// receiver never sees a duplicate or out-of-order sample from them. Within
// one exporter, sample timestamps are the flush's wall-clock time in
// milliseconds, raised to one more than the previous flush's when the clock
// has not advanced (or went back), so they strictly increase per series.
//
// The instance is, in order: [WithInstance]; LUMEN_METRICS_INSTANCE; the part
// of AWS_LAMBDA_LOG_STREAM_NAME after its last "]"; a random 16-hex-digit id
// otherwise, and always under SnapStart
// (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start), drawn at the first flush so
// restored copies of one snapshot differ. Queries aggregate it away after
// rate, e.g. sum without (instance) (rate(faas_invocations_total[5m])).
//
// [Exporter.Shutdown] sends the final values followed by a staleness marker
// for every series (unless [WithoutStaleMarkers]), so an environment's
// series end when it does instead of lingering for the 5 minute lookback.
//
// # Bounded, counted
//
// ForceFlush and Shutdown never hold the caller past its context; a write
// that fails returns the error and reports its series to the
// [exporters.DropCounter] given with [WithDropCounter]. Writes are
// serialised, so timestamps arrive in order.
//
// # Configuration
//
// Options override environment variables, which override defaults:
//
//	LUMEN_REMOTE_WRITE_URL           endpoint, e.g. http://prometheus:9090/api/v1/write (required)
//	LUMEN_REMOTE_WRITE_JOB           job label (default: AWS_LAMBDA_FUNCTION_NAME, else "lumen")
//	LUMEN_METRICS_INSTANCE           instance label (default: derived as above)
//	LUMEN_REMOTE_WRITE_LABELS        extra labels on every series, "name=value,name=value"
//	LUMEN_REMOTE_WRITE_USERNAME      basic auth user name
//	LUMEN_REMOTE_WRITE_PASSWORD      basic auth password
//	LUMEN_REMOTE_WRITE_BEARER_TOKEN  sent as "Authorization: Bearer <token>"
//	LUMEN_REMOTE_WRITE_HEADERS       extra headers, "Name=value,Name=value" (values URL-decoded)
//
// # Selected by name
//
// Importing the package registers the exporter as "remotewrite" with
// [exporters.RegisterMetricsExporter], so that the runtime builds it when
// LUMEN_METRICS_EXPORTER lists remotewrite, configured from the variables above
// and counting its losses in the runtime's drop counter:
//
//	import _ "github.com/lumen-rt/lumen/exporters/remotewrite"
package remotewrite
