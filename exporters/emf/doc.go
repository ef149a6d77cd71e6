// Package emf writes metrics to stdout as CloudWatch Embedded Metric Format
// (EMF) documents, one JSON object per line, the way AWS Lambda Powertools
// does. CloudWatch Logs extracts the metrics from the function's log
// stream: no network call, no extension, no extra process. Grafana reads
// them through the CloudWatch data source.
//
// The exporter reads an exporters.SeriesSource: Lumen's *metrics.Recorder,
// read without a gather, or any prometheus.Gatherer through
// metrics.NewGatherVisitor. It reads no environment variable: the
// namespace and constant dimensions (Powertools' POWERTOOLS_METRICS_NAMESPACE
// and POWERTOOLS_SERVICE_NAME) come from [WithNamespace] and
// [WithDimensions].
//
// # One document per flush
//
// Every [Exporter.ForceFlush] writes one document holding every metric
// that changed since the previous flush:
//
//	{"_aws":{"Timestamp":<ms>,"CloudWatchMetrics":[
//	   {"Namespace":"Lumen","Dimensions":[["faas_name","faas_trigger"]],
//	    "Metrics":[{"Name":"faas_invocations_total","Unit":"Count"},…]},
//	   {"Namespace":"Lumen","Dimensions":[["faas_name"]],
//	    "Metrics":[{"Name":"faas_phase_duration_seconds.handle","Unit":"Seconds"},…]}]},
//	 "faas_name":"orders","faas_trigger":"http",
//	 "faas_invocations_total":1,
//	 "faas_phase_duration_seconds.handle":{"Values":[0.00375],"Counts":[1],"Max":0.005,"Min":0.0025,"Count":1,"Sum":0.003},…}
//
// A series' labels (plus the constant dimensions) are its dimension set;
// each distinct set of dimension names is a MetricDirective of at most
// [MaxMetricsPerDocument] metrics. A document's root holds one value per
// name, so a flush needs more documents only where EMF forces it: when two
// series of one metric changed (faas_trigger http and pubsub after a mixed
// batch, two error types), when two series give one dimension different
// values, or when a document would pass [MaxDocumentBytes]. The labels of
// [WithNameLabels] (by default the phase of faas_phase_duration_seconds,
// whose four series change on every invocation) become part of the metric
// name instead, so that a flush after one invocation is one document.
//
// A label with an empty value is absent, as in Prometheus. Names and
// dimensions are made printable ASCII (other bytes become "_") and cut to
// CloudWatch's lengths. A series with more than [MaxDimensions] dimensions
// cannot be expressed: it is dropped, counted through [WithDropCounter],
// and reported in the error ([ErrTooManyDimensions]).
//
// # Values
//
//   - Counters are written as the increase since the previous flush (the
//     first flush writes the value since the process started; a counter
//     that went down is taken to have restarted).
//   - Gauges are written when their value changed, the first flush
//     included.
//   - Histograms are written in EMF's distribution form, from which
//     CloudWatch computes percentiles: Values are the representative values
//     of the buckets that counted observations since the previous flush
//     (the bucket's midpoint; above the last bound, what the sum leaves),
//     Counts the observations each counted, with Min and Max (the edges of
//     the lowest and highest of those buckets), Count and Sum. At most
//     [MaxValues] values: neighbouring buckets are merged beyond.
//   - Summaries are written as two counters, <name>_sum and <name>_count.
//   - Nothing is written for a series that did not change.
//   - NaN and infinite values have no JSON form: they are dropped and
//     counted.
//
// Units come from the series' UCUM unit (s: Seconds, By: Bytes, {…}: Count)
// or, for gathered metrics without one, from the Prometheus name's suffix:
// _seconds → Seconds, _bytes → Bytes, _total and _count → Count (unless a
// base unit precedes _total), _percent → Percent, anything else None.
//
// # Cost
//
// Lumen's default metrics after one invocation (faas_name set, warm, a
// success over HTTP) make one document of about 1.75 KB: 1,774 bytes per
// invocation when flushing after each one, 18 bytes per invocation when
// flushing after 100 (the same document with larger counts), against six
// documents and 2.8 KB per invocation when every label set had its own
// document and histograms only their sum and count. A flush reads the
// Recorder without a gather and allocates twice (the goroutine that writes).
//
// # Delivery
//
// A document's values are committed (their baselines advanced) only once
// it has been written: if the writer fails, the next flush writes the same
// changes again, so nothing is lost, and the error is returned. EMF
// delivery is at-least-once on CloudWatch's side too. ForceFlush and
// Shutdown honour their context: the document is written by a goroutine
// the call waits for within ctx, so a write blocked on a full pipe is left
// to finish in the background and the call returns the context's error;
// what the final flush of Shutdown could not write is counted as dropped.
package emf
