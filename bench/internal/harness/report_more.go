package harness

import (
	"fmt"
	"strings"
	"time"
)

func (p *printer) coldStart(r *Results) {
	p.f("## 4. Cold start, package init and binary size\n\n")
	p.f("Cold start: from just before fork/exec to the arrival of the first `GET /next` at a bare listener, which " +
		"answers an internal extension's registration; median (and 90th percentile) of the runs, interleaved across " +
		"variants (the flush strategy changes nothing before the first poll). Size: the variant's binary built with " +
		"`CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -tags lambda.norpc`.\n\n")
	base := MedianDuration(r.ColdStarts[AWSLambda.Name])
	bs := r.Sizes[AWSLambda.Command()]
	p.f("| variant | runs | cold start median | p90 | Δ median | binary | × |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, v := range Variants() {
		cs := r.ColdStarts[v.Name]
		if len(cs) == 0 {
			continue
		}
		m := MedianDuration(cs)
		size, x := "", ""
		if sz, ok := r.Sizes[v.Command()]; ok {
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
	p.f("Package initialisation before `main` (`GODEBUG=inittrace=1`; wall clock, so noisy on a loaded machine): " +
		"the median over starts of the total, and the packages with the largest median.\n\n")
	p.f("| variant | starts | packages | init total (median) | slowest packages |\n|---|---:|---:|---:|---|\n")
	for _, v := range Variants() {
		trs, ok := r.InitTraces[v.Name]
		if !ok || len(trs) == 0 {
			continue
		}
		med := InitMedians(trs)
		var slow []string
		for _, s := range med[:min(5, len(med))] {
			slow = append(slow, fmt.Sprintf("`%s` %.2f ms", s.Name, s.Value))
		}
		p.f("| %s | %d | %d | %.2f ms | %s |\n", v.Label, len(trs), len(trs[0]), InitTotal(trs), strings.Join(slow, ", "))
	}
	p.f("\nThe same by module (each package's median, summed):\n\n| variant | by module |\n|---|---|\n")
	for _, v := range Variants() {
		trs, ok := r.InitTraces[v.Name]
		if !ok || len(trs) == 0 {
			continue
		}
		var parts []string
		for _, m := range GroupByModule(InitMedians(trs)) {
			if m.Value >= 0.05 {
				parts = append(parts, fmt.Sprintf("%s %.2f ms", m.Name, m.Value))
			}
		}
		p.f("| %s | %s |\n", v.Label, strings.Join(parts, ", "))
	}
	p.f("\n")
}

// composition tabulates what each binary links, by module.
func (p *printer) composition(r *Results) {
	if len(r.Composition) == 0 {
		return
	}
	bins := commands(Variants())
	var vs []Variant
	for _, v := range bins {
		if len(r.Composition[v.Command()]) > 0 {
			vs = append(vs, v)
		}
	}
	p.f("What the binaries hold: symbol sizes (`go tool nm -size` of the same build unstripped) summed by module; " +
		"the pclntab, DWARF and other tables are not attributed. `bench/cmd/lumen` is every Lumen variant with " +
		"telemetry.\n\n")
	p.f("| part |")
	for _, v := range vs {
		p.f(" `%s` |", v.Command())
	}
	p.f("\n|---|")
	for range vs {
		p.f("---:|")
	}
	p.f("\n")
	var order []string
	seen := map[string]bool{}
	for _, v := range append([]Variant{LumenOTLP}, vs...) {
		for _, s := range r.Composition[v.Command()] {
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
			for _, s := range r.Composition[v.Command()] {
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

// commands returns each distinct binary of vs once, with the first
// variant that runs it.
func commands(vs []Variant) []Variant {
	seen := map[string]bool{}
	var out []Variant
	for _, v := range vs {
		if !seen[v.Command()] {
			seen[v.Command()] = true
			out = append(out, v)
		}
	}
	return out
}

// Commands returns each distinct binary of vs once, with the first variant
// that runs it.
func Commands(vs []Variant) []Variant { return commands(vs) }

func (p *printer) flush(r *Results) {
	p.f("## 5. Each part of the cost, in process\n\n")
	if len(r.Flush) == 0 {
		p.f("Not measured: %s\n\n", r.FlushNote)
		return
	}
	p.f("Go benchmarks (`bench/internal/flush`), exporters built as `telemetry.New` builds them from the environment " +
		"(`telemetry.WithEnv(telemetry.ReadEnv(…))`): *Record* is what the loop records per invocation (Lumen's four " +
		"spans through the SDK into the flush processor, `RecordInvocation`, one JSON log line), *Encode* is one " +
		"invocation's telemetry encoded without I/O, *Flush* is recording one invocation and the flush point's " +
		"`ForceFlush` to a loopback backend (X-Ray: a UDP socket; OTLP: an HTTP sink in the same process; EMF: " +
		"stdout to /dev/null), *Invocation* the whole invocation under `runtime.Run` against the in-process fake " +
		"Runtime API. CPU/op is the process's CPU time per op, every thread (the loopback backend's and the fake " +
		"API's included), which moves less with the machine's load than wall time. Medians of the `-count` runs.\n\n")
	p.f("| benchmark | wall/op | CPU/op | bytes/op | allocs/op |\n|---|---:|---:|---:|---:|\n")
	type agg struct{ ns, cpu, b, a []float64 }
	var order []string
	byName := map[string]*agg{}
	for _, l := range r.Flush {
		a := byName[l.Name]
		if a == nil {
			a = &agg{}
			byName[l.Name] = a
			order = append(order, l.Name)
		}
		a.ns, a.b, a.a = append(a.ns, l.NsPerOp), append(a.b, l.BytesPerOp), append(a.a, l.AllocsPerOp)
		a.cpu = append(a.cpu, l.CPUNsPerOp)
	}
	for _, n := range order {
		a := byName[n]
		p.f("| %s | %s | %s | %s | %.0f |\n", strings.TrimPrefix(n, "Benchmark"), fmtNs(Median(a.ns)),
			fmtNs(Median(a.cpu)), fmtBytes(int64(Median(a.b))), Median(a.a))
	}
	p.f("\n")
}

func (p *printer) payload(r *Results) {
	p.f("## 6. Payload scaling, fake Runtime API\n\n")
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
	p.f("## 7. Where the time goes: profiles\n\n")
	if len(r.Profiles) == 0 {
		p.f("No profiles were taken.\n\n")
		return
	}
	p.f("CPU and allocation profiles of the variant processes (the `benchprof` build: same code, unstripped, " +
		"profiling on; CPU at the default 100 Hz, allocations sampled every 64 KiB) over a run against the fake " +
		"Runtime API, from process start to the end of the run. Flat values grouped by area; heaviest functions below.\n\n")
	for _, v := range All() {
		pr, ok := r.Profiles[v.Name]
		if !ok {
			continue
		}
		p.f("### %s (%d invocations: %s CPU/inv, %.1f allocs/inv while profiling)\n\n", v.Label,
			pr.Sample.Invocations, fmtNs(pr.Sample.CPUPerInvocation()), pr.Sample.AllocsPerInvocation())
		p.f("| area | CPU | | allocations (objects) | |\n|---|---:|---:|---|---:|\n")
		for i := range min(12, max(len(pr.CPU), len(pr.Allocs))) {
			c, a := " | ", " | "
			if i < len(pr.CPU) {
				c = fmt.Sprintf("%s | %.1f%%", pr.CPU[i].Name, pr.CPU[i].Percent)
			}
			if i < len(pr.Allocs) {
				a = fmt.Sprintf("%s | %.1f%%", pr.Allocs[i].Name, pr.Allocs[i].Percent)
			}
			p.f("| %s | %s |\n", c, a)
		}
		p.list("Most CPU under (callees included, one function per call chain)", pr.CumCPU, true)
		p.list("Heaviest functions, flat CPU", pr.TopCPU, false)
		p.list("Heaviest functions, allocated objects", pr.TopAllocs, false)
		p.f("\n")
	}
}

func (p *printer) list(title string, shares []Share, cum bool) {
	if len(shares) == 0 {
		return
	}
	p.f("\n%s: ", title)
	for i, s := range shares {
		if i > 0 {
			p.f("; ")
		}
		v := s.Percent
		if cum {
			v = s.CumPercent
		}
		p.f("`%s` %.1f%%", s.Name, v)
	}
	p.f(".\n")
}

func (p *printer) method() {
	p.f("## How it is measured\n\n")
	p.f("- Each variant runs a binary of `bench/cmd/<name>`, built once as a release binary and run as a child of " +
		"the driver (`bench/driver`), since `lambda.Start` never returns. Its allocations (runtime/metrics " +
		"`/gc/heap/allocs:objects` and `:bytes`) and CPU time (`getrusage(RUSAGE_SELF)`, all threads) are read by " +
		"the workload itself when it receives a stats event, sent just before and just after the measured " +
		"invocations: the same code and the same cost in every variant, the floor included.\n")
	p.f("- The fake Runtime API is `runtime/runtimetest` in the driver process; every invocation is sent only after " +
		"the previous response arrived, so a runtime's work after its response (Lumen's flush point) shows in wall " +
		"time and CPU, not in latency.\n")
	p.f("- The emulator runs in classic mode, started with `--runtime-interface-emulator-address` and " +
		"`--runtime-api-address` on free loopback ports; it starts the function at the first invoke (unmeasured warm-up).\n")
	p.f("- Nothing here fails on a number: `go test ./...` in `bench/` builds every variant, checks its answers and " +
		"that its telemetry arrives.\n\n")
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
