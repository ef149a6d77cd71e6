package workload

import (
	"bytes"
	"os"
	"runtime/metrics"
	"strconv"
	"syscall"
)

// Stats are a process's cumulative counters, read by [ReadStats].
type Stats struct {
	// PID is the process id.
	PID int `json:"pid"`
	// AllocObjects and AllocBytes are the heap allocations made since the
	// process started (runtime/metrics /gc/heap/allocs:objects and :bytes).
	AllocObjects uint64 `json:"alloc_objects"`
	AllocBytes   uint64 `json:"alloc_bytes"`
	// GCCycles is the number of completed GC cycles.
	GCCycles uint64 `json:"gc_cycles"`
	// UserNanos and SystemNanos are the process's CPU time, all threads,
	// from getrusage(RUSAGE_SELF).
	UserNanos   int64 `json:"user_ns"`
	SystemNanos int64 `json:"system_ns"`
	// MaxRSSKiB is the peak resident set size.
	MaxRSSKiB int64 `json:"max_rss_kib"`
	// Switches are the voluntary context switches (getrusage ru_nvcsw,
	// every thread): each time a thread blocked, in a system call or
	// parked with nothing to run.
	Switches int64 `json:"switches"`
	// Reads and Writes are the read and write system calls so far
	// (/proc/self/io syscr and syscw: on files, pipes and TCP sockets; a
	// UDP datagram's sendto is not counted).
	Reads  int64 `json:"reads"`
	Writes int64 `json:"writes"`
}

// CPUNanos is user plus system CPU time.
func (s Stats) CPUNanos() int64 { return s.UserNanos + s.SystemNanos }

var statNames = [...]string{"/gc/heap/allocs:objects", "/gc/heap/allocs:bytes", "/gc/cycles/total:gc-cycles"}

// ReadStats reads the process's counters. It costs the same in every
// variant: one runtime/metrics read (no stop-the-world) and one getrusage.
func ReadStats() Stats {
	samples := make([]metrics.Sample, len(statNames))
	for i, n := range statNames {
		samples[i].Name = n
	}
	metrics.Read(samples)
	s := Stats{PID: os.Getpid()}
	s.AllocObjects = uint64Of(samples[0])
	s.AllocBytes = uint64Of(samples[1])
	s.GCCycles = uint64Of(samples[2])
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.UserNanos = ru.Utime.Nano()
		s.SystemNanos = ru.Stime.Nano()
		s.MaxRSSKiB = ru.Maxrss
		s.Switches = ru.Nvcsw
	}
	s.Reads, s.Writes = readIO()
	return s
}

// readIO returns syscr and syscw of /proc/self/io, read without
// allocating more than the file's bytes.
func readIO() (reads, writes int64) {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, 0
	}
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		k, v, ok := bytes.Cut(line, []byte(": "))
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(string(v), 10, 64)
		switch string(k) {
		case "syscr":
			reads = n
		case "syscw":
			writes = n
		}
	}
	return reads, writes
}

func uint64Of(s metrics.Sample) uint64 {
	if s.Value.Kind() == metrics.KindUint64 {
		return s.Value.Uint64()
	}
	return 0
}
