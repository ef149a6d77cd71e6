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
// constructor is newExporter(gatherer, options...): it passes
// Config.Gatherer, withDrops(Config.Drops) and the options fromConfig
// derives from the rest of the Config (the environment as the telemetry
// package read it); fromConfig may be nil.
func Metrics[E exporters.Flusher, O any](
	newExporter func(prometheus.Gatherer, ...O) (E, error),
	withDrops func(exporters.DropCounter) O,
	fromConfig func(exporters.Config) []O,
) exporters.MetricsExporterFactory {
	return func(_ context.Context, cfg exporters.Config) (exporters.Flusher, error) {
		opts := []O{withDrops(cfg.Drops)}
		if fromConfig != nil {
			opts = append(opts, fromConfig(cfg)...)
		}
		exp, err := newExporter(cfg.Gatherer, opts...)
		if err != nil {
			return nil, err // not exp: a nil *Exporter in an interface is not nil
		}
		return exp, nil
	}
}
