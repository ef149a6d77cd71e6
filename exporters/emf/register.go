package emf

import (
	"context"
	"fmt"

	"github.com/lumen-rt/lumen/exporters"
)

func init() { exporters.RegisterMetricsExporter(exporterName, newRegistered) }

// newRegistered builds the exporter OTEL_METRICS_EXPORTER=emf selects (the
// default inside Lambda): the namespace POWERTOOLS_METRICS_NAMESPACE names
// (else [DefaultNamespace]), a service dimension when the function names
// its service, drops counted. It reads the pipeline's metrics as Series,
// without gathering.
func newRegistered(_ context.Context, cfg exporters.Config) (exporters.Flusher, error) {
	if cfg.Series == nil {
		return nil, fmt.Errorf("%w: no metrics to read (Config.Series)", ErrInvalidOption)
	}
	ns := cfg.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	dims := map[string]string{}
	if cfg.ServiceName != "" {
		dims["service"] = cfg.ServiceName
	}
	return New(cfg.Series, WithNamespace(ns), WithDimensions(dims), WithDropCounter(cfg.Drops))
}

var _ exporters.MetricsExporterFactory = newRegistered
