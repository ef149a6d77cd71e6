package metrics

import (
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// registrar registers a Recorder's collectors on one Registerer and keeps
// every failure, so that New reports all of them at once. The const labels
// go into each metric's options rather than through a wrapping Registerer,
// which would rebuild every Desc on every gather.
type registrar struct {
	reg    prometheus.Registerer
	labels prometheus.Labels
	errs   []error
}

// registerAs registers c under name and returns the collector to use: c
// itself, or the collector of the same type that reg already holds for the
// same metric (so two Recorders on one Registerer share their series, the
// client_golang idiom for AlreadyRegisteredError). Any other failure is kept
// in r and c is returned unregistered, so New can still build the Recorder
// before it reports the error.
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
// collectors, read at most once per maxAge (every gather when 0). Ones reg
// already has are kept; they are not an error.
func registerRuntime(r *registrar, maxAge time.Duration) {
	for _, c := range []struct {
		name string
		c    prometheus.Collector
	}{
		{"go collector", collectors.NewGoCollector()},
		{"process collector", collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})},
	} {
		var err error
		if maxAge > 0 {
			err = r.reg.Register(newCachedCollector(withConstLabels(c.c, r.labels), maxAge))
		} else {
			err = prometheus.WrapRegistererWith(r.labels, r.reg).Register(c.c)
		}
		if _, dup := errors.AsType[prometheus.AlreadyRegisteredError](err); err != nil && !dup {
			r.errs = append(r.errs, fmt.Errorf("metrics: register %s: %w", c.name, err))
		}
	}
}
