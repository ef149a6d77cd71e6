package harness

// Variant is one way of running the workload.
type Variant struct {
	// Name identifies the variant in logs, files and results.
	Name string
	// Cmd is the folder under bench/cmd of its main package, and the
	// binary's name; default: Name.
	Cmd string
	// Label is the name shown in reports.
	Label string
	// Env is added to the function's environment.
	Env []string
	// Instrumented variants export telemetry to the OTLP sink.
	Instrumented bool
	// XRay variants find the sink's X-Ray daemon socket in
	// AWS_XRAY_DAEMON_ADDRESS, as Lambda sets it when active tracing is on.
	XRay bool
	// Floor is the runtime-less floor, whose responses carry only the event's size.
	Floor bool
}

// Command is the folder under bench/cmd of v's main package.
func (v Variant) Command() string {
	if v.Cmd != "" {
		return v.Cmd
	}
	return v.Name
}

// The variants, in report order. The first is the baseline every ratio is
// taken against.
var (
	AWSLambda  = Variant{Name: "awslambda", Label: "aws-lambda-go"}
	OTelLambda = Variant{Name: "otellambda", Label: "aws-lambda-go + otellambda", Instrumented: true}
	Lumen      = Variant{Name: "lumen", Label: "Lumen, telemetry off"}
	// LumenDefaults is runtime.Start with nothing but what Lambda sets: the
	// X-Ray daemon address (active tracing on) and the JSON log format.
	LumenDefaults = Variant{Name: "lumendefaults", Label: "Lumen, Lambda defaults", XRay: true,
		Env: []string{"AWS_LAMBDA_LOG_FORMAT=JSON"}}
	LumenOTel = Variant{Name: "lumenotel", Label: "Lumen, fully instrumented", Instrumented: true}
	// LumenAdaptive is the fully instrumented Lumen flushing with the
	// adaptive strategy: back-to-back invocations flush once a second.
	LumenAdaptive = Variant{Name: "lumen-adaptive", Cmd: "lumenotel", Label: "Lumen, fully instrumented, adaptive flush",
		Env: []string{"LUMEN_FLUSH_STRATEGY=adaptive"}, Instrumented: true}
	// LumenDefaultsClassic is LumenDefaults with native histograms off in
	// its EMF metrics.
	LumenDefaultsClassic = Variant{Name: "lumendefaults-classic", Cmd: "lumendefaults",
		Label: "Lumen, Lambda defaults, classic histograms", XRay: true,
		Env: []string{"AWS_LAMBDA_LOG_FORMAT=JSON", "BENCH_CLASSIC=1"}}
	Floor = Variant{Name: "floor", Label: "floor: 2 round trips, no runtime", Floor: true}
)

// Variants lists every variant, baseline first.
func Variants() []Variant {
	return []Variant{AWSLambda, OTelLambda, Lumen, LumenDefaults, LumenOTel, Floor}
}

// Breakdown lists other configurations of the fully instrumented Lumen
// variant: the same binary with fewer signals (chosen by BENCH_SIGNALS),
// which show what each signal costs, then with the adaptive flush strategy;
// and the Lambda defaults with classic histograms only.
func Breakdown() []Variant {
	part := func(name, label, signals string) Variant {
		return Variant{Name: name, Cmd: LumenOTel.Name, Label: label, Env: []string{"BENCH_SIGNALS=" + signals}, Instrumented: true}
	}
	return []Variant{
		part("lumen-spans", "Lumen, spans only", "traces"),
		part("lumen-spans-logs", "Lumen, spans and logs", "traces,logs"),
		part("lumen-nogo", "Lumen, all signals, no Go runtime/process metrics", "traces,logs,metrics"),
		LumenAdaptive,
		LumenDefaultsClassic,
	}
}

// Baseline is the variant ratios are taken against.
func Baseline() Variant { return AWSLambda }
