// Package promtest starts the real Prometheus parts that Lumen's metric
// exporters are proven against: a Pushgateway and a Prometheus server that
// scrapes it every second with honor_labels and accepts remote write. Both
// listen on free 127.0.0.1 ports, keep their state in the test's temporary
// folder and stop when the test that started them ends.
//
// The binaries are Debian's prometheus (2.42) and prometheus-pushgateway
// (1.5.1), installed by `bash scripts/install-tools.sh prometheus` and found
// with [testenv.Tool]: a missing binary skips the test locally and fails it
// under CI=true.
//
// [Stack.Query] runs an instant PromQL query and polls until the result is
// non-empty, so a test waits for the data it expects instead of sleeping;
// combine it with a filter (for example `push_time_seconds >= t`) to wait
// for fresh data, then assert exact values with one more query.
package promtest
