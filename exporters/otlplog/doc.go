// Package otlplog exports a Lambda function's slog records as OpenTelemetry
// logs over OTLP, next to the lines the logging package writes to stdout.
//
// [New] builds an OpenTelemetry SDK LoggerProvider with a batch processor
// and the exporter [WithExporter] gives (exporters/otlpgrpc gives it the
// SDK's OTLP/gRPC exporter; without one it uses the SDK's OTLP/HTTP
// exporter). It reads no environment variable: the telemetry package reads
// them and passes their values. Functions exporting logs over OTLP/HTTP use
// the built-in, lighter exporters/otlp instead.
//
// [Exporter.Handler] is a slog.Handler built on the OpenTelemetry slog bridge
// (go.opentelemetry.io/contrib/bridges/otelslog) under the logging package's
// level, sampling and redaction policy ([logging.Wrap]); tee it with the
// stdout handler:
//
//	exp, err := otlplog.New(ctx)
//	…
//	slog.SetDefault(slog.New(slog.NewMultiHandler(logging.NewHandler(os.Stdout), exp.Handler())))
//
// # Records
//
// Each record carries the trace and span ids of the span in the context
// passed to slog (the SDK reads them), or, when there is no span, the trace
// id of the X-Ray trace header of the invocation. Inside an invocation it
// also carries the semantic-convention attributes faas.invocation_id (the
// AWS request id), faas.coldstart (from Lumen's runtime only) and
// aws.lambda.invoked_arn. The resource is the one [WithResource] gives.
//
// # Flushing and losses
//
// Lambda may freeze the process as soon as an invocation's response is
// posted, so the runtime calls [Exporter.ForceFlush] at its flush point; the
// batch processor's timer only helps long invocations. ForceFlush and
// Shutdown are bounded by their context, idempotent, and no-ops after
// Shutdown. Every record that does not reach the backend is counted through
// the [exporters.DropCounter] of [WithDropCounter], as exporter "otlplog"
// and signal "logs": records refused by a full queue ([WithMaxQueueSize]),
// records of a failed export (only the rejected ones for an OTLP partial
// success), and records logged after Shutdown. Errors of exports run by the
// batch processor's timer go to OpenTelemetry's global error handler
// (otel.SetErrorHandler); ForceFlush and Shutdown return theirs.
package otlplog
