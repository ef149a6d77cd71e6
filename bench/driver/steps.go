package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"github.com/lumen-rt/lumen/bench/internal/harness"
	"github.com/lumen-rt/lumen/bench/internal/workload"
)

var execLookPath = exec.LookPath

// driver holds one run's state.
type driver struct {
	cfg      config
	res      *harness.Results
	sink     *harness.Sink
	bins     map[string]string
	profBins map[string]string
}

func (d *driver) run(v harness.Variant) harness.Run {
	return harness.Run{Variant: v, Bin: d.bins[v.Command()], Sink: d.sink, LogDir: d.cfg.work}
}

// build builds every binary, release and profiled, and notes the sizes.
func (d *driver) build(ctx context.Context) error {
	d.bins, d.profBins = map[string]string{}, map[string]string{}
	for _, v := range harness.Commands(harness.All()) {
		bin, err := harness.Build(ctx, d.cfg.work, v, harness.Release)
		if err != nil {
			return err
		}
		fi, err := os.Stat(bin)
		if err != nil {
			return err
		}
		d.bins[v.Command()], d.res.Sizes[v.Command()] = bin, fi.Size()
		syms, err := harness.Build(ctx, d.cfg.work, v, harness.Symbols)
		if err != nil {
			return err
		}
		if d.res.Composition[v.Command()], err = harness.Composition(ctx, syms); err != nil {
			return err
		}
		if v.Floor {
			continue
		}
		if d.profBins[v.Command()], err = harness.Build(ctx, d.cfg.work, v, harness.Profiled); err != nil {
			return err
		}
	}
	return nil
}

// coldStartVariants are the variants whose cold starts are measured: the
// flush strategy changes nothing before the first GET /next.
func coldStartVariants() []harness.Variant {
	var vs []harness.Variant
	for _, v := range harness.Variants() {
		if v.Name == harness.LumenOTLPEnd.Name || v.Name == harness.LumenDefaultsAdaptive.Name ||
			v.Name == harness.LumenOTLPAdaptive.Name {
			continue
		}
		vs = append(vs, v)
	}
	return vs
}

// coldStarts measures every variant's cold start, one start of each in
// turn, then their package initialisation the same way.
func (d *driver) coldStarts(ctx context.Context) error {
	vs := coldStartVariants()
	for range d.cfg.coldStarts {
		for _, v := range vs {
			ds, err := harness.ColdStarts(ctx, d.run(v), 1)
			if err != nil {
				return err
			}
			d.res.ColdStarts[v.Name] = append(d.res.ColdStarts[v.Name], ds...)
		}
	}
	for range d.cfg.initTraces {
		for _, v := range vs {
			tr, err := harness.InitTrace(ctx, d.run(v))
			if err != nil {
				return err
			}
			d.res.InitTraces[v.Name] = append(d.res.InitTraces[v.Name], tr)
		}
	}
	return nil
}

// smallEvent is the event of the per-invocation and emulator runs.
var smallEvent = workload.NewEvent(0)

// fake measures every variant and the breakdown against the fake Runtime
// API, rounds interleaved, each round's variant order rotated.
func (d *driver) fake(ctx context.Context) error {
	vs := harness.All()
	for round := range d.cfg.rounds {
		for i := range vs {
			v := vs[(i+round)%len(vs)]
			s, err := harness.MeasureFake(ctx, d.run(v), harness.Plan{Event: smallEvent, Warm: 200, N: d.cfg.n})
			if err != nil {
				return err
			}
			d.res.Fake[v.Name] = append(d.res.Fake[v.Name], s)
		}
	}
	return nil
}

// payloadPlans are the event sizes of the scaling runs and their counts.
func (d *driver) payloadPlans() []harness.Plan {
	sizes := []struct{ size, n int }{{1 << 10, 1000}, {100 << 10, 300}, {1 << 20, 60}, {6<<20 - 512, 15}}
	var plans []harness.Plan
	for _, s := range sizes {
		n := s.n
		if d.cfg.quick {
			n = max(n/20, 3)
		}
		plans = append(plans, harness.Plan{Event: workload.NewEvent(s.size), Warm: max(n/10, 2), N: n})
	}
	return plans
}

// payloadVariants are the variants of the scaling runs: one per binary and
// telemetry configuration, with the default strategy.
func payloadVariants() []harness.Variant {
	return []harness.Variant{harness.AWSLambda, harness.OTelLambda, harness.LumenOff, harness.LumenDefaults,
		harness.LumenOTLP, harness.Floor}
}

// payload measures the scaling variants at each event size.
func (d *driver) payload(ctx context.Context) error {
	for _, p := range d.payloadPlans() {
		size := len(p.Event)
		d.res.PayloadSize = append(d.res.PayloadSize, size)
		d.res.Payload[size] = map[string]harness.Sample{}
		for _, v := range payloadVariants() {
			s, err := harness.MeasureFake(ctx, d.run(v), p)
			if err != nil {
				return err
			}
			d.res.Payload[size][v.Name] = s
		}
	}
	return nil
}

// emulator measures every variant through aws-lambda-rie, when installed.
func (d *driver) emulator(ctx context.Context) error {
	if d.cfg.rie == "" {
		d.res.EmulatorNote = "aws-lambda-rie is not installed (run `make tools`)."
		d.res.Notes = append(d.res.Notes, "The emulator runs were skipped: aws-lambda-rie is not installed.")
		return nil
	}
	vs := harness.Variants()
	for round := range d.cfg.rieRounds {
		for i := range vs {
			v := vs[(i+round)%len(vs)]
			s, err := harness.MeasureEmulator(ctx, d.cfg.rie, d.run(v), harness.Plan{Event: smallEvent, Warm: 100, N: d.cfg.rieN})
			if err != nil {
				return err
			}
			d.res.Emulator[v.Name] = append(d.res.Emulator[v.Name], s)
		}
	}
	return nil
}

// profiledVariants are the variants profiled: both baselines, Lumen's bare
// loop, and Lumen with each default configuration.
func profiledVariants() []harness.Variant {
	return []harness.Variant{harness.AWSLambda, harness.OTelLambda, harness.LumenOff, harness.LumenDefaults,
		harness.LumenOTLP, harness.LumenOTLPAdaptive}
}

// profiles profiles the profiled variants against the fake Runtime API.
func (d *driver) profiles(ctx context.Context) error {
	dir := filepath.Join(d.cfg.work, "profiles")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, v := range profiledVariants() {
		bin, ok := d.profBins[v.Command()]
		if !ok {
			continue
		}
		r := d.run(v)
		r.Bin = bin
		pr, err := harness.MeasureProfiled(ctx, r, harness.Plan{Event: smallEvent, Warm: 200, N: d.cfg.profileN},
			filepath.Join(dir, v.Name))
		if err != nil {
			return err
		}
		d.res.Profiles[v.Name] = pr
	}
	return nil
}

// flush reads the flush benchmarks' output, when given.
func (d *driver) flush(context.Context) error {
	if d.cfg.flush == "" {
		d.res.FlushNote = "no `-flush` output was given to the driver."
		return nil
	}
	f, err := os.Open(d.cfg.flush)
	if err != nil {
		return err
	}
	defer f.Close()
	lines, err := harness.ParseBench(f)
	if err != nil {
		return fmt.Errorf("%s: %w", d.cfg.flush, err)
	}
	d.res.Flush = slices.Clip(lines)
	if len(lines) == 0 {
		d.res.FlushNote = "the flush benchmarks produced no result."
	}
	return nil
}
