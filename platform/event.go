package platform

import (
	"time"

	"github.com/lumen-rt/lumen/invocation"
)

// Telemetry API event types Lumen reads. Every other type is counted and
// skipped.
const (
	TypeReport        = "platform.report"
	TypeInitReport    = "platform.initReport"
	TypeRuntimeDone   = "platform.runtimeDone"
	TypeRestoreReport = "platform.restoreReport"
	// TypeLogsDropped is Lambda saying it dropped events instead of
	// delivering them: counted as lost ([Stats].LambdaDropped).
	TypeLogsDropped = "platform.logsDropped"
	// TypeFunction and TypeExtension are the log lines of the function and
	// of extensions, delivered only with [WithLogs].
	TypeFunction  = "function"
	TypeExtension = "extension"
)

// Status is how Lambda says a phase ended.
type Status string

// The statuses of the Telemetry API schema. An empty Status means Lambda
// sent none.
const (
	StatusSuccess Status = "success"
	StatusError   Status = "error"
	StatusFailure Status = "failure"
	StatusTimeout Status = "timeout"
)

// ErrorTypeOutOfMemory is the errorType of an invocation that ended because
// the function ran out of memory.
const ErrorTypeOutOfMemory = "Runtime.OutOfMemory"

// Span is a sub-phase Lambda measured inside a phase: responseLatency,
// responseDuration and runtimeOverhead in platform.runtimeDone (and in
// platform.report on Lambda Managed Instances), extensionOverhead in
// platform.report.
type Span struct {
	Name     string
	Start    time.Time
	Duration time.Duration
}

// Report is a platform.report: Lambda's account of one invocation, the
// numbers of its REPORT log line. On Lambda Managed Instances only
// Duration is sent; every field Lambda did not send is zero.
type Report struct {
	// Time is when Lambda emitted the report, at the end of the invoke
	// phase.
	Time      time.Time
	RequestID string
	Status    Status
	// ErrorType is Lambda's errorType of an invocation that did not
	// succeed, e.g. "Runtime.OutOfMemory" or "Sandbox.Timedout".
	ErrorType string
	// Duration is the invoke phase: what the REPORT line calls Duration.
	Duration time.Duration
	// BilledDuration is the duration Lambda bills.
	BilledDuration time.Duration
	// MemorySize is the function's memory size, in bytes (Lambda's MB are
	// MiB).
	MemorySize int64
	// MaxMemoryUsed is the most memory the execution environment used, in
	// bytes.
	MaxMemoryUsed int64
	// InitDuration is set on the report of a cold start's invocation.
	InitDuration time.Duration
	// RestoreDuration is set on the first invocation after a SnapStart
	// restore.
	RestoreDuration time.Duration
	Spans           []Span
	// TraceHeader is the X-Ray trace header Lambda traced the invocation
	// with, if any.
	TraceHeader string
	// Trigger is the faas.trigger the runtime passed to
	// [Platform.Started] for RequestID; TriggerOther when the invocation is
	// not among the recent ones tracked ([Stats].Unmatched counts those).
	Trigger invocation.Trigger
}

// RuntimeDone is a platform.runtimeDone: the runtime finished an
// invocation (it posted the response or error and asked for the next
// event). Lambda Managed Instances do not send it.
type RuntimeDone struct {
	Time      time.Time
	RequestID string
	Status    Status
	ErrorType string
	// Duration is how long the runtime worked on the invocation; zero when
	// Lambda sent no metrics.
	Duration time.Duration
	// ProducedBytes is the size of the response; negative when Lambda did
	// not send it.
	ProducedBytes int64
	// Spans are responseLatency (until the first byte of the response),
	// responseDuration (sending it) and runtimeOverhead (from the response
	// to the next GET /next).
	Spans       []Span
	TraceHeader string
	// Trigger is as in [Report].
	Trigger invocation.Trigger
}

// Span returns the sub-phase named name and whether there is one.
func (r *RuntimeDone) Span(name string) (Span, bool) { return findSpan(r.Spans, name) }

// Span returns the sub-phase named name and whether there is one.
func (r *Report) Span(name string) (Span, bool) { return findSpan(r.Spans, name) }

func findSpan(spans []Span, name string) (Span, bool) {
	for _, s := range spans {
		if s.Name == name {
			return s, true
		}
	}
	return Span{}, false
}

// Names of the sub-phases Lambda reports.
const (
	SpanResponseLatency   = "responseLatency"
	SpanResponseDuration  = "responseDuration"
	SpanRuntimeOverhead   = "runtimeOverhead"
	SpanExtensionOverhead = "extensionOverhead"
)

// InitReport is a platform.initReport: Lambda's account of the init phase,
// as the platform measured it (extensions, runtime and function init).
type InitReport struct {
	Time time.Time
	// InitializationType is "on-demand", "provisioned-concurrency",
	// "snap-start" or "lambda-managed-instances".
	InitializationType string
	// Phase is "init", or "invoke" for an init Lambda ran again inside an
	// invocation after a failure (a suppressed init).
	Phase     string
	Status    Status
	ErrorType string
	Duration  time.Duration
	Spans     []Span
}

// RestoreReport is a platform.restoreReport: the restore of a SnapStart
// snapshot.
type RestoreReport struct {
	Time      time.Time
	Status    Status
	ErrorType string
	// Duration is zero when Lambda sent no metrics.
	Duration time.Duration
	Spans    []Span
}

// Log is one function or extension log line, delivered with [WithLogs].
type Log struct {
	Time time.Time
	// Type is [TypeFunction] or [TypeExtension].
	Type string
	// Record is the line: a JSON string for text logs, a JSON object for
	// JSON logs. It is a copy the handler may keep.
	Record []byte
}
