package harness

import (
	"fmt"
	"slices"
	"time"
)

// Target is one of the goals the benchmarks report on, with its verdict.
type Target struct {
	Goal     string
	Measured string
	Met      bool
	Known    bool // false when the measurement is missing
}

// The targets of issue 11 ("Telemetry at the price of the bare loop").
const (
	DefaultsCPUTarget    = 1.10 // Lambda defaults, CPU per invocation, × aws-lambda-go
	DefaultsAllocsTarget = 1.5  // Lambda defaults, allocations per invocation, × aws-lambda-go
	OTLPEndCPUTarget     = 1.0  // OTLP with `end`, CPU per invocation, × aws-lambda-go + otellambda
	OTLPDefaultCPUTarget = 1.15 // OTLP with the default strategy, CPU per invocation, × aws-lambda-go
	SizeTarget           = 2.0  // binary with OTLP linked, × aws-lambda-go's
)

// Cold-start and init targets.
const (
	DefaultsColdStartTarget = time.Millisecond     // Lambda defaults over aws-lambda-go
	OTLPColdStartTarget     = 2 * time.Millisecond // OTLP over aws-lambda-go
	InitTarget              = 0.5                  // ms of package init, Lumen with OTLP over telemetry off
)

// ratioTarget checks the ratio, within each round, of v's figure to base's
// in one mode's samples.
func ratioTarget(goal, mode string, vs, base []Sample, f func(Sample) float64, format func(float64) string, limit float64) Target {
	r := RoundRatio(vs, base, f)
	a, b := f(median(vs, f)), f(median(base, f))
	return Target{
		Goal: goal + " (" + mode + ")",
		Measured: fmt.Sprintf("**%.2f×** (rounds %.2f–%.2f); medians %s vs %s", r.Median, r.Min, r.Max,
			format(a), format(b)),
		Met: r.Median <= limit, Known: r.Rounds > 0,
	}
}

// median returns a sample whose f is the median of samples' (the lower
// middle one for an even count), for display.
func median(samples []Sample, f func(Sample) float64) Sample {
	if len(samples) == 0 {
		return Sample{}
	}
	m := Median(mapSamples(samples, f))
	best := samples[0]
	for _, s := range samples {
		if abs(f(s)-m) < abs(f(best)-m) {
			best = s
		}
	}
	return best
}

func mapSamples(ss []Sample, f func(Sample) float64) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func fmtAllocs(x float64) string { return fmt.Sprintf("%.1f", x) }

