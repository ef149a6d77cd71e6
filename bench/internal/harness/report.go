package harness

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Target is one of the goals the benchmarks report on, with its verdict.
type Target struct {
	Goal     string
	Measured string
	Met      bool
	Known    bool // false when the measurement is missing
}

// Targets evaluates the goals against r.
func Targets(r *Results) []Target {
	base := Summarize(r.Fake[AWSLambda.Name])
	otel := Summarize(r.Fake[OTelLambda.Name])
	var ts []Target
	for _, v := range []Variant{LumenOTel, LumenAdaptive, LumenDefaults, LumenDefaultsClassic, Lumen} {
		s := Summarize(r.Fake[v.Name])
		known := s.CPU > 0 && base.CPU > 0
		if len(r.Fake[v.Name]) == 0 {
			continue
		}
		ts = append(ts,
			Target{
				Goal:     v.Label + ": CPU per invocation ≤ aws-lambda-go's",
				Measured: fmt.Sprintf("%s vs %s (%s)", fmtNs(s.CPU), fmtNs(base.CPU), ratio(s.CPU, base.CPU)),
				Met:      s.CPU <= base.CPU, Known: known,
			},
			Target{
				Goal:     v.Label + ": wall time per invocation ≤ aws-lambda-go's",
				Measured: fmt.Sprintf("%s vs %s (%s)", fmtNs(s.Ns), fmtNs(base.Ns), ratio(s.Ns, base.Ns)),
				Met:      s.Ns <= base.Ns, Known: known,
			},
			Target{
				Goal:     v.Label + ": allocations per invocation ≤ aws-lambda-go's",
				Measured: fmt.Sprintf("%.1f vs %.1f (%s)", s.Allocs, base.Allocs, ratio(s.Allocs, base.Allocs)),
				Met:      s.Allocs <= base.Allocs, Known: known,
			})
		if v.Instrumented {
			ts = append(ts,
				Target{
					Goal:     v.Label + ": CPU per invocation ≤ ½ of aws-lambda-go + otellambda",
					Measured: fmt.Sprintf("%s vs %s (%s)", fmtNs(s.CPU), fmtNs(otel.CPU), ratio(s.CPU, otel.CPU)),
					Met:      s.CPU <= otel.CPU/2, Known: known && otel.CPU > 0,
				},
				Target{
					Goal:     v.Label + ": wall time per invocation ≤ ½ of aws-lambda-go + otellambda",
					Measured: fmt.Sprintf("%s vs %s (%s)", fmtNs(s.Ns), fmtNs(otel.Ns), ratio(s.Ns, otel.Ns)),
					Met:      s.Ns <= otel.Ns/2, Known: known && otel.Ns > 0,
				})
		}
		if v.Cmd != "" {
			continue // the same binary as another variant: same start and size
		}
		cb, cv := r.ColdStarts[AWSLambda.Name], r.ColdStarts[v.Name]
		d := MedianDuration(cv) - MedianDuration(cb)
		ts = append(ts, Target{
			Goal: v.Label + ": cold start within 2 ms of aws-lambda-go's",
			Measured: fmt.Sprintf("%s vs %s (%+.2f ms)", fmtDur(MedianDuration(cv)), fmtDur(MedianDuration(cb)),
				float64(d)/float64(time.Millisecond)),
			Met: d <= 2*time.Millisecond, Known: len(cb) > 0 && len(cv) > 0,
		})
		sb, sv := r.Sizes[AWSLambda.Name], r.Sizes[v.Name]
		ts = append(ts, Target{
			Goal:     v.Label + ": binary ≤ 2 × aws-lambda-go's",
			Measured: fmt.Sprintf("%s vs %s (%s)", fmtBytes(sv), fmtBytes(sb), ratio(float64(sv), float64(sb))),
			Met:      sv <= 2*sb, Known: sb > 0 && sv > 0,
		})
	}
	return ts
}

