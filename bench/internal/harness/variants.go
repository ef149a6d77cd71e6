package harness

import (
	"strings"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/telemetry"
)

// Signals are what a variant exports, and where: the sink checks that each
// of them arrives for every invocation.
type Signals struct {
	// OTLPTraces, OTLPMetrics and OTLPLogs go to the sink's OTLP/HTTP
	// endpoint.
	OTLPTraces, OTLPMetrics, OTLPLogs bool
	// XRay spans go to the sink's X-Ray daemon socket.
	XRay bool
	// EMF metrics are written to stdout.
	EMF bool
}

// Any reports whether anything is exported.
func (s Signals) Any() bool { return s.OTLPTraces || s.OTLPMetrics || s.OTLPLogs || s.XRay || s.EMF }

// Variant is one way of running the workload.
type Variant struct {
	// Name identifies the variant in logs, files and results.
	Name string
	// Cmd is the folder under bench/cmd of its main package, and the
	// binary's name; default: Name.
	Cmd string
	// Label is the name shown in reports.
	Label string
	// Env is added to the function's environment: the only configuration
	// of Lumen's variants, as users configure a function.
	Env []string
	// Instrumented variants find the sink's OTLP/HTTP endpoint in
	// OTEL_EXPORTER_OTLP_ENDPOINT.
	Instrumented bool
	// XRay variants find the sink's X-Ray daemon socket in
	// AWS_XRAY_DAEMON_ADDRESS, as Lambda sets it when active tracing is on.
	XRay bool
	// Floor is the runtime-less floor, whose responses carry only the event's size.
	Floor bool
	// Exports is what the variant sends, and the sink checks.
	Exports Signals
	// Lumen is true for Lumen's runtime: its spans are counted by their
	// handle phase (one lumen.handle span per invocation).
	Lumen bool
	// Deferred is true when the flush strategy lets telemetry wait for a
	// later flush: only the final flush at SIGTERM completes it.
	Deferred bool
}

// Command is the folder under bench/cmd of v's main package.
func (v Variant) Command() string {
	if v.Cmd != "" {
		return v.Cmd
	}
	return v.Name
}

// Environment variables of Lumen's variants: what Lambda sets, and what
// users set.
var (
	jsonLogs       = telemetry.EnvLogFormat + "=JSON"
	flushEnd       = telemetry.EnvFlushStrategy + "=end"
	flushAdaptive  = telemetry.EnvFlushStrategy + "=adaptive"
	noMetrics      = telemetry.EnvMetricsExporter + "=none"
	noLogs         = telemetry.EnvLogsExporter + "=none"
	noTraces       = telemetry.EnvTracesExporter + "=none"
	lambdaDefaults = Signals{XRay: true, EMF: true}
	otlpAll        = Signals{OTLPTraces: true, OTLPMetrics: true, OTLPLogs: true}
)

