package exporters_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/lumen-rt/lumen/exporters"
)

func TestRegistry(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	exporters.RegisterSpanExporter("registry-test", func(context.Context, exporters.Config) (sdktrace.SpanExporter, error) {
		return exp, nil
	})
	f, err := exporters.LookupSpanExporter("registry-test")
	require.NoError(t, err)
	got, err := f(t.Context(), exporters.Config{})
	require.NoError(t, err)
	require.Same(t, exp, got)
	require.Contains(t, exporters.Registered(exporters.SignalTraces), "registry-test")

	tests := []struct {
		name, signal, wantImport string
		lookup                   func(string) error
	}{
		{name: exporters.GRPC, signal: exporters.SignalTraces, wantImport: "github.com/lumen-rt/lumen/exporters/otlpgrpc",
			lookup: func(n string) error { _, err := exporters.LookupSpanExporter(n); return err }},
		{name: "pushgateway", signal: exporters.SignalMetrics, wantImport: "github.com/lumen-rt/lumen/exporters/pushgateway",
			lookup: func(n string) error { _, err := exporters.LookupMetricsExporter(n); return err }},
		{name: "nonsense", signal: exporters.SignalLogs,
			lookup: func(n string) error { _, err := exporters.LookupLogExporter(n); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.lookup(tt.name)
			require.ErrorIs(t, err, exporters.ErrNotLinked)
			nl, ok := errors.AsType[*exporters.NotLinkedError](err)
			require.True(t, ok)
			require.Equal(t, tt.signal, nl.Signal)
			require.Equal(t, tt.wantImport, nl.Import)
			if tt.wantImport != "" {
				require.Contains(t, err.Error(), tt.wantImport)
			}
		})
	}
}

type failureCounter struct {
	drops, failures int
}

func (f *failureCounter) Dropped(_, _ string, items int) { f.drops += items }
func (f *failureCounter) ExportFailed(_, _ string)       { f.failures++ }

func TestCountFailure(t *testing.T) {
	fc := &failureCounter{}
	exporters.CountFailure(fc, "x", exporters.SignalMetrics, 7)
	exporters.CountFailure(fc, "x", exporters.SignalMetrics, 3)
	require.Equal(t, 10, fc.drops)
	require.Equal(t, 2, fc.failures, "one export error per failed attempt")

	var plain int
	exporters.CountFailure(exporters.DropCounterFunc(func(_, _ string, n int) { plain += n }), "x", exporters.SignalLogs, 4)
	require.Equal(t, 4, plain, "a DropCounter without ExportFailed still gets the drops")
	exporters.CountFailure(nil, "x", exporters.SignalLogs, 4) // no panic
}
