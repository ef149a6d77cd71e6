// Package pushgateway pushes a Lambda function's Prometheus metrics to a
// Prometheus Pushgateway, the way out for metrics of a process that cannot be
// scraped and may be frozen after every invocation.
//
// # Grouping key: one group per execution environment
//
// Every execution environment keeps its own counters, starting from zero. If
// several environments pushed to one grouping key, each push would replace
// the others' values and about half the increments would be lost. The
// [Exporter] therefore pushes to a grouping key of its own:
//
//	job      = the function name (AWS_LAMBDA_FUNCTION_NAME), or "lumen"
//	instance = the execution environment's id
//
// plus any labels added with [WithGrouping]. The environment id is, in order:
// [WithInstance]; LUMEN_METRICS_INSTANCE; the part of
// AWS_LAMBDA_LOG_STREAM_NAME after its last "]" (the log stream name is
// "2026/11/29/[$LATEST]<32 hex digits>", one stream per environment, so the
// id also finds the environment's logs); a random 16-hex-digit id otherwise.
// Under SnapStart (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start) every copy
// restored from one snapshot shares the environment captured at init, so
// there the random id is used, drawn at the first push after the restore.
//
// Each push is a PUT of the whole registry: it replaces the environment's own
// group and nothing else, so a metric that disappears from the registry also
// disappears from the group, and no environment can overwrite another's.
// Queries sum across environments after rate, e.g.
// sum without (instance) (rate(faas_invocations_total[5m])); the scrape job
// must set honor_labels: true so the pushed job and instance labels are kept.
//
// The Pushgateway never forgets a group. [Exporter.Shutdown] deletes the
// environment's group (unless [WithoutDeleteOnShutdown]), so the number of
// groups follows the number of live environments. Increments pushed after
// the last scrape are lost with the group; flush with [Exporter.ForceFlush]
// early in the shutdown budget, or keep groups and delete them elsewhere.
//
// # Bounded, counted
//
// ForceFlush and Shutdown never hold the caller past its context, whatever
// the gateway does (closed port, no answer, slow answer); a push that fails
// returns the error and reports the series it carried to the
// [exporters.DropCounter] given with [WithDropCounter]. Pushes are serialised
// so that an older snapshot never lands after a newer one.
//
// # Configuration
//
// Options override environment variables, which override defaults:
//
//	LUMEN_PUSHGATEWAY_URL           gateway base URL, e.g. https://pgw.example:9091 (required)
//	LUMEN_PUSHGATEWAY_JOB           job label (default: AWS_LAMBDA_FUNCTION_NAME, else "lumen")
//	LUMEN_METRICS_INSTANCE          instance label (default: derived as above)
//	LUMEN_PUSHGATEWAY_GROUPING      extra grouping labels, "name=value,name=value"
//	LUMEN_PUSHGATEWAY_USERNAME      basic auth user name
//	LUMEN_PUSHGATEWAY_PASSWORD      basic auth password
//	LUMEN_PUSHGATEWAY_BEARER_TOKEN  sent as "Authorization: Bearer <token>"
//	LUMEN_PUSHGATEWAY_HEADERS       extra headers, "Name=value,Name=value" (values URL-decoded,
//	                                as in OTEL_EXPORTER_OTLP_HEADERS)
//
// # Selected by name
//
// Importing the package registers the exporter as "pushgateway" with
// [exporters.RegisterMetricsExporter], so that the runtime builds it when
// LUMEN_METRICS_EXPORTER lists pushgateway, configured from the variables above
// and counting its losses in the runtime's drop counter:
//
//	import _ "github.com/lumen-rt/lumen/exporters/pushgateway"
package pushgateway