// WriteMarkdown writes r as RESULTS.md.
func WriteMarkdown(w io.Writer, r *Results) error {
	p := &printer{w: w}
	p.f("# Benchmarks: Lumen, aws-lambda-go and aws-lambda-go + otellambda\n\n")
	p.f("Written by `bench/run.sh` (`make bench`) on %s; the run took %s. ",
		r.Started.UTC().Format("2006-01-02 15:04 MST"), r.Finished.Sub(r.Started).Round(time.Second))
	p.f("Benchmarks report; they assert nothing about time.\n\n")
	p.f("| machine | |\n|---|---|\n")
	p.f("| CPU | %s (%d cores) |\n| kernel | %s |\n| Go | %s |\n", r.Machine.CPU, r.Machine.Cores, r.Machine.Kernel, r.Machine.GoVersion)
	p.f("| load average (1, 5, 15 min) | %s at the start, %s at the end |\n", r.LoadStart, r.LoadEnd)
	if r.Busy != "" {
		p.f("| busiest processes at the start (%%CPU) | %s |\n", r.Busy)
	}
	p.f("\nThe machine is shared: absolute figures move with the load; the ratios, taken between variants measured " +
		"in the same run with their rounds interleaved, are the figures to read.\n\n")
	p.f("Variants: **%s** (`lambda.Start`), **%s** (`otellambda.InstrumentHandler` with `WithFlusher(tp)`, "+
		"one span per invocation to OTLP/HTTP), **%s** (`runtime.WithoutTelemetry()`), **%s** (`runtime.Start(h)` "+
		"with only what Lambda sets: `AWS_XRAY_DAEMON_ADDRESS`, so spans go to the X-Ray daemon over UDP, and "+
		"`AWS_LAMBDA_LOG_FORMAT=JSON`; metrics as EMF and JSON logs on stdout), **%s** (spans, metrics with the Go "+
		"runtime and process collectors, which a gather reads at most once a second, and logs over OTLP/HTTP, "+
		"flushed after every invocation), **%s** (the same "+
		"with `LUMEN_FLUSH_STRATEGY=adaptive`: back-to-back invocations flush once a second), and the **%s**. "+
		"Every variant runs the same handler (`bench/internal/workload`) as its own stripped process; the OTLP "+
		"endpoint is a loopback sink in the driver that accepts and discards, and the X-Ray daemon a loopback UDP "+
		"socket that counts datagrams; stdout goes to a file.\n\n",
		AWSLambda.Label, OTelLambda.Label, Lumen.Label, LumenDefaults.Label, LumenOTel.Label, LumenAdaptive.Label, Floor.Label)

	p.targets(r)
	p.perInvocation(r)
	p.signals(r)
	p.emulator(r)
	p.coldStart(r)
	p.flush(r)
	p.payload(r)
	p.profiles(r)
	p.method(r)
	if len(r.Notes) > 0 {
		p.f("## Notes from the run\n\n")
		for _, n := range r.Notes {
			p.f("- %s\n", n)
		}
		p.f("\n")
	}
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) targets(r *Results) {
	p.f("## Targets\n\n| target | measured | met |\n|---|---|---|\n")
	for _, t := range Targets(r) {
		verdict := "no"
		switch {
		case !t.Known:
			verdict, t.Measured = "not measured", "—"
		case t.Met:
			verdict = "yes"
		}
		p.f("| %s | %s | %s |\n", t.Goal, t.Measured, verdict)
	}
	p.f("\n")
}

