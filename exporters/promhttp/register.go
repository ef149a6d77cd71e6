package promhttp

import (
	"context"

	"github.com/lumen-rt/lumen/exporters"
)

// Name is the name the exporter is selected by: OTEL_METRICS_EXPORTER's
// prometheus, a pull endpoint.
const Name = "prometheus"

func init() {
	exporters.RegisterMetricsExporter(Name, func(_ context.Context, cfg exporters.Config) (exporters.Flusher, error) {
		var opts []Option
		if cfg.ErrorHandler != nil {
			opts = append(opts, WithErrorHandler(cfg.ErrorHandler))
		}
		s, err := New(cfg.Gatherer, cfg.MetricsAddr, opts...)
		if err != nil {
			return nil, err
		}
		return pull{s}, nil
	})
}

// pull is the Server as the pipeline holds it: started before the first
// invocation, nothing to push at the flush point, stopped at shutdown.
type pull struct{ *Server }

// ForceFlush does nothing: Prometheus scrapes.
func (pull) ForceFlush(ctx context.Context) error { return ctx.Err() }

// Name returns "prometheus".
func (pull) Name() string { return Name }