// The variants, in report order. The first is the baseline every ratio is
// taken against. Every Lumen variant with telemetry is the same binary,
// bench/cmd/lumen (runtime.Start), configured by its environment only.
var (
	AWSLambda  = Variant{Name: "awslambda", Label: "aws-lambda-go"}
	OTelLambda = Variant{Name: "otellambda", Label: "aws-lambda-go + otellambda", Instrumented: true,
		Exports: Signals{OTLPTraces: true}}
	LumenOff = Variant{Name: "lumenoff", Label: "Lumen, telemetry off"}
	// LumenDefaults is runtime.Start with nothing but what Lambda sets: the
	// X-Ray daemon address (active tracing on) and the JSON log format.
	// Metrics are the default (EMF), the strategy the default.
	LumenDefaults = Variant{Name: "lumen-defaults", Cmd: "lumen", Label: "Lumen, Lambda defaults", XRay: true,
		Env: []string{jsonLogs}, Exports: lambdaDefaults, Lumen: true, Deferred: DefaultStrategy() != "end"}
	// LumenOTLPEnd sends spans, metrics and logs over OTLP/HTTP, flushed
	// after every invocation.
	LumenOTLPEnd = Variant{Name: "lumen-otlp-end", Cmd: "lumen", Label: "Lumen, OTLP, `end`", Instrumented: true,
		Env: []string{flushEnd}, Exports: otlpAll, Lumen: true}
	// LumenOTLP is the same with the default flush strategy.
	LumenOTLP = Variant{Name: "lumen-otlp", Cmd: "lumen", Label: "Lumen, OTLP, default strategy", Instrumented: true,
		Exports: otlpAll, Lumen: true, Deferred: DefaultStrategy() != "end"}
	// LumenDefaultsAdaptive and LumenOTLPAdaptive are the two with the
	// adaptive strategy: back-to-back invocations flush once a second.
	LumenDefaultsAdaptive = Variant{Name: "lumen-defaults-adaptive", Cmd: "lumen", Label: "Lumen, Lambda defaults, `adaptive`",
		XRay: true, Env: []string{jsonLogs, flushAdaptive}, Exports: lambdaDefaults, Lumen: true, Deferred: true}
	LumenOTLPAdaptive = Variant{Name: "lumen-otlp-adaptive", Cmd: "lumen", Label: "Lumen, OTLP, `adaptive`", Instrumented: true,
		Env: []string{flushAdaptive}, Exports: otlpAll, Lumen: true, Deferred: true}
	Floor = Variant{Name: "floor", Label: "floor: 2 round trips, no runtime", Floor: true}
)

// DefaultStrategy is LUMEN_FLUSH_STRATEGY's default, as the telemetry
// package documents it, spelled as the variable takes it.
func DefaultStrategy() string {
	for _, v := range telemetry.Variables() {
		if v.Name != telemetry.EnvFlushStrategy {
			continue
		}
		s, err := runtime.ParseFlushStrategy(strings.Trim(v.Default, "`"))
		if err == nil {
			return s.String()
		}
	}
	return runtime.FlushAtEnd().String()
}

// Variants lists every variant, baseline first: the adaptive ones only
// when adaptive is not the default.
func Variants() []Variant {
	vs := []Variant{AWSLambda, OTelLambda, LumenOff, LumenDefaults, LumenOTLPEnd, LumenOTLP}
	if DefaultStrategy() != "adaptive" {
		vs = append(vs, LumenDefaultsAdaptive, LumenOTLPAdaptive)
	}
	return append(vs, Floor)
}

// Breakdown lists the same binary with parts of its telemetry turned off
// (OTEL_*_EXPORTER=none), to show what each part costs by difference: the
// OTLP ones flushed after every invocation, as LumenOTLPEnd, the Lambda
// defaults ones with the default strategy, as LumenDefaults (a difference
// between two strategies would show the strategy, not the part).
func Breakdown() []Variant {
	deferred := DefaultStrategy() != "end"
	return []Variant{
		{Name: "lumen-otlp-spans", Cmd: "lumen", Label: "Lumen, OTLP spans only, `end`", Instrumented: true,
			Env: []string{flushEnd, noMetrics, noLogs}, Exports: Signals{OTLPTraces: true}, Lumen: true},
		{Name: "lumen-otlp-spans-logs", Cmd: "lumen", Label: "Lumen, OTLP spans and logs, `end`", Instrumented: true,
			Env: []string{flushEnd, noMetrics}, Exports: Signals{OTLPTraces: true, OTLPLogs: true}, Lumen: true},
		{Name: "lumen-defaults-nometrics", Cmd: "lumen", Label: "Lumen, Lambda defaults without metrics", XRay: true,
			Env: []string{jsonLogs, noMetrics}, Exports: Signals{XRay: true}, Lumen: true, Deferred: deferred},
		{Name: "lumen-defaults-nospans", Cmd: "lumen", Label: "Lumen, Lambda defaults without spans", XRay: true,
			Env: []string{jsonLogs, noTraces}, Exports: Signals{EMF: true}, Lumen: true, Deferred: deferred},
	}
}

// All lists the variants and the breakdown.
func All() []Variant { return append(Variants(), Breakdown()...) }

// Find returns the variant named name among All.
func Find(name string) (Variant, bool) {
	for _, v := range All() {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// Baseline is the variant ratios are taken against.
func Baseline() Variant { return AWSLambda }