func (p *printer) perInvocation(r *Results) {
	p.f("## 1. Per invocation, fake Runtime API\n\n")
	p.f("%d rounds × %d sequential invocations of a %d-byte event per variant, rounds interleaved across variants; "+
		"each figure is the median of the rounds (latency percentiles: over all invocations). × is the ratio to %s. "+
		"Wall is the driver's elapsed time per invocation, including the fake Runtime API and, for Lumen, the flush "+
		"after the response; CPU is the function process's own user+system time; p50/p99 are the loop times per "+
		"invocation as the driver sees them, from the invoke (which waits for the runtime's next `GET /next`, so any "+
		"work the runtime did after the previous response is inside) to the response.\n\n",
		r.Rounds, r.N, firstEventBytes(r.Fake), AWSLambda.Label)
	p.f("The last rows break %s down: the same binary with fewer signals (`BENCH_SIGNALS`), then with the "+
		"adaptive flush strategy; the very last is %s with native histograms off in its EMF metrics "+
		"(`metrics.WithNativeHistograms(false)`; EMF writes counts and sums, never buckets).\n\n", LumenOTel.Label, LumenDefaults.Label)
	base := Summarize(r.Fake[AWSLambda.Name])
	p.f("| variant | wall/inv | × | CPU/inv | × | allocs/inv | × | bytes/inv | × | p50 | × | p99 | × | OTLP requests/inv | X-Ray datagrams/inv |\n")
	p.f("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, v := range append(Variants(), Breakdown()...) {
		if len(r.Fake[v.Name]) == 0 {
			continue
		}
		s := Summarize(r.Fake[v.Name])
		p.f("| %s | %s | %s | %s | %s | %.1f | %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f |\n", v.Label,
			fmtNs(s.Ns), ratio(s.Ns, base.Ns), fmtNs(s.CPU), ratio(s.CPU, base.CPU),
			s.Allocs, ratio(s.Allocs, base.Allocs), fmtBytes(int64(s.Bytes)), ratio(s.Bytes, base.Bytes),
			fmtDur(s.P50), ratio(float64(s.P50), float64(base.P50)), fmtDur(s.P99), ratio(float64(s.P99), float64(base.P99)),
			s.Exports, s.Datagrams)
	}
	p.f("\n")
}

// signals attributes the fully instrumented Lumen's cost to its parts, by
// difference between the breakdown rows measured in the same run.
func (p *printer) signals(r *Results) {
	sum := func(name string) (Summary, bool) {
		ss := r.Fake[name]
		return Summarize(ss), len(ss) > 0
	}
	bd := Breakdown()
	steps := []struct{ what, from, to string }{
		{"Lumen's loop over the floor (telemetry off)", Floor.Name, Lumen.Name},
		{"aws-lambda-go's loop over the floor", Floor.Name, AWSLambda.Name},
		{"otellambda's span, exported and flushed before each response", AWSLambda.Name, OTelLambda.Name},
		{"Lumen's spans, exported over OTLP after each response", Lumen.Name, bd[0].Name},
		{"Lumen's log record, exported over OTLP after each response", bd[0].Name, bd[1].Name},
		{"Lumen's metrics (faas_*, phases, health), gathered and sent over OTLP after each response", bd[1].Name, bd[2].Name},
		{"the Go runtime and process collectors in those metrics", bd[2].Name, LumenOTel.Name},
		{"the adaptive flush strategy instead of a flush after every invocation", LumenOTel.Name, LumenAdaptive.Name},
		{"Lumen's Lambda defaults (X-Ray spans, EMF metrics, JSON logs) over telemetry off", Lumen.Name, LumenDefaults.Name},
		{"classic instead of native histograms in those defaults' EMF metrics", LumenDefaults.Name, LumenDefaultsClassic.Name},
	}
	p.f("Where the time goes, by difference between rows of the table above (same run; noisy where the " +
		"difference is small):\n\n| part | CPU/inv | wall/inv | allocs/inv | bytes/inv |\n|---|---:|---:|---:|---:|\n")
	for _, st := range steps {
		a, ok1 := sum(st.from)
		b, ok2 := sum(st.to)
		if !ok1 || !ok2 {
			continue
		}
		p.f("| %s | %s | %s | %+.1f | %s |\n", st.what, fmtSigned(b.CPU-a.CPU), fmtSigned(b.Ns-a.Ns),
			b.Allocs-a.Allocs, fmtSignedBytes(b.Bytes-a.Bytes))
	}
	p.f("\n")
}

func fmtSigned(ns float64) string {
	if ns < 0 {
		return "−" + fmtNs(-ns)
	}
	return "+" + fmtNs(ns)
}

func fmtSignedBytes(b float64) string {
	if b < 0 {
		return "−" + fmtBytes(int64(-b))
	}
	return "+" + fmtBytes(int64(b))
}

