package workload

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	goruntime "runtime"
	"time"

	"github.com/lumen-rt/lumen/exporters/pushgateway"
	"github.com/lumen-rt/lumen/exporters/remotewrite"
	"github.com/lumen-rt/lumen/metrics"
)

// Function names of the fleet, and how their metrics leave the process.
const (
	// PushedFunction's environments push to the Pushgateway.
	PushedFunction = "orders"
	// WrittenFunction's environment writes to Prometheus' remote write
	// receiver.
	WrittenFunction = "thumbnails"
)

// Config says where the fleet's metrics go.
type Config struct {
	// PushgatewayURL is the Pushgateway's base URL.
	PushgatewayURL string
	// RemoteWriteURL is the remote write endpoint.
	RemoteWriteURL string
	// FlushBudget bounds the flushes to the refusing and the silent
	// backend; the silent one overruns it every time. Default 200 ms. The
	// real exporters get up to 30 s, so a busy machine does not lose data.
	FlushBudget time.Duration
	// Seed makes the invocation durations reproducible.
	Seed uint64
}

// Fleet is the execution environments of the two functions.
type Fleet struct {
	envs  []*env
	dead  string
	hung  *hungServer
	round int
}

// New starts the fleet: two environments of [PushedFunction] and one of
// [WrittenFunction], plus the refusing and the silent backend. Nothing is
// recorded before the first [Fleet.Round].
func New(cfg Config) (*Fleet, error) {
	if cfg.PushgatewayURL == "" || cfg.RemoteWriteURL == "" {
		return nil, errors.New("workload: need a Pushgateway URL and a remote write URL")
	}
	if cfg.FlushBudget <= 0 {
		cfg.FlushBudget = 200 * time.Millisecond
	}
	dead, err := refusingURL()
	if err != nil {
		return nil, err
	}
	hung, err := startHung()
	if err != nil {
		return nil, err
	}
	f := &Fleet{dead: dead, hung: hung}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6c756d656e))
	for i, spec := range []struct {
		fn       string
		instance string
		pushed   bool
	}{
		{PushedFunction, "env-a", true},
		{PushedFunction, "env-b", true},
		{WrittenFunction, "env-c", false},
	} {
		e, err := newEnv(cfg, spec.fn, spec.instance, spec.pushed, dead, hung.url, rand.New(rand.NewPCG(rng.Uint64(), uint64(i))))
		if err != nil {
			_ = f.Shutdown(context.Background())
			return nil, err
		}
		f.envs = append(f.envs, e)
	}
	return f, nil
}

// Round runs one round of invocations in every environment and flushes each
// environment's metrics; it returns once every real exporter has delivered
// (the Pushgateway still has to be scraped).
func (f *Fleet) Round(ctx context.Context) error {
	f.round++
	goruntime.GC() // give the GC panels cycles and pauses to show
	var errs []error
	for _, e := range f.envs {
		if err := e.round(ctx, f.round); err != nil {
			errs = append(errs, fmt.Errorf("workload: %s/%s round %d: %w", e.fn, e.instance, f.round, err))
		}
	}
	return errors.Join(errs...)
}

// Instances returns the environment ids of fn.
func (f *Fleet) Instances(fn string) []string {
	var out []string
	for _, e := range f.envs {
		if e.fn == fn {
			out = append(out, e.instance)
		}
	}
	return out
}

// Shutdown ends every environment: the Pushgateway groups are deleted and
// the remote-written series end with staleness markers, as when Lambda
// shuts environments down. It stops the silent backend too.
func (f *Fleet) Shutdown(ctx context.Context) error {
	var errs []error
	for _, e := range f.envs {
		errs = append(errs, e.shutdown(ctx))
	}
	if f.hung != nil {
		f.hung.close()
	}
	return errors.Join(errs...)
}

// Flushers build the exporters of one environment.
func exporters(cfg Config, fn, instance string, pushed bool, dead, hung string, rec *metrics.Recorder) ([]flusher, error) {
	var out []flusher
	if pushed {
		pg, err := pushgateway.New(rec.Gatherer(), pushgateway.WithURL(cfg.PushgatewayURL),
			pushgateway.WithJob(fn), pushgateway.WithInstance(instance), pushgateway.WithDropCounter(rec))
		if err != nil {
			return nil, err
		}
		out = append(out, flusher{name: "pushgateway", exporter: pushgateway.Name, f: pg, real: true})
	} else {
		rw, err := remotewrite.New(rec.Gatherer(), remotewrite.WithURL(cfg.RemoteWriteURL),
			remotewrite.WithJob(fn), remotewrite.WithInstance(instance), remotewrite.WithDropCounter(rec))
		if err != nil {
			return nil, err
		}
		out = append(out, flusher{name: "remotewrite", exporter: remotewrite.Name, f: rw, real: true})
	}
	refused, err := pushgateway.New(rec.Gatherer(), pushgateway.WithURL(dead),
		pushgateway.WithJob(fn), pushgateway.WithInstance(instance), pushgateway.WithDropCounter(rec),
		pushgateway.WithoutDeleteOnShutdown())
	if err != nil {
		return nil, err
	}
	silent, err := remotewrite.New(rec.Gatherer(), remotewrite.WithURL(hung+"/api/v1/write"),
		remotewrite.WithJob(fn), remotewrite.WithInstance(instance), remotewrite.WithDropCounter(rec),
		remotewrite.WithRetries(1, time.Millisecond, time.Millisecond), remotewrite.WithoutStaleMarkers())
	if err != nil {
		return nil, err
	}
	return append(out,
		flusher{name: "pushgateway-backup", exporter: pushgateway.Name, f: refused},
		flusher{name: "remotewrite-replica", exporter: remotewrite.Name, f: silent},
	), nil
}
