// Package autoxray registers Lumen's X-Ray exporter with
// go.opentelemetry.io/contrib/exporters/autoexport under the name "xray",
// for programs that choose their span exporter with
// autoexport.NewSpanExporter instead of Lumen's exporters/traces. Import it
// for its side effect:
//
//	import _ "github.com/lumen-rt/lumen/exporters/traces/autoxray"
//
// With OTEL_TRACES_EXPORTER=xray, autoexport then returns an
// [xray.Exporter] configured from AWS_XRAY_DAEMON_ADDRESS. Two limits of
// autoexport (v0.72.0) remain: OTEL_TRACES_EXPORTER must hold a single name
// (exporters/traces accepts lists), and "console" stays autoexport's JSON
// stdouttrace exporter, because a name can be registered only once.
//
// Importing autoexport links its metric and log exporters as well: about
// 2.4 MB more than exporters/traces in a stripped linux/amd64 binary.
package autoxray