func (p *printer) emulator(r *Results) {
	p.f("## 2. Through the real emulator (aws-lambda-rie, classic mode)\n\n")
	if len(r.Emulator) == 0 {
		p.f("Not measured: %s\n\n", r.EmulatorNote)
		return
	}
	p.f("Sequential invocations over one kept-alive connection, %d-byte event, rounds interleaved; medians of rounds. "+
		"Runtime CPU is the function process's own; the emulator's CPU (from /proc, 10 ms ticks) is shown apart.\n\n",
		firstEventBytes(r.Emulator))
	base := Summarize(r.Emulator[AWSLambda.Name])
	p.f("| variant | invocations/s | × | runtime CPU/inv | × | allocs/inv | emulator CPU/inv | p50 | p99 |\n")
	p.f("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, v := range Variants() {
		if len(r.Emulator[v.Name]) == 0 {
			continue
		}
		s := Summarize(r.Emulator[v.Name])
		p.f("| %s | %.0f | %s | %s | %s | %.1f | %s | %s | %s |\n", v.Label, s.PerSecond, ratio(s.PerSecond, base.PerSecond),
			fmtNs(s.CPU), ratio(s.CPU, base.CPU), s.Allocs, fmtNs(s.EmulatorCPU), fmtDur(s.P50), fmtDur(s.P99))
	}
	p.f("\n")
}

func (p *printer) coldStart(r *Results) {
	p.f("## 3. Cold start and binary size\n\n")
	p.f("Cold start: from just before fork/exec to the arrival of the first `GET /next` at a bare listener, which " +
		"answers an internal extension's registration; median (and 90th percentile) of the runs, interleaved across " +
		"variants; the rows after the floor break the fully instrumented Lumen down by signal. Size: the same function built with `CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -tags lambda.norpc`.\n\n")
	base := MedianDuration(r.ColdStarts[AWSLambda.Name])
	bs := r.Sizes[AWSLambda.Name]
	p.f("| variant | runs | cold start median | p90 | Δ median | binary | × |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, v := range append(Variants(), Breakdown()...) {
		if v.Name == LumenAdaptive.Name || v.Name == LumenDefaultsClassic.Name {
			continue // the same binary as another variant: the same start
		}
		cs := r.ColdStarts[v.Name]
		if len(cs) == 0 {
			continue
		}
		m := MedianDuration(cs)
		size, x := "", ""
		if sz, ok := r.Sizes[v.Name]; ok {
			size, x = fmtBytes(sz), ratio(float64(sz), float64(bs))
		}
		p.f("| %s | %d | %s | %s | %+.2f ms | %s | %s |\n", v.Label, len(cs), fmtDur(m), fmtDur(Percentile(cs, 0.9)),
			float64(m-base)/float64(time.Millisecond), size, x)
	}
	p.f("\n")
	p.initTraces(r)
	p.composition(r)
}

// initTraces lists where package initialisation time goes.
func (p *printer) initTraces(r *Results) {
	if len(r.InitTraces) == 0 {
		return
	}
	p.f("Package initialisation before `main` (`GODEBUG=inittrace=1`, one start each; wall clock, so noisy on a " +
		"loaded machine): the total, and the slowest packages.\n\n")
	p.f("| variant | packages | init total | slowest packages |\n|---|---:|---:|---|\n")
	for _, v := range Variants() {
		tr, ok := r.InitTraces[v.Name]
		if !ok {
			continue
		}
		var total float64
		for _, s := range tr {
			total += s.Value
		}
		var slow []string
		for _, s := range tr[:min(5, len(tr))] {
			slow = append(slow, fmt.Sprintf("`%s` %.2f ms", s.Name, s.Value))
		}
		p.f("| %s | %d | %.2f ms | %s |\n", v.Label, len(tr), total, strings.Join(slow, ", "))
	}
	p.f("\n")
}

