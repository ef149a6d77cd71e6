// Package envconfig reads the configuration Lumen's exporters share from the
// environment: the execution environment's id (LUMEN_METRICS_INSTANCE, the
// Lambda log stream, or a random id), the job name, "name=value" lists such
// as OTEL_EXPORTER_OTLP_HEADERS, HTTP credentials, and the OTLP protocol of a
// signal. Every function takes the getenv it reads from, so tests need not
// touch the process environment.
package envconfig
