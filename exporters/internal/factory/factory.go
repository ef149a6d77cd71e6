// Package factory adapts an exporter package's constructor to the
// factory type of the exporter registry, so that each package registers
// itself in one line.
package factory

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lumen-rt/lumen/exporters"
)

// Metrics returns the registry factory of a metrics exporter whose
// constructor is newExporter(gatherer, options...), configured from the
// environment: it passes Config.Gatherer and withDrops(Config.Drops).
func Metrics[E exporters.Flusher, O any](
	newExporter func(prometheus.Gatherer, ...O) (E, error),
	withDrops func(exporters.DropCounter) O,
) exporters.MetricsExporterFactory {
	return func(_ context.Context, cfg exporters.Config) (exporters.Flusher, error) {
		exp, err := newExporter(cfg.Gatherer, withDrops(cfg.Drops))
		if err != nil {
			return nil, err // not exp: a nil *Exporter in an interface is not nil
		}
		return exp, nil
	}
}