// composition tabulates what each binary links, by module.
func (p *printer) composition(r *Results) {
	if len(r.Composition) == 0 {
		return
	}
	var vs []Variant
	for _, v := range Variants() {
		if len(r.Composition[v.Name]) > 0 {
			vs = append(vs, v)
		}
	}
	p.f("What the binaries hold: symbol sizes (`go tool nm -size` of the same build unstripped) summed by module, "+
		"largest parts of %s first; the pclntab, DWARF and other tables are not attributed.\n\n", LumenOTel.Label)
	p.f("| part |")
	for _, v := range vs {
		p.f(" %s |", v.Label)
	}
	p.f("\n|---|")
	for range vs {
		p.f("---:|")
	}
	p.f("\n")
	order := []string{}
	seen := map[string]bool{}
	for _, name := range []string{LumenOTel.Name, LumenDefaults.Name, Lumen.Name, OTelLambda.Name, AWSLambda.Name, Floor.Name} {
		for _, s := range r.Composition[name] {
			if !seen[s.Name] {
				seen[s.Name] = true
				order = append(order, s.Name)
			}
		}
	}
	totals := make([]float64, len(vs))
	for _, area := range order {
		p.f("| %s |", area)
		for i, v := range vs {
			var val float64
			for _, s := range r.Composition[v.Name] {
				if s.Name == area {
					val = s.Value
				}
			}
			totals[i] += val
			p.f(" %s |", fmtBytes(int64(val)))
		}
		p.f("\n")
	}
	p.f("| **total attributed** |")
	for _, t := range totals {
		p.f(" **%s** |", fmtBytes(int64(t)))
	}
	p.f("\n\n")
}

func (p *printer) flush(r *Results) {
	p.f("## 4. Flush cost per exporter\n\n")
	if len(r.Flush) == 0 {
		p.f("Not measured: %s\n\n", r.FlushNote)
		return
	}
	p.f("Go benchmarks (`bench/internal/flush`): one invocation's telemetry recorded, then the flush point's " +
		"`ForceFlush`; each op is one flush. Medians of the `-count` runs.\n\n")
	p.f("| benchmark | per flush | bytes/flush | allocs/flush |\n|---|---:|---:|---:|\n")
	type agg struct{ ns, b, a []float64 }
	order := []string{}
	byName := map[string]*agg{}
	for _, l := range r.Flush {
		a := byName[l.Name]
		if a == nil {
			a = &agg{}
			byName[l.Name] = a
			order = append(order, l.Name)
		}
		a.ns, a.b, a.a = append(a.ns, l.NsPerOp), append(a.b, l.BytesPerOp), append(a.a, l.AllocsPerOp)
	}
	for _, n := range order {
		a := byName[n]
		p.f("| %s | %s | %s | %.0f |\n", strings.TrimPrefix(n, "Benchmark"), fmtNs(Median(a.ns)),
			fmtBytes(int64(Median(a.b))), Median(a.a))
	}
	p.f("\n")
}

func (p *printer) payload(r *Results) {
	p.f("## 5. Payload scaling, fake Runtime API\n\n")
	if len(r.PayloadSize) == 0 {
		p.f("Not measured.\n\n")
		return
	}
	p.f("One round per size; the handler decodes the event and answers with its size, so the cost that grows is "+
		"reading and decoding the event. × is the CPU ratio to %s at the same size.\n\n", AWSLambda.Label)
	p.f("| event | variant | invocations | wall/inv | CPU/inv | × CPU | allocs/inv | bytes/inv |\n")
	p.f("|---:|---|---:|---:|---:|---:|---:|---:|\n")
	for _, size := range r.PayloadSize {
		row := r.Payload[size]
		base := row[AWSLambda.Name]
		for _, v := range Variants() {
			s, ok := row[v.Name]
			if !ok {
				continue
			}
			p.f("| %s | %s | %d | %s | %s | %s | %.1f | %s |\n", fmtBytes(int64(size)), v.Label, s.Invocations,
				fmtNs(s.NsPerInvocation()), fmtNs(s.CPUPerInvocation()),
				ratio(s.CPUPerInvocation(), base.CPUPerInvocation()), s.AllocsPerInvocation(), fmtBytes(int64(s.BytesPerInvocation())))
		}
	}
	p.f("\n")
}

