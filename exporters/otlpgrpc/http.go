package otlpgrpc

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/envconfig"
	"github.com/lumen-rt/lumen/exporters/otlp"
	"github.com/lumen-rt/lumen/logging"
	"github.com/lumen-rt/lumen/tracing"
)

// This file builds the built-in exporters/otlp exporters from the
// OTEL_EXPORTER_OTLP_* variables, so that the registered "otlp" keeps
// working over http/protobuf until the telemetry package configures them
// itself.

// httpOptions reads the options of signal's exporter from the
// environment: endpoint, headers, compression and timeout, each from the
// signal's own variable, else the generic one.
func httpOptions(signal string, drops exporters.DropCounter) ([]otlp.Option, error) {
	sig := strings.ToUpper(signal)
	opts := []otlp.Option{otlp.WithDropCounter(drops)}
	if v := os.Getenv("OTEL_EXPORTER_OTLP_" + sig + "_ENDPOINT"); v != "" {
		opts = append(opts, otlp.WithSignalURL(v))
	} else if v := os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); v != "" {
		opts = append(opts, otlp.WithEndpoint(v))
	}
	for _, name := range []string{"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_" + sig + "_HEADERS"} {
		h, err := envconfig.Pairs(name, os.Getenv(name))
		if err != nil {
			return nil, fmt.Errorf("otlp: %w", err)
		}
		opts = append(opts, otlp.WithHeaders(h))
	}
	if name, v := lookup(sig, "COMPRESSION"); v != "" {
		c, err := otlp.ParseCompression(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		opts = append(opts, otlp.WithCompression(c))
	}
	if name, v := lookup(sig, "TIMEOUT"); v != "" {
		ms, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || ms < 0 {
			return nil, fmt.Errorf("otlp: %s=%q: want milliseconds", name, v)
		}
		opts = append(opts, otlp.WithTimeout(time.Duration(ms)*time.Millisecond))
	}
	res, err := tracing.Resource(context.Background())
	if err != nil {
		// A partial resource is still the best description there is.
		otel.Handle(fmt.Errorf("otlp: resource: %w", err))
	}
	return append(opts, otlp.WithResource(res)), nil
}

// lookup returns the signal's OTEL_EXPORTER_OTLP_<SIGNAL>_<suffix>, else
// OTEL_EXPORTER_OTLP_<suffix>, and the name of the variable it read.
func lookup(sig, suffix string) (string, string) {
	name := "OTEL_EXPORTER_OTLP_" + sig + "_" + suffix
	if v := os.Getenv(name); v != "" {
		return name, v
	}
	name = "OTEL_EXPORTER_OTLP_" + suffix
	return name, os.Getenv(name)
}

func newHTTPSpanExporter(drops exporters.DropCounter) (*otlp.SpanExporter, error) {
	opts, err := httpOptions(exporters.SignalTraces, drops)
	if err != nil {
		return nil, err
	}
	return otlp.NewSpanExporter(opts...)
}

func newHTTPMetricExporter(src otlp.SeriesSource, drops exporters.DropCounter) (*otlp.MetricExporter, error) {
	opts, err := httpOptions(exporters.SignalMetrics, drops)
	if err != nil {
		return nil, err
	}
	t, err := otlp.ParseTemporality(os.Getenv("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"))
	if err != nil {
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: %w", err)
	}
	return otlp.NewMetricExporter(src, append(opts, otlp.WithTemporality(t))...)
}

func newHTTPLogExporter(drops exporters.DropCounter) (*policyLogs, error) {
	opts, err := httpOptions(exporters.SignalLogs, drops)
	if err != nil {
		return nil, err
	}
	exp, err := otlp.NewLogExporter(opts...)
	if err != nil {
		return nil, err
	}
	return &policyLogs{LogExporter: exp, handler: logging.Wrap(exp.Handler())}, nil
}

// policyLogs is a built-in log exporter whose handler applies the logging
// package's level, sampling and redaction from the environment.
type policyLogs struct {
	*otlp.LogExporter
	handler slog.Handler
}

// Handler returns the exporter's handler under the logging policy.
func (p *policyLogs) Handler() slog.Handler { return p.handler }

var _ exporters.LogExporter = (*policyLogs)(nil)
