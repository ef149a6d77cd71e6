package harness

import (
	"slices"
	"strings"
	"time"
)

// Results is everything one run of the driver measured.
type Results struct {
	Machine            Machine
	LoadStart, LoadEnd string
	Busy               string
	Started, Finished  time.Time

	// Rounds and N describe the fake Runtime API runs.
	Rounds, N int
	// Fake holds, per variant name, one sample per round (small event).
	Fake map[string][]Sample
	// Payload holds, per event size, one sample per variant name.
	Payload     map[int]map[string]Sample
	PayloadSize []int
	// Emulator holds, per variant name, one sample per round; EmulatorNote
	// says why it is empty.
	Emulator     map[string][]Sample
	EmulatorNote string
	// ColdStarts are per variant name.
	ColdStarts map[string][]time.Duration
	Sizes      map[string]int64
	// InitTraces are each variant's package initialisation times (ms),
	// one list per start.
	InitTraces map[string][][]Share
	// Sizes and Composition are per binary (Variant.Command): its size,
	// and its symbol sizes by module from its unstripped build.
	Composition map[string][]Share
	// Flush are the exporter flush benchmarks; FlushNote says why they are
	// missing.
	Flush     []BenchLine
	FlushNote string
	// Profiles are the profiled runs, by variant name.
	Profiles map[string]Profile
	// Notes are remarks gathered during the run.
	Notes []string
}

// Summary is a variant's samples reduced to one row: the median of each
// per-round value, and latency percentiles over every round's invocations.
type Summary struct {
	Ns, CPU, Allocs, Bytes float64
	P50, P99               time.Duration
	PerSecond              float64
	EmulatorCPU            float64
	// Exports are OTLP requests per invocation; Datagrams are X-Ray
	// daemon datagrams per invocation.
	Exports, Datagrams float64
	// ExportBytes are the bytes per invocation the sink received (OTLP
	// bodies and X-Ray datagrams).
	ExportBytes float64
	// Reads, Writes and Switches are the function's read and write system
	// calls and voluntary context switches per invocation.
	Reads, Writes, Switches float64
}

// Summarize reduces samples.
func Summarize(samples []Sample) Summary {
	if len(samples) == 0 {
		return Summary{}
	}
	var lat []time.Duration
	var ns, cpu, allocs, bytes, ps, emu, exp, dg, eb, rd, wr, sw []float64
	for _, s := range samples {
		lat = append(lat, s.Latencies...)
		ns = append(ns, s.NsPerInvocation())
		cpu = append(cpu, s.CPUPerInvocation())
		allocs = append(allocs, s.AllocsPerInvocation())
		bytes = append(bytes, s.BytesPerInvocation())
		ps = append(ps, s.InvocationsPerSecond())
		emu = append(emu, s.EmulatorCPUPerInvocation())
		c := s.Sink
		exp = append(exp, perInv(float64(c.Traces+c.Metrics+c.Logs+c.Other), s.Invocations))
		dg = append(dg, perInv(float64(c.Datagrams), s.Invocations))
		eb = append(eb, perInv(float64(c.Bytes), s.Invocations))
		r, w := s.SyscallsPerInvocation()
		rd, wr, sw = append(rd, r), append(wr, w), append(sw, s.SwitchesPerInvocation())
	}
	return Summary{
		Ns: Median(ns), CPU: Median(cpu), Allocs: Median(allocs), Bytes: Median(bytes),
		P50: Percentile(lat, 0.50), P99: Percentile(lat, 0.99),
		PerSecond: Median(ps), EmulatorCPU: Median(emu), Exports: Median(exp), Datagrams: Median(dg),
		ExportBytes: Median(eb), Reads: Median(rd), Writes: Median(wr), Switches: Median(sw),
	}
}

// Median is the median of xs (0 for none).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// MedianDuration is the median of ds.
func MedianDuration(ds []time.Duration) time.Duration {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = float64(d)
	}
	return time.Duration(Median(xs))
}

// Ratio is the ratio of a variant's figure to another's, taken within each
// round (the two measured close together) and summarised over the rounds.
type Ratio struct {
	Median, Min, Max float64
	Rounds           int
}

// RoundRatio returns the ratio of f over a's samples to f over b's, round
// by round (the i-th sample of each is the i-th round).
func RoundRatio(a, b []Sample, f func(Sample) float64) Ratio {
	var rs []float64
	for i := range min(len(a), len(b)) {
		if d := f(b[i]); d > 0 {
			rs = append(rs, f(a[i])/d)
		}
	}
	if len(rs) == 0 {
		return Ratio{}
	}
	return Ratio{Median: Median(rs), Min: slices.Min(rs), Max: slices.Max(rs), Rounds: len(rs)}
}

// CPU, Allocs and Wall read one figure per invocation from a sample.
func CPU(s Sample) float64    { return s.CPUPerInvocation() }
func Allocs(s Sample) float64 { return s.AllocsPerInvocation() }
func Wall(s Sample) float64   { return s.NsPerInvocation() }

// InitTotal is the median over starts of the total package
// initialisation time (ms) in traces, one list per start.
func InitTotal(traces [][]Share) float64 {
	var totals []float64
	for _, tr := range traces {
		totals = append(totals, sum(tr))
	}
	return Median(totals)
}

// InitDifference is the median over starts of the difference between the
// total package initialisation of a's i-th start and b's (starts are
// interleaved, so the i-th of each ran close together), and whether both
// initialise the same packages.
func InitDifference(a, b [][]Share) (ms float64, samePackages bool) {
	var ds []float64
	for i := range min(len(a), len(b)) {
		ds = append(ds, sum(a[i])-sum(b[i]))
	}
	samePackages = len(a) > 0 && len(b) > 0 && slices.Equal(names(a[0]), names(b[0]))
	return Median(ds), samePackages
}

func sum(tr []Share) float64 {
	var t float64
	for _, s := range tr {
		t += s.Value
	}
	return t
}

func names(tr []Share) []string {
	out := make([]string, len(tr))
	for i, s := range tr {
		out[i] = s.Name
	}
	slices.Sort(out)
	return out
}

// InitMedians returns each package's median initialisation time over the
// starts, largest first.
func InitMedians(traces [][]Share) []Share {
	by := map[string][]float64{}
	for _, tr := range traces {
		for _, s := range tr {
			by[s.Name] = append(by[s.Name], s.Value)
		}
	}
	out := make([]Share, 0, len(by))
	for name, vs := range by {
		for len(vs) < len(traces) {
			vs = append(vs, 0)
		}
		out = append(out, Share{Name: name, Value: Median(vs)})
	}
	slices.SortFunc(out, func(a, b Share) int {
		if c := cmpDesc(a.Value, b.Value); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}
