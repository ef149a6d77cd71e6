package otlpmetric

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	promBridge "go.opentelemetry.io/contrib/bridges/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
	"github.com/lumen-rt/lumen/exporters/internal/turn"
)

// Name is the exporter name passed to [exporters.DropCounter].
const Name = "otlpmetric"

// ErrShutdown is returned by [Exporter.ForceFlush] after [Exporter.Shutdown].
var ErrShutdown = errors.New("otlpmetric: exporter is shut down")

// ErrInvalidConfig is wrapped by every configuration error [New] returns.
var ErrInvalidConfig = errors.New("otlpmetric: invalid configuration")

// Exporter sends the metrics of a prometheus.Gatherer as OTLP at every
// flush. Its methods are safe for concurrent use.
type Exporter struct {
	cfg      config
	gatherer prometheus.Gatherer
	exporter sdkmetric.Exporter

	// turn holds one token: the export in progress. The fields below it are
	// used only by its holder.
	turn     turn.Turn
	provider *sdkmetric.MeterProvider
	reader   *sdkmetric.ManualReader
	rm       metricdata.ResourceMetrics

	shutdown atomic.Bool
}

// New returns an Exporter that sends what g gathers. Unless [WithExporter]
// gives one, it builds the OTLP exporter of the protocol [WithProtocol],
// OTEL_EXPORTER_OTLP_METRICS_PROTOCOL or OTEL_EXPORTER_OTLP_PROTOCOL names
// (default http/protobuf): otlpmetrichttp with [DefaultRetry] and the
// [WithHTTPOptions] options, or otlpmetricgrpc with the same retry policy
// and the [WithGRPCOptions] options. Neither does I/O; the reader and the
// resource are built at the first flush. Configuration errors wrap
// [ErrInvalidConfig].
func New(ctx context.Context, g prometheus.Gatherer, opts ...Option) (*Exporter, error) {
	if g == nil {
		return nil, fmt.Errorf("%w: nil Gatherer", ErrInvalidConfig)
	}
	var cfg config
	for _, o := range opts {
		cfg = o.apply(cfg)
	}
	exp := cfg.exporter
	if exp == nil {
		var err error
		if exp, err = cfg.newExporter(ctx); err != nil {
			return nil, err
		}
	}
	e := &Exporter{cfg: cfg, gatherer: g, exporter: exp, turn: turn.New()}
	return e, nil
}

// ForceFlush collects the Gatherer through the Prometheus bridge and
// exports the result. It returns when the export is done or ctx ends,
// whichever is first. A failed export returns the error and reports its data
// points to the DropCounter. After [Exporter.Shutdown] it returns
// [ErrShutdown].
func (e *Exporter) ForceFlush(ctx context.Context) error {
	if e.shutdown.Load() {
		return ErrShutdown
	}
	if err := e.turn.Acquire(ctx); err != nil {
		return fmt.Errorf("otlpmetric: waiting for the previous export: %w", err)
	}
	defer e.turn.Release()
	if e.shutdown.Load() {
		return ErrShutdown
	}
	return e.export(ctx)
}

// Shutdown exports the final values, then shuts the Exporter it sends
// through and the reader down. It waits for an export in progress, but
// never past ctx. Later calls return nil; later ForceFlush calls return
// [ErrShutdown].
func (e *Exporter) Shutdown(ctx context.Context) error {
	if !e.shutdown.CompareAndSwap(false, true) {
		return nil
	}
	if err := e.turn.Acquire(ctx); err != nil {
		// The export in progress holds the Exporter (otlpmetrichttp's
		// Shutdown would wait for it); leave both to it.
		return fmt.Errorf("otlpmetric: waiting for the last export: %w", err)
	}
	defer e.turn.Release()
	err := e.export(ctx)
	if e.provider != nil {
		err = errors.Join(err, e.provider.Shutdown(ctx))
	}
	return errors.Join(err, e.exporter.Shutdown(ctx))
}

// export collects and exports once. The caller holds the turn.
func (e *Exporter) export(ctx context.Context) error {
	var startErr error
	if e.reader == nil {
		startErr = e.start(ctx)
	}
	// Collect returns what it could together with the producer's error;
	// export that part.
	collectErr := e.reader.Collect(ctx, &e.rm)
	if collectErr != nil {
		collectErr = fmt.Errorf("otlpmetric: collect: %w", collectErr)
	}
	errs := errors.Join(startErr, collectErr)
	points := dataPoints(&e.rm)
	if points == 0 {
		return errs
	}
	if err := e.exporter.Export(ctx, &e.rm); err != nil {
		e.dropped(points)
		return errors.Join(errs, fmt.Errorf("otlpmetric: export %d data points: %w", points, err))
	}
	return errs
}

// start builds the resource, the reader with the Prometheus bridge, and the
// MeterProvider the reader needs. It runs at the first flush so that a
// random environment id is drawn after a SnapStart restore.
func (e *Exporter) start(context.Context) error {
	res := e.cfg.resource
	if res == nil {
		id := envconfig.ID{Configured: e.cfg.instance}
		res = defaultResource(id.Get())
	}
	e.reader = sdkmetric.NewManualReader(
		sdkmetric.WithProducer(promBridge.NewMetricProducer(promBridge.WithGatherer(e.gatherer))),
	)
	e.provider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(e.reader), sdkmetric.WithResource(res))
	return nil
}

// dataPoints counts the data points of rm, one per series.
func dataPoints(rm *metricdata.ResourceMetrics) int {
	n := 0
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Gauge[float64]:
				n += len(d.DataPoints)
			case metricdata.Gauge[int64]:
				n += len(d.DataPoints)
			case metricdata.Sum[float64]:
				n += len(d.DataPoints)
			case metricdata.Sum[int64]:
				n += len(d.DataPoints)
			case metricdata.Histogram[float64]:
				n += len(d.DataPoints)
			case metricdata.Histogram[int64]:
				n += len(d.DataPoints)
			case metricdata.ExponentialHistogram[float64]:
				n += len(d.DataPoints)
			case metricdata.ExponentialHistogram[int64]:
				n += len(d.DataPoints)
			case metricdata.Summary:
				n += len(d.DataPoints)
			}
		}
	}
	return n
}

func (e *Exporter) dropped(points int) {
	exporters.CountFailure(e.cfg.drops, Name, exporters.SignalMetrics, points)
}

var _ interface {
	ForceFlush(context.Context) error
	Shutdown(context.Context) error
} = (*Exporter)(nil)

// Name returns the exporter's name, as the runtime's flush metrics and the
// DropCounter label it.
func (e *Exporter) Name() string { return Name }
