package metrics

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// registrar creates a Recorder's families, registers them on one
// Registerer and keeps every failure, so that New reports all of them at
// once. The const labels go into each family's Desc rather than through a
// wrapping Registerer, which would rebuild every Desc on every gather.
type registrar struct {
	reg      prometheus.Registerer
	labels   prometheus.Labels
	native   bool
	ids      *seriesIDs
	families []*family
	errs     []error
}

// family creates the family d, registers it, and returns the family to
// use: the new one, or the one reg already holds for the same metric (so
// two Recorders on one Registerer share their series, the client_golang
// idiom for AlreadyRegisteredError).
func (r *registrar) family(d metricDef) *family {
	f := registerAs(r, d.name, newFamily(d, r.labels, r.native, r.ids))
	r.families = append(r.families, f)
	return f
}

// registerAs registers c under name and returns the collector to use: c
// itself, or the collector of the same type that reg already holds for the
// same metric. Any other failure is kept in r and c is returned
// unregistered, so New can still build the Recorder before it reports the
// error.
func registerAs[C prometheus.Collector](r *registrar, name string, c C) C {
	err := r.reg.Register(c)
	if err == nil {
		return c
	}
	if are, ok := errors.AsType[prometheus.AlreadyRegisteredError](err); ok {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	r.errs = append(r.errs, fmt.Errorf("metrics: register %s: %w", name, err))
	return c
}

// registerRuntime registers client_golang's Go runtime and process
// collectors on reg, read at most once per maxAge (every gather when 0).
// Ones the registry already has are kept; they are not an error, and they
// are read by Visit too.
func registerRuntime(r *registrar, reg *dualRegisterer, maxAge time.Duration) {
	for _, c := range []struct {
		name string
		c    prometheus.Collector
	}{
		{"go collector", collectors.NewGoCollector()},
		{"process collector", collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})},
	} {
		var err error
		if maxAge > 0 {
			err = reg.Register(newCachedCollector(withConstLabels(c.c, r.labels), maxAge))
		} else {
			err = prometheus.WrapRegistererWith(r.labels, reg).Register(c.c)
		}
		if are, dup := errors.AsType[prometheus.AlreadyRegisteredError](err); dup {
			reg.adopt(are.ExistingCollector)
		} else if err != nil {
			r.errs = append(r.errs, fmt.Errorf("metrics: register %s: %w", c.name, err))
		}
	}
}

// dualRegisterer is what [Recorder.Registerer] returns: it registers on the
// registry the exporters gather (main), and on a registry of its own
// (extra) that holds only what is not Lumen's own instruments, the one
// [Recorder.Visit] gathers. main checks every registration against Lumen's
// metrics, so a collision is still an error at Register.
type dualRegisterer struct {
	main  prometheus.Registerer
	extra *prometheus.Registry
	count atomic.Int64 // collectors on extra
}

func newDualRegisterer(main prometheus.Registerer) *dualRegisterer {
	return &dualRegisterer{main: main, extra: prometheus.NewRegistry()}
}

// Register implements prometheus.Registerer.
func (d *dualRegisterer) Register(c prometheus.Collector) error {
	if err := d.main.Register(c); err != nil {
		return err
	}
	if err := d.extra.Register(c); err != nil {
		d.main.Unregister(c)
		return err
	}
	d.count.Add(1)
	return nil
}

// MustRegister implements prometheus.Registerer.
func (d *dualRegisterer) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := d.Register(c); err != nil {
			panic(err)
		}
	}
}

// Unregister implements prometheus.Registerer.
func (d *dualRegisterer) Unregister(c prometheus.Collector) bool {
	if d.extra.Unregister(c) {
		d.count.Add(-1)
	}
	return d.main.Unregister(c)
}

// adopt registers on extra a collector main already had.
func (d *dualRegisterer) adopt(c prometheus.Collector) {
	if d.extra.Register(c) == nil {
		d.count.Add(1)
	}
}

// empty reports whether nothing but Lumen's instruments is registered.
func (d *dualRegisterer) empty() bool { return d.count.Load() == 0 }

var _ prometheus.Registerer = (*dualRegisterer)(nil)
