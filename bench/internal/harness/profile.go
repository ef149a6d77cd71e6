package harness

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Profile is where one variant's CPU time and allocations went during a
// profiled run against the fake Runtime API.
type Profile struct {
	Variant Variant
	Sample  Sample
	// CPU and Allocs are flat CPU time (ms) and allocated objects grouped by
	// area, largest first.
	CPU, Allocs []Share
	// TopCPU and TopAllocs are the heaviest functions by flat value.
	TopCPU, TopAllocs []Share
	// CumCPU are the library and runtime functions (Lumen, OpenTelemetry,
	// Prometheus, aws-lambda-go) with the most CPU time under them, one per
	// call chain.
	CumCPU []Share
	// Files are the profiles written.
	Files []string
}

// Share is one area's or function's part of a profile.
type Share struct {
	Name    string
	Value   float64
	Percent float64
	// CumPercent is the part of the profile under a function, callees
	// included.
	CumPercent float64
}

// MeasureProfiled runs the Profiled build of r.Variant (r.Bin) against the
// fake Runtime API with profiling on, and summarises its CPU and allocation
// profiles with `go tool pprof`.
func MeasureProfiled(ctx context.Context, r Run, p Plan, prefix string) (Profile, error) {
	r.Env = append(r.Env, "BENCH_PROFILE="+prefix)
	p.Profile = true
	s, err := MeasureFake(ctx, r, p)
	if err != nil {
		return Profile{}, err
	}
	pr := Profile{Variant: r.Variant, Sample: s, Files: []string{prefix + ".cpu.pprof", prefix + ".allocs.pprof"}}
	cpu, err := pprofTop(ctx, r.Bin, pr.Files[0], "cpu")
	if err != nil {
		return pr, err
	}
	allocs, err := pprofTop(ctx, r.Bin, pr.Files[1], "alloc_objects")
	if err != nil {
		return pr, err
	}
	pr.CPU, pr.TopCPU, pr.CumCPU = Group(cpu), top(cpu, 12), cumulative(cpu, 12)
	pr.Allocs, pr.TopAllocs = Group(allocs), top(allocs, 12)
	return pr, nil
}

// pprofTop returns every function's flat value in the profile.
func pprofTop(ctx context.Context, bin, file, index string) ([]Share, error) {
	args := []string{"tool", "pprof", "-top", "-nodecount=100000", "-sample_index=" + index}
	if index == "cpu" {
		args = append(args, "-unit=ms")
	}
	args = append(args, bin, file)
	cmd := exec.CommandContext(ctx, "go", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("harness: go tool pprof %s: %w\n%s", filepath.Base(file), err, stderr.String())
	}
	return ParseTop(out), nil
}

// ParseTop reads `go tool pprof -top` output (flat flat% sum% cum cum% name)
// and returns one Share per function; other lines are skipped.
func ParseTop(out []byte) []Share {
	var shares []Share
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || !strings.HasSuffix(f[1], "%") || !strings.HasSuffix(f[4], "%") {
			continue
		}
		v, ok := parseAmount(f[0])
		if !ok {
			continue
		}
		pct, _ := strconv.ParseFloat(strings.TrimSuffix(f[1], "%"), 64)
		cum, _ := strconv.ParseFloat(strings.TrimSuffix(f[4], "%"), 64)
		shares = append(shares, Share{Name: strings.Join(f[5:], " "), Value: v, Percent: pct, CumPercent: cum})
	}
	return shares
}

