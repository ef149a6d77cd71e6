package harness

import (
	"fmt"
	"io"
	"strings"
	"time"
)

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
	p.f("\nThe machine is shared: absolute figures move with the load. Ratios are taken within each round, between " +
		"variants measured one after the other, and the median of the rounds' ratios is given (× columns; the " +
		"targets also give the rounds' range): those are the figures to read.\n\n")
	p.variants()
	p.targets(r)
	p.perInvocation(r)
	p.parts(r)
	p.emulator(r)
	p.delivery(r)
	p.coldStart(r)
	p.flush(r)
	p.payload(r)
	p.profiles(r)
	p.method()
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

func (p *printer) variants() {
	p.f("Variants (every one runs the same handler, `bench/internal/workload`, which logs one line per invocation, " +
		"as its own stripped process; every Lumen variant with telemetry is the same binary, `bench/cmd/lumen`: " +
		"`runtime.Start(workload.Handle)`, configured by its environment only):\n\n")
	p.f("| variant | what it is |\n|---|---|\n")
	p.f("| %s | `lambda.Start` |\n", AWSLambda.Label)
	p.f("| %s | `otellambda.InstrumentHandler` with `WithFlusher(tp)`: one span per invocation over OTLP/HTTP, flushed before each response |\n", OTelLambda.Label)
	p.f("| %s | `runtime.StartWithOptions(h, runtime.WithoutTelemetry())` |\n", LumenOff.Label)
	for _, v := range All() {
		if !v.Lumen {
			continue
		}
		var env []string
		if v.XRay {
			env = append(env, "`AWS_XRAY_DAEMON_ADDRESS`")
		}
		if v.Instrumented {
			env = append(env, "`OTEL_EXPORTER_OTLP_ENDPOINT`")
		}
		for _, kv := range v.Env {
			env = append(env, "`"+kv+"`")
		}
		p.f("| %s | `runtime.Start(h)` with %s |\n", v.Label, strings.Join(env, ", "))
	}
	p.f("| %s | no runtime, no handler: the two HTTP round trips of an invocation |\n\n", Floor.Label)
	p.f("Lumen's default flush strategy is `%s`. The OTLP endpoint is a loopback sink in the driver that accepts, "+
		"counts and discards; the X-Ray daemon a loopback UDP socket that counts; stdout (EMF, JSON logs) goes "+
		"to a file.\n\n", DefaultStrategy())
}

