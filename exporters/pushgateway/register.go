package pushgateway

import (
	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/factory"
)

// init registers the exporter as [Name]: built over the runtime's registry
// and configured from the environment, it counts its losses in the
// runtime's drop counter.
func init() { exporters.RegisterMetricsExporter(Name, factory.Metrics(New, WithDropCounter)) }

var _ exporters.Flusher = (*Exporter)(nil)
