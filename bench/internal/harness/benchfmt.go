package harness

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// BenchLine is one result line of `go test -bench -benchmem`.
type BenchLine struct {
	Name       string
	Iterations int64
	NsPerOp    float64
	// CPUNsPerOp is the process's CPU time per op, every thread, when the
	// benchmark reports it (cpu-ns/op).
	CPUNsPerOp  float64
	BytesPerOp  float64
	AllocsPerOp float64
}

// ParseBench reads the result lines of `go test -bench` output; other lines
// are skipped. The -N GOMAXPROCS suffix is dropped from names.
func ParseBench(r io.Reader) ([]BenchLine, error) {
	var out []BenchLine
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		iters, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			continue
		}
		l := BenchLine{Name: trimProcs(f[0]), Iterations: iters}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				l.NsPerOp = v
			case "cpu-ns/op":
				l.CPUNsPerOp = v
			case "B/op":
				l.BytesPerOp = v
			case "allocs/op":
				l.AllocsPerOp = v
			}
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}