func (p *printer) targets(r *Results) {
	p.f("## Targets (issue 11)\n\n| target | measured | met |\n|---|---|---|\n")
	for _, t := range Targets(r) {
		verdict := "**no**"
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

// xr formats the median of the per-round ratios of f between v's and the
// baseline's samples in m.
func xr(m map[string][]Sample, v Variant, f func(Sample) float64) string {
	r := RoundRatio(m[v.Name], m[AWSLambda.Name], f)
	if r.Rounds == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", r.Median)
}

func (p *printer) perInvocation(r *Results) {
	p.f("## 1. Per invocation, fake Runtime API\n\n")
	p.f("%d rounds × %d sequential invocations of a %d-byte event per variant, rounds interleaved across variants "+
		"(each round's order rotated); each figure is the median of the rounds, × the median of the per-round "+
		"ratios to %s. Wall is the driver's elapsed time per invocation, including the fake Runtime API and, for "+
		"Lumen, the flush after the response; CPU is the function process's own user+system time; p50/p99 are "+
		"the loop times per invocation as the driver sees them, from the invoke (which waits for the runtime's "+
		"next `GET /next`, so any work the runtime did after the previous response is inside) to the response. "+
		"Read and write system calls are /proc/self/io's syscr and syscw (files, pipes, TCP; an X-Ray "+
		"datagram's sendto is not counted), context switches getrusage's voluntary ones (a thread blocked or "+
		"parked): what the figures are made of. The last rows turn parts of Lumen's telemetry off "+
		"(`OTEL_*_EXPORTER=none`).\n\n",
		r.Rounds, r.N, firstEventBytes(r.Fake), AWSLambda.Label)
	p.f("| variant | wall/inv | × | CPU/inv | × | allocs/inv | × | bytes/inv | p50 | p99 | OTLP requests/inv | X-Ray datagrams/inv | exported bytes/inv | read, write syscalls/inv | context switches/inv |\n")
	p.f("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, v := range All() {
		if len(r.Fake[v.Name]) == 0 {
			continue
		}
		s := Summarize(r.Fake[v.Name])
		p.f("| %s | %s | %s | %s | %s | %.1f | %s | %s | %s | %s | %.2f | %.2f | %s | %.1f, %.1f | %.1f |\n", v.Label,
			fmtNs(s.Ns), xr(r.Fake, v, Wall), fmtNs(s.CPU), xr(r.Fake, v, CPU), s.Allocs, xr(r.Fake, v, Allocs),
			fmtBytes(int64(s.Bytes)), fmtDur(s.P50), fmtDur(s.P99), s.Exports, s.Datagrams, fmtBytes(int64(s.ExportBytes)),
			s.Reads, s.Writes, s.Switches)
	}
	p.f("\n")
}

// parts attributes Lumen's cost to its parts, by difference between rows
// measured in the same run.
func (p *printer) parts(r *Results) {
	bd := Breakdown()
	steps := []struct{ what, from, to string }{
		{"Lumen's loop over the floor (telemetry off)", Floor.Name, LumenOff.Name},
		{"aws-lambda-go's loop over the floor", Floor.Name, AWSLambda.Name},
		{"otellambda's span, exported and flushed before each response", AWSLambda.Name, OTelLambda.Name},
		{"Lambda defaults over telemetry off (X-Ray spans, EMF metrics, JSON logs)", LumenOff.Name, LumenDefaults.Name},
		{"… of which the X-Ray spans (defaults less defaults without spans)", bd[3].Name, LumenDefaults.Name},
		{"… of which the EMF metrics (defaults less defaults without metrics)", bd[2].Name, LumenDefaults.Name},
		{"OTLP spans over telemetry off", LumenOff.Name, bd[0].Name},
		{"OTLP logs, added to the spans", bd[0].Name, bd[1].Name},
		{"OTLP metrics, added to spans and logs", bd[1].Name, LumenOTLPEnd.Name},
		{"`adaptive` instead of `end`, Lambda defaults", LumenDefaults.Name, LumenDefaultsAdaptive.Name},
		{"`adaptive` instead of `end`, OTLP", LumenOTLPEnd.Name, LumenOTLPAdaptive.Name},
	}
	p.f("Where the time goes, by difference between the medians of rows above (same run; noisy where the " +
		"difference is small):\n\n| part | CPU/inv | wall/inv | allocs/inv | bytes/inv |\n|---|---:|---:|---:|---:|\n")
	for _, st := range steps {
		a, b := r.Fake[st.from], r.Fake[st.to]
		if len(a) == 0 || len(b) == 0 {
			continue
		}
		sa, sb := Summarize(a), Summarize(b)
		p.f("| %s | %s | %s | %+.1f | %s |\n", st.what, fmtSigned(sb.CPU-sa.CPU), fmtSigned(sb.Ns-sa.Ns),
			sb.Allocs-sa.Allocs, fmtSignedBytes(sb.Bytes-sa.Bytes))
	}
	p.f("\n")
}

func (p *printer) emulator(r *Results) {
	p.f("## 2. Through the real emulator (aws-lambda-rie, classic mode)\n\n")
	if len(r.Emulator) == 0 {
		p.f("Not measured: %s\n\n", r.EmulatorNote)
		return
	}
	rounds := len(r.Emulator[AWSLambda.Name])
	p.f("%d rounds of sequential invocations over one kept-alive connection, %d-byte event, rounds interleaved; "+
		"medians of rounds, × the median of per-round ratios to %s. Runtime CPU is the function process's own; the "+
		"emulator's CPU (from /proc, 10 ms ticks) is shown apart.\n\n", rounds, firstEventBytes(r.Emulator), AWSLambda.Label)
	p.f("| variant | invocations/s | runtime CPU/inv | × | allocs/inv | × | emulator CPU/inv | p50 | p99 |\n")
	p.f("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, v := range Variants() {
		if len(r.Emulator[v.Name]) == 0 {
			continue
		}
		s := Summarize(r.Emulator[v.Name])
		p.f("| %s | %.0f | %s | %s | %.1f | %s | %s | %s | %s |\n", v.Label, s.PerSecond,
			fmtNs(s.CPU), xr(r.Emulator, v, CPU), s.Allocs, xr(r.Emulator, v, Allocs), fmtNs(s.EmulatorCPU), fmtDur(s.P50), fmtDur(s.P99))
	}
	p.f("\n")
}

// delivery shows, per variant, whether every invocation's telemetry
// arrived.
func (p *printer) delivery(r *Results) {
	p.f("## 3. Nothing lost: delivery, and what waits for the final flush\n\n")
	p.f("Every fake-API run ends as Lambda ends an execution environment: SIGTERM, then (here) SIGKILL after %s. "+
		"The sink counts what arrived: invocations traced (Lumen's `lumen.handle` spans over OTLP or in X-Ray "+
		"datagrams, otellambda's spans), OTLP log records (one per invocation that logs: all but the two stats "+
		"events), and the invocation count the metrics give (`faas.invocations` in the last OTLP request, or "+
		"`faas_invocations_total` summed over the EMF documents on stdout). *Waiting* is the most invocations of "+
		"a round whose telemetry had not arrived when the function was back in `GET /next` after the run, where "+
		"Lambda freezes it (SIGTERM is sent only then): what a frozen function holds, which the final flush on "+
		"SIGTERM sends.\n\n", shutdownGrace)
	p.f("| variant | runs | invocations served per run | complete at exit | waiting at the end, most | what the incomplete runs missed |\n")
	p.f("|---|---:|---:|---:|---:|---|\n")
	for _, v := range All() {
		var runs, complete int
		var waiting, served int64
		var missed []string
		for i, s := range r.Fake[v.Name] {
			d := s.Delivery
			if d == nil {
				continue
			}
			runs++
			if d.Complete() {
				complete++
			} else {
				missed = append(missed, fmt.Sprintf("round %d: %s", i+1, d.Missing()))
			}
			waiting, served = max(waiting, d.Waiting()), d.Served
		}
		if runs == 0 {
			continue
		}
		p.f("| %s | %d | %d | %d | %d | %s |\n", v.Label, runs, served, complete, waiting, strings.Join(missed, "; "))
	}
	p.f("\n")
}