// Targets evaluates issue 11's goals against r.
func Targets(r *Results) []Target {
	var ts []Target
	modes := []struct {
		name string
		m    map[string][]Sample
	}{{"fake Runtime API", r.Fake}, {"emulator", r.Emulator}}
	for _, mode := range modes {
		m := mode.m
		if len(m[AWSLambda.Name]) == 0 {
			continue
		}
		ts = append(ts,
			ratioTarget(fmt.Sprintf("%s: CPU per invocation ≤ %.2f× %s", LumenDefaults.Label, DefaultsCPUTarget, AWSLambda.Label),
				mode.name, m[LumenDefaults.Name], m[AWSLambda.Name], CPU, fmtNs, DefaultsCPUTarget),
			ratioTarget(fmt.Sprintf("%s: allocations per invocation ≤ %.1f× %s", LumenDefaults.Label, DefaultsAllocsTarget, AWSLambda.Label),
				mode.name, m[LumenDefaults.Name], m[AWSLambda.Name], Allocs, fmtAllocs, DefaultsAllocsTarget),
			ratioTarget(fmt.Sprintf("%s: CPU per invocation ≤ %.2f× %s", LumenOTLPEnd.Label, OTLPEndCPUTarget, OTelLambda.Label),
				mode.name, m[LumenOTLPEnd.Name], m[OTelLambda.Name], CPU, fmtNs, OTLPEndCPUTarget),
			ratioTarget(fmt.Sprintf("%s (`%s`): CPU per invocation ≤ %.2f× %s", LumenOTLP.Label, DefaultStrategy(), OTLPDefaultCPUTarget, AWSLambda.Label),
				mode.name, m[LumenOTLP.Name], m[AWSLambda.Name], CPU, fmtNs, OTLPDefaultCPUTarget),
		)
	}
	ts = append(ts, coldStartTarget(r, LumenDefaults, DefaultsColdStartTarget), coldStartTarget(r, LumenOTLP, OTLPColdStartTarget))
	var deflt, adaptive []Variant
	for _, v := range All() {
		switch {
		case !v.Lumen:
		case slices.Contains(v.Env, flushAdaptive):
			adaptive = append(adaptive, v)
		default:
			deflt = append(deflt, v)
		}
	}
	ts = append(ts, deliveryTarget(r, "every Lumen configuration flushed with `"+DefaultStrategy()+"`", deflt))
	if DefaultStrategy() != "adaptive" {
		ts = append(ts, deliveryTarget(r, "the same with `adaptive`", adaptive))
	}
	sb, sv := r.Sizes[AWSLambda.Command()], r.Sizes[LumenOTLP.Command()]
	ts = append(ts, Target{
		Goal:     fmt.Sprintf("binary of a hello-like function with OTLP linked (`runtime.Start`) ≤ %.1f× %s's, stripped", SizeTarget, AWSLambda.Label),
		Measured: fmt.Sprintf("%s vs %s (**%s**)", fmtBytes(sv), fmtBytes(sb), ratio(float64(sv), float64(sb))),
		Met:      float64(sv) <= SizeTarget*float64(sb), Known: sb > 0 && sv > 0,
	})
	off, otlp := r.InitTraces[LumenOff.Name], r.InitTraces[LumenOTLP.Name]
	d, same := InitDifference(otlp, off)
	note := ""
	if same {
		note = "; both binaries initialise the same packages"
	}
	ts = append(ts, Target{
		Goal: fmt.Sprintf("package init (`GODEBUG=inittrace=1`): %s ≤ %s + %.1f ms", LumenOTLP.Label, LumenOff.Label, InitTarget),
		Measured: fmt.Sprintf("**%+.2f ms** (median of %d paired starts; totals %.2f ms vs %.2f ms)%s", d,
			min(len(off), len(otlp)), InitTotal(otlp), InitTotal(off), note),
		Met: d <= InitTarget, Known: len(off) > 0 && len(otlp) > 0,
	})
	return ts
}

// coldStartTarget checks v's median cold start against aws-lambda-go's.
func coldStartTarget(r *Results, v Variant, within time.Duration) Target {
	cb, cv := r.ColdStarts[AWSLambda.Name], r.ColdStarts[v.Name]
	d := MedianDuration(cv) - MedianDuration(cb)
	return Target{
		Goal: fmt.Sprintf("%s: cold start (process start → first `GET /next`) within %.0f ms of %s", v.Label,
			float64(within)/float64(time.Millisecond), AWSLambda.Label),
		Measured: fmt.Sprintf("%s vs %s (**%+.2f ms**, medians of %d starts)", fmtDur(MedianDuration(cv)), fmtDur(MedianDuration(cb)),
			float64(d)/float64(time.Millisecond), min(len(cb), len(cv))),
		Met: d <= within, Known: len(cb) > 0 && len(cv) > 0,
	}
}

// deliveryTarget checks that every run of the variants vs that export
// delivered every invocation's telemetry by the time it exited on SIGTERM.
func deliveryTarget(r *Results, what string, vs []Variant) Target {
	runs, complete := 0, 0
	var waiting int64
	for _, v := range vs {
		for _, s := range r.Fake[v.Name] {
			if s.Delivery == nil {
				continue
			}
			runs++
			if s.Delivery.Complete() {
				complete++
			}
			waiting = max(waiting, s.Delivery.Waiting())
		}
	}
	return Target{
		Goal: "nothing lost, " + what + ": every invocation's spans, logs and metrics arrive by the exit on SIGTERM " +
			"(fake Runtime API runs)",
		Measured: fmt.Sprintf("**%d of %d** runs complete; at most %d invocations' telemetry waiting in the frozen "+
			"function (sent by the final flush); see section 3", complete, runs, waiting),
		Met: runs > 0 && complete == runs, Known: runs > 0,
	}
}
