package runtime

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/lumen-rt/lumen/metrics"
	"github.com/lumen-rt/lumen/telemetry"
)

// Option configures the runtime. It keeps aws-lambda-go's shape
// (a function over unexported options), so option lists written for
// lambda.StartWithOptions compile unchanged once the package name changes.
type Option func(*options)

type options struct {
	baseContext   context.Context
	contextValues []keyValue

	jsonUseNumber             bool
	jsonDisallowUnknownFields bool
	jsonEscapeHTML            bool
	jsonIndentPrefix          string
	jsonIndent                string

	setup             []func(context.Context) error
	sigtermCallbacks  []func()
	shutdownExtension *bool
	shutdownSignals   <-chan os.Signal // tests only: replaces SIGTERM delivery

	tracerProvider trace.TracerProvider
	metrics        *metrics.Recorder
	pipeline       *telemetry.Pipeline
	noTelemetry    bool
	keepLogger     bool
	setupErr       error                             // building the default telemetry failed
	shutdowners    []func(ctx context.Context) error // run after the final flush

	flushStrategy *FlushStrategy
	flushers      []Flusher
	flushBudget   time.Duration
	flushReserve  time.Duration

	errorHandler    func(error)
	logger          *slog.Logger
	runtimeAPI      string
	maxConcurrency  int
	httpClient      *http.Client
	maxResponseSize int
}

type keyValue struct{ key, value any }

// Defaults.
const (
	// DefaultFlushBudget bounds the flush point when neither
	// [WithFlushBudget] nor LUMEN_FLUSH_BUDGET says otherwise.
	DefaultFlushBudget = time.Second
	// DefaultFlushReserve is kept free before the invocation's deadline: the
	// flush never runs into the time Lambda needs to see the next GET.
	DefaultFlushReserve = 10 * time.Millisecond
	// DefaultShutdownBudget bounds SIGTERM callbacks and the final flush;
	// Lambda sends SIGKILL about 500 ms after SIGTERM.
	DefaultShutdownBudget = 450 * time.Millisecond
	// MaxResponseSize is Lambda's limit for a buffered response,
	// 6 MB plus 100 bytes, as the Runtime API enforces it.
	MaxResponseSize = 6*1024*1024 + 100
)

// WithContext sets the context every handler context derives from.
// Default: context.Background().
func WithContext(ctx context.Context) Option {
	return func(o *options) { o.baseContext = ctx }
}

// WithContextValue adds a value to every handler context.
func WithContextValue(key, value any) Option {
	return func(o *options) { o.contextValues = append(o.contextValues, keyValue{key, value}) }
}

// WithSetEscapeHTML sets whether JSON responses escape HTML characters.
// Default: false, as in aws-lambda-go.
func WithSetEscapeHTML(escapeHTML bool) Option {
	return func(o *options) { o.jsonEscapeHTML = escapeHTML }
}

// WithSetIndent indents JSON responses like json.Encoder.SetIndent. Without
// indentation the encoder's trailing newline is dropped, as in aws-lambda-go.
func WithSetIndent(prefix, indent string) Option {
	return func(o *options) { o.jsonIndentPrefix, o.jsonIndent = prefix, indent }
}

// WithUseNumber decodes JSON numbers in events into json.Number instead of
// float64 when the event type leaves them untyped. Default: false.
func WithUseNumber(useNumber bool) Option {
	return func(o *options) { o.jsonUseNumber = useNumber }
}

// WithDisallowUnknownFields rejects events with fields the event type does
// not declare, as a Runtime.UnmarshalError. Default: false.
func WithDisallowUnknownFields(disallow bool) Option {
	return func(o *options) { o.jsonDisallowUnknownFields = disallow }
}

// WithSetup adds a hook that runs once, before the first poll for an event.
// A hook that returns an error or panics is reported to /runtime/init/error
// (Function.SetupError or Function.SetupPanic) and the process exits non-zero.
// Hooks run in the order given.
func WithSetup(setup func(ctx context.Context) error) Option {
	return func(o *options) { o.setup = append(o.setup, setup) }
}

// WithEnableSIGTERM registers an internal extension so that Lambda delivers
// SIGTERM before shutting the environment down, and runs callbacks when it
// does, followed by a final flush, all within [DefaultShutdownBudget].
func WithEnableSIGTERM(callbacks ...func()) Option {
	return func(o *options) {
		o.sigtermCallbacks = append(o.sigtermCallbacks, callbacks...)
		enabled := true
		o.shutdownExtension = &enabled
	}
}

