package pushgateway

import (
	"context"

	"github.com/lumen-rt/lumen/exporters"
)

func init() { exporters.RegisterMetricsExporter(Name, newRegistered) }

// newRegistered is the metrics exporter factory registered as [Name]: an
// Exporter of cfg.Gatherer configured from the environment, counting its
// losses in cfg.Drops.
func newRegistered(_ context.Context, cfg exporters.Config) (exporters.Flusher, error) {
	exp, err := New(cfg.Gatherer, WithDropCounter(cfg.Drops))
	if err != nil {
		return nil, err
	}
	return exp, nil
}

var (
	_ exporters.MetricsExporterFactory = newRegistered
	_ exporters.Flusher                = (*Exporter)(nil)
)