func (p *printer) profiles(r *Results) {
	p.f("## 6. Where the time goes\n\n")
	if len(r.Profiles) == 0 {
		p.f("No profiles were taken.\n\n")
		return
	}
	p.f("CPU and allocation profiles of the variant processes (the `benchprof` build: same code, unstripped, " +
		"profiling on; CPU at the default 100 Hz, allocations sampled every 64 KiB) over a run against the fake " +
		"Runtime API, from process start to the end of the run. Flat values grouped by area; heaviest functions below.\n\n")
	for _, v := range append(Variants(), Breakdown()...) {
		pr, ok := r.Profiles[v.Name]
		if !ok {
			continue
		}
		p.f("### %s (%d invocations: %s CPU/inv, %.1f allocs/inv while profiling)\n\n", v.Label,
			pr.Sample.Invocations, fmtNs(pr.Sample.CPUPerInvocation()), pr.Sample.AllocsPerInvocation())
		p.f("| area | CPU | | allocations (objects) | |\n|---|---:|---:|---|---:|\n")
		for i := range max(len(pr.CPU), len(pr.Allocs)) {
			if i >= 12 {
				break
			}
			var c, a string
			if i < len(pr.CPU) {
				c = fmt.Sprintf("%s | %.1f%%", pr.CPU[i].Name, pr.CPU[i].Percent)
			} else {
				c = " | "
			}
			if i < len(pr.Allocs) {
				a = fmt.Sprintf("%s | %.1f%%", pr.Allocs[i].Name, pr.Allocs[i].Percent)
			} else {
				a = " | "
			}
			p.f("| %s | %s |\n", c, a)
		}
		if len(pr.CumCPU) > 0 {
			p.f("\nMost CPU under (callees included, one function per call chain): ")
			for i, s := range pr.CumCPU {
				if i > 0 {
					p.f("; ")
				}
				p.f("`%s` %.1f%%", s.Name, s.CumPercent)
			}
			p.f(".\n")
		}
		p.f("\nHeaviest functions, flat CPU: ")
		for i, s := range pr.TopCPU {
			if i > 0 {
				p.f("; ")
			}
			p.f("`%s` %.1f%%", s.Name, s.Percent)
		}
		p.f(".\n\nHeaviest functions, allocated objects: ")
		for i, s := range pr.TopAllocs {
			if i > 0 {
				p.f("; ")
			}
			p.f("`%s` %.1f%%", s.Name, s.Percent)
		}
		p.f(".\n\n")
	}
}

func (p *printer) method(r *Results) {
	p.f("## How it is measured\n\n")
	p.f("- Each variant is `bench/cmd/<variant>`, built once as a release binary and run as a child of the driver " +
		"(`bench/driver`), since `lambda.Start` never returns. Its allocations (runtime/metrics " +
		"`/gc/heap/allocs:objects` and `:bytes`) and CPU time (`getrusage(RUSAGE_SELF)`, all threads) are read by " +
		"the workload itself when it receives a stats event, sent just before and just after the measured " +
		"invocations: the same code and the same cost in every variant, the floor included.\n")
	p.f("- The fake Runtime API is `runtime/runtimetest` in the driver process; every invocation is sent only after " +
		"the previous response arrived, so a runtime's work after its response (Lumen's flush point) shows in wall " +
		"time and CPU, not in latency.\n")
	p.f("- The emulator runs in classic mode, started with `--runtime-interface-emulator-address` and " +
		"`--runtime-api-address` on free loopback ports; it starts the function at the first invoke (unmeasured warm-up).\n")
	p.f("- Nothing here fails on a number: `go test ./...` in `bench/` only builds every variant and checks its answers.\n\n")
}

func firstEventBytes(m map[string][]Sample) int {
	for _, ss := range m {
		if len(ss) > 0 {
			return ss[0].EventBytes
		}
	}
	return 0
}

func ratio(a, b float64) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

func fmtNs(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func fmtDur(d time.Duration) string { return fmtNs(float64(d)) }

func fmtBytes(b int64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.2f MiB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d B", b)
}
