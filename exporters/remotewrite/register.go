package remotewrite

import (
	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/factory"
)

// init registers the exporter as [Name]: built over the runtime's registry
// and configured from the environment as the telemetry package read it, it
// counts its losses in the runtime's drop counter.
func init() {
	exporters.RegisterMetricsExporter(Name, factory.Metrics(New, WithDropCounter, func(cfg exporters.Config) []Option {
		opts := []Option{withEnv(cfg.Getenv)}
		if cfg.Instance != "" {
			opts = append(opts, WithInstance(cfg.Instance))
		}
		return opts
	}))
}

var _ exporters.Flusher = (*Exporter)(nil)
