// Command driver runs Lumen's side-by-side benchmarks and writes
// bench/RESULTS.md. bench/run.sh (make bench) runs it after the exporter
// flush benchmarks, whose `go test -bench` output it reads with -flush.
//
// It builds every variant of bench/cmd, then measures, rounds interleaved
// across variants: invocations through the fake Runtime API (ns,
// allocations, bytes, latency per invocation), the same through the real
// emulator when aws-lambda-rie is installed, cold starts, binary sizes,
// payload scaling, and profiles of the variant processes.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/lumen-rt/lumen/bench/internal/harness"
)

// config is the driver's flags.
type config struct {
	out        string
	flush      string
	work       string
	rie        string
	rounds     int
	n          int
	rieRounds  int
	rieN       int
	coldStarts int
	initTraces int
	profileN   int
	quick      bool
	steps      string
}

func main() {
	var c config
	flag.StringVar(&c.out, "out", "", "where to write the results (default: RESULTS.md in the bench module)")
	flag.StringVar(&c.flush, "flush", "", "`go test -bench` output of bench/internal/flush to include")
	flag.StringVar(&c.work, "work", "", "folder for binaries, logs and profiles (default: a new temporary folder)")
	flag.StringVar(&c.rie, "rie", "", "aws-lambda-rie to use (default: $LUMEN_TOOLS, ../.tools/bin, then PATH)")
	flag.IntVar(&c.rounds, "rounds", 9, "interleaved rounds against the fake Runtime API")
	flag.IntVar(&c.n, "n", 2000, "invocations per variant per round against the fake Runtime API")
	flag.IntVar(&c.initTraces, "inittraces", 15, "starts per variant with GODEBUG=inittrace=1")
	flag.IntVar(&c.rieRounds, "rie-rounds", 5, "interleaved rounds through the emulator")
	flag.IntVar(&c.rieN, "rie-n", 2000, "invocations per variant per round through the emulator")
	flag.IntVar(&c.coldStarts, "coldstarts", 30, "cold starts per variant")
	flag.IntVar(&c.profileN, "profile-n", 10000, "invocations of each profiled run")
	flag.StringVar(&c.steps, "steps", "", "comma-separated steps to run (build, coldstarts, fake, payload, emulator, profiles, flush); default: all")
	flag.BoolVar(&c.quick, "quick", false, "a few invocations of everything, to check the harness")
	flag.Parse()
	if c.quick {
		c.rounds, c.n, c.rieRounds, c.rieN, c.coldStarts, c.initTraces, c.profileN = 1, 50, 1, 50, 3, 2, 200
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, c config) error {
	mod, err := harness.ModuleDir()
	if err != nil {
		return err
	}
	if c.out == "" {
		c.out = filepath.Join(mod, "RESULTS.md")
	}
	if c.work == "" {
		if c.work, err = os.MkdirTemp("", "lumen-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(c.work)
	} else if err := os.MkdirAll(c.work, 0o755); err != nil {
		return err
	}
	if c.rie == "" {
		c.rie = findRIE(mod)
	}
	r := &harness.Results{
		Machine: harness.ReadMachine(), LoadStart: harness.LoadAverage(), Busy: harness.BusyProcesses(),
		Started: time.Now(), Rounds: c.rounds, N: c.n,
		Fake: map[string][]harness.Sample{}, Payload: map[int]map[string]harness.Sample{},
		Emulator: map[string][]harness.Sample{}, ColdStarts: map[string][]time.Duration{},
		Sizes: map[string]int64{}, Profiles: map[string]harness.Profile{}, Composition: map[string][]harness.Share{},
		InitTraces: map[string][][]harness.Share{},
	}
	d := &driver{cfg: c, res: r, sink: harness.NewSink()}
	defer d.sink.Close()

	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"build", d.build},
		{"coldstarts", d.coldStarts},
		{"fake", d.fake},
		{"payload", d.payload},
		{"emulator", d.emulator},
		{"profiles", d.profiles},
		{"flush", d.flush},
	}
	for _, s := range steps {
		if c.steps != "" && s.name != "build" && !slices.Contains(strings.Split(c.steps, ","), s.name) {
			continue
		}
		t := time.Now()
		log.Printf("%s…", s.name)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		log.Printf("%s done in %s", s.name, time.Since(t).Round(time.Millisecond))
	}
	r.LoadEnd = harness.LoadAverage()
	r.Finished = time.Now()
	f, err := os.Create(c.out)
	if err != nil {
		return err
	}
	if err := harness.WriteMarkdown(f, r); err != nil {
		_ = f.Close()
		return err
	}
	log.Printf("wrote %s", c.out)
	return f.Close()
}

// findRIE looks for the emulator where `make tools` installs it, then on PATH.
func findRIE(mod string) string {
	dirs := []string{os.Getenv("LUMEN_TOOLS"), filepath.Join(mod, "..", ".tools", "bin")}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		p := filepath.Join(d, "aws-lambda-rie")
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	if p, err := execLookPath("aws-lambda-rie"); err == nil {
		return p
	}
	return ""
}