// WithShutdownExtension turns the internal shutdown extension on or off.
// Default: on when a [Flusher] is registered or [WithEnableSIGTERM] is used,
// off otherwise. Registering the extension is what makes Lambda send SIGTERM.
func WithShutdownExtension(enabled bool) Option {
	return func(o *options) { o.shutdownExtension = &enabled }
}

// WithFlusher registers flushers called at the flush point after every
// invocation and on shutdown. A *sdktrace.TracerProvider, a metric reader or
// any exporter with ForceFlush(ctx) qualifies.
func WithFlusher(flushers ...Flusher) Option {
	return func(o *options) { o.flushers = append(o.flushers, flushers...) }
}

// WithFlushBudget bounds each flush point. The budget is further capped by the
// remaining time of the invocation that just ended, less
// [DefaultFlushReserve]. Precedence: this option, then LUMEN_FLUSH_BUDGET,
// then [DefaultFlushBudget].
func WithFlushBudget(budget time.Duration) Option {
	return func(o *options) { o.flushBudget = budget }
}

// WithErrorHandler receives every error that has no caller to return to:
// failed or overrun flushes, Runtime API answers the loop survives, extension
// registration failures. Default: log them through slog.Default at ERROR.
// The flush point's reports reach it on a goroutine of their own, so that a
// handler that blocks (a stdout nobody reads) never holds the loop; [Run]
// waits for it to take the last ones before it returns, within the shutdown
// budget.
func WithErrorHandler(handler func(error)) Option {
	return func(o *options) { o.errorHandler = handler }
}

// WithLogger sets the logger for the runtime's own messages (invocation
// errors, panics, init failures). Default: slog.Default() at the time of
// each message.
func WithLogger(logger *slog.Logger) Option {
	return func(o *options) { o.logger = logger }
}

// WithRuntimeAPI sets the Runtime API address (host:port). Precedence: this
// option, then AWS_LAMBDA_RUNTIME_API.
func WithRuntimeAPI(address string) Option {
	return func(o *options) { o.runtimeAPI = address }
}

// WithMaxConcurrency sets how many invocations run at once, each on its own
// worker. Precedence: this option, then AWS_LAMBDA_MAX_CONCURRENCY, then 1.
func WithMaxConcurrency(n int) Option {
	return func(o *options) { o.maxConcurrency = n }
}

// WithHTTPClient sets the client used for the Runtime API. It must not have a
// timeout: the process may be frozen during GET /next. Default: a client with
// enough idle connections for every worker.
func WithHTTPClient(client *http.Client) Option {
	return func(o *options) { o.httpClient = client }
}

// WithMaxResponseSize sets the largest buffered response sent to Lambda; a
// larger one becomes a Function.ResponseSizeTooLarge error without being
// uploaded. Default: [MaxResponseSize].
func WithMaxResponseSize(bytes int) Option {
	return func(o *options) { o.maxResponseSize = bytes }
}

// WithTracerProvider makes the runtime trace every invocation on tp: an
// invocation span (named and attributed per the OpenTelemetry FaaS
// conventions, its parent the Parent of Lambda's trace header) with the
// phase spans [SpanReceive], [SpanHandle] and [SpanPost] as children, and
// [SpanInit] for a cold start. The handler's context carries the handle span.
// When tp has a ForceFlush method (an *sdktrace.TracerProvider does), it is
// registered at the flush point. Default: [Start] builds one from the
// environment (OTEL_TRACES_EXPORTER …); [Run] traces nothing.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(o *options) { o.tracerProvider = tp }
}

// WithMetrics makes the runtime record every invocation on rec: the faas_*
// metrics, phase latencies, cold starts and flush health. Deliver them with
// an exporter registered through [WithFlusher]. Default: [Start] builds a
// recorder and its exporter from the environment (LUMEN_METRICS_EXPORTER);
// [Run] records nothing.
func WithMetrics(rec *metrics.Recorder) Option {
	return func(o *options) { o.metrics = rec }
}

// WithoutTelemetry turns off everything [Start] would build from the
// environment: no default tracer provider, metrics, exporters or logger.
// Telemetry given explicitly ([WithTracerProvider], [WithMetrics],
// [WithFlusher]) still works.
func WithoutTelemetry() Option {
	return func(o *options) { o.noTelemetry = true }
}
