//go:build benchprof

package workload

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// EnvProfile names the file prefix a benchprof binary profiles into:
// <prefix>.cpu.pprof from start-up to the stop-profile event, and
// <prefix>.allocs.pprof written at that event.
const EnvProfile = "BENCH_PROFILE"

func init() {
	prefix := os.Getenv(EnvProfile)
	if prefix == "" {
		return
	}
	f, err := os.Create(prefix + ".cpu.pprof")
	if err != nil {
		return
	}
	runtime.MemProfileRate = 64 << 10
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return
	}
	stopProfile = func() {
		pprof.StopCPUProfile()
		_ = f.Close()
		if a, err := os.Create(prefix + ".allocs.pprof"); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(a, 0)
			_ = a.Close()
		}
		stopProfile = nil
	}
}