// parseAmount parses pprof's amounts: 120ms, 1.50s, 4096, 12.5kB, 3MB.
func parseAmount(s string) (float64, bool) {
	units := []struct {
		suffix string
		scale  float64
	}{{"ms", 1}, {"us", 1e-3}, {"ns", 1e-6}, {"s", 1e3}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}, {"k", 1e3}, {"M", 1e6}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			return v * u.scale, err == nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// libraries are the prefixes of the functions cumulative lists show.
var libraries = []string{
	"github.com/lumen-rt/lumen/", "go.opentelemetry.io/", "github.com/prometheus/", "github.com/aws/aws-lambda-go/",
}

// cumulative returns up to n library functions by cumulative share, leaving
// out the entry points (over 90%) and every function whose share equals the
// one listed just before it (the same call chain, one frame down).
func cumulative(shares []Share, n int) []Share {
	s := slices.Clone(shares)
	slices.SortStableFunc(s, func(a, b Share) int { return cmpDesc(a.CumPercent, b.CumPercent) })
	var out []Share
	last := -1.0
	for _, x := range s {
		if len(out) == n {
			break
		}
		if x.CumPercent > 90 || x.CumPercent == last || !slices.ContainsFunc(libraries, func(p string) bool {
			return strings.HasPrefix(x.Name, p)
		}) {
			continue
		}
		last = x.CumPercent
		out = append(out, x)
	}
	return out
}

func top(shares []Share, n int) []Share {
	s := slices.Clone(shares)
	slices.SortStableFunc(s, func(a, b Share) int { return cmpDesc(a.Value, b.Value) })
	return s[:min(n, len(s))]
}

// areas maps function-name prefixes to the area they are reported under;
// the first match wins.
var areas = []struct{ prefix, area string }{
	{"github.com/lumen-rt/lumen/runtime", "Lumen runtime loop"},
	{"github.com/lumen-rt/lumen/tracing", "Lumen tracing"},
	{"github.com/lumen-rt/lumen/metrics", "Lumen metrics"},
	{"github.com/lumen-rt/lumen/logging", "Lumen logging"},
	{"github.com/lumen-rt/lumen/exporters", "Lumen exporters"},
	{"github.com/lumen-rt/lumen/bench", "workload"},
	{"github.com/aws/aws-lambda-go", "aws-lambda-go"},
	{"go.opentelemetry.io/contrib/instrumentation", "otellambda"},
	{"go.opentelemetry.io/contrib/bridges", "OTel bridges (slog, prometheus)"},
	{"go.opentelemetry.io/otel/exporters", "OTLP exporters"},
	{"go.opentelemetry.io/otel/sdk", "OTel SDK"},
	{"go.opentelemetry.io/", "OTel API"},
	{"google.golang.org/protobuf", "protobuf"},
	{"github.com/prometheus/", "Prometheus client"},
	{"net/http", "net/http"},
	{"net/", "net/http"},
	{"net.", "net, syscalls"},
	{"internal/poll", "net, syscalls"},
	{"syscall", "net, syscalls"},
	{"internal/runtime/syscall", "net, syscalls"},
	{"encoding/json", "encoding/json"},
	{"log/slog", "log/slog"},
	{"runtime.gc", "Go GC"},
	{"runtime.scan", "Go GC"},
	{"runtime.mark", "Go GC"},
	{"runtime.greyobject", "Go GC"},
	{"runtime.findObject", "Go GC"},
	{"runtime.sweep", "Go GC"},
	{"runtime.bgsweep", "Go GC"},
	{"runtime.wbBuf", "Go GC"},
	{"runtime.mallocgc", "Go allocator"},
	{"runtime.(*mcache)", "Go allocator"},
	{"runtime.(*mheap)", "Go allocator"},
	{"runtime.memclr", "Go allocator"},
	{"runtime.", "Go scheduler and other runtime"},
	{"internal/runtime", "Go scheduler and other runtime"},
	{"sync", "sync"},
	{"compress/", "compression"},
	{"bufio", "bufio, bytes, strings, strconv"},
	{"bytes", "bufio, bytes, strings, strconv"},
	{"strings", "bufio, bytes, strings, strconv"},
	{"strconv", "bufio, bytes, strings, strconv"},
	{"time", "time"},
	{"io.", "bufio, bytes, strings, strconv"},
	{"unicode", "bufio, bytes, strings, strconv"},
	{"errors", "fmt, errors"},
	{"context", "context"},
	{"reflect", "reflect"},
	{"fmt", "fmt, errors"},
}

// Group sums shares by area, largest first.
func Group(shares []Share) []Share {
	return groupBy(shares, func(name string) string {
		for _, a := range areas {
			if strings.HasPrefix(name, a.prefix) {
				return a.area
			}
		}
		return "other"
	})
}

// groupBy sums shares by the area areaOf gives their names, largest first.
func groupBy(shares []Share, areaOf func(string) string) []Share {
	sums := map[string]*Share{}
	var total float64
	for _, s := range shares {
		area := areaOf(s.Name)
		if sums[area] == nil {
			sums[area] = &Share{Name: area}
		}
		sums[area].Value += s.Value
		total += s.Value
	}
	out := make([]Share, 0, len(sums))
	for _, s := range sums {
		if total > 0 {
			s.Percent = 100 * s.Value / total
		}
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Share) int {
		if c := cmpDesc(a.Value, b.Value); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

func cmpDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}
