// Package emf writes the metrics of a prometheus.Gatherer to stdout as
// CloudWatch Embedded Metric Format (EMF) documents, one JSON object per
// line, the way AWS Lambda Powertools does. CloudWatch Logs extracts the
// metrics from the function's log stream: no network call, no extension, no
// extra process. Grafana reads them through the CloudWatch data source.
//
// # Documents
//
// Every [Exporter.ForceFlush] gathers once and writes documents of the form
//
//	{"_aws":{"Timestamp":<ms>,"CloudWatchMetrics":[{"Namespace":"Lumen",
//	  "Dimensions":[["faas_name","faas_trigger"]],
//	  "Metrics":[{"Name":"faas_invocations_total","Unit":"Count"}]}]},
//	 "faas_name":"orders","faas_trigger":"http","faas_invocations_total":1}
//
// Series are grouped by their label set: the labels (plus the constant
// dimensions of [WithDimensions]) become one dimension set, and every metric
// with exactly those label values goes into the same document, at most 100
// metrics a document (further ones go into further documents). A label
// with an empty value is absent, as in Prometheus. Dimension names and values
// are made printable ASCII (other bytes become "_") and cut to CloudWatch's
// lengths. A series with more than 30 dimensions cannot be expressed: it is
// dropped, counted through [WithDropCounter], and reported in the error.
//
// # Values
//
//   - Counters are written as the increase since the previous flush (the
//     first flush writes the value since the process started; a counter
//     that went down is taken to have restarted). Zero increases are not
//     written, so a flush after each invocation writes only what moved.
//   - Gauges and untyped metrics are written as their current value on
//     every flush.
//   - Histograms and summaries are written as two counters, <name>_sum and
//     <name>_count, each the increase since the previous flush: CloudWatch
//     computes averages (SUM(x_sum)/SUM(x_count)) and rates from them.
//     Buckets are not written, because EMF has no bucket form: a metric value
//     is a number or an array of up to 100 individual observations, which a
//     histogram's bucket counts cannot reproduce. Percentiles of the
//     invocation duration are CloudWatch's own Duration metric.
//   - NaN and infinite values have no JSON form: they are skipped and
//     counted as dropped.
//
// Units come from the metric name's Prometheus suffix: _seconds → Seconds,
// _bytes → Bytes, _total and _count → Count (unless a base unit precedes
// _total), _percent → Percent, anything else None.
//
// # Delivery
//
// A document is committed (its counters' baselines advanced) only once it
// has been written: if the writer fails, the next flush writes the same
// increases again, so nothing is lost, and the error is returned. EMF
// delivery is at-least-once on CloudWatch's side too. ForceFlush and
// Shutdown honour their context: a write blocked on a full pipe is left to
// finish in the background and the call returns the context's error.
package emf
